"""Honest labels (issue 12): one label in any language is enough; labels no article gives are
marked as the editor's (cafo:editorLabel) or as taken from Wikidata (cafo:referenceLabel);
views, stats and queries fall back to another language; `kg check` lists at INFO the entities
whose every label is the editor's."""

from __future__ import annotations

import json

from rdflib import Dataset, Literal, URIRef

from tests.conftest import invoke

CAFO = "https://w3id.org/ca-film/ontology#"
ID = "https://w3id.org/ca-film/id/"
PEOPLE = "seeds/registry/people.yaml"


def _entities(out) -> Dataset:
    dataset = Dataset()
    dataset.parse(out / "graph.nq", format="nquads")
    return dataset.graph(URIRef("https://w3id.org/ca-film/graph/entities"))


def test_seed_registry_marks_editor_and_wikidata_labels(built):
    graph = _entities(built)
    editor = URIRef(CAFO + "editorLabel")
    reference = URIRef(CAFO + "referenceLabel")
    # 002 is English only: the Russian spelling of the minister's name is the editor's.
    assert set(graph.objects(URIRef(ID + "person/aida-balayeva"), editor)) == {Literal("Аида Балаева", lang="ru")}
    # 001 is Russian only: the English transliteration of the producer's name is the editor's.
    assert set(graph.objects(URIRef(ID + "person/umit-erkin"), editor)) == {Literal("Umit Erkin", lang="en")}
    # 004 gives both spellings of the director's name: nothing is the editor's.
    assert set(graph.objects(URIRef(ID + "person/sergey-dvortsevoy"), editor)) == set()
    assert set(graph.objects(URIRef(ID + "country/kazakhstan"), reference)) == {Literal("Қазақстан", lang="kk")}
    # the marked label is still a label: every view finds a name
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert Literal("Аида Балаева", lang="ru") in set(graph.objects(URIRef(ID + "person/aida-balayeva"), rdfs_label))


def _add_person(corpus, entry: str) -> None:
    path = corpus / PEOPLE
    path.write_text(path.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")


def test_one_label_in_any_language_builds_and_views_fall_back(corpus, tmp_path):
    _add_person(corpus, "- id: person/zhanna-ospanova\n  type: Person\n  label: {ru: Жанна Оспанова}\n")
    mapping = corpus / "seeds/001_96dd9b9a8acb094b.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(
        text.replace(
            "  - id: li-le-well-known\n",
            "  - id: ospanova-cast\n    subject: series/waiting-for-you-in-ili\n    property: castMember\n"
            "    object: person/zhanna-ospanova\n    quote: изветные актеры\n\n  - id: li-le-well-known\n",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    # kg stats: the Russian label when there is no English one
    stats = invoke("stats", "--out", str(out), "--top", "80", project=corpus)
    assert stats.exit_code == 0, stats.output
    assert any(
        "person/zhanna-ospanova" in line and line.rstrip().endswith("Жанна Оспанова")
        for line in stats.output.splitlines()
    ), stats.output
    # the English page draws the node with its Russian name
    page = tmp_path / "ego.html"
    viz = invoke("viz", "ego", "person/zhanna-ospanova", "--lang", "en", "-o", str(page), project=corpus)
    assert viz.exit_code == 0, viz.output
    assert "Жанна Оспанова" in page.read_text(encoding="utf-8")


def _build_fails(corpus, tmp_path) -> list[str]:
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.output.splitlines()


def test_label_source_mistakes_name_file_and_line(corpus, tmp_path):
    before = (corpus / PEOPLE).read_text(encoding="utf-8").count("\n") + 1
    _add_person(
        corpus,
        "- id: person/no-name\n  type: Person\n"
        "- id: person/x-y\n  type: Person\n  label: {en: X Y}\n  editor: [ru]\n"
        "- id: person/z-w\n  type: Person\n  label: {en: Z W}\n  from-wikidata: [en]\n",
    )
    lines = _build_fails(corpus, tmp_path)
    problems = [line.split(f"{PEOPLE}:", 1)[1] for line in lines if f"{PEOPLE}:" in line]
    assert problems == [
        f"{before + 1}: person/no-name: no label (give one, in any language)",
        f"{before + 6}: person/x-y editor: no ru label to mark",
        f"{before + 10}: person/z-w: from-wikidata needs the entity's wikidata id",
    ]


def test_check_lists_entities_with_only_editor_labels(corpus, tmp_path):
    _add_person(corpus, "- id: person/only-editor\n  type: Person\n  label: {en: Only Editor}\n  editor: [en]\n")
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    result = invoke(
        "check", "--out", str(out), "--only", "editor-labels-only", "-f", "json", "--fail-on", "NONE", project=corpus
    )
    findings = json.loads(result.stdout)["findings"]
    assert [(f["level"], f["entity"], f["value"]) for f in findings] == [("INFO", "person/only-editor", "Only Editor")]


def test_a_russian_only_work_keeps_its_rows_in_the_library(corpus, tmp_path):
    works = corpus / "seeds/registry/works.yaml"
    works.write_text(
        works.read_text(encoding="utf-8")
        + "\n- id: film/tolko-russkiy\n  type: Film\n  label: {ru: Только по-русски}\n",
        encoding="utf-8",
    )
    mapping = corpus / "seeds/003_6ace3f2e2b0ad3c1.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(
        text.rstrip("\n") + "\n\n  - subject: film/tolko-russkiy\n    property: narrativeLocation\n"
        "    object: city/almaty\n    quote: События криминальной драмы разворачиваются в Алматы.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    result = invoke(
        "query",
        "works_filmed_or_set_in_place.rq",
        "--bind",
        "place=city/almaty",
        "--out",
        str(out),
        "-f",
        "csv",
        project=corpus,
    )
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.output.splitlines()[1:]]
    assert ["Almaty", "Только по-русски", "narrative location"] in [[r[1], r[3], r[4]] for r in rows]


def test_nodes_whose_label_needs_another_articles_facts():
    """The build labels a node where its article is checked unless its label needs facts of
    another article: a node two articles state, a node naming one another article states,
    and whatever names those, however deep."""
    from kg.labels import beyond_one_article, reachable

    links = {
        "shared": [],
        "names-other": ["of-b"],
        "of-b": [],
        "names-names-other": ["names-other"],
        "local": ["local-too"],
        "local-too": [],
    }
    owners = {
        "shared": ["a", "b"],
        "names-other": ["a"],
        "of-b": ["b"],
        "names-names-other": ["a"],
        "local": ["a"],
        "local-too": ["a"],
    }
    assert beyond_one_article(links, owners) == {"shared", "names-other", "names-names-other"}
    assert reachable(["names-names-other"], links) == {"names-names-other", "names-other", "of-b"}
