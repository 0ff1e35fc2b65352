"""The build at scale: the per-article fast path writes exactly the quads assemble() builds with
rdflib, worker processes change nothing in the output, the Oxigraph store is replaced
atomically with the files, and progress is reported."""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pyoxigraph
import pytest

from kg import build as kg_build
from kg.corpus import find_corpus
from kg.errors import InputError
from kg.serialize import serialize
from kg.vocab import RDFS_LABEL
from tests.conftest import ROOT, SEED_CORPUS, invoke, snapshot


def _synth():
    """bench/synth.py, the synthetic corpus generator (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """24 synthetic articles: enough for the build to use worker processes."""
    root = tmp_path_factory.mktemp("synthetic")
    _synth().write_corpus(root, articles=24, seed=7)
    return root


def test_fast_path_writes_the_quads_assemble_builds(built):
    corpus = find_corpus(SEED_CORPUS)
    dataset = kg_build.assemble(kg_build.check_corpus(corpus))
    assert (built / "graph.nq").read_bytes() == serialize(dataset, "nquads")
    nquads = set(pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
    trig = set(pyoxigraph.parse(path=str(built / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))
    assert nquads == trig
    union = set(pyoxigraph.parse(serialize(dataset, "ntriples"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert set(pyoxigraph.parse(path=str(built / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)) == union
    # The store holds the same quads in the named graphs, and their union in its default
    # graph. It relabels blank nodes (the ontology's) and keeps integer subtypes
    # (xsd:nonNegativeInteger) as xsd:integer: compare without those.
    everything = list(pyoxigraph.Store.read_only(str(built / "store")))
    store = [q for q in everything if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    default = [q for q in everything if isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    assert len(store) == len(nquads)
    assert len(default) == len({q.triple for q in store})

    def plain(quads):
        blank = pyoxigraph.BlankNode
        return {
            (q.subject, q.predicate, q.object.value, q.graph_name)
            for q in quads
            if not isinstance(q.subject, blank) and not isinstance(q.object, blank)
        }

    assert plain(store) == plain(nquads)


@pytest.mark.slow  # builds 24 synthetic articles
def test_synthetic_corpus_builds_and_is_deterministic(synthetic, tmp_path):
    corpus = find_corpus(synthetic)
    one = kg_build.build(corpus, tmp_path / "one", jobs=1)
    two = kg_build.build(corpus, tmp_path / "two", jobs=2)
    assert one.articles == two.articles == 24
    assert one.quads == two.quads > 24 * 100
    for name in ("graph.nq", "graph.trig", "graph.ttl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    again = tmp_path / "again"
    _synth().write_corpus(again, articles=24, seed=7)
    for path in sorted((synthetic / "seeds").glob("*.yaml"))[:3]:
        assert (again / "seeds" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.slow  # builds 24 synthetic articles
def test_parallel_build_reports_every_problem_like_a_sequential_one(synthetic, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(synthetic / "seeds", broken / "seeds")
    for index in (3, 17):
        mapping = broken / "seeds" / f"{index:06d}_synthetic.yaml"
        mapping.write_text(mapping.read_text(encoding="utf-8").replace("quote:", "qoute:", 1), encoding="utf-8")
    corpus = find_corpus(broken)
    problems = {}
    for jobs in (1, 2):
        with pytest.raises(InputError) as caught:
            kg_build.build(corpus, tmp_path / "out", jobs=jobs)
        problems[jobs] = [str(p) for p in caught.value.problems]
    assert problems[1] == problems[2]
    assert any("000003_synthetic.yaml:" in p and "qoute" in p for p in problems[1])
    assert any("000017_synthetic.yaml:" in p for p in problems[1])
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # two builds per place
@pytest.mark.parametrize(
    "where",
    [
        "kg.atomic.write_into",  # the files, after the new store is loaded
        "kg.atomic.publish",  # everything written, not yet published
        "kg.build._turtle",  # Turtle, while the store loads in its thread
        "kg.store._line_chunks",  # the N-Quads read back into the store
        "kg.store.stage",  # the store's own load
        "kg.store.patch",  # the previous build's store, patched (an incremental build)
    ],
)
def test_a_build_that_fails_while_writing_leaves_every_output_and_the_store(corpus, tmp_path, monkeypatch, where):
    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 0
    before = snapshot(out)
    assert any(name.startswith(".builds/") and "/store/" in name for name in before)
    (corpus / "seeds" / "004_9d304b95c593325b.yaml").touch()  # stale: the next build writes

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(where, fail)
    with pytest.raises(OSError, match="disk full"):
        kg_build.build(find_corpus(corpus), out, full=where != "kg.store.patch")
    assert snapshot(out) == before  # the article cache too
    # and no half-written store is left behind in a hidden directory
    names = [".builds", ".cache", ".current", "graph.nq", "graph.trig", "graph.ttl", "manifest.json", "store"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert [p.name for p in (out / ".builds").iterdir()] == [(out / ".current").readlink().name]


@pytest.mark.slow  # builds 24 synthetic articles
def test_progress_is_reported_per_article_and_per_output(synthetic, tmp_path):
    seen = []
    kg_build.build(find_corpus(synthetic), tmp_path / "out", jobs=2, progress=lambda *step: seen.append(step))
    checking = [step for step in seen if step[0] == "checking articles"]
    assert [done for _, done, _ in checking] == list(range(1, 25))
    assert {total for _, _, total in checking} == {24}
    assert seen[-1][0] == "writing" and seen[-1][1] == seen[-1][2]


@pytest.mark.slow  # builds 24 synthetic articles
def test_no_progress_bar_outside_a_terminal(synthetic, tmp_path):
    result = invoke("build", "--out", str(tmp_path / "out"), "--jobs", "2", project=synthetic)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("built 24 articles:")
    assert "checking" not in result.output


def test_a_node_two_articles_state_is_labelled_from_both_as_assemble_does(corpus, tmp_path):
    """Each article labels its own nodes where it is checked; a node another article states
    too (here with another credit) is labelled once, from both articles' facts, and so is the
    node that names it - the labels assemble() gives, labelling every node at once."""
    seeds = corpus / "seeds"
    shutil.copy(seeds / "001_96dd9b9a8acb094b.txt", seeds / "005_copy.txt")
    text = (seeds / "001_96dd9b9a8acb094b.yaml").read_text(encoding="utf-8")
    text = text.replace("article: 001_96dd9b9a8acb094b.txt", "article: 005_copy.txt", 1)
    performance = "  - node: performance/aruzhan-bekbolat-waiting-for-you-in-ili\n"
    start = text.index(performance)
    text = text[:start] + text[start:].replace("creditRole: credit/lead-role", "creditRole: credit/supporting-role", 1)
    (seeds / "005_copy.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    dataset = kg_build.assemble(kg_build.check_corpus(find_corpus(corpus)))
    assert (out / "graph.nq").read_bytes() == serialize(dataset, "nquads")
    # Again, incrementally: both articles' node facts now come from the build's cache.
    with open(seeds / "000_84aca459143ef88d.yaml", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 0, result.output
    assert (out / "graph.nq").read_bytes() == serialize(dataset, "nquads")
    node = "<https://w3id.org/ca-film/id/performance/aruzhan-bekbolat-waiting-for-you-in-ili>"
    lines = (out / "graph.nq").read_text(encoding="utf-8").splitlines()
    labels = [line.split(" ", 2)[2] for line in lines if line.startswith(f"{node} <{RDFS_LABEL}>")]
    assert labels == [
        '"Aruzhan Bekbolat as lead role, supporting role in I Am Waiting for You in Ili"@en <https://w3id.org/ca-film/graph/labels> .',
        '"Аружан Бекболат — главная роль, роль второго плана, «Я жду тебя в Или»"@ru <https://w3id.org/ca-film/graph/labels> .',
    ]


def test_trig_is_what_pyoxigraph_writes_for_the_nquads(built, synthetic, tmp_path):
    """The build joins each article's TriG, written where the article is checked; the file
    is byte for byte pyoxigraph's TriG of graph.nq (the seed corpus, and 24 synthetic
    articles built by worker processes)."""
    from kg.iris import PREFIXES

    out = tmp_path / "out"
    assert invoke("build", "--out", str(out), project=synthetic).exit_code == 0
    for folder in (built, out):
        quads = pyoxigraph.parse(path=str(folder / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
        trig = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES)
        assert (folder / "graph.trig").read_bytes() == trig
