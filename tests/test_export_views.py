"""`kg export -f gexf|graphml --view VIEW`: every `kg viz` view for Gephi and Cytoscape,
each node with its IRI, class, label, colour, size and position, and the times the graph
states as GEXF time attributes. Pinned on the fixture seed corpus."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import SEED_CORPUS, invoke, run_kg

ID = "https://w3id.org/ca-film/id/"
GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"
COUNTRY_RED = {"r": 227, "g": 26, "b": 28, "a": 1.0}  # the country group's colour on the pages


def _export(built: Path, folder: Path, fmt: str, *args: str) -> Path:
    path = folder / f"{'-'.join(a.replace('/', '_') for a in args) or 'entities'}.{fmt}"
    result = invoke("--project", str(SEED_CORPUS), "export", "-f", fmt, *args, "--out", str(built), "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("views")


def test_coproduction_gexf_links_kazakhstan_to_its_partners_with_the_works(built, folder):
    path = _export(built, folder, "gexf", "--view", "coproduction")
    graph = nx.read_gexf(path)
    assert sorted(graph.neighbors("country/kazakhstan")) == [
        "country/china",
        "country/germany",
        "country/poland",
        "country/russia",
    ]
    assert graph.edges["country/china", "country/kazakhstan"]["label"] == "Ayka, I Am Waiting for You in Ili"
    assert graph.edges["country/china", "country/kazakhstan"]["weight"] == 2
    for partner in ("country/germany", "country/poland", "country/russia"):
        assert graph.edges["country/kazakhstan", partner]["label"] == "Ayka"
    kazakhstan = graph.nodes["country/kazakhstan"]
    assert kazakhstan["label"] == "Kazakhstan"
    assert kazakhstan["iri"] == ID + "country/kazakhstan"
    assert kazakhstan["cls"] == "Country" and kazakhstan["wikidata"] == "Q232"
    assert kazakhstan["viz"]["color"] == COUNTRY_RED
    assert kazakhstan["viz"]["size"] == 20.0  # four partners: the page's size for degree 4
    # the links hold from the earliest year of their works (Ayka: 2018; the series: 2025)
    assert graph.edges["country/china", "country/kazakhstan"]["start"] == "2018-01-01"
    assert "end" not in graph.edges["country/china", "country/kazakhstan"]
    assert set(graph.edges["country/kazakhstan", "country/russia"]["time_source"].split("; ")) == {
        "earliest dated fact about it: award-win/yeslyamova-cannes-2018-best-actress, date 2018-05-19"
    }


@pytest.mark.parametrize(
    "view", [("entities",), ("coproduction",), ("ego", "person/samal-yeslyamova"), ("article", "004_9d304b95c593325b")]
)
def test_every_node_has_a_numeric_position_colour_and_size_in_gexfs_viz_namespace(built, folder, view):
    """Read as XML, not through networkx: what Gephi reads is the viz namespace itself."""
    path = _export(built, folder, "gexf", "--view", *view)
    root = ET.parse(path).getroot()
    (graph,) = root.iter(f"{GEXF}graph")
    nodes = list(graph.iter(f"{GEXF}node"))
    assert nodes
    positions = set()
    for node in nodes:
        position = node.find(f"{VIZ}position")
        x, y = float(position.get("x")), float(position.get("y"))
        assert math.isfinite(x) and math.isfinite(y), node.get("id")
        positions.add((x, y))
        color = node.find(f"{VIZ}color")
        assert all(0 <= int(color.get(c)) <= 255 for c in "rgb"), node.get("id")
        assert float(node.find(f"{VIZ}size").get("value")) > 0, node.get("id")
    assert len(positions) == len(nodes)  # a layout, not every node on one spot
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"


def test_entities_gexf_gives_dated_things_their_times(built, folder):
    graph = nx.read_gexf(_export(built, folder, "gexf"))
    ayka = graph.nodes["film/ayka-2018"]
    # no article states Ayka's year: it is in the graph from 2018 by its Cannes award
    assert ayka["start"] == "2018-01-01" and "end" not in ayka
    assert ayka["time_source"] == (
        "earliest dated fact about it: award-win/yeslyamova-cannes-2018-best-actress, date 2018-05-19"
    )
    win = graph.nodes["award-win/yeslyamova-cannes-2018-best-actress"]
    assert (win["start"], win["end"], win["time_source"]) == ("2018-05-19", "2018-05-19", "date 2018-05-19")
    eurasia = graph.nodes["event/eurasia-iff-17"]
    assert (eurasia["start"], eurasia["end"]) == ("2024-11-24", "2024-11-30")
    cannes = graph.nodes["event/cannes-2018"]
    assert (cannes["start"], cannes["end"], cannes["time_source"]) == ("2018-01-01", "2018-12-31", "yearOf 2018")
    festival = graph.nodes["festival/eurasia-iff"]
    assert (festival["start"], festival["time_source"]) == ("1998-01-01", "inceptionYear 1998")
    # what nothing dates has no time: a country, a person
    assert "start" not in graph.nodes["country/kazakhstan"]
    assert "start" not in graph.nodes["person/samal-yeslyamova"]
    assert graph.edges["award-win/yeslyamova-cannes-2018-best-actress", "film/ayka-2018"]["start"] == "2018-05-19"


def test_ego_graphml_of_samal_eslyamova_holds_her_cannes_award(built, folder):
    graph = nx.read_graphml(_export(built, folder, "graphml", "--view", "ego", "Samal Eslyamova"))
    assert sorted(graph) == [
        "award-win/yeslyamova-cannes-2018-best-actress",
        "award/cannes-best-actress",
        "country/kazakhstan",
        "event/cannes-2018",
        "film/ayka-2018",
        "person/samal-yeslyamova",
    ]
    award = graph.nodes["award/cannes-best-actress"]
    assert award["label"] == "Best Actress Award (Cannes)" and award["cls"] == "Award"
    assert graph.has_edge("award-win/yeslyamova-cannes-2018-best-actress", "person/samal-yeslyamova")
    assert graph.edges["award-win/yeslyamova-cannes-2018-best-actress", "person/samal-yeslyamova"]["label"] == "awardee"
    samal = graph.nodes["person/samal-yeslyamova"]
    assert samal["iri"] == ID + "person/samal-yeslyamova" and samal["color"] == "#1f78b4"
    for node, data in graph.nodes(data=True):  # GraphML: plain attributes
        assert isinstance(data["x"], float) and isinstance(data["y"], float), node
        assert data["color"].startswith("#") and len(data["color"]) == 7, node
        assert data["size"] > 0, node
    assert graph.nodes["film/ayka-2018"]["start"] == "2018-01-01"


def test_ego_depth_and_language_reach_the_export(built, folder):
    one = nx.read_gexf(_export(built, folder, "gexf", "--view", "ego", "Самал Еслямова", "--lang", "ru"))
    assert one.nodes["country/kazakhstan"]["label"] == "Казахстан"
    two = nx.read_gexf(_export(built, folder, "gexf", "--view", "ego", "person/samal-yeslyamova", "--depth", "2"))
    assert set(one) < set(two)
    assert "person/sergey-dvortsevoy" in two and "person/sergey-dvortsevoy" not in one


def test_article_view_export_is_what_that_article_states(built, folder):
    graph = nx.read_graphml(_export(built, folder, "graphml", "--view", "article", "seeds/004_9d304b95c593325b.txt"))
    assert graph.graph["view"] == "article"
    assert "film/ayka-2018" in graph and "person/samal-yeslyamova" in graph
    assert "festival/eurasia-iff" not in graph  # article 002's festival
    assert graph.nodes["film/ayka-2018"]["degree"] > 0


def test_the_export_on_stdout_is_the_file(built, folder):
    path = _export(built, folder, "gexf", "--view", "coproduction")
    proc = run_kg("--project", str(SEED_CORPUS), "export", "-f", "gexf", "--view", "coproduction", "--out", str(built))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.encode("utf-8") == path.read_bytes()


WRONG_VIEWS = [
    (
        ("--view", "ego"),
        "error: --view ego needs an entity (an id such as person/samal-yeslyamova, or a label): "
        "kg export -f gexf --view ego ENTITY",
    ),
    (("--view", "article"), "error: --view article needs an article file: kg export -f gexf --view article FILE"),
    (
        ("--view", "coproduction", "Kazakhstan"),
        "error: --view coproduction takes no ENTITY or FILE (got 'Kazakhstan')",
    ),
    (("--view", "coproduction", "--depth", "2"), "error: --depth applies to --view ego only"),
    (("Kazakhstan",), "error: 'Kazakhstan': an ENTITY goes with --view ego, a FILE with --view article"),
    (
        ("--view", "ego", "Nobody Atall"),
        "error: no entity matches 'Nobody Atall' (give an id like person/samal-yeslyamova or a label)",
    ),
]


# Each case is a real process: the first and the last (the message kg viz prints too) in the
# fast tier, all of them in the full suite.
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(*case, marks=[] if i in (0, len(WRONG_VIEWS) - 1) else [pytest.mark.slow])
        for i, case in enumerate(WRONG_VIEWS)
    ],
)
def test_a_wrong_view_is_one_line_and_nothing_is_written(built, tmp_path, args, message):
    target = tmp_path / "g.gexf"
    proc = run_kg("--project", str(SEED_CORPUS), "export", "-f", "gexf", *args, "--out", str(built), "-o", str(target))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [message]
    assert proc.stdout == "" and not target.exists()


def test_times_come_from_the_facts_and_a_disputed_date_gives_the_earliest():
    """node_times on a small dataset: two articles date one screening differently (the
    earlier counts, whatever order the graphs come in); the film it shows, undated, takes
    that year; a year of a plan spans the whole year; a string is no date."""
    from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

    from viz.export import Time, node_times

    cafo = "https://w3id.org/ca-film/ontology#"
    graph = "https://w3id.org/ca-film/graph/"
    dataset = Dataset()
    ontology = dataset.graph(URIRef(graph + "ontology"))
    ontology.add((URIRef(cafo + "Film"), RDFS.subClassOf, URIRef(cafo + "Work")))
    film, screening, plan = URIRef(ID + "film/f"), URIRef(ID + "screening/s"), URIRef(ID + "event/p")
    dataset.graph(URIRef(graph + "entities")).add((film, RDF.type, URIRef(cafo + "Film")))
    one = dataset.graph(URIRef(graph + "article/a"))
    one.add((screening, URIRef(cafo + "date"), Literal("2019-03-02", datatype=XSD.date)))
    one.add((screening, URIRef(cafo + "screenedWork"), film))
    two = dataset.graph(URIRef(graph + "article/b"))
    two.add((screening, URIRef(cafo + "date"), Literal("2019-02-27", datatype=XSD.date)))
    two.add((plan, URIRef(cafo + "yearOf"), Literal("2030", datatype=XSD.gYear)))
    two.add((plan, URIRef(cafo + "startDate"), Literal("soon")))
    times = node_times(dataset)
    assert times == {
        screening: Time("2019-02-27", "2019-02-27", "date 2019-02-27"),
        film: Time("2019-01-01", None, "earliest dated fact about it: screening/s, date 2019-02-27"),
        plan: Time("2030-01-01", "2030-12-31", "yearOf 2030"),
    }
