"""No traceback ever (issue 10, point 7): every command that writes, given an output path it
cannot write (a missing folder that cannot be made, permission denied, a file in the path, a
folder where a file goes) or a full disk, prints exactly one line `error: PATH: reason` and
exits with 2, as the README's exit-code table says; a missing input is one line too.

The commands are enumerated from the click group: a new command fails
test_every_command_is_listed until it is given its output cases here (or declared to print
only to standard output)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys

import pytest

from kg.cli import main
from tests.conftest import ROOT, SEED_CORPUS, invoke, leaf_commands, run_kg, snapshot

EXIT_CANNOT = 2  # the README's exit code for a file or folder that cannot be read or written
AYKA = "004_9d304b95c593325b"
OUT, FILE, BUILT = "{OUT}", "{FILE}", "{BUILT}"

# Commands whose only output is standard output (tested with /dev/full below).
PRINT_ONLY = {"kg terms", "kg queries", "kg entities search"}
# The arguments a view needs besides its options; a new view must be added here.
VIEW_ARGS = {"entities": [], "coproduction": [], "ego": ["person/samal-yeslyamova"], "article": [AYKA]}


def _writers() -> dict[str, list[list[str]]]:
    """Every command that writes, with each way it writes: to --out (the build) or to -o."""
    formats = next(p for p in main.commands["export"].params if p.name == "fmt").type.choices
    cases = {
        "kg build": [["build", "--out", OUT]],
        "kg query": [["query", "countries_coproducing_with_kazakhstan.rq", "--out", OUT]],
        "kg export": [["export", "-f", fmt, "-o", FILE, "--out", BUILT] for fmt in formats]
        + [["export", "--out", OUT]],
        "kg stats": [["stats", "--out", OUT]],
        "kg reason": [["reason", "--reasoner", "rules", "--out", OUT]],
        "kg check": [["check", "--reasoner", "rules", "--out", OUT]],
        "kg serve": [["serve", "--port", "0", "--out", OUT]],
        "kg author": [["author", f"seeds/{AYKA}.txt", "--no-browser", "--out", OUT]],  # builds before it serves
        "kg push": [["push", "--endpoint", "http://127.0.0.1:9/query", "--out", OUT]],
        "kg new": [],  # writes beside its article: see test_new_* below
        "kg show": [["show", "person/samal-yeslyamova", "--out", OUT]],
        "kg site": [["site", "-o", FILE, "--out", BUILT], ["site", "--out", OUT]],
    }
    for view in main.commands["viz"].commands:
        args = ["viz", view, *VIEW_ARGS.get(view, ["?"])]
        cases[f"kg viz {view}"] = [[*args, "-o", FILE, "--out", BUILT], [*args, "--out", OUT]]
    return cases


WRITERS = _writers()
ALL_CASES = [argv for cases in WRITERS.values() for argv in cases]


def _first_of_each_command_fast(cases: list[list[str]]) -> list:
    """The first case of each command runs in the fast tier, the others (more formats, the
    other way of writing) are marked slow: every command still meets an unwritable path there."""
    firsts = [argv for command_cases in WRITERS.values() for argv in command_cases[:1]]
    return [
        pytest.param(argv, id=_id(argv), marks=[] if any(argv is first for first in firsts) else [pytest.mark.slow])
        for argv in cases
    ]


def test_every_command_is_listed():
    commands = set(leaf_commands(main))
    assert commands == set(WRITERS) | PRINT_ONLY, "give a new command its unwritable-output cases here"
    assert set(main.commands["viz"].commands) == set(VIEW_ARGS)


@pytest.fixture(autouse=True)
def _never_serve_or_push(monkeypatch):
    """A failure to write must stop serve and push before they listen or connect; if one
    ever got that far, the test fails instead of hanging."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the command went on after its output failed")

    monkeypatch.setattr("kg.serve.serve", refuse)
    monkeypatch.setattr("kg.author.serve", refuse)
    monkeypatch.setattr("kg.push.push", refuse)


def _argv(argv: list[str], built, out, file) -> list[str]:
    return [str({OUT: out, FILE: file, BUILT: built}.get(arg, arg)) for arg in argv]


def _one_error_line(result_or_proc, path) -> str:
    """Exactly one line on standard error, `error: ...` naming the path; no traceback."""
    stderr = result_or_proc.stderr
    output = getattr(result_or_proc, "output", "") + getattr(result_or_proc, "stdout", "")
    assert "Traceback" not in stderr + output
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert str(path) in lines[0], lines[0]
    return lines[0]


def _id(argv: list[str]) -> str:
    return " ".join(a for a in argv if a not in (OUT, FILE, BUILT) and not a.startswith("http"))


@pytest.mark.parametrize("argv", _first_of_each_command_fast(ALL_CASES))
def test_a_folder_that_cannot_be_made(argv, built):
    """Every writing command, pointed at /proc/nope/...: nothing can be created there."""
    out, file = "/proc/nope/out", "/proc/nope/kg-output"
    result = invoke(*_argv(argv, built, out, file))
    assert result.exit_code == EXIT_CANNOT, result.output
    bad = file if FILE in argv else out
    line = _one_error_line(result, bad)
    assert line.endswith("No such file or directory")


def _bad_paths(tmp_path):
    """Each other kind of unwritable path, for a file (-o) and for a folder (--out)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way\n", encoding="utf-8")
    return {
        "permission denied": ("/sys/kg-output.x", "/sys/kg-out", ("Permission denied", "Operation not permitted")),
        "a file in the path": (blocker / "x.out", blocker / "out", ("is not a folder", "Not a directory")),
        "a folder where the file goes": (tmp_path, None, ("is a directory",)),
        "a file where the folder goes": (None, blocker, ("is a file",)),
    }


REPRESENTATIVES = [
    ["build", "--out", OUT],
    ["export", "-f", "turtle", "-o", FILE, "--out", BUILT],
    ["export", "-f", "gexf", "-o", FILE, "--out", BUILT],
    ["viz", "entities", "-o", FILE, "--out", BUILT],
    ["stats", "--out", OUT],
]


KINDS = [
    (argv, kind)
    for argv in REPRESENTATIVES
    for kind in (
        "permission denied",
        "a file in the path",
        "a folder where the file goes" if FILE in argv else "a file where the folder goes",
    )
]


# Each kind once for a folder (build) and once for a file (export) in the fast tier.
FAST_KINDS = ("build --out", "export -f turtle -o --out")


@pytest.mark.parametrize(
    "argv,kind",
    [
        pytest.param(a, k, id=f"{_id(a)}-{k}", marks=[] if _id(a) in FAST_KINDS else [pytest.mark.slow])
        for a, k in KINDS
    ],
)
def test_each_kind_of_unwritable_path(argv, kind, built, tmp_path):
    file, out, reasons = _bad_paths(tmp_path)[kind]
    result = invoke(*_argv(argv, built, out, file))
    assert result.exit_code == EXIT_CANNOT, result.output
    line = _one_error_line(result, file if FILE in argv else out)
    assert any(reason in line for reason in reasons), line
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "in the way\n"


def _full_disk(monkeypatch):
    def full(_handle, _data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("kg.atomic._write", full)


FULL_DISK = {command: cases[0] for command, cases in WRITERS.items() if cases}
FULL_DISK["kg export (network)"] = ["export", "-f", "graphml", "-o", FILE, "--out", BUILT]


# Every command meets an unwritable path in the fast tier above; a full disk there for the
# three ways bytes reach a file (the build, an export, a network export) and a page.
FULL_DISK_FAST = {"kg build", "kg export", "kg export (network)", "kg viz coproduction"}


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(argv, id=name, marks=[] if name in FULL_DISK_FAST else [pytest.mark.slow])
        for name, argv in FULL_DISK.items()
    ],
)
def test_a_full_disk(argv, built, tmp_path, monkeypatch):
    """Every writing command on a full disk (simulated where bytes reach a file): one line
    naming the file it could not write; a fresh OUT is left with no file in it."""
    out, file = tmp_path / "out", tmp_path / "output.x"
    _full_disk(monkeypatch)
    result = invoke(*_argv(argv, built, out, file))
    assert result.exit_code == EXIT_CANNOT, result.output
    line = _one_error_line(result, file if FILE in argv else out)
    assert line.endswith(": cannot write: No space left on device")
    assert not file.exists() and snapshot(out) == {}


def test_a_full_disk_leaves_a_previous_build_as_it_was(built, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)  # the published layout, links kept
    before = snapshot(out)
    _full_disk(monkeypatch)
    result = invoke("--project", str(SEED_CORPUS), "build", "--out", str(out))
    assert result.exit_code == EXIT_CANNOT  # graph.nq: the first file a build writes
    assert _one_error_line(result, out / "graph.nq").endswith("No space left on device")
    assert snapshot(out) == before


def test_reason_cannot_write_its_own_file(built, tmp_path, monkeypatch):
    """The build is fresh; what fails is OUT/inferred.nq (a folder stands where it goes),
    then the disk filling up."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "inferred.nq").mkdir()
    result = invoke("--project", str(SEED_CORPUS), "reason", "--reasoner", "rules", "--out", str(out))
    assert result.exit_code == EXIT_CANNOT
    assert _one_error_line(result, out / "inferred.nq").endswith(": cannot write: Is a directory")
    (out / "inferred.nq").rmdir()
    _full_disk(monkeypatch)
    result = invoke("--project", str(SEED_CORPUS), "reason", "--reasoner", "rules", "--out", str(out))
    assert _one_error_line(result, out / "inferred.nq").endswith("No space left on device")
    assert not (out / "inferred.nq").exists()


def _new_article(corpus):
    article = corpus / "seeds" / "005_new.txt"
    article.write_text("Фильм «Тест» снимут в Алматы.\n", encoding="utf-8")
    return article


def test_new_on_a_full_disk(corpus, monkeypatch):
    article = _new_article(corpus)
    _full_disk(monkeypatch)
    result = invoke("new", str(article), project=corpus)
    assert result.exit_code == EXIT_CANNOT
    target = article.with_suffix(".yaml")
    assert _one_error_line(result, target).endswith("No space left on device")
    assert sorted(p.name for p in article.parent.iterdir() if p.name.startswith(("005", ".005"))) == ["005_new.txt"]


def test_new_in_a_folder_that_cannot_be_written_in_a_real_process(corpus):
    """chattr +i makes the folder read-only even for root (the tests run as root in CI)."""
    article = _new_article(corpus)
    folder = article.parent
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        proc = run_kg("--project", str(corpus), "new", str(article))
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert proc.returncode == EXIT_CANNOT
    line = _one_error_line(proc, article.with_suffix(".yaml"))
    assert line.endswith(": cannot write: Operation not permitted")


# -- in real processes, as a user's shell runs them ------------------------------------------


def test_the_issue_command_in_a_real_process(built):
    proc = run_kg("export", "-f", "turtle", "-o", "/proc/nope/x.ttl", "--out", str(built))
    assert proc.returncode == EXIT_CANNOT
    assert (
        _one_error_line(proc, "/proc/nope/x.ttl")
        == "error: /proc/nope/x.ttl: cannot create its folder /proc/nope: No such file or directory"
    )


def test_build_into_a_folder_that_cannot_be_made_in_a_real_process(tmp_path):
    proc = run_kg("build", "--out", "/sys/kg-out")
    assert proc.returncode == EXIT_CANNOT
    assert _one_error_line(proc, "/sys/kg-out") in (
        "error: /sys/kg-out: cannot create folder: Operation not permitted",  # as root
        "error: /sys/kg-out: cannot create folder: Permission denied",  # as anyone else
    )


@pytest.mark.slow  # three real processes
def test_a_real_full_disk_through_a_device(built, tmp_path):
    """A character device like /dev/full, made in tmp_path (so a regression cannot replace
    the machine's own): every write to it fails with ENOSPC. It must be written in place,
    never renamed over."""
    device = tmp_path / "full"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here (not root)")
    for argv in (["export", "-f", "gexf", "-o", str(device)], ["viz", "coproduction", "-o", str(device)]):
        proc = run_kg(*argv, "--out", str(built))
        assert proc.returncode == EXIT_CANNOT
        assert _one_error_line(proc, device) == f"error: {device}: cannot write: No space left on device"
        assert stat.S_ISCHR(os.stat(device).st_mode)  # still the device
    # Standard output on a full disk: one line too.
    with open(device, "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "kg", "export", "--out", str(built)],
            cwd=SEED_CORPUS,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert proc.returncode == EXIT_CANNOT
    assert proc.stderr == "error: standard output: No space left on device\n"


def test_writing_to_dev_null_keeps_it_a_device(built, tmp_path):
    """`-o /dev/null` (or /dev/stdout) is written in place: renaming over it, as root, would
    have replaced the machine's /dev/null with a file. A FIFO stands in for it here."""
    fifo, copy = tmp_path / "pipe", tmp_path / "copy.nt"
    os.mkfifo(fifo)
    with open(copy, "wb") as sink:  # the reader writes to a file, never a pipe we must drain
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        try:
            result = invoke("export", "-f", "ntriples", "-o", str(fifo), "--out", str(built))
        finally:
            try:
                reader.wait(timeout=60)
            except subprocess.TimeoutExpired:  # nothing ever opened the pipe for writing
                reader.kill()
                reader.wait()
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    data = copy.read_bytes()
    assert b"<https://w3id.org/ca-film/id/film/ayka-2018>" in data and data.endswith(b" .\n")


# -- missing inputs ---------------------------------------------------------------------------

MISSING = [
    (["new", "/nope/005.txt"], "/nope/005.txt"),
    (["author", "/nope/005.txt", "--no-browser", "--out", "{tmp}"], "/nope/005.txt"),
    (["check", "--data", "/nope/x.nq", "--out", "{tmp}"], "/nope/x.nq"),
    (["query", "coproductions.rq", "--data", "/nope/x.ttl", "--out", "{tmp}"], "/nope/x.ttl"),
    (["query", "/nope/q.rq", "--out", "{tmp}"], "/nope/q.rq"),
    (["viz", "article", "/nope/009.txt", "--out", "{built}"], "/nope/009.txt"),
    (["--project", "/nope/corpus", "build", "--out", "{tmp}"], "/nope/corpus"),
]


@pytest.mark.parametrize("argv,path", MISSING, ids=[" ".join(a[:-2] if "--out" in a else a) for a, _ in MISSING])
def test_a_missing_input_is_one_line(argv, path, built, tmp_path):
    out = tmp_path / "out"
    result = invoke(*[{"{tmp}": str(out), "{built}": str(built)}.get(arg, arg) for arg in argv])
    assert result.exit_code == EXIT_CANNOT
    _one_error_line(result, path)
    assert not out.exists()


def test_a_mapping_that_cannot_be_read_is_one_line(corpus, tmp_path):
    (corpus / "seeds" / "009_folder.yaml").mkdir()
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == EXIT_CANNOT
    assert _one_error_line(result, corpus / "seeds" / "009_folder.yaml").endswith("Is a directory")
