"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

What serves: a small Flask app (routing, content negotiation, CORS through flask-cors) run by
waitress (a production WSGI server, pure Python), over the build's Oxigraph store, which a few
worker processes open read-only. Why not the Oxigraph server (`oxigraph serve-read-only`),
measured here with 0.5.13: its --timeout-s did not stop an ORDER BY over a cross product
(still running after 30 s with a 2 s limit), a query it does cancel is answered
"200 OK" with a cut-off body, it has no row limit, and it runs SERVICE, so a loopback
endpoint would fetch any URL a web page asks it to. Here:

- each query runs in a worker process; at the time limit the worker is killed (pyoxigraph
  cannot be interrupted from inside) and replaced, and the client gets 503 with a message;
- a SELECT answers at most max_rows rows, a CONSTRUCT at most max_rows triples; a cut result
  carries the header X-SPARQL-MaxRows (as Virtuoso does);
- the query is checked as `kg query` checks it: UPDATE, SERVICE and FROM are refused (403).
  The check (rdflib's SPARQL parser) runs in the worker, inside the time limit: pyparsing is
  not safe to use from several threads (a burst on a fresh server broke every later request),
  and a parse can take long (a 157 KB FILTER of 12,000 alternatives: 70 s), so it must be
  stoppable like the query. A query nested too deeply for the parser is refused (400); it
  never reaches pyoxigraph, whose parser overflows its stack (the process dies) at 100,000
  braces;
- a query longer than MAX_QUERY_BYTES is refused (413) before it reaches a worker, a request
  longer than MAX_REQUEST_BYTES (waitress's 413) before it is read; a request waits for a free
  worker up to queue_wait(), first come, first served, so a few huge or slow queries delay
  other clients by at most a time limit or two instead of turning them away;
- a request whose Host header is not this server's loopback name or address, or a host
  the user allowed (--allow-host), is refused (403): a web page whose domain re-resolves
  to 127.0.0.1 (DNS rebinding) cannot read the endpoint through the visitor's browser;
- the default graph is the union of all graphs, as for `kg query`; default-graph-uri and
  named-graph-uri (SPARQL 1.1 Protocol) narrow it.

Results: the W3C formats by content negotiation (JSON, XML, CSV, TSV; Turtle, N-Triples and
RDF/XML for graphs), through pyoxigraph's serialisers. Bound to 127.0.0.1 unless told
otherwise; CORS is off unless origins are given.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from kg.errors import QueryError, ServeError

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "xml",
}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}


MAX_QUERY_BYTES = 256 * 1024  # a query's text; a form or URL may carry it percent-encoded
MAX_REQUEST_BYTES = 4 * MAX_QUERY_BYTES  # the body or header block waitress reads at most
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
TEXT = "text/plain; charset=utf-8"
READ_ONLY = "refused: this endpoint is read-only (SPARQL UPDATE is not accepted)"


@dataclass(frozen=True)
class ServeConfig:
    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0  # seconds per query
    max_rows: int = 10_000
    cors: tuple[str, ...] = ()  # allowed origins; "*" for any
    workers: int = 2
    in_memory: Path | None = None  # N-Quads each worker loads into memory instead of opening the store
    allow_hosts: tuple[str, ...] = ()  # Host names (NAME or NAME:PORT) answered besides loopback; "*": any


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the result format for each kind of query (None: the
    client accepts none; the worker learns the query's form when it checks it), and the dataset
    to query."""

    text: str
    results_format: str | None
    graph_format: str | None
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


# -- worker processes ------------------------------------------------------------------------


def _worker_main(conn, store_path: str, nquads: str | None = None) -> None:
    """A worker: open the store read-only once (or load the N-Quads into memory: queries about
    5x faster, measured at 1,000 articles, for the memory and the start-up time), then answer
    jobs until the pipe closes."""
    import pyoxigraph

    from kg.store import BuiltStore, in_memory

    store = BuiltStore(pyoxigraph.Store.read_only(store_path)) if nquads is None else in_memory(Path(nquads))
    check_query("ASK {}")  # import rdflib and build the SPARQL grammar before the first client
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        try:
            answer = answer_job(store, job)
        except Exception as exc:  # an evaluation error is the client's: say what it was
            answer = Answer(400, TEXT, f"query failed: {' '.join(str(exc).split())[:300]}\n".encode())
        conn.send(answer)


def check_query(text: str) -> str | Answer:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) when it may run here, else the
    refusal: kg query's own check, without network access, its words fitted to a server."""
    from kg.query import _check

    try:
        return _check(text, "query", allow_network=False, served=True)
    except QueryError as exc:  # the error's own words and status (kg.errors), minus the file name
        return Answer(exc.http_status, TEXT, f"{exc.detail}\n".encode())
    except RecursionError:  # the parser recurses per level of { } or ( )
        return Answer(
            400,
            TEXT,
            b"refused: the query nests too deeply (or is too long) for the SPARQL parser; "
            b"flatten its groups or split it\n",
        )


def answer_job(store, job: Job) -> Answer:
    """Check one query, run it on a pyoxigraph store and serialise at most job.max_rows rows."""
    import pyoxigraph

    form = check_query(job.text)
    if isinstance(form, Answer):
        return form
    graph = form in ("CONSTRUCT", "DESCRIBE")
    fmt = job.graph_format if graph else job.results_format
    if fmt is None:
        offers = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
        return Answer(406, TEXT, f"no acceptable result format: ask for {offers}\n".encode())
    options: dict = {"use_default_graph_as_union": not job.default_graphs}
    if job.default_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(iri) for iri in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [pyoxigraph.NamedNode(iri) for iri in job.named_graphs]
    try:
        result = store.query(job.text, **options)
    except SyntaxError as exc:
        return Answer(400, "text/plain; charset=utf-8", f"SPARQL syntax error: {exc}\n".encode())
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer(200, MEDIA[fmt], result.serialize(format=_results_format(fmt)))
    if isinstance(result, pyoxigraph.QueryTriples):
        triples = list(islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES}.get(
            fmt, pyoxigraph.RdfFormat.RDF_XML
        )
        body = pyoxigraph.serialize(triples[: job.max_rows], format=rdf_format)
        return Answer(200, MEDIA[fmt], body, truncated)
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in islice(result, job.max_rows + 1):
        rows.append({name: _json_term(solution[name]) for name in names if solution[name] is not None})
    truncated = len(rows) > job.max_rows
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": rows[: job.max_rows]}}).encode()
    if fmt != "json":  # the other formats through pyoxigraph's serialisers
        parsed = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
        data = parsed.serialize(format=_results_format(fmt))
    return Answer(200, MEDIA[fmt], data, truncated)


def _results_format(fmt: str):
    import pyoxigraph

    return {
        "json": pyoxigraph.QueryResultsFormat.JSON,
        "xml": pyoxigraph.QueryResultsFormat.XML,
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
    }[fmt]


def _json_term(term) -> dict:
    """One term in the W3C SPARQL 1.1 JSON results format."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {  # an RDF-star triple term
        "type": "triple",
        "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
    }


@dataclass
class _Worker:
    process: object
    conn: object


@dataclass
class WorkerPool:
    """Worker processes holding the store open. A query borrows an idle worker; a worker that
    overruns the time limit is killed and a fresh one takes its place."""

    store: Path
    size: int
    in_memory: Path | None = None
    idle: queue.Queue = field(default_factory=queue.Queue)
    _closed: bool = False

    def start(self) -> None:
        for _ in range(self.size):
            self.idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # no fork: the server runs threads
        parent, child = context.Pipe()
        nquads = str(self.in_memory) if self.in_memory else None
        process = context.Process(target=_worker_main, args=(child, str(self.store), nquads), daemon=True)
        process.start()
        child.close()
        while not parent.poll(1):  # loading into memory takes a while on a large graph
            if not process.is_alive():
                break
        try:
            ready = parent.recv() == "ready"
        except EOFError:
            ready = False
        if not ready:
            process.kill()
            raise ServeError(f"{self.store}: a query worker could not open the store")
        return _Worker(process, parent)

    def run(self, job: Job, timeout: float, wait: float) -> Answer | None:
        """The worker's answer, or None when the query ran out of time. A request waits at most
        `wait` seconds for a free worker (waiting requests are served first come, first served)."""
        try:
            worker = self.idle.get(timeout=wait)
        except queue.Empty:
            return Answer(503, "text/plain; charset=utf-8", b"every query worker is busy; try again\n")
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                answer = worker.conn.recv()
                self.idle.put(worker)
                return answer
        except (EOFError, OSError):  # the worker died (out of memory, say)
            self._replace(worker)
            return Answer(500, "text/plain; charset=utf-8", b"the query worker died; try again\n")
        self._replace(worker)
        return None

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        if not self._closed:  # start the replacement without holding up the reply
            threading.Thread(target=lambda: self.idle.put(self._spawn()), daemon=True).start()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                return
            worker.conn.close()
            worker.process.kill()
            worker.process.join()


# -- the web app ----------------------------------------------------------------------------


def queue_wait(timeout: float) -> float:
    """How long a request waits for a free worker: every busy worker is free, or killed and
    replaced, within one time limit, so a burst or a few huge queries delay the others rather
    than turn them away."""
    return max(30.0, 2 * timeout)


def create_app(config: ServeConfig, pool: WorkerPool):
    """The Flask app: /query (GET and POST, SPARQL 1.1 Protocol), /update refused, / a note.
    The Host guard names config.port; serve() replaces it once the port is known (--port 0)."""
    from flask import Flask, Response, request
    from werkzeug.exceptions import HTTPException

    app = Flask("kg.serve")
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST_BYTES
    app.config["KG_HOSTS"] = HostGuard.for_server(config, config.port)

    def plain(status: int, message: str) -> Response:
        return Response(message.rstrip("\n") + "\n", status=status, content_type=TEXT)

    @app.before_request
    def guard_host():
        hosts, host = app.config["KG_HOSTS"], request.headers.get("Host")
        if host is not None and not hosts.allows(host):  # no Host at all: HTTP/1.0, not a browser
            return plain(403, hosts.refusal(host))
        return None

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 413:
            return plain(413, f"refused: the request is larger than {MAX_REQUEST_BYTES} bytes")
        return plain(exc.code or 500, f"{exc.code} {exc.name}")

    @app.after_request
    def vary(response: Response) -> Response:
        if config.cors:  # an answer depends on the Origin: caches must keep them apart
            response.vary.add("Origin")
        return response

    @app.route("/")
    def index():
        return plain(
            200,
            f"kg SPARQL endpoint (read-only): GET or POST a query to /query. Limits: {config.timeout:g} s, "
            f"{config.max_rows} rows and {MAX_QUERY_BYTES} bytes per query. The default graph is the union of all graphs.",
        )

    @app.route("/update", methods=["GET", "POST"])
    def update():
        return plain(403, READ_ONLY)

    @app.route("/query", methods=["GET", "POST"])
    @app.route("/sparql", methods=["GET", "POST"])
    def sparql():
        text, problem = _query_text(request)
        if problem:
            return plain(*problem)
        if len(text.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
            return plain(413, f"refused: the query is larger than {MAX_QUERY_BYTES} bytes (this endpoint's limit)")
        job = Job(
            text,
            _negotiate(request, "SELECT"),
            _negotiate(request, "CONSTRUCT"),
            config.max_rows,
            tuple(request.values.getlist("default-graph-uri")),
            tuple(request.values.getlist("named-graph-uri")),
        )
        answer = pool.run(job, config.timeout, queue_wait(config.timeout))
        if answer is None:
            return plain(503, f"query stopped after {config.timeout:g} s (this endpoint's time limit)")
        response = Response(answer.body, status=answer.status, content_type=answer.content_type)
        if answer.truncated:
            response.headers["X-SPARQL-MaxRows"] = str(config.max_rows)
        response.vary.add("Accept")
        return response

    if config.cors:
        from flask_cors import CORS

        origins = "*" if "*" in config.cors else list(config.cors)
        CORS(app, origins=origins, methods=["GET", "POST", "OPTIONS"], expose_headers=["X-SPARQL-MaxRows"])
    return app


@dataclass(frozen=True)
class HostGuard:
    """Which Host headers this server answers (against DNS rebinding): the loopback names and
    the bound address with the server's port, and what --allow-host adds (NAME: any port;
    NAME:PORT: that port; "*": any host)."""

    exact: frozenset[str]  # host[:port] as a client sends it, lower case
    names: frozenset[str]  # host names allowed on any port
    anything: bool = False

    @classmethod
    def for_server(cls, config: ServeConfig, port: int) -> HostGuard:
        own = list(LOOPBACK_NAMES)
        if config.host not in WILDCARD_HOSTS:
            own.append(f"[{config.host}]" if ":" in config.host else config.host.lower())
        exact = {f"{name}:{port}" for name in own} | (set(own) if port == 80 else set())
        names = set()
        for allowed in config.allow_hosts:
            allowed = allowed.strip().lower()
            name, port_text = _split_host(allowed)
            if port_text is None:
                names.add(name)
            else:
                exact.add(allowed)
        return cls(frozenset(exact), frozenset(names), "*" in config.allow_hosts)

    def allows(self, host: str) -> bool:
        host = host.strip().lower()
        return self.anything or host in self.exact or _split_host(host)[0] in self.names

    def refusal(self, host: str) -> str:
        shown = host if len(host) <= 80 else host[:80] + "..."
        answered = ", ".join(sorted(self.exact | self.names))
        return (
            f"refused: this server answers only requests to {answered}, not to Host {shown!r} "
            "(a guard against DNS rebinding); start kg serve with --allow-host NAME to allow a name"
        )


def _split_host(host: str) -> tuple[str, str | None]:
    """'name:port' -> ('name', 'port'); '[::1]:80' -> ('[::1]', '80'); 'name' -> ('name', None)."""
    if host.startswith("["):  # an IPv6 address
        name, bracket, rest = host.partition("]")
        if bracket and rest.startswith(":") and rest[1:].isdigit():
            return name + bracket, rest[1:]
        return host, None
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        return name, port
    return host, None


def _query_text(request) -> tuple[str, tuple[int, str] | None]:
    """The query of a SPARQL 1.1 Protocol request: ?query=, a form field, or a
    application/sparql-query body. An update in any of those forms is refused."""
    content_type = (request.mimetype or "").lower()
    if request.method == "POST" and content_type == "application/sparql-update":
        return "", (403, READ_ONLY)
    if "update" in request.values:
        return "", (403, READ_ONLY)
    if request.method == "POST" and content_type == "application/sparql-query":
        return request.get_data(as_text=True), None
    text = request.values.get("query")
    if not text:
        return "", (400, "no query: send ?query=... (GET), a query form field, or an application/sparql-query body")
    return text, None


def _offers(form: str) -> list[str]:
    return list(GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES)


def _negotiate(request, form: str) -> str | None:
    """The result format: ?format= (json, xml, csv, tsv, turtle, ntriples) first, else the
    Accept header; None when nothing offered is acceptable."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    types = GRAPH_TYPES if graph else RESULT_TYPES
    asked = request.values.get("format")
    if asked:
        names = {"xml": "rdfxml"} if graph else {}
        wanted = names.get(asked, asked)
        allowed = set(types.values()) | ({"rdfxml"} if graph else set())
        return wanted if wanted in allowed else None
    if not request.accept_mimetypes:  # no Accept header: the first offer (JSON, or Turtle)
        return "turtle" if graph else "json"
    best = request.accept_mimetypes.best_match(list(types))
    if best is None:
        return None
    fmt = types[best]
    return "rdfxml" if graph and fmt == "xml" else fmt


def serve(config: ServeConfig, announce=print) -> None:
    """Start the workers and serve until interrupted (Ctrl-C or SIGTERM)."""
    import signal

    from waitress import create_server

    pool = WorkerPool(config.store, config.workers, config.in_memory)
    pool.start()
    try:
        app = create_app(config, pool)
        server = create_server(
            app,
            host=config.host,
            port=config.port,
            threads=max(8, 4 * config.workers),  # requests waiting for a worker hold a thread each
            max_request_body_size=MAX_REQUEST_BYTES,
            max_request_header_size=MAX_REQUEST_BYTES,
        )
        port = getattr(server, "effective_port", config.port)
        app.config["KG_HOSTS"] = HostGuard.for_server(config, port)
        announce(
            f"kg serve: SPARQL endpoint at http://{config.host}:{port}/query (read-only; "
            f"{config.timeout:g} s and {config.max_rows} rows per query; "
            f"CORS: {', '.join(config.cors) if config.cors else 'off'}). Ctrl-C stops it."
        )
        if config.host not in ("127.0.0.1", "localhost", "::1"):
            announce(f"warning: listening on {config.host}, not only on this machine")
        if config.host in WILDCARD_HOSTS and not config.allow_hosts:
            announce("warning: only requests to this machine's loopback names are answered; add --allow-host NAME")

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        pool.close()
