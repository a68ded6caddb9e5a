"""Edits to an appraisal. Each returns a new, valid Appraisal or raises AppraisalError.

Shared by the CLI flags, scenario steps and the workshop app, so an edit means the same everywhere.
"""

from __future__ import annotations

import math

from ..errors import AppraisalError, unknown
from .appraisal import Appraisal, Participant
from .build import check_cost, check_participant_weights, check_weights
from .limits import weight_problem
from .tree import check_group_weights, derived_score


def _option(a: Appraisal, option: str) -> int:
    try:
        return a.option_index[option]
    except KeyError:
        raise AppraisalError(unknown("option", option, a.option_index)) from None


def _criterion(a: Appraisal, criterion: str) -> int:
    try:
        return a.criterion_index[criterion]
    except KeyError:
        raise AppraisalError(unknown("criterion", criterion, a.criterion_index)) from None


def check_tree_weights(a: Appraisal, weights: dict[str, float], group_weights: dict[str, float] | None, disabled: frozenset[str]) -> None:
    """The tree's weight rules, for an edit (the message alone: an edit has no file key)."""
    try:
        check_group_weights(a.groups, a.criteria, weights, group_weights, disabled)
    except AppraisalError as e:
        raise AppraisalError(e.message) from None


def _unit(c) -> str:
    return f" in {c.unit}" if c.unit else " in natural units"


def set_score(a: Appraisal, option: str, criterion: str, score: float) -> Appraisal:
    i, j = _option(a, option), _criterion(a, criterion)
    if a.criteria[j].measured:
        raise AppraisalError(f"'{criterion}' is measured{_unit(a.criteria[j])}: set its measure, not its score")
    if why := a.scale.check_score(score):
        raise AppraisalError(why)
    k = i * len(a.criteria) + j
    return a.model_copy(update={"cells": a.cells.replaced(k, score=float(score), measure=a.cells.measure(k))})


def set_measure(a: Appraisal, option: str, criterion: str, measure: float) -> Appraisal:
    """A measure in natural units; the value function derives the score."""
    i, j = _option(a, option), _criterion(a, criterion)
    c = a.criteria[j]
    if not c.measured:
        raise AppraisalError(f"'{criterion}' is scored on the scale: set its score, not a measure")
    if isinstance(measure, bool) or not isinstance(measure, (int, float)) or not math.isfinite(measure):
        raise AppraisalError(f"measure must be a finite number, not {measure!r}")
    k = i * len(a.criteria) + j
    return a.model_copy(update={"cells": a.cells.replaced(k, score=derived_score(c, a.scale, float(measure)), measure=float(measure))})


def set_cost(a: Appraisal, option: str, cost: float | None) -> Appraisal:
    """An option's cost (None: no cost), for value for money."""
    i = _option(a, option)
    if cost is not None and (isinstance(cost, bool) or not isinstance(cost, (int, float))):
        raise AppraisalError(f"cost must be a number, not {cost!r}")
    check_cost(cost, ())
    options = list(a.options)
    options[i] = options[i].model_copy(update={"cost": None if cost is None else float(cost)})
    return a.model_copy(update={"options": tuple(options)})


def set_weight(a: Appraisal, criterion: str, weight: float) -> Appraisal:
    _criterion(a, criterion)
    if why := weight_problem(weight):
        raise AppraisalError(why)
    return set_weights(a, {**a.weights, criterion: float(weight)})


def set_weights(a: Appraisal, weights: dict[str, float]) -> Appraisal:
    full = {**a.weights, **{k: float(v) for k, v in weights.items()}}
    ids = [c.id for c in a.criteria]
    check_weights(full, ids, a.disabled)
    check_tree_weights(a, full, a.group_weights, a.disabled)
    for p in a.participants:  # they fall back to these weights
        check_participant_weights(p.name, {**full, **p.weights}, ids, a.disabled)
    return a.model_copy(update={"weights": full})


def set_excluded(a: Appraisal, option: str, excluded: bool) -> Appraisal:
    i = _option(a, option)
    options = list(a.options)
    options[i] = options[i].model_copy(update={"excluded": excluded})
    if all(o.excluded for o in options):
        raise AppraisalError("cannot exclude every option")
    return a.model_copy(update={"options": tuple(options)})


def set_enabled(a: Appraisal, criterion: str, enabled: bool) -> Appraisal:
    _criterion(a, criterion)
    disabled = a.disabled - {criterion} if enabled else a.disabled | {criterion}
    if len(disabled) == len(a.criteria):
        raise AppraisalError("cannot switch off every criterion")
    ids = [c.id for c in a.criteria]
    check_weights(a.weights, ids, disabled)
    check_tree_weights(a, a.weights, a.group_weights, frozenset(disabled))
    for p in a.participants:
        check_participant_weights(p.name, {**a.weights, **p.weights}, ids, frozenset(disabled))
    return a.model_copy(update={"disabled": frozenset(disabled)})


# --- weight presets -------------------------------------------------------------------------------

PRESETS = ("as-loaded", "equal", "rank-order-centroid", "swing")


def equal_weights(a: Appraisal) -> Appraisal:
    """Every criterion the same weight: the mean of the active weights, so totals stay on their scale."""
    active = [c.id for c in a.criteria if c.id not in a.disabled]
    mean = sum(a.weights[c] for c in active) / len(active) or 1.0
    return set_weights(a, {c.id: mean for c in a.criteria})


def rank_order_centroid(a: Appraisal, order: list[str] | tuple[str, ...]) -> Appraisal:
    """ROC weights from an agreed order, most important first: w_k = (1/n) sum_{i=k..n} 1/i (they sum to 1)."""
    active = [c.id for c in a.criteria if c.id not in a.disabled]
    for c in order:
        _criterion(a, c)
    if sorted(order) != sorted(active) or len(set(order)) != len(order):
        missing = sorted(set(active) - set(order))
        extra = sorted(set(order) - set(active))
        raise AppraisalError(
            "the order must list every criterion in use exactly once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not in use or repeated: {', '.join(extra) or 'a repeat'}" if extra or not missing else "")
        )
    n = len(order)
    roc = {c: sum(1 / i for i in range(k, n + 1)) / n for k, c in enumerate(order, start=1)}
    return set_weights(a, {c.id: roc.get(c.id, 0.0) for c in a.criteria})


def swing_weights(a: Appraisal, points: dict[str, float]) -> Appraisal:
    """Swing weights: the most important criterion gets 100, every other a number out of 100."""
    active = {c.id for c in a.criteria if c.id not in a.disabled}
    for c, v in points.items():
        _criterion(a, c)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
            raise AppraisalError(f"swing points for '{c}' must be between 0 and 100, not {v!r}")
    missing = sorted(active - set(points))
    if missing:
        raise AppraisalError(f"swing points needed for every criterion in use; missing: {', '.join(missing)}")
    if max(points[c] for c in active) != 100:
        raise AppraisalError("the most important criterion's swing must be 100")
    return set_weights(a, {c: float(v) for c, v in points.items()})


# --- participants (group workshops) ---------------------------------------------------------------

def _participant_index(a: Appraisal, name: str) -> int:
    for k, p in enumerate(a.participants):
        if p.name == name:
            return k
    known = ", ".join(p.name for p in a.participants) or "none yet"
    raise AppraisalError(f"unknown participant '{name}' (participants: {known})")


def add_participant(a: Appraisal, name: str) -> Appraisal:
    name = name.strip()
    if not name:
        raise AppraisalError("a participant needs a name")
    if a.participant(name) is not None:
        raise AppraisalError(f"participant '{name}' already exists")
    return a.model_copy(update={"participants": (*a.participants, Participant(name=name))})


def remove_participant(a: Appraisal, name: str) -> Appraisal:
    k = _participant_index(a, name)
    return a.model_copy(update={"participants": a.participants[:k] + a.participants[k + 1 :]})


def set_participant_weight(a: Appraisal, name: str, criterion: str, weight: float) -> Appraisal:
    k = _participant_index(a, name)
    _criterion(a, criterion)
    if why := weight_problem(weight):
        raise AppraisalError(why)
    p = a.participants[k]
    weights = {**p.weights, criterion: float(weight)}
    full = {**a.weights, **weights}
    check_participant_weights(name, full, [c.id for c in a.criteria], a.disabled)
    if a.group_weights is not None:
        check_tree_weights(a, full, a.group_weights, a.disabled)
    return _replace_participant(a, k, p.model_copy(update={"weights": weights}))


def set_participant_score(a: Appraisal, name: str, option: str, criterion: str, score: float) -> Appraisal:
    k = _participant_index(a, name)
    _option(a, option), _criterion(a, criterion)
    if why := a.scale.check_score(score):
        raise AppraisalError(why)
    p = a.participants[k]
    return _replace_participant(a, k, p.model_copy(update={"scores": {**p.scores, f"{option}:{criterion}": float(score)}}))


def _replace_participant(a: Appraisal, k: int, p: Participant) -> Appraisal:
    return a.model_copy(update={"participants": a.participants[:k] + (p,) + a.participants[k + 1 :]})
