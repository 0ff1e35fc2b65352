"""YAML loading that keeps line numbers, so every problem can be reported as file:line.

Dates are left as strings (the mapping checker validates them and reports bad ones with
their line, instead of PyYAML raising on 2018-02-30), and duplicate keys are problems,
not silent overwrites.

Hostile files are refused before PyYAML builds anything (kg.limits has the numbers): a
file's size before it is read, control characters with their line (PyYAML would report a
character position), then one pass over libyaml's event stream that measures nesting, the
size with every alias expanded, each value's length and each number's length, and refuses
tags that would build anything but text, numbers, booleans, lists and maps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias

import yaml

from kg.errors import Problem, UnicodeProblem
from kg.limits import (
    MAX_NUMBER_DIGITS,
    MAX_VALUE_CHARS,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_VALUES,
    excerpt,
)

# What a loaded YAML file holds: only these (_ALLOWED_TAGS refuses every other tag). A key
# is a scalar; the loader refuses a list or a map as a key.
Scalar: TypeAlias = str | int | float | bool | None
Yaml: TypeAlias = "Scalar | LineDict | LineList"


class LineDict(dict[Scalar, Yaml]):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Scalar, int] = {}

    def line_of(self, key: Scalar) -> int:
        return self.lines.get(key, self.line)


class LineList(list[Yaml]):
    """A sequence that remembers its own line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: used to describe a syntax error (its messages name the
    offending character, libyaml's do not)."""

    problems: list[tuple[int, str]]  # (line, message): what _construct_map refuses


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # a base chosen at run time
    """libyaml's parser when PyYAML has it (the wheels do): about 10x faster than the pure
    Python one, which was two thirds of a build's time. Its nodes carry the same line marks."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[LineDict]:
    result = LineDict()
    result.line = node.start_mark.line + 1
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, (list, dict)):  # unhashable: PyYAML's own map would raise TypeError
            loader.problems.append((line, f"a key must be text or a number, not {excerpt(key)}"))
            continue
        if key in result:
            loader.problems.append((line, f"duplicate key {excerpt(key)} (first on line {result.lines[key]})"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Iterator[LineList]:
    result = LineList()
    result.line = node.start_mark.line + 1
    yield result
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.lines.append(item.start_mark.line + 1)


for _cls in (_Loader, _FastLoader):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _cls.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read_text(path: Path, display: str) -> str:
    """Read a text file as strict UTF-8; a non-UTF-8 file is a problem naming its line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        raise UnicodeProblem(Problem(display, line, message)) from None


def load_yaml(path: Path, display: str) -> tuple[Yaml, list[Problem]]:
    """Load one YAML file. Returns (data or None, problems)."""
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        limit = MAX_YAML_BYTES // 2**20
        return None, [Problem(display, 1, f"file is {size / 2**20:.1f} MB, over the {limit} MB limit for a YAML file")]
    try:
        text = read_text(path, display)
    except UnicodeProblem as exc:
        return None, [exc.problem]
    if (bad := _control_character(text, display)) is not None:
        return None, [bad]
    problems = []
    for loader_class in (_FastLoader, _Loader):  # libyaml refuses escapes ("\\ud800") PyYAML takes
        try:
            problems = _measure(loader_class, text, display)
            break
        except yaml.YAMLError:
            continue  # a syntax error: reported in plainer words below
    if problems:
        return None, problems
    try:
        return _load(_FastLoader, text, display)
    except yaml.YAMLError:
        pass
    try:  # a broken file: the pure-Python parser says what is wrong in plainer words
        return _load(_Loader, text, display)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(display, line, f"YAML syntax error: {_one_line(what)}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 0, f"YAML error: {_one_line(str(exc))}")]


# What a YAML reader refuses (PyYAML's Reader.NON_PRINTABLE): found here first, to name the line.
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control characters and lone surrogates a value may get through an escape ("\0", "\ud800").
_CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_ALLOWED_TAGS = {None, "!"} | {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


def _describe_char(char: str) -> str:
    kind = "a lone surrogate" if unicodedata.category(char) == "Cs" else "a control character"
    return f"U+{ord(char):04X} ({unicodedata.name(char, kind)})"


def _control_character(text: str, display: str) -> Problem | None:
    match = _NON_PRINTABLE.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    char = _describe_char(match.group())
    return Problem(display, line, f"column {column}: the character {char} is not allowed in YAML; remove it")


def _one_line(text: str, limit: int = 200) -> str:
    """A parser's own message on one line and short (it may quote the offending text)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _measure(loader_class: type[_Loader], text: str, display: str) -> list[Problem]:
    """Walk libyaml's events (no Python objects built, no recursion) and refuse what would make
    loading, checking or printing the file grow without bound: the first problem only."""
    loader = loader_class(text)
    try:
        return _walk(loader, display)
    finally:
        loader.dispose()


def _walk(loader: _Loader, display: str) -> list[Problem]:
    stack: list[tuple[int, str | None]] = []  # per open list or map: (values inside, expanded; its anchor)
    anchors: dict[str, int] = {}  # anchor -> values it stands for, expanded
    aliased = 0  # values the aliases stand for: a big registry is fine, a bomb is not
    while loader.check_event():
        event = loader.get_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        line = event.start_mark.line + 1
        tag = getattr(event, "tag", None)
        if tag not in _ALLOWED_TAGS and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            return [Problem(display, line, f"the YAML tag {excerpt(tag)} is not allowed: write plain values")]
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append((1, event.anchor))
            if len(stack) > MAX_YAML_DEPTH:
                return [Problem(display, line, f"lists and maps nest more than {MAX_YAML_DEPTH} deep")]
            continue
        if isinstance(event, yaml.ScalarEvent):
            if (problem := _scalar_problem(loader, event)) is not None:
                return [Problem(display, line, problem)]
            size = 1
            if event.anchor:
                anchors[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = anchors.get(event.anchor or "", 1)
            aliased += size
            if aliased > MAX_YAML_VALUES:
                message = (
                    f"with its aliases (*name) expanded the file holds over {MAX_YAML_VALUES:,} values; "
                    "write the values out instead"
                )
                return [Problem(display, line, message)]
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = stack.pop()
            if anchor:
                anchors[anchor] = size
        else:
            continue
        if stack:
            inside, anchor = stack[-1]
            stack[-1] = (inside + size, anchor)
    return []


def _scalar_problem(loader: _Loader, event: yaml.ScalarEvent) -> str | None:
    value = event.value
    if len(value) > MAX_VALUE_CHARS:
        return f"a value of {len(value):,} characters, over the limit of {MAX_VALUE_CHARS:,}: {excerpt(value)}"
    if (bad := _CONTROL_IN_VALUE.search(value)) is not None:
        return f"the character {_describe_char(bad.group())} is not allowed in a value: {excerpt(value)}"
    if not event.style and len(value) > MAX_NUMBER_DIGITS:  # plain: libyaml '', PyYAML None
        tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return f"a number of {len(value):,} characters, over the limit of {MAX_NUMBER_DIGITS}: {excerpt(value)}"
    return None


def _load(loader_class: type[_Loader], text: str, display: str) -> tuple[Yaml, list[Problem]]:
    loader = loader_class(text)
    loader.problems = []
    try:
        data: Yaml = loader.get_single_data()
    finally:
        loader.dispose()
    return data, [Problem(display, line, msg) for line, msg in loader.problems]
