"""Appraisal -> the values the xlsx Scores sheet's formulas compute, worked out the way a spreadsheet
works them out, so each formula can carry its value for readers that never recalculate. They equal the
engine's (a slow test recalculates the workbook in LibreOffice and compares both)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.core import TIE_RTOL
from ..model import Appraisal

Value = float | str  # a number, or the text the formula shows: "missing", "excluded"


@dataclass(frozen=True)
class SheetTotals:
    shares: list[float]
    unweighted: list[Value]
    weighted: list[Value]
    percent: list[Value]
    rank_unweighted: list[Value]
    rank_weighted: list[Value]


def _ranks(totals: list[Value], in_ranking: list[bool]) -> list[Value]:
    """1 + how many options in the ranking have a larger total (beyond the engine's tie tolerance)."""
    numbers = [t for t in totals if isinstance(t, float)]
    tol = TIE_RTOL * max([1.0, *numbers, *(-t for t in numbers)])
    out: list[Value] = []
    for t, ranked in zip(totals, in_ranking):
        if not ranked:
            out.append("excluded")
        elif not isinstance(t, float):
            out.append("missing")
        else:
            out.append(1 + sum(1 for u, r in zip(totals, in_ranking) if r and isinstance(u, float) and u > t + tol))
    return out


def sheet_totals(a: Appraisal) -> SheetTotals:
    active = [c.id not in a.disabled for c in a.criteria]
    weights = [float(a.weights[c.id]) for c in a.criteria]
    in_use = sum(w for w, on in zip(weights, active) if on)
    shares = [w / in_use if on else 0.0 for w, on in zip(weights, active)]
    unweighted: list[Value] = []
    weighted: list[Value] = []
    percent: list[Value] = []
    for row in a.cells.scores.tolist():  # NaN where missing
        scores = [s for s, on in zip(row, active) if on]
        if any(s != s for s in scores):
            unweighted.append("missing")
            weighted.append("missing")
            percent.append("missing")
            continue
        total = sum(w * s for w, s, on in zip(weights, row, active) if on)
        unweighted.append(float(sum(scores)))
        weighted.append(float(total))
        percent.append(total / (a.scale.max * in_use) * 100)
    in_ranking = [not o.excluded for o in a.options]
    return SheetTotals(shares, unweighted, weighted, percent, _ranks(unweighted, in_ranking), _ranks(weighted, in_ranking))


# --- the Scores sheet of a value tree (reports/xlsx_tree.py) --------------------------------------

@dataclass(frozen=True)
class TreeRow:
    """One row of the tree-shaped Scores sheet: a group (its subtotals) or a criterion, in tree order."""

    kind: str  # "group", "scale" (scored on the scale) or "measure" (a measure and its derived score)
    index: int  # the group's or the criterion's position in the appraisal
    depth: int
    parent: int | None  # position (in the rows) of the parent group's row; None at the top
    children: tuple[int, ...] = ()  # a group's: positions of its children's rows
    last: int = -1  # a group's: position of the last row of its subtree (rows after it up to here)


def tree_rows(a: Appraisal) -> list[TreeRow]:
    """Depth first, groups before criteria at each level (as every tree-shaped export): so a group's
    subtree is the block of rows right below it."""
    rows: list[TreeRow] = []
    kids: dict[int | None, list[int]] = {}

    def walk(gid: str | None, parent: int | None, depth: int) -> None:
        for k, g in enumerate(a.groups):
            if g.parent == gid:
                at = len(rows)
                rows.append(TreeRow("group", k, depth, parent))
                kids.setdefault(parent, []).append(at)
                walk(g.id, at, depth + 1)
                rows[at] = TreeRow("group", k, depth, parent, tuple(kids.get(at, ())), len(rows) - 1)
        for j, c in enumerate(a.criteria):
            if c.group == gid:
                kids.setdefault(parent, []).append(len(rows))
                rows.append(TreeRow("measure" if c.measured else "scale", j, depth, parent))

    walk(None, None, 0)
    return rows


def top_rows(rows: list[TreeRow]) -> list[int]:
    return [r for r, row in enumerate(rows) if row.parent is None]


@dataclass(frozen=True)
class TreeTotals:
    rows: list[TreeRow]
    in_use: list[bool]  # per row: a criterion switched on; a group with a criterion in use below it
    weight_in_use: list[float]  # per row: its weight when in use (a group's: its own, or its children's when weights are global)
    children_weight: list[float | None]  # per row: a group's children's weights in use
    local: list[float]  # per row: its share among its siblings
    share: list[float]  # per row: its effective share, the product of the local shares down its path
    top_weight: float
    top_share: float
    derived: list[list[Value]]  # [option][row]: a measure row's derived score (or "missing"); "" elsewhere
    subtotals: list[list[Value]]  # [option][row]: a group row's subtotal; "" elsewhere
    unweighted: list[Value]
    weighted: list[Value]
    percent: list[Value]
    rank_unweighted: list[Value]
    rank_weighted: list[Value]
    value_per_cost: list[Value]
    frontier: list[str]  # "yes", "no", or "" (excluded, no value or no cost)


def _per_cost(a: Appraisal, weighted: list[Value]) -> list[Value]:
    out: list[Value] = []
    for o, w in zip(a.options, weighted):
        if o.excluded:
            out.append("excluded")
        elif not isinstance(w, float):
            out.append("missing")
        else:
            out.append(w / o.cost if o.cost is not None and o.cost > 0 else "")
    return out


def _frontier(a: Appraisal, weighted: list[Value]) -> list[str]:
    """'yes' when no other option in the ranking gives at least the value for at most the cost, one of
    the two beyond the engine's tolerance (as engine.frontier, with the sheet's tolerances)."""
    ok = [not o.excluded and isinstance(w, float) and o.cost is not None for o, w in zip(a.options, weighted)]
    values = [w for w in weighted if isinstance(w, float)]
    costs = [float(o.cost) for o in a.options if o.cost is not None]
    vt = TIE_RTOL * max([1.0, *values, *(-v for v in values)])
    ct = TIE_RTOL * max([1.0, *costs, *(-c for c in costs)])
    out = []
    for i, o in enumerate(a.options):
        if not ok[i]:
            out.append("")
            continue
        v, c = weighted[i], float(o.cost)  # type: ignore[arg-type]
        beaten = any(ok[k] and weighted[k] >= v - vt and p.cost <= c + ct and (weighted[k] > v + vt or p.cost < c - ct)  # type: ignore[operator]
                     for k, p in enumerate(a.options))
        out.append("no" if beaten else "yes")
    return out


def tree_totals(a: Appraisal) -> TreeTotals:
    """The tree sheet's values, worked in its order: weights in use, children's weights, local shares,
    effective shares (parents first), then, per option, scores, subtotals and totals as top-level weight
    x the sum of effective share x score (scored rows, then measured rows)."""
    rows = tree_rows(a)
    crit_on = [c.id not in a.disabled for c in a.criteria]
    in_use: list[bool] = []
    for row in rows:
        if row.kind == "group":
            in_use.append(False)  # filled below, once its subtree is known
        else:
            in_use.append(crit_on[row.index])
    for r in reversed(range(len(rows))):  # children come after their group: fill from the bottom up
        if rows[r].kind == "group":
            in_use[r] = any(in_use[k] for k in range(r + 1, rows[r].last + 1) if rows[k].kind != "group")
    weight = [0.0] * len(rows)
    below: list[float | None] = [None] * len(rows)
    for r in reversed(range(len(rows))):
        row = rows[r]
        if row.kind != "group":
            weight[r] = float(a.weights[a.criteria[row.index].id]) if in_use[r] else 0.0
            continue
        below[r] = float(sum(weight[k] for k in row.children))
        if a.group_weights is None:
            weight[r] = below[r]  # type: ignore[assignment]
        else:
            weight[r] = float(a.group_weights[a.groups[row.index].id]) if in_use[r] else 0.0
    top = top_rows(rows)
    top_weight = float(sum(weight[r] for r in top))
    local, share = [0.0] * len(rows), [0.0] * len(rows)
    for r, row in enumerate(rows):  # parents come first
        total = top_weight if row.parent is None else below[row.parent]
        local[r] = weight[r] / total if total and total > 0 else 0.0
        share[r] = local[r] if row.parent is None else local[r] * share[row.parent]
    top_share = float(sum(share[r] for r in top))
    matrix = [[None if x != x else x for x in row] for row in a.cells.scores.tolist()]  # None where missing

    def sum_over(first: int, last: int, i: int, derived: list[Value]) -> Value:
        scored = [(r, matrix[i][rows[r].index]) for r in range(first, last + 1) if rows[r].kind == "scale"]
        measured = [(r, derived[r]) for r in range(first, last + 1) if rows[r].kind == "measure"]
        if any(s is None or s == "missing" for r, s in scored + measured if in_use[r]):
            return "missing"
        part = sum(share[r] * s for r, s in scored if s is not None) + sum(share[r] * s for r, s in measured if isinstance(s, float))
        return top_weight * part

    derived_all, subtotals_all, unweighted, weighted, percent = [], [], [], [], []
    for i, o in enumerate(a.options):
        derived: list[Value] = []
        for row in rows:
            if row.kind != "measure":
                derived.append("")
            else:
                s = matrix[i][row.index]
                derived.append("missing" if s is None else float(s))
        derived_all.append(derived)
        subtotals_all.append([sum_over(r + 1, row.last, i, derived) if row.kind == "group" else "" for r, row in enumerate(rows)])
        total = sum_over(0, len(rows) - 1, i, derived)
        weighted.append(total)
        if total == "missing":
            unweighted.append("missing")
            percent.append("missing")
            continue
        scored = sum(matrix[i][row.index] for r, row in enumerate(rows) if row.kind == "scale" and in_use[r])  # type: ignore[misc]
        measured = sum(derived[r] for r, row in enumerate(rows) if row.kind == "measure" and in_use[r])  # type: ignore[misc]
        unweighted.append(float(scored + measured))
        percent.append(total / (a.scale.max * top_weight) * 100)  # type: ignore[operator]
    in_ranking = [not o.excluded for o in a.options]
    return TreeTotals(rows, in_use, weight, below, local, share, top_weight, top_share, derived_all, subtotals_all,
                      unweighted, weighted, percent, _ranks(unweighted, in_ranking), _ranks(weighted, in_ranking),
                      _per_cost(a, weighted), _frontier(a, weighted))
