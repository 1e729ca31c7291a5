"""numba, imported once for the package's compiled kernels, without SciPy on the start-up path.

``import numba`` imports SciPy only to check its version, and numba's numpy support
(``numba.np.arraymath``, loaded when the first compiled function is loaded or compiled) imports
``scipy.linalg`` only to learn whether BLAS is there for ``np.dot``-based inner products -- together
~0.2 s of a command-line start-up that needs neither. Both imports are made here with an unimported
SciPy hidden (``import scipy`` raises ImportError meanwhile); afterwards SciPy imports normally
(numba's linear algebra imports it itself when a kernel uses it) and numba's BLAS flag is set to
what it would have found: SciPy is a dependency of this package.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["jit"]


def _import_numba() -> Any:
    hide = "scipy" not in sys.modules
    if hide:
        sys.modules["scipy"] = None  # type: ignore[assignment]
    try:
        import numba
        import numba.np.arraymath as arraymath
    finally:
        if hide and sys.modules.get("scipy", 0) is None:
            del sys.modules["scipy"]
    if hide:
        arraymath._HAVE_BLAS = importlib.util.find_spec("scipy") is not None
    return numba


_numba = _import_numba()


def jit(fn: Callable) -> Callable:
    """``numba.njit`` for a scalar kernel: numpy's floating-point error model (x / 0 -> inf, no
    exception), GIL released, cached on disk (next to the module in ``__pycache__``, else numba's
    per-user cache folder or ``NUMBA_CACHE_DIR``); where no cache folder is writable, compiled in
    memory once per process. Compiled lazily, on the first call."""
    from numba.core.errors import NumbaWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NumbaWarning)
            return _numba.njit(cache=True, error_model="numpy", nogil=True)(fn)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return _numba.njit(cache=False, error_model="numpy", nogil=True)(fn)
