"""The figure worker (report/figure_worker.py): a value computed in a forked child is the value the
function returns here; a failing child means the function runs (and raises) here; an abandoned child
is ended; the switch turns it off. And the run's figures are the same bytes drawn either way."""

from __future__ import annotations

import os
import time

import pytest

from jointmission.report import figure_worker as fw
from jointmission.report.figure_worker import Deferred, worker_available

needs_fork = pytest.mark.skipif(not worker_available(), reason="no fork here (not Linux, one core or threads)")


@needs_fork
def test_value_comes_from_a_child_process() -> None:
    d = Deferred(lambda x: (os.getpid(), x * 2, b"\x00" * 300_000), 21)  # larger than a pipe's buffer
    assert d.forked
    pid, value, blob = d.result()
    assert pid != os.getpid() and value == 42 and len(blob) == 300_000
    assert d.result()[1] == 42  # asked again: the same value, no second child


@needs_fork
def test_a_failing_child_runs_the_function_here_and_raises_here() -> None:
    calls = []

    def fn() -> None:
        calls.append(os.getpid())
        raise ValueError("boom")

    d = Deferred(fn)
    with pytest.raises(ValueError, match="boom"):
        d.result()
    assert calls == [os.getpid()]  # the child's call is not in this process's list; this one is


@needs_fork
def test_close_ends_an_abandoned_child() -> None:
    d = Deferred(time.sleep, 60)
    pid = d._pid
    t = time.perf_counter()
    d.close()
    assert time.perf_counter() - t < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: not our child any more


def test_switch_off_computes_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fw.ENV_SWITCH, "0")
    d = Deferred(os.getpid)
    assert not d.forked and d.result() == os.getpid()


@pytest.mark.slow
@needs_fork
def test_run_figures_are_the_same_bytes_with_and_without_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The flagship: a transfer window, a mission and a programme (every figure, the worker's three included)."""
    from report_helpers import SCENARIOS

    from jointmission.report.run_figures import RunFigures, start_early
    from jointmission.runners.single import evaluate
    from jointmission.scenario import load_scenario

    sc = load_scenario(SCENARIOS / "joint_heavy_lift.yaml")
    result = evaluate(sc)
    with_worker = RunFigures(result, start_early(sc)).images()
    monkeypatch.setenv(fw.ENV_SWITCH, "0")
    here = RunFigures(result).images()
    assert list(with_worker) == list(here) == ["dv_budget", "payload_curves", "mass_waterfall", "landed_mass",
                                                "partners", "porkchop"]
    for name in here:
        assert with_worker[name] == here[name], name


@needs_fork
def test_a_child_that_never_answers_is_ended_and_the_value_computed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fw, "WAIT_S", 0.5)
    here = os.getpid()

    def slow_in_child() -> int:
        if os.getpid() != here:
            time.sleep(60)
        return os.getpid()

    d = Deferred(slow_in_child)
    pid = d._pid
    t = time.perf_counter()
    assert d.result() == here
    assert time.perf_counter() - t < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@needs_fork
def test_children_reaped_elsewhere_still_answer() -> None:
    """A program that ignores SIGCHLD (its children are reaped by the kernel): the answer still counts."""
    import signal

    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        d = Deferred(lambda: (os.getpid(), 7))
        pid, value = d.result()
        assert d.forked and pid != os.getpid() and value == 7
    finally:
        signal.signal(signal.SIGCHLD, old)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2 if hasattr(os, "sched_getaffinity") else True,
                    reason="needs two cores and Linux")
def test_a_child_after_multi_threaded_solves_where_fork_needs_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ``fork`` needs a single thread (Python 3.12+), a report drawn after payload solves that ran
    on the package's thread pool still gets its child: the idle pool is ended first, and the next
    solve makes it again with the same answers."""
    import threading

    import numpy as np

    from jointmission.core import _threads
    from jointmission.vehicles import get_vehicle, payload_to_orbit

    monkeypatch.setenv(_threads.ENV, "2")
    monkeypatch.delenv(fw.ENV_SWITCH, raising=False)
    monkeypatch.setattr(fw, "_FORK_NEEDS_ONE_THREAD", True)
    v, h = get_vehicle("Falcon 9"), np.linspace(200e3, 800e3, 8)
    before = payload_to_orbit(v, h).payload_kg
    assert threading.active_count() > 1  # the pool's threads
    d = Deferred(lambda: os.getpid())
    assert d.forked and d.result() != os.getpid()
    assert threading.active_count() == 1
    assert np.array_equal(payload_to_orbit(v, h).payload_kg, before)
    assert threading.active_count() > 1  # made again
