"""Validating raw TOML/JSON data into models: pydantic's errors become one AppraisalError naming the
file, the line and the key."""

from __future__ import annotations

from datetime import date, time
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import AppraisalError
from ..model.actions import ACTIONS as _TAGS  # tagged-union tags, dropped from error keys
from .locate import locate

M = TypeVar("M", bound=BaseModel)


_EXPECTED = {"string": "string", "bool": "true or false", "dict": "table", "tuple": "list", "list": "list"}


def show(value: Any, limit: int = 60) -> str:
    """A value from a file, quoted and shortened for an error line (repr makes control characters visible)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, (date, time)):  # TOML dates and times, as written
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_error(err: dict[str, Any]) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "union_tag_invalid":
        tags = err.get("ctx", {}).get("expected_tags", "")
        return f"unknown action {show(err['ctx'].get('tag'))} (expected one of: {tags})"
    if kind == "union_tag_not_found":
        return "missing `action`"
    if kind == "literal_error":
        return f"{show(value)} is not one of {err.get('ctx', {}).get('expected', '')}"
    if kind in ("model_type", "model_attributes_type"):
        return f"must be a table, not {show(value)}"
    ctx = err.get("ctx") or {}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        return f"must be {kind.replace('_', ' ').replace(' equal', ' or equal to')} {bound}, not {show(value)}"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        limit = ctx.get("min_length", ctx.get("max_length"))
        what = "characters" if kind.startswith("string") else "items"
        return f"must have at {'least' if kind.endswith('short') else 'most'} {limit} {what}, not {len(value) if hasattr(value, '__len__') else show(value)}"
    if kind == "missing":
        return "missing required key"
    if kind in {"float_type", "int_type", "float_parsing"}:
        return f"must be a number, not {show(value)}"
    if kind == "string_pattern_mismatch":
        return f"invalid id {show(value)}: use lowercase letters, digits, '-' and '_'"
    if kind in {"string_type", "bool_type", "dict_type", "tuple_type", "list_type"}:
        expected = _EXPECTED[kind.split("_")[0]]
        return f"must be {'a ' if expected != 'true or false' else ''}{expected}, not {show(value)}"
    return str(err["msg"]).removeprefix("Value error, ")  # AppraisalError shows a line break in it as \\n


def validation_error(e: ValidationError, file: str, text: str) -> AppraisalError:
    err = e.errors()[0]
    loc = err["loc"]
    # Drop pydantic's internal loc parts: validator names, and the tag of a tagged union (steps[0].set-score.score).
    key = tuple(
        p for n, p in enumerate(loc)
        if not (isinstance(p, str) and (p.startswith("function-") or (p in _TAGS and n and isinstance(loc[n - 1], int))))
    )
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        key = (*key, "action")
    return AppraisalError(describe_error(err), key=key, file=file, line=locate(text, key))


def parse(model: type[M], raw: dict[str, Any], file: str, text: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise validation_error(e, file, text) from None


def located(e: AppraisalError, file: str, text: str) -> AppraisalError:
    return e.located(file=file, line=e.line or (locate(text, e.key) if e.key else None))
