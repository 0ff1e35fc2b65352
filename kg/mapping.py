"""A mapping file -> checked facts. Every problem is reported at once, each as file:line.

A mapping (seeds/NAME.yaml) states what its article (seeds/NAME.txt) says: metadata and facts,
each fact with the verbatim quote that states it. This module resolves ids against the
registry, properties against the ontology, values against the property's range, and quotes
against the article text, and returns plain dataclasses holding rdflib terms. It writes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kg.article import Article, QuoteMatch, load_article
from kg.errors import Problem
from kg.iris import AMOUNT_KIND, CAFO, ID, ID_PATTERN, NODE_KINDS, entity_iri
from kg.ontology import Ontology, Property
from kg.registry import LANG_PATTERN, Registry, check_text
from kg.yamlfile import LineDict, LineList, load_yaml

Triple = tuple[URIRef, URIRef, Node]

TOP_KEYS = {"article", "metadata", "facts"}
META_KEYS = {"title", "date", "publisher", "languages", "notes"}
FACT_KEYS = {"id", "subject", "property", "object", "node", "type", "with", "quote", "editorial", "note"}
FACT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Fact:
    """One stated fact: the triples it asserts and the quotes that state it."""

    id: str
    line: int
    triples: tuple[Triple, ...]
    quotes: tuple[QuoteMatch, ...]
    editorial: str | None
    qualifiers: tuple[tuple[Triple, Literal], ...] = ()  # free-text nuance beside a concept


@dataclass(frozen=True)
class Metadata:
    title: dict[str, str]
    date: str | None
    publisher: str | None
    languages: tuple[str, ...]
    notes: str | None


@dataclass(frozen=True)
class Mapping:
    path: Path
    display: str
    article: Article
    metadata: Metadata
    facts: tuple[Fact, ...]
    nodes: dict[str, str]  # node id -> class name, for nodes this mapping declares

    @property
    def stem(self) -> str:
        return self.article.stem


class _Checker:
    """Holds what one mapping file needs while it is checked; collects problems."""

    def __init__(self, display: str, ontology: Ontology, registry: Registry):
        self.file = display
        self.ontology = ontology
        self.registry = registry
        self.problems: list[Problem] = []
        self.nodes: dict[str, str] = {}
        self.article: Article | None = None
        self.qualifiers: dict[Node, list[Literal]] = {}  # concept -> qualifiers of the value being read
        self.fact_qualifiers: list[tuple[Triple, Literal]] = []  # of the fact being read

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    # -- references ---------------------------------------------------------------------

    def class_of(self, ref: str) -> str | None:
        if ref in self.nodes:
            return self.nodes[ref]
        entity = self.registry.get(ref)
        return entity.type if entity else None

    def resolve(self, ref, line: int, what: str) -> tuple[URIRef, str] | None:
        """An entity or node id -> (IRI, class name), or a problem."""
        if not isinstance(ref, str):
            self.problem(line, f"{what} must be an entity id like person/akan-sataev, not {ref!r}")
            return None
        cls = self.class_of(ref)
        if cls is None:
            hint = difflib.get_close_matches(ref, [*self.registry.entities, *self.nodes], n=1)
            tip = f" (did you mean {hint[0]}?)" if hint else " (add it to seeds/registry/, or declare it as a node)"
            self.problem(line, f"unknown entity {ref!r}{tip}")
            return None
        return entity_iri(ref), cls

    def prop(self, name, line: int) -> Property | None:
        if not isinstance(name, str) or name not in self.ontology.properties:
            hint = difflib.get_close_matches(str(name), list(self.ontology.properties), n=1)
            tip = f" (did you mean {hint[0]}?)" if hint else " (see kg terms)"
            self.problem(line, f"unknown property {name!r}{tip}")
            return None
        prop = self.ontology.properties[name]
        if prop.derived:
            self.problem(line, f"{name} is derived by `kg reason`, never stated: state the forward property instead")
            return None
        return prop

    # -- values -------------------------------------------------------------------------

    def values(self, prop: Property, value, line: int, amount_iri: URIRef) -> list[tuple[Node, list[Triple]]]:
        """The RDF object(s) for one authored value, each with any extra triples it needs."""
        if prop.scheme:
            return _concept_value(self, prop, value, line)
        if prop.is_object and prop.ranges:
            return _union_value(self, prop, value, line)
        range_class = self.ontology.range_class(prop)
        if prop.is_object and range_class == "MonetaryAmount":
            return self.amount(value, line, amount_iri)
        if prop.is_object and range_class in self.ontology.individuals:
            allowed = self.ontology.individuals[range_class]
            if isinstance(value, str) and value.lower() in allowed:
                return [(allowed[value.lower()], [])]
            names = ", ".join(sorted(str(v).rsplit("#", 1)[1] for v in allowed.values()))
            self.problem(line, f"{prop.name} takes one of {names}, not {value!r}")
            return []
        if prop.is_object:
            resolved = self.resolve(value, line, f"the object of {prop.name}")
            if resolved is None:
                return []
            iri, cls = resolved
            if range_class and not self.ontology.is_a(cls, range_class):
                self.problem(line, f"{prop.name} needs a {range_class}, but {value} is a {cls}")
                return []
            return [(iri, [])]
        literal = self.literal(prop, value, line)
        if isinstance(literal, list):
            return [(lit, []) for lit in literal]
        return [(literal, [])] if literal is not None else []

    def amount(self, value, line: int, node: URIRef) -> list[tuple[Node, list[Triple]]]:
        if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
            self.problem(line, "a monetary amount is written {amount: 2500000, currency: EUR}")
            return []
        number = _decimal(value["amount"])
        currency = value["currency"]
        if number is None:
            self.problem(line, f"amount {value['amount']!r} is not a number")
        if not isinstance(currency, str) or not CURRENCY.match(currency):
            self.problem(line, f"currency {currency!r} is not an ISO 4217 code like EUR")
        if number is None or not isinstance(currency, str) or not CURRENCY.match(currency):
            return []
        extra = [
            (node, RDF.type, CAFO.MonetaryAmount),
            (node, CAFO.amount, Literal(number, datatype=XSD.decimal)),
            (node, CAFO.currency, Literal(currency, datatype=XSD.string)),
        ]
        return [(node, extra)]

    def literal(self, prop: Property, value, line: int) -> Literal | list[Literal] | None:
        rng = prop.range
        bad = f"{prop.name} takes {_describe(rng)}, not {value!r}"
        if rng == RDF.langString:
            if not isinstance(value, dict) or not value:
                self.problem(line, f"{prop.name} is text with a language: write {{en: ..., ru: ...}}, not {value!r}")
                return None
            out = []
            for lang, text in value.items():
                if (
                    not isinstance(lang, str)
                    or not LANG_PATTERN.match(lang)
                    or not isinstance(text, str)
                    or not text.strip()
                ):
                    self.problem(line, f"{prop.name}: {lang!r}: {text!r} is not language: text")
                    continue
                found = check_text(text, Problem(self.file, line, f"{prop.name}.{lang}"))
                self.problems += found
                if not found:
                    out.append(Literal(text.strip(), lang=lang))
            return out
        if rng == XSD.date:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                self.problem(line, f"{prop.name} takes a date YYYY-MM-DD, not {value!r}")
                return None
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                self.problem(line, f"{prop.name}: {value} is not a real date ({exc})")
                return None
            return Literal(value, datatype=XSD.date)
        if rng == XSD.gYear:
            text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(text, str) or not re.fullmatch(r"\d{4}", text):
                self.problem(line, f"{prop.name} takes a year like 2026, not {value!r}")
                return None
            return Literal(text, datatype=XSD.gYear)
        if rng == XSD.integer:
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(line, bad)
                return None
            return Literal(value, datatype=XSD.integer)
        if rng == XSD.decimal:
            number = _decimal(value)
            if number is None:
                self.problem(line, bad)
                return None
            return Literal(number, datatype=XSD.decimal)
        if rng == XSD.boolean:
            if not isinstance(value, bool):
                self.problem(line, bad)
                return None
            return Literal(value, datatype=XSD.boolean)
        if rng == XSD.language:
            if not isinstance(value, str) or not LANG_PATTERN.match(value):
                self.problem(line, f"{prop.name} takes a language code like ru, not {value!r}")
                return None
            return Literal(value, datatype=XSD.language)
        if not isinstance(value, str) or not value.strip():
            self.problem(line, bad)
            return None
        found = check_text(value, Problem(self.file, line, prop.name))
        self.problems += found
        return None if found else Literal(value.strip(), datatype=XSD.string)


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _describe(rng: URIRef | None) -> str:
    names = {
        XSD.integer: "a whole number",
        XSD.decimal: "a number",
        XSD.boolean: "true or false",
        XSD.string: "text",
    }
    return names.get(rng, "a value")


def _as_list(value, container, key) -> list[tuple[object, int]]:
    """A value or a list of values, each with its line."""
    line = container.line_of(key) if isinstance(container, LineDict) else 0
    if isinstance(value, LineList):
        return [(item, value.line_of(i)) for i, item in enumerate(value)]
    return [(value, line)]


def load_mapping(
    path: Path, display: str, ontology: Ontology, registry: Registry, article_display
) -> tuple[Mapping | None, list[Problem]]:
    """Check one mapping file. Returns the mapping (None when it cannot be used) and every problem."""
    data, problems = load_yaml(path, display)
    if data is None:
        return None, problems
    check = _Checker(display, ontology, registry)
    check.problems += problems
    if not isinstance(data, LineDict):
        check.problem(getattr(data, "line", 1), "a mapping is a map with article, metadata and facts")
        return None, check.problems
    for key in sorted(set(data) - TOP_KEYS, key=str):
        check.problem(data.line_of(key), f"unknown key {key!r} (a mapping has {', '.join(sorted(TOP_KEYS))})")

    article_name = data.get("article")
    if not isinstance(article_name, str) or not article_name.strip():
        check.problem(data.line_of("article"), "article: name the article file, like 004_9d304b95c593325b.txt")
        return None, check.problems
    article_path = path.parent / article_name
    if article_path.resolve().parent != path.parent.resolve():
        check.problem(data.line_of("article"), f"article {article_name!r} must be a file beside the mapping")
        return None, check.problems
    if not article_path.is_file():
        check.problem(data.line_of("article"), f"article file {article_name!r} not found beside the mapping")
        return None, check.problems
    article, found = load_article(article_path, article_display(article_path))
    check.problems += found
    if article is None:
        return None, check.problems
    check.article = article

    metadata = _metadata(check, data.get("metadata"), data.line_of("metadata"))
    facts_data = data.get("facts")
    if not isinstance(facts_data, LineList) or not facts_data:
        check.problem(data.line_of("facts"), "facts: the mapping states no facts yet (add a list of facts)")
        facts_data = LineList()
    _declare_nodes(check, facts_data)
    facts = []
    seen_ids: dict[str, int] = {}
    for index, item in enumerate(facts_data):
        fact = _fact(check, item, facts_data.line_of(index), index, seen_ids)
        if fact is not None:
            facts.append(fact)
    if check.problems:
        return None, check.problems
    mapping = Mapping(path, display, article, metadata, tuple(facts), dict(check.nodes))
    return mapping, []


def _metadata(check: _Checker, meta, line: int) -> Metadata:
    if not isinstance(meta, LineDict):
        check.problem(line, "metadata: give at least the article's languages")
        return Metadata({}, None, None, (), None)
    for key in sorted(set(meta) - META_KEYS, key=str):
        check.problem(meta.line_of(key), f"unknown metadata key {key!r} ({', '.join(sorted(META_KEYS))})")
    title = meta.get("title")
    titles: dict[str, str] = {}
    if title is not None and (not isinstance(title, dict) or not title):
        check.problem(meta.line_of("title"), "metadata.title: the headline per language, like {ru: ...}")
    elif title:
        for lang, text in title.items():
            if not isinstance(lang, str) or not LANG_PATTERN.match(lang) or not isinstance(text, str):
                check.problem(meta.line_of("title"), f"metadata.title: {lang!r} is not language: text")
            else:
                titles[lang] = " ".join(text.split())
    date = meta.get("date")
    if date is not None:
        try:
            dt.date.fromisoformat(str(date))
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
                raise ValueError
        except ValueError:
            check.problem(meta.line_of("date"), f"metadata.date: {date!r} is not a date YYYY-MM-DD")
            date = None
        header = check.article.header_date if check.article else None
        if date and header and header != date:
            check.problem(meta.line_of("date"), f"metadata.date {date} differs from the article's header date {header}")
    publisher = meta.get("publisher")
    if publisher is not None and (not isinstance(publisher, str) or not publisher.strip()):
        check.problem(meta.line_of("publisher"), "metadata.publisher: the publisher's name as text")
        publisher = None
    languages = meta.get("languages")
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) and LANG_PATTERN.match(x) for x in languages)
    ):
        check.problem(meta.line_of("languages"), "metadata.languages: a list of language codes, like [ru] or [en, ru]")
        languages = []
    notes = meta.get("notes")
    return Metadata(
        titles, str(date) if date else None, publisher, tuple(languages), notes if isinstance(notes, str) else None
    )


def _declare_nodes(check: _Checker, facts: LineList) -> None:
    """First pass: the n-ary nodes this mapping declares, so facts may refer to them in any order."""
    for _index, item in enumerate(facts):
        if not isinstance(item, LineDict) or "node" not in item:
            continue
        node_id, line = item.get("node"), item.line_of("node")
        match = ID_PATTERN.match(node_id) if isinstance(node_id, str) else None
        if not match or match.group(1) not in NODE_KINDS:
            check.problem(line, f"bad node id {node_id!r}: write kind/slug with kind one of {', '.join(NODE_KINDS)}")
            continue
        if node_id in check.nodes:
            check.problem(line, f"node {node_id} is declared twice in this mapping")
            continue
        if node_id in check.registry.entities:
            check.problem(line, f"node {node_id} has the id of a registry entity")
            continue
        type_ = item.get("type")
        kind_class = NODE_KINDS[match.group(1)]
        if type_ not in check.ontology.classes:
            check.problem(
                item.line_of("type"), f"node {node_id}: unknown class {type_!r} (a {kind_class} or a subclass)"
            )
            continue
        if not check.ontology.is_a(type_, kind_class):
            check.problem(
                item.line_of("type"),
                f"node {node_id}: type {type_} does not fit kind {match.group(1)!r} (needs a {kind_class})",
            )
            continue
        check.nodes[node_id] = type_


def _fact(check: _Checker, item, line: int, index: int, seen_ids: dict[str, int]) -> Fact | None:
    if not isinstance(item, LineDict):
        check.problem(line, "each fact is a map (subject/property/object or node/type/with, and quote)")
        return None
    before = len(check.problems)
    check.fact_qualifiers = []
    for key in sorted(set(item) - FACT_KEYS, key=str):
        check.problem(item.line_of(key), f"unknown key {key!r} in fact ({', '.join(sorted(FACT_KEYS))})")
    fact_id = item.get("id", f"f{index + 1}")
    if not isinstance(fact_id, str) or not FACT_ID.match(fact_id):
        check.problem(item.line_of("id"), f"fact id {fact_id!r}: lower-case letters, digits and hyphens")
        fact_id = f"f{index + 1}"
    if fact_id in seen_ids:
        check.problem(item.line_of("id"), f"duplicate fact id {fact_id!r} (first on line {seen_ids[fact_id]})")
    seen_ids.setdefault(fact_id, item.line)

    amount_iri = URIRef(f"{ID}{AMOUNT_KIND}/{check.article.stem}-{fact_id}")
    triples: list[Triple] = []
    if "node" in item:
        for key in ("subject", "property", "object"):
            if key in item:
                check.problem(
                    item.line_of(key),
                    f"{key!r} does not go with 'node' (an n-ary fact lists its properties under 'with')",
                )
        node_id = item.get("node")
        if node_id in check.nodes:
            node = entity_iri(node_id)
            triples.append((node, RDF.type, CAFO[check.nodes[node_id]]))
            with_ = item.get("with")
            if not isinstance(with_, LineDict) or not with_:
                check.problem(item.line_of("with"), f"node {node_id}: list its properties under 'with'")
            else:
                for prop_name, raw in with_.items():
                    triples += _statements(
                        check, node, check.nodes[node_id], node_id, prop_name, raw, with_, amount_iri
                    )
    else:
        for key in ("subject", "property", "object"):
            if key not in item:
                check.problem(item.line, f"fact without {key!r} (a fact is subject, property, object and quote)")
        if all(key in item for key in ("subject", "property", "object")):
            resolved = check.resolve(item["subject"], item.line_of("subject"), "subject")
            if resolved is not None:
                subject, cls = resolved
                triples += _statements(
                    check,
                    subject,
                    cls,
                    item["subject"],
                    item["property"],
                    item["object"],
                    item,
                    amount_iri,
                    key="object",
                )

    quotes = _quotes(check, item)
    editorial = item.get("editorial")
    if editorial is not None and (not isinstance(editorial, str) or not editorial.strip()):
        check.problem(item.line_of("editorial"), "editorial: say in a sentence why the editor decided this")
        editorial = None
    if len(check.problems) > before:
        return None
    return Fact(
        fact_id,
        item.line,
        tuple(triples),
        tuple(quotes),
        editorial.strip() if editorial else None,
        tuple(check.fact_qualifiers),
    )


def _statements(
    check: _Checker, subject: URIRef, cls: str, subject_id: str, prop_name, raw, container, amount_iri, key=None
) -> list[Triple]:
    # A simple fact names its property under 'property'; an n-ary one uses it as the key.
    line = container.line_of("property" if key else prop_name)
    prop = check.prop(prop_name, line)
    if prop is None:
        return []
    if prop.domains and not any(check.ontology.is_a(cls, d) for d in prop.domains):
        check.problem(line, f"{prop.name} applies to a {' or '.join(prop.domains)}, but {subject_id} is a {cls}")
        return []
    if prop.domain and not check.ontology.is_a(cls, prop.domain):
        check.problem(line, f"{prop.name} applies to a {prop.domain}, but {subject_id} is a {cls}")
        return []
    triples: list[Triple] = []
    items = _as_list(raw, container, key if key else prop_name)
    for n, (value, value_line) in enumerate(items):
        node_iri = amount_iri if len(items) == 1 else URIRef(f"{amount_iri}-{n + 1}")
        for obj, extra in check.values(prop, value, value_line, node_iri):
            triples.append((subject, prop.iri, obj))
            triples += extra
            for qualifier in check.qualifiers.pop(obj, ()):
                check.fact_qualifiers.append(((subject, prop.iri, obj), qualifier))
    return triples


def _quotes(check: _Checker, item: LineDict) -> list[QuoteMatch]:
    if "quote" not in item:
        check.problem(item.line, "fact without a quote: copy the words of the article that state it")
        return []
    matches = []
    for quote, line in _as_list(item["quote"], item, "quote"):
        if not isinstance(quote, str) or not quote.strip():
            check.problem(line, "quote must be text copied from the article")
            continue
        match = check.article.find(quote)
        if match is None:
            shown = " ".join(quote.split())
            shown = shown if len(shown) <= 70 else shown[:67] + "..."
            check.problem(line, f"quote not found in {check.article.display}: {shown!r}")
            continue
        matches.append(match)
    return matches


# -- controlled vocabularies and union ranges (issue 12) ------------------------------------


def _concept_value(check: _Checker, prop: Property, value, line: int) -> list[tuple[Node, list[Triple]]]:
    """A concept id (`occupation/actor`), or `{concept: ID, qualifier: {en: ...}}` when the
    article words it more narrowly; the qualifier goes on the claim of the triple."""
    qualifier = None
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"concept", "qualifier"}, key=str)
        if unknown or "concept" not in value:
            check.problem(
                line, f"{prop.name}: write a concept id, or {{concept: {prop.scheme}/..., qualifier: {{en: ...}}}}"
            )
            return []
        qualifier = value.get("qualifier")
        value = value["concept"]
    concepts = check.ontology.concepts
    concept = concepts.get(value) if isinstance(value, str) else None
    if concept is not None and concept.scheme != prop.scheme:
        check.problem(line, f"{prop.name} takes a {prop.scheme}/... concept, not {value} (a {concept.scheme} concept)")
        return []
    if concept is None:
        in_scheme = [c for c, found in concepts.items() if found.scheme == prop.scheme]
        hint = _concept_hint(str(value), prop.scheme, in_scheme, concepts)
        tip = f" (did you mean {hint}?)" if hint else f" (see kg terms: the {prop.scheme} scheme)"
        check.problem(line, f"unknown concept {value!r} for {prop.name}{tip}")
        return []
    literals = []
    if qualifier is not None:
        if not isinstance(qualifier, dict) or not qualifier:
            check.problem(line, f"{prop.name}: a qualifier is language: text, like {{en: Hollywood}}")
            return []
        for lang, text in qualifier.items():
            if (
                not isinstance(lang, str)
                or not LANG_PATTERN.match(lang)
                or not isinstance(text, str)
                or not text.strip()
            ):
                check.problem(line, f"{prop.name}: qualifier {lang!r}: {text!r} is not language: text")
                continue
            found = check_text(text, Problem(check.file, line, f"{prop.name}.qualifier.{lang}"))
            check.problems += found
            if not found:
                literals.append(Literal(" ".join(text.split()), lang=lang))
    if literals:
        check.qualifiers.setdefault(concept.iri, []).extend(literals)
    return [(concept.iri, [])]


def _concept_hint(value: str, scheme: str, in_scheme: list[str], concepts) -> str | None:
    """The nearest concept id of the right scheme: by the whole id, then by the slug alone,
    then by a label ("actress" finds occupation/actor through its alternative label)."""
    found = difflib.get_close_matches(value, in_scheme, n=1, cutoff=0.6)
    if found:
        return found[0]
    slug = value.rsplit("/", 1)[-1]
    by_slug = {c.rsplit("/", 1)[-1]: c for c in in_scheme}
    found = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.6)
    if found:
        return by_slug[found[0]]
    by_label = {label.lower(): c for c in in_scheme for label in (*concepts[c].labels.values(), *concepts[c].alt)}
    found = difflib.get_close_matches(slug.replace("-", " ").lower(), list(by_label), n=1, cutoff=0.6)
    return by_label[found[0]] if found else None


def _union_value(check: _Checker, prop: Property, value, line: int) -> list[tuple[Node, list[Triple]]]:
    """An entity whose class falls under one of the classes of an owl:unionOf range."""
    resolved = check.resolve(value, line, f"the object of {prop.name}")
    if resolved is None:
        return []
    iri, cls = resolved
    if not any(check.ontology.is_a(cls, allowed) for allowed in prop.ranges):
        check.problem(line, f"{prop.name} needs a {' or '.join(prop.ranges)}, but {value} is a {cls}")
        return []
    return [(iri, [])]
