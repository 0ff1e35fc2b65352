"""The CLI only parses, calls and prints: its choice lists, short forms, result formats and
the push password rule live in the modules that own them (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph

from kg.iris import CAFO, CONCEPT, GRAPH, ID
from kg.push import password_for
from kg.query import RESULT_FORMATS, W3C_RESULT_FORMATS, results_format, short_form
from kg.show import short_id
from tests.conftest import ROOT, invoke


def test_export_formats_are_the_rdf_ones_then_the_network_ones():
    result = invoke("export", "--help")
    assert result.exit_code == 0
    assert "-f, --format [turtle|ntriples|xml|jsonld-union|trig|nquads|jsonld|gexf|graphml]" in result.output


def test_a_choice_outside_the_modules_list_names_every_choice():
    result = invoke("query", "countries_coproducing_with_kazakhstan.rq", "-f", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'csv', 'tsv', 'json', 'xml'." in result.output
    result = invoke("query", "countries_coproducing_with_kazakhstan.rq", "--engine", "jena")
    assert result.exit_code == 2
    assert "'jena' is not one of 'oxigraph', 'rdflib'." in result.output
    result = invoke("check", "--reasoner", "fact")
    assert result.exit_code == 2
    assert "'fact' is not one of 'hermit', 'pellet', 'rules'." in result.output
    result = invoke("check", "--fail-on", "bogus")  # kg.check.LEVELS, and NONE
    assert result.exit_code == 2
    assert "'bogus' is not one of 'error', 'warn', 'info', 'none'." in result.output


def test_kg_help_reads_no_choice_list_and_imports_no_rdf_library():
    """The choices are read when a command needs them, so `kg --help` stays light."""
    code = (
        "import sys; from click.testing import CliRunner; from kg.cli import main; "
        "out = CliRunner().invoke(main, ['--help']).output; "
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx', 'kg.query', 'kg.serialize') if m in sys.modules)); "
        "print('Export the graph in a standard format, deterministically.' in out)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["[]", "True"]


def test_one_short_form_for_query_messages_and_kg_show():
    assert short_form(ID + "person/samal-yeslyamova") == "person/samal-yeslyamova"
    assert short_form(CONCEPT + "occupation/actor") == "occupation/actor"
    assert short_form(GRAPH + "article/004") == "graph/article/004"
    assert short_form("https://example.org/x") is None
    assert short_id(ID + "article/004") == "article/004"  # a minted IRI by its short form, never article:004
    assert short_id(str(CAFO) + "Person") == "cafo:Person"
    assert short_id("http://www.w3.org/2004/02/skos/core#altLabel") == "skos:altLabel"
    assert short_id("https://example.org/x") == "https://example.org/x"


def test_one_map_of_w3c_result_formats_for_kg_query_and_kg_serve():
    assert RESULT_FORMATS == ("table", "csv", "tsv", "json", "xml")
    assert [results_format(name) for name in W3C_RESULT_FORMATS] == [
        pyoxigraph.QueryResultsFormat.CSV,
        pyoxigraph.QueryResultsFormat.TSV,
        pyoxigraph.QueryResultsFormat.JSON,
        pyoxigraph.QueryResultsFormat.XML,
    ]


def test_the_push_password_comes_from_the_environment_else_is_asked(monkeypatch):
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return "typed"

    monkeypatch.delenv("KG_ENDPOINT_PASSWORD", raising=False)
    assert password_for(None, ask) is None
    assert password_for("dba", ask) == "typed"
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "from-env")
    assert password_for("dba", ask) == "from-env"
    assert asked == ["password for dba"]
