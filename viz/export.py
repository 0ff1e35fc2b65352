"""`kg export --format gexf|graphml [--view VIEW]`: any `kg viz` view for Gephi and Cytoscape.

The graph is the one `kg viz VIEW` draws (viz.views.view_graph), so an export and a page
never disagree. GEXF and GraphML hold only scalar attributes, so the projection's lists
(labels, facts with their sources, an edge's relations) are flattened: readable text for
people, and the same data as JSON (`facts_json`, `relations_json`) for programs.

Each node also carries what a drawing needs: its IRI, class, label, colour and size (as on
the page) and a position (viz.layout, the page's static layout). GEXF puts colour, size and
position in its viz namespace (what Gephi reads); GraphML has them as plain attributes
(x, y, color, size). Times the graph states become GEXF time attributes (see `node_times`).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Literal, URIRef

from kg.atomic import write_file
from kg.built import OpenBuild
from kg.errors import UnknownChoice, UsageError
from kg.iris import CAFO, GRAPH_ENTITIES, GRAPH_ONTOLOGY, ID
from kg.vocab import CAFO_WORK, RDF_TYPE, RDFS_SUB_CLASS_OF
from viz.network import FACT_GRAPH_PREFIXES, GROUP_BY_KEY, short_id, without_statements

FORMATS = ("gexf", "graphml")

_YEAR = re.compile(r"^[0-9]{4}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, order=True)
class Time:
    """When a node or link holds, as GEXF dates (timeformat "date"): `end` None is open."""

    start: str
    end: str | None
    source: str  # what it comes from, e.g. "date of award-win/x": shown, so nothing is hidden


def _source_text(sources: list[dict[str, str]]) -> str:
    return " | ".join(f"{s['article']}: \u201c{s['quote']}\u201d" for s in sources)


def _iri(node: str) -> str:
    return node if "://" in node else ID + node


def _hex_rgb(color: str) -> dict[str, int]:
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16)}


def _own_time(values: dict[str, str]) -> Time | None:
    """A node's own time from its date properties, the most precise first: a day (cafo:date),
    a span (start and end dates), the year of an event or plan (the whole year), a work's
    year or a founding year (from then on). `source` names the property and its value."""
    if "date" in values:
        return Time(values["date"], values["date"], f"date {values['date']}")
    if "startDate" in values:
        end = values.get("endDate")
        return Time(values["startDate"], end, f"startDate {values['startDate']}" + (f", endDate {end}" if end else ""))
    if "yearOf" in values:
        return Time(f"{values['yearOf']}-01-01", f"{values['yearOf']}-12-31", f"yearOf {values['yearOf']}")
    for prop in ("year", "inceptionYear"):
        if prop in values:
            return Time(f"{values[prop]}-01-01", None, f"{prop} {values[prop]}")
    return None


def node_times(dataset: Dataset) -> dict[URIRef, Time]:
    """The time of every thing the stated facts date, by IRI.

    A thing's own dates come first (cafo:date, startDate/endDate, yearOf, year,
    inceptionYear). A work no fact dates takes the earliest date of the dated facts about it
    (an award won for it, a screening, a planned release): from the start of that year,
    open-ended, with that fact named in `source` - Ayka, whose year no article states, from
    2018 by its Cannes award of 19 May 2018. Years become dates (2018 -> 2018-01-01) so
    that one GEXF time format ("date") holds both."""
    wanted = {CAFO[p] for p in ("date", "startDate", "endDate", "yearOf", "year", "inceptionYear")}
    values: dict[URIRef, dict[str, str]] = {}
    referrers: dict[URIRef, set[URIRef]] = {}
    for graph in dataset.graphs():
        if not str(graph.identifier).startswith(FACT_GRAPH_PREFIXES):
            continue
        for s, p, o in graph:
            if p in wanted and isinstance(o, Literal) and isinstance(s, URIRef):
                text = str(o)
                if _DATE.match(text) or _YEAR.match(text):
                    # two articles may date one thing differently: the earliest, whatever
                    # order the graphs come in
                    own, prop = values.setdefault(s, {}), str(p)[len(str(CAFO)) :]
                    own[prop] = min(own.get(prop, text[:10]), text[:10])
            elif isinstance(o, URIRef) and isinstance(s, URIRef) and p != RDF_TYPE:
                referrers.setdefault(o, set()).add(s)
    times: dict[URIRef, Time] = {}
    for iri, own in values.items():
        found = _own_time(own)
        if found is not None:
            times[iri] = found
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    works = {str(c) for c in ontology.transitive_subjects(RDFS_SUB_CLASS_OF, CAFO_WORK)}
    for iri in sorted(referrers):
        classes = {str(c) for c in dataset.graph(GRAPH_ENTITIES).objects(iri, RDF_TYPE)}
        if iri in times or not classes & works:
            continue
        # the earliest year; within it, a fact dated to the day before one dated to a year
        dated = sorted(
            (times[r].start[:4], not times[r].source.startswith("date "), times[r].start, short_id(r), times[r].source)
            for r in referrers.get(iri, ())
            if r in times
        )
        if dated:
            year, _rough, _start, fact, source = dated[0]
            times[iri] = Time(f"{year}-01-01", None, f"earliest dated fact about it: {fact}, {source}")
    return times


def _edge_time(data: dict[str, Any], times: dict[URIRef, Time]) -> Time | None:
    """A link holds from the earliest time of what its relations are about (the works of a
    co-production link, the n-ary fact folded into it, the subject of a direct relation);
    it ends only when every one of them ends."""
    subjects = {s for r in data.get("relations") or [] for s, _p, _o in r.get("statements") or []}
    found = sorted(times[s] for s in subjects if s in times)
    if not found:
        return None
    ends = [t.end for t in found if t.end]
    end = max(ends) if len(ends) == len(found) else None
    return Time(found[0].start, end, "; ".join(dict.fromkeys(t.source for t in found)))


def flatten(graph: nx.Graph, times: dict[URIRef, Time] | None = None, fmt: str = "gexf") -> nx.DiGraph:
    """A copy with only str/int/float attributes (GraphML) plus GEXF's viz and time fields."""
    from viz.layout import positions
    from viz.page import _node_size

    times = times or {}
    where = positions(graph)
    flat = nx.DiGraph() if graph.is_directed() else nx.Graph()
    flat.graph.update({k: str(v) for k, v in graph.graph.items() if isinstance(v, str)})
    # nodes and edges in id order, not networkx's insertion order: the file must not depend on
    # the order the projection happened to find things in
    for node in sorted(graph, key=str):
        data = graph.nodes[node]
        facts = without_statements(data.get("facts") or [])
        group = GROUP_BY_KEY.get(data.get("group", "other"), GROUP_BY_KEY["other"])
        size = _node_size(graph.degree(node), group.small)
        x, y = where[node]
        attrs = dict(
            label=str(data.get("label", node)),
            iri=_iri(node),
            cls=str(data.get("cls", "")),
            cls_label=str(data.get("cls_label", "")),
            group=str(data.get("group", "")),
            labels=" | ".join(data.get("labels") or []),
            wikidata=str(data.get("wikidata") or ""),
            facts="\n".join(f"{f['property']}: {f['value']} [{_source_text(f['sources'])}]" for f in facts),
            facts_json=json.dumps(facts, ensure_ascii=False, sort_keys=True),
            degree=int(graph.degree(node)),
        )
        time = times.get(URIRef(_iri(node)))
        if fmt == "gexf":
            attrs["viz"] = {
                "color": {**_hex_rgb(group.color), "a": 1.0},
                "size": size,
                "position": {"x": float(x) + 0.0, "y": float(y) + 0.0, "z": 0.0},  # + 0.0: no "-0.0"
            }
        else:
            attrs.update(x=float(x) + 0.0, y=float(y) + 0.0, color=group.color, size=float(size))
        _add_time(attrs, time)
        flat.add_node(node, **attrs)
    for u, v in sorted(graph.edges(), key=lambda edge: (str(edge[0]), str(edge[1]))):
        data = graph.edges[u, v]
        relations = without_statements(data.get("relations") or [])
        attrs = dict(
            label=str(data.get("label", "")),
            weight=int(data.get("weight", 1)),
            relations="\n".join(
                f"{r['label']}{' (' + '; '.join(r['details']) + ')' if r.get('details') else ''} [{_source_text(r['sources'])}]"
                for r in relations
            ),
            relations_json=json.dumps(relations, ensure_ascii=False, sort_keys=True),
        )
        _add_time(attrs, _edge_time(data, times))
        flat.add_edge(u, v, **attrs)
    return flat


def _add_time(attrs: dict[str, Any], time: Time | None) -> None:
    """GEXF start/end (networkx writes them as time attributes, mode dynamic, timeformat date)
    and the same as plain text for GraphML and for people: `time_source` says where it is from."""
    if time is None:
        return
    attrs["start"] = time.start
    if time.end:
        attrs["end"] = time.end
    attrs["time_source"] = time.source


def network_bytes(graph: nx.Graph, fmt: str, times: dict[URIRef, Time] | None = None) -> bytes:
    if fmt not in FORMATS:
        raise UnknownChoice("network format", fmt, FORMATS)
    flat = flatten(graph, times, fmt)
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True)
        # networkx stamps today's date; drop it so the same sources give the same bytes
        return re.sub(rb' lastmodifieddate="[0-9-]*"', b"", buffer.getvalue(), count=1)
    nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def export_network(
    open_build: OpenBuild,
    fmt: str,
    output: Path | None,
    view: str = "entities",
    target: str | None = None,
    lang: str = "en",
    depth: int = 1,
) -> bytes:
    """A `kg viz` view as GEXF or GraphML; written atomically when output is given. `target`
    is the ego view's entity or the article view's file. open_build (kg.built) is called
    once the options are known good."""
    from viz.views import VIEWS, view_graph

    if view not in VIEWS:
        raise UnknownChoice("view", view, VIEWS)
    if view in ("ego", "article") and not target:
        what = "an entity (an id such as person/samal-yeslyamova, or a label)" if view == "ego" else "an article file"
        raise UsageError(
            f"--view {view} needs {what}: kg export -f {fmt} --view {view} {'ENTITY' if view == 'ego' else 'FILE'}"
        )
    if view not in ("ego", "article") and target:
        raise UsageError(f"--view {view} takes no ENTITY or FILE (got {target!r})")
    dataset = open_build().dataset()
    graph = view_graph(dataset, view, lang, entity=target, depth=depth, article=target)
    data = network_bytes(graph, fmt, node_times(dataset))
    if output is not None:
        write_file(output, data)
    return data
