"""Validating raw TOML/JSON data into models: pydantic's errors become one AppraisalError naming the
file, the line and the key."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import AppraisalError
from ..model.scenario import ACTIONS as _TAGS  # tagged-union tags, dropped from error keys
from .locate import locate

M = TypeVar("M", bound=BaseModel)


def describe_error(err: dict[str, Any]) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "union_tag_invalid":
        tags = err.get("ctx", {}).get("expected_tags", "")
        return f"unknown action {err['ctx'].get('tag')!r} (expected one of: {tags})"
    if kind == "union_tag_not_found":
        return "missing `action`"
    if kind == "literal_error":
        return f"{value!r} is not one of {err.get('ctx', {}).get('expected', '')}"
    if kind == "missing":
        return "missing required key"
    if kind in {"float_type", "int_type", "float_parsing"}:
        return f"must be a number, not {value!r}"
    if kind == "string_pattern_mismatch":
        return f"invalid id {value!r}: use lowercase letters, digits, '-' and '_'"
    if kind in {"string_type", "bool_type", "dict_type", "tuple_type", "list_type"}:
        expected = kind.split("_")[0].replace("dict", "table").replace("tuple", "list").replace("str", "text")
        return f"must be a {expected}, not {value!r}"
    return err["msg"].removeprefix("Value error, ")


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
