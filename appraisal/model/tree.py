"""The value tree and value functions as rules: checking groups, value functions and group weights, and
deriving a criterion's score from a measure. Pure Python (the engine has the vectorised twins)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from ..errors import AppraisalError
from .criteria import CriteriaFile, CriteriaGroup, Criterion, LinearValue
from .limits import MAX_AMOUNT, MAX_TREE_DEPTH, weight_problem
from .scale import Scale

TOP = "/"  # the top of the tree, where a preset's `within` means "among the top-level groups"


def _fmt(x: float) -> str:
    return f"{x:g}"


# --- value functions ----------------------------------------------------------------------------

def curve_score(curve: list[tuple[float, float]], measure: float) -> float:
    """The score of a measure on a curve of (measure, score) points in increasing measure: linear
    between points, clamped at the ends. The same arithmetic as numpy.interp, so both agree exactly."""
    if measure <= curve[0][0]:
        return curve[0][1]
    if measure >= curve[-1][0]:
        return curve[-1][1]
    for (x0, y0), (x1, y1) in zip(curve, curve[1:]):
        if x0 <= measure < x1:
            return (y1 - y0) / (x1 - x0) * (measure - x0) + y0
    return curve[-1][1]  # unreachable: the points are in increasing measure


def derived_score(c: Criterion, scale: Scale, measure: float) -> float:
    assert c.value is not None
    return curve_score(c.value.curve(scale), measure)


def check_value_function(c: Criterion, j: int, scale: Scale) -> None:
    """A value function must be finite, monotone in the direction `better` states, and map onto the scale."""
    key = ("criteria", j)
    if c.value is None:
        for field, default in (("unit", ""), ("better", "higher")):
            if getattr(c, field) != default:
                raise AppraisalError(f"`{field}` needs a value function (`value = {{ type = \"linear\", worst = ..., best = ... }}`) "
                                     "to turn measures into scores", key=(*key, field))
        return
    v = c.value
    if isinstance(v, LinearValue):
        for field in ("worst", "best"):
            if not math.isfinite(getattr(v, field)) or abs(getattr(v, field)) > MAX_AMOUNT:
                raise AppraisalError(f"{field} must be a finite number within ±{MAX_AMOUNT:g}, not {getattr(v, field)}", key=(*key, "value", field))
        if v.worst == v.best:
            raise AppraisalError(f"worst and best are both {_fmt(v.best)}: a value function needs a range", key=(*key, "value", "best"))
        if (v.best > v.worst) != (c.better == "higher"):
            want = "above" if c.better == "higher" else "below"
            raise AppraisalError(f"not monotone in the stated direction: better = \"{c.better}\" needs best {want} worst "
                                 f"(worst {_fmt(v.worst)}, best {_fmt(v.best)})", key=(*key, "value", "best"))
        return
    pts = v.points
    where = (*key, "value", "points")
    if len(pts) < 2:
        raise AppraisalError("a piecewise value function needs at least two points", key=where)
    for x, y in pts:
        if not (math.isfinite(x) and math.isfinite(y)) or abs(x) > MAX_AMOUNT:
            raise AppraisalError(f"point [{x}, {y}] is not two finite numbers (measures within ±{MAX_AMOUNT:g})", key=where)
        if not scale.min <= y <= scale.max:
            raise AppraisalError(f"point [{_fmt(x)}, {_fmt(y)}]: score {_fmt(y)} is outside the scale {_fmt(scale.min)}..{_fmt(scale.max)}", key=where)
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x1 <= x0:
            raise AppraisalError(f"points must be sorted by measure, each above the last: {_fmt(x1)} comes after {_fmt(x0)}", key=where)
        if (y1 < y0) if c.better == "higher" else (y1 > y0):
            raise AppraisalError(f"not monotone in the stated direction: better = \"{c.better}\" but the score "
                                 f"{'falls' if y1 < y0 else 'rises'} from {_fmt(y0)} to {_fmt(y1)} between measures {_fmt(x0)} and {_fmt(x1)}", key=where)
    if pts[0][1] == pts[-1][1]:
        raise AppraisalError(f"every point scores {_fmt(pts[0][1])}: a value function needs a range", key=where)


# --- the tree -----------------------------------------------------------------------------------

def check_tree(criteria: CriteriaFile) -> None:
    """Group ids unique and apart from criterion ids, parents known, no cycles, every criterion's group
    known, every group holding at least one criterion (directly or below)."""
    crit_ids = {c.id for c in criteria.criteria}
    groups: dict[str, int] = {}
    for k, g in enumerate(criteria.groups):
        if g.id in groups:
            raise AppraisalError(f"duplicate group id '{g.id}'", key=("groups", k, "id"))
        if g.id in crit_ids:
            raise AppraisalError(f"'{g.id}' is both a group and a criterion: ids must differ", key=("groups", k, "id"))
        groups[g.id] = k
    for k, g in enumerate(criteria.groups):
        if g.parent is not None and g.parent not in groups:
            raise AppraisalError(f"unknown group '{g.parent}'", key=("groups", k, "parent"))
    for k, g in enumerate(criteria.groups):
        seen = [g.id]
        parent = g.parent
        while parent is not None:
            if parent in seen:
                cycle = " -> ".join([*seen[seen.index(parent):], parent])
                raise AppraisalError(f"cycle of groups: {cycle}", key=("groups", k, "parent"))
            if len(seen) >= MAX_TREE_DEPTH:
                raise AppraisalError(f"groups nest more than {MAX_TREE_DEPTH} levels deep", key=("groups", k, "parent"))
            seen.append(parent)
            parent = criteria.groups[groups[parent]].parent
    for j, c in enumerate(criteria.criteria):
        if c.group is not None and c.group not in groups:
            known = ", ".join(groups) or "none: add [[groups]]"
            raise AppraisalError(f"unknown group '{c.group}' (groups: {known})", key=("criteria", j, "group"))
    used = set()
    for c in criteria.criteria:
        g = c.group
        while g is not None and g not in used:
            used.add(g)
            g = criteria.groups[groups[g]].parent
    for k, g in enumerate(criteria.groups):
        if g.id not in used:
            raise AppraisalError(f"group '{g.id}' has no criteria", key=("groups", k))
    for j, c in enumerate(criteria.criteria):
        check_value_function(c, j, criteria.scale)


def children(groups: Iterable[CriteriaGroup], criteria: Iterable[Criterion], node: str | None) -> list[str]:
    """Ids of a node's children in file order: its subgroups, then its criteria. None is the top."""
    return [g.id for g in groups if g.parent == node] + [c.id for c in criteria if c.group == node]


def subtree_criteria(groups: tuple[CriteriaGroup, ...], criteria: tuple[Criterion, ...], group: str) -> list[str]:
    """Criteria anywhere below a group."""
    parent = {g.id: g.parent for g in groups}

    def under(g: str | None) -> bool:
        while g is not None:
            if g == group:
                return True
            g = parent[g]
        return False

    return [c.id for c in criteria if under(c.group)]


def check_group_weights(
    groups: tuple[CriteriaGroup, ...], criteria: tuple[Criterion, ...], weights: Mapping[str, float],
    group_weights: Mapping[str, float] | None, disabled: frozenset[str] = frozenset(), key: str = "group_weights",
) -> None:
    """With [group_weights], every group has one (finite, >= 0), and every node that counts has some
    weight among its children in use (else its share would have nowhere to go)."""
    if group_weights is None:
        return
    if not groups:
        raise AppraisalError("the criteria file has no [[groups]] to weight", key=(key,))
    known = {g.id for g in groups}
    for gid, w in group_weights.items():
        if gid not in known:
            raise AppraisalError(f"unknown group '{gid}' (groups: {', '.join(sorted(known))})", key=(key, gid))
        if why := weight_problem(w):
            raise AppraisalError(why, key=(key, gid))
    for g in groups:
        if g.id not in group_weights:
            raise AppraisalError(f"no weight for group '{g.id}'", key=(key,))
    in_use = {c.id for c in criteria if c.id not in disabled}
    for g in groups:
        if any(c in in_use for c in subtree_criteria(groups, criteria, g.id)):
            in_use.add(g.id)
    node_weight = {**{c.id: weights[c.id] for c in criteria}, **group_weights}
    names = {g.id: g.name for g in groups}

    def visit(node: str | None) -> None:
        kids = [k for k in children(groups, criteria, node) if k in in_use]
        if not kids:
            return
        if not any(node_weight[k] > 0 for k in kids):
            where = "at the top of the tree" if node is None else f"within group '{names[node]}'"
            has_groups = any(k in known for k in kids)
            raise AppraisalError(f"weights {where} are all zero on the criteria in use", key=(key if has_groups else "weights",))
        for k in kids:
            if k in known and node_weight[k] > 0:
                visit(k)

    visit(None)


def subtree_weight_sums(groups: tuple[CriteriaGroup, ...], criteria: tuple[Criterion, ...], weights: Mapping[str, float],
                        disabled: frozenset[str]) -> dict[str, float]:
    """Each group's weight as the sum of its criteria's global weights (those in use; all of them when
    none is): as group weights they leave every effective share as it was."""
    out = {}
    for g in groups:
        ids = subtree_criteria(groups, criteria, g.id)
        used = [c for c in ids if c not in disabled]
        out[g.id] = float(sum(weights[c] for c in (used or ids)))
    return out
