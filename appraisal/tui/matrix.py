"""The score matrix: criteria as rows, options as columns, totals and ranks in footer rows."""

from __future__ import annotations

import math
from functools import lru_cache

from rich.style import Style

from ..reports.numbers import fmt
from ..reports.workshop import WorkshopView
from .grid import Column, Grid
from .text import printable

# Backgrounds for the five bands of the scale, with black text: legible on a projector in both themes.
LEVEL_STYLES = {1: "black on #f2a7a7", 2: "black on #f6c79e", 3: "black on #efe39a", 4: "black on #bfe3a9", 5: "black on #86d08f"}
GREY = "grey50"
FOOTER = ("Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)")
OPTION_WIDTH = 12


@lru_cache(maxsize=256)
def style(spec: str) -> Style:
    return Style.parse(spec) if spec else Style()


class ScoreMatrix(Grid):
    """Row j < n_criteria is criterion j; column FIRST_OPTION_COLUMN + i is option i."""

    FIRST_OPTION_COLUMN = 4

    def __init__(self, **kw):
        super().__init__(fixed_columns=2, first_cursor_column=self.FIRST_OPTION_COLUMN, **kw)
        self._shape: tuple | None = None
        self.criterion_width = 24

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    def cell_at_cursor(self, view: WorkshopView) -> tuple[str | None, str | None]:
        """(option id, criterion id) under the cursor; either may be None."""
        a = view.appraisal
        crit = a.criteria[self.cursor_row].id if self.cursor_row < len(a.criteria) else None
        i = self.cursor_column - self.FIRST_OPTION_COLUMN
        opt = a.options[i].id if 0 <= i < len(a.options) else None
        return opt, crit

    def fit(self, width: int) -> None:
        """Give the criterion names whatever width the options leave (20 to 60 columns)."""
        n = max(0, len(self.columns) - self.FIRST_OPTION_COLUMN)
        fixed = 4 + 8 + 8 + n * (OPTION_WIDTH + 2) + 2 + 1
        self.criterion_width = max(20, min(60, width - fixed))
        if self.columns and self.columns[1].width != self.criterion_width:
            self.set_columns([self.columns[0], Column("Criterion", self.criterion_width), *self.columns[2:]])
            self.refresh()

    def show(self, view: WorkshopView) -> None:
        shown = view.appraisal
        shape = (tuple(o.id for o in shown.options), tuple(c.id for c in shown.criteria))
        if shape != self._shape:
            self.set_columns([Column("#", 2, "right"), Column("Criterion", self.criterion_width), Column("Weight", 6, "right"),
                              Column("Share", 6, "right")] + [Column(printable(o.label), OPTION_WIDTH) for o in shown.options])
            self._shape = shape
        self.set_header([("#", Style()), ("Criterion", Style()), ("Weight", Style()), ("Share", Style())]
                        + [(printable(o.label), style(GREY if o.excluded else "")) for o in shown.options])
        self.set_rows(self._rows(view))

    def _rows(self, view: WorkshopView) -> list[list[tuple[str, Style]]]:
        shown, evaluation = view.appraisal, view.evaluation
        base = view.baseline
        rows = []
        cells = shown.cells
        m = len(shown.criteria)
        for j, criterion in enumerate(shown.criteria):
            off = criterion.id in shown.disabled
            dim = style(GREY if off else "")
            weight, loaded = shown.weights[criterion.id], base.weights[criterion.id]
            row = [(str(j + 1), dim), (printable(criterion.name), dim),
                   (fmt(weight, 2) + ("*" if weight != loaded else ""), dim if off else style("bold" if weight != loaded else "")),
                   ("off" if off else f"{evaluation.shares[j] * 100:.1f}%", dim)]
            for i, option in enumerate(shown.options):
                cell = cells[i * m + j]
                before = base.cells[i * m + j].score
                row.append(self._cell(view, cell.score, before, grey=off or option.excluded))
            rows.append(row)
        totals = [evaluation.unweighted, evaluation.weighted, evaluation.percent]
        for k, label in enumerate(FOOTER):
            row = [("", style("")), (label, style("bold")), ("", style("")), ("", style(""))]
            for i, option in enumerate(shown.options):
                spec = GREY if option.excluded else "bold"
                if k < 3:
                    value = totals[k][i]
                    text = "–" if math.isnan(value) else (f"{value:.1f}%" if k == 2 else fmt(value, 2))
                else:
                    rank = (evaluation.rank_unweighted if k == 3 else evaluation.rank_weighted)[i]
                    text = "out" if option.excluded else (str(int(rank)) if rank else "–")
                    if rank == 1:
                        spec = "bold reverse"
                row.append((text.rjust(OPTION_WIDTH), style(spec)))
            rows.append(row)
        return rows

    @staticmethod
    def _band(view: WorkshopView, score: float) -> str:
        """Colour by position on the scale (five bands), whatever the scale's range."""
        scale = view.appraisal.scale
        band = 1 + math.floor(4 * (score - scale.min) / (scale.max - scale.min) + 1e-9)
        return LEVEL_STYLES[max(1, min(5, band))]

    def _cell(self, view: WorkshopView, score: float | None, before: float | None, *, grey: bool) -> tuple[str, Style]:
        if score is None:
            return "– missing", style(GREY if grey else "italic")
        text = f"{fmt(score)} {printable(view.appraisal.scale.label_for(score))}"
        if before != score:
            text = text[: OPTION_WIDTH - 4].ljust(OPTION_WIDTH - 4) + f" ◂{fmt(before)}"
            return text, style("bold underline " + (GREY if grey else self._band(view, score)))
        return text, style(GREY if grey else self._band(view, score))
