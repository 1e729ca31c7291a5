"""Independent cases of one compiled call, split over threads.

The compiled ascent kernels (:mod:`jointmission.core._ascent_kernel`, and the same code in the native
library) release the GIL and treat every case on its own: splitting a call's cases into blocks run
on threads gives the same numbers bit for bit, in less wall time. :func:`split` runs such a call on
a pool of :func:`workers` threads that lives as long as the process (re-created after a ``fork``, and
after :func:`release`, which a caller about to fork uses to end its threads).

The number of threads is ``JOINTMISSION_THREADS`` (an integer >= 1) where set, else two or the
number of cores if fewer (the parallel parts of this package are sized for a two-core laptop; a
sweep that runs one process per core sets it to 1 in its workers).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["workers", "split", "release", "ENV"]

ENV = "JOINTMISSION_THREADS"
"""Environment variable: threads a compiled call may use (an integer >= 1)."""

_POOL: ThreadPoolExecutor | None = None
_POOL_SIZE = 0
_LOCK = threading.Lock()


def workers() -> int:
    """Threads a compiled call may use: ``JOINTMISSION_THREADS`` where it is an integer >= 1, else
    ``min(2, os.cpu_count())``. A malformed value raises ``ValueError`` naming the variable."""
    text = os.environ.get(ENV, "").strip()
    if text:
        try:
            n = int(text)
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(f"{ENV}={text!r}: give a whole number of threads, 1 or more")
        return n
    return _DEFAULT


_DEFAULT = max(1, min(2, os.cpu_count() or 1))  # os.cpu_count() costs ~40 us a call: once per process


def _submit(n: int, call: Callable[[int, int], None], blocks: list[tuple[int, int]]) -> list[Future]:
    """``call(lo, hi)`` of every block submitted to the pool of ``n`` threads (made where there is none
    of that size), under the lock :func:`release` takes."""
    global _POOL, _POOL_SIZE
    with _LOCK:
        if _POOL is None or _POOL_SIZE != n:
            if _POOL is not None:
                _POOL.shutdown(wait=False)
            _POOL, _POOL_SIZE = ThreadPoolExecutor(max_workers=n, thread_name_prefix="jointmission"), n
        return [_POOL.submit(call, lo, hi) for lo, hi in blocks]


def release() -> None:
    """End the pool's threads (after the blocks they run, if any); the next :func:`split` that needs
    the pool makes it again. For a caller about to ``fork`` (Python 3.12+ deprecates forking a process
    with other threads alive): this package's threads are then gone."""
    global _POOL, _POOL_SIZE
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=True)
        _POOL, _POOL_SIZE = None, 0


def _forget_pool() -> None:  # in a forked child the parent's threads do not exist
    global _POOL, _POOL_SIZE
    _POOL, _POOL_SIZE = None, 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def split(call: Callable[[int, int], None], n: int, *, min_block: int = 1, blocks_per_thread: int = 3) -> None:
    """Run ``call(lo, hi)`` over the cases ``[0, n)`` in blocks: on the calling thread in one block
    when one thread is allowed or ``n < 2 * min_block``; else in about ``blocks_per_thread`` blocks
    per thread (at least ``min_block`` cases each; several per thread even out cases of unequal
    cost) on the pool. ``call`` must write only its own cases' outputs. The first exception raised by
    a block is raised here after every block has finished."""
    if n < 2 * min_block:  # one block (asked before the thread count: the usual single-case call)
        call(0, n)
        return
    w = workers()
    if w < 2:
        call(0, n)
        return
    k = max(2, min(w * blocks_per_thread, n // max(min_block, 1)))
    edges = [round(i * n / k) for i in range(k + 1)]
    futures = _submit(w, call, [(lo, hi) for lo, hi in zip(edges[:-1], edges[1:]) if hi > lo])
    errors = [f.exception() for f in futures]
    for e in errors:
        if e is not None:
            raise e
