"""Two test articles written for the tests (tests/articles/core: not the user's corpus, not
from any outlet), one English, one Russian. Together they state shooting under way in one city
(Karakol) and planned in two others (Bishkek, Almaty), a report citing a news agency
(AKIpress; Kabar), and people known only by their English names. Library answers pinned row
by row."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from kg.built import load_dataset
from kg.cli import main
from tests.conftest import ROOT, invoke, without_display
from viz import network

CORE = ROOT / "tests" / "articles" / "core"
EN = "article/100_wind_over_issyk_kul_en"
RU = "article/101_veter_nad_issyk_kulem_ru"
WIND = "The Wind over Issyk-Kul"


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    out = tmp_path_factory.mktemp("core")
    result = CliRunner().invoke(main, ["--project", str(CORE), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _run(out, name, *bindings):
    args = ["--project", str(CORE), "query", f"queries/{name}", "--out", str(out), "-f", "csv"]
    for binding in bindings:
        args += ["--bind", binding]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    header, *rows = csv.reader(io.StringIO(result.output))
    short = (("https://w3id.org/ca-film/id/", ""), ("https://w3id.org/ca-film/ontology#", "cafo:"))
    for prefix, to in short:
        rows = [[to + cell[len(prefix) :] if cell.startswith(prefix) else cell for cell in row] for row in rows]
    return without_display(header, [tuple(row) for row in rows])


def test_filmed_only_where_shooting_has_started(core):
    header, rows = _run(core, "works_filmed_or_set_in_place.rq")
    assert header[:5] == ["place", "place_label", "work", "work_label", "relation"]
    karakol = ("city/karakol", "Karakol", "film/wind-over-issyk-kul", WIND, "filming location", "city/karakol")
    assert rows == [(*karakol, "Karakol", "stated", EN), (*karakol, "Karakol", "stated", RU)]


def test_plans_hold_the_two_planned_cities_with_status_and_words(core):
    _, rows = _run(core, "plans_by_status.rq")
    fact = ("cafo:Planned", "planned", "fact")
    film = ("film/wind-over-issyk-kul", WIND, "", "", "")
    assert rows == [
        (*fact, f"claim/{EN[8:]}/to-film-in-almaty-1", *film, EN, WIND, "filming location", "Almaty",
         "and to Almaty in early August"),
        (*fact, f"claim/{EN[8:]}/to-film-in-bishkek-1", *film, EN, WIND, "filming location", "Bishkek",
         "The crew will move to Bishkek in July"),
        (*fact, f"claim/{RU[8:]}/to-film-in-almaty-1", *film, RU, WIND, "filming location", "Almaty",
         "а в начале августа — в Алматы"),
        (*fact, f"claim/{RU[8:]}/to-film-in-bishkek-1", *film, RU, WIND, "filming location", "Bishkek",
         "Двадцатого июля съёмочная группа переедет в Бишкек"),
        ("cafo:Planned", "planned", "premiere", "screening/wind-over-issyk-kul-premiere", "film/wind-over-issyk-kul",
         WIND, "2025", "", "", EN, "", "", "", ""),
    ]  # fmt: skip


def test_cited_agencies_and_what_each_is_credited_with(core):
    header, rows = _run(core, "cited_sources.rq")
    assert header == ["article", "source", "source_label", "citation", "subject", "property", "value"]
    aki = (EN, "org/akipress", "AKIpress", "AKIpress reports", WIND)
    kabar = (RU, "org/kabar", "Кабар", "сообщает Кабар", WIND)
    assert rows == [
        (*aki, "filming location", "Karakol"),
        (*aki, "production country", "Kazakhstan"),
        (*aki, "production country", "Kyrgyzstan"),
        (*aki, "title", WIND),
        (*kabar, "filming location", "Karakol"),
        (*kabar, "title", "Ветер над Иссык-Кулем"),
    ]


def test_evidence_for_almaty_gives_the_reference_then_the_planned_claims(core):
    _, rows = _run(core, "evidence_for_entity.rq", "entity=city/almaty")
    assert rows == [
        ("city/almaty", "Almaty", "located in", "Kazakhstan", "http://www.wikidata.org/entity/Q35493", "", "", ""),
        ("city/almaty", WIND, "filming location", "Almaty", EN, "and to Almaty in early August", "208", "237"),
        ("city/almaty", WIND, "filming location", "Almaty", RU, "а в начале августа — в Алматы", "141", "170"),
    ]


def test_article_metadata_dateline_time_and_byline(core):
    dataset = load_dataset(core)
    rows = dataset.query(
        """PREFIX cafo: <https://w3id.org/ca-film/ontology#>
        SELECT ?place ?time ?byline WHERE { GRAPH ?g {
          ?a cafo:datelinePlace ?place ; cafo:timeOfDay ?time ; cafo:byline ?byline } }"""
    )
    assert [(str(p).rsplit("/", 1)[1], str(t), str(b)) for p, t, b in rows] == [("bishkek", "16:07:00", "Jane Miller")]


def test_no_label_is_invented_and_every_node_reads_in_russian(core):
    dataset = load_dataset(core)
    russian = network.project(dataset, "ru")
    labels = {node: data["label"] for node, data in russian.nodes(data=True)}
    # the English-only names and the Russian-only agency are drawn as written
    assert labels["person/aliya-temirova"] == "Aliya Temirova"
    assert labels["person/daniyar-osmonov"] == "Daniyar Osmonov"
    assert labels["org/kabar"] == "Кабар"
    assert labels["film/wind-over-issyk-kul"] == "Ветер над Иссык-Кулем"
    assert all(label and "/" not in label for label in labels.values()), labels
    page = core / "entities-ru.html"
    result = invoke("--project", str(CORE), "viz", "entities", "--lang", "ru", "--out", str(core), "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "Aliya Temirova" in page.read_text(encoding="utf-8")
