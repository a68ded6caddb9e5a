"""A cell grid on Textual's line API: a sticky header row, fixed leading columns, a cell cursor,
and per-row caches, so an edit repaints only the rows it changed (DataTable repaints every cell)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CURSOR = Style(bold=True, color="white", bgcolor="#1f6feb")
HEADER = Style(bold=True)


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    justify: str = "left"  # left | right | center


Cell = tuple[str, Style]


def _fit(text: str, width: int, justify: str) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    if justify == "right":
        return text.rjust(width)
    if justify == "center":
        return text.center(width)
    return text.ljust(width)


class Grid(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up,k", "move(0,-1)", "Up", show=False),
        Binding("down,j", "move(0,1)", "Down", show=False),
        Binding("left,h", "move(-1,0)", "Left", show=False),
        Binding("right,l", "move(1,0)", "Right", show=False),
        Binding("pageup", "move(0,-10)", "Page up", show=False),
        Binding("pagedown", "move(0,10)", "Page down", show=False),
        Binding("home", "home", "First row", show=False),
        Binding("end", "end", "Last row", show=False),
    ]

    class CursorMoved(Message):
        def __init__(self, row: int, column: int):
            super().__init__()
            self.row, self.column = row, column

    def __init__(self, *, fixed_columns: int = 0, first_cursor_column: int = 0, **kw):
        super().__init__(**kw)
        self.fixed_columns = fixed_columns
        self.first_cursor_column = first_cursor_column
        self.columns: list[Column] = []
        self.headers: list[Cell] = []
        self.rows: list[list[Cell]] = []
        self.cursor_row = 0
        self.cursor_column = first_cursor_column
        self._strips: dict[int, Strip] = {}

    # --- content ------------------------------------------------------------------------------
    def set_columns(self, columns: list[Column]) -> None:
        self.columns = columns
        self._strips.clear()
        self._resize()

    def set_header(self, headers: list[Cell]) -> None:
        if headers != self.headers:
            self.headers = headers
            self.refresh(Region(0, 0, self.size.width, 1))

    def set_rows(self, rows: list[list[Cell]]) -> None:
        """Replace the content; repaint only the rows that differ."""
        if len(rows) != len(self.rows):
            self.rows = rows
            self._strips.clear()
            self._resize()
            self.refresh()
            return
        for r, row in enumerate(rows):
            if row != self.rows[r]:
                self.rows[r] = row
                self._strips.pop(r, None)
                self._refresh_row(r)

    def cell(self, row: int, column: int) -> str:
        return self.rows[row][column][0]

    def _resize(self) -> None:
        self.virtual_size = Size(self._total_width, len(self.rows) + 1)
        self.cursor_row = min(self.cursor_row, max(0, len(self.rows) - 1))

    @property
    def _total_width(self) -> int:
        return sum(c.width + 2 for c in self.columns)

    @property
    def _fixed_width(self) -> int:
        return sum(c.width + 2 for c in self.columns[: self.fixed_columns])

    def _refresh_row(self, row: int) -> None:
        y = row + 1 - round(self.scroll_offset.y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # --- rendering ----------------------------------------------------------------------------
    def _segments(self, cells: list[Cell], cursor: int | None = None) -> Strip:
        segments = []
        for k, (col, (text, style)) in enumerate(zip(self.columns, cells)):
            segments.append(Segment(" " + _fit(text, col.width, col.justify) + " ", style + CURSOR if k == cursor else style))
        return Strip(segments, self._total_width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            line = self._segments([(t, HEADER + s) for t, s in self.headers])
        else:
            row = round(self.scroll_offset.y) + y - 1
            if row >= len(self.rows):
                return Strip.blank(self.size.width, base)
            if row == self.cursor_row:
                line = self._segments(self.rows[row], self.cursor_column)
            else:
                line = self._strips.get(row)
                if line is None:
                    line = self._strips[row] = self._segments(self.rows[row])
        fixed = self._fixed_width
        x = round(self.scroll_offset.x)
        width = self.size.width
        strip = Strip.join([line.crop(0, fixed), line.crop(fixed + x, fixed + x + max(0, width - fixed))])
        return strip.extend_cell_length(width).crop(0, width).apply_style(base)

    # --- cursor -------------------------------------------------------------------------------
    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        old = self.cursor_row
        if row is not None:
            self.cursor_row = max(0, min(len(self.rows) - 1, row))
        if column is not None:
            self.cursor_column = max(self.first_cursor_column, min(len(self.columns) - 1, column))
        self._refresh_row(old)
        self._refresh_row(self.cursor_row)
        self._scroll_cursor_into_view()
        self.post_message(self.CursorMoved(self.cursor_row, self.cursor_column))

    def _scroll_cursor_into_view(self) -> None:
        visible = self.scrollable_content_region.size  # without the scrollbars
        height = visible.height - 1  # below the header
        y = round(self.scroll_offset.y)
        if self.cursor_row < y:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif height > 0 and self.cursor_row >= y + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)
        if self.cursor_column >= self.fixed_columns:
            start = sum(c.width + 2 for c in self.columns[self.fixed_columns : self.cursor_column])
            end = start + self.columns[self.cursor_column].width + 2
            view = visible.width - self._fixed_width
            x = round(self.scroll_offset.x)
            if start < x:
                self.scroll_to(x=start, animate=False, immediate=True)
            elif view > 0 and end > x + view:
                self.scroll_to(x=end - view, animate=False, immediate=True)

    def action_move(self, dx: int, dy: int) -> None:
        self.move_cursor(self.cursor_row + dy, self.cursor_column + dx)

    def action_home(self) -> None:
        self.move_cursor(0)

    def action_end(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        row = round(self.scroll_offset.y) + event.y - 1
        x = event.x if event.x < self._fixed_width else event.x + round(self.scroll_offset.x)
        edge = 0
        for k, col in enumerate(self.columns):
            edge += col.width + 2
            if x < edge:
                self.move_cursor(row, k)
                return
