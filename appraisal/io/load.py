"""Load appraisal and criteria files into validated models, with errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import AppraisalError
from ..model import Appraisal, AppraisalFile, CriteriaFile, build_appraisal, check_criteria
from ..model.scenario import ACTIONS as _TAGS  # tagged-union tags, dropped from error keys
from .locate import locate
from .read import read_toml

M = TypeVar("M", bound=BaseModel)


def _describe(err: dict[str, Any]) -> str:
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
    return AppraisalError(_describe(err), key=key, file=file, line=locate(text, key))


def parse(model: type[M], raw: dict[str, Any], file: str, text: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise validation_error(e, file, text) from None


def located(e: AppraisalError, file: str, text: str) -> AppraisalError:
    return e.located(file=file, line=e.line or (locate(text, e.key) if e.key else None))


def load_criteria(path: Path) -> CriteriaFile:
    raw, text = read_toml(path)
    criteria = parse(CriteriaFile, raw, str(path), text)
    try:
        check_criteria(criteria)
    except AppraisalError as e:
        raise located(e, str(path), text) from None
    return criteria


def appraisal_from_raw(raw: dict[str, Any], path: Path, text: str) -> Appraisal:
    file = parse(AppraisalFile, raw, str(path), text)
    criteria_path = (path.parent / file.appraisal.criteria).resolve()
    if not criteria_path.is_file():
        raise AppraisalError(
            f"criteria file '{file.appraisal.criteria}' not found (looked for {criteria_path})",
            key=("appraisal", "criteria"), file=str(path), line=locate(text, ("appraisal", "criteria")),
        )
    criteria = load_criteria(criteria_path)
    try:
        return build_appraisal(file, criteria)
    except AppraisalError as e:
        raise located(e, str(path), text) from None


def load_appraisal(path: str | Path) -> Appraisal:
    """Load a base appraisal, or a scenario applied to its base."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _load_json(path)
    raw, text = read_toml(path)
    if "scenario" in raw:
        from .scenario import load_scenario  # scenarios need the step machinery; most loads don't

        return load_scenario(path).appraisal
    return appraisal_from_raw(raw, path, text)


def _load_json(path: Path) -> Appraisal:
    import json

    from pydantic import ValidationError

    from .export_json import from_json
    from .read import read_text

    text = read_text(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise AppraisalError(f"malformed JSON: {e.msg}", file=str(path), line=e.lineno) from None
    try:
        return from_json(raw)
    except ValidationError as e:
        err = e.errors()[0]
        raise AppraisalError(_describe(err), key=("appraisal", *err["loc"]), file=str(path)) from None
    except AppraisalError as e:
        raise e.located(file=str(path)) from None
