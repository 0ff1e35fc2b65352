"""Bad input gets one clear line per problem naming file:line, exit 1, and out/ untouched."""

from __future__ import annotations

import re

import pytest

from tests.conftest import invoke, run_kg, snapshot

AIKA = "seeds/004_9d304b95c593325b.yaml"
AIKA_TXT = "seeds/004_9d304b95c593325b.txt"


def _edit(corpus, rel, old, new):
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _line_of(text, old)


def _line_of(text, needle):
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def prebuilt(corpus, built_copy):
    """A corpus with a good build in out/ (a copy of the session's build of the same sources);
    a broken rebuild must leave out/ exactly as it was."""
    return corpus, built_copy, snapshot(built_copy)


def _fails(corpus, out, before, expected_file, expected_line, expected_text):
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    wanted = f"{expected_file}:{expected_line}: " if expected_line else f"{expected_file}"
    assert any(wanted in line and re.search(expected_text, line) for line in lines), result.output
    assert "nothing was written" in result.output
    assert snapshot(out) == before
    return lines


def test_broken_yaml(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "  - id: ayka-director\n", "  - id: ayka-director\n    subject: [unclosed\n")
    _fails(corpus, out, before, AIKA, None, r"YAML syntax error")
    assert line > 1


def test_unknown_property(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "property: director\n", "property: directr\n")
    _fails(corpus, out, before, AIKA, line, r"unknown property 'directr' \(did you mean director\?\)")


def test_unknown_entity(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "object: person/sergey-dvortsevoy\n", "object: person/sergei-dvortsevoi\n")
    _fails(
        corpus,
        out,
        before,
        AIKA,
        line,
        r"unknown entity 'person/sergei-dvortsevoi' \(did you mean person/sergey-dvortsevoy\?\)",
    )


def test_wrong_type_for_the_range(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "object: person/sergey-dvortsevoy\n", "object: country/kazakhstan\n")
    _fails(corpus, out, before, AIKA, line, r"director needs a Person, but country/kazakhstan is a Country")


def test_wrong_literal_type(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "    object: 1\n", "    object: first\n")
    _fails(corpus, out, before, AIKA, line, r"editionNumber takes a whole number, not 'first'")


def test_malformed_date(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "date: 2018-05-19", "date: 2018-02-30")
    _fails(corpus, out, before, AIKA, line, r"2018-02-30 is not a real date")


def test_duplicate_entity_id(prebuilt):
    corpus, out, before = prebuilt
    registry = corpus / "seeds/registry/people.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text + "\n- id: person/akan-sataev\n  type: Person\n  label: {en: Akan Sataev, ru: Акан Сатаев}\n",
        encoding="utf-8",
    )
    line = text.count("\n") + 2
    _fails(
        corpus, out, before, "seeds/registry/people.yaml", line, r"duplicate entity id 'person/akan-sataev' \(first in"
    )


def test_duplicate_fact_id(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(corpus, AIKA, "  - id: ayka-producer\n", "  - id: ayka-director\n")
    _fails(corpus, out, before, AIKA, line, r"duplicate fact id 'ayka-director'")


def test_quote_not_in_the_article(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(
        corpus,
        AIKA,
        "      - The film’s director Sergei Dvortsevoi\n",
        "      - The film’s director Sergei Dvortsevoy\n",
    )
    _fails(
        corpus,
        out,
        before,
        AIKA,
        line,
        r"quote not found in .*004_9d304b95c593325b.txt: 'The film’s director Sergei Dvortsevoy'",
    )


def test_non_utf8_article(prebuilt):
    corpus, out, before = prebuilt
    article = corpus / AIKA_TXT
    data = article.read_bytes()
    article.write_bytes(data.replace("Казахстанцам".encode(), "Казахстанцам".encode("cp1251")))
    line = data[: data.index("Казахстанцам".encode())].count(b"\n") + 1
    _fails(corpus, out, before, AIKA_TXT, line, r"not UTF-8 \(byte 0x")


def test_missing_article(prebuilt):
    corpus, out, before = prebuilt
    (corpus / AIKA_TXT).unlink()
    _fails(corpus, out, before, AIKA, 6, r"article file '004_9d304b95c593325b.txt' not found beside the mapping")


def test_html_in_a_label(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(
        corpus, "seeds/registry/people.yaml", "label: {en: Akan Sataev,", "label: {en: <script>alert(1)</script>,"
    )
    _fails(corpus, out, before, "seeds/registry/people.yaml", line, r"contains HTML markup")


def test_all_problems_are_reported_at_once(prebuilt):
    corpus, out, before = prebuilt
    _edit(corpus, AIKA, "property: director\n", "property: directr\n")
    _edit(corpus, AIKA, "date: 2018-05-19", "date: 2018-13-01")
    lines = _fails(corpus, out, before, AIKA, None, r"unknown property")
    assert any("2018-13-01" in line for line in lines)


def test_first_build_failure_creates_no_outputs(corpus, tmp_path):
    _edit(corpus, AIKA, "property: director\n", "property: directr\n")
    out = tmp_path / "never"
    proc = run_kg("--project", str(corpus), "build", "--out", str(out))
    assert proc.returncode == 1
    assert f"{AIKA}:" in proc.stderr or "004_9d304b95c593325b.yaml:" in proc.stderr
    assert not out.exists() or snapshot(out) == {}


def test_derived_property_is_refused(prebuilt):
    corpus, out, before = prebuilt
    line = _edit(
        corpus,
        AIKA,
        "    subject: film/ayka-2018\n    property: director\n    object: person/sergey-dvortsevoy\n",
        "    subject: person/sergey-dvortsevoy\n    property: directorOf\n    object: film/ayka-2018\n",
    )
    _fails(corpus, out, before, AIKA, line + 1, r"directorOf is derived by `kg reason`, never stated")
