"""The build: what it writes, the named graphs, provenance, determinism, staleness."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg, snapshot

ID = "https://w3id.org/ca-film/id/"
GRAPH = "https://w3id.org/ca-film/graph/"
STEMS = [
    "000_84aca459143ef88d",
    "001_96dd9b9a8acb094b",
    "002_fe30f7e3a02f8faf",
    "003_6ace3f2e2b0ad3c1",
    "004_9d304b95c593325b",
]


def _store(built):
    store = pyoxigraph.Store()
    store.bulk_load(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def test_build_writes_union_and_named_graphs(built):
    assert {p.name for p in built.iterdir()} >= {"graph.ttl", "graph.trig", "graph.nq", "manifest.json"}
    dataset = Dataset()
    dataset.parse(built / "graph.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs()}
    for stem in STEMS:
        assert GRAPH + "article/" + stem in names
    assert {GRAPH + "meta", GRAPH + "provenance", GRAPH + "entities", GRAPH + "ontology"} <= names


def test_article_graph_holds_what_the_article_states(built):
    store = _store(built)
    query = f"""
        SELECT ?country WHERE {{
          GRAPH <{GRAPH}article/004_9d304b95c593325b> {{
            <{ID}film/ayka-2018> <https://w3id.org/ca-film/ontology#productionCountry> ?country }} }}
        ORDER BY ?country"""
    countries = [row["country"].value.rsplit("/", 1)[1] for row in store.query(query)]
    assert countries == ["china", "germany", "kazakhstan", "poland", "russia"]


def test_every_fact_triple_has_a_quote_with_offsets_into_the_article(built):
    """Each claim's quote, cut from the article text at its offsets, is the quote itself."""
    store = _store(built)
    query = """
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?file ?exact ?start ?end WHERE {
          ?ann oa:hasBody ?claim ; oa:hasTarget ?t .
          ?t oa:hasSource ?article ; oa:hasSelector ?q , ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
          ?article dcterms:source ?file .
        }"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    assert len(rows) > 200
    texts = {}
    for row in rows:
        path = SEED_CORPUS / row["file"].value
        text = texts.setdefault(path, path.read_text(encoding="utf-8"))
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value


def test_budget_is_an_amount_with_currency(built):
    store = _store(built)
    query = f"""
        PREFIX cafo: <https://w3id.org/ca-film/ontology#>
        SELECT ?amount ?currency WHERE {{ <{ID}film/ayka-2018> cafo:budget ?b . ?b cafo:amount ?amount ; cafo:currency ?currency }}"""
    (row,) = list(store.query(query, use_default_graph_as_union=True))
    assert (float(row["amount"].value), row["currency"].value) == (2500000.0, "EUR")


def test_editorial_judgements_live_in_their_own_graph(built):
    store = _store(built)
    query = f"""
        PREFIX cafo: <https://w3id.org/ca-film/ontology#>
        SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}event/cannes-2018> cafo:yearOf ?year }} }}"""
    graphs = [row["g"].value for row in store.query(query)]
    assert graphs == [GRAPH + "editorial/004_9d304b95c593325b"]


def test_article_metadata(built):
    store = _store(built)
    query = """
        PREFIX schema: <https://schema.org/>
        SELECT ?article ?date WHERE { ?article a schema:NewsArticle . OPTIONAL { ?article schema:datePublished ?date } }
        ORDER BY ?article"""
    dates = {
        row["article"].value.rsplit("/", 1)[1]: row["date"].value if row["date"] else None
        for row in store.query(query, use_default_graph_as_union=True)
    }
    assert dates == {
        "000_84aca459143ef88d": "2025-09-15",
        "001_96dd9b9a8acb094b": "2025-08-25",
        "002_fe30f7e3a02f8faf": "2024-11-26",
        "003_6ace3f2e2b0ad3c1": None,
        "004_9d304b95c593325b": None,
    }


def test_union_turtle_has_no_provenance_but_has_ontology_labels(built):
    union = Graph().parse(built / "graph.ttl", format="turtle")
    rdf_statement = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
    assert not any(str(o) == rdf_statement for o in union.objects())
    labels = {
        str(o)
        for s, p, o in union
        if str(s) == "https://w3id.org/ca-film/ontology#productionCountry" and str(p).endswith("#label")
    }
    assert labels == {"production country", "страна производства"}


def test_build_prints_what_it_built(tmp_path):
    result = invoke("--project", str(SEED_CORPUS), "build", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0
    assert result.output.startswith("built 5 articles:")
    for word in ("entities", "facts", "quotes", "triples", "quads"):
        assert word in result.output


@pytest.mark.slow  # twelve processes
def test_exports_are_deterministic_across_processes(tmp_path):
    """Same sources, different hash seeds, same bytes, for every format."""
    outputs = {}
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        for fmt in ("turtle", "trig", "nquads", "jsonld", "xml", "ntriples"):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kg",
                    "--project",
                    str(SEED_CORPUS),
                    "export",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                    "-o",
                    str(out / f"x.{fmt}"),
                ],
                env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 0, proc.stderr
        outputs[seed] = {name: data for name, data in snapshot(out).items() if name.startswith("x.")}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) == 6


def test_query_rebuilds_when_a_source_changes(corpus, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    before = snapshot(out)
    # Fresh build: a query must not rebuild.
    assert invoke("query", "countries_coproducing_with_kazakhstan.rq", "--out", str(out), project=corpus).exit_code == 0
    assert snapshot(out) == before
    # Drop Germany from AIKA: the query rebuilds and the answer changes.
    mapping = corpus / "seeds" / "004_9d304b95c593325b.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("country/kazakhstan, country/germany,", "country/kazakhstan,"), encoding="utf-8")
    result = invoke("query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--out", str(out), project=corpus)
    assert result.exit_code == 0
    assert "Germany" not in result.output and "Poland" in result.output


def test_build_through_a_real_subprocess(tmp_path):
    proc = run_kg("--project", str(SEED_CORPUS), "build", "--out", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    assert "built 5 articles" in proc.stdout
