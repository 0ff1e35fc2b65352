"""The CLI reference (docs/cli-reference.md) and the README's table of commands are what the
commands print: regenerated with cog and compared, so documentation cannot drift from --help."""

from __future__ import annotations

import difflib

import pytest
from cogapp import Cog

from kg import helpdoc
from tests.conftest import ROOT

FIX = "cog -r docs/cli-reference.md README.md"


def _drift(name: str, text: str) -> str | None:
    """None when `text` is what cog generates for the file `name`; else the failure message:
    which file, the command that fixes it, and the difference."""
    path = ROOT / name
    regenerated = Cog().process_string(text, fname=str(path))
    if regenerated == text:
        return None
    diff = difflib.unified_diff(
        text.splitlines(keepends=True), regenerated.splitlines(keepends=True), name, "what cog generates", n=1
    )
    return f"{name} differs from the commands' --help; run `{FIX}` to update it:\n{''.join(diff)}"


@pytest.mark.parametrize("name", ["docs/cli-reference.md", "README.md"])
def test_generated_docs_match_the_commands(name):
    problem = _drift(name, (ROOT / name).read_text(encoding="utf-8"))
    assert problem is None, problem


def test_reference_holds_every_command_help_verbatim():
    """Each command's section is its --help as a user sees it: the usage line and the options."""
    reference = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert "## kg viz ego\n\n```\n$ kg viz ego --help\nUsage: kg viz ego [OPTIONS] ENTITY\n" in reference
    assert (
        "## kg entities search\n\n```\n$ kg entities search --help\nUsage: kg entities search [OPTIONS] TEXT\n"
        in reference
    )
    assert (
        "  --out DIRECTORY  Build directory: where the graph is written and read from.  [default: out]\n" in reference
    )
    assert [path for path in helpdoc.commands() if len(path) == 2] == [
        ("entities", "search"),
        ("viz", "article"),
        ("viz", "coproduction"),
        ("viz", "ego"),
        ("viz", "entities"),
    ]


def test_help_does_not_depend_on_the_terminal(monkeypatch):
    """A narrow or a wide terminal generates the same bytes: the width is fixed at 100."""
    wide = helpdoc.help_text(("query",))
    monkeypatch.setenv("COLUMNS", "40")
    assert helpdoc.help_text(("query",)) == wide
    assert max(len(line) for line in wide.splitlines()) <= helpdoc.WIDTH


def test_a_drifted_reference_fails_and_names_the_fix():
    """The check is not vacuous: an edited section is reported with the command that fixes it."""
    text = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    drifted = text.replace("\n  Check every mapping and write the graph to OUT.\n", "\n  Build it.\n", 1)
    problem = _drift("docs/cli-reference.md", drifted)
    assert problem is not None
    assert problem.splitlines()[0] == (
        "docs/cli-reference.md differs from the commands' --help; run "
        "`cog -r docs/cli-reference.md README.md` to update it:"
    )
    assert "-  Build it.\n+  Check every mapping and write the graph to OUT.\n" in problem
