"""Serialisations of the built dataset through rdflib, with the project's prefixes bound and
deterministic output: the same input gives the same bytes, so diffs are meaningful.

rdflib keeps named graphs in a set, so graph order follows Python's hash seed; the TriG
serialiser is given the graphs sorted, line formats are sorted, JSON-LD arrays are sorted.
"""

from __future__ import annotations

import json

from rdflib import RDF, RDFS, BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.trig import TrigSerializer

from kg.errors import UsageError
from kg.iris import GRAPH_META, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, PREFIXES

GRAPH_FORMATS = {"turtle": "ttl", "ntriples": "nt", "xml": "rdf"}
DATASET_FORMATS = {"trig": "trig", "nquads": "nq", "jsonld": "jsonld"}
FORMATS = {**GRAPH_FORMATS, **DATASET_FORMATS}


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


class _SortedTrigSerializer(TrigSerializer):
    def __init__(self, store):
        super().__init__(store)
        self.contexts.sort(key=lambda g: str(g.identifier))


def union_graph(dataset: Dataset) -> Graph:
    """What a user who does not care about provenance queries: the stated facts, the
    registry's entities, and the ontology's labels - no claims, no metadata."""
    union = Graph()
    bind_prefixes(union)
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier in (GRAPH_META, GRAPH_PROVENANCE):
            continue
        if graph.identifier == GRAPH_ONTOLOGY:
            for predicate in (RDF.type, RDFS.label, RDFS.comment):
                for triple in sorted(graph.triples((None, predicate, None))):
                    if not _is_blank(triple[0]):
                        union.add(triple)
            continue
        for triple in sorted(graph):
            union.add(triple)
    return union


def _is_blank(term) -> bool:
    return isinstance(term, BNode)


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one of FORMATS. Single-graph formats get the union graph."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt in GRAPH_FORMATS:
        graph = union_graph(dataset)
        if fmt == "ntriples":
            return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))
        if fmt == "xml":
            return _rdf_xml(_sorted_lines(graph.serialize(format="nt", encoding="utf-8")))
        return graph.serialize(format=fmt, encoding="utf-8")
    dataset = _canonical_blank_nodes(dataset)
    bind_prefixes(dataset)
    if fmt == "nquads":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"), key=_graph_then_line)
    if fmt == "trig":
        import io

        buffer = io.BytesIO()
        _SortedTrigSerializer(dataset).serialize(buffer, encoding="utf-8")
        return buffer.getvalue()
    data = json.loads(dataset.serialize(format="json-ld", encoding="utf-8"))
    return (json.dumps(_sort_json(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _rdf_xml(ntriples: bytes) -> bytes:
    """RDF/XML through pyoxigraph's serialiser: rdflib's iterates Python sets, so its
    element and namespace order changes from run to run."""
    import pyoxigraph

    triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    used = {prefix: ns for prefix, ns in PREFIXES.items() if ns.encode() in ntriples}
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=used)


def _canonical_blank_nodes(dataset: Dataset) -> Dataset:
    """Blank-node labels are random per parse; give them canonical, content-derived labels
    (rdflib.compare) so that re-serialising a re-parsed dataset gives the same bytes.
    Only graphs that hold blank nodes (the ontology's lists and axioms) are rewritten."""
    out = Dataset()
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        target = out.graph(graph.identifier)
        if any(isinstance(term, BNode) for triple in graph for term in triple):
            graph = to_canonical_graph(graph)
        for triple in sorted(graph):
            target.add(triple)
    return out


def _sorted_lines(data: bytes, key=None) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()}, key=key)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _graph_then_line(line: str) -> tuple[str, str]:
    """N-Quads order: by graph, then by line - one graph's quads together, as in TriG (the
    graph term is the last before the final dot; graph IRIs hold no space)."""
    return line.rsplit(" ", 2)[-2], line


def _keep_order(items: list) -> list:
    """An RDF list (@list) is ordered: sort inside its items, never the items themselves."""
    return [_sort_json(item) for item in items]


def _sort_json(value):
    if isinstance(value, dict):
        return {key: _keep_order(item) if key == "@list" else _sort_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sort_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
