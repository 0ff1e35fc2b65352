"""The tools an author uses for the next article: kg new, kg entities search, kg stats, kg queries."""

from __future__ import annotations

from tests.conftest import SEED_CORPUS, invoke, run_kg, snapshot


def test_search_finds_cyrillic_label_by_latin_spelling():
    result = invoke("entities", "search", "Dvortsevoy", project=SEED_CORPUS)
    assert result.exit_code == 0
    assert result.output.split()[0] == "person/sergey-dvortsevoy"
    assert "Сергей Дворцевой (ru)" in result.output


def test_search_finds_by_alias_and_ignores_case_and_script():
    assert invoke("entities", "search", "alma-ata", project=SEED_CORPUS).output.split()[0] == "city/almaty"
    assert invoke("entities", "search", "АЙКЭН", project=SEED_CORPUS).output.split()[0] == "person/jiang-yihao"
    gubashev = invoke("entities", "search", "Еркин Губашев", project=SEED_CORPUS).output
    assert gubashev.split()[0] == "person/erken-gubashev" and "Erkin Gubashev" in gubashev


def test_search_with_no_match_exits_1():
    result = invoke("entities", "search", "Tarkovsky", project=SEED_CORPUS)
    assert result.exit_code == 1 and "no entity matches 'Tarkovsky'" in result.output


def test_new_writes_a_draft_that_build_leaves_out_with_one_warning(corpus, tmp_path):
    article = corpus / "seeds" / "005_new.txt"
    article.write_text(" date 2026-03-01 Фильм «Тест» снимут в Алматы. " * 10, encoding="utf-8")
    result = invoke("new", str(article), project=corpus)
    assert result.exit_code == 0, result.output
    assert "(a draft, which kg build leaves out)" in result.output
    mapping = corpus / "seeds" / "005_new.yaml"
    skeleton = mapping.read_text(encoding="utf-8")
    assert "article: 005_new.txt" in skeleton and "date: 2026-03-01" in skeleton and "languages: [ru]" in skeleton
    draft_line = skeleton.splitlines().index(
        "draft: true  # kg build leaves this mapping out while it is a draft: delete this line when its facts are ready"
    )
    # The skeleton stops nothing: the five articles build, with one warning at the draft's line.
    out = tmp_path / "out"
    proc = run_kg("--project", str(corpus), "build", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"warning: {mapping}:{draft_line + 1}: draft mapping left out of the build (delete its draft: line when ready)"
    ]
    assert proc.stdout.startswith("built 5 articles:") and "no mapping yet" not in proc.stdout
    assert "Traceback" not in proc.stderr
    # Deleting the mark without writing facts: incomplete, so an error again, and nothing changes.
    mapping.write_text(skeleton.replace(skeleton.splitlines()[draft_line] + "\n", ""), encoding="utf-8")
    before = snapshot(out)
    proc = run_kg("--project", str(corpus), "build", "--out", str(out))
    assert proc.returncode == 1
    assert f"{mapping}:" in proc.stderr and "the mapping states no facts yet" in proc.stderr
    assert "Traceback" not in proc.stderr and snapshot(out) == before


def test_new_refuses_to_overwrite(corpus):
    result = invoke("new", str(corpus / "seeds" / "004_9d304b95c593325b.txt"), project=corpus)
    assert result.exit_code == 2 and "already exists" in result.output


def test_stats_shows_every_article_and_the_most_connected(built):
    output = invoke("--project", str(SEED_CORPUS), "stats", "--out", str(built)).output
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines() if line[:3].isdigit()}
    assert sorted(rows) == [
        "000_84aca459143ef88d",
        "001_96dd9b9a8acb094b",
        "002_fe30f7e3a02f8faf",
        "003_6ace3f2e2b0ad3c1",
        "004_9d304b95c593325b",
    ]
    assert all(int(cols[0]) > 0 for cols in rows.values())  # every article has facts
    assert rows["004_9d304b95c593325b"][0] == "40"  # 39 + the first AFF edition's status (planned)
    assert "series/waiting-for-you-in-ili" in output and "country/kazakhstan" in output
    # the network measures of the drawn projection
    assert (
        "Kazakhstan: China [Ayka, I Am Waiting for You in Ili]; Germany [Ayka]; Poland [Ayka]; Russia [Ayka]" in output
    )
    bridges = output[output.index("Bridges") :].splitlines()
    assert bridges[1].endswith("Kazakhstan (country)")


def test_queries_lists_the_library():
    output = invoke("queries", project=SEED_CORPUS).output
    assert "countries_coproducing_with_kazakhstan.rq" in output
    assert "Which countries co-produced a film or series with Kazakhstan" in output
