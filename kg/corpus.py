"""Finds a corpus: the folders ontology/, seeds/ and queries/ that the commands work on.

Resolution order: --project DIR (or $KG_PROJECT), else the current directory when it holds a
seeds/ folder, else the corpus bundled with the package. A user's corpus may leave out
ontology/ or queries/: the bundled ones are used for what it does not have.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent

# How a file is named in messages (Corpus.display): the loaders take it, so a problem names
# the file as the user wrote it.
Display = Callable[[Path], str]


def bundled_root() -> Path:
    """The corpus shipped with kg: package data in a wheel, the repository in a checkout."""
    for candidate in (_PACKAGE / "_corpus", _PACKAGE.parent):
        if (candidate / "seeds").is_dir() and (candidate / "ontology").is_dir():
            return candidate
    raise UsageError("the bundled corpus is missing from this installation of kg")


@dataclass(frozen=True)
class Corpus:
    root: Path
    ontology_dir: Path
    seeds_dir: Path
    queries_dir: Path

    @property
    def registry_dir(self) -> Path:
        return self.seeds_dir / "registry"

    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the working directory when inside it."""
        try:
            return str(path.resolve().relative_to(_cwd()))
        except ValueError:
            return str(path)

    def articles(self) -> list[Path]:
        return sorted(self.seeds_dir.glob("*.txt"))

    def mappings(self) -> list[Path]:
        return sorted(self.seeds_dir.glob("*.yaml"))

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    def registry_files(self) -> list[Path]:
        return sorted(self.registry_dir.glob("*.yaml"))

    def query_files(self) -> list[Path]:
        return sorted(self.queries_dir.glob("*.rq"))

    def sources(self) -> list[Path]:
        """Every file a build reads: a build is stale when any of them changes."""
        return [*self.ontology_files(), *self.registry_files(), *self.articles(), *self.mappings()]


def find_corpus(project: str | os.PathLike[str] | None = None) -> Corpus:
    chosen = project or os.environ.get("KG_PROJECT")
    if chosen:
        root = Path(chosen)
        if not (root / "seeds").is_dir():
            raise UsageError(f"{root}: not a corpus (no seeds/ folder)")
    elif (Path.cwd() / "seeds").is_dir():
        root = Path.cwd()
    else:
        root = bundled_root()
    root = root.resolve()
    fallback = bundled_root()

    def pick(name: str) -> Path:
        own = root / name
        return own if own.is_dir() else fallback / name

    return Corpus(root=root, ontology_dir=pick("ontology"), seeds_dir=root / "seeds", queries_dir=pick("queries"))


_CWD: tuple[str, Path] | None = None


def _cwd() -> Path:
    """The working directory, resolved once while it stays the same (a build names 10,000
    files relative to it)."""
    global _CWD
    here = os.getcwd()
    if _CWD is None or _CWD[0] != here:
        _CWD = (here, Path(here).resolve())
    return _CWD[1]
