"""The competency-question library (queries/*.rq): every query run over the seed articles
through `kg query -f csv`, its whole answer pinned row by row (labels and values, not counts).

IRIs are shortened in the pinned rows: the entity namespace is dropped (`film/ayka-2018`),
the ontology's becomes `cafo:` and Wikidata's `wd:`. When a mapping changes an answer on
purpose, re-pin the rows after checking them against the article."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_CORPUS, fast_and_slow, invoke

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
# No seed article reports an agreement: this query's answers are pinned on the test articles
# (tests/articles/) in tests/test_model_vocab.py.
NO_SEED_ANSWER = {"agreements.rq"}
PREFIXES = (
    ("https://w3id.org/ca-film/id/", ""),
    ("https://w3id.org/ca-film/ontology#", "cafo:"),
    ("http://www.wikidata.org/entity/", "wd:"),
)


def _short(cell: str) -> str:
    for prefix, short in PREFIXES:
        if cell.startswith(prefix):
            return short + cell[len(prefix) :]
    return cell


def _run(built, name: str, *bindings: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Run queries/NAME as a user would; the CSV header and the rows, IRIs shortened."""
    args = ["--project", str(SEED_CORPUS), "query", f"queries/{name}", "--out", str(built), "-f", "csv"]
    for binding in bindings:
        args += ["--bind", binding]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    header, *rows = csv.reader(io.StringIO(result.output))
    return header, [tuple(_short(cell) for cell in row) for row in rows]


def _header(path) -> dict[str, str]:
    """The leading comment block of a query file: '# Key: value', continuation lines joined."""
    fields: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"^# ([A-Z][a-z]+): (.*)$", line)
        if match:
            key = match.group(1)
            fields[key] = match.group(2)
        elif key and line.startswith("#   "):
            fields[key] += " " + line[4:]
        else:
            raise AssertionError(
                f"{path.name}: header line is neither '# Key: ...' nor a '#   ' continuation: {line!r}"
            )
    return fields


def _usage_bindings(path) -> list[str]:
    """The NAME=VALUE pairs of the first `--bind` example in the Usage header."""
    return re.findall(r"--bind (\S+=\S+)", _header(path).get("Usage", ""))[:1]


def test_library_has_at_least_20_questions_each_with_title_and_question():
    assert len(QUERIES) >= 20
    for path in QUERIES:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*\.rq", path.name), path.name
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Title: "), path.name
        header = _header(path)
        assert header.get("Title", "").strip(), path.name
        assert header.get("Question", "").strip().endswith("?"), path.name
        assert header.get("Columns", "").strip(), path.name


def _stem(path: Path) -> str:
    return path.stem


# Every-query matrices: one representative in the fast tier, the whole library in the full suite.
@pytest.mark.parametrize("path", fast_and_slow(QUERIES, {"evidence_for_entity"}, _stem))
def test_every_column_is_explained_and_every_select_is_ordered(built, path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^ORDER BY ", text, re.MULTILINE), f"{path.name}: no ORDER BY"
    # A documented binding names something in the seed graph, except for queries no seed
    # article answers (kg query refuses a binding that names nothing): those run unbound.
    bindings = _usage_bindings(path) if path.name not in NO_SEED_ANSWER else ()
    header, rows = _run(built, path.name, *bindings)
    assert rows or path.name in NO_SEED_ANSWER, f"{path.name}: no answer over the seed articles"
    columns = _header(path)["Columns"]
    for column in header:
        assert re.search(rf"(^|[;,] ){column}( = |, )", columns), f"{path.name}: column {column} is not explained"


@pytest.mark.parametrize(
    "path",
    fast_and_slow([p for p in QUERIES if _usage_bindings(p) and p.name not in NO_SEED_ANSWER], {"awards_won"}, _stem),
)
def test_documented_binding_selects_the_bound_value(built, path):
    (binding,) = _usage_bindings(path)
    name, value = binding.split("=", 1)
    header, rows = _run(built, path.name, binding)
    assert name in header, f"{path.name}: ?{name} is bound by --bind but not projected"
    expected = _short(value[1:-1]) if value.startswith("<") else value
    concept = "https://w3id.org/ca-film/concept/"  # a concept's short id is its IRI after this
    assert rows and {row[header.index(name)].removeprefix(concept) for row in rows} == {expected}


ABOUT_ARTICLES = {"article_metadata", "articles_mentioning_entity", "editorial_judgements", "evidence_for_entity"}
ABOUT_ARTICLES |= {"facts_per_article", "facts_stated_by_article"}


@pytest.mark.slow  # every library query
def test_the_topical_questions_together_draw_on_every_article(built):
    """Leaving out the questions about articles themselves, the answers still cite all five."""
    cited = set()
    for path in QUERIES:
        if path.stem in ABOUT_ARTICLES:
            continue
        header, rows = _run(built, path.name)
        if "article" in header:
            cited |= {row[header.index("article")] for row in rows}
    stems = sorted(p.stem for p in (SEED_CORPUS / "seeds").glob("*.txt"))
    assert sorted(cited) == [f"article/{stem}" for stem in stems]


def test_countries_coproducing_with_kazakhstan(built):
    """Kazakhstan's four partners, each work title listed once, in title order."""
    header, rows = _run(built, "countries_coproducing_with_kazakhstan.rq")
    assert header == ["country", "label", "works"]
    assert rows == [
        ("country/china", "China", "Ayka; I Am Waiting for You in Ili"),
        ("country/germany", "Germany", "Ayka"),
        ("country/poland", "Poland", "Ayka"),
        ("country/russia", "Russia", "Ayka"),
    ]


def test_coproduction_partners_of_kazakhstan(built):
    """Kazakhstan's partners one row per work: China through AIKA (004) and the Ili series (001)."""
    header, rows = _run(built, "coproduction_partners_of_country.rq", "country=country/kazakhstan")
    assert header == ["country", "partner", "partner_label", "work", "work_label"]
    assert rows == [
        ("country/kazakhstan", "country/china", "China", "film/ayka-2018", "Ayka"),
        (
            "country/kazakhstan",
            "country/china",
            "China",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
        ),
        ("country/kazakhstan", "country/germany", "Germany", "film/ayka-2018", "Ayka"),
        ("country/kazakhstan", "country/poland", "Poland", "film/ayka-2018", "Ayka"),
        ("country/kazakhstan", "country/russia", "Russia", "film/ayka-2018", "Ayka"),
    ]


def test_coproduction_partners_of_china(built):
    """From China's side: the four AIKA partners and Kazakhstan again through the Ili series."""
    header, rows = _run(built, "coproduction_partners_of_country.rq", "country=country/china")
    assert header == ["country", "partner", "partner_label", "work", "work_label"]
    assert rows == [
        ("country/china", "country/germany", "Germany", "film/ayka-2018", "Ayka"),
        ("country/china", "country/kazakhstan", "Kazakhstan", "film/ayka-2018", "Ayka"),
        (
            "country/china",
            "country/kazakhstan",
            "Kazakhstan",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
        ),
        ("country/china", "country/poland", "Poland", "film/ayka-2018", "Ayka"),
        ("country/china", "country/russia", "Russia", "film/ayka-2018", "Ayka"),
    ]


def test_coproductions(built):
    """Only AIKA (five countries, 004) and the Ili series (two, 001); Mirrors and My Altay have one each."""
    header, rows = _run(built, "coproductions.rq")
    assert header == ["work", "work_label", "kind", "countries", "country", "country_label"]
    assert rows == [
        ("film/ayka-2018", "Ayka", "film", "5", "country/china", "China"),
        ("film/ayka-2018", "Ayka", "film", "5", "country/germany", "Germany"),
        ("film/ayka-2018", "Ayka", "film", "5", "country/kazakhstan", "Kazakhstan"),
        ("film/ayka-2018", "Ayka", "film", "5", "country/poland", "Poland"),
        ("film/ayka-2018", "Ayka", "film", "5", "country/russia", "Russia"),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "television series",
            "2",
            "country/china",
            "China",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "television series",
            "2",
            "country/kazakhstan",
            "Kazakhstan",
        ),
    ]


def test_crew_and_cast_of_ayka(built):
    """AIKA (004): director, producer and the Cannes-winning actress, no character named."""
    header, rows = _run(built, "crew_and_cast_of_work.rq", "work=film/ayka-2018")
    assert header == ["work", "work_label", "role", "person", "person_label", "character", "part", "portrays"]
    assert rows == [
        ("film/ayka-2018", "Ayka", "cast member", "person/samal-yeslyamova", "Samal Yeslyamova", "", "", ""),
        ("film/ayka-2018", "Ayka", "director", "person/sergey-dvortsevoy", "Sergey Dvortsevoy", "", "", ""),
        ("film/ayka-2018", "Ayka", "producer", "person/gulnara-sarsenova", "Gulnara Sarsenova", "", "", ""),
    ]


def test_crew_and_cast_of_mirrors(built):
    """Mirrors (003): the director and two actors with the characters the article gives."""
    header, rows = _run(built, "crew_and_cast_of_work.rq", "work=film/mirrors-suleymenov")
    assert header == ["work", "work_label", "role", "person", "person_label", "character", "part", "portrays"]
    assert rows == [
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "cast member",
            "person/elizat-berikova",
            "Elizat Berikova",
            "the heroine",
            "",
            "",
        ),
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "cast member",
            "person/erken-gubashev",
            "Erken Gubashev",
            "a rich and well-known businessman",
            "",
            "",
        ),
        ("film/mirrors-suleymenov", "Mirrors", "director", "person/rashid-suleymenov", "Rashid Suleymenov", "", "", ""),
    ]


def test_crew_and_cast_of_ili_series(built):
    """The Ili series (001): the producer, two leads in main roles and four more actors."""
    header, rows = _run(built, "crew_and_cast_of_work.rq", "work=series/waiting-for-you-in-ili")
    assert header == ["work", "work_label", "role", "person", "person_label", "character", "part", "portrays"]
    assert rows == [
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/aruzhan-bekbolat",
            "Aruzhan Bekbolat",
            "",
            "lead role",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/dariya-zhusip",
            "Dariya Zhusip",
            "",
            "",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/jiang-yihao",
            "Jiang Yihao",
            "",
            "lead role",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/li-le",
            "Li Le",
            "",
            "",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/lidiya-kaden",
            "Lidiya Kaden",
            "",
            "",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "cast member",
            "person/xu-hao",
            "Xu Hao",
            "",
            "",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "producer",
            "person/umit-erkin",
            "Umit Erkin",
            "",
            "",
            "",
        ),
    ]


def test_production_companies_of_ili_series(built):
    """Acceptance: the series article lists the Kazakh and Chinese organisations co-producing it, with their countries."""
    header, rows = _run(built, "production_companies_of_work.rq", "work=series/waiting-for-you-in-ili")
    assert header == ["work", "work_label", "company", "company_label", "kind", "country", "country_label"]
    assert rows == [
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "org/seventh-channel",
            "Seventh Channel",
            "broadcaster / TV channel",
            "country/kazakhstan",
            "Kazakhstan",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "org/xinjiang-radio-television",
            "Xinjiang state radio and television network",
            "broadcaster / TV channel",
            "country/china",
            "China",
        ),
    ]


def test_works_by_organisation(built):
    """Both broadcasters of the Ili series (001) and Netflix's remake interest in Mirrors (003)."""
    header, rows = _run(built, "works_by_organisation.rq")
    assert header == [
        "organisation",
        "organisation_label",
        "kind",
        "country_label",
        "relation",
        "work",
        "work_label",
        "status",
    ]
    assert rows == [
        (
            "org/netflix",
            "Netflix",
            "streaming service",
            "",
            "interested party",
            "film/mirrors-suleymenov",
            "Mirrors",
            "negotiating",
        ),
        (
            "org/seventh-channel",
            "Seventh Channel",
            "broadcaster / TV channel",
            "Kazakhstan",
            "distributor or platform",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "planned",
        ),
        (
            "org/seventh-channel",
            "Seventh Channel",
            "broadcaster / TV channel",
            "Kazakhstan",
            "production company",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
        ),
        (
            "org/xinjiang-radio-television",
            "Xinjiang state radio and television network",
            "broadcaster / TV channel",
            "China",
            "production company",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
        ),
    ]


def test_festival_editions_by_city_and_year(built):
    """Cannes 2018 (no city), the 1st Almaty Film Festival (004) and the 17th Eurasia IFF (002)."""
    header, rows = _run(built, "festival_editions_by_city_and_year.rq")
    assert header == [
        "city",
        "city_label",
        "year",
        "festival_label",
        "held_since",
        "edition",
        "edition_label",
        "number",
        "start",
        "end",
        "min_countries",
        "motto",
    ]
    assert rows == [
        (
            "",
            "",
            "2018",
            "Cannes Film Festival",
            "",
            "event/cannes-2018",
            "2018 Cannes Film Festival",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            "city/almaty",
            "Almaty",
            "2018",
            "Almaty Film Festival",
            "",
            "event/almaty-film-festival-1",
            "1st Almaty Film Festival",
            "1",
            "",
            "",
            "",
            "Rapprochement of Cultures",
        ),
        (
            "city/almaty",
            "Almaty",
            "2024",
            "Eurasia International Film Festival",
            "1998",
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "17",
            "2024-11-24",
            "2024-11-30",
            "15",
            "",
        ),
    ]


def test_festival_organisers_and_presidents(built):
    """The Almaty Film Festival's two organisers and its president (004)."""
    header, rows = _run(built, "festival_organisers_and_presidents.rq")
    assert header == ["festival", "festival_label", "role", "agent", "agent_label", "kind"]
    assert rows == [
        (
            "festival/almaty-film-festival",
            "Almaty Film Festival",
            "organiser",
            "org/almaty-akimat",
            "Akimat of Almaty",
            "government body",
        ),
        (
            "festival/almaty-film-festival",
            "Almaty Film Festival",
            "organiser",
            "org/astana-film-fund",
            "Astana Film Fund",
            "film fund",
        ),
        (
            "festival/almaty-film-festival",
            "Almaty Film Festival",
            "president",
            "person/akan-sataev",
            "Akan Sataev",
            "person",
        ),
    ]


def test_festival_programme(built):
    """Eurasia's competitions, ceremony and anniversaries (002); the AIKA premiere and Cannes screening (004)."""
    header, rows = _run(built, "festival_programme.rq")
    assert header == [
        "festival",
        "festival_label",
        "relation",
        "item",
        "item_kind",
        "item_label",
        "work_label",
        "status",
    ]
    assert rows == [
        (
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "has competition",
            "event/eurasia-iff-17-central-asia-turkic-competition",
            "competition programme",
            "competition of Central Asian countries and the Turkic world (17th Eurasia IFF)",
            "",
            "",
        ),
        (
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "has competition",
            "event/eurasia-iff-17-international-competition",
            "competition programme",
            "international competition (17th Eurasia IFF)",
            "",
            "",
        ),
        (
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "honours",
            "event/shaken-aimanov-110th-birth-anniversary",
            "anniversary",
            "110th birth anniversary of Shaken Aimanov",
            "",
            "",
        ),
        (
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "honours",
            "event/kazakhfilm-90th-anniversary",
            "anniversary",
            "90th anniversary of the Kazakhfilm studio",
            "",
            "",
        ),
        (
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "part of",
            "event/eurasia-iff-17-opening-ceremony",
            "event",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "",
            "",
        ),
        (
            "event/almaty-film-festival-1",
            "1st Almaty Film Festival",
            "part of",
            "screening/ayka-almaty-film-festival-opening",
            "premiere",
            "Premiere of Ayka at 1st Almaty Film Festival in Kazakhstan (planned)",
            "Ayka",
            "planned",
        ),
        (
            "festival/cannes",
            "Cannes Film Festival",
            "part of",
            "screening/ayka-cannes-working-version",
            "screening",
            "Screening of Ayka at Cannes Film Festival (done)",
            "Ayka",
            "done",
        ),
    ]


def test_positions_held(built):
    """The minister and the President (002), the channel's general director (001), the festival president (004)."""
    header, rows = _run(built, "positions_held.rq")
    assert header == [
        "holder",
        "holder_label",
        "position",
        "qualifier",
        "in",
        "in_label",
        "in_kind",
        "since",
        "until",
        "former",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "person/aida-balayeva",
            "Aida Balayeva",
            "minister",
            "of Culture and Information",
            "country/kazakhstan",
            "Kazakhstan",
            "country",
            "",
            "",
            "",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev",
            "president",
            "",
            "festival/almaty-film-festival",
            "Almaty Film Festival",
            "film festival",
            "",
            "",
            "",
            "article/004_9d304b95c593325b",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/ilkham-ibragim",
            "Ilkham Ibragim",
            "general director",
            "",
            "org/seventh-channel",
            "Seventh Channel",
            "broadcaster / TV channel",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "president",
            "",
            "country/kazakhstan",
            "Kazakhstan",
            "country",
            "",
            "",
            "",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
    ]


def test_awards_won_by_yeslyamova(built):
    """Best Actress at Cannes on 19 May 2018 for AIKA (004)."""
    header, rows = _run(built, "awards_won.rq", "awardee=person/samal-yeslyamova")
    assert header == [
        "award",
        "award_label",
        "conferred_by_label",
        "awardee",
        "awardee_label",
        "work",
        "work_label",
        "event_label",
        "date",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "award/cannes-best-actress",
            "Best Actress Award (Cannes)",
            "Cannes Film Festival",
            "person/samal-yeslyamova",
            "Samal Yeslyamova",
            "film/ayka-2018",
            "Ayka",
            "2018 Cannes Film Festival",
            "2018-05-19",
            "article/004_9d304b95c593325b",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        )
    ]


def test_works_filmed_or_set_in_places(built):
    """Filming and narrative locations of the Ili series (001), Mirrors (003) and AIKA (004)."""
    header, rows = _run(built, "works_filmed_or_set_in_place.rq")
    assert header == [
        "place",
        "place_label",
        "work",
        "work_label",
        "relation",
        "location",
        "location_label",
        "basis",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "city/almaty",
            "Almaty",
            "film/mirrors-suleymenov",
            "Mirrors",
            "narrative location",
            "city/almaty",
            "Almaty",
            "stated",
            "article/003_6ace3f2e2b0ad3c1",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "country/china",
            "China",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "filming location",
            "country/china",
            "China",
            "stated",
            "article/001_96dd9b9a8acb094b",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "region/ili",
            "Ili",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "narrative location",
            "region/ili",
            "Ili",
            "stated",
            "article/001_96dd9b9a8acb094b",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "narrative location",
            "country/kazakhstan",
            "Kazakhstan",
            "editorial",
            "article/001_96dd9b9a8acb094b",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "film/mirrors-suleymenov",
            "Mirrors",
            "narrative location",
            "city/almaty",
            "Almaty",
            "stated",
            "article/003_6ace3f2e2b0ad3c1",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "city/moscow",
            "Moscow",
            "film/ayka-2018",
            "Ayka",
            "narrative location",
            "city/moscow",
            "Moscow",
            "stated",
            "article/004_9d304b95c593325b",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "country/russia",
            "Russia",
            "film/ayka-2018",
            "Ayka",
            "narrative location",
            "city/moscow",
            "Moscow",
            "stated",
            "article/004_9d304b95c593325b",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]


def test_works_filmed_or_set_in_china(built):
    """Only the Ili series' filming in China: Xinjiang is not stated to lie in China."""
    header, rows = _run(built, "works_filmed_or_set_in_place.rq", "place=country/china")
    assert header == [
        "place",
        "place_label",
        "work",
        "work_label",
        "relation",
        "location",
        "location_label",
        "basis",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "country/china",
            "China",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "filming location",
            "country/china",
            "China",
            "stated",
            "article/001_96dd9b9a8acb094b",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        )
    ]


def test_plans_by_status(built):
    """Done, negotiating and planned premieres, screenings, deals, the remake and filming stages (000, 001, 003, 004)."""
    header, rows = _run(built, "plans_by_status.rq")
    assert header == [
        "status",
        "status_label",
        "kind",
        "item",
        "work",
        "work_label",
        "year",
        "date",
        "time",
        "article",
        "subject",
        "property",
        "value",
        "quote",
        "item_label",
        "article_title",
    ]
    assert rows == [
        (
            "cafo:Done",
            "done",
            "premiere",
            "screening/my-altay-premiere",
            "series/my-altay",
            "My Altay",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "Premiere of My Altay (done)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Done",
            "done",
            "screening",
            "screening/ayka-cannes-working-version",
            "film/ayka-2018",
            "Ayka",
            "",
            "",
            "",
            "article/004_9d304b95c593325b",
            "",
            "",
            "",
            "",
            "Screening of Ayka at Cannes Film Festival (done)",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "cafo:Done",
            "done",
            "screening",
            "screening/kazakh-cinema-90-years-film-national-cinema-day",
            "film/kazakh-cinema-90-years-film",
            "film dedicated to the 90th anniversary of Kazakh cinema",
            "",
            "",
            "",
            "article/000_84aca459143ef88d",
            "",
            "",
            "",
            "",
            "Screening of film dedicated to the 90th anniversary of Kazakh cinema at National Cinema Day (Kazakhstan) (done)",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "cafo:Negotiating",
            "negotiating",
            "adaptation / remake project",
            "adaptation/mirrors-netflix-remake",
            "film/mirrors-suleymenov",
            "Mirrors",
            "",
            "",
            "",
            "article/003_6ace3f2e2b0ad3c1",
            "",
            "",
            "",
            "",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "cafo:Negotiating",
            "negotiating",
            "distribution",
            "distribution/waiting-for-you-in-ili-online-platforms",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "Distribution of I Am Waiting for You in Ili (negotiating)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Negotiating",
            "negotiating",
            "distribution",
            "distribution/mirrors-eight-countries",
            "film/mirrors-suleymenov",
            "Mirrors",
            "",
            "",
            "",
            "article/003_6ace3f2e2b0ad3c1",
            "",
            "",
            "",
            "",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "cafo:Ongoing",
            "ongoing",
            "event",
            "event/waiting-for-you-in-ili-filming-china",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "filming of I Am Waiting for You in Ili in China",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "distribution",
            "distribution/ayka-autumn-release",
            "film/ayka-2018",
            "Ayka",
            "2018",
            "",
            "in the autumn of this year",
            "article/004_9d304b95c593325b",
            "",
            "",
            "",
            "",
            "Distribution of Ayka (planned)",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "cafo:Planned",
            "planned",
            "distribution",
            "distribution/waiting-for-you-in-ili-chinese-tv-channels",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "Distribution of I Am Waiting for You in Ili in China (planned)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "distribution",
            "distribution/waiting-for-you-in-ili-seventh-channel",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "Distribution of I Am Waiting for You in Ili by Seventh Channel (planned)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "event",
            "event/waiting-for-you-in-ili-filming-almaty",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "2025",
            "",
            "early September",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "filming of I Am Waiting for You in Ili in Almaty and Almaty Region",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "fact",
            "claim/001_96dd9b9a8acb094b/ili-filming-location-almaty-1",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty",
            "В начале сентября съемочная группа продолжит работу в Алматы и Алматинской области.",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "fact",
            "claim/001_96dd9b9a8acb094b/ili-filming-location-almaty-2",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty Region",
            "В начале сентября съемочная группа продолжит работу в Алматы и Алматинской области.",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "fact",
            "claim/001_96dd9b9a8acb094b/ili-filming-locations-planned-1",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "filming location",
            "Almaty Region",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "fact",
            "claim/001_96dd9b9a8acb094b/ili-filming-locations-planned-2",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "filming location",
            "Ili River valley",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "fact",
            "claim/001_96dd9b9a8acb094b/ili-filming-locations-planned-3",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "filming location",
            "Xinjiang",
            "Съемки пройдут в живописных уголках Алматинской области, долине реки Или, горах и городах Синьцзяна.",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "cafo:Planned",
            "planned",
            "premiere",
            "screening/ayka-almaty-film-festival-opening",
            "film/ayka-2018",
            "Ayka",
            "",
            "2018-09-15",
            "",
            "article/004_9d304b95c593325b",
            "",
            "",
            "",
            "",
            "Premiere of Ayka at 1st Almaty Film Festival in Kazakhstan (planned)",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "cafo:Planned",
            "planned",
            "premiere",
            "screening/waiting-for-you-in-ili-premiere",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "2026",
            "",
            "",
            "article/001_96dd9b9a8acb094b",
            "",
            "",
            "",
            "",
            "Premiere of I Am Waiting for You in Ili (planned)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
    ]


def test_distribution_deals(built):
    """AIKA's autumn release (004), the Ili series' three channels (001), Mirrors in 8 countries, 4 named (003)."""
    header, rows = _run(built, "distribution_deals.rq")
    assert header == [
        "work",
        "work_label",
        "status",
        "distributor_label",
        "territory_label",
        "territories",
        "time",
        "year",
        "description",
        "deal",
        "article",
        "deal_label",
        "article_title",
    ]
    assert rows == [
        (
            "film/ayka-2018",
            "Ayka",
            "planned",
            "",
            "",
            "",
            "in the autumn of this year",
            "2018",
            "international distribution",
            "distribution/ayka-autumn-release",
            "article/004_9d304b95c593325b",
            "Distribution of Ayka (planned)",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "planned",
            "",
            "China",
            "",
            "",
            "",
            "leading TV channels of China",
            "distribution/waiting-for-you-in-ili-chinese-tv-channels",
            "article/001_96dd9b9a8acb094b",
            "Distribution of I Am Waiting for You in Ili in China (planned)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "negotiating",
            "",
            "",
            "",
            "",
            "",
            "the largest online platforms are already showing interest in the project",
            "distribution/waiting-for-you-in-ili-online-platforms",
            "article/001_96dd9b9a8acb094b",
            "Distribution of I Am Waiting for You in Ili (negotiating)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "planned",
            "Seventh Channel",
            "",
            "",
            "",
            "",
            "",
            "distribution/waiting-for-you-in-ili-seventh-channel",
            "article/001_96dd9b9a8acb094b",
            "Distribution of I Am Waiting for You in Ili by Seventh Channel (planned)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "negotiating",
            "",
            "Armenia",
            "8",
            "",
            "",
            "The film has drawn interest abroad, a success its makers and director did not even dream of; they are negotiating with several distributors and deciding on screening dates.",
            "distribution/mirrors-eight-countries",
            "article/003_6ace3f2e2b0ad3c1",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "negotiating",
            "",
            "Belarus",
            "8",
            "",
            "",
            "The film has drawn interest abroad, a success its makers and director did not even dream of; they are negotiating with several distributors and deciding on screening dates.",
            "distribution/mirrors-eight-countries",
            "article/003_6ace3f2e2b0ad3c1",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "negotiating",
            "",
            "Georgia",
            "8",
            "",
            "",
            "The film has drawn interest abroad, a success its makers and director did not even dream of; they are negotiating with several distributors and deciding on screening dates.",
            "distribution/mirrors-eight-countries",
            "article/003_6ace3f2e2b0ad3c1",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "film/mirrors-suleymenov",
            "Mirrors",
            "negotiating",
            "",
            "Kyrgyzstan",
            "8",
            "",
            "",
            "The film has drawn interest abroad, a success its makers and director did not even dream of; they are negotiating with several distributors and deciding on screening dates.",
            "distribution/mirrors-eight-countries",
            "article/003_6ace3f2e2b0ad3c1",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
    ]


def test_attributed_statements(built):
    """Every attributed statement of the five articles, one row per thing it is about."""
    header, rows = _run(built, "attributed_statements.rq")
    assert header == [
        "speaker",
        "speaker_label",
        "kind",
        "status",
        "about",
        "about_label",
        "event_label",
        "content",
        "statement",
        "article",
        "statement_label",
        "article_title",
    ]
    assert rows == [
        (
            "person/aida-balayeva",
            "Aida Balayeva",
            "opinion",
            "",
            "festival/eurasia-iff",
            "Eurasia International Film Festival",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "the Eurasia Film International Festival is a unique venue that has become a cultural brand of Kazakhstan and Central Asia",
            "statement/balayeva-eurasia-iff-cultural-brand",
            "article/002_fe30f7e3a02f8faf",
            "Aida Balayeva: opinion about Eurasia International Film Festival",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/aida-balayeva",
            "Aida Balayeva",
            "intention",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "work will continue on the domestic film industry’s systematic development and the legislative framework’s improvement",
            "statement/balayeva-film-industry-legislation-work-continues",
            "article/002_fe30f7e3a02f8faf",
            "Aida Balayeva: intention about Kazakhstan",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/alen-niyazbekov",
            "Alen Niyazbekov",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "особое внимание стоит уделить фольклору и локальным историям, ведь именно они могут заинтересовать международную аудиторию и стать основой для уникальных проектов; гипотезы подтвердились: взаимодействуя с коллегами за рубежом, поняли, что акцент надо делать на фольклор, на локальную историю; кино — это красиво рассказанная история",
            "statement/alen-niyazbekov-focus-on-folklore-and-local-stories",
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/alen-niyazbekov",
            "Alen Niyazbekov",
            "opinion",
            "announced",
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "такие встречи помогают определить ключевые направления развития для отечественного кино",
            "statement/alen-niyazbekov-meetings-define-directions",
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov: opinion about Global Tech Wave 2025",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "opinion",
            "announced",
            "film/kazakh-cinema-90-years-film",
            "film dedicated to the 90th anniversary of Kazakh cinema",
            "",
            "фильм, посвящённый 90-летию казахстанского кино, — это было невероятно",
            "statement/christopher-sean-film-was-incredible",
            "article/000_84aca459143ef88d",
            "Christopher Sean: opinion about film dedicated to the 90th anniversary of Kazakh cinema",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "opinion",
            "announced",
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "очень рад, что Global Tech Wave проходит здесь, в Казахстане, в Шымкенте",
            "statement/christopher-sean-glad-global-tech-wave-in-shymkent",
            "article/000_84aca459143ef88d",
            "Christopher Sean: opinion about Global Tech Wave 2025",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "intention",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "надеется помочь и вдохновить новое поколение, открыть новые пути для карьерного роста",
            "statement/christopher-sean-hopes-to-inspire-new-generation",
            "article/000_84aca459143ef88d",
            "Christopher Sean: intention about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "interest",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил заинтересованность в будущем сотрудничестве",
            "statement/christopher-sean-interest-in-cooperation",
            "article/000_84aca459143ef88d",
            "Christopher Sean: interest about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "opinion",
            "announced",
            "",
            "",
            "",
            "очень важно учиться, развиваться и обмениваться опытом",
            "statement/christopher-sean-learn-and-exchange-experience",
            "article/000_84aca459143ef88d",
            "Christopher Sean: opinion",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "полюбил Казахстан — здесь потрясающая еда, добрые и гостеприимные люди",
            "statement/christopher-sean-loves-kazakhstan",
            "article/000_84aca459143ef88d",
            "Christopher Sean: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "readiness to co-operate",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил готовность к возможному сотрудничеству в будущем",
            "statement/christopher-sean-ready-to-cooperate",
            "article/000_84aca459143ef88d",
            "Christopher Sean: readiness to co-operate about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "видит большой потенциал в отечественной киноиндустрии; здесь открываются огромные возможности",
            "statement/christopher-sean-sees-great-potential",
            "article/000_84aca459143ef88d",
            "Christopher Sean: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "intention",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "хочется исследовать богатую историю страны",
            "statement/christopher-sean-wants-to-explore-history",
            "article/000_84aca459143ef88d",
            "Christopher Sean: intention about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/elizat-berikova",
            "Elizat Berikova",
            "opinion",
            "announced",
            "film/mirrors-suleymenov",
            "Mirrors",
            "",
            "Фильм учит людей не воровать и не встречаться с кем-то, как её героиня: всё это неправильно. Даже воры, которые пришли и посмотрели, увидели, что с ними может случиться.",
            "statement/berikova-mirrors-film-teaches",
            "article/003_6ace3f2e2b0ad3c1",
            "Elizat Berikova: opinion about Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "person/erken-gubashev",
            "Erken Gubashev",
            "opinion",
            "announced",
            "film/mirrors-suleymenov",
            "Mirrors",
            "",
            "Этот фильм нужен, потому что такое мы видим сплошь и рядом на наших улицах: молодёжь приезжает никому не нужная и неприкаянная, работы нет, и они вынуждены заниматься такими нехорошими делами.",
            "statement/gubashev-mirrors-film-needed",
            "article/003_6ace3f2e2b0ad3c1",
            "Erken Gubashev: opinion about Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "person/erken-gubashev",
            "Erken Gubashev",
            "opinion",
            "announced",
            "performance/gubashev-mirrors-businessman",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "",
            "Сыграть роль было непросто, учиться приходилось буквально на съёмочной площадке, но он уверен, что справился с поставленной задачей. Роль неоднозначная, наполненная, характерная, требует не столько внешнего подхода, сколько внутреннего; больше внутреннего переживания.",
            "statement/gubashev-mirrors-role-difficult",
            "article/003_6ace3f2e2b0ad3c1",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "person/gulnara-sarsenova",
            "Gulnara Sarsenova",
            "opinion",
            "announced",
            "film/ayka-2018",
            "Ayka",
            "",
            "A festival film for a prepared audience, not for fans of comedies and popcorn; it aims to change the attitude towards migrants and invite reflection on their life.",
            "statement/sarsenova-on-ayka",
            "article/004_9d304b95c593325b",
            "Gulnara Sarsenova: opinion about Ayka",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/ilkham-ibragim",
            "Ilkham Ibragim",
            "intention",
            "announced",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "The series will be shown both on Seventh Channel and on leading Chinese TV channels; the largest online platforms are already showing interest in the project",
            "statement/ilkham-ibragim-waiting-for-you-in-ili-broadcast",
            "article/001_96dd9b9a8acb094b",
            "Ilkham Ibragim: intention about I Am Waiting for You in Ili",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "person/ilkham-ibragim",
            "Ilkham Ibragim",
            "opinion",
            "announced",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "this will reach the widest possible audience and draw viewers' attention not only in our countries but beyond them; such joint projects open new prospects for the development of tourism and the creative industries",
            "statement/ilkham-ibragim-waiting-for-you-in-ili-prospects",
            "article/001_96dd9b9a8acb094b",
            "Ilkham Ibragim: opinion about I Am Waiting for You in Ili",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "city/shymkent",
            "Shymkent",
            "Global Tech Wave 2025",
            "впервые в Центральной Азии и очень рад быть в Шымкенте на Global Tech Wave",
            "statement/karl-choi-glad-to-be-at-global-tech-wave",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Shymkent, Global Tech Wave 2025, Central Asia",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "Global Tech Wave 2025",
            "впервые в Центральной Азии и очень рад быть в Шымкенте на Global Tech Wave",
            "statement/karl-choi-glad-to-be-at-global-tech-wave",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Shymkent, Global Tech Wave 2025, Central Asia",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "region/central-asia",
            "Central Asia",
            "Global Tech Wave 2025",
            "впервые в Центральной Азии и очень рад быть в Шымкенте на Global Tech Wave",
            "statement/karl-choi-glad-to-be-at-global-tech-wave",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Shymkent, Global Tech Wave 2025, Central Asia",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "Казахстан произвёл большое впечатление; люди здесь тёплые и открытые, а казахское кино действительно уникальное",
            "statement/karl-choi-impressed-by-kazakhstan",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "interest",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил заинтересованность в будущем сотрудничестве",
            "statement/karl-choi-interest-in-cooperation",
            "article/000_84aca459143ef88d",
            "Karl Choi: interest about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "interest",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "интересно больше узнать о культуре и поделиться своим опытом",
            "statement/karl-choi-interest-in-culture",
            "article/000_84aca459143ef88d",
            "Karl Choi: interest about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "Global Tech Wave 2025",
            "высоко оценил потенциал казахстанского кино",
            "statement/karl-choi-rates-kazakh-cinema-potential",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "intention to invest",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "Global Tech Wave 2025",
            "готов инвестировать в местные кинопроекты",
            "statement/karl-choi-ready-to-invest",
            "article/000_84aca459143ef88d",
            "Karl Choi: intention to invest about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "opinion",
            "announced",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "Казахстан обладает уникальной культурой и креативной энергией, способной заинтересовать мировую аудиторию",
            "statement/karl-choi-unique-culture-creative-energy",
            "article/000_84aca459143ef88d",
            "Karl Choi: opinion about Kazakhstan",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "",
            "",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "Cinematography inspires people to be creative and innovative, and it teaches the greatest traits, fostering a high culture across the country.",
            "statement/tokayev-cinematography-inspires-creativity",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "This year’s festival honors the 110th birth anniversary of Kazakh cinema star Shaken Aimanov as well as the 90th anniversary of the Kazakhfilm studio’s creation. This has significant symbolic value.",
            "statement/tokayev-eurasia-iff-17-anniversaries-symbolic-value",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about 17th Eurasia International Film Festival, 90th anniversary of the Kazakhfilm studio, 110th birth anniversary of Shaken Aimanov",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "event/kazakhfilm-90th-anniversary",
            "90th anniversary of the Kazakhfilm studio",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "This year’s festival honors the 110th birth anniversary of Kazakh cinema star Shaken Aimanov as well as the 90th anniversary of the Kazakhfilm studio’s creation. This has significant symbolic value.",
            "statement/tokayev-eurasia-iff-17-anniversaries-symbolic-value",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about 17th Eurasia International Film Festival, 90th anniversary of the Kazakhfilm studio, 110th birth anniversary of Shaken Aimanov",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "event/shaken-aimanov-110th-birth-anniversary",
            "110th birth anniversary of Shaken Aimanov",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "This year’s festival honors the 110th birth anniversary of Kazakh cinema star Shaken Aimanov as well as the 90th anniversary of the Kazakhfilm studio’s creation. This has significant symbolic value.",
            "statement/tokayev-eurasia-iff-17-anniversaries-symbolic-value",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about 17th Eurasia International Film Festival, 90th anniversary of the Kazakhfilm studio, 110th birth anniversary of Shaken Aimanov",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "festival/eurasia-iff",
            "Eurasia International Film Festival",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "the Eurasia International Film Festival is a unique project that presents Kazakh culture to the world",
            "statement/tokayev-eurasia-iff-unique-project",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about Eurasia International Film Festival",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "festival/eurasia-iff",
            "Eurasia International Film Festival",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "I hope that the Eurasia International Film Festival will open real hearts and pave the route for the greatest films",
            "statement/tokayev-hope-eurasia-iff-greatest-films",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about Eurasia International Film Festival",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/kassym-jomart-tokayev",
            "Kassym-Jomart Tokayev",
            "opinion",
            "",
            "country/kazakhstan",
            "Kazakhstan",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "Our professionals create films with deep meaning, keeping up with the elder generation’s talents and proficiency. Our films compete for top accolades throughout the world.",
            "statement/tokayev-kazakh-films-compete-worldwide",
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about Kazakhstan",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "person/umit-erkin",
            "Umit Erkin",
            "intention",
            "announced",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "We want to show the beauty of Ili and Almaty, the multinational culture of the region and new opportunities for young people. The project brings together the themes of friendship and cultural exchange",
            "statement/umit-erkin-waiting-for-you-in-ili-aims",
            "article/001_96dd9b9a8acb094b",
            "Umit Erkin: intention about I Am Waiting for You in Ili",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "person/umit-erkin",
            "Umit Erkin",
            "intention",
            "announced",
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "",
            "the series will touch on youth entrepreneurship and cross-border trade between China and Kazakhstan, and will reflect the deepening economic and cultural ties that strengthened after the two countries introduced a visa-free regime",
            "statement/umit-erkin-waiting-for-you-in-ili-themes",
            "article/001_96dd9b9a8acb094b",
            "Umit Erkin: intention about I Am Waiting for You in Ili",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
    ]


def test_investment_and_cooperation_statements(built):
    """The Hollywood guests at Global Tech Wave (000): Karl Choi ready to invest, both interested."""
    header, rows = _run(built, "investment_and_cooperation_statements.rq")
    assert header == [
        "speaker",
        "speaker_label",
        "kind",
        "about",
        "about_label",
        "event_label",
        "content",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "person/karl-choi",
            "Karl Choi",
            "intention to invest",
            "country/kazakhstan",
            "Kazakhstan",
            "Global Tech Wave 2025",
            "готов инвестировать в местные кинопроекты",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "interest",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил заинтересованность в будущем сотрудничестве",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "interest",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил заинтересованность в будущем сотрудничестве",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/karl-choi",
            "Karl Choi",
            "interest",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "интересно больше узнать о культуре и поделиться своим опытом",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "person/christopher-sean",
            "Christopher Sean",
            "readiness to co-operate",
            "country/kazakhstan",
            "Kazakhstan",
            "",
            "выразил готовность к возможному сотрудничеству в будущем",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
    ]


def test_reported_figures(built):
    """My Altay's figures (001), two of them lower bounds; AIKA's years of work as each half of 004 gives them."""
    header, rows = _run(built, "reported_figures.rq")
    assert header == [
        "about",
        "about_label",
        "measure",
        "value",
        "unit",
        "lower_bound",
        "figure",
        "article",
        "figure_label",
        "article_title",
    ]
    assert rows == [
        (
            "film/ayka-2018",
            "Ayka",
            "years of work on the film",
            "6",
            "years",
            "true",
            "statistic/ayka-years-of-work-en",
            "article/004_9d304b95c593325b",
            "Ayka: years of work on the film",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "film/ayka-2018",
            "Ayka",
            "годы работы над фильмом",
            "6",
            "years",
            "false",
            "statistic/ayka-years-of-work-ru",
            "article/004_9d304b95c593325b",
            "Ayka: годы работы над фильмом",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "region/burqin",
            "Burqin",
            "growth of the tourist flow to the Burqin region in Xinjiang after the series' release",
            "68",
            "percent",
            "",
            "statistic/my-altay-burqin-tourist-flow-growth",
            "article/001_96dd9b9a8acb094b",
            "Burqin, My Altay: growth of the tourist flow to the Burqin region in Xinjiang after the series' release",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/my-altay",
            "My Altay",
            "growth of the tourist flow to the Burqin region in Xinjiang after the series' release",
            "68",
            "percent",
            "",
            "statistic/my-altay-burqin-tourist-flow-growth",
            "article/001_96dd9b9a8acb094b",
            "Burqin, My Altay: growth of the tourist flow to the Burqin region in Xinjiang after the series' release",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/my-altay",
            "My Altay",
            "views of the first episodes in two days",
            "10000000",
            "views",
            "true",
            "statistic/my-altay-first-episodes-views-two-days",
            "article/001_96dd9b9a8acb094b",
            "My Altay: views of the first episodes in two days",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/my-altay",
            "My Altay",
            "tourism income after the series' release",
            "402000000",
            "CNY",
            "",
            "statistic/my-altay-tourism-income-cny",
            "article/001_96dd9b9a8acb094b",
            "My Altay: tourism income after the series' release",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "series/my-altay",
            "My Altay",
            "tourism income after the series' release, converted to tenge (approximately)",
            "24700000000",
            "KZT",
            "",
            "statistic/my-altay-tourism-income-kzt",
            "article/001_96dd9b9a8acb094b",
            "My Altay: tourism income after the series' release, converted to tenge (approximately)",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
    ]


def test_anniversaries_honoured(built):
    """Aimanov's 110th and Kazakhfilm's 90th honoured by Eurasia (002); Kazakh cinema's 90th by a film (000)."""
    header, rows = _run(built, "anniversaries_honoured.rq")
    assert header == [
        "anniversary",
        "anniversary_label",
        "years",
        "of_label",
        "honoured_by",
        "honoured_by_label",
        "honoured_by_kind",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "event/shaken-aimanov-110th-birth-anniversary",
            "110th birth anniversary of Shaken Aimanov",
            "110",
            "Shaken Aimanov",
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "festival edition",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "event/kazakh-cinema-90th-anniversary",
            "90th anniversary of Kazakh cinema",
            "90",
            "",
            "film/kazakh-cinema-90-years-film",
            "film dedicated to the 90th anniversary of Kazakh cinema",
            "film",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "event/kazakhfilm-90th-anniversary",
            "90th anniversary of the Kazakhfilm studio",
            "90",
            "Kazakhfilm",
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "festival edition",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
    ]


def test_facts_per_article(built):
    """Stated and editorial triples and quotes of each article; 003 has no editorial judgements."""
    header, rows = _run(built, "facts_per_article.rq")
    assert header == ["article", "file", "date", "stated", "editorial", "quotes", "article_title"]
    assert rows == [
        (
            "article/000_84aca459143ef88d",
            "seeds/000_84aca459143ef88d.txt",
            "2025-09-15",
            "170",
            "5",
            "64",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/001_96dd9b9a8acb094b",
            "seeds/001_96dd9b9a8acb094b.txt",
            "2025-08-25",
            "148",
            "3",
            "63",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "seeds/002_fe30f7e3a02f8faf.txt",
            "2024-11-26",
            "81",
            "9",
            "49",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "seeds/003_6ace3f2e2b0ad3c1.txt",
            "",
            "65",
            "0",
            "42",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/004_9d304b95c593325b",
            "seeds/004_9d304b95c593325b.txt",
            "",
            "89",
            "6",
            "82",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]


def test_editorial_judgements(built):
    """Every editorial fact with the editor's reason (000, 001, 002, 004)."""
    header, rows = _run(built, "editorial_judgements.rq")
    assert header == ["article", "subject", "property", "value", "reason", "article_title"]
    assert rows == [
        (
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov at Global Tech Wave 2025 — participant",
            "participant",
            "Alen Niyazbekov",
            'The text does not say outright that Niyazbekov attended the conference; it quotes him, in the report on it, about "такие встречи" and about his interaction with foreign colleagues, which places him there.',
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov at Global Tech Wave 2025 — participant",
            "participation in",
            "Global Tech Wave 2025",
            'The text does not say outright that Niyazbekov attended the conference; it quotes him, in the report on it, about "такие встречи" and about his interaction with foreign colleagues, which places him there.',
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov at Global Tech Wave 2025 — participant",
            "role",
            "participant",
            'The text does not say outright that Niyazbekov attended the conference; it quotes him, in the report on it, about "такие встречи" and about his interaction with foreign colleagues, which places him there.',
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/000_84aca459143ef88d",
            "Alen Niyazbekov at Global Tech Wave 2025 — participant",
            "type",
            "participation with a role",
            'The text does not say outright that Niyazbekov attended the conference; it quotes him, in the report on it, about "такие встречи" and about his interaction with foreign colleagues, which places him there.',
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/000_84aca459143ef88d",
            "Global Tech Wave 2025",
            "year (of an event or plan)",
            "2025",
            'The text gives no date for the conference; it says the conference "прошла" (has taken place) in an article dated 2025-09-15, so it was held in 2025.',
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/001_96dd9b9a8acb094b",
            "I Am Waiting for You in Ili",
            "narrative location",
            "Kazakhstan",
            "The text says the story revolves around a young man from Kazakhstan; that the story is set partly in Kazakhstan is the editor's reading.",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "article/001_96dd9b9a8acb094b",
            "My Altay",
            "production country",
            "China",
            "The text says the Chinese side presented the series; that China is its production country is the editor's reading.",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "article/001_96dd9b9a8acb094b",
            "filming of I Am Waiting for You in Ili in Almaty and Almaty Region",
            "year (of an event or plan)",
            "2025",
            'The text says only "early September"; the article is dated 2025-08-25, so the next September is September 2025.',
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "17th Eurasia International Film Festival",
            "end date",
            "2024-11-30",
            'The text gives only "Nov. 30"; the year is 2024 because the article is dated 2024-11-26 and says "This year".',
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "17th Eurasia International Film Festival",
            "start date",
            "2024-11-24",
            'The text gives only "Nov. 24"; the year is 2024 because the article is dated 2024-11-26, speaks of the festival as having kicked off and of "This year".',
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "Aida Balayeva: intention about Kazakhstan",
            "about",
            "Kazakhstan",
            '"domestic" refers to Kazakhstan: the speaker is Kazakhstan\'s Minister of Culture and Information.',
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "Aida Balayeva: intention about Kazakhstan",
            "at event",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "The remark follows the account of her welcoming speech at the opening ceremony and is read as part of it; the text does not say so.",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "Aida Balayeva: opinion about Eurasia International Film Festival",
            "at event",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "The remark follows the account of her welcoming speech at the opening ceremony and is read as part of it; the text does not say so.",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about Eurasia International Film Festival",
            "at event",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "The sentence follows the one on the letter read out at the opening ceremony and precedes the letter's quotation; it is read as a summary of the letter.",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "Kassym-Jomart Tokayev: opinion about Kazakhstan",
            "about",
            "Kazakhstan",
            '"Our professionals" and "Our films" are Kazakhstan\'s: the speaker is the President of Kazakhstan.',
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "date",
            "2024-11-24",
            "The text does not date the ceremony; it opened the festival, which kicked off on Nov. 24 (2024, see edition-start-date).",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "part of",
            "17th Eurasia International Film Festival",
            "The text says \"The opening ceremony\" without naming the festival; in an article about the 17th Eurasia festival's kick-off it is that edition's opening ceremony.",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/004_9d304b95c593325b",
            "1st Almaty Film Festival",
            "location",
            "Almaty",
            'The text never says "held in Almaty" outright; it places the festival within Almaty\'s City Day and its aim is to bring projects to Almaty.',
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "1st Almaty Film Festival",
            "year (of an event or plan)",
            "2018",
            "The first edition is the one where AIKA opens after its Cannes award of May 2018.",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "2018 Cannes Film Festival",
            "edition of",
            "Cannes Film Festival",
            "The text names the Cannes film festival and the date 19 May 2018, so the award was given at the 2018 edition.",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "2018 Cannes Film Festival",
            "year (of an event or plan)",
            "2018",
            "The award date 19 May 2018 dates this edition.",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "Distribution of Ayka (planned)",
            "year (of an event or plan)",
            "2018",
            '"This year" is the year of the Cannes award the article reports as past (19 May 2018) and of the first Almaty Film Festival.',
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "Premiere of Ayka at 1st Almaty Film Festival in Kazakhstan (planned)",
            "date",
            "2018-09-15",
            "The text gives 15 September without a year; the year is 2018, that of the Cannes award the article reports as recent.",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]


def test_entities_with_wikidata(built):
    """The registry's Wikidata links."""
    header, rows = _run(built, "entities_with_wikidata.rq")
    assert header == ["entity", "label", "kind", "wikidata"]
    assert rows == [
        ("city/almaty", "Almaty", "city", "wd:Q35493"),
        ("city/astana", "Astana", "city", "wd:Q1520"),
        ("city/moscow", "Moscow", "city", "wd:Q649"),
        ("country/armenia", "Armenia", "country", "wd:Q399"),
        ("country/belarus", "Belarus", "country", "wd:Q184"),
        ("country/china", "China", "country", "wd:Q148"),
        ("country/georgia", "Georgia", "country", "wd:Q230"),
        ("country/germany", "Germany", "country", "wd:Q183"),
        ("country/kazakhstan", "Kazakhstan", "country", "wd:Q232"),
        ("country/kyrgyzstan", "Kyrgyzstan", "country", "wd:Q813"),
        ("country/poland", "Poland", "country", "wd:Q36"),
        ("country/russia", "Russia", "country", "wd:Q159"),
        ("festival/cannes", "Cannes Film Festival", "film festival", "wd:Q42369"),
        ("region/central-asia", "Central Asia", "region", "wd:Q27275"),
        ("region/xinjiang", "Xinjiang", "region", "wd:Q34800"),
        ("org/netflix", "Netflix", "streaming service", "wd:Q907311"),
    ]


def test_people_by_nationality_and_occupation(built):
    """Everyone, with the nationality and occupations the articles state."""
    header, rows = _run(built, "people_by_nationality_and_occupation.rq")
    assert header == ["nationality_label", "person", "person_label", "occupation", "qualifier"]
    assert rows == [
        ("", "person/aida-balayeva", "Aida Balayeva", "", ""),
        ("", "person/alen-niyazbekov", "Alen Niyazbekov", "film director", ""),
        ("", "person/christopher-sean", "Christopher Sean", "actor", "Hollywood"),
        ("", "person/christopher-sean", "Christopher Sean", "film producer", "Hollywood"),
        ("", "person/dariya-zhusip", "Dariya Zhusip", "actor", ""),
        ("", "person/elizat-berikova", "Elizat Berikova", "actor", ""),
        ("", "person/erken-gubashev", "Erken Gubashev", "actor", ""),
        ("", "person/gulnara-sarsenova", "Gulnara Sarsenova", "film producer", ""),
        ("", "person/ilkham-ibragim", "Ilkham Ibragim", "", ""),
        ("", "person/karl-choi", "Karl Choi", "film producer", "Hollywood"),
        ("", "person/kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "", ""),
        ("", "person/li-le", "Li Le", "actor", ""),
        ("", "person/lidiya-kaden", "Lidiya Kaden", "actor", ""),
        ("", "person/rashid-suleymenov", "Rashid Suleymenov", "film director", ""),
        ("", "person/sergey-dvortsevoy", "Sergey Dvortsevoy", "film director", ""),
        ("", "person/shaken-aimanov", "Shaken Aimanov", "film director", ""),
        ("", "person/umit-erkin", "Umit Erkin", "", ""),
        ("", "person/xu-hao", "Xu Hao", "actor", ""),
        ("China", "person/jiang-yihao", "Jiang Yihao", "actor", ""),
        ("Kazakhstan", "person/akan-sataev", "Akan Sataev", "film director", ""),
        ("Kazakhstan", "person/aruzhan-bekbolat", "Aruzhan Bekbolat", "actor", ""),
        ("Kazakhstan", "person/samal-yeslyamova", "Samal Yeslyamova", "actor", ""),
    ]


def test_names_of_jiang_yihao(built):
    """Jiang Yihao's names, with the alias Aiken/Айкэн (001)."""
    header, rows = _run(built, "labels_of_entity.rq", "entity=person/jiang-yihao")
    assert header == ["entity", "kind", "language", "name"]
    assert rows == [
        ("person/jiang-yihao", "preferred", "en", "Jiang Yihao"),
        ("person/jiang-yihao", "preferred", "ru", "Цзян Ихао"),
        ("person/jiang-yihao", "alternative", "en", "Aiken"),
        ("person/jiang-yihao", "alternative", "en", "Tszyan Ikhao"),
        ("person/jiang-yihao", "alternative", "ru", "Айкэн"),
    ]


def test_names_of_kazakhstan(built):
    """Kazakhstan in English, Kazakh and Russian."""
    header, rows = _run(built, "labels_of_entity.rq", "entity=country/kazakhstan")
    assert header == ["entity", "kind", "language", "name"]
    assert rows == [
        ("country/kazakhstan", "preferred", "en", "Kazakhstan"),
        ("country/kazakhstan", "preferred", "kk", "Қазақстан"),
        ("country/kazakhstan", "preferred", "ru", "Казахстан"),
        ("country/kazakhstan", "alternative", "en", "Republic of Kazakhstan"),
        ("country/kazakhstan", "alternative", "ru", "Республика Казахстан"),
    ]


def test_names_of_umit_erkin(built):
    """The Ili producer in Kazakh spelling and Russian transliteration."""
    header, rows = _run(built, "labels_of_entity.rq", "entity=person/umit-erkin")
    assert header == ["entity", "kind", "language", "name"]
    assert rows == [
        ("person/umit-erkin", "preferred", "en", "Umit Erkin"),
        ("person/umit-erkin", "preferred", "kk", "Үміт Еркін"),
        ("person/umit-erkin", "preferred", "ru", "Үміт Еркін"),
        ("person/umit-erkin", "alternative", "ru", "Умит Еркин"),
    ]


def test_article_metadata(built):
    """Files, dates, languages and headlines of the five articles."""
    header, rows = _run(built, "article_metadata.rq")
    assert header == ["article", "file", "date", "language", "headline", "article_title"]
    assert rows == [
        (
            "article/000_84aca459143ef88d",
            "seeds/000_84aca459143ef88d.txt",
            "2025-09-15",
            "ru",
            "",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "article/001_96dd9b9a8acb094b",
            "seeds/001_96dd9b9a8acb094b.txt",
            "2025-08-25",
            "ru",
            "",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "article/002_fe30f7e3a02f8faf",
            "seeds/002_fe30f7e3a02f8faf.txt",
            "2024-11-26",
            "en",
            "",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "seeds/003_6ace3f2e2b0ad3c1.txt",
            "",
            "ru",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/004_9d304b95c593325b",
            "seeds/004_9d304b95c593325b.txt",
            "",
            "en",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "article/004_9d304b95c593325b",
            "seeds/004_9d304b95c593325b.txt",
            "",
            "ru",
            "Казахстанцам покажут фильм «Айка» на I Международном кинофестивале Almaty Film Festival.",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]


def test_facts_stated_by_mirrors_article(built):
    """Everything the Mirrors article (003) states."""
    header, rows = _run(
        built, "facts_stated_by_article.rq", "article=<https://w3id.org/ca-film/id/article/003_6ace3f2e2b0ad3c1>"
    )
    assert header == ["article", "basis", "subject", "property", "value", "article_title"]
    assert rows == [
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "adaptation of",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "description",
            "Foreign filmmakers are interested in the film: one of the producers of Netflix may borrow the idea and script and shoot the film for foreign viewers. Negotiations are under way; the film's authors keep all details secret.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "description",
            "Картиной заинтересовались зарубежные кинематографисты: один из продюсеров платформы Netflix может позаимствовать идею и сценарий фильма и снять его для иностранного зрителя. Идут переговоры; все детали авторы держат в секрете.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "interested party",
            "Netflix",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "status",
            "negotiating",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Adaptation of Mirrors by Netflix (negotiating)",
            "type",
            "adaptation / remake project",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "description",
            "The film has drawn interest abroad, a success its makers and director did not even dream of; they are negotiating with several distributors and deciding on screening dates.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "description",
            "Картиной заинтересовались за рубежом - о таком успехе создатели и режиссёр даже не мечтали; авторы ведут переговоры с несколькими прокатчиками и определяются с датами показа.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "distributed work",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "number of territories",
            "8",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "status",
            "negotiating",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "territory",
            "Armenia",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "territory",
            "Belarus",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "territory",
            "Georgia",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "territory",
            "Kyrgyzstan",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Distribution of Mirrors in Armenia, Belarus, Georgia, Kyrgyzstan (negotiating)",
            "type",
            "distribution",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova",
            "occupation",
            "actor",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova as the heroine in Mirrors",
            "character",
            "the heroine",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova as the heroine in Mirrors",
            "character",
            "героиня",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova as the heroine in Mirrors",
            "performance in",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova as the heroine in Mirrors",
            "performer",
            "Elizat Berikova",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova as the heroine in Mirrors",
            "type",
            "performance (cast role)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "about",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "content",
            "Фильм учит людей не воровать и не встречаться с кем-то, как её героиня: всё это неправильно. Даже воры, которые пришли и посмотрели, увидели, что с ними может случиться.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "kind of statement",
            "opinion",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "speaker",
            "Elizat Berikova",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "status",
            "announced",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Elizat Berikova: opinion about Mirrors",
            "type",
            "attributed statement",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev",
            "occupation",
            "actor",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "character",
            "a rich and well-known businessman",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "character",
            "богатый и известный бизнесмен",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "performance in",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "performer",
            "Erken Gubashev",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "type",
            "performance (cast role)",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "about",
            "Erken Gubashev as a rich and well-known businessman in Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "content",
            "Сыграть роль было непросто, учиться приходилось буквально на съёмочной площадке, но он уверен, что справился с поставленной задачей. Роль неоднозначная, наполненная, характерная, требует не столько внешнего подхода, сколько внутреннего; больше внутреннего переживания.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "kind of statement",
            "opinion",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "speaker",
            "Erken Gubashev",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "status",
            "announced",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "type",
            "attributed statement",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "about",
            "Mirrors",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "content",
            "Этот фильм нужен, потому что такое мы видим сплошь и рядом на наших улицах: молодёжь приезжает никому не нужная и неприкаянная, работы нет, и они вынуждены заниматься такими нехорошими делами.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "kind of statement",
            "opinion",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "speaker",
            "Erken Gubashev",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "status",
            "announced",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Erken Gubashev: opinion about Mirrors",
            "type",
            "attributed statement",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "cast member",
            "Elizat Berikova",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "cast member",
            "Erken Gubashev",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "Four young men and a girl come to the city from a small village, obsessed with making money as fast as possible; stealing car mirrors becomes their only way. At some point everything goes wrong and the criminals kill the owner of a foreign car.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "The heroine meets a classmate she has loved since school; they are not destined to be together: she has long been kept by an influential businessman, and he lives by stealing from cars.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "The makers tried to show how acute the problem of car theft is now; the film deals with cruelty and betrayal but also has room for love.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "The makers worked out every scene in detail and tried to bring them as close to reality as possible.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "Авторы постарались показать, насколько остро сейчас стоит проблема автокраж; фильм затрагивает тему жестокости и предательства, но в нём нашлось место и любви.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "Все сцены создатели детально прорабатывали и старались максимально приблизить их к реальности.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "Главная героиня встречает своего одноклассника, в которого влюблена ещё со школы. Им не суждено быть вместе: её давно содержит влиятельный бизнесмен, а он промышляет автокражами.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "description",
            "Четверо парней и девушка приехали в город из небольшого села, одержимые желанием как можно быстрее заработать деньги; единственным способом становится кража автозеркал. В какой-то момент всё идёт не по плану: преступники убивают владельца иномарки.",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "director",
            "Rashid Suleymenov",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "genre",
            "crime drama",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "genre",
            "криминальная драма",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "narrative location",
            "Almaty",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "production country",
            "Kazakhstan",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Mirrors",
            "title",
            "Зеркала",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Netflix",
            "description",
            "the largest entertainment platform",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Netflix",
            "description",
            "крупнейшая развлекательная платформа",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "article/003_6ace3f2e2b0ad3c1",
            "stated",
            "Rashid Suleymenov",
            "occupation",
            "film director",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
    ]


def test_articles_mentioning_kazakhstan(built):
    """Kazakhstan appears in all five articles."""
    header, rows = _run(built, "articles_mentioning_entity.rq", "entity=country/kazakhstan")
    assert header == ["entity", "label", "article", "date", "stated", "editorial", "article_title"]
    assert rows == [
        (
            "country/kazakhstan",
            "Kazakhstan",
            "article/000_84aca459143ef88d",
            "2025-09-15",
            "15",
            "0",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "article/001_96dd9b9a8acb094b",
            "2025-08-25",
            "3",
            "1",
            "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "article/002_fe30f7e3a02f8faf",
            "2024-11-26",
            "2",
            "2",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "article/003_6ace3f2e2b0ad3c1",
            "",
            "1",
            "0",
            "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
        ),
        (
            "country/kazakhstan",
            "Kazakhstan",
            "article/004_9d304b95c593325b",
            "",
            "4",
            "0",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]


def test_event_participants(built):
    """Global Tech Wave guests (000, Niyazbekov editorial), the Eurasia opening ceremony (002), a screening (000)."""
    header, rows = _run(built, "event_participants.rq")
    assert header == [
        "event",
        "event_label",
        "work_label",
        "participant",
        "participant_label",
        "role",
        "qualifier",
        "basis",
        "article",
        "article_title",
    ]
    assert rows == [
        (
            "event/eurasia-iff-17-opening-ceremony",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "",
            "person/aida-balayeva",
            "Aida Balayeva",
            "reader of a message",
            "congratulatory letter from the Kazakh President",
            "stated",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "event/eurasia-iff-17-opening-ceremony",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "",
            "person/aida-balayeva",
            "Aida Balayeva",
            "speaker",
            "welcoming speech",
            "stated",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "event/eurasia-iff-17-opening-ceremony",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "",
            "person/shaken-aimanov",
            "Shaken Aimanov",
            "recreated voice",
            "recreated using artificial intelligence technology",
            "stated",
            "article/002_fe30f7e3a02f8faf",
            "[The 17th Eurasia International Film Festival opens in Almaty]",
        ),
        (
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "person/alen-niyazbekov",
            "Alen Niyazbekov",
            "participant",
            "",
            "editorial",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "person/christopher-sean",
            "Christopher Sean",
            "honoured guest",
            "",
            "stated",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "person/christopher-sean",
            "Christopher Sean",
            "speaker",
            "",
            "stated",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "person/karl-choi",
            "Karl Choi",
            "honoured guest",
            "",
            "stated",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "event/global-tech-wave-2025",
            "Global Tech Wave 2025",
            "",
            "person/karl-choi",
            "Karl Choi",
            "speaker",
            "",
            "stated",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
        (
            "screening/kazakh-cinema-90-years-film-national-cinema-day",
            "Screening of film dedicated to the 90th anniversary of Kazakh cinema at National Cinema Day (Kazakhstan) (done)",
            "film dedicated to the 90th anniversary of Kazakh cinema",
            "person/christopher-sean",
            "Christopher Sean",
            "viewer",
            "",
            "stated",
            "article/000_84aca459143ef88d",
            "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
        ),
    ]


def test_works_overview(built):
    """The six works with what the articles say of genre, episodes and budget."""
    header, rows = _run(built, "works_overview.rq")
    assert header == ["work", "title", "kind", "genre", "year", "episodes", "budget", "currency", "language"]
    assert rows == [
        ("film/ayka-2018", "Ayka", "film", "social drama", "", "", "2500000", "EUR", ""),
        ("film/mirrors-suleymenov", "Mirrors", "film", "crime drama", "", "", "", "", ""),
        (
            "film/kazakh-cinema-90-years-film",
            "film dedicated to the 90th anniversary of Kazakh cinema",
            "film",
            "",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            "series/waiting-for-you-in-ili",
            "I Am Waiting for You in Ili",
            "television series",
            "drama",
            "",
            "8",
            "",
            "",
            "",
        ),
        ("series/my-altay", "My Altay", "television series", "", "", "", "", "", ""),
        ("series/star-wars", "Star Wars (series)", "television series", "", "", "", "", "", ""),
    ]


def test_events_by_place_and_year(built):
    """Events with a place or a time, from all five articles."""
    header, rows = _run(built, "events_by_place_and_year.rq")
    assert header == ["place_label", "year", "event", "event_label", "kind", "date", "end", "status"]
    assert rows == [
        ("", "2018", "event/cannes-2018", "2018 Cannes Film Festival", "festival edition", "", "", ""),
        (
            "",
            "2018",
            "screening/ayka-almaty-film-festival-opening",
            "Premiere of Ayka at 1st Almaty Film Festival in Kazakhstan (planned)",
            "premiere",
            "2018-09-15",
            "",
            "planned",
        ),
        (
            "",
            "2024",
            "event/eurasia-iff-17-opening-ceremony",
            "opening ceremony of the 17th Eurasia International Film Festival",
            "event",
            "2024-11-24",
            "",
            "",
        ),
        (
            "",
            "2026",
            "screening/waiting-for-you-in-ili-premiere",
            "Premiere of I Am Waiting for You in Ili (planned)",
            "premiere",
            "",
            "",
            "planned",
        ),
        (
            "Almaty",
            "2018",
            "event/almaty-film-festival-1",
            "1st Almaty Film Festival",
            "festival edition",
            "",
            "",
            "planned",
        ),
        (
            "Almaty",
            "2024",
            "event/eurasia-iff-17",
            "17th Eurasia International Film Festival",
            "festival edition",
            "2024-11-24",
            "2024-11-30",
            "ongoing",
        ),
        (
            "Almaty",
            "2025",
            "event/waiting-for-you-in-ili-filming-almaty",
            "filming of I Am Waiting for You in Ili in Almaty and Almaty Region",
            "event",
            "",
            "",
            "planned",
        ),
        (
            "Almaty Region",
            "2025",
            "event/waiting-for-you-in-ili-filming-almaty",
            "filming of I Am Waiting for You in Ili in Almaty and Almaty Region",
            "event",
            "",
            "",
            "planned",
        ),
        (
            "China",
            "",
            "event/waiting-for-you-in-ili-filming-china",
            "filming of I Am Waiting for You in Ili in China",
            "event",
            "",
            "",
            "ongoing",
        ),
        ("Shymkent", "2025", "event/global-tech-wave-2025", "Global Tech Wave 2025", "conference", "", "", ""),
    ]


def test_evidence_for_akan_sataev(built):
    """Every fact about Akan Sataev with the English and Russian quote that states it (004)."""
    header, rows = _run(built, "evidence_for_entity.rq", "entity=person/akan-sataev")
    assert header == ["entity", "subject", "property", "value", "article", "quote", "start", "end", "article_title"]
    assert rows == [
        (
            "person/akan-sataev",
            "Akan Sataev, president of Almaty Film Festival",
            "holder",
            "Akan Sataev",
            "article/004_9d304b95c593325b",
            "Its president is\xa0the well-known Kazakhstani\xa0director Akan Sataev.",
            "1461",
            "1526",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Almaty Film Festival",
            "president",
            "Akan Sataev",
            "article/004_9d304b95c593325b",
            "Its president is\xa0the well-known Kazakhstani\xa0director Akan Sataev.",
            "1461",
            "1526",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev",
            "nationality",
            "Kazakhstan",
            "article/004_9d304b95c593325b",
            "the well-known Kazakhstani\xa0director Akan Sataev",
            "1478",
            "1525",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev",
            "occupation",
            "film director",
            "article/004_9d304b95c593325b",
            "the well-known Kazakhstani\xa0director Akan Sataev",
            "1478",
            "1525",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev, president of Almaty Film Festival",
            "holder",
            "Akan Sataev",
            "article/004_9d304b95c593325b",
            "Его президентом является известный казахстанский режиссер Акан Сатаев.",
            "3157",
            "3227",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Almaty Film Festival",
            "president",
            "Akan Sataev",
            "article/004_9d304b95c593325b",
            "Его президентом является известный казахстанский режиссер Акан Сатаев.",
            "3157",
            "3227",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev",
            "nationality",
            "Kazakhstan",
            "article/004_9d304b95c593325b",
            "известный казахстанский режиссер Акан Сатаев",
            "3182",
            "3226",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
        (
            "person/akan-sataev",
            "Akan Sataev",
            "occupation",
            "film director",
            "article/004_9d304b95c593325b",
            "известный казахстанский режиссер Акан Сатаев",
            "3182",
            "3226",
            "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival",
        ),
    ]
