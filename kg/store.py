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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.errors import StoreUnreadable

STORE_DIR = "store"
MARKER = "KG_BUILD"
FORMAT = "2"  # in the marker: stores without the union default graph (format 1) count as stale


def stage(path: Path, nquads: bytes, build_id: str) -> None:
    """Bulk-load the N-Quads into a new store at path (inside a build's own directory, which
    no reader sees yet), with the union of the named graphs written into its default graph
    (see BuiltStore). On failure the half-written directory is removed."""
    import pyoxigraph

    from kg.atomic import pause

    try:
        store = pyoxigraph.Store(str(path))
        pause("store-loading")
        load_with_union(store, nquads)
        store.optimize()  # compacts what the bulk load wrote: queries 2-4x faster (10,000 articles)
        store.flush()
        del store
        gc.collect()  # pyoxigraph has no close(): drop the handle so RocksDB releases its lock
        pause("store-loaded")
        (path / MARKER).write_text(build_id + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def load_with_union(store, nquads: bytes) -> None:
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

    def __init__(self, store):
        self.store = store

    def query(self, query: str, **options):
        options["use_default_graph_as_union"] = False
        return self.store.query(query, **options)


def build_id_of(build_dir: Path) -> str | None:
    """The build a store belongs to, from its marker; None when there is no usable store."""
    try:
        return (build_dir / STORE_DIR / MARKER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def open_read_only(out_dir: Path) -> BuiltStore:
    """The published build's store, read-only: opening takes milliseconds and changes no
    file. Its build directory stays on disk while the returned object lives (kg.atomic.pin)."""
    import pyoxigraph

    from kg.atomic import pin

    build_dir, fd = pin(out_dir)
    path = build_dir / STORE_DIR
    try:
        built = BuiltStore(pyoxigraph.Store.read_only(str(path)))
    except OSError as exc:
        if fd is not None:
            os.close(fd)
        raise StoreUnreadable(out_dir / STORE_DIR, str(exc)) from None
    if fd is not None:
        weakref.finalize(built, os.close, fd)
    return built


_PINNED: list[int] = []


def pin_build(out_dir: Path) -> Path:
    """The published build's directory, kept on disk for as long as this process runs (kg
    serve: its workers open the store and files inside it, whatever later builds publish)."""
    from kg.atomic import pin

    build_dir, fd = pin(out_dir)
    if fd is not None:
        _PINNED.append(fd)
    return build_dir


def load_file(path: Path):
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
