"""The comparing screens: two options criterion by criterion (why one beats the other), and two named
snapshots of the session (or one and now) side by side. Both follow the session as it changes; the
numbers come from the reports (`compare`, `snapshots`)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Select, Static

from ..reports.compare import Comparison, compare
from ..reports.numbers import count, fmt_all, fmt_nonzero
from ..reports.snapshots import compare_states
from ..reports.workshop import WorkshopView
from .grid import fit
from .text import literal, printable

NOW = "\x00now"
A_COLOUR, B_COLOUR = "#4e9ad6", "#e0913a"


def _bars(diff: float | None, largest: float, width: int) -> Text:
    """A bar either side of a centre line: right for the first option, left for the second."""
    text = Text()
    if diff is None:
        return Text(" " * width + "│" + " " * width)
    n = min(width, round(abs(diff) / largest * width)) if largest > 0 else 0
    if diff != 0 and n == 0:
        n = 1  # a difference that is not zero is never invisible
    left = "█" * n if diff < 0 else ""
    right = "█" * n if diff > 0 else ""
    text.append(" " * (width - len(left)))
    text.append(left, B_COLOUR)
    text.append("│", "dim")
    text.append(right, A_COLOUR)
    text.append(" " * (width - len(right)))
    return text


def comparison_table(c: Comparison, width: int = 120) -> Table:
    """The table in `width` cells: numbers whole, the criterion's name and the bars taking what is left."""
    values = [x for r in c.rows for x in (r.a, r.b, r.difference)] + [c.total_a, c.total_b, c.difference]
    column = fmt_all(values, 1, column=True)  # one number of decimals for every figure, so the columns line up
    shown = dict(zip(values, column))

    def num(x: float | None) -> str:
        return shown.get(x) or fmt_all([x], 1, column=True)[0]

    weights = dict(zip([r.weight for r in c.rows], fmt_all([r.weight for r in c.rows], 2, column=True)))

    def signed(x: float | None) -> str:
        text = num(x)
        return f"+{text}" if x is not None and x > 0 else text

    a_width = max(min(16, cell_len(printable(c.a_label))), max(len(f"{num(r.a)} ({fmt_nonzero(r.score_a)})") for r in c.rows))
    b_width = max(min(16, cell_len(printable(c.b_label))), max(len(f"{num(r.b)} ({fmt_nonzero(r.score_b)})") for r in c.rows))
    numbers_width = 6 + a_width + b_width + 10 + 5  # weight, the two options, the difference, and a space between columns
    bar_width = max(3, min(20, (width - numbers_width - 24 - 2) // 2))
    name_width = max(12, min(44, width - numbers_width - (2 * bar_width + 1) - 1))
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column("Criterion", no_wrap=True, overflow="ellipsis", width=name_width)
    table.add_column("Weight", justify="right", no_wrap=True, min_width=6)
    table.add_column(literal(c.a_label, f"bold {A_COLOUR}"), justify="right", no_wrap=True, width=a_width, overflow="ellipsis")
    table.add_column(literal(c.b_label, f"bold {B_COLOUR}"), justify="right", no_wrap=True, width=b_width, overflow="ellipsis")
    table.add_column("Difference", justify="right", no_wrap=True, min_width=10)
    left, right = f"◂ {printable(c.b_label)} ", f" {printable(c.a_label)} ▸"
    heading = Text.assemble((fit(left, bar_width, "right"), B_COLOUR), ("│", "dim"), (fit(right, bar_width), A_COLOUR))
    table.add_column(heading, no_wrap=True, overflow="crop", width=2 * bar_width + 1)
    for r in c.rows:
        if r.off:
            table.add_row(literal(r.name, "grey50"), Text(weights[r.weight], "grey50"), "", "", Text("switched off", "grey50"), "")
            continue
        table.add_row(literal(r.name), weights[r.weight], f"{num(r.a)} ({fmt_nonzero(r.score_a)})", f"{num(r.b)} ({fmt_nonzero(r.score_b)})",
                      Text(signed(r.difference), A_COLOUR if (r.difference or 0) > 0 else (B_COLOUR if (r.difference or 0) < 0 else "dim")),
                      _bars(r.difference, c.largest, bar_width))
    table.add_section()
    table.add_row(Text("Weighted total", "bold"), "", Text(num(c.total_a), "bold"), Text(num(c.total_b), "bold"),
                  Text(signed(c.difference), "bold"), "")
    return table


def comparison_summary(c: Comparison) -> Text:
    places = max((len(t.partition(".")[2]) for t in fmt_all([c.for_a, c.for_b, c.difference], 1)), default=1)
    text = Text()
    text.append(printable(c.sentence()), "bold")
    d = c.difference
    if d == d and abs(d) > 0 and not c.sentence().endswith("tie."):
        text.append(f" by {fmt_nonzero(abs(d), places)}", "bold")
    text.append(f".  Criteria favouring {printable(c.a_label)} add {fmt_nonzero(c.for_a, places)}; "
                f"those favouring {printable(c.b_label)} add {fmt_nonzero(c.for_b, places)}.")
    for label, out in ((c.a_label, c.a_excluded), (c.b_label, c.b_excluded)):
        if out:
            text.append(f"  {printable(label)} is excluded from the ranking.", "yellow")
    text.append("\nEach contribution is weight × score (the score in brackets); the differences add up to the difference of the totals.", "dim")
    return text


class CompareScreen(Screen):
    """Why one option beats another: each criterion's weighted contribution to each, and the
    difference, largest first, with bars. Follows the session's edits (z / y work here)."""

    ALLOWS = {"undo", "redo"}  # workshop actions allowed while this screen is up
    BINDINGS = [Binding("escape,q,C", "app.pop_screen", "Back"), Binding("s", "swap", "Swap")]

    def __init__(self, first: str, second: str):
        super().__init__()
        self.first, self.second = first, second

    def compose(self) -> ComposeResult:
        yield Header()
        options = [(literal(o.label), o.id) for o in self.app.view.appraisal.options]  # Text: a name is never markup
        with Horizontal(classes="pickers"):
            yield Label("Compare ", classes="picker-label")
            yield Select(options, value=self.first, allow_blank=False, id="compare-a")
            yield Label(" with ", classes="picker-label")
            yield Select(options, value=self.second, allow_blank=False, id="compare-b")
        with VerticalScroll():
            yield Static(id="compare-summary")
            yield Static(id="compare-table")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        if event.select.id == "compare-a":
            self.first = str(event.value)
        else:
            self.second = str(event.value)
        self.show(self.app.view)

    def action_swap(self) -> None:
        self.first, self.second = self.second, self.first
        with self.prevent(Select.Changed):
            self.query_one("#compare-a", Select).value = self.first
            self.query_one("#compare-b", Select).value = self.second
        self.show(self.app.view)

    def show(self, view: WorkshopView) -> None:
        a = view.appraisal
        if self.first not in a.option_index or self.second not in a.option_index:
            return
        self.comparison = compare(a, view.evaluation, self.first, self.second)
        width = self.query_one("#compare-table", Static).size.width or self.size.width or 120
        self.query_one("#compare-summary", Static).update(comparison_summary(self.comparison))
        self.query_one("#compare-table", Static).update(comparison_table(self.comparison, width))

    def on_resize(self) -> None:
        self.call_after_refresh(lambda: self.show(self.app.view))


class SnapshotScreen(Screen):
    """Two snapshots, or a snapshot and now, side by side: the leader, totals and ranks, the weights
    and scores that differ."""

    ALLOWS = {"undo", "redo"}
    BINDINGS = [Binding("escape,q,B", "app.pop_screen", "Back"), Binding("s", "swap", "Swap")]

    def __init__(self, left: str, right: str = NOW):
        super().__init__()
        self.left, self.right = left, right

    def _choices(self) -> list[tuple[str, str]]:
        return [(literal(s.name), s.name) for s in self.app.session.snapshots] + [(Text("Now"), NOW)]  # Text: never markup

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="pickers"):
            yield Label("Compare ", classes="picker-label")
            yield Select(self._choices(), value=self.left, allow_blank=False, id="snap-left")
            yield Label(" with ", classes="picker-label")
            yield Select(self._choices(), value=self.right, allow_blank=False, id="snap-right")
        with VerticalScroll():
            yield Static(id="snap-sentences")
            yield Static(id="snap-options")
            yield Static(id="snap-changes")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        if event.select.id == "snap-left":
            self.left = str(event.value)
        else:
            self.right = str(event.value)
        self.show(self.app.view)

    def action_swap(self) -> None:
        self.left, self.right = self.right, self.left
        with self.prevent(Select.Changed):
            self.query_one("#snap-left", Select).value = self.left
            self.query_one("#snap-right", Select).value = self.right
        self.show(self.app.view)

    def _state(self, name: str):
        session = self.app.session
        if name == NOW:
            return "now", session.current
        snap = session.snapshot(name)
        return (snap.name, snap.state) if snap else (None, None)

    def show(self, view: WorkshopView) -> None:
        (ln, left), (rn, right) = self._state(self.left), self._state(self.right)
        if left is None or right is None:
            return
        found = compare_states(ln, left, rn, right)
        self.comparison = found
        self.query_one("#snap-sentences", Static).update(Stack(*[literal(s, "bold" if k == 0 else "") for k, s in enumerate(found.sentences())], Text("")))
        totals = fmt_all([t for o in found.options for t in o.total], 1)
        table = Table(title="Options", title_justify="left", title_style="bold", header_style="bold", box=None, padding=(0, 2, 0, 0))
        table.add_column("Option", no_wrap=True)
        for name in (ln, rn):
            table.add_column(Text(f"{printable(name)}: total", overflow="ellipsis"), justify="right", no_wrap=True)
            table.add_column("rank", justify="right", no_wrap=True)
        table.add_column("")
        for k, o in enumerate(found.options):
            move = o.rank[0] - o.rank[1] if o.rank[0] and o.rank[1] else 0
            arrow = Text(f"▲ up {move}" if move > 0 else (f"▼ down {-move}" if move < 0 else ""), "green" if move > 0 else "red")
            table.add_row(literal(o.label, "bold" if 1 in o.rank else ""), totals[2 * k], _rank(o.rank[0], o.excluded[0]),
                          totals[2 * k + 1], _rank(o.rank[1], o.excluded[1]), arrow)
        self.query_one("#snap-options", Static).update(Stack(table, Text("")))
        parts = []
        weights = Table(title=f"Weights that differ ({count(found.same_weights, 'other')} the same)", title_justify="left", title_style="bold",
                        header_style="bold", box=None, padding=(0, 2, 0, 0))
        weights.add_column("Criterion", no_wrap=True, overflow="ellipsis", max_width=44)
        for name in (ln, rn):
            weights.add_column(Text(printable(name), overflow="ellipsis"), justify="right", no_wrap=True)
        weights.add_column("shares", justify="right", no_wrap=True)
        for w in found.weights:
            cells = [("off" if off else fmt_nonzero(x, 2)) for x, off in zip(w.weight, w.off)]
            weights.add_row(literal(w.name), *cells, f"{w.share[0] * 100:.1f}% → {w.share[1] * 100:.1f}%")
        parts.append(weights if found.weights else Text("Every weight is the same.", style="dim"))
        parts.append(Text(""))
        scores = Table(title="Scores that differ", title_justify="left", title_style="bold", header_style="bold", box=None, padding=(0, 2, 0, 0))
        scores.add_column("Option / criterion", no_wrap=True, overflow="ellipsis", max_width=60)
        for name in (ln, rn):
            scores.add_column(Text(printable(name), overflow="ellipsis"), justify="right", no_wrap=True)
        for s in found.scores:
            scores.add_row(literal(f"{s.option} / {s.criterion}"), fmt_nonzero(s.score[0]), fmt_nonzero(s.score[1]))
        parts.append(scores if found.scores else Text("Every score is the same.", style="dim"))
        self.query_one("#snap-changes", Static).update(Stack(*parts))


def _rank(rank: int, excluded: bool) -> str:
    return "excluded" if excluded else (str(rank) if rank else "–")
