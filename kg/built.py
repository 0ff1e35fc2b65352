"""The build directory (`--out`): the one owner of what a build wrote.

Every other module asks a `Build` for a path or an opened graph instead of composing
`out_dir / NAME` itself, so the names of the outputs, the manifest, the rules that say a build
or an inferred graph is stale, and the ways to open a build live here and nowhere else:

    graph.ttl, graph.trig, graph.nq   Build.file(fmt) / Build.nquads
    manifest.json                     Build.manifest(), Build.report()
    store/                            Build.store() (read-only, pinned); Build.loaded_store() in memory
    sources.jsonl                     Build.sources(): file:line of every triple, claim, entity
    inferred.nq, inferred.json        Build.inferred_file, Build.inferred_info() (`kg reason`)

The CLI turns `--out` into a Build in one place, ensure_built (which runs the build writer,
kg.build, when OUT is missing or stale); readers take the Build and never build. Nothing heavy is imported at module level, so a
command that only needs a path pays nothing for it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import __version__
from kg.corpus import Corpus

if TYPE_CHECKING:
    from pyoxigraph import BlankNode, DefaultGraph, NamedNode, QuerySolutions, QueryTriples, Store
    from rdflib import Dataset

    from kg.sources import SourceIndex
    from kg.store import BuiltStore

OUTPUTS = {"turtle": "graph.ttl", "trig": "graph.trig", "nquads": "graph.nq"}
MANIFEST = "manifest.json"
STORE_DIR = "store"
SOURCES = "sources.jsonl"  # inside the build's own directory only: read through the published build
INFERRED_FILE = "inferred.nq"
INFERRED_INFO = "inferred.json"
PUBLISHED = [*OUTPUTS.values(), MANIFEST, STORE_DIR]  # OUT's entries that show the published build (links)
MANIFEST_FORMAT = 4  # bump when the build's content changes (4: sources.jsonl), so older builds count as stale

JsonObject = dict[str, Any]  # a JSON file as read: what it holds is checked where it is used


@dataclass(frozen=True)
class BuiltCounts:
    """What the build counted, as its manifest keeps kg.build.BuildReport: the numbers a
    reader shows (`kg stats`), read back without importing the build writer."""

    entities: int
    triples: int  # in the union of the graphs
    quads: int
    per_article: dict[str, dict[str, int]]  # article stem -> facts, editorial, quotes, triples, entities

    @classmethod
    def from_json(cls, report: JsonObject) -> BuiltCounts:
        return cls(report["entities"], report["triples"], report["quads"], report.get("per_article") or {})


@dataclass(frozen=True)
class InferredInfo:
    """OUT/inferred.json, when it still belongs to the graph in OUT: which graph `kg reason`
    wrote and which reasoner proved the build consistent (kg check reuses that proof)."""

    graph: str
    reasoner: str


@dataclass(frozen=True)
class Build:
    """One build directory. Cheap to make (paths only); each opener reads the build published
    when it is called."""

    out_dir: Path
    corpus: Corpus | None = None  # the sources it was built from: how file:line places are shown

    def file(self, fmt: str) -> Path:
        """OUT/graph.ttl, graph.trig or graph.nq for "turtle", "trig", "nquads"."""
        return self.out_dir / OUTPUTS[fmt]

    @property
    def nquads(self) -> Path:
        return self.file("nquads")

    @property
    def store_dir(self) -> Path:
        return self.out_dir / STORE_DIR

    @property
    def inferred_file(self) -> Path:
        return self.out_dir / INFERRED_FILE

    @property
    def inferred_info_file(self) -> Path:
        return self.out_dir / INFERRED_INFO

    def named(self, name: str) -> Path:
        """Any other file a reader looks for in OUT (e.g. a dump a later build may write)."""
        return self.out_dir / name

    def published(self) -> Path:
        """The published build's own directory, resolved once (kg.atomic)."""
        from kg.atomic import published

        return published(self.out_dir)

    def manifest(self) -> JsonObject:
        manifest: JsonObject = json.loads((self.out_dir / MANIFEST).read_text(encoding="utf-8"))
        return manifest

    def report(self) -> BuiltCounts:
        """The build's counts (kg.build.BuildReport as written into the manifest)."""
        return BuiltCounts.from_json(self.manifest()["report"])

    def is_fresh(self, corpus: Corpus) -> bool:
        """True when OUT holds a build of exactly the corpus's current sources. Everything is
        read from the build published now (resolved once: a build publishing meanwhile cannot
        mix two builds into the answer)."""
        if not all(os.path.exists(self.out_dir / name) for name in PUBLISHED):
            return False  # a link removed by hand: the next build makes it again
        build_dir = self.published()
        try:
            manifest: JsonObject = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if manifest.get("kg_version") != __version__ or manifest.get("format") != MANIFEST_FORMAT:
            return False
        if manifest.get("corpus") != str(corpus.root):
            return False
        if not all((build_dir / name).is_file() for name in OUTPUTS.values()):
            return False
        if store_id(build_dir) != manifest.get("store"):
            return False  # no store, or one from another (interrupted) build
        return bool(manifest.get("sources") == fingerprint(corpus))

    # -- opening the graph ---------------------------------------------------------------------

    def dataset(self) -> Dataset:
        """The built dataset in rdflib, read back from its N-Quads: every literal exactly as
        built (the TriG and Turtle files abbreviate, e.g. drop ^^xsd:string), and faster to parse."""
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(os.fspath(self.nquads), format="nquads")
        return dataset

    def store(self) -> BuiltStore:
        """The published build's store, read-only: opening takes milliseconds and changes no
        file. Its build directory stays on disk while the returned object lives (kg.atomic.pin)."""
        from kg.store import open_pinned

        return open_pinned(self.out_dir, STORE_DIR)

    def loaded_store(self) -> Store:
        """A writable in-memory pyoxigraph Store holding the build's quads, named graphs only:
        for readers that add graphs of their own (the reasoner's scratch graphs, inferred.nq)."""
        from kg.store import load_quads

        store: Store = load_quads(self.nquads)
        return store

    def pin(self) -> Build:
        """The build published now, kept on disk for as long as this process runs (kg serve)."""
        from kg.store import pin_build

        return Build(pin_build(self.out_dir), self.corpus)

    def sources(self) -> SourceIndex:
        """Where each triple, claim and entity of the build was stated (file:line), as the
        build wrote it: no re-reading of the corpus."""
        return self._sources()[0].mapped(self._place)

    def drafts(self) -> list[tuple[str, str]]:
        """(file:line of the draft mark, article) of each mapping the build left out."""
        return [(self._place(source), self._shown(article)) for source, article in self._sources()[1]]

    def _shown(self, path: str) -> str:
        return self.corpus.display(Path(path)) if self.corpus is not None else path

    def _place(self, place: str) -> str:
        path, _, line = place.rpartition(":")
        return f"{self._shown(path)}:{line}"

    def _sources(self) -> tuple[SourceIndex, list[tuple[str, str]]]:
        """The build's sources.jsonl, read (kg.sources.read_lines), with absolute paths."""
        from kg.sources import read_lines

        try:
            with open(self.published() / SOURCES, encoding="utf-8") as handle:
                return read_lines(handle)
        except FileNotFoundError:
            if self.corpus is None:
                raise
        # A copy of OUT made through its links (cp -L, shutil.copytree) has the graph files
        # but not the index inside the build's own directory: index the corpus as the build did.
        from kg.build import check_corpus
        from kg.sources import absolute_place, index_sources

        checked = check_corpus(self.corpus)
        drafts = [(absolute_place(str(d)), str(d.article.resolve())) for d in checked.drafts]
        return index_sources(checked).mapped(absolute_place), drafts

    # -- the reasoner's graph ------------------------------------------------------------------

    def inferred_info(self) -> InferredInfo | None:
        """OUT/inferred.json when OUT/inferred.nq was derived from the graph now in
        OUT/graph.nq (a rebuild since `kg reason` makes it stale); None otherwise."""
        try:
            info = json.loads(self.inferred_info_file.read_text(encoding="utf-8"))
            digest = self.nquads_digest()
            if info["derived_from"]["sha256"] != digest:
                return None
            return InferredInfo(str(info["graph"]), str(info["report"]["reasoner"]))
        except (OSError, ValueError, LookupError, TypeError):
            return None

    def nquads_digest(self) -> str:
        return hashlib.sha256(self.nquads.read_bytes()).hexdigest()

    def write_inferred(self, data: bytes, graph: str, report: JsonObject) -> None:
        """OUT/inferred.nq and OUT/inferred.json, atomically: the graph's name, the reasoner's
        report and the graph it was derived from (what inferred_info checks)."""
        from kg.atomic import write_files

        info = {
            "graph": graph,
            "report": report,
            "derived_from": {"file": OUTPUTS["nquads"], "sha256": self.nquads_digest()},
        }
        write_files(
            {
                self.inferred_file: data,
                self.inferred_info_file: (json.dumps(info, indent=2, sort_keys=True) + "\n").encode("utf-8"),
            }
        )


OpenBuild = Callable[[], Build]
"""A build made fresh when first asked for: what the CLI hands a command that checks its own
arguments first, so a bad query or option is reported without starting a build."""


def store_id(build_dir: Path) -> str | None:
    """The build a store belongs to, from the marker the build writes into it; None when
    there is no usable store."""
    from kg.store import MARKER

    try:
        return (build_dir / STORE_DIR / MARKER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def fingerprint(corpus: Corpus) -> dict[str, list[int]]:
    """Cheap staleness key: every source file's size and modification time. Paths are keyed
    as found under the corpus's resolved root (resolving 20,000 paths one by one was most of
    a query's start-up at 10,000 articles)."""
    out = {}
    for path in corpus.sources():
        stat = os.stat(path)
        out[str(path)] = [stat.st_size, stat.st_mtime_ns]
    return out


def ensure_built(corpus: Corpus, out_dir: Path) -> Build:
    """The build in out_dir, built first when it is missing or older than its sources (also
    fresh when another build made it so while this one waited for the lock)."""
    from kg.atomic import build_lock

    build = Build(Path(out_dir), corpus)
    if build.is_fresh(corpus):
        return build
    with build_lock(build.out_dir):
        if not build.is_fresh(corpus):
            from kg.build import write_build

            write_build(corpus, build.out_dir, None, None)
    return build


def select(
    store: Store,
    query: str,
    *,
    use_default_graph_as_union: bool = False,
    default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None,
) -> QuerySolutions:
    """The rows of a SELECT over a build's store (pyoxigraph types a query's answer as rows,
    a boolean or triples; a SELECT gives rows). The options are Store.query's."""
    import pyoxigraph

    result = store.query(query, use_default_graph_as_union=use_default_graph_as_union, default_graph=default_graph)
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query[:80]!r}")
    return result


def construct(
    store: Store, query: str, *, default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None
) -> QueryTriples:
    """The triples of a CONSTRUCT over a build's store (see select)."""
    import pyoxigraph

    result = store.query(query, default_graph=default_graph)
    if not isinstance(result, pyoxigraph.QueryTriples):
        raise TypeError(f"not a CONSTRUCT query: {query[:80]!r}")
    return result


def load_dataset(out_dir: Path) -> Dataset:
    """The rdflib Dataset of the build in out_dir (Build.dataset)."""
    return Build(Path(out_dir)).dataset()
