"""The persistent Oxigraph store that `kg build` writes beside the RDF files (OUT/store/).

Why a store on disk: a query on an up-to-date build then opens the graph read-only in
milliseconds instead of parsing the N-Quads again (seconds at a million quads), and
`kg serve` can hand the same directory to several worker processes at once.

Its default graph is the union of the named graphs, written by the build (see BuiltStore).

Atomicity: the store is bulk-loaded into the build's own directory beside its files, and
published with them in one step (kg.atomic): OUT/store is a link to the published build's
store. A marker file inside the store names the build it belongs to, so a store that does
not match the manifest is never taken for a fresh one. Readers open the store of the build
published when they start (resolved once, pinned against deletion), never a path that a
later build could switch under them.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreUnreadable

if TYPE_CHECKING:
    import pyoxigraph

MARKER = "KG_BUILD"  # a file inside the store naming its build (read by kg.built.store_id)
FORMAT = "2"  # in the marker: stores without the union default graph (format 1) count as stale


LOAD_CHUNK = 64 << 20  # bytes of N-Quads per bulk load: Oxigraph's loader holds about 5x a chunk


def stage(path: Path, nquads: Path, graphs: list[tuple[str, int, int]], build_id: str) -> None:
    """Bulk-load the N-Quads file into a new store at path (inside a build's own directory,
    which no reader sees yet), and their union into its default graph (see BuiltStore).
    graphs: each named graph's block of the file (its name as an N-Quads term, start and end
    in bytes; the build writes graph.nq graph by graph). On failure the half-written
    directory is removed.

    Read from disk a chunk at a time (issue 16): Oxigraph's bulk loader holds about five
    times what it is given (2 GB for the 1.1 GB graph.nq of 10,000 articles), so the file
    goes in LOAD_CHUNK bytes at a time, one load after the other, and the build's memory
    does not grow with the corpus. The union is the same blocks without their graph name."""
    import pyoxigraph

    from kg.atomic import pause

    with _writing(path, build_id):
        store = pyoxigraph.Store(str(path))
        pause("store-loading")
        for chunk in _line_chunks(nquads, [(0, nquads.stat().st_size)]):
            store.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
        pending: list[bytes] = []
        held = 0
        for name, start, end in graphs:
            ending = f" {name} .\n".encode()
            for chunk in _line_chunks(nquads, [(start, end)]):
                pending.append(chunk.replace(ending, b" .\n"))  # every line of the block ends so
                held += len(pending[-1])
                if held >= LOAD_CHUNK:
                    store.bulk_load(b"".join(pending), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
                    pending, held = [], 0
        if pending:
            store.bulk_load(b"".join(pending), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
        store.optimize()  # compacts what the bulk load wrote: queries 2-4x faster (10,000 articles)
        store.flush()
        del store  # pyoxigraph has no close(): _writing collects the handle


def _line_chunks(path: Path, ranges: list[tuple[int, int]], size: int = LOAD_CHUNK) -> Iterator[bytes]:
    """Byte ranges of a file, each made of whole lines, in pieces of about `size` that end at
    the end of a line (an N-Quads line is never split between two loads)."""
    with open(path, "rb") as handle:
        for start, end in ranges:
            handle.seek(start)
            left = end - start
            while left > 0:
                chunk = handle.read(min(size, left))
                if not chunk:
                    break
                if not chunk.endswith(b"\n") and len(chunk) < left:
                    chunk += handle.readline()
                left -= len(chunk)
                yield chunk


@contextmanager
def _writing(path: Path, build_id: str) -> Iterator[None]:
    """Around the writing of a new store at path: when the body is done (and has dropped its
    handle), RocksDB's lock is released and the marker written; on failure the half-written
    directory is removed."""
    from kg.atomic import pause

    try:
        yield
        gc.collect()  # pyoxigraph has no close(): drop the handle so RocksDB releases its lock
        pause("store-loaded")
        (path / MARKER).write_text(build_id + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def patch(path: Path, previous: Path, removed: bytes, added: bytes, build_id: str) -> None:
    """The store of a build that differs from the previous build by a few quads (issue 16):
    a copy of the previous store (RocksDB's backup hard-links its immutable files: milliseconds,
    where a bulk load takes minutes at 10,000 articles), less the removed quads, plus the added
    ones, with the union default graph kept exactly what stage() would load: an added quad's
    triple joins it; a removed quad's triple leaves it only when no named graph still holds it.
    The previous store is only read (readers may hold it open). On failure the half-written
    directory is removed."""
    import pyoxigraph

    from kg.atomic import pause

    with _writing(path, build_id):
        pyoxigraph.Store.read_only(str(previous)).backup(str(path))
        gc.collect()  # the read-only handle is gone: nothing of the previous store stays open
        (path / MARKER).unlink(missing_ok=True)  # not the previous build's any more
        store = pyoxigraph.Store(str(path))
        pause("store-loading")
        nquads = pyoxigraph.RdfFormat.N_QUADS
        gone = list(pyoxigraph.parse(removed, format=nquads, lenient=True))
        new = list(pyoxigraph.parse(added, format=nquads, lenient=True))
        default = pyoxigraph.DefaultGraph()
        for quad in gone:
            store.remove(quad)
        store.extend([*new, *(pyoxigraph.Quad(q.subject, q.predicate, q.object, default) for q in new)])
        for quad in gone:
            holders = store.quads_for_pattern(quad.subject, quad.predicate, quad.object)
            if all(isinstance(held.graph_name, pyoxigraph.DefaultGraph) for held in holders):
                store.remove(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, default))
        store.flush()
        del store  # pyoxigraph has no close(): _writing collects the handle


def load_with_union(store: pyoxigraph.Store, nquads: bytes) -> None:
    """Bulk-load the build's N-Quads into a store, and their union into its default graph.

    The two load side by side (pyoxigraph releases the GIL: a third less time on two cores),
    leniently: no IRI re-validation of lines the build wrote from checked terms (a quarter
    faster)."""
    import pyoxigraph

    parts = (nquads, union_default_graph(nquads))
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        loads = [
            pool.submit(store.bulk_load, part, format=pyoxigraph.RdfFormat.N_QUADS, lenient=True) for part in parts
        ]
        for load in loads:
            load.result()


def in_memory(nquads_file: Path) -> BuiltStore:
    """The build in an in-memory store, as the store on disk holds it (for kg serve --in-memory:
    queries several times faster, for the memory and the load time)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    load_with_union(store, nquads_file.read_bytes())
    return BuiltStore(store)


def union_default_graph(nquads: bytes) -> bytes:
    """Every quad's triple, in the default graph: the same lines without their graph term
    (the build writes every quad in a named graph of its own, "<s> <p> <o> <GRAPH...> ."; a
    regular expression over the bytes is twice as fast as splitting 5 million lines). Triples
    in several graphs come out several times; the store keeps one."""
    from kg.iris import GRAPH  # here: kg.iris imports rdflib, which a query worker never needs

    graph_term = re.compile(rb" <" + re.escape(GRAPH.encode()) + rb"[^>\n]*> \.$", re.MULTILINE)
    return graph_term.sub(b" .", nquads)


class BuiltStore:
    """The build's store, read-only. Its default graph holds the union of its named graphs,
    written once by the build: Oxigraph's own union default graph (use_default_graph_as_union)
    is computed per query pattern and made the library's queries about 10x slower (measured
    at 1,000 articles). So every query runs on the real default graph; GRAPH ?g still sees
    the named graphs only, and the answers are the same."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph] | None = None,
        named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode] | None = None,
        substitutions: dict[
            pyoxigraph.Variable, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
        ]
        | None = None,
    ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
        """Store.query on the real default graph (already the union): use_default_graph_as_union
        is accepted, for callers written against a plain Store, and has nothing left to do."""
        del use_default_graph_as_union
        return self.store.query(
            query,
            use_default_graph_as_union=False,
            default_graph=default_graph,
            named_graphs=named_graphs,
            substitutions=substitutions,
        )


def open_pinned(out_dir: Path, store_dir: str) -> BuiltStore:
    """The published build's store (store_dir inside it), read-only: opening takes
    milliseconds and changes no file. Its build directory stays on disk while the returned
    object lives (kg.atomic.pin). Call it through kg.built.Build.store."""
    import pyoxigraph

    from kg.atomic import pin

    build_dir, fd = pin(out_dir)
    try:
        built = BuiltStore(pyoxigraph.Store.read_only(str(build_dir / store_dir)))
    except OSError as exc:
        if fd is not None:
            os.close(fd)
        raise StoreUnreadable(Path(out_dir, store_dir), str(exc)) from None
    if fd is not None:
        weakref.finalize(built, os.close, fd)
    return built


def open_read_only(out_dir: Path) -> BuiltStore:
    """The store of the build in out_dir, read-only (kg.built.Build.store)."""
    from kg.built import Build

    return Build(Path(out_dir)).store()


def load_quads(nquads: Path) -> pyoxigraph.Store:
    """A writable in-memory Oxigraph store holding an N-Quads file's quads (named graphs as
    they are: no union default graph)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


_PINNED: list[int] = []


def pin_build(out_dir: Path) -> Path:
    """The published build's directory, kept on disk for as long as this process runs (kg
    serve: its workers open the store and files inside it, whatever later builds publish)."""
    from kg.atomic import pin

    build_dir, fd = pin(out_dir)
    if fd is not None:
        _PINNED.append(fd)
    return build_dir


def load_file(path: Path) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding one RDF file, its format known by its extension
    (.ttl, .nt, .nq, .trig, .rdf, .jsonld): for `--data FILE` in query and check."""
    import pyoxigraph

    from kg.errors import UsageError

    try:
        fmt = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError:
        fmt = None
    if fmt is None:
        raise UsageError(f"{path}: unknown RDF file extension (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot load: {exc}") from None
    return store
