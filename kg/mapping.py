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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.article import Article, QuoteMatch, load_article
from kg.corpus import Display
from kg.errors import Problem, Problems
from kg.iris import CAFO, ID, ID_PATTERN, NODE_KINDS, entity_iri, name_problem
from kg.iris import amount_iri as mint_amount_iri
from kg.limits import MAX_NUMBER_DIGITS, excerpt
from kg.ontology import Concept, Ontology, Property, individual_names
from kg.registry import LANG_PATTERN, Registry, check_text
from kg.vocab import (
    CAFO_AMOUNT,
    CAFO_CURRENCY,
    CAFO_DONE,
    CAFO_MONETARY_AMOUNT,
    RDF_LANG_STRING,
    RDF_TYPE,
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_DECIMAL,
    XSD_G_YEAR,
    XSD_INTEGER,
    XSD_LANGUAGE,
    XSD_STRING,
)
from kg.yamlfile import LineDict, LineList, Scalar, Yaml, load_yaml

Triple = tuple[URIRef, URIRef, Node]

TOP_KEYS = {"draft", "article", "metadata", "facts"}
META_KEYS = {
    "title",
    "title_editor",
    "date",
    "publisher",
    "languages",
    "notes",
    "cites",
    "dateline",
    "author",
    "byline",
    "outlet",
    "time",
}
FACT_KEYS = {"id", "subject", "property", "object", "node", "type", "with", "quote", "editorial", "note", "status"}
# Checked with fullmatch: "$" also matches before a final newline.
FACT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Fact:
    """One stated fact: the triples it asserts and the quotes that state it."""

    id: str
    line: int
    triples: tuple[Triple, ...]
    quotes: tuple[QuoteMatch, ...]
    editorial: str | None
    status: URIRef | None = None  # cafo:Planned ... when the article does not report it as done
    qualifiers: tuple[tuple[Triple, Literal], ...] = ()  # free-text nuance beside a concept


@dataclass(frozen=True)
class MetaLink:
    """An entity the article's metadata names (issue 12): a cited source, the dateline's
    place, the author, the outlet; with the words that name it and, for a cited source, the
    facts the article attributes to it."""

    key: str  # cites, dateline, author, outlet
    n: int
    iri: URIRef
    quote: QuoteMatch | None
    facts: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Metadata:
    title: dict[str, str]
    date: str | None
    publisher: str | None
    languages: tuple[str, ...]
    notes: str | None
    links: tuple[MetaLink, ...] = ()
    byline: str | None = None
    time: str | None = None
    title_editor: dict[str, str] = field(default_factory=dict)  # where the text has no headline


@dataclass(frozen=True)
class Draft:
    """A mapping marked `draft: true` (as `kg new` writes it): work in progress that the
    build leaves out with a warning instead of stopping the whole corpus. Nothing in it is
    checked beyond its YAML syntax."""

    display: str
    line: int  # the line of `draft:`
    article: Path  # the article it maps, so the build does not call that article unmapped

    def __str__(self) -> str:
        return f"{self.display}:{self.line}"


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

    def __init__(self, display: str, ontology: Ontology, registry: Registry, article: Article):
        self.file = display
        self.ontology = ontology
        self.registry = registry
        self.article = article
        self.problems = Problems()
        self.nodes: dict[str, str] = {}
        self.qualifiers: dict[Node, list[Literal]] = {}  # concept -> qualifiers of the value being read
        self.fact_qualifiers: list[tuple[Triple, Literal]] = []  # of the fact being read

    def problem(self, line: int, message: str) -> None:
        self.problems.add(self.file, line, message)

    def texts_by_language(
        self, value: dict[Scalar, Yaml], line: int, what: str, shown: Callable[[Scalar, Yaml], str]
    ) -> list[tuple[str, str]]:
        """(language, text) of a {language: text} map, each text checked for markup. A pair
        that is not a language code and non-empty text is a problem: `shown(lang, text)`
        followed by "is not language: text"."""
        out = []
        for lang, text in value.items():
            if (
                not isinstance(lang, str)
                or not LANG_PATTERN.fullmatch(lang)
                or not isinstance(text, str)
                or not text.strip()
            ):
                self.problem(line, f"{shown(lang, text)} is not language: text")
                continue
            found = check_text(text, Problem(self.file, line, f"{what}.{lang}"))
            self.problems += found
            if not found:
                out.append((lang, text))
        return out

    # -- references ---------------------------------------------------------------------

    def class_of(self, ref: str) -> str | None:
        if ref in self.nodes:
            return self.nodes[ref]
        entity = self.registry.get(ref)
        return entity.type if entity else None

    def resolve(self, ref: Yaml, line: int, what: str) -> tuple[URIRef, str] | None:
        """An entity or node id -> (IRI, class name), or a problem."""
        if not isinstance(ref, str):
            self.problem(line, f"{what} must be an entity id like person/akan-sataev, not {excerpt(ref)}")
            return None
        cls = self.class_of(ref)
        if cls is None:
            hint = difflib.get_close_matches(ref, [*self.registry.entities, *self.nodes], n=1)
            tip = f" (did you mean {hint[0]}?)" if hint else " (add it to seeds/registry/, or declare it as a node)"
            self.problem(line, f"unknown entity {excerpt(ref)}{tip}")
            return None
        return entity_iri(ref), cls

    def prop(self, name: Yaml, line: int) -> Property | None:
        if not isinstance(name, str) or name not in self.ontology.properties:
            hint = difflib.get_close_matches(name, list(self.ontology.properties), n=1) if isinstance(name, str) else []
            tip = f" (did you mean {hint[0]}?)" if hint else " (see kg terms)"
            self.problem(line, f"unknown property {excerpt(name)}{tip}")
            return None
        prop = self.ontology.properties[name]
        if prop.derived:
            self.problem(line, f"{name} is derived by `kg reason`, never stated: state the forward property instead")
            return None
        return prop

    # -- values -------------------------------------------------------------------------

    def values(self, prop: Property, value: Yaml, line: int, amount_iri: URIRef) -> list[tuple[Node, list[Triple]]]:
        """The RDF object(s) for one authored value, each with any extra triples it needs."""
        if prop.scheme:
            return _concept_value(self, prop, value, line)
        if prop.is_object and prop.ranges:
            return _union_value(self, prop, value, line)
        range_class = self.ontology.range_class(prop)
        if prop.is_object and range_class == "MonetaryAmount":
            return self.amount(value, line, amount_iri)
        if prop.is_object and range_class in self.ontology.individuals:
            allowed = self.ontology.individuals_of(prop)
            if isinstance(value, str) and value.lower() in allowed:
                return [(allowed[value.lower()], [])]
            self.problem(line, f"{prop.name} takes one of {individual_names(allowed)}, not {excerpt(value)}")
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

    def amount(self, value: Yaml, line: int, node: URIRef) -> list[tuple[Node, list[Triple]]]:
        if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
            self.problem(line, "a monetary amount is written {amount: 2500000, currency: EUR}")
            return []
        number = _decimal(value["amount"])
        currency = value["currency"]
        if number is None:
            self.problem(line, f"amount {excerpt(value['amount'])} {_not_a_number(value['amount'])}")
        elif number < 0:
            self.problem(line, f"amount {excerpt(value['amount'])} is negative: an amount of money is 0 or more")
            number = None
        known = is_currency(currency)
        if not known:
            self.problem(line, f"currency {excerpt(currency)} is not an ISO 4217 currency code (like EUR, USD, KZT)")
        if number is None or not known:
            return []
        extra: list[Triple] = [
            (node, RDF_TYPE, CAFO_MONETARY_AMOUNT),
            (node, CAFO_AMOUNT, Literal(number, datatype=XSD_DECIMAL)),
            (node, CAFO_CURRENCY, Literal(currency, datatype=XSD_STRING)),
        ]
        return [(node, extra)]

    def literal(self, prop: Property, value: Yaml, line: int) -> Literal | list[Literal] | None:
        rng = prop.range
        bad = f"{prop.name} takes {_describe(rng)}, not {excerpt(value)}"
        if rng == RDF_LANG_STRING:
            if not isinstance(value, dict) or not value:
                self.problem(
                    line, f"{prop.name} is text with a language: write {{en: ..., ru: ...}}, not {excerpt(value)}"
                )
                return None
            texts = self.texts_by_language(
                value, line, prop.name, lambda lang, text: f"{prop.name}: {excerpt(lang)}: {excerpt(text)}"
            )
            return [Literal(text.strip(), lang=lang) for lang, text in texts]
        if rng == XSD_DATE:
            if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                self.problem(line, f"{prop.name} takes a date YYYY-MM-DD, not {excerpt(value)}")
                return None
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                self.problem(line, f"{prop.name}: {value} is not a real date ({exc})")
                return None
            return Literal(value, datatype=XSD_DATE)
        if rng == XSD_G_YEAR:
            text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}", text):  # \d takes ٢٠١٨ too
                self.problem(line, f"{prop.name} takes a year like 2026 (digits 0-9), not {excerpt(value)}")
                return None
            return Literal(text, datatype=XSD_G_YEAR)
        if rng == XSD_INTEGER:
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(line, bad)
                return None
            if value < 0:  # every integer property counts something
                self.problem(line, f"{prop.name} counts something: a whole number 0 or more, not {value}")
                return None
            return Literal(value, datatype=XSD_INTEGER)
        if rng == XSD_DECIMAL:
            number = _decimal(value)
            if number is None:
                self.problem(line, f"{prop.name}: {excerpt(value)} {_not_a_number(value)}")
                return None
            return Literal(number, datatype=XSD_DECIMAL)
        if rng == XSD_BOOLEAN:
            if not isinstance(value, bool):
                self.problem(line, bad)
                return None
            return Literal(value, datatype=XSD_BOOLEAN)
        if rng == XSD_LANGUAGE:
            if not isinstance(value, str) or not LANG_PATTERN.fullmatch(value):
                self.problem(line, f"{prop.name} takes a language code like ru, not {excerpt(value)}")
                return None
            return Literal(value, datatype=XSD_LANGUAGE)
        if not isinstance(value, str) or not value.strip():
            self.problem(line, bad)
            return None
        found = check_text(value, Problem(self.file, line, prop.name))
        self.problems += found
        return None if found else Literal(value.strip(), datatype=XSD_STRING)


def _decimal(value: Yaml) -> Decimal | None:
    """A finite number of at most MAX_NUMBER_DIGITS digits before and after the point, or None
    (Decimal('1e999999999') is cheap to hold, but written out it is a billion digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    text = str(value)
    if len(text) > 2 * MAX_NUMBER_DIGITS + 10:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number.adjusted() >= MAX_NUMBER_DIGITS:
        return None
    exponent = number.as_tuple().exponent  # an int for a finite number ('n', 'N', 'F' otherwise)
    if number != 0 and isinstance(exponent, int) and exponent < -MAX_NUMBER_DIGITS:
        return None
    return number


def _not_a_number(value: Yaml) -> str:
    """Why _decimal refused a value."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return "is not a number"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "is not a number"
    if not number.is_finite():
        return "is not a finite number"
    return f"is out of range: at most {MAX_NUMBER_DIGITS} digits before and after the point"


def is_currency(code: Yaml) -> bool:
    """True for a current ISO 4217 code (pycountry's list), checked exactly: 'EUR\n' is not."""
    import pycountry

    if not isinstance(code, str) or not re.fullmatch("[A-Z]{3}", code):  # pycountry ignores case
        return False
    return pycountry.currencies.get(alpha_3=code) is not None


_DESCRIBED: dict[URIRef | None, str] = {
    XSD_INTEGER: "a whole number",
    XSD_DECIMAL: "a number",
    XSD_BOOLEAN: "true or false",
    XSD_STRING: "text",
}


def _describe(rng: URIRef | None) -> str:
    return _DESCRIBED.get(rng, "a value")


def _as_list(value: Yaml, container: LineDict, key: Scalar) -> list[tuple[Yaml, int]]:
    """A value or a list of values, each with its line."""
    line = container.line_of(key)
    if isinstance(value, LineList):
        return [(item, value.line_of(i)) for i, item in enumerate(value)]
    return [(value, line)]


EMPTY = (
    "the mapping is empty: write its article, metadata and facts (docs/mapping-format.md), "
    "or delete the file and run kg new on the article"
)


def load_mapping(
    path: Path, display: str, ontology: Ontology, registry: Registry, article_display: Display
) -> tuple[Mapping | Draft | None, list[Problem]]:
    """Check one mapping file. Returns the mapping (None when it cannot be used, a Draft when
    it is marked as one) and every problem. An empty file (no bytes, `~`, `null`, only
    comments) is a problem, not a missing mapping: its article would silently vanish."""
    if (bad_name := name_problem(path.name)) is not None:  # shown escaped: a message is one line
        return None, [Problem(repr(display)[1:-1], 1, bad_name)]
    data, problems = load_yaml(path, display)
    if data is None:
        return None, problems or [Problem(display, 1, EMPTY)]
    if not isinstance(data, LineDict):
        line = data.line if isinstance(data, LineList) else 1
        return None, [*problems, Problem(display, line, "a mapping is a map with article, metadata and facts")]
    if data.get("draft") is True:  # skipped unchecked, but a broken file is still reported
        draft = Draft(display, data.line_of("draft"), _draft_article(path, data.get("article")))
        return (None, problems) if problems else (draft, [])
    article, found = _article_of(path, display, data, article_display)
    if article is None:
        return None, [*problems, *found]
    check = _Checker(display, ontology, registry, article)
    check.problems += [*problems, *found]

    metadata = _metadata(check, data.get("metadata"), data.line_of("metadata"))
    facts_data = data.get("facts")
    if not isinstance(facts_data, LineList) or not facts_data:
        check.problem(
            data.line_of("facts"),
            "facts: the mapping states no facts yet (add a list of facts, or mark it `draft: true` to leave it "
            "out of the build)",
        )
        facts_data = LineList()
    _declare_nodes(check, facts_data)
    facts = []
    seen_ids: dict[str, int] = {}
    for index, item in enumerate(facts_data):
        fact = _fact(check, item, facts_data.line_of(index), index, seen_ids)
        if fact is not None:
            facts.append(fact)
    _check_cited_facts(check, metadata, seen_ids)
    _check_single_valued(check, facts)
    if check.problems:
        return None, check.problems
    mapping = Mapping(path, display, article, metadata, tuple(facts), dict(check.nodes))
    return mapping, []


def _article_of(
    path: Path, display: str, data: LineDict, article_display: Display
) -> tuple[Article | None, list[Problem]]:
    """The mapping's top level: its keys, its draft mark, and the article it names, loaded."""
    problems: list[Problem] = []
    if "draft" in data and data["draft"] is not False:
        message = f"draft: true (a work in progress the build skips) or false, not {data['draft']!r}"
        problems.append(Problem(display, data.line_of("draft"), message))
    for key in sorted(set(data) - TOP_KEYS, key=str):
        message = f"unknown key {excerpt(key)} (a mapping has {', '.join(sorted(TOP_KEYS))})"
        problems.append(Problem(display, data.line_of(key), message))
    line = data.line_of("article")
    article_name = data.get("article")
    if not isinstance(article_name, str) or not article_name.strip():
        return None, [
            *problems,
            Problem(display, line, "article: name the article file, like 004_9d304b95c593325b.txt"),
        ]
    if (bad_name := name_problem(article_name)) is not None:
        return None, [*problems, Problem(display, line, f"article: {bad_name}")]
    article_path = path.parent / article_name
    if article_path.resolve().parent != path.parent.resolve():
        message = f"article {excerpt(article_name)} must be a file beside the mapping"
        return None, [*problems, Problem(display, line, message)]
    if not article_path.is_file():
        message = f"article file {excerpt(article_name)} not found beside the mapping"
        return None, [*problems, Problem(display, line, message)]
    article, found = load_article(article_path, article_display(article_path))
    return article, [*problems, *found]


def _draft_article(path: Path, name: Yaml) -> Path:
    """The article a draft maps: the one it names, else the .txt of the same name."""
    if isinstance(name, str) and name.strip() and "/" not in name and "\\" not in name:
        return path.parent / name.strip()
    return path.with_suffix(".txt")


def _metadata(check: _Checker, meta: Yaml, line: int) -> Metadata:
    if not isinstance(meta, LineDict):
        check.problem(line, "metadata: give at least the article's languages")
        return Metadata({}, None, None, (), None)
    for key in sorted(set(meta) - META_KEYS, key=str):
        check.problem(meta.line_of(key), f"unknown metadata key {excerpt(key)} ({', '.join(sorted(META_KEYS))})")
    titles = _titles(check, meta, "title", "the headline per language")
    editor_titles = _titles(check, meta, "title_editor", "the editor's title per language")
    date = meta.get("date")
    if date is not None:
        try:
            dt.date.fromisoformat(str(date))
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(date)):
                raise ValueError
        except ValueError:
            check.problem(meta.line_of("date"), f"metadata.date: {excerpt(date)} is not a date YYYY-MM-DD")
            date = None
        header = check.article.header_date
        if date and header and header != date:
            check.problem(meta.line_of("date"), f"metadata.date {date} differs from the article's header date {header}")
    publisher = meta.get("publisher")
    if publisher is not None and (not isinstance(publisher, str) or not publisher.strip()):
        check.problem(meta.line_of("publisher"), "metadata.publisher: the publisher's name as text")
        publisher = None
    written = meta.get("languages")
    items = written if isinstance(written, list) else []
    languages = [x for x in items if isinstance(x, str) and LANG_PATTERN.fullmatch(x)]
    if not languages or len(languages) != len(items):
        check.problem(meta.line_of("languages"), "metadata.languages: a list of language codes, like [ru] or [en, ru]")
        languages = []
    notes = meta.get("notes")
    links, byline, time = _metadata_extras(check, meta)
    return Metadata(
        titles,
        str(date) if date else None,
        publisher,
        tuple(languages),
        notes if isinstance(notes, str) else None,
        links,
        byline,
        time,
        editor_titles,
    )


def _titles(check: _Checker, meta: LineDict, key: str, what: str) -> dict[str, str]:
    """metadata.title or metadata.title_editor: text per language, spaces normalised."""
    title = meta.get(key)
    titles: dict[str, str] = {}
    if title is not None and (not isinstance(title, dict) or not title):
        check.problem(meta.line_of(key), f"metadata.{key}: {what}, like {{ru: ...}}")
    elif title:
        for lang, text in title.items():
            if not isinstance(lang, str) or not LANG_PATTERN.fullmatch(lang) or not isinstance(text, str):
                check.problem(meta.line_of(key), f"metadata.{key}: {excerpt(lang)} is not language: text")
            else:
                titles[lang] = " ".join(text.split())
    return titles


def _declare_nodes(check: _Checker, facts: LineList) -> None:
    """First pass: the n-ary nodes this mapping declares, so facts may refer to them in any order."""
    for _index, item in enumerate(facts):
        if not isinstance(item, LineDict) or "node" not in item:
            continue
        node_id, line = item.get("node"), item.line_of("node")
        match = ID_PATTERN.fullmatch(node_id) if isinstance(node_id, str) else None
        if not isinstance(node_id, str) or not match or match.group(1) not in NODE_KINDS:
            check.problem(
                line, f"bad node id {excerpt(node_id)}: write kind/slug with kind one of {', '.join(NODE_KINDS)}"
            )
            continue
        if node_id in check.nodes:
            check.problem(line, f"node {node_id} is declared twice in this mapping")
            continue
        if node_id in check.registry.entities:
            check.problem(line, f"node {node_id} has the id of a registry entity")
            continue
        type_ = item.get("type")
        kind_class = NODE_KINDS[match.group(1)]
        if not isinstance(type_, str) or type_ not in check.ontology.classes:
            check.problem(
                item.line_of("type"), f"node {node_id}: unknown class {excerpt(type_)} (a {kind_class} or a subclass)"
            )
            continue
        if not check.ontology.is_a(type_, kind_class):
            check.problem(
                item.line_of("type"),
                f"node {node_id}: type {type_} does not fit kind {match.group(1)!r} (needs a {kind_class})",
            )
            continue
        check.nodes[node_id] = type_


def _fact(check: _Checker, item: Yaml, line: int, index: int, seen_ids: dict[str, int]) -> Fact | None:
    if not isinstance(item, LineDict):
        check.problem(line, "each fact is a map (subject/property/object or node/type/with, and quote)")
        return None
    before = len(check.problems)
    check.fact_qualifiers = []
    for key in sorted(set(item) - FACT_KEYS, key=str):
        check.problem(item.line_of(key), f"unknown key {excerpt(key)} in fact ({', '.join(sorted(FACT_KEYS))})")
    fact_id = item.get("id", f"f{index + 1}")
    if not isinstance(fact_id, str) or not FACT_ID.fullmatch(fact_id):
        check.problem(item.line_of("id"), f"fact id {excerpt(fact_id)}: lower-case letters, digits and hyphens")
        fact_id = f"f{index + 1}"
    if fact_id in seen_ids:
        check.problem(item.line_of("id"), f"duplicate fact id {excerpt(fact_id)} (first on line {seen_ids[fact_id]})")
    seen_ids.setdefault(fact_id, item.line)

    amount_iri = mint_amount_iri(check.article.stem, fact_id)
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
            triples.append((node, RDF_TYPE, CAFO[check.nodes[node_id]]))
            with_ = item.get("with")
            if not isinstance(with_, LineDict) or not with_:
                check.problem(item.line_of("with"), f"node {node_id}: list its properties under 'with'")
            else:
                for prop_name, raw in with_.items():
                    line, items = with_.line_of(prop_name), _as_list(raw, with_, prop_name)
                    triples += _statements(
                        check, node, check.nodes[node_id], node_id, prop_name, line, items, amount_iri
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
                    str(item["subject"]),  # resolved: an entity id
                    item["property"],
                    item.line_of("property"),
                    _as_list(item["object"], item, "object"),
                    amount_iri,
                )

    quotes = _quotes(check, item)
    editorial = item.get("editorial")
    if editorial is not None and (not isinstance(editorial, str) or not editorial.strip()):
        check.problem(item.line_of("editorial"), "editorial: say in a sentence why the editor decided this")
        editorial = None
    status = _fact_status(check, item)
    if len(check.problems) > before:
        return None
    return Fact(
        fact_id,
        item.line,
        tuple(triples),
        tuple(quotes),
        editorial.strip() if editorial else None,
        status=status,
        qualifiers=tuple(check.fact_qualifiers),
    )


def _statements(
    check: _Checker,
    subject: URIRef,
    cls: str,
    subject_id: str,
    prop_name: Yaml,
    line: int,
    items: list[tuple[Yaml, int]],
    amount_iri: URIRef,
) -> list[Triple]:
    """The triples of one property of a subject: `line` is the property's, `items` its values
    with theirs (a simple fact names its property under 'property', an n-ary one under 'with')."""
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
            why = check.article.explain_miss(quote)
            check.problem(line, f"quote not found in {check.article.display}: {excerpt(shown, 80)}; {why}")
            continue
        matches.append(match)
    return matches


# -- issue 12: status on any fact ----------------------------------------------------------


def _fact_status(check: _Checker, item: LineDict) -> URIRef | None:
    """A fact's own `status:` (Planned, Negotiating, Announced, Ongoing; Done is the default).

    None for Done: the fact is stated as a plain triple. Any other status keeps the fact out
    of every graph of plain triples (kg.build): only its claim, with the status and the quote,
    says it, so "where was it filmed?" never answers with a place where filming is planned."""
    if "status" not in item:
        return None
    value = item.get("status")
    allowed = check.ontology.individuals.get("Status", {})
    if not isinstance(value, str) or value.lower() not in allowed:
        names = individual_names(allowed)
        check.problem(item.line_of("status"), f"status takes one of {names}, not {value!r}")
        return None
    iri = allowed[value.lower()]
    return None if iri == CAFO_DONE else iri


# -- issue 12: article metadata (cited sources, dateline, author, outlet, time) -------------


@dataclass(frozen=True)
class _LinkKind:
    """How a metadata key names an entity: the class it must fall under, the key of its id in
    the {...: ID, quote: ...} map, whether a quote is required, whether a list is allowed."""

    cls: str
    field: str
    needs_quote: bool
    many: bool


_META_LINKS = {
    "cites": _LinkKind("Agent", "source", needs_quote=True, many=True),
    "dateline": _LinkKind("Place", "place", needs_quote=True, many=False),
    "author": _LinkKind("Agent", "entity", needs_quote=True, many=True),
    "outlet": _LinkKind("Organization", "entity", needs_quote=False, many=False),
}
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _metadata_extras(check: _Checker, meta: LineDict) -> tuple[tuple[MetaLink, ...], str | None, str | None]:
    """cites / dateline / author / outlet (entities, each with its quote), byline and time."""
    links: list[MetaLink] = []
    for key, kind in _META_LINKS.items():
        if key not in meta:
            continue
        raw = meta[key]
        items = raw if kind.many and isinstance(raw, list) else [raw]
        for n, item in enumerate(items, start=1):
            line = raw.line_of(n - 1) if isinstance(raw, LineList) else meta.line_of(key)
            link = _meta_link(check, key, n, item, line, kind)
            if link is not None:
                links.append(link)
    byline = meta.get("byline")
    if byline is not None:
        if not isinstance(byline, str) or check.article.find(byline) is None:
            check.problem(
                meta.line_of("byline"), f"metadata.byline: the author's line as the article writes it, not {byline!r}"
            )
            byline = None
        else:
            byline = " ".join(byline.split())
    time = meta.get("time")
    if time is not None:
        match = _TIME.fullmatch(str(time)) if isinstance(time, str) else None
        if match is None:
            check.problem(meta.line_of("time"), f"metadata.time: a time of day like '16:07' (quoted), not {time!r}")
            time = None
        else:
            time = f"{int(match.group(1)):02d}:{match.group(2)}:00"
    return tuple(links), byline, time


def _meta_link(check: _Checker, key: str, n: int, written: Yaml, line: int, kind: _LinkKind) -> MetaLink | None:
    cls, field, needs_quote = kind.cls, kind.field, kind.needs_quote
    item: dict[Scalar, Yaml]
    if isinstance(written, str) and not needs_quote:
        item = {field: written}
    elif isinstance(written, dict) and field in written:
        item = written
    else:
        shape = f"{{{field}: ID, quote: ...}}" if needs_quote else "an organisation id"
        check.problem(line, f"metadata.{key}: write {shape}, not {written!r}")
        return None
    allowed = {field, "quote", "facts"} if key == "cites" else {field, "quote"}
    for extra in sorted(set(item) - allowed, key=str):
        check.problem(line, f"metadata.{key}: unknown key {extra!r} ({', '.join(sorted(allowed))})")
    resolved = check.resolve(item[field], line, f"metadata.{key}")
    if resolved is None:
        return None
    iri, entity_cls = resolved
    if not check.ontology.is_a(entity_cls, cls):
        article = "an" if cls[0] in "AEIOU" else "a"
        check.problem(line, f"metadata.{key} needs {article} {cls}, but {item[field]} is a {entity_cls}")
        return None
    quote = None
    if "quote" in item or needs_quote:
        text = item.get("quote")
        quote = check.article.find(text) if isinstance(text, str) and text.strip() else None
        if quote is None:
            check.problem(line, f"metadata.{key}: quote not found in {check.article.display}: {text!r}")
            return None
    written_facts: Yaml = item.get("facts", LineList())
    items = written_facts if isinstance(written_facts, list) else [None]  # not a list: refused
    facts = [f for f in items if isinstance(f, str)]
    if len(facts) != len(items):
        check.problem(line, f"metadata.{key}.facts: a list of fact ids, like [aimanov-ai-voice]")
        facts = []
    return MetaLink(key, n, iri, quote, tuple(facts), line)


def _check_cited_facts(check: _Checker, metadata: Metadata, seen_ids: dict[str, int]) -> None:
    """Every fact a cited source is credited with exists in this mapping."""
    for link in metadata.links:
        for fact_id in link.facts:
            if fact_id not in seen_ids:
                hint = difflib.get_close_matches(fact_id, list(seen_ids), n=1)
                tip = f" (did you mean {hint[0]}?)" if hint else ""
                check.problem(link.line, f"metadata.cites: no fact with id {fact_id!r} in this mapping{tip}")


# -- issue 12: single-valued properties ------------------------------------------------------


def _check_single_valued(check: _Checker, facts: list[Fact]) -> None:
    """A property the ontology declares functional (speaker, status, date, ...) takes one
    value per subject: two speakers on one statement are a mistake, caught here with both
    lines rather than left for the reasoner. Facts with a status (not done) are plans, not
    values, and are not counted."""
    by_name = {str(prop.iri): prop for prop in check.ontology.properties.values() if prop.functional}
    seen: dict[tuple[URIRef, URIRef], tuple[Node, int]] = {}
    for fact in facts:
        if fact.status is not None:
            continue
        for subject, predicate, obj in fact.triples:
            prop = by_name.get(str(predicate))
            if prop is None:
                continue
            first = seen.setdefault((subject, predicate), (obj, fact.line))
            if first[0] != obj:
                short = _short_term(subject)
                check.problem(
                    fact.line,
                    f"{prop.name} takes one value, but {short} has {_short_term(first[0])} "
                    f"(line {first[1]}) and {_short_term(obj)}",
                )


def _short_term(term: Node) -> str:
    text = str(term)
    return text[len(ID) :] if text.startswith(ID) else text.rsplit("#", 1)[-1]


# -- controlled vocabularies and union ranges (issue 12) ------------------------------------


def _concept_value(check: _Checker, prop: Property, value: Yaml, line: int) -> list[tuple[Node, list[Triple]]]:
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
        hint = _concept_hint(str(value), in_scheme, concepts)
        tip = f" (did you mean {hint}?)" if hint else f" (see kg terms: the {prop.scheme} scheme)"
        check.problem(line, f"unknown concept {value!r} for {prop.name}{tip}")
        return []
    literals = []
    if qualifier is not None:
        if not isinstance(qualifier, dict) or not qualifier:
            check.problem(line, f"{prop.name}: a qualifier is language: text, like {{en: Hollywood}}")
            return []
        texts = check.texts_by_language(
            qualifier, line, f"{prop.name}.qualifier", lambda lang, text: f"{prop.name}: qualifier {lang!r}: {text!r}"
        )
        literals += [Literal(" ".join(text.split()), lang=lang) for lang, text in texts]
    if literals:
        check.qualifiers.setdefault(concept.iri, []).extend(literals)
    return [(concept.iri, [])]


def _concept_hint(value: str, in_scheme: list[str], concepts: dict[str, Concept]) -> str | None:
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


def _union_value(check: _Checker, prop: Property, value: Yaml, line: int) -> list[tuple[Node, list[Triple]]]:
    """An entity whose class falls under one of the classes of an owl:unionOf range."""
    resolved = check.resolve(value, line, f"the object of {prop.name}")
    if resolved is None:
        return []
    iri, cls = resolved
    if not any(check.ontology.is_a(cls, allowed) for allowed in prop.ranges):
        check.problem(line, f"{prop.name} needs a {' or '.join(prop.ranges)}, but {value} is a {cls}")
        return []
    return [(iri, [])]
