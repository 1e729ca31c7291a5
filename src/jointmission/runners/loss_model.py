"""The loss models of a sweep: how each case gets the ideal delta-v it must supply per target
(``dv_required``), and the targets and full solves they are fitted to.

The expensive part of a payload is the ascent-loss model (:mod:`jointmission.core.ascent`, a
trajectory march, ~4 ms per design when batched). A sweep therefore splits the work:

- **shared** (once per run, or once per distinct design): the full payload/loss iteration of
  :func:`jointmission.vehicles.performance.payload_to_orbit` / ``payload_to_c3`` for a set of
  designs, giving the ideal delta-v each design must supply for each target (``dv_required``:
  orbit speed - rotation + gravity/drag/steering/back-pressure losses + dog-leg + finite-burn);
- **per case** (vectorized over the chunk): the vehicle's stack arrays
  (:func:`jointmission.vehicles.arrays.build_vehicle_arrays`), ``dv_required`` from the loss model, the payload
  from :func:`jointmission.core.payload.solve_payload_targets` (all targets of a case in one
  solve), the lift-off T/W check.

Loss models (``sweep.losses``):

``recompute``
    Exact: the full iteration for every distinct vehicle design of the chunk (cases sharing a
    design share one solve). The payload and status are those of the single-run path.
``interpolate``
    A quadratic response surface of ``dv_required`` (per target) in the swept parameters, fitted
    by least squares to full solves at a Latin-hypercube design over the sweep's range
    (``3 x`` the number of terms, at least 12 designs). Cases outside the fitted range use the
    surface at the nearest point of the range.
``nominal``
    ``dv_required`` of the unswept scenario vehicle for every case: losses do not respond to the
    swept parameters (cheapest, least accurate; for sweeps that barely change thrust-to-weight).
``auto``
    ``recompute`` up to :data:`AUTO_RECOMPUTE_MAX` distinct designs, else ``interpolate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..vehicles import performance as perf
from ..vehicles.performance import VehicleArrays
from ..vehicles.targets import TargetSet, target_set  # re-exported: the targets as arrays
from ..vehicles.arrays import VehicleTable, build_vehicle_arrays

__all__ = ["TargetSet", "target_set", "full_solve", "LossModel", "fit_loss_model", "SWEEP_TOP_LOAD", "AUTO_RECOMPUTE_MAX",
           "GUESS_SIGMAS", "GUESS_MAX_RMS"]

SWEEP_TOP_LOAD = 1.0
"""The top stage's load in a sweep [-]: the full load. A sweep's per-case payload solves the rocket
equation of each case's fully loaded stack against ``dv_required`` from a design's full solve, so the
full solve flies the full load too (a chosen load would need the load of every case and target in the
loss model). A single run, ``jointmission payload`` and :func:`~jointmission.vehicles.performance.payload_to_orbit`
choose the load by default and can answer more for a heavy payload to a low orbit behind a low-thrust
top stage; the sweep's summary and report say which load they used. (Catalog launchers that a concept
names fly the chosen load, in a sweep as in a single run: their capability is a full solve.)"""

AUTO_RECOMPUTE_MAX = 1000
"""``losses: auto`` recomputes the ascent exactly when the sweep has at most this many distinct
vehicle designs (~4 ms each, batched), else fits the ``interpolate`` surface."""

_DV_BLOCK = 32768  # cases per block of the response-surface evaluation (temporaries stay in cache)


def _expand(va: VehicleArrays) -> VehicleArrays:
    """Add a target axis after the case axis: (m, ...) -> (m, 1, ...)."""
    st = va.stack
    # a 0-d field (the booster fields of a vehicle without boosters) broadcasts as it is
    stack = type(st)(*(a if a.ndim == 0 else a[:, None] for a in (np.asarray(x, dtype=float) for x in st)))
    return VehicleArrays(stack, va.phase_thrust[:, None], va.phase_p_area[:, None], va.liftoff_thrust[:, None],
                         va.latitude[:, None],
                         np.broadcast_to(np.asarray(va.coast_loss, dtype=float), np.shape(va.latitude))[:, None],
                         va.column_stage)


def full_solve(va: VehicleArrays, ts: TargetSet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full payload/loss iteration for ``m`` designs x every target (one vectorized call per target
    kind). The target arrays of ``ts`` are (n_targets,) or, for per-case targets (swept target
    parameters), (m, n_targets). Returns ``(dv_required, status, payload_kg)``, each (m, n_targets)."""
    m = va.latitude.shape[0]
    dv = np.full((m, ts.n), np.nan)
    status = np.zeros((m, ts.n), dtype=np.int8)
    pay = np.full((m, ts.n), np.nan)
    if m == 0:
        return dv, status, pay
    vx = _expand(va)
    with np.errstate(all="ignore"):
        for kind in (0, 1):
            idx = np.flatnonzero(ts.kind == kind)
            if idx.size == 0:
                continue
            if kind == 0:
                res = perf.payload_to_orbit(vx, ts.perigee[..., idx], ts.apogee[..., idx], ts.inclination[..., idx],
                                            top_load=SWEEP_TOP_LOAD)
            else:
                res = perf.payload_to_c3(vx, ts.c3[..., idx], parking_alt_m=ts.parking[..., idx],
                                         inclination_rad=ts.inclination[..., idx], top_load=SWEEP_TOP_LOAD)
            dv[:, idx] = np.broadcast_to(res.dv_required, (m, idx.size))
            status[:, idx] = np.broadcast_to(res.status, (m, idx.size))
            pay[:, idx] = np.broadcast_to(res.payload_kg, (m, idx.size))
    return dv, status, pay


# ------------------------------------------------------------------------------------ loss models
def _features(x: np.ndarray) -> np.ndarray:
    """Quadratic response-surface features of normalised parameters ``x`` (m, d): 1, x_i, x_i x_j."""
    m, d = x.shape
    cols = [np.ones(m)] + [x[:, i] for i in range(d)]
    cols += [x[:, i] * x[:, j] for i in range(d) for j in range(i, d)]
    return np.stack(cols, axis=-1)


@dataclass
class LossModel:
    """How ``dv_required`` per case and target is obtained (see the module docstring).

    ``kind`` is ``recompute``, ``interpolate`` or ``nominal``. ``info`` holds what the run records
    in ``loss_model.json`` (design count, fit residuals, the loss check).
    """

    kind: str
    nominal_dv: np.ndarray | None = None  # (T,) nominal
    lo: np.ndarray | None = None  # (d,) interpolate: box
    hi: np.ndarray | None = None
    coef: np.ndarray | None = None  # (n_terms, T)
    info: dict = field(default_factory=dict)
    # recompute with a design table (grid sweeps): the sorted distinct values of each vehicle axis and
    # the full solve of every combination, in C order over those axes
    axes: tuple | None = None
    table: tuple | None = None  # (dv_required (D, T), status (D, T), payload (D, T))
    # interpolate: a quadratic surrogate of the payload [kg] (same scaled parameters and terms as the
    # surface), set a little low, where the payload solve starts (see dv_and_guess); None: at p = 0
    guess_coef: np.ndarray | None = None  # (n_terms, T)

    def lookup(self, values: np.ndarray):
        """``(dv, status, payload)`` (m, T) of cases whose vehicle ``values`` (m, d) are grid points
        of the design table."""
        if not self.axes:
            ids = np.zeros(values.shape[0], dtype=np.int64)
        else:
            idx = []
            for j, ax in enumerate(self.axes):
                k = np.clip(np.searchsorted(ax, values[:, j]), 0, len(ax) - 1)
                if not np.array_equal(ax[k], values[:, j]):
                    raise ValueError("case values outside the design table")  # pragma: no cover
                idx.append(k)
            ids = np.ravel_multi_index(idx, tuple(len(a) for a in self.axes))
        dv, status, pay = self.table
        return dv[ids], status[ids], pay[ids]

    def dv_required(self, values: np.ndarray) -> np.ndarray:
        """``dv_required`` (m, T) [m/s] for parameter ``values`` (m, d) [SI] (not for recompute)."""
        return self.dv_and_guess(values)[0]

    def dv_and_guess(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """``(dv_required (m, T) [m/s], payload guess (m, T) [kg] or None)`` for parameter
        ``values`` (m, d) [SI] (not for recompute). The guess (``interpolate`` with a fitted
        :attr:`guess_coef`) is where the payload solve starts; it does not change the result beyond
        the solver's tolerance (see :func:`jointmission.core.payload.solve_payload_targets`)."""
        m = values.shape[0]
        if self.kind == "nominal":
            return np.broadcast_to(self.nominal_dv, (m, self.nominal_dv.shape[0])), None
        span = np.where(self.hi > self.lo, self.hi - self.lo, 1.0)
        out = np.empty((m, self.coef.shape[1]))
        guess = None if self.guess_coef is None else np.empty((m, self.coef.shape[1]))
        # c0 + sum_i x_i (c_i + sum_{j>=i} c_ij x_j), term by term in the order of _features: O(m d^2),
        # no feature matrix and no BLAS call (single-threaded, bit-identical on any worker); in
        # blocks of cases so that the temporaries stay in cache
        for lo in range(0, m, _DV_BLOCK):
            hi = min(lo + _DV_BLOCK, m)
            self._surface(values[lo:hi], span, out[lo:hi], None if guess is None else guess[lo:hi])
        return out, guess

    def _surface(self, values: np.ndarray, span: np.ndarray, out: np.ndarray, guess: np.ndarray | None = None) -> None:
        """The response surface at ``values`` (b, d) [SI] into ``out`` (b, T) [m/s], and the
        payload guess into ``guess`` (b, T) [kg] when given."""
        b, d = values.shape
        cols = [np.clip((values[:, i] - self.lo[i]) / span[i], 0.0, 1.0) * 2.0 - 1.0 for i in range(d)]
        if guess is not None:
            self._quadratic(cols, self.guess_coef, guess)
        self._quadratic(cols, self.coef, out)

    @staticmethod
    def _quadratic(cols: list, coef: np.ndarray, out: np.ndarray) -> None:
        """The quadratic form with coefficients ``coef`` (n_terms, T) (order of :func:`_features`)
        at the scaled parameter columns ``cols`` (d of (b,)) into ``out`` (b, T)."""
        b, d = out.shape[0], len(cols)
        tmp = np.empty(b)
        for t in range(coef.shape[1]):  # loops over targets and parameters, not cases
            c = coef[:, t]
            acc = np.full(b, c[0])
            k = 1 + d
            for i in range(d):
                inner = np.full(b, c[1 + i])
                for j in range(i, d):
                    np.multiply(cols[j], c[k], out=tmp)
                    inner += tmp
                    k += 1
                np.multiply(inner, cols[i], out=tmp)
                acc += tmp
            out[:, t] = acc

    def fingerprint(self) -> dict:
        """Plain data identifying the fitted model (checked on resume)."""
        out = {"kind": self.kind}
        for k in ("nominal_dv", "lo", "hi", "coef", "guess_coef"):
            v = getattr(self, k)
            if v is not None:
                out[k] = np.asarray(v).tolist()
        if self.table is not None:
            import hashlib

            h = hashlib.sha256()
            for a in (*self.axes, *self.table):
                h.update(np.ascontiguousarray(a).tobytes())
            out["design_table_sha256"] = h.hexdigest()
        return out


def fit_loss_model(kind: str, base: VehicleTable, keys, ts: TargetSet, nominal_values: np.ndarray,
                   box: tuple[np.ndarray, np.ndarray], integer: np.ndarray, grid_axes=None) -> LossModel:
    """Build the shared part of a loss model: for ``recompute``, the full solve of every design of
    the grid's vehicle axes (``grid_axes``: values per vehicle parameter) when given, else nothing
    (designs are solved per chunk); one full solve of the nominal design for ``nominal``; the
    response-surface fit for ``interpolate``."""
    if kind == "recompute":
        if grid_axes is None:
            return LossModel("recompute", info={"designs": "every distinct design, per chunk"})
        axes = tuple(np.unique(np.asarray(a, dtype=float)) for a in grid_axes)
        if axes:
            pts = np.stack([g.reshape(-1) for g in np.meshgrid(*axes, indexing="ij")], axis=-1)
        else:
            pts = nominal_values[None, :0]
        va, _ = build_vehicle_arrays(base, keys, pts)
        dv, status, pay = full_solve(va, ts)
        return LossModel("recompute", axes=axes, table=(dv, status, pay),
                         info={"designs": int(pts.shape[0]), "table": "every design of the grid, solved once"})
    if kind == "nominal":
        va, _ = build_vehicle_arrays(base, keys, nominal_values[None, :])
        dv, status, _ = full_solve(va, ts)
        return LossModel("nominal", nominal_dv=dv[0], info={"designs": 1, "status": status[0].tolist()})
    from scipy.stats import qmc

    lo, hi = (np.asarray(b, dtype=float) for b in box)
    d = lo.size
    n_terms = 1 + d + d * (d + 1) // 2
    n_fit = max(3 * n_terms, 12)
    u = qmc.LatinHypercube(d=d, seed=np.random.default_rng(20261201)).random(n_fit)
    pts = lo + (hi - lo) * u
    # integer axes: fit on the integers actually swept (the surface is smooth in them anyway)
    pts[:, integer] = np.round(pts[:, integer])
    corners = np.array(np.meshgrid(*[[a, b] for a, b in zip(lo, hi)], indexing="ij")).reshape(d, -1).T
    if corners.shape[0] <= 64:
        pts = np.concatenate([pts, corners], axis=0)
    va, valid = build_vehicle_arrays(base, keys, pts)
    dv, status, _ = full_solve(va, ts)
    span = np.where(hi > lo, hi - lo, 1.0)
    feats = _features((pts - lo) / span * 2.0 - 1.0)
    coef = np.zeros((n_terms, ts.n))
    rms = []
    for t in range(ts.n):
        ok = valid & (status[:, t] == 0) & np.isfinite(dv[:, t])
        if ok.sum() < n_terms:
            ok = valid & np.isfinite(dv[:, t])  # fit through the requirement even where no payload
        if ok.sum() < n_terms:
            raise ValueError(f"losses: interpolate: only {int(ok.sum())} of {len(pts)} fit designs give a "
                             f"delta-v requirement for target '{ts.names[t]}'; use 'losses: recompute'")
        c, *_ = np.linalg.lstsq(feats[ok], dv[ok, t], rcond=None)
        coef[:, t] = c
        rms.append(float(np.sqrt(np.mean((feats[ok] @ c - dv[ok, t]) ** 2))))
    model = LossModel("interpolate", lo=lo, hi=hi, coef=coef,
                      info={"designs": int(len(pts)), "terms": int(n_terms), "fit_rms_m_s": rms})
    model.guess_coef, model.info["payload_guess"] = _fit_guess(model, va, pts, feats)
    return model


GUESS_SIGMAS = 3.0
"""The payload guess is set this many residual RMS below the quadratic fit, so that it lies below
the root (where the solve starts with a bracket and no evaluation at ``p = 0``) for nearly every
case."""

GUESS_MAX_RMS = 2.5e-4
"""Largest fit RMS of the payload guess, relative to ``p + B_top`` (B_top: the top stage's burnout
mass without payload), for which the guess is used: a guess within ~1e-3 of ``p + B_top`` below the
root converges in one evaluation of ``f``; a poorer one would cost an evaluation more than
starting at ``p = 0``, so it is not used (``loss_model.json`` says why)."""


def _fit_guess(model: LossModel, va, pts: np.ndarray, feats: np.ndarray):
    """Quadratic surrogate of the per-case payload [kg] in the scaled parameters (the terms of
    :func:`_features`), fitted to the payload solve with the fitted surface's ``dv_required`` at the
    fit designs (``va``, ``pts``; ``feats`` their surface terms), lowered by :data:`GUESS_SIGMAS` residual RMS. Returns ``(coef
    (n_terms, T) or None, info)``; None (every solve starts at ``p = 0``) when a target has too few
    feasible designs or a fit RMS above :data:`GUESS_MAX_RMS`."""
    from ..core.payload import solve_payload_targets
    from ..core.rocket import phase_masses

    with np.errstate(all="ignore"):
        sol = solve_payload_targets(va.stack, model.dv_required(pts))
        b_top = np.broadcast_to(phase_masses(va.stack).m_end[..., -1], (len(pts),))
    coef = np.zeros((feats.shape[1], sol.payload.shape[1]))
    rms, rms_rel = [], []
    for t in range(coef.shape[1]):
        ok = (sol.status[:, t] == 0) & np.isfinite(sol.payload[:, t])
        if ok.sum() < 2 * feats.shape[1]:
            return None, {"used": False, "reason": f"only {int(ok.sum())} feasible fit designs"}
        c, *_ = np.linalg.lstsq(feats[ok], sol.payload[ok, t], rcond=None)
        r = float(np.sqrt(np.mean((feats[ok] @ c - sol.payload[ok, t]) ** 2)))
        rel = float(np.sqrt(np.mean(((feats[ok] @ c - sol.payload[ok, t]) / (sol.payload[ok, t] + b_top[ok])) ** 2)))
        if not rel <= GUESS_MAX_RMS:
            return None, {"used": False, "fit_rms_kg": r, "fit_rms_relative": rel,
                          "reason": f"fit RMS {rel:.1e} of p + B_top above {GUESS_MAX_RMS:.1e}: solves start at p = 0"}
        c[0] -= GUESS_SIGMAS * r
        coef[:, t] = c
        rms.append(r)
        rms_rel.append(rel)
    return coef, {"used": True, "fit_rms_kg": rms, "fit_rms_relative": rms_rel}
