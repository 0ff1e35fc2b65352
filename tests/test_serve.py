"""`kg serve`: a real server process on 127.0.0.1 (any free port), queried over HTTP.

It answers the SPARQL 1.1 Protocol (GET, form POST, application/sparql-query POST) with the
W3C result formats by content negotiation, refuses every kind of UPDATE, stops a runaway
query at its time limit and keeps serving, cuts answers at the row limit, and sends CORS
headers only to the origins it was given."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT, SEED_CORPUS

HEADLINE = (ROOT / "queries" / "countries_coproducing_with_kazakhstan.rq").read_text(encoding="utf-8")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start_server(out, *options: str) -> tuple[subprocess.Popen, str]:
    """`python -m kg serve --port 0` on the built graph; returns the process and its /query URL
    once it says it listens (bounded wait)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "--project",
            str(SEED_CORPUS),
            "serve",
            "--out",
            str(out),
            "--port",
            "0",
            *options,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "SPARQL endpoint at" in line or proc.poll() is not None:
            break
    match = re.search(r"http://127\.0\.0\.1:\d+/query", line)
    if not match:
        stop_server(proc)
        pytest.fail(f"kg serve did not start: {line!r} {proc.stderr.read()}")
    return proc, match.group(0)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
    for stream in (proc.stdout, proc.stderr):
        stream.close()


@pytest.fixture(scope="module")
def server(built):
    proc, url = start_server(built, "--timeout", "1.5", "--max-rows", "50", "--cors", "http://example.org")
    yield url
    stop_server(proc)
    assert proc.returncode is not None


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) without raising on 4xx/5xx; bounded by a timeout."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(url: str, query: str, headers: dict | None = None):
    return http(url + "?" + urllib.parse.urlencode({"query": query}), headers=headers)


def post_form(url: str, fields: dict, accept: str | None = None):
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})}
    return http(url, urllib.parse.urlencode(fields).encode(), headers)


def test_get_answers_w3c_json_with_the_partners(server):
    status, headers, body = get(server, HEADLINE)
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    data = json.loads(body)
    assert data["head"]["vars"] == ["country", "label", "works"]
    labels = [row["label"]["value"] for row in data["results"]["bindings"]]
    assert labels == ["China", "Germany", "Poland", "Russia"]
    assert data["results"]["bindings"][0]["label"] == {"type": "literal", "value": "China", "xml:lang": "en"}


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("text/csv", "text/csv", b"country,label,works\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?country\t?label\t?works\n"),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ],
)
def test_post_form_negotiates_the_result_format(server, accept, media, marker):
    status, headers, body = post_form(server, {"query": HEADLINE}, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(media)
    assert marker in body and b"Poland" in body


def test_post_of_a_query_body(server):
    query = "SELECT ?name WHERE { <https://w3id.org/ca-film/id/country/kazakhstan> <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"
    headers = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    status, _, body = http(server, query.encode(), headers)
    assert status == 200
    assert body.decode().split() == ["name", "Kazakhstan", "Казахстан", "Қазақстан"]


def test_construct_in_turtle_and_406_for_what_it_cannot_write(server):
    query = "CONSTRUCT { ?c a <https://w3id.org/ca-film/ontology#Country> } WHERE { ?c a <https://w3id.org/ca-film/ontology#Country> } ORDER BY ?c"
    status, headers, body = post_form(server, {"query": query}, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b"<https://w3id.org/ca-film/id/country/kazakhstan>" in body
    status, _, _ = post_form(server, {"query": HEADLINE}, "image/png")
    assert status == 406


@pytest.mark.parametrize(
    "how",
    ["update field", "update in query field", "sparql-update body", "update path"],
)
def test_every_update_is_refused(server, how):
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    if how == "update field":
        status, _, body = post_form(server, {"update": update})
    elif how == "update in query field":
        status, _, body = post_form(server, {"query": update})
    elif how == "sparql-update body":
        status, _, body = http(server, update.encode(), {"Content-Type": "application/sparql-update"})
    else:
        status, _, body = post_form(server.replace("/query", "/update"), {"update": update})
    assert status == 403
    assert b"refused" in body
    status, _, body = get(server, "ASK { GRAPH <urn:x> { ?s ?p ?o } }", headers={"Accept": "text/csv"})
    assert (status, body.strip()) == (200, b"false")


def test_service_is_refused_and_a_syntax_error_is_400(server):
    status, _, body = post_form(
        server, {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}
    )
    assert (status, body) == (403, b"refused: SERVICE reaches the network; this endpoint does not allow it\n")
    status, _, body = post_form(server, {"query": "SELECT * WHERE { ?s ?p }"})
    assert (status, body) == (
        400,
        b"1:18: SPARQL syntax error: Expected SelectQuery (near 'SELECT * WHERE { ?s ?p }')\n",
    )


@pytest.mark.slow  # waits for the time limit, then for a new worker
def test_a_runaway_query_is_stopped_at_the_time_limit_and_the_server_goes_on(server):
    started = time.monotonic()
    status, _, body = post_form(server, {"query": RUNAWAY})
    assert status == 503
    assert b"stopped after 1.5 s" in body
    assert time.monotonic() - started < 15
    for _ in range(2):  # both workers (the killed one was replaced)
        status, _, body = post_form(server, {"query": HEADLINE}, "text/csv")
        assert status == 200 and b"Germany" in body


def test_answers_are_cut_at_the_row_limit(server):
    status, headers, body = post_form(server, {"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert headers["X-SPARQL-MaxRows"] == "50"
    status, headers, _ = get(server, HEADLINE)
    assert "X-SPARQL-MaxRows" not in headers


def test_cors_only_for_the_given_origin(server):
    _, headers, _ = get(server, HEADLINE, headers={"Origin": "http://example.org"})
    assert headers["Access-Control-Allow-Origin"] == "http://example.org"
    _, headers, _ = get(server, HEADLINE, headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = http(
        server, None, {"Origin": "http://example.org", "Access-Control-Request-Method": "POST"}, method="OPTIONS"
    )
    assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]


@pytest.mark.slow  # a server process of its own
def test_no_cors_by_default_and_loopback_only(built):
    proc, url = start_server(built, "--workers", "1")
    try:
        assert url.startswith("http://127.0.0.1:")
        status, headers, _ = get(url, "ASK { ?s ?p ?o }", headers={"Origin": "http://example.org"})
        assert status == 200
        assert "Access-Control-Allow-Origin" not in headers
    finally:
        stop_server(proc)
    assert proc.returncode is not None


@pytest.mark.slow  # a server process of its own
def test_in_memory_workers_answer_the_same(server, built):
    proc, url = start_server(built, "--workers", "1", "--in-memory")
    try:
        for accept in ("text/csv", "application/sparql-results+json"):
            ours = post_form(url, {"query": HEADLINE}, accept)
            theirs = post_form(server, {"query": HEADLINE}, accept)
            assert ours[0] == theirs[0] == 200
            assert ours[2] == theirs[2]
        labels = [row["label"]["value"] for row in json.loads(ours[2])["results"]["bindings"]]
        assert labels == ["China", "Germany", "Poland", "Russia"]
    finally:
        stop_server(proc)
