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


def _scale(f: dict, s) -> dict:
    return {k: _mul(c, s) for k, c in f.items()}


def _sum(forms) -> dict:
    out: dict = {}
    for f in forms:
        out = _add(out, f) if out else dict(f)
    return out


def _acc(out, t):
    """out + t, in place when ``out`` is an array we own of the result's shape."""
    if isinstance(out, np.ndarray) and (not isinstance(t, np.ndarray) or t.shape == out.shape):
        out += t
        return out
    return out + t


def _ev(f: dict, x: list):
    """Value of the form ``f`` at ``x`` (scalar or array; may share an input's array when ``f`` is
    a bare constant -- copy before handing out)."""
    out = None
    for k, c in f.items():
        if k != _C:
            t = c * x[k]
            out = t if out is None else _acc(out, t)
    c = f.get(_C)
    if c is not None:
        out = c if out is None else _acc(out, c)
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


def _eliminate(rows: list[dict], rhs: list, K: int, order: list[int] | None):
    """Gaussian elimination on K sparse rows (dicts column -> coefficient, scalars or arrays),
    then back substitution. ``order`` gives the pivot row of each column; ``None`` chooses it by
    partial pivoting on the median magnitude (used on a sample of cases). Returns x (K values),
    |det|, the largest |multiplier| (scalar or array) and the pivot order."""
    rows = [dict(r) for r in rows]
    rhs = list(rhs)
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
            m = ri.pop(k) / piv
            am = np.abs(m)
            gmax = np.fmax(gmax, am) if isinstance(gmax, np.ndarray) or isinstance(am, np.ndarray) else max(gmax, am)
            for j, c in rp.items():
                if j != k:
                    mc = _mul(m, c)
                    ri[j] = ri[j] - mc if j in ri else -mc
            rhs[i] = rhs[i] - _mul(m, rhs[p])
    x: list = [None] * K
    absdet = None
    for k in reversed(range(K)):
        rp = rows[piv_rows[k]]
        s = rhs[piv_rows[k]]
        for j, c in rp.items():
            if j > k:
                s = s - c * x[j]
        piv = rp.get(k, _ZERO)
        x[k] = s / piv
        a = np.abs(piv)
        absdet = a if absdet is None else absdet * a
    return x, absdet, gmax, piv_rows


def _solve(rows: list[dict], rhs: list, K: int, shape: tuple) -> tuple[list, Any, Any]:
    """Solve the K x K sparse system for every case. Returns (x, cond_ok, bad_input) with the
    semantics of ``np.linalg.solve`` on the dense system as this module always used: cases with a
    non-finite coefficient get x = 0 (``bad_input``), cases with |det| <= 1e-300 get x = rhs
    (``~cond_ok``). The pivot order is chosen once on a sample of cases; a case whose elimination
    multipliers exceed :data:`_MAX_MULTIPLIER` is re-solved by LAPACK (partial pivoting)."""
    size = int(np.prod(shape))
    entries = [c for r in rows for c in r.values()] + list(rhs)
    # non-finite input: same test as the dense version (every A entry and every rhs)
    bad_input = np.False_
    for c in entries:
        if isinstance(c, np.ndarray):
            bad_input = bad_input | ~np.isfinite(c)
        elif not np.isfinite(c):
            bad_input = np.True_
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
        x, absdet, gmax, _ = _eliminate(rows, rhs, K, order)
        cond_ok = absdet > 1e-300
        fail = gmax > _MAX_MULTIPLIER
    fail = np.broadcast_to(fail & ~bad_input, shape)
    if fail.any():  # LAPACK (LU with partial pivoting) for the cases the static order does not suit
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
    if np.any(~cond_ok):
        x = [np.where(cond_ok, v, r) for v, r in zip(x, rhs)]
    if np.any(bad_input):
        x = [np.where(bad_input, 0.0, v) for v in x]
    return x, cond_ok, bad_input
