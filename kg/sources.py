"""Where a triple came from: the mapping file and line of the fact that states it, or the
registry entry that declares an entity.

The reasoner and the quality report talk about triples and IRIs; a curator fixes YAML. This
index turns one into the other, so every problem can name the file and line to open.
Terms are compared by a normalised key (IRI, or lexical form + language + datatype with
xsd:string dropped), so rdflib and pyoxigraph terms of the same value meet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.iris import ID, article_iri, claim_iri, entity_iri, prefixed_name
from kg.mapping import Mapping
from kg.registry import Registry
from kg.vocab import RDF_TYPE, XSD_STRING

# As text: pyoxigraph's terms give text, and an rdflib URIRef never equals a plain str.
_XSD_STRING = str(XSD_STRING)
_RDF_TYPE = str(RDF_TYPE)

# A term as either library gives it, or an IRI as text.
Term = Node | pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple | str

Key = tuple[str, str, str]  # kind ("iri", "literal", "blank"), value, language-or-datatype


def term_key(term: Term) -> Key:
    """A comparable key for an rdflib or a pyoxigraph term (or a plain IRI string)."""
    if isinstance(term, (URIRef, pyoxigraph.NamedNode)):
        return ("iri", term.value if isinstance(term, pyoxigraph.NamedNode) else str(term), "")
    if isinstance(term, (BNode, pyoxigraph.BlankNode)):
        return ("blank", term.value if isinstance(term, pyoxigraph.BlankNode) else str(term), "")
    if isinstance(term, Literal):
        value, language = str(term), term.language
        datatype = "" if term.datatype is None else str(term.datatype)
    elif isinstance(term, pyoxigraph.Literal):
        value, language, datatype = term.value, term.language, term.datatype.value
    else:
        return ("iri", str(term), "")  # a plain string names an IRI
    if language:
        return ("literal", value, "@" + language.lower())
    return ("literal", value, "" if datatype == _XSD_STRING else datatype)


def short(term_or_key: Term | Key) -> str:
    """How a term is shown to a curator: an entity id for the project's things
    (person/akan-sataev), prefixed names for terms, quoted text for literals."""
    key = term_or_key if isinstance(term_or_key, tuple) else term_key(term_or_key)
    kind, value, _extra = key
    if kind == "literal":
        return value
    if kind == "blank":
        return "_:" + value
    if value.startswith(ID):
        return value[len(ID) :]
    return prefixed_name(value) or value


@dataclass
class SourceIndex:
    """Triples, entities, n-ary nodes, claims and articles -> 'file:line' strings."""

    triples: dict[tuple[Key, Key, Key], list[str]] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, str] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)

    def of_triple(self, s: Term, p: Term, o: Term) -> list[str]:
        return self.triples.get((term_key(s), term_key(p), term_key(o)), [])

    def of_entity(self, iri: str) -> str:
        """Where an entity is declared: its registry entry, the fact declaring a node, or the
        mapping of an article; '' when the index knows nothing about it."""
        return self.entities.get(iri) or self.nodes.get(iri) or self.claims.get(iri) or self.articles.get(iri, "")

    def locate(self, entity: Term | None = None, prop: Term | None = None, value: Term | None = None) -> str:
        """The best single place to look for a (entity, property, value) finding."""
        if entity is not None and prop is not None and value is not None:
            found = self.of_triple(entity, prop, value)
            if found:
                return found[0]
        for term in (entity, value):
            if term is None:
                continue
            kind, iri, _ = term_key(term)
            if kind == "iri" and (where := self.of_entity(iri)):
                return where
        return ""

    def merge(self, other: SourceIndex) -> None:
        """Add another index's places after this one's (articles in build order: the first
        fact to declare a node stays its place, as in one pass over the mappings)."""
        for key, places in other.triples.items():
            self.triples.setdefault(key, []).extend(places)
        self.entities.update(other.entities)
        for iri, where in other.nodes.items():
            self.nodes.setdefault(iri, where)
        self.claims.update(other.claims)
        self.articles.update(other.articles)

    def mapped(self, place: Callable[[str], str]) -> SourceIndex:
        """The same index with every 'file:line' rewritten by place (the build stores absolute
        paths; a reader shows them as its corpus names files, relative to where it runs)."""
        return SourceIndex(
            {key: [place(p) for p in places] for key, places in self.triples.items()},
            {iri: place(p) for iri, p in self.entities.items()},
            {iri: place(p) for iri, p in self.nodes.items()},
            {iri: place(p) for iri, p in self.claims.items()},
            {iri: place(p) for iri, p in self.articles.items()},
        )

    def to_line(self) -> bytes:
        """This index as one line of the build's sources.jsonl (sorted keys and triples, so the
        same sources give the same bytes): the build writes the registry's line, then one per
        article in build order, each made where the article was checked (and kept with it in
        the build's cache), so the build never holds the whole index (issue 16)."""
        data = {
            "articles": self.articles,
            "claims": self.claims,
            "entities": self.entities,
            "nodes": self.nodes,
            "triples": sorted([*(list(part) for part in key), places] for key, places in self.triples.items()),
        }
        return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    @classmethod
    def from_line(cls, data: dict[str, Any]) -> SourceIndex:
        triples = {(tuple(s), tuple(p), tuple(o)): places for s, p, o, places in data["triples"]}
        return cls(triples, data["entities"], data["nodes"], data["claims"], data["articles"])


def drafts_line(drafts: Sequence[tuple[str, str]]) -> bytes:
    """The last line of sources.jsonl: (file:line of the draft mark, article) of each mapping
    the build left out, for `kg check`."""
    data = {"drafts": [{"source": source, "article": article} for source, article in drafts]}
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def read_lines(lines: Iterable[str | bytes]) -> tuple[SourceIndex, list[tuple[str, str]]]:
    """sources.jsonl back: the index (its parts merged in the order the build wrote them, as
    one pass over the mappings would) and the drafts."""
    index = SourceIndex()
    drafts: list[tuple[str, str]] = []
    for line in lines:
        data = json.loads(line)
        if "drafts" in data:
            drafts += [(d["source"], d["article"]) for d in data["drafts"]]
        else:
            index.merge(SourceIndex.from_line(data))
    return index, drafts


def absolute_place(place: str) -> str:
    """'file:line' with the file as an absolute path: the build's index must not depend on the
    directory the build ran in (kg.built.Build.sources shows it relative to the reader's)."""
    path, _, line = place.rpartition(":")
    return f"{Path(path).resolve()}:{line}"


def index_registry(registry: Registry) -> SourceIndex:
    """Where each registry entity is declared."""
    index = SourceIndex()
    for entity in registry.entities.values():
        index.entities[str(entity_iri(entity.id))] = f"{entity.file}:{entity.line}"
    return index


def index_mapping(mapping: Mapping) -> SourceIndex:
    """Where each fact of one mapping is stated: its triples, claims, nodes and article."""
    index = SourceIndex()
    index.articles[str(article_iri(mapping.stem))] = f"{mapping.display}:1"
    for fact in mapping.facts:
        where = f"{mapping.display}:{fact.line}"
        for n, (s, p, o) in enumerate(fact.triples, start=1):
            index.triples.setdefault((term_key(s), term_key(p), term_key(o)), []).append(where)
            index.claims[str(claim_iri(mapping.stem, fact.id, n))] = where
            if str(p) == _RDF_TYPE:
                index.nodes.setdefault(str(s), where)
    return index


class Checked(Protocol):
    """What the index is built from: kg.build's checked corpus."""

    @property
    def registry(self) -> Registry: ...

    @property
    def mappings(self) -> Sequence[Mapping]: ...


def index_sources(checked: Checked) -> SourceIndex:
    """Build the index from kg.build.check_corpus's result (mappings and registry): the same
    index the build writes (kg.built.Build.sources reads it back)."""
    index = index_registry(checked.registry)
    for mapping in checked.mappings:
        index.merge(index_mapping(mapping))
    return index
