"""Benchmark of `kg author`: a scripted user adds the same 20 facts to a test article through
the page, against the characters the same facts take typed as YAML.

    python bench/author_bench.py                     # article 001 of the tests' corpus
    python bench/author_bench.py --article 004_9d304b95c593325b --facts 10

A copy of the tests' corpus is made; the first N simple facts of the article's mapping (one
object each, not a list; the object a registry entity, a concept, a named value, a text in
one language, a date, a year or a number; no status or editorial reason) are taken out of
the copy. Then `python -m kg author` runs on the copy and Playwright (Debian's headless
Chromium) adds each fact back as a user does: select the quote in the article, New fact,
type the subject's name and click it, choose the property, type or choose the object, Save,
wait for "saved". Every extra quote of a fact is another selection and a click. Printed:
the actions (selections, clicks, typed fields, choices) and keystrokes, the time from the
first action to the last save, and the characters of the same facts as YAML (their items
in the file, as an author types them by hand, indentation included; the quotes are then
copied by hand too). Afterwards `kg build` must pass on the copy. A script that prints a
table, not a test.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.article import load_article  # noqa: E402
from kg.author import _property_input  # noqa: E402
from kg.yamledit import load  # noqa: E402
from tests.browser import ARGS, CHROMIUM, SELECT_TEXT  # noqa: E402


def take_out(corpus: Path, stem: str, count: int) -> tuple[list[dict], int]:
    """Remove the first `count` simple facts the page can type (see the module's docstring)
    from the copy's mapping; returns them (as data) and the characters of their YAML items."""
    from kg.corpus import find_corpus
    from kg.ontology import load_ontology

    found = find_corpus(corpus)
    ontology = load_ontology(found.ontology_files(), found.display)
    path = corpus / "seeds" / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    data = load(text, str(path))
    facts = data["facts"]
    data_nodes = {f["node"] for f in facts if "node" in f}
    starts = [facts.lc.item(i)[0] for i in range(len(facts))] + [len(lines)]
    chosen, drop, chars = [], set(), 0
    for i, item in enumerate(facts):
        if len(chosen) == count:
            break
        if "node" in item or any(isinstance(v, str) and v in data_nodes for v in (item["subject"], item["object"])):
            continue  # n-ary facts, and nodes of this mapping (found by their id, not a name)
        prop = ontology.properties.get(item.get("property"))
        if prop is None or item.get("status") or item.get("editorial"):
            continue
        kind = _property_input(ontology, prop)["kind"]
        value = item.get("object")
        if kind == "text" and not (isinstance(value, dict) and len(value) == 1):
            continue  # the page's text input holds one language
        if kind not in ("entity", "concept", "choice", "text", "date", "year", "integer") or isinstance(value, list):
            continue
        if kind in ("entity", "concept", "choice") and not isinstance(value, str):
            continue
        quotes = item["quote"] if isinstance(item["quote"], list) else [item["quote"]]
        end = starts[i + 1]
        while end > starts[i] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # the blank line and the next item's comments are not this item's
        block = range(starts[i], end)
        chars += sum(len(lines[n]) for n in block)
        drop |= set(block)
        chosen.append(
            {
                "id": str(item.get("id") or ""),
                "subject": item["subject"],
                "property": item["property"],
                "object": dict(value) if isinstance(value, dict) else str(value),
                "quotes": [str(q) for q in quotes],
                "input": kind,
            }
        )
    path.write_text("".join(line for n, line in enumerate(lines) if n not in drop), encoding="utf-8")
    return chosen, chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", default="001_96dd9b9a8acb094b")
    parser.add_argument("--facts", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from kg.corpus import find_corpus
    from kg.ontology import load_ontology
    from kg.registry import load_registry

    with tempfile.TemporaryDirectory(prefix="kg-author-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        for name in ("ontology", "queries"):
            shutil.copytree(ROOT / name, corpus / name)
        shutil.copytree(ROOT / "tests" / "corpus" / "seeds", corpus / "seeds")
        facts, yaml_chars = take_out(corpus, args.article, args.facts)
        article, _ = load_article(corpus / "seeds" / f"{args.article}.txt", "article")
        found = find_corpus(corpus)
        registry = load_registry(
            found.registry_files(), load_ontology(found.ontology_files(), found.display), found.display
        )[0]
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "--project", str(corpus), "author", f"seeds/{args.article}.txt",
             "--no-browser", "--out", str(Path(tmp) / "out")],
            cwd=corpus, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            line, deadline = "", time.monotonic() + 120
            while time.monotonic() < deadline and "kg author:" not in line and proc.poll() is None:
                line = proc.stdout.readline()
            url = re.search(r"http://\S+", line).group(0)
            actions = keys = 0
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url)
                _wait(page, "document.body.dataset.ready === '1'")
                started = time.perf_counter()
                for fact in facts:
                    exact = [article.find(q).exact for q in fact["quotes"]]
                    assert page.evaluate(SELECT_TEXT, exact[0])
                    _wait(page, "!document.getElementById('new-fact').hidden")
                    page.click("#new-fact")
                    actions += 2
                    for more in exact[1:]:
                        assert page.evaluate(SELECT_TEXT, more)
                        page.click("#add-quote")
                        actions += 2
                    typed = _name(registry, fact["subject"])
                    page.fill("#subject-slot input.search", typed)
                    page.click(f"#subject-slot li.hit[data-id='{fact['subject']}']", timeout=30_000)
                    page.select_option("#property", fact["property"])
                    actions += 3
                    keys += len(typed)
                    if fact["input"] == "concept":
                        page.select_option("#object-slot select.concept", fact["object"])
                        actions += 1
                    elif fact["input"] == "choice":
                        page.select_option("#object-slot select", fact["object"])
                        actions += 1
                    elif fact["input"] == "text":
                        ((lang, text),) = fact["object"].items()
                        page.select_option("#object-slot select", lang)
                        page.fill("#object-slot input.text", text)
                        actions += 2
                        keys += len(text)
                    elif fact["input"] in ("date", "year", "integer"):
                        page.fill(f"#object-slot input.{fact['input']}", fact["object"])
                        actions += 1
                        keys += len(fact["object"])
                    else:
                        typed = _name(registry, fact["object"])
                        page.fill("#object-slot input.search", typed)
                        page.click(f"#object-slot li.hit[data-id='{fact['object']}']", timeout=30_000)
                        actions += 2
                        keys += len(typed)
                    if fact["id"]:  # a fact the metadata's cites: names
                        page.fill("#fact-id", fact["id"])
                        actions += 1
                        keys += len(fact["id"])
                    page.click("#save")
                    actions += 1
                    _wait(page, "document.getElementById('status').textContent.startsWith('saved fact')")
                    page.evaluate("() => { document.getElementById('status').textContent = ''; }")
                seconds = time.perf_counter() - started
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        built = subprocess.run(
            [sys.executable, "-m", "kg", "--project", str(corpus), "build", "--out", str(Path(tmp) / "check")],
            cwd=corpus, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        )  # fmt: skip
        quote_chars = sum(len(q) for f in facts for q in f["quotes"])
        print(f"article {args.article}: {len(facts)} facts added through kg author")
        print(f"  page:  {actions} actions ({actions / len(facts):.1f} per fact), {keys} keystrokes typed, "
              f"{seconds:.1f} s scripted ({seconds / len(facts):.2f} s per fact, checker and save included)")  # fmt: skip
        print(f"  YAML:  {yaml_chars} characters typed by hand for the same facts "
              f"({yaml_chars / len(facts):.0f} per fact), of which {quote_chars} are quotes copied from the text")  # fmt: skip
        print(f"  kg build on the result: exit {built.returncode} {built.stdout.strip() or built.stderr.strip()}")


def _name(registry, entity_id: str) -> str:
    entity = registry.entities[entity_id]
    return entity.labels.get("en") or next(iter(entity.labels.values()))


def _wait(page, expression: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(f"() => {expression}"):
            return
        time.sleep(0.05)
    raise SystemExit(
        f"timed out waiting for {expression}: {page.text_content('#status')} {page.text_content('#form-problems')}"
    )


if __name__ == "__main__":
    main()
