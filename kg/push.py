"""`kg push`: upload the build to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

Each named graph of OUT/graph.nq (one per article, plus provenance, metadata, entities and
ontology) goes to the server as the same named graph, in batches: the first batch PUT
(replacing what the server held in that graph), the rest POSTed (added). Batches are
N-Triples, which every server reads alike (Virtuoso mis-reads some Turtle local names). A
graph holding blank nodes (the ontology's lists) goes in one request, since blank node labels
only mean something within one document.

The quads come from graph.nq, not from the Oxigraph store: the store keeps
xsd:nonNegativeInteger as xsd:integer, and the server should get what the build wrote.

After the upload, the SPARQL endpoint is asked how many triples each graph holds, and the
push fails when a graph does not hold what was sent. A refusal (read-only server, wrong
password) stops at once with the server's own words and how far the upload got.

Time limit: --timeout bounds each request from connecting to the last byte of the answer.
requests' own timeout only bounds each read, so a server trickling a byte now and then held a
push for ever; here each request runs in a daemon thread that the push stops waiting for at
its deadline (the CLI then exits, ending the thread). An answer that is not what the protocol
promises (a count that is not SPARQL JSON results, an HTML error page) is one line naming the
server and what was wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kg.errors import PushError, PushTimeout

BATCH = 20_000  # triples per request
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PushReport:
    graphs: int
    triples: int
    requests: int
    graph_store: str
    verified: bool


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


def read_graphs(nquads: Path) -> dict[str, list]:
    """The build's quads grouped by named graph IRI, as pyoxigraph triples."""
    import pyoxigraph

    graphs: dict[str, list] = {}
    for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
        name = "" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, []).append(quad.triple)
    return graphs


def batches(triples: list, size: int) -> list[list]:
    """size triples per batch; a graph with blank nodes stays whole (see the module notes)."""
    import pyoxigraph

    blank = pyoxigraph.BlankNode
    if any(isinstance(t.subject, blank) or isinstance(t.object, blank) for t in triples):
        return [triples]
    return [triples[i : i + size] for i in range(0, len(triples), size)] or [[]]


class _Client:
    """One HTTP session (kept alive) with the server's own authentication scheme: the first
    401 says whether it wants Digest (Virtuoso) or Basic."""

    def __init__(self, user: str | None, password: str | None, timeout: float):
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kg"
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, method: str, url: str, **kwargs):
        """The response, complete, within self.timeout seconds of wall-clock time, or PushTimeout."""
        from kg.limits import call_with_deadline

        def too_slow() -> PushTimeout:
            return PushTimeout(
                f"{url}: no complete answer to {method} within {self.timeout:g} s (the --timeout limit per request)"
            )

        return call_with_deadline(lambda: self._send(method, url, **kwargs), (), self.timeout, too_slow)

    def _send(self, method: str, url: str, **kwargs):
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            if response.status_code == 401 and self.user is not None and self.session.auth is None:
                challenge = response.headers.get("WWW-Authenticate", "").lower()
                scheme = HTTPDigestAuth if challenge.startswith("digest") else HTTPBasicAuth
                self.session.auth = scheme(self.user, self.password or "")
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            detail = _one_line(str(exc))
            if isinstance(exc, requests.ConnectionError) and "Connection aborted" not in detail:
                raise PushError(f"cannot reach {url}: {detail[:300]}") from None
            raise PushError(f"{url}: no complete HTTP answer to {method}: {detail[:300]}") from None
        return response


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
) -> PushReport:
    """Upload every graph of the N-Quads file, then check the counts on the endpoint."""
    import pyoxigraph

    store_url = graph_store or default_graph_store(endpoint)
    graphs = read_graphs(nquads)
    total = sum(len(triples) for triples in graphs.values())
    client = _Client(user, password, timeout)
    sent = calls = 0
    for done_graphs, (name, triples) in enumerate(sorted(graphs.items())):
        params = {"graph": name} if name else {"default": ""}
        for n, chunk in enumerate(batches(triples, batch)):
            body = pyoxigraph.serialize(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
            method = "PUT" if n == 0 else "POST"
            response = client.send(
                method, store_url, params=params, data=body, headers={"Content-Type": "application/n-triples"}
            )
            calls += 1
            if response.status_code not in (200, 201, 204):
                raise PushError(
                    f"{store_url}: the server refused {method} of graph <{name or 'default'}>: "
                    f"HTTP {response.status_code} {_one_line(str(response.reason or ''))}{_detail(response.text)} "
                    f"({done_graphs} of {len(graphs)} graphs were uploaded before)"
                )
            sent += len(chunk)
            if progress:
                progress("uploading triples", sent, total)
    if verify:
        _verify(endpoint, graphs, client)
    return PushReport(len(graphs), total, calls, store_url, verify)


def _verify(endpoint: str, graphs: dict[str, list], client: _Client) -> None:
    """Each graph on the server holds as many triples as were sent."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = client.send(
        "POST",
        endpoint,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    if response.status_code != 200:
        raise PushError(
            f"{endpoint}: uploaded, but the count query was refused: HTTP {response.status_code}{_detail(response.text)}"
        )
    counts = _counts(endpoint, response)
    wrong = [(name, len(triples), counts.get(name, 0)) for name, triples in sorted(graphs.items()) if name]
    wrong = [item for item in wrong if item[1] != item[2]]
    if wrong:
        shown = "; ".join(f"<{name}> sent {sent}, holds {held}" for name, sent, held in wrong[:3])
        raise PushError(f"{endpoint}: {len(wrong)} graph(s) do not hold what was sent: {shown}")


def _counts(endpoint: str, response) -> dict[str, int]:
    """Graph IRI -> triples, from the count query's answer; anything but SPARQL 1.1 JSON results
    with an IRI ?g and a whole number ?n per row is refused in one line naming the server."""
    problem = f"{endpoint}: the answer to the count query"
    kind = response.headers.get("Content-Type") or "no Content-Type"
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise PushError(f"{problem} is not JSON ({_one_line(kind)}{_detail(response.text)})") from None
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


def _excerpt(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


def _one_line(text: str) -> str:
    """Server-given text fit for one terminal line: whitespace runs as one space, control and
    other unprintable characters escaped (a server may answer NUL bytes)."""
    text = " ".join(text.split())
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _detail(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text or "")  # some servers answer errors in HTML
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return f": {_one_line(line[:200])}" if line else ""
