"""Reading text files defensively: every failure is one AppraisalError naming the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import AppraisalError

MAX_BYTES = 10 * 1024 * 1024  # every TOML, JSON and sheet the tool reads; a [matrix] CSV has its own (io.matrix_csv)


def read_text(path: Path, *, limit: int = MAX_BYTES) -> str:
    name = str(path)
    if not path.exists():
        raise AppraisalError("no such file", file=name)
    if path.is_dir():
        raise AppraisalError("is a directory, not a file", file=name)
    try:
        size = path.stat().st_size
        if size > limit:
            raise AppraisalError(f"file is {size / 1e6:.1f} MB; the limit is {limit // (1024 * 1024)} MB", file=name)
        data = path.read_bytes()
    except PermissionError:
        raise AppraisalError("permission denied", file=name) from None
    except OSError as e:
        raise AppraisalError(f"cannot read: {e.strerror or e}", file=name) from None
    if not data.strip():
        raise AppraisalError("file is empty", file=name)
    if b"\x00" in data:
        raise AppraisalError("file is binary, not text", file=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise AppraisalError("file is not UTF-8 text", file=name, line=line) from None


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    text = read_text(path)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).rstrip(".")
        raise AppraisalError(f"malformed TOML: {msg}", file=str(path), line=line) from None
