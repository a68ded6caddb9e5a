"""The value tree, measures and value for money -> what the workshop app shows of them: the matrix's
group rows (each option's subtotal, the group's weight and share) and which rows a folded group hides,
a measure cell's text (`£18.5m → 3.6`), a value function's curve with each option placed on it, and
each option's value against its cost with the efficient frontier. Computed here; the app only draws."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..engine import Evaluation, Problem
from ..engine.tree import group_shares, group_totals, tree_from
from ..engine.value import curve
from ..model import Appraisal
from .numbers import fmt, fmt_all, fmt_nonzero, with_unit
from .tree import describe_value, display_order, value_for_money


# --- the matrix's rows: groups and the criteria under them ------------------------------------------

@dataclass(frozen=True)
class TreeRow:
    """One row of the tree-shaped matrix: a group (its subtotals) or a criterion, in display order."""

    kind: Literal["group", "criterion"]
    index: int  # the group's position in `groups`, or the criterion's in `criteria`
    depth: int  # 0 at the top of the tree
    id: str
    ancestors: tuple[str, ...]  # the groups it sits in, nearest first


@dataclass(frozen=True, eq=False)
class TreeLayout:
    """Every row of the tree, depth first (a group, then its subgroups, then its criteria)."""

    rows: tuple[TreeRow, ...]

    def visible(self, folded: frozenset[str] = frozenset()) -> tuple[TreeRow, ...]:
        """The rows shown when the groups in `folded` are folded: a folded group shows only its own row."""
        if not folded:
            return self.rows
        return tuple(r for r in self.rows if folded.isdisjoint(r.ancestors))

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rows if r.kind == "group")

    def enclosing(self, node: str) -> str | None:
        """The group a criterion or group sits in (None at the top)."""
        row = next((r for r in self.rows if r.id == node), None)
        return row.ancestors[0] if row is not None and row.ancestors else None


# Layouts by (groups, criteria), holding the tuples so their ids are not reused while cached: edits keep
# them, so every view of one appraisal shares one layout.
_LAYOUTS: OrderedDict[tuple[int, int], tuple[tuple, tuple, TreeLayout]] = OrderedDict()


def tree_layout(a: Appraisal) -> TreeLayout | None:
    """The matrix's rows for a value tree; None for a flat appraisal (its rows are the criteria as listed)."""
    if not a.groups:
        return None
    key = (id(a.groups), id(a.criteria))
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is a.groups and hit[1] is a.criteria:
        return hit[2]
    parent = {g.id: g.parent for g in a.groups}

    def chain(group: str | None) -> tuple[str, ...]:
        out = []
        while group is not None:
            out.append(group)
            group = parent[group]
        return tuple(out)

    rows = []
    for kind, k, depth in display_order(a):
        if kind == "group":
            g = a.groups[k]
            rows.append(TreeRow("group", k, depth, g.id, chain(g.parent)))
        else:
            c = a.criteria[k]
            rows.append(TreeRow("criterion", k, depth, c.id, chain(c.group)))
    layout = TreeLayout(tuple(rows))
    _LAYOUTS[key] = (a.groups, a.criteria, layout)
    if len(_LAYOUTS) > 32:
        _LAYOUTS.popitem(last=False)
    return layout


@dataclass(frozen=True)
class GroupLine:
    """What a group's row shows: its weight (as printed; '' when weights are global and groups only
    give subtotals), its share of the whole, and each option's subtotal (weight x score over its criteria)."""

    id: str
    name: str
    weight: str
    weight_changed: bool
    share: str  # "52.6%", or "off" when every criterion below it is switched off
    subtotals: tuple[str, ...]  # per option, as printed ("–" where a score below it is missing)
    values: tuple[float, ...]  # the same, as numbers (NaN where missing)
    local_share: float  # among its siblings (groups and criteria at its level)


def group_lines(a: Appraisal, baseline: Appraisal, p: Problem, ev: Evaluation) -> dict[str, GroupLine]:
    """Every group's row, by group id (the subtotals are those of `appraisal rank --format json`)."""
    if not a.groups:
        return {}
    from ..engine.tree import local_shares

    t = tree_from(a)
    totals = group_totals(t, p.scores, p.weights, p.criterion_active)  # (n, G)
    shares = group_shares(t, ev.shares)
    raw = np.array([a.weights[c.id] for c in a.criteria], dtype=float)
    local = local_shares(t, raw, p.criterion_active)
    in_use = (p.criterion_active.astype(float) @ t.member) > 0
    pct = fmt_all([float(shares[k]) * 100 for k in range(t.size) if in_use[k]], 1)
    share_text, used = [], iter(pct)
    for k in range(t.size):
        share_text.append(next(used) + "%" if in_use[k] else "off")
    weights = a.group_weights
    before = baseline.group_weights
    # Three decimals where needed: group weights are often fractions (0.6, 0.45), and a nudge must show.
    weight_text = fmt_all([float(weights[g.id]) for g in a.groups], 3) if weights is not None else [""] * t.size
    out = {}
    for k, g in enumerate(a.groups):
        column = [float(x) for x in totals[:, k]]
        changed = weights is not None and (before is None or before.get(g.id) != weights[g.id])
        out[g.id] = GroupLine(g.id, g.name, weight_text[k] + ("*" if changed else ""), changed, share_text[k],
                              tuple(fmt_all(column, 1, column=True)), tuple(column), float(local[k]))
    return out


# --- a measure cell -----------------------------------------------------------------------------------

def measure_texts(measure: float | None, unit: str, score: float | None) -> tuple[str, str]:
    """A measured cell as read, whole and short: ('15 months → 45', '15 → 45'); ('– missing', ...) without one."""
    if measure is None or score is None:
        return "– missing", "– missing"
    derived = fmt_nonzero(score, 2)
    return f"{with_unit(measure, unit)} → {derived}", f"{fmt(measure, 2)} → {derived}"


# --- a value function with each option on it ----------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    """One option on a value function's curve."""

    label: str
    name: str
    measure: float | None
    score: float | None  # derived from the measure
    measure_text: str  # "15 months"
    score_text: str  # "45"
    excluded: bool
    was: str = ""  # the measure as loaded, where it has changed ("9 months")


@dataclass(frozen=True)
class ValueFunctionView:
    """A natural-unit criterion's value function: its points, the curve between them (clamped at the
    ends), and each option at its measure with the score it derives."""

    criterion: str  # id
    name: str
    unit: str
    better: str  # "higher" | "lower"
    kind: str  # "linear" | "piecewise"
    words: str  # the function in words
    points: tuple[tuple[float, float], ...]  # (measure, score), increasing measure
    point_texts: tuple[tuple[str, str], ...]  # the same as printed ("6 months", "100")
    scale_min: float
    scale_max: float
    low: float  # the measures the chart spans: every point and every option's measure
    high: float
    options: tuple[Placed, ...]

    def samples(self, columns: int) -> list[tuple[float, float]]:
        """(measure, score) at `columns` measures evenly spread from `low` to `high`: the curve to draw."""
        xs = np.linspace(self.low, self.high, max(2, columns))
        c = curve(list(self.points))
        return list(zip(xs.tolist(), c.scores(xs).tolist()))

    def column_of(self, measure: float, columns: int) -> int:
        """The column (of `columns` across the chart) where a measure falls."""
        span = (self.high - self.low) or 1.0
        return max(0, min(columns - 1, int(round((measure - self.low) / span * (columns - 1)))))


def value_function_view(a: Appraisal, criterion: str, baseline: Appraisal | None = None) -> ValueFunctionView | None:
    """None when the criterion is scored directly on the scale (it has no value function)."""
    c = a.criterion(criterion)
    if c.value is None:
        return None
    points = tuple((float(x), float(y)) for x, y in c.value.curve(a.scale))
    placed = []
    for o in a.options:
        cell = a.cell(o.id, criterion)
        was = ""
        if baseline is not None and o.id in baseline.option_index and criterion in baseline.criterion_index:
            old = baseline.cell(o.id, criterion).measure
            if old != cell.measure:
                was = with_unit(old, c.unit)
        placed.append(Placed(o.label, o.name, cell.measure, cell.score, with_unit(cell.measure, c.unit),
                             fmt_nonzero(cell.score, 2) if cell.score is not None else "–", o.excluded, was))
    xs = [x for x, _ in points] + [p.measure for p in placed if p.measure is not None and math.isfinite(p.measure)]
    low, high = min(xs), max(xs)
    if high == low:
        low, high = low - 1, high + 1
    texts = tuple((with_unit(x, c.unit), fmt(y, 2)) for x, y in points)
    return ValueFunctionView(c.id, c.name, c.unit, c.better, c.value.type, describe_value(a, a.criterion_index[criterion]), points, texts,
                             float(a.scale.min), float(a.scale.max), float(low), float(high), tuple(placed))


# --- value against cost, with the efficient frontier --------------------------------------------------

@dataclass(frozen=True)
class MoneyRow:
    option: str  # id
    label: str
    name: str
    cost: float | None
    value: float | None  # the weighted total
    cost_text: str
    value_text: str
    per_cost_text: str  # value per unit of cost ("124 per £m"), "–" without a cost
    on_frontier: bool
    excluded: bool
    beaten_by: tuple[str, ...] = ()  # labels of options giving at least its value for no more cost


@dataclass(frozen=True)
class FrontierStep:
    """One step along the frontier: what the dearer option adds, and at what price per unit of value."""

    from_label: str
    to_label: str
    extra_cost: str
    extra_value: str
    per_extra_cost: str


@dataclass(frozen=True)
class ValueForMoneyView:
    cost_unit: str
    rows: tuple[MoneyRow, ...]  # in the appraisal's order
    frontier: tuple[str, ...]  # option ids on the frontier, cheapest first
    steps: tuple[FrontierStep, ...]
    sentences: tuple[str, ...]
    cost_low: float  # the chart's ranges: every option with a cost and a value
    cost_high: float
    value_low: float
    value_high: float


def value_for_money_view(a: Appraisal, p: Problem, ev: Evaluation) -> ValueForMoneyView | None:
    """None when no option has a cost. The frontier and value per cost are the ranking report's
    (`reports.tree.value_for_money`, from `engine.frontier`)."""
    vfm = value_for_money(a, p, ev)
    if vfm is None:
        return None
    unit = vfm["cost_unit"]
    per_unit = f" per {unit}" if unit else " per unit of cost"
    label = {o.id: o.label for o in a.options}
    values = [float(v) for v in ev.weighted]
    in_play = [bool(r > 0) for r in ev.rank_weighted]
    value_texts = fmt_all([v if ok else None for v, ok in zip(values, in_play)], 1)
    per = vfm["value_per_cost"]
    per_texts = dict(zip(per, fmt_all(list(per.values()), 1)))
    on = set(vfm["frontier"])
    rows = []
    for i, o in enumerate(a.options):
        rows.append(MoneyRow(o.id, o.label, o.name, o.cost, values[i] if in_play[i] else None,
                             with_unit(o.cost, unit) if o.cost is not None else "no cost",
                             value_texts[i] if in_play[i] else ("excluded" if o.excluded else "–"),
                             per_texts[o.id] + per_unit if o.id in per_texts else "–",
                             o.id in on, o.excluded, tuple(label[x] for x in vfm["off_frontier"].get(o.id, []))))
    steps = tuple(FrontierStep(label[s["from"]], label[s["to"]], with_unit(s["extra_cost"], unit), fmt(s["extra_value"], 2),
                               fmt(s["value_per_extra_cost"], 2) + per_unit if s["value_per_extra_cost"] is not None else "–")
                  for s in vfm["steps"])
    by_id = {r.option: r for r in rows}
    sentences = []
    if vfm["frontier"]:
        path = " → ".join(f"{by_id[x].label} ({by_id[x].cost_text}, {by_id[x].value_text})" for x in vfm["frontier"])
        sentences.append(f"On the frontier, cheapest first: {path}.")
    for s in steps:
        sentences.append(f"{s.to_label} adds {s.extra_value} of value to {s.from_label} for {s.extra_cost} more: {s.per_extra_cost}.")
    for r in rows:
        if r.beaten_by:
            sentences.append(f"{r.label} is off the frontier: {' and '.join(r.beaten_by)} give{'s' if len(r.beaten_by) == 1 else ''} "
                             "at least as much value for no more cost.")
    if vfm["no_cost"]:
        sentences.append(f"No cost given for {', '.join(label[x] for x in vfm['no_cost'])}: not placed.")
    placed = [r for r in rows if r.cost is not None and r.value is not None]
    costs = [r.cost for r in placed] or [0.0]
    vals = [r.value for r in placed] or [0.0]
    return ValueForMoneyView(unit, tuple(rows), tuple(vfm["frontier"]), steps, tuple(sentences),
                             float(min(0.0, min(costs))), float(max(costs)), float(min(vals)), float(max(vals)))


__all__ = ["FrontierStep", "GroupLine", "MoneyRow", "Placed", "TreeLayout", "TreeRow", "ValueForMoneyView", "ValueFunctionView",
           "group_lines", "measure_texts", "tree_layout", "value_for_money_view", "value_function_view"]
