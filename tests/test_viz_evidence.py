"""Every fact a view or a network export shows cites exactly the quotes of the claims that
state it: no quote of another value, none missing.

The expected quotes are computed here, independently of viz/: the claims (rdf:Statement with
rdf:subject, rdf:predicate, rdf:object in graph/provenance) and their oa:exact quotes are read
from the build's graph.nq with pyoxigraph, keyed by the exact (subject, property, value),
a literal's language and datatype included. Then, for EVERY fact and relation of EVERY view
of the fixture seed graph (entities in en and ru, co-production, ego views, the article view
of each article) and of the GEXF and GraphML exports:
  - the triples the projection says it shows (`statements`) are asserted in the view's
    article graphs, and the text shown is the text of those triples (property label, value);
  - the sources shown on the page / in the export are exactly the claims' quotes of those
    triples, with the article and the editor's note;
  - no claim is left out: each claim of the view's articles is shown by some fact or relation,
    unless it is the same value in another language stated by the same quotes.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.built import load_dataset
from tests.conftest import invoke
from viz import views
from viz.page import render

pytestmark = pytest.mark.slow  # every fact of every view and export, against every claim

BASE = "https://w3id.org/ca-film/"
ID = BASE + "id/"
CAFO = BASE + "ontology#"
ARTICLE = ID + "article/"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
ARTICLES = (
    "000_84aca459143ef88d",
    "001_96dd9b9a8acb094b",
    "002_fe30f7e3a02f8faf",
    "003_6ace3f2e2b0ad3c1",
    "004_9d304b95c593325b",
)
EGOS = (("person/karl-choi", 1), ("country/kazakhstan", 1), ("film/ayka-2018", 2), ("person/samal-yeslyamova", 1))

CLAIMS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?claim ?s ?p ?o ?article ?note ?exact WHERE {
  GRAPH <https://w3id.org/ca-film/graph/provenance> {
    ?claim a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
           prov:wasDerivedFrom ?article .
    OPTIONAL { ?claim skos:editorialNote ?note }
    ?annotation oa:hasBody ?claim ; oa:hasTarget ?target .
    ?target oa:hasSelector ?selector .
    ?selector oa:exact ?exact .
  }
}
"""
ASSERTED = """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (STRSTARTS(STR(?g), "https://w3id.org/ca-film/graph/article/")
          || STRSTARTS(STR(?g), "https://w3id.org/ca-film/graph/editorial/"))
}
"""
LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label WHERE {
  { GRAPH <https://w3id.org/ca-film/graph/ontology> { ?term rdfs:label ?label } }
  UNION { GRAPH <https://w3id.org/ca-film/graph/entities> { ?term rdfs:label ?label } }
}
"""


def _rdflib(term):
    """A pyoxigraph term as the rdflib term with the same lexical form, language, datatype."""
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return URIRef(term.value)


class Provenance:
    """The claims of the build, read with pyoxigraph, and what the checks need of the rest."""

    def __init__(self, nquads: Path):
        store = ox.Store()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        # (s, p, o) -> {(article stem, quote, editorial note or "")}
        self.claims: dict[tuple, set[tuple[str, str, str]]] = defaultdict(set)
        for row in store.query(CLAIMS):
            key = (_rdflib(row["s"]), _rdflib(row["p"]), _rdflib(row["o"]))
            note = row["note"].value if row["note"] is not None else ""
            self.claims[key].add((row["article"].value[len(ARTICLE) :], row["exact"].value, note))
        # article stem -> the (s, p, o) its article and editorial graphs assert
        self.asserted: dict[str, set[tuple]] = defaultdict(set)
        for row in store.query(ASSERTED):
            stem = row["g"].value.rsplit("/", 1)[-1]
            self.asserted[stem].add((_rdflib(row["s"]), _rdflib(row["p"]), _rdflib(row["o"])))
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        for row in store.query(LABELS):
            self.labels[row["term"].value].setdefault(row["label"].language or "", row["label"].value)

    def sources(self, statements, stems) -> list[dict]:
        """What a fact showing these triples must cite, in the projection's order."""
        found = set()
        for key in statements:
            found |= {source for source in self.claims.get(key, ()) if source[0] in stems}
        out = []
        for article, quote, note in sorted(found):
            source = {"article": article, "quote": quote}
            if note:
                source["editorial"] = note
            out.append(source)
        return out

    def label(self, iri, lang: str) -> str:
        values = self.labels.get(str(iri), {})
        for choice in (lang, "en", "ru", "kk", ""):
            if values.get(choice):
                return values[choice]
        text = str(iri)
        return text[len(ID) :] if text.startswith(ID) else text.rsplit("#", 1)[-1]

    def text(self, value, lang: str) -> str:
        """A value as a view shows it: a literal's text (its language marked when it is not
        the page's), an ontology individual's or an entity's label."""
        if isinstance(value, Literal):
            return f"{value} ({value.language})" if value.language and value.language != lang else str(value)
        return self.label(value, lang)


@pytest.fixture(scope="module")
def prov(built) -> Provenance:
    return Provenance(built / "graph.nq")


@pytest.fixture(scope="module")
def dataset(built):
    return load_dataset(built)


def _iri(node: str) -> URIRef:
    return URIRef(ID + node)


class Checker:
    """Checks every fact and relation of views against the provenance; counts them."""

    def __init__(self, prov: Provenance):
        self.prov = prov
        self.checked = 0

    def item(
        self, item: dict, shown: dict, ends: set, text: str, stems, lang: str, where: str, coproduction: bool
    ) -> list[tuple]:
        """One fact or relation: `item` from the projection (with its statements), `shown`
        the same as the page or export has it, `ends` the drawn nodes it belongs to."""
        statements = item["statements"]
        asserted = set().union(*(self.prov.asserted[s] for s in stems))
        assert statements, where
        for statement in statements:
            assert statement in asserted, f"{where}: shows {statement}, which no article of the view states"
        expected = self.prov.sources(statements, stems)
        assert shown["sources"] == expected, f"{where}: {shown['sources']} != {expected}"
        assert {k: v for k, v in shown.items() if k != "sources"} == {
            k: v for k, v in item.items() if k not in ("sources", "statements")
        }, where
        if coproduction:  # a work's production countries: these countries, that work's name
            (work,) = {s for s, _p, _o in statements}
            assert {p for _s, p, _o in statements} == {URIRef(CAFO + "productionCountry")}, where
            assert {o for _s, _p, o in statements} == ends, where
            assert text == self.prov.label(work, lang), where
            self.checked += 1
            return statements
        # the text shown is the text of the triples it shows
        middle = {s for s, _p, _o in statements if s not in ends}
        assert len(middle) <= 1, f"{where}: statements about several n-ary nodes {middle}"
        for s, _p, o in statements:
            assert s in ends or s in middle, where
            if s in ends and middle:
                assert o in middle, f"{where}: {s} {o} links no n-ary node"
            if o in ends or (isinstance(o, Literal) and str(o.datatype) == XSD_BOOLEAN):
                continue
            if o in middle:
                continue
            wanted = self.prov.text(o, lang)
            assert wanted in text, f"{where}: {wanted!r} not in {text!r}"
        if middle:  # an n-ary node shown as one fact or link: every value it has is shown
            (node,) = middle
            for s, p, o in asserted:
                if s == node and p != RDF_TYPE and (isinstance(o, Literal) or str(o).startswith(CAFO)):
                    assert (s, p, o) in statements or self.translation((s, p, o), statements, stems, lang), (
                        f"{where}: {(s, p, o)} of {node} not shown"
                    )
        self.checked += 1
        return statements

    def translation(self, key, shown_statements, stems, lang) -> bool:
        """A value left out because a shown value of the same subject and property, in the
        page's preferred language, is stated by the same quotes (and more)."""
        s, p, o = key
        if not (isinstance(o, Literal) and o.language and o.language != lang):
            return False
        mine = {src for src in self.prov.claims.get(key, ()) if src[0] in stems}
        for s2, p2, o2 in shown_statements:
            if (s2, p2) == (s, p) and isinstance(o2, Literal) and o2.language and o2.language != o.language:
                theirs = {src for src in self.prov.claims.get((s2, p2, o2), ()) if src[0] in stems}
                if mine and mine <= theirs:
                    return True
        return False

    def view(self, graph: nx.Graph, page: dict, stems, lang: str, name: str, complete: bool = True) -> None:
        """Every node's facts and every link's relations of one view, on its page too."""
        assert set(page["nodes"]) == set(graph.nodes), name
        assert len(page["edges"]) == graph.number_of_edges(), name
        assert all(graph.has_edge(u, v) for u, v in page["edges"]), name
        shown_statements = set()
        coproduction = graph.graph["view"] == "coproduction"
        for node, data in graph.nodes(data=True):
            facts = page["nodes"][node]["facts"]
            assert len(facts) == len(data["facts"]), f"{name} {node}"
            for fact, shown in zip(data["facts"], facts, strict=True):
                where = f"{name}: {node} {fact['property']}: {fact['value']}"
                text = fact["value"]
                statements = self.item(fact, shown, {_iri(node)}, text, stems, lang, where, coproduction)
                shown_statements.update(statements)
        for u, v, data in graph.edges(data=True):
            relations = page["edges"][(u, v)] if (u, v) in page["edges"] else page["edges"][(v, u)]
            assert len(relations) == len(data["relations"]), f"{name} {u} {v}"
            for relation, shown in zip(data["relations"], relations, strict=True):
                where = f"{name}: {u} -> {v} {relation['label']}"
                text = relation["label"] if coproduction else "; ".join([relation["label"], *relation["details"]])
                ends = {_iri(u), _iri(v)}
                statements = self.item(relation, shown, ends, text, stems, lang, where, coproduction)
                if len(statements) == 1 and not coproduction:
                    # a direct relation: the link goes from its subject to its object
                    ((s, p, o),) = statements
                    assert (s, o) == (_iri(u), _iri(v)) and relation["label"] == self.prov.label(p, lang), where
                shown_statements.update(statements)
        if complete:  # no fewer: every claim of the view's articles is shown somewhere
            stated = set().union(*(self.prov.asserted[s] for s in stems))
            for key, sources in self.prov.claims.items():
                if key[1] == RDF_TYPE or not any(src[0] in stems for src in sources):
                    continue
                # a claim whose triple no article graph states is not a fact to draw: a plan
                # (status Planned, ...) or the article's own metadata (dateline, cited source)
                if key not in stated:
                    continue
                if coproduction and not str(key[1]).endswith("#productionCountry"):
                    continue
                assert key in shown_statements or self.translation(key, shown_statements, stems, lang), (
                    f"{name}: the claim {key} is shown nowhere"
                )


def _page_data(html: str) -> dict:
    """What the page shows: each node's facts and each link's relations, from its JSON."""

    def block(name):
        found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
        return json.loads(found.group(1))

    nodes = {item["id"]: item["info"] for item in block("kg-nodes")}
    edges = {(item["from"], item["to"]): item["info"]["relations"] for item in block("kg-edges")}
    return {"nodes": nodes, "edges": edges}


def _export_data(path: Path, fmt: str) -> dict:
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    nodes = {n: {"facts": json.loads(d["facts_json"]), "text": d.get("facts", "")} for n, d in graph.nodes(data=True)}
    edges = {(u, v): json.loads(d["relations_json"]) for u, v, d in graph.edges(data=True)}
    texts = {(u, v): d.get("relations", "") for u, v, d in graph.edges(data=True)}
    return {"nodes": nodes, "edges": edges, "texts": texts}


def _cited(sources: list[dict]) -> str:
    return " | ".join(f"{s['article']}: \u201c{s['quote']}\u201d" for s in sources)


@pytest.fixture(scope="module")
def karl_choi() -> str:
    result = invoke("entities", "search", "Karl Choi")
    assert result.exit_code == 0, result.output
    return result.output.split()[0]


def test_every_fact_of_every_view_cites_exactly_its_claims(dataset, prov, built, tmp_path_factory, capsys):
    checker = Checker(prov)
    every = set(ARTICLES)
    for lang in ("en", "ru"):
        graph = views.view_graph(dataset, "entities", lang)
        checker.view(graph, _page_data(render(graph)), every, lang, f"entities/{lang}")
    graph = views.view_graph(dataset, "coproduction", "en")
    checker.view(graph, _page_data(render(graph)), every, "en", "coproduction")
    for entity, depth in EGOS:
        graph = views.view_graph(dataset, "ego", "en", entity=entity, depth=depth)
        assert graph.graph["focus"] == entity
        checker.view(graph, _page_data(render(graph)), every, "en", f"ego {entity}", complete=False)
    for stem in ARTICLES:
        graph = views.view_graph(dataset, "article", "en", article=stem)
        assert set(graph.graph["articles"]) == {stem}
        checker.view(graph, _page_data(render(graph)), {stem}, "en", f"article {stem}")

    # the page kg viz writes is the page checked above
    out = tmp_path_factory.mktemp("evidence")
    result = invoke("viz", "entities", "--out", str(built), "-o", str(out / "entities.html"))
    assert result.exit_code == 0, result.output
    entities = views.view_graph(dataset, "entities", "en")
    assert (out / "entities.html").read_text(encoding="utf-8") == render(entities)

    # GEXF and GraphML as kg export writes them: JSON and text attributes
    for fmt in ("gexf", "graphml"):
        path = out / f"graph.{fmt}"
        result = invoke("export", "--format", fmt, "--out", str(built), "-o", str(path))
        assert result.exit_code == 0, result.output
        exported = _export_data(path, fmt)
        checker.view(entities, exported, every, "en", fmt)
        for node, data in entities.nodes(data=True):
            lines = [
                f"{f['property']}: {f['value']} [{_cited(prov.sources(f['statements'], every))}]" for f in data["facts"]
            ]
            assert exported["nodes"][node]["text"] == "\n".join(lines), f"{fmt} {node}"
        for u, v, data in entities.edges(data=True):
            lines = [
                f"{r['label']}{' (' + '; '.join(r['details']) + ')' if r['details'] else ''}"
                f" [{_cited(prov.sources(r['statements'], every))}]"
                for r in data["relations"]
            ]
            assert exported["texts"][(u, v)] == "\n".join(lines), f"{fmt} {u} {v}"
    with capsys.disabled():
        print(f"\n[evidence] facts and relations checked against the provenance graph: {checker.checked}")
    assert checker.checked > 1000


def test_every_view_exported_for_gephi_cites_exactly_its_claims(dataset, prov, built, tmp_path):
    """`kg export -f gexf|graphml --view VIEW`: the same facts, relations and quotes as the
    view's page, for every view the export offers (the entities view is checked above)."""
    checker = Checker(prov)
    every = set(ARTICLES)
    cases = [("coproduction", (), views.view_graph(dataset, "coproduction", "en"), every, True, "en")]
    cases.append(("entities", ("--lang", "ru"), views.view_graph(dataset, "entities", "ru"), every, True, "ru"))
    for entity, depth in EGOS:
        graph = views.view_graph(dataset, "ego", "en", entity=entity, depth=depth)
        cases.append(("ego", (entity, "--depth", str(depth)), graph, every, False, "en"))
    for stem in ARTICLES:
        graph = views.view_graph(dataset, "article", "en", article=stem)
        cases.append(("article", (f"seeds/{stem}.txt",), graph, {stem}, True, "en"))
    for fmt in ("gexf", "graphml"):
        for i, (view, args, graph, stems, complete, lang) in enumerate(cases):
            path = tmp_path / f"{i}.{fmt}"
            result = invoke("export", "-f", fmt, "--view", view, *args, "--out", str(built), "-o", str(path))
            assert result.exit_code == 0, result.output
            exported = _export_data(path, fmt)
            name = f"{fmt} --view {view} {' '.join(args)}"
            checker.view(graph, exported, stems, lang, name, complete=complete)
            for node, data in graph.nodes(data=True):
                lines = [
                    f"{f['property']}: {f['value']} [{_cited(prov.sources(f['statements'], stems))}]"
                    for f in data["facts"]
                ]
                assert exported["nodes"][node]["text"] == "\n".join(lines), f"{name} {node}"
            for u, v, data in graph.edges(data=True):
                lines = [
                    f"{r['label']}{' (' + '; '.join(r['details']) + ')' if r['details'] else ''}"
                    f" [{_cited(prov.sources(r['statements'], stems))}]"
                    for r in data["relations"]
                ]
                text = exported["texts"].get((u, v), exported["texts"].get((v, u)))
                assert text == "\n".join(lines), f"{name} {u} {v}"
    assert checker.checked > 1000


def _quotes(facts: list[dict], prop: str, value: str) -> set[str]:
    (fact,) = [f for f in facts if f["property"] == prop and f["value"] == value]
    return {s["quote"] for s in fact["sources"]}


# Both facts now state one triple, occupation: the concept occupation/film-producer ("Hollywood"
# is the qualifier on the claims of the first two quotes): the fact cites all three quotes,
# and nothing else - not his descriptions' quotes.
HOLLYWOOD = {"а также голливудский продюсер Карл Чой", "Ещё один гость Шымкента — голливудский продюсер Карл Чой"}
PRODUCER = {"Карл Чой, продюсер"}
DOZENS = {"реализовал десятки успешных международных проектов"}
STARS = {"сотрудничал с мировыми звёздами"}


def test_karl_choi_occupation_and_each_description_cite_only_their_own_quotes(dataset, built, karl_choi, tmp_path):
    assert karl_choi == "person/karl-choi"
    for view, lang in (("entities", "en"), ("article", "en"), ("ego", "en")):
        graph = views.view_graph(dataset, view, lang, entity=karl_choi, article=ARTICLES[0])
        facts = graph.nodes[karl_choi]["facts"]
        assert _quotes(facts, "occupation", "film producer") == HOLLYWOOD | PRODUCER
        assert _quotes(facts, "description", "has delivered dozens of successful international projects") == DOZENS
        assert _quotes(facts, "description", "has worked with world stars") == STARS
        page = _page_data(render(graph))["nodes"][karl_choi]["facts"]
        assert _quotes(page, "occupation", "film producer") == HOLLYWOOD | PRODUCER
    ru = views.view_graph(dataset, "entities", "ru").nodes[karl_choi]["facts"]
    assert _quotes(ru, "род занятий", "продюсер") == HOLLYWOOD | PRODUCER
    for fmt in ("gexf", "graphml"):
        path = tmp_path / f"graph.{fmt}"
        assert invoke("export", "--format", fmt, "--out", str(built), "-o", str(path)).exit_code == 0
        facts = _export_data(path, fmt)["nodes"][karl_choi]["facts"]
        assert _quotes(facts, "occupation", "film producer") == HOLLYWOOD | PRODUCER
        assert _quotes(facts, "description", "has delivered dozens of successful international projects") == DOZENS
