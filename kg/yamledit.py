"""Adding an item to a hand-written YAML file without touching a byte of what is there.

`kg author` appends facts to a mapping and entities to a registry file. A round-trip library
(ruamel.yaml) parses the file, to find where its list ends and how its items are indented,
and writes the new item in the file's own style (flow maps for labels and values, block maps
for the rest, plain dates and numbers). The item's text is then inserted after the list's
last item, so every comment, blank line, key order and quoting style of the file stays as
the author wrote it: re-emitting the whole file would re-indent files that mix two
indentation styles (the seed registry does).
"""

from __future__ import annotations

import io
import re

from kg.errors import Problem

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PlainDate(str):
    """A date written plain (2018-05-19), as the mappings write dates, not quoted."""


def _yaml(dash_column: int = 0):
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps comments and order when loading
    yaml.width = 4096  # never fold a long quote onto several lines
    yaml.indent(mapping=2, sequence=dash_column + 2, offset=dash_column)
    yaml.representer.add_representer(
        PlainDate, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:timestamp", str(value))
    )
    return yaml


def load(text: str, display: str):
    """The file's data as ruamel's commented maps and lists, or a Problem."""
    from ruamel.yaml.error import YAMLError

    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return Problem(display, line, f"YAML syntax error: {' '.join(str(getattr(exc, 'problem', exc)).split())}")


def flow(value):
    """A map or list written on one line ({en: Ayka}), as the files write labels and values."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap((k, flow(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = CommentedSeq(flow(v) for v in value)
    else:
        return value
    out.fa.set_flow_style()
    return out


def dump_item(item, dash_column: int) -> str:
    """One list item as text, its dash at `dash_column`."""
    buffer = io.StringIO()
    _yaml(dash_column).dump([item], buffer)
    return buffer.getvalue()


def _dash_column(lines: list[str], start: int) -> int | None:
    for line in lines[start:]:
        match = re.match(r"( *)- ", line)
        if match:
            return len(match.group(1))
        if line.strip() and not line.lstrip().startswith("#") and not line.startswith(" "):
            return None  # the next top-level key: the list had no item
    return None


def _blank_separated(lines: list[str], seq) -> bool:
    """True when the list's items are separated by blank lines (the mappings' style)."""
    if seq is None or len(seq) < 2:
        return True
    above = seq.lc.item(len(seq) - 1)[0] - 1
    while above > 0 and lines[above].lstrip().startswith("#"):  # the item's own comment
        above -= 1
    return above >= 0 and not lines[above].strip()


def append_to_list(text: str, data, key: str | None, item) -> str:
    """`text` with `item` added at the end of the list under top-level `key` (or of the
    top-level list when key is None)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if key is None:
        dash = _dash_column(lines, 0)
        block = dump_item(item, 0 if dash is None else dash)
        sep = "\n" if lines and lines[-1].strip() and _blank_separated(lines, data) else ""
        return "".join(lines) + sep + block
    key_line = data.lc.key(key)[0]
    seq = data.get(key)
    dash = _dash_column(lines, key_line + 1) if seq else None
    block = dump_item(item, 2 if dash is None else dash)
    keys = list(data)
    later = [data.lc.key(k)[0] for k in keys[keys.index(key) + 1 :]]
    if not seq:  # `facts: []`, `facts:` or `facts: ~`: the list starts here
        head = re.sub(r"^(\S+:)\s*(\[\s*\]|null|~)?", r"\1", lines[key_line].rstrip("\n"))
        lines[key_line : key_line + 1] = [head + "\n", "\n", block]
        return "".join(lines)
    sep = "\n" if _blank_separated(lines, seq) else ""
    if not later:
        while lines and not lines[-1].strip():  # one blank line between items, not three
            lines.pop()
        return "".join(lines) + sep + block
    at = min(later)
    while at > key_line + 1 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1  # blank lines and comments at column 0 belong to the next key
    lines[at:at] = [sep, block]
    return "".join(lines)
