"""Progress display of the command line: one :mod:`rich` bar per step of a run that can take more
than about a second (a porkchop grid block by block, the ascent solves, the mission budgets, a
sweep's loss-model fit and check, Dask start-up, the sweep's chunks, the analysis and figures).

The library reports progress through plain callables, ``progress(step, done, total)``, called a
few times per step (per porkchop block, per sweep chunk), never per case; :class:`StepBars` turns
those calls into bars. Nothing is drawn when the output is not a terminal (pipes, CI, tests): the
printed output is then exactly the tables and messages.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

__all__ = ["StepBars", "progress_display"]


def progress_display(console: Any, *, transient: bool = True) -> Any:
    """A :class:`rich.progress.Progress` on ``console``: spinner, step, bar, per-task detail
    (``fields["detail"]``, e.g. ``"40,000/200,000 cases 57,000 cases/s ETA 0:00:03"``), elapsed."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                    TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console,
                    transient=transient)


class StepBars:
    """``StepBars(console)`` is a ``progress(step, done, total)`` callable drawing one bar per step.

    Use as a context manager around the work. A step's bar appears at its first call and is removed
    when ``done == total``, so finished steps leave no trace; the sweep's chunk bar (which stays)
    shares the display through :attr:`progress`. Disabled (every call a no-op, nothing started)
    when ``console`` is not a terminal.
    """

    def __init__(self, console: Any, *, transient: bool = True) -> None:
        self.enabled = bool(getattr(console, "is_terminal", False))
        self.progress = progress_display(console, transient=transient) if self.enabled else None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> StepBars:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        """Report ``done`` of ``total`` units of ``step`` (0 of 1 at its start, 1 of 1 at its end)."""
        if self.progress is None:
            return
        task = self._tasks.get(step)
        if task is None:
            task = self._tasks[step] = self.progress.add_task(step, total=max(total, 1), detail="")
        if done >= total:
            self.progress.remove_task(task)
            del self._tasks[step]
            return
        detail = f"{done:,}/{total:,}" if total > 1 else ""
        self.progress.update(task, completed=done, total=max(total, 1), detail=detail)
