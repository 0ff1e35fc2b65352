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
- the query is checked as `kg query` checks it: UPDATE, SERVICE and FROM are refused (403);
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

from kg.errors import KgError, QueryError

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


class ServeError(KgError):
    exit_code = 1


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


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the result format, and the dataset to query."""

    text: str
    fmt: str
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
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        try:
            answer = answer_job(store, job)
        except Exception as exc:  # an evaluation error is the client's: say what it was
            answer = Answer(400, "text/plain; charset=utf-8", f"query failed: {exc}\n".encode())
        conn.send(answer)


def answer_job(store, job: Job) -> Answer:
    """Run one query on a pyoxigraph store and serialise at most job.max_rows rows."""
    import pyoxigraph

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
        return Answer(200, MEDIA[job.fmt], result.serialize(format=_results_format(job.fmt)))
    if isinstance(result, pyoxigraph.QueryTriples):
        triples = list(islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        fmt = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES}.get(
            job.fmt, pyoxigraph.RdfFormat.RDF_XML
        )
        return Answer(200, MEDIA[job.fmt], pyoxigraph.serialize(triples[: job.max_rows], format=fmt), truncated)
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in islice(result, job.max_rows + 1):
        rows.append({name: _json_term(solution[name]) for name in names if solution[name] is not None})
    truncated = len(rows) > job.max_rows
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": rows[: job.max_rows]}}).encode()
    if job.fmt != "json":  # the other formats through pyoxigraph's serialisers
        parsed = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
        data = parsed.serialize(format=_results_format(job.fmt))
    return Answer(200, MEDIA[job.fmt], data, truncated)


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

    def run(self, job: Job, timeout: float) -> Answer | None:
        """The worker's answer, or None when the query ran out of time."""
        try:
            worker = self.idle.get(timeout=timeout)
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


def create_app(config: ServeConfig, pool: WorkerPool):
    """The Flask app: /query (GET and POST, SPARQL 1.1 Protocol), /update refused, / a note."""
    from flask import Flask, Response, request

    from kg.query import _check

    app = Flask("kg.serve")

    def plain(status: int, message: str) -> Response:
        return Response(message.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8")

    @app.route("/")
    def index():
        return plain(
            200,
            f"kg SPARQL endpoint (read-only): GET or POST a query to /query. Limits: {config.timeout:g} s "
            f"and {config.max_rows} rows per query. The default graph is the union of all graphs.",
        )

    @app.route("/update", methods=["GET", "POST"])
    def update():
        return plain(403, "refused: this endpoint is read-only (SPARQL UPDATE is not accepted)")

    @app.route("/query", methods=["GET", "POST"])
    @app.route("/sparql", methods=["GET", "POST"])
    def sparql():
        text, problem = _query_text(request)
        if problem:
            return plain(*problem)
        try:
            form = _check(text, "query", allow_network=False)
        except QueryError as exc:
            message = str(exc).removeprefix("query").lstrip(": ")
            message = message.replace("pass --allow-network to permit it", "this endpoint does not allow it")
            message = message.replace("kg query only reads", "this endpoint only reads")
            return plain(403 if message.startswith("refused") else 400, message)
        fmt = _negotiate(request, form)
        if fmt is None:
            return plain(406, "no acceptable result format: ask for " + ", ".join(_offers(form)))
        default_graphs = tuple(request.values.getlist("default-graph-uri"))
        named_graphs = tuple(request.values.getlist("named-graph-uri"))
        answer = pool.run(Job(text, fmt, config.max_rows, default_graphs, named_graphs), config.timeout)
        if answer is None:
            return plain(503, f"query stopped after {config.timeout:g} s (this endpoint's time limit)")
        response = Response(answer.body, status=answer.status, content_type=answer.content_type)
        if answer.truncated:
            response.headers["X-SPARQL-MaxRows"] = str(config.max_rows)
        response.headers["Vary"] = "Accept"
        return response

    if config.cors:
        from flask_cors import CORS

        origins = "*" if "*" in config.cors else list(config.cors)
        CORS(app, origins=origins, methods=["GET", "POST", "OPTIONS"], expose_headers=["X-SPARQL-MaxRows"])
    return app


def _query_text(request) -> tuple[str, tuple[int, str] | None]:
    """The query of a SPARQL 1.1 Protocol request: ?query=, a form field, or a
    application/sparql-query body. An update in any of those forms is refused."""
    content_type = (request.mimetype or "").lower()
    if request.method == "POST" and content_type == "application/sparql-update":
        return "", (403, "refused: this endpoint is read-only (SPARQL UPDATE is not accepted)")
    if "update" in request.values:
        return "", (403, "refused: this endpoint is read-only (SPARQL UPDATE is not accepted)")
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
        server = create_server(app, host=config.host, port=config.port, threads=max(4, 2 * config.workers))
        port = getattr(server, "effective_port", config.port)
        announce(
            f"kg serve: SPARQL endpoint at http://{config.host}:{port}/query (read-only; "
            f"{config.timeout:g} s and {config.max_rows} rows per query; "
            f"CORS: {', '.join(config.cors) if config.cors else 'off'}). Ctrl-C stops it."
        )
        if config.host not in ("127.0.0.1", "localhost", "::1"):
            announce(f"warning: listening on {config.host}, not only on this machine")

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
