"""Report dicts -> JSON text: exactly `json.dumps(data, indent=2, ensure_ascii=False)`'s text, several
times faster on big reports.

Python's json module encodes in C only without indentation; with it, every value passes through Python
generators (1.7 s for the 150,000 switching values of a 300 x 500 sensitivity report). Here each
container holding only scalars (the bulk of a report: one small dict per cell) goes to the C encoder in
one call, with the line break and indentation as its item separator; only the levels above are walked in
Python.
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring
from typing import Any

INDENT = "  "


@lru_cache(maxsize=None)
def _flat(depth: int):
    """Encodes a container of scalars whose items sit at `depth` (items joined by a line break and that
    indentation): json's own C encoder, as JSONEncoder(ensure_ascii=False) makes it for one document."""
    if c_make_encoder is None:
        raise _Unusual
    encoder = c_make_encoder(None, _no_default, encode_basestring, None, ": ", ",\n" + INDENT * depth, False, False, True)
    return lambda o: "".join(encoder(o, 0))


def _no_default(o: Any) -> Any:
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _is_scalar(x: Any) -> bool:
    return not isinstance(x, (dict, list, tuple))


def dumps(data: Any) -> str:
    """The text of json.dumps(data, indent=2, ensure_ascii=False)."""
    out: list[str] = []
    try:
        _write(data, 0, out)
    except _Unusual:
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


class _Unusual(Exception):
    """A key that is not a string (json converts those its own way), or no C encoder: let json do it all."""


def _write(o: Any, depth: int, out: list[str]) -> None:
    if _is_scalar(o):
        out.append(_flat(0)(o))
        return
    is_dict = isinstance(o, dict)
    if not o:
        out.append("{}" if is_dict else "[]")
        return
    if is_dict and not all(isinstance(k, str) for k in o):
        raise _Unusual
    inner, outer = INDENT * (depth + 1), INDENT * depth
    if not is_dict and _flat_dicts(o):
        # One C call for the whole list ('[{"a": 1,\n    "b": 2},\n    {...}]'), then the line breaks
        # around each dict's braces. A raw line break is only ever a separator (strings escape theirs),
        # and "},<separator>{" only ever joins two dicts (a scalar never ends in a brace).
        deeper = INDENT * (depth + 2)
        text = _flat(depth + 2)(o)
        text = text[2:-2].replace("},\n" + deeper + "{", f"\n{inner}}},\n{inner}{{\n{deeper}")
        out.append(f"[\n{inner}{{\n{deeper}{text}\n{inner}}}\n{outer}]")
        return
    values = o.values() if is_dict else o
    if all(_is_scalar(v) for v in values):
        text = _flat(depth + 1)(o)  # '{"a": 1,\n    "b": 2}'
        out.append(f"{text[0]}\n{inner}{text[1:-1]}\n{outer}{text[-1]}")
        return
    out.append("{\n" if is_dict else "[\n")
    for k, item in enumerate(o.items() if is_dict else o):
        if k:
            out.append(",\n")
        out.append(inner)
        if is_dict:
            key, item = item
            out.append(_flat(0)(key) + ": ")
        _write(item, depth + 1, out)
    out.append(f"\n{outer}" + ("}" if is_dict else "]"))


def _flat_dicts(items: list | tuple) -> bool:
    """Are these all non-empty dicts of string keys and scalar values (one per cell, say)? Checked by
    type sets, so the loops run in C."""
    if len(items) < 2 or {type(d) for d in items} != {dict} or not all(items):
        return False
    return {type(k) for d in items for k in d} == {str} and not any(
        issubclass(t, (dict, list, tuple)) for t in {type(v) for d in items for v in d.values()})
