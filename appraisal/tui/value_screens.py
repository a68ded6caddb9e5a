"""The value tree's screens: a natural-unit criterion's value function (its curve and points, each
option placed on it), and value against cost with the efficient frontier. Both follow the session as it
changes; what they show comes from the reports (`value_views`), drawn here as text."""

from __future__ import annotations

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..reports.numbers import fmt, with_unit
from ..reports.value_views import ValueForMoneyView, ValueFunctionView
from ..reports.workshop import WorkshopView
from .chart import COLOURS, MARKS
from .text import literal, printable

AXIS = 8  # the y axis's labels and its line
POINT = "◇"  # a point of a value function (options have the marks of the one-way chart)


def _plot_size(screen: Screen, reserve: int) -> tuple[int, int]:
    """(columns, rows) for a chart on this screen, leaving `reserve` rows for the words and tables."""
    width = (screen.size.width or 100) - AXIS - 4
    height = (screen.size.height or 40) - reserve
    return max(20, width), max(6, min(18, height))


def _canvas(width: int, height: int) -> list[list[tuple[str, str]]]:
    return [[(" ", "")] * width for _ in range(height)]


def _draw(canvas, y_labels: dict[int, str], x_axis: Text, x_labels: Text) -> Text:
    text = Text()
    for y, row in enumerate(canvas):
        text.append(f"{y_labels.get(y, ''):>{AXIS - 2}} ┤" if y in y_labels else " " * (AXIS - 1) + "│", "dim")
        for ch, style in row:
            text.append(ch, style)
        text.append("\n")
    text.append(" " * (AXIS - 1) + "└", "dim")
    text.append_text(x_axis)
    text.append("\n" + " " * AXIS)
    text.append_text(x_labels)
    return text


def _x_labels(width: int, marks: list[tuple[int, str]]) -> tuple[Text, Text]:
    """The x axis with a tick at each mark's column, and the marks' labels under it where they do not overlap."""
    axis = ["─"] * width
    labels = [" "] * width
    end = -1
    for col, label in sorted(marks):
        axis[col] = "┬"
        start = max(0, min(width - len(label), col - len(label) // 2))
        if start > end:
            labels[start:start + len(label)] = list(label)
            end = start + len(label)
    return Text("".join(axis), "dim"), Text("".join(labels), "dim")


def _y_labels(low: float, high: float, height: int, digits: int) -> dict[int, str]:
    """Labels at the top, the bottom and the middle value (on the row nearest it)."""
    mid = (low + high) / 2
    return {0: fmt(high, digits), _row(mid, low, high, height): fmt(mid, digits), height - 1: fmt(low, digits)}


def _dot_y(value: float, low: float, high: float, height: int) -> int:
    """The braille dot row (four to a line, 0 at the top) of a value."""
    span = (high - low) or 1.0
    return 4 * height - 1 - int(round((value - low) / span * (4 * height - 1)))


def _row(value: float, low: float, high: float, height: int) -> int:
    """The line of the chart a value falls on (the line of its braille dot, so marks sit on the curve)."""
    return _dot_y(value, low, high, height) // 4


# Braille cells are 2 dots wide and 4 high: curves drawn with them are smooth, not staircases.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def _line(bits: list[list[int]], x0: int, y0: int, x1: int, y1: int) -> None:
    """Dots from (x0, y0) to (x1, y1), joined (dot coordinates)."""
    steps = max(abs(x1 - x0), abs(y1 - y0), 1)
    for k in range(steps + 1):
        x, y = round(x0 + (x1 - x0) * k / steps), round(y0 + (y1 - y0) * k / steps)
        if 0 <= y < 4 * len(bits) and 0 <= x < 2 * len(bits[0]):
            bits[y // 4][x // 2] |= _DOTS[x % 2][y % 4]


def _ink(canvas, bits: list[list[int]], style: str) -> None:
    """The dots onto the canvas, where nothing is drawn yet."""
    for cy, row in enumerate(bits):
        for cx, b in enumerate(row):
            if b and canvas[cy][cx][0] == " ":
                canvas[cy][cx] = (chr(0x2800 + b), style)


# --- the value function ---------------------------------------------------------------------------

def value_function_chart(vf: ValueFunctionView, width: int, height: int) -> Text:
    """The curve in braille dots, its points ◇, and each option's mark at its measure and the score it derives."""
    canvas = _canvas(width, height)
    low, high = vf.scale_min, vf.scale_max
    dots = 2 * width
    for mx, my in vf.points:
        canvas[_row(my, low, high, height)][vf.column_of(mx, dots) // 2] = (POINT, "bold")
    for k, placed in enumerate(vf.options):
        if placed.measure is None or placed.score is None or placed.excluded:
            continue
        col, row = vf.column_of(placed.measure, dots) // 2, _row(placed.score, low, high, height)
        canvas[row][col] = (MARKS[k % len(MARKS)], f"bold {COLOURS[k % len(COLOURS)]}")
    bits = [[0] * width for _ in range(height)]
    ys = [_dot_y(score, low, high, height) for _, score in vf.samples(dots)]
    for x, y in enumerate(ys):
        _line(bits, max(0, x - 1), ys[x - 1] if x else y, x, y)
    _ink(canvas, bits, "bold")
    axis, labels = _x_labels(width, [(vf.column_of(x, width), fmt(x, 2)) for x, _ in vf.points]
                             + [(0, fmt(vf.low, 2)), (width - 1, fmt(vf.high, 2))])
    return _draw(canvas, _y_labels(low, high, height, 2), axis, labels)


def value_function_legend(vf: ValueFunctionView) -> Text:
    text = Text("score ↑   ", "dim")
    for k, placed in enumerate(vf.options):
        style = "grey50" if placed.excluded else f"bold {COLOURS[k % len(COLOURS)]}"
        text.append(f"{MARKS[k % len(MARKS)]} {printable(placed.label)}", style)
        text.append("   ")
    text.append(f"{POINT} a point of the function", "bold")
    return text


def value_function_table(vf: ValueFunctionView) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("Option")
    table.add_column(f"Measure ({printable(vf.unit)})" if vf.unit else "Measure", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("")
    for k, placed in enumerate(vf.options):
        note = "excluded" if placed.excluded else (f"was {placed.was}" if placed.was else "")
        style = "grey50" if placed.excluded else ""
        table.add_row(Text.assemble((MARKS[k % len(MARKS)] + " ", COLOURS[k % len(COLOURS)]), literal(placed.label, style)),
                      literal(placed.measure_text, style), Text(placed.score_text, style or "bold"), literal(note, "yellow" if placed.was else "dim"))
    return table


class ValueFunctionScreen(Screen):
    """A natural-unit criterion's value function, with every option on its curve. Left/right: the other
    measured criteria. Follows the session: a measure typed, an undo, changes it at once."""

    ALLOWS = {"undo", "redo"}
    BINDINGS = [Binding("escape,q,u", "app.pop_screen", "Back"), Binding("left", "other(-1)", "Previous measured criterion"),
                Binding("right", "other(1)", "Next measured criterion")]

    def __init__(self, criterion: str):
        super().__init__()
        self.criterion = criterion

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="vf-title")
            yield Static(id="vf-chart")
            yield Static(id="vf-table")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    def on_resize(self) -> None:
        self.call_after_refresh(lambda: self.show(self.app.view))

    def action_other(self, step: int) -> None:
        measured = [c.id for c in self.app.view.appraisal.criteria if c.measured]
        if self.criterion in measured and len(measured) > 1:
            self.criterion = measured[(measured.index(self.criterion) + step) % len(measured)]
            self.show(self.app.view)

    def show(self, view: WorkshopView) -> None:
        if self.criterion not in view.appraisal.criterion_index:
            return
        vf = view.value_function(self.criterion)
        if vf is None:
            return
        self.shown = vf
        measured = sum(c.measured for c in view.appraisal.criteria)
        title = Text.assemble((printable(vf.name), "bold"), ("   ← → the other measured criteria" if measured > 1 else "", "dim"), "\n",
                              literal(f"Value function, {vf.words}", "dim"), "\n", value_function_legend(vf))
        self.query_one("#vf-title", Static).update(title)
        width, height = _plot_size(self, reserve=len(vf.options) + 12)
        chart = value_function_chart(vf, width, height)
        chart.append(f"\n{'':{AXIS}}{printable(with_unit(vf.low, vf.unit))} to {printable(with_unit(vf.high, vf.unit))}: "
                     f"the measure, in {printable(vf.unit) or 'its unit'} →", "dim")
        self.query_one("#vf-chart", Static).update(chart)
        self.query_one("#vf-table", Static).update(value_function_table(vf))


# --- value for money ----------------------------------------------------------------------------------

def money_chart(vfm: ValueForMoneyView, width: int, height: int) -> Text:
    """Value (up) against cost (across, from 0): each option's mark, the frontier joined by a line."""
    canvas = _canvas(width, height)
    pad = (vfm.value_high - vfm.value_low) * 0.1 or 1.0
    low, high = max(0.0, vfm.value_low - pad) if vfm.value_low >= 0 else vfm.value_low - pad, vfm.value_high + pad
    c_low, c_high = vfm.cost_low, vfm.cost_high if vfm.cost_high > vfm.cost_low else vfm.cost_low + 1

    def dot_x(cost: float) -> int:
        return max(0, min(2 * width - 1, int(round((cost - c_low) / (c_high - c_low) * (2 * width - 1)))))

    def col(cost: float) -> int:
        return dot_x(cost) // 2

    placed = {r.option: r for r in vfm.rows if r.cost is not None and r.value is not None}
    frontier = [placed[x] for x in vfm.frontier if x in placed]
    bits = [[0] * width for _ in range(height)]
    for a, b in zip(frontier, frontier[1:]):  # the frontier as a line between its options
        _line(bits, dot_x(a.cost), _dot_y(a.value, low, high, height), dot_x(b.cost), _dot_y(b.value, low, high, height))  # type: ignore[arg-type]
    for k, r in enumerate(vfm.rows):
        if r.option not in placed:
            continue
        x, y = col(r.cost), _row(r.value, low, high, height)  # type: ignore[arg-type]
        style = f"bold {COLOURS[k % len(COLOURS)]}"
        canvas[y][x] = (MARKS[k % len(MARKS)], style)
        label = " " + printable(r.label)
        if x + len(label) >= width:  # at the right edge the name goes to the mark's left
            label = printable(r.label) + " "
            x -= len(label) + 1
        for d, ch in enumerate(label):
            if 0 <= x + 1 + d < width and canvas[y][x + 1 + d][0] == " ":
                canvas[y][x + 1 + d] = (ch, COLOURS[k % len(COLOURS)] + (" bold" if r.on_frontier else ""))
    _ink(canvas, bits, "green")
    y_labels = _y_labels(low, high, height, 1)
    marks = [(col(r.cost), with_unit(r.cost, vfm.cost_unit)) for r in placed.values()]  # type: ignore[arg-type]
    axis, labels = _x_labels(width, [(0, with_unit(c_low, vfm.cost_unit))] + marks)
    return _draw(canvas, y_labels, axis, labels)


def money_table(vfm: ValueForMoneyView) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("Option")
    table.add_column("Cost", justify="right")
    table.add_column("Value", justify="right")
    table.add_column("Value per cost", justify="right")
    table.add_column("Frontier")
    for k, r in enumerate(vfm.rows):
        style = "grey50" if r.excluded else ""
        where = "on it" if r.on_frontier else (f"off: beaten by {' and '.join(r.beaten_by)}" if r.beaten_by else "–")
        table.add_row(Text.assemble((MARKS[k % len(MARKS)] + " ", COLOURS[k % len(COLOURS)]), literal(r.label, style)),
                      literal(r.cost_text, style), Text(r.value_text, style or "bold"), literal(r.per_cost_text, style),
                      literal(where, "bold green" if r.on_frontier else "yellow" if r.beaten_by else "dim"))
    return table


def steps_table(vfm: ValueForMoneyView) -> Table | None:
    if not vfm.steps:
        return None
    table = Table(title="Along the frontier, cheapest first", title_justify="left", title_style="bold", box=None, header_style="bold",
                  pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("From")
    table.add_column("To")
    table.add_column("Extra cost", justify="right")
    table.add_column("Extra value", justify="right")
    table.add_column("Value per extra cost", justify="right")
    for s in vfm.steps:
        table.add_row(literal(s.from_label), literal(s.to_label), literal(s.extra_cost), s.extra_value, literal(s.per_extra_cost))
    return table


class ValueForMoneyScreen(Screen):
    """Each option's value (its weighted total) against its cost, the efficient frontier joined, value per
    cost. Follows the session: a weight nudged or an undo moves it at once."""

    ALLOWS = {"undo", "redo"}
    BINDINGS = [Binding("escape,q,V", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="vfm-title")
            yield Static(id="vfm-chart")
            yield Static(id="vfm-table")
            yield Static(id="vfm-words")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    def on_resize(self) -> None:
        self.call_after_refresh(lambda: self.show(self.app.view))

    def show(self, view: WorkshopView) -> None:
        vfm = view.value_for_money()
        if vfm is None:
            return
        self.shown = vfm
        unit = printable(vfm.cost_unit) or "the cost's unit"
        self.query_one("#vfm-title", Static).update(Text.assemble(
            ("Value for money", "bold"), (f": each option's value (weighted total) against its cost ({unit}); ", "dim"),
            ("⠒", "green"), (" joins the efficient frontier (no other option gives at least as much value for no more cost)", "dim")))
        width, height = _plot_size(self, reserve=len(vfm.rows) + len(vfm.steps) + 14)
        chart = money_chart(vfm, width, height)
        chart.append(f"\n{'':{AXIS}}value ↑, cost →", "dim")
        self.query_one("#vfm-chart", Static).update(chart)
        self.query_one("#vfm-table", Static).update(money_table(vfm))
        steps = steps_table(vfm)
        words = Text("\n".join(printable(s) for s in vfm.sentences))
        self.query_one("#vfm-words", Static).update(Stack(*([Text(""), steps] if steps is not None else []), Text(""), words))


__all__ = ["ValueForMoneyScreen", "ValueFunctionScreen"]
