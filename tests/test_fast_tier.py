"""The fast tier (`python3 -m pytest -m "not slow"`, the loop to run while changing code) still
runs every kg command at least once and checks its answer.

COVERED names, for each command of the click group, one test of the fast tier that runs that
command and pins what it prints or writes. The test below collects exactly those tests with
pytest's own marker logic (so `slow`, `browser`, `java` on a test, its module or one of its
parameters all count): it fails when a command is added without a fast test, when a named test
is renamed or removed, and when one is marked slow. Pick another fast test then, or mark less.
"""

from __future__ import annotations

import subprocess
import sys

from kg.cli import main
from tests.conftest import ROOT, leaf_commands

COVERED = {
    "kg author": "tests/test_author.py::test_kg_author_in_a_real_process_prints_its_address_and_stops_on_sigterm",
    "kg build": "tests/test_build.py::test_build_prints_what_it_built",
    "kg check": "tests/test_check.py::test_quotes_of_the_seed_build_all_match",
    "kg entities search": "tests/test_authoring.py::test_search_finds_cyrillic_label_by_latin_spelling",
    "kg export": "tests/test_export.py::test_trig_keeps_one_graph_per_article",
    "kg new": "tests/test_authoring.py::test_new_writes_a_draft_that_build_leaves_out_with_one_warning",
    "kg push": "tests/test_push.py::test_push_reports_what_it_sent",
    "kg queries": "tests/test_authoring.py::test_queries_lists_the_library",
    "kg query": "tests/test_query.py::test_headline_query_lists_exactly_the_four_partners",
    "kg reason": "tests/test_reason.py::test_rules_derive_coproduction_and_inverses",
    "kg serve": "tests/test_serve.py::test_get_answers_w3c_json_with_the_partners",
    "kg show": "tests/test_show.py::test_acceptance_samal_eslyamova_lists_the_cannes_award_with_date_and_quote",
    "kg site": "tests/test_site.py::test_dumps_and_index_list_what_the_graph_holds",
    "kg stats": "tests/test_authoring.py::test_stats_shows_every_article_and_the_most_connected",
    "kg terms": "tests/test_cli.py::test_terms_lists_properties_with_domain_and_range",
    "kg viz article": "tests/test_viz.py::test_kg_viz_entities_ego_and_article_through_a_real_process",
    "kg viz coproduction": "tests/test_viz.py::test_kg_viz_coproduction_writes_a_self_contained_utf8_page",
    "kg viz ego": "tests/test_search.py::test_viz_ego_finds_an_entity_by_typo_or_swapped_words",
    "kg viz entities": "tests/test_viz.py::test_kg_viz_entities_ego_and_article_through_a_real_process",
}


def test_every_command_has_a_test_in_the_fast_tier():
    assert sorted(COVERED) == sorted(leaf_commands(main)), "name a fast test for each new command here"
    tests = sorted(set(COVERED.values()))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-m",
            "not slow",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            *tests,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    selected = {line.split("[")[0] for line in proc.stdout.splitlines() if "::" in line}
    missing = [test for test in tests if test not in selected]
    assert not missing, f"not in the fast tier (renamed, removed or marked slow): {missing}\n{proc.stdout[-2000:]}"
