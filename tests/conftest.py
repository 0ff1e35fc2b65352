"""Shared fixtures: the tests' own copy of the seed corpus built once per session, a writable
copy of it, and helpers that run the CLI through click's CliRunner or a real subprocess.

Tests that pin answers read `SEED_CORPUS` (tests/corpus/seeds: the five seed articles, their
mappings and registry, owned by the tests), never the project's `seeds/`, which is the user's
corpus: adding, editing or removing an article there must leave the suite green. The ontology
and the query library come from the project (the corpus falls back to them), and every test
runs with the fixture corpus as its working directory, so messages name `seeds/...` files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "tests" / "corpus"


# Markers that mean "slow" by themselves: a test that drives Chromium or starts Java is never
# part of the fast tier (`pytest -m "not slow"`), whether or not it also says `slow`.
SLOW_KINDS = ("browser", "java")


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _in_the_seed_corpus(monkeypatch) -> None:
    """Run every test from the fixture corpus, as a user runs kg from their project folder."""
    monkeypatch.chdir(SEED_CORPUS)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The fixture seed corpus built once per worker; tests must not modify this directory.

    Not shared between the xdist workers: some fast test still makes kg rebuild it (two new
    builds appeared in it mid-run, seen after tests/test_serve.py, test_show.py and
    test_site.py ran), and a worker copying it meanwhile
    (test_a_full_disk_leaves_a_previous_build_as_it_was) then saw another worker's build."""
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(main, ["--project", str(SEED_CORPUS), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the corpus (ontology/, the fixture seeds/, queries/) to break on purpose."""
    return copy_corpus(tmp_path / "corpus")


def copy_corpus(root: Path) -> Path:
    """ontology/ and queries/ of the project and the fixture seeds/, copied into root."""
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(SEED_CORPUS / "seeds", root / "seeds")
    return root


def copy_build(built_dir: Path, out: Path) -> Path:
    """A copy of a build that a test may rebuild, break or delete: the layout as kg leaves it
    (OUT/.builds/build-..., the .current link and the links to it), so a refused build is
    compared with a real previous build. Much faster than building again."""
    shutil.copytree(built_dir, out, symlinks=True)
    return out


@pytest.fixture
def built_copy(built, tmp_path) -> Path:
    """A writable copy of the session's good build in tmp_path/out. Bad-input tests start from
    it instead of building the good corpus again for each case; a command that needs a fresh
    build of its own corpus still rebuilds (the manifest names the corpus it was built from)."""
    return copy_build(built, tmp_path / "out")


def fast_and_slow(values: list, fast: set[str], ids) -> list:
    """A parametrised matrix for two tiers: the cases whose id is in `fast` (representatives)
    run in the fast tier, the others are marked slow; the full suite runs them all."""
    params = [
        pytest.param(value, id=ids(value), marks=[] if ids(value) in fast else [pytest.mark.slow]) for value in values
    ]
    assert fast <= {p.id for p in params}, f"no such case: {fast - {p.id for p in params}}"
    return params


def invoke(*args: str, project: Path | None = None):
    """Run kg in-process through CliRunner; returns click's Result."""
    argv = (["--project", str(project)] if project else []) + list(args)
    return CliRunner().invoke(main, argv, catch_exceptions=False)


def run_kg(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run kg as a real subprocess (python -m kg), as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd or SEED_CORPUS,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under a directory with its SHA-256: to prove a failed run changed nothing."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# Display columns the build adds (article titles, generated node labels) are pinned in
# tests/test_readable.py; these tests pin the model's answers, so they leave them out.
_DISPLAY_ONLY = {"article_title", "item_label", "statement_label", "deal_label", "figure_label"}


def without_display(header: list[str], rows: list) -> tuple[list[str], list[tuple[str, ...]]]:
    keep = [i for i, column in enumerate(header) if column not in _DISPLAY_ONLY]
    return [header[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def leaf_commands(group: click.Group, prefix: str = "kg") -> Iterator[str]:
    """Every command a user can run ("kg build", "kg viz ego", ...), groups left out: the
    tests that must cover each command enumerate the click group with this."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}"
