"""Cited sources (issue 12): "According to Kazinform", "сообщает «Седьмой канал»" are recorded
as the article citing an outlet (cafo:citesSource, with the words) and as the facts it credits
to it (cafo:accordingTo on their claims), never as a statement made by the outlet."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import SEED_CORPUS, invoke

KAZINFORM_YAML = "seeds/002_fe30f7e3a02f8faf.yaml"
AI_VOICE = "participation/shaken-aimanov-ai-voice-eurasia-iff-17-opening-ceremony"


def _rows(out, *args):
    result = invoke("--project", str(SEED_CORPUS), "query", *args, "--out", str(out), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    short = "https://w3id.org/ca-film/id/"
    return rows[0], [tuple(cell.removeprefix(short) for cell in row) for row in rows[1:]]


def test_cited_sources_query_on_the_seed_articles(built):
    header, rows = _rows(built, "queries/cited_sources.rq")
    assert header == ["article", "source", "source_label", "citation", "subject", "property", "value", "article_title"]
    ili, filming = "I Am Waiting for You in Ili", "filming of I Am Waiting for You in Ili in China"
    seventh = ("article/001_96dd9b9a8acb094b", "org/seventh-channel", "Seventh Channel", 'сообщает "Седьмой канал"')
    kazinform = ("article/002_fe30f7e3a02f8faf", "org/kazinform", "Kazinform", "According to Kazinform")
    ili_title = "[Filming of the Kazakh-Chinese series I Am Waiting for You in Ili has begun]"
    eurasia_title = "[The 17th Eurasia International Film Festival opens in Almaty]"
    voice = "Shaken Aimanov at opening ceremony of the 17th Eurasia International Film Festival — recreated voice"
    ceremony = "opening ceremony of the 17th Eurasia International Film Festival"
    assert rows == [
        (*seventh, ili, "filming location", "China", ili_title),
        (*seventh, filming, "about", ili, ili_title),
        (*seventh, filming, "location", "China", ili_title),
        (*seventh, filming, "status", "ongoing", ili_title),
        (*kazinform, voice, "description", "the evening’s highlight", eurasia_title),
        (*kazinform, voice, "participant", "Shaken Aimanov", eurasia_title),
        (*kazinform, voice, "participation in", ceremony, eurasia_title),
        (*kazinform, voice, "role", "recreated voice", eurasia_title),
    ]


def test_kazinform_is_used_and_never_a_speaker(built):
    result = invoke(
        "check",
        "--out",
        str(built),
        "--only",
        "unused-entities",
        "-f",
        "json",
        "--fail-on",
        "NONE",
        project=SEED_CORPUS,
    )
    assert json.loads(result.stdout)["findings"] == []
    header, rows = _rows(built, "queries/attributed_statements.rq")
    speakers = {row[header.index("speaker")] for row in rows} if "speaker" in header else set()
    assert "org/kazinform" not in speakers and "person/kassym-jomart-tokayev" in speakers


def _fails(corpus, old, new) -> list[str]:
    path = corpus / KAZINFORM_YAML
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke("build", "--out", str(corpus / "out"), project=corpus)
    assert result.exit_code == 1 and "Traceback" not in result.output
    return [line.split(f"{KAZINFORM_YAML}:", 1)[1] for line in result.output.splitlines() if KAZINFORM_YAML in line]


def test_a_cited_fact_must_exist(corpus):
    lines = _fails(corpus, "facts: [aimanov-ai-voice]", "facts: [aimanov-ai-vioce]")
    assert lines == [
        "15: metadata.cites: no fact with id 'aimanov-ai-vioce' in this mapping (did you mean aimanov-ai-voice?)"
    ]


def test_a_cited_source_is_an_agent(corpus):
    lines = _fails(corpus, "source: org/kazinform", "source: city/almaty")
    assert lines == ["15: metadata.cites needs an Agent, but city/almaty is a City"]


def test_the_citing_words_are_in_the_article(corpus):
    lines = _fails(corpus, "quote: According to Kazinform", "quote: According to Kazinfrom")
    assert len(lines) == 1
    assert lines[0].startswith("15: metadata.cites: quote not found in ")
    assert lines[0].endswith("seeds/002_fe30f7e3a02f8faf.txt: 'According to Kazinfrom'")
