"""`kg site`: the static website. Its files (entity triples, determinism, refusal to overwrite
a folder it did not write, overlapping quotes) and, in Debian's headless Chromium, its pages
from disk (file://, every other request aborted) and through `python -m http.server` on
127.0.0.1: the index and its search, the Ayka page, article 004's highlighted quotes, SPARQL
run in the browser, and a hostile quote shown as text."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.built import OUTPUTS
from kg.iris import CAFO, ID
from kg.site import Graph as SiteGraph
from kg.site import Quote, segments
from tests.browser import browser_only, chromium, open_page
from tests.conftest import SEED_CORPUS, invoke, run_kg, snapshot

HOSTILE = "<img src=x onerror=alert(1)>"
ARTICLE = "004_9d304b95c593325b"
AYKA = "film/ayka-2018"
AYKA_COUNTRIES = ["China", "Germany", "Kazakhstan", "Poland", "Russia"]


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site") / "site"
    result = invoke("site", "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {target}/index.html: ")
    return target


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A corpus copy whose article 004 holds an HTML tag, quoted by the Ayka title fact.
    (The validators refuse markup in labels and literals; article text is the source text
    that may hold anything, and quotes are taken from it verbatim.)"""
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(SEED_CORPUS / "seeds", root / "seeds")
    text = root / "seeds" / f"{ARTICLE}.txt"
    text.write_bytes(text.read_bytes() + f"Reader comment: {HOSTILE} about AIKA.\n".encode())
    mapping = root / "seeds" / f"{ARTICLE}.yaml"
    yaml = mapping.read_text(encoding="utf-8")
    old = "      - покажут фильм «Айка»\n"
    assert yaml.count(old) == 1
    mapping.write_text(yaml.replace(old, old + f"      - '{HOSTILE} about AIKA'\n"), encoding="utf-8")
    out = root / "out"
    result = invoke("build", "--out", str(out), project=root)
    assert result.exit_code == 0, result.output
    result = invoke("site", "-o", str(root / "site"), "--out", str(out), project=root)
    assert result.exit_code == 0, result.output
    return root / "site"


# -- files ------------------------------------------------------------------------------------


def test_entity_turtle_and_jsonld_hold_ayka_s_own_triples(site):
    ttl = Graph().parse(site / "entity" / f"{AYKA}.ttl", format="turtle")
    jsonld = Graph().parse(site / "entity" / f"{AYKA}.jsonld", format="json-ld")
    ayka = URIRef(ID + AYKA)
    countries = sorted(str(o).rsplit("/", 1)[1] for o in ttl.objects(ayka, CAFO.productionCountry))
    assert countries == ["china", "germany", "kazakhstan", "poland", "russia"]
    assert set(ttl) == set(jsonld)
    assert {s for s, _p, _o in ttl} == {ayka}  # the entity as subject only
    html = (site / "entity" / f"{AYKA}.html").read_text(encoding="utf-8")
    assert 'href="ayka-2018.ttl"' in html and 'href="ayka-2018.jsonld"' in html


def test_dumps_and_index_list_what_the_graph_holds(site, built, tmp_path):
    for name in ("graph.ttl", "graph.trig", "graph.nq"):
        assert (site / name).read_bytes() == (built / name).read_bytes()
    dumps = (site / "dumps.html").read_text(encoding="utf-8")
    for name in ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld"):
        assert f'href="{name}"' in dumps
    # the build's VoID/DCAT description (kg.dataset): each dump with its media type, linked to
    # the site's own file; the licence; the graphs' sizes; the five articles as sources
    assert 'id="no-description"' not in dumps
    rows = dumps.split('id="description"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td><code>([a-z]+:[A-Za-z]+)</code>", rows)[:4] == [
        "dcterms:title",
        "dcterms:description",
        "dcterms:license",
        "dcterms:rights",
    ]
    assert "<td>CA-Film: the open knowledge graph of Central Asian film co-production <small>@en</small></td>" in rows
    distributions = dumps.split('id="distributions"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<code>([a-z/+-]+)</code></td><td><a href="(graph\.[a-z]+)">', distributions) == [
        ("application/ld+json", "graph.jsonld"),
        ("application/n-quads", "graph.nq"),
        ("application/trig", "graph.trig"),
        ("text/turtle", "graph.ttl"),
    ]
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International' in dumps
    )
    assert "<tr><td><code>graph:provenance</code></td><td>void:Dataset</td><td>8104</td></tr>" in dumps
    sources = dumps.split('id="sources"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="article/([^"]+)\.html"', sources) == sorted(
        p.stem for p in (SEED_CORPUS / "seeds").glob("*.txt")
    )
    assert '<a href="entity/film/ayka-2018.html">Ayka</a>' in dumps  # void:exampleResource
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="article/{ARTICLE}.html">Kazakhstan’s audiences will see the film AIKA' in index
    assert 'href="coproduction.html"' in index
    for view in ("coproduction", "entities"):  # the very pages `kg viz` draws
        drawn = tmp_path / f"{view}.html"
        assert invoke("viz", view, "-o", str(drawn), "--out", str(built)).exit_code == 0
        assert (site / f"{view}.html").read_bytes() == drawn.read_bytes()
    import pyoxigraph

    def quads(path: Path, fmt) -> set:
        return set(pyoxigraph.parse(path=str(path), format=fmt))

    assert quads(site / "graph.jsonld", pyoxigraph.RdfFormat.JSON_LD) == quads(
        site / "graph.nq", pyoxigraph.RdfFormat.N_QUADS
    )
    queries = (site / "queries.html").read_text(encoding="utf-8")
    crew = queries.split('id="crew_and_cast_of_work"', 1)[1].split("</section>", 1)[0]
    assert "Bound as its usage line says: <code>work=film/ayka-2018</code>" in crew
    assert ">Sergey Dvortsevoy<" in crew or "person:sergey-dvortsevoy" in crew
    section = queries.split('id="countries_coproducing_with_kazakhstan"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<td>(China|Germany|Poland|Russia|Kazakhstan)</td>", section) == [
        "China",
        "Germany",
        "Poland",
        "Russia",
    ]


@pytest.mark.slow  # two whole sites in two processes
def test_site_is_the_same_bytes_across_hash_seeds(built, tmp_path):
    shots = []
    for seed in ("1", "2"):
        target = tmp_path / f"site-{seed}"
        result = run_kg("site", "-o", str(target), "--out", str(built), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        shots.append(snapshot(target))
    assert shots[0] == shots[1]
    assert "index.html" in shots[0] and f"article/{ARTICLE}.html" in shots[0]


def test_refuses_to_replace_a_folder_it_did_not_write(built, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    result = run_kg("site", "-o", str(target), "--out", str(built))
    assert result.returncode == 2
    assert result.stderr == f"error: {target}: exists and is not a site written by kg site; choose another -o DIR\n"
    assert snapshot(target) == {"notes.txt": snapshot(target)["notes.txt"]} and len(snapshot(target)) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mine.new-")]


def test_overlapping_quotes_are_cut_into_pieces_each_knowing_its_quotes():
    text = "abcdefghij"
    a = Quote("a", "s", "q-a", 1, 6, text[1:6])
    b = Quote("b", "s", "q-b", 4, 9, text[4:9])
    c = Quote("c", "s", "q-c", 4, 6, text[4:6])
    pieces = [
        (p.text, [q.anchor for q in p.covering], [q.anchor for q in p.starting]) for p in segments(text, [a, b, c])
    ]
    assert pieces == [
        ("a", [], []),
        ("bcd", ["q-a"], ["q-a"]),
        ("ef", ["q-c", "q-a", "q-b"], ["q-b", "q-c"]),  # shortest quote first: its fact is the link
        ("ghi", ["q-b"], []),
        ("j", [], []),
    ]
    assert "".join(p[0] for p in pieces) == text


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_server(site):
    """`python -m http.server` on 127.0.0.1 serving the site; waits (bounded) until it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "index.html", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("http.server did not answer within 10 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["file", "http"])
def base(request, site) -> str:
    """Where the site is opened from: the folder (file://) or the local HTTP server."""
    if request.param == "file":
        return site.resolve().as_uri() + "/"
    return request.getfixturevalue("http_server")


def _root(base: str) -> str:
    return base if base.startswith("http") else "file://"


@browser_only
@pytest.mark.browser
def test_index_opens_clean_and_searches_every_script(browser, base):
    opened = open_page(browser, base + "index.html", _root(base))
    opened.assert_clean()
    assert opened.js("document.getElementById('count-articles').textContent") == "5"
    assert opened.js("kg.search('Дворцевой')") == ["person/sergey-dvortsevoy"]
    assert opened.js("kg.search('dvortsevoi')") == ["person/sergey-dvortsevoy"]  # the English spelling
    assert opened.js("kg.search('Самал Еслямова')") == ["person/samal-yeslyamova"]
    # The browser folds what is typed exactly as kg.registry.fold folded every label.
    mismatches = opened.js("KG_SEARCH.rows.filter(r => kg.fold(r[1]) !== r[0]).map(r => r[1])")
    assert mismatches == []
    opened.page.fill("#kg-search", "айка")
    assert opened.js("[...document.querySelectorAll('#kg-search-results a')].map(a => a.textContent)") == ["Ayka"]
    opened.page.click("#kg-search-results a")
    opened.page.wait_for_load_state()
    assert opened.page.url.endswith(f"entity/{AYKA}.html")
    opened.assert_clean()
    opened = open_page(browser, base + "coproduction.html", _root(base))  # the kg viz view, in the site
    partners = opened.js("kg.network.getConnectedNodes('country/kazakhstan').sort()")
    assert partners == ["country/china", "country/germany", "country/poland", "country/russia"]
    opened.assert_clean()


@browser_only
@pytest.mark.browser
def test_ayka_page_lists_its_five_production_countries_with_quotes(browser, base, built):
    opened = open_page(browser, base + f"entity/{AYKA}.html", _root(base))
    opened.assert_clean()
    facts = opened.js(
        """[...document.querySelectorAll('#facts-out > li')]
           .filter(li => li.querySelector('.predicate').textContent === 'production country')
           .map(li => ({
              country: li.querySelectorAll(':scope > a')[1].textContent,
              quotes: [...li.querySelectorAll('a.quote')].map(a => [a.textContent, a.getAttribute('href')]) }))"""
    )
    assert sorted(f["country"] for f in facts) == AYKA_COUNTRIES
    quotes = SiteGraph(built / OUTPUTS["nquads"]).quotes
    exact = [quotes[f"{ID}evidence/{ARTICLE}/ayka-countries-q{n}"].exact for n in (1, 2)]
    assert exact[0].replace("\xa0", " ") == (
        "This social drama is a co-production of five countries: RussiaKazakhstanGermanyPoland and China"
    )  # as received: with its no-break spaces
    assert exact[1] == "Эта социальная драма – копродукция пяти стран: России, Казахстана, Германии, Польши и Китая."
    for fact in facts:
        assert fact["quotes"] == [
            [f"“{exact[0]}”", f"../../article/{ARTICLE}.html#q-ayka-countries-q1"],
            [f"“{exact[1]}”", f"../../article/{ARTICLE}.html#q-ayka-countries-q2"],
        ]
    assert opened.js("document.getElementById('title').textContent") == "Ayka"
    labels = opened.js("[...document.querySelectorAll('#labels tbody tr')].map(r => r.cells[1].textContent)")
    assert labels == ["AIKA", "Ayka", "Айка"]


@browser_only
@pytest.mark.browser
def test_article_004_highlights_every_quote_and_each_links_to_its_fact(browser, base, built):
    graph = SiteGraph(built / OUTPUTS["nquads"])
    quotes = [q for q in graph.quotes.values() if q.stem == ARTICLE]
    assert len(quotes) > 40
    opened = open_page(browser, base + f"article/{ARTICLE}.html", _root(base))
    opened.assert_clean()
    text = (SEED_CORPUS / "seeds" / f"{ARTICLE}.txt").read_bytes().decode("utf-8")
    assert opened.js("document.getElementById('article-text').textContent") == text  # exactly as received
    spans = opened.js(
        """Object.fromEntries([...document.querySelectorAll('#article-text a[id]')].map(a => {
             const id = a.id;
             const marked = [...document.querySelectorAll('#article-text a.span')]
               .filter(s => s.dataset.quotes.split(' ').includes(id));
             return [id, {
               href: a.getAttribute('href'),
               highlighted: marked.map(s => s.textContent).join(''),
               marks: marked.every(s => s.querySelector('mark') !== null),
               back: [...document.querySelectorAll(a.getAttribute('href') + ' a.to-span')]
                       .map(x => x.getAttribute('href')) }]; }))"""
    )
    assert sorted(spans) == sorted(q.anchor for q in quotes)
    for quote in quotes:
        fact = graph.claims[quote.claims[0]].fact
        span = spans[quote.anchor]
        assert span["href"] == f"#f-{fact}"
        assert span["highlighted"] == text[quote.start : quote.end] == quote.exact
        assert span["marks"]
        assert f"#{quote.anchor}" in span["back"]  # and the fact links back to the span
    countries = opened.js("document.getElementById('f-ayka-countries').textContent")
    assert all(country in countries for country in AYKA_COUNTRIES)
    # the editorial judgement and its reason
    editorial = opened.js("[...document.querySelectorAll('#facts > li.editorial')].map(li => li.id)")
    assert editorial, "article 004 has editorial judgements"
    reasons = opened.js(
        "[...document.querySelectorAll('#facts > li.editorial .editorial-note')].map(e => e.textContent)"
    )
    assert all(r.startswith("Editorial judgement: ") and len(r) > 30 for r in reasons)


@browser_only
@pytest.mark.browser
def test_query_page_runs_the_kazakhstan_query_in_the_browser(browser, base):
    opened = open_page(browser, base + "query.html?q=countries_coproducing_with_kazakhstan", _root(base))
    opened.assert_clean()
    assert opened.js("document.getElementById('kg-library').value") == "countries_coproducing_with_kazakhstan"
    expected = (
        Path(__file__).resolve().parent.parent / "queries" / "countries_coproducing_with_kazakhstan.rq"
    ).read_text(encoding="utf-8")
    assert opened.js("document.getElementById('kg-editor').value") == expected
    opened.page.click("#kg-run")
    header = opened.js("[...document.querySelectorAll('#kg-results th')].map(th => th.textContent)")
    labels = opened.js("[...document.querySelectorAll('#kg-results tbody tr')].map(tr => tr.cells[1].textContent)")
    assert header == ["country", "label", "works"]
    assert labels == ["China", "Germany", "Poland", "Russia"]
    assert opened.js("document.getElementById('kg-run-status').textContent").startswith("4 rows in ")
    opened.page.fill("#kg-editor", "SELECT nonsense")
    opened.page.click("#kg-run")
    assert (
        opened.js("document.querySelector('#kg-results .error').textContent")
        == "Error: error at 1:16: expected DISTINCT"
    )
    opened.assert_clean()


@browser_only
@pytest.mark.browser
def test_hostile_text_shows_as_text_and_runs_nothing(browser, hostile_site):
    for rel in (f"article/{ARTICLE}.html", f"entity/{AYKA}.html"):
        path = hostile_site / rel
        assert "<img" not in path.read_text(encoding="utf-8")
        opened = open_page(browser, path.resolve().as_uri(), "file://")
        assert HOSTILE in opened.js("document.body.textContent")
        assert opened.js("document.querySelectorAll('img').length") == 0
        time.sleep(0.3)  # an onerror handler would have fired by now
        opened.assert_clean()
    opened = open_page(browser, (hostile_site / "query.html").resolve().as_uri(), "file://")
    opened.js("kg.run('SELECT ?q WHERE { ?s <http://www.w3.org/ns/oa#exact> ?q FILTER(CONTAINS(?q, \"onerror\")) }')")
    assert opened.js("document.querySelector('#kg-results td').textContent") == f"{HOSTILE} about AIKA"
    assert opened.js("document.querySelectorAll('img').length") == 0
    opened.assert_clean()


@pytest.mark.slow  # a build and a whole site of its own
def test_a_status_on_a_claim_is_shown_with_the_fact(built, tmp_path):
    """A fact the article reports as planned lives only in its claim, with cafo:status: the
    work's page and the article's page show it with its status (seed 001: filming planned in
    Almaty, Almaty Region, the Ili valley and Xinjiang)."""
    target = tmp_path / "site"
    result = invoke("site", "-o", str(target), "--out", str(built))
    assert result.exit_code == 0, result.output
    page = (target / "entity" / "series" / "waiting-for-you-in-ili.html").read_text(encoding="utf-8")
    statuses = re.findall(
        r'href="../../entity/(\w+)/([\w-]+)\.html">[^<]*</a>\s*<span class="status">status: '
        r'<span class="literal">([^<]*)</span>',
        page,
    )
    assert statuses == [
        ("city", "almaty", "planned"),
        ("region", "almaty-region", "planned"),
        ("region", "almaty-region", "planned"),
        ("region", "ili-river-valley", "planned"),
        ("region", "xinjiang", "planned"),
    ]
    article = (target / "article" / "001_96dd9b9a8acb094b.html").read_text(encoding="utf-8")
    assert article.count('<span class="status">status: ') == 5


def test_the_library_s_forms_are_read_without_parsing(corpus):
    """kg site reads the library without rdflib's parser (kg.query.query_form): the same form
    as the parser gives for every library query, and not fooled by a comment or an IRI."""
    from kg.corpus import find_corpus
    from kg.query import library, query_form

    project = find_corpus(corpus)
    checked = {q.path.name: q.form for q in library(project)}
    unchecked = {q.path.name: q.form for q in library(project, check=False)}
    assert unchecked == checked
    assert checked["countries_coproducing_with_kazakhstan.rq"] == "SELECT"
    text = "# Do not ASK: CONSTRUCT a table\nPREFIX x: <https://e.org/ask#describe>\nconstruct { ?s ?p 'select' } WHERE { ?s ?p ?o }"
    assert query_form(text) == "CONSTRUCT"
    assert query_form("# nothing but a comment: SELECT\n") is None
