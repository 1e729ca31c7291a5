"""MkDocs hooks of the jointmission site (named in ``mkdocs.yml``; not part of the package).

- Every page in ``docs/`` that ``nav`` does not name is appended under "More", so a page added by
  anyone is published (and ``--strict`` still catches its broken links).
- The Python API reference (``reference/api/*.md``) is generated from the package tree: one page per
  sub-package, one ``::: module`` block per public module, rendered by mkdocstrings from the
  docstrings.
- ``validation-payloads.md`` and its figure are generated from the data the validation test asserts
  (``tests/validation/test_reference_payloads.py``: the catalog's published figures and the model's
  prediction on each figure's own definition), never typed by hand.
- Links that leave ``docs/`` (``../benchmarks/README.md``) become plain text naming the file in the
  source repository; Sphinx roles left in docstrings (``:func:`x```) render as code.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import logging
import posixpath
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.jointmission")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "jointmission"
PACKAGE = "jointmission"

#: Sub-package (or top-level module group) -> page title, in reading order.
API_PAGES: dict[str, str] = {
    "core": "Core kernels (numpy, SI floats)",
    "interplanetary": "Ephemeris, porkchops and transfers",
    "vehicles": "Engines, vehicles, targets and payload",
    "missions": "Moon and Mars missions",
    "scenario": "Scenario files",
    "runners": "Runs and sweeps",
    "report": "Results folders, reports and figures",
    "io": "Files: atomic writes and sweep chunks",
    "verification": "Verification: the ascent integrator",
    "": "Units, constants and Quantity-aware kernels",
}
#: Not part of the Python API (the command line has its own guide page).
API_SKIP = {"cli"}


# --------------------------------------------------------------------------- nav completeness
def _nav_files(nav: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(nav, str):
        out.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            out |= _nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            out |= _nav_files(value)
    return out


def on_config(config: Any) -> Any:
    """Append every page of ``docs/`` missing from ``nav`` under "More" (sorted by path)."""
    docs = Path(config["docs_dir"])
    listed = _nav_files(config["nav"])
    extra = []
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.suffix not in (".md", ".ipynb") or rel.startswith(("_", ".")) or "/." in rel:
            continue
        if ".ipynb_checkpoints" in rel or rel in listed:
            continue
        extra.append({_title(path): rel})
    if extra:
        config["nav"].append({"More": extra})
    _expand_api_nav(config["nav"])
    return config


def _expand_api_nav(nav: Any) -> None:
    """The nav entry naming ``reference/api/index.md`` becomes a section with every API page."""
    _public_modules()  # registers the page of a sub-package added since this file was written
    pages = [{"Overview": "reference/api/index.md"}] + [
        {title: f"reference/api/{_page_name(group)}.md"} for group, title in API_PAGES.items()]
    if isinstance(nav, list):
        for item in nav:
            _expand_api_nav(item)
    elif isinstance(nav, dict):
        for key, value in nav.items():
            if value == "reference/api/index.md":
                nav[key] = pages
            else:
                _expand_api_nav(value)


def _title(path: Path) -> str:
    if path.suffix == ".md":
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem.replace("-", " ").replace("_", " ").capitalize()


# --------------------------------------------------------------------------- generated pages
def on_files(files: Files, config: Any) -> Files:
    """Add the generated API reference pages and the validation table with its figure."""
    for src_uri, content in _api_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    page, figure = _validation_page()
    files.append(File.generated(config, "validation-payloads.md", content=page))
    files.append(File.generated(config, "validation-payloads.png", content=figure))
    return files


def _public_modules() -> dict[str, list[str]]:
    """Group -> dotted names of the public modules (no leading underscore), in file order."""
    groups: dict[str, list[str]] = {key: [] for key in API_PAGES}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or (parts and parts[0] in API_SKIP):
            continue
        if not parts:  # the package itself: its own page (index)
            continue
        group = parts[0] if (SRC / parts[0]).is_dir() else ""
        if group not in groups:  # a new sub-package: its own page, titled by its docstring
            groups[group] = []
            API_PAGES.setdefault(group, _package_title(group))
        groups[group].append(".".join([PACKAGE, *parts]))
    return groups


def _package_title(group: str) -> str:
    init = SRC / group / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) if init.is_file() else None
    return (doc or group).strip().splitlines()[0].rstrip(".")[:60]


def _page_name(group: str) -> str:
    return group or "units"


def _api_pages() -> dict[str, str]:
    pages: dict[str, str] = {}
    groups = _public_modules()
    for group, title in API_PAGES.items():
        mods = groups[group]
        body = [f"# {title}", ""]
        for mod in mods:
            body += [f"::: {mod}", ""]
        pages[f"reference/api/{_page_name(group)}.md"] = "\n".join(body)
    pages["reference/api/index.md"] = _api_index(groups)
    return pages


def _lazy_names() -> dict[str, tuple[str, str | None]]:
    """``jointmission._LAZY`` read from the source (the façade's public names)."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_LAZY":
            return ast.literal_eval(node.value)
    raise RuntimeError("jointmission/__init__.py has no _LAZY table")


def _defining(module: str, attr: str | None) -> tuple[str, str | None]:
    """Where a façade name is documented: on the module that defines it. A package that re-exports
    a name (eagerly or through a lazy module ``__getattr__``) has no anchor for it, and the
    Quantity-accepting wrappers of :mod:`jointmission.public` are documented on the kernel they wrap."""
    if attr is None:
        return module, attr
    import importlib

    obj = getattr(importlib.import_module(module), attr)
    inner = getattr(obj, "__wrapped__", obj)
    home, qualname = getattr(inner, "__module__", None), getattr(inner, "__qualname__", None)
    if isinstance(home, str) and home.startswith(PACKAGE) and isinstance(qualname, str):
        return home, qualname
    return module, attr


def _api_index(groups: dict[str, list[str]]) -> str:
    page_of = {mod: _page_name(g) for g, mods in groups.items() for mod in mods}
    doc = ast.get_docstring(ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))) or ""
    lines = [
        "# Python API",
        "",
        "`import jointmission as jm` gives every name below; each is imported on first use, so the "
        "import itself is light. The table says where each name is documented. Kernels take and "
        "return SI floats (numpy arrays that broadcast over cases); the `jm.*` kernel names also "
        "accept astropy Quantities.",
        "",
        "| `jm.` name | defined in |",
        "| --- | --- |",
    ]
    for name, (module, attr) in sorted(_lazy_names().items(), key=lambda kv: kv[0].lower()):
        module, attr = _defining(module, attr)
        page = page_of.get(module)
        target = module if attr is None else f"{module}.{attr}"
        where = f"[`{target}`]({page}.md#{target})" if page else f"`{target}`"
        lines.append(f"| `{name}` | {where} |")
    lines += ["", "## Pages", ""]
    for group, title in API_PAGES.items():
        lines.append(f"- [{title}]({_page_name(group)}.md)")
    first = doc.split("\n\n")[0]
    lines += ["", "## The package", "", first.replace("\n", " "), ""]
    return "\n".join(lines)


def _load_validation_module() -> Any:
    path = ROOT / "tests" / "validation" / "test_reference_payloads.py"
    spec = importlib.util.spec_from_file_location("_jm_docs_reference_payloads", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _validation_page() -> tuple[str, bytes]:
    """The published-vs-model table and figure, from the rows the validation test asserts."""
    mod = _load_validation_module()
    rows = mod._rows()
    tol_all, tol_most, tol_cal = mod.TOL_ALL, mod.TOL_MOST, mod.TOL_CALIBRATION
    tol_ceil = getattr(mod, "TOL_CEILING", tol_all)
    rule = {
        "validation": f"within ±{tol_all:.0%}",
        "calibration": f"fit holds within ±{tol_cal:.0%}",
        "floor": f"not more than {tol_all:.0%} below",
        "ceiling": f"at or below it, by at most {tol_ceil:.0%}",
    }

    def holds(kind: str, err: float) -> bool:
        if kind == "calibration":
            return abs(err) <= tol_cal
        if kind == "floor":
            return err >= -tol_all
        if kind == "ceiling":
            return -tol_ceil <= err <= 0.0
        return abs(err) <= tol_all

    two_sided = [r for r in rows if r[2] == "validation"]
    within_most = sum(abs(r[5]) <= tol_most for r in two_sided)
    lines = [
        "# Published payloads vs the model",
        "",
        "Every published payload figure of the reference vehicles in the catalog, recomputed by the "
        "model on the figure's own definition (orbit, inclination, parking orbit). This page is "
        "generated when the documentation is built, from the same data and the same computation as "
        "the validation test `tests/validation/test_reference_payloads.py`; the test fails when a "
        "row breaks its rule, except a known failure, which it marks as a strict expected failure "
        "(the row says so, and the test fails if it starts to hold).",
        "",
        "Kinds: **validation** figures are two-sided checks; a **calibration** figure is one that "
        "catalog data were fitted to (it shows the fit holds, it is not evidence); a **floor** is a "
        "published lower bound (\"more than\", or a mass actually flown), checked one-sided; a "
        "**ceiling** is a provider's maximum the model must not exceed. How each "
        "figure is recomputed and why the model errs where it does: "
        "[Ascent losses](method-ascent.md) and [What is checked](validation.md).",
        "",
        f"{len(two_sided)} two-sided figures: {within_most} within {tol_most:.0%}, "
        f"{sum(abs(r[5]) <= tol_all for r in two_sided)} within {tol_all:.0%}.",
        "",
        "![Model vs published payload](validation-payloads.png)",
        "",
        "| vehicle | figure | kind | published [t] | model [t] | error | rule | holds | source |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    known = getattr(mod, "KNOWN_FAILURES", {})
    for name, target, kind, pub, pred, err, _, status, src in rows:
        ok = status == 0 and holds(kind, err)
        why = known.get((name, target))
        src_md = str(src).replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {name} | {target} | {kind} | {pub / 1e3:.1f} | {pred / 1e3:.1f} | {100 * err:+.1f} % "
            f"| {rule.get(kind, 'see the test')} | {'yes' if ok else ('**no**: known failure' if why else '**no**')} "
            f"| {src_md} |")
    lines.append("")
    return "\n".join(lines), _validation_figure(rows, tol_all)


def _validation_figure(rows: list[tuple], tol: float) -> bytes:
    """Model error [%] of every published figure, one bar each, with the two-sided tolerance band."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    colors = {"validation": "tab:blue", "calibration": "tab:orange", "floor": "tab:green",
              "ceiling": "tab:purple"}
    for r in rows:
        colors.setdefault(r[2], "tab:gray")
    order = sorted(rows, key=lambda r: (list(colors).index(r[2]), r[5]))
    labels = [f"{r[0]}: {r[1]}" for r in order]
    errors = [100 * r[5] for r in order]
    fig = Figure(figsize=(9.0, 0.42 * len(order) + 1.6), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ax.axvspan(-100 * tol, 100 * tol, color="0.9", zorder=0)
    ax.axvline(0, color="0.3", lw=1)
    y = list(range(len(order)))
    ax.barh(y, errors, color=[colors[r[2]] for r in order], zorder=2)
    for yi, e in zip(y, errors):
        ax.annotate(f"{e:+.1f} %", (e, yi), xytext=(4 if e >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if e >= 0 else "right", va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    lim = max(100 * tol, max(abs(e) for e in errors)) * 1.25
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("model error against the published figure [%]")
    ax.set_title("Reference vehicles: model payload vs published payload")
    ax.legend(handles=[Patch(color=c, label=k) for k, c in colors.items()]
              + [Patch(color="0.9", label=f"±{tol:.0%} (validation tolerance)")], fontsize=8,
              loc="upper right")  # the largest misses are negative: the right side stays clear
    ax.grid(axis="x", alpha=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# --------------------------------------------------------------------------- page text
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s#]+)(#[^)\s]*)?\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Links that leave ``docs/`` become text naming the file in the source repository."""
    src_dir = posixpath.dirname(page.file.src_uri)

    def repl(m: re.Match[str]) -> str:
        text, target = m.group(1), m.group(2)
        if "://" in target or target.startswith(("mailto:", "/")):
            return m.group(0)
        resolved = posixpath.normpath(posixpath.join(src_dir, target))
        if not resolved.startswith("../"):
            return m.group(0)
        path = resolved.lstrip("./")
        while path.startswith("../"):
            path = path[3:]
        label = text.strip("`")
        return f"`{path}`" if label == path or label.endswith(path.split("/")[-1]) else \
            f"{text} (`{path}` in the source repository)"

    return _LINK.sub(repl, markdown)


_ROLE = re.compile(r":(?:py:)?(?:func|mod|class|data|meth|attr|obj|exc|const):(<code>)")


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Sphinx roles in docstrings (``:func:`name```) render as the code they wrap."""
    return _ROLE.sub(r"\1", html)
