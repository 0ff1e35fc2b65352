"""`kg show ENTITY`: everything the graph knows about one entity, like a Wikidata item page
with the evidence beside each fact.

The page is read from the build's Oxigraph store by index look-ups (no SPARQL, no scan):
the entity's labels, class and Wikidata link from graph/entities; every stated triple with the
entity as subject or object from the article and editorial graphs; for each triple, the claims
in graph/provenance that reify it (rdf:subject/predicate/object), their article
(prov:wasDerivedFrom, named by its schema:headline in graph/meta, else its file stem), their
status (cafo:status on the claim, where a mapping gives one), the editor's note of a
judgement, and the verbatim quotes of their annotations (oa:hasBody claim -> oa:hasTarget ->
oa:hasSelector -> oa:exact).

An n-ary node the entity is part of (an award won, a performance, a position held...) says
nothing alone, so it is folded: shown with all its other facts (the award, the work, the
event, the date) and their quotes, where a plain triple view would show a bare IRI.

Everything is sorted, so the same build gives the same bytes in every format.

JSON shape (`--format json`), stable:

    {"id": "person/x", "iri": "...", "label": "...", "lang": "en",
     "labels": {"en": [...], "ru": [...]}, "alt_labels": {"en": [...]},
     "classes": [{"id": "cafo:Person", "iri": "...", "label": "person"}],
     "wikidata": [{"id": "Q..", "iri": "http://www.wikidata.org/entity/Q..",
                   "url": "https://www.wikidata.org/wiki/Q.."}],
     "facts": [FACT, ...]}
    FACT = {"direction": "out" | "in",   # out: ENTITY property value; in: value property ENTITY
            "property": {"id": "cafo:awardee", "iri": "...", "label": "awardee"},
            "value": {"id": "film/x", "iri": "...", "label": "..."}       # a node
                   | {"literal": "2018-05-19", "lang": null, "datatype": "xsd:date"},
            "status": [{"id": "cafo:planned", "iri": "...", "label": "planned"}],
            "editorial": ["the editor's note", ...],                       # a judgement
            "evidence": [{"article": "article/STEM", "title": "...", "quote": "...",
                          "start": 982, "end": 1130}],
            "node": null | {"id", "iri", "label", "classes", "facts": [FACT, ...]}}  # folded n-ary
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kg.built import Build
from kg.errors import UsageError
from kg.iris import AMOUNT_KIND, CONCEPT, GRAPH, ID, NODE_KINDS, PREFIXES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
OA = PREFIXES["oa"]
PROV = PREFIXES["prov"]
SCHEMA = PREFIXES["schema"]
CAFO = PREFIXES["cafo"]
OWL_SAMEAS = PREFIXES["owl"] + "sameAs"
WIKIDATA = PREFIXES["wd"]

FORMATS = ("text", "json", "turtle")
LANGS = ("en", "ru", "kk")
FACT_GRAPHS = (GRAPH + "article/", GRAPH + "editorial/")
NODE_PREFIXES = tuple(f"{ID}{kind}/" for kind in (*NODE_KINDS, AMOUNT_KIND))
MAX_FOLD_DEPTH = 2  # an award win inside a position held: deeper nesting is shown by id

# Headings of the text page, per language (the vocabulary's own labels come from the graph).
WORDS = {
    "en": {
        "labels": "Labels",
        "alt": "Also known as",
        "class": "class",
        "wikidata": "Wikidata",
        "no_wikidata": "no Wikidata link",
        "out": "Statements",
        "in": "Referenced by (subject —property→ this)",
        "none": "(nothing)",
        "status": "status",
        "editorial": "editor's judgement",
        "no_quote": "(no quote)",
    },
    "ru": {
        "labels": "Названия",
        "alt": "Другие названия",
        "class": "класс",
        "wikidata": "Викиданные",
        "no_wikidata": "нет ссылки на Викиданные",
        "out": "Утверждения",
        "in": "Ссылки сюда (субъект —свойство→ эта сущность)",
        "none": "(ничего)",
        "status": "статус",
        "editorial": "суждение редактора",
        "no_quote": "(без цитаты)",
    },
    "kk": {
        "labels": "Атаулары",
        "alt": "Басқа атаулары",
        "class": "класы",
        "wikidata": "Уикидеректер",
        "no_wikidata": "Уикидеректерге сілтеме жоқ",
        "out": "Деректер",
        "in": "Осында сілтейтіндер (субъект —қасиет→ осы)",
        "none": "(ештеңе)",
        "status": "мәртебесі",
        "editorial": "редактордың пайымы",
        "no_quote": "(дәйексөзсіз)",
    },
}


@dataclass(frozen=True, order=True)
class Evidence:
    """One quote that states a fact, with the article it is in."""

    article: str  # short id, article/STEM
    start: int | None
    end: int | None
    quote: str
    title: str

    def as_json(self) -> dict:
        return {"article": self.article, "title": self.title, "quote": self.quote, "start": self.start, "end": self.end}


@dataclass
class Fact:
    """One triple about the entity (or about a folded node), with what the claims say of it."""

    direction: str  # "out": subject is the entity; "in": the entity is the object
    prop: dict
    value: dict
    sort_key: tuple
    status: list[dict] = field(default_factory=list)
    editorial: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    node: dict | None = None
    node_facts: list[Fact] = field(default_factory=list)

    def as_json(self) -> dict:
        node = None
        if self.node is not None:
            node = {**self.node, "facts": [f.as_json() for f in self.node_facts]}
        return {
            "direction": self.direction,
            "property": self.prop,
            "value": self.value,
            "status": self.status,
            "editorial": self.editorial,
            "evidence": [e.as_json() for e in self.evidence],
            "node": node,
        }


@dataclass
class Page:
    """Everything shown about one entity."""

    iri: str
    lang: str
    label: str
    labels: dict[str, list[str]]
    alt_labels: dict[str, list[str]]
    classes: list[dict]
    wikidata: list[dict]
    facts: list[Fact]
    triples: list[tuple] = field(default_factory=list)  # pyoxigraph (s, p, o) for --format turtle

    def as_json(self) -> dict:
        return {
            "id": short_id(self.iri),
            "iri": self.iri,
            "label": self.label,
            "lang": self.lang,
            "labels": self.labels,
            "alt_labels": self.alt_labels,
            "classes": self.classes,
            "wikidata": self.wikidata,
            "facts": [f.as_json() for f in self.facts],
        }


def short_id(iri: str) -> str:
    """person/x for the project's IRIs and occupation/actor for a concept (as mappings write
    them), cafo:Person for a vocabulary term, else the IRI."""
    if iri.startswith(ID):
        return iri[len(ID) :]
    if iri.startswith(CONCEPT):
        return iri[len(CONCEPT) :]
    if iri.startswith(GRAPH):
        return "graph/" + iri[len(GRAPH) :]
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and prefix not in ("article", "claim", "evidence", "graph"):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


# -- finding the entity ------------------------------------------------------------------


def resolve(store, text: str) -> str:
    """The IRI ENTITY names: an id (person/x, award-win/x), a prefixed name, a full IRI, or a
    label or alias in any script, typos forgiven - the resolution of `kg query --bind` and
    `kg viz ego` (kg.registry.rank and best_hits). An ambiguous label lists the candidates,
    a name of nothing gives a did-you-mean: both UsageError (exit 2), one line."""
    import pyoxigraph

    from kg.errors import LabelMiss
    from kg.query import _did_you_mean, _exists, bind_term, entity_named

    wanted = text.strip()
    if not wanted:
        raise UsageError("kg show: give an entity id (person/samal-yeslyamova) or a label")
    term = bind_term(wanted)
    if isinstance(term, pyoxigraph.NamedNode):
        if _exists(store, term.value):
            return term.value
        raise UsageError(f"{wanted!r} names nothing in the graph{_did_you_mean(store, term.value)}")
    try:
        return entity_named(store, wanted)
    except LabelMiss as miss:
        raise UsageError(str(miss)) from None


# -- reading the store -------------------------------------------------------------------


class _Reader:
    """Index look-ups on the build's store, with the labels and articles it has read kept."""

    def __init__(self, store, lang: str):
        import pyoxigraph

        self.ox = pyoxigraph
        self.store = store
        self.lang = lang
        self._labels: dict[str, dict[str, list[str]]] = {}
        self._titles: dict[str, str] = {}

    def node(self, iri: str):
        return self.ox.NamedNode(iri)

    def quads(self, s=None, p=None, o=None, graph: str | None = None):
        """Quads in named graphs only (the default graph repeats their union)."""
        g = self.node(graph) if graph else None
        for q in self.store.quads_for_pattern(s, p, o, g):
            if isinstance(q.graph_name, self.ox.NamedNode):
                yield q

    def fact_quads(self, s=None, p=None, o=None):
        """Stated triples: those of the article and editorial graphs (not the registry,
        the ontology, provenance, or anything inferred)."""
        for q in self.quads(s, p, o):
            if q.graph_name.value.startswith(FACT_GRAPHS):
                yield q

    def objects(self, subject: str, predicate: str, graph: str | None = None) -> list:
        found = {q.object for q in self.quads(self.node(subject), self.node(predicate), None, graph)}
        return sorted(found, key=str)

    def texts(self, subject: str, predicate: str, graph: str | None = None) -> dict[str, list[str]]:
        """Literal values by language tag ("" for none), each list sorted."""
        out: dict[str, set[str]] = {}
        for term in self.objects(subject, predicate, graph):
            if isinstance(term, self.ox.Literal):
                out.setdefault(term.language or "", set()).add(term.value)
        return {lang: sorted(values) for lang, values in sorted(out.items())}

    def pick(self, by_lang: dict[str, list[str]]) -> str | None:
        """The text in the page's language, else English, Russian, Kazakh, untagged, any."""
        for lang in (self.lang, *LANGS, ""):
            if by_lang.get(lang):
                return by_lang[lang][0]
        for _lang, values in sorted(by_lang.items()):
            if values:
                return values[0]
        return None

    def labels(self, iri: str) -> dict[str, list[str]]:
        if iri not in self._labels:
            self._labels[iri] = self.texts(iri, RDFS + "label")
        return self._labels[iri]

    def label(self, iri: str) -> str:
        return self.pick(self.labels(iri)) or short_id(iri)

    def term(self, iri: str) -> dict:
        return {"id": short_id(iri), "iri": iri, "label": self.label(iri)}

    def classes(self, iri: str) -> list[dict]:
        """Asserted classes (registry, article graphs), not the inferred closure."""
        found = {
            q.object.value
            for q in self.quads(self.node(iri), self.node(RDF + "type"), None)
            if isinstance(q.object, self.ox.NamedNode)
            and (q.graph_name.value.startswith(FACT_GRAPHS) or q.graph_name.value == GRAPH + "entities")
        }
        return sorted((self.term(c) for c in found), key=lambda t: (t["label"], t["iri"]))

    def title(self, article: str) -> str:
        """An article's display title: its headline (or name) in graph/meta, else its stem."""
        if article not in self._titles:
            title = None
            for predicate in (SCHEMA + "headline", SCHEMA + "name", PREFIXES["dcterms"] + "title", RDFS + "label"):
                title = self.pick(self.texts(article, predicate))
                if title:
                    break
            self._titles[article] = title or article.rsplit("/", 1)[-1]
        return self._titles[article]

    def value(self, term) -> tuple[dict, tuple]:
        """A fact's value as JSON data, and its sort key (label first, then identity)."""
        if isinstance(term, self.ox.NamedNode):
            data = self.term(term.value)
            return data, (0, data["label"].casefold(), term.value)
        if isinstance(term, self.ox.Literal):
            datatype = None
            if term.datatype is not None and term.datatype.value != RDF + "langString":
                datatype = short_id(term.datatype.value)
            if datatype == "xsd:string":
                datatype = None
            data = {"literal": term.value, "lang": term.language, "datatype": datatype}
            return data, (1, term.value.casefold(), term.language or "", datatype or "")
        return {"literal": str(term), "lang": None, "datatype": None}, (2, str(term), "", "")

    def claims(self, s, p, o) -> list[str]:
        """The rdf:Statement claims in graph/provenance that reify this triple."""
        prov = GRAPH + "provenance"
        by_subject = {q.subject for q in self.quads(None, self.node(RDF + "subject"), s, prov)}
        if not by_subject:
            return []
        by_predicate = {q.subject for q in self.quads(None, self.node(RDF + "predicate"), p, prov)}
        by_object = {q.subject for q in self.quads(None, self.node(RDF + "object"), o, prov)}
        return sorted(c.value for c in by_subject & by_predicate & by_object if isinstance(c, self.ox.NamedNode))

    def evidence(self, claim: str) -> list[Evidence]:
        """The quotes of a claim's annotations, with their article and offsets."""
        prov = GRAPH + "provenance"
        found = set()
        articles = [a.value for a in self.objects(claim, PROV + "wasDerivedFrom", prov)]
        for annotation in self.quads(None, self.node(OA + "hasBody"), self.node(claim), prov):
            for target in self.objects(annotation.subject.value, OA + "hasTarget", prov):
                source = [a.value for a in self.objects(target.value, OA + "hasSource", prov)] or articles
                article = source[0] if source else ""
                quotes, start, end = [], None, None
                for selector in self.objects(target.value, OA + "hasSelector", prov):
                    quotes += [t.value for t in self.objects(selector.value, OA + "exact", prov)]
                    for t in self.objects(selector.value, OA + "start", prov):
                        start = int(t.value)
                    for t in self.objects(selector.value, OA + "end", prov):
                        end = int(t.value)
                for quote in quotes:
                    found.add(Evidence(short_id(article), start, end, quote, self.title(article) if article else ""))
        return sorted(found)


def _is_node(iri: str) -> bool:
    """An n-ary node (award win, performance, position held...) or an amount: folded."""
    return iri.startswith(NODE_PREFIXES)


def _facts(reader: _Reader, iri: str, depth: int, parent: str | None, triples: set) -> list[Fact]:
    """Every stated triple with `iri` as subject or object (but the one linking back to the
    folded parent), each with its claims' status, editorial notes and quotes."""
    ox = reader.ox
    node = reader.node(iri)
    grouped: dict[tuple, set[str]] = {}
    for q in reader.fact_quads(node, None, None):
        grouped.setdefault(("out", q.subject, q.predicate, q.object), set()).add(q.graph_name.value)
    for q in reader.fact_quads(None, None, node):
        grouped.setdefault(("in", q.subject, q.predicate, q.object), set()).add(q.graph_name.value)
    facts = []
    for direction, s, p, o in grouped:
        other = o if direction == "out" else s
        if parent is not None and isinstance(other, ox.NamedNode) and other.value == parent:
            continue
        triples.add((s, p, o))
        if direction == "out" and p.value == RDF + "type":
            continue  # the class, shown in the header (and the node's heading)
        value, value_key = reader.value(other)
        prop = reader.term(p.value)
        fact = Fact(direction, prop, value, (direction != "out", prop["label"].casefold(), p.value, value_key))
        statuses, notes, evidence = set(), set(), set()
        for claim in reader.claims(s, p, o):
            statuses.update(t.value for t in reader.objects(claim, CAFO + "status") if isinstance(t, ox.NamedNode))
            notes.update(t.value for t in reader.objects(claim, SKOS + "editorialNote") if isinstance(t, ox.Literal))
            evidence.update(reader.evidence(claim))
        fact.status = sorted((reader.term(s_) for s_ in statuses), key=lambda t: (t["label"], t["iri"]))
        fact.editorial = sorted(notes)
        fact.evidence = sorted(evidence)
        if isinstance(other, ox.NamedNode) and _is_node(other.value) and depth < MAX_FOLD_DEPTH:
            fact.node = {**reader.term(other.value), "classes": reader.classes(other.value)}
            fact.node_facts = _facts(reader, other.value, depth + 1, iri, triples)
            for q in reader.quads(other, reader.node(RDFS + "label"), None):  # its generated labels
                if not q.graph_name.value.startswith(GRAPH + "inferred"):
                    triples.add((q.subject, q.predicate, q.object))
        facts.append(fact)
    return sorted(facts, key=lambda f: f.sort_key)


def collect(store, iri: str, lang: str = "en") -> Page:
    """The page of one entity (its IRI, see resolve) in a language for labels."""
    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r}: one of {', '.join(LANGS)}")
    reader = _Reader(store, lang)
    node = reader.node(iri)
    entities = GRAPH + "entities"
    triples: set = {
        (q.subject, q.predicate, q.object)
        for q in reader.quads(node, None, None, entities)
        if q.predicate.value in (RDF + "type", RDFS + "label", SKOS + "altLabel", OWL_SAMEAS)
    }
    wikidata = sorted(
        t.value
        for t in reader.objects(iri, OWL_SAMEAS)
        if isinstance(t, reader.ox.NamedNode) and t.value.startswith(WIKIDATA)
    )
    facts = _facts(reader, iri, 0, None, triples)
    return Page(
        iri=iri,
        lang=lang,
        label=reader.label(iri),
        labels=reader.labels(iri),
        alt_labels=reader.texts(iri, SKOS + "altLabel"),
        classes=reader.classes(iri),
        wikidata=[
            {"id": w[len(WIKIDATA) :], "iri": w, "url": "https://www.wikidata.org/wiki/" + w[len(WIKIDATA) :]}
            for w in wikidata
        ],
        facts=facts,
        triples=sorted(triples, key=lambda t: tuple(str(x) for x in t)),
    )


# -- rendering ---------------------------------------------------------------------------


def _value_text(value: dict) -> str:
    if "literal" in value:
        text = value["literal"]
        if value.get("lang"):
            return f"{text} @{value['lang']}"
        return text
    if value["label"] != value["id"]:
        return f"{value['label']}  ({value['id']})"
    return value["id"]


def _quote_lines(evidence: list[Evidence], indent: str, words: dict) -> list[str]:
    if not evidence:
        return [f"{indent}{words['no_quote']}"]
    lines = []
    for i, ev in enumerate(evidence):
        lines.append(f"{indent}“{' '.join(ev.quote.split())}”")
        if i + 1 == len(evidence) or evidence[i + 1].article != ev.article:  # the source once per article
            source = ev.title if ev.title == ev.article.rsplit("/", 1)[-1] else f"{ev.title} ({ev.article})"
            lines.append(f"{indent}  — {source}")
    return lines


def _fact_lines(fact: Fact, indent: str, words: dict) -> list[str]:
    """One value under its property heading; a folded node with its own facts and quotes."""
    notes = [f"{words['status']}: {', '.join(s['label'] for s in fact.status)}"] if fact.status else []
    notes += [f"{words['editorial']}: {note}" for note in fact.editorial]
    suffix = f"  [{'; '.join(notes)}]" if notes else ""
    if fact.node is None:
        return [f"{indent}{_value_text(fact.value)}{suffix}", *_quote_lines(fact.evidence, indent + "    ", words)]
    node = fact.node
    kind = ", ".join(c["label"] for c in node["classes"])
    head = node["label"] if node["label"] != node["id"] else node["id"]
    lines = [f"{indent}{kind}: {head}" if kind else f"{indent}{head}"]
    if node["label"] != node["id"]:
        lines[0] += f"  ({node['id']})"
    lines[0] += suffix
    evidence = set(fact.evidence)
    for sub in fact.node_facts:
        arrow = "" if sub.direction == "out" else "← "
        sub_notes = [f"{words['status']}: {', '.join(s['label'] for s in sub.status)}"] if sub.status else []
        sub_notes += [f"{words['editorial']}: {note}" for note in sub.editorial]
        sub_suffix = f"  [{'; '.join(sub_notes)}]" if sub_notes else ""
        if sub.node is not None:
            lines.append(f"{indent}    {arrow}{sub.prop['label']}:")
            lines += _fact_lines(sub, indent + "      ", words)
            continue
        lines.append(f"{indent}    {arrow}{sub.prop['label']}: {_value_text(sub.value)}{sub_suffix}")
        evidence.update(sub.evidence)
    lines += _quote_lines(sorted(evidence), indent + "    ", words)
    return lines


def render_text(page: Page) -> str:
    """The page for a terminal: a header (labels, class, Wikidata), then the facts grouped
    by property, each with its quotes and articles."""
    words = WORDS[page.lang]
    data = page.as_json()
    classes = ", ".join(c["label"] for c in page.classes) or "—"
    lines = [page.label, f"{data['id']} · {words['class']}: {classes}", f"<{page.iri}>"]
    if page.wikidata:
        lines.append(f"{words['wikidata']}: " + ", ".join(f"{w['id']} {w['url']}" for w in page.wikidata))
    else:
        lines.append(words["no_wikidata"])
    for heading, texts in ((words["labels"], page.labels), (words["alt"], page.alt_labels)):
        if texts:
            lines += ["", heading]
            for lang, values in texts.items():
                lines += [f"  {lang or '—':<3} {value}" for value in values]
    for direction in ("out", "in"):
        facts = [f for f in page.facts if f.direction == direction]
        lines += ["", words[direction]]
        if not facts:
            lines.append(f"  {words['none']}")
        previous = None
        for fact in facts:
            if fact.prop["iri"] != previous:
                lines.append(f"  {fact.prop['label']}")
                previous = fact.prop["iri"]
            lines += _fact_lines(fact, "    ", words)
    return "\n".join(lines) + "\n"


def render_json(page: Page) -> str:
    return json.dumps(page.as_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_turtle(page: Page) -> str:
    """The entity's stated triples (out and in, the n-ary nodes it is part of with theirs,
    its registry labels, class and Wikidata link) as Turtle with the project's prefixes."""
    from rdflib import Graph

    from kg.serialize import bind_prefixes

    lines = "".join(f"{s} {p} {o} .\n" for s, p, o in page.triples)
    graph = Graph()
    graph.parse(data=lines, format="nt")
    bind_prefixes(graph)
    return graph.serialize(format="turtle")


def show(build: Build, entity: str, fmt: str = "text", lang: str = "en") -> str:
    """What `kg show` prints: the (fresh) build opened, ENTITY resolved, rendered."""
    from kg.query import _oxigraph, open_store

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r}: one of {', '.join(LANGS)}")
    source = open_store(build)
    store = _oxigraph(source)
    page = collect(store, resolve(store, entity), lang)
    return {"text": render_text, "json": render_json, "turtle": render_turtle}[fmt](page)
