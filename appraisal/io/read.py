"""Reading files defensively: only regular files, never more than a cap, nested no deeper than a cap.
Every failure is one AppraisalError naming the file.

A FIFO, a device (/dev/zero never ends), a socket or a directory is refused before a byte is read:
the path is checked with stat, opened without blocking (opening a FIFO with no writer would wait
forever) and checked again on the open descriptor, so nothing swapped in between is read either.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tomli  # the stdlib tomllib, compiled (mypyc): 2.6x faster on a big appraisal, same errors
from pathlib import Path
from typing import Any

from ..errors import AppraisalError

MAX_BYTES = 10 * 1024 * 1024  # every file the tool reads (appraisals, criteria, scenarios, journals, sheets, json); a [matrix] CSV has its own (io.matrix_csv)
MAX_NESTING = 32  # arrays and tables inside each other; our files use 6
MAX_KEY_PARTS = 32  # a.b.c dotted keys and [a.b.c] headers; the parser's cost grows with the square of this

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
_REASONS = {
    errno.ENOENT: "no such file", errno.EACCES: "permission denied", errno.EPERM: "permission denied",
    errno.ELOOP: "too many levels of symbolic links (a symlink loop?)", errno.ENOTDIR: "a part of the path is not a directory",
    errno.ENAMETOOLONG: "file name too long", errno.EISDIR: "is a directory, not a file",
    errno.ENXIO: "is not a regular file (no such device or address)",
}


def os_error(e: OSError, name: str) -> AppraisalError:
    """One line for any OSError about `name`."""
    return AppraisalError(_REASONS.get(e.errno or 0) or f"cannot read: {e.strerror or e}", file=name)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in _KINDS if test(mode)), "a special file")
    return "is a directory, not a file" if kind == "a directory" else f"is {kind}, not a regular file"


def _too_large(size: int, limit: int) -> str:
    unit, scale = next(((u, f) for u, f in (("TB", 1e12), ("GB", 1e9)) if size >= f), ("MB", 1e6))
    return f"file is {size / scale:.1f} {unit}; the limit is {limit // (1024 * 1024)} MB"


def is_missing(path: Path) -> bool:
    """True only when nothing is there (a dangling symlink counts); loops and odd files are not missing:
    reading them says what they are."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes."""
    name = str(path)
    try:
        st = os.stat(path)
        if why := _not_regular(st.st_mode):
            raise AppraisalError(why, file=name)
        if st.st_size > limit:
            raise AppraisalError(_too_large(st.st_size, limit), file=name)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise os_error(e, name) from None
    except ValueError:  # a NUL in the path
        raise AppraisalError("invalid file name", file=name) from None
    try:
        st = os.fstat(fd)  # what was opened, not what was checked
        if why := _not_regular(st.st_mode):
            raise AppraisalError(why, file=name)
        chunks, total = [], 0
        while total <= limit:  # /proc files say size 0; files can grow while read
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise AppraisalError(_too_large(max(total, st.st_size), limit), file=name)
        return b"".join(chunks)
    except OSError as e:
        raise os_error(e, name) from None
    finally:
        os.close(fd)


def read_text(path: Path, *, limit: int = MAX_BYTES) -> str:
    data = read_bytes(path, limit=limit)
    name = str(path)
    if not data.strip() or data.strip() == b"\xef\xbb\xbf":
        raise AppraisalError("file is empty", file=name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data:  # a BOM, and the zero bytes of Latin text
        raise AppraisalError("file is UTF-16 text; save it as UTF-8", file=name)
    if (nul := data.find(b"\x00")) >= 0:
        raise AppraisalError("file is binary, not text (a NUL byte)", file=name, line=data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise AppraisalError("file is not UTF-8 text", file=name, line=line) from None


def nesting(value: Any, depth: int = 1) -> int:
    """How deeply lists and dicts are nested in `value` (0 for a scalar), counted up to MAX_NESTING + 1 and
    no further: the recursion is bounded by that, whatever the depth of the data (an iterative walk was
    3x slower on a 1 MB appraisal of 20,000 inline tables)."""
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return depth - 1
    deepest = depth
    if depth > MAX_NESTING:
        return depth
    for x in value:
        if isinstance(x, (dict, list)):
            below = nesting(x, depth + 1)
            if below > deepest:
                deepest = below
                if deepest > MAX_NESTING:
                    break
    return deepest


def _too_deep(name: str, line: int | None = None) -> AppraisalError:
    return AppraisalError(f"nested too deeply: arrays and tables may nest {MAX_NESTING} levels", file=name, line=line)


# Dotted keys outside strings and comments. A value never has more than one dot between bare parts
# (1.5, a date's fraction), so a run of many parts is a key. Possessive quantifiers and the lookbehind
# keep the scan linear on any text.
_BARE = r"[A-Za-z0-9_-]++"
_BASIC = r'"(?:[^"\\\n]|\\.)*+"'
_LITERAL = r"'[^'\n]*+'"
_PART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_SCAN = re.compile(
    rf'"""(?:[^"\\]|\\.|"(?!""))*+""""{{0,2}}|\'\'\'(?:[^\']|\'(?!\'\'))*+\'\'\'\'{{0,2}}'  # multi-line strings
    rf"|(?P<dotted>(?<![A-Za-z0-9_.-]){_PART}(?:[ \t]*+\.[ \t]*+{_PART}){{{MAX_KEY_PARTS},}})"
    rf"|{_BASIC}|{_LITERAL}|#[^\n]*+",
)


def _check_keys(text: str, name: str) -> None:
    # A dotted key or table name lies on one line, so a file with no line of MAX_KEY_PARTS - 1 dots has none
    # too long: skip the scan (70 ms on a 1 MB appraisal of inline tables).
    if text.count(".") < MAX_KEY_PARTS - 1 or not any(line.count(".") >= MAX_KEY_PARTS - 1 for line in text.split("\n")):  # TOML's lines
        return
    for m in _SCAN.finditer(text):
        if m.group("dotted"):
            line = text.count("\n", 0, m.start()) + 1
            raise AppraisalError(f"a dotted key or table name has more than {MAX_KEY_PARTS} parts", file=name, line=line)


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    text = read_text(path)
    name = str(path)
    _check_keys(text, name)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg).rstrip(".")
        msg = re.sub(r"\(((?:'[^']*'(?:, )?)+),?\)", lambda k: "[" + ".".join(re.findall(r"'([^']*)'", k.group(1))) + "]", msg)  # ('a', 'b') -> [a.b]
        raise AppraisalError(f"malformed TOML: {msg}", file=name, line=line) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        raise AppraisalError(f"malformed TOML: {str(e).split(';')[0]}", file=name) from None
    if nesting(data) > MAX_NESTING:
        raise _too_deep(name)
    return data, text


def parse_json(text: str, name: str, line: int | None = None) -> Any:
    """JSON text (all of a file, or one line of a journal) to data, every failure one line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AppraisalError(f"malformed JSON: {e.msg}", file=name, line=line or e.lineno) from None
    except RecursionError:
        raise _too_deep(name, line) from None
    except ValueError as e:  # e.g. a number of more than 4300 digits
        raise AppraisalError(f"malformed JSON: {str(e).split(';')[0]}", file=name, line=line) from None
    if nesting(data) > MAX_NESTING:
        raise _too_deep(name, line)
    return data
