"""Article metadata (issue 12): `kg new` recognises a dateline such as "2024-6-26 16:07", its
place, the sources the text cites and the dates it gives without a year; the build enforces
the properties the ontology declares single-valued, and `kg terms` says which they are."""

from __future__ import annotations

import re

from tests.conftest import SEED_CORPUS, invoke, run_kg

ARTICLE = (
    "2024-6-26 16:07\n"
    "ALMATY – The film will be shown on Nov. 24 and again on 15 September 2025, according to Kazinform.\n"
    "Фильм покажут 20 июля и двадцатого августа, сообщает «Седьмой канал».\n"
)


def test_new_recognises_dateline_time_place_citations_and_dates_without_year(corpus, tmp_path):
    article = corpus / "seeds" / "006_dateline.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = invoke("new", str(article), project=corpus)
    assert result.exit_code == 0, result.output
    skeleton = (corpus / "seeds" / "006_dateline.yaml").read_text(encoding="utf-8")
    assert "  date: 2024-06-26           # from the dateline '2024-6-26 16:07'" in skeleton
    assert '  time: "16:07"' in skeleton
    assert '  # dateline: {place: city/..., quote: "ALMATY –"}' in skeleton
    assert '  #   - {source: org/..., quote: "according to Kazinform", facts: [fact ids]}' in skeleton
    assert '  #   - {source: org/..., quote: "сообщает «Седьмой канал»", facts: [fact ids]}' in skeleton
    dates = re.findall(r'^#   "(.*)"$', skeleton, re.MULTILINE)
    assert dates == ["Nov. 24", "20 июля", "двадцатого августа"]  # "15 September 2025" has its year
    assert "status: Planned" in skeleton and "editor: [en]" in skeleton
    # the skeleton is a draft: left out with one warning, the rest builds
    proc = run_kg("--project", str(corpus), "build", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "006_dateline.yaml:4: draft mapping left out of the build" in proc.stderr
    # without its draft mark it is incomplete (no facts), not broken: that is its only problem
    path = corpus / "seeds" / "006_dateline.yaml"
    path.write_text(skeleton.replace("draft: true", "draft: false", 1), encoding="utf-8")
    proc = run_kg("--project", str(corpus), "build", "--out", str(tmp_path / "out"))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "006_dateline.yaml:" in errors[0], proc.stderr
    assert "the mapping states no facts yet" in errors[0]
    assert "Traceback" not in proc.stderr


def test_two_speakers_on_one_statement_is_an_error(corpus):
    rel = "seeds/002_fe30f7e3a02f8faf.yaml"
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    old = "  - node: statement/tokayev-eurasia-iff-unique-project\n    type: Statement\n    with:\n      speaker: person/kassym-jomart-tokayev\n"
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(
        text.replace(
            old,
            old.replace(
                "speaker: person/kassym-jomart-tokayev", "speaker: [person/kassym-jomart-tokayev, person/aida-balayeva]"
            ),
        )
    )
    result = invoke("build", "--out", str(corpus / "out"), project=corpus)
    assert result.exit_code == 1
    assert (
        f"{rel}:{line}: speaker takes one value, but statement/tokayev-eurasia-iff-unique-project has "
        "person/kassym-jomart-tokayev (line " + str(line) + ") and person/aida-balayeva"
    ) in result.output


def test_bad_time_is_one_line(corpus):
    rel = "seeds/002_fe30f7e3a02f8faf.yaml"
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    old = "  date: 2024-11-26\n"
    line = text[: text.index(old)].count("\n") + 2
    path.write_text(text.replace(old, old + "  time: 16:07\n"), encoding="utf-8")
    result = invoke("build", "--out", str(corpus / "out"), project=corpus)
    assert result.exit_code == 1
    assert f"{rel}:{line}: metadata.time: a time of day like '16:07' (quoted), not 967" in result.output


def test_terms_mark_single_valued_properties():
    result = invoke("terms", project=SEED_CORPUS)
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ") and line.split()}
    assert lines["speaker"].rstrip().endswith("[one value]")
    assert lines["status"].rstrip().endswith("[one value]")
    assert not lines["director"].rstrip().endswith("[one value]")
