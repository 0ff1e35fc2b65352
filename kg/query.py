"""SPARQL from files: safety checks, execution, and result formats.

Safety first: a query file is parsed (rdflib's SPARQL parser) before anything runs. An UPDATE
is refused (kg only reads). SERVICE and FROM / FROM NAMED would make the engine fetch from
the network or read other files, so they are refused unless the caller allows network access.
Engines: pyoxigraph over the store the build writes (OUT/store, opened read-only: no parsing),
rdflib over the built N-Quads (the reference, slow at scale), or any SPARQL 1.1 endpoint
(--endpoint). The default graph is the union of all graphs. Every engine's result is turned
into pyoxigraph objects and printed by one renderer through pyoxigraph's W3C serialisers
(JSON, XML, CSV, TSV), so the same rows print the same whichever engine found them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.built import Build, OpenBuild
from kg.errors import LabelMiss, QueryError, QueryRefused, QuerySyntaxError, UnknownChoice

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


def read_query(path: Path, display: str, *, check: bool = True) -> QueryFile:
    """Read a .rq file and its comment header (# Title:, # Question:, # Columns:).
    check=False skips rdflib's parse (about 0.4 s a query) for a caller whose engine parses
    the query anyway (kg site runs the library on Oxigraph): the form is then read by
    query_form."""
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
        form=_check(text, display, allow_network=True) if check else (query_form(text) or "SELECT"),
    )


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside comments, strings and
    IRIs (a PREFIX line's IRI may hold '#'), without parsing the query."""
    code = _TOKEN.sub(lambda m: m.group() if m.group() in "{}()" else " ", text)
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code)
    return match.group(1).upper() if match else None


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


def _check(text: str, display: str, allow_network: bool, served: bool = False) -> str:
    """Parse the query; refuse updates and network access. Returns the query form.

    `served`: the query came to kg serve, so a refusal says what the endpoint does rather
    than which kg query option would allow it."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from kg.limits import query_nesting_problem

    if (too_deep := query_nesting_problem(text)) is not None:  # the parser recurses per level
        raise QuerySyntaxError(display, too_deep[0], None, too_deep[1])
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QuerySyntaxError(
                display, exc.lineno, exc.col, f"SPARQL syntax error: {exc.msg} (near {_near(exc)!r})"
            ) from None
        reader = "this endpoint" if served else "kg query"
        raise QueryRefused(display, f"refused: this is a SPARQL UPDATE; {reader} only reads") from None
    query = parsed[1]
    form = query.name.replace("Query", "").upper()
    if not allow_network:
        remedy = "this endpoint does not allow it" if served else "pass --allow-network to permit it"
        if "datasetClause" in query:
            raise QueryRefused(display, f"refused: FROM / FROM NAMED can load remote or local data; {remedy}")
        if _has_service(query):
            raise QueryRefused(display, f"refused: SERVICE reaches the network; {remedy}")
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


def parse_bindings(pairs: tuple[str, ...], source=None) -> dict:
    """NAME=VALUE pairs -> pyoxigraph substitutions.

    VALUE is, in this order: an <IRI> or a bare http(s):// IRI; a prefixed name (cafo:Film,
    wd:Q232); the short form of an IRI the project mints (person/akan-sataev,
    article/004_9d304b95c593325b, claim/STEM/fact-1, graph/article/STEM, graph/meta); a quoted
    "text" (optionally "text"@ru) or an integer, bound as a literal; else a label of an entity
    in any script, found by kg.registry.rank (typos forgiven; an ambiguous label is an error
    that lists the candidates).

    With `source` (the store or rdflib Dataset the query will run on) every IRI must name
    something in it, and a value that names nothing is a QueryError with a did-you-mean: a
    --bind cannot silently return no rows. Without it (an --endpoint) only the syntax is
    resolved, and a label, which needs the graph, is refused."""
    import pyoxigraph

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--bind {pair!r}: write NAME=VALUE, like entity=person/akan-sataev")
        value = value.strip()
        term = bind_term(value)
        if term is None:
            if source is None:
                raise QueryError(
                    f"--bind {pair!r}: a label needs the build; with --endpoint give an id "
                    f'(person/akan-sataev), an <IRI>, or "quoted text" for a string'
                )
            term = _label_term(pair, value, source)
        elif source is not None and isinstance(term, pyoxigraph.NamedNode) and not _exists(source, term.value):
            raise QueryError(
                f"--bind {pair!r}: {_short_form(term.value)} names nothing in the graph{_did_you_mean(source, term.value)}"
            )
        out[pyoxigraph.Variable(name)] = term
    return out


def bind_term(value: str):
    """The term a --bind VALUE spells out (see parse_bindings), or None for a label."""
    import pyoxigraph

    from kg.iris import CONCEPT, GRAPH, ID, PREFIXES

    iri = r"(https?|urn):[^\s<>\"{}|^`\\]+"
    if value.startswith("<") and value.endswith(">") and re.fullmatch(iri, value[1:-1]):
        return pyoxigraph.NamedNode(value[1:-1])
    if re.fullmatch(iri, value):
        return pyoxigraph.NamedNode(value)
    if quoted := re.fullmatch(r'"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?', value, re.DOTALL):
        return pyoxigraph.Literal(quoted.group(1), language=quoted.group(2))
    if re.fullmatch(r"[+-]?[0-9]+", value):
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    local = r"[^\s<>\"{}|^`\\]+"
    if (prefixed := re.fullmatch(rf"([A-Za-z][\w-]*):({local})", value)) and prefixed.group(1) in PREFIXES:
        return pyoxigraph.NamedNode(PREFIXES[prefixed.group(1)] + prefixed.group(2))
    if short := re.fullmatch(rf"([a-z][a-z-]*)/({local})", value):
        if short.group(1) == "graph":
            return pyoxigraph.NamedNode(GRAPH + short.group(2))
        if short.group(1) in _minted_kinds():
            return pyoxigraph.NamedNode(ID + value)
        # otherwise a concept of a controlled vocabulary (occupation/actor, credit/composer):
        # the existence check then refuses one the ontology does not define
        return pyoxigraph.NamedNode(CONCEPT + value)
    return None


def _minted_kinds() -> set[str]:
    """The first segment of every IRI the project mints under id/ (kg.iris)."""
    from kg.iris import AMOUNT_KIND, ENTITY_KINDS, NODE_KINDS

    return {*ENTITY_KINDS, *NODE_KINDS, AMOUNT_KIND, "article", "claim", "evidence"}


def _short_form(iri: str) -> str:
    from kg.iris import CONCEPT, GRAPH, ID

    if iri.startswith(ID):
        return iri[len(ID) :]
    if iri.startswith(CONCEPT):
        return iri[len(CONCEPT) :]
    if iri.startswith(GRAPH):
        return "graph/" + iri[len(GRAPH) :]
    return f"<{iri}>"


def _exists(source, iri: str) -> bool:
    """Whether the IRI occurs in the source at all: as subject, predicate, object or graph.
    Index look-ups, no scan: milliseconds on any size of store."""
    import pyoxigraph

    if (store := _oxigraph(source)) is not None:
        source, node = store, pyoxigraph.NamedNode(iri)
        if source.contains_named_graph(node):
            return True
        patterns = ((node, None, None), (None, node, None), (None, None, node))
        return any(next(iter(source.quads_for_pattern(*p, None)), None) is not None for p in patterns)
    from rdflib import URIRef

    node = URIRef(iri)
    if any(g.identifier == node for g in source.graphs()):
        return True
    patterns = ((node, None, None), (None, node, None), (None, None, node))
    return any(next(iter(source.quads(p)), None) is not None for p in patterns)


def _oxigraph(source):
    """The pyoxigraph Store behind a query source (kg.store.BuiltStore wraps one), or None
    for an rdflib Dataset."""
    import pyoxigraph

    store = getattr(source, "store", source)
    return store if isinstance(store, pyoxigraph.Store) else None


def _typed_iris(source) -> list[str]:
    """Every typed IRI and every named graph of the source: what a short form can name.
    A scan, made only to suggest a correction."""
    import pyoxigraph

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    if (store := _oxigraph(source)) is not None:
        source = store
        found = {q.subject.value for q in source.quads_for_pattern(None, pyoxigraph.NamedNode(rdf_type), None, None)}
        found |= {g.value for g in source.named_graphs() if isinstance(g, pyoxigraph.NamedNode)}
    else:
        from rdflib import URIRef

        found = {str(s) for s, _p, _o, _g in source.quads((None, URIRef(rdf_type), None)) if isinstance(s, URIRef)}
        found |= {str(g.identifier) for g in source.graphs() if isinstance(g.identifier, URIRef)}
    return sorted(found)


def _did_you_mean(source, iri: str) -> str:
    """'; did you mean person/x?': the closest IRI of the same namespace (or any), by rapidfuzz."""
    from rapidfuzz import process

    namespace = iri.rsplit("/", 1)[0] + "/" if "/" in iri else iri
    known = _typed_iris(source)
    candidates = [c for c in known if c.startswith(namespace)] or known
    if not candidates:
        return ""
    shown = [_short_form(c) for c in candidates]
    best = process.extractOne(_short_form(iri), shown)
    return f"; did you mean {best[0]}?" if best else ""


def entity_labels(source) -> list[tuple[str, list[str]]]:
    """(IRI, labels and aliases) of every registry entity in the source, sorted: what a label
    in --bind is looked up among. N-ary nodes and ontology terms are left out."""
    import pyoxigraph

    from kg.iris import ENTITY_KINDS, ID

    kinds = tuple(f"{ID}{kind}/" for kind in ENTITY_KINDS)
    predicates = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel")
    labels: dict[str, set[str]] = {}
    for predicate in predicates:
        if (store := _oxigraph(source)) is not None:
            pairs = (
                (q.subject, q.object)
                for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None, None)
            )
            pairs = ((s.value, o.value) for s, o in pairs if isinstance(s, pyoxigraph.NamedNode))
        else:
            from rdflib import URIRef

            pairs = ((str(s), str(o)) for s, _p, o, _g in source.quads((None, URIRef(predicate), None)))
        for subject, text in pairs:
            if subject.startswith(kinds):
                labels.setdefault(subject, set()).add(text)
    return [(iri, sorted(texts)) for iri, texts in sorted(labels.items())]


def entity_named(source, value: str) -> str:
    """The IRI of the one entity a label or alias names in the source (kg.registry.rank and
    best_hits over entity_labels: any script, typos forgiven); LabelMiss, listing the
    candidates or giving a did-you-mean, otherwise. `--bind` and `kg show` both use it."""
    from rapidfuzz import process

    from kg.registry import best_hits, fold, rank

    candidates = entity_labels(source)
    best = best_hits(rank(value, candidates))
    if len(best) == 1:
        return best[0].id
    if best:
        names = ", ".join(f"{_short_form(h.id)} ({h.label})" for h in best[:8])
        raise LabelMiss(f"{value!r} is ambiguous: {names}; give one of these ids", ambiguous=True)
    keys = [(fold(label), iri, label) for iri, labels in candidates for label in labels]
    closest = process.extractOne(fold(value), [k for k, _i, _l in keys]) if keys else None
    hint = f"; did you mean {_short_form(keys[closest[2]][1])} ({keys[closest[2]][2]})?" if closest else ""
    raise LabelMiss(f"no entity is named {value!r}{hint}", ambiguous=False)


def _label_term(pair: str, value: str, source):
    """The entity a label names, as a --bind term."""
    import pyoxigraph

    try:
        return pyoxigraph.NamedNode(entity_named(source, value))
    except LabelMiss as miss:
        tip = "" if miss.ambiguous else ' (for a string write "text")'
        raise QueryError(f"--bind {pair!r}: {miss}{tip}") from None


def run(query: QueryFile, store, result_format: str, prefixes: dict[str, str], bindings: dict | None = None) -> str:
    """Run the query on a pyoxigraph store and render its result as text in the chosen format."""
    _check_format(result_format)
    return render(execute(query, store, bindings), result_format, prefixes)


def execute(query: QueryFile, store, bindings: dict | None = None):
    """The pyoxigraph result (solutions, boolean or triples) of the query on a store, with the
    default graph as the union of all graphs.

    Bindings go in as a VALUES block at the start of the WHERE group where there is one: the
    same rows as pyoxigraph's substitutions, but Oxigraph plans with the bound values then
    (measured at 1,000 articles: editorial_judgements 3.2 s -> 3 ms, evidence_for_entity
    4.4 s -> 0.3 s)."""
    text, substitutions = query.text, bindings or None
    if bindings and _where_brace(query.text, query.form) is not None:
        text, substitutions = _with_values(query, bindings), None
    try:
        return store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
    except SyntaxError as exc:
        raise QueryError(f"{query.display}: SPARQL syntax error: {exc}") from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"{query.display}: query failed: {exc}") from None


def _check_format(result_format: str) -> None:
    if result_format not in RESULT_FORMATS:
        raise UnknownChoice("result format", result_format, RESULT_FORMATS)


def render(result, result_format: str, prefixes: dict[str, str]) -> str:
    """Any engine's result, as pyoxigraph objects, in the chosen format. Every engine goes
    through here, so the same rows print the same whichever engine found them."""
    import pyoxigraph

    if isinstance(result, (pyoxigraph.QueryTriples, list)):
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


# -- the rdflib engine ---------------------------------------------------------------------
# Pure Python and slow at scale, but it is the reference implementation the project's model
# is built on: every query in queries/ must give the same rows on both (tests/test_engines.py).


def open_rdflib(build: Build | None, data_file: Path | None = None, inferred: bool = False):
    """An rdflib Dataset whose default graph is the union of all graphs: the given RDF file,
    or the build's N-Quads (build: fresh, kg.built)."""
    from rdflib import Dataset
    from rdflib.util import guess_format

    dataset = Dataset(default_union=True)
    if data_file is not None:
        fmt = guess_format(str(data_file)) or ""
        try:
            dataset.parse(str(data_file), format=fmt or None)
        except Exception as exc:  # rdflib raises many unrelated types for bad input
            raise QueryError(f"{data_file}: cannot load: {exc}") from None
        return dataset
    assert build is not None, "a build or a data file"
    dataset.parse(str(build.nquads), format="nquads")
    if inferred:
        dataset.parse(str(inferred_file(build)), format="nquads")
    return dataset


def execute_rdflib(query: QueryFile, dataset, bindings: dict | None = None):
    """The query on rdflib, its result converted to pyoxigraph objects (through the W3C JSON
    results format, or N-Triples for a graph) so that render() prints it like any other."""
    import pyoxigraph
    from pyparsing import ParseException

    try:
        result = dataset.query(query.text, initBindings=_rdflib_bindings(bindings or {}))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            data = result.graph.serialize(format="nt", encoding="utf-8")
            return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
        data = result.serialize(format="json")
    except ParseException as exc:
        raise QueryError(f"{query.display}: SPARQL syntax error: {exc}") from None
    except MemoryError:
        raise  # the memory ceiling (run_rdflib_limited) says so in its own words
    except Exception as exc:  # rdflib's evaluator raises plain exceptions on bad queries
        raise QueryError(f"{query.display}: query failed on rdflib: {exc}") from None
    return pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)


def run_rdflib(query: QueryFile, dataset, result_format: str, prefixes: dict[str, str], bindings: dict | None = None):
    _check_format(result_format)
    return render(execute_rdflib(query, dataset, bindings), result_format, prefixes)


def run_rdflib_limited(
    query: QueryFile,
    dataset,
    result_format: str,
    prefixes: dict[str, str],
    bindings: dict | None,
    max_memory_mb: float | None,
) -> str:
    """run_rdflib under a memory ceiling: the process may grow by at most max_memory_mb (None:
    no ceiling) while the query runs. Meant for the child process kg query runs it in.

    rdflib materialises some joins in full (a pattern after an OPTIONAL, say), so one careless
    query can take every byte of the machine (a library query once took 12 GB on five
    articles). RLIMIT_AS makes an allocation past the ceiling fail: Python raises MemoryError,
    which unwinds the evaluation and frees what it held."""
    restore = None if max_memory_mb is None else limit_address_space(int(max_memory_mb * 2**20))
    if restore is None:  # no ceiling asked for, or none on this platform
        return run_rdflib(query, dataset, result_format, prefixes, bindings)
    with _stderr_held() as held:
        try:
            text = run_rdflib(query, dataset, result_format, prefixes, bindings)
        except MemoryError:
            restore()  # before the evaluation's frames are freed: closing its generators needs memory
            text = None
        finally:
            restore()
        held.keep = text is not None
    if text is None:
        raise QueryError(
            f"{query.display}: stopped at {max_memory_mb:g} MB (the memory limit of the rdflib engine; "
            "raise it with --max-memory)"
        )
    return text


@dataclass
class _Held:
    keep: bool = True


@contextmanager
def _stderr_held():
    """Hold what is written to file descriptor 2 and pass it on at the end unless told not
    to. Short of memory, Python reports each generator it cannot close ("Exception ignored
    in: <generator ...>", a traceback) straight to stderr, even with no memory left to build
    the hook's arguments; those lines say nothing the one-line memory error does not."""
    import os
    import sys
    import tempfile

    held = _Held()
    with tempfile.TemporaryFile() as spool:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(spool.fileno(), 2)
        try:
            yield held
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            if held.keep:
                spool.seek(0)
                os.write(2, spool.read())


def limit_address_space(extra: int) -> Callable[[], None] | None:
    """Cap this process's address space at its present size plus `extra` bytes. Returns a
    function that lifts the cap again, or None where the platform has no such limit (Windows,
    or no /proc to measure the present size) and nothing was capped."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        cap = size + extra
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _rdflib_bindings(bindings: dict) -> dict:
    """pyoxigraph substitutions -> rdflib initBindings."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef, Variable

    out = {}
    for variable, term in bindings.items():
        if isinstance(term, pyoxigraph.NamedNode):
            value = URIRef(term.value)
        elif isinstance(term, pyoxigraph.Literal):
            lang, datatype = term.language, term.datatype.value
            value = Literal(term.value, lang=lang) if lang else Literal(term.value, datatype=URIRef(datatype))
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                value = Literal(term.value)
        else:
            value = BNode(term.value)
        out[Variable(variable.value)] = value
    return out


# -- a SPARQL 1.1 endpoint ------------------------------------------------------------------
# Any server speaking the SPARQL 1.1 Protocol (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever,
# Neptune): the query is POSTed form-encoded, the most widely accepted form; results come back
# as W3C JSON (or N-Triples for CONSTRUCT/DESCRIBE) and are printed by render() like local ones.
# Servers query the union of their graphs by default or not, by their own configuration.

ENDPOINT_TIMEOUT = 300.0  # seconds, when --timeout is not given


def execute_remote(query: QueryFile, endpoint: str, bindings: dict | None = None, timeout: float | None = None):
    """The query on a SPARQL endpoint, its result as pyoxigraph objects."""
    import pyoxigraph

    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples, text/turtle;q=0.9" if graph_form else "application/sparql-results+json"
    text = _with_values(query, bindings) if bindings else query.text
    body, content_type = sparql_request(endpoint, text, accept, timeout, query.display)
    media = content_type.split(";")[0].strip().lower()
    try:
        if graph_form:
            fmt = pyoxigraph.RdfFormat.from_media_type(media) or pyoxigraph.RdfFormat.N_TRIPLES
            return list(pyoxigraph.parse(body, format=fmt))
        fmt = pyoxigraph.QueryResultsFormat.from_media_type(media) or pyoxigraph.QueryResultsFormat.JSON
        return pyoxigraph.parse_query_results(body, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{query.display}: {endpoint} answered with unreadable {media or 'data'}: {exc}") from None


def sparql_request(endpoint: str, text: str, accept: str, timeout: float | None, what: str) -> tuple[bytes, str]:
    """POST a query (SPARQL 1.1 Protocol, form-encoded). Returns (body, content type); an HTTP
    error or an unreachable server is a QueryError with the server's own first line."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from kg.limits import call_with_deadline

    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise QueryError(f"--endpoint {endpoint!r}: give an http:// or https:// URL")
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": text}).encode("utf-8"),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "kg"},
    )
    limit = timeout or ENDPOINT_TIMEOUT

    def answer() -> tuple[bytes, str]:
        with urllib.request.urlopen(request, timeout=limit) as response:
            return response.read(), response.headers.get("Content-Type", "")

    def too_slow() -> QueryError:
        return QueryError(f"{what}: {endpoint} did not answer within {limit:g} s")

    try:
        # urllib's timeout limits each read; the deadline limits the whole answer
        return call_with_deadline(answer, (), limit, too_slow)
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc.read())
        raise QueryError(f"{what}: {endpoint} refused the query: HTTP {exc.code} {exc.reason}{detail}") from None
    except urllib.error.URLError as exc:
        raise QueryError(f"{what}: cannot reach {endpoint}: {exc.reason}") from None
    except TimeoutError:
        raise too_slow() from None


def _first_line(body: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace"))  # servers answer errors in HTML too
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return f": {line[:200]}" if line else ""


def _with_values(query: QueryFile, bindings: dict) -> str:
    """--bind for a remote query (the protocol has no parameter for pre-bound variables): a
    VALUES block at the start of the query's WHERE group, which every engine joins with the
    pattern as a substitution would. (A trailing VALUES clause is the other standard place;
    Virtuoso 7.2 joins it wrongly with a UNION, giving rows for other entities.)"""
    names = " ".join(f"?{variable.value}" for variable in bindings)
    values = " ".join(str(term) for term in bindings.values())
    at = _where_brace(query.text, query.form)
    if at is None:
        raise QueryError(f"{query.display}: cannot find its WHERE clause to add --bind values to")
    return f"{query.text[: at + 1]}\n  VALUES ({names}) {{ ({values}) }}\n{query.text[at + 1 :]}"


# Comments, long and short strings, IRIs, braces and parentheses: enough of SPARQL's lexer to
# find the WHERE group without being fooled by a brace inside a string, IRI or comment.
_TOKEN = re.compile(
    r"#[^\n]*"
    r"|'''.*?'''|\"\"\".*?\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|[{}()]",
    re.DOTALL,
)


def _where_brace(text: str, form: str) -> int | None:
    """Offset of the '{' that opens the top-level WHERE group: the first brace outside
    comments, strings, IRIs and parentheses (a CONSTRUCT's template block is skipped)."""
    if form == "CONSTRUCT" and re.search(r"(?is)\bCONSTRUCT\s+WHERE\b", text):
        return None  # the short form's group is its template: it takes triples only
    parens = braces = 0
    template = form == "CONSTRUCT"
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token == "{" and parens == 0:
            if braces == 0 and not template:
                return match.start()
            braces += 1
        elif token == "}" and parens == 0:
            braces -= 1
            if braces == 0:
                template = False
    return None


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


def inferred_file(build: Build) -> Path:
    """OUT/inferred.nq when it was derived from the build now in OUT; a missing or stale one
    (the graph rebuilt since `kg reason`) is an error rather than silently wrong answers."""
    path = build.inferred_file
    if not path.is_file():
        raise QueryError(f"{path}: no inferred graph yet; run `kg reason` first")
    if build.inferred_info() is None:
        raise QueryError(f"{path}: derived from an earlier build of the graph; run `kg reason` again")
    return path


def open_store(build: Build | None, data_file: Path | None = None, inferred: bool = False):
    """The store a query runs on: the given RDF file, or the build (fresh, kg.built).

    With inferred, the reasoner's output (OUT/inferred.nq, graph/inferred, written by
    `kg reason`) is loaded beside the asserted graphs."""
    if data_file is not None:
        from kg.store import load_file

        return load_file(data_file)
    assert build is not None, "a build or a data file"
    if not inferred:
        return build.store()  # the build's store: no parsing, milliseconds to open
    # The store on disk is read-only: load the asserted and the inferred quads into memory.
    import pyoxigraph

    path = inferred_file(build)
    store = build.loaded_store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def run_query_file(
    corpus,
    query_file: Path,
    result_format: str,
    data_file: Path | None,
    allow_network: bool,
    open_build: OpenBuild,
    bind: tuple[str, ...] = (),
    inferred: bool = False,
    timeout: str | float | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    max_memory: str | float | None = None,
) -> str:
    """What `kg query` does: read and check the file, open the store, run, render.

    open_build: the build, made fresh when called (kg.built.OpenBuild); called only once the
    query and options are known good, and not at all for --data or --endpoint.

    engine: "oxigraph" (the default: the build's store on disk) or "rdflib" (the build's
    N-Quads parsed into an rdflib Dataset). endpoint: a SPARQL 1.1 endpoint URL instead of
    the build; the query goes to that server, with the same safety checks.
    timeout: seconds (None or 0: no limit); the query runs in a child process killed at the
    limit. max_memory: MB the rdflib engine may add while it evaluates (None: the default,
    default_max_memory(); 0: no ceiling)."""
    from kg.iris import PREFIXES

    timeout = _limit("--timeout", timeout)
    max_memory = default_max_memory() if max_memory is None else _limit("--max-memory", max_memory)
    path = resolve_query_path(corpus, query_file)
    query = read_query(path, corpus.display(path))
    check_query(query, allow_network)
    _check_format(result_format)
    if endpoint is not None:
        if data_file is not None or inferred:
            raise QueryError("--endpoint queries the server's data: --data and --inferred do not apply")
        bindings = parse_bindings(bind)  # syntax only: the server's data is not ours to check
        return render(execute_remote(query, endpoint, bindings, timeout), result_format, PREFIXES)
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise UnknownChoice("engine", engine, ENGINES)
    build = open_build() if data_file is None else None
    if engine == "rdflib":
        runner, source = run_rdflib_limited, open_rdflib(build, data_file, inferred)
    else:
        runner, source = run, open_store(build, data_file, inferred)
    bindings = parse_bindings(bind, source)
    args: tuple = (query, source, result_format, PREFIXES, bindings)
    if engine == "rdflib":
        args += (max_memory,)
    if timeout is not None or (engine == "rdflib" and max_memory is not None):
        # In a child process, killed at the time limit (kg.limits); the memory ceiling is set
        # there too, so the parent (a test runner, a notebook) is never capped.
        from kg.limits import call_with_timeout

        return call_with_timeout(runner, args, timeout, query.display, QueryError)
    return runner(*args)


def default_max_memory() -> float:
    """MB an rdflib query may add: 4 GB, or half the machine's memory when that is less."""
    try:
        import os

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    except (AttributeError, OSError, ValueError):
        return 4096.0
    return float(min(4096, int(physical // 2)))


def _limit(option: str, value: str | float | None) -> float | None:
    """A --timeout / --max-memory value (text from the command line, or a number): a finite
    number >= 0, where 0 (and None) mean no limit. Anything else is one line, exit 2."""
    import math

    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if math.isnan(number) or math.isinf(number) or number < 0:
        unit = "seconds" if option == "--timeout" else "MB"
        shown = str(value) if str(value).strip() else repr(value)
        raise QueryError(f"{option} {shown}: give a number of {unit} (0 for no limit)")
    return number or None


ENGINES = ("oxigraph", "rdflib")


def default_engine() -> str:
    """Oxigraph when pyoxigraph is installed (it is a dependency), else rdflib."""
    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        return "rdflib"
    return "oxigraph"


def library(corpus, *, check: bool = True) -> list[QueryFile]:
    """The corpus's query files with their headers, for `kg queries` (check: see read_query)."""
    return [read_query(path, corpus.display(path), check=check) for path in corpus.query_files()]
