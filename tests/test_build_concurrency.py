"""Builds that overlap or die: out/ always shows one whole build.

Two `kg build` runs into one out/ take turns (a lock on out/); each build is written into a
directory of its own and published by one rename (kg.atomic), so the files, the manifest and
the store always come from the same build, whenever a build is killed. Real subprocesses
throughout; a test hook (KG_TEST_PAUSE=POINT:FLAGFILE) stops a build at a named point so a
test can kill it, or start another build, exactly there.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from kg import build as kg_build
from kg.built import Build
from kg.corpus import find_corpus
from tests.conftest import ROOT, SEED_CORPUS, invoke, run_kg

pytestmark = pytest.mark.slow  # builds of several corpora in real processes, killed and raced

HEADLINE = "countries_coproducing_with_kazakhstan.rq"
ALL_FOUR = ("China", "Germany", "Poland", "Russia")
ENTRIES = [".builds", ".current", "graph.nq", "graph.trig", "graph.ttl", "manifest.json", "store"]
NO_GERMANY = ("004_9d304b95c593325b.yaml", "country/kazakhstan, country/germany,", "country/kazakhstan,")
NEW_ALIAS = ("registry/people.yaml", "alt: {en: [Sergei Dvortsevoi]}", "alt: {en: [Sergei Dvortsevoi, S. Dvortsevoy]}")
STEP = 60  # seconds: the bound of every wait below (a guard against hanging, not a timing)


def _project(root: Path, edit: tuple[str, str, str] | None = None) -> Path:
    """A copy of the fixture corpus, optionally with one edit (file, old text, new text)."""
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(SEED_CORPUS / "seeds", root / "seeds")
    if edit:
        path = root / "seeds" / edit[0]
        text = path.read_text(encoding="utf-8")
        assert edit[1] in text
        path.write_text(text.replace(edit[1], edit[2]), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Three versions of the corpus, the build id each one builds to (its graph.nq hash) and
    a build of each: the fixture corpus, the same without Germany in AIKA, and one with a
    new alias only (the headline answer unchanged)."""
    base = tmp_path_factory.mktemp("versions")
    projects = {
        "seed": _project(base / "seed"),
        "no-germany": _project(base / "no-germany", NO_GERMANY),
        "alias": _project(base / "alias", NEW_ALIAS),
    }
    ids = {}
    for name, project in projects.items():
        kg_build.build(find_corpus(project), base / f"ref-{name}", jobs=1)
        ids[name] = json.loads((base / f"ref-{name}" / "manifest.json").read_text(encoding="utf-8"))["store"]
    assert len(set(ids.values())) == 3
    return projects, ids, {name: base / f"ref-{name}" for name in projects}


def whole_build(out: Path) -> tuple[str, tuple[str, ...]]:
    """Assert that out/, read as a reader reads it (through its top-level names), is one
    complete build: the manifest, the store's marker and graph.nq's hash name the same build;
    the store holds graph.nq's quads and the manifest counts them; graph.trig holds them
    too; and the headline query gives one answer on the store, graph.nq, graph.trig and
    graph.ttl. Returns (build id, headline countries)."""
    nquads_bytes = (out / "graph.nq").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    marker = (out / "store" / "KG_BUILD").read_text(encoding="utf-8").strip()
    build_id = "2:" + hashlib.sha256(nquads_bytes).hexdigest()
    assert manifest["store"] == marker == build_id

    formats = pyoxigraph.RdfFormat
    nquads = set(pyoxigraph.parse(nquads_bytes, format=formats.N_QUADS))
    assert manifest["report"]["quads"] == len(nquads)
    trig = set(pyoxigraph.parse((out / "graph.trig").read_bytes(), format=formats.TRIG))
    assert trig == nquads
    built = pyoxigraph.Store.read_only(str(out / "store"))
    named = [q for q in built if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    assert len(named) == len(nquads)

    def plain(quads):  # the store relabels blank nodes and keeps xsd:integer subtypes as integer
        blank = pyoxigraph.BlankNode
        return {
            (q.subject, q.predicate, q.object.value, q.graph_name)
            for q in quads
            if not isinstance(q.subject, blank) and not isinstance(q.object, blank)
        }

    assert plain(named) == plain(nquads)

    query = (ROOT / "queries" / HEADLINE).read_text(encoding="utf-8")

    def countries(store, union: bool) -> tuple[str, ...]:
        return tuple(row["label"].value for row in store.query(query, use_default_graph_as_union=union))

    in_files = pyoxigraph.Store()
    in_files.extend(nquads)
    in_trig = pyoxigraph.Store()
    in_trig.extend(trig)
    in_ttl = pyoxigraph.Store()
    in_ttl.load((out / "graph.ttl").read_bytes(), format=formats.TURTLE)
    answers = {
        "store": countries(built, False),
        "graph.nq": countries(in_files, True),
        "graph.trig": countries(in_trig, True),
        "graph.ttl": countries(in_ttl, False),
    }
    assert len(set(answers.values())) == 1, answers
    del built
    gc.collect()  # pyoxigraph has no close(): release the store
    return build_id, answers["store"]


def assert_no_leftovers(out: Path) -> None:
    """Only the published build: its links, .current and one build directory; beside them the
    article cache (kg.cache, never part of a build), holding no killed build's staged entries."""
    assert sorted(set(os.listdir(out)) - {".cache"}) == ENTRIES
    if (out / ".cache").exists():
        assert sorted(os.listdir(out / ".cache")) == ["articles", "base.pickle", "registry.pickle"]
    assert os.listdir(out / ".builds") == [os.readlink(out / ".current").split("/")[-1]]
    for name in ENTRIES[2:]:
        assert os.readlink(out / name) == f".current/{name}"


def start(project: Path, out: Path, pause: str | None = None, flag: Path | None = None, stderr=None, **env: str):
    """`kg build` as a real subprocess, optionally stopped at a named point."""
    extra = {"PYTHONPATH": str(ROOT), **env}
    if pause:
        extra["KG_TEST_PAUSE"] = f"{pause}:{flag}"
    environment = {k: v for k, v in os.environ.items() if k not in ("KG_TEST_PAUSE", "KG_BUILD_WAIT")}
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "--project", str(project), "build", "--out", str(out)],
        cwd=SEED_CORPUS,
        env={**environment, **extra},
        stdout=subprocess.PIPE,
        stderr=stderr or subprocess.PIPE,
        text=True,
    )


def wait_for(flag: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STEP
    while not flag.exists():
        if proc.poll() is not None:
            pytest.fail(f"the build ended before the pause point: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the build never reached the pause point")
        time.sleep(0.02)


def kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=STEP)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = proc.communicate(timeout=STEP * 2)
    return proc.returncode, stdout, stderr


def waiting_line(out: Path) -> str:
    return f"kg: another build is writing {out}; waiting for it (at most 600 s)\n"


def headline(project: Path, out: Path) -> tuple[str, ...]:
    """The headline answer from `kg query` in a real subprocess."""
    proc = run_kg("--project", str(project), "query", HEADLINE, "-f", "csv", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return tuple(line.split(",")[1] for line in proc.stdout.splitlines()[1:])


@pytest.mark.parametrize("part", ["store", "manifest.json", "graph.trig", "graph.ttl"])
def test_the_check_sees_an_out_dir_mixed_from_two_builds(versions, tmp_path, part):
    """What the issue saw (files from one build, the store or manifest from another) fails
    whole_build: the check the tests below rely on can fail."""
    _, ids, refs = versions
    out = tmp_path / "out"
    shutil.copytree(refs["seed"], out, symlinks=True)
    assert whole_build(out) == (ids["seed"], ALL_FOUR)
    (out / part).unlink()
    (out / part).symlink_to(refs["no-germany"] / part)
    with pytest.raises(AssertionError):
        whole_build(out)


# -- (a) two builds at once ---------------------------------------------------------------------


def test_two_builds_of_different_versions_at_once_leave_one_whole_build(versions, tmp_path):
    projects, ids, _ = versions
    expected = {ids["seed"]: ALL_FOUR, ids["no-germany"]: ("China", "Poland", "Russia")}
    out = tmp_path / "out"
    seen = set()
    for round_ in range(4):
        order = ["seed", "no-germany"] if round_ % 2 == 0 else ["no-germany", "seed"]
        procs = [start(projects[name], out) for name in order]
        for proc in procs:
            code, stdout, stderr = finish(proc)
            assert code == 0, stderr
            assert stdout.startswith("built 5 articles:")
            assert stderr in ("", waiting_line(out))  # the one who came second may have waited
        build_id, countries = whole_build(out)
        assert expected[build_id] == countries
        assert_no_leftovers(out)
        seen.add(build_id)
    assert seen <= set(expected)


def test_a_second_build_waits_for_the_first_then_builds_its_own_version(versions, tmp_path):
    projects, ids, _ = versions
    out, flag = tmp_path / "out", tmp_path / "flag"
    first = start(projects["seed"], out, pause="locked", flag=flag)
    wait_for(flag, first)  # the first holds out/ and has written nothing yet
    log = tmp_path / "second.err"
    with log.open("w", encoding="utf-8") as err:
        second = start(projects["no-germany"], out, stderr=err)
    deadline = time.monotonic() + STEP
    while log.read_text(encoding="utf-8") != waiting_line(out):  # bounded: it says it waits
        assert second.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.05)
    assert second.poll() is None  # and waits
    assert os.listdir(out) == []  # neither build has written anything
    flag.unlink()  # the first goes on
    code, _, stderr = finish(first)
    assert (code, stderr) == (0, "")
    code, stdout, _ = finish(second)
    assert code == 0 and stdout.startswith("built 5 articles:")
    assert log.read_text(encoding="utf-8") == waiting_line(out)  # one line, nothing else
    assert whole_build(out) == (ids["no-germany"], ("China", "Poland", "Russia"))  # the later one
    assert_no_leftovers(out)


def test_without_waiting_a_second_build_refuses_in_one_line(versions, tmp_path):
    projects, ids, _ = versions
    out, flag = tmp_path / "out", tmp_path / "flag"
    assert run_kg("--project", str(projects["seed"]), "build", "--out", str(out)).returncode == 0
    first = start(projects["no-germany"], out, pause="checked", flag=flag)
    wait_for(flag, first)
    second = start(projects["alias"], out, KG_BUILD_WAIT="0")
    code, stdout, stderr = finish(second)
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {out}: another kg build is writing this directory\n"
    assert whole_build(out) == (ids["seed"], ALL_FOUR)  # untouched so far
    flag.unlink()
    assert finish(first)[0] == 0
    assert whole_build(out) == (ids["no-germany"], ("China", "Poland", "Russia"))


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_nonsense_wait_is_refused_in_one_line(corpus, tmp_path, monkeypatch, value):
    monkeypatch.setenv("KG_BUILD_WAIT", value)
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 2
    assert result.output == f"error: KG_BUILD_WAIT={value!r}: expected a number of seconds, 0 or more\n"
    assert not (tmp_path / "out").exists()


def test_an_out_dir_that_cannot_be_made_is_one_line(corpus, tmp_path):
    (tmp_path / "file").write_text("not a directory\n", encoding="utf-8")
    result = invoke("build", "--out", str(tmp_path / "file" / "out"), project=corpus)
    assert result.exit_code == 2
    assert result.output == f"error: {tmp_path / 'file' / 'out'}: cannot create folder: Not a directory\n"


def test_a_refused_build_changes_nothing_and_leaves_no_lock_behind(corpus, tmp_path):
    out = tmp_path / "out"
    mapping = corpus / "seeds" / "004_9d304b95c593325b.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("quote:", "qoute:", 1), encoding="utf-8")
    assert invoke("build", "--out", str(out), project=corpus).exit_code == 1
    assert not out.exists()  # the lock made out/; the refused build took it away again
    assert invoke("build", "--out", str(tmp_path / "a" / "b" / "out"), project=corpus).exit_code == 1
    assert not (tmp_path / "a").exists()  # and the folders it made for it


def test_a_reader_keeps_its_store_while_later_builds_replace_it(versions, tmp_path):
    """A store opened by a query (or kg serve) stays on disk and answers, though two later
    builds publish other versions; once closed, the next build removes it."""
    from kg.store import open_read_only

    projects, ids, _ = versions
    out = tmp_path / "out"
    kg_build.build(find_corpus(projects["seed"]), out, jobs=1)
    reader = open_read_only(out)
    query = (ROOT / "queries" / HEADLINE).read_text(encoding="utf-8")
    pinned = os.readlink(out / ".current")
    for name in ("no-germany", "alias"):
        assert run_kg("--project", str(projects[name]), "build", "--out", str(out)).returncode == 0
    assert whole_build(out) == (ids["alias"], ALL_FOUR)
    assert sorted(os.listdir(out / ".builds")) == sorted(
        [pinned.split("/")[-1], os.readlink(out / ".current").split("/")[-1]]
    )
    assert tuple(row["label"].value for row in reader.query(query)) == ALL_FOUR
    del reader
    gc.collect()
    assert run_kg("--project", str(projects["seed"]), "build", "--out", str(out)).returncode == 0
    assert whole_build(out) == (ids["seed"], ALL_FOUR)
    assert_no_leftovers(out)


def test_a_query_on_a_stale_build_waits_for_the_build_under_way(versions, tmp_path):
    """kg query finds out/ stale while a build of the same corpus holds it: it waits, finds
    out/ fresh, and answers without building again."""
    projects, ids, _ = versions
    out, flag = tmp_path / "out", tmp_path / "flag"
    assert run_kg("--project", str(projects["no-germany"]), "build", "--out", str(out)).returncode == 0
    build = start(projects["seed"], out, pause="checked", flag=flag)
    wait_for(flag, build)
    query = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "--project",
            str(projects["seed"]),
            "query",
            HEADLINE,
            "-f",
            "csv",
            "--out",
            str(out),
        ],
        cwd=SEED_CORPUS,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)  # not a timing assertion: gives the query time to reach the lock
    flag.unlink()
    assert finish(build)[0] == 0
    code, stdout, stderr = finish(query)
    assert code == 0, stderr
    assert tuple(line.split(",")[1] for line in stdout.splitlines()[1:]) == ALL_FOUR
    assert stderr in ("", waiting_line(out))
    assert whole_build(out) == (ids["seed"], ALL_FOUR)
    assert_no_leftovers(out)  # one build, not two


# -- (b) builds killed at every moment -----------------------------------------------------------

# Where a build can be stopped, and which build out/ shows when it is killed there.
MOMENTS = [
    ("locked", "old"),  # holds out/, has read nothing
    ("checked", "old"),  # every mapping checked, nothing written
    ("store-loading", "old"),  # the new store's directory made, its load not started
    ("store-loaded", "old"),  # the new store loaded, its marker not written
    ("files-written", "old"),  # graph.* written into the new build's directory
    ("manifest-written", "old"),  # the new build complete, not published
    ("link-staged", "old"),  # the new .current link made beside the old one
    ("published", "new"),  # .current renamed: the new build is out/
    ("removing", "new"),  # the replaced build half deleted
]


def _kill_and_check(projects, ids, out, tmp_path, old, new, pause=None, delay=None, expect=None):
    """Kill a build of `new` over a whole build of `old`; check out/ is one whole build (the
    expected one), that kg query answers the headline question on it, and that the next
    build leaves nothing behind."""
    flag = tmp_path / "flag"
    proc = start(projects[new], out, pause=pause, flag=flag)
    if pause:
        wait_for(flag, proc)
    else:
        time.sleep(delay)  # kill after a delay: somewhere in the build, wherever it is
    kill(proc)
    flag.unlink(missing_ok=True)
    assert pause is None or proc.returncode == -signal.SIGKILL
    build_id, countries = whole_build(out)
    assert countries == ALL_FOUR
    assert build_id in ({ids[old]} if expect == "old" else {ids[new]} if expect == "new" else {ids[old], ids[new]})
    shown = old if build_id == ids[old] else new
    manifest = (out / "manifest.json").read_bytes()
    assert headline(projects[shown], out) == ALL_FOUR
    assert (out / "manifest.json").read_bytes() == manifest  # answered from that build, not a rebuild
    assert run_kg("--project", str(projects[new]), "build", "--out", str(out)).returncode == 0
    assert whole_build(out) == (ids[new], ALL_FOUR)
    assert_no_leftovers(out)


def test_a_build_killed_at_any_named_point_leaves_one_whole_build(versions, tmp_path):
    projects, ids, _ = versions
    out = tmp_path / "out"
    assert run_kg("--project", str(projects["seed"]), "build", "--out", str(out)).returncode == 0
    old, new = "seed", "alias"
    for pause, expect in MOMENTS:
        _kill_and_check(projects, ids, out, tmp_path, old, new, pause=pause, expect=expect)
        old, new = new, old


def test_a_build_killed_after_any_delay_leaves_one_whole_build(versions, tmp_path):
    projects, ids, _ = versions
    out = tmp_path / "out"
    assert run_kg("--project", str(projects["seed"]), "build", "--out", str(out)).returncode == 0
    old, new = "seed", "alias"
    for delay in (0.4, 1.0, 1.6, 1.9, 2.15):  # imports, checks, store, files, publish (about)
        _kill_and_check(projects, ids, out, tmp_path, old, new, delay=delay)
        old, new = new, old


def _older_layout(out: Path, source: Path) -> None:
    """out/ as kg wrote it before builds had directories: real files and a real store."""
    out.mkdir()
    build = source / os.readlink(source / ".current")
    for name in ENTRIES[2:]:
        if name == "store":
            shutil.copytree(build / name, out / name)
        else:
            shutil.copy2(build / name, out / name)
    (out / ".store.old-x1").mkdir()  # what a killed build of that version left
    (out / ".graph.nq.abc.tmp").write_bytes(b"half")


def test_an_older_out_dir_is_taken_over_whole_even_when_killed_meanwhile(versions, tmp_path, monkeypatch):
    projects, ids, refs = versions
    reference = refs["seed"]
    out = tmp_path / "out"
    _older_layout(out, reference)
    assert whole_build(out) == (ids["seed"], ALL_FOUR)
    # Killed while the older files become links: out/ still shows that build.
    _kill_and_check(projects, ids, out, tmp_path, "seed", "alias", pause="adopting", expect="old")
    # Taken over in one go.
    shutil.rmtree(out)
    _older_layout(out, reference)
    assert run_kg("--project", str(projects["alias"]), "build", "--out", str(out)).returncode == 0
    assert whole_build(out) == (ids["alias"], ALL_FOUR)
    assert_no_leftovers(out)
    # Without renameat2 (not Linux): two renames, and nothing left behind either.
    shutil.rmtree(out)
    _older_layout(out, reference)
    monkeypatch.setattr("kg.atomic._exchange", lambda a, b: False)
    kg_build.build(find_corpus(projects["no-germany"]), out, jobs=1)
    assert whole_build(out) == (ids["no-germany"], ("China", "Poland", "Russia"))
    assert_no_leftovers(out)


def test_kg_serve_keeps_answering_from_its_build_while_builds_replace_it(versions, tmp_path):
    """kg serve pins the build it started on: two later builds (other versions) do not delete
    its store, and a worker restarted after a timeout still opens it."""
    from tests.test_serve import RUNAWAY, get, start_server, stop_server

    projects, ids, _ = versions
    out = tmp_path / "out"
    assert run_kg("--project", str(SEED_CORPUS), "build", "--out", str(out)).returncode == 0
    served = os.readlink(out / ".current").split("/")[-1]
    proc, url = start_server(out, "--timeout", "1.5", "--workers", "1")
    try:
        for name in ("no-germany", "alias"):
            assert run_kg("--project", str(projects[name]), "build", "--out", str(out)).returncode == 0
        assert whole_build(out) == (ids["alias"], ALL_FOUR)
        assert served in os.listdir(out / ".builds")
        assert get(url, RUNAWAY)[0] == 503  # its worker is killed and a new one opens the store
        status, _, body = get(url, (ROOT / "queries" / HEADLINE).read_text(encoding="utf-8"))
        assert status == 200
        assert [row["label"]["value"] for row in json.loads(body)["results"]["bindings"]] == list(ALL_FOUR)
    finally:
        stop_server(proc)
    assert run_kg("--project", str(projects["no-germany"]), "build", "--out", str(out)).returncode == 0
    assert_no_leftovers(out)  # the server's build is gone once the server is


def test_a_source_edited_during_a_build_leaves_that_build_stale(tmp_path):
    """The manifest records the sources as they were when the build read them: an edit made
    while the build runs is picked up by the next command, not hidden behind a fresh mark."""
    project = _project(tmp_path / "project")
    out, flag = tmp_path / "out", tmp_path / "flag"
    proc = start(project, out, pause="checked", flag=flag)
    wait_for(flag, proc)  # every mapping read and checked, nothing written
    path, old, new = NO_GERMANY
    mapping = project / "seeds" / path
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    flag.unlink()
    assert finish(proc)[0] == 0
    assert whole_build(out)[1] == ALL_FOUR  # what the build read
    assert not Build(out).is_fresh(find_corpus(project))
    assert headline(project, out) == ("China", "Poland", "Russia")  # rebuilt from the edit
