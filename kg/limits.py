"""Every limit kg puts on its input and its work, in one place (docs/mapping-format.md,
"Limits and refused input", lists the same ones for authors).

Two kinds. Input limits are checked before the work that would grow with the input starts:
a file's size before it is read, YAML nesting, alias expansion, value length and number
length on the parser's event stream before any Python object is built, SPARQL nesting before
the query parser (which recurses) sees the text. Each refusal is one line naming the file and
line. Time limits stop work that cannot be interrupted from inside: it runs in a child
process that is killed at the deadline.

A SPARQL query in pyoxigraph runs in Rust with the GIL released; a signal handler (alarm) only
runs when control returns to Python, which a runaway query never does. A child process can be
killed at any moment, and the parent's state is untouched. The child is forked, so the
function and its arguments (an open in-memory store, say) need not be picklable; only the
result and any exception travel back, pickled, through a pipe.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar, TypeVarTuple, cast

from kg.errors import KgError, TimeLimitExceeded

T = TypeVar("T")
Args = TypeVarTuple("Args")

# -- input limits -------------------------------------------------------------------------
# A news article is tens of kilobytes. Far larger files are a mistake (a dump, a binary) and
# would cost gigabytes of memory in quote matching, so they are refused before reading.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
# A mapping is a few kilobytes, the registry a few hundred; 10 MB leaves room for ~50,000
# entities in one registry file.
MAX_YAML_BYTES = 10 * 1024 * 1024
# A mapping nests 6 deep (file > facts > fact > with > list > amount); PyYAML recurses once
# per level and a few thousand levels exhaust Python's stack.
MAX_YAML_DEPTH = 20
# Values that the aliases (*name) of one file stand for, each expanded: an "alias bomb" of a
# few lines expands to billions, and anything that walks or prints it never ends. Values
# written out are not counted (the file size bounds them): a large registry is fine.
MAX_YAML_VALUES = 1_000_000
# One text value (a quote, a label, a note, a key). A quote is a sentence or two.
MAX_VALUE_CHARS = 10_000
# A number: digits before and after the point, and a plain YAML number's length. Python's
# int() refuses 4,300 digits and Decimal('1e999999999') would print a billion of them.
MAX_NUMBER_DIGITS = 30
# Braces, parentheses and brackets nested in a SPARQL query: rdflib's parser recurses and
# fails at about 30 parentheses or 40 braces.
MAX_QUERY_NESTING = 20
# How much of an offending value a message quotes.
EXCERPT_CHARS = 60


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """repr() of a value cut to a short excerpt, for messages: never walks or prints more than
    a few items of a container (an alias bomb's repr is gigabytes) nor more than `limit`
    characters, and always one line (repr escapes newlines)."""
    import reprlib

    shortener = reprlib.Repr()
    shortener.maxlevel = 2
    shortener.maxstring = shortener.maxother = shortener.maxlong = limit
    shortener.maxdict = shortener.maxlist = shortener.maxtuple = shortener.maxset = 4
    text = shortener.repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def query_nesting_problem(text: str) -> tuple[int, str] | None:
    """None, or (line, why) when a SPARQL text nests too deep for the parser: checked on the characters,
    outside strings, IRIs and comments, before the recursive parser runs."""
    import re

    depth = deepest = 0
    line = at_line = 1
    token = re.compile(
        r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
        r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[{(\[]|[})\]]|\n'
    )
    for match in token.finditer(text):
        piece = match.group()
        if piece == "\n":
            line += 1
        elif piece in "{([":
            depth += 1
            if depth > deepest:
                deepest, at_line = depth, line
        elif piece in "})]":
            depth -= 1
        else:
            line += piece.count("\n")
    if deepest > MAX_QUERY_NESTING:
        return (
            at_line,
            f"the query nests {deepest} deep; at most {MAX_QUERY_NESTING} levels of {{ }} ( ) [ ] are allowed",
        )
    return None


# -- time limits ----------------------------------------------------------------------------


def call_with_timeout(
    func: Callable[[*Args], T],
    args: tuple[*Args],
    seconds: float | None,
    what: str,
    error: type[KgError] = TimeLimitExceeded,
) -> T:
    """func(*args), or `error` ("WHAT: stopped after N s") when it runs longer than `seconds`
    (None: no deadline, for work that needs a process of its own for another reason, such as a
    memory limit). An exception raised by func is raised again here."""
    if seconds is not None and seconds <= 0:
        raise error(f"{what}: the time limit must be more than 0 seconds, not {seconds:g}")
    if "fork" not in multiprocessing.get_all_start_methods():
        return _in_thread(func, args, seconds, lambda: error(_stopped(what, seconds)), "kg-timeout")
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, func, args), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise error(_stopped(what, seconds))
        try:
            ok, payload = receive.recv()
        except EOFError:
            raise error(f"{what}: the worker process died (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if ok:
        return cast(T, payload)  # what func returned, through pickle
    raise payload


def call_with_deadline(
    func: Callable[[*Args], T], args: tuple[*Args], seconds: float, on_timeout: Callable[[], BaseException]
) -> T:
    """func(*args) in a daemon thread, waited for at most `seconds` of wall-clock time; then
    `on_timeout()` is raised. For network I/O, whose library timeouts limit each read rather
    than the whole answer (a server that trickles a byte a second never trips them): the
    abandoned thread ends with the process. An exception raised by func is raised again here."""
    return _in_thread(func, args, seconds, on_timeout, "kg-deadline")


def _child(send: Connection, func: Callable[[*Args], T], args: tuple[*Args]) -> None:
    try:
        result: tuple[bool, object] = (True, func(*args))
    except BaseException as exc:
        result = (False, exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}"))
        if not isinstance(exc, KgError):
            traceback.print_exc(file=sys.stderr)
    try:
        send.send(result)
    finally:
        send.close()


def _picklable(exc: BaseException) -> bool:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:
        return False


def _stopped(what: str, seconds: float | None) -> str:
    return f"{what}: stopped after {seconds:g} s (the time limit; raise it with --timeout)"


def _in_thread(
    func: Callable[[*Args], T],
    args: tuple[*Args],
    seconds: float | None,
    on_timeout: Callable[[], BaseException],
    name: str,
) -> T:
    """func(*args) in a daemon thread, waited for at most `seconds` (None: no limit); then
    `on_timeout()` is raised. The abandoned thread runs on until the process exits, which the
    CLI does at once. An exception raised by func is raised again here. Also where fork does
    not exist (Windows), in place of call_with_timeout's child process."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(func(*args))
        except BaseException as exc:  # handed to the waiting thread
            errors.append(exc)

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise on_timeout()
    if errors:
        raise errors[0]
    return results[0]
