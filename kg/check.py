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
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.errors import QueryError, UnknownChoice, UsageError
from kg.iris import GRAPH_ONTOLOGY, ID, OA

LEVELS = ("ERROR", "WARN", "INFO")
FAIL_ON = (*LEVELS, "NONE")
FORMATS = ("table", "tsv", "json")
SEVERITY = {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}
CHECKS_DIR = "checks"
SHAPES_FILE = "shapes.ttl"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


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


def checks_dir(corpus) -> Path:
    """The corpus's ontology/checks/, or the bundled one when the corpus has none."""
    from kg.corpus import bundled_root

    own = corpus.ontology_dir / CHECKS_DIR
    return own if own.is_dir() else bundled_root() / "ontology" / CHECKS_DIR


def load_checks(directory: Path) -> list[Check]:
    """The built-in checks, each .rq file, and each node shape of shapes.ttl."""
    checks = list(BUILTIN)
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = _header(text)
        level = header.get("level", "ERROR").upper()
        if level not in LEVELS:
            raise UsageError(f"{path}: Level must be one of {', '.join(LEVELS)}, not {level!r}")
        checks.append(Check(header.get("check", path.stem), level, "sparql", header.get("description", ""), text))
    shapes = directory / SHAPES_FILE
    if shapes.is_file():
        for name, level, description in _shape_checks(shapes):
            checks.append(Check(name, level, "shacl", description, path=str(shapes)))
    return checks


def _header(text: str) -> dict[str, str]:
    """'# Key: value' lines at the top of a file; indented '#   more' lines continue a value."""
    fields: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"^#\s*([A-Za-z]+):\s*(.*)$", line)
        if match:
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif key and line[1:].strip():
            fields[key] += " " + line[1:].strip()
    return fields


def _shape_checks(path: Path) -> list[tuple[str, str, str]]:
    from rdflib import RDF, RDFS, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    graph = Graph().parse(path, format="turtle")
    out = []
    for shape in sorted(graph.subjects(RDF.type, sh.NodeShape)):
        name = _local(str(shape))
        comment = next((str(c) for c in graph.objects(shape, RDFS.comment) if c.language in (None, "en")), "")
        parts = [shape, *graph.objects(shape, sh.property), *graph.objects(shape, sh.sparql)]
        # Its level for --list: the most severe its parts can report (no severity = Violation).
        severities = [_local(str(graph.value(part, sh.severity) or sh.Violation)) for part in parts]
        level = min((SEVERITY.get(s, "ERROR") for s in severities), key=LEVELS.index)
        out.append((name, level, comment))
    return out


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


# -- running them -------------------------------------------------------------------------------


@dataclass
class Context:
    """What the checks read: the dataset in pyoxigraph (named graphs kept), the corpus (for
    article files and the ontology) and the source index (for file:line)."""

    corpus: object
    store: object
    index: object
    out_dir: Path | None
    from_build: bool
    _rdflib_graph: object = None
    drafts: tuple = ()  # kg.mapping.Draft of each mapping marked `draft: true`

    def union_graph(self):
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
    corpus,
    out_dir: Path,
    data_file: Path | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    reasoner: str = "hermit",
) -> Report:
    """What `kg check` does: open the build (rebuilt when stale) or the given file, run the
    chosen checks and collect their findings, each traced to its mapping line."""
    checks = load_checks(checks_dir(corpus))
    names = [c.name for c in checks]
    for name in (*only, *skip):
        if name not in names:
            raise UnknownChoice("check", name, names)
    chosen = [c for c in checks if (not only or c.name in only) and c.name not in skip]
    context = _open(corpus, out_dir, data_file)
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


def _open(corpus, out_dir: Path, data_file: Path | None) -> Context:
    import pyoxigraph

    from kg.build import OUTPUTS, check_corpus, ensure_built
    from kg.errors import InputError
    from kg.sources import SourceIndex, index_sources

    if data_file is None:
        ensure_built(corpus, out_dir)
        store = pyoxigraph.Store()
        store.bulk_load(path=str(out_dir / OUTPUTS["nquads"]), format=pyoxigraph.RdfFormat.N_QUADS)
        checked = check_corpus(corpus)
        return Context(corpus, store, index_sources(checked), out_dir, True, drafts=checked.drafts)
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
    drafts = ()
    try:
        checked = check_corpus(corpus)
        index, drafts = index_sources(checked), checked.drafts
    except InputError:
        index = SourceIndex()  # a broken corpus: findings keep no file:line
    return Context(corpus, store, index, None, False, drafts=drafts)


def _finding(check: Check, context: Context, entity, prop, value, message: str = "", level: str = "") -> Finding:
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
    try:
        result = context.store.query(check.query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"check {check.name}: SPARQL syntax error: {exc}") from None
    names = {v.value for v in result.variables}
    if not {"entity", "property", "value"} <= names:
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
    if context.from_build and context.out_dir is not None and reason.proven_consistent(context.out_dir, reasoner):
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
    graphs = [g for g in context.store.named_graphs() if reason.is_asserted_graph(g.value)]
    import pyoxigraph

    if any(True for _ in context.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())):
        graphs.append(pyoxigraph.DefaultGraph())
    ontology_text = reason._ontology_statements(context.corpus.ontology_files(), context.corpus.display)
    try:
        reason.reason_store(context.store, graphs, reasoner, lambda: context.index, ontology_text)
    except reason.InconsistentError as exc:
        head = str(exc).splitlines()[0].rstrip(":")
        out = []
        for clash in exc.clashes or [reason.Clash(head, "")]:
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
          FILTER (?property IN (<{RDFS_LABEL}>, <{SKOS_ALT}>))
          FILTER (isIRI(?entity) && STRSTARTS(STR(?entity), "{ID}") && isLiteral(?label))
        }}"""
    keys: dict[str, dict[str, list[tuple]]] = {}
    for row in context.store.query(query, use_default_graph_as_union=True):
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
                key=lambda e: (e[1].value != RDFS_LABEL, e[2].language != "en", e[2].value),
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
          ?annotation <{OA.hasBody}> ?claim ; <{OA.hasTarget}> ?target .
          ?claim <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o .
          ?target <{OA.hasSource}> ?article ; <{OA.hasSelector}> ?quote , ?position .
          ?quote <{OA.exact}> ?exact .
          ?position <{OA.start}> ?start ; <{OA.end}> ?end .
          OPTIONAL {{ ?article <{DCTERMS_SOURCE}> ?file }}
        }}"""
    texts: dict[str, str | None] = {}
    out = []
    seen = set()
    for row in context.store.query(query, use_default_graph_as_union=True):
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
        out.append(Finding(**{**asdict(finding), "value": _clip(exact, 80), "source": where or finding.source}))
    return out


def check_drafts(context: Context) -> list[Finding]:
    """Each draft mapping, at the line of its mark: what the build left out, so a curator
    sees the work still to finish."""
    check = _check("drafts")
    out = []
    for draft in context.drafts:
        article = context.corpus.display(draft.article)
        message = f"draft mapping of {article}: left out of the build until its draft: line is deleted"
        out.append(Finding(check.level, check.name, article, "draft", "true", str(draft), message))
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
    from rdflib import RDF, BNode, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph().parse(shapes_path, format="turtle")
    checks = {c.name: c for c in load_checks(shapes_path.parent) if c.kind == "shacl"}
    _conforms, results, _text = pyshacl.validate(
        context.union_graph(),
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    owner = {}  # property shape -> node shape
    for node_shape in shapes.subjects(RDF.type, sh.NodeShape):
        owner[node_shape] = node_shape
        for prop_shape in shapes.objects(node_shape, sh.property):
            owner[prop_shape] = node_shape
        for constraint in shapes.objects(node_shape, sh.sparql):
            owner[constraint] = node_shape
    out = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        source_shape = results.value(result, sh.sourceShape)
        node_shape = owner.get(source_shape)
        if node_shape is None:
            # pyshacl copies blank property shapes into the report: match them by content.
            node_shape = _match_shape(shapes, results, source_shape, owner)
        name = _local(str(node_shape)) if node_shape is not None else "shacl"
        if name not in names:
            continue
        severity = _local(str(results.value(result, sh.resultSeverity)))
        message = str(results.value(result, sh.resultMessage) or checks.get(name, _check("consistency")).description)
        path = results.value(result, sh.resultPath)
        finding = _finding(
            checks.get(name) or Check(name, "ERROR", "shacl", ""),
            context,
            results.value(result, sh.focusNode),
            path,
            results.value(result, sh.value),
            message,
            SEVERITY.get(severity, "ERROR"),
        )
        if isinstance(path, BNode):
            finding = Finding(**{**asdict(finding), "property": _path_text(results, path)})
        out.append(finding)
    return sorted(set(out))


def _path_text(graph, path) -> str:
    """A SHACL property path in SPARQL's notation: a|b, ^p, a/b."""
    from rdflib import RDF, BNode, Namespace
    from rdflib.collection import Collection

    from kg.sources import short

    sh = Namespace("http://www.w3.org/ns/shacl#")
    if not isinstance(path, BNode):
        return short(path)
    if (alternatives := graph.value(path, sh.alternativePath)) is not None:
        return "|".join(_path_text(graph, p) for p in Collection(graph, alternatives))
    if (inverse := graph.value(path, sh.inversePath)) is not None:
        return "^" + _path_text(graph, inverse)
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return ""


def _match_shape(shapes, results, source_shape, owner):
    """The node shape owning a blank property shape that pyshacl reports as a copy."""
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    wanted = {(p, o) for p, o in results.predicate_objects(source_shape) if p in (sh.message, sh.path, sh.minCount)}
    for candidate, node_shape in owner.items():
        have = {(p, o) for p, o in shapes.predicate_objects(candidate) if p in (sh.message, sh.path, sh.minCount)}
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


def describe_checks(corpus) -> str:
    """`kg check --list`: every check with its kind, level and what it finds."""
    lines = []
    for check in load_checks(checks_dir(corpus)):
        lines.append(f"{check.name:<24} {check.kind:<8} {check.level:<6} {check.description}")
    return "\n".join(lines) + "\n"
