"""Python values -> TOML text laid out the way people write our files (`[[steps]]` blocks, inline tables
for small maps, multi-line strings for long text), so what the tool writes reads well in a diff.

The escaping is tomlkit's, not ours: a hand-written emitter once turned a literal backslash-n into a line
break. tomlkit is imported only when something is written, so start-up does not pay for it."""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Text that would close or break a comment line: control characters (a newline would start a new,
# live TOML line) and the invisible line separators.
_COMMENT_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def basic_string(s: str) -> str:
    """A one-line TOML basic string, fast (for the thousands of a big matrix's texts): JSON's escapes are
    TOML's (\\" \\\\ \\b \\t \\n \\f \\r \\uXXXX), and TOML wants DEL escaped too, which JSON leaves."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _string(s: str):
    import tomlkit

    # A multi-line basic string only for text with line breaks and no carriage return: TOML readers
    # may turn a CRLF inside one into LF, so text with a CR stays on one line, fully escaped.
    return tomlkit.string(s, multiline="\n" in s and "\r" not in s)


def _number(v: float) -> Any:
    import tomlkit

    if math.isnan(v) or math.isinf(v):
        return tomlkit.item(v)
    # Whole numbers as integers (`weight = 3`, as people write them); the models read them as floats.
    return int(v) if v.is_integer() and abs(v) < 1e15 else v


def _value(v: Any, *, inline: bool = False) -> Any:
    """A TOML item. Inside inline tables and arrays, strings stay on one line."""
    import tomlkit

    if isinstance(v, bool) or isinstance(v, int):
        return v
    if isinstance(v, float):
        return _number(v)
    if isinstance(v, str):
        return tomlkit.string(v) if inline else _string(v)
    if isinstance(v, (list, tuple)):
        arr = tomlkit.array()
        for x in v:
            arr.append(_value(x, inline=True))
        return arr
    if isinstance(v, dict):
        t = tomlkit.inline_table()
        for k, x in v.items():
            if x is not None:
                t.append(k, _value(x, inline=True))
        return t
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _table(data: dict[str, Any]):
    import tomlkit

    t = tomlkit.table()
    for k, v in data.items():
        if v is not None:
            t.add(k, _value(v))
    return t


def comment_line(text: str) -> str:
    """Text fit for a `# ...` comment: one line, whatever the text holds."""
    return _COMMENT_UNSAFE.sub(" ", text).strip()


def document(parts: list[tuple[str, Any]], *, header: str = "") -> str:
    """parts: (name, dict) for a table, (name, [dict, ...]) for an array of tables. A dotted name
    (`published.headline`) goes inside the table named before it. `header`'s lines become comments (a leading `#` is optional)."""
    import tomlkit

    doc = tomlkit.document()
    for line in header.splitlines():
        text = comment_line(line.removeprefix("#"))
        doc.add(tomlkit.comment(text) if text else tomlkit.nl())
    for name, data in parts:
        *outer, last = name.split(".")
        container: Any = doc
        for k in outer:
            container = container[k]
        if isinstance(data, list):
            aot = tomlkit.aot()
            for d in data:
                aot.append(_table(d))
            item = aot
        else:
            item = _table(data)
        if outer:
            container.append(last, item)
        else:
            if len(doc.body) > 0:
                doc.add(tomlkit.nl())
            doc.add(last, item)
    return tomlkit.dumps(doc)
