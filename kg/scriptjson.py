"""JSON that is safe inside a page's <script>: the one escaping rule for kg site and kg viz.

Why its own module: `kg site` writes data as JS files and `kg viz` embeds it in a <script>
element; both need the same guarantee (no tag, comment or entity can start in the text, and
U+2028/U+2029 do not end a JS line), and viz may import kg but not the reverse. It imports
nothing heavy, so viz.page can use it without pulling the site writer in.
"""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any, *, escape_slash: bool = False) -> str:
    """`value` (arbitrary JSON) as compact JSON with sorted keys, escaped for a <script>.
    escape_slash also writes "/" as "\\/" (JSON reads it back as "/"), so no literal "://"
    appears in the page (viz's pages are checked to hold no URL)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    if escape_slash:
        text = text.replace("/", "\\/")
    return text
