"""The project's own exceptions. The CLI turns them into messages in one place (kg.cli)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, pinned to a file and line so an author can jump to it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class KgError(Exception):
    """Base class: any error the user can act on. Its message is one line."""

    exit_code = 1


class InputError(KgError):
    """Bad input: every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class QueryError(KgError):
    """A query that cannot or may not run (syntax error, UPDATE, network access, timeout)."""

    exit_code = 2


class UsageError(KgError):
    """The command was called with something that does not exist or does not fit."""

    exit_code = 2


class FileError(KgError):
    """A file or folder a command cannot read or write: missing, a folder where a file is
    expected, permission denied, a full disk. One line naming the user's path."""

    exit_code = 2

    def __init__(self, path, reason: str):
        self.path = None if path is None else str(path)
        super().__init__(reason if self.path is None else f"{self.path}: {reason}")

    @classmethod
    def from_os_error(cls, exc: OSError, path=None, doing: str = "") -> FileError:
        """The OS's error about `path` (default: the file the OS named), e.g.
        'out/x.ttl: cannot write: No space left on device'."""
        reason = exc.strerror or str(exc) or type(exc).__name__
        named = path if path is not None else exc.filename
        return cls(named, f"{doing}: {reason}" if doing else reason)
