"""Checked facts -> RDF dataset (article graphs, provenance, metadata) -> files in out/.

The dataset's named graphs:
  graph/article/STEM    what the article states (plain triples)
  graph/editorial/STEM  the editor's judgements about that article, kept apart
  graph/entities        the registry: types, labels, aliases, Wikidata links
  graph/provenance      one rdf:Statement per fact triple, and a Web Annotation per quote
  graph/meta            one schema:NewsArticle per article
  graph/ontology        the ontology itself
Every node is an IRI (no blank nodes outside the ontology), so output is byte-stable.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from kg import __version__
from kg.corpus import Corpus
from kg.errors import InputError, Problem
from kg.iris import (
    GRAPH_ENTITIES,
    GRAPH_META,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    OA,
    PROV,
    SCHEMA,
    WD,
    article_graph,
    article_iri,
    claim_iri,
    editorial_graph,
    entity_iri,
    evidence_iri,
)
from kg.mapping import Mapping, load_mapping
from kg.ontology import Ontology, load_ontology
from kg.registry import Registry, load_registry
from kg.serialize import bind_prefixes, serialize

SKOS_ALT = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
SKOS_NOTE = URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")
DCTERMS = "http://purl.org/dc/terms/"

OUTPUTS = {"turtle": "graph.ttl", "trig": "graph.trig", "nquads": "graph.nq"}
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 2  # bump when the manifest's content changes, so older builds count as stale


@dataclass(frozen=True)
class Checked:
    """Everything a build needs, checked: the ontology, the registry and every mapping."""

    corpus: Corpus
    ontology: Ontology
    registry: Registry
    mappings: tuple[Mapping, ...]
    unmapped: tuple[Path, ...]


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
    registry, problems = load_registry(corpus.registry_files(), ontology, display)
    mappings: list[Mapping] = []
    for path in corpus.mappings():
        mapping, found = load_mapping(path, display(path), ontology, registry, display)
        problems += found
        if mapping is not None:
            mappings.append(mapping)
    problems += _cross_checks(mappings)
    if problems:
        raise InputError(problems)
    mapped = {m.article.path.resolve() for m in mappings}
    unmapped = tuple(p for p in corpus.articles() if p.resolve() not in mapped)
    return Checked(corpus, ontology, registry, tuple(mappings), unmapped)


def _cross_checks(mappings: list[Mapping]) -> list[Problem]:
    """What no single file shows: two mappings of one article, one node id with two types."""
    problems = []
    by_article: dict[Path, Mapping] = {}
    node_types: dict[str, tuple[str, Mapping]] = {}
    for mapping in mappings:
        key = mapping.article.path.resolve()
        if key in by_article:
            problems.append(
                Problem(mapping.display, 1, f"{mapping.article.display} is already mapped by {by_article[key].display}")
            )
        by_article.setdefault(key, mapping)
        for node_id, cls in mapping.nodes.items():
            seen = node_types.setdefault(node_id, (cls, mapping))
            if seen[0] != cls:
                problems.append(
                    Problem(mapping.display, 1, f"node {node_id} is a {cls} here but a {seen[0]} in {seen[1].display}")
                )
    return problems


def assemble(checked: Checked) -> Dataset:
    """The RDF dataset. Pure: reads nothing from disk, writes nothing."""
    dataset = Dataset()
    bind_prefixes(dataset)
    ontology_graph = dataset.graph(GRAPH_ONTOLOGY)
    for triple in sorted(to_canonical_graph(checked.ontology.graph)):
        ontology_graph.add(triple)

    entities = dataset.graph(GRAPH_ENTITIES)
    cafo_class = {name: iri for name, iri in checked.ontology.classes.items()}
    for entity in sorted(checked.registry.entities.values(), key=lambda e: e.id):
        iri = entity_iri(entity.id)
        entities.add((iri, RDF.type, cafo_class[entity.type]))
        for lang, text in sorted(entity.labels.items()):
            entities.add((iri, RDFS.label, Literal(text, lang=lang)))
        for lang, texts in sorted(entity.alt.items()):
            for text in texts:
                entities.add((iri, SKOS_ALT, Literal(text, lang=lang)))
        if entity.wikidata:
            entities.add((iri, OWL.sameAs, WD[entity.wikidata]))

    meta = dataset.graph(GRAPH_META)
    provenance = dataset.graph(GRAPH_PROVENANCE)
    for mapping in sorted(checked.mappings, key=lambda m: m.stem):
        _add_article(dataset, meta, provenance, mapping, checked.corpus)
    return dataset


def _add_article(dataset: Dataset, meta: Graph, provenance: Graph, mapping: Mapping, corpus: Corpus) -> None:
    stem = mapping.stem
    article = article_iri(stem)
    stated = dataset.graph(article_graph(stem))
    editorial = None

    meta.add((article, RDF.type, SCHEMA.NewsArticle))
    meta.add((article, RDF.type, PROV.Entity))
    for lang, title in sorted(mapping.metadata.title.items()):
        meta.add((article, SCHEMA.headline, Literal(title, lang=lang)))
    if mapping.metadata.date:
        meta.add((article, SCHEMA.datePublished, Literal(mapping.metadata.date, datatype=XSD.date)))
    if mapping.metadata.publisher:
        meta.add((article, URIRef(DCTERMS + "publisher"), Literal(mapping.metadata.publisher)))
    for lang in mapping.metadata.languages:
        meta.add((article, SCHEMA.inLanguage, Literal(lang, datatype=XSD.language)))
    if mapping.metadata.notes:
        meta.add((article, SKOS_NOTE, Literal(" ".join(mapping.metadata.notes.split()), lang="en")))
    meta.add((article, URIRef(DCTERMS + "source"), Literal(_relative(mapping.article.path, corpus))))
    meta.add((article, SCHEMA.sha256, Literal(mapping.article.sha256)))
    meta.add((article_graph(stem), PROV.wasDerivedFrom, article))

    for fact in mapping.facts:
        if fact.editorial:
            if editorial is None:
                editorial = dataset.graph(editorial_graph(stem))
                meta.add((editorial_graph(stem), PROV.wasDerivedFrom, article))
            target = editorial
        else:
            target = stated
        claims = []
        for n, triple in enumerate(fact.triples, start=1):
            target.add(triple)
            claim = claim_iri(stem, fact.id, n)
            claims.append(claim)
            provenance.add((claim, RDF.type, RDF.Statement))
            provenance.add((claim, RDF.subject, triple[0]))
            provenance.add((claim, RDF.predicate, triple[1]))
            provenance.add((claim, RDF.object, triple[2]))
            provenance.add((claim, PROV.wasDerivedFrom, article))
            if fact.editorial:
                provenance.add((claim, SKOS_NOTE, Literal(fact.editorial, lang="en")))
        for q, quote in enumerate(fact.quotes, start=1):
            _add_evidence(provenance, article, stem, fact.id, q, quote, claims)


def _add_evidence(
    provenance: Graph, article: URIRef, stem: str, fact_id: str, q: int, quote, claims: list[URIRef]
) -> None:
    """A W3C Web Annotation: its bodies are the fact's claims, its target the quoted span."""
    annotation = evidence_iri(stem, fact_id, q)
    target = URIRef(f"{annotation}#target")
    by_quote = URIRef(f"{annotation}#quote")
    by_position = URIRef(f"{annotation}#position")
    provenance.add((annotation, RDF.type, OA.Annotation))
    provenance.add((annotation, OA.motivatedBy, OA.describing))
    for claim in claims:
        provenance.add((annotation, OA.hasBody, claim))
    provenance.add((annotation, OA.hasTarget, target))
    provenance.add((target, RDF.type, OA.SpecificResource))
    provenance.add((target, OA.hasSource, article))
    provenance.add((target, OA.hasSelector, by_quote))
    provenance.add((target, OA.hasSelector, by_position))
    provenance.add((by_quote, RDF.type, OA.TextQuoteSelector))
    provenance.add((by_quote, OA.exact, Literal(quote.exact)))
    provenance.add((by_quote, OA.prefix, Literal(quote.prefix)))
    provenance.add((by_quote, OA.suffix, Literal(quote.suffix)))
    provenance.add((by_position, RDF.type, OA.TextPositionSelector))
    provenance.add((by_position, OA.start, Literal(quote.start, datatype=XSD.nonNegativeInteger)))
    provenance.add((by_position, OA.end, Literal(quote.end, datatype=XSD.nonNegativeInteger)))


def _relative(path: Path, corpus: Corpus) -> str:
    try:
        return path.resolve().relative_to(corpus.root).as_posix()
    except ValueError:
        return path.name


def _fingerprint(corpus: Corpus) -> dict[str, list[int]]:
    """Cheap staleness key: every source file's size and modification time."""
    out = {}
    for path in corpus.sources():
        stat = path.stat()
        out[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns]
    return out


def build(corpus: Corpus, out_dir: Path) -> BuildReport:
    """Check, assemble and write. On any problem nothing in out_dir is touched."""
    from kg.atomic import write_files

    checked = check_corpus(corpus)
    dataset = assemble(checked)
    files = {out_dir / name: serialize(dataset, fmt) for fmt, name in OUTPUTS.items()}
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    triples = files[out_dir / OUTPUTS["turtle"]]
    union_count = len(Graph().parse(data=triples, format="turtle"))
    report = BuildReport(
        articles=len(checked.mappings),
        entities=len(checked.registry.entities),
        facts=sum(len(m.facts) for m in checked.mappings),
        quotes=sum(len(f.quotes) for m in checked.mappings for f in m.facts),
        triples=union_count,
        quads=quads,
        out_dir=str(out_dir),
        files=tuple(str(p) for p in files),
        unmapped=tuple(corpus.display(p) for p in checked.unmapped),
        per_article={m.stem: article_counts(m) for m in checked.mappings},
    )
    manifest = {
        "kg_version": __version__,
        "format": MANIFEST_FORMAT,
        "corpus": str(corpus.root),
        "sources": _fingerprint(corpus),
        "report": asdict(report),
    }
    files[out_dir / MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_files(files)
    return report


def is_fresh(corpus: Corpus, out_dir: Path) -> bool:
    """True when out_dir holds a build of exactly the corpus's current sources."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("kg_version") != __version__ or manifest.get("format") != MANIFEST_FORMAT:
        return False
    if manifest.get("corpus") != str(corpus.root):
        return False
    if not all((out_dir / name).is_file() for name in OUTPUTS.values()):
        return False
    return manifest.get("sources") == _fingerprint(corpus)


def ensure_built(corpus: Corpus, out_dir: Path) -> BuildReport | None:
    """Build when out_dir is missing or older than its sources; None when it was fresh."""
    if is_fresh(corpus, out_dir):
        return None
    return build(corpus, out_dir)


def load_dataset(out_dir: Path) -> Dataset:
    """The built dataset, read back from its TriG."""
    dataset = Dataset()
    dataset.parse(os.fspath(out_dir / OUTPUTS["trig"]), format="trig")
    return dataset


def load_checked_registry(corpus: Corpus, text: str):
    """Search the registry (see kg.registry.search); registry problems are raised."""
    from kg.registry import search

    ontology = load_ontology(corpus.ontology_files(), corpus.display)
    registry, problems = load_registry(corpus.registry_files(), ontology, corpus.display)
    if problems:
        raise InputError(problems)
    return search(registry, text)
