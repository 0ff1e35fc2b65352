"""Forgiving search and binds that cannot silently miss: `kg entities search`, `kg query
--bind` on both engines and with --endpoint, `kg viz ego`, and the fold table the HTML page
folds typed text with. The page's own search box is tested in a browser in
test_viz_browser.py."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from kg.registry import fold, fold_table, rank
from tests.conftest import fast_and_slow, invoke, run_kg

ARTICLE = "004_9d304b95c593325b"
ID = "https://w3id.org/ca-film/id/"
ENGINES = ["oxigraph", "rdflib"]
# The engine matrix: oxigraph (the default) in the fast tier, rdflib in the full suite
# (tests/test_engines.py runs rdflib in the fast tier).
ENGINE_TIERS = fast_and_slow(ENGINES, {"oxigraph"}, str)
GRAPH_QUERY = """PREFIX cafo: <https://w3id.org/ca-film/ontology#>
SELECT DISTINCT ?work ?country WHERE { GRAPH ?g { ?work cafo:productionCountry ?country } } ORDER BY ?work ?country
"""


def _csv(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def _query(built, *args: str):
    return invoke("query", *args, "--out", str(built))


# -- kg entities search ---------------------------------------------------------------------


def test_search_forgives_typos_and_word_order_ranked():
    first = {
        text: invoke("entities", "search", text).output.split()[0]
        for text in ["Kazakstan", "Dvortsevoi", "Еслямова Самал", "Samal Eslyamova", "Dvortsevoy"]
    }
    assert first == {
        "Kazakstan": "country/kazakhstan",
        "Dvortsevoi": "person/sergey-dvortsevoy",
        "Еслямова Самал": "person/samal-yeslyamova",
        "Samal Eslyamova": "person/samal-yeslyamova",
        "Dvortsevoy": "person/sergey-dvortsevoy",
    }
    # the typo finds Kazakhstan first, then the entity whose label only contains it
    ids = [line.split()[0] for line in invoke("entities", "search", "Kazakstan").output.splitlines()]
    assert ids == ["country/kazakhstan", "event/national-cinema-day-kazakhstan"]


def test_exact_and_prefix_matches_rank_above_fuzzy_ones():
    hits = rank("almaty", [("a/fuzzy", ["Almatu"]), ("b/prefix", ["Almaty Film Festival"]), ("c/exact", ["Алматы"])])
    assert [(h.id, h.tier) for h in hits] == [("c/exact", 0), ("b/prefix", 1), ("a/fuzzy", 4)]
    assert hits[2].score == pytest.approx(83.33, abs=0.01)  # rapidfuzz ratio of "almaty" and "almatu"
    assert rank("alx", [("a/fuzzy", ["Alx"]), ("b/none", ["Ala"])])[0].id == "a/fuzzy"
    assert rank("ala", [("b/none", ["Alx"])]) == []  # too short to be a typo of anything


def test_search_subprocess_finds_kazakhstan_first():
    result = run_kg("entities", "search", "Kazakstan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[:2] == ["country/kazakhstan", "Country"]


def test_fold_table_folds_text_as_fold_does():
    """page.js folds typed text character by character with this table: the result must be
    fold() itself, for Cyrillic, Kazakh, accents, punctuation and decomposed accents."""
    texts = [
        "Сергей Дворцевой",
        "Қазақстан",
        "Ёлки-палки",
        "Almaty — «Алма-Ата»",
        "Zoë Kravitz",
        "Cafe\u0301",
        "Подъезд",
    ]
    table = fold_table()

    def as_page_folds(text: str) -> str:
        import unicodedata

        out = "".join(
            c.lower() if c.isascii() and c.isalnum() else table.get(c, " ") for c in unicodedata.normalize("NFKC", text)
        )
        return re.sub(" +", " ", out).strip()

    assert [as_page_folds(t) for t in texts] == [fold(t) for t in texts]
    assert fold("Дворцевой") == "dvortsevoy" and fold("Cafe\u0301") == "cafe"


# -- kg query --bind ------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_bind_article_short_form_returns_that_articles_facts(built, engine):
    result = _query(
        built, "facts_stated_by_article.rq", "--bind", f"article=article/{ARTICLE}", "-f", "csv", "--engine", engine
    )
    assert result.exit_code == 0, result.output
    rows = _csv(result.output)
    assert {row["article"] for row in rows} == {ID + "article/" + ARTICLE}
    facts = {(row["subject"], row["property"], row["value"]) for row in rows}
    assert ("Ayka", "director", "Sergey Dvortsevoy") in facts
    assert ("Ayka", "cast member", "Samal Yeslyamova") in facts
    assert {v for s, p, v in facts if (s, p) == ("Ayka", "production country")} == {
        "China",
        "Germany",
        "Kazakhstan",
        "Poland",
        "Russia",
    }


def test_bind_article_short_form_equals_full_iri(built):
    short = _query(built, "facts_stated_by_article.rq", "--bind", f"article=article/{ARTICLE}", "-f", "csv")
    full = _query(built, "facts_stated_by_article.rq", "--bind", f"article=<{ID}article/{ARTICLE}>", "-f", "csv")
    bare = _query(built, "facts_stated_by_article.rq", "--bind", f"article={ID}article/{ARTICLE}", "-f", "csv")
    assert short.output == full.output == bare.output
    assert "Rapprochement of Cultures" in short.output


def test_bind_unknown_short_form_exits_2_with_did_you_mean(built):
    result = run_kg("query", "labels_of_entity.rq", "--bind", "entity=person/no-such", "--out", str(built))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: --bind 'entity=person/no-such': person/no-such names nothing in the graph; "
        "did you mean person/christopher-sean?"
    ]


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_bind_unknown_article_and_graph_suggest_the_nearest(built, engine):
    article = _query(
        built, "facts_stated_by_article.rq", "--bind", "article=article/004_9d304b95c593325c", "--engine", engine
    )
    assert article.exit_code == 2
    assert article.output == (
        "error: --bind 'article=article/004_9d304b95c593325c': article/004_9d304b95c593325c names nothing in the "
        f"graph; did you mean article/{ARTICLE}?\n"
    )
    graph = _query(built, "facts_stated_by_article.rq", "--bind", "g=graph/metaa", "--engine", engine)
    assert graph.exit_code == 2
    assert graph.output.endswith("graph/metaa names nothing in the graph; did you mean graph/meta?\n")


@pytest.mark.parametrize("engine", ENGINE_TIERS)
def test_bind_graph_short_form_selects_one_articles_graph(built, tmp_path, engine):
    query = tmp_path / "countries_in_graph.rq"
    query.write_text(GRAPH_QUERY, encoding="utf-8")
    result = _query(
        built, str(query), "--bind", "g=graph/article/001_96dd9b9a8acb094b", "-f", "csv", "--engine", engine
    )
    assert result.exit_code == 0, result.output
    assert [(row["work"], row["country"]) for row in _csv(result.output)] == [
        (ID + "series/waiting-for-you-in-ili", ID + "country/china"),
        (ID + "series/waiting-for-you-in-ili", ID + "country/kazakhstan"),
    ]


@pytest.mark.parametrize("engine", ENGINE_TIERS)
@pytest.mark.parametrize(
    "label",  # swapped words and another spelling in the fast tier, every form in the full suite
    fast_and_slow(
        ["Самал Еслямова", "Samal Yeslyamova", "Еслямова Самал", "Samal Eslyamova"],
        {"Еслямова Самал", "Samal Eslyamova"},
        str,
    ),
)
def test_bind_label_in_any_script_finds_the_entity(built, engine, label):
    result = _query(built, "labels_of_entity.rq", "--bind", f"entity={label}", "-f", "csv", "--engine", engine)
    assert result.exit_code == 0, result.output
    names = {(row["entity"], row["language"], row["name"]) for row in _csv(result.output)}
    assert names == {
        (ID + "person/samal-yeslyamova", "en", "Samal Yeslyamova"),
        (ID + "person/samal-yeslyamova", "ru", "Самал Еслямова"),
        (ID + "person/samal-yeslyamova", "en", "Samal Eslyamova"),
    }


def test_bind_typo_label_finds_the_entity(built):
    result = _query(built, "coproduction_partners_of_country.rq", "--bind", "country=Kazakstan", "-f", "json")
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert {b["country"]["value"] for b in bindings} == {ID + "country/kazakhstan"}


def test_bind_ambiguous_label_lists_the_candidates(built):
    result = run_kg("query", "labels_of_entity.rq", "--bind", "entity=Eurasia", "--out", str(built))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: --bind 'entity=Eurasia': 'Eurasia' is ambiguous: festival/eurasia-iff (Eurasia film")
    assert "event/eurasia-iff-17 (17th Eurasia International Film Festival)" in line
    assert line.endswith("; give one of these ids")


def test_bind_label_naming_nothing_suggests_and_says_how_to_bind_text(built):
    result = _query(built, "labels_of_entity.rq", "--bind", "entity=Tarkovsky")
    assert result.exit_code == 2
    assert result.output.startswith("error: --bind 'entity=Tarkovsky': no entity is named 'Tarkovsky'; did you mean ")
    assert result.output.endswith('(for a string write "text")\n')


def test_bind_quoted_text_and_prefixed_names(built):
    from kg.query import bind_term

    assert str(bind_term('"Ayka"@en')) == '"Ayka"@en'
    assert str(bind_term("2018")) == '"2018"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(bind_term("cafo:Film")) == "<https://w3id.org/ca-film/ontology#Film>"
    assert str(bind_term("claim/004_x/ayka-1")) == f"<{ID}claim/004_x/ayka-1>"
    assert str(bind_term("graph/meta")) == "<https://w3id.org/ca-film/graph/meta>"
    assert bind_term("Samal") is None  # a label: resolved against the graph
    result = _query(built, "labels_of_entity.rq", "--bind", 'name="Samal Eslyamova"@en', "-f", "csv")
    assert result.exit_code == 0, result.output
    assert _csv(result.output) == [
        {"entity": ID + "person/samal-yeslyamova", "kind": "alternative", "language": "en", "name": "Samal Eslyamova"}
    ]


def test_bind_with_endpoint_resolves_syntax_only_and_refuses_labels(built):
    result = _query(built, "labels_of_entity.rq", "--endpoint", "http://127.0.0.1:9/query", "--bind", "entity=Samal")
    assert result.exit_code == 2
    assert result.output.startswith("error: --bind 'entity=Samal': a label needs the build; with --endpoint give an id")
    assert "only the syntax is resolved" in " ".join(invoke("query", "--help").output.split())


# -- kg viz ego -----------------------------------------------------------------------------


def test_viz_ego_finds_an_entity_by_typo_or_swapped_words(built, tmp_path):
    for text in ["Eslyamova Samal", "Dvortsevoi"]:
        target = tmp_path / "ego.html"
        result = invoke("viz", "ego", text, "-o", str(target), "--out", str(built))
        assert result.exit_code == 0, result.output
        meta = re.search(r'<script id="kg-meta" type="application/json">(.*?)</script>', target.read_text(), re.S)
        focus = json.loads(meta.group(1))["focus"]
        assert focus == {"Eslyamova Samal": "person/samal-yeslyamova", "Dvortsevoi": "person/sergey-dvortsevoy"}[text]
