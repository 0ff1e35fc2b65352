"""The CLI as a whole: every command has help and is documented; start-up stays light."""

from __future__ import annotations

import re
import subprocess
import sys

import click

from kg import __version__
from kg.cli import main
from tests.conftest import ROOT, invoke, run_kg


def _commands(group: click.Group, prefix: str = "kg"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


def test_every_command_has_help_and_a_readme_entry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cli_section = readme[readme.index("## The CLI") :]
    missing = []
    for path, command in _commands(main):
        assert command.help and len(command.help.split()) >= 5, f"{path} has no real --help text"
        result = invoke(*path.split()[1:], "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
        if f"`{path}" not in cli_section:
            missing.append(path)
    assert not missing, f"commands not documented in README's CLI section: {missing}"


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from kg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('owlready2', 'pyvis', 'networkx', 'pyshacl', 'rdflib', 'pyoxigraph', 'rich') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY="


def test_terms_lists_properties_with_domain_and_range():
    output = invoke("terms").output
    assert re.search(r"productionCountry\s+Work\s+-> Country\s+production country", output)
    assert re.search(r"status\s+anything\s+-> Status \(Announced, Done, Negotiating, Ongoing, Planned\)", output)


def test_installed_kg_finds_its_bundled_corpus(tmp_path):
    """Run from a directory with no corpus: kg must fall back to the corpus it ships."""
    proc = run_kg(
        "query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--out", str(tmp_path / "o"), cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert [line.split(",")[1] for line in proc.stdout.splitlines()[1:]] == ["China", "Germany", "Poland", "Russia"]
