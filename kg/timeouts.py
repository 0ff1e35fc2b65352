"""The `--timeout SECONDS` option of kg query, kg serve and kg push: one parameter type, so
every command refuses the same nonsense the same way.

float() accepts "nan", "inf", "-1" and "1e999" (= inf); each of those later reached a poll, a
queue or a socket and ended in a traceback. Here a time limit is a finite number of seconds,
more than the command's minimum and at most MAX_SECONDS (about eleven days: far beyond that the
standard library's waits overflow). A refusal is raised as the project's UsageError, not as
click's BadParameter, so the CLI prints it as its one line (`error: --timeout 'nan': ...`,
exit 2) instead of click's usage block.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import click

from kg.errors import UsageError

MAX_SECONDS = 1_000_000.0

# click's ParamType is generic in its value type for type checkers (and at run time only
# from click 8.2 on): a Seconds converts to float.
if TYPE_CHECKING:
    _FloatParam = click.ParamType[float]
else:
    _FloatParam = click.ParamType


class Seconds(_FloatParam):
    """A time limit in seconds: finite, above `minimum` (or at it when `inclusive`), at most
    MAX_SECONDS."""

    name = "seconds"

    def __init__(self, minimum: float = 0.0, inclusive: bool = False):
        self.minimum = minimum
        self.inclusive = inclusive

    def convert(self, value: str | float, param: click.Parameter | None, ctx: click.Context | None) -> float:
        option = param.opts[0] if param is not None and param.opts else "timeout"
        bound = f"at least {self.minimum:g}" if self.inclusive else f"more than {self.minimum:g}"
        wanted = f"give a number of seconds, {bound} and at most {MAX_SECONDS:.0f}"
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{option} {_shown(value)}: not a number; {wanted}") from None
        if math.isnan(seconds):
            raise UsageError(f"{option} {_shown(value)}: not a number; {wanted}")
        low = seconds < self.minimum if self.inclusive else seconds <= self.minimum
        if low or seconds > MAX_SECONDS:
            raise UsageError(f"{option} {_shown(value)}: out of range; {wanted}")
        return seconds

    def __repr__(self) -> str:
        return "SECONDS"


def _shown(value: object) -> str:
    """The value as typed, cut short: a message quotes at most an excerpt."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "...")
