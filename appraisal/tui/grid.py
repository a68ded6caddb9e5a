"""A cell grid on Textual's line API, for a projector: a sticky header row, frozen leading columns,
footer rows frozen at the bottom (while there is room for them), whole columns only (never half a
column), and widths measured in terminal cells (CJK and emoji names keep the grid aligned).

Rows are asked for when they come into view (`content(rows, footer, row_of)`), and a change of
content repaints only the visible rows that differ: the cost of an edit grows with the cells on the
screen, not with the matrix. A row may also be a `Section`: one line of text across the grid (a
group's heading, a subtotal's label)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CURSOR = Style(bold=True, color="white", bgcolor="#1f6feb")
CURSOR_HEADER = Style(bold=True, reverse=True)
CURSOR_ROW = Style(bold=True, color="#58a6ff")  # the cursor row's frozen columns: which criterion it is
HEADER = Style(bold=True)
MORE = Style(bold=True, color="#1f6feb")
MIN_BODY = 8  # frozen footer rows only while at least this many body rows stay in view


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # in terminal cells, without the one-cell padding either side
    justify: str = "left"  # left | right | center
    tooltip: str = ""  # shown when the mouse rests on the column (the full name behind a short heading)


Cell = tuple[str, Style]


@dataclass(frozen=True)
class Section:
    """A row that is one line of text across the grid."""

    text: str
    style: Style = Style(bold=True)


Row = list[Cell] | Section


def fit(text: str, width: int, justify: str = "left") -> str:
    """`text` in exactly `width` terminal cells: cut with an ellipsis if longer, padded if shorter."""
    n = cell_len(text)
    if n > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    pad = width - n
    if justify == "right":
        return " " * pad + text
    if justify == "center":
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text + " " * pad


class Grid(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    Grid {
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """
    BINDINGS = [
        Binding("up,k", "move(0,-1)", "Up", show=False),
        Binding("down,j", "move(0,1)", "Down", show=False),
        Binding("left,h", "move(-1,0)", "Left", show=False),
        Binding("right,l", "move(1,0)", "Right", show=False),
        Binding("pageup", "move(0,-10)", "Page up", show=False),
        Binding("pagedown", "move(0,10)", "Page down", show=False),
        Binding("home", "home", "First", show=False),
        Binding("end", "end", "Last", show=False),
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
        self.row_count = 0
        self.footer_count = 0
        self._row_of: Callable[[int], Row] = lambda r: Section("")
        self._rows: dict[int, Row] = {}  # rows asked for, by index
        self._strips: dict[int, Strip] = {}  # rendered rows (not the cursor's), for the current layout
        self.left = fixed_columns  # the first scrolled column in view
        self.cursor_row = 0
        self.cursor_column = first_cursor_column
        self._layout_key: tuple | None = None
        self._shown: list[int] = []  # columns in view, left to right
        self._base: Style | None = None  # the widget's own style, last applied to the cached rows
        self._hidden_right = 0

    # --- content ------------------------------------------------------------------------------
    def set_columns(self, columns: list[Column]) -> None:
        if columns != self.columns:
            self.columns = columns
            self.cursor_column = max(self.first_cursor_column, min(self.cursor_column, len(columns) - 1))
            self.left = max(self.fixed_columns, min(self.left, len(columns) - 1))
            self._invalidate_layout()

    def set_header(self, headers: list[Cell]) -> None:
        if headers != self.headers:
            self.headers = headers
            self.refresh(Region(0, 0, self.scrollable_content_region.width, 1))

    def content(self, rows: int, footer: int, row_of: Callable[[int], Row], same: Callable[[int], bool] | None = None) -> None:
        """New content: `rows` rows (the last `footer` of them are footer rows), each made by `row_of(r)`
        when it comes into view. Only the visible rows that changed are repainted. `same(r)` may say
        that a row cannot have changed (it is then not made again)."""
        self._row_of = row_of
        if (rows, footer) != (self.row_count, self.footer_count):
            self.row_count, self.footer_count = rows, footer
            self._rows.clear()
            self._strips.clear()
            self.virtual_size = Size(self.size.width, rows + 1)
            self.cursor_row = min(self.cursor_row, max(0, rows - 1))
            self.refresh()
            return
        old = self._rows
        self._rows = {}
        for r in self.visible_rows():
            if same is not None and r in old and same(r):
                self._rows[r] = old[r]
                continue
            row = row_of(r)
            self._rows[r] = row
            if old.get(r) != row:
                self._strips.pop(r, None)
                self._refresh_row(r)
        self._strips = {r: s for r, s in self._strips.items() if r in self._rows}

    def set_rows(self, rows: list[Row], footer: int = 0) -> None:
        """Content given all at once (small grids)."""
        self.content(len(rows), footer, rows.__getitem__)

    def row(self, r: int) -> Row:
        if r not in self._rows:
            self._rows[r] = self._row_of(r)
        return self._rows[r]

    def cell(self, row: int, column: int) -> str:
        found = self.row(row)
        return found.text if isinstance(found, Section) else found[column][0]

    # --- geometry -----------------------------------------------------------------------------
    @property
    def _frozen_footer(self) -> int:
        """Footer rows drawn at the bottom of the view, whatever the scroll (when there is room)."""
        body_room = self.size.height - 1 - self.footer_count
        return self.footer_count if self.row_count + 1 > self.size.height and body_room >= MIN_BODY else 0

    def _body_height(self) -> int:
        return max(0, self.scrollable_content_region.height - 1 - self._frozen_footer)

    def visible_rows(self) -> list[int]:
        top = round(self.scroll_offset.y)
        frozen = self._frozen_footer
        body_end = self.row_count - frozen
        rows = list(range(top, min(body_end, top + self._body_height())))
        return rows + list(range(body_end, self.row_count))

    def _row_at(self, y: int) -> int | None:
        """The row drawn on line y of the widget (0 is the header), or None."""
        if y <= 0:
            return None
        height = self.scrollable_content_region.height
        frozen = self._frozen_footer
        if frozen and y >= height - frozen:
            r = self.row_count - (height - y)
            return r if 0 <= r < self.row_count else None
        r = round(self.scroll_offset.y) + y - 1
        return r if r < self.row_count - frozen else None

    def _line_of(self, row: int) -> int | None:
        height = self.scrollable_content_region.height
        frozen = self._frozen_footer
        if frozen and row >= self.row_count - frozen:
            return height - (self.row_count - row)
        y = row + 1 - round(self.scroll_offset.y)
        return y if 1 <= y < height - frozen else None

    def _invalidate_layout(self) -> None:
        self._layout_key = None
        self._strips.clear()
        self.refresh()

    def _columns_from(self, left: int, width: int) -> tuple[list[int], int]:
        """The columns in view with `left` the first scrolled one: the frozen ones, then whole scrolled
        ones while they fit; and how many are hidden to the right."""
        shown = list(range(min(self.fixed_columns, len(self.columns))))
        used = sum(self.columns[k].width + 2 for k in shown)
        k = left
        while k < len(self.columns) and used + self.columns[k].width + 2 <= width:
            shown.append(k)
            used += self.columns[k].width + 2
            k += 1
        return shown, len(self.columns) - k

    def _layout(self) -> list[int]:
        """The columns in view (cached for the width, the first scrolled column and the widths)."""
        width = self.scrollable_content_region.width
        key = (width, self.left, tuple(c.width for c in self.columns))
        if key != self._layout_key:
            self._shown, self._hidden_right = self._columns_from(self.left, width)
            self._layout_key = key
            self._strips.clear()
        return self._shown

    def _refresh_row(self, row: int) -> None:
        y = self._line_of(row)
        if y is not None:  # the row only, not the scrollbar beside it
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    # --- rendering ----------------------------------------------------------------------------
    def _strip(self, cells: Row, cursor: int | None = None, header: bool = False) -> Strip:
        width = self.scrollable_content_region.width
        if isinstance(cells, Section):
            return Strip([Segment(" " + fit(cells.text, max(0, width - 1)), cells.style)], width)
        segments = []
        shown = self._layout()
        for n, k in enumerate(shown):
            col = self.columns[k]
            text, style = cells[k] if k < len(cells) else ("", Style())
            left = right = " "
            if header:
                if k == self.left and self.left > self.fixed_columns:
                    left = "◂"
                if n == len(shown) - 1 and self._hidden_right:
                    right = "▸"
            if k == cursor:
                style = style + (CURSOR_HEADER if header else CURSOR)
            elif cursor is not None and not header and k < self.fixed_columns:
                style = style + CURSOR_ROW
            if header:
                segments.append(Segment(left, MORE if left != " " else Style()))
                segments.append(Segment(fit(text, col.width, col.justify), style))
                segments.append(Segment(right, MORE if right != " " else Style()))
            else:  # one segment a cell: the padding takes the cell's colour
                segments.append(Segment(f" {fit(text, col.width, col.justify)} ", style))
        return Strip(segments).extend_cell_length(width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if base != self._base:  # another theme: every row is styled again
            self._base = base
            self._strips.clear()
        width = self.scrollable_content_region.width
        if y == 0:
            return self._strip(self.headers, self.cursor_column, header=True).crop(0, width).apply_style(base)
        r = self._row_at(y)
        if r is None:
            return Strip.blank(width, base)
        if r == self.cursor_row:
            return self._strip(self.row(r), self.cursor_column).crop(0, width).apply_style(base)
        strip = self._strips.get(r)
        if strip is None:
            strip = self._strips[r] = self._strip(self.row(r)).crop(0, width).apply_style(base)
        return strip

    # --- cursor -------------------------------------------------------------------------------
    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        old_row, old_column = self.cursor_row, self.cursor_column
        if row is not None:
            self.cursor_row = max(0, min(self.row_count - 1, row))
        if column is not None:
            self.cursor_column = max(self.first_cursor_column, min(len(self.columns) - 1, column))
        self._refresh_row(old_row)
        self._refresh_row(self.cursor_row)
        if self.cursor_column != old_column:
            self.refresh(Region(0, 0, self.scrollable_content_region.width, 1))
        self.scroll_cursor_into_view()
        self.post_message(self.CursorMoved(self.cursor_row, self.cursor_column))

    def scroll_cursor_into_view(self) -> None:
        height = self._body_height()
        y = round(self.scroll_offset.y)
        if self.cursor_row < self.row_count - self._frozen_footer:
            if self.cursor_row < y:
                self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
            elif height > 0 and self.cursor_row >= y + height:
                self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)
        width = self.scrollable_content_region.width
        if self.cursor_column < self.fixed_columns or not self.columns or not width:
            return  # not laid out yet: nothing to scroll
        left = min(self.left, self.cursor_column)
        while self.cursor_column not in self._columns_from(left, width)[0] and left < self.cursor_column:
            left += 1
        # Columns hidden to the left come back whenever the cursor's column stays in view with them.
        while left > self.fixed_columns and self.cursor_column in self._columns_from(left - 1, width)[0]:
            left -= 1
        self._scroll_columns(left)

    def _scroll_columns(self, left: int) -> None:
        left = max(self.fixed_columns, min(left, len(self.columns) - 1))
        if left != self.left:
            self.left = left
            self._invalidate_layout()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.row_count + 1)
        self._invalidate_layout()
        self.call_after_refresh(self.scroll_cursor_into_view)  # a smaller window keeps the cursor in view

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._strips.clear()  # rows move to other lines

    def action_move(self, dx: int, dy: int) -> None:
        self.move_cursor(self.cursor_row + dy, self.cursor_column + dx)

    def action_home(self) -> None:
        """Home: the first column (the frozen ones are always there); again: the first row."""
        if self.cursor_column != self.first_cursor_column:
            self.move_cursor(column=self.first_cursor_column)
        else:
            self.move_cursor(0)

    def action_end(self) -> None:
        if self.cursor_column != len(self.columns) - 1:
            self.move_cursor(column=len(self.columns) - 1)
        else:
            self.move_cursor(self.row_count - 1)

    def _column_at(self, x: int) -> int | None:
        edge = 0
        for k in self._layout():
            edge += self.columns[k].width + 2
            if x < edge:
                return k
        return None

    def on_click(self, event: events.Click) -> None:
        column = self._column_at(event.x)
        if event.y == 0:
            return
        row = self._row_at(event.y)
        if row is not None:
            self.move_cursor(row, column)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        column = self._column_at(event.x)
        tip = self.columns[column].tooltip if column is not None else ""
        if (tip or None) != self.tooltip:
            self.tooltip = tip or None

    def _on_mouse_scroll_right(self, event: events.MouseScrollRight) -> None:
        event.stop()
        self._scroll_columns(self.left + 1)

    def _on_mouse_scroll_left(self, event: events.MouseScrollLeft) -> None:
        event.stop()
        self._scroll_columns(self.left - 1)
