"""The dataset's own description (issue 15): VoID + DCAT in its named graph, graph/dataset.

Why a graph of its own: a linked-data client reads what the dataset is, where its dumps
are and how big each graph is without downloading it, and a query can leave the description
out (or read only it) by naming the graph. It is part of the union (graph.ttl), so the
Turtle dump describes itself too.

What it says comes from two places and nothing else:
- what the project states (README, pyproject.toml, issue 15): the title, the description,
  the licence of the data (CC BY 4.0; the code is MIT), the dumps and where `kg site`
  publishes them under the w3id base (kg/templates/site/w3id.htaccess redirects them);
- what the build counts in the quads it writes: triples per graph, entities, classes,
  properties, the vocabularies used, the Wikidata links, the articles (dcterms:source).
Left out on purpose: dcterms:creator and dcterms:publisher (the project names none),
dcterms:issued and dcterms:modified (the build knows no date but the wall clock, and the same
sources must give the same bytes; an article's date is not the data's), and
void:sparqlEndpoint (a build is files; `kg serve` is an endpoint only while it runs).

The counts describe every other graph of the build; graph/dataset does not count itself.
describe() reads N-Quads lines, so the fast build path (which holds lines) and assemble()
(rdflib, through lines_of_dataset) describe the same quads with the same code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kg.iris import BASE, ENTITY_KINDS, GRAPH, ID, PREFIXES, claim_iri, evidence_iri
from kg.vocab import (
    CAFO,
    DCAT,
    DCAT_DATASET,
    DCTERMS,
    DCTERMS_SOURCE,
    IANA_MEDIA_TYPES,
    OWL_SAME_AS,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA_NEWS_ARTICLE,
    VOID,
    VOID_DATASET,
    VOID_TRIPLES,
    WD,
)

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

Triple = tuple[URIRef, URIRef, URIRef | Literal]
"""A triple of the description: its subjects and predicates are IRIs, never blank nodes."""

ONTOLOGY_IRI = URIRef(BASE + "ontology")
GRAPH_DATASET = URIRef(GRAPH + "dataset")
DATASET = URIRef(BASE + "dataset")
WIKIDATA = URIRef(str(WD))  # the linkset's target (void:objectsTarget) is Wikidata's entity space
WIKIDATA_LINKS = URIRef(BASE + "dataset/wikidata-links")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

TITLE = "CA-Film: the open knowledge graph of Central Asian film co-production"
DESCRIPTION = (
    "Films and series, the people and companies who made them, the countries that "
    "co-produced them, festivals, awards, budgets and plans, as reported by news articles "
    "(Russian, English, Kazakh). Each article is mapped by hand into facts under a small "
    "documented ontology aligned with schema.org and Wikidata, and every fact keeps the "
    "verbatim sentence that states it (a Web Annotation on the article). One named graph per "
    "article; provenance, article metadata, the entity registry, generated labels, the "
    "ontology and the RDFS entailments in graphs of their own."
)
RIGHTS = (
    "The data (the ontology, the hand-written mappings and the facts built from them) is "
    "licensed CC BY 4.0. The quoted sentences are short quotations of the source articles, "
    "given as evidence; the articles remain their publishers'."
)
KEYWORDS = ("Central Asia", "Kazakhstan", "cinema", "film co-production", "knowledge graph", "provenance")
# The dumps `kg site` publishes beside its pages: (file, format, media type, what it holds).
DUMPS = (
    ("graph.ttl", "Turtle", "text/turtle", "the union graph: facts, entities, labels, ontology labels"),
    ("graph.trig", "TriG", "application/trig", "every named graph"),
    ("graph.nq", "N-Quads", "application/n-quads", "every named graph, one quad a line"),
    ("graph.jsonld", "JSON-LD", "application/ld+json", "every named graph (kg export -f jsonld)"),
)
EXAMPLES = 3  # void:exampleResource: the registry entities with the most statements


def distribution_iri(file: str) -> URIRef:
    return URIRef(f"{BASE}dataset/{file}")


def download_iri(file: str) -> URIRef:
    """Where a dump is published: the w3id base redirects it to the site's own file."""
    return URIRef(BASE + file)


_RDF_TYPE, _SAME_AS = RDF_TYPE.n3().encode(), OWL_SAME_AS.n3().encode()
_NEWS_ARTICLE, _WIKIDATA, _OURS = SCHEMA_NEWS_ARTICLE.n3().encode(), ("<" + str(WD)).encode(), ("<" + ID).encode()


@dataclass
class Counts:
    """What describe() counts in the build's N-Quads lines, kept so that parts can be added
    up: each article's lines are counted where the article is checked (and cached with it),
    the build adds the counts and counts only the lines it makes itself (issue 16).

    Adding is exact because no two articles write the same line (each article's graphs,
    claims and evidence are its own), except where their runs overlap in a shared graph;
    the build takes such repeated lines out again (remove)."""

    sizes: Counter[str] = field(default_factory=Counter)  # graph name -> lines
    properties: set[bytes] = field(default_factory=set)
    classes: set[bytes] = field(default_factory=set)
    articles: set[bytes] = field(default_factory=set)
    mentions: Counter[bytes] = field(default_factory=Counter)  # a subject of ours -> its lines
    private: int = 0  # subjects of ours that only one article can state (its claims, evidence): counted, not kept
    links: int = 0  # owl:sameAs to a Wikidata item
    own: set[bytes] = field(default_factory=set, repr=False)  # the private subjects, until seal()

    def add_lines(self, name: str, lines: Iterable[bytes], private: tuple[bytes, ...] = ()) -> None:
        """A graph's lines (distinct; sorted, so a subject's lines come together, which
        makes counting cheaper). Subjects starting with a `private` prefix are counted as
        distinct subjects and not kept."""
        if name == GRAPH_DATASET.n3():
            return
        size = 0
        tail = len(name.encode()) + 3  # " <g> ." after the object
        last, run = b"", 0
        for line in lines:
            size += 1
            # subjects and predicates are IRIs or blank nodes (no spaces); the object is
            # what lies between the predicate and the graph name
            s, p, rest = line.split(b" ", 2)
            self.properties.add(p)
            if s != last:
                if run:
                    self._mention(last, run, private)
                last, run = s, 0
            if p == _RDF_TYPE:
                o = rest[:-tail]
                self.classes.add(o)
                if o == _NEWS_ARTICLE:
                    self.articles.add(s)
            elif p == _SAME_AS and rest.startswith(_WIKIDATA):
                self.links += 1
            run += 1
        if run:
            self._mention(last, run, private)
        self.sizes[name] += size

    def _mention(self, subject: bytes, lines: int, private: tuple[bytes, ...]) -> None:
        if not subject.startswith(_OURS):
            return
        if private and subject.startswith(private):
            self.own.add(subject)
        else:
            self.mentions[subject] += lines

    def seal(self) -> Counts:
        """The private subjects counted, and let go (before the counts are kept or added)."""
        self.private += len(self.own)
        self.own = set()
        return self

    def add(self, other: Counts) -> None:
        other.seal()
        self.sizes.update(other.sizes)
        self.properties |= other.properties
        self.classes |= other.classes
        self.articles |= other.articles
        self.mentions.update(other.mentions)
        self.private += other.private
        self.links += other.links

    def remove(self, name: str, line: bytes) -> None:
        """A line counted twice (two articles' overlapping runs), once less."""
        s, p, rest = line.split(b" ", 2)
        self.sizes[name] -= 1
        if s.startswith(_OURS):
            self.mentions[s] -= 1
        if p == _SAME_AS and rest.startswith(_WIKIDATA):
            self.links -= 1


def private_prefixes(stem: str) -> tuple[bytes, ...]:
    """The subjects only this article can state: its claims and its evidence (kg.iris)."""
    return tuple(
        ("<" + str(iri).rsplit("/", 1)[0] + "/").encode()
        for iri in (claim_iri(stem, "x", 1), evidence_iri(stem, "x", 1))
    )


def describe(graphs: Mapping[str, Iterable[bytes]] | Counts) -> list[Triple]:
    """The description's triples (sorted): from counts, or from the build's N-Quads lines
    by graph name (the name as an N-Quads term, "<https://...>"; each graph's lines
    distinct, as bytes)."""
    if isinstance(graphs, Counts):
        counts = graphs.seal()
    else:
        counts = Counts()
        for name, lines in graphs.items():
            counts.add_lines(name, lines)
    sizes = {name: size for name, size in counts.sizes.items() if size}
    properties, classes, articles, links = counts.properties, counts.classes, counts.articles, counts.links
    mentions = +counts.mentions  # without the subjects whose lines were all repeats
    used = {_namespace(term[1:-1].decode()) for term in properties | classes}
    vocabularies = sorted({ns for ns in used if ns} | {str(VOID), str(DCAT), str(DCTERMS)})

    out: list[Triple] = [
        (DATASET, RDF_TYPE, VOID_DATASET),
        (DATASET, RDF_TYPE, DCAT_DATASET),
        (DATASET, DCTERMS.title, Literal(TITLE, lang="en")),
        (DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")),
        (DATASET, DCTERMS.license, LICENSE),
        (DATASET, DCTERMS.rights, Literal(RIGHTS, lang="en")),
        (DATASET, DCAT.landingPage, URIRef(BASE)),
        (DATASET, VOID.uriSpace, Literal(ID)),
        (DATASET, VOID_TRIPLES, Literal(sum(sizes.values()))),
        (DATASET, VOID.entities, Literal(len(mentions) + counts.private)),
        (DATASET, VOID.classes, Literal(len(classes))),
        (DATASET, VOID.properties, Literal(len(properties))),
        (LICENSE, RDFS_LABEL, Literal("Creative Commons Attribution 4.0 International (CC BY 4.0)", lang="en")),
    ]
    out += [(DATASET, DCAT.keyword, Literal(k, lang="en")) for k in KEYWORDS]
    out += [(DATASET, VOID.vocabulary, URIRef(ns)) for ns in vocabularies]
    out += [(DATASET, DCTERMS_SOURCE, URIRef(a[1:-1].decode())) for a in sorted(articles)]
    kinds = {kind.encode() for kind in ENTITY_KINDS}
    examples = sorted(
        (s for s in mentions if s[1 + len(ID) :].split(b"/", 1)[0] in kinds),
        key=lambda s: (-mentions[s], s),
    )[:EXAMPLES]
    out += [(DATASET, VOID.exampleResource, URIRef(s[1:-1].decode())) for s in examples]
    for file, fmt, media, what in DUMPS:
        dist = distribution_iri(file)
        out += [
            (DATASET, DCAT.distribution, dist),
            (DATASET, VOID.dataDump, download_iri(file)),
            (dist, RDF_TYPE, DCAT.Distribution),
            (dist, DCTERMS.title, Literal(f"{file} ({fmt})", lang="en")),
            (dist, DCTERMS.description, Literal(what, lang="en")),
            (dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES[media])),
            (dist, DCAT.downloadURL, download_iri(file)),
            (dist, DCAT.accessURL, download_iri(file)),
            (dist, DCTERMS.license, LICENSE),
        ]
    # One subset per graph that is not an article's (each article's and editorial graph's
    # size is in graph/meta already, as void:triples of the graph).
    for g in sorted(sizes):
        if g.startswith(f"<{GRAPH}article/") or g.startswith(f"<{GRAPH}editorial/"):
            continue
        graph = URIRef(g[1:-1])
        out += [
            (DATASET, VOID.subset, graph),
            (graph, RDF_TYPE, VOID_DATASET),
            (graph, VOID_TRIPLES, Literal(sizes[g])),
        ]
    if links:
        out += [
            (DATASET, VOID.subset, WIKIDATA_LINKS),
            (WIKIDATA_LINKS, RDF_TYPE, VOID.Linkset),
            (WIKIDATA_LINKS, VOID.subjectsTarget, DATASET),
            (WIKIDATA_LINKS, VOID.objectsTarget, WIKIDATA),
            (WIKIDATA_LINKS, VOID.linkPredicate, OWL_SAME_AS),
            (WIKIDATA_LINKS, VOID_TRIPLES, Literal(links)),
        ]
    return sorted(out)


def _namespace(iri: str) -> str | None:
    """The vocabulary an IRI is in: the project's prefix namespace (the longest), the
    ontology's own IRI for its terms, nothing for the data's own IRIs."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None or best.startswith((ID, GRAPH)):
        return None
    if best == str(CAFO):
        # the ontology's IRI, not its namespace: "https://w3id.org/ca-film/ontology#" would
        # be compacted against the JSON-LD @base to "../ontology#", which pyld reads back
        # without its empty fragment
        return str(ONTOLOGY_IRI)
    return best


def lines_of_dataset(dataset: Dataset) -> dict[str, list[bytes]]:
    """An rdflib Dataset's quads as N-Quads lines by graph name, as the fast build path
    holds them (literals as rdflib's N-Quads serialiser writes them)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.plugins.serializers.nt import _quoteLiteral

    def term(t: Node) -> str:
        return str(_quoteLiteral(t)) if isinstance(t, Literal) else t.n3()

    graphs: dict[str, list[bytes]] = defaultdict(list)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        # rdflib yields a graph's name, None for the default graph (which the build leaves empty)
        name = term(DATASET_DEFAULT_GRAPH_ID if g is None else g)
        graphs[name].append(f"{term(s)} {term(p)} {term(o)} {name} .".encode())
    return {name: sorted(lines) for name, lines in graphs.items()}
