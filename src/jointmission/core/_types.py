"""Type aliases of the core kernels (for type checkers; numpy only, no other import).

- :data:`FloatArray`: a float64 ndarray (``NDArray[np.float64]``), what a kernel returns for
  array inputs.
- :data:`FloatOrArray`: a kernel result that is a numpy float64 scalar for 0-d (scalar) inputs and
  a float64 ndarray otherwise (``np.float64`` is a ``float``; ``float(x)`` works on both).

Array-like inputs are annotated :data:`numpy.typing.ArrayLike` (floats, sequences, ndarrays).
"""

from __future__ import annotations

from typing import TypeAlias, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["ArrayLike", "FloatArray", "FloatOrArray"]

FloatArray: TypeAlias = NDArray[np.float64]
FloatOrArray: TypeAlias = Union[np.float64, NDArray[np.float64]]
