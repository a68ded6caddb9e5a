"""The value tree and value for money as report data: groups with their weights and shares, each option's
group subtotals, each criterion's group and effective share, and the efficient frontier of value
against cost. Part of the ranking report (`appraisal rank --format json`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.core import Evaluation
from ..engine.frontier import dominated_for_money, efficient_frontier, value_per_cost
from ..engine.problem import Problem
from ..engine.tree import group_shares, group_totals, local_shares, node_weights, tree_from
from ..model import Appraisal


def _num(x: float | None) -> float | int | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, np.floating) and np.isnan(x)):
        return None
    x = float(x)
    return int(x) if x.is_integer() else x


def raw_weights(a: Appraisal) -> np.ndarray:
    return np.array([a.weights[c.id] for c in a.criteria], dtype=float)


def tree_parts(a: Appraisal, p: Problem, ev: Evaluation) -> dict[str, Any]:
    """groups, per-option group_totals, per-criterion group/local_share, value_for_money."""
    if not a.groups:  # flat: local shares are the shares, and there is nothing to subtotal (kept cheap: every rank pays)
        return {
            "groups": [],
            "group_totals": [{} for _ in a.options],
            "criteria": [{"group": None, "local_share": _num(ev.shares[j]), "unit": c.unit or None, "measured": c.measured}
                         for j, c in enumerate(a.criteria)],
            "value_for_money": value_for_money(a, p, ev),
        }
    t = tree_from(a)
    G = t.size
    local = local_shares(t, raw_weights(a), p.criterion_active)
    node_w = node_weights(t, raw_weights(a), p.criterion_active)
    gshare = group_shares(t, ev.shares)
    totals = group_totals(t, p.scores, p.weights, p.criterion_active)
    groups = [
        {"id": g.id, "name": g.name, "parent": g.parent, "weight": _num(a.group_weights[g.id] if a.group_weights is not None else node_w[k]),
         "share": _num(gshare[k]), "local_share": _num(local[k]), "depth": int(t.depth[k])}
        for k, g in enumerate(a.groups)
    ]
    return {
        "groups": groups,
        "group_totals": [{g.id: _num(totals[i, k]) for k, g in enumerate(a.groups)} for i in range(len(a.options))],
        "criteria": [{"group": c.group, "local_share": _num(local[G + j]), "unit": c.unit or None,
                      "measured": c.measured} for j, c in enumerate(a.criteria)],
        "value_for_money": value_for_money(a, p, ev),
    }


def value_for_money(a: Appraisal, p: Problem, ev: Evaluation) -> dict[str, Any] | None:
    """The frontier (cheapest first), value per unit of cost, what each step along the frontier buys,
    and, for each option off it, the options that give more for less. None when no option has a cost."""
    if not a.has_costs:
        return None
    ids = p.options
    costs = np.array([np.nan if o.cost is None else o.cost for o in a.options], dtype=float)
    in_play = ev.rank_weighted > 0
    frontier = efficient_frontier(ev.weighted, costs, in_play)
    per = value_per_cost(ev.weighted, costs)
    dom = dominated_for_money(ev.weighted, costs, in_play)
    steps = [
        {"from": ids[x], "to": ids[y], "extra_cost": _num(costs[y] - costs[x]), "extra_value": _num(ev.weighted[y] - ev.weighted[x]),
         "value_per_extra_cost": _num((ev.weighted[y] - ev.weighted[x]) / (costs[y] - costs[x])) if costs[y] > costs[x] else None}
        for x, y in zip(frontier, frontier[1:])
    ]
    return {
        "cost_unit": a.cost_unit,
        "frontier": [ids[i] for i in frontier],
        "value_per_cost": {ids[i]: _num(per[i]) for i in range(len(ids)) if in_play[i] and not math.isnan(costs[i])},
        "steps": steps,
        "off_frontier": {ids[b]: [ids[x] for x in np.flatnonzero(dom[:, b])] for b in range(len(ids)) if dom[:, b].any()},
        "no_cost": [ids[i] for i in range(len(ids)) if math.isnan(costs[i])],
    }


# --- the tree as rows, for exports ------------------------------------------------------------------

def group_subtotals(a: Appraisal) -> np.ndarray:
    """(n, G) each option's weighted subtotal on each group."""
    from ..engine.problem import problem_from

    p = problem_from(a)
    return group_totals(tree_from(a), p.scores, p.weights, p.criterion_active)


def display_order(a: Appraisal) -> list[tuple[str, int, int]]:
    """Rows of a tree-shaped table, depth first: ("group", k, depth) then its subgroups and criteria,
    ("criterion", j, depth). Groups come before criteria at each level, each in file order; without
    groups, the criteria as listed."""
    rows: list[tuple[str, int, int]] = []

    def walk(node: str | None, depth: int) -> None:
        for k, g in enumerate(a.groups):
            if g.parent == node:
                rows.append(("group", k, depth))
                walk(g.id, depth + 1)
        for j, c in enumerate(a.criteria):
            if c.group == node:
                rows.append(("criterion", j, depth))

    walk(None, 0)
    return rows


def describe_value(a: Appraisal, j: int) -> str:
    """A value function in words: 'linear: 40 £m scores 1, 10 £m scores 5 (lower is better)'."""
    from .numbers import fmt, with_unit

    c = a.criteria[j]
    if c.value is None:
        return ""
    pts = [(c.value.worst, a.scale.min), (c.value.best, a.scale.max)] if c.value.type == "linear" else c.value.curve(a.scale)
    body = ", ".join(f"{with_unit(x, c.unit)} scores {fmt(y, 2)}" for x, y in pts)
    ends = "clamped beyond the ends" if c.value.type == "piecewise" else "clamped beyond"
    return f"{c.value.type}: {body}; linear between, {ends} ({c.better} is better)"


def cell_text(a: Appraisal, i: int, j: int) -> str:
    """A cell as read: '15 months → 45' for a measure, '4 Med-High' for a score, 'missing'."""
    from .numbers import fmt, with_unit

    k = i * len(a.criteria) + j
    return value_text(a, j, a.cells.score(k), a.cells.measure(k))


def value_text(a: Appraisal, j: int, score: float | None, measure: float | None) -> str:
    """cell_text from criterion j's score and measure."""
    from .numbers import fmt, with_unit

    if score is None:
        return "missing"
    if measure is not None:
        return f"{with_unit(measure, a.criteria[j].unit)} → {fmt(score, 2)}"
    return f"{fmt(score, 2)} {a.scale.label_for(score)}".strip()
