"""networkx projection -> one self-contained HTML page, drawn by vis-network.

The page is our Jinja template (viz/templates/page.html) with vis-network 9.1.2 (vendored in
viz/vendor/vis-network, the build pyvis 0.3.2 ships) and our page.js inlined. pyvis's own page
is not used, because it is not fit to ship (measured with pyvis 0.3.2, the last release):
  - its "in_line" mode inlines vis-network but still links Bootstrap from a CDN, and the
    inlined vis-network itself holds URLs (license comments, a source-map link, string
    constants). Our page inlines vis-network with comments and the source-map link removed
    and every remaining "scheme://" in a string literal written "scheme:\\/\\/" (the same
    string to JavaScript), so the file holds no remote URL at all and opens from disk offline;
  - its tooltips take HTML strings; ours are built with textContent only, and the data is
    embedded as JSON with <, >, &, / escaped, so a label such as <img src=x onerror=...> is
    shown as text and never run. A Content-Security-Policy forbids every network load;
  - its add_node/add_edge scan lists (quadratic: 20,000 nodes took 107 s); we build the node
    and edge lists in one go;
  - its filter and select menus hide every node or garble UTF-8; ours are small and plain.
Graphs above STATIC_LAYOUT_MIN_NODES get positions from viz.layout and physics off, so a
5,000-node page is interactive in seconds instead of blocking for a minute.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from viz.network import GROUP_BY_KEY, GROUPS, without_statements

if TYPE_CHECKING:
    from collections.abc import Iterable

    from jinja2 import Template
    from markupsafe import Markup

STATIC_LAYOUT_MIN_NODES = 500
TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_NETWORK = Path(__file__).resolve().parent / "vendor" / "vis-network"
LABEL_MAX = 48  # characters of a label drawn on the canvas; the full text is in the tooltip
EDGE_LABEL_MAX = 40
SHAPE_SYMBOLS = {
    "dot": "\u25cf",
    "square": "\u25a0",
    "triangle": "\u25b2",
    "triangleDown": "\u25bc",
    "star": "\u2605",
    "hexagon": "\u2b22",
    "diamond": "\u25c6",
}
UI_TEXT = {
    "en": {"search": "Find a node by any label", "find": "Find", "classes": "Classes", "all": "Show all"},
    "ru": {"search": "Найти узел по любому названию", "find": "Найти", "classes": "Классы", "all": "Показать все"},
}
_URL_IN_STRING = re.compile(r"\b(https?):\/\/")


@dataclass(frozen=True)
class PageReport:
    path: Path
    nodes: int
    edges: int
    static_layout: bool


def script_json(value: object) -> Markup:
    """JSON safe inside a <script> element: no tag, comment or entity can start in it, and no
    literal "://" (a "/" is written "\\/", which JSON reads back as "/")."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("/", "\\/"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)


@cache
def vis_assets() -> tuple[str, str]:
    """The vendored vis-network (JavaScript, CSS), made free of URLs.

    The license comment is replaced by a notice without links (vis-network is dual licensed
    Apache-2.0 / MIT; the notice names both and the copyright holders; the full texts are in
    viz/vendor/vis-network)."""
    js = (VIS_NETWORK / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_NETWORK / "vis-network.min.css").read_text(encoding="utf-8")
    if js.startswith("/**"):
        js = js[js.index("*/") + 2 :]
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    js = _URL_IN_STRING.sub(lambda m: m.group(1) + ":\\/\\/", js)
    notice = (
        "/* vis-network 9.1.2. Copyright (c) 2011-2017 Almende B.V.;"
        " (c) 2017-2019 visjs contributors. Dual licensed under the Apache License 2.0 and the"
        " MIT License. Includes core-js (c) 2014-2022 Denis Pushkarev, MIT License. */\n"
    )
    css = re.sub(r"/\*#\s*sourceMappingURL=[^*]*\*/", "", css)
    return notice + js, css


@cache
def _app_assets() -> tuple[str, str]:
    return (TEMPLATES / "page.js").read_text(encoding="utf-8"), (TEMPLATES / "page.css").read_text(encoding="utf-8")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _node_size(degree: int, small: bool) -> float:
    """Area grows with degree, so a hub stands out without swallowing the page."""
    base, step = (7.0, 2.0) if small else (12.0, 4.0)
    return round(min(base + step * math.sqrt(degree), 64.0), 1)


def search_keys(labels: Iterable[object]) -> list[str]:
    """A node's search keys: its labels and aliases folded by kg.registry.fold, the rule the
    CLI searches with, so the page's search box (page.js) only compares keys and never
    folds a label itself."""
    from kg.registry import fold

    return [key for key in dict.fromkeys(fold(str(label)) for label in labels) if key]


def search_meta(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """What page.js needs to search as `kg entities search` does (kg.registry.match): the
    fold table for the typed text, made from kg.registry.fold, and the fuzzy thresholds."""
    from kg.registry import FUZZY_CUTOFF, FUZZY_MIN_LENGTH, fold_table

    text = "".join(label for item in nodes for label in [*item["info"]["labels"], item["info"]["name"]])
    return {"fold": fold_table(text), "cutoff": FUZZY_CUTOFF, "minLength": FUZZY_MIN_LENGTH}


def vis_data(graph: nx.Graph, static: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network nodes and edges, and the legend's groups present in the graph.

    Everything a tooltip shows travels in each item's `info`; nothing is pre-rendered HTML."""
    from viz.layout import positions

    where = positions(graph) if static else {}
    undirected_degree = dict(graph.degree())
    nodes = []
    counts: dict[str, int] = {}
    for node in sorted(graph, key=str):
        data = graph.nodes[node]
        group = GROUP_BY_KEY.get(data.get("group", "other"), GROUP_BY_KEY["other"])
        counts[group.key] = counts.get(group.key, 0) + 1
        label = str(data.get("label", node))
        item: dict[str, Any] = {
            "id": node,
            "label": _short(label, LABEL_MAX),
            "shape": group.shape,
            "size": _node_size(undirected_degree[node], group.small),
            "color": {
                "background": group.color,
                "border": "#3b3b3b" if not group.small else "#777777",
                "highlight": {"background": group.color, "border": "#000000"},
                "hover": {"background": group.color, "border": "#000000"},
            },
            "kind": group.key,
            "info": {
                "name": label,
                "cls": str(data.get("cls_label", "")),
                "labels": [str(x) for x in (data.get("labels") or [label])],
                "keys": search_keys([*(data.get("labels") or []), label]),
                "wikidata": str(data.get("wikidata") or ""),
                "facts": without_statements(data.get("facts") or []),
                "degree": undirected_degree[node],
            },
        }
        if group.small:
            item["font"] = {"size": 10, "color": "#555555"}
        if static:
            item["x"], item["y"] = where[node]
        nodes.append(item)
    edges = []
    directed = graph.is_directed()
    # an undirected link is written from its smaller end: networkx reports (u, v) or (v, u)
    # depending on the order the nodes were added
    pairs = graph.edges() if directed else (sorted(edge, key=str) for edge in graph.edges())
    for i, (u, v) in enumerate(sorted(pairs, key=lambda e: (str(e[0]), str(e[1])))):
        data = graph.edges[u, v]
        weight = int(data.get("weight", 1) or 1)
        item = {
            "id": f"e{i}",
            "from": u,
            "to": v,
            "width": round(1 + (2 * weight if graph.graph.get("view") == "coproduction" else math.log2(weight)), 2),
            "info": {
                "label": str(data.get("label", "")),
                "weight": weight,
                "relations": without_statements(data.get("relations") or []),
            },
        }
        if directed:
            item["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
        if not static and data.get("label"):
            item["label"] = _short(str(data["label"]), EDGE_LABEL_MAX)
        edges.append(item)
    legend: list[dict[str, Any]] = [
        {"key": g.key, "shape": g.shape, "symbol": SHAPE_SYMBOLS.get(g.shape, "\u25cf"), "color": g.color}
        for g in GROUPS
        if g.key in counts
    ]
    for entry in legend:
        entry["count"] = counts[entry["key"]]
        entry["label"] = _group_label(graph, entry["key"])
    return nodes, edges, legend


def options(static: bool, count: int) -> dict[str, Any]:
    """vis-network options: physics for small graphs (nodes settle and can be dragged
    about), fixed positions and no physics for large ones."""
    base: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "borderWidthSelected": 3,
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#d62728", "hover": "#444444", "inherit": False},
            "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "align": "middle"},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": False,
            "keyboard": {"enabled": False},
        },
        "layout": {"randomSeed": 7, "improvedLayout": not static and count <= 150},
    }
    if static:
        base["physics"] = {"enabled": False}
        base["edges"]["smooth"] = {"enabled": False}
        base["interaction"].update(hideEdgesOnDrag=True, hideEdgesOnZoom=True)
    else:
        base["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            # a handful of nodes gets longer springs, so the page does not show a small knot
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "springLength": 110 if count > 20 else 220,
                "avoidOverlap": 0.3,
            },
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
        }
        base["edges"]["smooth"] = {"enabled": True, "type": "continuous"}
    return base


@cache
def _template() -> Template:
    """page.html in an environment that escapes HTML and knows `script_json`."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    env.filters["script_json"] = script_json
    return env.get_template("page.html")


def render(graph: nx.Graph, static: bool | None = None) -> str:
    """The page as text. `static` None chooses by size (STATIC_LAYOUT_MIN_NODES)."""
    from markupsafe import Markup

    static = graph.number_of_nodes() >= STATIC_LAYOUT_MIN_NODES if static is None else static
    lang = graph.graph.get("lang", "en")
    nodes, edges, legend = vis_data(graph, static)
    title = str(graph.graph.get("title") or "Graph")
    vis_js, vis_css = vis_assets()
    app_js, app_css = _app_assets()
    return _template().render(
        heading=title,
        nodes=nodes,
        edges=edges,
        options=options(static, len(nodes)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        app_js=Markup(app_js),
        app_css=Markup(app_css),
        ui=UI_TEXT.get(lang, UI_TEXT["en"]),
        lang=lang,
        kg={
            "title": title,
            "view": graph.graph.get("view", ""),
            "lang": lang,
            "static": static,
            "directed": graph.is_directed(),
            "focus": graph.graph.get("focus"),
            "groups": legend,
            "articles": graph.graph.get("articles", {}),
            "search": search_meta(nodes),
            "nodeCount": len(nodes),
            "edgeCount": len(edges),
        },
    )


def _group_label(graph: nx.Graph, key: str) -> str:
    """The legend names a group by the ontology label of its class, in the page's language."""
    for _node, data in graph.nodes(data=True):
        if data.get("group") == key and data.get("group_label"):
            return str(data["group_label"])
    return key


def write_page(graph: nx.Graph, path: Path, static: bool | None = None) -> PageReport:
    """Render and write the page atomically, as UTF-8."""
    from kg.atomic import write_file

    html = render(graph, static)
    write_file(path, html.encode("utf-8"))
    static_used = graph.number_of_nodes() >= STATIC_LAYOUT_MIN_NODES if static is None else static
    return PageReport(path, graph.number_of_nodes(), graph.number_of_edges(), static_used)
