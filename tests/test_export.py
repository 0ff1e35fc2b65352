"""Exports parse in a second, independent RDF library with the same counts; the JSON-LD
exports are compact (the published context) and give back exactly the build's quads in
pyld, pyoxigraph and rdflib."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from tests.conftest import ROOT, SEED_CORPUS, invoke

OX = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "jsonld-union": pyoxigraph.RdfFormat.JSON_LD,
}
RDFLIB = {
    "turtle": "turtle",
    "trig": "trig",
    "nquads": "nquads",
    "ntriples": "nt",
    "xml": "xml",
    "jsonld": "json-ld",
    "jsonld-union": "json-ld",
}
DATASETS = {"trig", "nquads", "jsonld"}


@pytest.mark.slow  # every RDF format written, parsed by both libraries
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


# -- JSON-LD: the published context, and round trips ------------------------------------

CAFO = "https://w3id.org/ca-film/ontology#"
ID = "https://w3id.org/ca-film/id/"
GRAPH = "https://w3id.org/ca-film/graph/"


def _canonical(quads) -> set:
    """Quads with canonical blank-node labels (RDFC-1.0), so that two parses compare as sets."""
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _pyld_quads(document: dict) -> set:
    from pyld import jsonld

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    return _canonical(pyoxigraph.parse(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def jsonld_exports(built, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("jsonld")
    paths = {}
    for fmt in ("jsonld", "jsonld-union"):
        paths[fmt] = folder / f"{fmt}.json"
        result = invoke("--project", str(SEED_CORPUS), "export", "-f", fmt, "--out", str(built), "-o", str(paths[fmt]))
        assert result.exit_code == 0, result.output
    return paths


def test_jsonld_is_compacted_with_the_published_context(jsonld_exports):
    document = json.loads(jsonld_exports["jsonld"].read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert context == shipped["@context"]  # the published context, embedded
    assert context["director"] == {"@id": "cafo:director", "@type": "@id"}
    assert context["cafo"] == CAFO and context["@base"] == ID and context["graph"] == GRAPH
    assert context["title"] == {"@id": "cafo:title", "@container": "@language"}
    assert context["date"] == {"@id": "cafo:date", "@type": "xsd:date"}
    assert context["inceptionYear"] == {"@id": "cafo:inceptionYear", "@type": "xsd:gYear"}
    assert context["currency"] == "cafo:currency"  # xsd:string: plain strings need no coercion
    assert context["Film"] == "cafo:Film"
    graphs = {graph["@id"]: graph["@graph"] for graph in document["@graph"]}
    assert list(graphs) == sorted(graphs)  # named graphs in id order
    (ayka,) = [node for node in graphs["graph:article/004_9d304b95c593325b"] if node["@id"] == "film/ayka-2018"]
    assert ayka["director"] == "person/sergey-dvortsevoy"
    assert ayka["productionCountry"] == [
        "country/china",
        "country/germany",
        "country/kazakhstan",
        "country/poland",
        "country/russia",
    ]
    assert ayka["genre"] == {"en": "social drama", "ru": "социальная драма"}
    (entity,) = [node for node in graphs["graph:entities"] if node["@id"] == "film/ayka-2018"]
    assert entity["@type"] == "Film" and entity["label"] == {"en": "Ayka", "ru": "Айка"}
    (win,) = [node for node in graphs["graph:article/004_9d304b95c593325b"] if node["@id"].startswith("award-win/")]
    assert win == {
        "@id": "award-win/yeslyamova-cannes-2018-best-actress",
        "@type": "AwardWin",
        "atEvent": "event/cannes-2018",
        "award": "award/cannes-best-actress",
        "awardee": "person/samal-yeslyamova",
        "date": "2018-05-19",
        "forWork": "film/ayka-2018",
    }
    # no full IRI of an entity or an ontology term is left where a short form exists
    long = sorted({iri for iri in _iris(document["@graph"], context) if iri.startswith((ID, CAFO, GRAPH))})
    assert long == []


def _iris(value, context: dict, key: str = ""):
    """Every key, @id, @type and value of an IRI-valued term in a JSON-LD document."""
    if isinstance(value, dict):
        for k, item in value.items():
            yield k
            yield from _iris(item, context, k)
    elif isinstance(value, list):
        for item in value:
            yield from _iris(item, context, key)
    elif isinstance(value, str):
        term = context.get(key)
        if key in ("@id", "@type") or (isinstance(term, dict) and term.get("@type") == "@id"):
            yield value


def test_the_shipped_context_is_the_one_the_ontology_gives():
    """ontology/context.jsonld is generated from the ontology; a term added to the ontology
    must reach it (regenerate with the command in the message)."""
    from rdflib import Graph

    from kg.serialize import context_text, jsonld_context

    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    expected = context_text(jsonld_context(ontology))
    assert (ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8") == expected, (
        "ontology/context.jsonld is stale: python3 -c 'from kg.serialize import write_context; write_context()'"
    )


def test_jsonld_gives_back_the_builds_quads_in_pyld_and_pyoxigraph(built, jsonld_exports):
    build = _canonical(pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
    document = json.loads(jsonld_exports["jsonld"].read_text(encoding="utf-8"))
    assert _pyld_quads(document) == build
    theirs = _canonical(pyoxigraph.parse(path=str(jsonld_exports["jsonld"]), format=pyoxigraph.RdfFormat.JSON_LD))
    assert theirs == build
    assert len(build) > 10000


def test_jsonld_union_is_graph_ttl_in_the_default_graph(built, jsonld_exports):
    """For tools that ignore named graphs: every triple of graph.ttl, none in a named graph;
    rdflib's Graph.parse (what kglab's load_jsonld calls) reads them all."""
    from rdflib import Graph

    union = _canonical(
        pyoxigraph.Quad(t.subject, t.predicate, t.object)
        for t in pyoxigraph.parse(path=str(built / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    )
    document = json.loads(jsonld_exports["jsonld-union"].read_text(encoding="utf-8"))
    pyld = _pyld_quads(document)
    assert pyld == union
    assert all(q.graph_name == pyoxigraph.DefaultGraph() for q in pyld)
    theirs = _canonical(pyoxigraph.parse(path=str(jsonld_exports["jsonld-union"]), format=pyoxigraph.RdfFormat.JSON_LD))
    assert theirs == union
    rdflib_graph = Graph().parse(jsonld_exports["jsonld-union"], format="json-ld")
    assert set(rdflib_graph) == set(Graph().parse(built / "graph.ttl", format="turtle"))
    assert len(rdflib_graph) > 1000
    # the named-graph export, read the same way, gives nothing: why jsonld-union exists
    assert len(Graph().parse(jsonld_exports["jsonld"], format="json-ld")) == 0


def test_a_value_off_its_propertys_range_keeps_its_own_type():
    """Coercion comes from the ontology's ranges, but a value of another type (an integer
    under a decimal property, a year under a date, a string under an object property, an
    untagged string under a language map) is written in full and reads back unchanged."""
    from rdflib import RDF, XSD, Dataset, Literal, URIRef

    from kg.serialize import serialize

    dataset = Dataset()
    graph = dataset.graph(URIRef(GRAPH + "article/x"))
    node = URIRef(ID + "statistic/s")
    for p, o in (
        ("value", Literal("6", datatype=XSD.integer)),
        ("value", Literal("6.5", datatype=XSD.decimal)),
        ("date", Literal("2018", datatype=XSD.gYear)),
        ("title", Literal("plain")),
        ("title", Literal("Айка", lang="ru")),
        ("director", Literal("not an IRI")),
        ("about", URIRef("http://example.org/x")),
    ):
        graph.add((node, URIRef(CAFO + p), o))
    graph.add((node, RDF.type, URIRef(CAFO + "Statistic")))
    data = serialize(dataset, "jsonld")
    document = json.loads(data)
    assert document["@id"] == "graph:article/x"
    (shown,) = document["@graph"]
    assert shown == {
        "@id": "statistic/s",
        "@type": "Statistic",
        "about": "http://example.org/x",
        "cafo:date": {"@type": "xsd:gYear", "@value": "2018"},
        "cafo:director": "not an IRI",
        "cafo:value": {"@type": "xsd:integer", "@value": "6"},
        "title": {"@none": "plain", "ru": "Айка"},
        "value": "6.5",
    }
    expected = _canonical(
        pyoxigraph.parse(dataset.serialize(format="nquads").encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    )
    assert _pyld_quads(document) == expected
    assert _canonical(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD)) == expected


def test_a_broken_context_file_is_one_line_and_nothing_is_written(corpus, tmp_path):
    (corpus / "ontology" / "context.jsonld").write_text('{\n  "@context": {\n    "cafo": ,\n}\n', encoding="utf-8")
    target = tmp_path / "g.jsonld"
    result = invoke("export", "-f", "jsonld", "--out", str(tmp_path / "out"), "-o", str(target), project=corpus)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {corpus / 'ontology' / 'context.jsonld'}:3: not JSON (Expecting value, column 13)"
    ]
    assert not target.exists() and not (tmp_path / "out").exists()


def test_view_options_are_refused_for_rdf_formats(built):
    result = invoke(
        "--project", str(SEED_CORPUS), "export", "-f", "turtle", "--view", "coproduction", "--out", str(built)
    )
    assert result.exit_code == 2
    assert result.output == (
        "error: --view: a view's options (--view, --lang, --depth, ENTITY or FILE) are for -f gexf or graphml; "
        "-f turtle exports the whole graph\n"
    )


@pytest.mark.slow  # JSON-LD written twice
def test_remembering_compacted_iris_changes_no_byte(built, jsonld_exports, monkeypatch):
    """kg's compactor is pyld's with a memory of compacted IRIs: without it, the same bytes."""
    from pyld import jsonld

    import kg.serialize
    from kg.built import load_dataset

    monkeypatch.setattr(kg.serialize, "_compactor", jsonld.JsonLdProcessor)
    assert kg.serialize.serialize(load_dataset(built), "jsonld") == jsonld_exports["jsonld"].read_bytes()
