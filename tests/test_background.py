"""Background facts (issue 12): the registry may state where a place lies or what an
organisation is, each with a reference (a Wikidata item, or a web page and its words) instead
of an article quote. They live in graph/background, count in the default graph, and the
evidence query shows their reference. Never without one."""

from __future__ import annotations

import csv
import io

from rdflib import Dataset, Graph, URIRef

from tests.conftest import SEED_CORPUS, invoke, without_display

PLACES = "seeds/registry/places.yaml"
ORGS = "seeds/registry/organisations.yaml"
ID = "https://w3id.org/ca-film/id/"


def _rows(out, *args, project=SEED_CORPUS):
    result = invoke("--project", str(project), "query", *args, "--out", str(out), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    return without_display(rows[0], [tuple(cell.removeprefix(ID) for cell in row) for row in rows[1:]])


def test_background_graph_holds_the_referenced_locations(built):
    dataset = Dataset()
    dataset.parse(built / "graph.nq", format="nquads")
    graph = dataset.graph(URIRef("https://w3id.org/ca-film/graph/background"))
    assert sorted((str(s).removeprefix(ID), str(p).rsplit("#")[1], str(o).removeprefix(ID)) for s, p, o in graph) == [
        ("city/almaty", "locatedIn", "country/kazakhstan"),
        ("city/astana", "locatedIn", "country/kazakhstan"),
        ("city/moscow", "locatedIn", "country/russia"),
        ("region/xinjiang", "locatedIn", "country/china"),
    ]
    union = Graph().parse(built / "graph.ttl", format="turtle")
    located_in = URIRef("https://w3id.org/ca-film/ontology#locatedIn")
    assert (URIRef(ID + "city/almaty"), located_in, URIRef(ID + "country/kazakhstan")) in union


def test_works_set_in_russia_through_moscow(built):
    """AIKA is set in Moscow (004); Moscow lies in Russia by Wikidata Q649: a work set in Russia."""
    header, rows = _rows(built, "queries/works_filmed_or_set_in_place.rq", "--bind", "place=country/russia")
    assert [dict(zip(header, row, strict=True))["work_label"] for row in rows] == ["Ayka"]
    assert [dict(zip(header, row, strict=True))["location"] for row in rows] == ["city/moscow"]


def test_evidence_shows_the_reference(built):
    _header, rows = _rows(built, "queries/evidence_for_entity.rq", "--bind", "entity=city/almaty")
    assert rows[0] == (
        "city/almaty",
        "Almaty",
        "located in",
        "Kazakhstan",
        "http://www.wikidata.org/entity/Q35493",
        "",
        "",
        "",
    )
    assert all(row[4].startswith("article/") for row in rows[1:])


def _append(corpus, rel: str, after: str, block: str) -> int:
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + block, 1), encoding="utf-8")
    return text[: text.index(after)].count("\n") + after.count("\n") + 1


def test_a_web_page_reference_with_its_words(corpus, tmp_path):
    _append(
        corpus,
        ORGS,
        "- id: org/kazakhfilm\n",
        "  background:\n    - property: country\n      object: country/kazakhstan\n"
        "      reference: {url: 'https://example.org/kazakhfilm', quote: Kazakhfilm is the national film studio of Kazakhstan}\n",
    )
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    _header, rows = _rows(out, "queries/evidence_for_entity.rq", "--bind", "entity=org/kazakhfilm", project=corpus)
    assert (
        "org/kazakhfilm",
        "Kazakhfilm",
        "country",
        "Kazakhstan",
        "https://example.org/kazakhfilm",
        "Kazakhfilm is the national film studio of Kazakhstan",
        "",
        "",
    ) in rows


def test_never_without_a_reference(corpus, tmp_path):
    line = _append(
        corpus,
        PLACES,
        "  wikidata: Q649\n  background:                    # not in any article: a reference instead of a quote\n",
        "    - property: locatedIn\n      object: country/kazakhstan\n"
        "    - property: directorOf\n      object: country/russia\n      reference: {wikidata: Q649}\n",
    )
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [line.split(f"{PLACES}:", 1)[1] for line in result.output.splitlines() if f"{PLACES}:" in line]
    assert problems == [
        f"{line}: city/moscow background: locatedIn country/kazakhstan has no reference: "
        "give {wikidata: Q...} or {url: ..., quote: ...}",
        f"{line + 2}: city/moscow background: property 'directorOf' is not one of locatedIn, country, type",
    ]
