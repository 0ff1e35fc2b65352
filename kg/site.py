"""`kg site`: the graph as a static website that works from disk (file://) and any static host.

Pages (paths mirror the IRIs, so https://w3id.org/ca-film/id/KIND/SLUG can redirect to
entity/KIND/SLUG.html, .ttl or .jsonld; see docs/site.md):
  index.html                 what the graph holds, the articles, search over every label
  entity/KIND/SLUG.html      labels, class, Wikidata, every fact in and out with its quotes
  entity/KIND/SLUG.ttl|.jsonld  the entity's own triples (as subject)
  article/STEM.html          the text as received, each quoted span highlighted and linked
                             to the facts it supports; editorial judgements with reasons
  queries.html               the query library: question, SPARQL, result table (computed now)
  query.html                 SPARQL in the browser: Oxigraph's WebAssembly, no server
  coproduction.html, entities.html   the `kg viz` views
  dumps.html + graph.ttl|trig|nq|jsonld   the dumps (and the dataset description, when built)

Every text from the sources goes through Jinja's autoescape (templates in
kg/templates/site) or JavaScript's textContent, never into HTML as markup. The data the
pages' scripts need is embedded as JS files (a page opened from file:// cannot fetch()).
Search keys are folded here by kg.registry.fold, the one folding rule; the browser folds
what is typed through a table of fold() per character, computed here too, and only does
substring matching. Output is deterministic: everything is sorted, nothing is timed.

The graph is read from the build's N-Quads with pyoxigraph (fast) into plain dicts; the
rdflib Dataset, which the viz views need (slow to parse at scale), is loaded in a worker
process that draws them while this one writes everything else.
"""

from __future__ import annotations

import base64
import gc
import itertools
import json
import multiprocessing
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from kg import atomic
from kg.built import Build, OpenBuild
from kg.errors import FileError, KgError, SiteViewsFailed, UsageError
from kg.iris import GRAPH, ID, PREFIXES

TEMPLATES = Path(__file__).resolve().parent / "templates" / "site"
VENDOR = Path(__file__).resolve().parent / "vendor" / "oxigraph"
MARKER = ".kg-site"
if TYPE_CHECKING:
    from rdflib import Dataset

ViewPage = Callable[["Dataset", str], str]
"""(dataset, view name) -> the `kg viz` page as HTML: viz.views.page_html, passed in by the CLI."""

MAX_ROWS = 500  # rows of a library query's table on queries.html; the rest are counted

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
CAFO = PREFIXES["cafo"]
RDF_TYPE = RDF_NS + "type"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
WD = "http://www.wikidata.org/entity/"
DESCRIPTION_TYPES = ("http://rdfs.org/ns/void#Dataset", "http://www.w3.org/ns/dcat#Dataset")
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# kinds under id/ that are not entities with a page of their own
NOT_ENTITIES = {"article", "claim", "evidence"}
ENTITY_PATH = re.compile(r"^([a-z][a-z-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)$")
DUMPS = (
    ("graph.ttl", "Turtle", "the union of every graph (facts, entities, ontology labels)"),
    ("graph.trig", "TriG", "the named graphs: one per article, provenance, entities, ontology, metadata"),
    ("graph.nq", "N-Quads", "the named graphs, one quad a line"),
    ("graph.jsonld", "JSON-LD", "the named graphs (kg export -f jsonld)"),
)


class Item(SimpleNamespace):
    """What a template reads: attributes (Jinja reads an attribute at once, a dict key only
    after a failed attribute lookup; a tenth of the rendering at 1,000 articles)."""


@dataclass
class Term:
    """An RDF term as the pages show it."""

    kind: str  # "iri", "literal", "blank"
    value: str
    lang: str = ""
    datatype: str = ""

    def key(self) -> tuple:
        return (self.kind, self.value, self.lang, self.datatype)


@dataclass
class Claim:
    iri: str
    stem: str
    fact: str
    subject: Term
    predicate: str
    object: Term
    status: list[Term] = field(default_factory=list)
    note: str = ""  # skos:editorialNote: the editor's reason (an editorial judgement)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Quote:
    iri: str
    stem: str
    anchor: str  # id of the span on the article page
    start: int
    end: int
    exact: str
    claims: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SiteReport:
    path: Path
    entities: int
    articles: int
    pages: int
    bytes: int


# -- reading the build ------------------------------------------------------------------------


class Graph:
    """The build's quads, indexed for the pages."""

    def __init__(self, nquads: Path):
        import pyoxigraph

        self.labels: dict[str, list[Term]] = defaultdict(list)  # rdfs:label
        self.alt: dict[str, list[Term]] = defaultdict(list)  # skos:altLabel
        self.types: dict[str, set[str]] = defaultdict(set)
        self.same_as: dict[str, set[str]] = defaultdict(set)
        self.subject_triples: dict[str, set[tuple]] = defaultdict(set)  # union graph, by subject
        self.article_meta: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.ontology_labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.mentioned: set[str] = set()
        self.description: list[tuple] = []
        claims: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        annotations: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        triples_by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        provenance = GRAPH + "provenance"
        meta = GRAPH + "meta"
        ontology = GRAPH + "ontology"
        article_prefix = ID + "article/"
        for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
            s, p, o, g = quad.subject, quad.predicate.value, quad.object, quad.graph_name
            graph = getattr(g, "value", "")
            s_value = s.value if isinstance(s, pyoxigraph.NamedNode) else f"_:{s.value}"
            if graph == provenance:
                if s_value.startswith(ID + "claim/"):
                    claims[s_value][p].append(o)
                else:
                    triples_by_subject[s_value][p].append(o)
                    if s_value.startswith(ID + "evidence/") and "#" not in s_value:
                        annotations[s_value][p].append(o)
                continue
            if graph == ontology:
                if p == RDFS_LABEL and isinstance(o, pyoxigraph.Literal):
                    self.ontology_labels[s_value][o.language or ""] = o.value
                continue
            if graph == meta and s_value.startswith(article_prefix):
                self.article_meta[s_value[len(article_prefix) :]][p].append(_term(o))
                continue
            self.subject_triples[s_value].add((s, quad.predicate, o))
            if p == RDFS_LABEL:
                self.labels[s_value].append(_term(o))
            elif p == SKOS + "altLabel":
                self.alt[s_value].append(_term(o))
            elif p == RDF_TYPE:
                self.types[s_value].add(o.value)
                if o.value in DESCRIPTION_TYPES:
                    self.description.append(s_value)
            elif p == OWL_SAMEAS:
                self.same_as[s_value].add(o.value)
            self.mentioned.add(s_value)
            if isinstance(o, pyoxigraph.NamedNode):
                self.mentioned.add(o.value)
        self.claims = self._claims(claims)
        self.quotes = self._quotes(annotations, triples_by_subject)
        # The dataset described (kg.dataset): the dcat:Dataset, not the graphs it lists as
        # its void:subset (each a void:Dataset too); any void:Dataset when none is dcat's.
        catalogued = {s for s in self.description if DESCRIPTION_TYPES[1] in self.types[s]}
        self.description = sorted(catalogued or set(self.description))
        self.description_triples = sorted(
            ((s, t[1].value, _term(t[2])) for s in self.description for t in self.subject_triples[s]),
            key=lambda t: (t[0], t[1], t[2].key()),
        )

    def _claims(self, raw) -> dict[str, Claim]:
        out = {}
        for iri in sorted(raw):
            props = raw[iri]
            if not (props.get(RDF_NS + "subject") and props.get(RDF_NS + "predicate") and props.get(RDF_NS + "object")):
                continue
            stem, _, local = iri[len(ID + "claim/") :].rpartition("/")
            fact = local.rsplit("-", 1)[0]
            notes = sorted(o.value for o in props.get(SKOS + "editorialNote", []))
            out[iri] = Claim(
                iri=iri,
                stem=stem,
                fact=fact,
                subject=_term(props[RDF_NS + "subject"][0]),
                predicate=props[RDF_NS + "predicate"][0].value,
                object=_term(props[RDF_NS + "object"][0]),
                status=sorted((_term(o) for o in props.get(CAFO + "status", [])), key=Term.key),
                note=" ".join(notes),
            )
        return out

    def _quotes(self, annotations, by_subject) -> dict[str, Quote]:
        out = {}
        for iri in sorted(annotations):
            props = annotations[iri]
            stem, _, local = iri[len(ID + "evidence/") :].rpartition("/")
            start = end = None
            exact = ""
            for target in props.get(OA + "hasTarget", []):
                for selector in by_subject[target.value].get(OA + "hasSelector", []):
                    sel = by_subject[selector.value]
                    if sel.get(OA + "start"):
                        start, end = int(sel[OA + "start"][0].value), int(sel[OA + "end"][0].value)
                    if sel.get(OA + "exact"):
                        exact = sel[OA + "exact"][0].value
            if start is None:
                continue
            claims = sorted(o.value for o in props.get(OA + "hasBody", []) if o.value in self.claims)
            quote = Quote(iri, stem, f"q-{local}", start, end, exact, claims)
            out[iri] = quote
            for claim in claims:
                self.claims[claim].quotes.append(quote)
        return out


def _term(o) -> Term:
    import pyoxigraph

    if isinstance(o, pyoxigraph.NamedNode):
        return Term("iri", o.value)
    if isinstance(o, pyoxigraph.Literal):
        datatype = o.datatype.value if o.datatype else ""
        return Term("literal", o.value, o.language or "", "" if o.language else datatype)
    return Term("blank", str(o))


# -- the site's model -------------------------------------------------------------------------


@dataclass
class Site:
    graph: Graph
    entities: dict[str, str] = field(default_factory=dict)  # IRI -> "KIND/SLUG"
    articles: list[str] = field(default_factory=list)  # stems

    def short(self, iri: str) -> str:
        best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
        if best is None:
            return iri
        prefix = next(p for p, ns in PREFIXES.items() if ns == best)
        return f"{prefix}:{iri[len(best) :]}"

    def label(self, iri: str, lang: str = "en") -> str:
        """Displays fall back across languages rather than make a name up."""
        labels = self.graph.labels.get(iri) or self.graph.alt.get(iri) or []
        for want in (lang, "en", "ru"):
            for term in sorted(labels, key=Term.key):
                if term.lang == want:
                    return term.value
        if labels:
            return sorted(labels, key=Term.key)[0].value
        terms = self.graph.ontology_labels.get(iri)
        if terms:
            return terms.get(lang) or terms.get("en") or next(iter(sorted(terms.values())))
        return self.short(iri)

    def term(self, term: Term, prefix: str) -> Item:
        """A term for a template: text, and a link when it has a page here."""
        if term.kind == "iri":
            link = None
            if term.value in self.entities:
                link = f"{prefix}entity/{self.entities[term.value]}.html"
            elif term.value.startswith(ID + "article/"):
                link = f"{prefix}article/{term.value[len(ID + 'article/') :]}.html"
            elif term.value.startswith(WD):
                link = term.value
            return Item(text=self.label(term.value), link=link, iri=term.value, note="")
        note = f"@{term.lang}" if term.lang else (f" ({self.short(term.datatype)})" if term.datatype else "")
        return Item(text=term.value, link=None, iri="", note=note.strip())

    def fact(self, claim: Claim, prefix: str) -> Item:
        return Item(
            **{
                "anchor": f"f-{claim.fact}",
                "fact": claim.fact,
                "subject": self.term(claim.subject, prefix),
                "predicate": self.label(claim.predicate),
                "predicate_iri": claim.predicate,
                "object": self.term(claim.object, prefix),
                "status": [self.term(t, prefix) for t in claim.status],
                "note": claim.note,
                "stem": claim.stem,
                "article": f"{prefix}article/{claim.stem}.html",
                "article_title": self.article_title(claim.stem),
                "quotes": [
                    Item(exact=q.exact, link=f"{prefix}article/{q.stem}.html#{q.anchor}", anchor=q.anchor)
                    for q in sorted(claim.quotes, key=lambda q: (q.start, q.end, q.anchor))
                ],
            }
        )

    def article_title(self, stem: str, lang: str = "en") -> str:
        titles = self.graph.article_meta.get(stem, {}).get(SCHEMA + "headline", [])
        for want in (lang, "en", "ru"):
            for t in sorted(titles, key=Term.key):
                if t.lang == want:
                    return t.value
        return titles[0].value if titles else stem

    def article_date(self, stem: str) -> str:
        dates = self.graph.article_meta.get(stem, {}).get(SCHEMA + "datePublished", [])
        return sorted(t.value for t in dates)[0] if dates else ""


def _collect(graph: Graph) -> Site:
    site = Site(graph)
    candidates = set(graph.labels) | set(graph.types)
    for claim in graph.claims.values():
        for term in (claim.subject, claim.object):
            if term.kind == "iri":
                candidates.add(term.value)
    for iri in sorted(candidates):
        if not iri.startswith(ID):
            continue
        path = iri[len(ID) :]
        match = ENTITY_PATH.match(path)
        if match and match.group(1) not in NOT_ENTITIES:
            site.entities[iri] = path
    # the articles graph/meta describes: a background fact's claim (claim/background/...) names
    # a reference, not an article, and gets no article page
    site.articles = sorted(graph.article_meta)
    return site


# -- rendering --------------------------------------------------------------------------------


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def script_data(name: str, value) -> str:
    """A JS file that sets window[name] to JSON data, safe whatever the data holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return f"window.{name} = {text};\n"


def segments(text: str, quotes: list[Quote]) -> list[Item]:
    """The article's text cut at every quote boundary, each piece with the quotes covering it
    (overlapping and nested quotes included): the page highlights covered pieces, and a quote
    starting at a piece gets its anchor there. Offsets are code points of the text as
    received, as the build wrote them (oa:TextPositionSelector)."""
    valid = [q for q in quotes if 0 <= q.start < q.end <= len(text)]
    cuts = sorted({0, len(text)} | {q.start for q in valid} | {q.end for q in valid})
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = sorted((q for q in valid if q.start <= a and b <= q.end), key=lambda q: (q.end - q.start, q.anchor))
        starting = sorted((q for q in valid if q.start == a), key=lambda q: (q.anchor,))
        out.append(Item(text=text[a:b], covering=covering, starting=starting))
    return out


def _article_text(corpus, source: str) -> str:
    """The article's text exactly as received: the file's bytes decoded as UTF-8 (the build
    checked them), no newline translation, so offsets are the build's."""
    for path in (corpus.root / source, corpus.seeds_dir / Path(source).name):
        if path.is_file():
            return path.read_bytes().decode("utf-8")
    return ""


_MADE: set[Path] = set()


def _write(path: Path, data: str | bytes) -> int:
    if path.parent not in _MADE:  # one mkdir per folder, not per file (20,000 files)
        path.parent.mkdir(parents=True, exist_ok=True)
        _MADE.add(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open(path, "wb") as handle:
        atomic._write(handle, raw)  # the one place bytes reach a file (a full disk is simulated there)
    return len(raw)


def oxigraph_script() -> str:
    """The vendored ES module as one classic script with the wasm inside (see
    kg/vendor/oxigraph/README.md): file:// pages can neither import modules nor fetch wasm."""
    source = (VENDOR / "web.js").read_text(encoding="utf-8")
    source = re.sub(r"^export \{[^}]*\};?\s*$", "", source, flags=re.MULTILINE)
    source = re.sub(r"^export (class|function|const|let) ", r"\1 ", source, flags=re.MULTILINE)
    source = source.replace("new URL('web_bg.wasm', import.meta.url)", "undefined")
    if "import.meta" in source or re.search(r"^export ", source, flags=re.MULTILINE):
        raise UsageError(f"{VENDOR / 'web.js'}: unexpected module syntax; update kg.site.oxigraph_script")
    names = sorted(
        set(
            re.findall(
                r"^export (?:class|function) ([A-Za-z_]\w*)",
                (VENDOR / "web.js").read_text(encoding="utf-8"),
                flags=re.MULTILINE,
            )
        )
    )
    wasm = base64.b64encode((VENDOR / "web_bg.wasm").read_bytes()).decode("ascii")
    exports = ", ".join([*names, "initSync"])
    return (
        "/* Oxigraph 0.5.11 (npm package oxigraph), MIT OR Apache-2.0: see vendor/oxigraph/. */\n"
        "(function () {\n"
        f"{source}\n"
        f'const WASM_BASE64 = "{wasm}";\n'
        "function wasmBytes() {\n"
        "  const s = atob(WASM_BASE64); const b = new Uint8Array(s.length);\n"
        "  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);\n"
        "  return b;\n"
        "}\n"
        f"window.oxigraph = {{ {exports}, load: () => initSync({{ module: wasmBytes() }}) }};\n"
        "})();\n"
    )


def fold_table(texts: list[str]) -> dict[str, str]:
    """fold() of every character the labels use and of the common scripts' letters: the
    browser folds what a user types through this table (same rule, computed here)."""
    from kg.registry import fold

    chars = {ch for text in texts for ch in text}
    for lo, hi in ((0x00C0, 0x024F), (0x0400, 0x04FF)):
        chars |= {chr(c) for c in range(lo, hi + 1)}
    table = {}
    for ch in sorted(chars):
        folded = fold(ch)
        if not folded:  # a separator (a space) or nothing at all (a combining accent)
            folded = " " if fold(f"a{ch}a") == "a a" else ""
        if folded != ch:
            table[ch] = folded
    return table


def _search_index(site: Site) -> list[list[str]]:
    """The registry's entities by every label, folded as the CLI's search folds them. N-ary
    nodes (an award won, a performance) have pages but are found through their entities:
    their generated names repeat the entities' names."""
    from kg.iris import ENTITY_KINDS
    from kg.registry import fold

    rows = set()
    for iri, path in site.entities.items():
        kind = path.split("/", 1)[0]
        if kind not in ENTITY_KINDS:
            continue
        for term in site.graph.labels.get(iri, []) + site.graph.alt.get(iri, []):
            key = fold(term.value)
            if key:
                rows.add((key, term.value, term.lang, path, kind, site.label(iri)))
    return [list(r) for r in sorted(rows)]


def _library(corpus, build: Build, site: Site) -> list[dict]:
    """Each library query with its result table, run now on the build's store."""
    import pyoxigraph

    from kg.query import execute, library, parse_bindings

    store = build.store()
    out = []
    # Not checked by rdflib's parser (12 s for the library on the shared machine, the largest
    # fixed cost of a site): Oxigraph parses each query as it runs it, and a query it cannot
    # parse shows its error in its section of queries.html.
    for query in library(corpus, check=False):
        entry = {
            "name": query.path.stem,
            "file": query.path.name,
            "title": query.title,
            "question": query.question,
            "text": query.text,
            "columns": [],
            "rows": [],
            "total": 0,
            "answer": None,
            "error": None,
        }
        usage = next((line for line in query.text.splitlines() if line.startswith("# Usage:")), "").split("(", 1)[0]
        pairs = tuple(p.rstrip(";,.") for p in re.findall(r"(?:--bind|-b)\s+(\S+=\S+)", usage))
        entry["bound"] = ", ".join(pairs)
        try:
            result = execute(query, store, parse_bindings(pairs) if pairs else None)
            if isinstance(result, pyoxigraph.QueryBoolean):
                entry["answer"] = "yes" if bool(result) else "no"
            elif isinstance(result, pyoxigraph.QuerySolutions):
                names = [v.value for v in result.variables]
                entry["columns"] = names
                for solution in result:
                    entry["total"] += 1
                    if len(entry["rows"]) < MAX_ROWS:
                        entry["rows"].append([_cell(site, solution[n]) for n in names])
            else:
                from kg.query import _graph_as_turtle

                entry["answer"] = _graph_as_turtle(result, PREFIXES)
        except KgError as exc:
            entry["error"] = str(exc)
        out.append(entry)
    return out


def _description(site: Site) -> list[Item]:
    """The dataset description (kg.dataset) as dumps.html shows it: the dataset's own
    properties, then its distributions, the graphs it counts (void:subset) and its sources.
    IRIs under the w3id base that the site serves (the dumps, the landing page) link to the
    site's own files, so the page works from disk too."""
    graph = site.graph
    out = []
    for iri in graph.description:
        values: dict[str, list[Term]] = defaultdict(list)
        for _s, p, o in graph.description_triples:
            if _s == iri:
                values[p].append(o)
        distributions = []
        for dist in sorted(o.value for o in values.pop(DCAT + "distribution", [])):
            props = _properties(graph, dist)
            download = (props.get(DCAT + "downloadURL") or props.get(DCAT + "accessURL") or [Term("iri", "")])[0]
            distributions.append(
                Item(
                    iri=dist,
                    title=" ".join(t.value for t in props.get(DCTERMS + "title", [])),
                    what=" ".join(t.value for t in props.get(DCTERMS + "description", [])),
                    media=" ".join(_media_type(t.value) for t in props.get(DCAT + "mediaType", [])),
                    download=_described(site, download),
                )
            )
        subsets = []
        for subset in sorted(o.value for o in values.pop(VOID + "subset", [])):
            props = _properties(graph, subset)
            subsets.append(
                Item(
                    name=site.short(subset),
                    kind=", ".join(site.short(t.value) for t in props.get(RDF_TYPE, [])),
                    triples=" ".join(t.value for t in props.get(VOID + "triples", [])),
                )
            )
        sources = [site.term(o, "") for o in sorted(values.pop(DCTERMS + "source", []), key=Term.key)]
        values.pop(VOID + "dataDump", None)  # the distributions' download URLs again
        first = [DCTERMS + "title", DCTERMS + "description", DCTERMS + "license", DCTERMS + "rights"]
        rows = [
            Item(predicate=site.short(p), values=[_described(site, o) for o in sorted(terms, key=Term.key)])
            for p, terms in sorted(values.items(), key=lambda kv: (first.index(kv[0]) if kv[0] in first else 9, kv[0]))
        ]
        out.append(Item(iri=iri, rows=rows, distributions=distributions, subsets=subsets, sources=sources))
    return out


def _properties(graph: Graph, iri: str) -> dict[str, list[Term]]:
    props: dict[str, list[Term]] = defaultdict(list)
    for _s, p, o in graph.subject_triples.get(iri, ()):
        props[p.value].append(_term(o))
    return {p: sorted(terms, key=Term.key) for p, terms in props.items()}


def _media_type(iri: str) -> str:
    return iri.removeprefix(IANA_MEDIA_TYPES)


def _described(site: Site, term: Term) -> Item:
    """A value of the description: a dump or the landing page as the site's own file, an
    entity or article as its page, any other IRI as a link to itself."""
    from kg.iris import BASE

    if term.kind == "iri" and term.value.startswith(BASE):
        local = term.value[len(BASE) :]
        if local in {d[0] for d in DUMPS}:
            return Item(text=local, link=local, iri=term.value, note="")
        if local == "":
            return Item(text=term.value, link="index.html", iri=term.value, note="")
    item = site.term(term, "")
    if term.kind == "iri" and item.link is None and term.value.startswith(("http://", "https://")):
        item.link = term.value
    return item


def _cell(site: Site, term) -> dict:
    import pyoxigraph

    if term is None:
        return {"text": "", "link": None}
    if isinstance(term, pyoxigraph.NamedNode):
        if term.value in site.entities:
            return {"text": site.short(term.value), "link": f"entity/{site.entities[term.value]}.html"}
        if term.value.startswith(ID + "article/"):
            return {"text": site.short(term.value), "link": f"article/{term.value[len(ID + 'article/') :]}.html"}
        return {"text": site.short(term.value), "link": None}
    return {"text": term.value, "link": None}


def _entity_files(site: Site, iri: str) -> tuple[bytes, bytes]:
    import pyoxigraph

    triples = sorted(site.graph.subject_triples.get(iri, ()), key=lambda t: (str(t[1]), str(t[2])))
    quads = [pyoxigraph.Triple(*t) for t in triples]
    ttl = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    jsonld = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.JSON_LD, prefixes=PREFIXES)
    return ttl or b"", jsonld or b""


def jsonld_dump(build: Build) -> bytes:
    """The JSON-LD dump: the build's own when it writes one (OUT/graph.jsonld), else the
    build's quads in their (sorted) N-Quads order through pyoxigraph's JSON-LD serialiser with
    the project's prefixes. Not rdflib's (kg export -f jsonld): the same quads, but rdflib
    took minutes at 1,000 articles where this takes seconds."""
    import pyoxigraph

    own = build.named("graph.jsonld")
    if own.is_file():
        return own.read_bytes()
    quads = pyoxigraph.parse(path=str(build.nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.JSON_LD, prefixes=PREFIXES)


def build_site(corpus, open_build: OpenBuild, site_dir: Path, view_page: ViewPage) -> SiteReport:
    """Make the build fresh (open_build, once site_dir is known good), then write the whole
    site into a hidden sibling directory and swap it in: on any error the previous site stays
    as it was. view_page draws a `kg viz` view as HTML (viz.views.page_html: kg does not
    depend on viz; it runs in a spawned process, so it must be a module-level function)."""
    site_dir = Path(site_dir)
    if site_dir.exists() and (not site_dir.is_dir() or (any(site_dir.iterdir()) and not (site_dir / MARKER).exists())):
        raise UsageError(f"{site_dir}: exists and is not a site written by kg site; choose another -o DIR")
    build = open_build()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    except OSError as exc:  # a folder that cannot be made, no permission: one line naming the site
        raise FileError.from_os_error(exc, site_dir, f"cannot create the site beside it in {site_dir.parent}") from None
    try:
        report = _write_site(corpus, build, staging, view_page)
        old = None
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
            site_dir.rename(old / "site")
        staging.rename(site_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:  # a full disk, a file that cannot be written: the previous site stays
        shutil.rmtree(staging, ignore_errors=True)
        raise FileError.from_os_error(exc, site_dir, "cannot write") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteReport(site_dir, report.entities, report.articles, report.pages, report.bytes)


def _write_site(corpus, build: Build, root: Path, view_page: ViewPage) -> SiteReport:
    # The viz views need the rdflib Dataset (seconds per 100,000 quads to parse): they are
    # drawn in another process while this one writes the rest.
    _MADE.clear()
    views = _VizWorker(build, root, view_page)
    try:
        return _write_pages(corpus, build, root, views)
    finally:
        views.stop()
        gc.unfreeze()


class _VizWorker:
    """A spawned process drawing the `kg viz` views into the site. It leaves with os._exit,
    so it does not spend seconds freeing a million rdflib objects before it ends."""

    def __init__(self, build: Build, root: Path, view_page: ViewPage):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe(duplex=False)
        self.process = context.Process(target=_viz_worker, args=(build, str(root), view_page, child), daemon=True)
        self.process.start()
        child.close()

    def result(self) -> int:
        try:
            status, value = self.conn.recv()
        except EOFError:
            raise SiteViewsFailed(None) from None
        if status != "ok":
            raise SiteViewsFailed(str(value))
        return value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=30)
        self.conn.close()


def _viz_worker(build: Build, root: str, view_page: ViewPage, conn) -> None:
    import gc
    import os

    gc.disable()  # millions of small objects, none cyclic garbage: collections only cost time
    try:
        conn.send(("ok", _viz_pages(build, root, view_page)))
    except BaseException as exc:  # sent to the parent, which reports it as one line
        conn.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0]))
    conn.close()
    os._exit(0)


def rdflib_dataset(nquads: Path):
    """The build's quads as an rdflib Dataset, as kg.build.load_dataset reads them but parsed
    by pyoxigraph: the same quads (blank node labels aside, which rdflib draws at random too)
    in about half the time, rdflib's N-Quads parser being most of a big site's critical path."""
    import pyoxigraph
    from rdflib import BNode, Dataset, Literal, URIRef

    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    dataset = Dataset()
    iris: dict[str, URIRef] = {}
    graphs: dict[str, object] = {}

    def term(o):
        if isinstance(o, pyoxigraph.NamedNode):
            iri = iris.get(o.value)
            if iri is None:
                iri = iris[o.value] = URIRef(o.value)
            return iri
        if isinstance(o, pyoxigraph.Literal):
            if o.language:
                return Literal(o.value, lang=o.language)
            datatype = o.datatype.value
            return Literal(o.value, datatype=None if datatype == xsd_string else URIRef(datatype))
        return BNode(o.value)

    for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
        name = quad.graph_name.value
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = dataset.graph(URIRef(name))
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return dataset


def _viz_pages(build: Build, root: str, view_page: ViewPage) -> int:
    """Write the `kg viz` coproduction and entities views into the site; returns bytes written."""
    dataset = rdflib_dataset(build.nquads)
    return sum(_write(Path(root) / f"{view}.html", view_page(dataset, view)) for view in ("coproduction", "entities"))


def _write_pages(corpus, build: Build, root: Path, views) -> SiteReport:
    graph = Graph(build.nquads)
    site = _collect(graph)
    gc.freeze()  # the graph's objects live to the end: later collections need not scan them
    env = _environment()
    size = 0
    pages = 0

    def page(rel: str, template: str, **context) -> None:
        nonlocal size, pages
        prefix = "../" * rel.count("/")
        html = env.get_template(template).render(prefix=prefix, **context)
        size += _write(root / rel, html)
        pages += 1

    claims_by_entity: dict[str, list[Claim]] = defaultdict(list)
    for claim in graph.claims.values():
        for term in (claim.subject, claim.object):
            if term.kind == "iri" and term.value in site.entities:
                claims_by_entity[term.value].append(claim)
    claims_by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in graph.claims.values():
        claims_by_article[claim.stem].append(claim)
    quotes_by_article: dict[str, list[Quote]] = defaultdict(list)
    for quote in graph.quotes.values():
        quotes_by_article[quote.stem].append(quote)

    # A fact shows on the page of its subject and of its object, the same HTML on both (every
    # entity page is two folders deep): rendered once (macros.html's fact_row), kept as Markup.
    fact_macro = env.get_template("macros.html").module.fact_row  # type: ignore[attr-defined]
    fact_rows: dict[str, str] = {}

    def fact_row(claim: Claim) -> str:
        row = fact_rows.get(claim.iri)
        if row is None:
            row = fact_rows[claim.iri] = fact_macro(site.fact(claim, "../../"))
        return row

    # entity pages and their own triples
    for iri, path in site.entities.items():
        kind = path.split("/", 1)[0]
        claims = sorted(claims_by_entity.get(iri, []), key=lambda c: (c.predicate, c.stem, c.iri))
        out_facts = [fact_row(c) for c in claims if c.subject.value == iri]
        in_facts = [fact_row(c) for c in claims if c.subject.value != iri]
        labels = sorted(
            [("label", t.lang, t.value) for t in graph.labels.get(iri, [])]
            + [("alternative", t.lang, t.value) for t in graph.alt.get(iri, [])]
        )
        classes = sorted({site.label(t) for t in graph.types.get(iri, set()) if t.startswith(CAFO)})
        wikidata = sorted(v for v in graph.same_as.get(iri, set()) if v.startswith(WD))
        ttl, jsonld = _entity_files(site, iri)
        size += _write(root / "entity" / f"{path}.ttl", ttl)
        size += _write(root / "entity" / f"{path}.jsonld", jsonld)
        page(
            f"entity/{path}.html",
            "entity.html",
            title=site.label(iri),
            iri=iri,
            kind=kind,
            slug=path.split("/", 1)[1],
            labels=labels,
            classes=classes,
            wikidata=[(w[len(WD) :], w) for w in wikidata],
            out_facts=out_facts,
            in_facts=in_facts,
        )

    # article pages
    for stem in site.articles:
        source = graph.article_meta.get(stem, {}).get("http://purl.org/dc/terms/source", [])
        text = _article_text(corpus, source[0].value) if source else ""
        claims = sorted(claims_by_article.get(stem, []), key=lambda c: (c.fact, c.iri))
        facts: dict[str, list[dict]] = {}
        notes: dict[str, str] = {}
        for claim in claims:
            facts.setdefault(claim.fact, []).append(site.fact(claim, "../"))
            if claim.note:
                notes[claim.fact] = claim.note
        quotes = quotes_by_article.get(stem, [])
        fact_of = {q.anchor: graph.claims[q.claims[0]].fact for q in quotes if q.claims}
        editorial_quotes = {q.anchor for q in quotes if q.claims and all(graph.claims[c].note for c in q.claims)}
        fact_quotes: dict[str, list[dict]] = defaultdict(list)
        for q in sorted(quotes, key=lambda q: (q.start, q.end, q.anchor)):
            for fact in sorted({graph.claims[c].fact for c in q.claims}):
                fact_quotes[fact].append({"anchor": q.anchor, "exact": q.exact})
        numbers = {q.anchor: n for n, q in enumerate(sorted(quotes, key=lambda q: (q.start, q.end, q.anchor)), 1)}
        meta = graph.article_meta.get(stem, {})
        page(
            f"article/{stem}.html",
            "article.html",
            title=site.article_title(stem),
            stem=stem,
            titles=sorted((t.lang, t.value) for t in meta.get(SCHEMA + "headline", [])),
            date=site.article_date(stem),
            source=source[0].value if source else "",
            sha256=(meta.get(SCHEMA + "sha256") or [Term("literal", "")])[0].value,
            notes=[t.value for t in meta.get(SKOS + "editorialNote", [])],
            segments=segments(text, quotes),
            fact_of=fact_of,
            editorial_quotes=editorial_quotes,
            numbers=numbers,
            facts=[
                {"id": f, "claims": facts[f], "note": notes.get(f, ""), "quotes": fact_quotes.get(f, [])}
                for f in sorted(facts)
            ],
            missing=not text,
        )

    # the query library, the dumps (the viz views are drawn meanwhile in the worker, waited
    # for last: it takes about as long as everything here)
    queries = _library(corpus, build, site)
    page("queries.html", "queries.html", title="Query library", queries=queries)
    size += _write(
        root / "assets" / "queries.js",
        script_data("KG_QUERIES", [{"name": q["name"], "title": q["title"], "text": q["text"]} for q in queries]),
    )
    # TriG: the same quads as graph.nq in a quarter of the bytes, for the browser to load
    trig = build.file("trig").read_text(encoding="utf-8")
    size += _write(root / "assets" / "graph.js", script_data("KG_GRAPH_TRIG", trig))
    size += _write(root / "assets" / "oxigraph.js", oxigraph_script())
    for name in ("LICENSE-MIT", "LICENSE-APACHE", "README.md"):
        size += _write(root / "vendor" / "oxigraph" / name, (VENDOR / name).read_bytes())
    page("query.html", "query.html", title="SPARQL in the browser", default=queries[0]["name"] if queries else "")

    for fmt in ("turtle", "trig", "nquads"):
        path = build.file(fmt)
        size += _write(root / path.name, path.read_bytes())
    size += _write(root / "graph.jsonld", jsonld_dump(build))
    dumps = [{"file": f, "format": fmt, "what": what, "bytes": (root / f).stat().st_size} for f, fmt, what in DUMPS]
    page(
        "dumps.html",
        "dumps.html",
        title="Dumps and dataset description",
        dumps=dumps,
        description=_description(site),
    )

    # the index and its search data
    by_class: dict[str, int] = defaultdict(int)
    for iri in site.entities:
        kinds = sorted({site.label(t) for t in graph.types.get(iri, set()) if t.startswith(CAFO)}) or ["(no class)"]
        by_class[kinds[0]] += 1
    facts_per_article = {stem: len({c.fact for c in claims_by_article.get(stem, [])}) for stem in site.articles}
    search = _search_index(site)
    size += _write(
        root / "assets" / "search.js",
        script_data("KG_SEARCH", {"rows": search, "fold": fold_table([r[1] for r in search])}),
    )
    page(
        "index.html",
        "index.html",
        title="CA-Film knowledge graph",
        counts=sorted(by_class.items()),
        entities=len(site.entities),
        facts=sum(facts_per_article.values()),
        claims=len(graph.claims),
        quotes=len(graph.quotes),
        articles=[
            {"stem": s, "title": site.article_title(s), "date": site.article_date(s), "facts": facts_per_article[s]}
            for s in site.articles
        ],
        queries=len(queries),
    )
    for name in ("site.css", "site.js", "query.js"):
        size += _write(root / "assets" / name, (TEMPLATES / name).read_bytes())
    size += _write(root / MARKER, "Written by `kg site`; the whole folder is replaced by the next run.\n")
    size += _write(root / "w3id.htaccess", (TEMPLATES / "w3id.htaccess").read_bytes())
    size += views.result()
    pages += 2
    return SiteReport(root, len(site.entities), len(site.articles), pages, size)
