"""The RDFS closure the build materialises into graph/entailed (kg.entail): class and property
hierarchy and the schema.org alignment answer plain `?x a cafo:Event` / `?x a schema:Movie`
queries on both engines, through `kg serve` and in the Turtle export alone; `kg export
--asserted-only` leaves it out; the reasoner does not read it."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request

import pyoxigraph
import pytest
from rdflib import RDF, XSD, Dataset, Literal

from kg.entail import GRAPH_ENTAILED
from kg.iris import CAFO, GRAPH_META, GRAPH_PROVENANCE, ID, SCHEMA
from kg.reason import is_asserted_graph
from tests.conftest import fast_and_slow, invoke, run_kg
from tests.test_serve import start_server, stop_server

# The engine matrix: oxigraph (the default) in the fast tier, rdflib in the full suite.
ENGINE_TIERS = fast_and_slow(["oxigraph", "rdflib"], {"oxigraph"}, str)

PREFIXES = """PREFIX cafo: <https://w3id.org/ca-film/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX film: <https://w3id.org/ca-film/id/film/>
PREFIX series: <https://w3id.org/ca-film/id/series/>
"""

EVENTS = [
    "event/almaty-city-day",
    "event/almaty-film-festival-1",
    "event/cannes-2018",
    "event/eurasia-iff-17",
    "event/eurasia-iff-17-central-asia-turkic-competition",
    "event/eurasia-iff-17-international-competition",
    "event/eurasia-iff-17-opening-ceremony",
    "event/global-tech-wave-2025",  # a cafo:Conference: the acceptance item
    "event/kazakh-cinema-90th-anniversary",
    "event/kazakhfilm-90th-anniversary",
    "event/national-cinema-day-kazakhstan",
    "event/shaken-aimanov-110th-birth-anniversary",
    "event/waiting-for-you-in-ili-filming-almaty",
    "event/waiting-for-you-in-ili-filming-china",
    "festival/almaty-film-festival",
    "festival/cannes",
    "festival/eurasia-iff",
    "screening/ayka-almaty-film-festival-opening",
    "screening/ayka-cannes-working-version",
    "screening/kazakh-cinema-90-years-film-national-cinema-day",
    "screening/my-altay-premiere",
    "screening/waiting-for-you-in-ili-premiere",
]
ORGANISATIONS = [
    "org/almaty-akimat",  # GovernmentBody
    "org/astana-film-fund",  # FilmFund
    "org/kazakhfilm",  # FilmStudio
    "org/kazinform",  # Organization, asserted
    "org/netflix",  # StreamingService
    "org/seventh-channel",  # Broadcaster
    "org/xinjiang-radio-television",  # Broadcaster
]
MOVIES = ["film/ayka-2018", "film/kazakh-cinema-90-years-film", "film/mirrors-suleymenov"]


def _ids(text: str) -> list[str]:
    """The first column of a CSV result, each IRI as its short id."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return [row[0].removeprefix(ID) for row in rows]


@pytest.fixture(scope="module")
def query_file(tmp_path_factory):
    def write(sparql: str):
        path = tmp_path_factory.mktemp("q") / "q.rq"
        path.write_text(PREFIXES + sparql, encoding="utf-8")
        return path

    return write


def _run(built, path, engine: str) -> list[str]:
    result = invoke("query", str(path), "--out", str(built), "--engine", engine, "--format", "csv")
    assert result.exit_code == 0, result.output
    return _ids(result.output)


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_a_class_query_finds_every_event_the_conference_included(built, query_file, engine):
    path = query_file("SELECT ?x WHERE { ?x a cafo:Event } ORDER BY ?x")
    assert _run(built, path, engine) == EVENTS


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_organisations_include_the_broadcasters(built, query_file, engine):
    path = query_file("SELECT ?x WHERE { ?x a cafo:Organization } ORDER BY ?x")
    assert _run(built, path, engine) == ORGANISATIONS


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_schema_org_classes_answer_through_the_alignment(built, query_file, engine):
    path = query_file("SELECT ?x WHERE { ?x a schema:Movie } ORDER BY ?x")
    assert _run(built, path, engine) == MOVIES
    # Transitively: a broadcaster is an Organization, which is an Agent.
    path = query_file(
        f"SELECT ?x WHERE {{ ?x a cafo:Agent . FILTER(STRSTARTS(STR(?x), STR(<{ID}org/>))) }} ORDER BY ?x"
    )
    assert _run(built, path, engine) == ORGANISATIONS


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_schema_org_properties_answer_through_the_alignment(built, query_file, engine):
    # cafo:director rdfs:subPropertyOf schema:director
    path = query_file("SELECT ?who WHERE { film:ayka-2018 schema:director ?who }")
    assert _run(built, path, engine) == ["person/sergey-dvortsevoy"]
    # cafo:productionCompany owl:equivalentProperty schema:productionCompany
    path = query_file("SELECT ?by WHERE { series:waiting-for-you-in-ili schema:productionCompany ?by } ORDER BY ?by")
    assert _run(built, path, engine) == ["org/seventh-channel", "org/xinjiang-radio-television"]


def _entailed(built) -> tuple[Dataset, set]:
    dataset = Dataset()
    dataset.parse(str(built / "graph.nq"), format="nquads")
    return dataset, set(dataset.graph(GRAPH_ENTAILED))


def test_the_entailed_graph_is_about_what_is_there_and_only_adds(built):
    dataset, entailed = _entailed(built)
    asserted = {
        triple
        for graph in dataset.graphs()
        if graph.identifier not in (GRAPH_ENTAILED, GRAPH_META, GRAPH_PROVENANCE)
        for triple in graph
    }
    assert entailed and not entailed & asserted
    # Every entailed triple is about what the asserted union has: a typed thing gets more
    # classes, a linked pair more properties, nothing else.
    typed = {s for s, p, _ in asserted if p == RDF.type}
    pairs = {(s, o) for s, _, o in asserted}
    for s, p, o in entailed:
        if p == RDF.type:
            assert s in typed and str(o).startswith((str(CAFO), str(SCHEMA))), (s, o)
        else:
            assert (s, o) in pairs and str(p).startswith(str(SCHEMA)), (s, p, o)
    # Never the provenance reification: no claim, evidence or article is typed or linked.
    assert not any(str(s).startswith((ID + "claim/", ID + "evidence/", ID + "article/")) for s, _, _ in entailed)
    # The reasoner reads the asserted graphs only.
    assert not is_asserted_graph(str(GRAPH_ENTAILED))


def test_the_turtle_export_alone_answers_schema_movie(built, tmp_path):
    target = tmp_path / "graph.ttl"
    proc = run_kg("export", "--out", str(built), "--format", "turtle", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    store = pyoxigraph.Store()
    store.load(path=str(target), format=pyoxigraph.RdfFormat.TURTLE)  # the default graph, nothing else
    rows = store.query("SELECT ?x WHERE { ?x a <https://schema.org/Movie> } ORDER BY ?x")
    assert [row["x"].value.removeprefix(ID) for row in rows] == MOVIES


RDF_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "xml": "xml",
    "trig": "trig",
    "nquads": "nquads",
    "jsonld": "json-ld",
}


@pytest.mark.slow  # every RDF format written and parsed back
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_asserted_only_exports_leave_the_entailed_graph_out(built, fmt):
    _, entailed = _entailed(built)

    def exported(*options: str) -> set:
        result = invoke("export", "--out", str(built), "--format", fmt, *options)
        assert result.exit_code == 0, result.output
        data = Dataset()
        data.parse(data=result.output, format=RDF_FORMATS[fmt])
        return {_value(triple) for graph in data.graphs() for triple in graph}

    entailed = {_value(triple) for triple in entailed}
    assert entailed <= exported()
    assert not entailed & exported("--asserted-only")


def _value(triple: tuple) -> tuple:
    """A triple with its literal by value: Turtle writes 2500000.0 for "2500000"^^xsd:decimal,
    RDF/XML keeps ^^xsd:string where the others drop it."""
    s, p, o = triple
    if isinstance(o, Literal):
        datatype = None if o.datatype == XSD.string else o.datatype
        return s, p, (o.value if o.value is not None else str(o), datatype, o.language)
    return s, p, o


@pytest.mark.slow  # a server process of its own
def test_kg_serve_answers_with_the_entailment(built):
    proc, url = start_server(built)
    try:
        query = PREFIXES + "SELECT ?x WHERE { ?x a cafo:Organization } ORDER BY ?x"
        request = urllib.request.Request(
            url + "?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.load(response)["results"]["bindings"]
    finally:
        stop_server(proc)
    assert [row["x"]["value"].removeprefix(ID) for row in rows] == ORGANISATIONS


@pytest.mark.slow  # a build and a reasoning of its own
def test_inferred_does_not_repeat_the_entailment(tmp_path):
    """graph/inferred (kg reason) leaves out what graph/entailed holds: with --inferred, Oxigraph
    (which answers once per graph) gives each film once, as rdflib does."""
    out = str(tmp_path / "out")
    assert invoke("build", "--out", out, "--quiet").exit_code == 0
    reasoned = invoke("reason", "--out", out, "--reasoner", "rules")
    assert reasoned.exit_code == 0, reasoned.output
    query = tmp_path / "movies.rq"
    query.write_text(PREFIXES + "SELECT ?x WHERE { ?x a schema:Movie } ORDER BY ?x", encoding="utf-8")
    for engine in ("oxigraph", "rdflib"):
        result = invoke("query", str(query), "--out", out, "--inferred", "--engine", engine, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert _ids(result.output) == MOVIES, engine
