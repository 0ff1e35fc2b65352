"""viz: the networkx projection, the pages' content, the CLI and the network exports.

The browser tests (drawn counts, search, escaping at run time) are in test_viz_browser.py."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.built import load_dataset
from kg.errors import UsageError
from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg
from viz import network
from viz.page import STATIC_LAYOUT_MIN_NODES, render, script_json, vis_assets

KZ = "country/kazakhstan"
AYKA = "Ayka"
ILI = "I Am Waiting for You in Ili"
AYKA_STEM = "004_9d304b95c593325b"
MIRRORS_STEM = "003_6ace3f2e2b0ad3c1"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def dataset(built):
    return load_dataset(built)


@pytest.fixture(scope="module")
def entities(dataset):
    return network.project(dataset, "en")


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- the projection ----------------------------------------------------------------------


def test_coproduction_links_kazakhstan_to_its_partners_naming_the_works(dataset):
    graph = network.coproduction(dataset, "en")
    pairs = {frozenset(edge): graph.edges[edge]["works"] for edge in graph.edges}
    assert {other for pair in pairs for other in pair if KZ in pair} - {KZ} == {
        "country/russia",
        "country/germany",
        "country/poland",
        "country/china",
    }
    assert pairs[frozenset({KZ, "country/russia"})] == [AYKA]
    assert pairs[frozenset({KZ, "country/germany"})] == [AYKA]
    assert pairs[frozenset({KZ, "country/poland"})] == [AYKA]
    assert sorted(pairs[frozenset({KZ, "country/china"})]) == [AYKA, ILI]
    assert graph.edges[KZ, "country/china"]["weight"] == 2
    # AIKA's five countries form a complete graph: 10 pairs, and nothing else is co-produced
    assert len(pairs) == 10
    relation = graph.edges[KZ, "country/russia"]["relations"][0]
    quotes = {_squash(s["quote"]) for s in relation["sources"]}
    assert "This social drama is a co-production of five countries: RussiaKazakhstanGermanyPoland and China" in quotes


def test_projection_draws_entities_and_keeps_literals_provenance_and_terms_as_attributes(dataset, entities):
    registry = {network.short_id(s) for s in dataset.graph(network.GRAPH_ENTITIES).subjects(network.RDF.type, None)}
    assert registry <= set(entities)  # every registry entity, even one no article mentions
    extra = set(entities) - registry
    assert {node.split("/")[0] for node in extra} == {"award-win", "distribution", "screening"}
    for node in entities:
        assert re.fullmatch(r"[a-z-]+/[a-z0-9-]+", node), node
        assert not node.startswith(("claim/", "evidence/", "article/", "amount/", "statistic/", "statement/"))
    assert all(not str(n).startswith("http") for n in entities)  # no IRIs, no ontology terms
    ayka = entities.nodes["film/ayka-2018"]
    assert ayka["label"] == AYKA and ayka["cls"] == "Film" and ayka["group"] == "film"
    facts = {(f["property"], f["value"]) for f in ayka["facts"]}
    assert ("budget", "2500000 EUR") in facts  # a MonetaryAmount node is a value
    assert ("genre", "social drama") in facts  # the English of a bilingual literal
    assert ("reported figure", "years of work on the film: more than 6 years") in facts


def test_two_party_nary_nodes_are_folded_into_labelled_edges(entities):
    assert not any(n.startswith(("performance/", "position/", "participation/")) for n in entities)
    cast = entities.edges["person/erken-gubashev", "film/mirrors-suleymenov"]["relations"]
    # his cast role and what he said about the film: two relations on one edge
    assert [r["label"] for r in cast] == ["performance (cast role)", "attributed statement"]
    assert cast[0]["details"] == ["character: a rich and well-known businessman"]
    assert any(d.startswith("kind of statement: ") for d in cast[1]["details"])
    position = entities.edges["person/akan-sataev", "festival/almaty-film-festival"]
    assert position["label"] == "president"  # the position vocabulary's label
    quotes = {_squash(s["quote"]) for r in position["relations"] for s in r["sources"]}
    assert "Its president is the well-known Kazakhstani director Akan Sataev." in quotes


def test_award_wins_are_drawn_as_small_nodes_linking_all_their_parties(entities):
    win = "award-win/yeslyamova-cannes-2018-best-actress"
    assert entities.nodes[win]["small"] is True
    assert entities.nodes[win]["label"] == "award won: Best Actress Award (Cannes)"
    assert set(entities.successors(win)) == {
        "award/cannes-best-actress",
        "person/samal-yeslyamova",
        "film/ayka-2018",
        "event/cannes-2018",
    }
    assert entities.edges[win, "person/samal-yeslyamova"]["label"] == "awardee"
    facts = {(f["property"], f["value"]) for f in entities.nodes[win]["facts"]}
    assert ("date", "2018-05-19") in facts


def test_every_fact_and_relation_names_its_article_and_quote(entities):
    budget = next(f for f in entities.nodes["film/ayka-2018"]["facts"] if f["property"] == "budget")
    assert {(s["article"], _squash(s["quote"])) for s in budget["sources"]} == {
        (AYKA_STEM, "The budget is EUR 2.5 million."),
        (AYKA_STEM, "Бюджет составил 2,5 миллиона евро."),
    }
    for _u, _v, data in entities.edges(data=True):
        for relation in data["relations"]:
            assert relation["sources"], relation
            assert all(s["article"] and s["quote"] for s in relation["sources"])
    assert entities.graph["articles"][AYKA_STEM]["file"] == f"{AYKA_STEM}.txt"


def test_editorial_facts_carry_the_editors_note(entities):
    notes = [
        s["editorial"]
        for _n, data in entities.nodes(data=True)
        for fact in data["facts"]
        for s in fact["sources"]
        if "editorial" in s
    ]
    notes += [
        s["editorial"]
        for _u, _v, data in entities.edges(data=True)
        for r in data["relations"]
        for s in r["sources"]
        if "editorial" in s
    ]
    assert any("Chinese side presented the series" in note for note in notes)


def test_labels_follow_the_language_with_fallback(dataset):
    russian = network.project(dataset, "ru")
    assert russian.nodes[KZ]["label"] == "Казахстан"
    assert russian.nodes["film/ayka-2018"]["cls_label"] == "фильм"
    assert russian.edges["film/ayka-2018", "person/sergey-dvortsevoy"]["label"] == "режиссёр"
    assert network.pick({"en": "Only English"}, "ru") == "Only English"
    assert network.pick({"ru": "Только по-русски"}, "en") == "Только по-русски"
    with pytest.raises(UsageError):
        network.project(dataset, "de")


def test_ego_finds_an_entity_by_id_or_any_label_and_looks_through_award_wins(entities):
    for name in ("person/samal-yeslyamova", "samal-yeslyamova", "Samal Eslyamova", "Самал Еслямова", "samal"):
        assert network.resolve_node(entities, name) == "person/samal-yeslyamova"
    graph = network.ego(entities, "person/samal-yeslyamova", depth=1)
    assert set(graph) == {
        "person/samal-yeslyamova",
        "film/ayka-2018",
        KZ,
        "award-win/yeslyamova-cannes-2018-best-actress",
        "award/cannes-best-actress",
        "event/cannes-2018",
    }
    assert graph.graph["focus"] == "person/samal-yeslyamova"
    assert len(network.ego(entities, "person/samal-yeslyamova", depth=2)) > len(graph)
    with pytest.raises(UsageError, match="no entity matches"):
        network.resolve_node(entities, "Nobody Atall")
    assert network.resolve_node(entities, "Almaty") == "city/almaty"  # an exact label wins
    with pytest.raises(UsageError, match="several entities"):
        network.resolve_node(entities, "Eurasia")  # the festival, its 17th edition, ...


def test_article_view_shows_only_what_that_article_states(dataset):
    graph = network.project(dataset, "en", article=MIRRORS_STEM)
    assert "film/mirrors-suleymenov" in graph and "film/ayka-2018" not in graph
    assert set(graph.graph["articles"]) == {MIRRORS_STEM}
    sources = [s for _u, _v, d in graph.edges(data=True) for r in d["relations"] for s in r["sources"]]
    assert sources and {s["article"] for s in sources} == {MIRRORS_STEM}
    with pytest.raises(UsageError, match="no article"):
        network.project(dataset, "en", article="999_nope")


def test_measures_for_kg_stats(dataset):
    data = network.measures(dataset)
    assert data["nodes"] == len(network.project(dataset))
    assert data["degree"][0]["degree"] >= data["degree"][-1]["degree"]
    assert KZ in [r["id"] for r in data["betweenness"][:3]]
    assert data["components"]["count"] == len(data["components"]["sizes"]) >= 1
    partners = data["coproduction_partners"]["Kazakhstan"]
    assert [(r["country"], sorted(r["works"])) for r in partners] == [
        ("China", [AYKA, ILI]),
        ("Germany", [AYKA]),
        ("Poland", [AYKA]),
        ("Russia", [AYKA]),
    ]
    text = network.format_measures(data)
    assert "Kazakhstan: China [Ayka, I Am Waiting for You in Ili]; Germany [Ayka]" in text
    assert json.loads(json.dumps(data)) == data  # plain data


# -- the page ----------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Collects script/link/img elements with their attributes and text."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict, str]] = []
        self._open: tuple[str, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "img", "iframe", "object", "embed", "source", "a"):
            self.found.append((tag, dict(attrs), ""))
        if tag == "script":
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open:
            self.found[-1] = ("script", self._open[1], "".join(self._text))
            self._open = None


def _assert_offline_page(html: str) -> _Elements:
    assert "http://" not in html and "https://" not in html
    parser = _Elements()
    parser.feed(html)
    tags = {tag for tag, _attrs, _text in parser.found}
    assert tags <= {"script"}, tags  # no link, img, iframe...
    for _tag, attrs, _text in parser.found:
        assert "src" not in attrs and "href" not in attrs
    return parser


def _page_data(html: str, name: str):
    match = re.search(rf'<script id="kg-{name}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_vis_network_is_inlined_without_any_url():
    js, css = vis_assets()
    assert "http://" not in js and "https://" not in js and "sourceMappingURL" not in js
    assert "http" not in css.replace("data:image", "")
    assert "Apache License 2.0" in js and "MIT License" in js  # the license notice is kept
    # nothing in it can end or confuse the inline <script> it is put in
    assert "</script" not in js.lower() and "<!--" not in js


def test_vis_network_is_the_vendored_npm_release_with_its_licences():
    vendor = ROOT / "viz" / "vendor" / "vis-network"
    js = (vendor / "vis-network.min.js").read_text(encoding="utf-8")
    # npm vis-network 9.1.2, dist/vis-network.min.js, as viz/vendor/vis-network/README.md says
    digest = hashlib.sha256(js.encode("utf-8")).hexdigest()
    assert digest == "6e30a2350474cdf92a0932c6d55b8adcb91929066817ed3eec7b87907a4612f3"
    assert json.loads((vendor / "package.json").read_text(encoding="utf-8"))["version"] == "9.1.2"
    assert (vendor / "LICENSE-MIT").read_text(encoding="utf-8").startswith("The MIT License (MIT)")
    assert "Apache License" in (vendor / "LICENSE-APACHE-2.0").read_text(encoding="utf-8")
    # the page inlines that code: a stretch of the bundle (its no-break spaces included) is unchanged
    stretch = js[js.index('np="') : js.index('np="') + 200]
    assert "\u00a0" in stretch and stretch in vis_assets()[0]


def test_a_page_is_rendered_without_pyvis():
    code = (
        "import sys\n"
        "import networkx as nx\n"
        "from viz.page import render\n"
        "graph = nx.Graph(view='coproduction', lang='en', title='T')\n"
        "graph.add_node('country/x', label='Xland', group='country')\n"
        "html = render(graph)\n"
        "print('pyvis' in sys.modules, '\"name\":\"Xland\"' in html)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_hostile_labels_and_quotes_are_data_never_markup():
    graph = nx.DiGraph(
        view="entities",
        lang="en",
        title="<b>title</b>",
        articles={"a": {"file": "a.txt", "title": "</title><script>x()</script>"}},
    )
    source = {"article": "a", "quote": "</script><script>alert(2)</script> https://evil.example/x"}
    graph.add_node(
        "person/x",
        label=HOSTILE,
        labels=[HOSTILE],
        cls="Person",
        cls_label="person",
        group="person",
        small=False,
        facts=[{"property": "p", "value": "<svg onload=alert(3)>", "sources": [source]}],
    )
    graph.add_node("film/y", label="Y", labels=["Y"], cls="Film", cls_label="film", group="film", small=False, facts=[])
    graph.add_edge(
        "person/x", "film/y", label="<i>", weight=1, relations=[{"label": "<i>", "details": [], "sources": [source]}]
    )
    html = render(graph)
    _assert_offline_page(html)
    ours = html.replace(vis_assets()[0], "")  # vis-network's own code has "<i>" in its label parser
    assert "<img" not in ours and "<svg" not in ours and "<b>title" not in ours and "<i>" not in ours
    assert "&lt;b&gt;title&lt;/b&gt;" in html  # the heading, escaped by the template
    assert ours.count("</script>") == ours.count("<script") == 6  # nothing breaks out of a script
    hostile = next(n for n in _page_data(html, "nodes") if n["id"] == "person/x")
    assert hostile["info"]["name"] == HOSTILE  # and the text itself survives intact
    assert hostile["info"]["facts"][0]["sources"][0]["quote"] == source["quote"]
    assert json.loads(str(script_json({"q": "a/b<c>&\u2028"}))) == {"q": "a/b<c>&\u2028"}


def test_large_graphs_get_positions_and_no_physics():
    from viz.synthetic import synthetic_dataset

    graph = network.project(synthetic_dataset(STATIC_LAYOUT_MIN_NODES + 100))
    assert len(graph) == STATIC_LAYOUT_MIN_NODES + 100
    html = render(graph)
    options = _page_data(html, "options")
    assert options["physics"]["enabled"] is False
    nodes = _page_data(html, "nodes")
    assert all("x" in n and "y" in n for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)  # no two on one spot
    small = network.project(synthetic_dataset(100))
    assert _page_data(render(small), "options")["physics"]["enabled"] is True
    assert html == render(graph)  # deterministic: same graph, same bytes


# -- the command line --------------------------------------------------------------------


def test_kg_viz_coproduction_writes_a_self_contained_utf8_page(built, tmp_path):
    target = tmp_path / "coproduction.html"
    result = invoke("viz", "coproduction", "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target}: 5 nodes, 10 links (physics layout)"
    html = target.read_bytes().decode("utf-8")
    _assert_offline_page(html)
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    edges = _page_data(html, "edges")
    kz = {(e["from"], e["to"]): e["info"]["relations"] for e in edges if KZ in (e["from"], e["to"])}
    assert {a if b == KZ else b for a, b in kz} == {
        "country/russia",
        "country/germany",
        "country/poland",
        "country/china",
    }
    china = next(r for (a, b), r in kz.items() if "country/china" in (a, b))
    assert sorted(r["label"] for r in china) == [AYKA, ILI]
    russian = tmp_path / "ru.html"
    assert invoke("viz", "coproduction", "--lang", "ru", "-o", str(russian), "--out", str(built)).exit_code == 0
    assert "Казахстан" in russian.read_text(encoding="utf-8")


def test_kg_viz_entities_ego_and_article_through_a_real_process(built, tmp_path):
    cases = {
        "entities": ["entities"],
        "ego": ["ego", "Samal Eslyamova", "--depth", "1"],
        "ego-ru": ["ego", "Самал Еслямова"],
        "article": ["article", f"seeds/{AYKA_STEM}.txt"],
    }
    for name, args in cases.items():
        target = tmp_path / f"{name}.html"
        done = run_kg("viz", *args, "-o", str(target), "--out", str(built))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"wrote {target}: ")
        _assert_offline_page(target.read_text(encoding="utf-8"))
    ego = _page_data((tmp_path / "ego-ru.html").read_text(encoding="utf-8"), "meta")
    assert ego["focus"] == "person/samal-yeslyamova" and ego["nodeCount"] == 6


def test_kg_viz_default_output_goes_to_the_build_directory(tmp_path):
    out = tmp_path / "out"
    done = run_kg("--project", str(SEED_CORPUS), "build", "--out", str(out), "-q")
    assert done.returncode == 0, done.stderr
    done = run_kg("--project", str(SEED_CORPUS), "viz", "ego", "person/samal-yeslyamova", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "ego-person-samal-yeslyamova.html").is_file()


def test_kg_viz_errors_are_one_line_messages(built, tmp_path):
    done = run_kg("viz", "ego", "Nobody Atall", "--out", str(built), "-o", str(tmp_path / "x.html"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: no entity matches 'Nobody Atall' (give an id like person/samal-yeslyamova or a label)"
    ]
    assert not (tmp_path / "x.html").exists()
    done = run_kg("viz", "article", "nope.txt", "--out", str(built), "-o", str(tmp_path / "x.html"))
    assert done.returncode == 2 and done.stderr.startswith("error: no article 'nope.txt' in the build")
    assert run_kg("viz", "ego", "x", "--depth", "-1", "--out", str(built)).returncode == 2


def test_kg_help_does_not_import_the_drawing_libraries():
    code = (
        "import sys\n"
        "from kg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['viz', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('networkx', 'pyvis', 'viz.network', 'viz.page', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "coproduction" in done.stdout and "entities" in done.stdout


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_network_loads_back_with_the_same_nodes_and_edges(built, entities, tmp_path, fmt):
    target = tmp_path / f"graph.{fmt}"
    result = invoke("export", "--format", fmt, "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    loaded = nx.read_gexf(target) if fmt == "gexf" else nx.read_graphml(target)
    assert set(loaded.nodes) == set(entities.nodes)
    assert set(loaded.edges) == set(entities.edges)
    assert loaded.nodes[KZ]["label"] == "Kazakhstan"
    assert "Қазақстан" in loaded.nodes[KZ]["labels"]
    relations = json.loads(loaded.edges["film/ayka-2018", "person/sergey-dvortsevoy"]["relations_json"])
    assert relations[0]["label"] == "director" and relations[0]["sources"]
    again = tmp_path / f"again.{fmt}"
    invoke("export", "--format", fmt, "-o", str(again), "--out", str(built))
    assert again.read_bytes() == target.read_bytes()  # deterministic
    stdout = invoke("export", "--format", fmt, "--out", str(built))
    assert stdout.output.encode("utf-8") == target.read_bytes()


def test_viz_files_are_formatted_and_lint_clean():
    paths = [str(ROOT / p) for p in ("viz", "tests/test_viz.py", "tests/test_viz_browser.py", "bench/viz_bench.py")]
    paths = [p for p in paths if Path(p).exists()]
    ruff = [sys.executable, "-m", "ruff"]
    assert subprocess.run([*ruff, "check", *paths], cwd=ROOT, capture_output=True).returncode == 0
    assert subprocess.run([*ruff, "format", "--check", *paths], cwd=ROOT, capture_output=True).returncode == 0
