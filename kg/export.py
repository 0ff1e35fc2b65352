"""The export command: the built dataset in a standard RDF format, to a file or stdout."""

from __future__ import annotations

from pathlib import Path

from kg.atomic import write_file
from kg.built import OpenBuild
from kg.corpus import Corpus
from kg.serialize import UNION_JSONLD, load_context, serialize


def export_graph(
    corpus: Corpus, fmt: str, open_build: OpenBuild, output: Path | None, *, asserted_only: bool = False
) -> bytes:
    """Serialise the build's dataset (open_build makes it fresh); write it atomically when
    output is given. asserted_only leaves out graph/entailed, in every format."""
    # the context is read before building: a broken context file fails fast, changing nothing
    context = load_context(corpus.ontology_dir) if fmt in ("jsonld", UNION_JSONLD) else None
    dataset = open_build().dataset()
    if asserted_only:
        from kg.entail import GRAPH_ENTAILED

        dataset.remove_graph(GRAPH_ENTAILED)
    data = serialize(dataset, fmt, context)
    if output is not None:
        write_file(output, data)
    return data
