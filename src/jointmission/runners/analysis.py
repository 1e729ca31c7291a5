"""Analysis of a finished sweep, streamed over its chunk files (memory bounded by one chunk).

- **Statistics** per target payload (cases with status OK): count, mean, standard deviation, min,
  max and percentiles. Exact (all values sorted) up to :data:`EXACT_MAX` OK cases; above that a
  second pass bins the values into 2^16 equal bins between min and max and interpolates inside the
  bin by rank (within one bin, (max - min) / 65536, of the exact value; stated in the output as
  ``percentile_resolution``).
- **Histogram** per target (:data:`HIST_BINS` bins between min and max), for the report.
- **Sensitivity** per target: standardized regression coefficients (SRC; exact, from streamed
  normal equations: ``SRC_j = b_j sd(x_j) / sd(y)`` of the least-squares linear fit, with its R^2),
  Spearman rank-correlation coefficients (on an evenly spaced subsample of at most
  :data:`RANK_SAMPLE` cases), and the tornado *swing*: the payload change of the linear fit when a
  parameter goes from its low to its high value (grid/zip: min to max; sampled: 10th to 90th
  percentile of its distribution).
- **Categorical parameters** (an engine choice: its column holds category codes) take no part in
  the linear fit, the rank correlations or the tornado (a slope against a category code means
  nothing); each output is summarised per category instead (``by_category``: cases, ok cases, mean,
  min and max of the ok values for every category of the parameter, over all the other parameters).
- **Pareto front** of two or more objectives (``sweep.objectives``): non-dominated cases, merged
  chunk by chunk (the front of a union is the front of the union of the fronts).
- **Grid cube**: for grid sweeps up to :data:`CUBE_MAX` cases, an :class:`xarray.Dataset` with one
  named dimension per swept parameter (written as NetCDF by :mod:`.sweep`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["analyze", "pareto_mask", "grid_dataset", "slug", "EXACT_MAX", "HIST_BINS", "RANK_SAMPLE",
           "CUBE_MAX", "PERCENTILES"]

EXACT_MAX = 4_000_000
HIST_BINS = 60
RANK_SAMPLE = 200_000
CUBE_MAX = 20_000_000
PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99)
_FINE_BINS = 1 << 16


def slug(text: str) -> str:
    """A NetCDF/identifier-safe name: ``'payload_t[LEO 200 km]'`` -> ``'payload_t__leo_200_km'``."""
    s = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    return s if s and not s[0].isdigit() else f"v_{s}"


def pareto_mask(F: np.ndarray) -> np.ndarray:
    """Boolean mask of the non-dominated rows of ``F`` (n, k), all objectives to be *maximised*.

    Exact duplicates keep one representative. Two objectives: sort + running maximum, O(n log n).
    More: repeated selection of the largest normalised sum (always non-dominated) and removal of
    the rows it dominates; cost O(n x front size).
    """
    F = np.asarray(F, dtype=float)
    n, k = F.shape
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    if k == 2:
        order = np.lexsort((-F[:, 1], -F[:, 0]))
        f1 = F[order, 1]
        best = np.maximum.accumulate(f1)
        prev = np.concatenate([[-np.inf], best[:-1]])
        mask[order[f1 > prev]] = True
        return mask
    span = F.max(axis=0) - F.min(axis=0)
    score = ((F - F.min(axis=0)) / np.where(span > 0, span, 1.0)).sum(axis=1)
    alive = np.ones(n, dtype=bool)
    while alive.any():  # one iteration per front member
        idx = np.flatnonzero(alive)
        i = idx[np.argmax(score[idx])]
        mask[i] = True
        dominated = np.all(F[idx] <= F[i], axis=1)  # includes i itself and its duplicates
        alive[idx[dominated]] = False
    return mask


class _Moments:
    """Streamed linear-regression moments of y on x (shifted for accuracy)."""

    def __init__(self, d: int) -> None:
        self.n = 0
        self.x0: np.ndarray | None = None
        self.y0 = 0.0
        self.sx = np.zeros(d)
        self.sy = 0.0
        self.sxx = np.zeros((d, d))
        self.sxy = np.zeros(d)
        self.syy = 0.0

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        if y.size == 0:
            return
        if self.x0 is None:
            self.x0, self.y0 = x.mean(axis=0), float(y.mean())
        xc, yc = x - self.x0, y - self.y0
        self.n += y.size
        self.sx += xc.sum(axis=0)
        self.sy += float(yc.sum())
        self.sxx += xc.T @ xc
        self.sxy += xc.T @ yc
        self.syy += float(yc @ yc)

    def fit(self) -> dict[str, Any]:
        n = self.n
        if n < 2:
            return {"n": n}
        mx, my = self.sx / n, self.sy / n
        cxx = self.sxx - n * np.outer(mx, mx)
        cxy = self.sxy - n * mx * my
        cyy = self.syy - n * my * my
        varying = np.diag(cxx) > 1e-12 * (np.abs(np.diag(self.sxx)) + 1e-300)
        b = np.zeros_like(cxy)
        if varying.any() and cyy > 0:
            sub = np.ix_(varying, varying)
            b[varying] = np.linalg.lstsq(cxx[sub], cxy[varying], rcond=None)[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            src = b * np.sqrt(np.maximum(np.diag(cxx), 0.0) / cyy) if cyy > 0 else np.zeros_like(b)
            r2 = float(b @ cxy / cyy) if cyy > 0 else float("nan")
        return {"n": n, "slope": b, "src": np.where(varying, src, np.nan), "r2": r2}


def _percentiles_from_hist(counts: np.ndarray, lo: float, hi: float, qs) -> list[float]:
    """Percentiles with numpy's default ('linear') definition, ``h = (n - 1) q``, from fine bins:
    each order statistic is placed inside its bin by its rank, so every estimate is within one bin
    width of :func:`numpy.percentile` of the raw values."""
    cum = np.cumsum(counts)
    n = int(cum[-1])
    w = (hi - lo) / counts.size

    def value_of_rank(k: int) -> float:
        i = int(np.searchsorted(cum, k, side="right"))  # first bin holding more than k values
        before = cum[i - 1] if i > 0 else 0
        return lo + i * w + (k - before + 0.5) / counts[i] * w

    out = []
    for q in qs:
        h = (n - 1) * q / 100.0
        k = int(math.floor(h))
        v = value_of_rank(k)
        if k + 1 < n:
            v += (h - k) * (value_of_rank(k + 1) - v)
        out.append(float(min(max(v, lo), hi)))
    return out


def _numbers(col):
    """A column as a numpy array; a categorical (dictionary) column, e.g. an engine choice, as its
    category indices."""
    import pyarrow as pa

    if pa.types.is_dictionary(col.type):
        return col.combine_chunks().indices.to_numpy(zero_copy_only=False).astype(float)
    return col.to_numpy(zero_copy_only=False)


def _read(files: list[Path], columns: list[str]):
    import pyarrow as pa
    import pyarrow.parquet as pq

    for f in files:
        t = pq.read_table(f, columns=columns)
        cols = {c: _numbers(t.column(c)) for c in columns}
        yield cols
        del t, cols
        pa.default_memory_pool().release_unused()  # keep the process footprint at one chunk


@dataclass
class _TargetStats:
    """Streaming statistics of one analysed output over the chunks (values in the column's unit)."""

    moments: _Moments
    n_categories: dict[int, int] = field(default_factory=dict)
    """Column index in the categorical-code array -> number of categories of that parameter."""
    by_cat: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    status_counts: dict[int, int] = field(default_factory=dict)
    lo: float = math.inf
    hi: float = -math.inf
    n_ok: int = 0
    exact: list[np.ndarray] = field(default_factory=list)
    """The ok values themselves while at most :data:`EXACT_MAX` are kept (exact percentiles)."""

    def add(self, x: np.ndarray, y: np.ndarray, s: np.ndarray, c: np.ndarray | None = None) -> None:
        """One chunk: numeric parameters ``x`` (m, d), values ``y`` and status codes ``s`` (m,),
        category codes ``c`` (m, number of categorical parameters)."""
        codes, cnt = np.unique(s, return_counts=True)
        for cd, k in zip(codes.tolist(), cnt.tolist()):
            self.status_counts[cd] = self.status_counts.get(cd, 0) + k
        ok = (s == 0) & np.isfinite(y)
        yo = y[ok]
        for j, k in self.n_categories.items():
            acc = self.by_cat.setdefault(j, {"cases": np.zeros(k, np.int64), "ok": np.zeros(k, np.int64),
                                             "sum": np.zeros(k), "min": np.full(k, np.inf),
                                             "max": np.full(k, -np.inf)})
            code = c[:, j].astype(np.int64)
            acc["cases"] += np.bincount(code, minlength=k)
            co = code[ok]
            acc["ok"] += np.bincount(co, minlength=k)
            acc["sum"] += np.bincount(co, weights=yo, minlength=k)
            np.minimum.at(acc["min"], co, yo)
            np.maximum.at(acc["max"], co, yo)
        if yo.size:
            self.lo, self.hi = min(self.lo, yo.min()), max(self.hi, yo.max())
            self.n_ok += yo.size
            if sum(a.size for a in self.exact) <= EXACT_MAX:
                self.exact.append(yo)
            self.moments.add(x[ok], yo)


@dataclass
class _Distribution:
    """Mean, standard deviation, percentiles and histogram of one output's ok values."""

    mean: float
    std: float
    percentiles: list[float]
    hist: np.ndarray
    edges: np.ndarray
    resolution: float
    """Percentile resolution [column unit]: 0 when computed from every value."""


def _distribution(st: _TargetStats, files: list[Path], pay: str, stat: str) -> _Distribution:
    """Exact from the kept values when every ok value was kept, else streamed over ``files`` again
    (a fine histogram for the percentiles, two passes for mean and standard deviation)."""
    n_ok = st.n_ok
    if sum(a.size for a in st.exact) == n_ok:
        v = np.concatenate(st.exact)
        std = float(v.std(ddof=1)) if n_ok > 1 else 0.0
        hist, edges = np.histogram(v, bins=HIST_BINS, range=(st.lo, st.hi) if st.hi > st.lo else None)
        return _Distribution(float(v.mean()), std, np.percentile(v, PERCENTILES).tolist(), hist, edges, 0.0)
    fine = np.zeros(_FINE_BINS, dtype=np.int64)
    s1 = s2 = 0.0
    lo_, hi_ = st.lo, st.hi if st.hi > st.lo else st.lo + 1.0
    for chunk in _read(files, [pay, stat]):
        y = chunk[pay].astype(float)
        yo = y[(chunk[stat] == 0) & np.isfinite(y)]
        fine += np.histogram(yo, bins=_FINE_BINS, range=(lo_, hi_))[0]
        s1 += float(yo.sum())
    mean = s1 / n_ok
    for chunk in _read(files, [pay, stat]):
        y = chunk[pay].astype(float)
        yo = y[(chunk[stat] == 0) & np.isfinite(y)]
        s2 += float(((yo - mean) ** 2).sum())
    std = math.sqrt(s2 / (n_ok - 1)) if n_ok > 1 else 0.0
    pct = _percentiles_from_hist(fine, lo_, hi_, PERCENTILES)
    hist = fine.reshape(HIST_BINS, -1).sum(axis=1) if _FINE_BINS % HIST_BINS == 0 else \
        np.histogram(np.linspace(lo_, hi_, _FINE_BINS), bins=HIST_BINS, weights=fine)[0]
    return _Distribution(mean, std, pct, hist, np.linspace(lo_, hi_, HIST_BINS + 1), (hi_ - lo_) / _FINE_BINS)


def _sensitivity(fit: dict, smp: dict[str, np.ndarray], pay: str, stat: str, params: list[str],
                 low_high: list[tuple[float, float]]) -> list[dict[str, Any]]:
    """Tornado rows (standardised regression coefficient, Spearman rank correlation on the sample,
    slope and swing over each parameter's low..high), largest swing first."""
    sens: list[dict[str, Any]] = []
    if not params or "slope" not in fit:
        return sens
    ys = smp[pay].astype(float)
    oks = (smp[stat] == 0) & np.isfinite(ys)
    for j, p in enumerate(params):
        rho = _spearman(smp[p][oks].astype(float), ys[oks])
        lo_v, hi_v = low_high[j]
        sens.append({"parameter": p, "src": float(fit["src"][j]), "spearman": rho,
                     "slope_per_unit": float(fit["slope"][j]),
                     "low": lo_v, "high": hi_v, "swing": float(fit["slope"][j] * (hi_v - lo_v))})
    sens.sort(key=lambda r: -abs(r["swing"]) if math.isfinite(r["swing"]) else 0.0)
    return sens


def _merge_front(front: dict[str, np.ndarray] | None, chunk: dict[str, np.ndarray], keep_cols: list[str],
                 objectives: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """The Pareto front of ``front`` plus one chunk's rows (objectives signed so larger is better)."""
    F = np.stack([chunk[c].astype(float) * (1.0 if sense == "max" else -1.0) for c, sense in objectives], axis=-1)
    fin = np.all(np.isfinite(F), axis=1)
    rows = {c: chunk[c][fin] for c in keep_cols}
    m = pareto_mask(F[fin])
    rows = {c: v[m] for c, v in rows.items()}
    if front is not None:
        rows = {c: np.concatenate([front[c], rows[c]]) for c in keep_cols}
        F2 = np.stack([rows[c].astype(float) * (1.0 if s == "max" else -1.0) for c, s in objectives], axis=-1)
        m2 = pareto_mask(F2)
        rows = {c: v[m2] for c, v in rows.items()}
    return rows


def analyze(files: list[Path], *, params: list[str], targets: list[str], n_cases: int,
            low_high: list[tuple[float, float]], objectives: list[tuple[str, str]] | None,
            outputs: list[tuple[str, str, str]] | None = None,
            categories: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Statistics, sensitivity and Pareto front of a sweep from its chunk ``files`` (in case order).

    ``params`` are the parameter column names, ``low_high`` the (low, high) values of each in its
    column unit for the tornado swing. ``outputs`` (name, value column, status column) are analysed
    like targets (used for mission payloads); targets give ``payload_t[<t>]`` / ``status[<t>]``.
    ``categories`` maps a categorical parameter (column of category codes) to its category names:
    such a parameter is summarised per category (``by_category``), not in the sensitivity.
    Returns plain data (and the Pareto rows under ``_pareto``,
    a dict of arrays, and an evenly spaced sample of rows under ``_sample``).
    """
    outs = [(t, f"payload_t[{t}]", f"status[{t}]") for t in targets] + list(outputs or [])
    categories = {p: list(c) for p, c in (categories or {}).items() if p in params}
    cat_params = [p for p in params if p in categories]
    all_params = params
    low_high = [lh for p, lh in zip(params, low_high) if p not in categories]
    params = [p for p in params if p not in categories]  # numeric: the linear fit and the tornado
    d = len(params)
    step = max(1, math.ceil(n_cases / RANK_SAMPLE))
    stats = [_TargetStats(_Moments(d), n_categories={j: len(categories[p]) for j, p in enumerate(cat_params)})
             for _ in outs]
    sample: dict[str, list[np.ndarray]] = {}
    obj_cols = [c for c, _ in objectives] if objectives else []
    front: dict[str, np.ndarray] | None = None
    keep_cols = ["case"] + all_params + ["liftoff_mass_t"] + [o[1] for o in outs] + [o[2] for o in outs]
    for col in obj_cols:
        if col not in keep_cols:
            keep_cols.append(col)
    for chunk in _read(files, keep_cols):  # one pass: moments, counts, sample, Pareto front
        case = chunk["case"]
        x = np.stack([chunk[p] for p in params], axis=-1).astype(float) if d else np.zeros((case.size, 0))
        c = np.stack([chunk[p] for p in cat_params], axis=-1) if cat_params else None
        for st, (_, pay, stat) in zip(stats, outs):
            st.add(x, chunk[pay].astype(float), chunk[stat], c)
        pick = (case % step) == 0
        for c in keep_cols:
            sample.setdefault(c, []).append(chunk[c][pick])
        if obj_cols:
            front = _merge_front(front, chunk, keep_cols, objectives)

    smp = {c: np.concatenate(v) for c, v in sample.items()}
    out: dict[str, Any] = {"targets": {}}
    for st, (name, pay, stat) in zip(stats, outs):
        entry: dict[str, Any] = {"cases": int(n_cases), "ok": int(st.n_ok),
                                 "status_counts": {str(k): int(v) for k, v in sorted(st.status_counts.items())}}
        if st.n_ok:
            dist = _distribution(st, files, pay, stat)
            entry.update(mean=dist.mean, std=dist.std, min=float(st.lo), max=float(st.hi),
                         percentiles={f"p{q}": float(v) for q, v in zip(PERCENTILES, dist.percentiles)},
                         percentile_resolution=dist.resolution,
                         histogram={"counts": np.asarray(dist.hist).astype(int).tolist(),
                                    "edges": np.asarray(dist.edges).tolist()})
            fit = st.moments.fit()
            entry["sensitivity"] = _sensitivity(fit, smp, pay, stat, params, low_high)
            entry["linear_fit_r2"] = fit.get("r2") if params else None
        if cat_params:
            entry["by_category"] = {p: _by_category(st.by_cat.get(j), categories[p])
                                    for j, p in enumerate(cat_params)}
        out["targets"][name] = entry
    out["_sample"] = smp
    if front is not None:
        order = np.argsort(front["case"], kind="stable")
        out["_pareto"] = {c: v[order] for c, v in front.items()}
        out["pareto"] = {"objectives": [list(o) for o in objectives], "size": int(front["case"].size)}
    return out


def _by_category(acc: dict[str, np.ndarray] | None, names: list[str]) -> list[dict[str, Any]]:
    """One row per category: cases, ok cases and the mean, min and max of the ok values (None
    when no case of that category is ok)."""
    rows = []
    for i, name in enumerate(names):
        n = int(acc["cases"][i]) if acc else 0
        k = int(acc["ok"][i]) if acc else 0
        rows.append({"value": name, "cases": n, "ok": k,
                     "mean": float(acc["sum"][i] / k) if k else None,
                     "min": float(acc["min"][i]) if k else None,
                     "max": float(acc["max"][i]) if k else None})
    return rows


def _spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def grid_dataset(files: list[Path], *, params, axes_display, targets, units: dict[str, str], attrs: dict,
                 extra: list[str] = ()):
    """The grid sweep's results as an :class:`xarray.Dataset` with one dimension per parameter.

    ``axes_display`` are the axis values in the parameter columns' units. Variables:
    ``payload_t__<target>``, ``status__<target>``, ``dv_required_km_s__<target>``, ``liftoff_mass_t``;
    each has ``long_name`` (the result column) and ``units`` attributes.
    """
    import xarray as xr

    shape = tuple(len(a) for a in axes_display)
    n = int(np.prod(shape))
    dims = [slug(p) for p in params]
    cols = ["liftoff_mass_t"] + [f"{k}[{t}]" for t in targets for k in ("payload_t", "status", "dv_required_km_s")]
    cols += list(extra)
    data = {c: np.empty(n, dtype=np.int8 if "status[" in c else float) for c in cols}
    pos = 0
    for chunk in _read(files, ["case"] + cols):
        m = chunk["case"].size
        if not np.array_equal(chunk["case"], np.arange(pos, pos + m)):
            raise ValueError("grid chunks are not in case order")
        for c in cols:
            data[c][pos:pos + m] = chunk[c]
        pos += m
    if pos != n:
        raise ValueError(f"grid has {n} cases but the chunks hold {pos}")
    coords = {}
    for dim, p, ax in zip(dims, params, axes_display):
        unit = units.get(p, "")
        coords[dim] = xr.Variable((dim,), np.asarray(ax), attrs={"long_name": p, "units": unit})
    data_vars = {}
    for c in cols:
        unit = units.get(c, "")
        attrs_c = {"long_name": c, "units": unit}
        if c.startswith("status["):
            attrs_c["description"] = "PerformanceStatus code, 0 = ok"
        elif c.startswith("mission_status["):
            attrs_c["description"] = "status code (jointmission.core.status.Status), 0 = ok"
        data_vars[slug(c)] = xr.Variable(dims, data[c].reshape(shape), attrs=attrs_c)
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)
