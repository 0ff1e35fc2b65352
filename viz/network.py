"""RDF dataset -> the networkx graph a person would draw, and network measures of it.

The built dataset is made for machines: every fact is a triple, n-ary facts are nodes,
provenance is reified. A drawing wants less: one node per real thing, one labelled edge per
relation, and everything else (literals, quotes, ontology terms) as attributes.

The projection's rules:
  - Nodes are the registry's entities (films, series, people, organisations, places, events,
    awards) plus the n-ary nodes listed under DRAWN below. Node ids are the entity ids
    (`person/samal-yeslyamova`), never full IRIs, so pages and exports stay short.
  - An object property between two drawn nodes is an edge labelled with the property's label.
  - A literal, a Status or StatementKind value, a reported figure (Statistic) and a
    monetary amount are facts on a node, each with its sources.
  - Two-party n-ary nodes (a cast role, a participation, a position held, an adaptation
    project, an attributed statement) are FOLDED into one labelled edge between their two
    parties; the node's other values (character, role, status, what was said) become that
    edge's details. They join exactly two things, so a node in the middle would only add a
    hop and clutter (the corpus has 33 statements). Award wins and distributions join three
    or more things (who, which award, for which work, at which event; a work, several
    territories, a distributor), so they are DRAWN as small nodes: folding them would drop a
    party or draw a misleading clique. Screenings and premieres are events and drawn as such.
  - Every fact, edge relation and node fact carries its sources: the article and the
    verbatim quote, with the editor's note where the fact is an editorial judgement. They
    are exactly the quotes of the claims whose (rdf:subject, rdf:predicate, rdf:object) is
    one of the triples the fact shows (its `statements`), never those of another value of
    the same property or of a value in another language that says something else.

The graph is a DiGraph: the relations between one ordered pair are merged into one edge
whose `relations` list keeps each of them, so a page draws one line per pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import RDF as RDF  # the namespace, re-exported: tests and callers name network.RDF
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import UnknownChoice, UsageError
from kg.iris import (
    CONCEPT,
    GRAPH,
    GRAPH_ENTITIES,
    GRAPH_META,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    ID,
)
from kg.measures import (
    Measures,
    format_measures,  # noqa: F401  (re-exported: the measures used to live here)
)
from kg.measures import measures as graph_measures
from kg.vocab import (
    CAFO,
    CAFO_DONE,
    CAFO_PRODUCTION_COUNTRY,
    DCTERMS_SOURCE,
    OA_EXACT,
    OA_HAS_BODY,
    OA_HAS_SELECTOR,
    OA_HAS_TARGET,
    OWL_SAME_AS,
    PROV_WAS_DERIVED_FROM,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    RDFS_SUB_CLASS_OF,
    SCHEMA_HEADLINE,
    SCHEMA_NEWS_ARTICLE,
    SKOS_ALT_LABEL,
    SKOS_EDITORIAL_NOTE,
    WD,
)

LANGS = ("en", "ru")
WIKIDATA = str(WD)
ARTICLE_PREFIX = ID + "article/"
FACT_GRAPH_PREFIXES = (GRAPH + "article/", GRAPH + "editorial/")
Triple = tuple[Node, Node, Node]  # a statement a fact or relation shows: the key to its evidence
Source = dict[str, str]  # article, quote and, for an editorial judgement, editorial
Item = dict[str, Any]  # a fact or relation: property or label, value or details, statements, sources


@dataclass(frozen=True)
class Group:
    """How a class of nodes is drawn: one legend entry, one filter checkbox."""

    key: str  # stable name, used in pages and exports
    cls: str  # the ontology class whose label names the group (and whose subclasses fall in it)
    shape: str  # a vis-network shape
    color: str
    small: bool = False  # n-ary nodes: drawn small, and ego views look through them


# Order matters: a class falls in the first group whose class is one of its ancestors.
GROUPS = (
    Group("film", "Film", "square", "#d95f02"),
    Group("series", "TVSeries", "square", "#e6ab02"),
    Group("work", "Work", "square", "#a6761d"),
    Group("person", "Person", "dot", "#1f78b4"),
    Group("organisation", "Organization", "triangle", "#33a02c"),
    Group("country", "Country", "star", "#e31a1c"),
    Group("place", "Place", "triangleDown", "#8c564b"),
    Group("event", "Event", "hexagon", "#6a3d9a"),
    Group("award", "Award", "diamond", "#d4a017"),
    Group("award-win", "AwardWin", "diamond", "#b39ddb", small=True),
    Group("distribution", "Distribution", "square", "#9e9e9e", small=True),
    Group("other", "", "dot", "#bdbdbd", small=True),
)
GROUP_BY_KEY = {group.key: group for group in GROUPS}


@dataclass(frozen=True)
class Fold:
    """A two-party n-ary class drawn as one edge from `source` to `target`."""

    source: str  # property whose value starts the edge
    targets: tuple[str, ...]  # properties tried in order for the edge's end
    title: str | None = None  # property whose value labels the edge instead of the class label


FOLDS = {
    "Performance": Fold("performer", ("performanceIn",)),
    "Participation": Fold("participant", ("participationIn",), title="role"),
    "PositionHeld": Fold("holder", ("positionIn",), title="position"),
    "Credit": Fold("creditedTo", ("creditFor",), title="creditRole"),
    "Adaptation": Fold("interestedParty", ("adaptationOf",)),
    "Statement": Fold("speaker", ("about", "atEvent")),
}
# Nodes that are values (a figure, an amount): shown as text on the entity they describe.
AS_VALUE = {"Statistic", "MonetaryAmount"}
# For drawn n-ary nodes: the property whose value names the node ("award won: Best Actress").
PRINCIPAL = {
    "AwardWin": "award",
    "Distribution": "distributedWork",
    "Screening": "screenedWork",
    "Premiere": "screenedWork",
}


def short_id(iri: object) -> str:
    """`https://w3id.org/ca-film/id/person/x` -> `person/x`: the id users type and pages show."""
    text = str(iri)
    return text[len(ID) :] if text.startswith(ID) else text


def local(iri: object) -> str:
    text = str(iri)
    return text[len(str(CAFO)) :] if text.startswith(str(CAFO)) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def pick(values: dict[str, str], lang: str, default: str = "") -> str:
    """The text in `lang`, else in the other of en/ru, else Kazakh, else any."""
    for choice in (lang, *LANGS, "kk", ""):
        if values.get(choice):
            return values[choice]
    return next((values[key] for key in sorted(values) if values[key]), default)  # sorted: same page every run


def _texts(graph: Graph, subject: Node, predicate: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in sorted(graph.objects(subject, predicate), key=term_key):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", str(value))
    return out


def _article_title(dataset: Dataset, meta: Graph, article: Node, lang: str) -> str:
    """The article's display title (kg.labels: its headline, else the editor's title or its file
    name in [brackets]); a build older than graph/labels falls back to the headline."""
    from kg.labels import GRAPH_LABELS

    titles = _texts(dataset.graph(GRAPH_LABELS), article, RDFS_LABEL) or _texts(meta, article, SCHEMA_HEADLINE)
    return pick(titles, lang)


def _pairs(graph: Graph, predicate: Node) -> list[tuple[Node, Node]]:
    """(subject, object) pairs of one predicate in a fixed order (subject, then the object's
    language, text and datatype), never rdflib's: first-found choices (a label per language)
    and list orders must not depend on how a store iterates."""
    return sorted(graph.subject_objects(predicate), key=lambda pair: (term_key(pair[0]), _lang_first(pair[1])))


def _lang_first(term: Node) -> tuple[str, str, str, str]:
    kind, text, lang, datatype = term_key(term)
    return (kind, lang, text, datatype)


class _Reader:
    """Lookups over one built dataset: labels, classes, articles and the evidence of facts.

    Read once, so that projecting 20,000 nodes does not query rdflib per node."""

    def __init__(self, dataset: Dataset, lang: str, stems: set[str] | None = None):
        self.lang = lang
        self.ontology = dataset.graph(GRAPH_ONTOLOGY)
        entities = dataset.graph(GRAPH_ENTITIES)
        self.parents: dict[str, set[str]] = defaultdict(set)
        for cls, parent in _pairs(self.ontology, RDFS_SUB_CLASS_OF):
            if isinstance(parent, URIRef) and str(parent).startswith(str(CAFO)):
                self.parents[local(cls)].add(local(parent))
        self.term_labels: dict[Node, dict[str, str]] = defaultdict(dict)
        for term, label in _pairs(self.ontology, RDFS_LABEL):
            if isinstance(term, URIRef) and isinstance(label, Literal):
                self.term_labels[term].setdefault(label.language or "", str(label))

        self.types: dict[Node, Node] = {}
        for subject, cls in _pairs(entities, RDF_TYPE):
            self.types[subject] = cls
        self.labels: dict[Node, dict[str, str]] = defaultdict(dict)
        self.all_labels: dict[Node, list[str]] = defaultdict(list)
        for subject, label in _pairs(entities, RDFS_LABEL):
            if isinstance(label, Literal):
                self.labels[subject].setdefault(label.language or "", str(label))
                self.all_labels[subject].append(str(label))
        for subject, label in _pairs(entities, SKOS_ALT_LABEL):
            self.all_labels[subject].append(str(label))
        self.wikidata = {
            s: str(o)[len(WIKIDATA) :] for s, o in _pairs(entities, OWL_SAME_AS) if str(o).startswith(WIKIDATA)
        }

        meta = dataset.graph(GRAPH_META)
        self.articles: dict[str, dict[str, str]] = {}
        for article in sorted(meta.subjects(RDF_TYPE, SCHEMA_NEWS_ARTICLE), key=str):
            stem = str(article)[len(ARTICLE_PREFIX) :]
            if stems is not None and stem not in stems:
                continue
            source = meta.value(article, DCTERMS_SOURCE)
            self.articles[stem] = {
                "file": str(source).rsplit("/", 1)[-1] if source else stem,
                "title": _article_title(dataset, meta, article, lang),
            }

        self.fact_graphs = []
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
            name = str(graph.identifier)
            for prefix in FACT_GRAPH_PREFIXES:
                if name.startswith(prefix) and (stems is None or name[len(prefix) :] in stems):
                    self.fact_graphs.append(graph)
        self._evidence(dataset.graph(GRAPH_PROVENANCE), stems)

    def _evidence(self, provenance: Graph, stems: set[str] | None) -> None:
        """Index the claims by the exact (subject, property, value) they state.

        `evidence[(s, p, o)]` is the sources of the claims whose rdf:subject, rdf:predicate
        and rdf:object are exactly s, p and o (a literal's language and datatype included):
        article stem, verbatim quote, editor's note if any; `annotations[(s, p, o)]` is the
        oa:Annotations that quote those claims (what tells a translation of a value from a
        different value, see `_Projector._one_language`). A fact shown in a view gets its
        sources only from here, by the triples it shows, so no fact can borrow the quote of
        another value.

        One pass over the provenance graph: rdflib's memory store serves a whole named graph
        faster than one predicate of it."""
        wanted = (
            RDF_SUBJECT,
            RDF_PREDICATE,
            RDF_OBJECT,
            PROV_WAS_DERIVED_FROM,
            SKOS_EDITORIAL_NOTE,
            OA_HAS_TARGET,
            OA_EXACT,
        )
        single: dict[Node, dict[Node, Node]] = {predicate: {} for predicate in wanted}
        bodies: list[tuple[Node, Node]] = []
        selectors: dict[Node, list[Node]] = defaultdict(list)
        for s, p, o in provenance:
            column = single.get(p)
            if column is not None:
                column[s] = o
            elif p == OA_HAS_BODY:
                bodies.append((s, o))
            elif p == OA_HAS_SELECTOR:
                selectors[s].append(o)
        targets, exact = single[OA_HAS_TARGET], single[OA_EXACT]
        quotes: dict[Node, set[str]] = defaultdict(set)
        annotations_of: dict[Node, set[Node]] = defaultdict(set)
        for annotation, claim in bodies:
            annotations_of[claim].add(annotation)
            target = targets.get(annotation)
            for selector in selectors.get(target, ()) if target is not None else ():
                if selector in exact:
                    quotes[claim].add(str(exact[selector]))
        evidence: dict[tuple[Node, Node | None, Node | None], list[Source]] = defaultdict(list)
        annotations: dict[tuple[Node, Node | None, Node | None], set[Node]] = defaultdict(set)
        for claim, subject in single[RDF_SUBJECT].items():
            stem = str(single[PROV_WAS_DERIVED_FROM].get(claim, ""))[len(ARTICLE_PREFIX) :]
            if stems is not None and stem not in stems:
                continue
            key = (subject, single[RDF_PREDICATE].get(claim), single[RDF_OBJECT].get(claim))
            annotations[key].update(annotations_of.get(claim, ()))
            note = single[SKOS_EDITORIAL_NOTE].get(claim)
            for quote in quotes.get(claim) or [""]:
                source = {"article": stem, "quote": quote}
                if note is not None:
                    source["editorial"] = str(note)
                if source not in evidence[key]:
                    evidence[key].append(source)
        for sources in evidence.values():
            sources.sort(key=source_key)
        self.evidence = dict(evidence)
        self.annotations = {key: frozenset(values) for key, values in annotations.items()}

    def sources(self, statements: Iterable[Triple]) -> list[Source]:
        """The sources of exactly these (s, p, o) triples: every claim stating one of them."""
        out: list[Source] = []
        for key in statements:
            _merge_sources(out, self.evidence.get(key, ()))
        return sorted(out, key=source_key)

    # -- naming --------------------------------------------------------------------------

    def term(self, iri: Node) -> str:
        """An ontology term (class, property, individual) in the chosen language."""
        return pick(self.term_labels.get(iri, {}), self.lang, default=local(iri))

    def class_label(self, cls_name: str) -> str:
        return self.term(CAFO[cls_name]) if cls_name else ("other" if self.lang != "ru" else "прочее")

    def label(self, iri: Node) -> str:
        return pick(self.labels.get(iri, {}), self.lang, default=short_id(iri))

    def group(self, cls_name: str) -> Group:
        ancestors = {cls_name}
        stack = [cls_name]
        while stack:
            for parent in self.parents.get(stack.pop(), ()):
                if parent not in ancestors:
                    ancestors.add(parent)
                    stack.append(parent)
        return next((g for g in GROUPS if g.cls in ancestors), GROUP_BY_KEY["other"])

    def value_text(self, value: Node) -> str:
        """A literal or an ontology individual as text; language-tagged text marks its language."""
        if isinstance(value, Literal):
            text = str(value)
            return f"{text} ({value.language})" if value.language and value.language != self.lang else text
        if isinstance(value, URIRef) and str(value).startswith((str(CAFO), CONCEPT)):  # a term or a concept
            return self.term(value)
        return short_id(value)


def term_key(term: object) -> tuple[str, str, str, str]:
    """A total order on RDF terms: by kind, text, language, datatype. str() alone ties
    "producer"@en with "producer"@ru, and a tie left to rdflib's iteration order would make
    the projection depend on the process's hash seed."""
    if isinstance(term, Literal):
        return ("literal", str(term), term.language or "", str(term.datatype or ""))
    return ("iri", str(term), "", "")


def triple_key(triple: tuple[Node, ...]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(term_key(term) for term in triple)


def source_key(source: Source) -> tuple[str, str, str]:
    return (source["article"], source["quote"], source.get("editorial", ""))


def without_statements(items: Iterable[Item]) -> list[Item]:
    """Facts or relations as pages and exports show them: the `statements` each one carries
    in the projection (rdflib terms, the key to its evidence) left out."""
    return [{key: value for key, value in item.items() if key != "statements"} for item in items]


def _merge_sources(target: list[Source], sources: Iterable[Source]) -> list[Source]:
    for source in sources:
        if source not in target:
            target.append(source)
    return target


class _Projector:
    """Builds the projection from a reader: collects triples per subject, then decides what
    each subject becomes (a node, an edge, a value) and emits nodes, edges and facts.

    Every fact and relation records the (s, p, o) triples it shows (`statements`); its
    sources are computed from those alone when the projection is done (`_cite`)."""

    def __init__(self, reader: _Reader, only_mentioned: bool = False):
        self.r = reader
        self.only_mentioned = only_mentioned
        by_subject: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
        node_class: dict[Node, set[str]] = defaultdict(set)  # n-ary nodes: class, from the article graphs
        for graph in reader.fact_graphs:
            for s, p, o in graph:
                if p == RDF_TYPE:
                    node_class[s].add(local(o))
                else:
                    by_subject[s].add((p, o))
        self.node_class = {s: min(classes) for s, classes in node_class.items()}
        self.by_subject: dict[Node, list[tuple[Node, Node]]] = {
            subject: self._one_language(subject, sorted(pairs, key=triple_key)) for subject, pairs in by_subject.items()
        }
        self.graph = nx.DiGraph()
        self.facts: dict[str, list[Item]] = defaultdict(list)

    def _one_language(self, subject: Node, pairs: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
        """Of one value given in several languages (a title in en and ru), keep the chosen
        language's.

        A value in another language is left out only when it is a translation of a kept
        one: the same quotes (oa:Annotations) state it and nothing else does, so leaving it
        out loses no fact and no source. Any other value in another language is shown, with
        its language marked."""
        prefer = (self.r.lang, *LANGS, "kk")

        def rank(value: Node) -> int:
            language = value.language if isinstance(value, Literal) else None
            return prefer.index(language) if language is not None and language in prefer else len(prefer)

        kept: list[tuple[Node, Node]] = []
        tagged = sorted(
            (pair for pair in pairs if isinstance(pair[1], Literal) and pair[1].language),
            key=lambda pair: (rank(pair[1]), triple_key(pair)),
        )
        drop = set()
        for p, o in tagged:
            notes = self.r.annotations.get((subject, p, o), frozenset())
            sources = self.r.evidence.get((subject, p, o), [])
            for kp, ko in kept:
                if (
                    kp == p
                    and rank(ko) < rank(o)
                    and notes
                    and notes <= self.r.annotations.get((subject, kp, ko), frozenset())
                    and all(s in self.r.evidence.get((subject, kp, ko), []) for s in sources)
                ):
                    drop.add((p, o))
                    break
            else:
                kept.append((p, o))
        return [pair for pair in pairs if pair not in drop]

    def cls(self, iri: Node) -> str | None:
        if iri in self.node_class:
            return self.node_class[iri]
        if iri in self.r.types:
            return local(self.r.types[iri])
        return None

    def kind(self, iri: Node) -> str:
        """'node', 'fold', 'value', 'term' (ontology individual) or 'literal'."""
        if isinstance(iri, Literal):
            return "literal"
        if str(iri).startswith((str(CAFO), CONCEPT)):  # concepts of the vocabularies are terms too
            return "term"
        cls = self.cls(iri)
        if cls in AS_VALUE:
            return "value"
        if cls in FOLDS and self._foldable(iri, cls):
            return "fold"
        return "node"

    def _foldable(self, iri: Node, cls: str) -> bool:
        fold = FOLDS[cls]
        props = {local(p) for p, _ in self.by_subject.get(iri, ())}
        return fold.source in props or any(t in props for t in fold.targets)

    def own(self, iri: Node, but: Iterable[Node] = ()) -> list[Triple]:
        """The triples about an n-ary or value node that a fact naming it shows: all of them
        except its links to drawn nodes other than those in `but` (kept)."""
        keep = set(but)
        return [(iri, p, o) for p, o in self.by_subject.get(iri, ()) if self.kind(o) != "node" or o in keep]

    # -- emitting -----------------------------------------------------------------------

    def add_node(self, iri: Node) -> str:
        node = short_id(iri)
        if node in self.graph:
            return node
        cls = self.cls(iri) or ""
        group = self.r.group(cls)
        labels = list(dict.fromkeys(self.r.all_labels.get(iri, [])))
        label = self.r.label(iri) if iri in self.r.labels else self.synthetic_label(iri, cls)
        self.graph.add_node(
            node,
            label=label,
            labels=labels or [label],
            cls=cls,
            cls_label=self.r.class_label(cls),
            group=group.key,
            group_label=self.r.class_label(group.cls),
            small=group.small,
            wikidata=self.r.wikidata.get(iri, ""),
            facts=self.facts[node],
        )
        return node

    def synthetic_label(self, iri: Node, cls: str) -> str:
        """A name for an n-ary node, which has no label of its own: 'award won: Best Actress'."""
        name = self.r.class_label(cls)
        principal = PRINCIPAL.get(cls)
        values = [o for p, o in self.by_subject.get(iri, ()) if local(p) == principal] if principal else []
        if values:
            name = f"{name}: {', '.join(self.r.label(v) for v in values)}"
        status = [o for p, o in self.by_subject.get(iri, ()) if local(p) == "status"]
        if status and status[0] != CAFO_DONE:
            name = f"{name} ({self.r.term(status[0])})"
        return name if (values or status) else f"{name} {short_id(iri).split('/', 1)[-1]}"

    def add_relation(
        self, s: Node, o: Node, label: str, details: list[str], statements: list[Triple], prop: str
    ) -> None:
        u, v = self.add_node(s), self.add_node(o)
        if not self.graph.has_edge(u, v):
            self.graph.add_edge(u, v, relations=[])
        relations = self.graph.edges[u, v]["relations"]
        for relation in relations:
            if relation["label"] == label and relation["details"] == details:
                _merge_statements(relation["statements"], statements)
                return
        relations.append({"label": label, "property": prop, "details": details, "statements": list(statements)})

    def add_fact(self, iri: Node, prop_label: str, value: str, statements: list[Triple]) -> None:
        node = self.add_node(iri)
        for fact in self.facts[node]:
            if fact["property"] == prop_label and fact["value"] == value:
                _merge_statements(fact["statements"], statements)
                return
        self.facts[node].append({"property": prop_label, "value": value, "statements": list(statements)})

    def value_node_text(self, iri: Node) -> str:
        """A Statistic or MonetaryAmount as one line of text."""
        values = {local(p): o for p, o in self.by_subject.get(iri, ())}
        if self.cls(iri) == "MonetaryAmount":
            return f"{values.get('amount', '?')} {values.get('currency', '')}".strip()
        measure = [self.r.value_text(o) for p, o in self.by_subject.get(iri, ()) if local(p) == "measure"]
        bound = values.get("isLowerBound")
        lower_bound = isinstance(bound, Literal) and bool(bound.toPython())
        more = ("more than " if self.r.lang != "ru" else "более ") if lower_bound else ""
        number = f"{more}{values.get('value', '?')} {values.get('unit', '')}".strip()
        return f"{'; '.join(measure)}: {number}" if measure else number

    def run(self) -> nx.DiGraph:
        mentioned = set(self.by_subject) | {o for triples in self.by_subject.values() for _p, o in triples}
        for iri in sorted(self.r.types, key=str):
            if not self.only_mentioned or iri in mentioned:
                self.add_node(iri)  # every registry entity, even one no article mentions yet
        for subject in sorted(self.by_subject, key=str):
            kind = self.kind(subject)
            if kind == "fold":
                self.fold(subject)
            elif kind == "value":
                self.value_about(subject)
            elif kind == "node":
                self.node_triples(subject)
        for subject in sorted(set(self.node_class) - set(self.by_subject), key=str):
            if self.kind(subject) == "node":
                self.add_node(subject)
        for _node, facts in sorted(self.facts.items()):
            for fact in facts:
                self._cite(fact)
        for _u, _v, data in self.graph.edges(data=True):
            for relation in data["relations"]:
                self._cite(relation)
            data["label"] = "; ".join(dict.fromkeys(rel["label"] for rel in data["relations"]))
            data["weight"] = len(data["relations"])
        return self.graph

    def _cite(self, item: Item) -> None:
        """A fact's or relation's sources: exactly those of the triples it shows."""
        item["statements"] = sorted(item["statements"], key=triple_key)
        item["sources"] = self.r.sources(item["statements"])

    def node_triples(self, subject: Node) -> None:
        self.add_node(subject)
        for p, o in self.by_subject[subject]:
            kind = self.kind(o)
            statement = (subject, p, o)
            if kind == "node":
                self.add_relation(subject, o, self.r.term(p), [], [statement], local(p))
            elif kind == "value":
                text = self.value_node_text(o)
                self.add_fact(subject, self.r.term(p), text, [statement, *self.own(o)])
            elif kind == "fold":
                # something points at a folded node: name it rather than draw it
                self.add_fact(subject, self.r.term(p), self.fold_text(o), [statement, *self.own(o)])
            else:
                self.add_fact(subject, self.r.term(p), self.r.value_text(o), [statement])

    def value_about(self, subject: Node) -> None:
        """A reported figure about entities: a fact on each of them."""
        text = self.value_node_text(subject)
        for _p, o in self.by_subject[subject]:
            if self.kind(o) == "node":
                self.add_fact(o, self.r.class_label(self.cls(subject) or ""), text, self.own(subject, but=[o]))

    def fold_text(self, iri: Node) -> str:
        cls = self.cls(iri) or ""
        parts = [self.r.value_text(o) for p, o in self.by_subject.get(iri, ()) if self.kind(o) != "node"]
        return f"{self.r.class_label(cls)}: {'; '.join(parts)}" if parts else self.r.class_label(cls)

    def fold(self, subject: Node) -> None:
        cls = self.cls(subject) or ""
        fold = FOLDS[cls]
        triples = self.by_subject[subject]
        ends = {name: [o for p, o in triples if local(p) == name and self.kind(o) == "node"] for name in fold.targets}
        starts = [o for p, o in triples if local(p) == fold.source and self.kind(o) == "node"]
        target_prop = next((name for name in fold.targets if ends[name]), "")
        targets = ends[target_prop] if target_prop else []
        used = {fold.source, target_prop, fold.title}
        details = []
        shown = []  # the triples the link shows besides its two ends
        for p, o in triples:
            name = local(p)
            if name in used and (self.kind(o) == "node" or name == fold.title):
                if name == fold.title:
                    shown.append((subject, p, o))
                continue
            text = self.r.label(o) if self.kind(o) == "node" else self.r.value_text(o)
            details.append(f"{self.r.term(p)}: {text}")
            shown.append((subject, p, o))
        titles = [o for p, o in triples if local(p) == fold.title]
        label = "; ".join(self.r.value_text(t) for t in titles) if titles else self.r.class_label(cls)
        source_p = CAFO[fold.source]
        if starts and targets:
            target_p = CAFO[target_prop]
            for start in starts:
                for target in targets:
                    ends_shown = [(subject, source_p, start), (subject, target_p, target)]
                    self.add_relation(start, target, label, details, [*ends_shown, *shown], cls)
        else:
            value = "; ".join([label, *details]) if titles else "; ".join(details) or label
            for end in starts or targets:
                end_p = source_p if starts else CAFO[target_prop]
                self.add_fact(end, self.r.class_label(cls), value, [(subject, end_p, end), *shown])


def _merge_statements(target: list[Triple], statements: Iterable[Triple]) -> None:
    for statement in statements:
        if statement not in target:
            target.append(statement)


def _finish(graph: nx.Graph, reader: _Reader, view: str, title: str) -> nx.Graph:
    graph.graph.update(view=view, lang=reader.lang, title=title, articles=reader.articles)
    return graph


def project(dataset: Dataset, lang: str = "en", article: str | None = None) -> nx.DiGraph:
    """The entity graph: the whole dataset, or what one article (by stem) states."""
    _check_lang(lang)
    stems = {article} if article else None
    reader = _Reader(dataset, lang, stems)
    if article is not None and article not in reader.articles:
        raise UsageError(f"no article {article!r} in the build (known: {', '.join(sorted(article_stems(dataset)))})")
    graph = _Projector(reader, only_mentioned=article is not None).run()
    if article is not None:
        title = reader.articles[article]["title"] or reader.articles[article]["file"]
        return _finish(graph, reader, "article", title)
    return _finish(graph, reader, "entities", "Entities and relations" if lang != "ru" else "Сущности и связи")


def article_stems(dataset: Dataset) -> list[str]:
    meta = dataset.graph(GRAPH_META)
    return sorted(str(a)[len(ARTICLE_PREFIX) :] for a in meta.subjects(RDF_TYPE, SCHEMA_NEWS_ARTICLE))


def coproduction(dataset: Dataset, lang: str = "en") -> nx.Graph:
    """Countries as nodes; an edge between two countries for each work both co-produced,
    weighted by the number of works, the works listed on the edge (`works`, `relations`)."""
    _check_lang(lang)
    reader = _Reader(dataset, lang)
    countries_of: dict[Node, list[Node]] = defaultdict(list)
    for graph in reader.fact_graphs:
        for work, country in graph.subject_objects(CAFO_PRODUCTION_COUNTRY):
            if country not in countries_of[work]:
                countries_of[work].append(country)
    graph = nx.Graph()
    for work in sorted(countries_of, key=lambda w: (reader.label(w), str(w))):
        countries = sorted(countries_of[work], key=str)
        for country in countries:
            node = short_id(country)
            if node not in graph:
                graph.add_node(
                    node,
                    label=reader.label(country),
                    labels=list(dict.fromkeys(reader.all_labels.get(country, []))) or [reader.label(country)],
                    cls="Country",
                    cls_label=reader.class_label("Country"),
                    group="country",
                    group_label=reader.class_label("Country"),
                    small=False,
                    wikidata=reader.wikidata.get(country, ""),
                    facts=[],
                )
            statements = [(work, CAFO_PRODUCTION_COUNTRY, country)]
            graph.nodes[node]["facts"].append(
                {
                    "property": reader.term(CAFO_PRODUCTION_COUNTRY),
                    "value": reader.label(work),
                    "statements": statements,
                    "sources": reader.sources(statements),
                }
            )
        for i, a in enumerate(countries):
            for b in countries[i + 1 :]:
                u, v = short_id(a), short_id(b)
                if not graph.has_edge(u, v):
                    graph.add_edge(u, v, works=[], relations=[])
                edge = graph.edges[u, v]
                edge["works"].append(reader.label(work))
                details = [reader.class_label(local(reader.types[work])) if work in reader.types else ""]
                # the link shows that this work has both countries: the claims of those two
                statements = [(work, CAFO_PRODUCTION_COUNTRY, a), (work, CAFO_PRODUCTION_COUNTRY, b)]
                edge["relations"].append(
                    {
                        "label": reader.label(work),
                        "property": "productionCountry",
                        "details": details,
                        "statements": statements,
                        "sources": reader.sources(statements),
                    }
                )
    for _u, _v, data in graph.edges(data=True):
        data["weight"] = len(data["works"])
        data["label"] = ", ".join(data["works"])
    title = "Co-production between countries" if lang != "ru" else "Совместное производство между странами"
    return _finish(graph, reader, "coproduction", title)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise UnknownChoice("language", lang, LANGS)


# -- finding and cutting ------------------------------------------------------------------


def resolve_node(graph: nx.Graph, text: str) -> str:
    """A node by id (`person/x`), full IRI, slug, or any of its labels in any language.

    Labels are matched as `kg entities search` matches them (kg.registry.rank: folded, typos
    forgiven), so 'Samal Eslyamova', 'Самал Еслямова' and 'Eslyamova Samal' all find her. An
    ambiguous (kg.registry.best_hits) or unknown name is a UsageError."""
    from kg.registry import best_hits, rank

    wanted = text.strip()
    as_id = short_id(wanted)
    if as_id in graph:
        return as_id
    slug_hits = [n for n in graph if n.split("/", 1)[-1] == as_id]
    if len(slug_hits) == 1:
        return str(slug_hits[0])
    candidates = (
        (node, [*(data.get("labels") or []), data.get("label", node)]) for node, data in graph.nodes(data=True)
    )
    hits = best_hits(rank(wanted, candidates))
    if len(hits) == 1:
        return hits[0].id
    if hits:
        names = ", ".join(f"{graph.nodes[h.id]['label']} ({h.id})" for h in hits[:8])
        raise UsageError(f"{text!r} matches several entities: {names}; give an id")
    raise UsageError(f"no entity matches {text!r} (give an id like person/samal-yeslyamova or a label)")


def ego(graph: nx.Graph, node: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of `node` within `depth` hops, looking through small n-ary nodes: an
    award win in reach brings its award, work and event along, since alone it says nothing."""
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    undirected = graph.to_undirected(as_view=True)
    keep = set(nx.single_source_shortest_path_length(undirected, node, cutoff=depth))
    for member in list(keep):
        if graph.nodes[member].get("small"):
            keep.update(undirected.neighbors(member))
    sub = graph.subgraph(keep).copy()
    sub.graph.update(graph.graph)
    label = graph.nodes[node]["label"]
    sub.graph.update(view="ego", title=label, focus=node)
    return sub


# -- measures --------------------------------------------------------------------------


def measures(dataset: Dataset, lang: str = "en", top: int = 10) -> Measures:
    """Network measures of the projection and its co-production view (kg.measures)."""
    return graph_measures(*projections(dataset, lang), top=top)


def projections(dataset: Dataset, lang: str = "en") -> tuple[nx.DiGraph, nx.Graph]:
    """The whole projection and the co-production view: what `kg stats` measures."""
    return project(dataset, lang), coproduction(dataset, lang)
