"""The dataset description (issue 15): VoID + DCAT in graph/dataset, written by every build,
with the seed corpus's own numbers; in every RDF export; valid against the project's
DCAT-AP-inspired shapes (ontology/checks/dataset-shapes.ttl), which reject a description
missing a required field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg

BASE = "https://w3id.org/ca-film/"
DATASET = BASE + "dataset"
GRAPH_DATASET = BASE + "graph/dataset"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SHAPES = ROOT / "ontology" / "checks" / "dataset-shapes.ttl"
ARTICLES = [
    "000_84aca459143ef88d",
    "001_96dd9b9a8acb094b",
    "002_fe30f7e3a02f8faf",
    "003_6ace3f2e2b0ad3c1",
    "004_9d304b95c593325b",
]


def _quads(built: Path) -> list:
    return list(pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS))


def _description(built: Path) -> Graph:
    graph = Graph()
    graph.parse(
        data=b"".join(
            f"{q.subject} {q.predicate} {q.object} .\n".encode()
            for q in _quads(built)
            if str(q.graph_name) == f"<{GRAPH_DATASET}>"
        ),
        format="nt",
    )
    return graph


def _values(graph: Graph, subject: str, predicate: str) -> list[str]:
    return sorted(str(o) for o in graph.objects(URIRef(subject), URIRef(predicate)))


def _validate(graph: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _report, text = validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text


def test_the_dumps_are_distributions_with_their_media_types_and_urls(built):
    description = _description(built)
    distributions = _values(description, DATASET, DCAT + "distribution")
    assert distributions == [BASE + f"dataset/graph.{ext}" for ext in ("jsonld", "nq", "trig", "ttl")]
    media = {
        _values(description, d, DCAT + "downloadURL")[0]: _values(description, d, DCAT + "mediaType")
        for d in distributions
    }
    iana = "https://www.iana.org/assignments/media-types/"
    assert media == {
        BASE + "graph.jsonld": [iana + "application/ld+json"],
        BASE + "graph.nq": [iana + "application/n-quads"],
        BASE + "graph.trig": [iana + "application/trig"],
        BASE + "graph.ttl": [iana + "text/turtle"],
    }
    assert _values(description, DATASET, VOID + "dataDump") == sorted(media)


def test_the_counts_are_the_build_s_own(built):
    quads = _quads(built)
    description = _description(built)
    others = [q for q in quads if str(q.graph_name) != f"<{GRAPH_DATASET}>"]
    assert len(others) == len(quads) - len(description)
    assert _values(description, DATASET, VOID + "triples") == [str(len(others))] == ["11732"]
    per_graph = Counter(q.graph_name.value for q in others)
    subsets = _values(description, DATASET, VOID + "subset")
    assert subsets == sorted(
        [BASE + "dataset/wikidata-links"]
        + [
            BASE + f"graph/{g}"
            for g in ("background", "entailed", "entities", "labels", "meta", "ontology", "provenance")
        ]
    )
    for graph in subsets[1:]:
        assert _values(description, graph, VOID + "triples") == [str(per_graph[graph])], graph
    assert _values(description, BASE + "graph/provenance", VOID + "triples") == ["8104"]
    classes = {q.object.value for q in others if q.predicate.value == RDF_TYPE}
    assert _values(description, DATASET, VOID + "classes") == [str(len(classes))] == ["77"]
    entities = {q.subject.value for q in others if q.subject.value.startswith(BASE + "id/")}
    assert _values(description, DATASET, VOID + "entities") == [str(len(entities))]
    # every count is an xsd:integer (the shapes check it too)
    for _s, _p, o in description.triples((None, URIRef(VOID + "triples"), None)):
        assert o.datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")
    # the Wikidata linkset counts the entities' owl:sameAs links
    same_as = [q for q in others if q.predicate.value == "http://www.w3.org/2002/07/owl#sameAs"]
    assert _values(description, BASE + "dataset/wikidata-links", VOID + "triples") == [str(len(same_as))] == ["16"]


def test_the_articles_are_its_sources_and_ayka_an_example(built):
    description = _description(built)
    assert _values(description, DATASET, DCTERMS + "source") == [BASE + "id/article/" + a for a in ARTICLES]
    assert _values(description, DATASET, VOID + "exampleResource") == [
        BASE + "id/film/ayka-2018",
        BASE + "id/film/mirrors-suleymenov",
        BASE + "id/series/waiting-for-you-in-ili",
    ]
    vocabularies = _values(description, DATASET, VOID + "vocabulary")
    assert "https://schema.org/" in vocabularies and "http://www.w3.org/ns/oa#" in vocabularies
    assert BASE + "ontology" in vocabularies  # the ontology's IRI


def test_title_licence_and_no_invented_fields(built):
    description = _description(built)
    title = list(description.objects(URIRef(DATASET), URIRef(DCTERMS + "title")))
    assert title == [Literal("CA-Film: the open knowledge graph of Central Asian film co-production", lang="en")]
    assert _values(description, DATASET, DCTERMS + "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert _values(description, DATASET, RDF_TYPE) == [VOID + "Dataset", DCAT + "Dataset"]
    # the project names no creator or publisher and the build knows no honest date; a built
    # dataset is files, not an endpoint
    for absent in (DCTERMS + "creator", DCTERMS + "publisher", DCTERMS + "issued", DCTERMS + "modified"):
        assert _values(description, DATASET, absent) == [], absent
    assert _values(description, DATASET, VOID + "sparqlEndpoint") == []


def test_the_built_description_conforms_to_the_shapes(built):
    conforms, text = _validate(_description(built))
    assert conforms, text


@pytest.mark.parametrize(
    ("subject", "predicate", "message"),
    [
        (DATASET, DCTERMS + "title", "a dataset needs a title (dcterms:title"),
        (DATASET, DCTERMS + "description", "a dataset needs a description"),
        (DATASET, DCAT + "distribution", "a dataset needs at least one dcat:distribution"),
        (BASE + "dataset/graph.ttl", DCAT + "mediaType", "a distribution needs one dcat:mediaType"),
        (BASE + "dataset/graph.nq", DCAT + "downloadURL", "a dump needs a dcat:downloadURL"),
    ],
)
def test_a_description_missing_a_required_field_fails(built, subject, predicate, message):
    description = _description(built)
    assert (URIRef(subject), URIRef(predicate), None) in description
    description.remove((URIRef(subject), URIRef(predicate), None))
    conforms, text = _validate(description)
    assert not conforms
    assert message in text
    assert f"Focus Node: <{subject}>" in text


def test_a_count_that_is_not_an_integer_fails(built):
    description = _description(built)
    description.set((URIRef(DATASET), URIRef(VOID + "triples"), Literal("11732")))
    conforms, text = _validate(description)
    assert not conforms
    assert "void:triples is one xsd:integer" in text


def test_every_export_holds_the_description(built, tmp_path):
    """kg export in Turtle (the union), TriG and JSON-LD (named graphs) and the JSON-LD of the
    union: each reads back with the dataset's title and distributions."""
    title = Literal("CA-Film: the open knowledge graph of Central Asian film co-production", lang="en")
    for fmt, parse_as in (("turtle", "turtle"), ("trig", "trig"), ("jsonld", "json-ld"), ("jsonld-union", "json-ld")):
        target = tmp_path / f"export.{fmt}"
        result = invoke("export", "--format", fmt, "-o", str(target), "--out", str(built))
        assert result.exit_code == 0, result.output
        data = Dataset()
        data.parse(target, format=parse_as)
        quads = list(data.quads((URIRef(DATASET), None, None, None)))  # in any graph
        assert (URIRef(DCTERMS + "title"), title) in {(p, o) for _s, p, o, _g in quads}, fmt
        assert len({o for _s, p, o, _g in quads if p == URIRef(DCAT + "distribution")}) == 4, fmt
    named = Dataset().parse(tmp_path / "export.trig", format="trig")
    assert (URIRef(DATASET), URIRef(DCAT + "distribution"), None) in named.graph(URIRef(GRAPH_DATASET))
    # the JSON-LD keys are short: dcat is one of the published context's prefixes
    document = json.loads((tmp_path / "export.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["dcat"] == DCAT


def test_the_description_is_the_same_bytes_across_hash_seeds(tmp_path):
    """A real build in two processes with different hash seeds: graph/dataset is identical
    (sets of terms are sorted, nothing is timed)."""
    lines = []
    for seed in ("1", "3"):
        out = tmp_path / f"out-{seed}"
        result = run_kg(
            "--project", str(SEED_CORPUS), "build", "--quiet", "--out", str(out), env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        text = (out / "graph.nq").read_text(encoding="utf-8")
        lines.append([line for line in text.splitlines() if line.endswith(f"<{GRAPH_DATASET}> .")])
    assert lines[0] == lines[1]
    assert len(lines[0]) == 101
