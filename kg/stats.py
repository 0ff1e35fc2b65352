"""`kg stats`: what the graph holds, per article and in total, and its best-connected entities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.built import Build, select
from kg.iris import GRAPH_ENTITIES, GRAPH_PROVENANCE, ID
from kg.labels import GRAPH_LABELS, pick
from kg.vocab import sparql_prefixes

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

Projections = Callable[["Dataset"], tuple["nx.DiGraph", "nx.Graph"]]
"""dataset -> (the drawn projection, the co-production view): viz.network.projections,
handed in by the CLI (kg does not depend on viz)."""

# The most connected entities, LIMIT appended by the caller.
MOST_CONNECTED = (
    sparql_prefixes("rdfs", "rdf")
    + f"""
SELECT ?entity (COALESCE(MIN(?en), MIN(?ru), MIN(?any)) AS ?label) (COUNT(DISTINCT ?claim) AS ?facts) WHERE {{
  GRAPH <{GRAPH_PROVENANCE}> {{
    {{ ?claim rdf:subject ?entity }} UNION {{ ?claim rdf:object ?entity }}
  }}
  # English, else Russian, else any language: an entity needs only one label (issue 12)
  GRAPH <{GRAPH_ENTITIES}> {{
    ?entity rdfs:label ?any .
    OPTIONAL {{ ?entity rdfs:label ?en . FILTER (lang(?en) = "en") }}
    OPTIONAL {{ ?entity rdfs:label ?ru . FILTER (lang(?ru) = "ru") }}
  }}
}}
GROUP BY ?entity ORDER BY DESC(?facts) ?entity
"""
)

# Each article's display titles (kg.labels): its headline, else the editor's title or its file
# name in [brackets]; one per language.
ARTICLE_TITLES = (
    sparql_prefixes("rdfs")
    + f"""
SELECT ?article ?title WHERE {{
  GRAPH <{GRAPH_LABELS}> {{ ?article rdfs:label ?title }}
  FILTER (STRSTARTS(STR(?article), "{ID}article/"))
}}
ORDER BY ?article ?title
"""
)


@dataclass(frozen=True)
class Stats:
    per_article: dict[str, dict[str, int]]
    totals: dict[str, int]
    most_connected: list[tuple[str, str, int]]  # (id, label: English, else Russian, else any; fact triples)
    titles: dict[str, str] = field(default_factory=dict)  # article stem -> display title (English first)


def collect(build: Build, top: int = 10) -> Stats:
    """Read the build's manifest and query its store; the build must be fresh (the caller
    ensures that)."""
    report = build.report()
    per_article = report.per_article
    totals = {
        key: sum(counts[key] for counts in per_article.values()) for key in ("facts", "editorial", "quotes", "triples")
    }
    totals["entities"] = report.entities
    totals["union triples"] = report.triples
    totals["quads"] = report.quads
    store = build.loaded_store()
    connected = [
        (row["entity"].value.removeprefix(ID), row["label"].value, int(row["facts"].value))
        for row in select(store, MOST_CONNECTED + f"LIMIT {top}\n")
    ]
    titles: dict[str, dict[str, str]] = {}
    for row in select(store, ARTICLE_TITLES):
        stem = row["article"].value.removeprefix(ID + "article/")
        titles.setdefault(stem, {})[row["title"].language or ""] = row["title"].value
    return Stats(per_article, totals, connected, {stem: pick(texts, "en") or "" for stem, texts in titles.items()})


def render(stats: Stats) -> str:
    columns = ("facts", "editorial", "quotes", "triples", "entities")
    lines = [f"{'article':<24}" + "".join(f"{c:>11}" for c in columns) + "  title"]
    for stem, counts in sorted(stats.per_article.items()):
        title = stats.titles.get(stem, "")
        lines.append((f"{stem:<24}" + "".join(f"{counts[c]:>11}" for c in columns) + f"  {title}").rstrip())
    lines.append(f"{'total':<24}" + "".join(f"{stats.totals[c]:>11}" for c in columns[:-1]) + f"{'':>11}")
    lines.append("")
    lines.append(
        f"registry entities: {stats.totals['entities']}   union triples: {stats.totals['union triples']}   quads: {stats.totals['quads']}"
    )
    lines.append("")
    lines.append("most connected entities (fact triples they appear in):")
    for entity_id, label, count in stats.most_connected:
        lines.append(f"  {count:>4}  {entity_id:<42} {label}")
    return "\n".join(lines) + "\n"


def network_report(build: Build, projections: Projections, top: int = 10) -> str:
    """The projection's network measures (kg.measures): centrality top lists, components,
    each country's co-production partners."""
    from kg.measures import format_measures, measures

    return format_measures(measures(*projections(build.dataset()), top=top))
