"""Time limits for work that cannot be interrupted from inside: run it in a child process and
kill the child at the deadline.

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

from kg.errors import KgError


class TimeLimitExceeded(KgError):
    """The work was stopped at its time limit."""

    exit_code = 2


def call_with_timeout(func: Callable, args: tuple, seconds: float | None, what: str, error=TimeLimitExceeded):
    """func(*args), or `error` ("WHAT: stopped after N s") when it runs longer than `seconds`
    (None: no deadline, for work that needs a process of its own for another reason, such as a
    memory limit). An exception raised by func is raised again here."""
    if seconds is not None and seconds <= 0:
        raise error(f"{what}: the time limit must be more than 0 seconds, not {seconds:g}")
    if "fork" not in multiprocessing.get_all_start_methods():
        return _in_thread(func, args, seconds, what, error)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, func, args), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise error(f"{what}: stopped after {seconds:g} s (the time limit; raise it with --timeout)")
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
        return payload
    raise payload


def call_with_deadline(func: Callable, args: tuple, seconds: float, on_timeout: Callable[[], BaseException]):
    """func(*args) in a daemon thread, waited for at most `seconds` of wall-clock time; then
    `on_timeout()` is raised. For network I/O, whose library timeouts limit each read rather
    than the whole answer (a server that trickles a byte a second never trips them): the
    abandoned thread ends with the process. An exception raised by func is raised again here."""
    box: dict = {}

    def attempt() -> None:
        try:
            box["result"] = func(*args)
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=attempt, name="kg-deadline", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise on_timeout()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _child(send, func, args) -> None:
    try:
        result = (True, func(*args))
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


def _in_thread(func, args, seconds: float, what: str, error):
    """Where fork does not exist (Windows): a daemon thread. The caller gets the error at the
    deadline; the thread runs on until the process exits, which the CLI does at once."""
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = func(*args)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise error(f"{what}: stopped after {seconds:g} s (the time limit; raise it with --timeout)")
    if "error" in box:
        raise box["error"]
    return box["result"]
