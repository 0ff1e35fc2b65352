"""Network measures of the drawn graph for `kg stats`: centrality top lists, components and
each country's co-production partners. They take networkx graphs (the projection viz.network
makes), so kg computes them without importing viz: the CLI hands the projection in."""

from __future__ import annotations

from typing import TypedDict

import networkx as nx

EXACT_BETWEENNESS_MAX = 2000  # above this many nodes, betweenness is estimated from a sample


# The measures are plain data (JSON as they are), so their records are TypedDicts.
# One entity of a top list ("class" is a keyword, hence the functional form).
RankedRow = TypedDict("RankedRow", {"id": str, "label": str, "class": str, "value": float})


class DegreeRow(RankedRow):
    """A top-list entry with its degree (number of links)."""

    degree: int


class Partner(TypedDict):
    country: str
    id: str
    works: list[str]


class Components(TypedDict):
    count: int
    sizes: list[int]
    largest: list[str]  # labels of the largest component's first members


class Measures(TypedDict):
    nodes: int
    edges: int
    degree: list[DegreeRow]
    betweenness: list[RankedRow]
    betweenness_sampled: bool
    components: Components
    coproduction_partners: dict[str, list[Partner]]  # country label -> its partners


def measures(graph: nx.DiGraph, cop: nx.Graph, top: int = 10) -> Measures:
    """Network measures of a projection (graph, as viz.network.project draws it) and its
    co-production view (cop), as plain data for `kg stats` (see format_measures).

    Degree and betweenness are computed on the undirected projection: a film and its
    director are linked whichever way the property points."""
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    n = undirected.number_of_nodes()

    def row(node: str, value: float) -> RankedRow:
        data = graph.nodes[node]
        return {"id": node, "label": data["label"], "class": data["cls_label"], "value": value}

    degree = nx.degree_centrality(undirected) if n > 1 else dict.fromkeys(undirected, 0.0)
    sample = min(500, n) if n > EXACT_BETWEENNESS_MAX else None
    betweenness = nx.betweenness_centrality(undirected, k=sample, seed=0)
    by_degree = sorted(undirected.degree, key=lambda item: (-item[1], item[0]))[:top]
    by_betweenness = sorted(betweenness.items(), key=lambda item: (-item[1], item[0]))[:top]
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c)))
    largest = components[0] if components else set()

    partners: dict[str, list[Partner]] = {}
    for country in sorted(cop, key=lambda c: cop.nodes[c]["label"]):
        rows: list[Partner] = []
        for other in cop.neighbors(country):
            edge = cop.edges[country, other]
            rows.append({"country": cop.nodes[other]["label"], "id": other, "works": list(edge["works"])})
        partners[cop.nodes[country]["label"]] = sorted(rows, key=lambda r: (-len(r["works"]), r["country"]))
    return {
        "nodes": n,
        "edges": undirected.number_of_edges(),
        "degree": [DegreeRow(**row(node, round(degree[node], 4)), degree=d) for node, d in by_degree],
        "betweenness": [row(node, round(value, 4)) for node, value in by_betweenness],
        "betweenness_sampled": sample is not None,
        "components": {
            "count": len(components),
            "sizes": [len(c) for c in components],
            "largest": sorted(graph.nodes[m]["label"] for m in largest)[:top],
        },
        "coproduction_partners": partners,
    }


def format_measures(data: Measures) -> str:
    """The measures as text for a terminal."""
    lines = [f"Network (projection): {data['nodes']} nodes, {data['edges']} links (undirected)"]
    lines.append("")
    lines.append("Most connected (degree):")
    for d in data["degree"]:
        lines.append(f"  {d['degree']:>4}  {d['value']:.3f}  {d['label']} ({d['class']})")
    lines.append("")
    sampled = ", estimated from a sample" if data.get("betweenness_sampled") else ""
    lines.append(f"Bridges (betweenness centrality{sampled}):")
    for r in data["betweenness"]:
        lines.append(f"  {r['value']:.3f}  {r['label']} ({r['class']})")
    comps = data["components"]
    lines.append("")
    sizes = ", ".join(str(s) for s in comps["sizes"][:10]) + (" ..." if len(comps["sizes"]) > 10 else "")
    lines.append(f"Connected components: {comps['count']} (sizes {sizes})")
    lines.append("")
    lines.append("Co-production partners (country: partner [works]):")
    for country, rows in data["coproduction_partners"].items():
        if not rows:
            continue
        partners = "; ".join(f"{r['country']} [{', '.join(r['works'])}]" for r in rows)
        lines.append(f"  {country}: {partners}")
    return "\n".join(lines) + "\n"
