"""The `kg viz` pages in a real browser: Debian's Chromium, headless, driven by Playwright,
offline and with every request that is not the page's own file aborted and recorded.

The browser and the page recorder are tests/browser.py's."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kg.built import load_dataset
from tests.browser import Opened, browser_only, chromium
from tests.browser import open_page as open_url
from tests.conftest import invoke
from viz import network
from viz.page import write_page

pytestmark = [pytest.mark.browser, browser_only]
HOSTILE = "<img src=x onerror=alert(1)>"
SAMAL = "person/samal-yeslyamova"
KZ = "country/kazakhstan"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def dataset(built):
    return load_dataset(built)


def open_page(browser, path: Path, timeout: float = 120.0) -> Opened:
    """A `kg viz` page from disk: offline, and it may load nothing but itself."""
    return open_url(browser, path.resolve().as_uri(), "file://", timeout, single_file=True)


def drawn(opened: Opened) -> tuple[int, int]:
    return tuple(opened.js("[kg.network.body.data.nodes.length, kg.network.body.data.edges.length]"))


def hover(opened: Opened, node: str) -> str:
    """Move the real mouse onto a node; return the hover card's text. The view is stilled and
    zoomed onto the node first, so that no link drawn over it takes the hover instead."""
    x, y = opened.js(
        f"""(() => {{
        kg.network.stopSimulation();
        kg.network.focus({node!r}, {{scale: 2.5, animation: false}});
        const p = kg.network.canvasToDOM(kg.network.getPositions([{node!r}])[{node!r}]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }})()"""
    )
    deadline = time.monotonic() + 10
    while opened.js("document.getElementById('kg-tooltip').hidden"):
        assert time.monotonic() < deadline, f"no hover card for {node}"
        opened.page.mouse.move(x - 3, y - 3)
        opened.page.mouse.move(x, y)
        time.sleep(0.2)
    return opened.page.text_content("#kg-tooltip")


def _page(built, tmp_path, *args) -> Path:
    target = tmp_path / f"{args[0]}.html"
    result = invoke("viz", *args, "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    return target


def test_coproduction_page_opens_offline_and_draws_kazakhstans_partners(browser, built, dataset, tmp_path):
    opened = open_page(browser, _page(built, tmp_path, "coproduction"))
    opened.assert_clean()
    graph = network.coproduction(dataset)
    assert drawn(opened) == (graph.number_of_nodes(), graph.number_of_edges()) == (5, 10)
    partners = opened.js(f"kg.network.getConnectedNodes({KZ!r}).sort()")
    assert partners == ["country/china", "country/germany", "country/poland", "country/russia"]
    works = opened.js(
        f"""Object.fromEntries(kg.network.getConnectedEdges({KZ!r}).map(id => {{
            const e = kg.edges.get(id);
            return [e.from === {KZ!r} ? e.to : e.from, e.info.relations.map(r => r.label).sort()]; }}))"""
    )
    assert works == {
        "country/china": ["Ayka", "I Am Waiting for You in Ili"],
        "country/germany": ["Ayka"],
        "country/poland": ["Ayka"],
        "country/russia": ["Ayka"],
    }
    card = hover(opened, KZ)
    assert "Kazakhstan" in card and "production country" in card and "Ayka" in card
    # the source article, by its display title (the file name is its tooltip)
    assert "Kazakhstan’s audiences will see the film AIKA" in card and "004_9d304b95c593325b.txt" not in card
    opened.assert_clean()


def test_entities_page_counts_search_in_cyrillic_filter_and_sources(browser, built, dataset, tmp_path):
    opened = open_page(browser, _page(built, tmp_path, "entities"))
    opened.assert_clean()
    graph = network.project(dataset)
    assert drawn(opened) == (graph.number_of_nodes(), graph.number_of_edges())

    page = opened.page
    page.fill("#kg-search", "Самал Еслямова")
    page.press("#kg-search", "Enter")
    assert opened.js("kg.network.getSelectedNodes()") == [SAMAL]
    assert page.text_content("#kg-search-status") == "1 of 1: Samal Yeslyamova (person)"
    details = page.text_content("#kg-details")
    assert "award won: Best Actress Award (Cannes)" in details and "Актриса из" in details
    assert opened.js("kg.search('Дворцевой')") == "person/sergey-dvortsevoy"  # part of a Russian label

    card = hover(opened, "film/ayka-2018")
    assert "Ayka" in card and "film" in card and "budget: 2500000 EUR" in card
    assert "The budget" in card and "Kazakhstan’s audiences will see the film AIKA" in card  # quote and article

    people = sum(1 for _n, d in graph.nodes(data=True) if d["group"] == "person")
    visible = "kg.nodes.get({filter: n => !n.hidden}).length"
    page.uncheck("#kg-legend-list input[data-kind='person']")
    assert opened.js(visible) == len(graph) - people
    assert opened.js("kg.nodes.get({filter: n => n.kind === 'person' && !n.hidden}).length") == 0
    page.click("#kg-show-all")
    assert opened.js(visible) == len(graph)
    opened.assert_clean()


def test_page_search_forgives_typos_and_script_as_the_cli_does(browser, built, tmp_path):
    """The search box finds «Дворцевой» from "Dvortsevoy" and Kazakhstan from "Kazakstan",
    typed by the real keyboard, and ranks every hit exactly as kg.registry.rank (the CLI's
    `kg entities search`) ranks the same nodes' labels."""
    from kg.registry import rank

    opened = open_page(browser, _page(built, tmp_path, "entities"))
    page = opened.page
    for typed, node, status in [
        ("Dvortsevoy", "person/sergey-dvortsevoy", "Sergey Dvortsevoy (person)"),
        ("Kazakstan", KZ, "Kazakhstan (country)"),
        ("Еслямова Самал", SAMAL, "Samal Yeslyamova (person)"),
        ("Dvortsevoi", "person/sergey-dvortsevoy", "Sergey Dvortsevoy (person)"),
    ]:
        page.fill("#kg-search", "")
        page.type("#kg-search", typed)
        page.press("#kg-search", "Enter")
        assert opened.js("kg.network.getSelectedNodes()") == [node], typed
        assert page.text_content("#kg-search-status").startswith("1 of ") and status in page.text_content(
            "#kg-search-status"
        )
    assert invoke("entities", "search", "Kazakstan").output.split()[0] == KZ  # the CLI's first hit too

    labels = opened.js("kg.nodes.get().map(n => [n.id, n.info.labels.concat([n.info.name])])")
    for typed in ["Dvortsevoy", "Kazakstan", "kaz", "Еслямова Самал", "almaty", "Ayka", "Cannes", "ЁЛКИ", "x"]:
        expected = [hit.id for hit in rank(typed, labels)]
        assert opened.js(f"kg.searchAll({typed!r})") == expected, typed
    assert opened.js("kg.searchAll('Kazakstan')")[:2] == [KZ, "event/national-cinema-day-kazakhstan"]
    opened.assert_clean()


def test_ego_and_article_pages_draw_their_projection(browser, built, dataset, tmp_path):
    whole = network.project(dataset)
    ego = network.ego(whole, SAMAL, depth=1)
    opened = open_page(browser, _page(built, tmp_path, "ego", "Самал Еслямова"))
    opened.assert_clean()
    assert drawn(opened) == (ego.number_of_nodes(), ego.number_of_edges())
    assert opened.js("kg.network.getSelectedNodes()") == [SAMAL]  # the focus is selected

    article = network.project(dataset, article="003_6ace3f2e2b0ad3c1")
    opened = open_page(browser, _page(built, tmp_path, "article", "seeds/003_6ace3f2e2b0ad3c1.yaml", "--lang", "ru"))
    opened.assert_clean()
    assert drawn(opened) == (article.number_of_nodes(), article.number_of_edges())
    assert opened.js("kg.nodes.get('film/mirrors-suleymenov').label") == "Зеркала"


def _hostile_graph():
    import networkx as nx

    graph = nx.DiGraph(view="entities", lang="en", title=HOSTILE, articles={"a": {"file": "a.txt", "title": HOSTILE}})
    quote = "</script><script>window.__pwned = 1</script><img src=x onerror=alert(2)>"
    common = {"cls": "Person", "cls_label": "person", "group": "person", "small": False}
    graph.add_node(
        "person/hostile",
        label=HOSTILE,
        labels=[HOSTILE, "Хакер"],
        facts=[{"property": "<b>p</b>", "value": HOSTILE, "sources": [{"article": "a", "quote": quote}]}],
        **common,
    )
    graph.add_node("person/plain", label="Plain", labels=["Plain"], facts=[], **common)
    graph.add_edge(
        "person/hostile",
        "person/plain",
        label=HOSTILE,
        weight=1,
        relations=[{"label": HOSTILE, "details": [quote], "sources": [{"article": "a", "quote": quote}]}],
    )
    return graph


def test_a_label_holding_html_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    path = tmp_path / "hostile.html"
    write_page(_hostile_graph(), path)
    opened = open_page(browser, path)
    assert drawn(opened) == (2, 1)
    assert opened.js("kg.nodes.get('person/hostile').label") == HOSTILE  # drawn on the canvas as text
    card = hover(opened, "person/hostile")
    assert HOSTILE in card and "window.__pwned" in card
    assert opened.js("kg.search('Хакер')") == "person/hostile"
    assert opened.js("kg.search('<img src=x')") == "person/hostile"
    assert HOSTILE in opened.page.text_content("#kg-search-status")
    assert HOSTILE in opened.page.text_content("#kg-details")
    assert opened.page.title() == HOSTILE
    assert opened.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert opened.js("typeof window.__pwned") == "undefined"
    opened.assert_clean()  # in particular: no alert() dialog


def test_a_5000_node_graph_is_interactive_within_seconds(browser, tmp_path):
    from viz.synthetic import synthetic_dataset

    graph = network.project(synthetic_dataset(5000))
    path = tmp_path / "large.html"
    report = write_page(graph, path)
    assert report.static_layout
    opened = open_page(browser, path, timeout=60)
    opened.assert_clean()
    assert drawn(opened) == (5000, graph.number_of_edges())
    assert opened.js("kg.network.physics.options.enabled") is False
    start = time.monotonic()
    label = graph.nodes["person/p0"]["label"]
    assert opened.js(f"kg.search({label!r})") == "person/p0"
    assert time.monotonic() - start < 5
    print(f"5,000 nodes: interactive after {opened.seconds:.1f} s")
    assert opened.seconds < 30  # a few seconds on a desktop; generous for a loaded CI machine
