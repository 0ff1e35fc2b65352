"""The project's own exceptions, all in one place.

Every failure a user can act on is a KgError subclass that carries its reason as fields (a
path and why, the problems found, the option at fault) and two class attributes: the exit
code `kg` ends with and the HTTP status `kg serve` answers with. The CLI turns them into
lines in one place (kg.cli); kg.serve sends the same words with `http_status`. A message is
built from the fields once, here or at the one place that raises it, never rewritten later.

Problems in the inputs (a mapping, a registry file, the ontology) are gathered in one
collector, `Problems`, and raised together as one InputError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike

PathArg = str | PathLike[str]  # a path as a caller has it: shown as str(path)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, pinned to a file and line so an author can jump to it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class Problems(list[Problem]):
    """The one way problems are collected: every check appends here (`add` for one found at
    file:line, `+=` for another check's list), and `raise_if_any` stops the command with all
    of them at once, so an author fixes a file in one pass instead of one error per run."""

    def add(self, file: str, line: int, message: str) -> None:
        self.append(Problem(file, line, message))

    def raise_if_any(self) -> None:
        if self:
            raise InputError(self)


class KgError(Exception):
    """Base class: any error the user can act on. Its message is one line.

    `exit_code` is what `kg` exits with; `http_status` what `kg serve` answers when the error
    reaches a client (500 for what only the server can fix)."""

    exit_code = 1
    http_status = 500

    def lines(self) -> list[str]:
        """What the CLI prints on standard error, one line each."""
        return [f"error: {self}"]

    @property
    def detail(self) -> str:
        """The message for a client that did not name a file (kg serve): the same words."""
        return str(self)


# -- bad input: problems in the sources ----------------------------------------------------


class InputError(KgError):
    """Bad input: every problem found, not just the first."""

    http_status = 400

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [f"error: {p}" for p in self.problems] + [f"{len(self.problems)} problem(s); nothing was written."]


class UnicodeProblem(Exception):
    """A text file that is not UTF-8; caught by its reader and reported as its Problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


# -- the command line ----------------------------------------------------------------------


class UsageError(KgError):
    """The command was called with something that does not exist or does not fit."""

    exit_code = 2
    http_status = 400


class BadPathArgument(UsageError):
    """A path argument or option that does not exist or is of the wrong kind (click's own
    check): one line, as a FileError is, instead of click's usage block."""

    def __init__(self, param: str, message: str):
        self.param, self.message = param, message
        super().__init__(message)


class UnknownChoice(UsageError):
    """A value that is not one of a fixed list (a format, a view, an engine): the message
    names what it is, the value given and every choice, so the fix is on the same line."""

    def __init__(self, what: str, value: object, choices: Iterable[str]):
        self.what, self.value, self.choices = what, value, tuple(choices)
        super().__init__(f"unknown {what} {value!r} (one of {', '.join(self.choices)})")


class NothingFound(KgError):
    """A search with no hit (`kg entities search`): an answer, not a fault, so it is printed
    without the 'error:' prefix; exit 1 lets a script tell it from a hit."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(f"no entity matches {text!r}")

    def lines(self) -> list[str]:
        return [str(self)]


# -- files and the build directory ---------------------------------------------------------


class FileError(KgError):
    """A file or folder a command cannot read or write: missing, a folder where a file is
    expected, permission denied, a full disk. One line naming the user's path."""

    exit_code = 2

    def __init__(self, path: PathArg | None, reason: str):
        self.path = None if path is None else str(path)
        self.reason = reason
        super().__init__(reason if self.path is None else f"{self.path}: {reason}")

    @classmethod
    def from_os_error(cls, exc: OSError, path: PathArg | None = None, doing: str = "") -> FileError:
        """The OS's error about `path` (default: the file the OS named), e.g.
        'out/x.ttl: cannot write: No space left on device'."""
        reason = exc.strerror or str(exc) or type(exc).__name__
        named: PathArg | None = path if path is not None else exc.filename
        return cls(named, f"{doing}: {reason}" if doing else reason)


class BuildBusy(KgError):
    """Another build holds OUT and did not finish within the wait."""

    exit_code = 2
    http_status = 503


class BuildReplaced(KgError):
    """Every build a reader tried to open was replaced by a newer one before it could pin it."""

    def __init__(self, out_dir: PathArg):
        self.out_dir = str(out_dir)
        super().__init__(f"{self.out_dir}: builds keep replacing each other; try again")


class StoreUnreadable(KgError):
    """The build's Oxigraph store cannot be opened (damaged, or written by another version)."""

    def __init__(self, path: PathArg, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: cannot open the Oxigraph store ({reason}); run `kg build` again")


class SiteViewsFailed(KgError):
    """The process drawing the `kg viz` views into the site failed (reason) or died (None)."""

    def __init__(self, reason: str | None):
        self.reason = reason
        super().__init__(
            "kg site: the process drawing the viz views ended without a word"
            if reason is None
            else f"kg site: drawing the viz views failed: {reason}"
        )


# -- queries and time limits ---------------------------------------------------------------


class QueryError(KgError):
    """A query that cannot or may not run (syntax error, UPDATE, network access, timeout)."""

    exit_code = 2
    http_status = 400


class QuerySyntaxError(QueryError):
    """A query the SPARQL parser cannot read (a syntax error, or nesting deeper than it can
    follow), at line[:column] of the query named `query`."""

    def __init__(self, query: str, line: int, column: int | None, reason: str):
        self.query, self.line, self.column, self.reason = query, line, column, reason
        super().__init__(f"{query}:{self.detail}")

    @property
    def detail(self) -> str:
        where = f"{self.line}" if self.column is None else f"{self.line}:{self.column}"
        return f"{where}: {self.reason}"


class QueryRefused(QueryError):
    """A query kg will not run here: an UPDATE, or one that reaches the network. `reason`
    starts with 'refused:' and says what the user can do where they are (kg query's option,
    or that the endpoint does not allow it)."""

    http_status = 403

    def __init__(self, query: str, reason: str):
        self.query, self.reason = query, reason
        super().__init__(f"{query}: {reason}")

    @property
    def detail(self) -> str:
        return self.reason


class TimeLimitExceeded(KgError):
    """The work was stopped at its time limit."""

    exit_code = 2
    http_status = 503


# -- the reasoner --------------------------------------------------------------------------


class ReasonerUnavailable(KgError):
    """No Java runtime: the OWL reasoners cannot run. Everything else in kg still works."""

    exit_code = 3
    http_status = 503


class ReasonerFailed(KgError):
    """The reasoner itself failed (not an inconsistency): a Java error, out of memory."""

    exit_code = 3


@dataclass(frozen=True)
class Clash:
    """One statement of an explanation: as the reasoner words it, and where it comes from."""

    statement: str
    source: str  # "seeds/NAME.yaml:LINE", "ontology/cafilm.ttl:LINE" or ""
    triple: tuple[str, str, str] | None = None  # (entity, property, value) for a stated fact

    def __str__(self) -> str:
        return f"{self.source}: {self.statement}" if self.source else self.statement


class InconsistentError(KgError):
    """The graph contradicts itself. The message's first line says so; the following lines
    give one explanation, each statement with the file and line that asserted it."""

    def __init__(self, reasoner: str, clashes: list[Clash], explained_by: str, name: str | None = None):
        self.reasoner = reasoner
        self.clashes = clashes
        head = f"the graph is inconsistent ({name or reasoner})"
        if clashes:
            head += f"; these statements clash ({explained_by}):"
            body = "".join(f"\n  {clash}" for clash in clashes)
        else:
            head += "; no explanation could be found (try `kg reason --reasoner pellet`)"
            body = ""
        super().__init__(head + body)


# -- servers: kg push and kg serve ---------------------------------------------------------


class PushError(KgError):
    """The server kg push talks to refused, failed, or answered what the protocol does not
    promise: one line naming the server."""

    http_status = 502


class PushTimeout(PushError):
    """A request that did not complete within --timeout: the command could not run (exit 2)."""

    exit_code = 2
    http_status = 504


class ServeError(KgError):
    """kg serve cannot start serving (a query worker cannot open the store)."""


class AuthorError(KgError):
    """A request the `kg author` page cannot carry out (an unknown article, a malformed fact):
    the page shows the line; the command exits 2 when it cannot start."""

    exit_code = 2
    http_status = 400


class Conflict(KgError):
    """`kg author`: a file changed on disk since the page read it; nothing was written."""

    http_status = 409


class LabelMiss(Exception):
    """A label that names no entity, or several: the message says which, in one line. Not a
    KgError itself: `--bind` and `kg show` each turn it into theirs (QueryError, UsageError)."""

    def __init__(self, message: str, ambiguous: bool):
        super().__init__(message)
        self.ambiguous = ambiguous
