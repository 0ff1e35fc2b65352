"""kg check: the seed graph has no ERROR; every check is tripped by a small graph made for it;
findings point back to the mapping file and line; formats and --fail-on."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from kg.iris import ENTITY_KINDS
from tests.conftest import ROOT, SEED_CORPUS, invoke, snapshot

HAS_JAVA = shutil.which("java") is not None
AIKA = "seeds/004_9d304b95c593325b.yaml"

PREFIXES = """
@prefix cafo: <https://w3id.org/ca-film/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix id: <https://w3id.org/ca-film/id/> .
@prefix graph: <https://w3id.org/ca-film/graph/> .
"""

# Two well-formed entities and one fact about them with its evidence: the base the small
# graphs below break one way each.
GOOD = """
graph:entities {
  id:film\\/ayka-2018 a cafo:Film ; rdfs:label "Ayka"@en , "Айка"@ru .
  id:country\\/kazakhstan a cafo:Country ; rdfs:label "Kazakhstan"@en , "Казахстан"@ru ; owl:sameAs wd:Q232 .
}
graph:article\\/t1 { id:film\\/ayka-2018 cafo:productionCountry id:country\\/kazakhstan . }
graph:provenance {
  id:claim\\/t1\\/f1-1 a rdf:Statement ; rdf:subject id:film\\/ayka-2018 ;
      rdf:predicate cafo:productionCountry ; rdf:object id:country\\/kazakhstan ;
      prov:wasDerivedFrom id:article\\/t1 .
  id:evidence\\/t1\\/f1-q1 a oa:Annotation ; oa:hasBody id:claim\\/t1\\/f1-1 ; oa:hasTarget id:t1-target .
  id:t1-target oa:hasSource id:article\\/t1 ; oa:hasSelector id:t1-quote , id:t1-position .
  id:t1-quote a oa:TextQuoteSelector ; oa:exact "a co-production" .
  id:t1-position a oa:TextPositionSelector ; oa:start 0 ; oa:end 15 .
}
graph:meta { id:article\\/t1 a schema:NewsArticle ; schema:datePublished "2025-01-10"^^xsd:date . }
"""


def _check(tmp_path, trig: str, name: str, *extra: str) -> list[dict]:
    """kg check --data on a small TriG graph, one check, JSON findings."""
    path = tmp_path / "small.trig"
    path.write_text(PREFIXES + trig, encoding="utf-8")
    result = invoke(
        "check", "--data", str(path), "--only", name, "-f", "json", "--fail-on", "NONE", *extra, project=SEED_CORPUS
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]


def _rows(findings, *fields) -> set[tuple]:
    return {tuple(f[field] for field in fields) for f in findings}


def test_good_small_graph_passes_every_check(tmp_path):
    for name in ("work", "labels", "dates", "amounts", "evidence", "facts-without-evidence", "shared-wikidata"):
        assert _check(tmp_path, GOOD, name) == [], name


# -- the seed graph -------------------------------------------------------------------------------


@pytest.mark.slow  # every check, SHACL included, over the whole seed graph
def test_seed_graph_has_no_error(built):
    reasoner = "hermit" if HAS_JAVA else "rules"
    before = snapshot(built)
    result = invoke("check", "--out", str(built), "--reasoner", reasoner, "-f", "json", project=SEED_CORPUS)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["ERROR"] == 0
    assert "consistency" in report["checks"] and "labels" in report["checks"]
    # What it does warn about, each pointing at the file and line to open.
    assert ("WARN", "work", "series/star-wars", "seeds/registry/works.yaml:26") in _rows(
        report["findings"], "level", "check", "entity", "source"
    )
    assert all(re.match(r"^seeds/.+\.yaml:\d+$", f["source"]) for f in report["findings"])
    assert "kg check: 0 ERROR" in result.stderr
    assert snapshot(built) == before  # a check writes nothing


def test_finding_points_back_to_the_mapping_line(corpus, tmp_path):
    """An award date in the future, in a real mapping: the finding names the fact's line."""
    mapping = corpus / AIKA
    text = mapping.read_text(encoding="utf-8")
    old = "      date: 2018-05-19\n"
    assert text.count(old) == 1
    mapping.write_text(text.replace(old, "      date: 2999-05-19\n"), encoding="utf-8")
    fact_start = text[: text.index(old)].rfind("\n  - ") + 1
    fact_line = text[:fact_start].count("\n") + 1
    result = invoke("check", "--out", str(tmp_path / "out"), "--only", "dates", "-f", "tsv", project=corpus)
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    assert [row[:6] for row in rows] == [
        [
            "ERROR",
            "dates",
            "award-win/yeslyamova-cannes-2018-best-actress",
            "cafo:date",
            "2999-05-19",
            f"{corpus}/{AIKA}:{fact_line}",
        ]
    ]
    # the article has no date: the limit is today
    assert re.fullmatch(
        r"2999-05-19 is after today \(\d{4}-\d{2}-\d{2}\) but is not filed as a plan \(give it a status: .*\)",
        rows[0][6],
    )


# -- one small graph per check ------------------------------------------------------------------


@pytest.mark.parametrize("reasoner", [pytest.param("hermit", marks=[pytest.mark.java]), "rules"])
def test_consistency(tmp_path, reasoner):
    if reasoner == "hermit" and not HAS_JAVA:
        pytest.skip("no java on PATH")
    trig = (
        GOOD
        + """
graph:entities { id:person\\/samal-yeslyamova a cafo:Person ; rdfs:label "Samal Yeslyamova"@en , "Самал Еслямова"@ru . }
graph:article\\/t2 { id:film\\/ayka-2018 cafo:productionCountry id:person\\/samal-yeslyamova . }
"""
    )
    findings = _check(tmp_path, trig, "consistency", "--reasoner", reasoner)
    assert ("ERROR", "film/ayka-2018", "cafo:productionCountry", "person/samal-yeslyamova") in _rows(
        findings, "level", "entity", "property", "value"
    )
    assert all(f["message"].startswith("the graph is inconsistent") for f in findings)
    # The registry's type of the person is traced to its entry.
    assert any(f["source"].startswith("seeds/registry/people.yaml:") for f in findings) or reasoner == "hermit"


def test_consistency_catches_two_years_of_one_work(tmp_path):
    """cafo:year is functional; HermiT ignores xsd:gYear (not an OWL 2 datatype), the clash
    rules that run after every reasoner do not."""
    trig = GOOD + 'graph:article\\/t1 { id:film\\/ayka-2018 cafo:year "2018"^^xsd:gYear , "2019"^^xsd:gYear . }\n'
    findings = _check(tmp_path, trig, "consistency", "--reasoner", "rules")
    assert _rows(findings, "entity", "property", "value") == {
        ("film/ayka-2018", "cafo:year", "2018"),
        ("film/ayka-2018", "cafo:year", "2019"),
        ("cafo:year has one value at most", "", ""),
    }
    # the ontology is the project's, outside the fixture corpus: named by its path
    assert re.search(r"(^|/)ontology/cafilm\.ttl:\d+$", next(f["source"] for f in findings if f["property"] == ""))


def test_twins(tmp_path):
    trig = (
        GOOD
        + """
graph:entities {
  id:person\\/sergey-dvortsevoy a cafo:Person ; rdfs:label "Sergey Dvortsevoy"@en , "Сергей Дворцевой"@ru .
  id:person\\/sergei-dvortsevoi a cafo:Person ; rdfs:label "Sergei Dvortsevoi"@en , "Дворцевой С."@ru .
}
"""
    )
    findings = _check(tmp_path, trig, "twins")
    assert _rows(findings, "level", "entity", "value") == {
        ("WARN", "person/sergey-dvortsevoy", "Sergey Dvortsevoy"),
        ("WARN", "person/sergei-dvortsevoi", "Sergei Dvortsevoi"),
    }
    by_entity = {f["entity"]: f for f in findings}
    assert by_entity["person/sergey-dvortsevoy"]["message"] == (
        "likely the same thing as person/sergei-dvortsevoi: their labels read 'sergei dvorcevoi' once spelling "
        "is folded (merge them, or tell them apart)"
    )
    # the one the corpus's registry knows is traced to its entry; the stranger has no source
    assert by_entity["person/sergey-dvortsevoy"]["source"] == "seeds/registry/people.yaml:5"
    assert by_entity["person/sergei-dvortsevoi"]["source"] == ""


def test_twin_key_folds_case_spaces_script_and_transliteration_variants():
    from kg.check import twin_key

    assert twin_key("Sergey  Dvortsevoy") == twin_key("СЕРГЕЙ ДВОРЦЕВОЙ") == twin_key("sergei dvortsevoi")
    assert twin_key("Samal Yeslyamova") == twin_key("Самал Еслямова") == twin_key("Samal Eslyamova")
    assert twin_key("Ayka") == twin_key("Айка")
    assert twin_key("Almaty") != twin_key("Astana")


def test_quotes(tmp_path):
    """A quote that is not at its offsets in the article file, and an article file that is gone."""
    trig = (
        GOOD
        + """
graph:meta {
  id:article\\/t1 dcterms:source "seeds/004_9d304b95c593325b.txt" .
}
graph:article\\/t3 { id:film\\/ayka-2018 cafo:director id:person\\/sergey-dvortsevoy . }
graph:provenance {
  id:claim\\/t3\\/f1-1 a rdf:Statement ; rdf:subject id:film\\/ayka-2018 ; rdf:predicate cafo:director ;
      rdf:object id:person\\/sergey-dvortsevoy ; prov:wasDerivedFrom id:article\\/t3 .
  id:evidence\\/t3\\/f1-q1 a oa:Annotation ; oa:hasBody id:claim\\/t3\\/f1-1 ; oa:hasTarget id:t3-target .
  id:t3-target oa:hasSource id:article\\/t3 ; oa:hasSelector id:t3-quote , id:t3-position .
  id:t3-quote a oa:TextQuoteSelector ; oa:exact "directed by" .
  id:t3-position a oa:TextPositionSelector ; oa:start 0 ; oa:end 11 .
}
graph:meta { id:article\\/t3 dcterms:source "seeds/no-such-article.txt" . }
"""
    )
    findings = _check(tmp_path, trig, "quotes")
    assert _rows(findings, "level", "entity", "property", "value") == {
        ("ERROR", "film/ayka-2018", "cafo:productionCountry", "a co-production"),
        ("ERROR", "film/ayka-2018", "cafo:director", "directed by"),
    }
    messages = {f["property"]: f["message"] for f in findings}
    assert messages["cafo:productionCountry"] == (
        "the quote is no longer at characters 0-15 of seeds/004_9d304b95c593325b.txt: the article changed since the build"
    )
    assert messages["cafo:director"] == "the article file seeds/no-such-article.txt is missing"


def test_quotes_of_the_seed_build_all_match(built):
    result = invoke("check", "--out", str(built), "--only", "quotes", "-f", "json", project=SEED_CORPUS)
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


def test_facts_without_evidence(tmp_path):
    trig = GOOD + 'graph:article\\/t1 { id:film\\/ayka-2018 cafo:year "2018"^^xsd:gYear . }\n'
    findings = _check(tmp_path, trig, "facts-without-evidence")
    assert _rows(findings, "level", "entity", "property", "value") == {("ERROR", "film/ayka-2018", "cafo:year", "2018")}


def test_unused_entities(tmp_path):
    trig = GOOD + """graph:entities { id:city\\/astana a cafo:City ; rdfs:label "Astana"@en , "Астана"@ru . }"""
    findings = _check(tmp_path, trig, "unused-entities")
    assert _rows(findings, "level", "entity", "value", "source") == {
        ("WARN", "city/astana", "Astana", "seeds/registry/places.yaml:107")
    }


def test_shared_wikidata(tmp_path):
    trig = (
        GOOD
        + """graph:entities {
  id:country\\/kazakstan a cafo:Country ; rdfs:label "Kazakstan"@en , "Казахстан"@ru ; owl:sameAs wd:Q232 . }"""
    )
    findings = _check(tmp_path, trig, "shared-wikidata")
    assert _rows(findings, "level", "entity", "value", "message") == {
        ("ERROR", "country/kazakhstan", "wd:Q232", "also the Wikidata item of country/kazakstan"),
        ("ERROR", "country/kazakstan", "wd:Q232", "also the Wikidata item of country/kazakhstan"),
    }


def test_labels(tmp_path):
    trig = (
        GOOD
        + """graph:entities {
  id:person\\/no-russian a cafo:Person ; rdfs:label "No Russian"@en .
  id:person\\/nameless a cafo:Person .
  id:person\\/two-english a cafo:Person ; rdfs:label "Two"@en , "English"@en , "Два"@ru .
  id:person\\/markup a cafo:Person ; rdfs:label "<b>Bold</b>"@en , "Жирный"@ru .
  id:person\\/untagged a cafo:Person ; rdfs:label "Untagged" , "Без языка"@ru , "Untagged"@en .
}"""
    )
    findings = _check(tmp_path, trig, "labels")
    assert _rows(findings, "level", "entity", "message") == {
        ("ERROR", "person/nameless", "no label (give one, in any language)"),
        ("ERROR", "person/two-english", "two labels in one language (keep one; make the other an alt label)"),
        ("ERROR", "person/markup", "a label with markup (HTML): labels are plain text"),
        ("ERROR", "person/untagged", "a label without a language tag"),
    }


def test_label_shape_knows_every_entity_kind():
    shapes = (ROOT / "ontology/checks/shapes.ttl").read_text(encoding="utf-8")
    kinds = re.search(r"/id/\(([a-z|-]+)\)/", shapes).group(1).split("|")
    assert sorted(kinds) == sorted(ENTITY_KINDS)


def test_work(tmp_path):
    trig = (
        GOOD
        + """
graph:entities { id:film\\/untitled a cafo:Film . }
graph:article\\/t1 { id:film\\/ayka-2018 cafo:productionCountry id:film\\/untitled . }
"""
    )
    findings = _check(tmp_path, trig, "work")
    assert _rows(findings, "level", "entity", "property", "message") == {
        (
            "ERROR",
            "film/untitled",
            "cafo:title|rdfs:label",
            "a work has a title (cafo:title from an article, or its registry label)",
        ),
        (
            "WARN",
            "film/untitled",
            "cafo:productionCountry",
            "no production country: check whether an article states one",
        ),
        ("ERROR", "film/ayka-2018", "cafo:productionCountry", "a production country must be a country"),
    }


def test_co_production(tmp_path):
    trig = GOOD + "graph:article\\/t1 { id:film\\/ayka-2018 a cafo:CoProduction . }\n"
    findings = _check(tmp_path, trig, "co-production")
    assert _rows(findings, "level", "entity", "message") == {
        ("ERROR", "film/ayka-2018", "filed as a co-production, but fewer than two production countries are stated")
    }


def test_dates(tmp_path):
    trig = (
        GOOD
        + """
graph:article\\/t1 {
  id:screening\\/s1 a cafo:Screening ; cafo:date "2025-02-01"^^xsd:date .
  id:screening\\/s2 a cafo:Screening ; cafo:date "2025-02-01"^^xsd:date ; cafo:status cafo:Planned .
  id:screening\\/s3 a cafo:Screening ; cafo:date "1 February" .
  id:screening\\/s4 a cafo:Screening ; cafo:yearOf "2026"^^xsd:gYear .
}
graph:provenance {
  id:claim\\/t1\\/s1-1 rdf:subject id:screening\\/s1 ; rdf:predicate cafo:date ; rdf:object "2025-02-01"^^xsd:date ;
      prov:wasDerivedFrom id:article\\/t1 .
  id:claim\\/t1\\/s2-1 rdf:subject id:screening\\/s2 ; rdf:predicate cafo:date ; rdf:object "2025-02-01"^^xsd:date ;
      prov:wasDerivedFrom id:article\\/t1 .
  id:claim\\/t1\\/s4-1 rdf:subject id:screening\\/s4 ; rdf:predicate cafo:yearOf ; rdf:object "2026"^^xsd:gYear ;
      prov:wasDerivedFrom id:article\\/t1 .
}
"""
    )
    findings = _check(tmp_path, trig, "dates")
    assert _rows(findings, "level", "entity", "property", "value") == {
        ("ERROR", "screening/s1", "cafo:date", "2025-02-01"),  # after the article (2025-01-10), not a plan
        ("ERROR", "screening/s3", "cafo:date", "1 February"),  # not an xsd:date
        ("ERROR", "screening/s4", "cafo:yearOf", "2026"),  # a year after the article's
    }  # s2 is Planned: a date after the article is fine
    message = next(f["message"] for f in findings if f["entity"] == "screening/s1")
    assert message == (
        "2025-02-01 is after the date of the article that states it (2025-01-10) but is not filed as a plan "
        "(give it a status: Planned, Negotiating or Announced)"
    )


def test_dates_in_the_future_without_an_article_date(tmp_path):
    trig = (
        GOOD
        + """
graph:article\\/t9 { id:screening\\/s9 a cafo:Screening ; cafo:date "2999-01-01"^^xsd:date . }
"""
    )
    findings = _check(tmp_path, trig, "dates")
    assert _rows(findings, "entity", "value") == {("screening/s9", "2999-01-01")}


def test_amounts(tmp_path):
    trig = (
        GOOD
        + """graph:article\\/t1 {
  id:film\\/ayka-2018 cafo:budget id:amount\\/a1 .
  id:amount\\/a1 a cafo:MonetaryAmount ; cafo:amount 2500000.0 .
  id:amount\\/a2 a cafo:MonetaryAmount ; cafo:amount 10.0 ; cafo:currency "euro" .
}"""
    )
    findings = _check(tmp_path, trig, "amounts")
    assert _rows(findings, "level", "entity", "property") == {
        ("ERROR", "amount/a1", "cafo:currency"),
        ("ERROR", "amount/a2", "cafo:currency"),
    }


def test_budget_per_currency(tmp_path):
    trig = (
        GOOD
        + """graph:article\\/t1 {
  id:film\\/ayka-2018 cafo:budget id:amount\\/a1 , id:amount\\/a2 , id:amount\\/a3 .
  id:amount\\/a1 a cafo:MonetaryAmount ; cafo:amount 2500000.0 ; cafo:currency "EUR" .
  id:amount\\/a2 a cafo:MonetaryAmount ; cafo:amount 3000000.0 ; cafo:currency "EUR" .
  id:amount\\/a3 a cafo:MonetaryAmount ; cafo:amount 1000000000.0 ; cafo:currency "KZT" .
}"""
    )
    findings = _check(tmp_path, trig, "budget-per-currency")
    assert _rows(findings, "level", "entity", "property", "value") == {
        ("ERROR", "film/ayka-2018", "cafo:budget", "2500000 and 3000000 EUR")
    }


def test_evidence(tmp_path):
    trig = (
        GOOD
        + """graph:provenance {
  id:claim\\/t1\\/f2-1 a rdf:Statement ; rdf:subject id:film\\/ayka-2018 ; rdf:predicate cafo:year ;
      rdf:object "2018"^^xsd:gYear ; prov:wasDerivedFrom id:article\\/t1 .
}"""
    )
    findings = _check(tmp_path, trig, "evidence")
    assert _rows(findings, "level", "entity", "message") == {
        ("ERROR", "claim/t1/f2-1", "a claim without evidence: no annotation has it as its body"),
        ("ERROR", "claim/t1/f2-1", "a claim whose evidence has no quote (oa:exact)"),
    }


# -- the report itself ------------------------------------------------------------------------------


def test_formats_and_fail_on(tmp_path):
    path = tmp_path / "small.trig"
    path.write_text(PREFIXES + GOOD + "graph:entities { id:film\\/untitled a cafo:Film . }", encoding="utf-8")
    args = ("check", "--data", str(path), "--only", "work")
    table = invoke(*args, project=SEED_CORPUS)
    assert table.exit_code == 1  # the missing title is an ERROR
    assert "film/untitled" in table.stdout and "┃ Level" in table.stdout
    assert table.stderr.strip() == "kg check: 1 ERROR, 1 WARN, 0 INFO from 1 checks (fail on ERROR: failed)"
    tsv = invoke(*args, "-f", "tsv", "--fail-on", "none", project=SEED_CORPUS)
    assert tsv.exit_code == 0
    assert tsv.stdout.splitlines()[0] == "level\tcheck\tentity\tproperty\tvalue\tsource\tmessage"
    assert len(tsv.stdout.splitlines()) == 3
    warn_only = tmp_path / "warn.trig"
    warn_only.write_text(
        PREFIXES + GOOD + 'graph:entities { id:film\\/x a cafo:Film ; rdfs:label "X"@en , "Икс"@ru . }',
        encoding="utf-8",
    )
    args = ("check", "--data", str(warn_only), "--only", "work", "-f", "json")
    assert invoke(*args, project=SEED_CORPUS).exit_code == 0  # a WARN does not fail by default
    assert invoke(*args, "--fail-on", "WARN", project=SEED_CORPUS).exit_code == 1
    assert invoke(*args, "--fail-on", "INFO", project=SEED_CORPUS).exit_code == 1


def test_unknown_check_and_list(tmp_path):
    result = invoke("check", "--only", "nonsense", "--out", str(tmp_path / "o"), project=SEED_CORPUS)
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown check 'nonsense' (one of consistency, twins, quotes,")
    listing = invoke("check", "--list", project=SEED_CORPUS)
    assert listing.exit_code == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert names[:3] == ["consistency", "twins", "quotes"]
    assert {"labels", "dates", "evidence", "facts-without-evidence", "unused-entities", "shared-wikidata"} <= set(names)
