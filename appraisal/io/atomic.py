"""Atomic writes: write a temporary file beside the target, fsync, then rename over it; and the
tidying of temporary files a killed write left behind."""

from __future__ import annotations

import glob
import os
import tempfile
import time
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would, or keep the old file's.
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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

