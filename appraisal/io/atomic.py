"""Bytes -> a file, atomically: the whole new content or the old file, never a mix, never a half.

Written to a temporary file beside the target (`.NAME.appraisal-PID-RANDOM.tmp`), fsynced, then renamed over the
target (`replace=True`) or linked to it only if no file has the name yet (`replace=False`: of two
writers racing for one name, exactly one wins and the other is told), then the folder is fsynced so
the new name survives a power cut. Temporary files left by a writer killed half-way are removed by the
next write to that folder (only ours, and only when their process is gone or they are an hour old), and
by the app at start for the file it holds the lock of (`remove_temporaries`).

Every failure is an OSError naming the target with a plain reason; nothing is left behind.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import stat
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import AppraisalError

STALE_AFTER = 3600.0  # seconds: a temporary file this old is a leftover whoever wrote it
_TEMP = re.compile(r"^\..+\.appraisal-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")  # ours, and nobody else's

REASONS = {
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "is a directory",
    errno.EEXIST: "already exists",
    errno.ENAMETOOLONG: "file name too long",
}


def write_error(e: OSError, path: Path) -> OSError:
    """The same error (same errno, so the same OSError subclass), naming the target with a plain reason."""
    reason = REASONS.get(e.errno or 0) or (e.strerror or str(e)).lower()
    return OSError(e.errno, f"cannot write: {reason}", str(path))


def temporary_name(name: str, pid: int | None = None) -> str:
    return f".{name[:100]}.appraisal-{os.getpid() if pid is None else pid}-{secrets.token_hex(4)}.tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: keep its file
    return True


def clean_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our temporary files in `folder` left by writes killed half-way. Returns what was removed."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if not m:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = int(m.group("pid"))
            if pid == os.getpid():
                continue
            if now - st.st_mtime > STALE_AFTER or not _alive(pid):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _new_mode(path: Path) -> int:
    """A replaced file keeps its mode; a new one gets what a plain open() would give."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _link_exclusively(tmp: str, path: Path) -> None:
    """Give the finished file its name only if the name is free (FileExistsError otherwise)."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
    # No hard links here (some FUSE or FAT file systems): claim the name exclusively, then rename onto it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(path)
        raise


def write_atomic(path: Path, data: str | bytes, *, encoding: str = "utf-8", replace: bool = True) -> None:
    """Write `data` to `path` atomically. With replace=False, FileExistsError if `path` exists at the
    moment the finished file would take its name."""
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    folder = path.parent
    if path.is_dir():
        raise write_error(IsADirectoryError(errno.EISDIR, "is a directory"), path)
    if why := not_a_file(path):  # the app's saves too: never replace a device or FIFO
        raise OSError(errno.EINVAL, f"cannot write: it {why}", str(path))
    if not folder.is_dir():
        raise write_error(FileNotFoundError(errno.ENOENT, "no folder"), path)
    clean_stale_temporaries(folder)
    tmp = None
    try:
        tmp = str(folder / temporary_name(path.name))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, _new_mode(path))
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
        else:
            _link_exclusively(tmp, path)
            os.unlink(tmp)
        tmp = None
        _fsync_folder(folder)
    except OSError as e:
        raise write_error(e, path) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def temporaries(path: Path) -> list[Path]:
    """Temporary files `write_atomic` leaves beside `path` when it is killed half-way (.NAME.*.tmp)."""
    path = Path(path)
    try:
        return sorted(p for p in path.parent.glob(f".{glob.escape(path.name)}.*.tmp") if p.is_file())
    except OSError:
        return []


def remove_temporaries(path: Path, *, older_than: float = 2.0) -> list[Path]:
    """Remove what a killed save left beside `path` (not files younger than `older_than` seconds: a save
    may be under way). The caller must be the file's one writer (hold its lock). Returns what went."""
    gone = []
    for tmp in temporaries(path):
        try:
            if time.time() - tmp.stat().st_mtime >= older_than:
                tmp.unlink()
                gone.append(tmp)
        except OSError:
            pass  # not ours to remove, or gone already
    return gone


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same resolved path, or the same inode (a hard link)."""
    try:
        if Path(a).resolve() == Path(b).resolve():
            return True
        return os.path.samefile(a, b)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11); reading it says so
        return False


def refuse_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse to write over a file the command read (the appraisal, its bases, its criteria, a journal)."""
    for p in inputs:
        if same_file(output, p):
            raise AppraisalError(f"will not overwrite '{p}', which this command reads; choose another output file", file=str(output))


def not_a_file(path: Path) -> str | None:
    """Why `path` must not be replaced by a new file: a device, FIFO or socket is there (an export run
    as root with --force would otherwise replace /dev/null for the whole machine). None when nothing or
    a regular file is there."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"is {kind}, not a regular file"


def read_only(path: Path) -> str | None:
    """Why the user may not write the existing file at `path`, or None: the system says so (os.access), or
    its owner has no write permission (root may write anything, but a chmod 444 file says "keep it";
    an atomic save needs only the folder, so it would replace the file without a word)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # nothing there: a new file
    if not stat.S_ISREG(mode):
        return None  # not_a_file() says why
    if not os.access(path, os.W_OK) or not mode & stat.S_IWUSR:
        return "the file is read-only (its permissions do not allow writing)"
    return None


def check_output(path: Path, *, force: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Whether a command may write its output file (checked before the work, and again at the end)."""
    refuse_inputs(path, inputs)
    if why := not_a_file(path):
        raise AppraisalError(why + ("" if why == "is a directory" else ": write to a file (or to standard output with -o -)"), file=str(path))
    if path.exists() and not force:
        raise AppraisalError("already exists (use --force to overwrite)", file=str(path))
    if not path.parent.is_dir():
        raise AppraisalError(f"folder '{path.parent}' does not exist", file=str(path))


def write_output(path: Path, data: str | bytes, *, force: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Write a command's output file: never over a file the command read; over another file only with
    --force. The check for an existing file is made again at the last step, so of two commands racing
    for one name, one writes and the other says the name is taken."""
    check_output(path, force=force, inputs=inputs)
    try:
        write_atomic(path, data, replace=force)
    except FileExistsError:
        raise AppraisalError("already exists (use --force to overwrite)", file=str(path)) from None
