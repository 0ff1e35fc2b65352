"""The two embedded engines - pyoxigraph over the build's store, rdflib over its N-Quads - give
the same rows for every query in queries/ (whatever files are there when the tests run), and
`kg query` starts from the stored graph without rebuilding or re-parsing anything.

Rows are compared as multisets of values, with what SPARQL leaves open normalised away:
numbers compare by value (Oxigraph stores xsd:nonNegativeInteger as xsd:integer, and
"2500000" and "2500000.0" are the same decimal), booleans by value (Virtuoso writes "1"), and
a GROUP_CONCAT as the sorted list of its parts (their order is unspecified) without language
tag (Oxigraph keeps a tag its parts share, as SPARQL 1.2 proposes; rdflib returns a plain
string, as SPARQL 1.1 says). tests/test_push.py compares the servers the same way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import pytest

from kg.built import ensure_built
from kg.corpus import find_corpus
from kg.limits import call_with_timeout
from kg.query import (
    execute,
    execute_rdflib,
    limit_address_space,
    open_rdflib,
    open_store,
    parse_bindings,
    read_query,
)
from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name
    for name in [
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


def usage_bindings(text: str) -> tuple[str, ...]:
    """The --bind pairs of a query's '# Usage: kg query FILE --bind NAME=VALUE' line (before
    any parenthesised alternative), so a query meant for one entity runs for that entity."""
    usage = next((line for line in text.splitlines() if line.startswith("# Usage:")), "")
    usage = usage.split("(", 1)[0]
    return tuple(pair.rstrip(";,.") for pair in re.findall(r"(?:--bind|-b)\s+(\S+=\S+)", usage))


def group_concats(text: str) -> dict[str, str]:
    """The variables a query's SELECT binds to a GROUP_CONCAT, with its separator."""
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def find(node):
        if isinstance(node, CompValue):
            if node.name == "Aggregate_GroupConcat":
                return str(node.get("separator") or " ")
            return next((found for value in node.values() if (found := find(value)) is not None), None)
        if isinstance(node, list | tuple):
            return next((found for value in node if (found := find(value)) is not None), None)
        return None

    out = {}
    for item in parseQuery(text)[1].get("projection") or []:
        if "expr" in item and (separator := find(item["expr"])) is not None:
            out[str(item["evar"])] = separator
    return out


def _term(term, separator: str | None = None) -> tuple:
    if separator is not None and isinstance(term, pyoxigraph.Literal):
        return ("concat", sorted(term.value.split(separator)))
    if term is None:
        return ("unbound",)
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode",)
    if term.language:
        return ("text", term.value, term.language.lower())
    datatype = term.datatype.value
    if datatype == XSD + "boolean":  # "1" and "true" are both true (Virtuoso writes "1")
        return ("boolean", term.value in ("true", "1"))
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(term.value).normalize())
        except InvalidOperation:
            pass
    return ("literal", term.value, "" if datatype == XSD + "string" else datatype)


def canonical(result, concats: dict[str, str] | None = None) -> tuple:
    """A result as comparable values: (variables, sorted rows), a boolean, or sorted triples.
    concats: the GROUP_CONCAT columns and their separators (group_concats)."""
    concats = concats or {}
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ("ask", bool(result))
    if isinstance(result, (pyoxigraph.QueryTriples, list)):
        return ("graph", sorted(str(triple) for triple in result))
    names = [variable.value for variable in result.variables]
    rows = sorted((tuple(_term(solution[name], concats.get(name)) for name in names) for solution in result), key=repr)
    return (tuple(names), rows)


@pytest.fixture(scope="module")
def engines(built):
    build = ensure_built(find_corpus(SEED_CORPUS), built)
    return open_store(build), open_rdflib(build)


def test_the_library_is_not_empty():
    assert len(QUERIES) >= 2
    assert usage_bindings((ROOT / "queries" / "evidence_for_entity.rq").read_text(encoding="utf-8")) == (
        "entity=person/samal-yeslyamova",
    )


def _cases() -> list:
    """Each library query unbound, and bound as its Usage line says where it has one."""
    cases = []
    for path in QUERIES:
        cases.append(pytest.param(path, False, id=f"{path.name}-unbound"))
        if usage_bindings(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(path, True, id=f"{path.name}-bound"))
    return cases


def _rdflib_rows(query, dataset, bindings, concats) -> tuple:
    limit_address_space(2 * 2**30)  # in the forked child: a runaway fails, the machine stays
    return canonical(execute_rdflib(query, dataset, bindings), concats)


@pytest.mark.slow  # every library query on both engines (tests/test_query_library.py pins the answers fast)
@pytest.mark.parametrize(("path", "bound"), _cases())
def test_oxigraph_and_rdflib_give_the_same_rows(engines, path: Path, bound: bool):
    """rdflib runs in a child process stopped at 120 s or 2 GB more memory: a query that runs
    away on rdflib (crew_and_cast_of_work.rq unbound once took 13 minutes and 12 GB) fails
    here instead of taking the machine."""
    store, dataset = engines
    query = read_query(path, path.name)
    bindings = parse_bindings(usage_bindings(query.text) if bound else ())
    concats = group_concats(query.text)
    ours = canonical(execute(query, store, bindings), concats)
    reference = call_with_timeout(_rdflib_rows, (query, dataset, bindings, concats), 120, path.name)
    assert ours == reference
    if query.form == "SELECT" and path.name != "agreements.rq":  # compared in tests/test_model_vocab.py
        assert ours[1], f"{path.name} answers nothing on the seed articles: nothing was compared"


def test_headline_query_on_both_engines_through_the_cli(built):
    outputs = {}
    for engine in ("oxigraph", "rdflib"):
        args = ["query", "countries_coproducing_with_kazakhstan.rq", "--out", str(built), "-f", "csv"]
        result = invoke("--project", str(SEED_CORPUS), *args, "--engine", engine)
        assert result.exit_code == 0, result.output
        outputs[engine] = result.output
    assert outputs["oxigraph"] == outputs["rdflib"]
    labels = [line.split(",")[1] for line in outputs["rdflib"].splitlines()[1:]]
    assert labels == ["China", "Germany", "Poland", "Russia"]


@pytest.mark.slow  # a real process; rdflib in-process: test_headline_query_on_both_engines_through_the_cli
def test_bound_query_on_rdflib_through_a_subprocess(built):
    proc = run_kg(
        "--project",
        str(SEED_CORPUS),
        "query",
        "evidence_for_entity.rq",
        "--engine",
        "rdflib",
        "--bind",
        "entity=person/samal-yeslyamova",
        "-f",
        "tsv",
        "--out",
        str(built),
    )
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()[1:]
    assert rows and all(row.startswith("<https://w3id.org/ca-film/id/person/samal-yeslyamova>\t") for row in rows)
    assert any('"nationality"@en\t"Kazakhstan"@en' in row for row in rows)


def test_unknown_engine_is_refused(built):
    result = invoke(
        "--project", str(SEED_CORPUS), "query", "coproductions.rq", "--out", str(built), "--engine", "sqlite"
    )
    assert result.exit_code == 2
    assert "sqlite" in result.output


def test_a_fresh_build_is_queried_from_its_store_without_reading_sources_or_nquads(corpus, tmp_path, monkeypatch):
    """Nothing is re-checked (no mapping is loaded) and graph.nq is not parsed: the query opens
    OUT/store. Corrupting graph.nq proves it; the store answers all the same."""
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    (out / "graph.nq").write_bytes(b"this is not N-Quads\n" * (out / "graph.nq").stat().st_size)

    def refuse(*args, **kwargs):
        raise AssertionError("a fresh build must not load any mapping")

    monkeypatch.setattr("kg.build.load_mapping", refuse)
    result = invoke("query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    assert "Germany" in result.output


def test_a_store_from_another_build_is_stale(corpus, tmp_path):
    """The store's marker must match the manifest, or the build counts as stale and is redone."""
    from kg.built import Build

    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    project = find_corpus(corpus)
    assert Build(out).is_fresh(project)
    (out / "store" / "KG_BUILD").write_text("another build\n", encoding="utf-8")
    assert not Build(out).is_fresh(project)


@pytest.mark.slow  # rdflib's engine on the heaviest library query
def test_crew_and_cast_of_every_work_on_rdflib_through_a_subprocess(built):
    """The issue's command: without --bind it once ran over 13 minutes and took 12 GB on the
    seed articles. Now it answers under the default limits, byte for byte as Oxigraph does."""
    outputs = {}
    for engine in ("oxigraph", "rdflib"):
        proc = run_kg(
            "--project", str(SEED_CORPUS), "query", "crew_and_cast_of_work.rq", "--engine", engine, "-f", "csv",
            "--out", str(built),
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        outputs[engine] = proc.stdout
    assert outputs["rdflib"] == outputs["oxigraph"]
    rows = [tuple(line.split(",")[1:]) for line in outputs["rdflib"].splitlines()[1:]]
    works = ["Ayka"] * 3 + ["I Am Waiting for You in Ili"] * 7 + ["Mirrors"] * 3 + ["Star Wars (series)"]
    assert [row[0] for row in rows] == works
    person = "https://w3id.org/ca-film/id/person/"
    # work, role, person, person_label, character, part, portrays
    assert ("Ayka", "director", person + "sergey-dvortsevoy", "Sergey Dvortsevoy", "", "", "") in rows
    assert (
        "I Am Waiting for You in Ili",
        "cast member",
        person + "jiang-yihao",
        "Jiang Yihao",
        "",
        "lead role",
        "",
    ) in rows
    assert ("Mirrors", "cast member", person + "elizat-berikova", "Elizat Berikova", "the heroine", "", "") in rows
