"""kg query: the headline answer, result formats, safety, bindings."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import SEED_CORPUS, invoke, run_kg

KZ_PARTNERS = ["China", "Germany", "Poland", "Russia"]


def _query(built, *args):
    return invoke("--project", str(SEED_CORPUS), "query", *args, "--out", str(built))


def test_headline_query_lists_exactly_the_four_partners(built):
    result = _query(built, "queries/countries_coproducing_with_kazakhstan.rq", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["label"] for row in rows] == KZ_PARTNERS
    assert rows[0]["country"] == "https://w3id.org/ca-film/id/country/china"
    works = {row["label"]: set(row["works"].split("; ")) for row in rows}
    assert works["Germany"] == {"Ayka"}
    assert works["China"] == {"Ayka", "I Am Waiting for You in Ili"}


def test_headline_query_through_a_subprocess_by_bare_name(built):
    proc = run_kg(
        "--project",
        str(SEED_CORPUS),
        "query",
        "countries_coproducing_with_kazakhstan.rq",
        "-f",
        "tsv",
        "--out",
        str(built),
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split("\t") == ["?country", "?label", "?works"]
    assert [line.split("\t")[1] for line in lines[1:]] == [f'"{c}"@en' for c in KZ_PARTNERS]


def test_json_and_xml_are_w3c_results(built):
    data = json.loads(_query(built, "countries_coproducing_with_kazakhstan.rq", "-f", "json").output)
    assert data["head"]["vars"] == ["country", "label", "works"]
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == KZ_PARTNERS
    xml = _query(built, "countries_coproducing_with_kazakhstan.rq", "-f", "xml").output
    assert "http://www.w3.org/2005/sparql-results#" in xml and '<literal xml:lang="en">Poland</literal>' in xml


def test_table_is_readable(built):
    output = _query(built, "countries_coproducing_with_kazakhstan.rq").output
    assert "country:russia" in output and "Russia" in output and "4 rows" in output


def test_evidence_for_entity_returns_fact_article_and_quote(built):
    result = _query(built, "evidence_for_entity.rq", "--bind", "entity=person/samal-yeslyamova", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(result.output)["results"]["bindings"]]
    cast = [r for r in rows if r["property"] == "cast member"]
    # oa:exact keeps the article's own characters (here no-break spaces); compare words.
    assert {" ".join(r["quote"].split()) for r in cast} == {
        "fir her role in the film",
        "за лучшую женскую роль в этом фильме",
    }
    assert all(r["article"].endswith("/article/004_9d304b95c593325b") for r in cast)
    assert {r["value"] for r in rows if r["property"] == "nationality"} == {"Kazakhstan"}


def test_ask_and_construct(built, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text(
        "ASK { ?w <https://w3id.org/ca-film/ontology#director> <https://w3id.org/ca-film/id/person/sergey-dvortsevoy> }"
    )
    assert _query(built, str(ask), "-f", "csv").output == "true\n"
    construct = tmp_path / "c.rq"
    construct.write_text(
        "CONSTRUCT { ?w <https://schema.org/director> ?d } WHERE { ?w <https://w3id.org/ca-film/ontology#director> ?d }"
    )
    output = _query(built, str(construct)).output
    assert "film:ayka-2018" in output and "person:sergey-dvortsevoy" in output


def test_syntax_error_names_the_line_and_exits_2(built, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# a comment\nSELECT ?x WHERE {\n  ?x ?y \n}\n")
    result = _query(built, str(bad))
    assert result.exit_code == 2
    assert "bad.rq:3:" in result.output and "SPARQL syntax error" in result.output


def test_update_is_refused(built, tmp_path):
    update = tmp_path / "drop.rq"
    update.write_text("DELETE WHERE { ?s ?p ?o }")
    result = _query(built, str(update))
    assert result.exit_code == 2 and "refused" in result.output and "UPDATE" in result.output


def test_service_and_from_are_refused_without_the_flag(built, tmp_path):
    service = tmp_path / "service.rq"
    service.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    result = _query(built, str(service))
    assert result.exit_code == 2 and "SERVICE" in result.output and "--allow-network" in result.output
    from_ = tmp_path / "from.rq"
    from_.write_text("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")
    result = _query(built, str(from_))
    assert result.exit_code == 2 and "FROM" in result.output


def test_query_on_a_data_file(built, tmp_path):
    result = invoke(
        "query",
        "countries_coproducing_with_kazakhstan.rq",
        "--data",
        str(built / "graph.ttl"),
        "-f",
        "csv",
        project=SEED_CORPUS,
    )
    assert [row["label"] for row in csv.DictReader(io.StringIO(result.output))] == KZ_PARTNERS


def test_missing_query_file(built):
    result = _query(built, "no_such_query.rq")
    assert result.exit_code == 2 and "no_such_query.rq" in result.output


def test_help_documents_the_limits():
    result = invoke("query", "--help")
    text = " ".join(result.output.split())
    assert "--timeout SECONDS Stop the query after this many seconds (exit 2); 0 for no limit. [default: 60]" in text
    assert "--max-memory MB Stop an rdflib query that grows the process by more than this (exit 2)" in text
    assert "[env var: KG_QUERY_MAX_MEMORY]" in text


def test_no_limits_at_all_still_answer(built):
    """--timeout 0 and --max-memory 0 mean none: the query runs in this process, same answer."""
    for engine in ("oxigraph", "rdflib"):
        result = _query(built, "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--engine", engine,
                        "--timeout", "0", "--max-memory", "0")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert [row["label"] for row in csv.DictReader(io.StringIO(result.output))] == KZ_PARTNERS


def test_the_default_limits_run_the_query_in_a_child_process(built, monkeypatch):
    """Without --timeout the query still runs under the 60 s limit, in a killable child; on
    rdflib the memory ceiling is the default one."""
    import kg.limits
    import kg.query

    calls = []
    real = kg.limits.call_with_timeout

    def spy(func, args, seconds, what, error):
        calls.append((func.__name__, seconds, args[-1] if func is kg.query.run_rdflib_limited else None))
        return real(func, args, seconds, what, error)

    monkeypatch.setattr(kg.limits, "call_with_timeout", spy)
    for engine in ("oxigraph", "rdflib"):
        result = _query(built, "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--engine", engine)
        assert [row["label"] for row in csv.DictReader(io.StringIO(result.output))] == KZ_PARTNERS
    assert calls == [("run", 60.0, None), ("run_rdflib_limited", 60.0, kg.query.default_max_memory())]
    assert 0 < kg.query.default_max_memory() <= 4096
