"""The RDFS closure of the stated facts, materialised at build time into graph/entailed.

Why: a user who asks `?x a cafo:Event`, `?x a cafo:Organization` or `?x a schema:Movie`
expects a triple store to apply the ontology's class and property hierarchy; Oxigraph and
rdflib apply none, and `kg reason` (HermiT) is a separate, slower route that needs Java. So
the build adds what RDFS and the ontology's schema.org alignment say, and nothing else:

- x rdf:type C, C rdfs:subClassOf+ D               =>  x rdf:type D
- x p y, p rdfs:subPropertyOf+ q                    =>  x q y
- owl:equivalentClass / owl:equivalentProperty count as subclass / subproperty both ways
  (cafo:Film = schema:Movie, so a film is also a schema:Movie).

The Wikidata alignment is stated with skos:exactMatch / skos:closeMatch (SKOS mappings,
not class or property axioms; and Wikidata's own RDF types items with wdt:P31, never
rdf:type), so it entails nothing here. No rdfs:domain / rdfs:range typing, inverses or
transitivity: those are `kg reason`'s.

The input is the union graph only (what is stated as done, the registry and the ontology's
labels), never the provenance reification; the output holds only triples about terms of that
input and none already in it. Both build paths (kg.build.assemble on rdflib terms, the fast
path on N-Triples lines) call `closure` with the same axioms, so they write the same triples.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.iris import GRAPH
from kg.vocab import OWL_EQUIVALENT_CLASS, OWL_EQUIVALENT_PROPERTY, RDF_TYPE, RDFS_SUB_CLASS_OF, RDFS_SUB_PROPERTY_OF

GRAPH_ENTAILED = URIRef(GRAPH + "entailed")

T = TypeVar("T", bound=Hashable)


def hierarchy(ontology: Graph) -> tuple[dict[URIRef, tuple[URIRef, ...]], dict[URIRef, tuple[URIRef, ...]]]:
    """Every class's strict superclasses and every property's strict superproperties, by
    the transitive closure of the ontology's axioms between IRIs (restrictions and other
    blank-node classes are OWL, left to `kg reason`). Sorted, so output order never depends
    on the hash seed."""
    return (
        _closure_of(_edges(ontology, RDFS_SUB_CLASS_OF, OWL_EQUIVALENT_CLASS)),
        _closure_of(_edges(ontology, RDFS_SUB_PROPERTY_OF, OWL_EQUIVALENT_PROPERTY)),
    )


def _edges(ontology: Graph, sub: URIRef, equivalent: URIRef) -> dict[URIRef, set[URIRef]]:
    edges: dict[URIRef, set[URIRef]] = {}
    for narrow, broad in ontology.subject_objects(sub):
        if isinstance(narrow, URIRef) and isinstance(broad, URIRef):
            edges.setdefault(narrow, set()).add(broad)
    for one, other in ontology.subject_objects(equivalent):
        if isinstance(one, URIRef) and isinstance(other, URIRef):
            edges.setdefault(one, set()).add(other)
            edges.setdefault(other, set()).add(one)
    return edges


def _closure_of(edges: dict[URIRef, set[URIRef]]) -> dict[URIRef, tuple[URIRef, ...]]:
    out = {}
    for start in edges:
        seen: set[URIRef] = set()
        todo = list(edges[start])
        while todo:
            term = todo.pop()
            if term not in seen:
                seen.add(term)
                todo.extend(edges.get(term, ()))
        seen.discard(start)  # equivalence makes cycles: a class is not its own superclass here
        if seen:
            out[start] = tuple(sorted(seen))
    return out


def closure(
    triples: Iterable[tuple[T, T, T]],
    superclasses: dict[T, tuple[T, ...]],
    superproperties: dict[T, tuple[T, ...]],
    rdf_type: T,
    known: Callable[[tuple[T, T, T]], bool],
) -> set[tuple[T, T, T]]:
    """The triples entailed by `triples`, less those `known` says are already there. Terms
    are opaque keys (rdflib terms, or the N-Triples text of each term) as long as the
    arguments agree. One pass: the hierarchies are already transitive."""
    new: set[tuple[T, T, T]] = set()
    for s, p, o in triples:
        if p == rdf_type:
            new.update((s, rdf_type, broader) for broader in superclasses.get(o, ()))
        for broader in superproperties.get(p, ()):
            new.add((s, broader, o))
            if broader == rdf_type:
                new.update((s, rdf_type, cls) for cls in superclasses.get(o, ()))
    return {triple for triple in new if not known(triple)}


def entail_graph(union: Graph, ontology: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The entailed triples of an rdflib union graph (kg.build.assemble's path)."""
    superclasses, superproperties = hierarchy(ontology)
    classes: dict[Node, tuple[Node, ...]] = {c: ds for c, ds in superclasses.items()}  # as terms
    properties: dict[Node, tuple[Node, ...]] = {p: qs for p, qs in superproperties.items()}
    triples = (t for t in union if not any(isinstance(term, BNode) for term in (t[0], t[2])))
    yield from closure(triples, classes, properties, RDF_TYPE, union.__contains__)


def entail_lines(union: set[str], ontology: Graph) -> set[str]:
    """The entailed triples of the union as N-Triples lines ("<s> <p> <o> ."), from the
    union's own lines (the build's fast path, a million lines at 10,000 articles: no parsing
    into terms, one split per line, the rules of `closure` inlined). Lines with a blank node
    as subject or object are left out, as entail_graph leaves them out; tests pin the two
    paths to the same triples. A set: the build sorts every graph's lines once, later."""
    superclasses, superproperties = hierarchy(ontology)
    classes = {_n3(c): tuple(_n3(d) for d in ds) for c, ds in superclasses.items()}
    properties = {_n3(p): tuple(_n3(q) for q in qs) for p, qs in superproperties.items()}
    rdf_type = _n3(RDF_TYPE)
    new: set[str] = set()
    for line in union:
        s, p, o = line[:-2].split(" ", 2)  # IRIs hold no space; the object is the rest
        broader_classes = classes.get(o, ()) if p == rdf_type else ()
        broader_properties = properties.get(p, ())
        if (broader_classes or broader_properties) and s[0] != "_" and o[0] != "_":
            new.update(f"{s} {rdf_type} {cls} ." for cls in broader_classes)
            for broader in broader_properties:
                new.add(f"{s} {broader} {o} .")
                if broader == rdf_type:
                    new.update(f"{s} {rdf_type} {cls} ." for cls in classes.get(o, ()))
    new.difference_update(union)
    return new


def _n3(iri: URIRef) -> str:
    return iri.n3()
