"""Outputs are replaced atomically or not at all: write beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first; only when all are written, rename each
    into place. A failure before the renames leaves every previous output untouched."""
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((tmp, target))
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(target: Path, data: bytes) -> None:
    write_files({target: data})
