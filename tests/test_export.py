"""Exports parse in a second, independent RDF library with the same counts."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from tests.conftest import SEED_CORPUS, invoke

OX = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
RDFLIB = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "xml": "xml", "jsonld": "json-ld"}
DATASETS = {"trig", "nquads", "jsonld"}


@pytest.mark.parametrize("fmt", sorted(OX))
def test_export_parses_in_pyoxigraph_with_rdflibs_count(built, tmp_path, fmt):
    target = tmp_path / f"graph.{fmt}"
    result = invoke("--project", str(SEED_CORPUS), "export", "--format", fmt, "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    if fmt in DATASETS:
        ours = Dataset()
        ours.parse(target, format=RDFLIB[fmt])
        count = sum(1 for _ in ours.quads((None, None, None, None)))
    else:
        count = len(Graph().parse(target, format=RDFLIB[fmt]))
    theirs = list(pyoxigraph.parse(path=str(target), format=OX[fmt]))
    assert len(theirs) == count
    assert count > 1000


def test_turtle_export_to_stdout_binds_project_prefixes(built):
    output = invoke("--project", str(SEED_CORPUS), "export", "--out", str(built)).output
    assert "@prefix cafo: <https://w3id.org/ca-film/ontology#> ." in output
    assert "person:sergey-dvortsevoy" in output
    assert "owl:sameAs wd:Q232" in output


def test_trig_keeps_one_graph_per_article(built, tmp_path):
    target = tmp_path / "g.trig"
    invoke("--project", str(SEED_CORPUS), "export", "-f", "trig", "-o", str(target), "--out", str(built))
    store = pyoxigraph.Store()
    store.load(path=str(target), format=pyoxigraph.RdfFormat.TRIG)
    graphs = sorted(g.value for g in store.named_graphs() if "/graph/article/" in g.value)
    assert [g.rsplit("/", 1)[1][:3] for g in graphs] == ["000", "001", "002", "003", "004"]
