"""Outputs are replaced atomically or not at all: write beside the target, then rename.

Any failure (a missing or unwritable folder, a folder where a file should be, a full disk) is
a kg.errors.FileError naming the user's own path, never the temporary sibling's."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from kg.errors import FileError


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first; only when all are written, rename each
    into place. A failure before the renames leaves every previous output untouched.

    A target that exists and is not a regular file (/dev/stdout, /dev/null, a named pipe) is
    written in place: renaming over it would replace the device, as root, with a file."""
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            if _is_special(target):
                _write_in_place(target, data)
                continue
            _make_parent(target)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            except OSError as exc:
                raise FileError.from_os_error(exc, target, "cannot write") from None
            staged.append((tmp, target))
            try:
                os.chmod(tmp, 0o666 & ~_umask())
                with os.fdopen(fd, "wb") as handle:
                    _write(handle, data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise FileError.from_os_error(exc, target, "cannot write") from None
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for index, (tmp, target) in enumerate(staged):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for later, _ in staged[index:]:
                Path(later).unlink(missing_ok=True)
            raise FileError.from_os_error(exc, target, "cannot write") from None


def _write(handle, data: bytes) -> None:
    """The one place bytes reach a file (tests simulate a full disk here)."""
    handle.write(data)


def _is_special(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_in_place(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as handle:
            _write(handle, data)
            handle.flush()
    except OSError as exc:
        raise FileError.from_os_error(exc, target, "cannot write") from None


def make_dir(path: Path) -> None:
    """Create an output folder (and its parents), or say in one line why it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileError(path, "cannot create folder: a file of that name is in the way") from None
    except OSError as exc:
        raise FileError.from_os_error(exc, path, "cannot create folder") from None


def _make_parent(target: Path) -> None:
    """Create the target's folder; a path through a file, or a folder that cannot be made,
    is reported against the target with the folder named."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileError(target, f"cannot write: {parent} is not a folder") from None
    except OSError as exc:
        raise FileError.from_os_error(exc, target, f"cannot create its folder {parent}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(target: Path, data: bytes) -> None:
    write_files({target: data})
