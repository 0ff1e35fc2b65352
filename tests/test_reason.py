"""kg reason: consistency, what the inferred graph holds, both routes to co-producing countries,
explanations of an inconsistency, and life without Java."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from kg.built import Build
from tests.conftest import SEED_CORPUS, invoke, run_kg, snapshot

ID = "https://w3id.org/ca-film/id/"
CAFO = "https://w3id.org/ca-film/ontology#"
SCHEMA = "https://schema.org/"
INFERRED = "https://w3id.org/ca-film/graph/inferred"
HAS_JAVA = shutil.which("java") is not None
JAVA = [pytest.mark.java, pytest.mark.skipif(not HAS_JAVA, reason="no java on PATH")]


def java(test):
    """A test that runs an OWL reasoner: marked `java`, skipped only when java is absent."""
    for mark in JAVA:
        test = mark(test)
    return test


COPRODUCING = ["China", "Germany", "Poland", "Russia"]
BY_SYMMETRIC_RELATION = """# Title: Countries co-producing with Kazakhstan, from the inferred relation
PREFIX cafo: <https://w3id.org/ca-film/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX country: <https://w3id.org/ca-film/id/country/>
SELECT DISTINCT ?country ?label WHERE {
  { country:kazakhstan cafo:coProducedWith ?country } UNION { ?country cafo:coProducedWith country:kazakhstan }
  ?country rdfs:label ?label . FILTER (lang(?label) = "en")
} ORDER BY ?label
"""


def _reasoned(tmp_path_factory, reasoner: str) -> Path:
    out = tmp_path_factory.mktemp(f"reasoned-{reasoner}")
    result = invoke("reason", "--reasoner", reasoner, "--out", str(out), project=SEED_CORPUS)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def hermit_out(tmp_path_factory) -> Path:
    if not HAS_JAVA:
        pytest.skip("no java on PATH")
    return _reasoned(tmp_path_factory, "hermit")


@pytest.fixture(scope="session")
def rules_out(tmp_path_factory) -> Path:
    return _reasoned(tmp_path_factory, "rules")


def _quads(path: Path) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))


def _triples(path: Path) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in _quads(path)}


def _labels(output: str) -> list[str]:
    return [line.split(",")[1] for line in output.splitlines()[1:]]


@java
def test_seed_graph_is_consistent_and_the_inferred_graph_is_written(hermit_out):
    info = json.loads((hermit_out / "inferred.json").read_text(encoding="utf-8"))
    assert "consistent" not in info["report"] and info["report"]["reasoner"] == "hermit"
    assert info["graph"] == INFERRED
    quads = _quads(hermit_out / "inferred.nq")
    assert len(quads) == info["report"]["inferred"] > 50  # beyond graph/entailed: inverses, chains...
    # Its own named graph, never an article's.
    assert {q.graph_name.value for q in quads} == {INFERRED}


@java
def test_both_routes_give_the_countries_coproducing_with_kazakhstan(hermit_out, tmp_path):
    stated = invoke("query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv", "--out", str(hermit_out))
    assert stated.exit_code == 0, stated.output
    assert _labels(stated.output) == COPRODUCING

    query = tmp_path / "by_relation.rq"
    query.write_text(BY_SYMMETRIC_RELATION, encoding="utf-8")
    derived = invoke("query", str(query), "-f", "csv", "--inferred", "--out", str(hermit_out))
    assert derived.exit_code == 0, derived.output
    assert _labels(derived.output) == COPRODUCING
    # The relation exists only in the inferred graph: asserted alone, the route finds nothing.
    asserted_only = invoke("query", str(query), "-f", "csv", "--out", str(hermit_out))
    assert _labels(asserted_only.output) == []


@java
def test_coproduction_is_symmetric_and_never_links_a_country_to_itself(hermit_out):
    pairs = {(s, o) for s, p, o in _triples(hermit_out / "inferred.nq") if p == CAFO + "coProducedWith"}
    assert pairs and all((o, s) in pairs for s, o in pairs)
    assert all(s != o for s, o in pairs)
    assert (ID + "country/china", ID + "country/kazakhstan") in pairs  # two works: Ayka and Ili
    assert (ID + "country/russia", ID + "country/poland") in pairs  # Ayka alone


@java
def test_inferred_graph_holds_inverses_classes_and_the_schema_org_view(hermit_out):
    triples = _triples(hermit_out / "inferred.nq")
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    ayka, dvortsevoy = ID + "film/ayka-2018", ID + "person/sergey-dvortsevoy"
    # inverse relations
    assert (dvortsevoy, CAFO + "directorOf", ayka) in triples
    assert (ID + "country/kazakhstan", CAFO + "productionCountryOf", ayka) in triples
    # class membership from subclasses and the schema.org alignment: the build's graph/entailed
    # holds it already, so graph/inferred does not repeat it (`--inferred` would answer twice)
    entailed = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in _quads(hermit_out / "graph.nq")
        if q.graph_name.value == "https://w3id.org/ca-film/graph/entailed"
    }
    schema_view = {
        (ayka, rdf_type, CAFO + "Work"),
        (ayka, rdf_type, SCHEMA + "Movie"),
        (ayka, rdf_type, SCHEMA + "CreativeWork"),
        (dvortsevoy, rdf_type, SCHEMA + "Person"),
        (ayka, SCHEMA + "director", dvortsevoy),
    }
    assert schema_view <= entailed and not schema_view & triples
    assert not entailed & triples
    # the property chain: an AwardWin node gives wonAward
    assert (ID + "person/samal-yeslyamova", CAFO + "wonAward", ID + "award/cannes-best-actress") in triples
    # co-productions: two or more production countries, and only those
    coproductions = {s for s, p, o in triples if p == rdf_type and o == CAFO + "CoProduction"}
    assert coproductions == {ayka, ID + "series/waiting-for-you-in-ili"}
    # about our own things only: nothing about Wikidata items, no OWL bookkeeping
    assert all(s.startswith(ID) for s, _, _ in triples)
    assert not any(o.startswith("http://www.wikidata.org/") for _, _, o in triples)
    assert not any(o.startswith("http://www.w3.org/2002/07/owl#") for _, _, o in triples)


@java
def test_inferred_triples_are_not_asserted_and_article_graphs_are_untouched(hermit_out, built):
    asserted = {(q.subject, q.predicate, q.object) for q in _quads(hermit_out / "graph.nq")}
    inferred = {(q.subject, q.predicate, q.object) for q in _quads(hermit_out / "inferred.nq")}
    assert not asserted & inferred
    assert (hermit_out / "graph.nq").read_bytes() == (built / "graph.nq").read_bytes()


@java
def test_hermit_derives_the_property_chain_itself(built):
    """owlready2 fills inverse and symmetric values on its own; a chain needs the reasoner."""
    from kg.reason import asserted_ntriples, open_dataset, owl_reason

    store, graphs = open_dataset(Build(built))
    derived = owl_reason(asserted_ntriples(store, graphs), "hermit")
    wanted = f"<{ID}person/samal-yeslyamova> <{CAFO}wonAward> <{ID}award/cannes-best-actress> .".encode()
    assert wanted in derived.splitlines()


@java
def test_pellet_and_the_rules_derive_what_hermit_derives(hermit_out, rules_out, tmp_path_factory):
    pellet_out = _reasoned(tmp_path_factory, "pellet")
    hermit = (hermit_out / "inferred.nq").read_bytes()
    assert (pellet_out / "inferred.nq").read_bytes() == hermit
    assert (rules_out / "inferred.nq").read_bytes() == hermit


@pytest.mark.slow  # a build and a reasoning in real processes
def test_rules_alone_work_without_java(tmp_path):
    """No java on PATH: HermiT says so in one line (exit 3), the rules and the rest of kg work."""
    out = tmp_path / "out"
    env = {"PATH": str(tmp_path)}  # python is run by its full path; nothing else is found
    proc = run_kg("--project", str(SEED_CORPUS), "reason", "--out", str(out), env=env)
    assert proc.returncode == 3
    assert proc.stderr.strip().splitlines() == [
        "error: HermiT needs Java and no `java` is on PATH: install a Java runtime "
        "(e.g. apt install default-jre-headless) or use `--reasoner rules`; other kg commands work without it"
    ]
    assert not out.exists()  # refused before building anything
    proc = run_kg("--project", str(SEED_CORPUS), "reason", "--reasoner", "rules", "--out", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("consistent (the rules): ")
    proc = run_kg(
        "--project", str(SEED_CORPUS), "query", "countries_coproducing_with_kazakhstan.rq", "-f", "csv",
        "--out", str(out), env=env,
    )  # fmt: skip
    assert proc.returncode == 0 and _labels(proc.stdout) == COPRODUCING
    proc = run_kg(
        "--project",
        str(SEED_CORPUS),
        "check",
        "--only",
        "consistency",
        "-f",
        "tsv",
        "--out",
        str(tmp_path / "o2"),
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARN\tconsistency\t\t\t\t\tnot checked: HermiT needs Java" in proc.stdout


def test_rules_derive_coproduction_and_inverses(rules_out):
    triples = _triples(rules_out / "inferred.nq")
    assert (ID + "country/kazakhstan", CAFO + "coProducedWith", ID + "country/poland") in triples
    assert (ID + "country/poland", CAFO + "coProducedWith", ID + "country/kazakhstan") in triples
    assert (ID + "festival/eurasia-iff", CAFO + "hasEdition", ID + "event/eurasia-iff-17") in triples


def test_reason_output_is_deterministic(rules_out, tmp_path):
    again = tmp_path / "again"
    assert invoke("reason", "--reasoner", "rules", "--out", str(again), project=SEED_CORPUS).exit_code == 0
    assert (again / "inferred.nq").read_bytes() == (rules_out / "inferred.nq").read_bytes()


# -- inconsistency ----------------------------------------------------------------------------------


def _inconsistent_corpus(corpus: Path) -> tuple[int, int]:
    """The Mirrors distribution under negotiation (003) and, says another article, done (001).
    (Two statuses in one mapping are refused by the build itself.) The lines of both facts."""
    mapping = corpus / "seeds/003_6ace3f2e2b0ad3c1.yaml"
    text = mapping.read_text(encoding="utf-8")
    at = text.index("      status: Negotiating\n")
    fact_line = text[: text[:at].rfind("  - ")].count("\n") + 1
    other = corpus / "seeds/001_96dd9b9a8acb094b.yaml"
    before = other.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    other.write_text(
        before + "  - node: distribution/mirrors-eight-countries\n    type: Distribution\n"
        "    with:\n      status: Done\n    quote: Премьера сериала запланирована на 2026 год.\n",
        encoding="utf-8",
    )
    return fact_line, before.count("\n") + 1


@pytest.mark.parametrize(
    "reasoner",
    [pytest.param("hermit", marks=JAVA), pytest.param("pellet", marks=JAVA), "rules"],
)
def test_inconsistency_is_explained_in_terms_of_the_mapping(corpus, tmp_path, reasoner):
    fact_line, other_line = _inconsistent_corpus(corpus)
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    before = snapshot(out)
    result = invoke("reason", "--reasoner", reasoner, "--out", str(out), project=corpus)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    name = {"hermit": "HermiT", "pellet": "Pellet", "rules": "the rules"}[reasoner]
    assert lines[0].startswith(f"error: the graph is inconsistent ({name}); these statements clash")
    # each statement with the file and line that asserted it (paths as the user sees them)
    where = f"{corpus}/seeds/003_6ace3f2e2b0ad3c1.yaml:{fact_line}: "
    other = f"{corpus}/seeds/001_96dd9b9a8acb094b.yaml:{other_line}: "
    assert f"  {other}distribution/mirrors-eight-countries cafo:status cafo:Done" in lines
    assert f"  {where}distribution/mirrors-eight-countries cafo:status cafo:Negotiating" in lines
    # the axioms that make it a contradiction, pointed at the ontology
    ontology = f"  {corpus}/ontology/cafilm.ttl:"
    assert any(line.startswith(ontology) and "status" in line for line in lines)
    assert any(line.startswith(ontology) and "different" in line.lower() for line in lines)
    assert snapshot(out) == before  # nothing written


@pytest.mark.parametrize("reasoner", [pytest.param("hermit", marks=JAVA), "rules"])
def test_disjoint_classes_clash_names_the_statements_and_the_axiom(built, reasoner):
    """A person filed as a production country: Person and Country (an Agent and a Place) are
    disjoint. The checker refuses that in a mapping, so the clash is made in the store."""
    from kg import reason
    from kg.build import check_corpus
    from kg.corpus import find_corpus
    from kg.sources import index_sources

    corpus = find_corpus(SEED_CORPUS)
    store, graphs = reason.open_dataset(Build(built))
    graph = pyoxigraph.NamedNode("https://w3id.org/ca-film/graph/article/004_9d304b95c593325b")
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(ID + "film/ayka-2018"),
            pyoxigraph.NamedNode(CAFO + "productionCountry"),
            pyoxigraph.NamedNode(ID + "person/samal-yeslyamova"),
            graph,
        )
    )
    text = reason._ontology_statements(corpus.ontology_files(), corpus.display)
    with pytest.raises(reason.InconsistentError) as caught:
        reason.reason_store(store, graphs, reasoner, lambda: index_sources(check_corpus(corpus)), text)
    statements = [clash.statement for clash in caught.value.clashes]
    assert "film/ayka-2018 cafo:productionCountry person/samal-yeslyamova" in statements
    disjoint = [c for c in caught.value.clashes if "isjoint" in c.statement]
    assert disjoint and re.search(r"(^|/)ontology/cafilm\.ttl:\d+$", disjoint[0].source)
    # the other side of the clash comes from a mapping or the registry, with its line
    assert any(c.source.startswith("seeds/") and "samal-yeslyamova" in c.statement for c in caught.value.clashes)


def test_parse_pellet_explanation():
    from kg.reason import parse_explanation

    text = """Axiom: Thing subClassOf Nothing

Explanation(s):
1)   productionCountry range Country
     DisjointClasses(Agent
                     Place)
     ayka-2018 productionCountry samal-yeslyamova

2)   something else
"""
    assert parse_explanation(text) == [
        "productionCountry range Country",
        "DisjointClasses(Agent Place)",
        "ayka-2018 productionCountry samal-yeslyamova",
    ]
    assert parse_explanation("Explanation: AXIOM IS NOT ENTAILED!") == []


def test_check_reuses_a_current_reasoning_and_notices_a_stale_one(rules_out, tmp_path):
    from kg import reason

    assert reason.proven_consistent(Build(rules_out), "rules")
    assert not reason.proven_consistent(Build(rules_out), "hermit")  # the rules prove less than HermiT
    stale = tmp_path / "stale"
    shutil.copytree(rules_out, stale)
    with (stale / "graph.nq").open("ab") as handle:
        handle.write(b"<urn:x> <urn:y> <urn:z> <urn:g> .\n")
    assert Build(stale).inferred_info() is None


def test_query_inferred_refuses_a_reasoning_of_an_earlier_build(rules_out, tmp_path):
    """After a rebuild, inferred.nq describes a graph that is gone: --inferred says so on both
    engines instead of mixing old inferences into new answers."""
    query = tmp_path / "by_relation.rq"
    query.write_text(BY_SYMMETRIC_RELATION, encoding="utf-8")
    current = invoke("query", str(query), "-f", "csv", "--inferred", "--out", str(rules_out))
    assert current.exit_code == 0, current.output
    assert _labels(current.output) == COPRODUCING
    stale = tmp_path / "stale"
    shutil.copytree(rules_out, stale)
    with (stale / "graph.nq").open("ab") as handle:
        handle.write(b"<urn:x> <urn:y> <urn:z> <urn:g> .\n")
    for engine in ("oxigraph", "rdflib"):
        result = invoke("query", str(query), "--inferred", "--engine", engine, "--out", str(stale))
        assert result.exit_code == 2, result.output  # as for a missing inferred graph
        assert result.output.strip().splitlines() == [
            f"error: {stale / 'inferred.nq'}: derived from an earlier build of the graph; run `kg reason` again"
        ]
