"""The score matrix: criteria as rows, options as columns, totals and ranks in footer rows."""

from __future__ import annotations

import math

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from .view import View, fmt

# Backgrounds for levels 1..5, with black text: legible on a projector in both themes.
LEVEL_STYLES = {1: "black on #f2a7a7", 2: "black on #f6c79e", 3: "black on #efe39a", 4: "black on #bfe3a9", 5: "black on #86d08f"}
GREY = "grey50"
FOOTER = ("Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)")
OPTION_WIDTH = 12


class ScoreMatrix(DataTable):
    BINDINGS = [
        Binding("h", "cursor_left", "Left", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "cursor_right", "Right", show=False),
    ]

    def __init__(self, **kw):
        super().__init__(cursor_type="cell", fixed_columns=2, zebra_stripes=False, **kw)
        self._shape: tuple | None = None
        self.criterion_width = 24

    def fit(self, width: int) -> None:
        """Give the criterion names whatever width the options leave (20 to 60 columns)."""
        n = len(self.columns) - self.FIRST_OPTION_COLUMN
        fixed = 2 + 6 + 6 + n * OPTION_WIDTH + 2 * (n + 4) + 2
        self.criterion_width = max(20, min(60, width - fixed))
        if "c1" in self.columns:
            self.columns["c1"].width = self.criterion_width
            self._require_update_dimensions = True
            self.refresh()

    # Coordinates: row j < n_criteria is criterion j; column 4 + i is option i.
    FIRST_OPTION_COLUMN = 4

    def cell_at_cursor(self, view: View) -> tuple[str | None, str | None]:
        """(option id, criterion id) under the cursor; either may be None."""
        row, col = self.cursor_coordinate
        a = view.appraisal
        crit = a.criteria[row].id if row < len(a.criteria) else None
        i = col - self.FIRST_OPTION_COLUMN
        opt = a.options[i].id if 0 <= i < len(a.options) else None
        return opt, crit

    def show(self, view: View) -> None:
        a = view.appraisal
        shape = (tuple(o.id for o in a.options), tuple(c.id for c in a.criteria))
        if shape != self._shape:
            self._build(view)
            self._shape = shape
        rows = self._rows(view)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.update_cell(f"r{r}", f"c{c}", value)
        # Column headers carry the exclusion state.
        for i, o in enumerate(a.options):
            col = self.columns[self._column_key(i)]
            col.label = Text(o.label + (" (out)" if o.excluded else ""), style=GREY if o.excluded else "bold")
        self.refresh()

    def _column_key(self, i: int):
        return list(self.columns)[self.FIRST_OPTION_COLUMN + i]

    def _build(self, view: View) -> None:
        a = view.appraisal
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        self.add_column("#", key="c0", width=2)
        self.add_column("Criterion", key="c1", width=self.criterion_width)
        self.add_column("Weight", key="c2", width=6)
        self.add_column("Share", key="c3", width=6)
        for i, o in enumerate(a.options):
            self.add_column(o.label, key=f"c{4 + i}", width=OPTION_WIDTH)
        for r, row in enumerate(self._rows(view)):
            self.add_row(*row, key=f"r{r}")
        self.move_cursor(row=min(cursor.row, self.row_count - 1), column=max(cursor.column, self.FIRST_OPTION_COLUMN))

    def _rows(self, view: View) -> list[list[Text]]:
        a, ev = view.appraisal, view.evaluation
        rows: list[list[Text]] = []
        base = view.baseline
        for j, c in enumerate(a.criteria):
            off = c.id in a.disabled
            dim = GREY if off else ""
            w, w0 = a.weights[c.id], base.weights[c.id]
            weight = Text(fmt(w, 2) + ("*" if w != w0 else ""), style=dim or ("bold" if w != w0 else ""), justify="right")
            share = Text("off" if off else f"{ev.shares[j] * 100:.1f}%", style=dim, justify="right")
            row = [Text(str(j + 1), style=dim, justify="right"), Text(c.name, style=dim, overflow="ellipsis", no_wrap=True), weight, share]
            for o in a.options:
                row.append(self._cell(view, o.id, c.id, grey=off or o.excluded))
            rows.append(row)
        totals = [ev.unweighted, ev.weighted, ev.percent]
        for k, label in enumerate(FOOTER):
            row = [Text(""), Text(label, style="bold"), Text(""), Text("")]
            for i, o in enumerate(a.options):
                style = GREY if o.excluded else "bold"
                if k < 3:
                    v = totals[k][i]
                    s = "–" if math.isnan(v) else (f"{v:.1f}%" if k == 2 else fmt(v, 2))
                else:
                    r = (ev.rank_unweighted if k == 3 else ev.rank_weighted)[i]
                    s = "out" if o.excluded else (str(int(r)) if r else "–")
                    if r == 1:
                        style = "bold reverse"
                row.append(Text(s, style=style, justify="right"))
            rows.append(row)
        return rows

    @staticmethod
    def _style(view: View, score: float) -> str:
        """Colour by position on the scale (five bands), whatever the scale's range."""
        sc = view.appraisal.scale
        band = 1 + math.floor(4 * (score - sc.min) / (sc.max - sc.min) + 1e-9)
        return LEVEL_STYLES[max(1, min(5, band))]

    def _cell(self, view: View, option: str, criterion: str, *, grey: bool) -> Text:
        a = view.appraisal
        cell = a.cell(option, criterion)
        old = view.old_score(option, criterion)
        if cell.score is None:
            return Text("– missing", style=GREY if grey else "italic")
        label = a.scale.label_for(cell.score)
        text = f"{fmt(cell.score)} {label}"
        if old != "":
            text = f"{fmt(cell.score)} {label}"[: OPTION_WIDTH - 4] + f" ◂{fmt(old)}"
            return Text(text, style="bold underline " + (GREY if grey else self._style(view, cell.score)))
        return Text(text, style=GREY if grey else self._style(view, cell.score))
