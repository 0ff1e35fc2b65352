"""Checked facts -> RDF dataset (article graphs, provenance, metadata) -> files in out/.

The dataset's named graphs:
  graph/article/STEM    what the article states (plain triples)
  graph/editorial/STEM  the editor's judgements about that article, kept apart
  graph/entities        the registry: types, labels, aliases, Wikidata links
  graph/background      the registry's background facts, each with a reference (no article)
  graph/provenance      one rdf:Statement per fact triple, and a Web Annotation per quote
  graph/meta            one schema:NewsArticle per article, and the size of its graphs (VoID)
  graph/labels          generated labels: each n-ary node's, each article's display title (kg.labels)
  graph/ontology        the ontology itself
  graph/entailed        the RDFS closure of the union under the ontology's hierarchy (kg.entail)
  graph/dataset         the VoID/DCAT description of all the others: dumps, counts, sources (kg.dataset)
Every node is an IRI (no blank nodes outside the ontology), so output is byte-stable.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Protocol

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from kg import __version__, cache, labels
from kg.article import QuoteMatch
from kg.built import MANIFEST, MANIFEST_FORMAT, OUTPUTS, PUBLISHED, SOURCES, STORE_DIR, fingerprint
from kg.cache import Context
from kg.corpus import Corpus
from kg.dataset import Counts, private_prefixes
from kg.errors import FileError, Problem, Problems
from kg.iris import (
    CAFO,
    GRAPH_BACKGROUND,
    GRAPH_ENTITIES,
    GRAPH_META,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    ID,
    WD,
    article_graph,
    article_iri,
    claim_iri,
    editorial_graph,
    entity_iri,
    evidence_iri,
)
from kg.mapping import Draft, Mapping, load_mapping
from kg.ontology import Ontology, load_ontology
from kg.registry import Entity, Registry, load_registry
from kg.serialize import bind_prefixes, serialize
from kg.sources import absolute_place, drafts_line, index_mapping, index_registry
from kg.vocab import (
    CAFO_ACCORDING_TO,
    CAFO_BYLINE,
    CAFO_CITES_SOURCE,
    CAFO_DATELINE_PLACE,
    CAFO_EDITOR_LABEL,
    CAFO_PUBLISHED_BY,
    CAFO_QUALIFIER,
    CAFO_REFERENCE,
    CAFO_REFERENCE_LABEL,
    CAFO_STATUS,
    CAFO_TIME_OF_DAY,
    DCTERMS_PUBLISHER,
    DCTERMS_SOURCE,
    OA_ANNOTATION,
    OA_DESCRIBING,
    OA_END,
    OA_EXACT,
    OA_HAS_BODY,
    OA_HAS_SELECTOR,
    OA_HAS_SOURCE,
    OA_HAS_TARGET,
    OA_MOTIVATED_BY,
    OA_PREFIX,
    OA_SPECIFIC_RESOURCE,
    OA_START,
    OA_SUFFIX,
    OA_TEXT_POSITION_SELECTOR,
    OA_TEXT_QUOTE_SELECTOR,
    OWL_SAME_AS,
    PROV_ENTITY,
    PROV_WAS_DERIVED_FROM,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA_AUTHOR,
    SCHEMA_DATE_PUBLISHED,
    SCHEMA_HEADLINE,
    SCHEMA_IN_LANGUAGE,
    SCHEMA_NEWS_ARTICLE,
    SCHEMA_SHA256,
    SKOS_ALT_LABEL,
    SKOS_EDITORIAL_NOTE,
    VOID_TRIPLES,
    XSD_DATE,
    XSD_LANGUAGE,
    XSD_NON_NEGATIVE_INTEGER,
    XSD_TIME,
)

Triple = tuple[Node, Node, Node]
NodeFacts = dict[URIRef, list[tuple[Node, Node]]]  # kg.labels.node_facts


class GraphSink(Protocol):
    """Where triples go: an rdflib Graph, or the fast path's _GraphLines (N-Quads lines)."""

    def add(self, triple: Triple) -> object: ...


class DatasetSink(Protocol):
    """Named graphs of triples: an rdflib Dataset, or the fast path's _Lines."""

    def graph(self, identifier: URIRef) -> GraphSink: ...


@dataclass(frozen=True)
class Checked:
    """Everything a build needs, checked: the ontology, the registry and every mapping."""

    corpus: Corpus
    ontology: Ontology
    registry: Registry
    mappings: tuple[Mapping, ...]
    unmapped: tuple[Path, ...]
    drafts: tuple[Draft, ...] = ()  # mappings marked `draft: true`: left out of the build


@dataclass(frozen=True)
class BuildReport:
    articles: int
    entities: int
    facts: int
    quotes: int
    triples: int
    quads: int
    out_dir: str
    files: tuple[str, ...]
    unmapped: tuple[str, ...] = ()
    per_article: dict[str, dict[str, int]] | None = None
    drafts: tuple[str, ...] = ()  # "seeds/NAME.yaml:LINE" of each draft mapping left out


def article_counts(mapping: Mapping) -> dict[str, int]:
    """What one article contributes: facts, quotes, fact triples, and the distinct things
    (registry entities and nodes) its facts mention."""
    from kg.iris import ID

    things = {
        term
        for fact in mapping.facts
        for triple in fact.triples
        for term in (triple[0], triple[2])
        if str(term).startswith(ID)
    }
    return {
        "facts": len(mapping.facts),
        "editorial": sum(1 for fact in mapping.facts if fact.editorial),
        "quotes": sum(len(fact.quotes) for fact in mapping.facts),
        "triples": sum(len(fact.triples) for fact in mapping.facts),
        "entities": len(things),
    }


def check_corpus(corpus: Corpus) -> Checked:
    """Load and check everything; raise InputError with every problem found."""
    display = corpus.display
    ontology = load_ontology(corpus.ontology_files(), display)
    registry, registry_problems = load_registry(corpus.registry_files(), ontology, display)
    problems = Problems(registry_problems)
    mappings: list[Mapping] = []
    drafts: list[Draft] = []
    for path in corpus.mappings():
        mapping, found = load_mapping(path, display(path), ontology, registry, display)
        problems += found
        if isinstance(mapping, Draft):
            drafts.append(mapping)
        elif mapping is not None:
            mappings.append(mapping)
    problems += _cross_checks([_ref(mapping) for mapping in mappings])
    problems.raise_if_any()
    mapped = {m.article.path.resolve() for m in mappings} | {d.article.resolve() for d in drafts}
    unmapped = tuple(p for p in corpus.articles() if p.resolve() not in mapped)
    return Checked(corpus, ontology, registry, tuple(mappings), unmapped, tuple(drafts))


def _cross_checks(mappings: list[_MappingRef]) -> Problems:
    """What no single file shows: two mappings of one article, one node id with two types."""
    problems = Problems()
    by_article: dict[Path, _MappingRef] = {}
    node_types: dict[str, tuple[str, _MappingRef]] = {}
    for mapping in mappings:
        key = mapping.article.resolved
        if key in by_article:
            problems.add(
                mapping.display, 1, f"{mapping.article.display} is already mapped by {by_article[key].display}"
            )
        by_article.setdefault(key, mapping)
        for node_id, cls in mapping.nodes.items():
            seen = node_types.setdefault(node_id, (cls, mapping))
            if seen[0] != cls:
                problems.add(mapping.display, 1, f"node {node_id} is a {cls} here but a {seen[0]} in {seen[1].display}")
    return problems


def assemble(checked: Checked, *, entail: bool = True) -> Dataset:
    """The RDF dataset. Pure: reads nothing from disk, writes nothing. entail=False leaves
    out graph/entailed and graph/dataset (the fast path adds them once, over every article)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    ontology_graph = dataset.graph(GRAPH_ONTOLOGY)
    for triple in sorted(to_canonical_graph(checked.ontology.graph)):
        ontology_graph.add(triple)

    entities = dataset.graph(GRAPH_ENTITIES)
    cafo_class = {name: iri for name, iri in checked.ontology.classes.items()}
    for entity in sorted(checked.registry.entities.values(), key=lambda e: e.id):
        iri = entity_iri(entity.id)
        entities.add((iri, RDF_TYPE, cafo_class[entity.type]))
        for lang, text in sorted(entity.labels.items()):
            entities.add((iri, RDFS_LABEL, Literal(text, lang=lang)))
        _add_label_sources(entities, iri, entity)
        for lang, texts in sorted(entity.alt.items()):
            for text in texts:
                entities.add((iri, SKOS_ALT_LABEL, Literal(text, lang=lang)))
        if entity.wikidata:
            entities.add((iri, OWL_SAME_AS, WD[entity.wikidata]))

    meta = dataset.graph(GRAPH_META)
    provenance = dataset.graph(GRAPH_PROVENANCE)
    _add_background(dataset, provenance, checked.registry, cafo_class)
    nodes: NodeFacts = {}
    for mapping in sorted(checked.mappings, key=lambda m: m.stem):
        _add_article(dataset, meta, provenance, mapping, checked.corpus)
        labels.merge_node_facts(nodes, _node_facts(mapping))
    _add_node_labels(dataset, nodes, labels.names_from(checked.ontology, checked.registry))
    if entail:
        from kg.entail import GRAPH_ENTAILED, entail_graph
        from kg.serialize import union_graph

        entailed = dataset.graph(GRAPH_ENTAILED)
        for triple in sorted(entail_graph(union_graph(dataset), checked.ontology.graph)):
            entailed.add(triple)
        from kg.dataset import lines_of_dataset

        _add_description(dataset, lines_of_dataset(dataset))
    return dataset


def _add_description(dataset: DatasetSink, lines: collections.abc.Mapping[str, Iterable[bytes]] | Counts) -> None:
    """graph/dataset: the VoID/DCAT description of every other graph (kg.dataset), last,
    since it counts them. `dataset` is an rdflib Dataset or the fast path's _Lines; `lines`
    every other graph's N-Quads lines by graph name."""
    from kg.dataset import GRAPH_DATASET, describe

    graph = dataset.graph(GRAPH_DATASET)
    for triple in describe(lines):
        graph.add(triple)


def _add_label_sources(entities: Graph, iri: URIRef, entity: Entity) -> None:
    """Mark labels no article gives (issue 12): the same literal again under cafo:editorLabel
    (the editor's transliteration or translation) or cafo:referenceLabel (taken from Wikidata).
    rdfs:label stays, so every view and query still finds a name; a query that wants only the
    names the sources use filters these out."""
    for lang in entity.editor:
        entities.add((iri, CAFO_EDITOR_LABEL, Literal(entity.labels[lang], lang=lang)))
    for lang in entity.from_wikidata:
        entities.add((iri, CAFO_REFERENCE_LABEL, Literal(entity.labels[lang], lang=lang)))


def _add_background(dataset: Dataset, provenance: Graph, registry: Registry, classes: dict[str, URIRef]) -> None:
    """The registry's background facts (issue 12) in graph/background - part of the default
    graph like any article's facts - each with a claim whose provenance is its reference (a
    Wikidata item, or a web page with the quote that states it), never an article."""
    facts = [fact for entity in registry.entities.values() for fact in entity.background]
    if not facts:
        return
    background = dataset.graph(GRAPH_BACKGROUND)
    for fact in sorted(facts, key=lambda f: (f.subject, f.n)):
        subject = entity_iri(fact.subject)
        if fact.property == "type":
            triple = (subject, RDF_TYPE, classes[fact.object])
        else:
            triple = (subject, CAFO[fact.property], entity_iri(fact.object))
        background.add(triple)
        claim = URIRef(f"{ID}claim/background/{fact.subject}-{fact.n}")
        if fact.wikidata:
            reference = WD[fact.wikidata]
        else:
            assert fact.url is not None  # kg.registry refuses a background fact with neither
            reference = URIRef(fact.url)
        add_claim(provenance, claim, triple, reference)
        provenance.add((claim, CAFO_REFERENCE, reference))
        if fact.quote:
            annotation = URIRef(f"{ID}evidence/background/{fact.subject}-{fact.n}-q1")
            add_quote(provenance, annotation, [claim], reference, " ".join(fact.quote.split()))


def _node_facts(mapping: Mapping) -> NodeFacts:
    return labels.node_facts(t for fact in mapping.facts for t in fact.triples)


def _add_node_labels(
    dataset: DatasetSink, nodes: NodeFacts, names: labels.Names, only: set[URIRef] | None = None
) -> None:
    """graph/labels: a generated label per n-ary node and language (kg.labels); of the
    nodes in `only`, when given."""
    if nodes:
        graph = dataset.graph(labels.GRAPH_LABELS)
        for triple in labels.node_labels(nodes, names, only):
            graph.add(triple)


def _add_article(
    dataset: DatasetSink, meta: GraphSink, provenance: GraphSink, mapping: Mapping, corpus: Corpus
) -> None:
    stem = mapping.stem
    article = article_iri(stem)
    stated = dataset.graph(article_graph(stem))
    editorial = None

    meta.add((article, RDF_TYPE, SCHEMA_NEWS_ARTICLE))
    meta.add((article, RDF_TYPE, PROV_ENTITY))
    for lang, title in sorted(mapping.metadata.title.items()):
        meta.add((article, SCHEMA_HEADLINE, Literal(title, lang=lang)))
    if mapping.metadata.date:
        meta.add((article, SCHEMA_DATE_PUBLISHED, Literal(mapping.metadata.date, datatype=XSD_DATE)))
    if mapping.metadata.publisher:
        meta.add((article, DCTERMS_PUBLISHER, Literal(mapping.metadata.publisher)))
    for lang in mapping.metadata.languages:
        meta.add((article, SCHEMA_IN_LANGUAGE, Literal(lang, datatype=XSD_LANGUAGE)))
    if mapping.metadata.notes:
        meta.add((article, SKOS_EDITORIAL_NOTE, Literal(" ".join(mapping.metadata.notes.split()), lang="en")))
    meta.add((article, DCTERMS_SOURCE, Literal(_relative(mapping.article.path, corpus))))
    titles = labels.article_titles(mapping.metadata.title, mapping.metadata.title_editor, mapping.article.path.name)
    for label in labels.article_label_triples(stem, titles):
        dataset.graph(labels.GRAPH_LABELS).add(label)
    meta.add((article, SCHEMA_SHA256, Literal(mapping.article.sha256)))
    meta.add((article_graph(stem), PROV_WAS_DERIVED_FROM, article))
    # The size of each graph (VoID), so that "how many facts per article" reads one number
    # per article instead of counting 5 million quads (13 s at 10,000 articles).
    stated_triples = {t for fact in mapping.facts if not fact.editorial and not fact.status for t in fact.triples}
    editorial_triples = {t for fact in mapping.facts if fact.editorial and not fact.status for t in fact.triples}
    meta.add((article_graph(stem), VOID_TRIPLES, Literal(len(stated_triples))))
    if editorial_triples:
        meta.add((editorial_graph(stem), VOID_TRIPLES, Literal(len(editorial_triples))))

    _add_metadata_links(meta, provenance, mapping)

    for fact in mapping.facts:
        if fact.status is not None:
            target = None  # not done: only its claim states it, with the status (see _claim_extras)
        elif fact.editorial:
            if editorial is None:
                editorial = dataset.graph(editorial_graph(stem))
                meta.add((editorial_graph(stem), PROV_WAS_DERIVED_FROM, article))
            target = editorial
        else:
            target = stated
        claims = []
        for n, triple in enumerate(fact.triples, start=1):
            if target is not None:
                target.add(triple)
            claim = claim_iri(stem, fact.id, n)
            claims.append(claim)
            add_claim(provenance, claim, triple, article)
            if fact.editorial:
                provenance.add((claim, SKOS_EDITORIAL_NOTE, Literal(fact.editorial, lang="en")))
            if fact.status is not None:
                provenance.add((claim, CAFO_STATUS, fact.status))
            for qualified, qualifier in fact.qualifiers:  # nuance beside a concept (issue 12)
                if qualified == triple:
                    provenance.add((claim, CAFO_QUALIFIER, qualifier))
        for q, quote in enumerate(fact.quotes, start=1):
            _add_evidence(provenance, article, stem, fact.id, q, quote, claims)


_META_PREDICATES = {
    "cites": CAFO_CITES_SOURCE,
    "dateline": CAFO_DATELINE_PLACE,
    "author": SCHEMA_AUTHOR,
    "outlet": CAFO_PUBLISHED_BY,
}


def _add_metadata_links(meta: GraphSink, provenance: GraphSink, mapping: Mapping) -> None:
    """The article's cited sources, dateline place, author and outlet (issue 12), in graph/meta
    beside its other metadata, each with a claim and the words that name it; each fact the
    article attributes to a cited source gets cafo:accordingTo on its claims. The source is
    never made the speaker of a statement: what it reported is still the article's fact."""
    stem = mapping.stem
    article = article_iri(stem)
    if mapping.metadata.byline:
        meta.add((article, CAFO_BYLINE, Literal(mapping.metadata.byline)))
    if mapping.metadata.time:
        meta.add((article, CAFO_TIME_OF_DAY, Literal(mapping.metadata.time, datatype=XSD_TIME)))
    facts = {fact.id: fact for fact in mapping.facts}
    for link in mapping.metadata.links:
        predicate = _META_PREDICATES[link.key]
        meta.add((article, predicate, link.iri))
        if link.quote is None:
            continue  # an outlet the text does not name: metadata, with no words to cite
        name = f"_{link.key}-{link.n}"  # "_": no fact id starts with one, so no clash
        claim = claim_iri(stem, name, 1)
        add_claim(provenance, claim, (article, predicate, link.iri), article)
        _add_evidence(provenance, article, stem, name, 1, link.quote, [claim])
        for fact_id in link.facts:
            for n in range(1, len(facts[fact_id].triples) + 1):
                provenance.add((claim_iri(stem, fact_id, n), CAFO_ACCORDING_TO, link.iri))


def add_claim(provenance: GraphSink, claim: URIRef, triple: Triple, source: Node) -> None:
    """The claim that states a triple: an rdf:Statement of it, derived from its source (the
    article, or a background fact's reference). The one place a claim is written (viz.synthetic
    writes its claims here too, so its graphs have the build's shape)."""
    provenance.add((claim, RDF_TYPE, RDF_STATEMENT))
    provenance.add((claim, RDF_SUBJECT, triple[0]))
    provenance.add((claim, RDF_PREDICATE, triple[1]))
    provenance.add((claim, RDF_OBJECT, triple[2]))
    provenance.add((claim, PROV_WAS_DERIVED_FROM, source))


def add_quote(
    provenance: GraphSink, annotation: URIRef, claims: list[URIRef], source: URIRef, exact: str
) -> tuple[URIRef, URIRef]:
    """A W3C Web Annotation: its bodies are the claims, its target the exact words in source.
    Returns the target and its quote selector, for a caller that adds more (the build adds the
    quote's context and position; viz.synthetic writes its annotations here too)."""
    target = URIRef(f"{annotation}#target")
    by_quote = URIRef(f"{annotation}#quote")
    provenance.add((annotation, RDF_TYPE, OA_ANNOTATION))
    provenance.add((annotation, OA_MOTIVATED_BY, OA_DESCRIBING))
    for claim in claims:
        provenance.add((annotation, OA_HAS_BODY, claim))
    provenance.add((annotation, OA_HAS_TARGET, target))
    provenance.add((target, RDF_TYPE, OA_SPECIFIC_RESOURCE))
    provenance.add((target, OA_HAS_SOURCE, source))
    provenance.add((target, OA_HAS_SELECTOR, by_quote))
    provenance.add((by_quote, RDF_TYPE, OA_TEXT_QUOTE_SELECTOR))
    provenance.add((by_quote, OA_EXACT, Literal(exact)))
    return target, by_quote


def _add_evidence(
    provenance: GraphSink, article: URIRef, stem: str, fact_id: str, q: int, quote: QuoteMatch, claims: list[URIRef]
) -> None:
    """A W3C Web Annotation: its bodies are the fact's claims, its target the quoted span."""
    annotation = evidence_iri(stem, fact_id, q)
    target, by_quote = add_quote(provenance, annotation, claims, article, quote.exact)
    by_position = URIRef(f"{annotation}#position")
    provenance.add((target, OA_HAS_SELECTOR, by_position))
    provenance.add((by_quote, OA_PREFIX, Literal(quote.prefix)))
    provenance.add((by_quote, OA_SUFFIX, Literal(quote.suffix)))
    provenance.add((by_position, RDF_TYPE, OA_TEXT_POSITION_SELECTOR))
    provenance.add((by_position, OA_START, Literal(quote.start, datatype=XSD_NON_NEGATIVE_INTEGER)))
    provenance.add((by_position, OA_END, Literal(quote.end, datatype=XSD_NON_NEGATIVE_INTEGER)))


def _relative(path: Path, corpus: Corpus) -> str:
    try:
        return path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return path.name


def build(
    corpus: Corpus, out_dir: Path, *, jobs: int | None = None, progress: Progress | None = None, full: bool = False
) -> BuildReport:
    """Check every mapping and write every output: the RDF files, the manifest and the
    Oxigraph store (OUT/store). On any problem nothing in out_dir is touched.

    One build at a time per out_dir (kg.atomic.build_lock: a second one waits, then
    builds); the outputs are published together in one step (kg.atomic.publish).

    The work that splits by article (reading, checking, turning facts into quads) runs on
    `jobs` processes (default: every core); the outputs are written by the bulk
    serialisers of pyoxigraph from the sorted quads, so time grows linearly with the corpus.

    Incremental (issue 16): articles whose sources did not change since the last build come
    from OUT's cache (kg.cache), and the store is the last build's with only the changed
    quads replaced (kg.store.patch); the outputs are the same bytes as a clean build's.
    full=True checks every article and loads the store anew."""
    from kg.atomic import build_lock

    with build_lock(out_dir):
        return write_build(corpus, out_dir, jobs, progress, full=full)


def write_build(
    corpus: Corpus, out_dir: Path, jobs: int | None, progress: Progress | None, *, full: bool = False
) -> BuildReport:
    """The build itself, under the caller's lock (build() here, or kg.built when a reader finds OUT stale)."""
    from kg.atomic import pause

    pause("locked")
    # The sources' fingerprint before they are read: a file edited during the build leaves
    # the build stale, instead of marking old content fresh.
    sources = fingerprint(corpus)
    emitted = emit(corpus, jobs=jobs, progress=progress, out_dir=out_dir, full=full)
    try:
        report = _write_outputs(corpus, out_dir, emitted, progress, sources, full=full)
    except BaseException:
        if emitted.cache is not None:
            cache.discard(emitted.cache)
        raise
    if emitted.cache is not None:
        cache.promote(emitted.cache, emitted.mappings or [])
    return report


# -- the build at scale: one task per article -------------------------------------------------
#
# assemble() builds an rdflib Dataset: the model, right for a few articles and for callers that
# want the graph in Python. At thousands of articles its store and serialisers dominate the
# build (rdflib's TriG writer took 16 s per 100 articles), so the build feeds _add_article -
# the same code - with a sink that formats each quad as an N-Quads line instead of storing it.
# Lines are formatted as rdflib's N-Quads serialiser formats them, so graph.nq has the same
# bytes as `kg export --format nquads`; tests pin the two paths to the same quads.

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): how far a build has got; the CLI draws it as a bar."""

PARALLEL_MIN = 16  # below this many mappings, worker processes cost more than they save
_WORKER: tuple[Corpus, Ontology, Registry] | None = None
_CACHE: Context | None = None  # the worker's article cache (kg.cache), when the build keeps one


@dataclass(frozen=True)
class _ArticleRef:
    path: Path
    display: str
    resolved: Path  # the article file's real path: two mappings of one file are found by it


@dataclass(frozen=True)
class _MappingRef:
    """What _cross_checks reads from a Mapping, small enough to send between processes."""

    display: str
    article: _ArticleRef
    nodes: dict[str, str]


def _ref(mapping: Mapping) -> _MappingRef:
    return _MappingRef(
        mapping.display,
        _ArticleRef(mapping.article.path, mapping.article.display, mapping.article.path.resolve()),
        dict(mapping.nodes),
    )


@dataclass(frozen=True)
class _Emitted1:
    """One mapping file, checked and turned into N-Quads lines (or its problems)."""

    problems: list[Problem]
    ref: _MappingRef | None = None
    stem: str = ""
    counts: dict[str, int] | None = None
    graphs: dict[str, list[bytes]] | None = None  # graph IRI as N-Quads term -> its lines as sorted runs (_runs)
    union: list[str] | None = None  # N-Triples lines of the triples that go to the union graph
    draft: Draft | None = None  # the file is a draft: left out, with a warning
    nodes: NodeFacts | None = None  # its n-ary nodes' (property, value) pairs; kept apart in the cache
    links: dict[str, list[str]] | None = None  # each of its nodes and the nodes it names (kg.labels.node_links)
    described: Counts | None = None  # what kg.dataset.describe counts in its lines
    trig: dict[str, tuple[bytes, list[bytes]]] | None = None  # its graphs' runs as TriG (_trig)
    node_labels: list[str] | None = None  # their labels from this article's facts alone (kg.labels.beyond_one_article)
    index: bytes = b""  # where its facts are stated: its line of sources.jsonl (kg.sources)


SPILL_BYTES = 64 << 20  # bytes of runs held before they are written to the spill file (memory bound)


def _runs(lines: Iterable[str]) -> list[bytes]:
    """A graph's lines (of one article, or of the ontology, registry, labels...), distinct and
    sorted, cut into runs wherever the subject's namespace changes (the subject up to its last
    "/": an article's claims, its evidence, its metadata). Runs of different articles then
    follow each other in the graph's order without interleaving, so the build writes a
    shared graph (provenance, metadata, labels) by sorting runs, not lines (_Blocks)."""
    runs: list[bytes] = []
    current: list[str] = []
    family = None
    for line in sorted(set(lines)):
        subject = line[: line.index(" ")]
        here = subject[: subject.rfind("/")]
        if here != family and current:
            runs.append(("\n".join(current) + "\n").encode("utf-8"))
            current = []
        family = here
        current.append(line)
    if current:
        runs.append(("\n".join(current) + "\n").encode("utf-8"))
    return runs


def _lines_of(runs: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of runs, without their newlines."""
    for run in runs:
        yield from run.split(b"\n")[:-1]


def _after_prefixes(text: bytes) -> int:
    """Where pyoxigraph's TriG output continues after its prefix lines."""
    return text.index(b"\n", text.rindex(b"@prefix ")) + 1


def _trig(runs: list[bytes]) -> tuple[bytes, list[bytes]]:
    """A graph's runs as TriG: the line that opens the graph ("graph:x {"), and each run's
    body (its statements, without the prefixes and the braces). pyoxigraph writes a graph
    subject by subject, so the bodies of runs cut at subjects, joined, are the graph's TriG
    (a test compares the file with pyoxigraph's TriG of graph.nq): the workers write each
    article's TriG, and the build only joins them."""
    import pyoxigraph

    from kg.iris import PREFIXES

    opening, bodies = b"", []
    for run in runs:
        quads = pyoxigraph.parse(run, format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
        text = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES)
        assert text is not None
        start = _after_prefixes(text)
        end = text.index(b"\n", start) + 1  # after the line that opens the graph
        opening = text[start:end]
        bodies.append(text[end:-2])  # up to its closing "}\n"
    return opening, bodies


def trig_header() -> bytes:
    """The prefix lines pyoxigraph writes at the start of a TriG file."""
    import pyoxigraph

    from kg.iris import PREFIXES

    line = b"<https://e.org/s> <https://e.org/p> <https://e.org/o> <https://e.org/g> .\n"
    text = pyoxigraph.serialize(
        pyoxigraph.parse(line, format=pyoxigraph.RdfFormat.N_QUADS), format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES
    )
    assert text is not None
    return text[: _after_prefixes(text)]


@dataclass
class _Run:
    """Sorted distinct lines of one graph, each ending in a newline: in memory (data), or at
    offset in the spill file."""

    first: bytes
    last: bytes
    data: bytes | None
    trig: bytes | None  # the same lines as TriG, inside their graph's braces (_trig)
    offset: int = 0
    length: int = 0
    trig_length: int = 0  # in the spill file, after the lines


class _Blocks:
    """Every graph's lines, as the sorted runs the workers made (_runs). A graph's lines in
    order are its runs sorted by their first line, joined; where runs overlap (two articles
    stating one line, or runs that interleave) those runs are merged line by line. Runs are
    held up to SPILL_BYTES, then appended to a spill file (in OUT's cache staging), so the
    build's memory does not grow with the corpus; without a folder nothing is spilled."""

    def __init__(self, spill: Path | None = None) -> None:
        self.runs: dict[str, list[_Run]] = {}
        self.openings: dict[str, bytes] = {}  # graph name -> the TriG line that opens it
        self.spill_dir = spill
        self.handle: IO[bytes] | None = None
        self.held: list[_Run] = []
        self.size = 0
        self.counts = Counts()  # kg.dataset.describe's: of the runs extend() adds, and those added to it

    def extend(self, name: str, lines: Iterable[str]) -> None:
        """Lines in any order, with repeats: made here, so counted here."""
        runs = _runs(lines)
        self.counts.add_lines(name, _lines_of(runs))
        self.add(name, runs)

    def add(self, name: str, runs: list[bytes], trig: tuple[bytes, list[bytes]] | None = None) -> None:
        """Runs as _runs makes them, and as _trig makes them (made here when not given)."""
        if not runs:
            return
        opening, bodies = trig if trig is not None else _trig(runs)
        self.openings.setdefault(name, opening)
        graph = self.runs.setdefault(name, [])
        for data, body in zip(runs, bodies, strict=True):
            first = data[: data.index(b"\n")]
            last = data[data.rfind(b"\n", 0, len(data) - 1) + 1 : -1]
            run = _Run(first, last, data, body)
            graph.append(run)
            self.held.append(run)
            self.size += len(data) + len(body)
        if self.spill_dir is not None and self.size > SPILL_BYTES:
            self.spill()

    def spill(self) -> None:
        assert self.spill_dir is not None
        if self.handle is None:
            self.handle = _temporary(self.spill_dir)  # closed by close()
        for run in self.held:
            assert run.data is not None and run.trig is not None
            run.offset, run.length, run.trig_length = self.handle.tell(), len(run.data), len(run.trig)
            self.handle.write(run.data)
            self.handle.write(run.trig)
            run.data = run.trig = None
        self.held, self.size = [], 0

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def names(self) -> list[str]:
        return sorted(self.runs)

    def described(self) -> Counts:
        """The counts of every run (self.counts), less the lines that overlapping runs repeat:
        once, after the last run is added (the repeats are taken out of self.counts)."""
        for name in self.names():
            for group in self._groups(name):
                if len(group) > 1:
                    seen = Counter(_lines_of(self._data(run)[0] for run in group))
                    for line, times in seen.items():
                        for _ in range(times - 1):
                            self.counts.remove(name, line)
        return self.counts

    def blocks(self, name: str) -> Iterator[tuple[bytes, bytes]]:
        """The graph's distinct lines, sorted, as blocks of whole lines, each with its TriG."""
        for group in self._groups(name):
            yield self._merged(group)

    def _groups(self, name: str) -> Iterator[list[_Run]]:
        """The graph's runs in order, those that overlap together."""
        group: list[_Run] = []
        reach = b""
        for run in sorted(self.runs.get(name, []), key=lambda r: (r.first, r.last)):
            if group and run.first <= reach:
                group.append(run)
                reach = max(reach, run.last)
                continue
            if group:
                yield group
            group, reach = [run], run.last
        if group:
            yield group

    def _merged(self, group: list[_Run]) -> tuple[bytes, bytes]:
        if len(group) == 1:
            return self._data(group[0])
        import heapq

        merged: list[bytes] = []
        for line in heapq.merge(*(_lines_of([self._data(run)[0]]) for run in group)):
            if not merged or merged[-1] != line:
                merged.append(line)
        data = b"\n".join(merged) + b"\n"
        return data, _trig([data])[1][0]

    def _data(self, run: _Run) -> tuple[bytes, bytes]:
        if run.data is not None and run.trig is not None:
            return run.data, run.trig
        assert self.handle is not None
        self.handle.flush()
        both = os.pread(self.handle.fileno(), run.length + run.trig_length, run.offset)
        return both[: run.length], both[run.length :]


@dataclass
class Emitted:
    """The whole corpus as lines, ready to write: what build() needs after checking."""

    registry_size: int
    graphs: _Blocks
    union: set[str]
    per_article: dict[str, dict[str, int]]
    unmapped: tuple[Path, ...]
    drafts: tuple[Draft, ...] = ()
    sources: IO[bytes] | None = None  # sources.jsonl but its last line (the drafts'), in a temporary file
    cache: Context | None = None  # the article cache this build reads and fills (kg.cache)
    mappings: list[Path] | None = None  # the mapping files it read (their cache entries are kept)


class _Lines:
    """Stands in for rdflib's Dataset and Graph in _add_article: .graph(name) and .add(triple)
    append N-Quads lines instead of storing triples."""

    def __init__(self) -> None:
        self.graphs: dict[str, list[str]] = {}
        self.union: list[str] = []
        self._terms: dict[Node, str] = {}

    def graph(self, identifier: URIRef) -> _GraphLines:
        return _GraphLines(self, identifier)

    def term(self, term: Node) -> str:
        """A term exactly as rdflib's N-Quads serialiser writes it (each one formatted once:
        rdflib terms compare unequal across types, so one cache serves IRIs and literals)."""
        text = self._terms.get(term)
        if text is None:
            text = self._terms[term] = _quote_literal(term) if isinstance(term, Literal) else term.n3()
        return text


class _GraphLines:
    def __init__(self, owner: _Lines, identifier: URIRef) -> None:
        self.owner = owner
        self.name = owner.term(identifier)
        self.lines = owner.graphs.setdefault(self.name, [])
        # The union graph holds every graph's triples except provenance and metadata
        # (kg.serialize.union_graph); the ontology's part comes from union_graph itself.
        self.union = None if identifier in (GRAPH_META, GRAPH_PROVENANCE) else owner.union

    def add(self, triple: Triple) -> None:
        term = self.owner.term
        spo = f"{term(triple[0])} {term(triple[1])} {term(triple[2])}"
        self.lines.append(f"{spo} {self.name} .")
        if self.union is not None:
            self.union.append(f"{spo} .")


def _quote_literal(literal: Literal) -> str:
    from rdflib.plugins.serializers.nt import _quoteLiteral

    return _quoteLiteral(literal)


def _init_worker(
    corpus: Corpus, ontology: Ontology | None, registry: Registry | None, cache_context: Context | None = None
) -> None:
    """A forked worker inherits the loaded ontology and registry; a spawned one loads them.
    With a cache context, each article it checks without a problem is kept in the cache."""
    global _WORKER, _CACHE
    import multiprocessing
    import signal

    if multiprocessing.parent_process() is not None:  # a worker: Ctrl-C is the parent's to handle
        from kg.atomic import close_inherited_locks

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        close_inherited_locks()  # a killed build's orphaned worker must not keep OUT locked
    if ontology is None or registry is None:
        ontology = load_ontology(corpus.ontology_files(), corpus.display)
        registry, _ = load_registry(corpus.registry_files(), ontology, corpus.display)
    _WORKER = (corpus, ontology, registry)
    _CACHE = cache_context


_NAMES: tuple[Ontology, Registry, labels.Names] | None = None


def _names(ontology: Ontology, registry: Registry) -> labels.Names:
    """kg.labels.names_from, made once per worker (for its ontology and registry)."""
    global _NAMES
    if _NAMES is None or _NAMES[0] is not ontology or _NAMES[1] is not registry:
        _NAMES = (ontology, registry, labels.names_from(ontology, registry))
    return _NAMES[2]


def _emit_one(path: Path) -> _Emitted1:
    """Check one mapping file and turn it into lines: the task each worker runs."""
    assert _WORKER is not None
    return _emit_path(path, *_WORKER, _CACHE)


def _emit_path(path: Path, corpus: Corpus, ontology: Ontology, registry: Registry, ctx: Context | None) -> _Emitted1:
    display = corpus.display(path)
    key = cache.mapping_key(ctx, path, display) if ctx is not None else None
    recording = cache.Recording(registry)
    mapping, problems = load_mapping(path, display, ontology, recording, corpus.display)
    if isinstance(mapping, Draft):
        return _Emitted1(problems=[], draft=mapping)
    if mapping is None:
        return _Emitted1(problems=problems)
    sink = _Lines()
    _add_article(sink, sink.graph(GRAPH_META), sink.graph(GRAPH_PROVENANCE), mapping, corpus)
    ref = _ref(mapping)
    nodes = _node_facts(mapping)
    own = _Lines()
    _add_node_labels(own, nodes, _names(ontology, registry))
    graphs = {name: _runs(lines) for name, lines in sink.graphs.items()}
    described = Counts()
    private = private_prefixes(mapping.stem)
    for name, runs in graphs.items():
        described.add_lines(name, _lines_of(runs), private)
    result = _Emitted1(
        problems,
        ref,
        mapping.stem,
        article_counts(mapping),
        graphs,
        sink.union,
        trig={name: _trig(runs) for name, runs in graphs.items()},
        nodes=nodes,
        links=labels.node_links(nodes),
        described=described.seal(),
        node_labels=own.graphs.get(labels.GRAPH_LABELS.n3(), []),
        index=index_mapping(mapping).mapped(_absolute_places()).to_line(),
    )
    if ctx is not None and key is not None and not problems and key == cache.mapping_key(ctx, path, display):
        uses = recording.used | set(mapping.nodes)
        cache.save(ctx, path, key, mapping.article.path, mapping.article.sha256, uses, result)
    return result


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _results(
    corpus: Corpus,
    ontology: Ontology,
    registry: Registry,
    paths: list[Path],
    jobs: int,
    cache_context: Context | None = None,
) -> Iterator[_Emitted1]:
    """_emit_one over every path, in order: in worker processes when it pays, else here."""
    import multiprocessing

    if not paths:
        return
    if jobs <= 1 or len(paths) < PARALLEL_MIN:
        _init_worker(corpus, ontology, registry, cache_context)
        try:
            yield from map(_emit_one, paths)
        finally:
            _clear_worker()
        return
    if sys.platform.startswith("linux"):
        context, args = multiprocessing.get_context("fork"), (corpus, ontology, registry, cache_context)
    else:  # fork is unsafe or missing: each spawned worker loads the ontology and registry
        context, args = multiprocessing.get_context("spawn"), (corpus, None, None, cache_context)
    chunk = max(1, min(32, len(paths) // (jobs * 8)))
    with context.Pool(jobs, initializer=_init_worker, initargs=args) as pool:
        yield from pool.imap(_emit_one, paths, chunksize=chunk)


def _clear_worker() -> None:
    global _WORKER, _CACHE
    _WORKER = None
    _CACHE = None


def _with_cache(
    corpus: Corpus,
    ontology: Ontology,
    registry: Registry,
    paths: list[Path],
    jobs: int,
    ctx: Context | None,
    full: bool,
) -> Iterator[_Emitted1]:
    """Every path's result in order: from the cache (kg.cache) when its sources are unchanged,
    else checked (and then cached)."""
    hits = [not full and ctx is not None and cache.valid(ctx, path, corpus.display(path)) for path in paths]
    todo = [path for path, hit in zip(paths, hits, strict=True) if not hit]
    fresh = _results(corpus, ontology, registry, todo, jobs, ctx)
    for path, hit in zip(paths, hits, strict=True):
        found = cache.result(ctx, path) if hit and ctx is not None else None
        if found is None and hit:  # unreadable since valid() read it: check the mapping here
            found = _emit_path(path, corpus, ontology, registry, ctx)
        yield found if found is not None else next(fresh)
    for _ in fresh:  # closes the pool
        pass


def _base_lines(
    corpus: Corpus, ontology: Ontology, registry: Registry, ctx: Context | None, full: bool
) -> tuple[dict[str, list[str]], set[str]]:
    """The ontology and entities graphs (and background facts) as lines by graph, and their
    union lines. They are small: built with rdflib, as assemble() does, and kept in the cache
    while the ontology and registry files are unchanged (canonicalising the ontology's blank
    nodes alone takes seconds)."""
    key = None if ctx is None else cache.files_key(ctx, corpus.registry_files())
    if ctx is not None and key is not None and not full:
        kept = cache.load_base(ctx, key)
        if kept is not None:
            return kept
    base = assemble(Checked(corpus, ontology, registry, (), ()), entail=False)
    graphs: dict[str, list[str]] = {}
    for line in serialize(base, "nquads").decode("utf-8").split("\n"):
        if line:
            graphs.setdefault(line.rsplit(" ", 2)[-2], []).append(line)  # "<s> <p> <o> <g> ."
    union = {line for line in serialize(base, "ntriples").decode("utf-8").split("\n") if line}
    if ctx is not None and key is not None:
        cache.save_base(ctx, key, (graphs, union))
    return {name: list(lines) for name, lines in graphs.items()}, set(union)


def emit(
    corpus: Corpus,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    out_dir: Path | None = None,
    full: bool = False,
) -> Emitted:
    """Check the corpus as check_corpus does (every problem, same messages) and turn it into
    N-Quads lines, one task per article. Raises InputError with every problem found.

    With out_dir, each article's lines are kept in OUT's cache (kg.cache), and an article whose
    sources are unchanged since the last build is taken from there instead of being checked
    again (unless full)."""
    display = corpus.display
    ontology = load_ontology(corpus.ontology_files(), display)
    if out_dir is not None:
        registry, found = cache.registry(corpus, ontology, out_dir, full)
    else:
        registry, found = load_registry(corpus.registry_files(), ontology, display)
    problems = Problems(found)
    ctx = cache.context(corpus, registry, out_dir) if out_dir is not None and not problems else None
    base, union = _base_lines(corpus, ontology, registry, ctx, full)
    graphs = _Blocks(ctx.staging / "spill" if ctx is not None else None)
    for name, lines in base.items():
        graphs.extend(name, lines)

    paths = corpus.mappings()
    refs: list[_MappingRef] = []
    per_article: dict[str, dict[str, int]] = {}
    drafts: list[Draft] = []
    nodes = _Nodes()
    index = _temporary(ctx.staging if ctx is not None else None)
    index.write(index_registry(registry).mapped(_absolute_places()).to_line())
    try:
        results = _with_cache(corpus, ontology, registry, paths, jobs or default_jobs(), ctx, full)
        for done, result in enumerate(results, start=1):
            problems += result.problems
            if result.draft is not None:
                drafts.append(result.draft)
            if result.ref is not None and result.graphs is not None and result.union is not None:
                refs.append(result.ref)
                per_article[result.stem] = result.counts or {}
                for name, runs in result.graphs.items():
                    graphs.add(name, runs, (result.trig or {}).get(name))
                graphs.counts.add(result.described or Counts())
                union.update(result.union)
                nodes.add(result, paths[done - 1])
                index.write(result.index)
            if progress:
                progress("checking articles", done, len(paths))
        problems += _cross_checks(refs)
        problems.raise_if_any()
    except BaseException:
        index.close()
        if ctx is not None:
            cache.discard(ctx)  # a refused build leaves no cache entry behind
        raise
    _add_labels(
        graphs,
        union,
        nodes,
        _names(ontology, registry),
        functools.partial(_node_facts_of, corpus, ontology, registry, ctx),
    )
    _add_entailed(graphs, union, ontology)
    sink = _Lines()
    _add_description(sink, graphs.described())
    for name, lines in sink.graphs.items():
        graphs.extend(name, lines)
    union.update(sink.union)
    mapped = {ref.article.resolved for ref in refs} | {d.article.resolve() for d in drafts}
    unmapped = tuple(p for p in corpus.articles() if p.resolve() not in mapped)
    return Emitted(len(registry.entities), graphs, union, per_article, unmapped, tuple(drafts), index, ctx, paths)


def _temporary(folder: Path | None) -> IO[bytes]:
    """An unnamed temporary file in folder (OUT's cache staging: beside the build, on the
    disk that has room for it), else in the system's temporary folder."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=folder)
        except OSError:
            pass
    return tempfile.TemporaryFile()


@dataclass
class _Nodes:
    """What the build keeps of every article's n-ary nodes: the nodes each states and names
    (kg.labels.node_links), their labels from its own facts, and the facts themselves only
    for the articles checked in this build (a cached article's are read again if needed)."""

    links: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    owners: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # node -> the articles that state it
    labels: list[str] = dataclasses.field(default_factory=list)  # N-Quads lines
    facts: dict[str, NodeFacts] = dataclasses.field(default_factory=dict)  # article -> node facts, if at hand
    paths: dict[str, Path] = dataclasses.field(default_factory=dict)  # article -> its mapping file, in build order

    def add(self, result: _Emitted1, path: Path) -> None:
        self.paths[result.stem] = path
        for node, named in (result.links or {}).items():
            known = self.links.setdefault(node, [])
            known.extend(value for value in named if value not in known)
            self.owners.setdefault(node, []).append(result.stem)
        self.labels += result.node_labels or []
        if result.nodes is not None:
            self.facts[result.stem] = result.nodes


def _node_facts_of(
    corpus: Corpus, ontology: Ontology, registry: Registry, ctx: Context | None, path: Path
) -> NodeFacts:
    """A cached article's node facts (kg.cache.node_facts), or, if its entry cannot be read,
    its mapping's, checked again."""
    found = cache.node_facts(ctx, path) if ctx is not None else None
    if found is None:
        found = _emit_path(path, corpus, ontology, registry, None).nodes
    return found or {}


def _add_labels(
    graphs: _Blocks,
    union: set[str],
    nodes: _Nodes,
    names: labels.Names,
    facts_of: Callable[[Path], NodeFacts],
) -> None:
    """graph/labels' node labels: each article's own (made where it was checked, and cached
    with it), but for the nodes whose label needs other articles' facts, labelled here from
    the facts of every article that states them or a node they name, merged in build order
    (kg.labels.beyond_one_article). The same labels as labelling every node here, without
    the seconds that takes at 10,000 articles."""
    beyond = labels.beyond_one_article(nodes.links, nodes.owners)
    sink = _Lines()
    if beyond:
        needed = labels.reachable(beyond, nodes.links)
        stems = {stem for node in needed for stem in nodes.owners.get(node, ())}
        merged: NodeFacts = {}
        for stem, path in nodes.paths.items():
            if stem in stems:
                facts = nodes.facts[stem] if stem in nodes.facts else facts_of(path)
                labels.merge_node_facts(merged, {node: pairs for node, pairs in facts.items() if str(node) in needed})
        _add_node_labels(sink, merged, names, {URIRef(node) for node in beyond})
    name = labels.GRAPH_LABELS.n3()
    skip = {f"<{node}>" for node in beyond}
    kept = [line for line in nodes.labels if line[: line.index(" ")] not in skip]
    kept += sink.graphs.get(name, [])
    graphs.extend(name, kept)
    union.update(line[: -len(name) - 3] + " ." for line in kept)  # "<s> <p> <o> <g> ." -> "<s> <p> <o> ."


def _add_entailed(graphs: _Blocks, union: set[str], ontology: Ontology) -> None:
    """graph/entailed (kg.entail) over the whole union, into the named graphs and the union."""
    from kg.entail import GRAPH_ENTAILED, entail_lines

    lines = entail_lines(union, ontology.graph)
    if lines:
        name = GRAPH_ENTAILED.n3()
        graphs.extend(name, [f"{line[:-2]} {name} ." for line in lines])  # sorted with every graph
        union.update(lines)


def _write_outputs(
    corpus: Corpus,
    out_dir: Path,
    emitted: Emitted,
    progress: Progress | None,
    sources: dict[str, list[int]],
    *,
    full: bool = False,
) -> BuildReport:
    """Serialise the lines into a new build directory and publish it (kg.atomic): until
    the one rename that publishes it, readers see the previous build, whole."""
    from kg import atomic

    atomic.make_dir(out_dir)  # an unwritable OUT is one line naming it, before any work is staged
    steps = ["N-Quads", "TriG", "Turtle", "Oxigraph store", "files"]

    def step(name: str) -> None:
        if progress:
            progress("writing", steps.index(name) + 1, len(steps))

    atomic.pause("checked")
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic.clean(out_dir, PUBLISHED)  # what killed builds left, and builds no reader holds
    build_dir = atomic.new_build_dir(out_dir)
    try:
        try:
            nquads = _write_nquads(out_dir, build_dir, emitted, None if full else _previous(out_dir))
        finally:
            emitted.graphs.close()  # the spilled runs: written out
        step("N-Quads")
        report = _write_build(corpus, out_dir, build_dir, emitted, nquads, sources, step)
        atomic.publish(out_dir, build_dir, PUBLISHED)
    except BaseException:
        if atomic.published(out_dir) != build_dir:
            shutil.rmtree(build_dir, ignore_errors=True)
        raise
    atomic.pause("published")
    atomic.clean(out_dir, PUBLISHED)  # the build just replaced, unless a reader holds it
    step("files")
    return report


_Place = tuple[int, int, str]  # a graph's block in graph.nq: start, end (bytes), its lines' SHA-256 (a list in JSON)
GRAPH_LAYOUT = "graphs.json"  # in a build's own directory: where each graph's block is in graph.nq, and its hash
PATCH_MAX = 0.1  # a store is patched when at most this share of its quads changes, else loaded anew


@dataclass
class _NQuads:
    """graph.nq as written into a build's directory, and how its store is to be made."""

    path: Path
    graphs: list[tuple[str, int, int]]  # each graph's name (as an N-Quads term) and block in the file
    quads: int
    build_id: str
    patch: tuple[Path, bytes, bytes] | None  # (the previous store, removed lines, added lines)


@dataclass(frozen=True)
class _Previous:
    """The published build, when its store can be patched into the next one."""

    store: Path
    nquads: Path
    layout: dict[str, _Place]


def _previous(out_dir: Path) -> _Previous | None:
    """The published build, if it is one this kg wrote with a store of its own and a layout;
    else None (the next store is loaded anew)."""
    from kg import atomic, store
    from kg.built import store_id

    previous = atomic.published(out_dir)
    try:
        manifest = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
        layout = json.loads((previous / GRAPH_LAYOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("kg_version") != __version__ or manifest.get("format") != MANIFEST_FORMAT:
        return None
    if not str(manifest.get("store")).startswith(f"{store.FORMAT}:") or store_id(previous) != manifest["store"]:
        return None
    if not isinstance(layout, dict):
        return None
    return _Previous(previous / STORE_DIR, previous / OUTPUTS["nquads"], layout)


def _write_nquads(out_dir: Path, build_dir: Path, emitted: Emitted, previous: _Previous | None) -> _NQuads:
    """graph.nq in kg.serialize's order (by graph, then by line), and graph.trig beside it
    in the same order, written graph by graph from the runs' lines and TriG (_Blocks): the
    parent never holds the joined file, and never serialises TriG but for runs it merged.
    Against a previous build, each graph whose hash changed is compared line by line, to
    patch its store instead of loading a new one (until the changes pass PATCH_MAX)."""
    from kg import atomic
    from kg.store import FORMAT

    target = build_dir / OUTPUTS["nquads"]
    whole = hashlib.sha256()
    layout: dict[str, _Place] = {}
    removed: list[bytes] = []
    added: list[bytes] = []
    patching = previous is not None
    quads = start = 0
    old = None
    if previous is not None:
        try:
            old = open(previous.nquads, "rb")  # noqa: SIM115 - closed below, after the loop
        except OSError:
            patching = False  # the previous build's graph.nq is gone: load the store anew
    sizes = [place[1] for place in previous.layout.values()] if previous is not None else []
    limit = PATCH_MAX * max(max(sizes, default=0) // 100, 10_000)  # lines, about: graph.nq has ~200 bytes a line
    shown, trig_shown = out_dir / OUTPUTS["nquads"], out_dir / OUTPUTS["trig"]
    with _writing(target, shown) as nq, _writing(build_dir / OUTPUTS["trig"], trig_shown) as trig:
        try:
            header = trig_header()
            for name in emitted.graphs.names():
                graph = hashlib.sha256()
                size = 0
                for block, text in _batched(emitted.graphs.blocks(name)):
                    quads += block.count(b"\n")
                    _put(nq, block, shown)  # graph.nq first: a full disk is reported for it
                    if not size:
                        _put(trig, header + emitted.graphs.openings[name], trig_shown)
                        header = b""
                    _put(trig, text, trig_shown)
                    whole.update(block)
                    graph.update(block)
                    size += len(block)
                if not size:
                    continue
                _put(trig, b"}\n", trig_shown)
                layout[name] = (start, start + size, graph.hexdigest())
                start += size
                was = previous.layout.get(name) if previous is not None else None
                if patching and old is not None and (was is None or was[2] != layout[name][2]):
                    _flush(nq, shown)
                    new_lines = _read_lines(target, *layout[name][:2])
                    patching = _diff(old, was, new_lines, removed, added, limit)
            if patching and old is not None and previous is not None:
                for name, was in previous.layout.items():
                    if patching and name not in layout:
                        patching = _diff(old, was, iter(()), removed, added, limit)
        finally:
            if old is not None:
                old.close()
    layout_bytes = (json.dumps(layout, sort_keys=True) + "\n").encode("utf-8")
    atomic.write_into(build_dir, {GRAPH_LAYOUT: layout_bytes}, out_dir)
    patching = patching and len(removed) + len(added) <= PATCH_MAX * max(quads, 10_000)
    if any(b"_:" in line for line in (*removed, *added)):
        patching = False  # blank-node labels are the parser's: the two loads would not match
    patch = None
    if patching and previous is not None:
        patch = (previous.store, _joined_bytes(sorted(removed)), _joined_bytes(sorted(added)))
    graphs = [(name, place[0], place[1]) for name, place in layout.items()]
    return _NQuads(target, graphs, quads, f"{FORMAT}:{whole.hexdigest()}", patch)


@contextmanager
def _writing(path: Path, shown: Path) -> Iterator[IO[bytes]]:
    """A new file in a build's own directory, flushed to disk when done; an error names the
    file as the user knows it (shown, in OUT)."""
    try:
        handle = open(path, "xb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise FileError.from_os_error(exc, shown, "cannot write") from None
    with handle:
        yield handle  # the body's own errors pass through as they are
        try:
            handle.flush()
            os.fsync(handle.fileno())
        except OSError as exc:
            raise FileError.from_os_error(exc, shown, "cannot write") from None


def _put(handle: IO[bytes], data: bytes, shown: Path) -> None:
    from kg import atomic

    try:
        atomic._write(handle, data)  # where tests simulate a full disk
    except OSError as exc:
        raise FileError.from_os_error(exc, shown, "cannot write") from None


def _batched(blocks: Iterator[tuple[bytes, bytes]], size: int = 1 << 20) -> Iterator[tuple[bytes, bytes]]:
    """Blocks of lines (and their TriG) joined into pieces of at least `size` bytes (one
    write, one hash update per piece instead of one per article's run)."""
    lines: list[bytes] = []
    texts: list[bytes] = []
    held = 0
    for block, text in blocks:
        lines.append(block)
        texts.append(text)
        held += len(block)
        if held >= size:
            yield b"".join(lines), b"".join(texts)
            lines, texts, held = [], [], 0
    if lines:
        yield b"".join(lines), b"".join(texts)


def _flush(handle: IO[bytes], shown: Path) -> None:
    try:
        handle.flush()
    except OSError as exc:
        raise FileError.from_os_error(exc, shown, "cannot write") from None


def _read_lines(path: Path, start: int, end: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The lines of a byte range of a file (without their newlines), read a chunk at a time."""
    with open(path, "rb") as handle:
        handle.seek(start)
        left, rest = end - start, b""
        while left > 0:
            data = handle.read(min(chunk, left))
            if not data:
                break
            left -= len(data)
            parts = (rest + data).split(b"\n")
            rest = parts.pop()
            yield from parts
        if rest:
            yield rest


def _diff(
    old_file: IO[bytes],
    old: _Place | None,
    new_lines: Iterator[bytes],
    removed: list[bytes],
    added: list[bytes],
    limit: float,
) -> bool:
    """Add one graph's removed and added lines: its previous block `old` (a byte range of the
    previous graph.nq, open as old_file) against its new lines, both sorted, merged in one
    pass. False when more than `limit` lines changed (then a load is faster than a patch), or
    the previous file cannot be read."""
    try:
        old_lines = _read_lines(Path(old_file.name), old[0], old[1]) if old is not None else iter(())
        was, now = next(old_lines, None), next(new_lines, None)
        while was is not None or now is not None:
            if was is not None and (now is None or was < now):
                removed.append(was)
                was = next(old_lines, None)
            elif now is not None and (was is None or now < was):
                added.append(now)
                now = next(new_lines, None)
            else:
                was, now = next(old_lines, None), next(new_lines, None)
                continue
            if len(removed) + len(added) > limit:
                return False
    except (OSError, ValueError, TypeError, IndexError):
        return False
    return True


def _joined_bytes(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n" if lines else b""


def _write_build(
    corpus: Corpus,
    out_dir: Path,
    build_dir: Path,
    emitted: Emitted,
    nquads: _NQuads,
    sources: dict[str, list[int]],
    step: Callable[[str], None],
) -> BuildReport:
    """Every output of one build into its own directory, the manifest last.

    The store loads (or is patched) in a thread while this one writes TriG and Turtle:
    pyoxigraph releases the GIL while it works, so the two use two cores (the load is the
    longest step). Every file is written from the one before it on disk, streamed."""
    from concurrent.futures import ThreadPoolExecutor

    from kg import atomic, store

    if nquads.patch is None:
        load = functools.partial(store.stage, nquads=nquads.path, graphs=nquads.graphs, build_id=nquads.build_id)
    else:
        previous, removed, added = nquads.patch
        load = functools.partial(store.patch, previous=previous, removed=removed, added=added, build_id=nquads.build_id)
    turtle = build_dir / OUTPUTS["turtle"]
    union = sorted(emitted.union)
    with ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(load, build_dir / STORE_DIR)
        try:
            step("TriG")  # written with graph.nq (_write_nquads)
            _turtle(_joined(union), turtle, out_dir)
            step("Turtle")
        finally:
            # The load cannot be interrupted: on an error here, wait for it (the caller
            # removes the build directory), keeping this step's error.
            loading.exception()
        loading.result()
    step("Oxigraph store")
    files = [out_dir / OUTPUTS["turtle"], out_dir / OUTPUTS["trig"], out_dir / OUTPUTS["nquads"]]
    per_article = dict(sorted(emitted.per_article.items()))
    report = BuildReport(
        articles=len(per_article),
        entities=emitted.registry_size,
        facts=sum(c["facts"] for c in per_article.values()),
        quotes=sum(c["quotes"] for c in per_article.values()),
        triples=len(union),
        quads=nquads.quads,
        out_dir=str(out_dir),
        files=tuple(str(p) for p in files),
        unmapped=tuple(corpus.display(p) for p in emitted.unmapped),
        per_article=per_article,
        drafts=tuple(str(d) for d in emitted.drafts),
    )
    manifest = {
        "kg_version": __version__,
        "format": MANIFEST_FORMAT,
        "corpus": str(corpus.root),
        "sources": sources,
        "store": nquads.build_id,
        "report": asdict(report),
    }
    drafts = [(absolute_place(str(d)), str(d.article.resolve())) for d in emitted.drafts]
    with _writing(build_dir / SOURCES, out_dir / SOURCES) as handle:
        if emitted.sources is not None:
            emitted.sources.seek(0)
            shutil.copyfileobj(emitted.sources, handle, 1 << 20)
            emitted.sources.close()
        handle.write(drafts_line(drafts))
    atomic.pause("files-written")
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    atomic.write_into(build_dir, {MANIFEST: manifest_bytes}, out_dir)
    atomic.pause("manifest-written")
    return report


def _absolute_places() -> Callable[[str], str]:
    """kg.sources.absolute_place, each file resolved once (resolving 80,000 places one by
    one was a quarter of a build at 1,000 articles)."""
    resolved: dict[str, str] = {}

    def place(where: str) -> str:
        path, _, line = where.rpartition(":")
        found = resolved.get(path)
        if found is None:
            found = resolved[path] = absolute_place(f"{path}:0").rpartition(":")[0]
        return f"{found}:{line}"

    return place


def _turtle(lines: bytes, target: Path, out_dir: Path) -> None:
    """The union's N-Triples lines rewritten as Turtle by pyoxigraph into target, parsed
    leniently (no IRI re-validation of lines written from checked terms). A write error
    names the file in OUT."""
    import pyoxigraph

    from kg.iris import PREFIXES

    triples = pyoxigraph.parse(lines, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
    try:
        with open(target, "xb") as handle:
            pyoxigraph.serialize(triples, handle, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise FileError.from_os_error(exc, out_dir / target.name, "cannot write") from None


def _joined(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress | None]:
    """A progress bar on standard error when it is a terminal, outside CI (the CI variable
    set) and when enabled; otherwise None, and the build prints nothing while it works."""
    if not enabled or not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


def load_checked_registry(corpus: Corpus, text: str) -> list[tuple[Entity, str]]:
    """Search the registry (see kg.registry.search); registry problems are raised."""
    from kg.registry import search

    ontology = load_ontology(corpus.ontology_files(), corpus.display)
    registry, problems = load_registry(corpus.registry_files(), ontology, corpus.display)
    problems.raise_if_any()
    return search(registry, text)
