"""SPARQL from files: safety checks, execution, and result formats.

Safety first: a query file is parsed (rdflib's SPARQL parser) before anything runs. An UPDATE
is refused (kg only reads). SERVICE and FROM / FROM NAMED would make the engine fetch from
the network or read other files, so they are refused unless the caller allows network access.
Execution uses pyoxigraph over the built N-Quads, with the default graph as the union of all
graphs. Results use the engine's W3C serialisers (JSON, XML, CSV, TSV).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")


@dataclass(frozen=True)
class QueryFile:
    path: Path
    display: str
    text: str
    title: str
    question: str
    columns: tuple[str, ...]
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


def read_query(path: Path, display: str) -> QueryFile:
    """Read a .rq file and its comment header (# Title:, # Question:, # Columns:)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise QueryError(f"{display}: no such query file") from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"{display}: not UTF-8 (byte offset {exc.start})") from None
    header = _header(text)
    return QueryFile(
        path=path,
        display=display,
        text=text,
        title=header.get("title", path.stem.replace("_", " ")),
        question=header.get("question", ""),
        columns=tuple(c.strip() for c in header.get("columns", "").split(";") if c.strip()),
        form=_check(text, display, allow_network=True),
    )


def _header(text: str) -> dict[str, str]:
    """The leading comment block: '# Key: value' lines, continuation lines appended."""
    fields: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:].strip()
        match = re.match(r"^([A-Za-z]+):\s*(.*)$", body)
        if match:
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif key and body:
            fields[key] = f"{fields[key]} {body}"
    return fields


def check_query(query: QueryFile, allow_network: bool) -> None:
    _check(query.text, query.display, allow_network)


def _check(text: str, display: str, allow_network: bool) -> str:
    """Parse the query; refuse updates and network access. Returns the query form."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(
                f"{display}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg} (near {_near(exc)!r})"
            ) from None
        raise QueryError(f"{display}: refused: this is a SPARQL UPDATE; kg query only reads") from None
    query = parsed[1]
    form = query.name.replace("Query", "").upper()
    if not allow_network:
        if "datasetClause" in query:
            raise QueryError(
                f"{display}: refused: FROM / FROM NAMED can load remote or local data; pass --allow-network to permit it"
            )
        if _has_service(query):
            raise QueryError(f"{display}: refused: SERVICE reaches the network; pass --allow-network to permit it")
    return form


def _near(exc) -> str:
    line = exc.line or ""
    return line.strip()[:40]


def _has_service(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(value) for value in node.values())
    if isinstance(node, (list, tuple)):
        return any(_has_service(item) for item in node)
    return False


def load_store(nquads: Path):
    """An in-memory Oxigraph store holding the built dataset."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def parse_bindings(pairs: tuple[str, ...]) -> dict:
    """NAME=VALUE pairs -> pyoxigraph substitutions. VALUE is an entity id (person/akan-sataev),
    an <IRI>, or else a plain string literal."""
    import pyoxigraph

    from kg.iris import ID, ID_PATTERN

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--bind {pair!r}: write NAME=VALUE, like entity=person/akan-sataev")
        if value.startswith("<") and value.endswith(">"):
            term = pyoxigraph.NamedNode(value[1:-1])
        elif ID_PATTERN.match(value):
            term = pyoxigraph.NamedNode(ID + value)
        else:
            term = pyoxigraph.Literal(value)
        out[pyoxigraph.Variable(name)] = term
    return out


def run(query: QueryFile, store, result_format: str, prefixes: dict[str, str], bindings: dict | None = None) -> str:
    """Run the query and render its result as text in the chosen format."""
    import pyoxigraph

    if result_format not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {result_format!r} (one of {', '.join(RESULT_FORMATS)})")
    try:
        result = store.query(query.text, use_default_graph_as_union=True, substitutions=bindings or None)
    except SyntaxError as exc:
        raise QueryError(f"{query.display}: SPARQL syntax error: {exc}") from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"{query.display}: query failed: {exc}") from None

    if isinstance(result, pyoxigraph.QueryTriples):
        return _graph_as_turtle(result, prefixes)
    if isinstance(result, pyoxigraph.QueryBoolean):
        if result_format == "table":
            return "yes\n" if bool(result) else "no\n"
        if result_format in ("csv", "tsv"):
            return "true\n" if bool(result) else "false\n"
    if result_format == "table":
        return table(result, prefixes)
    fmt = {
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
        "json": pyoxigraph.QueryResultsFormat.JSON,
        "xml": pyoxigraph.QueryResultsFormat.XML,
    }[result_format]
    return result.serialize(format=fmt).decode("utf-8")


def rows(query: QueryFile, store) -> list[dict[str, str]]:
    """SELECT rows as plain strings (IRIs as IRIs, literals as their lexical form)."""
    result = store.query(query.text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{name: _plain(solution[name]) for name in names} for solution in result]


def _plain(term) -> str:
    return "" if term is None else term.value


def _graph_as_turtle(triples, prefixes: dict[str, str]) -> str:
    import pyoxigraph

    return pyoxigraph.serialize(list(triples), format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def _short(term, prefixes: dict[str, str]) -> str:
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        best = max((ns for ns in prefixes.values() if term.value.startswith(ns)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in prefixes.items() if ns == best)
            return f"{prefix}:{term.value[len(best) :]}"
        return term.value
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


def table(result, prefixes: dict[str, str]) -> str:
    """A readable table for a terminal (rich), IRIs shortened with the project's prefixes."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    names = [v.value for v in result.variables]
    grid = Table(*names, show_lines=False)
    count = 0
    for solution in result:
        grid.add_row(*(Text(_short(solution[name], prefixes)) for name in names))
        count += 1
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=False, color_system=None)
    console.print(grid)
    console.print(f"{count} row{'s' if count != 1 else ''}")
    return buffer.getvalue()


def resolve_query_path(corpus, query_file: Path) -> Path:
    """A path as given, or else a file of that name in the corpus's queries/ folder."""
    if query_file.is_file():
        return query_file
    candidate = corpus.queries_dir / query_file.name
    if candidate.is_file():
        return candidate
    raise QueryError(f"{query_file}: no such query file (nor in {corpus.display(corpus.queries_dir)}/)")


INFERRED_FILE = "inferred.nq"


def open_store(corpus, out_dir: Path, data_file: Path | None = None, inferred: bool = False):
    """The store a query runs on: the given RDF file, or the build (rebuilt when stale).

    With inferred, the reasoner's output (OUT/inferred.nq, graph/inferred, written by
    `kg reason`) is loaded beside the asserted graphs."""
    if data_file is not None:
        import pyoxigraph

        try:
            fmt = pyoxigraph.RdfFormat.from_extension(data_file.suffix.lstrip("."))
        except ValueError:
            fmt = None
        if fmt is None:
            raise QueryError(f"{data_file}: unknown RDF file extension (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)")
        store = pyoxigraph.Store()
        try:
            store.bulk_load(path=str(data_file), format=fmt)
        except (SyntaxError, OSError, ValueError) as exc:
            raise QueryError(f"{data_file}: cannot load: {exc}") from None
        return store
    from kg.build import OUTPUTS, ensure_built

    ensure_built(corpus, out_dir)
    store = load_store(out_dir / OUTPUTS["nquads"])
    if inferred:
        import pyoxigraph

        path = out_dir / INFERRED_FILE
        if not path.is_file():
            raise QueryError(f"{path}: no inferred graph yet; run `kg reason` first")
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def run_query_file(
    corpus,
    query_file: Path,
    result_format: str,
    data_file: Path | None,
    allow_network: bool,
    out_dir: Path,
    bind: tuple[str, ...] = (),
    inferred: bool = False,
    timeout: float | None = None,
) -> str:
    """What `kg query` does: read and check the file, open the store, run, render."""
    from kg.iris import PREFIXES

    path = resolve_query_path(corpus, query_file)
    query = read_query(path, corpus.display(path))
    check_query(query, allow_network)
    bindings = parse_bindings(bind)
    store = open_store(corpus, out_dir, data_file, inferred)
    if timeout is not None:  # in a child process that is killed at the limit (kg.limits)
        from kg.limits import call_with_timeout

        args = (query, store, result_format, PREFIXES, bindings)
        return call_with_timeout(run, args, timeout, query.display, QueryError)
    return run(query, store, result_format, PREFIXES, bindings)


def library(corpus) -> list[QueryFile]:
    """The corpus's query files with their headers, for `kg queries`."""
    return [read_query(path, corpus.display(path)) for path in corpus.query_files()]
