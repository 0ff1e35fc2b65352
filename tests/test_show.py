"""`kg show ENTITY`: one entity's page with the evidence of every fact, on the fixture corpus.

The acceptance item of issue 13: `kg show "Самал Еслямова"` lists the Best Actress award at
Cannes, folded with its work, event and date, with the quotes that state it."""

from __future__ import annotations

import json

import pyoxigraph
import pytest

from kg.show import collect, render_json, render_text
from tests.conftest import invoke, run_kg

ID = "https://w3id.org/ca-film/id/"
CAFO = "https://w3id.org/ca-film/ontology#"
ARTICLE = "article/004_9d304b95c593325b"
TITLE_EN = "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival"
TITLE_RU = "Казахстанцам покажут фильм «Айка» на I Международном кинофестивале Almaty Film Festival."
QUOTE_EN = (
    "On 19 May 2018 the actress from Kazakhstan, Samal Eslyamova, received the prize of Best Actress "
    "at the Cannes film festival fir her role in the film"
)
QUOTE_RU = (
    "Актриса из Казахстана Самал Еслямова 19 мая 2018 года получила приз Каннского кинофестиваля "
    "за лучшую женскую роль в этом фильме."
)

AWARD_BLOCK_EN = [
    "  awardee",
    "    award won: Best Actress Award (Cannes) won by Samal Yeslyamova for Ayka  (award-win/yeslyamova-cannes-2018-best-actress)",
    "        at event: 2018 Cannes Film Festival  (event/cannes-2018)",
    "        award: Best Actress Award (Cannes)  (award/cannes-best-actress)",
    "        date: 2018-05-19",
    "        for work: Ayka  (film/ayka-2018)",
    f"        “{QUOTE_EN}”",
    f"        “{QUOTE_RU}”",
    f"          — {TITLE_EN} ({ARTICLE})",
]


def _show(built, *args: str):
    return invoke("show", *args, "--out", str(built))


def _block(output: str, heading: str) -> list[str]:
    """The lines of one property group: its heading and what is indented under it."""
    lines = output.splitlines()
    start = lines.index(heading)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return lines[start:end]


def test_acceptance_samal_eslyamova_lists_the_cannes_award_with_date_and_quote(built):
    result = _show(built, "Самал Еслямова")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Samal Yeslyamova",
        "person/samal-yeslyamova · class: person",
        f"<{ID}person/samal-yeslyamova>",
        "no Wikidata link",
    ]
    assert _block(result.output, "  awardee") == AWARD_BLOCK_EN
    # the other facts, out and in, with their quotes
    assert _block(result.output, "  nationality")[:2] == ["  nationality", "    Kazakhstan  (country/kazakhstan)"]
    assert _block(result.output, "  cast member") == [
        "  cast member",
        "    Ayka  (film/ayka-2018)",
        "        “fir her role in the film”",
        "        “за лучшую женскую роль в этом фильме”",
        f"          — {TITLE_EN} ({ARTICLE})",
    ]
    assert "Labels\n  en  Samal Yeslyamova\n  ru  Самал Еслямова\n" in result.output
    assert "Also known as\n  en  Samal Eslyamova\n" in result.output
    assert "https://w3id.org/ca-film/id/award" not in result.output  # no IRI where a label exists


@pytest.mark.slow  # six processes
def test_acceptance_through_a_real_subprocess_same_bytes_for_any_hash_seed(built):
    expected = _show(built, "Самал Еслямова").output
    for seed in ("0", "4242"):
        done = run_kg("show", "Самал Еслямова", "--out", str(built), env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert done.stdout == expected
    assert _block(expected, "  awardee") == AWARD_BLOCK_EN
    for fmt in ("json", "turtle"):
        expected = _show(built, "person/samal-yeslyamova", "--format", fmt).output
        for seed in ("1", "777"):
            done = run_kg(
                "show", "person/samal-yeslyamova", "-f", fmt, "--out", str(built), env={"PYTHONHASHSEED": seed}
            )
            assert (done.returncode, done.stdout) == (0, expected), (fmt, seed)


def test_found_by_id_iri_and_latin_label_with_a_typo(built):
    expected = _show(built, "Самал Еслямова").output
    for name in ["person/samal-yeslyamova", f"{ID}person/samal-yeslyamova", "Samal Eslyamva", "Еслямова Самал"]:
        result = _show(built, name)
        assert (result.exit_code, result.output) == (0, expected), name


def test_lang_ru_gives_russian_labels_properties_and_headings(built):
    result = _show(built, "Samal Yeslyamova", "--lang", "ru")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Самал Еслямова", "person/samal-yeslyamova · класс: человек"]
    assert "Названия" in lines and "Утверждения" in lines
    assert _block(result.output, "  лауреат") == [
        "  лауреат",
        "    получение награды: Самал Еслямова — приз за лучшую женскую роль (Каннский кинофестиваль), «Айка»  (award-win/yeslyamova-cannes-2018-best-actress)",
        "        дата: 2018-05-19",
        "        за произведение: Айка  (film/ayka-2018)",
        "        на событии: Каннский кинофестиваль 2018 года  (event/cannes-2018)",
        "        награда: приз за лучшую женскую роль (Каннский кинофестиваль)  (award/cannes-best-actress)",
        f"        “{QUOTE_EN}”",
        f"        “{QUOTE_RU}”",
        f"          — {TITLE_RU} ({ARTICLE})",
    ]


def test_wikidata_link_and_labels_in_every_language(built):
    result = _show(built, "Kazakstan")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Kazakhstan",
        "country/kazakhstan · class: country",
        f"<{ID}country/kazakhstan>",
        "Wikidata: Q232 https://www.wikidata.org/wiki/Q232",
    ]
    assert "Labels\n  en  Kazakhstan\n  kk  Қазақстан\n  ru  Казахстан\n" in result.output


def test_editorial_judgement_is_marked_with_the_editors_note(built):
    result = _show(built, "event/cannes-2018")
    assert result.exit_code == 0, result.output
    assert _block(result.output, "  edition of")[1] == (
        "    Cannes Film Festival  (festival/cannes)  [editor's judgement: The text names the Cannes film "
        "festival and the date 19 May 2018, so the award was given at the 2018 edition.]"
    )


def test_json_document_pins_labels_class_wikidata_and_folded_award(built):
    result = _show(built, "person/samal-yeslyamova", "--format", "json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert {k: page[k] for k in ("id", "label", "lang", "labels", "alt_labels", "classes", "wikidata")} == {
        "id": "person/samal-yeslyamova",
        "label": "Samal Yeslyamova",
        "lang": "en",
        "labels": {"en": ["Samal Yeslyamova"], "ru": ["Самал Еслямова"]},
        "alt_labels": {"en": ["Samal Eslyamova"]},
        "classes": [{"id": "cafo:Person", "iri": CAFO + "Person", "label": "person"}],
        "wikidata": [],
    }
    summary = sorted(
        (f["direction"], f["property"]["id"], f["value"].get("id") or f["value"]["literal"]) for f in page["facts"]
    )
    assert summary == [
        ("in", "cafo:awardee", "award-win/yeslyamova-cannes-2018-best-actress"),
        ("in", "cafo:castMember", "film/ayka-2018"),
        ("out", "cafo:nationality", "country/kazakhstan"),
        ("out", "cafo:occupation", "occupation/actor"),
    ]
    occupation = next(f for f in page["facts"] if f["property"]["id"] == "cafo:occupation")
    assert occupation["value"]["label"] == "actor"  # the concept's label, whatever the article's words
    award = next(f for f in page["facts"] if f["property"]["id"] == "cafo:awardee")
    node = award["node"]
    assert node["classes"] == [{"id": "cafo:AwardWin", "iri": CAFO + "AwardWin", "label": "award won"}]
    folded = {f["property"]["id"]: f["value"] for f in node["facts"]}
    assert folded == {
        "cafo:atEvent": {
            "id": "event/cannes-2018",
            "iri": ID + "event/cannes-2018",
            "label": "2018 Cannes Film Festival",
        },
        "cafo:award": {
            "id": "award/cannes-best-actress",
            "iri": ID + "award/cannes-best-actress",
            "label": "Best Actress Award (Cannes)",
        },
        "cafo:date": {"literal": "2018-05-19", "lang": None, "datatype": "xsd:date"},
        "cafo:forWork": {"id": "film/ayka-2018", "iri": ID + "film/ayka-2018", "label": "Ayka"},
    }
    date = next(f for f in node["facts"] if f["property"]["id"] == "cafo:date")
    # JSON keeps the quote verbatim (no-break spaces, a space doubled); the text page folds them
    assert "\xa0" in date["evidence"][0]["quote"] and "мая \xa02018" in date["evidence"][1]["quote"]
    assert [(e["article"], e["title"], " ".join(e["quote"].split())) for e in date["evidence"]] == [
        (ARTICLE, TITLE_EN, QUOTE_EN),
        (ARTICLE, TITLE_EN, QUOTE_RU),
    ]
    assert date["evidence"][0]["start"] == 982 and date["evidence"][0]["end"] == 1130
    assert award["status"] == [] and award["editorial"] == []


def test_turtle_parses_and_holds_the_award_node(built):
    result = _show(built, "Самал Еслямова", "--format", "turtle")
    assert result.exit_code == 0, result.output
    assert "@prefix cafo: <https://w3id.org/ca-film/ontology#> ." in result.output
    store = pyoxigraph.Store()
    store.load(result.output.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    win = pyoxigraph.NamedNode(ID + "award-win/yeslyamova-cannes-2018-best-actress")
    found = {(q.predicate.value, str(q.object)) for q in store.quads_for_pattern(win, None, None, None)}
    assert found == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{CAFO}AwardWin>"),
        (CAFO + "atEvent", f"<{ID}event/cannes-2018>"),
        (CAFO + "award", f"<{ID}award/cannes-best-actress>"),
        (CAFO + "awardee", f"<{ID}person/samal-yeslyamova>"),
        (CAFO + "date", '"2018-05-19"^^<http://www.w3.org/2001/XMLSchema#date>'),
        (CAFO + "forWork", f"<{ID}film/ayka-2018>"),
        # the node's generated names (graph/labels)
        (
            "http://www.w3.org/2000/01/rdf-schema#label",
            '"Best Actress Award (Cannes) won by Samal Yeslyamova for Ayka"@en',
        ),
        (
            "http://www.w3.org/2000/01/rdf-schema#label",
            '"Самал Еслямова — приз за лучшую женскую роль (Каннский кинофестиваль), «Айка»"@ru',
        ),
    }
    samal = pyoxigraph.NamedNode(ID + "person/samal-yeslyamova")
    assert {str(q.subject) for q in store.quads_for_pattern(None, None, samal, None)} == {
        f"<{ID}award-win/yeslyamova-cannes-2018-best-actress>",
        f"<{ID}film/ayka-2018>",
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "Samal Qwertyuiop",
            "error: no entity is named 'Samal Qwertyuiop'; did you mean person/samal-yeslyamova (Samal Eslyamova)?",
        ),
        (
            "person/samal-yeslyamov",
            "error: 'person/samal-yeslyamov' names nothing in the graph; did you mean person/samal-yeslyamova?",
        ),
    ],
)
def test_unknown_entity_exits_2_with_a_did_you_mean(built, name, message):
    result = _show(built, name)
    assert (result.exit_code, result.output) == (2, message + "\n")
    done = run_kg("show", name, "--out", str(built))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")


def test_ambiguous_label_exits_2_listing_the_candidates(built):
    result = _show(built, "kaz")
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("error: 'kaz' is ambiguous: ")
    assert "country/kazakhstan (Kazakhstan)" in result.output
    assert "org/kazinform (Kazinform)" in result.output
    assert result.output.endswith("; give one of these ids\n")


def test_builds_first_when_there_is_no_build(corpus, tmp_path):
    out = tmp_path / "fresh"
    result = invoke("show", "film/ayka-2018", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Ayka\nfilm/ayka-2018 · class: film\n")
    assert (out / "manifest.json").exists()


def test_status_on_a_claim_is_shown_beside_its_fact():
    """A claim carrying cafo:status (a plan) shows it; the store is made by hand, since the
    fixture mappings give no claim a status yet."""
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    film, country, claim = (pyoxigraph.NamedNode(ID + x) for x in ("film/x", "country/y", "claim/a/f-1"))
    planned = pyoxigraph.NamedNode(CAFO + "Planned")

    def graph(name: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode("https://w3id.org/ca-film/graph/" + name)

    def iri(text: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(text)

    store = pyoxigraph.Store()
    for s, p, o, g in [
        (film, iri(rdf + "type"), iri(CAFO + "Film"), "entities"),
        (film, iri(rdfs + "label"), pyoxigraph.Literal("X", language="en"), "entities"),
        (country, iri(rdfs + "label"), pyoxigraph.Literal("Y", language="en"), "entities"),
        (planned, iri(rdfs + "label"), pyoxigraph.Literal("planned", language="en"), "ontology"),
        (
            iri(CAFO + "productionCountry"),
            iri(rdfs + "label"),
            pyoxigraph.Literal("production country", language="en"),
            "ontology",
        ),
        (film, iri(CAFO + "productionCountry"), country, "article/a"),
        (claim, iri(rdf + "subject"), film, "provenance"),
        (claim, iri(rdf + "predicate"), iri(CAFO + "productionCountry"), "provenance"),
        (claim, iri(rdf + "object"), country, "provenance"),
        (claim, iri(CAFO + "status"), planned, "provenance"),
    ]:
        store.add(pyoxigraph.Quad(s, p, o, graph(g)))
    page = collect(store, ID + "film/x")
    assert render_text(page).splitlines()[-7:] == [
        "Statements",
        "  production country",
        "    Y  (country/y)  [status: planned]",
        "        (no quote)",
        "",
        "Referenced by (subject —property→ this)",
        "  (nothing)",
    ]
    fact = json.loads(render_json(page))["facts"][0]
    assert fact["status"] == [{"id": "cafo:Planned", "iri": CAFO + "Planned", "label": "planned"}]
