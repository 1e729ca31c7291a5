"""Cases of a compiled call split over threads (jointmission.core._threads): every case once, the
same numbers bit for bit as one thread, errors raised, the thread count from the environment."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from jointmission.core import _threads
from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit


def test_split_covers_every_case_once_in_blocks_on_threads(monkeypatch):
    monkeypatch.setenv(_threads.ENV, "2")
    seen = np.zeros(50, int)
    names = set()

    def call(lo, hi):
        seen[lo:hi] += 1
        names.add(threading.current_thread().name)

    _threads.split(call, 50)
    assert (seen == 1).all()
    assert any(n.startswith("jointmission") for n in names)  # the pool ran blocks


@pytest.mark.parametrize("n, min_block, one_call", [(1, 1, True), (31, 16, True), (32, 16, False)])
def test_small_calls_stay_on_the_calling_thread(monkeypatch, n, min_block, one_call):
    monkeypatch.setenv(_threads.ENV, "2")
    calls = []
    _threads.split(lambda lo, hi: calls.append((lo, hi, threading.current_thread() is threading.main_thread())), n,
                   min_block=min_block)
    assert (calls == [(0, n, True)]) is one_call
    assert sum(hi - lo for lo, hi, _ in calls) == n
    assert all(hi - lo >= min_block for lo, hi, _ in calls)


def test_one_thread_when_asked(monkeypatch):
    monkeypatch.setenv(_threads.ENV, "1")
    calls = []
    _threads.split(lambda lo, hi: calls.append((lo, hi)), 100)
    assert calls == [(0, 100)]


def test_an_error_in_a_block_is_raised_after_all_blocks(monkeypatch):
    monkeypatch.setenv(_threads.ENV, "2")
    done = []

    def call(lo, hi):
        done.append(lo)
        if lo == 0:
            raise RuntimeError("block 0 failed")

    with pytest.raises(RuntimeError, match="block 0 failed"):
        _threads.split(call, 12)
    assert len(done) == 6  # 2 threads x 3 blocks, all run


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5"])
def test_a_malformed_thread_count_names_the_variable(monkeypatch, text):
    monkeypatch.setenv(_threads.ENV, text)
    with pytest.raises(ValueError, match="JOINTMISSION_THREADS"):
        _threads.workers()


def test_default_is_two_threads_or_the_cores(monkeypatch):
    monkeypatch.delenv(_threads.ENV, raising=False)
    assert 1 <= _threads.workers() <= 2


def _curves():
    v = get_vehicle("Atlas V 551")  # boosters, a fairing drop, explicit top-stage steering in the search
    alt = payload_to_orbit(v, np.linspace(200e3, 1400e3, 9))
    c3 = payload_to_c3(v, np.linspace(-2e6, 40e6, 7))
    return [np.concatenate([np.ravel(getattr(r, k)) for r in (alt, c3)])
            for k in ("payload_kg", "kick_deg", "loft_m_s", "level_frac", "top_load", "dv_gravity", "dv_steering")]


def test_threads_give_the_same_answers_bit_for_bit(monkeypatch):
    """The shape searches and marches of a curve on two threads equal those on one: each case's
    search is independent of the others (its scratch and checkpoints are cleared per case)."""
    monkeypatch.setenv(_threads.ENV, "1")
    one = _curves()
    monkeypatch.setenv(_threads.ENV, "2")
    two = _curves()
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)


def test_release_ends_the_pool_and_the_next_split_makes_it_again(monkeypatch):
    def pool_threads():
        return [t for t in threading.enumerate() if t.name.startswith("jointmission")]

    monkeypatch.setenv(_threads.ENV, "2")
    _threads.split(lambda lo, hi: None, 8)
    assert pool_threads()
    _threads.release()
    assert not pool_threads()
    _threads.release()  # twice: nothing to end
    out = []
    _threads.split(lambda lo, hi: out.append((lo, hi)), 8)
    assert pool_threads()
    assert sorted(out)[0][0] == 0 and sorted(out)[-1][1] == 8 and sum(hi - lo for lo, hi in out) == 8
