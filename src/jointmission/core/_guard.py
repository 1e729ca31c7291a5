"""Entry guard of the core kernels: SI floats only, never a units object; one argument order.

Core kernels take plain SI floats and arrays (m, m/s, kg, s, m^3/s^2, rad). An astropy Quantity
handed to them would be stripped silently by ``np.asarray`` (``7000 km`` read as 7000 m), so
:func:`si_kernel` checks, per argument, whether it carries a ``.unit`` (duck typing: core does not
import astropy) and raises a ``TypeError`` naming the argument and its SI unit. The check is one
attribute look-up per argument, independent of the array size.

:func:`mu_first` keeps the deprecated ``f(r1, r2, ..., mu)`` argument order of the Lambert and
Kepler kernels working (with a ``DeprecationWarning``) after ``mu`` moved to the front, as in
every other kernel (``hohmann(mu, r1, r2)``).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["si_kernel", "mu_first"]


def _has_unit(x: Any) -> bool:
    return hasattr(x, "unit")


def si_kernel(public: str | None = None, **units: str | Mapping[str, str]) -> Callable[[F], F]:
    """Decorator: refuse astropy Quantities (anything with a ``.unit``) in a core kernel's arguments.

    ``units`` maps argument names to their SI unit, quoted in the message (``r1="m"``); a mapping
    ``{field: unit}`` checks the fields of a structured argument (a :class:`~typing.NamedTuple`
    such as ``Stack``). Arguments not named are checked too, with no unit in the message.
    ``public`` is the name of the Quantity-aware public function (default: the kernel's name).
    """

    def decorate(func: F) -> F:
        names = list(inspect.signature(func).parameters)
        fields = {k: v for k, v in units.items() if not isinstance(v, str)}
        jm_name = public or func.__name__

        def fail(name: str) -> None:
            unit = units.get(name.split(".")[0])
            if isinstance(unit, Mapping):
                unit = unit.get(name.split(".", 1)[1]) if "." in name else None
            how = f"pass {name} in {unit} (e.g. {name}.to_value('{unit}'))" if unit else (
                f"pass {name} as a plain float or array in SI units"
            )
            raise TypeError(
                f"{func.__name__}(): argument '{name}' is an astropy Quantity; core kernels take SI "
                f"floats: {how}, or call jointmission.{jm_name} which converts Quantities"
            )

        def check_fields(name: str, value: Any) -> None:
            for f in fields[name]:
                if _has_unit(getattr(value, f, None)):
                    fail(f"{name}.{f}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for i, a in enumerate(args):
                if hasattr(a, "unit"):
                    fail(names[i] if i < len(names) else f"#{i}")
            for k, a in kwargs.items():
                if hasattr(a, "unit"):
                    fail(k)
            if fields:
                for i, a in enumerate(args):
                    if i < len(names) and names[i] in fields:
                        check_fields(names[i], a)
                for k, a in kwargs.items():
                    if k in fields:
                        check_fields(k, a)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _is_vector(x: Any) -> bool:
    """True if ``x`` has a last axis of length 3 (a position or velocity vector)."""
    s = np.shape(x)
    return len(s) >= 1 and s[-1] == 3


def _n_cases(mu: Any, a: Any, b: Any, c: Any) -> float:
    """Number of cases of ``f(mu, a, b, c)`` with ``a``, ``b`` vectors (inf if they do not broadcast)."""
    try:
        shape = np.broadcast_shapes(np.shape(mu), np.shape(a)[:-1], np.shape(b)[:-1], np.shape(c))
    except ValueError:
        return float("inf")
    return float(np.prod(shape))


def _old_order(args: tuple) -> bool:
    """True if four positional arguments are the old ``(vec, vec, per-case, mu)`` order.

    The first argument is a vector (last axis 3) in the old order; in the new order it is ``mu``,
    per case. Only a per-case ``mu`` whose last axis is 3 looks like a vector; then the third
    argument decides (a vector ``r2``/``v0`` in the new order) and, if it is one, the reading
    with fewer broadcast cases (a ``tof`` of 3 cases read as a vector multiplies the cases);
    a tie is read as the old order.
    """
    a0, a1, a2, a3 = args
    if not (_is_vector(a0) and _is_vector(a1)):
        return False
    if not _is_vector(a2):
        return True
    return _n_cases(a0, a1, a2, a3) >= _n_cases(a3, a0, a1, a2)


def mu_first(func: F) -> F:
    """Decorator for ``func(mu, a, b, c, *, ...)`` whose old order was ``func(a, b, c, mu, ...)``.

    A positional call in the old order (its first argument a vector, last axis 3; see
    :func:`_old_order` for a per-case ``mu`` whose last axis is 3) is reordered and a
    ``DeprecationWarning`` is emitted. Passing ``mu=`` by keyword is always unambiguous.
    """
    names = list(inspect.signature(func).parameters)[:4]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 4 and _old_order(args):
            # old: (vec, vec, per-case, mu); new: (mu, vec, vec, per-case)
            args = (args[3], args[0], args[1], args[2])
        elif len(args) == 3 and "mu" in kwargs:
            # (r1, r2, tof, mu=...) can only be the old order: mu is no longer the 4th argument
            args = (kwargs.pop("mu"), *args)
        else:
            return func(*args, **kwargs)
        warnings.warn(
            f"{func.__name__}({', '.join(names[1:])}, mu) is deprecated: pass mu first, "
            f"{func.__name__}({', '.join(names)}, ...), as every other kernel (hohmann(mu, r1, r2))",
            DeprecationWarning,
            stacklevel=2,
        )
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
