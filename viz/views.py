"""The `kg viz` views: which graph each draws, where the page goes. One entry point, draw().

entities       the whole projection (viz.network.project)
coproduction   countries linked by the works they co-produced (viz.network.coproduction)
ego ENTITY     the neighbourhood of one entity, found by id or any label
article FILE   what one article states
"""

from __future__ import annotations

import webbrowser
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.built import Build
from kg.errors import UnknownChoice, UsageError
from viz import network
from viz.page import PageReport, render, write_page

VIEWS = ("entities", "coproduction", "ego", "article")
LAYOUTS = ("auto", "physics", "static")


def article_stem(dataset: Dataset, text: str) -> str:
    """An article by file path (seeds/NAME.txt or .yaml) or by stem."""
    from kg.iris import name_segment

    stem = Path(text).name
    for suffix in (".txt", ".yaml"):
        stem = stem.removesuffix(suffix)
    stem = name_segment(stem)  # as in the article's IRI: 'my article' -> 'my%20article'
    known = network.article_stems(dataset)
    if stem not in known:
        raise UsageError(f"no article {text!r} in the build (known: {', '.join(known)})")
    return stem


def view_graph(
    dataset: Dataset,
    view: str,
    lang: str = "en",
    entity: str | None = None,
    depth: int = 1,
    article: str | None = None,
) -> nx.Graph:
    """The networkx graph a view draws; the same graph the page's counts are checked against."""
    if view == "entities":
        return network.project(dataset, lang)
    if view == "coproduction":
        return network.coproduction(dataset, lang)
    if view == "ego":
        if not entity:
            raise UsageError("ego needs an entity: an id (person/samal-yeslyamova) or a label")
        whole = network.project(dataset, lang)
        return network.ego(whole, network.resolve_node(whole, entity), depth)
    if view == "article":
        if not article:
            raise UsageError("article needs an article file or stem")
        return network.project(dataset, lang, article=article_stem(dataset, article))
    raise UnknownChoice("view", view, VIEWS)


def default_name(graph: nx.Graph, view: str) -> str:
    if view == "ego":
        return f"ego-{graph.graph['focus'].replace('/', '-')}.html"
    if view == "article":
        stem = next(iter(graph.graph.get("articles", {})), "article")
        return f"article-{stem}.html"
    return f"{view}.html"


def draw(
    build: Build,
    view: str,
    *,
    output: Path | None = None,
    lang: str = "en",
    entity: str | None = None,
    depth: int = 1,
    article: str | None = None,
    layout: str = "auto",
    open_browser: bool = False,
) -> PageReport:
    """Project the (fresh) build, write the page (OUT/VIEW.html unless `output`), maybe open it."""
    if layout not in LAYOUTS:
        raise UnknownChoice("layout", layout, LAYOUTS)
    graph = view_graph(build.dataset(), view, lang, entity, depth, article)
    path = output if output is not None else build.named(default_name(graph, view))
    static = {"auto": None, "physics": False, "static": True}[layout]
    report = write_page(graph, path, static)
    if open_browser:
        webbrowser.open(path.resolve().as_uri())
    return report


def article_html(build: Build, stem: str, lang: str) -> str:
    """The `kg viz article` page of one article as HTML text, for `kg author`'s "Build and
    show" (which the CLI hands this function)."""
    return render(view_graph(build.dataset(), "article", lang, None, 1, stem))


def page_html(dataset: Dataset, view: str) -> str:
    """One view's page as HTML text, for `kg site` (which the CLI hands this function)."""
    return render(view_graph(dataset, view))
