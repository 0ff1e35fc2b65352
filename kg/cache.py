"""What the build emitted for each article, kept between builds so that the next build
re-checks only the mappings whose sources changed (issue 16).

Checking a mapping and turning it into N-Quads lines is most of a build's work that splits by
article; after an author edits one mapping, every other article's lines are the same as last
time. So each article's result (kg.build._Emitted1) is kept in OUT/.cache/articles/, keyed by
everything it was made from:

- the mapping's bytes and the article's bytes (the article's SHA-256, as the mapping read it);
- the kg version, this cache's format, the ontology's bytes, the corpus root and the working
  directory (messages and source places are written relative to it): a change to any of them
  makes every entry stale, i.e. a full re-check;
- the registry entities the mapping looked up, and its own node ids (a registry entity added
  with a node's id makes the mapping wrong), each with a digest of its definition: an edit to
  an entity re-checks only the articles that use it.

An entry is used only when all of these match, so a stale, torn or foreign entry is a miss,
never a wrong answer. Entries are written with a temporary name and one rename, under the
build lock; OUT/.cache is never part of a published build (kg.atomic), and `kg build --full`
ignores it. Failed mappings and drafts are never cached.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from kg import __version__
from kg.corpus import Corpus
from kg.errors import Problems
from kg.ontology import Ontology
from kg.registry import Entity, Registry, load_registry

if TYPE_CHECKING:
    from kg.build import NodeFacts, _Emitted1

BaseLines: TypeAlias = "tuple[dict[str, list[str]], set[str]]"  # lines by graph, union lines

CACHE_DIR = ".cache"
ARTICLES = "articles"
STAGING = "new-"
BASE = "base.pickle"  # the ontology's and registry's own lines (kg.build._base_lines)
REGISTRY = "registry.pickle"  # the registry as kg.registry.load_registry read it
FORMAT = "8"  # bump when _Emitted1 or the lines it holds change shape


@dataclass(frozen=True)
class Context:
    """What every cached article depends on besides its own files (see the module's docstring)."""

    directory: Path  # OUT/.cache/articles
    staging: Path  # OUT/.cache/new-PID: this build's new entries, moved into place once it is published
    salt: bytes
    entities: dict[str, str]  # registry id -> digest of its definition


def context(corpus: Corpus, registry: Registry, out_dir: Path) -> Context:
    salt = hashlib.sha256()
    for part in (__version__, FORMAT, str(corpus.root), os.getcwd()):
        salt.update(part.encode("utf-8") + b"\0")
    for path in corpus.ontology_files():
        salt.update(str(path).encode("utf-8") + b"\0" + Path(path).read_bytes() + b"\0")
    entities = {entity_id: entity_digest(entity) for entity_id, entity in registry.entities.items()}
    root = Path(out_dir) / CACHE_DIR
    return Context(root / ARTICLES, root / f"{STAGING}{os.getpid()}", salt.digest(), entities)


def registry(corpus: Corpus, ontology: Ontology, out_dir: Path, full: bool = False) -> tuple[Registry, Problems]:
    """kg.registry.load_registry, kept in OUT's cache while the registry's files, the
    ontology's and the working directory (the files are named relative to it) are the same:
    parsing 20,000 entities again took 4 s of every build at 10,000 articles. A registry with
    problems is never kept; full=True reads it anew."""
    digest = hashlib.sha256()
    try:
        for part in (__version__, FORMAT, str(corpus.root), os.getcwd()):
            digest.update(part.encode("utf-8") + b"\0")
        for path in [*corpus.ontology_files(), *corpus.registry_files()]:
            digest.update(str(path).encode("utf-8") + b"\0" + Path(path).read_bytes() + b"\0")
        key: str | None = digest.hexdigest()
    except OSError:
        key = None  # a file that cannot be read: load_registry says which
    root = Path(out_dir) / CACHE_DIR
    if key is not None and not full:
        try:
            with open(root / REGISTRY, "rb") as handle:
                entry = pickle.load(handle)
            if entry["key"] == key and isinstance(entry["value"], Registry):
                return entry["value"], Problems()
        except Exception:  # a missing, torn or foreign entry is a miss
            pass
    loaded, problems = load_registry(corpus.registry_files(), ontology, corpus.display)
    if key is not None and not problems:
        _write(root / f"{STAGING}{os.getpid()}" / REGISTRY, {"key": key, "value": loaded})
    return loaded, problems


def entity_digest(entity: Entity) -> str:
    """A registry entity's definition, without where it is written: moving an entity within
    its file (an edit above it) does not re-check the articles that use it."""
    return hashlib.sha256(repr(dataclasses.replace(entity, file="", line=0)).encode("utf-8")).hexdigest()


def mapping_key(ctx: Context, path: Path, display: str) -> str | None:
    """The key of a mapping file's current bytes; None when it cannot be read (the check says why)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(
        ctx.salt + str(path).encode("utf-8") + b"\0" + display.encode("utf-8") + b"\0" + data
    ).hexdigest()


def files_key(ctx: Context, paths: list[Path]) -> str | None:
    """The key of a set of files' current bytes (the registry's), with the context's salt."""
    digest = hashlib.sha256(ctx.salt)
    try:
        for path in paths:
            digest.update(str(path).encode("utf-8") + b"\0" + Path(path).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def load_base(ctx: Context, key: str) -> BaseLines | None:
    """What save_base kept under this key, else None."""
    try:
        with open(ctx.directory.parent / BASE, "rb") as handle:
            entry = pickle.load(handle)
        value: BaseLines | None = entry["value"] if entry["key"] == key else None
        return value
    except Exception:  # a missing, torn or foreign entry is a miss
        return None


def save_base(ctx: Context, key: str, value: BaseLines) -> None:
    """Keep the lines made from the ontology and registry alone (kg.build._base_lines)."""
    _write(ctx.staging / BASE, {"key": key, "value": value})


def _write(target: Path, *parts: object) -> None:
    """Pickles, one after the other, into target: a temporary sibling, then one rename."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            for part in parts:
                pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:  # a cache that cannot be written costs the next build time, not correctness
        tmp.unlink(missing_ok=True)


def _entry(ctx: Context, path: Path) -> Path:
    return ctx.directory / (hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:32] + ".pickle")


def _sha256(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def valid(ctx: Context, path: Path, display: str) -> bool:
    """True when a mapping's entry was made from its sources as they are now (reads only the
    entry's header: the lines stay on disk until result() reads them, in build order)."""
    try:
        with open(_entry(ctx, path), "rb") as handle:
            header = pickle.load(handle)
        if header["key"] != mapping_key(ctx, path, display):
            return False
        if any(ctx.entities.get(entity_id) != digest for entity_id, digest in header["uses"].items()):
            return False
        unchanged: bool = _sha256(header["article"]) == header["article_sha256"]
        return unchanged
    except Exception:  # a missing, torn or foreign entry is a miss, nothing more
        return False


def result(ctx: Context, path: Path) -> _Emitted1 | None:
    """The cached result (kg.build._Emitted1) of an entry valid() accepted; None if it cannot be read."""
    try:
        with open(_entry(ctx, path), "rb") as handle:
            pickle.load(handle)  # the header
            emitted: _Emitted1 = pickle.load(handle)
            return emitted
    except Exception:  # read by this build a moment ago: only a damaged disk gets here
        return None


def node_facts(ctx: Context, path: Path) -> NodeFacts | None:
    """The node facts of an entry result() read (kept apart: the build reads them only for
    the few nodes whose label needs several articles, kg.labels.beyond_one_article)."""
    try:
        with open(_entry(ctx, path), "rb") as handle:
            pickle.load(handle)  # the header
            pickle.load(handle)  # the result
            facts: NodeFacts | None = pickle.load(handle)
            return facts
    except Exception:  # unreadable: the caller checks the mapping again
        return None


def save(
    ctx: Context, path: Path, key: str, article: Path, article_sha256: str, uses: set[str], result: _Emitted1
) -> None:
    """Keep one article's result, with the key of the bytes it was made from (read before it
    was checked: a mapping edited meanwhile gets a key that no later build matches)."""
    header = {
        "key": key,
        "uses": {entity_id: ctx.entities.get(entity_id) for entity_id in sorted(uses)},
        "article": str(article),
        "article_sha256": article_sha256,
    }
    _write(ctx.staging / _entry(ctx, path).name, header, dataclasses.replace(result, nodes=None), result.nodes)


def promote(ctx: Context, paths: list[Path]) -> None:
    """After a build is published: its new entries into place, and away the entries of
    mappings that no longer exist (deleted or renamed) and what killed builds left."""
    keep = {_entry(ctx, path).name for path in paths}
    try:
        ctx.directory.mkdir(parents=True, exist_ok=True)
        for name in _names(ctx.staging):
            if name in keep:
                os.replace(ctx.staging / name, ctx.directory / name)
            elif name in (BASE, REGISTRY):
                os.replace(ctx.staging / name, ctx.directory.parent / name)
        for name in _names(ctx.directory):
            if name not in keep:
                (ctx.directory / name).unlink(missing_ok=True)
        for name in _names(ctx.directory.parent):
            if name.startswith(STAGING):
                shutil.rmtree(ctx.directory.parent / name, ignore_errors=True)
    except OSError:
        discard(ctx)


def discard(ctx: Context) -> None:
    """After a build that failed: its new entries go, and OUT/.cache too if nothing else is
    in it (a refused build leaves OUT as it found it)."""
    shutil.rmtree(ctx.staging, ignore_errors=True)
    for folder in (ctx.directory, ctx.directory.parent):
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue
        except OSError:
            break  # not empty: an earlier build's cache


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


class Recording(Registry):
    """The registry as a mapping sees it, remembering which entities it looked up."""

    def __init__(self, registry: Registry) -> None:
        super().__init__(registry.entities)
        self.used: set[str] = set()

    def get(self, entity_id: str) -> Entity | None:
        self.used.add(entity_id)
        return self.entities.get(entity_id)
