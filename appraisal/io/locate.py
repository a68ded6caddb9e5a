"""Find the line of a key path (e.g. ('scores', 12, 'score')) in TOML text, for error messages.

tomllib does not report positions, so this scans headers and `key =` lines. It handles the shapes our
files use (tables, arrays of tables, inline tables); when it cannot be exact it returns the nearest
enclosing line it found, or None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _key_re(key: str) -> re.Pattern[str]:
    return re.compile(r'^\s*(?:"?' + re.escape(key) + r'"?)\s*=|[{,]\s*"?' + re.escape(key) + r'"?\s*=')


def _within_element(headers: list[tuple[int, str, bool]], parts: Sequence[str | int], end_of_text: int) -> int | None:
    """A sub-table of one element of an array of tables (`[criteria.value]` under the 4th `[[criteria]]`,
    for the path criteria, 3, value): the header of that name inside that element, or None."""
    ints = [n for n, p in enumerate(parts) if isinstance(p, int)]
    if not ints:
        return None
    k = ints[-1]
    array = ".".join(p for p in parts[:k] if isinstance(p, str))
    elements = [n for n, name, arr in headers if arr and name == array]
    index = parts[k]
    if not isinstance(index, int) or index >= len(elements):
        return None
    start = elements[index]
    end = elements[index + 1] if index + 1 < len(elements) else end_of_text
    dotted = ".".join(p for p in parts if isinstance(p, str))
    return next((n for n, name, _ in headers if name == dotted and start < n < end), None)


def locate(text: str, path: Sequence[str | int]) -> int | None:
    lines = text.splitlines()
    headers = [(n, m.group(1), lines[n].lstrip().startswith("[[")) for n, line in enumerate(lines) if (m := _HEADER.match(line))]
    parts = list(path)
    if not parts:
        return None
    # Resolve the table the path lives in: the longest header that is a prefix of the path.
    start, end, rest = 0, len(lines), parts
    best = None
    for k in range(len(parts), 0, -1):
        names = [p for p in parts[:k] if isinstance(p, str)]
        dotted = ".".join(names)
        index = parts[k] if k < len(parts) and isinstance(parts[k], int) else None
        matches = [(n, arr) for n, name, arr in headers if name == dotted]
        if not matches:
            continue
        if matches[0][1] and index is not None and index < len(matches):
            n = matches[index][0]
            rest = parts[k + 1 :]
        elif not matches[0][1]:
            n = _within_element(headers, parts[:k], len(lines)) or matches[0][0]
            rest = parts[k:]
        else:
            continue
        best = n
        start = n + 1
        end = next((h for h, _, _ in headers if h > n), len(lines))
        break
    line = best
    for key in rest:
        if isinstance(key, int):
            # An inline array written one element a line: `scores = [` then `{ ... },` lines.
            if line is not None and lines[line].rstrip().endswith("["):
                items = [n for n in range(line + 1, end) if lines[n].lstrip().startswith("{")]
                if key < len(items):
                    line, start, end = items[key], items[key], items[key] + 1
            continue
        pattern = _key_re(key)
        for n in range(start, end):
            if pattern.search(lines[n]):
                line, start = n, n
                break
    if line is None:
        pattern = _key_re(str(parts[0]))
        line = next((n for n, s in enumerate(lines) if pattern.search(s)), None)
    return None if line is None else line + 1
