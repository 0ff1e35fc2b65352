"""The quality report, `kg check`: modelled on ROBOT's `report`.

Each check returns findings of the form entity, property, value - one thing a curator can look
at - with a level (ERROR, WARN, INFO) and the mapping file and line (or registry entry) that
caused it. `--fail-on LEVEL` chooses what fails the run.

Where the checks come from:
- SPARQL: every ontology/checks/*.rq file. Its header names the check and its level
  (`# Check:`, `# Level:`, `# Description:`); it SELECTs ?entity ?property ?value (and
  optionally ?message). Queries see the named graphs (GRAPH ...) and their union.
- SHACL: every node shape in ontology/checks/shapes.ttl is one check, named by its local name;
  a result's level is its shape's sh:severity.
- Built in, where SPARQL is not enough: `consistency` (the OWL reasoner, kg.reason), `twins`
  (labels equal once case, spaces and Cyrillic/Latin spelling are folded), `quotes` (each
  quote still stands at its offsets in the article file) and `drafts` (mappings the build
  leaves out: they are in no graph, so they are read from the corpus).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.built import Build, OpenBuild, select
from kg.corpus import Corpus
from kg.errors import Clash, InconsistentError, QueryError, UnknownChoice, UsageError
from kg.iris import GRAPH_ONTOLOGY, ID, local_name
from kg.query import _header as read_header  # tyA may name it read_header: then import that
from kg.vocab import (
    DCTERMS_SOURCE,
    OA_END,
    OA_EXACT,
    OA_HAS_BODY,
    OA_HAS_SELECTOR,
    OA_HAS_SOURCE,
    OA_HAS_TARGET,
    OA_START,
    RDF_FIRST,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    SH_ALTERNATIVE_PATH,
    SH_FOCUS_NODE,
    SH_INVERSE_PATH,
    SH_MESSAGE,
    SH_MIN_COUNT,
    SH_NODE_SHAPE,
    SH_PATH,
    SH_PROPERTY,
    SH_RESULT_MESSAGE,
    SH_RESULT_PATH,
    SH_RESULT_SEVERITY,
    SH_SEVERITY,
    SH_SOURCE_SHAPE,
    SH_SPARQL,
    SH_VALIDATION_RESULT,
    SH_VALUE,
    SH_VIOLATION,
    SKOS_ALT_LABEL,
)

if TYPE_CHECKING:
    from pyoxigraph import Literal as OxLiteral
    from pyoxigraph import NamedNode, Store
    from rdflib import Graph
    from rdflib.term import Node

    from kg.sources import SourceIndex, Term

LEVELS = ("ERROR", "WARN", "INFO")
FORMATS = ("table", "tsv", "json")
SEVERITY = {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}
CHECKS_DIR = "checks"
SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Check:
    name: str
    level: str  # the level of its findings (a SHACL shape's results carry their own)
    kind: str  # "sparql", "shacl" or "builtin"
    description: str
    query: str = ""
    path: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    level: str
    check: str
    entity: str
    property: str
    value: str
    source: str  # "seeds/NAME.yaml:LINE", "seeds/registry/people.yaml:LINE" or ""
    message: str


@dataclass
class Report:
    checks: list[str]
    findings: list[Finding] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def failed(self, fail_on: str) -> bool:
        """True when a finding is at fail_on or more severe (NONE never fails)."""
        fail_on = fail_on.upper()
        if fail_on == "NONE":
            return False
        worst = LEVELS.index(fail_on)
        return any(LEVELS.index(f.level) <= worst for f in self.findings)

    def summary(self, fail_on: str) -> str:
        counts = ", ".join(f"{self.count(level)} {level}" for level in LEVELS)
        verdict = "failed" if self.failed(fail_on) else "passed"
        return f"kg check: {counts} from {len(self.checks)} checks (fail on {fail_on.upper()}: {verdict})"


# -- the checks ---------------------------------------------------------------------------------

BUILTIN = [
    Check(
        "consistency",
        "ERROR",
        "builtin",
        "The OWL reasoner finds the graph consistent; if not, the statements that clash.",
    ),
    Check(
        "twins",
        "WARN",
        "builtin",
        "Two entities whose labels are equal once case, spaces and Cyrillic/Latin spelling are "
        "folded: likely one thing entered twice.",
    ),
    Check(
        "quotes",
        "ERROR",
        "builtin",
        "A quote that no longer stands at its offsets in its article file (the article changed "
        "after the build, or the evidence points at the wrong file).",
    ),
    Check(
        "drafts",
        "INFO",
        "builtin",
        "A mapping marked `draft: true`, which kg build leaves out until the mark is deleted.",
    ),
]


def checks_dir(corpus: Corpus) -> Path:
    """The corpus's ontology/checks/, or the bundled one when the corpus has none."""
    from kg.corpus import bundled_root

    own = corpus.ontology_dir / CHECKS_DIR
    return own if own.is_dir() else bundled_root() / "ontology" / CHECKS_DIR


def load_checks(directory: Path) -> list[Check]:
    """The built-in checks, each .rq file, and each node shape of shapes.ttl."""
    checks = list(BUILTIN)
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = read_header(text)
        level = header.get("level", "ERROR").upper()
        if level not in LEVELS:
            raise UsageError(f"{path}: Level must be one of {', '.join(LEVELS)}, not {level!r}")
        checks.append(Check(header.get("check", path.stem), level, "sparql", header.get("description", ""), text))
    shapes = directory / SHAPES_FILE
    if shapes.is_file():
        checks += _shape_checks(shapes)
    return checks


def _shape_checks(path: Path) -> list[Check]:
    """One check per node shape of a SHACL file, named by the shape's local name."""
    from rdflib import Graph, Literal

    graph = Graph().parse(path, format="turtle")
    out = []
    for shape in sorted(graph.subjects(RDF_TYPE, SH_NODE_SHAPE), key=str):
        name = local_name(str(shape))
        comment = next(
            (
                str(c)
                for c in graph.objects(shape, RDFS_COMMENT)
                if isinstance(c, Literal) and c.language in (None, "en")
            ),
            "",
        )
        parts = [shape, *graph.objects(shape, SH_PROPERTY), *graph.objects(shape, SH_SPARQL)]
        # Its level for --list: the most severe its parts can report (no severity = Violation).
        severities = [local_name(str(graph.value(part, SH_SEVERITY) or SH_VIOLATION)) for part in parts]
        level = min((SEVERITY.get(s, "ERROR") for s in severities), key=LEVELS.index)
        out.append(Check(name, level, "shacl", comment, path=str(path)))
    return out


# -- running them -------------------------------------------------------------------------------


@dataclass
class Context:
    """What the checks read: the dataset in pyoxigraph (named graphs kept), the corpus (for
    article files and the ontology) and the source index (for file:line)."""

    corpus: Corpus
    store: Store
    index: SourceIndex
    build: Build | None  # None for --data FILE
    _rdflib_graph: Graph | None = None
    drafts: tuple[
        tuple[str, str], ...
    ] = ()  # (file:line of the draft mark, article) of each mapping marked `draft: true`

    def union_graph(self) -> Graph:
        """The whole dataset merged into one rdflib Graph, ontology included (for pyshacl)."""
        if self._rdflib_graph is None:
            import pyoxigraph
            from rdflib import Graph

            data = pyoxigraph.serialize(
                (q.triple for q in self.store.quads_for_pattern(None, None, None, None)),
                format=pyoxigraph.RdfFormat.N_TRIPLES,
            )
            graph = Graph()
            graph.parse(data=data, format="nt")
            self._rdflib_graph = graph
        return self._rdflib_graph


def run_checks(
    corpus: Corpus,
    open_build: OpenBuild,
    data_file: Path | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    reasoner: str = "hermit",
) -> Report:
    """What `kg check` does: open the build (open_build makes it fresh, once the options are
    known good) or the given file, run the chosen checks and collect their findings, each
    traced to its mapping line."""
    checks = load_checks(checks_dir(corpus))
    names = [c.name for c in checks]
    for name in (*only, *skip):
        if name not in names:
            raise UnknownChoice("check", name, names)
    chosen = [c for c in checks if (not only or c.name in only) and c.name not in skip]
    context = _open(corpus, open_build, data_file)
    report = Report(checks=[c.name for c in chosen])
    for check in chosen:
        if check.kind == "sparql":
            report.findings += _run_sparql(check, context)
        elif check.kind == "shacl":
            continue
        elif check.name == "consistency":
            report.findings += check_consistency(context, reasoner)
        elif check.name == "twins":
            report.findings += check_twins(context)
        elif check.name == "quotes":
            report.findings += check_quotes(context)
        elif check.name == "drafts":
            report.findings += check_drafts(context)
    shape_names = {c.name for c in chosen if c.kind == "shacl"}
    if shape_names:
        report.findings += check_shapes(context, checks_dir(corpus) / SHAPES_FILE, shape_names)
    report.findings.sort(key=lambda f: (LEVELS.index(f.level), f.check, f.source, f.entity, f.property, f.value))
    return report


def _open(corpus: Corpus, open_build: OpenBuild, data_file: Path | None) -> Context:
    """The build with its own source index (written by the build: no re-check of the
    corpus), or a file from elsewhere traced through the corpus when it checks clean."""
    import pyoxigraph

    from kg.build import check_corpus
    from kg.errors import InputError
    from kg.sources import SourceIndex, index_sources

    if data_file is None:
        build = open_build()
        return Context(corpus, build.loaded_store(), build.sources(), build, drafts=tuple(build.drafts()))
    from kg.store import load_file

    store = load_file(data_file)
    if not any(True for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(GRAPH_ONTOLOGY)))):
        # A graph from elsewhere is read with the corpus's ontology beside it.
        from kg.ontology import load_ontology

        ontology = load_ontology(corpus.ontology_files(), corpus.display).graph
        graph = pyoxigraph.NamedNode(str(GRAPH_ONTOLOGY))
        for triple in pyoxigraph.parse(
            ontology.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
        ):
            store.add(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    drafts: tuple[tuple[str, str], ...] = ()
    try:
        checked = check_corpus(corpus)
        index = index_sources(checked)
        drafts = tuple((str(d), corpus.display(d.article)) for d in checked.drafts)
    except InputError:
        index = SourceIndex()  # a broken corpus: findings keep no file:line
    return Context(corpus, store, index, None, drafts=drafts)


def _finding(
    check: Check,
    context: Context,
    entity: Term | None,
    prop: Term | None,
    value: Term | None,
    message: str = "",
    level: str = "",
) -> Finding:
    from kg.sources import short

    where = context.index.locate(entity, prop, value) if entity is not None else ""
    return Finding(
        level=level or check.level,
        check=check.name,
        entity="" if entity is None else short(entity),
        property="" if prop is None else short(prop),
        value="" if value is None else _clip(short(value)),
        source=where,
        message=message or check.description,
    )


def _clip(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _run_sparql(check: Check, context: Context) -> list[Finding]:
    import pyoxigraph

    try:
        result = context.store.query(check.query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"check {check.name}: SPARQL syntax error: {exc}") from None
    names = {v.value for v in result.variables} if isinstance(result, pyoxigraph.QuerySolutions) else set()
    if not isinstance(result, pyoxigraph.QuerySolutions) or not {"entity", "property", "value"} <= names:
        raise QueryError(f"check {check.name}: the query must SELECT ?entity ?property ?value")
    out = []
    for row in result:
        message = row["message"].value if "message" in names and row["message"] is not None else ""
        out.append(_finding(check, context, row["entity"], row["property"], row["value"], message))
    return out


def _check(name: str) -> Check:
    return next(c for c in BUILTIN if c.name == name)


def check_consistency(context: Context, reasoner: str) -> list[Finding]:
    """Run the reasoner (kg.reason) over the asserted graphs. A `kg reason` of this very
    build has proven it consistent already: that result is reused."""
    from kg import reason

    check = _check("consistency")
    if context.build is not None and reason.proven_consistent(context.build, reasoner):
        return []
    if reasoner != "rules" and reason.java_executable() is None:
        return [
            Finding(
                "WARN",
                check.name,
                "",
                "",
                "",
                "",
                f"not checked: {reason.NAMES[reasoner]} needs Java and no `java` is on PATH "
                "(install a Java runtime, or run kg check --reasoner rules)",
            )
        ]
    import pyoxigraph

    graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph] = [
        g for g in context.store.named_graphs() if reason.is_asserted_graph(g.value)
    ]

    if any(True for _ in context.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())):
        graphs.append(pyoxigraph.DefaultGraph())
    ontology_text = reason._ontology_statements(context.corpus.ontology_files(), context.corpus.display)
    try:
        reason.reason_store(context.store, graphs, reasoner, lambda: context.index, ontology_text)
    except InconsistentError as exc:
        head = str(exc).splitlines()[0].rstrip(":")
        out = []
        for clash in exc.clashes or [Clash(head, "")]:
            entity, prop, value = clash.triple or (clash.statement, "", "")
            out.append(Finding("ERROR", check.name, entity, prop, _clip(value), clash.source, head))
        return out
    return []


# Spellings that transliterations of one Russian name differ by: Sergey / Sergei (й),
# Yeslyamova / Eslyamova (initial Е), Dvortsevoy / Dvortsevoi, Kh / H.
_VARIANTS = [("yo", "e"), ("ye", "e"), ("iy", "i"), ("yy", "i"), ("y", "i"), ("kh", "h"), ("ts", "c"), ("j", "i")]


def twin_key(label: str) -> str:
    """The comparison key for likely twins: kg.registry.fold (case, spaces, Cyrillic to Latin
    by the slug scheme), then the usual variants of transliteration made equal and doubled
    letters collapsed. Looser than the slug scheme on purpose: it only raises a warning."""
    from kg.registry import fold

    key = fold(label)
    for old, new in _VARIANTS:
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


def check_twins(context: Context) -> list[Finding]:
    """Entities whose labels (or alternative labels) have the same twin_key."""
    check = _check("twins")
    query = f"""
        SELECT ?entity ?property ?label WHERE {{
          ?entity ?property ?label .
          FILTER (?property IN (<{RDFS_LABEL}>, <{SKOS_ALT_LABEL}>))
          FILTER (isIRI(?entity) && STRSTARTS(STR(?entity), "{ID}") && isLiteral(?label))
        }}"""
    keys: dict[str, dict[str, list[tuple[NamedNode, NamedNode, OxLiteral]]]] = {}
    for row in select(context.store, query, use_default_graph_as_union=True):
        key = twin_key(row["label"].value)
        if key:
            keys.setdefault(key, {}).setdefault(row["entity"].value, []).append(
                (row["entity"], row["property"], row["label"])
            )
    out = []
    seen: set[tuple[str, str]] = set()
    for key, entities in sorted(keys.items()):
        if len(entities) < 2:
            continue
        iris = sorted(entities)
        for iri in iris:
            others = [other[len(ID) :] for other in iris if other != iri]
            pair = (iri, ",".join(others))
            if pair in seen:
                continue
            seen.add(pair)
            # the label to show: a main label before an alias, English first
            entity, prop, label = min(
                entities[iri],
                key=lambda e: (e[1].value != str(RDFS_LABEL), e[2].language != "en", e[2].value),
            )
            message = (
                f"likely the same thing as {', '.join(others)}: their labels read {key!r} once spelling is folded "
                "(merge them, or tell them apart)"
            )
            out.append(_finding(check, context, entity, prop, label, message))
    return out


def check_quotes(context: Context) -> list[Finding]:
    """Every quote selector against the article file its article names (dcterms:source)."""
    check = _check("quotes")
    query = f"""
        SELECT ?claim ?s ?p ?o ?file ?exact ?start ?end WHERE {{
          ?annotation <{OA_HAS_BODY}> ?claim ; <{OA_HAS_TARGET}> ?target .
          ?claim <{RDF_SUBJECT}> ?s ;
                 <{RDF_PREDICATE}> ?p ;
                 <{RDF_OBJECT}> ?o .
          ?target <{OA_HAS_SOURCE}> ?article ; <{OA_HAS_SELECTOR}> ?quote , ?position .
          ?quote <{OA_EXACT}> ?exact .
          ?position <{OA_START}> ?start ; <{OA_END}> ?end .
          OPTIONAL {{ ?article <{DCTERMS_SOURCE}> ?file }}
        }}"""
    texts: dict[str, str | None] = {}
    out = []
    seen = set()
    for row in select(context.store, query, use_default_graph_as_union=True):
        key = (row["claim"].value, row["exact"].value, row["start"].value)
        if key in seen:
            continue
        seen.add(key)
        file = row["file"].value if row["file"] is not None else ""
        if file not in texts:
            texts[file] = _read_article(context.corpus.root, file)
        text = texts[file]
        start, end, exact = int(row["start"].value), int(row["end"].value), row["exact"].value
        if text is None:
            problem = f"the article file {file or '(none named)'} is missing"
        elif text[start:end] != exact:
            problem = (
                f"the quote is no longer at characters {start}-{end} of {file}: the article changed since the build"
            )
        else:
            continue
        where = context.index.claims.get(row["claim"].value, "")
        finding = _finding(check, context, row["s"], row["p"], row["o"], problem)
        out.append(replace(finding, value=_clip(exact, 80), source=where or finding.source))
    return out


def check_drafts(context: Context) -> list[Finding]:
    """Each draft mapping, at the line of its mark: what the build left out, so a curator
    sees the work still to finish."""
    check = _check("drafts")
    out = []
    for source, article in context.drafts:
        message = f"draft mapping of {article}: left out of the build until its draft: line is deleted"
        out.append(Finding(check.level, check.name, article, "draft", "true", source, message))
    return out


def _read_article(root: Path, relative: str) -> str | None:
    if not relative:
        return None
    path = (root / relative).resolve()
    try:
        path.relative_to(root.resolve())  # never read outside the corpus
        return path.read_bytes().decode("utf-8")
    except (ValueError, OSError, UnicodeDecodeError):
        return None


def check_shapes(context: Context, shapes_path: Path, names: set[str]) -> list[Finding]:
    """Validate with pyshacl; one finding per result, under its node shape's name."""
    import pyshacl
    from rdflib import BNode, Graph

    shapes = Graph().parse(shapes_path, format="turtle")
    checks = {c.name: c for c in load_checks(shapes_path.parent) if c.kind == "shacl"}
    _conforms, results, _text = pyshacl.validate(
        context.union_graph(),
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    owner: dict[Node, Node] = {}  # property shape -> node shape
    for shape in shapes.subjects(RDF_TYPE, SH_NODE_SHAPE):
        owner[shape] = shape
        for prop_shape in shapes.objects(shape, SH_PROPERTY):
            owner[prop_shape] = shape
        for constraint in shapes.objects(shape, SH_SPARQL):
            owner[constraint] = shape
    out = []
    for result in results.subjects(RDF_TYPE, SH_VALIDATION_RESULT):
        source_shape = results.value(result, SH_SOURCE_SHAPE)
        node_shape = owner.get(source_shape) if source_shape is not None else None
        if node_shape is None and source_shape is not None:
            # pyshacl copies blank property shapes into the report: match them by content.
            node_shape = _match_shape(shapes, results, source_shape, owner)
        name = local_name(str(node_shape)) if node_shape is not None else "shacl"
        if name not in names:
            continue
        severity = local_name(str(results.value(result, SH_RESULT_SEVERITY)))
        message = str(results.value(result, SH_RESULT_MESSAGE) or checks.get(name, _check("consistency")).description)
        path = results.value(result, SH_RESULT_PATH)
        finding = _finding(
            checks.get(name) or Check(name, "ERROR", "shacl", ""),
            context,
            results.value(result, SH_FOCUS_NODE),
            path,
            results.value(result, SH_VALUE),
            message,
            SEVERITY.get(severity, "ERROR"),
        )
        if isinstance(path, BNode):
            finding = replace(finding, property=_path_text(results, path))
        out.append(finding)
    return sorted(set(out))


def _path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL's notation: a|b, ^p, a/b."""
    from rdflib import BNode
    from rdflib.collection import Collection

    from kg.sources import short

    if not isinstance(path, BNode):
        return short(path)
    if (alternatives := graph.value(path, SH_ALTERNATIVE_PATH)) is not None:
        return "|".join(_path_text(graph, p) for p in Collection(graph, alternatives))
    if (inverse := graph.value(path, SH_INVERSE_PATH)) is not None:
        return "^" + _path_text(graph, inverse)
    if graph.value(path, RDF_FIRST) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return ""


def _match_shape(shapes: Graph, results: Graph, source_shape: Node, owner: dict[Node, Node]) -> Node | None:
    """The node shape owning a blank property shape that pyshacl reports as a copy."""
    wanted = {(p, o) for p, o in results.predicate_objects(source_shape) if p in (SH_MESSAGE, SH_PATH, SH_MIN_COUNT)}
    for candidate, node_shape in owner.items():
        have = {(p, o) for p, o in shapes.predicate_objects(candidate) if p in (SH_MESSAGE, SH_PATH, SH_MIN_COUNT)}
        if wanted and have == wanted:
            return node_shape
    return None


# -- output ---------------------------------------------------------------------------------------

COLUMNS = ("level", "check", "entity", "property", "value", "source", "message")


def render(report: Report, fmt: str) -> str:
    """The findings as a table for a terminal, TSV (ROBOT's columns and more) or JSON."""
    if fmt not in FORMATS:
        raise UnknownChoice("format", fmt, FORMATS)
    if fmt == "json":
        data = {
            "checks": report.checks,
            "counts": {level: report.count(level) for level in LEVELS},
            "findings": [asdict(f) for f in report.findings],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "tsv":
        lines = ["\t".join(COLUMNS)]
        for f in report.findings:
            lines.append("\t".join(_tsv(getattr(f, c)) for c in COLUMNS))
        return "\n".join(lines) + "\n"
    if not report.findings:
        return "no problems found\n"
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(*(c.capitalize() for c in COLUMNS), show_lines=False)
    for f in report.findings:
        grid.add_row(*(Text(getattr(f, c)) for c in COLUMNS))
    buffer = io.StringIO()
    Console(file=buffer, width=220, force_terminal=False, color_system=None).print(grid)
    return buffer.getvalue()


def _tsv(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").split())


def describe_checks(corpus: Corpus) -> str:
    """`kg check --list`: every check with its kind, level and what it finds."""
    lines = []
    for check in load_checks(checks_dir(corpus)):
        lines.append(f"{check.name:<24} {check.kind:<8} {check.level:<6} {check.description}")
    return "\n".join(lines) + "\n"
