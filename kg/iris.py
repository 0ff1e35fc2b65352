"""Identity: the two IRI bases (terms and things), named graphs, prefixes and the slug scheme.

A published IRI never changes, so everything that mints IRIs goes through this module.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/ca-film/"
CAFO = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = BASE + "id/"
GRAPH = BASE + "graph/"
CONCEPT = BASE + "concept/"  # SKOS concepts: CONCEPT + "scheme/slug", named in mappings as "scheme/slug"

SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
WD = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")

# Registry kinds: the first segment of an entity id, and the class its type must fall under.
ENTITY_KINDS = {
    "country": "Country",
    "region": "Region",
    "city": "City",
    "place": "Place",
    "person": "Person",
    "org": "Organization",
    "film": "Film",
    "series": "TVSeries",
    "festival": "Festival",
    "event": "Event",
    "award": "Award",
    "agreement": "Agreement",
    "title": "HonoraryTitle",
}
# Kinds of the n-ary nodes that a mapping declares itself.
NODE_KINDS = {
    "award-win": "AwardWin",
    "performance": "Performance",
    "participation": "Participation",
    "position": "PositionHeld",
    "distribution": "Distribution",
    "screening": "Screening",
    "adaptation": "Adaptation",
    "statement": "Statement",
    "statistic": "Statistic",
    "crew": "Credit",
    "term": "AgreementTerm",
    "unnamed": "UnnamedPerson",
}
# Nodes the build mints itself (amounts of money).
AMOUNT_KIND = "amount"

# Ids are checked with fullmatch (never match with "$", which also matches before a final
# newline: "person/x\n" would pass and mint an IRI no strict parser reads).
ID_PATTERN = re.compile(r"([a-z][a-z-]*)/([a-z0-9]+(?:-[a-z0-9]+)*)")

GRAPH_META = URIRef(GRAPH + "meta")
GRAPH_PROVENANCE = URIRef(GRAPH + "provenance")
GRAPH_ENTITIES = URIRef(GRAPH + "entities")
GRAPH_ONTOLOGY = URIRef(GRAPH + "ontology")
GRAPH_INFERRED = URIRef(GRAPH + "inferred")
GRAPH_BACKGROUND = URIRef(GRAPH + "background")  # registry facts with a reference (issue 12)

PREFIXES = {
    "cafo": str(CAFO),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "wd": str(WD),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": str(VOID),
    "dcat": "http://www.w3.org/ns/dcat#",
    "graph": GRAPH,
    "article": ID + "article/",
    "claim": ID + "claim/",
    "evidence": ID + "evidence/",
    **{kind: ID + kind + "/" for kind in [*ENTITY_KINDS, *NODE_KINDS, AMOUNT_KIND]},
}


def entity_iri(entity_id: str) -> URIRef:
    return URIRef(ID + entity_id)


def name_segment(name: str) -> str:
    """A file name (an article's stem) as one IRI path segment: every character outside
    A-Z a-z 0-9 - . _ ~ percent-encoded as UTF-8, so 'my article' -> 'my%20article' and
    '#', '%', '?', '/' or Cyrillic cannot end, break or escape the IRI. Names of that
    alphabet (all the seed articles) are unchanged, so their published IRIs are too."""
    from urllib.parse import quote

    return quote(name, safe="")


def name_problem(name: str) -> str | None:
    """Why a file name is refused, or None. Control characters (a newline, a tab, NUL) would
    break the one-line `file:line: message` every problem is reported as; everything else is
    percent-encoded by name_segment."""
    for char in name:
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\u2028\u2029":
            return f"the file name {name!r} contains the control character U+{ord(char):04X}: rename the file"
    return None


def article_iri(stem: str) -> URIRef:
    return URIRef(ID + "article/" + name_segment(stem))


def article_graph(stem: str) -> URIRef:
    return URIRef(GRAPH + "article/" + name_segment(stem))


def editorial_graph(stem: str) -> URIRef:
    return URIRef(GRAPH + "editorial/" + name_segment(stem))


def claim_iri(stem: str, fact_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}claim/{name_segment(stem)}/{fact_id}-{n}")


def evidence_iri(stem: str, fact_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}evidence/{name_segment(stem)}/{fact_id}-q{n}")


def amount_iri(stem: str, fact_id: str) -> URIRef:
    return URIRef(f"{ID}{AMOUNT_KIND}/{name_segment(stem)}-{fact_id}")


def slugify(text: str) -> str:
    """The documented slug scheme: anyascii transliteration, lower case, runs of other
    characters become one hyphen. 'Сергей Дворцевой' -> 'sergey-dvortsevoy'."""
    from anyascii import anyascii

    ascii_text = anyascii(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
