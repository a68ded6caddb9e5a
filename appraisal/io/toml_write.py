"""A small TOML emitter for our files: tables and arrays of tables written the way people write them
(`[[steps]]` blocks, inline tables for small maps), so what the tool writes reads well in a diff."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return {True: "inf", False: "-inf"}[v > 0] if math.isinf(v) else "nan"
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, str):
        if "\n" in v:
            body = json.dumps(v, ensure_ascii=False)[1:-1].replace("\\n", "\n").replace('"""', '\\"\\"\\"')
            return f'"""\n{body}"""'
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def table(name: str, data: dict[str, Any], *, array: bool = False) -> str:
    head = f"[[{name}]]" if array else f"[{name}]"
    return "\n".join([head, *(f"{key(k)} = {value(v)}" for k, v in data.items() if v is not None)]) + "\n"


def document(parts: list[tuple[str, Any]], *, header: str = "") -> str:
    """parts: (name, dict) for a table, (name, [dict, ...]) for an array of tables."""
    out = [header] if header else []
    for name, data in parts:
        if isinstance(data, list):
            out += [table(name, d, array=True) for d in data]
        else:
            out.append(table(name, data))
    return "\n".join(out)
