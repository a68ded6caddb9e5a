"""The score matrix: criteria as rows, options as columns, totals and ranks in footer rows. Column
widths follow the window: every option in view when they fit (labels shown whole or not at all),
the criterion, weight and share columns frozen when the options must scroll."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import is_not

from rich.cells import cell_len
from rich.style import Style

from ..reports.numbers import fmt, fmt_all
from ..reports.value_views import GroupLine, TreeRow, measure_texts
from ..reports.workshop import WorkshopView
from .grid import Column, Grid, Row
from .text import printable

# Backgrounds for the five bands of the scale, with black text: legible on a projector in both themes.
LEVEL_STYLES = {1: "black on #f2a7a7", 2: "black on #f6c79e", 3: "black on #efe39a", 4: "black on #bfe3a9", 5: "black on #86d08f"}
GREY = "grey50"
FOOTER = ("Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)")
CRITERION_MIN, CRITERION_COMFORT, CRITERION_MAX = 22, 30, 60
OPTION_MIN = 7  # a score and the one it was: "4.5 ◂3.5" takes 8
INDENT = 2  # cells of indentation per level of the value tree
OPEN, FOLDED = "▾", "▸"  # a group's row: its criteria shown, or folded into its subtotal


@lru_cache(maxsize=256)
def style(spec: str) -> Style:
    return Style.parse(spec) if spec else Style()


@dataclass(frozen=True)
class Measures:
    """What the columns need, in terminal cells."""

    n: int  # options
    weight: int
    share: int
    fixed: int  # the #, weight and share columns and the criterion's padding
    bare: int  # the widest score ("4.5")
    labelled: int  # the widest score with its label ("4 Med-High")
    changed: int  # ... and the old score ("4 Med-High ◂3")
    heads: int  # the widest option heading
    criterion_cap: int  # the criterion column never needs more
    measured: int = 0  # the widest measure cell as read in full ("15 months → 45"); 0 when nothing is measured
    measured_short: int = 0  # ... without its unit ("15 → 45")


@dataclass(frozen=True)
class Widths:
    criterion: int
    weight: int
    share: int
    option: int
    labels: bool  # scores shown with their labels ("4 Med-High"), or bare ("4") where the columns are narrow


class ScoreMatrix(Grid):
    """Row j < n_criteria is criterion j; the footer rows follow. Column FIRST_OPTION_COLUMN + i is option i.
    With a value tree, the rows are the tree's: each group's row (its subtotals) with its subgroups and
    criteria indented under it, unless the group is folded (`folded`); then the footer rows."""

    FIRST_OPTION_COLUMN = 4

    def __init__(self, **kw):
        super().__init__(fixed_columns=self.FIRST_OPTION_COLUMN, first_cursor_column=self.FIRST_OPTION_COLUMN, **kw)
        self.view: WorkshopView | None = None
        self.room = 120  # the width the matrix may take, set by the app's layout
        self.widths: Widths | None = None
        self._texts: dict[tuple, tuple[str, Style]] = {}  # cell text and style by (score, old score, greyed)
        self._scale = None
        self._measured: tuple | None = None
        self._previous: WorkshopView | None = None  # the view last shown, to find what an edit changed
        self.folded: frozenset[str] = frozenset()  # groups shown as their subtotal row only
        self.tree_rows: tuple[TreeRow, ...] | None = None  # the rows shown, with a value tree (None: flat)

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    # --- what is where ------------------------------------------------------------------------
    def cell_at_cursor(self, view: WorkshopView) -> tuple[str | None, str | None]:
        """(option id, criterion id) under the cursor; either may be None (a group's row has no criterion)."""
        a = view.appraisal
        kind, node = self.row_node(view, self.cursor_row)
        crit = node if kind == "criterion" else None
        i = self.cursor_column - self.FIRST_OPTION_COLUMN
        opt = a.options[i].id if 0 <= i < len(a.options) else None
        return opt, crit

    def group_at_cursor(self, view: WorkshopView) -> str | None:
        """The group whose row the cursor is on, if it is on one."""
        kind, node = self.row_node(view, self.cursor_row)
        return node if kind == "group" else None

    def row_node(self, view: WorkshopView, r: int) -> tuple[str, str | None]:
        """What row r shows: ("criterion", id), ("group", id), or ("footer", None)."""
        a = view.appraisal
        rows = self.tree_rows if self.view is view or self.view is None else self._rows_for(view)
        if rows is None:
            return ("criterion", a.criteria[r].id) if r < len(a.criteria) else ("footer", None)
        return (rows[r].kind, rows[r].id) if r < len(rows) else ("footer", None)

    def row_of_node(self, node: str) -> int | None:
        """The row showing a criterion or group now (None: folded away, or unknown)."""
        if self.tree_rows is None:
            a = self.view.appraisal if self.view is not None else None
            return a.criterion_index.get(node) if a is not None else None
        return next((r for r, row in enumerate(self.tree_rows) if row.id == node), None)

    def _rows_for(self, view: WorkshopView) -> tuple[TreeRow, ...] | None:
        layout, _ = view.tree()
        if layout is None:
            return None
        folded = self.folded & set(layout.group_ids)
        return layout.visible(frozenset(folded))

    # --- folding ------------------------------------------------------------------------------
    def set_folded(self, folded: frozenset[str], keep: str | None = None) -> None:
        """Fold these groups (and unfold the others); the cursor stays on `keep`'s row (a group or a criterion)."""
        self.folded = folded
        if self.view is not None:
            self.show(self.view)
            r = self.row_of_node(keep) if keep is not None else None
            if r is not None:
                self.move_cursor(r)

    def natural_height(self) -> int:
        """Lines the whole matrix takes: the header, every criterion and the footer rows."""
        return 1 + self.row_count if self.row_count else 1 + len(FOOTER)

    # --- widths -------------------------------------------------------------------------------
    def fit(self, room: int) -> None:
        """Lay the columns out for `room` terminal cells."""
        self.room = room
        if self.view is not None:
            before = self.widths
            self._set_columns(self.view, force=True)
            if self.widths != before:  # rows made for other widths (totals padded to them) are made again
                self._previous = None
                self.show(self.view)

    def needed_width(self, view: WorkshopView | None) -> int:
        """The width at which every option fits with whole headings and labels, and the criterion's
        name has a comfortable width: below it, the rationale panel gives the matrix the room."""
        if view is None:
            return 10_000
        m = self._measure(view)
        return 1 + m.fixed + m.n * (min(max(m.labelled, m.measured, m.heads), 16) + 2) + min(CRITERION_COMFORT, m.criterion_cap)

    def _measure(self, view: WorkshopView) -> "Measures":
        a = view.appraisal
        weights, shares = self._weight_texts(view)
        key = (tuple(weights), tuple(shares))
        _, groups = view.tree()
        if groups:  # a group's weight and share sit in the same columns
            key += (tuple(g.weight for g in groups.values()), tuple(g.share for g in groups.values()))
        measured = any(c.measured for c in a.criteria)
        same = (self._measured is not None and self._measured[0] is a.options and self._measured[1] is a.criteria
                and self._measured[2] is a.scale and self._measured[3] == key and (not measured or self._measured[5] is a.cells))
        if not same:  # most edits change none of it
            self._measured = (a.options, a.criteria, a.scale, key, self._measure_now(view, weights, shares), a.cells)
        return self._measured[4]

    @staticmethod
    def _measure_now(view: WorkshopView, weights: list[str], shares: list[str]) -> "Measures":
        a = view.appraisal
        layout, groups = view.tree()
        weights = weights + [g.weight for g in groups.values()]
        shares = shares + [g.share for g in groups.values()]
        weight = max([cell_len("Weight")] + [cell_len(w) for w in weights])
        share = max([cell_len("Share")] + [cell_len(s) for s in shares])
        scale = a.scale
        bare = max(cell_len(fmt(v)) for v in _scale_values(scale))
        labelled = max([bare] + [cell_len(f"{fmt(lv.value)} {printable(lv.label)}") for lv in scale.levels])
        if layout is None:
            names = [cell_len(printable(c.name)) for c in a.criteria]
        else:  # indented under their groups; a group's name after its fold mark
            names = [INDENT * row.depth + cell_len(printable(a.criteria[row.index].name)) if row.kind == "criterion"
                     else INDENT * row.depth + 2 + cell_len(printable(a.groups[row.index].name)) for row in layout.rows]
        longest = max(names + [len("Rank (unweighted)")])
        full = short = 0
        m = len(a.criteria)
        for j, c in enumerate(a.criteria):
            if c.measured:
                for i in range(len(a.options)):
                    cell = a.cells[i * m + j]
                    whole, brief = measure_texts(cell.measure, c.unit, cell.score)
                    full, short = max(full, cell_len(whole)), max(short, cell_len(brief))
        return Measures(len(a.options), weight, share, (2 + 2) + (weight + 2) + (share + 2) + 2, bare, labelled, labelled + 2 + bare,
                        max([cell_len(printable(o.label)) for o in a.options] + [0]), min(CRITERION_MAX, longest), full, short)

    def _widths(self, view: WorkshopView) -> Widths:
        m = self._measure(view)
        room = self.room - 1  # the vertical scrollbar's column, when there is one
        # Totals, percentages and ranks are never cut: a column is at least as wide as its footer.
        _, groups = view.tree()
        subtotals = [len(t) for g in groups.values() for t in g.subtotals]
        # A measure fits at least without its unit ("15 → 45").
        numbers = max([len(t) for texts in self._total_texts(view) for t in texts] + subtotals
                      + [len(str(len(view.appraisal.options))), len("out"), m.measured_short])
        changed = max(m.changed, m.measured + 2 + m.bare)  # a changed measure: "15 months → 45 ◂9"
        # Every option in view if at all possible, with whole headings and labels; then room for the
        # criterion's name; then room for labels and old values together in changed cells.
        for option, labels in ((min(max(m.labelled, m.measured, m.heads), 16), True), (max(m.labelled, m.measured), True),
                               (max(m.bare * 2 + 2, OPTION_MIN), False)):
            option = max(option, numbers)
            criterion = room - m.fixed - m.n * (option + 2)
            if criterion < min(CRITERION_MIN, m.criterion_cap):
                continue
            spare = criterion - min(CRITERION_COMFORT, m.criterion_cap)
            if labels and spare > 0 and option < changed:
                option += min(changed - option, spare // max(1, m.n))
                criterion = room - m.fixed - m.n * (option + 2)
            return Widths(min(criterion, m.criterion_cap), m.weight, m.share, option, labels)
        # Too many options for the window: they scroll beside the frozen columns (with measures, narrow:
        # "15 → 45" and bare scores, so more than one option is in view).
        criterion = max(CRITERION_MIN, min(m.criterion_cap, room // 4))
        if m.measured:
            return Widths(criterion, m.weight, m.share, max(m.bare * 2 + 2, OPTION_MIN, numbers), False)
        return Widths(criterion, m.weight, m.share, max(m.labelled, numbers), True)

    def _set_columns(self, view: WorkshopView, *, force: bool = False) -> None:
        a = view.appraisal
        widths = self._widths(view)
        if widths != self.widths or force or a.scale is not self._scale:
            self.widths, self._scale = widths, a.scale
            self._texts.clear()
        self.set_columns([Column("#", 2, "right"), Column("Criterion", widths.criterion), Column("Weight", widths.weight, "right"),
                          Column("Share", widths.share, "right")]
                         + [Column(printable(o.label), widths.option, tooltip=printable(o.name) + (" (excluded)" if o.excluded else ""))
                            for o in a.options])

    # --- content ------------------------------------------------------------------------------
    def show(self, view: WorkshopView) -> None:
        a = view.appraisal
        self._set_columns(view)
        self.set_header([("#", Style()), ("Criterion", Style()), ("Weight", Style()), ("Share", Style())]
                        + [(printable(o.label), style(GREY if o.excluded else "")) for o in a.options])
        weights, shares = self._weight_texts(view)
        totals = self._totals(view)
        rows = self.tree_rows = self._rows_for(view)
        if rows is None:
            m = len(a.criteria)

            def row_of(r: int) -> Row:
                return self._criterion_row(view, r, weights[r], shares[r]) if r < m else totals[r - m]
        else:
            m = len(rows)
            _, groups = view.tree()

            def row_of(r: int) -> Row:
                if r >= m:
                    return totals[r - m]
                row = rows[r]
                if row.kind == "group":
                    return self._group_row(view, groups[row.id], row)
                return self._criterion_row(view, row.index, weights[row.index], shares[row.index], row.depth)

        self.view = view
        self.content(m + len(FOOTER), len(FOOTER), row_of, self._unchanged_rows(view, rows))

    def _unchanged_rows(self, view: WorkshopView, rows: tuple[TreeRow, ...] | None):
        """After an edit of scores only (the usual key press), the criteria whose scores did not change
        keep their rows: found by identity (an edit makes new cells only where it changes them). A
        group's row is made again (its subtotals may have changed)."""
        old = self._previous
        self._previous = view
        a = view.appraisal
        if old is None or old.baseline is not view.baseline:
            return None
        b = old.appraisal
        if not (b.weights is a.weights and b.disabled is a.disabled and b.options is a.options and b.criteria is a.criteria and b.scale is a.scale):
            return None
        if b.cells is a.cells:
            changed: set[int] = set()
        else:
            m = len(a.criteria)
            changed = {k % m for k in compress(count(), map(is_not, a.cells, b.cells))}
        if rows is not None:
            return lambda r: r < len(rows) and rows[r].kind == "criterion" and rows[r].index not in changed
        return lambda r: r < len(a.criteria) and r not in changed

    @staticmethod
    def _weight_texts(view: WorkshopView) -> tuple[list[str], list[str]]:
        """Weights and shares as printed: as many decimals as it takes for different ones to differ,
        a weight that is not 0 never shown as 0; a changed weight marked *."""
        a, base = view.appraisal, view.baseline
        cached = view._cache.get("matrix-weights")
        if cached is None:
            raw = [float(a.weights[c.id]) for c in a.criteria]
            texts = fmt_all(raw, 2)
            weights = [t + ("*" if w != base.weights[c.id] else "") for t, w, c in zip(texts, raw, a.criteria)]
            on = [j for j, c in enumerate(a.criteria) if c.id not in a.disabled]
            pct = fmt_all([float(view.evaluation.shares[j]) * 100 for j in on], 1)
            shares = ["off"] * len(a.criteria)
            for j, text in zip(on, pct):
                shares[j] = text + "%"
            cached = view._cache["matrix-weights"] = (weights, shares)
        return cached  # type: ignore[return-value]

    def _criterion_row(self, view: WorkshopView, j: int, weight: str, share: str, depth: int = 0) -> Row:
        a, base = view.appraisal, view.baseline
        criterion = a.criteria[j]
        off = criterion.id in a.disabled
        dim = style(GREY if off else "")
        changed = weight.endswith("*")
        row = [(str(j + 1), dim), (" " * (INDENT * depth) + printable(criterion.name), dim),
               (weight, dim if off else style("bold" if changed else "")), (share, dim)]
        m = len(a.criteria)
        cells, before = a.cells, base.cells
        if criterion.measured:
            width = self.widths.option if self.widths else 10_000
            now = [cells[i * m + j] for i in range(len(a.options))]
            # The unit on every cell of the row or on none: a row reads alike.
            unit = criterion.unit if all(cell_len(measure_texts(c.measure, criterion.unit, c.score)[0]) <= width for c in now) else ""
            for i, option in enumerate(a.options):
                row.append(self._measure_cell(view, now[i].measure, before[i * m + j].measure, now[i].score, unit, off or option.excluded))
            return row
        for i, option in enumerate(a.options):
            row.append(self._cell(view, cells[i * m + j].score, before[i * m + j].score, off or option.excluded))
        return row

    def _group_row(self, view: WorkshopView, line: GroupLine, where: TreeRow) -> Row:
        """A group's row: its fold mark and name, its weight (blank when weights are global) and share,
        and each option's subtotal."""
        a = view.appraisal
        off = line.share == "off"
        head = style(GREY if off else "bold")
        mark = FOLDED if where.id in self.folded else OPEN
        row = [("", head), (" " * (INDENT * where.depth) + f"{mark} {printable(line.name)}", head),
               (line.weight, style(GREY if off else ("bold" if line.weight_changed else ""))), (line.share, head)]
        width = self.widths.option if self.widths else 0
        for option, text in zip(a.options, line.subtotals):
            row.append((text.rjust(width), style(GREY if off or option.excluded else "bold")))
        return row

    @staticmethod
    def _total_texts(view: WorkshopView) -> list[list[str]]:
        """The footer's numbers as printed (unweighted, weighted, %), once per view."""
        found = view._cache.get("matrix-totals")
        if found is None:
            ev = view.evaluation
            found = view._cache["matrix-totals"] = [
                fmt_all(ev.unweighted.tolist(), 1, column=True), fmt_all(ev.weighted.tolist(), 1, column=True),
                [t + "%" if t != "–" else t for t in fmt_all(ev.percent.tolist(), 1, column=True)]]
        return found  # type: ignore[return-value]

    def _totals(self, view: WorkshopView) -> list[Row]:
        a, ev = view.appraisal, view.evaluation
        values = self._total_texts(view)
        width = self.widths.option if self.widths else 0
        rows: list[Row] = []
        for k, label in enumerate(FOOTER):
            row = [("", style("")), (label, style("bold")), ("", style("")), ("", style(""))]
            for i, option in enumerate(a.options):
                spec = GREY if option.excluded else "bold"
                if k < 3:
                    text = values[k][i]
                else:
                    rank = (ev.rank_unweighted if k == 3 else ev.rank_weighted)[i]
                    text = ("excluded" if width >= len("excluded") else "out") if option.excluded else (str(int(rank)) if rank else "–")
                    if rank == 1:
                        spec = "bold reverse"
                row.append((text.rjust(width), style(spec)))
            rows.append(row)
        return rows

    @staticmethod
    def _band(view: WorkshopView, score: float) -> str:
        """Colour by position on the scale (five bands), whatever the scale's range."""
        scale = view.appraisal.scale
        band = 1 + math.floor(4 * (score - scale.min) / (scale.max - scale.min) + 1e-9)
        return LEVEL_STYLES[max(1, min(5, band))]

    def _cell(self, view: WorkshopView, score: float | None, before: float | None, grey: bool) -> tuple[str, Style]:
        key = (score, before, grey)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = self._make_cell(view, score, before, grey)
        return found

    def _measure_cell(self, view: WorkshopView, measure: float | None, before: float | None, score: float | None, unit: str,
                      grey: bool) -> tuple[str, Style]:
        """A measured cell: the measure with its unit and the score it derives ("15 months → 45"; `unit`
        is '' where the row's cells do not fit with it); a changed one marked with the measure it was."""
        key = ("measure", measure, before, score, unit, grey)
        found = self._texts.get(key)
        if found is None:
            if score is None:
                found = "– missing", style(GREY if grey else "italic")
            else:
                width = self.widths.option if self.widths else 10_000
                whole, short = measure_texts(measure, unit, score)
                if before != measure:
                    old = f" ◂{fmt(before, 2)}"
                    text = next((t for t in (whole + old, short + old) if cell_len(t) <= width), short)
                    found = text, style("bold underline " + (GREY if grey else self._band(view, score)))
                else:
                    found = whole if cell_len(whole) <= width else short, style(GREY if grey else self._band(view, score))
            self._texts[key] = found
        return found

    def _make_cell(self, view: WorkshopView, score: float | None, before: float | None, grey: bool) -> tuple[str, Style]:
        if score is None:
            return "– missing", style(GREY if grey else "italic")
        widths = self.widths
        label = printable(view.appraisal.scale.label_for(score)) if widths is None or widths.labels else ""
        text = f"{fmt(score)} {label}".rstrip()
        if widths is not None and cell_len(text) > widths.option:
            text = fmt(score)  # a label is shown whole or not at all
        if before != score:
            old = f" ◂{fmt(before)}"
            if widths is not None and cell_len(text + old) > widths.option:
                text = fmt(score)  # the label goes, never half of it: the rationale panel names it
            return text + old, style("bold underline " + (GREY if grey else self._band(view, score)))
        return text, style(GREY if grey else self._band(view, score))


def _scale_values(scale) -> list[float]:
    n = int(round((scale.max - scale.min) / scale.step))
    return [scale.min + k * scale.step for k in range(min(n, 200) + 1)]
