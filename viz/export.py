"""`kg export --format gexf|graphml`: the entity projection for Gephi and Cytoscape.

GEXF and GraphML hold only scalar attributes, so the projection's lists (labels, facts with
their sources, an edge's relations) are flattened: readable text for people, and the same
data as JSON (`facts_json`, `relations_json`) for programs.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx

from kg.atomic import write_file
from kg.build import ensure_built, load_dataset
from kg.corpus import Corpus
from kg.errors import UsageError
from viz.network import project, without_statements

FORMATS = ("gexf", "graphml")


def _source_text(sources: list[dict]) -> str:
    return " | ".join(f"{s['article']}: \u201c{s['quote']}\u201d" for s in sources)


def flatten(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy with only str/int/bool attributes, as GEXF and GraphML need."""
    flat = nx.DiGraph()
    flat.graph.update({k: str(v) for k, v in graph.graph.items() if isinstance(v, str)})
    # nodes and edges in id order, not networkx's insertion order: the file must not depend on
    # the order the projection happened to find things in
    for node in sorted(graph, key=str):
        data = graph.nodes[node]
        facts = without_statements(data.get("facts") or [])
        flat.add_node(
            node,
            label=str(data.get("label", node)),
            cls=str(data.get("cls", "")),
            cls_label=str(data.get("cls_label", "")),
            group=str(data.get("group", "")),
            labels=" | ".join(data.get("labels") or []),
            wikidata=str(data.get("wikidata") or ""),
            facts="\n".join(f"{f['property']}: {f['value']} [{_source_text(f['sources'])}]" for f in facts),
            facts_json=json.dumps(facts, ensure_ascii=False, sort_keys=True),
            degree=int(graph.degree(node)),
        )
    for u, v in sorted(graph.edges(), key=lambda edge: (str(edge[0]), str(edge[1]))):
        data = graph.edges[u, v]
        relations = without_statements(data.get("relations") or [])
        flat.add_edge(
            u,
            v,
            label=str(data.get("label", "")),
            weight=int(data.get("weight", 1)),
            relations="\n".join(
                f"{r['label']}{' (' + '; '.join(r['details']) + ')' if r.get('details') else ''} [{_source_text(r['sources'])}]"
                for r in relations
            ),
            relations_json=json.dumps(relations, ensure_ascii=False, sort_keys=True),
        )
    return flat


def network_bytes(graph: nx.DiGraph, fmt: str) -> bytes:
    flat = flatten(graph)
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True)
        # networkx stamps today's date; drop it so the same sources give the same bytes
        return re.sub(rb' lastmodifieddate="[0-9-]*"', b"", buffer.getvalue(), count=1)
    elif fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    else:
        raise UsageError(f"unknown network format {fmt!r} (one of {', '.join(FORMATS)})")
    return buffer.getvalue()


def export_network(corpus: Corpus, fmt: str, out_dir: Path, output: Path | None, lang: str = "en") -> bytes:
    """The entity projection as GEXF or GraphML; written atomically when output is given."""
    ensure_built(corpus, out_dir)
    data = network_bytes(project(load_dataset(out_dir), lang), fmt)
    if output is not None:
        write_file(output, data)
    return data
