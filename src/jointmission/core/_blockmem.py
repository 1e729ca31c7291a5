"""Keep the memory of freed block temporaries with the allocator, instead of returning it to the
system after every block (where the next block faults every page in again).

Array code that walks a large problem block by block (the Lambert array solver, a porkchop grid)
allocates and frees the same few megabytes of temporaries per block. glibc's ``malloc`` serves
requests above its *mmap threshold* (128 KiB at start-up) with fresh ``mmap`` mappings and trims
the heap top once more than the *trim threshold* (2x the mmap threshold) is free: either way the
block's memory goes back to the kernel when it is freed, and the next block takes one page fault
per 4 KiB to get it back (a fresh 1000 x 1000 porkchop on the array path: ~120 000 faults, half
its CPU time). glibc raises both thresholds by itself the first time a mapped block is freed, to
that block's size (``mallopt(3)``, "M_MMAP_THRESHOLD ... dynamic adjustment"; up to 32 MiB on
64-bit systems) -- which a long-running numpy program reaches anyway after freeing its first large
array. :func:`keep_freed_blocks` makes that happen before the first block rather than never: it
allocates and frees one buffer of the working-set size. Nothing else changes (no ``mallopt``
setting is made, a later larger free still adjusts the thresholds); on other allocators it is one
short-lived allocation.
"""

from __future__ import annotations

import numpy as np

__all__ = ["keep_freed_blocks"]

_DONE = [0]

_LIMIT = 32 << 20
"""glibc's largest dynamic mmap threshold on 64-bit systems (``DEFAULT_MMAP_THRESHOLD_MAX``)."""


def keep_freed_blocks(nbytes: int = 16 << 20) -> None:
    """Allocate and free one ``nbytes`` [bytes] buffer (at most 32 MiB) so that freed block
    temporaries up to that size stay with ``malloc`` for reuse (see the module docstring). Only
    the first call with a given or smaller size does anything."""
    nbytes = min(int(nbytes), _LIMIT - 4096)
    if nbytes <= _DONE[0]:
        return
    np.empty(nbytes // 8)  # mapped by malloc (above the threshold), unmapped at once: no page touched
    _DONE[0] = nbytes
