"""Edits to the value tree's weights: a group's weight, and weight presets at one level of the tree
(among a group's children, or among the top-level groups). Each returns a new, valid Appraisal."""

from __future__ import annotations

import math

from ..errors import AppraisalError
from .appraisal import Appraisal
from .build import check_weights
from .edits import check_tree_weights
from .tree import TOP, children, subtree_weight_sums


def _group(a: Appraisal, group: str) -> None:
    if group not in {g.id for g in a.groups}:
        known = ", ".join(g.id for g in a.groups) or "none: the criteria file has no [[groups]]"
        raise AppraisalError(f"unknown group '{group}' (groups: {known})")


def localise(a: Appraisal) -> Appraisal:
    """Make [weights] local to each group, with [group_weights] the sums of each group's criteria's
    weights: every effective share stays exactly as it was. A no-op when weights are local already."""
    if a.group_weights is not None or not a.groups:
        return a
    return a.model_copy(update={"group_weights": subtree_weight_sums(a.groups, a.criteria, a.weights, a.disabled)})


def set_group_weight(a: Appraisal, group: str, weight: float) -> Appraisal:
    """A group's weight among its siblings. Global weights become local first (nothing else moves)."""
    _group(a, group)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight):
        raise AppraisalError(f"weight must be a finite number, not {weight!r}")
    if weight < 0:
        raise AppraisalError(f"weight must be >= 0, not {weight:g}")
    return set_node_weights(localise(a), {group: float(weight)})


def set_node_weights(a: Appraisal, values: dict[str, float]) -> Appraisal:
    """Set weights of criteria and groups at once (weights must already be local when any is a group)."""
    groups = {g.id for g in a.groups}
    weights = {**a.weights, **{k: float(v) for k, v in values.items() if k not in groups}}
    group_weights = a.group_weights
    if any(k in groups for k in values):
        assert group_weights is not None
        group_weights = {**group_weights, **{k: float(v) for k, v in values.items() if k in groups}}
    check_tree_weights(a, weights, group_weights, a.disabled)
    return a.model_copy(update={"weights": weights, "group_weights": group_weights})


def level_nodes(a: Appraisal, within: str) -> list[str]:
    """The children in use of a group, or of the top of the tree (`within = "/"`)."""
    if within != TOP:
        _group(a, within)
    node = None if within == TOP else within
    in_use = {c.id for c in a.criteria if c.id not in a.disabled}
    parent = {g.id: g.parent for g in a.groups}
    for c in a.criteria:
        g = c.group
        while g is not None and c.id in in_use:
            in_use.add(g)
            g = parent[g]
    return [k for k in children(a.groups, a.criteria, node) if k in in_use]


def _current(a: Appraisal, k: str) -> float:
    return a.group_weights[k] if a.group_weights is not None and k in a.group_weights else a.weights[k]


def equal_within(a: Appraisal, within: str) -> Appraisal:
    """Every child in use the same weight: the mean of their weights, so the level keeps its total."""
    a = localise(a)
    kids = level_nodes(a, within)
    mean = sum(_current(a, k) for k in kids) / len(kids) or 1.0
    return set_node_weights(a, {k: mean for k in kids})


def rank_order_centroid_within(a: Appraisal, within: str, order: tuple[str, ...] | list[str]) -> Appraisal:
    """ROC weights for the children in use of one level, most important first."""
    a = localise(a)
    kids = level_nodes(a, within)
    if sorted(order) != sorted(kids) or len(set(order)) != len(order):
        missing = sorted(set(kids) - set(order))
        extra = sorted(set(order) - set(kids))
        raise AppraisalError(
            f"the order must list every {_what(within)} exactly once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not at this level, not in use or repeated: {', '.join(extra) or 'a repeat'}" if extra or not missing else "")
        )
    n = len(order)
    return set_node_weights(a, {k: sum(1 / i for i in range(r, n + 1)) / n for r, k in enumerate(order, start=1)})


def swing_within(a: Appraisal, within: str, points: dict[str, float]) -> Appraisal:
    """Swing weights for one level: the most important child 100, each other a number out of 100."""
    a = localise(a)
    kids = level_nodes(a, within)
    for k, v in points.items():
        if k not in kids:
            raise AppraisalError(f"'{k}' is not a {_what(within)}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
            raise AppraisalError(f"swing points for '{k}' must be between 0 and 100, not {v!r}")
    missing = [k for k in kids if k not in points]
    if missing:
        raise AppraisalError(f"swing points needed for every {_what(within)}; missing: {', '.join(missing)}")
    if max(points[k] for k in kids) != 100:
        raise AppraisalError("the most important one's swing must be 100")
    return set_node_weights(a, {k: float(v) for k, v in points.items()})


def _what(within: str) -> str:
    return "top-level group or criterion in use" if within == TOP else f"group or criterion in use directly under '{within}'"


def restore_weights(a: Appraisal, as_loaded: Appraisal) -> Appraisal:
    """The 'as-loaded' preset: criteria weights and group weights as they were loaded."""
    check_weights(dict(as_loaded.weights), [c.id for c in a.criteria], a.disabled)
    check_tree_weights(a, as_loaded.weights, as_loaded.group_weights, a.disabled)
    return a.model_copy(update={"weights": dict(as_loaded.weights), "group_weights": as_loaded.group_weights})
