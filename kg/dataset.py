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

from rdflib import Literal, URIRef

from kg.iris import BASE, ENTITY_KINDS, GRAPH, ID, PREFIXES
from kg.vocab import CAFO, DCAT, DCTERMS, OWL, RDF, RDFS, VOID

ONTOLOGY_IRI = URIRef(BASE + "ontology")
GRAPH_DATASET = URIRef(GRAPH + "dataset")
DATASET = URIRef(BASE + "dataset")
WIKIDATA = URIRef("http://www.wikidata.org/entity/")
WIKIDATA_LINKS = URIRef(BASE + "dataset/wikidata-links")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"

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

_RDF_TYPE = f"<{RDF.type}>"
_SAME_AS = f"<{OWL.sameAs}>"
_NEWS_ARTICLE = "<https://schema.org/NewsArticle>"


def distribution_iri(file: str) -> URIRef:
    return URIRef(f"{BASE}dataset/{file}")


def download_iri(file: str) -> URIRef:
    """Where a dump is published: the w3id base redirects it to the site's own file."""
    return URIRef(BASE + file)


def describe(graphs: Mapping[str, Iterable[str]]) -> list[tuple]:
    """The description's triples (sorted), from the build's N-Quads lines by graph name (the
    name as an N-Quads term, "<https://...>"; a graph's lines may repeat). Only the line
    strings are kept while counting, not a parsed copy: 500,000 quads at 1,000 articles."""
    sizes: dict[str, int] = {}
    subjects: set[str] = set()
    classes: set[str] = set()
    properties: set[str] = set()
    mentions: Counter[str] = Counter()
    articles: set[str] = set()
    links = 0
    for name, lines in graphs.items():
        if name == GRAPH_DATASET.n3():
            continue
        unique = set(lines)
        sizes[name] = len(unique)
        tail = len(name) + 3  # " <g> ." after the object
        for line in unique:
            # subjects and predicates are IRIs or blank nodes (no spaces); the object is
            # what lies between the predicate and the graph name
            s, p, rest = line.split(" ", 2)
            properties.add(p)
            if s.startswith("<" + ID):
                subjects.add(s)
                mentions[s] += 1
            if p == _RDF_TYPE:
                o = rest[:-tail]
                classes.add(o)
                if o == _NEWS_ARTICLE:
                    articles.add(s)
            elif p == _SAME_AS and rest.startswith("<" + str(WIKIDATA)):
                links += 1
    used = {_namespace(term[1:-1]) for term in properties | classes}
    vocabularies = sorted({ns for ns in used if ns} | {str(VOID), str(DCAT), str(DCTERMS)})

    out: list[tuple] = [
        (DATASET, RDF.type, VOID.Dataset),
        (DATASET, RDF.type, DCAT.Dataset),
        (DATASET, DCTERMS.title, Literal(TITLE, lang="en")),
        (DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")),
        (DATASET, DCTERMS.license, LICENSE),
        (DATASET, DCTERMS.rights, Literal(RIGHTS, lang="en")),
        (DATASET, DCAT.landingPage, URIRef(BASE)),
        (DATASET, VOID.uriSpace, Literal(ID)),
        (DATASET, VOID.triples, Literal(sum(sizes.values()))),
        (DATASET, VOID.entities, Literal(len(subjects))),
        (DATASET, VOID.classes, Literal(len(classes))),
        (DATASET, VOID.properties, Literal(len(properties))),
        (LICENSE, RDFS.label, Literal("Creative Commons Attribution 4.0 International (CC BY 4.0)", lang="en")),
    ]
    out += [(DATASET, DCAT.keyword, Literal(k, lang="en")) for k in KEYWORDS]
    out += [(DATASET, VOID.vocabulary, URIRef(ns)) for ns in vocabularies]
    out += [(DATASET, DCTERMS.source, URIRef(a[1:-1])) for a in sorted(articles)]
    examples = sorted(
        (s for s in mentions if s[1 + len(ID) :].split("/", 1)[0] in ENTITY_KINDS),
        key=lambda s: (-mentions[s], s),
    )[:EXAMPLES]
    out += [(DATASET, VOID.exampleResource, URIRef(s[1:-1])) for s in examples]
    for file, fmt, media, what in DUMPS:
        dist = distribution_iri(file)
        out += [
            (DATASET, DCAT.distribution, dist),
            (DATASET, VOID.dataDump, download_iri(file)),
            (dist, RDF.type, DCAT.Distribution),
            (dist, DCTERMS.title, Literal(f"{file} ({fmt})", lang="en")),
            (dist, DCTERMS.description, Literal(what, lang="en")),
            (dist, DCAT.mediaType, URIRef(IANA + media)),
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
            (graph, RDF.type, VOID.Dataset),
            (graph, VOID.triples, Literal(sizes[g])),
        ]
    if links:
        out += [
            (DATASET, VOID.subset, WIKIDATA_LINKS),
            (WIKIDATA_LINKS, RDF.type, VOID.Linkset),
            (WIKIDATA_LINKS, VOID.subjectsTarget, DATASET),
            (WIKIDATA_LINKS, VOID.objectsTarget, WIKIDATA),
            (WIKIDATA_LINKS, VOID.linkPredicate, OWL.sameAs),
            (WIKIDATA_LINKS, VOID.triples, Literal(links)),
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


def lines_of_dataset(dataset) -> dict[str, list[str]]:
    """An rdflib Dataset's quads as N-Quads lines by graph name, as the fast build path
    holds them (literals as rdflib's N-Quads serialiser writes them)."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    def term(t) -> str:
        return _quoteLiteral(t) if isinstance(t, Literal) else t.n3()

    graphs: dict[str, list[str]] = defaultdict(list)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = term(g.identifier if hasattr(g, "identifier") else g)
        graphs[name].append(f"{term(s)} {term(p)} {term(o)} {name} .")
    return graphs
