"""More bad input (the corpus in tests/bad/): each gets a clear one-line error naming file:line,
a non-zero exit, an out/ exactly as it was, and no network access.

The lead's tests/test_bad_inputs.py covers the core cases by editing the seed mappings; these
drop a broken file of tests/bad/ beside the seeds as article 900_bad, or run a broken query.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg, snapshot

BAD = ROOT / "tests" / "bad"


def _shown(path) -> str:
    """A path as kg names it in messages: relative to the working directory when inside it."""
    from pathlib import Path

    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


HAS_JAVA = shutil.which("java") is not None


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection from this process fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def prebuilt(corpus, built_copy, monkeypatch):
    """A corpus with a good build in out/ (a copy of the session's build of the same sources):
    a failing command must leave out/ as it was. Run from inside the corpus, so that files are
    named as a user there sees them."""
    monkeypatch.chdir(corpus)
    return corpus, built_copy, snapshot(built_copy)


def _add_article(corpus, mapping: str, article: str = "small.txt") -> None:
    shutil.copyfile(BAD / mapping, corpus / "seeds" / "900_bad.yaml")
    shutil.copyfile(BAD / article, corpus / "seeds" / "900_bad.txt")


def _build_fails(corpus, out, before, expected: str) -> None:
    """Through the CLI in-process: exactly one error line, as expected, then the summary."""
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"error: {expected}", "1 problem(s); nothing was written."]
    assert snapshot(out) == before


def test_tab_indented_yaml(prebuilt):
    corpus, out, before = prebuilt
    _add_article(corpus, "tab-indented.yaml")
    _build_fails(
        corpus,
        out,
        before,
        "seeds/900_bad.yaml:3: YAML syntax error: found character '\\t' that cannot start any token",
    )


def test_truncated_yaml(prebuilt):
    corpus, out, before = prebuilt
    _add_article(corpus, "truncated.yaml")
    _build_fails(
        corpus,
        out,
        before,
        "seeds/900_bad.yaml:9: YAML syntax error: expected the node content, but found '<stream end>'",
    )


def test_quote_from_another_article(prebuilt):
    """The quote is real - from the AIKA article - but not in the article this mapping maps."""
    corpus, out, before = prebuilt
    _add_article(corpus, "quote-from-another-article.yaml")
    _build_fails(
        corpus,
        out,
        before,
        "seeds/900_bad.yaml:11: quote not found in seeds/900_bad.txt: "
        "'This social drama is a co-production of five countries'; nothing like it in the article",
    )


def test_missing_quote(prebuilt):
    corpus, out, before = prebuilt
    _add_article(corpus, "missing-quote.yaml")
    _build_fails(
        corpus, out, before, "seeds/900_bad.yaml:6: fact without a quote: copy the words of the article that state it"
    )


def test_mapping_of_a_missing_article(prebuilt):
    corpus, out, before = prebuilt
    shutil.copyfile(BAD / "missing-article.yaml", corpus / "seeds" / "900_bad.yaml")
    _build_fails(
        corpus, out, before, "seeds/900_bad.yaml:2: article file '900_missing.txt' not found beside the mapping"
    )


def test_article_in_windows_1251(prebuilt):
    """A whole article saved as Windows-1251: the first non-UTF-8 byte is named (real process)."""
    corpus, out, before = prebuilt
    _add_article(corpus, "good.yaml", "windows-1251.txt")
    proc = run_kg("build", "--out", str(out), cwd=corpus)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "error: seeds/900_bad.txt:2: not UTF-8 (byte 0xca at offset 97); save the file as UTF-8",
        "1 problem(s); nothing was written.",
    ]
    assert snapshot(out) == before


def test_empty_article(prebuilt):
    corpus, out, before = prebuilt
    _add_article(corpus, "good.yaml", "empty.txt")
    _build_fails(corpus, out, before, "seeds/900_bad.txt:1: article is empty")


def test_the_good_mapping_of_the_bad_corpus_builds(prebuilt):
    """The control: tests/bad/good.yaml and small.txt are fine, so each case breaks one thing."""
    corpus, out, _before = prebuilt
    _add_article(corpus, "good.yaml")
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output


# -- a fact that makes the ontology inconsistent ------------------------------------------------


@pytest.mark.parametrize(
    "reasoner",
    [pytest.param("hermit", marks=[pytest.mark.java, pytest.mark.skipif(not HAS_JAVA, reason="no java")]), "rules"],
)
def test_self_contradicting_fact(prebuilt, reasoner):
    """A distribution under negotiation in one article and done in another: the mapping
    checker accepts each value, the reasoner finds the contradiction and names each fact's line
    (two statuses in one mapping are refused by the build: test_article_metadata)."""
    corpus, out, _before = prebuilt
    _add_article(corpus, "inconsistent.yaml")
    shutil.copyfile(BAD / "inconsistent-other.yaml", corpus / "seeds" / "901_bad.yaml")
    shutil.copyfile(BAD / "small.txt", corpus / "seeds" / "901_bad.txt")
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    built = snapshot(out)
    proc = run_kg("reason", "--reasoner", reasoner, "--out", str(out), cwd=corpus)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    name = {"hermit": "HermiT", "rules": "the rules"}[reasoner]
    assert lines[0].startswith(f"error: the graph is inconsistent ({name}); these statements clash")
    assert "  seeds/901_bad.yaml:8: distribution/ili-kazakhstan cafo:status cafo:Done" in lines
    assert "  seeds/900_bad.yaml:8: distribution/ili-kazakhstan cafo:status cafo:Negotiating" in lines
    assert snapshot(out) == built  # no inferred.nq written
    check = invoke(
        "check", "--only", "consistency", "--reasoner", reasoner, "-f", "tsv", "--out", str(out), project=corpus
    )
    assert check.exit_code == 1
    assert "ERROR\tconsistency\tdistribution/ili-kazakhstan\tcafo:status\tcafo:Done\t" in check.stdout
    assert snapshot(out) == built


# -- a 50 MB article ------------------------------------------------------------------------------


@pytest.mark.slow  # writes and reads 50 MB
def test_fifty_megabyte_article(prebuilt):
    corpus, out, before = prebuilt
    line = "Kazakhstan and China are filming a joint series in the Ili valley. " * 14 + "\n"
    with (corpus / "seeds" / "900_bad.txt").open("w", encoding="utf-8") as handle:
        for _ in range(50 * 1024 * 1024 // len(line)):
            handle.write(line)
    shutil.copyfile(BAD / "good.yaml", corpus / "seeds" / "900_bad.yaml")
    proc = run_kg("build", "--out", str(out), cwd=corpus)
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 2
    assert proc.stderr.startswith("error: seeds/900_bad.txt:")
    assert "MB" in proc.stderr.splitlines()[0]
    assert snapshot(out) == before


# -- queries ----------------------------------------------------------------------------------------


def _query_fails(out, before, query: str, expected: str, *extra: str, code: int = 2) -> None:
    result = invoke("query", str(BAD / query), "--out", str(out), *extra, project=SEED_CORPUS)
    assert result.exit_code == code
    assert result.output.splitlines() == [f"error: {expected}"]
    assert snapshot(out) == before


@pytest.fixture
def built_out(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return out, snapshot(out)


def test_update_query_is_refused(built_out):
    out, before = built_out
    _query_fails(
        out, before, "update.rq", f"{_shown(BAD / 'update.rq')}: refused: this is a SPARQL UPDATE; kg query only reads"
    )


def test_service_query_is_refused(built_out):
    out, before = built_out
    _query_fails(
        out,
        before,
        "service.rq",
        f"{_shown(BAD / 'service.rq')}: refused: SERVICE reaches the network; pass --allow-network to permit it",
    )


def test_query_with_a_syntax_error(built_out):
    out, before = built_out
    _query_fails(
        out,
        before,
        "syntax-error.rq",
        f"{_shown(BAD / 'syntax-error.rq')}:5:1: SPARQL syntax error: Expected SelectQuery (near '')",
    )


@pytest.mark.slow  # waits for its time limit in a real process
def test_query_that_runs_for_minutes_is_stopped(built_out):
    """In a real process: the query runs in a child that is killed at the limit."""
    import time

    out, before = built_out
    started = time.monotonic()
    proc = run_kg("--project", str(SEED_CORPUS), "query", str(BAD / "slow.rq"), "--timeout", "2", "--out", str(out))
    assert time.monotonic() - started < 60
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"error: {_shown(BAD / 'slow.rq')}: stopped after 2 s (the time limit; raise it with --timeout)"
    ]
    assert proc.stdout == ""
    assert snapshot(out) == before


def test_timeout_in_process_and_a_fast_query_within_it(built_out):
    out, before = built_out
    _query_fails(
        out,
        before,
        "slow.rq",
        f"{_shown(BAD / 'slow.rq')}: stopped after 1 s (the time limit; raise it with --timeout)",
        "--timeout",
        "1",
    )
    fast = invoke(
        "query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--timeout", "60", "--out", str(out)
    )
    assert fast.exit_code == 0
    assert [line.split(",")[1] for line in fast.output.splitlines()[1:]] == ["China", "Germany", "Poland", "Russia"]


@pytest.mark.slow  # waits for its time limit in a real process
def test_runaway_query_on_rdflib_is_stopped_at_the_time_limit(built_out):
    """The three-way cross product on the pure-Python engine, in a real process: one line, exit 2."""
    out, before = built_out
    proc = run_kg(
        "--project", str(SEED_CORPUS), "query", str(BAD / "slow.rq"), "--engine", "rdflib", "--timeout", "2",
        "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"error: {_shown(BAD / 'slow.rq')}: stopped after 2 s (the time limit; raise it with --timeout)"
    ]
    assert proc.stdout == ""
    assert snapshot(out) == before


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory ceiling needs Linux (RLIMIT_AS)")
@pytest.mark.slow  # grows a real process to its memory limit
@pytest.mark.parametrize("how", ["option", "env"])
def test_memory_hungry_query_on_rdflib_is_stopped_at_the_memory_limit(built_out, how):
    """Sorting every pair of triples: the ceiling (set low here) ends it with one line and exit
    2, no traceback, not even Python's "Exception ignored" notes; the time limit is a backstop."""
    out, before = built_out
    args = ["--project", str(SEED_CORPUS), "query", str(BAD / "hungry.rq"), "--engine", "rdflib", "--timeout", "120"]
    option, env = (["--max-memory", "50"], None) if how == "option" else ([], {"KG_QUERY_MAX_MEMORY": "50"})
    proc = run_kg(*args, *option, "--out", str(out), env=env)
    assert proc.stderr.splitlines() == [
        f"error: {_shown(BAD / 'hungry.rq')}: stopped at 50 MB (the memory limit of the rdflib engine; "
        "raise it with --max-memory)"
    ]
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("option", "value", "unit"),
    [
        ("--timeout", "nan", "seconds"),
        ("--timeout", "inf", "seconds"),
        ("--timeout", "-1", "seconds"),
        ("--timeout", "ten", "seconds"),
        ("--max-memory", "-5", "MB"),
        ("--max-memory", "NaN", "MB"),
        ("--max-memory", "1e999", "MB"),
    ],
)
def test_nonsense_limits_are_refused_in_one_line(built_out, option, value, unit):
    out, before = built_out
    _query_fails(
        out,
        before,
        "slow.rq",
        f"{option} {value}: give a number of {unit} (0 for no limit)",
        option,
        value,
        "--engine",
        "rdflib",
    )
