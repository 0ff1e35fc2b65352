"""Hostile servers and nonsense time limits for `kg push` (and the --timeout of query and serve).

A tiny SPARQL server, stdlib http.server in a thread on 127.0.0.1 (a free port), plays the
part of a broken or hostile server: it accepts the Graph Store uploads and then answers the
count query with something that is not SPARQL JSON results, or it trickles its answer one byte
every 1.5 s so that no single read ever times out. Every case asserts the exit code, exactly
one line of output naming the server, and no traceback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import SEED_CORPUS, invoke, run_kg

TRICKLE_SECONDS = 1.5  # between two bytes of a trickled answer
TRICKLE_BYTES = 80  # then the trickling server gives up (bounded: 2 minutes at most)
GOOD_COUNTS = b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}'


@dataclass
class Behaviour:
    """What the fake server answers: `count` to the count query (POST .../query), as
    (content type, body); `trickle` names the paths whose answer is trickled."""

    count: tuple[str, bytes] = ("application/sparql-results+json", GOOD_COUNTS)
    trickle: tuple[str, ...] = ()
    garbage: dict[str, bytes] = field(default_factory=dict)  # path -> raw bytes instead of HTTP
    stop: threading.Event = field(default_factory=threading.Event)
    seen: list[str] = field(default_factory=list)


def _handler(behaviour: Behaviour):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            path = self.path.split("?")[0]
            behaviour.seen.append(f"{self.command} {path}")
            if path in behaviour.garbage:
                self.wfile.write(behaviour.garbage[path])
                self.close_connection = True
                return
            if path in behaviour.trickle:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"[:TRICKLE_BYTES]:
                    if behaviour.stop.wait(TRICKLE_SECONDS):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                self.close_connection = True
                return
            if path == "/store":
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            content_type, body = behaviour.count
            self.send_response(200)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = _answer

    return Handler


@pytest.fixture
def fake_server() -> Iterator[tuple[str, Behaviour]]:
    """(endpoint URL, behaviour to set) of a fake server on 127.0.0.1, stopped afterwards."""
    behaviour = Behaviour()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", behaviour
    finally:
        behaviour.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def one_line(output: str) -> str:
    """The single line a refusal prints; fails when there are more (or a traceback)."""
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == 1, output
    return lines[0]


def push(built, endpoint: str, *options: str):
    return invoke("--project", str(SEED_CORPUS), "push", "--endpoint", endpoint, "--out", str(built), *options)


# -- a server that trickles: --timeout is a wall-clock limit per request ------------------------


@pytest.mark.slow  # waits for its time limit
def test_push_to_a_trickling_server_stops_at_the_timeout_in_a_real_process(built, fake_server):
    endpoint, behaviour = fake_server
    behaviour.trickle = ("/store",)
    proc = run_kg("--project", str(SEED_CORPUS), "push", "--endpoint", endpoint, "--out", str(built), "--timeout", "3")
    assert proc.returncode == 2, proc.stderr
    store = endpoint.replace("/query", "/store")
    assert one_line(proc.stdout + proc.stderr) == (
        f"error: {store}: no complete answer to PUT within 3 s (the --timeout limit per request)"
    )
    assert behaviour.seen == ["PUT /store"]  # it stopped at the first request


@pytest.mark.slow  # waits for its time limit
def test_a_count_query_that_trickles_stops_at_the_timeout(built, fake_server):
    endpoint, behaviour = fake_server
    behaviour.trickle = ("/query",)
    result = push(built, endpoint, "--timeout", "2")
    assert result.exit_code == 2
    assert one_line(result.output) == (
        f"error: {endpoint}: no complete answer to POST within 2 s (the --timeout limit per request)"
    )
    assert behaviour.seen[-1] == "POST /query" and behaviour.seen.count("POST /query") == 1
    assert behaviour.seen[0] == "PUT /store"


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/store", b""),
        ("/store", b"HELLO THERE\r\n\r\n"),
        ("/query", b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"head"'),
        ("/query", b"\x00\xff" * 100),
    ],
    ids=["store closes at once", "store answers no HTTP", "count answer cut short", "count answer binary"],
)
def test_a_server_that_breaks_off_or_answers_no_http_is_one_line(built, fake_server, path, raw):
    endpoint, behaviour = fake_server
    behaviour.garbage = {path: raw}
    result = push(built, endpoint, "--timeout", "20")
    assert result.exit_code == 1
    url = endpoint.replace("/query", path)
    method = "PUT" if path == "/store" else "POST"
    line = one_line(result.output)
    assert line.startswith(f"error: {url}: no complete HTTP answer to {method}: ")
    assert line.isprintable() and len(line) < 400


# -- count answers that are not SPARQL JSON results ---------------------------------------------

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"""
ROW = b'{"g": {"type": "uri", "value": "urn:g"}, "n": {"type": "literal", "value": "%s"}}'

MALFORMED = {
    "plain text": ("text/plain", b"this is not json\nsecond line", "is not JSON (text/plain: this is not json)"),
    "html error page": ("text/html", HTML_PAGE, "is not JSON (text/html: 502 Bad Gateway)"),
    "empty body": ("", b"", "is not JSON (no Content-Type)"),
    "not utf-8": ("application/json", b"\xff\xfe\xfa\x00", "is not JSON (application/json"),
    "json nested 100000 deep": ("application/json", b"[" * 100_000, "is not JSON (application/json: [[[["),
    "ask shape": (
        "application/sparql-results+json",
        b'{"head": {}, "boolean": true}',
        "is JSON but not SPARQL results: it has no results.bindings list",
    ),
    "a json list": ("application/json", b"[]", "is JSON but not SPARQL results: it has no results.bindings list"),
    "bindings not a list": (
        "application/json",
        b'{"results": {"bindings": {"g": 1}}}',
        "is JSON but not SPARQL results: it has no results.bindings list",
    ),
    "a row that is a number": (
        "application/json",
        b'{"results": {"bindings": [1]}}',
        ": result 1 is not a JSON object",
    ),
    "a count that is a word": (
        "application/json",
        b'{"results": {"bindings": [' + ROW % b"many" + b"]}}",
        ": result 1 has no whole number in ?n (got 'many')",
    ),
    "a negative count": (
        "application/json",
        b'{"results": {"bindings": [' + ROW % b"-3" + b"]}}",
        ": result 1 has no whole number in ?n (got '-3')",
    ),
    "a graph that is a string": (
        "application/json",
        b'{"results": {"bindings": [{"g": "urn:g", "n": {"value": "1"}}]}}',
        ": result 1 has no graph IRI in ?g",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_count_answer_is_one_line_naming_the_server(built, fake_server, case):
    endpoint, behaviour = fake_server
    content_type, body, expected = MALFORMED[case]
    behaviour.count = (content_type, body)
    result = push(built, endpoint)
    assert result.exit_code == 1
    line = one_line(result.output)
    assert line.startswith(f"error: {endpoint}: the answer to the count query")
    assert expected in line
    assert line.isprintable() and len(line) < 400


def test_an_empty_but_well_formed_count_says_which_graphs_are_missing(built, fake_server):
    endpoint, _ = fake_server
    result = push(built, endpoint)
    assert result.exit_code == 1
    line = one_line(result.output)
    assert line.startswith(f"error: {endpoint}: ")
    assert "graph(s) do not hold what was sent: <https://w3id.org/ca-film/" in line and "holds 0" in line


# -- nonsense time limits -------------------------------------------------------------------------

NONSENSE = {
    "nan": "not a number",
    "inf": "out of range",
    "-inf": "out of range",
    "-1": "out of range",
    "0": "out of range",
    "1e999": "out of range",
    "abc": "not a number",
    "": "not a number",
}
COMMANDS = {
    "query": ["query", "countries_coproducing_with_kazakhstan.rq"],
    "serve": ["serve"],
    "push": ["push", "--endpoint", "http://127.0.0.1:9/query"],
}


# kg query may read --timeout 0 as "no limit"; every other pair is nonsense
NONSENSE_CASES = [(c, v) for c in sorted(COMMANDS) for v in sorted(NONSENSE) if (c, v) != ("query", "0")]


@pytest.mark.parametrize(("command", "value"), NONSENSE_CASES)
def test_a_nonsense_timeout_is_refused_in_one_line(tmp_path, command, value):
    out = tmp_path / "out"
    result = invoke("--project", str(SEED_CORPUS), *COMMANDS[command], "--out", str(out), "--timeout", value)
    assert result.exit_code == 2
    line = one_line(result.output)
    if command == "query":  # its wording is kg query's own; the value is named on the one line
        assert line.startswith("error: --timeout ") and (value in line if value else "''" in line)
    else:
        minimum = "at least 0.1" if command == "serve" else "more than 0"
        assert line == (
            f"error: --timeout {value!r}: {NONSENSE[value]}; give a number of seconds, {minimum} and at most 1000000"
        )
    assert not out.exists()  # refused before anything was built


@pytest.mark.parametrize(("command", "value"), [("query", "nan"), ("serve", "inf"), ("push", "-1")])
def test_a_nonsense_timeout_in_a_real_process(tmp_path, command, value):
    proc = run_kg("--project", str(SEED_CORPUS), *COMMANDS[command], "--out", str(tmp_path / "out"), "--timeout", value)
    assert proc.returncode == 2
    assert proc.stdout == ""
    line = one_line(proc.stderr)
    assert line.startswith("error: --timeout ") and value in line


def test_a_fractional_serve_timeout_below_its_minimum_is_refused(tmp_path):
    result = invoke("serve", "--out", str(tmp_path / "out"), "--timeout", "0.05")
    assert result.exit_code == 2
    assert one_line(result.output) == (
        "error: --timeout '0.05': out of range; give a number of seconds, at least 0.1 and at most 1000000"
    )


@pytest.mark.slow  # waits for its time limit
def test_a_query_to_a_trickling_endpoint_stops_at_the_timeout(fake_server):
    """kg query --endpoint: --timeout bounds the whole answer, not each read."""
    endpoint, behaviour = fake_server
    behaviour.trickle = ("/query",)
    proc = run_kg("query", "countries_coproducing_with_kazakhstan.rq", "--endpoint", endpoint, "--timeout", "2")
    assert proc.returncode == 2, proc.stderr
    assert one_line(proc.stdout + proc.stderr).endswith(
        f"queries/countries_coproducing_with_kazakhstan.rq: {endpoint} did not answer within 2 s"
    )
    assert behaviour.seen == ["POST /query"]
