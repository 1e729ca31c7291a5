"""Sparse affine forms over arrays of cases and the small batched linear solve that closes them.

The arithmetic behind :mod:`.budget`: every mission mass is an affine form ``a . x + b`` in the
budget's few unknowns ``x`` (payload, sized propellant loads, sized items), with coefficients that are
scalars or arrays over the cases; the ``K`` closing equations (``K <= 5``) are eliminated
coefficient by coefficient over all cases in a pivot order chosen once on a sample, with LAPACK
(:func:`numpy.linalg.solve`) for the cases that order does not suit. Private to the missions package.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# ------------------------------------------------------------------------------ affine forms
# A mass is an affine form in the unknowns x: a dict {k: coefficient} (k = unknown index, _C = the
# constant term); a missing key is a zero coefficient. A coefficient is an np.float64 while every
# input it depends on is a scalar, else an array broadcastable to the case shape, so a sweep over
# one input (e.g. the launcher capability) carries arrays only where that input reaches. Forms are
# never modified in place (coefficient arrays are shared between forms).
_C = -1
_ZERO = np.float64(0.0)
_MAX_MULTIPLIER = 2.0
"""Elimination multipliers above this (the static pivot is not the column's largest by this factor)
send the case to the LAPACK fallback (partial pivoting), so accuracy is that of LU to a few ulp."""
_N_SAMPLES = 64


def _compact(x, copy: bool = True):
    """A per-case input as an np.float64 when it is one value (scalar, 0-d, or broadcast with all
    strides 0), else a float array (a private copy when ``copy``: phase data are evaluated lazily)."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return np.float64(a)
    if a.size and not any(a.strides):
        return np.float64(a.flat[0])
    return np.array(a, dtype=float, copy=True) if copy else a


def _is_one(c) -> bool:
    return type(c) is np.float64 and c == 1.0


def _mul(a, b):
    """a * b; exact shortcut when either is the scalar 1."""
    if _is_one(a):
        return b
    if _is_one(b):
        return a
    return a * b


def _fresh(t, *sources) -> bool:
    """``t`` is an array just computed from ``sources`` (not one of them): safe to overwrite."""
    return isinstance(t, np.ndarray) and all(t is not s for s in sources)


def _fits(t: np.ndarray, o) -> bool:
    """``t op o`` has the shape of ``t`` (so it can be computed in ``t``'s memory)."""
    return not isinstance(o, np.ndarray) or o.shape == t.shape or \
        np.broadcast_shapes(o.shape, t.shape) == t.shape


def _add(f: dict, g: dict) -> dict:
    out = dict(f)
    for k, c in g.items():
        out[k] = out[k] + c if k in out else c
    return out


def _sub(f: dict, g: dict) -> dict:
    out = dict(f)
    for k, c in g.items():
        out[k] = out[k] - c if k in out else -c
    return out


def _axpy(f: dict, g: dict, s, scratch=()) -> dict:
    """``f + s g`` (``s`` a scalar or array), each product computed once and the sum done in the
    product's memory. Bit-identical to ``_sub(f, _scale(g, -s))`` (IEEE negation is exact), which is
    how a burn or a boil-off loss (``s`` = minus the fraction lost) is subtracted without negating.
    ``scratch``: keys of ``g`` whose arrays are temporaries no other form holds (overwritten)."""
    out = dict(f)
    for k, c in g.items():
        if k in scratch and not _is_one(s) and _fits(c, s) and _fits(c, out.get(k, _ZERO)):
            t = np.multiply(c, s, out=c)
            own = True
        else:
            t = _mul(c, s)
            own = _fresh(t, c, s)
        if k in out:
            o = out[k]
            if own and _fits(t, o):
                np.add(t, o, out=t)  # o + t (addition commutes exactly)
            else:
                t = o + t
        out[k] = t
    return out


def _scale(f: dict, s) -> dict:
    return {k: _mul(c, s) for k, c in f.items()}


def _sum(forms) -> dict:
    """The sum of the forms, left to right (the first form's coefficients are shared, sums made
    here are accumulated in place: bit-identical to repeated :func:`_add`)."""
    return _sum_owned((f, ()) for f in forms)[0]


def _sum_owned(pairs) -> tuple[dict, set]:
    """:func:`_sum` of ``(form, made)`` pairs, where ``made`` names the keys whose arrays were
    made for that form alone (they may be accumulated into in place). Returns the sum and the keys
    whose arrays the sum owns."""
    out: dict = {}
    own: set = set()
    for f, made in pairs:
        if not out:
            out, own = dict(f), set(made)
            continue
        for k, c in f.items():
            if k not in out:
                out[k] = c
                if k in made:
                    own.add(k)
            elif k in own and _fits(out[k], c):
                out[k] += c
            else:
                out[k] = out[k] + c
                if isinstance(out[k], np.ndarray):
                    own.add(k)
    return out, own


def _ev(f: dict, x: list):
    """Value of the form ``f`` at ``x`` (scalar or array). May share an input's array (a bare
    constant, or a bare unknown with coefficient 1) -- copy before handing out. Terms are summed in
    the form's order, in place into arrays made here."""
    out = None
    own = False
    for k, c in f.items():
        if k == _C:
            continue
        if _is_one(c):
            t, t_own = x[k], False
        else:
            t = c * x[k]
            t_own = _fresh(t, c, x[k])
        if out is None:
            out, own = t, t_own
        elif own and _fits(out, t):
            out += t
        elif t_own and _fits(t, out):
            np.add(t, out, out=t)  # out + t (addition commutes exactly)
            out = t
        else:
            out = out + t
            own = isinstance(out, np.ndarray)
    c = f.get(_C)
    if c is not None:
        if out is None:
            out = c
        elif own and _fits(out, c):
            out += c
        else:
            out = out + c
    return _ZERO if out is None else out


def _full(v, shape) -> np.ndarray:
    """A fresh, writeable float array of ``shape`` with the values ``v``."""
    out = np.empty(shape)
    out[...] = v
    return out


# ------------------------------------------------------------------------------ linear solve
def _magnitude(c) -> float:
    """Median |c| over the finite values (-1 if none): the pivot choice on a sample."""
    a = np.abs(np.asarray(c, dtype=float))
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else -1.0


def _min_abs(c):
    """A lower bound of |c| over the cases, from two reductions (no per-case pass): the exact
    minimum when every value has the same sign, else ``None`` (zero, mixed signs, NaN, no cases)."""
    if not isinstance(c, np.ndarray):
        return abs(c)
    if c.size == 0:
        return None
    lo, hi = c.min(), c.max()
    if lo > 0:
        return lo
    if hi < 0:
        return -hi
    return None


def _max_abs_ok(m) -> bool:
    """Every finite |m| <= :data:`_MAX_MULTIPLIER` (NaN values ignored, as ``np.fmax`` does), from
    two reductions; ``False`` when unsure."""
    if not isinstance(m, np.ndarray):
        return not (abs(m) > _MAX_MULTIPLIER)
    if m.size == 0:
        return True
    hi, lo = np.fmax.reduce(m, axis=None), np.fmin.reduce(m, axis=None)
    return bool(hi <= _MAX_MULTIPLIER and -lo <= _MAX_MULTIPLIER)


def _eliminate(rows: list[dict], rhs: list, K: int, order: list[int] | None):
    """Gaussian elimination on K sparse rows (dicts column -> coefficient, scalars or arrays),
    then back substitution. ``order`` gives the pivot row of each column; ``None`` chooses it by
    partial pivoting on the median magnitude (used on a sample of cases). Returns x (K values),
    ``cond_ok`` (|det| > 1e-300, scalar True when every case passes), ``gmax`` and the pivot order.

    ``gmax`` is the largest |multiplier| over the multipliers that exceed :data:`_MAX_MULTIPLIER`
    somewhere (0 if none does), so ``gmax > _MAX_MULTIPLIER`` is exactly the per-case test on the
    largest multiplier, without a per-case pass for the multipliers that are small in every case
    (two reductions each). The inputs are never modified; temporaries made here are reused in
    place. A pivot or multiplier that is the scalar 1 costs nothing (division by 1 is exact)."""
    rows = [dict(r) for r in rows]
    rhs = list(rhs)
    made: set[int] = set()  # ids of the (live) rhs arrays made here: no one else holds them
    remaining = list(range(K))
    piv_rows: list[int] = []
    gmax = _ZERO
    for k in range(K):
        if order is None:
            cand = [i for i in remaining if k in rows[i]]
            if cand:
                p = cand[int(np.argmax([_magnitude(rows[i][k]) for i in cand]))]
            else:
                p = remaining[0]
        else:
            p = order[k]
        remaining.remove(p)
        piv_rows.append(p)
        rp = rows[p]
        piv = rp.get(k, _ZERO)
        for i in remaining:
            ri = rows[i]
            if k not in ri:
                continue
            m = ri.pop(k)
            if not _is_one(piv):
                m = m / piv
            if not _max_abs_ok(m):
                am = np.abs(m)
                gmax = np.fmax(gmax, am) if isinstance(gmax, np.ndarray) or isinstance(am, np.ndarray) \
                    else max(gmax, am)
            for j, c in rp.items():
                if j != k:
                    mc = _mul(m, c)
                    if j not in ri:
                        ri[j] = -mc
                    elif _fresh(mc, m, c) and _fits(mc, ri[j]):
                        ri[j] = np.subtract(ri[j], mc, out=mc)
                    else:
                        ri[j] = ri[j] - mc
            mr = _mul(m, rhs[p])
            rhs[i] = np.subtract(rhs[i], mr, out=mr) if _fresh(mr, m, rhs[p]) and _fits(mr, rhs[i]) \
                else rhs[i] - mr
            if isinstance(rhs[i], np.ndarray):
                made.add(id(rhs[i]))
    x: list = [None] * K
    pivots = []
    for k in reversed(range(K)):
        rp = rows[piv_rows[k]]
        s = rhs[piv_rows[k]]
        own = id(s) in made and isinstance(s, np.ndarray)
        for j, c in rp.items():
            if j > k:
                t = c * x[j]
                if own and _fits(s, t):
                    s -= t
                elif _fresh(t, c, x[j]) and _fits(t, s):
                    s = np.subtract(s, t, out=t)
                    own = True
                else:
                    s = s - t
                    own = isinstance(s, np.ndarray)
        piv = rp.get(k, _ZERO)
        if _is_one(piv) and (own or not isinstance(s, np.ndarray)):
            x[k] = s
        elif own and _fits(s, piv):
            x[k] = np.divide(s, piv, out=s)
        else:
            x[k] = s / piv
        pivots.append(piv)
    # |det| = the product of the |pivots| (in this order); > 1e-300 for every case when the product
    # of their lower bounds is (a floating product is monotone in each factor)
    lb = _ZERO
    bounds = [_min_abs(p) for p in pivots]
    if all(b is not None for b in bounds):
        lb = bounds[0]
        for b in bounds[1:]:
            lb = lb * b
    if lb > 1e-300:
        cond_ok = np.True_
    else:
        absdet = None
        for p in pivots:
            a = np.abs(p)
            absdet = a if absdet is None else absdet * a
        cond_ok = absdet > 1e-300
    return x, cond_ok, gmax, piv_rows


def _non_finite(entries) -> Any:
    """Cases where any of ``entries`` (scalars or arrays broadcastable to the case shape) is not
    finite: the scalar ``np.False_`` / ``np.True_`` when that holds for every case, else a boolean
    array. An array whose sum is finite has only finite values, so the per-case test runs only
    where some value is not."""
    bad = np.False_
    for c in entries:
        if isinstance(c, np.ndarray):
            if not np.isfinite(c.sum()):
                bad = bad | ~np.isfinite(c)
        elif not np.isfinite(c):
            bad = np.True_
    return bad


def _solve(rows: list[dict], rhs: list, K: int, shape: tuple, bad_input: Any = None) -> tuple[list, Any, Any]:
    """Solve the K x K sparse system for every case. Returns (x, cond_ok, bad_input) with the
    semantics of ``np.linalg.solve`` on the dense system as this module always used: cases with a
    non-finite coefficient or right-hand side get x = 0 (``bad_input``: :func:`_non_finite` of every
    entry, or the caller's mask of those cases when it tells their causes apart), cases with
    |det| <= 1e-300 get x = rhs (``~cond_ok``). The pivot order is chosen once on a sample of cases;
    a case whose elimination multipliers exceed :data:`_MAX_MULTIPLIER` is re-solved by LAPACK
    (partial pivoting). ``cond_ok`` and ``bad_input`` are scalars when they hold for every case
    (checked by reductions), and the x values may be of a smaller (broadcastable) shape than ``shape``."""
    size = int(np.prod(shape))
    entries = [c for r in rows for c in r.values()] + list(rhs)
    if bad_input is None:
        bad_input = _non_finite(entries)
    # pivot order from a sample of cases
    order = None
    if any(isinstance(c, np.ndarray) for c in entries) and size > 0:
        idx = np.unique(np.linspace(0, size - 1, min(size, _N_SAMPLES)).astype(np.intp))
        def samp(c):
            return np.broadcast_to(c, shape).flat[idx] if isinstance(c, np.ndarray) else c
        with np.errstate(all="ignore"):
            _, _, _, order = _eliminate([{k: samp(c) for k, c in r.items()} for r in rows],
                                        [samp(c) for c in rhs], K, None)
    with np.errstate(all="ignore"):
        x, cond_ok, gmax, _ = _eliminate(rows, rhs, K, order)
        fail = gmax > _MAX_MULTIPLIER
    if isinstance(fail, np.ndarray) or fail:
        fail = np.broadcast_to(fail & ~bad_input, shape)
    if isinstance(fail, np.ndarray) and fail.any():  # LAPACK (LU, partial pivoting) where the static order does not suit
        sel = np.nonzero(fail)
        A = np.zeros((len(sel[0]), K, K))
        for i, r in enumerate(rows):
            for k, c in r.items():
                A[:, i, k] = np.broadcast_to(c, shape)[sel]
        b = np.stack([np.broadcast_to(c, shape)[sel] for c in rhs], axis=-1)
        with np.errstate(all="ignore"):
            ok_sub = np.abs(np.linalg.det(A)) > 1e-300
            xs = np.linalg.solve(np.where(ok_sub[:, None, None], A, np.eye(K)), b[..., None])[..., 0]
        x = [_full(v, shape) for v in x]
        for k in range(K):
            x[k][sel] = xs[:, k]
        cond_ok = _full(cond_ok, shape).astype(bool)
        cond_ok[sel] = ok_sub
    if not np.all(cond_ok):
        x = [np.where(cond_ok, v, r) for v, r in zip(x, rhs)]
    if np.any(bad_input):
        x = [np.where(bad_input, 0.0, v) for v in x]
    return x, cond_ok, bad_input
