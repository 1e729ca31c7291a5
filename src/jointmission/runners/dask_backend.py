"""Dask backend of :func:`jointmission.runners.sweep.run_sweep`: one task per chunk.

``"local:N"`` starts a :class:`dask.distributed.LocalCluster` of ``N`` single-threaded worker
*processes* listening on loopback (127.0.0.1) only; ``"tcp://HOST:PORT"`` connects to an existing
scheduler (started by ``dask scheduler`` / ``dask worker``, dask-jobqueue or dask-kubernetes); a
connected :class:`dask.distributed.Client` is used as is.

The plan (vehicle base, targets, fitted loss model; a few kB) is scattered to every worker once;
each task computes one chunk and writes it (temporary name + rename) into the output folder, which
therefore must be on a file system the workers share with the client (local disk for a LocalCluster;
NFS/Lustre/a shared volume on a cluster). Tasks return only the manifest entry; the client records
entries as tasks complete, so a killed client leaves a resumable folder. Chunk results depend only
on ``(plan, chunk index)``, so they are identical to the local backend's.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

__all__ = ["open_client", "run_chunks", "parse_dask_spec"]


def parse_dask_spec(spec: str) -> tuple[str, Any]:
    """``"local:N"`` -> ``("local", N)``; ``"tcp://host:port"`` -> ``("address", spec)``.

    Raises ``ValueError`` with a hint for anything else.
    """
    s = str(spec).strip()
    if s.startswith("local:"):
        n = s.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise ValueError(f"--dask {s}: expected local:N with N >= 1 workers, e.g. local:2")
        most = max(4, 2 * (os.cpu_count() or 1))  # each worker process holds a chunk in memory
        if int(n) > most:
            raise ValueError(f"--dask {s}: at most local:{most} on this machine ({os.cpu_count()} cores); more worker "
                             "processes add memory (one chunk each), not speed")
        return "local", int(n)
    if s.startswith(("tls://", "ucx://", "ws://", "wss://", "inproc://")):
        raise ValueError(f"--dask '{s}': only 'tcp://HOST:PORT' schedulers are supported from the command line "
                         "(a TLS scheduler needs certificates: from Python, connect a distributed.Client with "
                         "security=... and pass it as run_sweep(..., dask=client))")
    if s.startswith("tcp://"):
        host, _, port = s[6:].rpartition(":")
        if host and port.isdigit() and 0 < int(port) < 65536:
            return "address", s
        raise ValueError(f"--dask '{s}': expected 'tcp://HOST:PORT' with a port number, e.g. tcp://10.0.0.5:8786")
    raise ValueError(f"--dask '{s}': expected 'local:N' (a local cluster of N worker processes) or "
                     "'tcp://HOST:PORT' (an existing Dask scheduler)")


def open_client(spec: str, *, processes: bool = True):
    """Return ``(client, cluster_or_None)`` for a ``--dask`` spec (see :func:`parse_dask_spec`)."""
    from dask.distributed import Client, LocalCluster

    try:
        kind, arg = parse_dask_spec(spec)
    except ValueError as exc:
        from .errors import SweepError

        raise SweepError(str(exc)) from None
    if kind == "local":
        import dask

        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers; that disables glibc's dynamic
        # mmap threshold, so every large numpy temporary is a fresh mmap + page faults: chunk
        # evaluation ran ~3x slower on a worker than in this process. Unset it (None = unset).
        # One worker process per core: each runs its compiled calls on one thread.
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                              "distributed.nanny.pre-spawn-environ.JOINTMISSION_THREADS": "1"}):
            cluster = LocalCluster(n_workers=arg, threads_per_worker=1, processes=processes, host="127.0.0.1",
                                   dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster
    try:
        return Client(arg, timeout="15s"), None
    except (OSError, TimeoutError) as exc:
        from .errors import SweepError

        raise SweepError(f"--dask {arg}: cannot connect to the scheduler ({exc})") from None


def run_chunks(dask: Any, plan, todo: list[int], out_dir: str, record: Callable[[dict], None],
               compute: Callable[[Any, int, str], dict],
               started: Callable[[], None] | None = None) -> tuple[str, float]:
    """Compute chunks ``todo`` on Dask with ``compute(plan, c, out_dir)`` (the sweep's chunk function,
    passed in so that this backend does not import the sweep); call ``record(entry)`` as each completes. Returns a label
    of the backend (for the summary) and the seconds spent starting/connecting to the cluster.
    ``started()``, if given, is called once the cluster is up."""
    import time

    t0 = time.perf_counter()
    from dask.distributed import Client, as_completed

    own = None
    if isinstance(dask, Client):
        client = dask
    else:
        client, own = open_client(dask)
    try:
        n_workers = len(client.scheduler_info().get("workers", {}))
        label = f"dask ({n_workers} workers, {client.scheduler.address})"
        startup = time.perf_counter() - t0
        if started is not None:
            started()
        if not todo:
            return label, startup
        plan_f = client.scatter(plan, broadcast=True)
        futures = [client.submit(compute, plan_f, c, out_dir, pure=False, key=f"sweep-chunk-{c}-{plan.fingerprint[:12]}")
                   for c in todo]
        for fut in as_completed(futures):
            record(fut.result())
        return label, startup
    finally:
        if own is not None or not isinstance(dask, Client):
            client.close()
            if own is not None:
                own.close()
