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
from ..reports.workshop import WorkshopView
from .grid import Column, Grid, Row
from .text import printable

# Backgrounds for the five bands of the scale, with black text: legible on a projector in both themes.
LEVEL_STYLES = {1: "black on #f2a7a7", 2: "black on #f6c79e", 3: "black on #efe39a", 4: "black on #bfe3a9", 5: "black on #86d08f"}
GREY = "grey50"
FOOTER = ("Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)")
CRITERION_MIN, CRITERION_COMFORT, CRITERION_MAX = 22, 30, 60
OPTION_MIN = 7  # a score and the one it was: "4.5 ◂3.5" takes 8


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


@dataclass(frozen=True)
class Widths:
    criterion: int
    weight: int
    share: int
    option: int
    labels: bool  # scores shown with their labels ("4 Med-High"), or bare ("4") where the columns are narrow


class ScoreMatrix(Grid):
    """Row j < n_criteria is criterion j; the footer rows follow. Column FIRST_OPTION_COLUMN + i is option i."""

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

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    # --- what is where ------------------------------------------------------------------------
    def cell_at_cursor(self, view: WorkshopView) -> tuple[str | None, str | None]:
        """(option id, criterion id) under the cursor; either may be None."""
        a = view.appraisal
        crit = a.criteria[self.cursor_row].id if self.cursor_row < len(a.criteria) else None
        i = self.cursor_column - self.FIRST_OPTION_COLUMN
        opt = a.options[i].id if 0 <= i < len(a.options) else None
        return opt, crit

    def natural_height(self) -> int:
        """Lines the whole matrix takes: the header, every criterion and the footer rows."""
        return 1 + self.row_count if self.row_count else 1 + len(FOOTER)

    # --- widths -------------------------------------------------------------------------------
    def fit(self, room: int) -> None:
        """Lay the columns out for `room` terminal cells."""
        self.room = room
        if self.view is not None:
            self._set_columns(self.view, force=True)

    def needed_width(self, view: WorkshopView | None) -> int:
        """The width at which every option fits with whole headings and labels, and the criterion's
        name has a comfortable width: below it, the rationale panel gives the matrix the room."""
        if view is None:
            return 10_000
        m = self._measure(view)
        return 1 + m.fixed + m.n * (min(max(m.labelled, m.heads), 16) + 2) + min(CRITERION_COMFORT, m.criterion_cap)

    def _measure(self, view: WorkshopView) -> "Measures":
        a = view.appraisal
        weights, shares = self._weight_texts(view)
        key = (tuple(weights), tuple(shares))
        same = (self._measured is not None and self._measured[0] is a.options and self._measured[1] is a.criteria
                and self._measured[2] is a.scale and self._measured[3] == key)
        if not same:  # most edits change none of it
            self._measured = (a.options, a.criteria, a.scale, key, self._measure_now(a, weights, shares))
        return self._measured[4]

    @staticmethod
    def _measure_now(a, weights: list[str], shares: list[str]) -> "Measures":
        weight = max([cell_len("Weight")] + [cell_len(w) for w in weights])
        share = max([cell_len("Share")] + [cell_len(s) for s in shares])
        scale = a.scale
        bare = max(cell_len(fmt(v)) for v in _scale_values(scale))
        labelled = max([bare] + [cell_len(f"{fmt(lv.value)} {printable(lv.label)}") for lv in scale.levels])
        longest = max([cell_len(printable(c.name)) for c in a.criteria] + [len("Rank (unweighted)")])
        return Measures(len(a.options), weight, share, (2 + 2) + (weight + 2) + (share + 2) + 2, bare, labelled, labelled + 2 + bare,
                        max([cell_len(printable(o.label)) for o in a.options] + [0]), min(CRITERION_MAX, longest))

    def _widths(self, view: WorkshopView) -> Widths:
        m = self._measure(view)
        room = self.room - 1  # the vertical scrollbar's column, when there is one
        # Totals, percentages and ranks are never cut: a column is at least as wide as its footer.
        numbers = max([len(t) for texts in self._total_texts(view) for t in texts] + [len(str(len(view.appraisal.options))), len("out")])
        # Every option in view if at all possible, with whole headings and labels; then room for the
        # criterion's name; then room for labels and old values together in changed cells.
        for option, labels in ((min(max(m.labelled, m.heads), 16), True), (m.labelled, True), (max(m.bare * 2 + 2, OPTION_MIN), False)):
            option = max(option, numbers)
            criterion = room - m.fixed - m.n * (option + 2)
            if criterion < min(CRITERION_MIN, m.criterion_cap):
                continue
            spare = criterion - min(CRITERION_COMFORT, m.criterion_cap)
            if labels and spare > 0 and option < m.changed:
                option += min(m.changed - option, spare // max(1, m.n))
                criterion = room - m.fixed - m.n * (option + 2)
            return Widths(min(criterion, m.criterion_cap), m.weight, m.share, option, labels)
        # Too many options for the window: they scroll beside the frozen columns.
        return Widths(max(CRITERION_MIN, min(m.criterion_cap, room // 4)), m.weight, m.share, max(m.labelled, numbers), True)

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
        m = len(a.criteria)

        def row_of(r: int) -> Row:
            return self._criterion_row(view, r, weights[r], shares[r]) if r < m else totals[r - m]

        self.content(m + len(FOOTER), len(FOOTER), row_of, self._unchanged_rows(view))
        self.view = view

    def _unchanged_rows(self, view: WorkshopView):
        """After an edit of scores only (the usual key press), the criteria whose scores did not change
        keep their rows: found by identity (an edit makes new cells only where it changes them)."""
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

    def _criterion_row(self, view: WorkshopView, j: int, weight: str, share: str) -> Row:
        a, base = view.appraisal, view.baseline
        criterion = a.criteria[j]
        off = criterion.id in a.disabled
        dim = style(GREY if off else "")
        changed = weight.endswith("*")
        row = [(str(j + 1), dim), (printable(criterion.name), dim), (weight, dim if off else style("bold" if changed else "")), (share, dim)]
        m = len(a.criteria)
        cells, before = a.cells, base.cells
        for i, option in enumerate(a.options):
            row.append(self._cell(view, cells[i * m + j].score, before[i * m + j].score, off or option.excluded))
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

    def _make_cell(self, view: WorkshopView, score: float | None, before: float | None, grey: bool) -> tuple[str, Style]:
        if score is None:
            return "– missing", style(GREY if grey else "italic")
        widths = self.widths
        label = printable(view.appraisal.scale.label_for(score)) if widths is None or widths.labels else ""
        text = f"{fmt(score)} {label}".rstrip()
        if before != score:
            old = f" ◂{fmt(before)}"
            if widths is not None and cell_len(text + old) > widths.option:
                text = fmt(score)  # the label goes, never half of it: the rationale panel names it
            return text + old, style("bold underline " + (GREY if grey else self._band(view, score)))
        return text, style(GREY if grey else self._band(view, score))


def _scale_values(scale) -> list[float]:
    n = int(round((scale.max - scale.min) / scale.step))
    return [scale.min + k * scale.step for k in range(min(n, 200) + 1)]
