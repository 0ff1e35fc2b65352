"""Identity: the two IRI bases (terms and things), named graphs, prefixes and the slug scheme.

A published IRI never changes, so everything that mints IRIs goes through this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from rdflib import URIRef

# The namespaces live in kg.vocab (the terms); re-exported here for the modules that mint IRIs.
from kg.vocab import BASE as BASE
from kg.vocab import CAFO as CAFO
from kg.vocab import NAMESPACES
from kg.vocab import OA as OA
from kg.vocab import PROV as PROV
from kg.vocab import SCHEMA as SCHEMA
from kg.vocab import VOID as VOID
from kg.vocab import WD as WD

ID = BASE + "id/"
GRAPH = BASE + "graph/"
CONCEPT = BASE + "concept/"  # SKOS concepts: CONCEPT + "scheme/slug", named in mappings as "scheme/slug"

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

PREFIXES: dict[str, str] = {
    **NAMESPACES,
    "graph": GRAPH,
    "article": ID + "article/",
    "claim": ID + "claim/",
    "evidence": ID + "evidence/",
    **{kind: ID + kind + "/" for kind in [*ENTITY_KINDS, *NODE_KINDS, AMOUNT_KIND]},
}


def local_name(iri: str) -> str:
    """An IRI's last segment, after its last '#' or '/': 'Planned' for cafo:Planned, 'label'
    for rdfs:label. The one helper for what check, reason, viz and the mapping checker show."""
    return re.split(r"[#/]", str(iri))[-1]


def cafo_name(term: object) -> str | None:
    """The local name of an ontology term (cafo:Film -> 'Film'); None for any other term,
    a literal or a blank node."""
    text = str(term)
    return text[len(CAFO) :] if isinstance(term, URIRef) and text.startswith(CAFO) else None


def short_id(iri: str) -> str:
    """`https://w3id.org/ca-film/id/person/x` -> `person/x` (the id users type and mappings
    write); any other IRI unchanged."""
    text = str(iri)
    return text[len(ID) :] if text.startswith(ID) else text


def prefixed_name(iri: str, prefixes: Mapping[str, str] | None = None) -> str | None:
    """`prefix:local` by the longest namespace in `prefixes` (default PREFIXES) that starts
    the IRI, or None when none does."""
    table = PREFIXES if prefixes is None else prefixes
    text = str(iri)
    best = max((ns for ns in table.values() if text.startswith(ns)), key=len, default=None)
    if best is None:
        return None
    prefix = next(p for p, ns in table.items() if ns == best)
    return f"{prefix}:{text[len(best) :]}"


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
