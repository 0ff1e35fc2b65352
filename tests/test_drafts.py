"""Draft mappings and empty mappings (issue 10, points 5 and 6).

A mapping marked `draft: true` is work in progress: the build leaves it out with one warning
naming its file and line and builds the rest; `kg check` lists it at INFO. A mapping with no
facts and no draft mark is an error. An empty mapping file (no bytes, `~`, `null`, only
comments) is an error naming the file; only an article with no mapping file at all is
"unmapped".
"""

from __future__ import annotations

import pytest

from tests.conftest import invoke, snapshot

AYKA = "004_9d304b95c593325b"  # the article that states Ayka's co-producers


def _mark_draft(corpus, stem: str, mark: str = "draft: true  # not checked yet") -> tuple:
    """Put a draft mark at the top of a complete mapping; returns (path, line of the mark)."""
    path = corpus / "seeds" / f"{stem}.yaml"
    path.write_text(f"{mark}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return path, 1


def _coproducers(corpus, out) -> dict[str, str]:
    result = invoke("query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    return {row.split(",")[1]: row.split(",", 2)[2] for row in result.stdout.splitlines()[1:]}


def test_build_leaves_a_draft_out_with_one_warning_and_builds_the_rest(corpus, tmp_path):
    path, line = _mark_draft(corpus, AYKA)
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {path}:{line}: draft mapping left out of the build (delete its draft: line when ready)"
    ]
    assert result.stdout.startswith("built 4 articles: ")
    assert "no mapping yet" not in result.stdout  # a draft's article is not "unmapped"
    # Ayka's co-producers (Russia, Germany, Poland, China) come only from the draft: gone.
    assert _coproducers(corpus, out) == {"China": "I Am Waiting for You in Ili"}
    # Deleting the mark brings the article back.
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0 and result.stderr == ""
    assert _coproducers(corpus, out) == {
        "China": "Ayka; I Am Waiting for You in Ili",
        "Germany": "Ayka",
        "Poland": "Ayka",
        "Russia": "Ayka",
    }


def test_a_draft_is_not_checked_but_its_yaml_must_parse(corpus, tmp_path):
    path = corpus / "seeds" / "005_wip.yaml"
    (corpus / "seeds" / "005_wip.txt").write_text("Фильм снимут в Алматы.\n", encoding="utf-8")
    # Unknown keys, entities and quotes in a draft are its author's business until it is ready.
    path.write_text(
        "article: 005_wip.txt\n\ndraft: true\nfacts:\n  - subject: film/nope\n    property: directr\n",
        encoding="utf-8",
    )
    result = invoke("build", "--out", str(tmp_path / "a"), project=corpus)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {path}:3: draft mapping left out")
    # ... but a file that is not YAML stays an error, draft or not: nothing is written.
    path.write_text("draft: true\nfacts: [unclosed\n", encoding="utf-8")
    out = tmp_path / "b"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert f"error: {path}:3: YAML syntax error" in result.stderr and "warning" not in result.stderr
    assert not out.exists()


def test_draft_mark_is_true_or_false(corpus, tmp_path):
    path, _ = _mark_draft(corpus, AYKA, "draft: maybe")
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:1: draft: true (a work in progress the build skips) or false, not 'maybe'",
        "1 problem(s); nothing was written.",
    ]
    assert not out.exists()
    # draft: false is an ordinary, checked mapping.
    path.write_text(path.read_text(encoding="utf-8").replace("draft: maybe", "draft: false"), encoding="utf-8")
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0 and result.stdout.startswith("built 5 articles:")


def test_no_facts_and_no_draft_mark_is_an_error(corpus, tmp_path):
    path = corpus / "seeds" / f"{AYKA}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nfacts:")] + "\nfacts: []\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("facts: []") + 1
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"error: {path}:{line}: facts: the mapping states no facts yet (add a list of facts, or mark it "
        "`draft: true` to leave it out of the build)"
    )
    assert not out.exists()


def test_check_lists_drafts_at_info(corpus, tmp_path):
    path, line = _mark_draft(corpus, AYKA)
    result = invoke(
        "check", "--only", "drafts", "--only", "quotes", "-f", "tsv", "--out", str(tmp_path / "out"), project=corpus
    )
    assert result.exit_code == 0, result.output
    article = corpus / "seeds" / f"{AYKA}.txt"
    assert result.stdout.splitlines()[1:] == [
        f"INFO\tdrafts\t{article}\tdraft\ttrue\t{path}:{line}\t"
        f"draft mapping of {article}: left out of the build until its draft: line is deleted"
    ]
    assert result.stderr.strip() == "kg check: 0 ERROR, 0 WARN, 1 INFO from 2 checks (fail on ERROR: passed)"
    failing = invoke("check", "--only", "drafts", "--fail-on", "INFO", "--out", str(tmp_path / "out"), project=corpus)
    assert failing.exit_code == 1


def test_check_lists_no_draft_on_a_corpus_without_one(built):
    result = invoke("check", "--only", "drafts", "-f", "tsv", "--out", str(built))
    assert result.exit_code == 0 and result.stdout == "level\tcheck\tentity\tproperty\tvalue\tsource\tmessage\n"
    assert "drafts" in invoke("check", "--list").stdout


EMPTY = {
    "zero bytes": "",
    "tilde": "~\n",
    "null": "null\n",
    "only comments": "# The mapping of this article.\n\n# Facts to come.\n",
}


# Each a build of its own: one in the fast tier, every kind of empty in the full suite.
@pytest.mark.parametrize(
    "content", [pytest.param(c, id=k, marks=[] if k == "null" else [pytest.mark.slow]) for k, c in EMPTY.items()]
)
def test_an_empty_mapping_is_an_error_naming_the_file(corpus, tmp_path, content):
    path = corpus / "seeds" / f"{AYKA}.yaml"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:1: the mapping is empty: write its article, metadata and facts (docs/mapping-format.md), "
        "or delete the file and run kg new on the article",
        "1 problem(s); nothing was written.",
    ]
    assert "no mapping yet" not in result.output
    assert snapshot(out) == {}


def test_only_an_article_without_a_mapping_file_is_unmapped(corpus, tmp_path):
    (corpus / "seeds" / f"{AYKA}.yaml").unlink()
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        f"note: {corpus / 'seeds' / AYKA}.txt has no mapping yet (kg new {corpus / 'seeds' / AYKA}.txt)"
    ]
    assert result.stdout.startswith("built 4 articles:")
