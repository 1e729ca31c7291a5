"""The native ascent library (ctypes, no numba in the process) runs the same compiled code as numba's
dispatcher: bit-identical outputs; a one-answer process does not import numba; without the native
library the answer is the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ascent_kernel import _cases

import jointmission.core.ascent as ascent_mod
from jointmission.core import _ascent_kernel, _ascent_native, _native

HAVE_CC = shutil.which(os.environ.get("CC", "cc")) is not None


@pytest.fixture(scope="module")
def native():
    lib = _ascent_native.load()
    if lib is None:
        # the native library is optional only where it cannot be built: no C compiler, or switched off
        assert not HAVE_CC or os.environ.get("JOINTMISSION_NATIVE") == "0", "a C compiler is here: the library must build"
        pytest.skip("no native library here (no C compiler or JOINTMISSION_NATIVE=0)")
    return lib


def _inputs(case, switch_phase):
    per_phase = [np.asarray(case[k], dtype=float) for k in ("thrust", "c", "m_start", "m_end", "p_area")]
    per_case = [np.asarray(case[k], dtype=float) for k in ("h_target", "v_rot", "kick_deg", "loft_m_s", "level_frac",
                                                       "top_steering")]
    shape = np.broadcast_shapes(*(a.shape[:-1] for a in per_phase), *(a.shape for a in per_case))
    phases, cases, sp = ascent_mod._packed(per_phase, per_case, shape, switch_phase)
    cases[2] = np.deg2rad(cases[2])
    return phases, cases, sp


@settings(max_examples=25, deadline=None)
@given(_cases(), st.sampled_from([None, 1, 2]))
def test_native_march_is_bit_identical_to_numba(native, case, switch_phase):
    phases, cases, sp = _inputs(case, switch_phase)
    model = ascent_mod._model_args(ascent_mod.GM_EARTH, ascent_mod.R_EARTH, ascent_mod.DEFAULT_COEFFICIENTS)
    a, b = np.full((11, cases.shape[1]), -1.0), np.full((11, cases.shape[1]), -2.0)
    _ascent_kernel.march_cases(*phases, *cases, sp, *model, a)
    native.march_cases(*phases, *cases, sp, *model, b)
    assert np.array_equal(a, b, equal_nan=True)


@settings(max_examples=8, deadline=None)
@given(_cases(), st.sampled_from([None, 2]), st.sampled_from(["optimise_cases", "restart_cases"]))
def test_native_shape_search_is_bit_identical_to_numba(native, case, switch_phase, search):
    """Both searches: the whole one and its second start (``restart_cases``)."""
    phases, cases, sp = _inputs(case, switch_phase)
    cases = cases[[0, 1, 5]]  # h_target, v_rot, top_steering
    c = ascent_mod.DEFAULT_COEFFICIENTS
    model = ascent_mod._model_args(ascent_mod.GM_EARTH, ascent_mod.R_EARTH, c)
    lk = np.log(np.asarray(c.kick_grid_deg, dtype=float))
    grids = (lk, np.exp(lk), np.linspace(0.0, 1.0, 7), np.asarray(c.loft_grid_m_s, dtype=float),
             np.asarray(c.level_grid, dtype=float))
    n = cases.shape[1]
    out_a, out_b = np.zeros((11, n)), np.ones((11, n))
    sh_a, sh_b = np.zeros((3, n)), np.ones((3, n))
    if search == "restart_cases":  # its input: the first search's pitch-over [deg] (NaN: none found)
        sh_a[0] = sh_b[0] = np.where(np.arange(n) % 2 == 0, 2.0, np.nan)
    getattr(_ascent_kernel, search)(*phases, *cases, sp, *model, *grids, sh_a, out_a)
    getattr(native, search)(*phases, *cases, sp, *model, *grids, sh_b, out_b)
    assert np.array_equal(out_a, out_b, equal_nan=True) and np.array_equal(sh_a, sh_b, equal_nan=True)


def test_native_rejects_inconsistent_shapes(native):
    out = np.empty((11, 2))
    ph = np.ones((2, 3))
    with pytest.raises(ValueError, match="inconsistent shapes"):
        native.march_cases(ph, ph, ph, ph, ph[:1], *(np.ones(2),) * 6, -1,
                           *ascent_mod._model_args(3.986e14, 6.378e6, ascent_mod.DEFAULT_COEFFICIENTS), out)


def _answer_in_fresh_process(env_extra: dict) -> dict:
    code = ("import json, sys\nfrom jointmission.vehicles import get_vehicle, payload_to_orbit\n"
            "r = payload_to_orbit(get_vehicle('Saturn V'), 185e3)\n"
            "import jointmission.core.ascent as a\n"
            "print(json.dumps({'payload': float(r.payload_kg), 'numba': 'numba' in sys.modules,"
            " 'kernel': type(a._kernel()).__name__}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **env_extra})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_an_answer_in_a_fresh_process_does_not_import_numba(native):
    """The point of the native library: a one-answer process (the ``payload`` command) loads the
    compiled kernels without numba's ~0.5 s start-up; with ``JOINTMISSION_NATIVE=0`` it runs on
    numba's dispatcher and gives the same payload, bit for bit."""
    fast = _answer_in_fresh_process({})
    assert fast["kernel"] == "NativeAscent" and fast["numba"] is False
    slow = _answer_in_fresh_process({"JOINTMISSION_NATIVE": "0"})
    assert slow["kernel"] == "module" and slow["numba"] is True
    assert fast["payload"] == slow["payload"]


def test_a_failed_build_falls_back_and_is_not_retried(tmp_path, monkeypatch):
    """No working C compiler: ``library`` returns None (the caller uses numba), records the failure
    next to where the library would be, and a later process does not try again."""
    from numba import cfunc, types

    @cfunc(types.float64(types.float64))
    def twice(x):  # pragma: no cover - compiled
        return 2.0 * x

    src = tmp_path / "kernel.py"
    src.write_text("# a kernel source\n")
    monkeypatch.setenv("CC", "false")  # a 'compiler' that always fails
    monkeypatch.setattr(_native, "_LOADED", {})
    calls = []

    def build():
        calls.append(1)
        return {"jm_twice": twice}

    assert _native.library("probe", tmp_path, [src], build) is None
    assert calls == [1] and list((tmp_path / "__pycache__").glob("probe-*.failed"))
    monkeypatch.setattr(_native, "_LOADED", {})
    assert _native.library("probe", tmp_path, [src], build) is None
    assert calls == [1]


@pytest.mark.skipif(not HAVE_CC, reason="needs a C compiler")
def test_a_library_is_built_loaded_and_rebuilt_after_an_edit(tmp_path, monkeypatch):
    from numba import cfunc, types

    @cfunc(types.float64(types.float64))
    def twice(x):  # pragma: no cover - compiled
        return 2.0 * x

    src = tmp_path / "kernel.py"
    src.write_text("# version 1\n")
    monkeypatch.setattr(_native, "_LOADED", {})
    lib = _native.library("probe", tmp_path, [src], lambda: {"jm_twice": twice})
    import ctypes

    fn = lib.jm_twice
    fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double]
    assert fn(21.0) == 42.0
    assert len(list((tmp_path / "__pycache__").glob("probe-*.so"))) == 1
    src.write_text("# version 2\n")
    monkeypatch.setattr(_native, "_LOADED", {})
    assert _native.library("probe", tmp_path, [src], lambda: {"jm_twice": twice}) is not None
    assert len(list((tmp_path / "__pycache__").glob("probe-*.so"))) == 2


@pytest.mark.skipif(not HAVE_CC, reason="needs a C compiler")
def test_a_kernel_that_allocates_is_not_built_and_falls_back(tmp_path, monkeypatch):
    """A kernel that allocates an array calls numba's runtime on its normal path; weakened, that
    call would be a null call (a crash). Such a kernel is refused at build time: ``library``
    returns None (numba's dispatcher is used) and the reason is recorded."""
    from numba import carray, cfunc, types

    @cfunc(types.float64(types.CPointer(types.float64), types.intp), error_model="numpy")
    def total(p, n):  # pragma: no cover - compiled
        a = carray(p, (n,))
        b = np.empty(n)  # an allocation: NRT_MemInfo_alloc...
        b[:] = a
        return b.sum()

    src = tmp_path / "kernel.py"
    src.write_text("# an allocating kernel\n")
    monkeypatch.setattr(_native, "_LOADED", {})
    assert _native.library("alloc", tmp_path, [src], lambda: {"jm_total": total}) is None
    failed = list((tmp_path / "__pycache__").glob("alloc-*.failed"))
    assert failed and "allocates through numba's runtime" in failed[0].read_text()
    assert not list((tmp_path / "__pycache__").glob("alloc-*.so"))
