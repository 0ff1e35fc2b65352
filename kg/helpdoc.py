"""The CLI reference, generated from `--help` (cog blocks in docs/cli-reference.md and
README.md call these), so the documentation cannot drift from the commands.

The text is fixed at 100 columns and the program name `kg`, whatever terminal or machine
generates it; tests/test_docs.py fails when a file differs from what this generates.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

WIDTH = 100


def commands(group: click.Group | None = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under `kg` (('build',), ('viz', 'ego'), ...) in the order --help
    lists them, groups before their subcommands; the root itself first as ()."""
    if group is None:
        from kg.cli import main

        group = main
    if not path:
        yield ()
    ctx = click.Context(group, info_name="kg")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    """`kg PATH --help` as a 100-column terminal shows it."""
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, [*path, "--help"], prog_name="kg", terminal_width=WIDTH, max_content_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"kg {' '.join(path)} --help exited {result.exit_code}: {result.output}")
    return result.output


def reference() -> str:
    """docs/cli-reference.md's generated part: every command's --help under its own heading."""
    parts = []
    for path in commands():
        name = " ".join(("kg", *path))
        parts.append(f"## {name}\n\n```\n$ {name} --help\n{help_text(path)}```\n")
    return "\n".join(parts)


def summary() -> str:
    """The README's table of commands: each with the first line of its help, linked to its
    section of docs/cli-reference.md."""
    from kg.cli import main

    rows = ["| command | what it does |", "| --- | --- |"]
    for path in commands():
        if not path:
            continue
        command = main
        for name in path:
            command = command.get_command(click.Context(command), name)
        name = " ".join(("kg", *path))
        anchor = name.replace(" ", "-")
        rows.append(f"| [`{name}`](docs/cli-reference.md#{anchor}) | {command.get_short_help_str(limit=300)} |")
    return "\n".join(rows) + "\n"
