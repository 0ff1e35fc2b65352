"""Readable names for what has none in the sources: n-ary nodes and articles.

A performance, a position held, a statement or an award won is a node with no name of its
own: a table or a view would show its IRI. The build gives each one an rdfs:label per
language (`LANGS`) that only restates the node's own facts, with the labels of the things it
joins ("Aruzhan Bekbolat as main role in I Am Waiting for You in Ili"). Every article gets a
display title: its headline; else the editor's title (`metadata: title_editor:`); else its
file name. Titles the text does not give are in square brackets, as a cataloguer marks a
supplied title (ISBD): "[Global Tech Wave conference in Shymkent]".

All of these go to their own named graph, `graph/labels` (part of the default graph), so
nobody mistakes them for source text: the sources' own names stay in `graph/entities` and
the headlines in `graph/meta` (schema:headline).

The wording is data: `TEMPLATES`, one entry per n-ary class, one template per language. A
class without an entry uses its nearest superclass's, else `FALLBACK` (the class's own label,
then the things it joins), so a new n-ary class gets labels without a code change.

Template syntax: `{prop}` is the value of the node's property `prop` (several values joined
with ", "; an entity or node by its label, an ontology individual such as a status by its
label, text in the label's language); `{a|b}` is the first of a and b that has a value;
`[...]` is left out when a property inside it has no value; `{*}` is every entity or node the
node points to, by property name. A template whose required property has no value is not
used: the node falls back to `FALLBACK`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.iris import AMOUNT_KIND, CAFO, GRAPH, ID, NODE_KINDS, article_iri, cafo_name
from kg.ontology import Ontology
from kg.registry import Registry
from kg.vocab import RDF_TYPE, RDFS_LABEL

GRAPH_LABELS = URIRef(GRAPH + "labels")
LANGS = ("en", "ru")  # the languages a label is generated in: the templates' languages

TEMPLATES: dict[str, dict[str, str]] = {
    "Performance": {
        "en": "{performer}[ as {character|creditRole}] in {performanceIn}",
        "ru": "{performer}[ — {character|creditRole}], «{performanceIn}»",
    },
    "Participation": {
        "en": "{participant} at {participationIn}[ — {role}]",
        "ru": "{participant}: {participationIn}[ — {role}]",
    },
    "UnnamedPerson": {
        "en": "unnamed {knownAs}[, {positionAt}]",
        "ru": "{knownAs}[, {positionAt}] (имя не названо)",
    },
    "PositionHeld": {
        "en": "{holder}, {position}[ of {positionIn}]",
        "ru": "{holder} — {position}[ ({positionIn})]",
    },
    "Statement": {
        "en": "{speaker}: {statementKind}[ about {about}]",
        "ru": "{speaker}: {statementKind}[ — {about}]",
    },
    "AwardWin": {
        "en": "{award} won by {awardee}[ for {forWork}]",
        "ru": "{awardee} — {award}[, «{forWork}»]",
    },
    "Screening": {
        "en": "Screening of {screenedWork}[ at {partOf}][ ({status})]",
        "ru": "Показ: «{screenedWork}»[, {partOf}][ ({status})]",
    },
    "Premiere": {
        "en": "Premiere of {screenedWork}[ at {partOf}][ in {country}][ ({status})]",
        "ru": "Премьера: «{screenedWork}»[, {partOf}][, {country}][ ({status})]",
    },
    "Distribution": {
        "en": "Distribution of {distributedWork}[ by {distributor}][ in {territory}][ ({status})]",
        "ru": "Прокат: «{distributedWork}»[, {distributor}][, {territory}][ ({status})]",
    },
    "Adaptation": {
        "en": "Adaptation of {adaptationOf}[ by {interestedParty}][ ({status})]",
        "ru": "Адаптация: «{adaptationOf}»[, {interestedParty}][ ({status})]",
    },
    "Statistic": {
        "en": "{about}: {measure}",
        "ru": "{about}: {measure}",
    },
    "MonetaryAmount": {
        "en": "{amount} {currency}",
        "ru": "{amount} {currency}",
    },
}
FALLBACK = {lang: "{@class}[: {*}]" for lang in LANGS}

_FIELD = re.compile(r"\{([^{}]+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_MAX_DEPTH = 3  # a node's label may name a node that names a node; no deeper (and no cycles)


@dataclass(frozen=True)
class Names:
    """What the labels are made of: the registry's labels, the ontology's term labels, and
    every class's superclasses (for the nearest template)."""

    entities: Mapping[URIRef, Mapping[str, str]]
    terms: Mapping[URIRef, Mapping[str, str]]
    parents: Mapping[str, set[str]] = field(default_factory=dict)


def names_from(ontology: Ontology, registry: Registry) -> Names:
    """Names from a loaded kg.ontology.Ontology and kg.registry.Registry."""
    from kg.iris import entity_iri

    terms: dict[URIRef, dict[str, str]] = {}
    pairs = ontology.graph.subject_objects(RDFS_LABEL)
    for term, label in sorted(
        pairs, key=lambda pair: (str(pair[0]), getattr(pair[1], "language", None) or "", str(pair[1]))
    ):
        if isinstance(term, URIRef) and isinstance(label, Literal):
            terms.setdefault(term, {}).setdefault(label.language or "", str(label))
    entities = {entity_iri(e.id): dict(e.labels) for e in registry.entities.values()}
    return Names(entities, terms, ontology.parents)


def pick(texts: Mapping[str, str], lang: str) -> str | None:
    """The text in `lang`, else in English, Russian, Kazakh, else the first language by tag."""
    for choice in (lang, "en", "ru", "kk", *sorted(texts)):
        if texts.get(choice):
            return texts[choice]
    return None


_NODE_PREFIXES = tuple(f"{ID}{kind}/" for kind in [*NODE_KINDS, AMOUNT_KIND])


def is_node(term: Node) -> bool:
    """An n-ary node (award-win/..., performance/...) or an amount the build minted."""
    return isinstance(term, URIRef) and str(term).startswith(_NODE_PREFIXES)


def node_facts(triples: Iterable[tuple[Node, Node, Node]]) -> dict[URIRef, list[tuple[Node, Node]]]:
    """The (property, value) pairs of every node among these fact triples, in their order."""
    out: dict[URIRef, list[tuple[Node, Node]]] = {}
    for s, p, o in triples:
        if isinstance(s, URIRef) and is_node(s):
            pairs = out.setdefault(s, [])
            if (p, o) not in pairs:
                pairs.append((p, o))
    return out


def node_labels(
    facts: Mapping[URIRef, list[tuple[Node, Node]]], names: Names, only: Collection[URIRef] | None = None
) -> list[tuple[URIRef, URIRef, Literal]]:
    """One rdfs:label per node and language in LANGS, sorted; of the nodes in `only`, when given."""
    labeller = _Labeller(facts, names)
    out = []
    for node in sorted(facts if only is None else only):
        for lang in LANGS:
            text = labeller.label(node, lang, 0)
            if text:
                out.append((node, RDFS_LABEL, Literal(text, lang=lang)))
    return out


def node_links(facts: Mapping[URIRef, list[tuple[Node, Node]]]) -> dict[str, list[str]]:
    """Each node (as text) and the nodes its facts name: what beyond_one_article needs of an
    article, without its terms (the build keeps only this much of every article at hand)."""
    return {
        str(node): [str(value) for _, value in pairs if isinstance(value, URIRef) and is_node(value)]
        for node, pairs in facts.items()
    }


def beyond_one_article(links: Mapping[str, Iterable[str]], owners: Mapping[str, Collection[str]]) -> set[str]:
    """The nodes whose label needs more than one article's facts: those stated by several
    articles, those that name a node another article states, and those that name such a
    node. Every other node's label is what its own article alone gives (the build makes
    those where each article is checked, and keeps them with it: kg.build).
    links: node -> the nodes its facts name (node_links, over every article); owners:
    node -> the articles that state it."""
    beyond = {node for node, stems in owners.items() if len(stems) > 1}
    named_by: dict[str, list[str]] = {}
    for node, values in links.items():
        for value in values:
            named_by.setdefault(value, []).append(node)
            if not set(owners.get(value, ())) <= set(owners.get(node, ())):
                beyond.add(node)
    todo = list(beyond)
    while todo:
        for node in named_by.get(todo.pop(), ()):
            if node not in beyond:
                beyond.add(node)
                todo.append(node)
    return beyond


def reachable(nodes: Iterable[str], links: Mapping[str, Iterable[str]]) -> set[str]:
    """These nodes and every node they name, however deep: whose facts their labels read."""
    seen: set[str] = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(links.get(node, ()))
    return seen


@dataclass
class _Labeller:
    facts: Mapping[URIRef, list[tuple[Node, Node]]]
    names: Names

    def cls(self, node: URIRef) -> str | None:
        types = sorted(name for p, o in self.facts.get(node, ()) if p == RDF_TYPE and (name := cafo_name(o)))
        return types[0] if types else None

    def template(self, cls: str | None, lang: str) -> str | None:
        if cls is None:
            return None
        if cls in TEMPLATES:
            return TEMPLATES[cls].get(lang)
        # the nearest superclass with a template: the one with the most superclasses itself
        ancestors = [a for a in self.names.parents.get(cls, ()) if a in TEMPLATES]
        ancestors.sort(key=lambda a: (-len(self.names.parents.get(a, ())), a))
        return TEMPLATES[ancestors[0]].get(lang) if ancestors else None

    def label(self, node: URIRef, lang: str, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        cls = self.cls(node)
        for template in (self.template(cls, lang), FALLBACK[lang]):
            if template:
                text = self.fill(template, node, cls, lang, depth)
                if text:
                    return text[0].upper() + text[1:]
        return None

    def values(self, node: URIRef, name: str, cls: str | None, lang: str, depth: int) -> str | None:
        if name == "@class":
            # the class's label; a class the ontology does not label yet by its own name
            return (pick(self.names.terms.get(CAFO[cls], {}), lang) or cls) if cls else None
        pairs = self.facts.get(node, ())
        if name == "*":
            wanted: list[tuple[str, Node]] = sorted(
                (str(p), o)
                for p, o in pairs
                if p != RDF_TYPE and isinstance(o, URIRef) and (o in self.names.entities or is_node(o))
            )
        else:
            wanted = [(str(p), o) for p, o in pairs if p == CAFO[name]]
        texts = []
        for _, value in sorted(wanted, key=lambda pv: (pv[0], str(pv[1]))):
            text = self.text(value, lang, depth)
            if text and text not in texts:
                texts.append(text)
        if not texts and name != "*":
            # text in another language, only when the property has none in this one
            literals: dict[str, list[str]] = {}
            for p, o in pairs:
                if p == CAFO[name] and isinstance(o, Literal):
                    literals.setdefault(o.language or "", []).append(str(o))
            other = pick({lang: lang for lang in literals}, lang)
            texts = sorted(set(literals[other])) if other is not None else []
        return ", ".join(texts) if texts else None

    def text(self, value: Node, lang: str, depth: int) -> str | None:
        if isinstance(value, Literal):
            if value.language and value.language != lang:
                return None  # picked in values() only when no value is in this language
            return str(value)
        if not isinstance(value, URIRef):
            return None
        if value in self.names.entities:
            return pick(self.names.entities[value], lang)
        if value in self.names.terms:
            return pick(self.names.terms[value], lang)
        if is_node(value):
            return self.label(value, lang, depth + 1)
        return None

    def fill(self, template: str, node: URIRef, cls: str | None, lang: str, depth: int) -> str | None:
        missing = False

        def field(match: re.Match[str]) -> str:
            nonlocal missing
            for name in match.group(1).split("|"):
                text = self.values(node, name, cls, lang, depth)
                if text:
                    return text
            missing = True
            return ""

        def optional(match: re.Match[str]) -> str:
            nonlocal missing
            before = missing
            missing = False
            text = _FIELD.sub(field, match.group(1))
            dropped = missing
            missing = before
            return "" if dropped else text

        text = _OPTIONAL.sub(optional, template)
        text = _FIELD.sub(field, text)
        return None if missing else text


# -- articles --------------------------------------------------------------------------------


def article_titles(headline: Mapping[str, str], editor: Mapping[str, str], file_name: str) -> dict[str, str]:
    """An article's display title per language: the headline in each language it is given;
    the editor's title, in [square brackets], in a language without a headline; the file
    name in brackets when neither exists."""
    titles = {lang: text for lang, text in headline.items() if text}
    for lang, text in editor.items():
        if text and lang not in titles:
            titles[lang] = f"[{text}]"
    if not titles:
        titles["zxx"] = f"[{file_name}]"  # zxx: no linguistic content (ISO 639-2)
    return dict(sorted(titles.items()))


def article_label_triples(stem: str, titles: Mapping[str, str]) -> list[tuple[URIRef, URIRef, Literal]]:
    article = article_iri(stem)
    return [(article, RDFS_LABEL, Literal(text, lang=lang)) for lang, text in sorted(titles.items())]


def merge_node_facts(
    into: dict[URIRef, list[tuple[Node, Node]]], more: Mapping[URIRef, list[tuple[Node, Node]]]
) -> None:
    """Add one article's node facts to the corpus's: a node stated by two articles is one node."""
    for node, pairs in more.items():
        known = into.setdefault(node, [])
        known.extend(pair for pair in pairs if pair not in known)
