"""The project's `seeds/` is the user's corpus: changing it must not break the test suite.

Tests that pin answers read the fixture copy in tests/corpus/. This test proves it the way a
user would trip on it: in a copy of the project whose `seeds/` gained an article and lost a
seed, kg (run from that project) sees the new article, and a pinned-answer test still passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

NEW_ARTICLE = "A user's own article. The film AIKA by Sergei Dvortsevoi was shown again in Almaty.\n"
NEW_MAPPING = """\
article: 005_users_own.txt
metadata:
  languages: [en]
facts:
  - id: ayka-director
    subject: film/ayka-2018
    property: director
    object: person/sergey-dvortsevoy
    quote: The film AIKA by Sergei Dvortsevoi
"""


def _copy_project(target: Path) -> None:
    for name in ("kg", "viz", "ontology", "queries", "seeds", "tests"):
        shutil.copytree(
            ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


@pytest.mark.slow  # copies the project, builds and runs pytest inside it
def test_a_users_article_in_seeds_leaves_pinned_answers_green(tmp_path):
    project = tmp_path / "project"
    _copy_project(project)
    seeds = project / "seeds"
    (seeds / "005_users_own.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (seeds / "005_users_own.yaml").write_text(NEW_MAPPING, encoding="utf-8")
    for path in seeds.glob("000_*"):  # the user also removed a seed article
        path.unlink()
    env = {**os.environ, "PYTHONPATH": str(project), "PYTHONHASHSEED": "0"}

    # kg, run from the project, sees the user's corpus: the new article is in, 000 is gone.
    listed = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--out", str(tmp_path / "out")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "005_users_own" in listed.stdout and "000_84aca459143ef88d" not in listed.stdout

    # ...and a test pinning the seed answers still passes, because it reads tests/corpus.
    pinned = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_query_library.py::test_countries_coproducing_with_kazakhstan",
            "tests/test_authoring.py::test_stats_shows_every_article_and_the_most_connected",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pinned.returncode == 0, pinned.stdout[-3000:] + pinned.stderr[-3000:]
    assert "2 passed" in pinned.stdout
