"""Errors in one place (kg/errors.py): each kind of failure is a KgError subclass carrying its
reason as fields, an exit code and an HTTP status; kg.cli prints its lines, kg serve answers
with its status and the same words. Each test pins the exact line and exit code."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg import errors
from kg.cli import main
from kg.errors import (
    AuthorError,
    BadPathArgument,
    BuildBusy,
    BuildReplaced,
    Clash,
    Conflict,
    FileError,
    InconsistentError,
    InputError,
    NothingFound,
    Problem,
    Problems,
    PushError,
    PushTimeout,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    ReasonerFailed,
    ReasonerUnavailable,
    ServeError,
    SiteViewsFailed,
    StoreUnreadable,
    TimeLimitExceeded,
    UnknownChoice,
    UsageError,
)
from tests.conftest import invoke, run_kg

HEADLINE = "countries_coproducing_with_kazakhstan.rq"


# -- the one handler: every kind, its lines and its exit code -------------------------------

CASES = [
    (InputError([Problem("seeds/b.yaml", 3, "two"), Problem("seeds/a.yaml", 7, "one")]), 1,
     ["error: seeds/a.yaml:7: one", "error: seeds/b.yaml:3: two", "2 problem(s); nothing was written."]),
    (UsageError("--depth applies to --view ego only"), 2, ["error: --depth applies to --view ego only"]),
    (BadPathArgument("project", "Invalid value for '--project': Directory 'x' does not exist."), 2,
     ["error: Invalid value for '--project': Directory 'x' does not exist."]),
    (UnknownChoice("engine", "jena", ("oxigraph", "rdflib")), 2,
     ["error: unknown engine 'jena' (one of oxigraph, rdflib)"]),
    (NothingFound("Tarkovsky"), 1, ["no entity matches 'Tarkovsky'"]),
    (FileError("out/graph.ttl", "cannot write: No space left on device"), 2,
     ["error: out/graph.ttl: cannot write: No space left on device"]),
    (BuildBusy("out: another kg build is writing this directory"), 2,
     ["error: out: another kg build is writing this directory"]),
    (BuildReplaced(Path("out")), 1, ["error: out: builds keep replacing each other; try again"]),
    (StoreUnreadable(Path("out/store"), "IO error: lock"), 1,
     ["error: out/store: cannot open the Oxigraph store (IO error: lock); run `kg build` again"]),
    (SiteViewsFailed(None), 1, ["error: kg site: the process drawing the viz views ended without a word"]),
    (SiteViewsFailed("MemoryError"), 1, ["error: kg site: drawing the viz views failed: MemoryError"]),
    (QuerySyntaxError("q.rq", 2, 5, "SPARQL syntax error: Expected {"), 2,
     ["error: q.rq:2:5: SPARQL syntax error: Expected {"]),
    (QueryRefused("q.rq", "refused: SERVICE reaches the network; pass --allow-network to permit it"), 2,
     ["error: q.rq: refused: SERVICE reaches the network; pass --allow-network to permit it"]),
    (TimeLimitExceeded("q.rq: stopped after 1 s (the time limit; raise it with --timeout)"), 2,
     ["error: q.rq: stopped after 1 s (the time limit; raise it with --timeout)"]),
    (ReasonerUnavailable("no Java runtime"), 3, ["error: no Java runtime"]),
    (ReasonerFailed("HermiT failed: out of memory"), 3, ["error: HermiT failed: out of memory"]),
    (InconsistentError("hermit", [Clash("x a Film", "seeds/a.yaml:4")], "HermiT's explanation", "HermiT"), 1,
     ["error: the graph is inconsistent (HermiT); these statements clash (HermiT's explanation):",
      "  seeds/a.yaml:4: x a Film"]),
    (PushError("http://127.0.0.1:1/: 2 graph(s) do not hold what was sent"), 1,
     ["error: http://127.0.0.1:1/: 2 graph(s) do not hold what was sent"]),
    (PushTimeout("http://127.0.0.1:1/data: no complete answer to PUT within 5 s"), 2,
     ["error: http://127.0.0.1:1/data: no complete answer to PUT within 5 s"]),
    (ServeError("out/store: a query worker could not open the store"), 1,
     ["error: out/store: a query worker could not open the store"]),
    (AuthorError("no article 'x.txt' in seeds"), 2, ["error: no article 'x.txt' in seeds"]),
    (Conflict("seeds/a.yaml changed on disk since this page read it: nothing was written"), 1,
     ["error: seeds/a.yaml changed on disk since this page read it: nothing was written"]),
]  # fmt: skip


@pytest.fixture
def failing_command():
    """A `kg boom` command that raises the error it is given, through the real group."""
    raised: list[Exception] = []

    @click.command("boom")
    def boom():
        raise raised[0]

    main.add_command(boom)
    yield raised
    main.commands.pop("boom")


@pytest.mark.parametrize(("error", "code", "lines"), CASES, ids=[type(case[0]).__name__ for case in CASES])
def test_the_handler_prints_each_kind_as_its_lines_and_exit_code(failing_command, error, code, lines):
    failing_command.append(error)
    result = invoke("boom")
    assert (result.exit_code, result.stderr.splitlines(), result.stdout) == (code, lines, "")


def test_every_error_class_lives_in_kg_errors_and_has_a_test_case():
    """One hierarchy: each KgError subclass is defined in kg.errors and pinned above."""
    defined = {
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.KgError) and cls.__module__ == "kg.errors"
    }
    assert {type(error) for error, _, _ in CASES} == defined - {errors.KgError, QueryError}
    assert all(cls.__module__ == "kg.errors" for cls in _subclasses(errors.KgError))


def _subclasses(cls: type) -> set[type]:
    import kg.atomic, kg.author, kg.limits, kg.push, kg.query, kg.reason, kg.serve, kg.site, kg.store  # noqa: E401, F401, I001

    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_problems_are_collected_sorted_and_raised_once():
    problems = Problems()
    problems.raise_if_any()  # nothing found: nothing raised
    problems.add("seeds/b.yaml", 2, "second")
    problems += [Problem("seeds/a.yaml", 9, "first"), Problem("seeds/b.yaml", 2, "second")]
    with pytest.raises(InputError) as caught:
        problems.raise_if_any()
    assert [str(p) for p in caught.value.problems] == ["seeds/a.yaml:9: first", "seeds/b.yaml:2: second"]


# -- real raise sites, through the CLI -------------------------------------------------------


def test_a_search_with_no_hit_is_one_plain_line_exit_1():
    result = invoke("entities", "search", "Tarkovsky")
    assert (result.exit_code, result.stderr, result.stdout) == (1, "no entity matches 'Tarkovsky'\n", "")


def test_an_unknown_check_lists_every_check(tmp_path):
    """Checked before anything is built: nothing is written to OUT."""
    result = invoke("check", "--only", "nope", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown check 'nope' (one of consistency, twins, quotes, drafts, editor-labels-only, "
        "facts-without-evidence, shared-wikidata, unused-entities, amounts, budget-per-currency, co-production, "
        "dates, evidence, labels, work)\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_missing_project_folder_is_one_line_exit_2():
    result = invoke("--project", "/nonexistent/corpus", "build")
    assert result.exit_code == 2
    assert result.stderr == "error: Invalid value for '--project': Directory '/nonexistent/corpus' does not exist.\n"


def test_a_missing_article_argument_is_one_line_exit_2(tmp_path):
    result = run_kg("new", str(tmp_path / "absent.txt"))
    assert result.returncode == 2
    assert result.stderr == f"error: Invalid value for 'ARTICLE': File '{tmp_path / 'absent.txt'}' does not exist.\n"


def test_a_refused_query_names_its_file_and_the_option(tmp_path, built):
    query = tmp_path / "remote.rq"
    query.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n", encoding="utf-8")
    result = invoke("query", str(query), "--out", str(built))
    assert result.exit_code == 2
    assert result.stderr == f"error: {query}: refused: SERVICE reaches the network; pass --allow-network to permit it\n"


def test_a_syntax_error_names_file_line_and_column(tmp_path, built):
    query = tmp_path / "broken.rq"
    query.write_text("SELECT *\nWHERE { ?s ?p }\n", encoding="utf-8")
    result = invoke("query", str(query), "--out", str(built))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {query}:2:9: SPARQL syntax error: Expected SelectQuery (near 'WHERE {{ ?s ?p }}')\n"
    )


def test_an_unreadable_store_says_to_build_again(built, monkeypatch):
    import pyoxigraph

    def damaged(path):
        raise OSError("IO error: Corruption: bad block")

    monkeypatch.setattr(pyoxigraph.Store, "read_only", staticmethod(damaged))
    result = invoke("query", HEADLINE, "--out", str(built))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {built / 'store'}: cannot open the Oxigraph store (IO error: Corruption: bad block); run `kg build` again\n"
    )


def test_a_build_replaced_at_every_try_is_one_line(built, monkeypatch):
    import kg.atomic

    exclusive = kg.atomic._EXCLUSIVE
    real = kg.atomic._try_lock
    monkeypatch.setattr(
        kg.atomic, "_try_lock", lambda fd, mode, *rest: real(fd, mode, *rest) if mode == exclusive else False
    )
    result = invoke("query", HEADLINE, "--out", str(built))
    assert (result.exit_code, result.stderr) == (1, f"error: {built}: builds keep replacing each other; try again\n")


# -- kg serve: the error's own status and words --------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "refused: this is a SPARQL UPDATE; this endpoint only reads"),
        (
            "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
            403,
            "refused: FROM / FROM NAMED can load remote or local data; this endpoint does not allow it",
        ),
        (
            "SELECT * WHERE { ?s ?p }",
            400,
            "1:18: SPARQL syntax error: Expected SelectQuery (near 'SELECT * WHERE { ?s ?p }')",
        ),
        (
            "SELECT * WHERE " + "{" * 30 + "}" * 30,
            400,
            "1: the query nests 30 deep; at most 20 levels of { } ( ) [ ] are allowed",
        ),
    ],
)
def test_serve_answers_with_the_errors_status_and_words(query, status, body):
    from kg.query import _check
    from kg.serve import check_query

    with pytest.raises(QueryError) as caught:
        _check(query, "query", allow_network=False, served=True)
    assert (type(caught.value).http_status, caught.value.detail) == (status, body)
    answer = check_query(query)
    assert (answer.status, answer.body.decode()) == (status, body + "\n")
