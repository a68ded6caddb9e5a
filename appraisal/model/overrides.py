"""The --weight/--score/--exclude/--disable flags shared by rank, sensitivity and export."""

from __future__ import annotations

import math

from ..errors import AppraisalError
from .appraisal import Appraisal
from . import edits, tree_edits


def _number(flag: str, spec: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise AppraisalError(f"{flag} {spec!r}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise AppraisalError(f"{flag} {spec!r}: {text!r} is not a finite number")
    return value


def _apply(flag: str, spec: str, fn, *args) -> Appraisal:
    try:
        return fn(*args)
    except AppraisalError as e:
        raise AppraisalError(f"{flag} {spec!r}: {e.message}") from None


def apply_overrides(
    a: Appraisal,
    *,
    weights: list[str] = (),  # type: ignore[assignment]
    scores: list[str] = (),  # type: ignore[assignment]
    exclude: list[str] = (),  # type: ignore[assignment]
    disable: list[str] = (),  # type: ignore[assignment]
    group_weights: list[str] = (),  # type: ignore[assignment]
    measures: list[str] = (),  # type: ignore[assignment]
    costs: list[str] = (),  # type: ignore[assignment]
) -> Appraisal:
    for spec in weights:
        crit, sep, value = spec.partition("=")
        if not sep or not crit:
            raise AppraisalError(f"--weight {spec!r}: expected CRITERION=WEIGHT")
        a = _apply("--weight", spec, edits.set_weight, a, crit.strip(), _number("--weight", spec, value))
    for spec in scores:
        cell, sep, value = spec.partition("=")
        option, colon, crit = cell.partition(":")
        if not sep or not colon or not option or not crit:
            raise AppraisalError(f"--score {spec!r}: expected OPTION:CRITERION=SCORE")
        a = _apply("--score", spec, edits.set_score, a, option.strip(), crit.strip(), _number("--score", spec, value))
    for spec in group_weights:
        group, sep, value = spec.partition("=")
        if not sep or not group:
            raise AppraisalError(f"--group-weight {spec!r}: expected GROUP=WEIGHT")
        a = _apply("--group-weight", spec, tree_edits.set_group_weight, a, group.strip(), _number("--group-weight", spec, value))
    for spec in measures:
        cell, sep, value = spec.partition("=")
        option, colon, crit = cell.partition(":")
        if not sep or not colon or not option or not crit:
            raise AppraisalError(f"--measure {spec!r}: expected OPTION:CRITERION=MEASURE")
        a = _apply("--measure", spec, edits.set_measure, a, option.strip(), crit.strip(), _number("--measure", spec, value))
    for spec in costs:
        option, sep, value = spec.partition("=")
        if not sep or not option:
            raise AppraisalError(f"--cost {spec!r}: expected OPTION=COST")
        a = _apply("--cost", spec, edits.set_cost, a, option.strip(), _number("--cost", spec, value))
    for option in exclude:
        a = _apply("--exclude", option, edits.set_excluded, a, option.strip(), True)
    for crit in disable:
        a = _apply("--disable", crit, edits.set_enabled, a, crit.strip(), False)
    return a
