"""Status on any fact (issue 12): a fact the article reports as planned, negotiated, announced
or under way is never a plain triple; its claim carries the status and the quote."""

from __future__ import annotations

import csv
import io

from rdflib import Dataset, URIRef

from tests.conftest import SEED_CORPUS, invoke

ILI = "https://w3id.org/ca-film/id/series/waiting-for-you-in-ili"
ILI_YAML = "seeds/001_96dd9b9a8acb094b.yaml"
FILMED = f"""PREFIX cafo: <https://w3id.org/ca-film/ontology#>
SELECT ?place WHERE {{ <{ILI}> cafo:filmingLocation ?place }} ORDER BY ?place
"""


def _rows(out, query_file, *extra):
    result = invoke("--project", str(SEED_CORPUS), "query", str(query_file), "--out", str(out), "-f", "csv", *extra)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.output)))


def test_default_graph_says_the_ili_series_was_filmed_only_in_china(built, tmp_path):
    """Filming has started in China; Almaty, Almaty Region, the Ili valley and Xinjiang are planned."""
    query = tmp_path / "filmed.rq"
    query.write_text(FILMED, encoding="utf-8")
    for engine in ("oxigraph", "rdflib"):
        rows = _rows(built, query, "--engine", engine)
        assert rows == [["place"], ["https://w3id.org/ca-film/id/country/china"]], engine


def test_no_graph_states_a_planned_location_and_the_claims_hold_the_status(built):
    dataset = Dataset()
    dataset.parse(built / "graph.nq", format="nquads")
    prop = URIRef("https://w3id.org/ca-film/ontology#filmingLocation")
    places = {str(o).rsplit("/", 1)[1] for g in dataset.graphs() for o in g.objects(URIRef(ILI), prop)}
    assert places == {"china"}
    rows = dataset.query(
        f"""PREFIX cafo: <https://w3id.org/ca-film/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?place ?status WHERE {{ GRAPH ?g {{
          ?claim rdf:subject <{ILI}> ; rdf:predicate cafo:filmingLocation ; rdf:object ?place ; cafo:status ?status }} }}
        """
    )
    got = sorted((str(p).rsplit("/", 1)[1], str(s).rsplit("#", 1)[1]) for p, s in rows)
    assert sorted(set(got)) == [
        ("almaty", "Planned"),
        ("almaty-region", "Planned"),
        ("ili-river-valley", "Planned"),
        ("xinjiang", "Planned"),
    ]


def test_plans_query_returns_planned_places_with_quote(built):
    rows = _rows(built, "queries/plans_by_status.rq", "--bind", "status=<https://w3id.org/ca-film/ontology#Planned>")
    header = rows[0]
    facts = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[2] == "fact"]
    assert [(f["subject"], f["property"], f["value"], f["quote"]) for f in facts] == [
        (
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty",
            "В начале сентября съемочная группа продолжит работу в Алматы и Алматинской области.",
        ),
        (
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty Region",
            "В начале сентября съемочная группа продолжит работу в Алматы и Алматинской области.",
        ),
        (
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty Region",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
        ),
        (
            "I Am Waiting for You in Ili",
            "filming location",
            "Ili River valley",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
        ),
        (
            "I Am Waiting for You in Ili",
            "filming location",
            "Xinjiang",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
        ),
    ]


def test_ongoing_filming_stage(built):
    rows = _rows(built, "queries/plans_by_status.rq", "--bind", "status=<https://w3id.org/ca-film/ontology#Ongoing>")
    assert [(row[2], row[3].rsplit("/", 1)[1]) for row in rows[1:]] == [
        ("event", "waiting-for-you-in-ili-filming-china")
    ]


def test_unknown_status_names_file_line_and_choices(corpus):
    path = corpus / ILI_YAML
    text = path.read_text(encoding="utf-8")
    old = "    object: [city/almaty, region/almaty-region]\n    status: Planned\n"
    assert old in text
    line = text[: text.index(old)].count("\n") + 2
    path.write_text(text.replace(old, old.replace("Planned", "Someday")), encoding="utf-8")
    result = invoke("build", "--out", str(corpus / "out"), project=corpus)
    assert result.exit_code == 1
    assert (
        f"{ILI_YAML}:{line}: status takes one of Announced, Done, Negotiating, Ongoing, Planned, not 'Someday'"
        in result.output
    )
    assert "Traceback" not in result.output


def test_status_done_is_the_default(corpus, tmp_path):
    """`status: Done` states the fact as a plain triple, exactly as no status does."""
    path = corpus / ILI_YAML
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    status: Planned\n    quote: В начале", "    status: Done\n    quote: В начале"))
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    query = tmp_path / "filmed.rq"
    query.write_text(FILMED, encoding="utf-8")
    result = invoke("query", str(query), "--out", str(out), "-f", "csv", project=corpus)
    assert result.output.split() == [
        "place",
        "https://w3id.org/ca-film/id/city/almaty",
        "https://w3id.org/ca-film/id/country/china",
        "https://w3id.org/ca-film/id/region/almaty-region",
    ]
