"""Node positions computed in Python, for graphs too large for the browser's physics.

vis-network's physics on 5,000 nodes blocks a page for about 50 s; with positions given and
physics off it draws in a few seconds. networkx's own layouts are too slow at that size on
this hardware (spring_layout: 14 s for 1,000 nodes, 170 s for 5,000; forceatlas2_layout and
the sparse Fruchterman-Reingold are O(n^2) per iteration), so this module runs
Fruchterman-Reingold with the repulsion computed on a grid ("particle-mesh"): node density
is binned on a G x G grid and convolved with the 1/r repulsion kernel by FFT, so an
iteration costs O(n + m + G^2 log G) instead of O(n^2). Attraction along edges is exact.
Nodes sharing a grid cell are pushed apart from the cell's centre, which the grid cannot
see. The result is a recognisable force layout of 20,000 nodes in seconds.

numpy is needed for that; without numpy the fallback is a spiral in breadth-first order
(neighbours land near each other), which is instant and still usable.
"""

from __future__ import annotations

import math
from collections import deque

import networkx as nx

EDGE_LENGTH = 90.0  # pixels between linked nodes, roughly, in the drawn page
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, iterations: int = 120, seed: int = 7) -> dict[str, tuple[float, float]]:
    """x, y in pixels for every node; deterministic for a given graph and seed."""
    linked = sorted((n for n in graph if any(m != n for m in nx.all_neighbors(graph, n))), key=str)
    linked_set = set(linked)
    alone = sorted((n for n in graph if n not in linked_set), key=str)
    if not linked:
        return _grid(alone, 0.0, 0.0)
    try:
        import numpy  # noqa: F401
    except ImportError:
        placed = _spiral(graph, linked)
    else:
        placed = _particle_mesh(graph, linked, iterations, seed)
    # Unlinked nodes in a block beside the drawing: in the force layout they would only be
    # pushed out to a far ring that makes the linked part tiny when the page fits the view.
    right = max(x for x, _y in placed.values()) + 2 * EDGE_LENGTH
    top = min(y for _x, y in placed.values())
    placed.update(_grid(alone, right, top))
    return placed


def _grid(nodes: list, left: float, top: float) -> dict[str, tuple[float, float]]:
    columns = max(1, math.ceil(math.sqrt(len(nodes))))
    step = EDGE_LENGTH * 0.6
    return {
        node: (round(left + step * (i % columns), 1), round(top + step * (i // columns), 1))
        for i, node in enumerate(nodes)
    }


def _spiral(graph: nx.Graph, nodes: list) -> dict[str, tuple[float, float]]:
    """Breadth-first order from each component's best-connected node, laid on a sunflower
    spiral: fast and dependency-free, and linked nodes stay mostly close."""
    undirected = graph.to_undirected(as_view=True)
    order: list = []
    seen: set = set()
    for start in sorted(nodes, key=lambda n: (-undirected.degree(n), str(n))):
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            node = queue.popleft()
            order.append(node)
            for other in sorted(undirected.neighbors(node), key=str):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    step = EDGE_LENGTH * 0.6
    return {
        node: (
            round(step * math.sqrt(i) * math.cos(i * GOLDEN_ANGLE), 1),
            round(step * math.sqrt(i) * math.sin(i * GOLDEN_ANGLE), 1),
        )
        for i, node in enumerate(order)
    }


def _particle_mesh(graph: nx.Graph, nodes: list, iterations: int, seed: int) -> dict[str, tuple[float, float]]:
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    src, dst = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # the ideal edge length k is 1 unit: n nodes fill a sqrt(n) square
    pos = rng.uniform(0.0, side, size=(n, 2))

    grid = int(min(128, max(32, 2 ** round(math.log2(math.sqrt(n))))))  # about one node per cell
    offsets = np.fft.fftfreq(2 * grid, d=1.0 / (2 * grid))  # 0, 1, ..., -1 in grid units
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kernel_x = np.fft.rfft2(np.where(r2 > 0, dx / r2, 0.0))
    kernel_y = np.fft.rfft2(np.where(r2 > 0, dy / r2, 0.0))

    temperature = side / 8
    cooling = temperature / (iterations + 1)
    gravity = 0.7 * side
    for _ in range(iterations):
        low = pos.min(axis=0)
        cell = max(float((pos.max(axis=0) - low).max()) / (grid - 1), 1e-9)
        ij = np.minimum(((pos - low) / cell).astype(np.int64), grid - 1)
        flat = ij[:, 0] * grid + ij[:, 1]
        density = np.zeros((2 * grid, 2 * grid))
        density[:grid, :grid] = np.bincount(flat, minlength=grid * grid).reshape(grid, grid)
        spectrum = np.fft.rfft2(density)
        field_x = np.fft.irfft2(spectrum * kernel_x, s=density.shape)[:grid, :grid] / cell
        field_y = np.fft.irfft2(spectrum * kernel_y, s=density.shape)[:grid, :grid] / cell
        force = np.stack([field_x.ravel()[flat], field_y.ravel()[flat]], axis=1)

        # nodes in one cell: push each away from the cell's mean, which the grid cannot see
        counts = np.bincount(flat, minlength=grid * grid)
        mean = np.stack([np.bincount(flat, weights=pos[:, k], minlength=grid * grid) for k in (0, 1)], axis=1)
        mean = mean / np.maximum(counts, 1)[:, None]
        away = pos - mean[flat]
        dist2 = (away * away).sum(axis=1) + 1e-4
        force += away * ((counts[flat] - 1) / dist2)[:, None]

        if len(src):
            delta = pos[dst] - pos[src]
            pull = delta * np.sqrt((delta * delta).sum(axis=1))[:, None]  # d^2 / k, along the edge
            for k in (0, 1):
                force[:, k] += np.bincount(src, weights=pull[:, k], minlength=n)
                force[:, k] -= np.bincount(dst, weights=pull[:, k], minlength=n)
        # constant-magnitude gravity (as in ForceAtlas2's strong gravity): it balances the
        # repulsion of n nodes at a radius of about sqrt(n) / gravity_scale, so the drawing is a
        # filled disc and unlinked nodes sit at its rim instead of being blown far away
        centre = pos - pos.mean(axis=0)
        norm = np.maximum(np.sqrt((centre * centre).sum(axis=1)), 1.0)
        force -= centre * (gravity / norm)[:, None]

        length = np.sqrt((force * force).sum(axis=1)) + 1e-9
        pos += force * (np.minimum(length, temperature) / length)[:, None]
        temperature = max(temperature - cooling, side / 400)

    pos = (pos - pos.mean(axis=0)) * EDGE_LENGTH
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos, strict=True)}
