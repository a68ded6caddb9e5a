"""One writer per file: a lock file beside the file's journal, created exclusively (O_EXCL), holding
who took it (pid, host, user, when). A lock whose holder is gone is stale and is taken over: a dead
process on this host, or a lock older than a day from another host (we cannot see its processes)."""

from __future__ import annotations

import errno
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import AppraisalError
from .journal import journal_path
from .read import read_text

STALE_ELSEWHERE = 24 * 3600  # seconds: a lock from another host this old is taken to be left behind
STARTING = 10  # seconds: an empty lock this young is a window still writing it, not a stale one

# Tokens of the locks this process holds: a lock naming our pid but not one of these tokens was left
# by an earlier window in this process (tests run several apps in one process).
_HELD: set[str] = set()


def lock_path(appraisal_path: Path) -> Path:
    """Beside the journal (and so beside the file, or in the state folder where that is read-only)."""
    journal = journal_path(appraisal_path)
    return journal.with_name(journal.name.removesuffix(".journal.jsonl") + ".lock")


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    user: str
    started: str  # ISO 8601
    token: str = ""

    def describe(self) -> str:
        """'pid 4242 (alice) on laptop, since 2024-05-01 10:42'."""
        since = self.started[:16].replace("T", " ")
        who = f" ({self.user})" if self.user else ""
        return f"pid {self.pid}{who} on {self.host or 'an unknown host'}" + (f", since {since}" if since else "")


class Locked(AppraisalError):
    """The file is open for writing in another window."""

    def __init__(self, path: Path, holder: Holder):
        super().__init__(f"open in another window ({holder.describe()})", file=str(path))
        self.holder = holder


def _read(path: Path) -> tuple[Holder | None, float]:
    """The holder named in a lock file (None if it is empty or unreadable) and the file's age in seconds."""
    age = time.time() - path.stat().st_mtime
    try:
        data = json.loads(read_text(path, limit=64 * 1024))  # a regular file, never a FIFO or /dev/zero
        holder = Holder(int(data["pid"]), str(data["host"]), str(data.get("user", "")), str(data.get("started", "")), str(data.get("token", "")))
    except (AppraisalError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None, age
    return holder, age


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except (OverflowError, OSError):
        return False
    return True


def _stale(holder: Holder | None, age: float) -> bool:
    if holder is None:
        return age > STARTING
    if holder.host != socket.gethostname():
        return age > STALE_ELSEWHERE
    if holder.pid == os.getpid():
        return holder.token not in _HELD
    return not _alive(holder.pid)


@dataclass
class FileLock:
    """A lock this process holds. `release()` removes it, if it is still ours."""

    path: Path
    holder: Holder

    @classmethod
    def acquire(cls, appraisal_path: Path) -> "FileLock":
        """Take the lock on a file, taking over a stale one. Raises Locked if a live window holds it;
        OSError if the lock cannot be written at all."""
        path = lock_path(Path(appraisal_path))
        for _ in range(3):
            try:
                return cls._create(path)
            except FileExistsError:
                pass
            try:
                holder, age = _read(path)
            except FileNotFoundError:
                continue  # released meanwhile: try again
            if not _stale(holder, age):
                raise Locked(Path(appraisal_path), holder or Holder(0, "", "", ""))
            _take_over(path, holder)
        holder, _ = _read(path)
        raise Locked(Path(appraisal_path), holder or Holder(0, "", "", ""))

    @classmethod
    def _create(cls, path: Path) -> "FileLock":
        me = Holder(os.getpid(), socket.gethostname(), _user(), datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
                    secrets.token_hex(8))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, json.dumps(me.__dict__).encode())
            os.fsync(fd)
        except OSError:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        os.close(fd)
        _HELD.add(me.token)
        return cls(path, me)

    def release(self) -> None:
        _HELD.discard(self.holder.token)
        try:
            holder, _ = _read(self.path)
            if holder is not None and holder.token == self.holder.token:
                self.path.unlink()
        except OSError:
            pass  # gone already, or unreadable: not ours to remove


def _take_over(path: Path, stale: Holder | None) -> None:
    """Move a stale lock out of the way. Two windows may find the same stale lock: each renames it
    aside, and only the one whose renamed file is still that stale lock may go on; a fresh lock
    moved aside by mistake is put back."""
    aside = path.with_name(f"{path.name}.{secrets.token_hex(4)}.stale")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    try:
        moved, _ = _read(aside)
    except OSError:
        moved = None
    if moved != stale and moved is not None:
        try:
            os.link(aside, path)  # put the fresh lock back, unless another has been taken meanwhile
        except OSError as e:
            if e.errno != errno.EEXIST:
                raise
    aside.unlink(missing_ok=True)


def _user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is no reason to refuse the lock
        return ""
