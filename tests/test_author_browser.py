"""`kg author` in a real browser: Debian's Chromium, headless, driven by Playwright, against
`python -m kg author` in a real process on 127.0.0.1, every request to anything else
aborted and recorded (no remote resource). The acceptance list of issue 17: select words,
make a fact (an existing film, a concept-valued credit, a new person), save, and the YAML,
the build and the crew-and-cast query all hold it; the token and Origin guards; a hostile
label shown as text; a file edited on disk meanwhile never overwritten."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, SELECT_TEXT
from tests.conftest import ROOT, invoke
from tests.test_author import (
    CREDIT_ITEM,
    HOSTILE,
    MIRRORS,
    NEW_PERSON,
    QUOTE,
    _crew,
    appended,
    comments,
    unmap_berikova,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    token: str
    corpus: Path


def start(corpus: Path, out: Path, article: str) -> Server:
    """`python -m kg author ARTICLE --no-browser` on the corpus; waits (bounded) for its address."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--project", str(corpus), "author", article, "--no-browser", "--out", str(out)],
        cwd=corpus,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(out.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line, deadline = "", time.monotonic() + 120
    while time.monotonic() < deadline and "kg author:" not in line and proc.poll() is None:
        line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]+)", line)
    if not match:
        stop(proc)
        pytest.fail(f"kg author did not start: {line!r}")
    return Server(proc, match.group(1), match.group(2), corpus)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
    stderr = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def server(corpus, tmp_path):
    unmap_berikova(corpus)
    running = start(corpus, tmp_path / "out", f"seeds/{MIRRORS}.txt")
    yield running
    stop(running.proc)
    assert running.proc.returncode == 0


@dataclass
class Opened:
    page: object
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # the API's 4xx answers, which Chromium logs
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [] and self.dialogs == [] and self.blocked == []


def open_page(browser, server: Server) -> Opened:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    opened = Opened(page)

    def route(route):
        if route.request.url.startswith(server.base + "/"):
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))

    def console(msg):
        if msg.type == "error":
            refusal = msg.text.startswith("Failed to load resource: the server responded with a status of 4")
            (opened.refused if refusal else opened.errors).append(msg.text)

    page.on("console", console)

    def dialog(d):
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(f"{server.base}/?token={server.token}")
    wait(page, "document.body.dataset.ready === '1'")
    return opened


def wait(page, expression: str, seconds: float = 60.0):
    """Poll a condition (bounded); Playwright's wait_for_function would need eval under the CSP."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = page.evaluate(f"() => {expression}")
        if value:
            return value
        time.sleep(0.1)
    shown = page.evaluate(
        "() => [document.getElementById('status').textContent, document.getElementById('form-problems').textContent]"
    )
    pytest.fail(f"timed out waiting for {expression}; the page says {shown}")


def select(page, text: str) -> None:
    assert page.evaluate(SELECT_TEXT, text), text
    wait(page, "!document.getElementById('new-fact').hidden")


def pick(page, scope: str, typed: str, entity_id: str) -> None:
    """Type into an entity picker and click the hit with that id."""
    page.fill(f"{scope} input.search", typed)
    page.click(f"{scope} li.hit[data-id='{entity_id}']", timeout=30_000)


def add_row(page, prop: str) -> str:
    page.click("#add-row")
    n = page.evaluate("() => document.querySelectorAll('#with .with-row').length")
    row = f"#with .with-row:nth-child({n})"
    page.select_option(f"{row} select.with-property", prop)
    return row


def test_select_a_sentence_and_save_a_credit_with_a_new_person(browser, server, tmp_path):
    corpus = server.corpus
    mapping, people = corpus / "seeds" / f"{MIRRORS}.yaml", corpus / "seeds" / "registry" / "people.yaml"
    before = {p: p.read_text(encoding="utf-8") for p in (mapping, people)}
    opened = open_page(browser, server)
    page = opened.page
    uncited = page.evaluate("() => [...document.querySelectorAll('#text .uncited')].map((s) => s.textContent)")
    assert QUOTE + ":" in uncited  # the sentence no fact cites yet
    select(page, QUOTE)
    page.click("#new-fact")
    assert page.evaluate("() => [...document.querySelectorAll('#quotes q')].map((q) => q.textContent)") == [QUOTE]
    page.check("input[name=mode][value=node]")
    page.select_option("#node-type", "Credit")
    page.select_option("#with .with-row:nth-child(1) select.with-property", "creditFor")
    pick(page, "#with .with-row:nth-child(1)", "Зеркала", "film/mirrors-suleymenov")
    role = add_row(page, "creditRole")
    page.select_option(f"{role} select.concept", "credit/cast-member")
    person = add_row(page, "creditedTo")
    select(page, "Элизат Берикова")
    page.click(f"{person} button.from-selection")
    page.select_option(".new-entity select.kind", "person|Person")
    assert page.input_value(".new-entity input.label") == "Элизат Берикова"
    wait(page, "document.querySelector('.new-entity select.label-lang').value === 'ru'")
    page.click(".new-entity button.create")
    wait(page, f"document.querySelector('{person} .chosen').textContent.includes('{NEW_PERSON}')")
    assert page.input_value("#node-id") == "crew/mirrors-suleymenov-cast-member-elizat-berikova"
    page.click("#save")
    wait(page, "document.getElementById('status').textContent.startsWith('saved fact')")
    assert page.text_content("#status") == (
        f"saved fact credit-1 to seeds/{MIRRORS}.yaml, seeds/registry/people.yaml"  # kg runs in the corpus
    )
    # The YAML holds the exact quote, the new entry, and every comment that was there.
    assert appended(before[mapping], mapping) == CREDIT_ITEM
    assert appended(before[people], people) == f"- id: {NEW_PERSON}\n  type: Person\n  label: {{ru: Элизат Берикова}}\n"
    for path, text in before.items():
        old = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
        assert comments(path) == old
    # The page reloaded: the new card, and the sentence now quoted.
    wait(page, "document.querySelector('.card[data-id=\"credit-1\"]') !== null")
    assert QUOTE + ":" not in page.evaluate(
        "() => [...document.querySelectorAll('#text .uncited')].map((s) => s.textContent)"
    )
    # Build and show: the article's facts as kg show gives them, and its view.
    page.click("#build")
    wait(page, "document.getElementById('status').textContent.startsWith('built')", 300)
    shown = page.evaluate("() => [...document.querySelectorAll('pre.show')].map((p) => p.textContent)")
    film = next(text for text in shown if text.startswith("Mirrors"))
    assert "credited to: Элизат Берикова  (person/elizat-berikova)" in film
    assert f"“{QUOTE}”" in film
    assert page.get_attribute("#view", "src").startswith(f"/view/{MIRRORS}?token=")
    opened.assert_clean()
    # kg build passes, and the fact comes back from the crew-and-cast query.
    result = invoke("build", "--out", str(tmp_path / "again"), project=corpus)
    assert result.exit_code == 0, result.output
    assert ("Mirrors", "cast member", NEW_PERSON, "Элизат Берикова") in _crew(corpus, tmp_path / "again")


def _status(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_no_token_or_a_foreign_origin_is_403_from_the_real_server(server):
    assert _status(server.base + "/") == (403, "refused: open the address kg author printed, with its ?token=\n")
    assert _status(server.base + "/api/terms")[0] == 403
    token = {"X-Kg-Token": server.token}
    assert _status(server.base + "/api/terms", token)[0] == 200
    foreign = _status(server.base + "/api/terms", {**token, "Origin": "https://evil.example"})
    assert foreign == (403, "refused: a request from another origin (https://evil.example)\n")
    port = server.base.rsplit(":", 1)[1]
    assert _status(server.base + "/api/terms", {**token, "Host": f"evil.example:{port}"})[0] == 403


def test_a_hostile_label_shows_as_text_and_runs_nothing(browser, corpus, tmp_path):
    article = corpus / "seeds" / "005_hostile.txt"
    article.write_text(f"Актёр {HOSTILE} снялся в фильме «Зеркала».\n", encoding="utf-8")
    running = start(corpus, tmp_path / "out", "seeds/005_hostile.txt")
    try:
        opened = open_page(browser, running)
        page = opened.page
        assert HOSTILE in page.text_content("#text")
        select(page, HOSTILE)
        page.click("#new-fact")
        assert page.text_content("#quotes q") == HOSTILE
        page.click("#subject-slot button.from-selection")
        page.select_option(".new-entity select.kind", "person|Person")
        page.click(".new-entity button.create")
        wait(page, "document.querySelector('ul.pending li') !== null")
        assert HOSTILE in page.text_content("ul.pending li")
        page.select_option("#property", "occupation")
        page.select_option("#object-slot select.concept", "occupation/actor")
        page.click("#save")
        wait(page, "document.querySelectorAll('#form-problems li').length > 0")
        problems = page.evaluate(
            "() => [...document.querySelectorAll('#form-problems li')].map((li) => li.textContent)"
        )
        assert any(f"contains HTML markup: '{HOSTILE}'" in p for p in problems), problems
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        time.sleep(0.5)  # an onerror handler would have run by now
        opened.assert_clean()
        assert "img" not in (corpus / "seeds" / "registry" / "people.yaml").read_text(encoding="utf-8")
    finally:
        stop(running.proc)


def test_a_file_edited_on_disk_while_the_page_is_open_is_not_overwritten(browser, server):
    mapping = server.corpus / "seeds" / f"{MIRRORS}.yaml"
    opened = open_page(browser, server)
    page = opened.page
    select(page, "Банда зеркальщиков!")
    page.click("#new-fact")
    pick(page, "#subject-slot", "Zerkala", "film/mirrors-suleymenov")  # Latin letters find «Зеркала»
    offered = page.evaluate("() => [...document.querySelectorAll('#property option')].map((o) => o.value)")
    assert {"genre", "director", "productionCountry"} <= set(offered)
    assert "occupation" not in offered and "nationality" not in offered  # a person's, not a film's
    page.select_option("#property", "genre")
    page.fill("#object-slot input.text", "криминальная драма")
    edited = mapping.read_text(encoding="utf-8") + "# a note typed in an editor meanwhile\n"
    mapping.write_text(edited, encoding="utf-8")
    page.click("#save")
    wait(page, "document.getElementById('status').classList.contains('conflict')")
    assert page.text_content("#status") == (
        f"seeds/{MIRRORS}.yaml changed on disk since this page read it: "
        "nothing was written; the page shows the file as it is now"
    )
    assert mapping.read_text(encoding="utf-8") == edited
    assert not page.is_hidden("#form")  # the fact is kept; the page has the new version now
    page.click("#save")
    wait(page, "document.getElementById('status').textContent.startsWith('saved fact')")
    text = mapping.read_text(encoding="utf-8")
    assert text.startswith(edited.rstrip("\n")) and text.endswith("    quote: Банда зеркальщиков!\n")
    opened.assert_clean()
