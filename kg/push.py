"""`kg push`: upload the build to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

Each named graph of OUT/graph.nq (one per article, plus provenance, metadata, entities and
ontology) goes to the server as the same named graph, in batches: the first batch PUT
(replacing what the server held in that graph), the rest POSTed (added). Batches are
N-Triples, which every server reads alike (Virtuoso mis-reads some Turtle local names). A
graph holding blank nodes (the ontology's lists) goes in one request, since blank node labels
only mean something within one document.

The quads are read from graph.nq a batch at a time (the push's memory does not grow with the
build), not from the Oxigraph store: the store keeps
xsd:nonNegativeInteger as xsd:integer, and the server should get what the build wrote.

After the upload, the SPARQL endpoint is asked how many triples each graph holds, and the
push fails when a graph does not hold what was sent. A refusal (read-only server, wrong
password) stops at once with the server's own words and how far the upload got.

Time limit: --timeout bounds each request from connecting to the last byte of the answer
(kg.httpclient, the HTTP client kg query --endpoint uses too). An answer that is not what the protocol
promises (a count that is not SPARQL JSON results, an HTML error page) is one line naming the
server and what was wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from kg.errors import PushError, PushTimeout
from kg.httpclient import HttpClient, first_line, one_line

if TYPE_CHECKING:
    import requests
    from pyoxigraph import Triple

BATCH = 20_000  # triples per request
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PushReport:
    graphs: int
    triples: int
    requests: int
    graph_store: str
    verified: bool


def password_for(user: str | None, ask: Callable[[str], str]) -> str | None:
    """The password for --user: $KG_ENDPOINT_PASSWORD, else asked (`ask`, the CLI's prompt);
    None without a user."""
    import os

    if user is None:
        return None
    return os.environ.get("KG_ENDPOINT_PASSWORD") or ask(f"password for {user}")


def default_graph_store(endpoint: str) -> str:
    """Oxigraph's layout: the query endpoint .../query, the Graph Store .../store. Other servers
    name theirs differently (Fuseki .../data, Virtuoso /sparql-graph-crud-auth): pass it."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"--endpoint {endpoint!r}: give an http:// or https:// URL")
    path = parts.path.rstrip("/")
    if not path.endswith("/query"):
        raise PushError(
            f"--endpoint {endpoint}: cannot guess its Graph Store URL; pass --graph-store "
            "(Fuseki: .../DATASET/data, Virtuoso: .../sparql-graph-crud-auth, GraphDB: .../repositories/ID/rdf-graphs/service)"
        )
    return urlunsplit((parts.scheme, parts.netloc, path[: -len("query")] + "store", "", ""))


def graph_batches(nquads: Path, size: int) -> Iterator[tuple[str, bool, list[Triple]]]:
    """The build's quads as batches (graph IRI, the graph's first batch?, its triples), read a
    quad at a time: the push holds one batch, not the file (graph.nq of 20,000 articles took
    4 GB as pyoxigraph triples). The build writes each graph's quads together; a graph that
    comes back after another one is added to (POST), never replaced. From a graph's first
    blank node on, its triples stay in one batch (see the module's notes)."""
    import pyoxigraph

    blank = pyoxigraph.BlankNode
    seen: set[str] = set()
    name: str | None = None
    batch: list[Triple] = []
    first = whole = False
    for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
        here = "" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
        if here != name:
            if name is not None and batch:
                yield name, first, batch
            name, batch, whole = here, [], False
            first = here not in seen
            seen.add(here)
        triple = quad.triple
        whole = whole or isinstance(triple.subject, blank) or isinstance(triple.object, blank)
        batch.append(triple)
        if len(batch) >= size and not whole:
            yield here, first, batch
            batch, first = [], False
    if name is not None and batch:
        yield name, first, batch


def count_quads(nquads: Path) -> int:
    """The lines of graph.nq (one quad each, as the build writes it): the progress bar's total."""
    lines = 0
    with open(nquads, "rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
    return lines


def push(
    nquads: Path,
    endpoint: str,
    graph_store: str | None = None,
    batch: int = BATCH,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
    verify: bool = True,
    progress: Progress | None = None,
    total: int | None = None,
) -> PushReport:
    """Upload every graph of the N-Quads file, then check the counts on the endpoint. total:
    its quads, for the progress bar (the build's manifest has them; counted when not given)."""
    import pyoxigraph

    store_url = graph_store or default_graph_store(endpoint)
    if progress and total is None:
        total = count_quads(nquads)
    client = HttpClient(timeout, PushError, user, password)
    sent = calls = 0
    counts: dict[str, int] = {}  # graph IRI -> triples sent
    for name, first, chunk in graph_batches(nquads, batch):
        params = {"graph": name} if name else {"default": ""}
        body = pyoxigraph.serialize(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
        method = "PUT" if first else "POST"
        response = client.send(
            method,
            store_url,
            _too_slow(method, store_url, timeout),
            params=params,
            data=body,
            headers={"Content-Type": "application/n-triples"},
        )
        calls += 1
        if response.status_code not in (200, 201, 204):
            done = len(counts) - (name in counts)  # the graphs whole before this one
            raise PushError(
                f"{store_url}: the server refused {method} of graph <{name or 'default'}>: "
                f"HTTP {response.status_code} {one_line(str(response.reason or ''))}{first_line(response.text)} "
                f"({done} graphs were uploaded before)"
            )
        sent += len(chunk)
        counts[name] = counts.get(name, 0) + len(chunk)
        if progress:
            progress("uploading triples", sent, total or sent)
    if verify:
        _verify(endpoint, counts, client)
    return PushReport(len(counts), sent, calls, store_url, verify)


def _too_slow(method: str, url: str, timeout: float) -> Callable[[], PushTimeout]:
    return lambda: PushTimeout(
        f"{url}: no complete answer to {method} within {timeout:g} s (the --timeout limit per request)"
    )


def _verify(endpoint: str, graphs: dict[str, int], client: HttpClient) -> None:
    """Each graph on the server holds as many triples as were sent."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = client.send(
        "POST",
        endpoint,
        _too_slow("POST", endpoint, client.timeout),
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    if response.status_code != 200:
        raise PushError(
            f"{endpoint}: uploaded, but the count query was refused: HTTP {response.status_code}{first_line(response.text)}"
        )
    counts = _counts(endpoint, response)
    wrong = [(name, sent, counts.get(name, 0)) for name, sent in sorted(graphs.items()) if name]
    wrong = [item for item in wrong if item[1] != item[2]]
    if wrong:
        shown = "; ".join(f"<{name}> sent {sent}, holds {held}" for name, sent, held in wrong[:3])
        raise PushError(f"{endpoint}: {len(wrong)} graph(s) do not hold what was sent: {shown}")


def _counts(endpoint: str, response: requests.Response) -> dict[str, int]:
    """Graph IRI -> triples, from the count query's answer; anything but SPARQL 1.1 JSON results
    with an IRI ?g and a whole number ?n per row is refused in one line naming the server."""
    problem = f"{endpoint}: the answer to the count query"
    kind = response.headers.get("Content-Type") or "no Content-Type"
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise PushError(f"{problem} is not JSON ({one_line(kind)}{first_line(response.text)})") from None
    results = data.get("results") if isinstance(data, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise PushError(f"{problem} is JSON but not SPARQL results: it has no results.bindings list")
    counts: dict[str, int] = {}
    for number, row in enumerate(bindings, 1):
        if not isinstance(row, dict):
            raise PushError(f"{problem}: result {number} is not a JSON object")
        if "g" not in row:  # a server may report the default graph with ?g unbound
            continue
        graph, count = row.get("g"), row.get("n")
        name = graph.get("value") if isinstance(graph, dict) else None
        value = count.get("value") if isinstance(count, dict) else None
        if not isinstance(name, str):
            raise PushError(f"{problem}: result {number} has no graph IRI in ?g")
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,18}", value.strip()):
            raise PushError(f"{problem}: result {number} has no whole number in ?n (got {_excerpt(value)})")
        counts[name] = int(value)
    return counts


def _excerpt(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."
