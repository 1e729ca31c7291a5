"""Fast checks of the code-block runner's input: every block is found, markers are used only as
documented (before a python/bash block, with a reason), and few blocks are exempt."""

from __future__ import annotations

from docs_codeblocks import RUN_LANGS, doc_files, blocks, skip_markers

#: The blocks that may not run: each needs something a test cannot have.
MAX_EXEMPT = 4


def test_blocks_are_found_in_readme_and_docs():
    found = {b.file: b for p in doc_files() for b in blocks(p) if b.lang in RUN_LANGS}
    assert "README.md" in found
    assert any(f.startswith("docs/guide/") for f in found)


def test_every_marker_precedes_a_runnable_block_and_says_why():
    exempt = []
    for path in doc_files():
        marked = {b.line - 2: b for b in blocks(path) if b.skip}
        for line, reason in skip_markers(path):
            block = marked.get(line)
            assert block is not None, f"{path.name}:{line}: a 'not run' marker must sit right above a code fence"
            assert block.lang in RUN_LANGS, f"{block.where}: marker on a {block.lang or 'plain'} block (never run)"
            assert len(reason) >= 10, f"{block.where}: say why the block cannot run"
            exempt.append(block.where)
    assert len(exempt) <= MAX_EXEMPT, f"too many blocks exempt from running: {exempt}"


def test_runnable_blocks_are_not_signature_listings():
    """A python block must at least compile (signature listings belong in ```text blocks)."""
    for path in doc_files():
        for b in blocks(path):
            if b.lang == "python" and not b.skip:
                compile(b.code, b.where, "exec")
