"""YAML loading that keeps line numbers, so every problem can be reported as file:line.

Dates are left as strings (the mapping checker validates them and reports bad ones with
their line, instead of PyYAML raising on 2018-02-30), and duplicate keys are problems,
not silent overwrites.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.errors import Problem


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
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


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML has it (the wheels do): about 10x faster than the pure
    Python one, which was two thirds of a build's time. Its nodes carry the same line marks."""


def _construct_map(loader, node: yaml.MappingNode):
    result = LineDict()
    result.line = node.start_mark.line + 1
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.problems.append((line, f"duplicate key {key!r} (first on line {result.lines[key]})"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line


def _construct_seq(loader, node: yaml.SequenceNode):
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


class UnicodeProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def load_yaml(path: Path, display: str) -> tuple[object, list[Problem]]:
    """Load one YAML file. Returns (data or None, problems)."""
    try:
        text = read_text(path, display)
    except UnicodeProblem as exc:
        return None, [exc.problem]
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
        return None, [Problem(display, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 0, f"YAML error: {exc}")]


def _load(loader_class, text: str, display: str) -> tuple[object, list[Problem]]:
    loader = loader_class(text)
    loader.problems = []
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, [Problem(display, line, msg) for line, msg in loader.problems]
