"""`kg serve` under hostile clients: a burst on a fresh server, huge and deeply nested queries,
CORS caches, and foreign Host headers (DNS rebinding). Real server processes on 127.0.0.1 (free
ports), real HTTP; every loop and wait is bounded."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse

import pytest

from tests.conftest import invoke
from tests.test_serve import HEADLINE, get, http, post_form, start_server, stop_server

pytestmark = pytest.mark.slow  # bursts of clients, megabyte queries and several server processes

PARTNERS = ["China", "Germany", "Poland", "Russia"]
JSON = "application/sparql-results+json"


def labels(body: bytes) -> list[str]:
    return [row["label"]["value"] for row in json.loads(body)["results"]["bindings"]]


def at_once(calls: list) -> list:
    """Run every call in its own thread, released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait(timeout=60)
        try:
            results[i] = call()
        except Exception as exc:  # a refused connection, say: recorded, and the test fails on it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return results


def headline(url: str):
    return post_form(url, {"query": HEADLINE}, JSON)


def assert_headline(answer) -> None:
    assert not isinstance(answer, Exception), answer
    status, _, body = answer
    assert status == 200, body
    assert labels(body) == PARTNERS


@pytest.fixture(scope="module")
def server(built):
    proc, url = start_server(
        built,
        "--timeout",
        "3",
        "--cors",
        "http://example.org",
        "--allow-host",
        "kg.example",
        "--allow-host",
        "Lab.Example:8000",
    )
    yield url
    stop_server(proc)


# -- a burst on a fresh server ---------------------------------------------------------------------


def test_a_burst_of_50_on_a_fresh_server_gets_50_right_answers(built):
    proc, url = start_server(built)  # fresh: no query answered yet
    try:
        answers = at_once([lambda: headline(url)] * 50)
        for answer in answers:
            assert_headline(answer)
        assert_headline(headline(url))  # and it goes on answering
        status, _, body = post_form(url, {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert status == 403 and b"SERVICE" in body  # the check still works after the burst
    finally:
        stop_server(proc)


def test_a_burst_of_mixed_queries_refusals_and_errors(server):
    """Refusals, syntax errors and answers at once: each gets its own right status."""
    calls = (
        [lambda: headline(server)] * 10
        + [lambda: post_form(server, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})] * 5
        + [lambda: post_form(server, {"query": "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }"})] * 5
        + [lambda: post_form(server, {"query": "SELECT * WHERE { ?s ?p }"})] * 5
    )
    answers = at_once(calls)
    for answer in answers[:10]:
        assert_headline(answer)
    assert [a[0] for a in answers[10:20]] == [403] * 10
    assert all(a[2] == b"refused: this is a SPARQL UPDATE; this endpoint only reads\n" for a in answers[10:15])
    assert all(b"FROM" in a[2] for a in answers[15:20])
    assert [a[0] for a in answers[20:]] == [400] * 5
    assert all(b"syntax error" in a[2] for a in answers[20:])


# -- huge and deep queries -------------------------------------------------------------------------

# 400 KB: over the 256 KiB a query may have, under the 1 MiB a request may have (percent-encoded)
TOO_LONG_QUERY = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(30_000)) + ") }"
SLOW_TO_CHECK = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(12_000)) + ") }"


@pytest.mark.parametrize("how", ["sparql-query body", "form field", "query string"])
def test_a_query_over_256_kib_is_refused_with_413(server, how):
    assert 262_144 < len(TOO_LONG_QUERY) < 1_000_000
    if how == "sparql-query body":
        status, _, body = http(server, TOO_LONG_QUERY.encode(), {"Content-Type": "application/sparql-query"})
    elif how == "form field":
        status, _, body = post_form(server, {"query": TOO_LONG_QUERY})
    else:
        status, _, body = http(server + "?" + urllib.parse.urlencode({"query": TOO_LONG_QUERY}))
    assert (status, body) == (413, b"refused: the query is larger than 262144 bytes (this endpoint's limit)\n")
    assert_headline(headline(server))


def test_a_request_over_a_megabyte_is_refused_by_its_announced_length(server):
    """Refused from the Content-Length alone, before the body is read (waitress's own 413)."""
    port = urllib.parse.urlsplit(server).port
    request = (
        f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 50000000\r\nConnection: close\r\n\r\nSELECT"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(request.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert_headline(headline(server))


def test_huge_queries_do_not_stop_other_clients(server):
    """Four huge queries at once (under the size limit, but seconds for the safety check to
    parse), four over it, and six ordinary clients: the ordinary clients get their answers."""
    assert len(SLOW_TO_CHECK.encode()) < 262_144
    huge = [lambda: post_form(server, {"query": SLOW_TO_CHECK})] * 4
    too_big = [lambda: http(server, TOO_LONG_QUERY.encode(), {"Content-Type": "application/sparql-query"})] * 4
    answers = at_once(huge + too_big + [lambda: headline(server)] * 6)
    for answer in answers[8:]:
        assert_headline(answer)
    for status, _, body in answers[:4]:
        assert status in (200, 503), body  # answered, or stopped at the 3 s limit
        if status == 503:
            assert body.startswith(b"query stopped after 3 s")
    assert [a[0] for a in answers[4:8]] == [413] * 4


@pytest.mark.parametrize("depth", [50, 200, 1000, 100_000])
def test_deeply_nested_braces_are_400(server, depth):
    query = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    status, headers, body = http(server, query.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400, body
    assert b"the query nests" in body and body.count(b"\n") == 1
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert_headline(headline(server))


def test_deeply_nested_parentheses_are_400(server):
    query = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 500 + "?o" + ")" * 500 + ") }"
    status, _, body = post_form(server, {"query": query})
    assert status == 400 and b"the query nests" in body and body.count(b"\n") == 1


@pytest.mark.parametrize(
    ("fields", "status", "start"),
    [
        ({"query": "ASK { ?s ?p ?o }", "default-graph-uri": "not an IRI"}, 400, b"query failed: "),
        ({"query": "ASK { ?s ?p \x00 }"}, 400, b"1:"),
        ({"query": "ASK { ?s ?p ?o }", "format": "png"}, 406, b"no acceptable result format: ask for "),
        (
            {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"},
            406,
            b"no acceptable result format: ask for text/turtle",
        ),
        ({"query": ""}, 400, b"no query: "),
    ],
    ids=["bad graph IRI", "NUL byte", "unknown format", "graph as CSV", "empty query"],
)
def test_odd_requests_get_a_4xx_and_the_server_goes_on(server, fields, status, start):
    answer = post_form(server, fields)
    assert (answer[0], answer[2][: len(start)]) == (status, start), answer[2]
    assert answer[2].count(b"\n") == 1
    assert_headline(headline(server))


def test_a_query_body_that_is_not_utf8_is_a_syntax_error(server):
    status, _, body = http(server, b"ASK { ?s ?p \xff\xfe }", {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"syntax error" in body


# -- CORS caches -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_kind", ["answer", "refusal", "syntax error", "preflight", "other origin", "no origin"]
)
def test_vary_origin_with_cors(server, request_kind):
    origin = {"Origin": "http://example.org"}
    if request_kind == "answer":
        status, headers, _ = get(server, HEADLINE, headers=origin)
    elif request_kind == "refusal":
        status, headers, _ = post_form(server, {"update": "CLEAR ALL"})
    elif request_kind == "syntax error":
        status, headers, _ = get(server, "SELECT * WHERE {", headers=origin)
    elif request_kind == "preflight":
        preflight = {**origin, "Access-Control-Request-Method": "POST"}
        status, headers, _ = http(server, None, preflight, method="OPTIONS")
    elif request_kind == "other origin":
        status, headers, _ = get(server, HEADLINE, headers={"Origin": "http://evil.example"})
    else:
        status, headers, _ = get(server, HEADLINE)
    assert status in (200, 400, 403)
    vary = [v.strip() for v in headers.get("Vary", "").split(",")]
    assert "Origin" in vary, headers.get("Vary")


def test_no_vary_origin_without_cors(built):
    proc, url = start_server(built, "--workers", "1")
    try:
        status, headers, _ = get(url, "ASK { ?s ?p ?o }", headers={"Origin": "http://example.org"})
        assert status == 200
        assert headers["Vary"] == "Accept"
        # a foreign Host is refused on this server too: the guard does not depend on --cors
        port = urllib.parse.urlsplit(url).port
        status, _, body = get(url, "ASK {}", headers={"Host": f"attacker.example:{port}"})
        assert status == 403 and b"attacker.example" in body
    finally:
        stop_server(proc)


# -- Host header (DNS rebinding) -------------------------------------------------------------------


def _host(server: str, host: str):
    return get(server, "ASK { ?s ?p ?o }", headers={"Host": host, "Accept": "text/csv"})


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example:{port}",
        "attacker.example",
        "127.0.0.1.attacker.example:{port}",
        "localhost.:{port}x",
        "127.0.0.1:1",
        "localhost:{port}0",
        "lab.example:8001",
        "",
    ],
)
def test_a_foreign_host_header_is_refused(server, host):
    port = urllib.parse.urlsplit(server).port
    status, _, body = _host(server, host.format(port=port))
    assert status == 403, body
    text = body.decode()
    assert text.startswith("refused: this server answers only requests to ")
    assert "--allow-host" in text and text.count("\n") == 1


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "kg.example", "kg.example:443", "lab.example:8000"],
)
def test_the_loopback_names_and_allowed_hosts_are_answered(server, host):
    port = urllib.parse.urlsplit(server).port
    status, _, body = _host(server, host.format(port=port))
    assert (status, body.strip()) == (200, b"true")


def test_allow_host_is_documented_in_help():
    result = invoke("serve", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--allow-host NAME Also answer requests whose Host header is NAME" in text
    assert "against DNS rebinding" in text


# -- the Host guard's rules, without a server ------------------------------------------------------


def _guard(host: str = "127.0.0.1", port: int = 7878, allow: tuple[str, ...] = ()):
    from pathlib import Path

    from kg.serve import HostGuard, ServeConfig

    return HostGuard.for_server(ServeConfig(Path("store"), host=host, port=port, allow_hosts=allow), port)


@pytest.mark.parametrize(
    ("guard", "host", "allowed"),
    [
        ({}, "[::1]:7878", True),
        ({}, "[::1]:7879", False),
        ({}, "[::1]", False),
        ({"port": 80}, "[::1]", True),
        ({"port": 80}, "localhost", True),
        ({}, "localhost", False),
        ({"host": "192.168.1.5"}, "192.168.1.5:7878", True),
        ({"host": "0.0.0.0"}, "0.0.0.0:7878", False),
        ({"host": "0.0.0.0"}, "my-laptop.local:7878", False),
        ({"host": "0.0.0.0", "allow": ("My-Laptop.local",)}, "my-laptop.local:7878", True),
        ({"allow": ("*",)}, "anything.example:1", True),
        ({"allow": ("lab.example:8000",)}, "lab.example", False),
    ],
)
def test_host_guard_rules(guard, host, allowed):
    assert _guard(**guard).allows(host) is allowed
