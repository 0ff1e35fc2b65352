"""Reasoning: what follows from what the articles state, written to its own named graph.

`kg reason` takes the asserted graph of a build (the ontology, the registry's entities and the
article and editorial graphs; not provenance or metadata) and:

1. runs an OWL 2 DL reasoner through owlready2 - HermiT by default, Pellet on request. It
   proves the graph consistent, or raises InconsistentError with an explanation: Pellet's
   justification (the axioms that clash), each statement traced back to the mapping line or
   registry entry that asserted it. owlready2 reads N-Triples, not Turtle, so the graph is
   handed over as N-Triples.
2. completes the result with SPARQL rules run to a fixpoint in pyoxigraph: sub-class and
   sub-property (so every superclass and the schema.org view are written, not only the
   most specific type owlready2 stores), domains and ranges, inverse, symmetric and
   transitive properties and property chains; and the co-production rule that OWL cannot
   state (two *different* production countries of one work co-produce; the work is a
   cafo:CoProduction).
3. writes what is new - about the project's own things, never about Wikidata's items - to
   OUT/inferred.nq as graph/inferred (and OUT/inferred.json: what it was derived from),
   atomically. `kg query --inferred` reads it beside the asserted graphs.

With `--reasoner rules` only step 2 runs (OWL 2 RL-style consequences; consistency is then
checked by clash rules: disjoint classes, two values of a functional property). That needs no
Java and is what takes over when a graph is too large for a tableau reasoner (bench/).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.built import Build, OpenBuild, construct, select
from kg.corpus import Corpus
from kg.errors import Clash, InconsistentError, ReasonerFailed, ReasonerUnavailable
from kg.iris import (
    CAFO,
    GRAPH,
    GRAPH_BACKGROUND,
    GRAPH_ENTITIES,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    ID,
    SCHEMA,
    WD,
    local_name,
)
from kg.vocab import (
    CAFO_PRODUCTION_COUNTRY,
    OWL_DIFFERENT_FROM,
    OWL_INVERSE_OF,
    OWL_SAME_AS,
    RDF,
    RDF_FIRST,
    RDF_LANG_STRING,
    RDF_NIL,
    RDF_PLAIN_LITERAL,
    RDF_REST,
    RDF_TYPE,
    RDFS_RANGE,
    sparql_prefixes,
)

REASONERS = ("hermit", "pellet", "rules")
NAMES = {"hermit": "HermiT", "pellet": "Pellet", "rules": "the rules"}

if TYPE_CHECKING:
    from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolution, Store
    from pyoxigraph import Literal as OxLiteral

    from kg.sources import SourceIndex, Term

    GraphName = NamedNode | BlankNode | DefaultGraph
    OxTerm = NamedNode | BlankNode | OxLiteral

PREFIXES = sparql_prefixes("owl", "rdf", "rdfs", "cafo")
# Scratch graphs inside the reasoning store; never written out.
_OWL_GRAPH = "urn:kg:reasoner"
_RULES_GRAPH = "urn:kg:rules"


@dataclass(frozen=True)
class ReasonReport:
    reasoner: str
    asserted: int  # triples given to the reasoner
    inferred: int  # triples written to graph/inferred
    from_reasoner: int  # of which the OWL reasoner derived directly (before the rules)
    seconds_reasoner: float
    seconds_rules: float
    out_file: str


@dataclass
class ReasonStats:
    """What reason_store measured: the triples it read, what the OWL reasoner derived, time."""

    asserted: int  # triples given to the reasoner
    from_reasoner: int = 0
    seconds_reasoner: float = 0.0
    seconds_rules: float = 0.0


@dataclass(frozen=True)
class RuleClash:
    """A contradiction the clash rules see: `entity` in two disjoint classes (kind "disjoint",
    terms: the two classes) or with two values of a functional property (kind "functional",
    terms: the property and the two values)."""

    kind: str
    entity: NamedNode | BlankNode
    terms: tuple[OxTerm, ...]


@dataclass(frozen=True)
class TurtleStatement:
    """One statement of an ontology file, on one line, with the line it starts on: where an
    explanation points for an axiom."""

    file: str
    line: int
    text: str


# -- Java ---------------------------------------------------------------------------------------


def java_executable() -> str | None:
    """The java that owlready2 will run, or None when there is none on PATH."""
    import owlready2

    found: str | None = shutil.which(owlready2.JAVA_EXE)
    return found


def require_java(reasoner: str) -> None:
    if reasoner != "rules" and java_executable() is None:
        raise ReasonerUnavailable(
            f"{NAMES[reasoner]} needs Java and no `java` is on PATH: install a Java runtime "
            "(e.g. apt install default-jre-headless) or use `--reasoner rules`; other kg commands work without it"
        )


# -- the asserted graph ---------------------------------------------------------------------------


def is_asserted_graph(name: str) -> bool:
    """The graphs a reasoner reads: ontology, entities, what articles state, editors' judgements."""
    return name in (str(GRAPH_ONTOLOGY), str(GRAPH_ENTITIES), str(GRAPH_BACKGROUND)) or name.startswith(
        (GRAPH + "article/", GRAPH + "editorial/")
    )


def open_dataset(build: Build) -> tuple[Store, list[GraphName]]:
    """A writable pyoxigraph store with the built dataset, and the names of its asserted graphs."""
    store = build.loaded_store()
    named = sorted((g for g in store.named_graphs() if is_asserted_graph(g.value)), key=lambda g: g.value)
    graphs: list[GraphName] = list(named)
    return store, graphs


def asserted_ntriples(store: Store, graphs: Sequence[GraphName]) -> bytes:
    """The asserted graphs merged, as N-Triples (what owlready2 reads)."""
    import pyoxigraph

    triples = {q.triple for g in graphs for q in store.quads_for_pattern(None, None, None, g)}
    return pyoxigraph.serialize(sorted(triples, key=str), format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


# -- the OWL reasoner (owlready2) -------------------------------------------------------------------


class _Inconsistent(Exception):
    pass


def _for_pellet(nt: bytes) -> bytes:
    """Pellet 2.3 predates rdf:langString (OWL 2's name since RDF 1.1): it reads a range of
    rdf:langString as an empty datatype and every tagged text as a contradiction. Give it the
    older name of the same datatype, rdf:PlainLiteral, as a range."""
    return nt.replace(
        f"<{RDFS_RANGE}> <{RDF_LANG_STRING}> .".encode(),
        f"<{RDFS_RANGE}> <{RDF_PLAIN_LITERAL}> .".encode(),
    )


def owl_reason(nt: bytes, reasoner: str = "hermit", java_memory_mb: int | None = None) -> bytes:
    """Run HermiT or Pellet through owlready2 on an N-Triples graph. Returns what the reasoner
    added (N-Triples): inferred types and object property values. Raises _Inconsistent or
    ReasonerFailed."""
    import owlready2
    from owlready2 import reasoning

    if java_memory_mb:
        reasoning.JAVA_MEMORY = java_memory_mb
    world = owlready2.World()
    data = _for_pellet(nt) if reasoner == "pellet" else nt
    chatter = io.StringIO()
    try:
        with contextlib.redirect_stderr(chatter), contextlib.redirect_stdout(chatter):
            world.get_ontology("urn:kg:reasoner-input").load(fileobj=io.BytesIO(data), format="ntriples")
            if reasoner == "pellet":
                # Not infer_data_property_values: owlready2 reads Pellet's answer line by line,
                # and a text value with a line break in it derails that parser. The rules
                # derive data values (the schema.org view) from sub-properties instead.
                owlready2.sync_reasoner_pellet(world, infer_property_values=True, debug=0)
            else:
                # OWL 2 has no xsd:date or xsd:gYear; HermiT refuses them unless told to ignore
                # them (the SHACL shapes check dates instead).
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
                )
        inferences = world.get_ontology(reasoning._INFERRENCES_ONTOLOGY)
        derived = world.as_rdflib_graph().get_context(inferences)
        from rdflib import Graph

        out = Graph()
        for triple in derived.triples((None, None, None)):
            out.add(triple)
        return out.serialize(format="nt", encoding="utf-8")
    except owlready2.OwlReadyInconsistentOntologyError:
        raise _Inconsistent() from None
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerFailed(f"{NAMES[reasoner]} failed: {_java_message(str(exc))}") from None
    finally:
        with contextlib.suppress(Exception):
            world.close()


def _java_message(text: str) -> str:
    """The one line of a Java error worth showing."""
    for line in text.splitlines():
        line = line.strip()
        if re.search(r"(Exception|Error)\b", line) and not line.startswith("at "):
            return line[:200]
    return (text.strip().splitlines() or ["unknown error"])[-1][:200]


def pellet_explain(nt: bytes, java_memory_mb: int = 2000, timeout: float = 300) -> list[str]:
    """Pellet's justification of an inconsistency: one set of axioms that cannot all hold,
    as Pellet words them ('ayka-2018 productionCountry samal-yeslyamova', 'Functional value',
    'DisjointClasses(Agent Place ...)'). Empty when Pellet cannot explain it."""
    import owlready2
    from owlready2 import reasoning

    with tempfile.NamedTemporaryFile("wb", suffix=".nt", delete=False) as handle:
        handle.write(_for_pellet(nt))
        path = handle.name
    command = [
        owlready2.JAVA_EXE,
        f"-Xmx{java_memory_mb}M",
        "-cp",
        reasoning._PELLET_CLASSPATH,
        "pellet.Pellet",
        "explain",
        "--ignore-imports",
        path,
    ]
    try:
        proc = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    finally:
        Path(path).unlink(missing_ok=True)
    return parse_explanation(proc.stdout.decode("utf-8", "replace"))


def parse_explanation(text: str) -> list[str]:
    """The axioms of Pellet's first explanation, one per item; multi-line axioms joined."""
    if "Explanation(s):" not in text:
        return []
    body = text.split("Explanation(s):", 1)[1]
    axioms: list[str] = []
    current, depth = "", 0
    for raw in body.splitlines():
        line = raw.strip()
        if re.match(r"^\d+\)", line):
            if axioms or current:
                break  # only the first explanation
            line = re.sub(r"^\d+\)\s*", "", line)
        if not line:
            continue
        if depth > 0:
            current += " " + line
        else:
            if current:
                axioms.append(current)
            current = line
        depth = current.count("(") - current.count(")")
    if current:
        axioms.append(current)
    return axioms


# -- rules (SPARQL, pyoxigraph) -------------------------------------------------------------------

# Each rule is a CONSTRUCT of what follows and is not yet there. They read the asserted graphs
# plus everything derived so far; the ontology is among them, so the rules follow its axioms.
GENERIC_RULES = {
    "sub-property": """
        CONSTRUCT { ?s ?q ?o } WHERE {
          ?p (rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+ ?q .
          FILTER (isIRI(?p) && isIRI(?q) && ?p != ?q)
          ?s ?p ?o .
          FILTER NOT EXISTS { ?s ?q ?o }
        }""",
    "inverse": """
        CONSTRUCT { ?o ?q ?s } WHERE {
          { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }
          FILTER (isIRI(?p) && isIRI(?q))
          ?s ?p ?o .
          FILTER (!isLiteral(?o))
          FILTER NOT EXISTS { ?o ?q ?s }
        }""",
    "symmetric": """
        CONSTRUCT { ?o ?p ?s } WHERE {
          ?p a owl:SymmetricProperty .
          ?s ?p ?o .
          FILTER (!isLiteral(?o))
          FILTER NOT EXISTS { ?o ?p ?s }
        }""",
    "domain": """
        CONSTRUCT { ?s a ?c } WHERE {
          ?p rdfs:domain ?c . FILTER (isIRI(?c))
          ?s ?p ?o .
          FILTER NOT EXISTS { ?s a ?c }
        }""",
    "range": """
        CONSTRUCT { ?o a ?c } WHERE {
          ?p rdfs:range ?c . FILTER (isIRI(?c))
          ?p a owl:ObjectProperty .
          ?s ?p ?o . FILTER (!isLiteral(?o))
          FILTER NOT EXISTS { ?o a ?c }
        }""",
    "sub-class": """
        CONSTRUCT { ?x a ?d } WHERE {
          ?c (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)+ ?d .
          FILTER (isIRI(?c) && isIRI(?d) && ?c != ?d)
          ?x a ?c .
          FILTER NOT EXISTS { ?x a ?d }
        }""",
    # OWL cannot say "two different countries" without unique names; this rule can.
    "co-production": """
        CONSTRUCT { ?a cafo:coProducedWith ?b } WHERE {
          ?work cafo:productionCountry ?a , ?b .
          FILTER (?a != ?b)
          FILTER NOT EXISTS { ?a owl:sameAs ?b }
          FILTER NOT EXISTS { ?a cafo:coProducedWith ?b }
        }""",
    "co-production work": """
        CONSTRUCT { ?work a cafo:CoProduction } WHERE {
          ?work cafo:productionCountry ?a , ?b .
          FILTER (?a != ?b)
          FILTER NOT EXISTS { ?a owl:sameAs ?b }
          FILTER NOT EXISTS { ?work a cafo:CoProduction }
        }""",
}


# What each generic rule reads, besides the ontology: the properties whose triples it joins.
# A rule is run again only when one of them got new triples in the previous round (a coarse
# semi-naive evaluation), so the last, confirming round costs little.
GENERIC_READS = {
    "sub-property": "SELECT DISTINCT ?p WHERE { ?p (rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+ ?q . FILTER (isIRI(?p) && isIRI(?q)) }",
    "inverse": "SELECT DISTINCT ?p WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } FILTER (isIRI(?p) && isIRI(?q)) }",
    "symmetric": "SELECT DISTINCT ?p WHERE { ?p a owl:SymmetricProperty }",
    "domain": "SELECT DISTINCT ?p WHERE { ?p rdfs:domain ?c . FILTER (isIRI(?c)) }",
    "range": "SELECT DISTINCT ?p WHERE { ?p rdfs:range ?c ; a owl:ObjectProperty . FILTER (isIRI(?c)) }",
}
FIXED_READS = {
    "sub-class": {str(RDF_TYPE)},
    "co-production": {str(CAFO_PRODUCTION_COUNTRY), str(OWL_SAME_AS)},
    "co-production work": {str(CAFO_PRODUCTION_COUNTRY), str(OWL_SAME_AS)},
}


@dataclass(frozen=True)
class Rule:
    name: str
    text: str  # a CONSTRUCT of what follows and is not there yet
    reads: frozenset[str]  # the properties whose new triples can make it fire again


def ontology_rules(store: Store, default_graph: list[GraphName]) -> list[Rule]:
    """The rules with what they read: the generic ones, and per property the closure of a
    transitive property and each property chain."""
    rules = []
    for name, text in GENERIC_RULES.items():
        if name in FIXED_READS:
            reads = FIXED_READS[name]
        else:
            query = PREFIXES + GENERIC_READS[name]
            reads = {row["p"].value for row in select(store, query, default_graph=default_graph)}
        rules.append(Rule(name, text, frozenset(reads)))
    transitive = select(
        store,
        PREFIXES + "SELECT ?p WHERE { ?p a owl:TransitiveProperty . FILTER (isIRI(?p)) } ORDER BY ?p",
        default_graph=default_graph,
    )
    for row in transitive:
        p = row["p"].value
        text = f"""
            CONSTRUCT {{ ?s <{p}> ?o }} WHERE {{
              ?s <{p}> ?m . ?m <{p}> ?o .
              FILTER NOT EXISTS {{ ?s <{p}> ?o }}
            }}"""
        rules.append(Rule(f"transitive {p}", text, frozenset({p})))
    chains = select(
        store,
        PREFIXES + "SELECT ?p ?list WHERE { ?p owl:propertyChainAxiom ?list } ORDER BY ?p",
        default_graph=default_graph,
    )
    for row in chains:
        steps = _chain_steps(store, row["list"])
        if steps:
            p = row["p"].value
            text = f"""
                CONSTRUCT {{ ?x <{p}> ?y }} WHERE {{
                  ?x {"/".join(steps)} ?y .
                  FILTER NOT EXISTS {{ ?x <{p}> ?y }}
                }}"""
            rules.append(Rule(f"chain {p}", text, frozenset(step.strip("^<>") for step in steps)))
    return rules


def _chain_steps(store: Store, head: OxTerm) -> list[str]:
    """An RDF list of properties (or [owl:inverseOf p]) as SPARQL path steps."""
    import pyoxigraph

    def value(node: OxTerm, predicate: str) -> OxTerm | None:
        if isinstance(node, pyoxigraph.Literal):
            return None
        found = store.quads_for_pattern(node, pyoxigraph.NamedNode(predicate), None)
        term = next((q.object for q in found), None)
        return None if isinstance(term, pyoxigraph.Triple) else term

    steps: list[str] = []
    node: OxTerm | None = head
    while node is not None and node != pyoxigraph.NamedNode(str(RDF_NIL)):
        item = value(node, str(RDF_FIRST))
        inverse = value(item, str(OWL_INVERSE_OF)) if item is not None else None
        if isinstance(inverse, pyoxigraph.NamedNode):
            steps.append(f"^<{inverse.value}>")
        elif isinstance(item, pyoxigraph.NamedNode):
            steps.append(f"<{item.value}>")
        else:
            return []
        node = value(node, str(RDF_REST))
    return steps


def apply_rules(store: Store, source_graphs: Sequence[GraphName], max_rounds: int = 50) -> int:
    """Run the rules over source_graphs + what was derived until nothing new follows.
    Derived triples go to the scratch graph _RULES_GRAPH. Returns how many were added."""
    import pyoxigraph

    target = pyoxigraph.NamedNode(_RULES_GRAPH)
    default_graph: list[GraphName] = [*source_graphs, target]
    rules = ontology_rules(store, default_graph)
    added = 0
    changed: set[str] | None = None  # None: the first round, every rule runs
    for _round in range(max_rounds):
        produced: set[str] = set()
        for rule in rules:
            if changed is not None and not rule.reads & changed:
                continue
            triples = set(construct(store, PREFIXES + rule.text, default_graph=default_graph))
            if triples:
                store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, target) for t in triples)
                produced.update(t.predicate.value for t in triples)
                added += len(triples)
        if not produced:
            break
        changed = produced
    return added


def find_clashes(store: Store, source_graphs: Sequence[GraphName], limit: int = 5) -> list[RuleClash]:
    """Contradictions the rules can see: a thing in two disjoint classes, a functional property
    with two different values (two literals of different value, or two individuals declared
    different). Each a RuleClash: what to trace back to the mappings.

    The axioms are read first and the data queried per axiom: one unanchored query over
    both is slow in Oxigraph."""
    import pyoxigraph

    default_graph: list[GraphName] = [*source_graphs, pyoxigraph.NamedNode(_RULES_GRAPH)]

    def rows(text: str) -> list[QuerySolution]:
        return list(select(store, PREFIXES + text, default_graph=default_graph))

    disjoint = rows(
        """SELECT DISTINCT ?c1 ?c2 WHERE {
             { ?c1 owl:disjointWith ?c2 } UNION { ?c2 owl:disjointWith ?c1 }
             UNION
             { ?all a owl:AllDisjointClasses ; owl:members ?list .
               ?list rdf:rest*/rdf:first ?c1 . ?list rdf:rest*/rdf:first ?c2 }
             FILTER (isIRI(?c1) && isIRI(?c2) && STR(?c1) < STR(?c2))
           }"""
    )
    different = {
        frozenset((row["a"], row["b"]))
        for row in rows(
            """SELECT DISTINCT ?a ?b WHERE {
                 { ?a owl:differentFrom ?b }
                 UNION
                 { ?all a owl:AllDifferent ; (owl:members|owl:distinctMembers) ?list .
                   ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (?a != ?b) }
               }"""
        )
    }
    found: list[RuleClash] = []
    if disjoint:
        values = " ".join(f"(<{row['c1'].value}> <{row['c2'].value}>)" for row in disjoint)
        for row in rows(
            f"""SELECT DISTINCT ?x ?c1 ?c2 WHERE {{
                  VALUES (?c1 ?c2) {{ {values} }}
                  ?x a ?c1 . ?x a ?c2 .
                }} ORDER BY ?x ?c1 ?c2 LIMIT {limit}"""
        ):
            found.append(RuleClash("disjoint", row["x"], (row["c1"], row["c2"])))
    for prop in rows("SELECT ?p WHERE { ?p a owl:FunctionalProperty . FILTER (isIRI(?p)) } ORDER BY ?p"):
        p = prop["p"]
        for row in rows(
            f"""SELECT ?x ?v1 ?v2 ?differ WHERE {{
                  ?x <{p.value}> ?v1 , ?v2 .
                  FILTER (STR(?v1) < STR(?v2) || (STR(?v1) = STR(?v2) && !sameTerm(?v1, ?v2)))
                  BIND (isLiteral(?v1) && isLiteral(?v2) && ?v1 != ?v2 AS ?differ)
                }} ORDER BY ?x"""
        ):
            v1, v2 = row["v1"], row["v2"]
            literal_clash = row["differ"] is not None and row["differ"].value == "true"
            if literal_clash or frozenset((v1, v2)) in different:
                found.append(RuleClash("functional", row["x"], (p, v1, v2)))
                if len(found) >= limit * 2:
                    return found
    return found


def explain_clash(
    store: Store,
    source_graphs: Sequence[GraphName],
    clash: RuleClash,
    index: SourceIndex,
    ontology_text: Sequence[TurtleStatement],
) -> list[Clash]:
    """The asserted statements behind one clash, each with the file and line that made it."""
    import pyoxigraph

    from kg.sources import short

    x = clash.entity
    out: list[Clash] = []
    if clash.kind == "functional":
        p, v1, v2 = clash.terms
        for value in (v1, v2):
            where = index.of_triple(x, p, value)
            out.append(_stated(x, p, value, where[0] if where else ""))
        out.append(Clash(f"{short(p)} has one value at most", _ontology_line(ontology_text, [p.value], "Functional")))
        if not (isinstance(v1, pyoxigraph.Literal)):
            out.append(
                Clash(
                    f"{short(v1)} and {short(v2)} are different", _ontology_line(ontology_text, [v1.value], "Different")
                )
            )
        return out
    c1, c2 = clash.terms
    query = (
        PREFIXES
        + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
          VALUES ?c {{ <{c1.value}> <{c2.value}> }}
          VALUES ?x {{ <{x.value}> }}
          {{ ?x a ?t . ?t (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)* ?c .
            BIND (?x AS ?s) BIND (rdf:type AS ?p) BIND (?t AS ?o) }}
          UNION
          {{ ?x ?p ?o . ?p rdfs:subPropertyOf*/rdfs:domain/rdfs:subClassOf* ?c . BIND (?x AS ?s) }}
          UNION
          {{ ?s ?p ?x . ?p rdfs:subPropertyOf*/rdfs:range/rdfs:subClassOf* ?c . BIND (?x AS ?o) }}
        }} ORDER BY ?s ?p ?o LIMIT 12"""
    )
    for row in select(store, query, default_graph=list(source_graphs)):
        s, p, o = row["s"], row["p"], row["o"]
        where = index.of_triple(s, p, o)
        if not where and p.value == str(RDF_TYPE):
            where = [index.of_entity(s.value)]
        out.append(_stated(s, p, o, where[0] if where else ""))
    out.append(
        Clash(
            f"{short(c1)} and {short(c2)} are disjoint",
            _ontology_line(ontology_text, [c1.value, c2.value], "isjoint"),
        )
    )
    return out


# -- explanations in the curator's terms --------------------------------------------------------------


def _ontology_statements(files: list[Path], display: Callable[[Path], str]) -> list[TurtleStatement]:
    """The ontology's Turtle statements with their first line: where to point for an axiom."""
    statements = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        start: int | None = None
        chunk: list[str] = []
        for number, line in enumerate(lines, start=1):
            if start is None:
                if not line.strip() or line.lstrip().startswith(("#", "@prefix")):
                    continue
                start, chunk = number, []
            chunk.append(line.split(" #", 1)[0])
            if line.rstrip().endswith(" .") or line.rstrip() == ".":
                statements.append(TurtleStatement(display(path), start, " ".join(chunk)))
                start = None
    return statements


def _ontology_line(ontology_text: Sequence[TurtleStatement], iris: list[str], keyword: str = "") -> str:
    """The first ontology statement that names every term (and the keyword): 'file:line'."""
    names = []
    for iri in iris:
        for prefix, namespace in (("cafo:", str(CAFO)), ("schema:", str(SCHEMA))):
            if iri.startswith(namespace):
                names.append(prefix + iri[len(namespace) :])
    if not names:
        return ""
    patterns = [re.compile(re.escape(name) + r"(?![\w-])") for name in names]
    for wanted in (keyword, ""):
        for statement in ontology_text:
            text = statement.text
            if all(p.search(text) for p in patterns) and (not wanted or wanted in text):
                return f"{statement.file}:{statement.line}"
    return ""


TBOX_WORDS = {
    "subClassOf": "rdfs:subClassOf",
    "subPropertyOf": "rdfs:subPropertyOf",
    "range": "rdfs:range",
    "domain": "rdfs:domain",
    "inverseOf": "owl:inverseOf",
    "Functional": "Functional",
    "Disjoint": "isjoint",
    "disjointWith": "isjoint",
    "DifferentIndividuals": "AllDifferent",
    "differentFrom": "AllDifferent",
    "Transitive": "Transitive",
    "Symmetric": "Symmetric",
}


def describe_pellet(
    axioms: list[str],
    store: Store,
    source_graphs: Sequence[GraphName],
    index: SourceIndex,
    ontology_text: Sequence[TurtleStatement],
) -> list[Clash]:
    """Pellet's axioms name things by local name ('ayka-2018 productionCountry
    samal-yeslyamova'). Find the asserted triple each statement is about and the mapping line
    that asserted it; point axioms of the ontology at their line in the Turtle file. The
    curator's own statements come first."""
    import pyoxigraph

    names: dict[str, set[str]] = {}
    for graph in source_graphs:
        for quad in store.quads_for_pattern(None, None, None, graph):
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, pyoxigraph.NamedNode) and (local := local_name(term.value)):
                    names.setdefault(local, set()).add(term.value)

    def candidates(token: str) -> list[str]:
        found = sorted(names.get(token, ()))
        return [iri for iri in found if iri.startswith((ID, str(CAFO), str(RDF)))] or found

    stated: list[Clash] = []
    axioms_out: list[Clash] = []
    for axiom in axioms:
        clash = _assertion(axiom, candidates, store, source_graphs, index)
        if clash is not None:
            stated.append(clash)
            continue
        terms = [iri for token in re.findall(r"[\w-]+", axiom) for iri in candidates(token)[:1]]
        own = [iri for iri in terms if iri.startswith(str(CAFO))]
        keyword = next((TBOX_WORDS[w] for w in TBOX_WORDS if w in axiom), "")
        where = _ontology_line(ontology_text, own, keyword) or _ontology_line(ontology_text, own[:1], keyword)
        axioms_out.append(Clash(axiom, where))
    return stated + axioms_out


def _assertion(
    axiom: str,
    candidates: Callable[[str], list[str]],
    store: Store,
    source_graphs: Sequence[GraphName],
    index: SourceIndex,
) -> Clash | None:
    """'subject property object' as Pellet prints a fact -> the asserted triple, with the file
    and line of the fact (or the registry entry, for a type)."""
    import pyoxigraph

    tokens = axiom.split()
    if len(tokens) != 3 or "(" in axiom or tokens[1] in TBOX_WORDS:
        return None
    wanted = tokens[2].strip('"')
    for s in candidates(tokens[0]):
        for p in candidates(tokens[1]):
            for quad in store.quads_for_pattern(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), None, None):
                o = quad.object
                if quad.graph_name not in source_graphs or isinstance(o, pyoxigraph.Triple):
                    continue
                if (o.value if isinstance(o, pyoxigraph.Literal) else local_name(o.value)) != wanted:
                    continue
                where = index.of_triple(quad.subject, quad.predicate, o)
                if not where and p == str(RDF_TYPE):
                    where = [index.of_entity(s)]
                return _stated(quad.subject, quad.predicate, o, next(iter(where), ""))
    return None


def _stated(s: Term, p: Term, o: Term, source: str) -> Clash:
    from kg.sources import short

    triple = (short(s), short(p), short(o))
    return Clash(" ".join(triple), source, triple)


# -- the command ------------------------------------------------------------------------------------


def materialise(store: Store, source_graphs: Sequence[GraphName]) -> list[Quad]:
    """What the reasoner and the rules derived that is neither asserted nor in graph/entailed,
    about the project's own things: quads in graph/inferred, sorted."""
    import pyoxigraph

    from kg.entail import GRAPH_ENTAILED

    # What the build's graph already holds: the asserted graphs, and graph/entailed (the
    # superclasses and schema.org terms the build adds, which the reasoner does not read).
    # A triple in two graphs would be answered twice by `kg query --inferred` on Oxigraph.
    present: set[GraphName] = {*source_graphs, pyoxigraph.NamedNode(str(GRAPH_ENTAILED))}
    inferred = pyoxigraph.NamedNode(str(GRAPH_INFERRED))
    keep = set()

    def new(quad: Quad) -> bool:
        found = store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        return not any(q.graph_name in present for q in found)

    # The rules only add what is not asserted yet; the reasoner's output is checked here.
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(_OWL_GRAPH)):
        if new(quad):
            keep.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, inferred))
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(_RULES_GRAPH)):
        if _worth_keeping(quad) and new(quad):
            keep.add(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, inferred))
    return sorted(keep, key=str)


def _worth_keeping(quad: Quad) -> bool:
    """About our things (entity and node IRIs), in our or schema.org's terms; nothing about
    Wikidata's items (owl:sameAs would copy every fact onto them) and no OWL bookkeeping."""
    import pyoxigraph

    s, p, o = quad.subject, quad.predicate, quad.object
    if not isinstance(s, pyoxigraph.NamedNode) or not s.value.startswith(ID):
        return False
    if isinstance(o, pyoxigraph.BlankNode) or (isinstance(o, pyoxigraph.NamedNode) and o.value.startswith(str(WD))):
        return False
    if p.value in (str(OWL_SAME_AS), str(OWL_DIFFERENT_FROM)):
        return False
    if p.value == str(RDF_TYPE):
        return isinstance(o, pyoxigraph.NamedNode) and o.value.startswith((str(CAFO), str(SCHEMA)))
    return True


def reason_store(
    store: Store,
    source_graphs: Sequence[GraphName],
    reasoner: str = "hermit",
    sources: Callable[[], SourceIndex] | None = None,
    ontology_text: Sequence[TurtleStatement] = (),
    java_memory_mb: int | None = None,
) -> tuple[list[Quad], ReasonStats]:
    """Reason over a store: (quads for graph/inferred, timings and counts). Raises
    InconsistentError with the clash traced back through `sources`, a function returning a
    kg.sources.SourceIndex (called only then: indexing the mappings costs a re-check)."""
    import pyoxigraph

    from kg.sources import SourceIndex

    def index() -> SourceIndex:
        return sources() if sources else SourceIndex()

    nt = asserted_ntriples(store, source_graphs)
    stats = ReasonStats(asserted=nt.count(b"\n"))
    owl_graph = pyoxigraph.NamedNode(_OWL_GRAPH)
    try:
        if reasoner != "rules":
            require_java(reasoner)
            started = time.perf_counter()
            try:
                derived = owl_reason(nt, reasoner, java_memory_mb)
            except _Inconsistent:
                axioms = pellet_explain(nt, java_memory_mb or 2000)
                clashes = describe_pellet(axioms, store, source_graphs, index(), ontology_text) if axioms else []
                explained_by = "Pellet's explanation"
                if not clashes:
                    apply_rules(store, source_graphs)
                    clashes = _rule_explanation(store, source_graphs, index(), ontology_text)
                    explained_by = "found by the clash rules"
                raise InconsistentError(reasoner, clashes, explained_by, NAMES.get(reasoner)) from None
            stats.seconds_reasoner = round(time.perf_counter() - started, 3)
            # Only what is about our own things goes on to the rules: a value copied onto a
            # Wikidata item by owl:sameAs would make Kazakhstan and Q232 look like two countries.
            quads = [
                pyoxigraph.Quad(t.subject, t.predicate, t.object, owl_graph)
                for t in pyoxigraph.parse(derived, format=pyoxigraph.RdfFormat.N_TRIPLES)
            ]
            quads = [q for q in quads if _worth_keeping(q)]
            store.extend(quads)
            stats.from_reasoner = len(quads)
            source_graphs = [*source_graphs, owl_graph]
        started = time.perf_counter()
        apply_rules(store, source_graphs)
        # Also after an OWL reasoner: HermiT ignores xsd:date and xsd:gYear (not OWL 2
        # datatypes), so two different years of one work get past it, not past these rules.
        if find_clashes(store, source_graphs):
            clashes = _rule_explanation(store, source_graphs, index(), ontology_text)
            if clashes:
                raise InconsistentError("rules", clashes, "found by the clash rules", NAMES["rules"])
        quads = materialise(store, [g for g in source_graphs if g != owl_graph])
        stats.seconds_rules = round(time.perf_counter() - started, 3)
        return quads, stats
    finally:
        # The store is the caller's: leave it as it was (kg check runs more checks on it).
        for scratch in (_OWL_GRAPH, _RULES_GRAPH):
            store.remove_graph(pyoxigraph.NamedNode(scratch))


def _rule_explanation(
    store: Store, source_graphs: Sequence[GraphName], index: SourceIndex, ontology_text: Sequence[TurtleStatement]
) -> list[Clash]:
    import pyoxigraph

    clashes = find_clashes(store, source_graphs)
    if not clashes:
        return []
    asserted = [g for g in source_graphs if g != pyoxigraph.NamedNode(_OWL_GRAPH)]
    return explain_clash(store, asserted, clashes[0], index, ontology_text)


def reason(corpus: Corpus, open_build: OpenBuild, reasoner: str = "hermit") -> ReasonReport:
    """What `kg reason` does: reason over the build (open_build makes it fresh, once the
    reasoner can run), write OUT/inferred.nq and OUT/inferred.json atomically. On
    inconsistency (or a missing Java) nothing is written. Clashes are traced to file:line
    through the build's own source index (no re-reading of the corpus)."""
    import pyoxigraph

    from kg.errors import UnknownChoice
    from kg.serialize import sorted_lines

    if reasoner not in REASONERS:
        raise UnknownChoice("reasoner", reasoner, REASONERS)
    require_java(reasoner)
    build = open_build()
    store, graphs = open_dataset(build)
    ontology_text = _ontology_statements(corpus.ontology_files(), corpus.display)
    quads, stats = reason_store(store, graphs, reasoner, build.sources, ontology_text)
    nquads = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""
    data = sorted_lines(nquads) if quads else b""
    report = ReasonReport(
        reasoner=reasoner,
        asserted=stats.asserted,
        inferred=len(quads),
        from_reasoner=stats.from_reasoner,
        seconds_reasoner=stats.seconds_reasoner,
        seconds_rules=stats.seconds_rules,
        out_file=str(build.inferred_file),
    )
    build.write_inferred(data, str(GRAPH_INFERRED), asdict(report))
    return report


def proven_consistent(build: Build, reasoner: str) -> bool:
    """True when `kg reason` with this reasoner (or an OWL reasoner, when the rules are
    asked for) found the current build consistent."""
    info = build.inferred_info()
    if info is None:
        return False
    used = info.reasoner
    return used == reasoner or (reasoner == "rules" and used in ("hermit", "pellet"))
