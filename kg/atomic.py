"""Outputs are replaced atomically or not at all.

Single files (`kg reason`, `kg export -o`): write_files writes beside the target, then renames.
Any failure (a missing or unwritable folder, a folder where a file should be, a full disk) is
a kg.errors.FileError naming the user's own path, never the temporary sibling's.

A build's outputs - graph.ttl, graph.trig, graph.nq, manifest.json and the Oxigraph store -
must change together: a reader that takes the files from one build and the store from another
answers with two different graphs. So each build is written whole into a directory of its
own, and one rename publishes it:

    OUT/.builds/build-.../          one complete build: the files, manifest.json, store/
    OUT/.current -> .builds/build-...   the published build: a symlink, replaced by one rename
    OUT/graph.nq -> .current/graph.nq   (graph.ttl, graph.trig, manifest.json, store alike):
                                        links that never change once made

Killed at any moment, OUT holds the previous build or the new one, never a mix, and always a
store. Builds take an exclusive lock on OUT (flock on the directory itself, so no lock file
appears, and the kernel drops it when the process dies); leftovers of a killed build are
removed by the next one. A reader that opens the store resolves .current once and holds a
shared lock on that build's directory (pin), so a later build never deletes a store in use.
Needs POSIX (flock, symlinks); Linux's renameat2 makes the one-time move from the older
layout (real files in OUT) gapless.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from kg.errors import BuildBusy, BuildReplaced, FileError, UsageError

try:
    import fcntl
except ImportError:  # Windows: single files still work; builds need POSIX (build_lock says so)
    fcntl = None  # type: ignore[assignment]

BUILDS = ".builds"
CURRENT = ".current"
_LINK_TMP = ".current.tmp-"
WAIT_ENV = "KG_BUILD_WAIT"
DEFAULT_WAIT = 600.0  # seconds a build waits for another build of the same OUT
PAUSE_ENV = "KG_TEST_PAUSE"  # tests only: "POINT:FLAGFILE" stops a build at a named point


_EXCLUSIVE = fcntl.LOCK_EX if fcntl else 0
_SHARED = fcntl.LOCK_SH if fcntl else 0


# -- single files ------------------------------------------------------------------------------


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


def _write(handle: IO[bytes], data: bytes) -> None:
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


def write_into(directory: Path, files: dict[str, bytes], shown_in: Path | None = None) -> None:
    """Write files into a directory nobody reads yet (a build's own), flushed to disk. A
    failure names the file as the user knows it: under `shown_in` (OUT), not the build's own
    hidden directory."""
    for name, data in files.items():
        try:
            fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as handle:
                _write(handle, data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise FileError.from_os_error(exc, (shown_in or directory) / name, "cannot write") from None


# -- the lock ----------------------------------------------------------------------------------

_HELD: list[int] = []  # lock descriptors this process holds: forked workers close their copies


def build_wait() -> float:
    """Seconds to wait for another build: $KG_BUILD_WAIT, else DEFAULT_WAIT; 0 does not wait."""
    text = os.environ.get(WAIT_ENV)
    if text is None or not text.strip():
        return DEFAULT_WAIT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 <= value < float("inf")):  # also refuses nan
        raise UsageError(f"{WAIT_ENV}={text[:40]!r}: expected a number of seconds, 0 or more")
    return value


@contextmanager
def build_lock(out_dir: Path, wait: float | None = None, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold OUT for one build: an exclusive flock on the directory, taken within `wait`
    seconds (one line through notify, default standard error, when it has to wait) or
    BuildBusy. Creates OUT when missing, and removes it again if the build left it empty
    (a refused build changes nothing)."""
    if fcntl is None:
        raise UsageError(f"{out_dir}: kg build needs a POSIX system (Linux, macOS) to lock its build directory")
    wait = build_wait() if wait is None else wait
    deadline = time.monotonic() + wait
    announced = False
    created: list[Path] = []
    while True:
        fd, made = _open_dir(out_dir)
        created = created or made
        try:
            if _try_lock(fd, _EXCLUSIVE, out_dir):
                # OUT may have been removed (and made again) while we waited: lock what is there.
                if _same_file(fd, out_dir):
                    break
            elif time.monotonic() >= deadline:
                raise BuildBusy(
                    f"{out_dir}: another kg build is writing this directory"
                    + (f"; gave up after {wait:g} s (set {WAIT_ENV} to wait longer)" if wait else "")
                )
            else:
                if not announced:
                    line = f"kg: another build is writing {out_dir}; waiting for it (at most {wait:g} s)"
                    (notify or _to_stderr)(line)
                    announced = True
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    _HELD.append(fd)
    try:
        yield
    finally:
        _HELD.remove(fd)
        for directory in created:  # only when empty: the build was refused before writing
            with suppress(OSError):
                directory.rmdir()
        os.close(fd)


def close_inherited_locks() -> None:
    """In a forked worker: drop this process's copies of the lock, so that the lock dies with
    the build even when a worker outlives it."""
    for fd in _HELD:
        with suppress(OSError):
            os.close(fd)
    _HELD.clear()


def _open_dir(out_dir: Path) -> tuple[int, list[Path]]:
    """A descriptor of OUT to lock, and the directories made for it (OUT first, then its
    missing parents); one line on failure."""
    missing = []
    for directory in (out_dir, *out_dir.parents):
        if os.path.lexists(directory):
            break
        missing.append(directory)
    created: list[Path] = []
    try:
        for directory in reversed(missing):
            with suppress(FileExistsError):
                directory.mkdir()
                created.insert(0, directory)
    except FileExistsError:
        raise FileError(out_dir, "cannot create folder: a file of that name is in the way") from None
    except OSError as exc:
        raise FileError.from_os_error(exc, out_dir, "cannot create folder") from None
    except ValueError as exc:  # a NUL byte in the path
        raise FileError(out_dir, f"cannot create folder: {exc}") from None
    try:
        return os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY), created
    except NotADirectoryError:
        raise FileError(out_dir, "cannot create folder: a file of that name is in the way") from None
    except OSError as exc:  # no permission to read it
        raise FileError.from_os_error(exc, out_dir, "cannot write the build here") from None


def _try_lock(fd: int, kind: int, where: Path | None = None) -> bool:
    if fcntl is None:
        return True  # no builds there (build_lock refuses): nothing to lock against
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks
        raise UsageError(f"{where}: cannot lock the build directory: {exc.strerror}") from None
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- the published build -----------------------------------------------------------------------


def published(out_dir: Path) -> Path:
    """The directory holding the published build: OUT/.builds/... resolved once, so that
    everything read through it comes from one build; OUT itself for the older layout (or
    when nothing is built)."""
    link = out_dir / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return out_dir
    return out_dir / target


def pin(out_dir: Path) -> tuple[Path, int | None]:
    """The published build's directory and a shared lock on it (a descriptor to close when
    done): no build deletes a pinned directory. None for the older layout."""
    for _ in range(20):  # each retry means a build published meanwhile: bounded
        directory = published(out_dir)
        if directory == out_dir:
            return directory, None
        try:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue  # deleted after a newer build was published
        if _try_lock(fd, _SHARED):
            try:
                os.stat("manifest.json", dir_fd=fd)  # still whole (not deleted while we locked)
                return directory, fd
            except OSError:
                pass
        os.close(fd)  # being deleted: a newer build is published
    raise BuildReplaced(out_dir)


def new_build_dir(out_dir: Path) -> Path:
    """An empty directory for one build, unseen by readers until published."""
    builds = out_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = Path(tempfile.mkdtemp(prefix=f"build-{stamp}-", dir=builds))
    os.chmod(path, 0o777 & ~_umask())  # readable by whoever could read OUT's files before
    return path


def publish(out_dir: Path, build_dir: Path, names: list[str]) -> None:
    """Make build_dir the published build with one rename of the .current symlink. The
    top-level links (names) are made first, while they still show the previous build."""
    adopt_older_layout(out_dir, names)
    _fsync_tree(build_dir)
    link = out_dir / f"{_LINK_TMP}{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(build_dir, out_dir), link)
    pause("link-staged")
    os.replace(link, out_dir / CURRENT)  # the moment the new build becomes visible
    _fsync_dir(out_dir)


def adopt_older_layout(out_dir: Path, names: list[str]) -> None:
    """Turn OUT's top-level outputs into links through .current, without changing what they
    show: an older layout (real files and store) is first hard-linked into a build directory
    of its own and published, then each entry is swapped for its link."""
    stale = [name for name in names if not _is_link_to_current(out_dir / name, name)]
    if not stale:
        return
    current = out_dir / CURRENT
    if current.exists() and not current.is_symlink():
        # A copy of OUT made by a tool that follows links (shutil.copytree, cp -L) turned the
        # link into a directory: no reader goes through it (the top-level files are real)
        _remove_path(current)
    whole = all((out_dir / name).exists() and not (out_dir / name).is_symlink() for name in names)
    if not (out_dir / CURRENT).is_symlink() and whole:
        older = new_build_dir(out_dir)
        for name in names:
            source = out_dir / name
            if source.is_dir():
                shutil.copytree(source, older / name, copy_function=_link_or_copy)
            else:
                _link_or_copy(source, older / name)
        _fsync_tree(older)
        os.symlink(os.path.relpath(older, out_dir), out_dir / CURRENT)
        _fsync_dir(out_dir)
        pause("adopting")
    # Otherwise (a first build, or an older build missing a part) the links dangle until
    # publish() makes .current.
    for name in stale:
        _replace_with_link(out_dir, name)
    _fsync_dir(out_dir)


def _remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _is_link_to_current(path: Path, name: str) -> bool:
    try:
        return os.readlink(path) == f"{CURRENT}/{name}"
    except OSError:
        return False


def _replace_with_link(out_dir: Path, name: str) -> None:
    target = out_dir / name
    tmp = out_dir / f"{_LINK_TMP}{os.getpid()}-{name}"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{CURRENT}/{name}", tmp)
    if target.is_dir() and not target.is_symlink():
        if not _exchange(tmp, target):  # no renameat2: a moment without this entry
            aside = Path(tempfile.mkdtemp(prefix=f".{name}.old-", dir=out_dir))
            aside.rmdir()
            target.rename(aside)
            tmp.rename(target)
            tmp = aside
        shutil.rmtree(tmp, ignore_errors=True)  # the older directory, now a hard-linked copy
        tmp.unlink(missing_ok=True)
    else:
        os.replace(tmp, target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def clean(out_dir: Path, older_names: list[str]) -> None:
    """Remove what no reader can reach: builds other than the published one (unless a reader
    pins them), links and directories a killed build left, and the temporary files of the
    older layout (.store.new-*, .store.old-*, .NAME.*.tmp)."""
    keep = published(out_dir).name
    builds = out_dir / BUILDS
    if builds.is_dir():
        for entry in sorted(builds.iterdir()):
            if entry.name != keep:
                _remove_unpinned(entry)
    for entry in out_dir.iterdir():
        name = entry.name
        if name.startswith(_LINK_TMP):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        elif name.startswith((".store.new-", ".store.old-")) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif any(name.startswith(f".{n}.") and name.endswith(".tmp") for n in older_names):
            entry.unlink(missing_ok=True)


def _remove_unpinned(directory: Path) -> None:
    if directory.is_symlink() or not directory.is_dir():
        directory.unlink(missing_ok=True)
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if not _try_lock(fd, _EXCLUSIVE):
            return  # a reader holds it (kg serve, a query): a later build removes it
        (directory / "manifest.json").unlink(missing_ok=True)  # first: a pin now fails on it
        pause("removing")
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        os.close(fd)


def _fsync_tree(directory: Path) -> None:
    """Flush a build's directories (its files were flushed as written) before it is published."""
    for root, _dirs, _files in os.walk(directory):
        _fsync_dir(Path(root))


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pause(point: str) -> None:
    """Tests only: with KG_TEST_PAUSE=POINT:FLAGFILE, create FLAGFILE and wait here until it
    is removed (60 s at most), so that a test can kill the build, or start another, at
    exactly this point."""
    spec = os.environ.get(PAUSE_ENV)
    if not spec or spec.split(":", 1)[0] != point:
        return
    flag = Path(spec.split(":", 1)[1])
    flag.write_text(f"{os.getpid()}\n", encoding="utf-8")
    deadline = time.monotonic() + 60
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
