"""Compiled kernels as a native shared library, loaded with ctypes: no numba at start-up.

numba's own cache still makes every process import numba (~0.3 s) and build its typing and target
contexts (~0.15 s) before it can load a cached function: most of a one-answer command's time. So
the kernels that a quick answer needs are also built once as a plain shared library:

1. numba compiles C-callable entry points (``cfunc``) of the same compiled functions;
2. their LLVM modules are emitted as position-independent object code for this machine's CPU (the
   code numba would run: same optimised IR, same CPU features), each entry point renamed to its
   plain C name and every other function made internal; the references numba keeps for error
   paths the entry points never take (its runtime's reference counting and exception helpers,
   Python's C API) become weak, so the library needs nothing but libm;
3. the system C compiler links the objects into ``<name>-<key>.so`` (``CC``, default ``cc``),
   written under a temporary name and renamed (concurrent builders never see a partial file).

Later processes find the library by its key and load it with :mod:`ctypes`: ~1 ms, numba not
imported. The key hashes the kernels' source files, the numba and llvmlite installations, the
CPU (model and feature flags) and the platform, so an edit, an upgrade or another machine sharing
the folder builds anew. The library lives next to the kernels in ``__pycache__`` if writable,
else in ``$NUMBA_CACHE_DIR`` or the user cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``)
under ``jointmission``. Without a C compiler, a writable folder, or with
``JOINTMISSION_NATIVE=0``, :func:`library` returns None and callers use numba's dispatcher (the
same compiled code, numba loaded); a failed build is remembered (``.failed`` file) so it is not
retried by every process.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["library"]

_LOADED: dict[str, ctypes.CDLL | None] = {}


def _install_id(package: str) -> str:
    """Where ``package`` is installed and when its ``__init__`` changed (no import)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return f"{package}:none"
    st = os.stat(spec.origin)
    return f"{package}:{spec.origin}:{st.st_mtime_ns}:{st.st_size}"


def _cpu_id() -> str:
    """The CPU model and feature flags (Linux ``/proc/cpuinfo``; elsewhere the platform's name)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            text = fh.read(65536)
    except OSError:
        return platform.processor() or platform.machine()
    keep = []
    for line in text.splitlines():
        if line.startswith(("model name", "flags", "Features", "CPU implementer", "CPU part")):
            keep.append(line)
        elif not line.strip() and keep:
            break  # the first processor's block is enough
    return "\n".join(keep)


def _key(sources: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for src in sources:
        h.update(Path(src).read_bytes())
    for part in (_install_id("numba"), _install_id("llvmlite"), _cpu_id(), sys.platform, platform.machine(),
                 sys.implementation.cache_tag or ""):
        h.update(part.encode())
    return h.hexdigest()[:20]


def _folders(home: Path) -> list[Path]:
    """Where a library may live, in order: ``home/__pycache__``, ``$NUMBA_CACHE_DIR/jointmission``,
    the user cache folder."""
    out = [home / "__pycache__"]
    if os.environ.get("NUMBA_CACHE_DIR"):
        out.append(Path(os.environ["NUMBA_CACHE_DIR"]) / "jointmission")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    out.append(Path(base) / "jointmission")
    return out


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _compiler() -> str | None:
    return shutil.which(os.environ.get("CC", "cc"))


def library(name: str, home: Path, sources: Sequence[Path], build: Callable[[], dict]) -> ctypes.CDLL | None:
    """The native library ``name`` (cached per process), built on first need.

    ``home`` is the folder of the kernels' sources (its ``__pycache__`` is the first place
    searched), ``sources`` the files whose content the library is built from (any edit rebuilds
    it), ``build()`` returns the numba ``cfunc`` objects to include, by C name. Returns None where
    no library can be had (see the module docstring): the caller then uses numba's dispatcher."""
    if name in _LOADED:
        return _LOADED[name]
    lib = None
    if os.environ.get("JOINTMISSION_NATIVE", "1") != "0":
        lib = _find_or_build(name, home, sources, build)
    _LOADED[name] = lib
    return lib


def _find_or_build(name: str, home: Path, sources: Sequence[Path], build: Callable[[], dict]) -> ctypes.CDLL | None:
    try:
        key = _key(sources)
    except OSError:
        return None
    fname = f"{name}-{key}.so"
    folders = _folders(home)
    for folder in folders:
        path = folder / fname
        if path.is_file():
            try:
                return ctypes.CDLL(str(path))
            except OSError:
                continue  # unreadable or foreign: try the next folder, or rebuild
        if (folder / f"{name}-{key}.failed").is_file():
            return None
    cc = _compiler()
    target = next((f for f in folders if _writable(f)), None)
    if cc is None or target is None:
        return None
    try:
        _build(target / fname, cc, build())
        return ctypes.CDLL(str(target / fname))
    except Exception as exc:  # noqa: BLE001 - any failure: fall back to numba, and remember it
        try:
            (target / f"{name}-{key}.failed").write_text(f"{type(exc).__name__}: {exc}\n")
        except OSError:
            pass
        return None


_RUNTIME_PREFIXES = ("NRT_", "numba_", "Py", "_Py")
"""Symbols of numba's runtime and of Python's C API that numba's generated code references on paths
the entry points never take (reference counting of arrays they do not own, raising exceptions):
made weak, so the library loads without them. Any other undefined symbol (libm's) stays strong:
if the system cannot provide it, loading fails and the caller falls back to numba."""


_ALLOCATORS = ("NRT_MemInfo_alloc", "NRT_MemInfo_new", "NRT_Allocate", "NRT_MemInfo_varsize")
"""numba runtime functions that a kernel which allocates arrays calls on its normal path. Weakened
they would be null calls (a crash), so a kernel referencing one is not built: the build fails, is
remembered, and the caller uses numba's dispatcher."""


def _numba_opt() -> int:
    from numba.core import config

    return int(config.OPT)


def _build(path: Path, cc: str, entry_points: dict) -> None:
    """Emit the ``cfunc`` objects ``entry_points`` (C name -> cfunc) as PIC object code for this
    CPU and link them into the shared library ``path`` (atomically)."""
    import llvmlite.binding as ll

    tm = None
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        objs = []
        for cname, cf in entry_points.items():
            mod = ll.parse_assembly(cf._library.get_llvm_str())
            wrapper = cf.native_name
            for fn in mod.functions:
                if fn.is_declaration:
                    if fn.name.startswith(_ALLOCATORS):
                        raise RuntimeError(f"{cname} allocates through numba's runtime ({fn.name}): it cannot "
                                           "run without numba; the dispatcher is used")
                    if fn.name.startswith(_RUNTIME_PREFIXES):
                        fn.linkage = "external_weak"  # numba runtime / error paths: never called
                elif fn.name == wrapper:
                    fn.name = cname
                else:
                    fn.linkage = "internal"
            for gv in mod.global_variables:
                if gv.is_declaration:
                    if gv.name.startswith(_RUNTIME_PREFIXES):
                        gv.linkage = "external_weak"
                elif gv.linkage.name not in ("internal", "private"):
                    gv.linkage = "internal"
            mod.verify()
            if tm is None:
                # numba's JIT target for this machine (CPU, features, optimisation level), as PIC
                cg = cf._library.codegen
                tm = ll.Target.from_triple(mod.triple).create_target_machine(
                    cpu=cg._get_host_cpu_name(), features=cg._tm_features, opt=_numba_opt(), reloc="pic", codemodel="default")
            obj = Path(tmp) / f"{cname}.o"
            obj.write_bytes(tm.emit_object(mod))
            objs.append(str(obj))
        part = Path(tmp) / path.name
        subprocess.run([cc, "-shared", "-o", str(part), *objs, "-lm"], check=True, capture_output=True, timeout=120)
        os.replace(part, path)
