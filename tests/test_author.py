"""`kg author` without a browser: the JSON API through Flask's test client (guards, state,
search, check, save, conflicts, build and show), the YAML appends, and the command itself in
a real process. The page in Chromium: tests/test_author_browser.py.

The fixture corpus maps every name its articles give, so the tests that create a new entity
first take Elizat Berikova out of a writable copy (unmap_berikova): her registry entry and
the three facts about her, leaving every comment; the page then maps her again."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.author import Author, AuthorConfig, create_app, pieces, sentences
from kg.built import ensure_built
from kg.corpus import find_corpus
from kg.limits import excerpt
from kg.yamledit import append_to_list, load
from tests.conftest import ROOT, SEED_CORPUS, invoke
from viz.views import article_html

MIRRORS = "003_6ace3f2e2b0ad3c1"
# The item a save of the Berikova credit appends to Mirrors' mapping, byte for byte.
CREDIT_ITEM = (
    "  - id: credit-1\n"
    "    node: crew/mirrors-suleymenov-cast-member-elizat-berikova\n"
    "    type: Credit\n"
    "    with:\n"
    "      creditFor: film/mirrors-suleymenov\n"
    "      creditRole: credit/cast-member\n"
    "      creditedTo: person/elizat-berikova\n"
    "    quote: Элизат Берикова, актриса\n"
)
AYKA = "004_9d304b95c593325b"
PORT = 5555
BASE = f"http://127.0.0.1:{PORT}"
QUOTE = "Элизат Берикова, актриса"
NEW_PERSON = "person/elizat-berikova"
HOSTILE = "<img src=x onerror=alert(1)>"


def unmap_berikova(corpus: Path) -> None:
    """Remove Elizat Berikova's registry entry and every fact naming her (comments stay)."""
    for path, item in (
        (corpus / "seeds" / f"{MIRRORS}.yaml", "  - "),
        (corpus / "seeds" / "registry/people.yaml", "- "),
    ):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if line.startswith(item)] + [len(lines)]
        drop = set()
        for a, b in itertools.pairwise(starts):
            if "elizat-berikova" in "".join(lines[a:b]):
                drop |= {i for i in range(a, b) if lines[i].strip() and not lines[i].lstrip().startswith("#")}
        path.write_text("".join(line for i, line in enumerate(lines) if i not in drop), encoding="utf-8")


def comments(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("#")]


def appended(before: str, path: Path) -> str:
    """What a save added at the end of a file, after proving that every line before it is
    unchanged (trailing blank lines give way to the one blank line between items)."""
    after = path.read_text(encoding="utf-8")
    kept = before.rstrip("\n") + "\n\n"
    assert after.startswith(kept)
    return after[len(kept) :]


def credit_payload(state: dict, quote: str = QUOTE, label: str = "Элизат Берикова") -> dict:
    """The film (an existing entity) credited with a cast member (a concept of the credit
    vocabulary) who is a new registry entity, as the page sends it."""
    return {
        "article": MIRRORS,
        "versions": state["versions"],
        "entities": [{"id": NEW_PERSON, "type": "Person", "label": label, "lang": "ru"}],
        "fact": {
            "node": "crew/mirrors-suleymenov-cast-member-elizat-berikova",
            "type": "Credit",
            "with": [
                {"property": "creditFor", "value": {"kind": "entity", "value": "film/mirrors-suleymenov"}},
                {"property": "creditRole", "value": {"kind": "concept", "value": "credit/cast-member"}},
                {"property": "creditedTo", "value": {"kind": "entity", "value": NEW_PERSON}},
            ],
            "quotes": [quote],
            "status": "Done",
        },
    }


@pytest.fixture
def client(corpus, tmp_path):
    unmap_berikova(corpus)
    config = AuthorConfig(port=PORT, article=MIRRORS, token="secret-token")
    found = find_corpus(corpus)
    app = create_app(Author(found, lambda: ensure_built(found, tmp_path / "out"), article_html), config, PORT)
    test_client = app.test_client()
    test_client.corpus = corpus
    return test_client


def get(client, path: str, **headers):
    return client.get(path, base_url=BASE, headers={"X-Kg-Token": "secret-token", **headers})


def post(client, path: str, body: dict, **headers):
    return client.post(path, base_url=BASE, json=body, headers={"X-Kg-Token": "secret-token", **headers})


# -- the guards ----------------------------------------------------------------------------------


def test_no_token_a_wrong_token_a_foreign_origin_or_host_are_403(client):
    assert client.get("/", base_url=BASE).status_code == 403
    assert client.get("/api/state?article=" + MIRRORS, base_url=BASE).status_code == 403
    assert client.get("/?token=wrong", base_url=BASE).status_code == 403
    refused = get(client, "/api/terms", Origin="http://evil.example")
    assert refused.status_code == 403
    assert refused.get_data(as_text=True) == "refused: a request from another origin (http://evil.example)\n"
    assert post(client, "/api/save", {}, Origin="http://127.0.0.1:5556").status_code == 403
    assert get(client, "/api/terms", **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    rebound = client.get("/api/terms", base_url="http://attacker.example:5555", headers={"X-Kg-Token": "secret-token"})
    assert rebound.status_code == 403 and "attacker.example" in rebound.get_data(as_text=True)
    assert get(client, "/api/terms", Origin=BASE).status_code == 200


def test_the_page_has_a_strict_policy_and_loads_nothing_remote(client):
    page = client.get("/?token=secret-token", base_url=BASE)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; script-src 'nonce-") and "connect-src 'self'" in policy
    html = page.get_data(as_text=True)
    assert not re.search(r"(src|href)=\"?(https?:)?//", html)
    assert "innerHTML" not in html and "insertAdjacentHTML" not in html


# -- what the page shows -------------------------------------------------------------------------


def test_state_locates_every_quote_and_marks_uncited_sentences(client):
    state = get(client, f"/api/state?article={AYKA}").get_json()
    text = (SEED_CORPUS / "seeds" / f"{AYKA}.txt").read_text(encoding="utf-8")
    assert state["article"]["text"] == text
    assert state["problems"] == []
    director = next(card for card in state["cards"] if card["id"] == "ayka-director")
    assert director["subject"] == "Ayka (film/ayka-2018)"
    assert director["rows"] == [{"property": "director", "value": "Sergey Dvortsevoy (person/sergey-dvortsevoy)"}]
    first = director["quotes"][0]
    assert first["text"] == "The film’s director Sergei Dvortsevoi"
    exact = text[first["start"] : first["end"]]
    assert exact != first["text"] and " ".join(exact.split()) == first["text"]  # no-break spaces, as received
    assert "".join(piece["text"] for piece in state["pieces"]) == text
    covering = [p for p in state["pieces"] if director["n"] in p["cards"]]
    assert "".join(p["text"] for p in covering) == exact + "Режиссер картины Сергей Дворцевой"


def test_uncited_sentences_are_the_ones_no_quote_touches(client):
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    uncited = {p["text"] for p in state["pieces"] if not p["cited"] and p["text"].strip()}
    assert "Банда зеркальщиков!" in uncited and "{metadescription}" in uncited
    assert QUOTE + ":" in uncited  # Berikova's facts were taken out of this copy
    assert not any("Сулейменов" in text for text in uncited)


def test_sentences_and_pieces_cut_at_every_boundary():
    text = "One. Two words!\nThree"
    assert [text[a:b] for a, b in sentences(text)] == ["One.", "Two words!", "Three"]
    cut = pieces(text, [(5, 8, 0)])
    assert [(p["text"], p["cards"], p["cited"]) for p in cut] == [
        ("One.", [], False),
        (" ", [], True),
        ("Two", [0], True),
        (" words!", [], True),
        ("\n", [], True),
        ("Three", [], False),
    ]


def test_search_folds_as_the_cli_and_filters_by_class(client):
    hits = get(client, "/api/search?q=Dvortsevoi").get_json()["hits"]
    assert hits[0]["id"] == "person/sergey-dvortsevoy" and hits[0]["labels"]["ru"] == "Сергей Дворцевой"
    kz = get(client, "/api/search?q=Kazakstan&classes=Country").get_json()["hits"]
    assert [h["id"] for h in kz] == ["country/kazakhstan"]
    assert get(client, "/api/search?q=Kazakstan&classes=Person").get_json()["hits"] == []
    nodes = get(client, f"/api/search?q=gubashev mirrors businessman&article={MIRRORS}").get_json()["hits"]
    assert "performance/gubashev-mirrors-businessman" in [h["id"] for h in nodes]


def test_terms_give_each_property_its_input(client):
    terms = get(client, "/api/terms").get_json()
    props = terms["properties"]
    assert props["creditRole"]["kind"] == "concept" and props["creditRole"]["scheme"] == "credit"
    assert props["director"]["kind"] == "entity" and props["director"]["classes"] == ["Person"]
    assert props["budget"]["kind"] == "amount"
    assert props["date"]["kind"] == "date" and props["year"]["kind"] == "year"
    assert props["title"]["kind"] == "text"
    assert "credit/cast-member" in [c["id"] for c in terms["concepts"]["credit"]]
    assert ["EUR", "Euro"] in terms["currencies"] and ["KZT", "Tenge"] in terms["currencies"]
    assert terms["statuses"] == ["Announced", "Done", "Negotiating", "Ongoing", "Planned"]
    assert terms["classes"]["Credit"]["node"] == "crew" and terms["classes"]["Film"]["kind"] == "film"


def test_a_new_id_follows_the_slug_scheme_and_names_possible_twins(client):
    made = get(client, "/api/new-id?kind=person&label=Элизат Берикова").get_json()
    assert made == {"id": NEW_PERSON, "lang": "ru", "type": "Person", "twins": []}
    twin = get(client, "/api/new-id?kind=person&label=Sergei Dvortsevoi").get_json()
    assert [t["id"] for t in twin["twins"]] == ["person/sergey-dvortsevoy"]


# -- checking and saving -------------------------------------------------------------------------


def test_save_appends_the_fact_and_the_entity_keeping_every_byte_and_comment(client, tmp_path):
    corpus = client.corpus
    mapping, people = corpus / "seeds" / f"{MIRRORS}.yaml", corpus / "seeds" / "registry/people.yaml"
    before = {p: p.read_text(encoding="utf-8") for p in (mapping, people)}
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    checked = post(client, "/api/check", credit_payload(state)).get_json()
    assert checked == {"fact": "credit-1", "notes": [], "problems": []}
    saved = post(client, "/api/save", credit_payload(state))
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json() == {
        "fact": "credit-1",
        "files": [f"{corpus}/seeds/{MIRRORS}.yaml", f"{corpus}/seeds/registry/people.yaml"],
        "notes": [],
        "saved": True,
    }
    assert appended(before[mapping], mapping) == CREDIT_ITEM
    assert appended(before[people], people) == (
        "- id: person/elizat-berikova\n  type: Person\n  label: {ru: Элизат Берикова}\n"
    )
    result = invoke("build", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 0, result.output
    rows = _crew(corpus, tmp_path / "out")
    assert ("Mirrors", "cast member", NEW_PERSON, "Элизат Берикова") in rows


def _crew(corpus: Path, out: Path) -> set[tuple[str, ...]]:
    result = invoke(
        "query",
        "crew_and_cast_of_work.rq",
        "--bind",
        "work=film/mirrors-suleymenov",
        "-f",
        "csv",
        "--out",
        str(out),
        project=corpus,
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    return {(r["work_label"], r["role"], r["person"].rsplit("/id/", 1)[-1], r["person_label"]) for r in rows}


def test_a_quote_not_in_the_article_is_refused_with_the_checkers_message(client):
    corpus = client.corpus
    files = sorted((corpus / "seeds").rglob("*.yaml"))
    before = {p: p.read_bytes() for p in files}
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    response = post(client, "/api/save", credit_payload(state, quote="Элизат Берикова, актриcа"))  # a Latin c
    assert response.status_code == 422
    (problem,) = response.get_json()["problems"]
    assert problem.startswith(f"{corpus}/seeds/{MIRRORS}.yaml:") and "quote not found" in problem
    assert "U+0441" in problem or "CYRILLIC SMALL LETTER ES" in problem
    assert {p: p.read_bytes() for p in files} == before


def test_markup_in_a_new_label_is_refused_by_the_registry_check(client):
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    response = post(client, "/api/save", credit_payload(state, label=HOSTILE))
    assert response.status_code == 422
    people = client.corpus / "seeds/registry/people.yaml"
    label_line = people.read_text(encoding="utf-8").rstrip("\n").count("\n") + 5  # after a blank, id, type
    assert response.get_json()["problems"] == [
        f"{people}:{label_line}: {NEW_PERSON} label.ru contains HTML markup: '{HOSTILE}'"
    ]


def test_a_file_changed_on_disk_since_the_page_read_it_is_not_overwritten(client):
    mapping = client.corpus / "seeds" / f"{MIRRORS}.yaml"
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    edited = mapping.read_text(encoding="utf-8") + "# edited by hand meanwhile\n"
    mapping.write_text(edited, encoding="utf-8")
    response = post(client, "/api/save", credit_payload(state))
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        f"{client.corpus}/seeds/{MIRRORS}.yaml changed on disk since this page read it: "
        "nothing was written; the page shows the file as it is now"
    )
    assert mapping.read_text(encoding="utf-8") == edited
    assert "person/elizat-berikova" not in (client.corpus / "seeds/registry/people.yaml").read_text(encoding="utf-8")


def test_a_status_an_editorial_reason_and_typed_values(client):
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    payload = {
        "article": MIRRORS,
        "versions": state["versions"],
        "fact": {
            "subject": "film/mirrors-suleymenov",
            "property": "budget",
            "object": {"kind": "amount", "amount": "2500000", "currency": "KZT"},
            "quotes": ["Сейчас идут переговоры."],
            "status": "Negotiating",
            "editorial": "The amount is the editor's example.",
        },
    }
    mapping = client.corpus / "seeds" / f"{MIRRORS}.yaml"
    before = mapping.read_text(encoding="utf-8")
    assert post(client, "/api/save", payload).status_code == 200
    assert appended(before, mapping) == (
        "  - id: budget-1\n    subject: film/mirrors-suleymenov\n    property: budget\n"
        "    object: {amount: 2500000, currency: KZT}\n    quote: Сейчас идут переговоры.\n"
        "    status: Negotiating\n    editorial: The amount is the editor's example.\n"
    )
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    payload["versions"] = state["versions"]
    payload["fact"]["object"]["currency"] = "XYZ"
    refused = post(client, "/api/save", payload).get_json()["problems"]
    assert [p.split(": ", 1)[1] for p in refused] == [
        "currency 'XYZ' is not an ISO 4217 currency code (like EUR, USD, KZT)"
    ]


def test_an_unknown_article_is_a_400_with_one_line(client):
    response = get(client, "/api/state?article=../../etc/passwd")
    assert response.status_code == 400
    assert response.get_json() == {"error": f"no article '../../etc/passwd' in {client.corpus}/seeds"}


# -- appending to YAML ---------------------------------------------------------------------------


def test_append_to_a_skeletons_empty_facts_and_to_a_list_before_another_key():
    skeleton = "draft: true  # a draft\narticle: a.txt\n# facts go here\nfacts: []\n"
    item = {"id": "f", "subject": "film/x", "property": "year", "object": 2026, "quote": "in 2026"}
    assert append_to_list(skeleton, load(skeleton, "a"), "facts", item) == (
        "draft: true  # a draft\narticle: a.txt\n# facts go here\nfacts:\n\n"
        "  - id: f\n    subject: film/x\n    property: year\n    object: 2026\n    quote: in 2026\n"
    )
    middle = "facts:\n- id: a  # first\n  quote: x\n\n# the metadata\nmetadata: {}\n"
    assert append_to_list(middle, load(middle, "m"), "facts", {"id": "b"}) == (
        "facts:\n- id: a  # first\n  quote: x\n\n- id: b\n\n# the metadata\nmetadata: {}\n"
    )


# -- the command ---------------------------------------------------------------------------------


def test_kg_author_in_a_real_process_prints_its_address_and_stops_on_sigterm(corpus, tmp_path):
    import signal
    import urllib.error
    import urllib.request

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "--project",
            str(corpus),
            "author",
            f"seeds/{MIRRORS}.txt",
            "--no-browser",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=corpus,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line, deadline = "", time.monotonic() + 120
        while time.monotonic() < deadline and "kg author:" not in line and proc.poll() is None:
            line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]+)", line)
        assert match, line + proc.stderr.read()
        base, token = match.groups()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/api/terms", timeout=30)
        assert refused.value.code == 403
        request = urllib.request.Request(base + "/api/articles", headers={"X-Kg-Token": token})
        with urllib.request.urlopen(request, timeout=30) as answer:
            names = [a["name"] for a in json.load(answer)["articles"]]
        assert names == sorted(p.name for p in (corpus / "seeds").glob("*.txt"))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()


def test_kg_author_on_an_unknown_article_is_one_line():
    result = invoke("author", "seeds/999_nope.txt", "--no-browser")
    assert result.exit_code == 2
    assert result.output == "error: no article 'seeds/999_nope.txt' in seeds\n"


def test_kg_author_writes_a_skeleton_for_an_article_with_no_mapping(corpus, tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr("kg.author.serve", lambda author, config, **kw: served.append(config.article))
    (corpus / "seeds" / "005_new.txt").write_text("Фильм «Тест» снимут в Алматы.\n", encoding="utf-8")
    result = invoke("author", "seeds/005_new.txt", "--no-browser", "--out", str(tmp_path / "out"), project=corpus)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {corpus}/seeds/005_new.yaml (a draft)\n"
    assert (corpus / "seeds" / "005_new.yaml").read_text(encoding="utf-8").startswith("# Mapping of 005_new.txt")
    assert served == ["005_new"]


def test_a_draft_is_marked_ready_only_when_the_checker_passes_it(client):
    corpus = client.corpus
    (corpus / "seeds" / "005_new.txt").write_text("Фильм «Зеркала» снял Рашид Сулейменов.\n", encoding="utf-8")
    assert invoke("new", str(corpus / "seeds" / "005_new.txt"), project=corpus).exit_code == 0
    mapping = corpus / "seeds" / "005_new.yaml"
    state = get(client, "/api/state?article=005_new").get_json()
    assert state["mapping"]["draft"] is True
    refused = post(client, "/api/ready", {"article": "005_new", "versions": state["versions"]})
    assert refused.status_code == 422
    assert [p.split(": ", 1)[1] for p in refused.get_json()["problems"]] == [
        "facts: the mapping states no facts yet (add a list of facts, or mark it `draft: true` to leave it "
        "out of the build)"
    ]
    fact = {
        "subject": "film/mirrors-suleymenov",
        "property": "director",
        "object": {"kind": "entity", "value": "person/rashid-suleymenov"},
        "quotes": ["снял Рашид Сулейменов"],
    }
    assert (
        post(client, "/api/save", {"article": "005_new", "versions": state["versions"], "fact": fact}).status_code
        == 200
    )
    state = get(client, "/api/state?article=005_new").get_json()
    assert post(client, "/api/ready", {"article": "005_new", "versions": state["versions"]}).get_json() == {
        "problems": [],
        "ready": True,
    }
    text = mapping.read_text(encoding="utf-8")
    assert "draft:" not in text and text.endswith("    quote: снял Рашид Сулейменов\n")
    assert get(client, "/api/state?article=005_new").get_json()["mapping"]["draft"] is False


def test_a_later_occurrence_of_the_selected_words_is_noted(client):
    """The mapping holds the words, not their offsets: the build cites their first occurrence.
    The headline of article 003 stands three times; selecting the third says so."""
    state = get(client, f"/api/state?article={MIRRORS}").get_json()
    text = state["article"]["text"]
    headline = "Казахстанскую драму «Зеркала» хотят показать прокатчики восьми стран"
    third = text.index(headline, text.index(headline, text.index(headline) + 1) + 1)
    payload = {
        "article": MIRRORS,
        "versions": state["versions"],
        "fact": {
            "subject": "film/mirrors-suleymenov",
            "property": "productionCountry",
            "object": {"kind": "entity", "value": "country/kazakhstan"},
            "quotes": [headline],
            "starts": [len(text[:third])],  # code points; the article is all in the BMP
        },
    }
    checked = post(client, "/api/check", payload).get_json()
    assert checked["problems"] == []
    assert checked["notes"] == [
        f"the words {excerpt(headline, 60)} occur earlier, on line 2: the build cites that first occurrence "
        "(select more words to cite the one you chose)"
    ]
    payload["fact"]["starts"] = [text.index(headline)]
    assert post(client, "/api/check", payload).get_json()["notes"] == []


def test_an_unexpected_error_is_one_line_not_a_traceback(client, monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise ValueError("something\nbroke")

    monkeypatch.setattr(Author, "terms", broken)
    response = get(client, "/api/terms")
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error: ValueError: something broke"}
    assert capsys.readouterr().err == "kg author: internal error on /api/terms: ValueError: something broke\n"
