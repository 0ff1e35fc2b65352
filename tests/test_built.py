"""The build directory as one object (kg.built.Build): the file:line index the build writes,
its freshness, and the one-way dependencies that keep the build's owner in one place."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.build import check_corpus
from kg.built import SOURCES, Build
from kg.corpus import find_corpus
from kg.sources import index_sources
from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg

ID = "https://w3id.org/ca-film/id/"
CAFO = "https://w3id.org/ca-film/ontology#"
AYKA_COUNTRIES = "seeds/004_9d304b95c593325b.yaml:51"  # `- id: ayka-countries`


def test_the_build_index_names_the_file_and_line_of_facts_and_entities(built):
    sources = Build(built, find_corpus(SEED_CORPUS)).sources()
    ayka, country = URIRef(ID + "film/ayka-2018"), URIRef(CAFO + "productionCountry")
    assert sources.of_triple(ayka, country, URIRef(ID + "country/germany")) == [AYKA_COUNTRIES]
    assert sources.claims[ID + "claim/004_9d304b95c593325b/ayka-countries-3"] == AYKA_COUNTRIES
    assert sources.of_entity(ID + "country/kazakhstan") == "seeds/registry/places.yaml:4"
    assert sources.of_entity(ID + "person/samal-yeslyamova") == "seeds/registry/people.yaml:10"
    assert sources.of_entity(ID + "article/004_9d304b95c593325b") == "seeds/004_9d304b95c593325b.yaml:1"


def test_the_build_index_is_what_checking_the_corpus_again_gives(built):
    corpus = find_corpus(SEED_CORPUS)
    assert Build(built, corpus).sources() == index_sources(check_corpus(corpus))


def test_the_index_is_shown_relative_to_where_kg_runs_and_stored_without_it(built, monkeypatch):
    """sources.jsonl holds absolute paths (the same bytes from any directory); a reader shows
    them as the corpus names files, relative to its own working directory."""
    lines = (built / ".current" / SOURCES).read_text(encoding="utf-8").splitlines()
    stored = [json.loads(line) for line in lines]
    seeds = (SEED_CORPUS / "seeds").resolve()
    assert stored[0]["entities"][ID + "country/kazakhstan"] == f"{seeds}/registry/places.yaml:4"
    monkeypatch.chdir(SEED_CORPUS / "seeds")
    sources = Build(built, find_corpus(SEED_CORPUS)).sources()
    assert sources.of_entity(ID + "country/kazakhstan") == "registry/places.yaml:4"


@pytest.mark.slow  # hash-seed runs in real processes
def test_the_index_has_the_same_bytes_whatever_the_hash_seed(tmp_path):
    data = []
    for seed in ("0", "1"):
        out = tmp_path / f"out-{seed}"
        proc = run_kg("build", "--quiet", "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        data.append((out / ".current" / SOURCES).read_bytes())
    assert data[0] == data[1]


def test_check_reads_file_and_line_from_the_build_not_from_the_mappings(built, monkeypatch):
    """A fresh build is checked without loading a single mapping again."""

    def refuse(*args, **kwargs):
        raise AssertionError("kg check re-read a mapping")

    monkeypatch.setattr("kg.build.load_mapping", refuse)
    result = invoke("check", "--reasoner", "rules", "-f", "tsv", "--only", "work", "--out", str(built))
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines() if line.count("\t") == 6]
    found = {(row[2], row[5]) for row in rows}
    assert ("film/kazakh-cinema-90-years-film", "seeds/registry/works.yaml:32") in found


def test_a_copy_of_out_without_its_index_still_traces_findings(built, tmp_path):
    """A copy of OUT made through its links (cp -L) has the graph but not the build's own
    directory: the index is made again from the corpus, with the same places."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    shutil.rmtree(copy / ".current")
    shutil.rmtree(copy / ".builds")
    corpus = find_corpus(SEED_CORPUS)
    assert Build(copy, corpus).sources() == Build(built, corpus).sources()
    result = invoke("check", "--reasoner", "rules", "-f", "tsv", "--only", "work", "--out", str(copy))
    assert "film/kazakh-cinema-90-years-film\tcafo:productionCountry\t\tseeds/registry/works.yaml:32" in result.output


def _imports(path: Path) -> set[str]:
    """The modules a file imports, at any depth (function-level imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_cli_reaches_from_kg_into_viz():
    upward = {
        path.name
        for path in (ROOT / "kg").glob("*.py")
        if any(name == "viz" or name.startswith("viz.") for name in _imports(path))
    }
    assert upward == {"cli.py"}


def test_query_does_not_import_the_reasoner_or_the_build_writer():
    assert not {"kg.reason", "kg.build"} & _imports(ROOT / "kg" / "query.py")


def test_only_the_build_owner_and_the_cli_make_a_build_fresh():
    callers = {
        path.relative_to(ROOT).as_posix()
        for folder in ("kg", "viz")
        for path in (ROOT / folder).glob("*.py")
        if "ensure_built" in path.read_text(encoding="utf-8") or "is_fresh" in path.read_text(encoding="utf-8")
    }
    assert callers == {"kg/built.py", "kg/cli.py"}


def test_only_the_build_owner_composes_paths_in_out():
    """OUT's names are kg.built's; kg.atomic publishes builds and kg.build writes them."""
    composing = {
        path.relative_to(ROOT).as_posix()
        for folder in ("kg", "viz")
        for path in (ROOT / folder).glob("*.py")
        if "out_dir /" in path.read_text(encoding="utf-8")
    }
    assert composing == {"kg/built.py", "kg/atomic.py", "kg/build.py"}


def test_a_bad_query_is_reported_without_starting_a_build(tmp_path):
    """The CLI hands query a build made on demand: a query file that does not exist is one
    line, and OUT is never created."""
    out = tmp_path / "out"
    result = invoke("query", "no_such.rq", "--out", str(out))
    assert result.exit_code == 2
    assert result.output == f"error: no_such.rq: no such query file (nor in {ROOT / 'queries'}/)\n"
    assert not out.exists()
