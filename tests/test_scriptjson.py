"""kg.scriptjson: the one escaping of JSON inside a page's <script>, shared by kg site's data
files and kg viz's pages (which also escape "/" so no URL appears in an offline page)."""

from __future__ import annotations

import json

from kg.scriptjson import script_json
from kg.site import script_data
from viz.page import script_json as viz_script_json

HOSTILE = {"q": "</script><!--&\u2028\u2029 https://x/y", "a": 1}


def test_nothing_that_could_end_a_script_survives_and_the_json_reads_back():
    text = script_json(HOSTILE)
    assert text == '{"a":1,"q":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029 https://x/y"}'
    assert json.loads(text) == HOSTILE


def test_escape_slash_writes_every_slash_escaped_and_still_reads_back():
    text = script_json(HOSTILE, escape_slash=True)
    assert text == '{"a":1,"q":"\\u003c\\/script\\u003e\\u003c!--\\u0026\\u2028\\u2029 https:\\/\\/x\\/y"}'
    assert "://" not in text
    assert json.loads(text) == HOSTILE


def test_site_data_files_and_viz_pages_use_the_same_escaping():
    assert script_data("KG_X", {"b": "<i>a/b</i>"}) == 'window.KG_X = {"b":"\\u003ci\\u003ea/b\\u003c/i\\u003e"};\n'
    assert str(viz_script_json({"b": "<i>a/b</i>"})) == '{"b":"\\u003ci\\u003ea\\/b\\u003c\\/i\\u003e"}'
