"""Synthetic built datasets of a chosen size, for the viz benchmark and the large-graph tests.

The dataset has the build's shape (kg.build): an entities graph with types and en/ru labels,
one named graph per article with its facts, claims and Web Annotation quotes in the
provenance graph, article metadata, and the real ontology. It is made directly in rdflib,
not through YAML mappings and `kg build`, so that a 20,000-node graph takes seconds to
make and the benchmark measures the projection and the page, not the build. Popularity is
skewed (a few countries and people appear in many works), as in the real corpus.
Deterministic for a given size and seed. (bench/synth.py makes whole synthetic corpora
for the build's own benchmarks.)
"""

from __future__ import annotations

import random

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.build import add_claim, add_quote
from kg.corpus import bundled_root
from kg.iris import (
    GRAPH_ENTITIES,
    GRAPH_META,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
    article_graph,
    article_iri,
    claim_iri,
    entity_iri,
    evidence_iri,
)
from kg.vocab import (
    CAFO,
    CAFO_AT_EVENT,
    CAFO_AWARD,
    CAFO_AWARD_WIN,
    CAFO_AWARDEE,
    CAFO_CAST_MEMBER,
    CAFO_CONFERRED_BY,
    CAFO_DIRECTOR,
    CAFO_FILMING_LOCATION,
    CAFO_FOR_WORK,
    CAFO_GENRE,
    CAFO_LOCATED_IN,
    CAFO_LOCATION,
    CAFO_NATIONALITY,
    CAFO_PRODUCTION_COMPANY,
    CAFO_PRODUCTION_COUNTRY,
    CAFO_SCREENED_WORK,
    DCTERMS_SOURCE,
    OA_START,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA_HEADLINE,
    SCHEMA_NEWS_ARTICLE,
    XSD_NON_NEGATIVE_INTEGER,
)

SYLLABLES = [
    ("ka", "ка"), ("zak", "зак"), ("nur", "нур"), ("bek", "бек"), ("sa", "са"), ("mal", "мал"),
    ("ai", "ай"), ("da", "да"), ("ra", "ра"), ("gul", "гуль"), ("tal", "тал"), ("zhan", "жан"),
    ("mi", "ми"), ("ro", "ро"), ("le", "ле"), ("na", "на"), ("to", "то"), ("er", "ер"),
]  # fmt: skip
# Share of each kind among the entities, and the class it gets.
MIX = [
    ("film", "Film", 0.18),
    ("series", "TVSeries", 0.04),
    ("person", "Person", 0.46),
    ("org", "ProductionCompany", 0.10),
    ("city", "City", 0.06),
    ("festival", "FestivalEdition", 0.10),
    ("award", "Award", 0.03),
]
FACTS_PER_ARTICLE = 40


def _name(rng: random.Random, parts: int) -> tuple[str, str]:
    chosen = [rng.choice(SYLLABLES) for _ in range(parts)]
    return "".join(p[0] for p in chosen).capitalize(), "".join(p[1] for p in chosen).capitalize()


def synthetic_dataset(nodes: int, seed: int = 1) -> Dataset:
    """A built dataset whose entity projection has exactly `nodes` nodes (at least 40)."""
    rng = random.Random(seed)
    nodes = max(nodes, 40)
    dataset = Dataset()
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    ontology_graph = Graph().parse(bundled_root() / "ontology" / "cafilm.ttl", format="turtle")
    for triple in ontology_graph:
        ontology.add(triple)
    entities = dataset.graph(GRAPH_ENTITIES)
    countries = max(8, min(40, nodes // 50))
    wins = nodes // 40  # AwardWin n-ary nodes, drawn small
    pool: dict[str, list[URIRef]] = {"country": []}
    for i in range(countries):
        en, ru = _name(rng, 2)
        _entity(entities, f"country/c{i}", "Country", f"{en}stan", f"{ru}стан")
        pool["country"].append(entity_iri(f"country/c{i}"))
    remaining = nodes - countries - wins
    counts = [round(remaining * share) for _kind, _cls, share in MIX]
    counts[-1] = remaining - sum(counts[:-1])
    for (kind, cls, _share), count in zip(MIX, counts, strict=True):
        pool[kind] = []
        for i in range(count):
            en, ru = _name(rng, 3 if kind == "person" else 2)
            if kind == "person":
                en2, ru2 = _name(rng, 2)
                en, ru = f"{en} {en2}", f"{ru} {ru2}"
            _entity(entities, f"{kind}/{kind[0]}{i}", cls, en, ru)
            pool[kind].append(entity_iri(f"{kind}/{kind[0]}{i}"))

    weights = {kind: [1 / (i + 1) ** 0.8 for i in range(len(items))] for kind, items in pool.items()}

    def some(kind: str, k: int = 1) -> list[URIRef]:
        return list(dict.fromkeys(rng.choices(pool[kind], weights[kind], k=k)))

    facts: list[list[tuple[URIRef, URIRef, Node]]] = []  # each fact: its triples
    for work in pool["film"] + pool["series"]:
        facts.append([(work, CAFO_DIRECTOR, p) for p in some("person")])
        facts.append([(work, CAFO_CAST_MEMBER, p) for p in some("person", rng.randint(1, 4))])
        facts.append([(work, CAFO_PRODUCTION_COUNTRY, c) for c in some("country", rng.choice([1, 1, 2, 2, 3]))])
        facts.append([(work, CAFO_PRODUCTION_COMPANY, o) for o in some("org")])
        facts.append([(work, CAFO_FILMING_LOCATION, c) for c in some("city")])
        facts.append([(work, CAFO_GENRE, Literal("drama", lang="en")), (work, CAFO_GENRE, Literal("драма", lang="ru"))])
    for person in pool["person"]:
        if rng.random() < 0.5:
            facts.append([(person, CAFO_NATIONALITY, c) for c in some("country")])
    for event in pool["festival"]:
        facts.append([(event, CAFO_LOCATION, c) for c in some("city")])
        facts.append([(event, CAFO_SCREENED_WORK, w) for w in some("film", rng.randint(1, 3))])
    for award in pool["award"]:
        facts.append([(award, CAFO_CONFERRED_BY, e) for e in some("festival")])
    for city in pool["city"]:
        facts.append([(city, CAFO_LOCATED_IN, c) for c in some("country")])
    for i in range(wins):
        win = entity_iri(f"award-win/w{i}")
        facts.append(
            [
                (win, RDF_TYPE, CAFO_AWARD_WIN),
                (win, CAFO_AWARD, some("award")[0]),
                (win, CAFO_AWARDEE, some("person")[0]),
                (win, CAFO_FOR_WORK, some("film")[0]),
                (win, CAFO_AT_EVENT, some("festival")[0]),
            ]
        )
    rng.shuffle(facts)

    meta = dataset.graph(GRAPH_META)
    provenance = dataset.graph(GRAPH_PROVENANCE)
    for a in range(0, len(facts), FACTS_PER_ARTICLE):
        stem = f"synthetic_{a // FACTS_PER_ARTICLE:05d}"
        article = article_iri(stem)
        meta.add((article, RDF_TYPE, SCHEMA_NEWS_ARTICLE))
        meta.add((article, SCHEMA_HEADLINE, Literal(f"Synthetic article {a // FACTS_PER_ARTICLE}", lang="en")))
        meta.add((article, DCTERMS_SOURCE, Literal(f"seeds/{stem}.txt")))
        stated = dataset.graph(article_graph(stem))
        for f, triples in enumerate(facts[a : a + FACTS_PER_ARTICLE]):
            fact_id = f"f{f + 1}"
            claims = []
            for n, triple in enumerate(triples, start=1):
                stated.add(triple)
                if triple[1] == RDF_TYPE:
                    continue
                claim = claim_iri(stem, fact_id, n)
                claims.append(claim)
                add_claim(provenance, claim, triple, article)
            exact = f"Sentence {f + 1} of {stem}, stating fact {fact_id}."
            _target, selector = add_quote(provenance, evidence_iri(stem, fact_id, 1), claims, article, exact)
            provenance.add((selector, OA_START, Literal(f * 60, datatype=XSD_NON_NEGATIVE_INTEGER)))
    return dataset


def _entity(graph: Graph, entity_id: str, cls: str, en: str, ru: str) -> None:
    iri = entity_iri(entity_id)
    graph.add((iri, RDF_TYPE, CAFO[cls]))
    graph.add((iri, RDFS_LABEL, Literal(en, lang="en")))
    graph.add((iri, RDFS_LABEL, Literal(ru, lang="ru")))
