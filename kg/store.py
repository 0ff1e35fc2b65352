"""The persistent Oxigraph store that `kg build` writes beside the RDF files (OUT/store/).

Why a store on disk: a query on an up-to-date build then opens the graph read-only in
milliseconds instead of parsing the N-Quads again (seconds at a million quads), and
`kg serve` can hand the same directory to several worker processes at once.

Its default graph is the union of the named graphs, written by the build (see BuiltStore).

Atomicity: the store is bulk-loaded into a hidden sibling directory, then swapped in by
renaming; the previous store is kept until the rest of the build is in place, and put back
if that fails. A marker file inside the store names the build it belongs to, so a store
that does not match the manifest (an interrupted build) is never taken for a fresh one.
"""

from __future__ import annotations

import gc
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

STORE_DIR = "store"
MARKER = "KG_BUILD"
FORMAT = "2"  # in the marker: stores without the union default graph (format 1) count as stale


@dataclass(frozen=True)
class StagedStore:
    """A complete store waiting to be swapped in, and where it goes."""

    path: Path
    target: Path
    build_id: str


def stage(out_dir: Path, nquads: bytes, build_id: str) -> StagedStore:
    """Bulk-load the N-Quads into a new store in a hidden directory beside OUT/store, with
    the union of the named graphs written into its default graph (see BuiltStore).

    Nothing visible changes; on failure the half-written directory is removed."""
    import pyoxigraph

    out_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.new-", dir=out_dir))
    try:
        store = pyoxigraph.Store(str(path))
        load_with_union(store, nquads)
        store.optimize()  # compacts what the bulk load wrote: queries 2-4x faster (10,000 articles)
        store.flush()
        del store
        gc.collect()  # pyoxigraph has no close(): drop the handle so RocksDB releases its lock
        (path / MARKER).write_text(build_id + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return StagedStore(path, out_dir / STORE_DIR, build_id)


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


def swap_in(staged: StagedStore) -> Path | None:
    """Rename the staged store to OUT/store. Returns where the previous store was moved
    (to restore it or discard it), or None when there was none."""
    backup = None
    if staged.target.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.old-", dir=staged.target.parent))
        backup.rmdir()
        staged.target.rename(backup)
    try:
        staged.path.rename(staged.target)
    except BaseException:
        if backup is not None:
            backup.rename(staged.target)
        raise
    return backup


def restore(staged: StagedStore, backup: Path | None) -> None:
    """Undo swap_in: the new store goes away, the previous one comes back."""
    shutil.rmtree(staged.target, ignore_errors=True)
    if backup is not None:
        backup.rename(staged.target)


def discard(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


def build_id_of(out_dir: Path) -> str | None:
    """The build a store belongs to, from its marker; None when there is no usable store."""
    try:
        return (out_dir / STORE_DIR / MARKER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def open_read_only(out_dir: Path) -> BuiltStore:
    """The built store, read-only: opening takes milliseconds and changes no file."""
    import pyoxigraph

    path = out_dir / STORE_DIR
    try:
        return BuiltStore(pyoxigraph.Store.read_only(str(path)))
    except OSError as exc:
        raise KgError(f"{path}: cannot open the Oxigraph store ({exc}); run `kg build` again") from None


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
