"""A value tree (groups, natural units, costs) -> the xlsx Scores sheet as live formulas, and a Value
functions sheet. Rows follow the tree (groups indented, each with its weight and each option's subtotal);
each node's local share (its weight in use over its siblings') and effective share (the product down its
path) are formulas of the weight cells, so changing a group's or a criterion's weight moves every share,
subtotal, total and rank. A measured criterion's cells hold the measure (in its unit, editable) and,
beside it, the score its value function gives (interpolated live between the points on the Value
functions sheet, clamped at the ends). Weighted totals are the top-level weight x the sum of effective
share x score, as the engine's effective weights give them; with costs, value per cost and the efficient
frontier follow the totals. Every formula carries its value (sheet_values.tree_totals).

Columns A-G are the wide CSV's (Criterion, id, In use, Weight, Share, Group, Unit), then two per option
(score or measure; label or derived score), then the helper columns the formulas work from, so
`appraisal import` reads the sheet back as it reads the CSV."""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..engine.core import TIE_RTOL
from ..io.sheet_layout import COST_ROW, FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW, TOP_WEIGHT_ROW, TREE_HEAD, TREE_HELPERS, VALUE_FOR_MONEY_ROWS
from ..model import Appraisal
from .numbers import CURRENCY
from .safe_text import xlsx_text
from .sheet_values import TreeRow, TreeTotals, top_rows, tree_totals
from .tree import describe_value
from .xlsx_book import Book, text

NAME, ID, USE, WEIGHT, SHARE, GROUP, UNIT = range(7)
OPTIONS = len(HEAD) + len(TREE_HEAD)  # the first option's column
VALUE_SHEET = "Value functions"
GROUP_FILL = "#E4ECF4"


def priced(a: Appraisal) -> bool:
    """Costs, or a cost unit to give them in: the sheet has a Cost row to type them into."""
    return a.has_costs or bool(a.cost_unit)


def uses_tree_sheet(a: Appraisal) -> bool:
    return bool(a.groups) or any(c.measured for c in a.criteria) or priced(a)


def score_col(i: int) -> int:
    return OPTIONS + 2 * i


def ref(r: int, c: int, *, fixed: bool = False) -> str:
    """A1 reference of 0-based (row, column); `fixed` gives $A$1."""
    return xl_rowcol_to_cell(r, c, row_abs=fixed, col_abs=fixed)


def span(r0: int, r1: int, c: int, *, fixed: bool = True) -> str:
    return f"{ref(r0, c, fixed=fixed)}:{ref(r1, c, fixed=fixed)}"


def runs(positions: list[int]) -> list[tuple[int, int]]:
    """Consecutive positions as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for p in positions:
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def unit_format(unit: str) -> str:
    """A number format showing the unit as people write it (£31.4m, 85%, 16 months); plain General when
    the unit holds a character a format cannot quote."""
    if not unit or any(ch in unit for ch in '"\\') or xlsx_text(unit) != unit or not unit.isprintable():
        return "General"
    if unit.startswith(CURRENCY):
        return f'"{unit[0]}"General' + (f'"{unit[1:]}"' if unit[1:] else "")
    if unit.startswith("%") or unit == "‰":
        return f'General"{unit}"'
    return f'General" {unit}"'


class Layout:
    """Where everything sits on the sheet (0-based rows and columns)."""

    def __init__(self, a: Appraisal, rows: list[TreeRow]):
        self.n = len(a.options)
        self.first = 4 if priced(a) else 3  # criteria and groups start below the header, ids, in-ranking (and cost) rows
        self.last = self.first + len(rows) - 1
        self.top = self.last + 1  # the top-level weight
        self.footer = self.top + 1  # unweighted, weighted, %, ranks
        self.money = self.footer + len(FOOTER_ROWS)  # value per cost, frontier
        self.end = self.money + (len(VALUE_FOR_MONEY_ROWS) if priced(a) else 0) - 1
        self.helpers = OPTIONS + 2 * self.n
        self.kind, self.win, self.below, self.local = range(self.helpers, self.helpers + len(TREE_HELPERS))
        self.cost = 3 if priced(a) else None

    def row(self, r: int) -> int:
        """Sheet row of tree row r."""
        return self.first + r

    def across(self, row: int) -> str:
        """One row over every option's columns: $H$9:$Q$9."""
        return f"{ref(row, OPTIONS, fixed=True)}:{ref(row, OPTIONS + 2 * self.n - 1, fixed=True)}"


class Formats:
    def __init__(self, book: Book, a: Appraisal):
        f = book.wb.add_format
        self.depth = [f({"indent": d}) for d in range(8)]
        self.group = [f({"indent": d, "bold": True, "bg_color": GROUP_FILL}) for d in range(8)]
        self.group_cell = f({"bold": True, "bg_color": GROUP_FILL})
        self.group_grey = f({"font_color": "#808080", "bg_color": GROUP_FILL})
        self.group_pct = f({"num_format": "0.0%", "bold": True, "bg_color": GROUP_FILL})
        self.group_num = f({"num_format": "0.0#", "italic": True, "bold": True, "bg_color": GROUP_FILL})
        self.helper = f({"font_color": "#808080", "num_format": "General"})
        self.helper_pct = f({"font_color": "#808080", "num_format": "0.0%"})
        self.derived = f({"num_format": '"→ "General'})
        self.value = f({"num_format": "0.0#", "bold": True})  # totals of shares x weights: 239.33, not 239.333333333
        self.cost = f({"num_format": unit_format(a.cost_unit)})
        self.units = {c.unit: f({"num_format": unit_format(c.unit)}) for c in a.criteria if c.measured}

    def name(self, row: TreeRow):
        return (self.group if row.kind == "group" else self.depth)[min(row.depth, 7)]


def tree_scores_sheet(book: Book, a: Appraisal) -> None:
    values = tree_totals(a)
    rows = values.rows
    at = Layout(a, rows)
    fm = Formats(book, a)
    ws = book.sheet("Scores", header_rows=at.first)
    points = _value_rows(a)
    for k, h in enumerate(HEAD + TREE_HEAD):
        ws.write_string(0, k, h, book.head)
    for k, h in enumerate(TREE_HELPERS):
        ws.write_string(0, at.helpers + k, h, book.head)
    ws.write_string(1, 0, ID_ROW, book.grey)
    ws.write_string(2, 0, IN_RANKING_ROW, book.bold)
    for i, o in enumerate(a.options):
        c = score_col(i)
        text(ws, 0, c, o.name, book, book.head)
        ws.write_string(0, c + 1, "label / score", book.grey)
        text(ws, 1, c, o.id, book, book.grey)
        ws.write_string(2, c, "no" if o.excluded else "yes")
    if at.cost is not None:
        ws.write_string(at.cost, 0, COST_ROW, book.bold)
        text(ws, at.cost, UNIT, a.cost_unit, book)
        for i, o in enumerate(a.options):
            if o.cost is not None:
                ws.write_number(at.cost, score_col(i), o.cost, fm.cost)
    top = f"{ref(at.top, WEIGHT, fixed=True)}"
    for r, row in enumerate(rows):
        _node_row(book, ws, a, at, fm, values, r, row, top)
        if row.kind == "group":
            _group_cells(ws, a, at, fm, values, r, row, top)
        else:
            _criterion_cells(book, ws, a, at, fm, values, r, row, points)
    _top_row(book, ws, at, values, rows)
    _totals(book, ws, a, at, fm, values, top)
    if priced(a):
        _value_for_money(book, ws, a, at, fm, values)
    _rules(book, ws, a, at, rows)
    ws.freeze_panes(at.first, OPTIONS)
    for col, width in ((NAME, 52), (ID, 18), (USE, 7), (WEIGHT, 8), (SHARE, 8), (GROUP, 22), (UNIT, 9)):
        ws.set_column(col, col, width)
    for i in range(at.n):
        ws.set_column(score_col(i), score_col(i), 13)
        ws.set_column(score_col(i) + 1, score_col(i) + 1, 10)
    ws.set_column(at.kind, at.kind, 9)
    ws.set_column(at.win, at.local, 10)
    longest = max(len(o.name) for o in a.options)
    ws.set_row(0, 15 * min(6, max(3, -(-longest // 12))))  # the options' names wrap in 13-character columns
    ws.print_area(0, 0, at.end, at.local)
    ws.repeat_columns(0, 0)
    _value_sheet(book, a, points)


def _node_row(book: Book, ws, a: Appraisal, at: Layout, fm: Formats, values: TreeTotals, r: int, row: TreeRow, top: str) -> None:
    """Name, id, group and the share columns every row has: local share = weight in use over the
    parent's children's weight (the top-level weight at the top); effective share = local x parent's."""
    x = at.row(r)
    node = a.groups[row.index] if row.kind == "group" else a.criteria[row.index]
    parent = a.groups[values.rows[row.parent].index].name if row.parent is not None else ""
    is_group = row.kind == "group"
    text(ws, x, NAME, node.name, book, fm.name(row))
    text(ws, x, ID, node.id, book, fm.group_grey if is_group else book.grey)
    text(ws, x, GROUP, parent, book, fm.group_cell if is_group else None)
    ws.write_string(x, at.kind, row.kind, book.grey)
    total = top if row.parent is None else ref(at.row(row.parent), at.below, fixed=True)
    ws.write_formula(x, at.local, f"=IF({total}>0,{ref(x, at.win)}/{total},0)", fm.helper_pct, values.local[r])
    share = ref(x, at.local) if row.parent is None else f"{ref(x, at.local)}*{ref(at.row(row.parent), SHARE, fixed=True)}"
    ws.write_formula(x, SHARE, f"={share}", fm.group_pct if is_group else book.pct, values.share[r])


def _sum_of(at: Layout, positions: list[int], col: int) -> str:
    """SUM over the given tree rows' cells in one column, contiguous rows as ranges."""
    parts = [ref(at.row(p), col, fixed=True) if p == q else span(at.row(p), at.row(q), col) for p, q in runs(positions)]
    return f"SUM({','.join(parts)})" if parts else "0"


def _block_sum(at: Layout, first: int, last: int, i: int, top: str) -> tuple[str, str]:
    """An option's weighted value over sheet rows first..last (0-based), as (gap, value): gap is true when a
    score in use is missing; value is top-level weight x (effective share x score over the scored rows +
    effective share x derived score over the measured rows)."""
    c = score_col(i)
    use, kind, share = span(first, last, USE), span(first, last, at.kind), span(first, last, SHARE)
    scores, derived = span(first, last, c, fixed=False), span(first, last, c + 1, fixed=False)
    gap = f'COUNTIFS({use},"yes",{kind},"scale",{scores},"missing")+COUNTIFS({use},"yes",{kind},"measure",{derived},"missing")>0'
    return gap, f'{top}*(SUMPRODUCT(({kind}="scale")*{share},{scores})+SUMPRODUCT(({kind}="measure")*{share},{derived}))'


def _weighted(at: Layout, first: int, last: int, i: int, top: str) -> str:
    gap, value = _block_sum(at, first, last, i, top)
    return f'=IF({gap},"missing",{value})'


def _group_cells(ws, a: Appraisal, at: Layout, fm: Formats, values: TreeTotals, r: int, row: TreeRow, top: str) -> None:
    """In use when a criterion below is; its weight (editable, when weights are local; blank when they are
    global and the group only subtotals); its children's weight in use; each option's subtotal."""
    x = at.row(r)
    block = span(at.row(r + 1), at.row(row.last), USE)
    ws.write_formula(x, USE, f'=IF(COUNTIF({block},"yes")>0,"yes","no")', fm.group_grey, "yes" if values.in_use[r] else "no")
    below = _sum_of(at, list(row.children), at.win)
    ws.write_formula(x, at.below, f"={below}", fm.helper, values.children_weight[r])
    if a.group_weights is None:
        ws.write_blank(x, WEIGHT, None, fm.group_cell)
        ws.write_formula(x, at.win, f"={ref(x, at.below)}", fm.helper, values.weight_in_use[r])
    else:
        ws.write_number(x, WEIGHT, a.group_weights[a.groups[row.index].id], fm.group_cell)
        ws.write_formula(x, at.win, f'=IF({ref(x, USE)}="yes",{ref(x, WEIGHT)},0)', fm.helper, values.weight_in_use[r])
    ws.write_blank(x, UNIT, None, fm.group_cell)
    for i in range(at.n):
        c = score_col(i)
        ws.write_formula(x, c, _weighted(at, at.row(r + 1), at.row(row.last), i, top), fm.group_num, values.subtotals[i][r])
        ws.write_blank(x, c + 1, None, fm.group_cell)


def _criterion_cells(book: Book, ws, a: Appraisal, at: Layout, fm: Formats, values: TreeTotals, r: int, row: TreeRow,
                     points: dict[int, tuple[int, int]]) -> None:
    x = at.row(r)
    crit = a.criteria[row.index]
    ws.write_string(x, USE, "no" if crit.id in a.disabled else "yes")
    ws.write_number(x, WEIGHT, a.weights[crit.id])
    text(ws, x, UNIT, crit.unit, book)
    ws.write_formula(x, at.win, f'=IF({ref(x, USE)}="yes",{ref(x, WEIGHT)},0)', fm.helper, values.weight_in_use[r])
    levels = len(a.scale.levels)
    cells, j, m = a.cells, row.index, len(a.criteria)
    given = cells.measures if row.kind == "measure" else cells.scores  # NaN where missing
    for i in range(at.n):
        c = score_col(i)
        value = float("nan") if given is None else float(given[i, j])  # measures are None when no cell has one
        if value != value:
            ws.write_string(x, c, "missing")
        else:
            ws.write_number(x, c, value, fm.units.get(crit.unit) if row.kind == "measure" else None)
        note = cells.note(i * m + j)
        if note.rationale or note.note:
            words = note.rationale + (f"\n\n{note.note}" if note.note else "")
            ws.write_comment(x, c, xlsx_text(words), {"author": "appraisal", "x_scale": 3, "y_scale": 3})
        if row.kind == "measure":
            ws.write_formula(x, c + 1, "=" + _derived(ref(x, c), *points[row.index]), fm.derived, values.derived[i][r])
        else:
            ws.write_formula(x, c + 1, f'=IFERROR(VLOOKUP({ref(x, c)},Scale!$A$2:$B${1 + levels},2,FALSE),"")', book.grey,
                             a.scale.label_for(None if value != value else value))


def _derived(m: str, first: int, last: int) -> str:
    """The score of measure cell `m` on the points in rows first..last (0-based) of the Value functions
    sheet: linear between the points either side (the same arithmetic as the engine), clamped at the ends."""
    xs = f"'{VALUE_SHEET}'!{span(first, last, 5)}"
    ys = f"'{VALUE_SHEET}'!{span(first, last, 6)}"
    x0, y0 = f"'{VALUE_SHEET}'!{ref(first, 5, fixed=True)}", f"'{VALUE_SHEET}'!{ref(first, 6, fixed=True)}"
    xn, yn = f"'{VALUE_SHEET}'!{ref(last, 5, fixed=True)}", f"'{VALUE_SHEET}'!{ref(last, 6, fixed=True)}"
    k = f"MATCH({m},{xs},1)"
    at_k = lambda rng, plus="": f"INDEX({rng},{k}{plus})"  # noqa: E731
    between = f"({at_k(ys, '+1')}-{at_k(ys)})/({at_k(xs, '+1')}-{at_k(xs)})*({m}-{at_k(xs)})+{at_k(ys)}"
    return f'IF(ISNUMBER({m}),IF({m}<={x0},{y0},IF({m}>={xn},{yn},{between})),"missing")'


def _top_row(book: Book, ws, at: Layout, values: TreeTotals, rows: list[TreeRow]) -> None:
    """The top level's weight in use: weighted totals are out of it x the scale's max."""
    top = top_rows(rows)
    ws.write_string(at.top, NAME, TOP_WEIGHT_ROW, book.bold)
    ws.write_formula(at.top, WEIGHT, f"={_sum_of(at, top, at.win)}", book.bold_num, values.top_weight)
    ws.write_formula(at.top, SHARE, f"={_sum_of(at, top, SHARE)}", book.pct, values.top_share)


def _totals(book: Book, ws, a: Appraisal, at: Layout, fm: Formats, values: TreeTotals, top: str) -> None:
    u, w, pct, ru, rw = (at.footer + k for k in range(len(FOOTER_ROWS)))
    for k, label in enumerate(FOOTER_ROWS):
        ws.write_string(at.footer + k, 0, label, book.bold)
    use, kind = span(at.first, at.last, USE), span(at.first, at.last, at.kind)
    ins = at.across(2)
    for i in range(at.n):
        c = score_col(i)
        col = xl_col_to_name(c)
        scores, derived = span(at.first, at.last, c, fixed=False), span(at.first, at.last, c + 1, fixed=False)
        gap, _ = _block_sum(at, at.first, at.last, i, top)
        ws.write_formula(u, c, f'=IF({gap},"missing",SUMIFS({scores},{use},"yes",{kind},"scale")+SUMIFS({derived},{use},"yes",{kind},"measure"))',
                         book.bold_num, values.unweighted[i])
        ws.write_formula(w, c, _weighted(at, at.first, at.last, i, top), fm.value, values.weighted[i])
        ws.write_formula(pct, c, f'=IF(ISNUMBER({col}{w + 1}),{col}{w + 1}/({a.scale.max:g}*{top})*100,"missing")', book.pct_bold, values.percent[i])
        for row, total, ranks in ((ru, u, values.rank_unweighted), (rw, w, values.rank_weighted)):
            # As the flat sheet: 1 + the options in the ranking ahead by more than the engine's tie tolerance.
            totals, me = at.across(total), f"{col}{total + 1}"
            tol = f"{TIE_RTOL:g}*MAX(1,MAX({totals}),-MIN({totals}))"
            ws.write_formula(row, c, f'=IF({col}$3<>"yes","excluded",IF(ISNUMBER({me}),'
                                     f'1+SUMPRODUCT(ISNUMBER({totals})*({ins}="yes")*({totals}>{me}+{tol})),"missing"))', book.bold_num, ranks[i])


def _value_for_money(book: Book, ws, a: Appraisal, at: Layout, fm: Formats, values: TreeTotals) -> None:
    """Value per unit of cost, and whether each option is on the efficient frontier: no other option in the
    ranking gives at least its value for at most its cost, one of the two beyond the tie tolerance."""
    per, on = at.money, at.money + 1
    w = at.footer + 1
    ws.write_string(per, NAME, VALUE_FOR_MONEY_ROWS[0], book.bold)
    ws.write_string(on, NAME, VALUE_FOR_MONEY_ROWS[1], book.bold)
    if a.cost_unit:
        text(ws, per, UNIT, f"per {a.cost_unit}", book)
    values_row, costs_row, ins = at.across(w), at.across(at.cost), at.across(2)  # type: ignore[arg-type]
    vt = f"{TIE_RTOL:g}*MAX(1,MAX({values_row}),-MIN({values_row}))"
    ct = f"{TIE_RTOL:g}*MAX(1,MAX({costs_row}),-MIN({costs_row}))"
    for i in range(at.n):
        c = score_col(i)
        col = xl_col_to_name(c)
        v, cost, inr = f"{col}{w + 1}", f"{col}{at.cost + 1}", f"{col}$3"  # type: ignore[operator]
        ws.write_formula(per, c, f'=IF({inr}<>"yes","excluded",IF(NOT(ISNUMBER({v})),"missing",IF(AND(ISNUMBER({cost}),{cost}>0),{v}/{cost},"")))',
                         fm.value, values.value_per_cost[i])
        better = (f"SUMPRODUCT(({ins}=\"yes\")*ISNUMBER({values_row})*ISNUMBER({costs_row})*({values_row}>={v}-{vt})*({costs_row}<={cost}+{ct})"
                  f"*((({values_row}>{v}+{vt})+({costs_row}<{cost}-{ct}))>0))")
        ws.write_formula(on, c, f'=IF(AND({inr}="yes",ISNUMBER({v}),ISNUMBER({cost})),IF({better}=0,"yes","no"),"")', book.bold, values.frontier[i])


def _cells(at: Layout, runs_: list[tuple[int, int]], col: int) -> str:
    """Runs of tree rows in one column, as a multi-range (A5:A7 A9)."""
    return " ".join(ref(at.row(p), col) if p == q else f"{ref(at.row(p), col)}:{ref(at.row(q), col)}" for p, q in runs_)


def _rules(book: Book, ws, a: Appraisal, at: Layout, rows: list[TreeRow]) -> None:
    """Colours by level on the scores (given or derived), and validation: scores on the scale's grid,
    measures any number, either or 'missing'; weights and costs >= 0; yes/no. One rule per option column
    over all its runs of rows (a multi-range): a tree alternating scored and measured criteria would
    otherwise need thousands."""
    lo, hi, step = a.scale.min, a.scale.max, a.scale.step
    scored = runs([r for r, row in enumerate(rows) if row.kind == "scale"])
    measured = runs([r for r, row in enumerate(rows) if row.kind == "measure"])
    criteria = runs([r for r, row in enumerate(rows) if row.kind != "group"])
    for i in range(at.n):
        c = score_col(i)
        if criteria:  # greyed first, live, as on the flat sheet: a criterion switched off ("no") or an option excluded
            top = at.row(criteria[0][0])
            ws.conditional_format(top, c, top, c, {
                "type": "formula", "criteria": f'=OR($C{top + 1}="no",${xl_col_to_name(c)}$3="no")', "format": book.greyed,
                "stop_if_true": True, "multi_range": " ".join(_cells(at, criteria, col) for col in (c, c + 1))})
        coloured = [(run, c) for run in scored] + [(run, c + 1) for run in measured]
        cells = " ".join(_cells(at, [run], col) for run, col in coloured)
        (first, _), col = coloured[0]
        for b, fill in enumerate(book.fills):
            start = lo + (hi - lo) * b / 5
            end = lo + (hi - lo) * (b + 1) / 5 - 1e-9 if b < 4 else hi
            ws.conditional_format(at.row(first), col, at.row(first), col,
                                  {"type": "cell", "criteria": "between", "minimum": start, "maximum": end, "format": fill, "multi_range": cells})
        if scored:
            cell = ref(at.row(scored[0][0]), c)
            ws.data_validation(at.row(scored[0][0]), c, at.row(scored[0][0]), c, {
                "validate": "custom", "multi_range": _cells(at, scored, c),
                "value": f'=OR({cell}="missing",AND(ISNUMBER({cell}),{cell}>={lo:g},{cell}<={hi:g},'
                         f'ROUND(({cell}-{lo:g})/{step:g},9)=INT(ROUND(({cell}-{lo:g})/{step:g},9))))',
                "input_title": "Score", "input_message": f"{lo:g} to {hi:g} in steps of {step:g}, or missing"[:255],
                "error_title": "Not on the scale", "error_message": f"A score is a number from {lo:g} to {hi:g} in steps of {step:g}, or the word missing."[:255],
            })
        if measured:
            cell = ref(at.row(measured[0][0]), c)
            ws.data_validation(at.row(measured[0][0]), c, at.row(measured[0][0]), c, {
                "validate": "custom", "multi_range": _cells(at, measured, c), "value": f'=OR({cell}="missing",ISNUMBER({cell}))',
                "input_title": "Measure", "input_message": "A measure in the criterion's unit (see Unit), or missing; its score is beside it",
                "error_title": "Not a measure", "error_message": "A measure is a number, or the word missing.",
            })
    yes_no = {"validate": "list", "source": ["yes", "no"], "error_title": "yes or no", "error_message": "Type yes or no."}
    top = at.row(criteria[0][0])
    ws.data_validation(top, USE, top, USE, {**yes_no, "multi_range": _cells(at, criteria, USE),
                                            "input_title": "In use", "input_message": "yes: the criterion counts; no: switched off"})
    ws.data_validation(2, score_col(0), 2, score_col(at.n - 1), {**yes_no, "input_title": "In ranking", "input_message": "no: the option is excluded"})
    number = {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": "Weight", "error_message": "A weight is a number, 0 or more."}
    message = ("A number, 0 or more: a criterion's weight within its group, a group's among its siblings" if a.group_weights is not None
               else "A number, 0 or more (weights are global: groups only subtotal)")
    ws.data_validation(at.first, WEIGHT, at.last, WEIGHT, {**number, "input_title": "Weight", "input_message": message})
    if at.cost is not None:
        ws.data_validation(at.cost, score_col(0), at.cost, score_col(at.n - 1), {
            **number, "input_title": "Cost", "input_message": "A number, 0 or more, or blank", "error_title": "Cost", "error_message": "A cost is a number, 0 or more."})


def _value_rows(a: Appraisal) -> dict[int, tuple[int, int]]:
    """Where each measured criterion's points sit on the Value functions sheet: (first, last) 0-based rows."""
    out, r = {}, 1
    for j, c in enumerate(a.criteria):
        if c.value is not None:
            k = len(c.value.curve(a.scale))
            out[j] = (r, r + k - 1)
            r += k
    return out


def _value_sheet(book: Book, a: Appraisal, points: dict[int, tuple[int, int]]) -> None:
    """Each value function's points, in increasing measure: the Scores sheet's derived scores read them."""
    if not points:
        return
    ws = book.sheet(VALUE_SHEET)
    ws.write_row(0, 0, ["Criterion", "id", "Unit", "Better", "Function", "Measure", "Score", "In words"], book.head)
    for j, (first, last) in points.items():
        c = a.criteria[j]
        text(ws, first, 0, c.name, book, book.bold)
        text(ws, first, 1, c.id, book, book.grey)
        text(ws, first, 2, c.unit, book)
        ws.write_string(first, 3, c.better)
        ws.write_string(first, 4, c.value.type)  # type: ignore[union-attr]
        text(ws, first, 7, describe_value(a, j), book)
        for k, (x, y) in enumerate(c.value.curve(a.scale)):  # type: ignore[union-attr]
            ws.write_number(first + k, 5, x)
            ws.write_number(first + k, 6, y)
    end = max(last for _, last in points.values())
    ws.write_string(end + 2, 0, "A score is linear between the points either side of its measure, and the end point's score beyond them.", book.grey)
    ws.write_string(end + 3, 0, "Edit a point to see the scores move; `appraisal import` takes value functions from the criteria file.", book.grey)
    for col, width in ((0, 40), (1, 18), (2, 10), (3, 8), (4, 10), (5, 10), (6, 8), (7, 80)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 1)
