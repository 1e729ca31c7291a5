"""Date windows of interplanetary transfers: a window as a user writes it (``"START:END"``, a pair of
dates, explicit epochs) read into Julian dates (TDB), sampled on a step (:func:`date_grid`), its end
(:func:`window_end`), the size bound of a porkchop grid, and steps and times of flight in days."""

from __future__ import annotations

import math
import re
from typing import Any, Sequence, TypeAlias, Union

import numpy as np
from numpy.typing import NDArray

from . import ephemeris as eph
from .errors import TransferError

__all__ = ["DateWindow", "WINDOW_PATTERN", "MAX_GRID_POINTS", "DAY_S", "date_grid", "window_end", "check_grid_size"]

DAY_S = 86400.0
"""Seconds in a day."""

DateWindow: TypeAlias = Union[str, Sequence[Any], NDArray[Any]]
"""A date window as :func:`date_grid` takes it: ``(start, end)`` (dates, astropy Time or JD TDB),
``"START:END"``, or explicit epochs (an array of JD TDB, or a list of more than two dates)."""

MAX_GRID_POINTS = 4_000_000
"""Most departure x arrival points one porkchop grid may have (~1 GB peak with its NetCDF file and
figure); a larger grid is refused with a :class:`TransferError` before anything is allocated."""

WINDOW_PATTERN = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?)\s*(?::|\.\.)\s*(\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?)\s*$")
"""A date window written as text, ``START:END`` or ``START..END`` (ISO dates, optionally with a time
after ``T`` or a space); groups 1 and 2 are the two dates. Also used by the scenario schema."""


def date_grid(window: Any, step_days: float) -> np.ndarray:
    """Julian dates (TDB) of a window every ``step_days`` [d] (end included when on the grid; a window
    shorter than the step is sampled at its start and end).

    ``window`` is ``(start, end)`` (dates, astropy Time or JD TDB numbers), a string
    ``"2026-09-01:2027-01-31"`` (or ``START..END``), or explicit epochs: a numpy array of JD TDB, or
    a list of more than two dates.

    Raises :class:`TransferError` for an empty or reversed window or a step <= 0.
    """
    if not (step_days > 0 and math.isfinite(step_days)):
        raise TransferError(f"the date step must be a positive number of days, got {step_days!r}")
    jd, pair = _window_dates(window)
    if pair:
        start, end = _span(jd)
        # 1e-6 of a step: UTC -> TDB moves a date by up to ~4e-8 d over a window (the periodic TDB - TT
        # term), so a window of whole steps in UTC can be a hair short of them in TDB; its end is still a step
        n = math.floor((end - start) / step_days + 1e-6) + 1
        _check_size(n, f"the window {_window_text(window)} sampled every {step_days:g} d has {_count(n)} dates")
        if n == 1 and end > start:  # a window shorter than the step: both ends (its start alone would be
            return np.array([start, end])  # the only date an optimum could be found at)
        return start + step_days * np.arange(n)
    return jd


def _window_dates(window: Any) -> tuple[np.ndarray, bool]:
    """The dates [JD TDB] of a window as :func:`date_grid` takes it, and whether they are a
    ``(start, end)`` pair (else explicit epochs). :class:`TransferError` for text that is no window, a
    tuple of more than two dates, dates outside the ephemeris or no date at all."""
    if isinstance(window, np.ndarray) and window.dtype.kind in "iuf":
        return np.atleast_1d(window.astype(float)), False  # explicit epochs (JD TDB)
    if isinstance(window, str):
        m = WINDOW_PATTERN.match(window)
        if not m:
            raise TransferError(f"'{window}' is not a date window; write it like '2026-09-01:2027-01-31'")
        window = (m.group(1), m.group(2))
    if isinstance(window, tuple) and len(window) > 2:
        raise TransferError(f"a date window is a (start, end) pair, got a tuple of {len(window)} dates; "
                            "give explicit epochs as a list or a numpy array")
    try:
        jd = np.atleast_1d(eph.to_jd_tdb(list(window) if isinstance(window, tuple) else window))
        eph.check_epochs(jd)
    except eph.EphemerisError as exc:
        raise TransferError(str(exc)) from None
    if jd.ndim != 1 or jd.size == 0:
        raise TransferError("a date window needs a start and an end date")
    return jd, isinstance(window, tuple) or jd.size == 2


def _span(jd: np.ndarray) -> tuple[float, float]:
    start, end = float(jd[0]), float(jd[-1])
    if end < start:
        raise TransferError("the window ends before it starts; swap the two dates")
    return start, end


def window_end(window: Any) -> float | None:
    """The last date [JD TDB] of a date window as :func:`date_grid` takes it (``None`` for explicit
    epochs: a numpy array of JD, or a list of more than two dates). The grid's last date lies on the
    step and may fall before it; an optimum of the window may lie between the two."""
    jd, pair = _window_dates(window)
    return _span(jd)[1] if pair else None


def _window_text(window: Any) -> str:
    return ":".join(str(w) for w in window) if isinstance(window, tuple) else str(window)


def _count(n: float) -> str:
    return f"{n:,.0f}" if n < 1e12 else f"{n:.2g}"


def _check_size(n: float, what: str) -> None:
    """Refuse a grid of more than :data:`MAX_GRID_POINTS` points (``what`` says which)."""
    if n > MAX_GRID_POINTS:
        raise TransferError(f"{what}; a porkchop grid may have at most {MAX_GRID_POINTS:,} points "
                            "(about 1 GB of memory): use a larger step or shorter windows")


def check_grid_size(n_depart: int, n_arrive: int) -> None:
    """Raise :class:`TransferError` if ``n_depart x n_arrive`` exceeds :data:`MAX_GRID_POINTS`."""
    _check_size(n_depart * n_arrive, f"the grid would have {n_depart:,} departure x {n_arrive:,} arrival dates "
                                     f"= {_count(n_depart * n_arrive)} points")


def _days(value: Any, name: str) -> Any:
    """A step or time of flight in days: a plain number unchanged, an astropy time Quantity or text
    with its unit (``"12 h"``) converted to days (:class:`~jointmission.units.UnitError` for another
    dimension or text without a unit, naming the argument)."""
    if not (hasattr(value, "unit") or isinstance(value, (str, bool, np.bool_))):
        return value
    from ..units import UnitError, as_si

    try:
        return as_si(value, "time", name) / DAY_S
    except UnitError as exc:
        if "without a unit" in str(exc):  # a plain number here is days, not s
            raise UnitError(f"argument '{name}': {value!r} is text without a unit; give the number of days itself "
                            f"or write its unit, e.g. '{value.strip()} d'") from None
        raise


def _steps_days(step_days: Any, arrive_step_days: Any, tof_days: Any) -> tuple[Any, Any, Any]:
    """``step_days``, ``arrive_step_days`` and the ``tof_days`` pair in days (see :func:`_days`);
    :class:`TransferError` unless ``tof_days`` is None or two finite days ``0 < min < max``."""
    if tof_days is not None:
        items = np.ravel(tof_days) if hasattr(tof_days, "unit") else tof_days
        if isinstance(items, (str, bytes)) or not hasattr(items, "__len__") or len(items) != 2:
            raise TransferError(f"tof_days must be a (min, max) pair of times of flight in days, got {tof_days!r}")
        tof_days = tuple(_days(t, "tof_days") for t in items)
        try:
            ok = all(math.isfinite(float(t)) for t in tof_days) and 0 < float(tof_days[0]) < float(tof_days[1])
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise TransferError(f"tof_days must be (min, max) with 0 < min < max, finite, in days, got {tof_days!r}")
    return (_days(step_days, "step_days"), None if arrive_step_days is None else
            _days(arrive_step_days, "arrive_step_days"), tof_days)
