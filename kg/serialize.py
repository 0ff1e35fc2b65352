"""Serialisations of the built dataset through rdflib, with the project's prefixes bound and
deterministic output: the same input gives the same bytes, so diffs are meaningful.

rdflib keeps named graphs in a set, so graph order follows Python's hash seed; the TriG
serialiser is given the graphs sorted, line formats are sorted, JSON-LD arrays are sorted
(node objects by @id).

JSON-LD is compacted with the published context, ontology/context.jsonld (jsonld_context
makes it from the ontology; write_context rewrites it). Entity ids are relative to its
@base, https://w3id.org/ca-film/id/, so they read as the registry's ids (`film/ayka-2018`):
the project's per-kind prefixes (country:, award:, amount:) cannot be JSON-LD prefixes
beside the ontology's properties of the same names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from kg.errors import UnknownChoice, UsageError
from kg.iris import CAFO, GRAPH_META, GRAPH_ONTOLOGY, GRAPH_PROVENANCE, ID, PREFIXES
from kg.vocab import (
    OWL_ANNOTATION_PROPERTY,
    OWL_CLASS,
    OWL_DATATYPE_PROPERTY,
    OWL_OBJECT_PROPERTY,
    RDF_LANG_STRING,
    RDF_PROPERTY,
    RDF_TYPE,
    RDFS_CLASS,
    RDFS_COMMENT,
    RDFS_LABEL,
    RDFS_RANGE,
    XSD,
    XSD_STRING,
)

if TYPE_CHECKING:
    from pyld.jsonld import JsonLdProcessor

# A JSON value as json.loads gives it; JSON-LD documents and contexts are JSON objects.
Json: TypeAlias = "dict[str, Json] | list[Json] | str | int | float | bool | None"
JsonObject: TypeAlias = "dict[str, Json]"

GRAPH_FORMATS = {"turtle": "ttl", "ntriples": "nt", "xml": "rdf"}
DATASET_FORMATS = {"trig": "trig", "nquads": "nq", "jsonld": "jsonld"}
# JSON-LD of the union graph with no named graph: for tools that read only the default graph
# (rdflib's Graph.parse, hence kglab's load_jsonld, reads 0 triples from the named graphs).
UNION_JSONLD = "jsonld-union"
FORMATS = {**GRAPH_FORMATS, UNION_JSONLD: "jsonld", **DATASET_FORMATS}

CONTEXT_FILE = "context.jsonld"  # in ontology/: the published @context of the JSON-LD exports
# Terms outside the ontology that every reader meets: the labels and the Wikidata links.
COMMON_TERMS: JsonObject = {
    "label": {"@id": "rdfs:label", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
    "comment": {"@id": "rdfs:comment", "@container": "@language"},
    "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
}


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


class _SortedTrigSerializer(TrigSerializer):
    def __init__(self, store: Graph):
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
            for predicate in (RDF_TYPE, RDFS_LABEL, RDFS_COMMENT):
                for triple in sorted(graph.triples((None, predicate, None))):
                    if not _is_blank(triple[0]):
                        union.add(triple)
            continue
        for triple in sorted(graph):
            union.add(triple)
    return union


def _is_blank(term: Node) -> bool:
    return isinstance(term, BNode)


def serialize(dataset: Dataset, fmt: str, context: JsonObject | None = None) -> bytes:
    """The dataset in one of FORMATS. Single-graph formats get the union graph. JSON-LD is
    compacted with `context` (a parsed context file; default: the bundled one)."""
    if fmt not in FORMATS:
        raise UnknownChoice("format", fmt, FORMATS)
    if fmt == UNION_JSONLD:
        return _jsonld(union_graph(dataset), context)
    if fmt in GRAPH_FORMATS:
        graph = union_graph(dataset)
        if fmt == "ntriples":
            return sorted_lines(graph.serialize(format="nt", encoding="utf-8"))
        if fmt == "xml":
            return _rdf_xml(sorted_lines(graph.serialize(format="nt", encoding="utf-8")))
        return graph.serialize(format=fmt, encoding="utf-8")
    dataset = canonical_blank_nodes(dataset)
    bind_prefixes(dataset)
    if fmt == "nquads":
        return sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"), key=_graph_then_line)
    if fmt == "trig":
        import io

        buffer = io.BytesIO()
        _SortedTrigSerializer(dataset).serialize(buffer, encoding="utf-8")
        return buffer.getvalue()
    return _jsonld(dataset, context)


def _pyld_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "IRI", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "blank node", "value": "_:" + str(term)}
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term of a graph: {term!r}")  # a graph holds IRIs, blank nodes, literals
    if term.language:
        return {"type": "literal", "value": str(term), "datatype": str(RDF_LANG_STRING), "language": term.language}
    return {"type": "literal", "value": str(term), "datatype": str(term.datatype or XSD_STRING)}


def _pyld_dataset(graph: Graph) -> dict[str, list[dict[str, dict[str, str]]]]:
    """An rdflib dataset (named graphs kept) or graph (all in the default graph) as pyld's
    RDF dataset: what its N-Quads parser returns, without that parser (about 30 s for
    10,000 quads). Quads in (graph, subject, predicate, object) order, so pyld meets them in
    one order whatever the hash seed."""
    quads: list[tuple[Node | None, Node, Node, Node]]
    if isinstance(graph, Dataset):
        quads = [(g, s, p, o) for s, p, o, g in graph.quads((None, None, None, None))]
    else:
        quads = [(None, s, p, o) for s, p, o in graph]
    dataset: dict[str, list[dict[str, dict[str, str]]]] = {"@default": []}
    for name, s, p, o in sorted(quads, key=lambda q: tuple(str(t) for t in q)):
        key = "@default" if name is None or name == DATASET_DEFAULT_GRAPH_ID else str(name)
        dataset.setdefault(key, []).append(
            {"subject": _pyld_term(s), "predicate": _pyld_term(p), "object": _pyld_term(o)}
        )
    return dataset


def _compactor() -> JsonLdProcessor:
    """pyld's processor, remembering the IRIs it has compacted. Compaction asks for the same
    ids again and again (every mention of film/ayka-2018), and each answer scans every term
    of the context: remembered, the seed build compacts in a third of the time. Only answers
    that depend on the IRI alone are kept (no value to choose a term by), for the one active
    context they were computed in (kept alive with them, so its id is never reused)."""
    from pyld import jsonld

    class Compactor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld has no type information
        def __init__(self) -> None:
            super().__init__()
            self.known: dict[tuple[int, str, bool, str | None, bool], tuple[JsonObject, str]] = {}

        def _compact_iri(
            self,
            active_ctx: JsonObject,
            iri: str,
            value: Json = None,
            vocab: bool = False,
            base: str | None = None,
            reverse: bool = False,
        ) -> str:
            if value is not None:
                return str(super()._compact_iri(active_ctx, iri, value, vocab, base, reverse))
            key = (id(active_ctx), iri, vocab, base, reverse)
            found = self.known.get(key)
            if found is not None and found[0] is active_ctx:
                return found[1]
            answer = str(super()._compact_iri(active_ctx, iri, value, vocab, base, reverse))
            self.known[key] = (active_ctx, answer)
            return answer

    return Compactor()


def _no_remote_context(url: str, options: JsonObject | None = None) -> JsonObject:
    from pyld.jsonld import JsonLdError

    raise JsonLdError(f"kg loads no remote JSON-LD context ({url})", "jsonld.LoadDocumentError")


def _jsonld(graph: Graph, context: JsonObject | None) -> bytes:
    """Compact JSON-LD through pyld, the JSON-LD API's reference implementation: from_rdf
    turns the quads into expanded JSON-LD (rdf:type as @type, RDF lists as @list), compact
    applies the published context, which is embedded, so the file needs nothing from the
    network. (rdflib's serialiser relativises ids against the host, not @base, and cannot
    use a prefix for nested ids.) Term selection follows
    the JSON-LD 1.1 compaction algorithm: a term with a @type coercion is used only for
    values of that type, a language map only for language-tagged strings; any other value
    keeps the full form under the compact IRI (cafo:value), so nothing is coerced wrongly."""
    from pyld import jsonld

    context = context if context is not None else load_context()
    options: dict[str, str | bool | Callable[[str, JsonObject | None], JsonObject]] = {
        "documentLoader": _no_remote_context,
        "processingMode": "json-ld-1.1",
    }
    expanded: Json = jsonld.from_rdf(_pyld_dataset(graph), options)
    compacted: Json = _compactor().compact(
        expanded, {"@context": context["@context"]}, {**options, "skipExpansion": True}
    )
    return (json.dumps(_sort_json(compacted), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def jsonld_context(ontology: Graph) -> JsonObject:
    """The JSON-LD context published as ontology/context.jsonld, derived from the ontology:
    entity IRIs relative to the id/ base (`film/ayka-2018`, as in the registry and the CLI),
    the vocabulary prefixes, one term per ontology class (`Film`) and property (`director`).
    An object property's values are IRIs (@type @id); a datatype property with one XSD range
    is coerced to it, one ranging over rdf:langString gets a language map ({"en": ..., "ru":
    ...}); anything else (no range, several, xsd:string) is not coerced."""
    context: JsonObject = {"@base": ID}
    context.update({prefix: ns for prefix, ns in PREFIXES.items() if not ns.startswith(ID)})
    context.update(COMMON_TERMS)
    cafo = str(CAFO)

    def ours(kinds: Iterable[URIRef]) -> list[URIRef]:
        found = {s for kind in kinds for s in ontology.subjects(RDF_TYPE, kind)}
        return sorted(s for s in found if isinstance(s, URIRef) and str(s).startswith(cafo) and len(s) > len(cafo))

    for cls in ours((OWL_CLASS, RDFS_CLASS)):
        context.setdefault(str(cls)[len(cafo) :], "cafo:" + str(cls)[len(cafo) :])
    object_properties = set(ours((OWL_OBJECT_PROPERTY,)))
    data_properties = set(ours((OWL_DATATYPE_PROPERTY, OWL_ANNOTATION_PROPERTY)))
    for prop in sorted(object_properties | data_properties | set(ours((RDF_PROPERTY,)))):
        name = str(prop)[len(cafo) :]
        if name in context:
            continue  # a prefix or a common term keeps its name; the property is cafo:NAME
        ranges = {r for r in ontology.objects(prop, RDFS_RANGE) if isinstance(r, URIRef)}
        term: dict[str, Json] = {"@id": "cafo:" + name}
        if prop in object_properties and prop not in data_properties:
            term["@type"] = "@id"
        elif prop in data_properties and prop not in object_properties and len(ranges) == 1:
            (value_type,) = ranges
            if value_type == RDF_LANG_STRING:
                term["@container"] = "@language"
            elif str(value_type).startswith(str(XSD)) and value_type != XSD_STRING:
                term["@type"] = "xsd:" + str(value_type)[len(str(XSD)) :]
        context[name] = term if len(term) > 1 else term["@id"]
    return {"@context": context}


def context_text(context: JsonObject) -> str:
    """How the context file is written: the order jsonld_context gives, two-space indent."""
    return json.dumps(context, ensure_ascii=False, indent=2) + "\n"


def load_context(ontology_dir: Path | None = None) -> JsonObject:
    """The context file of a corpus's ontology/ folder, else the bundled one."""
    from kg.corpus import bundled_root

    candidates = [ontology_dir / CONTEXT_FILE] if ontology_dir is not None else []
    candidates.append(bundled_root() / "ontology" / CONTEXT_FILE)
    for path in candidates:
        if path.is_file():
            try:
                context: Json = json.loads(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError as error:
                raise UsageError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
            except json.JSONDecodeError as error:
                raise UsageError(f"{path}:{error.lineno}: not JSON ({error.msg}, column {error.colno})") from None
            if not isinstance(context, dict) or not isinstance(context.get("@context"), dict):
                raise UsageError(f"{path}: not a JSON-LD context (no @context object)")
            return context
    raise UsageError(f"{candidates[-1]}: the JSON-LD context is missing from this installation of kg")


def _rdf_xml(ntriples: bytes) -> bytes:
    """RDF/XML through pyoxigraph's serialiser: rdflib's iterates Python sets, so its
    element and namespace order changes from run to run."""
    import pyoxigraph

    triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    used = {prefix: ns for prefix, ns in PREFIXES.items() if ns.encode() in ntriples}
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=used)
    assert data is not None  # no output file given: the bytes are returned
    return data


def canonical_blank_nodes(dataset: Dataset) -> Dataset:
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


def sorted_lines(data: bytes, key: Callable[[str], tuple[str, str]] | None = None) -> bytes:
    """Line-based RDF (N-Triples, N-Quads) in one order whatever the hash seed: each line
    once, sorted (by `key`), blank lines dropped, ending in a newline."""
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()}, key=key)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _graph_then_line(line: str) -> tuple[str, str]:
    """N-Quads order: by graph, then by line - one graph's quads together, as in TriG (the
    graph term is the last before the final dot; graph IRIs hold no space)."""
    return line.rsplit(" ", 2)[-2], line


def _keep_order(items: list[Json]) -> list[Json]:
    """An RDF list (@list) is ordered: sort inside its items, never the items themselves."""
    return [_sort_json(item) for item in items]


def _item_key(item: Json) -> tuple[str, str]:
    """Node objects (graphs, nodes) by their @id, so a reader finds them in id order."""
    ident = item.get("@id") if isinstance(item, dict) else None
    return (ident if isinstance(ident, str) else "", json.dumps(item, sort_keys=True, ensure_ascii=False))


def _sort_json(value: Json) -> Json:
    if isinstance(value, dict):
        return {
            key: _keep_order(item) if key == "@list" and isinstance(item, list) else _sort_json(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = [_sort_json(item) for item in value]
        return sorted(items, key=_item_key)
    return value


def write_context(ontology_dir: Path | None = None) -> Path:
    """Regenerate ontology/context.jsonld from the ontology's Turtle files beside it (the
    bundled ontology by default); tests/test_export.py checks that the two agree."""
    from kg.atomic import write_file
    from kg.corpus import bundled_root

    folder = ontology_dir or bundled_root() / "ontology"
    ontology = Graph()
    for path in sorted(folder.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    target = folder / CONTEXT_FILE
    write_file(target, context_text(jsonld_context(ontology)).encode("utf-8"))
    return target
