"""The shipped scenario files (the repository's ``scenarios/`` tree), for a user who installed the
package with pip and has no clone: :func:`copy_examples` writes them into a folder of their own.

The files travel in the package as ``jointmission/_examples/`` (in the source tree a symbolic link to
``../../scenarios``, so an editable install reads the repository's own files; in a wheel a copy) and
are read with :mod:`importlib.resources`, so they are found wherever the package is installed.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

__all__ = ["ExamplesError", "copy_examples", "example_files"]

_PACKAGE = "jointmission"
_FOLDER = "_examples"


class ExamplesError(Exception):
    """The shipped scenarios cannot be copied where asked (a file, a folder that is not empty, or the
    package was installed without them). The message says what to do instead."""


def _root() -> Traversable:
    root = files(_PACKAGE) / _FOLDER
    if not root.is_dir():
        raise ExamplesError(
            f"the shipped scenarios are missing from this installation of {_PACKAGE} "
            f"(no {_PACKAGE}/{_FOLDER}/ folder); reinstall the package, or use the scenarios/ folder "
            "of a clone of the repository")
    return root


def _walk(node: Traversable, rel: PurePosixPath) -> list[tuple[PurePosixPath, Traversable]]:
    out: list[tuple[PurePosixPath, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda t: t.name):
        if child.name.startswith((".", "__")):  # .DS_Store, __pycache__, editor files
            continue
        if child.is_dir():
            out += _walk(child, rel / child.name)
        elif child.is_file():
            out.append((rel / child.name, child))
    return out


def example_files() -> list[str]:
    """Relative paths (``/``-separated, sorted) of the shipped scenario files, e.g.
    ``"joint_heavy_lift.yaml"``, ``"mars/joint_heavy_mars_2031.yaml"``."""
    return [str(rel) for rel, _ in _walk(_root(), PurePosixPath())]


def copy_examples(dest: str | Path) -> list[Path]:
    """Copy the shipped scenarios into the folder ``dest`` (created with its parents if missing)
    and return the paths of the files written, in the order of :func:`example_files`.

    The layout is the repository's ``scenarios/`` tree, so relative ``vehicle: {file: ...}``
    references keep working (``jointmission run DEST/joint_heavy_lift.yaml``). ``dest`` must not
    exist or be an empty folder: nothing is ever overwritten, and a folder that already holds
    anything is refused with :class:`ExamplesError` (copy into a new folder instead).
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ExamplesError(f"{dest} exists and is not a folder; give a new or empty folder to copy "
                            "the example scenarios into")
    if dest.is_dir() and any(dest.iterdir()):
        raise ExamplesError(f"{dest} is not empty; the example scenarios are copied only into a new or "
                            "empty folder (nothing is overwritten): give another folder")
    sources = _walk(_root(), PurePosixPath())
    try:
        dest.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for rel, src in sources:
            target = dest.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as fh:  # "x": never overwrite, even a file created meanwhile
                fh.write(src.read_bytes())
            written.append(target)
    except FileExistsError as exc:
        raise ExamplesError(f"{exc.filename} appeared while copying the example scenarios into "
                            f"{dest}; not overwritten (copy into a new folder instead)") from None
    except OSError as exc:
        raise ExamplesError(f"cannot copy the example scenarios into {dest}: "
                            f"{exc.strerror or exc} ({exc.filename or dest})") from None
    return written
