"""Render report figures in a second process while this one goes on: the run's wall time on two cores.

A run's report draws six figures with matplotlib (~1.5 s of CPU, most of it text layout and
rasterising) and solves the payload curves of its vehicles (~0.5 s) -- work that depends only on
the run's results, one figure independent of the next. :class:`Deferred` starts such a function
in a child process made with :func:`os.fork` (the child has every module and every result of the
run already in memory: nothing is pickled on the way in) and returns its value, pickled through
a pipe, when :meth:`Deferred.result` is called; meanwhile this process draws the other figures
and writes the tables.

The child only computes: it writes no file (this process writes every output, atomically, as
before), its standard streams go to ``os.devnull`` and it leaves with :func:`os._exit` (no
``atexit`` handler, no buffer of this process flushed twice). The value is the one the function
returns in this process -- the same PNG bytes -- and whenever the child cannot be used the function
simply runs here when its value is asked for: no ``fork`` (not Linux), a single core, Python 3.12+
with threads alive other than this package's idle thread pool (ended before a fork; ``fork`` with
threads is deprecated there), ``JOINTMISSION_FIGURE_WORKER=0``
in the environment, or a child that failed or gave no answer within :data:`WAIT_S` (then the
function runs here, and raises here with its own traceback if it fails). :meth:`Deferred.close`
ends a child whose value is no longer wanted (the run failed).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..core import _threads

__all__ = ["Deferred", "worker_available", "ENV_SWITCH"]

T = TypeVar("T")

ENV_SWITCH = "JOINTMISSION_FIGURE_WORKER"
"""Environment variable: ``0`` draws every figure in the run's own process."""

WAIT_S = 300.0
"""Longest wait for a child's answer [s] (a flagship run's figures take ~1 s): a child that never
answers (stuck) is ended and the function runs here."""


def worker_available() -> bool:
    """Whether :class:`Deferred` forks a child here (see the module notes for when it does not). On
    Python 3.12+ this ends the package's idle thread pool first (see :data:`_FORK_NEEDS_ONE_THREAD`)."""
    if os.environ.get(ENV_SWITCH, "1").strip() == "0":
        return False
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    if len(os.sched_getaffinity(0)) < 2:  # one core: a second process only adds the fork
        return False
    if not _FORK_NEEDS_ONE_THREAD:
        return True
    _threads.release()  # the payload solves' idle threads (made again when next needed)
    return threading.active_count() == 1


_FORK_NEEDS_ONE_THREAD = sys.version_info >= (3, 12)
"""Python 3.12+ deprecates ``fork`` in a process with other threads alive: a child is made there only
when this package's thread pool (:func:`jointmission.core._threads.release`, ended first) was the
only other thread."""


class Deferred(Generic[T]):
    """``fn(*args)``, computed in a forked child from now on (or here, on :meth:`result`, where no
    child can be used). ``fn``'s value must pickle (a :class:`~.figures.FigureImage`, a dict of
    them, ``None``)."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._pid: int | None = None  # the child, until it is reaped
        self._fd = -1
        self.forked = False
        """A child computes (or computed) the value."""
        self._done = False
        self._value: Any = None
        if worker_available():
            self._fork()

    def _fork(self) -> None:
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process left: compute here
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: compute, send, leave
            code = 1
            try:
                os.close(r)
                # no garbage collection in a short-lived child: a collection walks (and so writes
                # to) every object inherited from this process, copying their shared pages
                gc.disable()
                gc.freeze()
                sink = open(os.devnull, "w")
                sys.stdout = sys.stderr = sink
                import warnings

                warnings.simplefilter("ignore")
                data = pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as fh:
                    fh.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent computes it again and raises there
                pass
            finally:
                os._exit(code)
        os.close(w)
        self._pid, self._fd, self.forked = pid, r, True

    def result(self) -> T:
        """The value of ``fn(*args)``: the child's (waiting for it), else computed here."""
        if self._done:
            return self._value
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                data = _read_all(self._fd, time.monotonic() + WAIT_S)
            except BaseException:  # interrupted while waiting: end the child, then stop
                _end(pid)
                raise
            finally:
                os.close(self._fd)
            if data is None:  # no answer in WAIT_S: end it and compute here
                _end(pid)
            else:
                try:
                    _, status = os.waitpid(pid, 0)
                    ok = os.waitstatus_to_exitcode(status) == 0
                except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): judge by the answer
                    ok = True
                if ok and data:
                    try:  # a child that failed sends nothing; a cut answer does not unpickle
                        self._value, self._done = pickle.loads(data), True
                        return self._value
                    except Exception:  # noqa: BLE001 - compute here instead
                        pass
        self._value, self._done = self._fn(*self._args), True
        return self._value

    def close(self) -> None:
        """End the child if its value was never asked for (nothing is computed here)."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.close(self._fd)
            except OSError:
                pass
            _end(pid)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to ``fd`` until it closes it, or ``None`` at ``deadline``
    (:func:`time.monotonic` seconds)."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid: int) -> None:
    """Kill child ``pid`` if it is still ours and running, and reap it (a child already reaped --
    by us, or by the system where SIGCHLD is ignored -- is not signalled: its number may be reused)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return
    if done:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
