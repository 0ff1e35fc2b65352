"""The terms of the ontology: which classes and properties exist, and what values they take.

The mapping checker asks this module whether a property exists, what its domain and range
are, and whether one class falls under another. It reads the ontology's Turtle with rdflib.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.corpus import Display
from kg.errors import Problem, Problems
from kg.iris import CONCEPT, cafo_name, local_name, prefixed_name
from kg.vocab import (
    CAFO_CONCEPT_SCHEME,
    CAFO_DERIVED,
    OWL_CLASS,
    OWL_DATATYPE_PROPERTY,
    OWL_FUNCTIONAL_PROPERTY,
    OWL_OBJECT_PROPERTY,
    OWL_ONE_OF,
    OWL_UNION_OF,
    RDF,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_DOMAIN,
    RDFS_LABEL,
    RDFS_RANGE,
    RDFS_SUB_CLASS_OF,
    SKOS_ALT_LABEL,
    SKOS_CONCEPT,
    SKOS_CONCEPT_SCHEME,
    SKOS_DEFINITION,
    SKOS_IN_SCHEME,
    SKOS_PREF_LABEL,
    XSD,
)


@dataclass(frozen=True)
class Property:
    name: str
    iri: URIRef
    is_object: bool
    domain: str | None  # local name of a cafo class
    range: URIRef | None  # a cafo class, a datatype, or None (anything)
    label_en: str
    comment_en: str  # what the property means, for `kg author`'s property picker
    derived: bool = False  # cafo:derived: the reasoner's to state, never a mapping's
    functional: bool = False  # owl:FunctionalProperty: one value per subject, enforced by the build
    scheme: str | None = None  # concept-valued: the scheme its values come from ("occupation")
    domains: tuple[str, ...] = ()  # an owl:unionOf domain: any of these classes
    ranges: tuple[str, ...] = ()  # an owl:unionOf range: any of these classes


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of a controlled vocabulary, named in mappings by `scheme/slug`."""

    id: str
    iri: URIRef
    scheme: str
    labels: dict[str, str]
    definition: str
    alt: tuple[str, ...] = ()


@dataclass
class Ontology:
    graph: Graph
    classes: dict[str, URIRef]
    properties: dict[str, Property]
    parents: dict[str, set[str]]  # class -> all its superclasses (itself included)
    individuals: dict[str, dict[str, URIRef]]  # class -> {lowercased name: IRI}
    labels: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)  # "occupation/actor" -> Concept
    schemes: dict[str, dict[str, str]] = field(default_factory=dict)  # "occupation" -> labels

    def is_a(self, cls: str, ancestor: str) -> bool:
        return ancestor in self.parents.get(cls, {cls})

    def range_class(self, prop: Property) -> str | None:
        """The cafo class a property's values fall under (None for a datatype or anything)."""
        return cafo_name(prop.range)

    def individuals_of(self, prop: Property) -> dict[str, URIRef]:
        """{lowercased name: IRI} of the individuals a property's range enumerates (owl:oneOf),
        empty when it enumerates none."""
        range_class = self.range_class(prop)
        return self.individuals.get(range_class, {}) if range_class is not None else {}


def individual_names(individuals: dict[str, URIRef]) -> str:
    """'Announced, Done, Negotiating, ...': the names an enumerated range allows, for messages."""
    return ", ".join(sorted(local_name(iri) for iri in individuals.values()))


def _english(graph: Graph, subject: Node, predicate: URIRef) -> str:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and value.language == "en":
            return str(value)
    return ""


def _iris(nodes: Iterator[Node]) -> list[URIRef]:
    """The IRIs among nodes (a blank node or literal where an IRI belongs is not a term)."""
    return [node for node in nodes if isinstance(node, URIRef)]


def load_ontology(files: list[Path], display: Display) -> Ontology:
    """Parse the ontology files; a file rdflib cannot parse is an InputError naming it."""
    graph = Graph()
    problems = Problems()
    for path in files:
        try:
            with _quiet("rdflib.term"):  # it logs "does not look like a valid URI": _strict_problem says it
                graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser-specific types
            problems.append(_syntax_problem(display(path), exc))
            continue
        if (strict := _strict_problem(path, display(path))) is not None:
            problems.append(strict)
    if not files:
        problems.add("ontology/", 0, "no ontology file (*.ttl) found")
    problems.raise_if_any()

    classes = {name: iri for iri in _iris(graph.subjects(RDF_TYPE, OWL_CLASS)) if (name := cafo_name(iri))}
    direct: dict[str, set[str]] = {name: set() for name in classes}
    for name, iri in classes.items():
        for parent in graph.objects(iri, RDFS_SUB_CLASS_OF):
            if (parent_name := cafo_name(parent)) is not None:
                direct[name].add(parent_name)
    parents = {name: _ancestors(name, direct) for name in classes}

    properties = {}
    for kind, is_object in ((OWL_OBJECT_PROPERTY, True), (OWL_DATATYPE_PROPERTY, False)):
        for iri in _iris(graph.subjects(RDF_TYPE, kind)):
            name = cafo_name(iri)
            if name is None:
                continue
            domain = next((cafo_name(d) for d in graph.objects(iri, RDFS_DOMAIN)), None)
            range_ = next(iter(graph.objects(iri, RDFS_RANGE)), None)
            properties[name] = Property(
                name=name,
                iri=iri,
                is_object=is_object,
                domain=domain,
                range=range_ if isinstance(range_, URIRef) else None,
                label_en=_english(graph, iri, RDFS_LABEL),
                comment_en=_english(graph, iri, RDFS_COMMENT),
                derived=bool(graph.value(iri, CAFO_DERIVED)),
                functional=(iri, RDF_TYPE, OWL_FUNCTIONAL_PROPERTY) in graph,
                scheme=_scheme_name(graph.value(iri, CAFO_CONCEPT_SCHEME)),
                domains=_union(graph, next(iter(graph.objects(iri, RDFS_DOMAIN)), None)),
                ranges=_union(graph, range_),
            )

    individuals: dict[str, dict[str, URIRef]] = {}
    for name, iri in classes.items():
        one_of = graph.value(iri, OWL_ONE_OF)
        if one_of is not None:
            members = _iris(iter(Collection(graph, one_of)))
            individuals[name] = {term.lower(): member for member in members if (term := cafo_name(member))}

    labels = {name: _english(graph, iri, RDFS_LABEL) for name, iri in classes.items()}
    concepts, schemes = _concepts(graph)
    return Ontology(graph, classes, properties, parents, individuals, labels, concepts, schemes)


def _scheme_name(iri: Node | None) -> str | None:
    text = str(iri) if isinstance(iri, URIRef) else ""
    return text[len(CONCEPT) :] if text.startswith(CONCEPT) else None


def _union(graph: Graph, node: Node | None) -> tuple[str, ...]:
    """The classes of an `owl:unionOf` domain or range (empty for a named class or none)."""
    if node is None or isinstance(node, URIRef):
        return ()
    members = graph.value(node, OWL_UNION_OF)
    if members is None:
        return ()
    return tuple(sorted(name for member in Collection(graph, members) if (name := cafo_name(member))))


def _concepts(graph: Graph) -> tuple[dict[str, Concept], dict[str, dict[str, str]]]:
    """The SKOS concepts and schemes under the concept base: the controlled vocabularies."""
    schemes = {}
    for iri in _iris(graph.subjects(RDF_TYPE, SKOS_CONCEPT_SCHEME)):
        if (name := _scheme_name(iri)) is not None:
            schemes[name] = _by_language(graph.objects(iri, SKOS_PREF_LABEL))
    concepts = {}
    for iri in _iris(graph.subjects(RDF_TYPE, SKOS_CONCEPT)):
        concept_id = _scheme_name(iri)
        scheme = _scheme_name(graph.value(iri, SKOS_IN_SCHEME))
        if concept_id is None or scheme is None:
            continue
        concepts[concept_id] = Concept(
            id=concept_id,
            iri=iri,
            scheme=scheme,
            labels=_by_language(graph.objects(iri, SKOS_PREF_LABEL)),
            definition=_english(graph, iri, SKOS_DEFINITION),
            alt=tuple(sorted(str(v) for v in graph.objects(iri, SKOS_ALT_LABEL))),
        )
    return concepts, schemes


def _by_language(values: Iterator[Node]) -> dict[str, str]:
    """{language: text} of the language-tagged literals among values."""
    return {v.language: str(v) for v in values if isinstance(v, Literal) and v.language}


def _syntax_problem(file: str, exc: Exception) -> Problem:
    """One line for a parse error: rdflib's BadSyntax prints four (the position, the reason,
    the text around it as a bytes repr). Its `lines` counts from 0, `_i` is the offset."""
    from kg.limits import excerpt

    why = getattr(exc, "_why", None)
    if why is None:
        return Problem(file, 0, f"cannot parse ontology: {excerpt(' '.join(str(exc).split()), 200)}")
    line = int(getattr(exc, "lines", 0) or 0) + 1
    source = getattr(exc, "_str", b"")
    source = source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)
    offset = int(getattr(exc, "_i", 0) or 0)
    start = source.rfind("\n", 0, offset) + 1
    end = source.find("\n", offset)
    near = source[start : end if end >= 0 else len(source)].strip()
    return Problem(file, line, f"cannot parse ontology: {why} (near {excerpt(near)})")


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """A library logger silenced for a moment: its warnings would be extra message lines."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _strict_problem(path: Path, file: str) -> Problem | None:
    """What rdflib reads but a strict parser refuses (an IRI with a space or a brace, a bad
    language tag): the build copies the ontology into every output, and a user's triple
    store must read them. pyoxigraph validates IRIs and tags; the ontology is small (20 ms)."""
    import re

    import pyoxigraph

    try:
        for _quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.as_uri()):
            pass
    except SyntaxError as exc:
        message = re.sub(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ", "", str(exc))
        message = re.sub(r" \([^()]*line \d+\)$", "", message)
        return Problem(file, exc.lineno or 0, f"invalid ontology: {' '.join(message.split())[:200]}")
    return None


def _ancestors(name: str, direct: dict[str, set[str]]) -> set[str]:
    seen = {name}
    stack = [name]
    while stack:
        for parent in direct.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def describe(ontology: Ontology) -> str:
    """The terms as an author needs them: classes, then properties with domain and range."""
    lines = ["Classes (use as `type:`):"]
    for name in sorted(ontology.classes):
        parents = sorted(p for p in ontology.parents[name] if p != name)
        under = f"  (a {', '.join(parents)})" if parents else ""
        lines.append(f"  {name:<22} {ontology.labels.get(name, '')}{under}")
    lines.append("")
    lines.append("Properties (use as `property:` or under `with:`): name  applies to -> takes")
    lines.append("  ([one value]: single-valued; two values for one subject in a mapping are an error)")
    for name in sorted(ontology.properties, key=str.lower):
        prop = ontology.properties[name]
        takes = _short(prop.range) if prop.range is not None else "anything"
        if individuals := ontology.individuals_of(prop):
            takes += f" ({individual_names(individuals)})"
        takes, applies = _vocab_columns(prop, takes)
        one = "  [one value]" if prop.functional else ""
        lines.append(f"  {name:<26} {applies or prop.domain or 'anything':<16} -> {takes:<18} {prop.label_en}{one}")
    return "\n".join(lines) + "\n" + describe_concepts(ontology)


def _vocab_columns(prop: Property, takes: str) -> tuple[str, str | None]:
    """What `kg terms` shows for a concept-valued property or one with a union domain/range."""
    if prop.scheme:
        takes = f"{prop.scheme}/... (concept)"
    elif prop.ranges:
        takes = " or ".join(prop.ranges)
    return takes, " or ".join(prop.domains) if prop.domains else None


def describe_concepts(ontology: Ontology) -> str:
    """The controlled vocabularies: each scheme with its concepts' ids and labels."""
    if not ontology.schemes:
        return ""
    lines = ["", "Controlled vocabularies (write the id, e.g. occupation/actor; see docs/mapping-format.md):"]
    for scheme in sorted(ontology.schemes):
        labels = ontology.schemes[scheme]
        lines.append(f"  {scheme}: {labels.get('en', '')} / {labels.get('ru', '')}")
        for concept in sorted((c for c in ontology.concepts.values() if c.scheme == scheme), key=lambda c: c.id):
            names = " / ".join(
                dict.fromkeys(concept.labels[lang] for lang in ("en", "ru", "kk") if lang in concept.labels)
            )
            lines.append(f"    {concept.id:<32} {names}")
    return "\n".join(lines) + "\n"


def _short(iri: URIRef) -> str:
    """An ontology class by its name (Film), a datatype by its prefixed name (xsd:date)."""
    return cafo_name(iri) or prefixed_name(iri, {"xsd": str(XSD), "rdf": str(RDF)}) or str(iri)
