"""Node positions computed in Python, for graphs too large for the browser's physics.

vis-network's physics on 5,000 nodes blocks a page for about 50 s; with positions given and
physics off it draws in a few seconds. networkx's own layouts are too slow at that size on
this hardware (spring_layout: 14 s for 1,000 nodes, 170 s for 5,000), so the layout is
igraph's Fruchterman-Reingold with grid-approximated repulsion (C code, maintained): about
0.3 s for 1,000 nodes, 1.2 s for 5,000 and 4.4 s for 20,000 here.
"""

from __future__ import annotations

import math
import random
import statistics

import networkx as nx

EDGE_LENGTH = 90.0  # pixels between linked nodes, roughly, in the drawn page


def positions(graph: nx.Graph, iterations: int = 500, seed: int = 7) -> dict[str, tuple[float, float]]:
    """x, y in pixels for every node; deterministic for a given graph and seed."""
    linked = sorted((n for n in graph if any(m != n for m in nx.all_neighbors(graph, n))), key=str)
    linked_set = set(linked)
    alone = sorted((n for n in graph if n not in linked_set), key=str)
    if not linked:
        return _grid(alone, 0.0, 0.0)
    placed = _force(graph, linked, iterations, seed)
    # Unlinked nodes in a block beside the drawing: in the force layout they would only be
    # pushed out to a far ring that makes the linked part tiny when the page fits the view.
    right = max(x for x, _y in placed.values()) + 2 * EDGE_LENGTH
    top = min(y for _x, y in placed.values())
    placed.update(_grid(alone, right, top))
    return placed


def _grid(nodes: list[str], left: float, top: float) -> dict[str, tuple[float, float]]:
    columns = max(1, math.ceil(math.sqrt(len(nodes))))
    step = EDGE_LENGTH * 0.6
    return {
        node: (round(left + step * (i % columns), 1), round(top + step * (i // columns), 1))
        for i, node in enumerate(nodes)
    }


def _force(graph: nx.Graph, nodes: list[str], iterations: int, seed: int) -> dict[str, tuple[float, float]]:
    """igraph's Fruchterman-Reingold from seeded start positions, scaled so that the median
    link is EDGE_LENGTH pixels long."""
    import igraph

    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted(
        {tuple(sorted((index[a], index[b]))) for a, b in graph.edges() if a != b and a in index and b in index}
    )
    rng = random.Random(seed)
    # Spread the start over a square of side sqrt(n), as igraph's own random start does: the
    # grid that makes repulsion cheap is sized by the layout's extent.
    half = math.sqrt(len(nodes)) / 2
    start = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in nodes]
    # igraph draws from Python's global `random` during the layout: give it a seeded generator
    # for this call, so the same graph always gets the same picture (and the same bytes).
    igraph.set_random_number_generator(rng)
    try:
        layout = igraph.Graph(n=len(nodes), edges=edges).layout_fruchterman_reingold(
            seed=start, niter=iterations, grid="auto"
        )
    finally:
        igraph.set_random_number_generator(random)
    coords = layout.coords
    lengths = [math.dist(coords[a], coords[b]) for a, b in edges]
    median = statistics.median(lengths) if lengths else 1.0
    scale = EDGE_LENGTH / median if median > 0 else 1.0
    return {node: (round(coords[i][0] * scale, 1), round(coords[i][1] * scale, 1)) for node, i in index.items()}
