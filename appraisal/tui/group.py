"""Group workshops in the app: choose whose view to see and edit, and where the room disagrees."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group as Stack
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..model import Appraisal
from ..model.scenario import ParticipantStep, WeightStep
from ..reports.numbers import count, fmt
from ..reports.workshop import GROUP_VIEW
from .grid import Column, Grid
from .host import Host
from .modals import PromptScreen, WeightsScreen
from .text import literal, printable

ADD = "\x00add"
APPRAISAL = "\x00appraisal"


class ParticipantScreen(ModalScreen[str | None]):
    """Whose view: the appraisal, the group, one participant, or a new participant."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, appraisal: Appraisal, viewing: str | None):
        super().__init__()
        self.appraisal, self.viewing = appraisal, viewing

    def compose(self) -> ComposeResult:
        def mark(key: str | None) -> str:
            return "● " if key == self.viewing else "  "

        people = self.appraisal.participants
        options = [Option(f"{mark(None)}The appraisal (shared scores and weights)", id=APPRAISAL)]
        if people:
            whose = "the one participant's" if len(people) == 1 else f"{len(people)} participants'"
            options.append(Option(f"{mark(GROUP_VIEW)}The group: {self.appraisal.group.aggregate} of {whose} weights", id=GROUP_VIEW))
        options += [Option(literal(f"{mark(p.name)}{p.name}: {count(len(p.weights), 'weight')}, {count(len(p.scores), 'score')} of their own"), id=f"p:{p.name}")
                    for p in people]
        options.append(Option("  + Add a participant…", id=ADD))
        with Vertical(classes="dialog"):
            yield Label("View and edit as…", classes="dialog-title")
            yield OptionList(*options)
            yield Label("Edits made while viewing a participant change only that participant's weights and scores.", classes="dim")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or APPRAISAL
        self.dismiss(ident[2:] if ident.startswith("p:") else ident)

    def action_cancel(self) -> None:
        self.dismiss(None)


SPREAD = ["", "on #3a3a00", "on #5a4a00", "on #7a3a00", "on #8a1a1a"]


class DisagreementScreen(Screen):
    """The matrix shaded by how far participants disagree; decisive cells marked, with who holds the ends.
    One group analysis, made by the reports; no sampling."""

    BINDINGS = [Binding("escape,q,D", "app.pop_screen", "Back")]

    def __init__(self, appraisal: Appraisal):
        from ..reports.disagreement import Disagreement  # the group analysis loads when first asked for

        super().__init__()
        self.disagreement = Disagreement.of(appraisal)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="sentences")
            yield Grid(fixed_columns=1, first_cursor_column=1, id="spread")
            yield Static(id="people")
        yield Footer()

    def on_mount(self) -> None:
        found = self.disagreement
        self.query_one("#sentences", Static).update(Stack(*[literal(s, "bold" if k == 0 else "") for k, s in enumerate(found.sentences)]))
        self._fill(self.size.width or 120)  # a first guess; once laid out, the grid's own width
        self.call_after_refresh(self._refit)
        self.query_one(Grid).focus()  # the arrow keys move over the cells at once (review: Tab was needed first)
        self._people()

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        grid = self.query_one(Grid)
        if grid.scrollable_content_region.width:
            self._fill(grid.scrollable_content_region.width + 1)

    def _fill(self, width: int) -> None:
        """Every option's column in `width` (review: at 120 columns three of five showed): the holders' names
        shortened, then left out, until the columns fit; the criterion column takes what is left (at least 20;
        below that the options scroll beside it)."""
        found = self.disagreement
        grid = self.query_one(Grid)
        options = [printable(label) for label in found.options]
        room = width - 1 - 2 * (len(options) + 1)  # the scrollbar, and each column's padding
        for name_len in (6, 5, 4, 3, 0):
            rows = self._rows(name_len)
            widest = [max([cell_len(options[k])] + [cell_len(row[k + 1][0]) for row in rows]) for k in range(len(options))]
            criterion = min(max(cell_len(row[0][0]) for row in rows), room - sum(widest))
            if criterion >= 20:
                break
        grid.set_columns([Column("Criterion", max(criterion, 12)), *[Column(label, w) for label, w in zip(options, widest)]])
        grid.set_header([("Criterion", Style())] + [(label, Style()) for label in options])
        grid.set_rows(rows)
        grid.styles.height = len(rows) + 2

    def _rows(self, name_len: int) -> list:
        found = self.disagreement
        rows = []
        for (criterion, decisive_weight), cells in zip(found.criteria, found.spread):
            row = [(printable(criterion) + (" !" if decisive_weight else ""), Style.parse("bold red" if decisive_weight else ""))]
            for cell in cells:
                if not cell.rescored:
                    row.append((fmt(cell.low), Style.parse("grey50")))
                    continue
                apart = cell.high > cell.low
                who = f" {printable(cell.low_holder)[:name_len]}/{printable(cell.high_holder)[:name_len]}" if apart and name_len else ""
                text = f"{fmt(cell.low)}–{fmt(cell.high)}{who}" if apart else f"{fmt(cell.low)} (all)"
                spec = ("bold white " + SPREAD[cell.band]) if cell.decisive else SPREAD[cell.band]
                row.append(("! " + text if cell.decisive else text, Style.parse(spec or "none")))
            rows.append(row)
        return rows

    def _people(self) -> None:
        found = self.disagreement
        table = Table(title="Each participant", title_justify="left", header_style="bold")
        for heading in ("Participant", "Prefers", "Group leader without them"):
            table.add_column(heading)
        for person, prefers, without in found.participants:
            table.add_row(literal(person), literal(prefers), literal(without))
        legend = Text("Cells show the range of scores participants gave (lowest/highest holder); shading grows with the spread; "
                      "! marks a disagreement that could change the group's choice. Grey: nobody rescored it.", style="dim")
        self.query_one("#people", Static).update(Stack(legend, Text(""), table))


class GroupActions(Host):
    """The workshop app's group actions: whose view, new participants, all weights at once, disagreement.
    A mixin of WorkshopApp; what it uses of the app is the `Workshop` contract (tui/host.py)."""

    def action_switch_view(self) -> None:
        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == ADD:
                if self.editable():
                    self.push_screen(PromptScreen("New participant's name"), self._add_participant)
                return
            self.viewing = None if choice == APPRAISAL else choice

        self.push_screen(ParticipantScreen(self.with_room(self.session.current), self.viewing), chosen)

    def _add_participant(self, name: str | None) -> None:
        if name and self.edit(ParticipantStep(action="add-participant", participant=name.strip())):
            self.viewing = name.strip()
            self.action_enter_weights()

    def action_enter_weights(self) -> None:
        """Every weight at once, one criterion after another: the quick way to take a participant's view."""
        if not self.editable():
            return
        shown = self.view.appraisal
        whose = self.viewing or "the appraisal"

        def done(values: dict[str, float] | None) -> None:
            if not values:
                return
            steps = [WeightStep(action="set-weight", criterion=c, weight=w, participant=self.viewing or "")
                     for c, w in values.items() if w != shown.weights[c]]
            if steps:
                self.edit(*steps)

        self.push_screen(WeightsScreen([(c.id, c.name, shown.weights[c.id]) for c in shown.criteria],
                                       title=f"Weights for {whose}: type a number, Enter for the next; ctrl+s applies"), done)

    def action_disagreement(self) -> None:
        current = self.with_room(self.session.current)  # a live room's participants, once revealed
        if not current.participants:
            self.notify("No participants yet: press g to add one.", severity="warning")
            return
        self.push_screen(DisagreementScreen(current))
