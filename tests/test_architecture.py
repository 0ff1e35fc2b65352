"""docs/architecture.md is true: its package map names every module of kg/, fits in 30
lines, and no module imports from a row below its own (data flows one way)."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

MAP = ROOT / "docs" / "architecture.md"


def _rows() -> dict[str, int]:
    """Each module named in the map -> the index of the row (sources, checked, dataset,
    outputs) it is first named in."""
    block = MAP.read_text(encoding="utf-8").split("```")[1]
    rows: dict[str, int] = {}
    row = -1
    for line in block.splitlines():
        if line and not line.startswith(" "):
            row += 1
        for name in re.findall(r"kg/(\w+)\.py", line):
            rows.setdefault(name, row)
    return rows


def _kg_imports(path) -> list[tuple[str, int]]:
    """(kg module, line) of every import of a kg module in a file, function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg."):
            found.append((node.module.split(".")[1], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".")[1], node.lineno) for a in node.names if a.name.startswith("kg.")]
    return found


def test_the_map_names_every_module_and_fits_in_30_lines():
    block = MAP.read_text(encoding="utf-8").split("```")[1].strip("\n")
    assert len(block.splitlines()) <= 30
    modules = {p.stem for p in (ROOT / "kg").glob("*.py")} - {"__init__", "__main__"}
    assert modules - set(_rows()) == set()
    assert set(_rows()) - modules == set()  # no module the code no longer has


def test_no_module_imports_from_a_row_below_its_own():
    rows = _rows()
    upward = [
        f"kg/{path.stem}.py:{line} imports kg.{module}"
        for path in sorted((ROOT / "kg").glob("*.py"))
        if path.stem in rows
        for module, line in _kg_imports(path)
        if module in rows and rows[module] > rows[path.stem]
    ]
    assert upward == []
