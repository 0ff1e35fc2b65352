"""Incremental builds (issue 16): after each edit, add, delete and registry change, `kg build`
re-checks only what changed and patches the previous store, and every output is the same as a
clean full build's of the same sources - each file byte for byte, the store quad for quad."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import build as kg_build
from kg import store as kg_store
from kg.dataset import Counts
from tests.conftest import invoke, run_kg, snapshot

FILES = ("graph.nq", "graph.trig", "graph.ttl", "manifest.json", "sources.jsonl", "graphs.json")
NEW_ARTICLE = "005_incremental"
NEW_TEXT = "Ayka, the film of 2018, was directed by Sergey Dvortsevoy.\n"
NEW_MAPPING = f"""article: {NEW_ARTICLE}.txt
metadata:
  languages: [en]
facts:
  - id: ayka-director
    subject: film/ayka-2018
    property: director
    object: person/sergey-dvortsevoy
    quote: Ayka, the film of 2018, was directed by Sergey Dvortsevoy
"""


@pytest.fixture
def watched(monkeypatch) -> dict[str, list[str]]:
    """The mappings each in-process build re-checked, and the stores it loaded anew (rather
    than patched from the previous build)."""
    seen: dict[str, list[str]] = {"checked": [], "loaded": []}
    emit_one, stage = kg_build._emit_one, kg_store.stage

    def counting_emit(path: Path):
        seen["checked"].append(path.stem)
        return emit_one(path)

    def counting_stage(path: Path, **files) -> None:
        seen["loaded"].append(str(path))
        stage(path, **files)

    monkeypatch.setattr(kg_build, "_emit_one", counting_emit)
    monkeypatch.setattr(kg_build, "PATCH_MAX", 1.0)  # patch whatever the share of changes: the path under test
    monkeypatch.setattr(kg_store, "stage", counting_stage)
    return seen


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _store_quads(out: Path) -> set[str]:
    """The store's quads, blank nodes relabelled canonically (a bulk load names them anew)."""
    import gc

    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(out / "store"))
    dataset = pyoxigraph.Dataset(store)
    del store
    gc.collect()
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def _build(project: Path, out: Path, seen: dict[str, list[str]] | None = None) -> list[str]:
    """Build out incrementally; the stems it re-checked (sorted)."""
    if seen is not None:
        seen["checked"].clear()
        seen["loaded"].clear()
    result = invoke("build", "--out", str(out), project=project)
    assert result.exit_code == 0, result.output
    return sorted(seen["checked"]) if seen is not None else []


def assert_same_as_full(project: Path, out: Path, tmp_path: Path, name: str) -> None:
    """Every output of the build in out equals a clean full build's of the same sources."""
    full = tmp_path / f"full-{name}"
    result = invoke("build", "--full", "--out", str(full), project=project)
    assert result.exit_code == 0, result.output
    built, fresh = out / ".current", full / ".current"
    for file in FILES:
        data = (built / file).read_bytes()
        if file == "manifest.json":  # it names its own OUT
            data = data.replace(str(out).encode(), str(full).encode())
        assert data == (fresh / file).read_bytes(), f"{name}: {file} differs from a full build's"
    assert _store_quads(out) == _store_quads(full), f"{name}: the store differs from a full build's"


@pytest.mark.slow
def test_incremental_builds_equal_full_builds(corpus: Path, tmp_path: Path, watched) -> None:
    seeds = corpus / "seeds"
    out = tmp_path / "out"
    stems = sorted(p.stem for p in seeds.glob("*.yaml"))
    assert _build(corpus, out, watched) == stems  # the first build checks everything
    assert len(watched["loaded"]) == 1

    # Nothing changed: nothing re-checked, the store patched (by nothing).
    assert _build(corpus, out, watched) == []
    assert watched["loaded"] == []
    assert_same_as_full(corpus, out, tmp_path, "unchanged")

    # Edit one mapping: Germany no longer co-produced AIKA.
    _edit(seeds / "004_9d304b95c593325b.yaml", "country/kazakhstan, country/germany,", "country/kazakhstan,")
    assert _build(corpus, out, watched) == ["004_9d304b95c593325b"]
    assert watched["loaded"] == []
    assert_same_as_full(corpus, out, tmp_path, "edit")
    answer = invoke(
        "query", "countries_coproducing_with_kazakhstan.rq", "--format", "csv", "--out", str(out), project=corpus
    )
    assert "Germany" not in answer.output and "Poland" in answer.output

    # Add an article and its mapping.
    (seeds / f"{NEW_ARTICLE}.txt").write_text(NEW_TEXT, encoding="utf-8")
    (seeds / f"{NEW_ARTICLE}.yaml").write_text(NEW_MAPPING, encoding="utf-8")
    assert _build(corpus, out, watched) == [NEW_ARTICLE]
    assert watched["loaded"] == []
    assert_same_as_full(corpus, out, tmp_path, "add")

    # A registry entity changes: only the two articles that use it are re-checked.
    _edit(
        seeds / "registry" / "people.yaml",
        "alt: {en: [Sergei Dvortsevoi]}",
        "alt: {en: [Sergei Dvortsevoi, S. Dvortsevoy]}",
    )
    assert _build(corpus, out, watched) == ["004_9d304b95c593325b", NEW_ARTICLE]
    assert watched["loaded"] == []
    assert_same_as_full(corpus, out, tmp_path, "registry")
    shown = invoke("show", "person/sergey-dvortsevoy", "--out", str(out), project=corpus)
    assert "S. Dvortsevoy" in shown.output

    # Delete a mapping (its article stays, unmapped).
    (seeds / "001_96dd9b9a8acb094b.yaml").unlink()
    assert _build(corpus, out, watched) == []
    assert watched["loaded"] == []
    assert_same_as_full(corpus, out, tmp_path, "delete")
    assert len(list((out / ".cache" / "articles").iterdir())) == len(stems)  # 5 mappings - 1 + 1: no stale entry

    # Delete an article with its mapping.
    (seeds / f"{NEW_ARTICLE}.yaml").unlink()
    (seeds / f"{NEW_ARTICLE}.txt").unlink()
    assert _build(corpus, out, watched) == []
    assert_same_as_full(corpus, out, tmp_path, "delete article")


def test_failed_incremental_build_leaves_previous_build_whole(corpus: Path, tmp_path: Path, watched) -> None:
    seeds = corpus / "seeds"
    out = tmp_path / "out"
    _build(corpus, out, watched)
    _edit(seeds / "004_9d304b95c593325b.yaml", "country/kazakhstan, country/germany,", "country/kazakhstan,")
    _build(corpus, out, watched)
    before = snapshot(out)

    _edit(seeds / "002_fe30f7e3a02f8faf.yaml", "property: ", "property: notAProperty\n    x: ")
    result = invoke("build", "--out", str(out), project=corpus)
    assert result.exit_code == 1
    assert "seeds/002_fe30f7e3a02f8faf.yaml:" in result.output and "nothing was written" in result.output
    assert snapshot(out) == before  # files, store and cache as they were

    shutil.copy2(Path(__file__).parent / "corpus" / "seeds" / "002_fe30f7e3a02f8faf.yaml", seeds)
    assert _build(corpus, out, watched) == []  # its bytes are those of its cached entry again
    assert_same_as_full(corpus, out, tmp_path, "after a failure")


def test_a_damaged_cache_is_a_miss(corpus: Path, tmp_path: Path, watched) -> None:
    """An entry that cannot be read (torn, or from another program) is checked again, never used."""
    out = tmp_path / "out"
    _build(corpus, out, watched)
    entries = sorted((out / ".cache" / "articles").iterdir())
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[2].read_bytes())  # another article's entry under this name
    assert len(_build(corpus, out, watched)) == 2
    assert_same_as_full(corpus, out, tmp_path, "damaged")


@pytest.mark.slow
def test_incremental_build_in_a_subprocess(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_kg("build", "--out", str(out), cwd=corpus).returncode == 0
    _edit(corpus / "seeds" / "004_9d304b95c593325b.yaml", "country/kazakhstan, country/germany,", "country/kazakhstan,")
    done = run_kg("build", "--out", str(out), cwd=corpus)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 5 articles:")
    assert_same_as_full(corpus, out, tmp_path, "subprocess")
    answer = run_kg(
        "query", "countries_coproducing_with_kazakhstan.rq", "--format", "csv", "--out", str(out), cwd=corpus
    )
    assert [line.split(",")[1] for line in answer.stdout.splitlines()[1:]] == ["China", "Poland", "Russia"]


def test_a_build_that_spills_its_lines_to_disk_writes_the_same_bytes(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """Beyond SPILL_BYTES of held runs, the build writes them to a spill file and reads them
    back in order (bounded memory at any corpus size): the outputs are those of a build that
    held them all."""
    held = tmp_path / "held"
    _build(corpus, held)
    monkeypatch.setattr(kg_build, "SPILL_BYTES", 20_000)
    spills = []
    spill = kg_build._Blocks.spill

    def counting_spill(self) -> None:
        spills.append(self.size)
        spill(self)

    monkeypatch.setattr(kg_build._Blocks, "spill", counting_spill)
    out = tmp_path / "out"
    invoke("build", "--full", "--out", str(out), project=corpus)
    assert len(spills) >= 5  # the five articles, and the lines made from all of them
    assert not list((out / ".cache").glob("new-*"))  # the runs went with the build's staging
    for file in FILES:
        data = (out / ".current" / file).read_bytes()
        if file == "manifest.json":  # it names its own OUT
            data = data.replace(str(out).encode(), str(held).encode())
        assert data == (held / ".current" / file).read_bytes(), file
    assert _store_quads(out) == _store_quads(held)


def test_runs_that_interleave_or_repeat_are_merged_line_by_line(tmp_path: Path) -> None:
    """A graph's runs are joined in the order of their first lines; where two articles' runs
    overlap (the same line twice, or lines that interleave) they are merged, each line once,
    whether the runs are held or spilled."""
    g = "<https://w3id.org/ca-film/graph/labels>"
    ours = "https://w3id.org/ca-film/id/performance"
    lines_a = [f'<{ours}/a-{n}> <https://e.org/p> "{n}" {g} .' for n in (1, 3, 5)]
    lines_b = [f'<{ours}/a-{n}> <https://e.org/p> "{n}" {g} .' for n in (2, 3, 4)]
    lines_c = [f'<https://e.org/z/{n}> <https://e.org/p> "{n}" {g} .' for n in (1, 2)]
    for spill in (None, tmp_path / "spill"):
        blocks = kg_build._Blocks(spill)
        blocks.extend(g, lines_c)
        blocks.extend(g, lines_a)
        if spill is not None:
            blocks.spill()
        blocks.extend(g, lines_b + lines_a[:1])
        counted = blocks.described()
        pieces = list(blocks.blocks(g))
        text = b"".join(block for block, _ in pieces).decode()
        trig = b"".join(body for _, body in pieces).decode()
        blocks.close()
        expected = lines_c + sorted(set(lines_a + lines_b))
        assert text.splitlines() == expected
        assert trig.splitlines() == [
            '\t<https://e.org/z/1> <https://e.org/p> "1" .',
            '\t<https://e.org/z/2> <https://e.org/p> "2" .',
            *(f'\tperformance:a-{n} <https://e.org/p> "{n}" .' for n in range(1, 6)),
        ]
        # kg.dataset.describe's counts: each line once, though two runs held a/1 and a/3
        assert counted.sizes[g] == 7
        assert counted.mentions[f"<{ours}/a-3>".encode()] == 1
        assert counted.mentions[b"<https://e.org/z/1>"] == 0  # not a subject of ours: not counted
        once = Counts()
        once.add_lines(g, [line.encode() for line in expected])
        assert (counted.sizes, counted.mentions, counted.properties) == (once.sizes, once.mentions, once.properties)
