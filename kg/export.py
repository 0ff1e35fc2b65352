"""The export command: the built dataset in a standard RDF format, to a file or stdout."""

from __future__ import annotations

from pathlib import Path

from kg.atomic import write_file
from kg.build import ensure_built, load_dataset
from kg.corpus import Corpus
from kg.serialize import serialize


def export_graph(corpus: Corpus, fmt: str, out_dir: Path, output: Path | None) -> bytes:
    """Serialise the (freshly built if needed) dataset; write it atomically when output is given."""
    ensure_built(corpus, out_dir)
    data = serialize(load_dataset(out_dir), fmt)
    if output is not None:
        write_file(output, data)
    return data
