"""Appraisal -> CSV text: the wide score matrix (criteria as rows, options as columns; the layout
`appraisal import` reads back) and the long form (one row per cell) for pivot tables. UTF-8 with a BOM
so Excel opens accents correctly. Text from the file is neutralised (`safe_text.csv_text`): a name
starting with `=` is text in a spreadsheet, never a formula."""

from __future__ import annotations

import csv
import io

from ..engine import Evaluation
from ..io.sheet_layout import COST_ROW, FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW, TREE_HEAD, LONG_HEAD
from ..engine.tree import group_shares, tree_from
from ..model import Appraisal
from .safe_text import csv_text as _t
from .tree import display_order, group_subtotals



def _n(x: float) -> str:
    if x != x:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _share(x: float) -> str:
    return f"{x + 0.0:.6f}"  # + 0.0: a weight of -0.0 has the share 0.000000, not -0.000000


def _tree_columns(a: Appraisal) -> bool:
    return bool(a.groups) or any(c.measured for c in a.criteria) or a.has_costs or bool(a.cost_unit)


def matrix_rows(a: Appraisal, ev: Evaluation) -> list[list[str]]:
    """With groups or natural units, Group and Unit columns follow Share, and measured criteria hold their
    measures (the import derives the scores again); with groups, rows follow the tree, each group's row
    giving its weight (blank when weights are global) and the options' subtotals; with costs, a Cost row
    follows In ranking."""
    tree = _tree_columns(a)
    pad = [""] * (len(HEAD) - 1 + (len(TREE_HEAD) if tree else 0))
    group_name = {g.id: g.name for g in a.groups}
    rows = [HEAD + (TREE_HEAD if tree else []) + [_t(o.name) for o in a.options]]
    rows.append([ID_ROW, *pad] + [o.id for o in a.options])
    rows.append([IN_RANKING_ROW, *pad] + ["no" if o.excluded else "yes" for o in a.options])
    if a.has_costs or a.cost_unit:  # a cost unit with no costs yet still reads back
        rows.append([COST_ROW, *pad[:-1], _t(a.cost_unit)] + ["" if o.cost is None else _n(o.cost) for o in a.options])  # its unit in Unit
    subtotals = group_subtotals(a) if a.groups else None
    gshares = group_shares(tree_from(a), ev.shares) if a.groups else None
    for kind, j, _ in display_order(a):
        if kind == "group":  # its weight (blank when weights are global) and each option's weighted subtotal
            g = a.groups[j]
            weight = "" if a.group_weights is None else _n(a.group_weights[g.id])
            rows.append([_t(g.name), g.id, "", weight, _share(gshares[j]), _t(group_name.get(g.parent or "", "")), ""] + [_n(v) for v in subtotals[:, j]])
            continue
        c = a.criteria[j]
        column = (a.measure_matrix if c.measured and a.measure_matrix is not None else a.score_matrix)[:, j]
        cells = ["missing" if v != v else _n(v) for v in column.tolist()]
        extra = [_t(group_name.get(c.group or "", "")), _t(c.unit)] if tree else []
        rows.append([_t(c.name), c.id, "no" if c.id in a.disabled else "yes", _n(a.weights[c.id]), _share(ev.shares[j]), *extra] + cells)
    totals = [ev.unweighted, ev.weighted, [round(x, 4) for x in ev.percent]]
    for k, label in enumerate(FOOTER_ROWS):
        if k < 3:
            values = [_n(v) for v in totals[k]]
        else:
            ranks = ev.rank_unweighted if k == 3 else ev.rank_weighted
            values = ["excluded" if o.excluded else (str(int(r)) if r else "") for o, r in zip(a.options, ranks)]
        rows.append([label, *pad] + values)
    return rows


def long_rows(a: Appraisal, ev: Evaluation) -> list[list[str]]:
    """One row per option and criterion; with costs, each option's cost and the cost unit on its rows; with
    groups, then one row per group in tree order (no option; its weight, blank when weights are global,
    its share and its parent in `group`), so group weights read back."""
    tree = _tree_columns(a)
    costs = a.has_costs or bool(a.cost_unit)  # a cost unit with no costs yet still reads back
    rows = [list(LONG_HEAD) + (["group", "unit", "measure"] if tree else []) + (["cost", "cost_unit"] if costs else [])]
    cost_unit = _t(a.cost_unit)
    cells = a.cells
    scores, measures = cells.scores.tolist(), None if cells.measures is None else cells.measures.tolist()
    level: dict[float, str] = {}  # score -> its level's label, neutralised
    crit = [(c.id, _t(c.name), _n(a.weights[c.id]), _share(ev.shares[j]), "no" if c.id in a.disabled else "yes",
             [c.group or "", _t(c.unit)]) for j, c in enumerate(a.criteria)]
    m = len(a.criteria)
    for i, o in enumerate(a.options):
        name, in_ranking, cost = _t(o.name), "no" if o.excluded else "yes", "" if o.cost is None else _n(o.cost)
        for j, (cid, cname, weight, share, in_use, tree_cols) in enumerate(crit):
            score = scores[i][j]
            if score != score:
                shown, label = "missing", ""
            else:
                shown = _n(score)
                label = level.get(score)
                if label is None:
                    label = level[score] = _t(a.scale.label_for(score))
            note = cells.note(i * m + j)
            row = [o.id, name, cid, cname, shown, label, _t(note.label or ""), weight, share, in_use, in_ranking, _t(note.rationale)]
            if tree:
                measure = measures[i][j] if measures is not None else float("nan")
                row += [*tree_cols, "" if measure != measure else _n(measure)]
            if costs:
                row += [cost, cost_unit]
            rows.append(row)
    if a.groups:
        gshares = group_shares(tree_from(a), ev.shares)
        for kind, k, _ in display_order(a):
            if kind == "group":
                g = a.groups[k]
                weight = "" if a.group_weights is None else _n(a.group_weights[g.id])
                row = ["", "", g.id, _t(g.name), "", "", "", weight, _share(gshares[k]), "", "", "", g.parent or "", "", ""]
                rows.append(row + (["", ""] if costs else []))
    return rows


def to_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + buf.getvalue()
