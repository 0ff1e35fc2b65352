"""Readable nodes and sources: no query result names a thing by its IRI.

The build gives every n-ary node a generated rdfs:label per language and every article a
display title, both in the named graph graph/labels (kg.labels). These tests pin the labels
and titles exactly, run every library query and look for IRIs where a name is shown, and
check the generator's rules (templates, fallbacks, brackets) on small hand-made inputs.

Which columns show a name: every column whose name contains "label", "title", "name" or
"headline", and the `subject`, `property` and `value` columns of the queries that list facts
(their Columns header documents them as English labels). None may hold an IRI (a value
starting with http:// or https://, the project's https://w3id.org/ca-film/ included).
"""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import RDF, Literal, URIRef

from kg import labels
from kg.iris import CAFO, ID
from tests.conftest import ROOT, SEED_CORPUS, fast_and_slow, invoke, run_kg

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
FACT_COLUMNS = {"subject", "property", "value"}
FACT_QUERIES = {"editorial_judgements", "evidence_for_entity", "facts_stated_by_article"}


def _shows_a_name(query: str, column: str) -> bool:
    if any(word in column for word in ("label", "title", "name", "headline")):
        return True
    return query in FACT_QUERIES and column in FACT_COLUMNS


def _csv(built, query: str, *bindings: str) -> tuple[list[str], list[list[str]]]:
    args = ["--project", str(SEED_CORPUS), "query", query, "--out", str(built), "-f", "csv"]
    for binding in bindings:
        args += ["--bind", binding]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    header, *rows = csv.reader(io.StringIO(result.output))
    return header, rows


# Every library query in the full suite; one that shows people, works and articles in the fast tier.
@pytest.mark.parametrize("path", fast_and_slow(QUERIES, {"crew_and_cast_of_work"}, lambda p: p.stem))
def test_no_library_query_shows_an_iri_where_a_name_is_shown(built, path):
    header, rows = _csv(built, f"queries/{path.name}")
    assert rows or path.name == "agreements.rq", f"{path.name}: no answer over the seed articles"
    named = [i for i, column in enumerate(header) if _shows_a_name(path.stem, column)]
    assert named, f"{path.name}: no column shows a name"
    iris = [(header[i], row[i]) for row in rows for i in named if row[i].startswith(("http://", "https://"))]
    assert iris == [], f"{path.name}: IRIs shown as names"


@pytest.mark.slow  # every library query
def test_every_query_that_returns_an_article_returns_its_title(built):
    titled = []
    for path in QUERIES:
        header, rows = _csv(built, f"queries/{path.name}")
        if "article" not in header:
            continue
        assert "article_title" in header, path.name
        pairs = {(row[header.index("article")], row[header.index("article_title")]) for row in rows}
        # a background fact's "article" is its reference (a Wikidata item), which has no title
        pairs = {(article, title) for article, title in pairs if "/id/article/" in article}
        assert all(title and not title.startswith("http") for _, title in pairs), path.name
        assert {article: title for article, title in pairs} == {
            article: TITLES_EN[article.rsplit("/", 1)[-1]] for article, _ in pairs
        }, path.name
        titled.append(path.stem)
    assert len(titled) == 17


# The display titles (English first): two headlines from the texts, three editor's titles in
# brackets (metadata.title_editor) for the articles that have no headline.
TITLES_EN = {
    "000_84aca459143ef88d": "[Global Tech Wave conference: Christopher Sean and Karl Choi on cinema in Kazakhstan]",
    "001_96dd9b9a8acb094b": "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]",
    "002_fe30f7e3a02f8faf": "[The 17th Eurasia International Film Festival opens in Almaty]",
    "003_6ace3f2e2b0ad3c1": "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран",
    "004_9d304b95c593325b": (
        "Kazakhstan’s audiences will see the film AIKA at the firstinternational festival Almaty Film Festival"
    ),
}

LABELS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node ?lang ?label ?elsewhere WHERE {
  GRAPH <https://w3id.org/ca-film/graph/labels> { ?node rdfs:label ?label }
  BIND (lang(?label) AS ?lang)
  OPTIONAL { GRAPH ?g { ?node rdfs:label ?other } FILTER (?g != <https://w3id.org/ca-film/graph/labels>) }
  BIND (BOUND(?other) AS ?elsewhere)
  FILTER (STRSTARTS(STR(?node), "https://w3id.org/ca-film/id/"))
}
ORDER BY ?node ?lang
"""


@pytest.fixture(scope="module")
def generated(built, tmp_path_factory) -> dict[tuple[str, str], str]:
    """Every label of graph/labels, by (short id, language); none may have a twin elsewhere."""
    query = tmp_path_factory.mktemp("labels") / "labels.rq"
    query.write_text(LABELS_QUERY, encoding="utf-8")
    _, rows = _csv(built, str(query))
    assert [row[0] for row in rows if row[3] != "false"] == []  # only graph/labels names these
    return {(row[0].removeprefix(ID), row[1]): row[2] for row in rows}


@pytest.mark.parametrize(
    ("node", "en", "ru"),
    [
        (
            "performance/aruzhan-bekbolat-waiting-for-you-in-ili",
            "Aruzhan Bekbolat as lead role in I Am Waiting for You in Ili",
            "Аружан Бекболат — главная роль, «Я жду тебя в Или»",
        ),
        (
            "position/kassym-jomart-tokayev-president-of-kazakhstan",
            "Kassym-Jomart Tokayev, president of Kazakhstan",
            "Касым-Жомарт Токаев — президент (Казахстан)",
        ),
        (
            "award-win/yeslyamova-cannes-2018-best-actress",
            "Best Actress Award (Cannes) won by Samal Yeslyamova for Ayka",
            "Самал Еслямова — приз за лучшую женскую роль (Каннский кинофестиваль), «Айка»",
        ),
        (
            "statement/karl-choi-ready-to-invest",
            "Karl Choi: intention to invest about Kazakhstan",
            "Карл Чой: намерение инвестировать — Казахстан",
        ),
        # a statement about a performance names the performance by its own generated label
        (
            "statement/gubashev-mirrors-role-difficult",
            "Erken Gubashev: opinion about Erken Gubashev as a rich and well-known businessman in Mirrors",
            "Еркен Губашев: мнение — Еркен Губашев — богатый и известный бизнесмен, «Зеркала»",
        ),
        # the roles are concepts of the participation-role vocabulary, named in each language
        (
            "participation/aida-balayeva-eurasia-iff-17-opening-ceremony",
            "Aida Balayeva at opening ceremony of the 17th Eurasia International Film Festival"
            " — reader of a message, speaker",
            "Аида Балаева: церемония открытия XVII Международного кинофестиваля «Евразия»"
            " — зачитавший обращение, выступающий",
        ),
        (
            "screening/ayka-almaty-film-festival-opening",
            "Premiere of Ayka at 1st Almaty Film Festival in Kazakhstan (planned)",
            "Премьера: «Айка», I Международный кинофестиваль Almaty Film Festival, Казахстан (запланировано)",
        ),
        ("amount/004_9d304b95c593325b-ayka-budget", "2500000 EUR", "2500000 EUR"),
    ],
)
def test_generated_labels(generated, node, en, ru):
    assert generated[(node, "en")] == en
    assert generated[(node, "ru")] == ru


def test_every_node_and_article_has_a_label_in_english_and_russian_or_a_title(generated):
    nodes = {node for node, _ in generated if not node.startswith("article/")}
    assert len(nodes) == 68
    assert all((node, lang) in generated for node in nodes for lang in ("en", "ru"))
    titles = {
        node.removeprefix("article/"): text for (node, lang), text in generated.items() if node.startswith("article/")
    }
    assert sorted(titles) == sorted(TITLES_EN)
    assert generated[("article/004_9d304b95c593325b", "ru")] == (
        "Казахстанцам покажут фильм «Айка» на I Международном кинофестивале Almaty Film Festival."
    )
    assert generated[("article/000_84aca459143ef88d", "ru")] == (
        "[Конференция Global Tech Wave: Кристофер Шон и Карл Чой о кино в Казахстане]"
    )


def test_kg_stats_names_each_article_by_its_title(built):
    result = run_kg("--project", str(SEED_CORPUS), "stats", "--out", str(built))
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:3].isdigit()}
    assert sorted(rows) == sorted(TITLES_EN)
    for stem, title in TITLES_EN.items():
        assert rows[stem].endswith(f"  {title}"), rows[stem]
    assert result.stdout.splitlines()[0].endswith("entities  title")


def test_the_article_view_is_titled_by_the_editors_title(built):
    from kg.built import load_dataset
    from viz.network import project

    graph = project(load_dataset(built), lang="ru", article="002_fe30f7e3a02f8faf")
    assert graph.graph["title"] == "[В Алматы открылся XVII Международный кинофестиваль «Евразия»]"
    assert graph.graph["articles"]["002_fe30f7e3a02f8faf"] == {
        "file": "002_fe30f7e3a02f8faf.txt",
        "title": "[В Алматы открылся XVII Международный кинофестиваль «Евразия»]",
    }


# -- the generator's rules, on hand-made input ------------------------------------------------

PERSON_A, PERSON_B, ORG = URIRef(ID + "person/a"), URIRef(ID + "person/b"), URIRef(ID + "org/c")
NAMES = labels.Names(
    entities={PERSON_A: {"en": "Anna", "ru": "Анна"}, PERSON_B: {"en": "Boris"}, ORG: {"ru": "Студия"}},
    terms={
        CAFO.Agreement: {"en": "agreement", "ru": "соглашение"},
        CAFO.Planned: {"en": "planned", "ru": "запланировано"},
    },
    parents={"FestivalScreening": {"FestivalScreening", "Screening", "Event"}, "Screening": {"Screening", "Event"}},
)


def _labels(node: str, *pairs) -> dict[str, str]:
    iri = URIRef(ID + node)
    return {str(lit.language): str(lit) for _, _, lit in labels.node_labels({iri: list(pairs)}, NAMES)}


def test_a_class_without_a_template_gets_the_fallback_its_label_and_what_it_joins():
    found = _labels(
        "performance/x",
        (RDF.type, CAFO.Agreement),
        (CAFO.party, ORG),
        (CAFO.party, PERSON_A),
        (CAFO.note, Literal("x")),
    )
    # by property, then IRI; Студия has no English name, so both labels use the Russian one
    assert found == {"en": "Agreement: Студия, Anna", "ru": "Соглашение: Студия, Анна"}
    # a class the ontology does not label at all is named by itself
    assert _labels("performance/y", (RDF.type, CAFO.Deal), (CAFO.party, PERSON_B)) == {
        "en": "Deal: Boris",
        "ru": "Deal: Boris",
    }


def test_a_subclass_uses_its_nearest_superclass_template_and_drops_what_is_unknown():
    found = _labels("screening/x", (RDF.type, CAFO.FestivalScreening), (CAFO.screenedWork, PERSON_B))
    assert found == {"en": "Screening of Boris", "ru": "Показ: «Boris»"}
    found = _labels(
        "screening/y", (RDF.type, CAFO.Screening), (CAFO.screenedWork, PERSON_A), (CAFO.status, CAFO.Planned)
    )
    assert found == {"en": "Screening of Anna (planned)", "ru": "Показ: «Анна» (запланировано)"}


def test_a_template_whose_required_value_is_missing_is_not_used():
    # a performance with no work: "in {performanceIn}" cannot be filled, the fallback names it
    found = _labels("performance/z", (RDF.type, CAFO.Performance), (CAFO.performer, PERSON_A))
    assert found == {"en": "Performance: Anna", "ru": "Performance: Анна"}


def test_article_titles_headline_else_editor_in_brackets_else_file_name():
    assert labels.article_titles({"ru": "Заголовок"}, {"en": "Headline", "ru": "Другой"}, "a.txt") == {
        "en": "[Headline]",
        "ru": "Заголовок",
    }
    assert labels.article_titles({}, {}, "a.txt") == {"zxx": "[a.txt]"}


def test_a_bad_editors_title_is_one_line_naming_the_file_and_line(corpus):
    mapping = corpus / "seeds" / "000_84aca459143ef88d.yaml"
    lines = mapping.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("  title_editor:"))
    lines[line - 1 : line + 2] = ["  title_editor: just some text"]
    mapping.write_text("\n".join(lines), encoding="utf-8")
    result = invoke("build", "--out", str(corpus / "out"), project=corpus)
    assert result.exit_code == 1
    assert f"seeds/000_84aca459143ef88d.yaml:{line}: metadata.title_editor: the editor's title per language" in (
        result.output
    )
