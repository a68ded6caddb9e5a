"""Group workshops in the app: choose whose view to see and edit, and where the room disagrees."""

from __future__ import annotations

import math

from rich.console import Group
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

from ..engine.group import analyse, group_problem_from
from ..reports.group import group_report
from ..model import Appraisal
from .grid import Column, Grid
from ..model.scenario import ParticipantStep, WeightStep
from .modals import PromptScreen, WeightsScreen
from .view import GROUP, fmt

ADD = "\x00add"
APPRAISAL = "\x00appraisal"


class ParticipantScreen(ModalScreen[str | None]):
    """Whose view: the appraisal, the group, one participant, or a new participant."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, a: Appraisal, viewing: str | None):
        super().__init__()
        self.a, self.viewing = a, viewing

    def compose(self) -> ComposeResult:
        mark = lambda key: "● " if key == self.viewing else "  "  # noqa: E731
        options = [Option(f"{mark(None)}The appraisal (shared scores and weights)", id=APPRAISAL)]
        if self.a.participants:
            options.append(Option(f"{mark(GROUP)}The group: {self.a.group.aggregate} of {len(self.a.participants)} participants' weights", id=GROUP))
        options += [Option(f"{mark(p.name)}{p.name}: {len(p.weights)} weights, {len(p.scores)} scores of their own", id=f"p:{p.name}")
                    for p in self.a.participants]
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
    """The matrix shaded by how far participants disagree; decisive cells marked, with who holds the ends."""

    BINDINGS = [Binding("escape,q,D", "app.pop_screen", "Back")]

    def __init__(self, a: Appraisal):
        super().__init__()
        self.a = a

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="sentences")
            yield Grid(fixed_columns=1, first_cursor_column=1, id="spread")
            yield Static(id="people")
        yield Footer()

    def on_mount(self) -> None:
        a = self.a
        g = group_problem_from(a)
        r = analyse(g)
        report = group_report(a)
        self.query_one("#sentences", Static).update(Group(*[Text(s, style="bold" if k == 0 else "") for k, s in enumerate(report["sentences"])]))
        grid = self.query_one(Grid)
        grid.set_columns([Column("Criterion", 34), *[Column(o.label, 22) for o in a.options]])
        grid.set_header([("Criterion", Style())] + [(o.label, Style()) for o in a.options])
        top = max([s for s in r.cell_std.flat if not math.isnan(s)] + [1e-9])
        rows = []
        for j, c in enumerate(a.criteria):
            row = [(c.name + (" !" if r.decisive_criteria[j] else ""), Style.parse("bold red" if r.decisive_criteria[j] else ""))]
            for i, o in enumerate(a.options):
                if r.counts[i, j] == 0:
                    row.append((f"{fmt(g.base.scores[i, j])}", Style.parse("grey50")))
                    continue
                lo, hi = r.cell_min[i, j], r.cell_max[i, j]
                who = f" {g.names[r.low_holder[i, j]][:6]}/{g.names[r.high_holder[i, j]][:6]}" if hi > lo else ""
                band = min(4, 1 + int(3 * r.cell_std[i, j] / top)) if hi > lo else 0
                text = f"{fmt(lo)}–{fmt(hi)}{who}" if hi > lo else f"{fmt(lo)} (all)"
                spec = ("bold white " + SPREAD[band]) if r.decisive_cells[i, j] else SPREAD[band]
                row.append(("! " + text if r.decisive_cells[i, j] else text, Style.parse(spec or "none")))
            rows.append(row)
        grid.set_rows(rows)
        grid.styles.height = len(rows) + 2

        t = Table(title="Each participant", title_justify="left", header_style="bold")
        for h in ("Participant", "Prefers", "Group leader without them"):
            t.add_column(h)
        name = {o.id: o.name for o in a.options}
        for p in report["participants"]:
            t.add_row(p["name"], name.get(p["leader"], "a tie"), name.get(report["leave_one_out"][p["name"]], "a tie"))
        legend = Text("Cells show the range of scores participants gave (lowest/highest holder); shading grows with the spread; "
                      "! marks a disagreement that could change the group's choice. Grey: nobody rescored it.", style="dim")
        self.query_one("#people", Static).update(Group(legend, Text(""), t))


class GroupActions:
    """The workshop app's group actions: whose view, new participants, all weights at once, disagreement.
    A mixin of WorkshopApp."""

    def action_switch_view(self) -> None:
        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == ADD:
                self.push_screen(PromptScreen("New participant's name"), self._add_participant)
                return
            self.viewing = None if choice == APPRAISAL else choice
            self.refresh_view()

        self.push_screen(ParticipantScreen(self.session.current, self.viewing), chosen)

    def _add_participant(self, name: str | None) -> None:
        if name and self.edit(ParticipantStep(action="add-participant", participant=name.strip()), what=f"add participant {name}"):
            self.viewing = name.strip()
            self.refresh_view()
            self.action_enter_weights()

    def action_enter_weights(self) -> None:
        """Every weight at once, one criterion after another: the quick way to take a participant's view."""
        if not self._editable():
            return
        a = self.view.appraisal
        whose = self.viewing or "the appraisal"

        def done(values: dict[str, float] | None) -> None:
            if not values:
                return
            steps = [WeightStep(action="set-weight", criterion=c, weight=w, participant=self.viewing or "")
                     for c, w in values.items() if w != a.weights[c]]
            if steps:
                self.edit(*steps, what=f"{whose}: {len(steps)} weights")

        self.push_screen(WeightsScreen([(c.id, c.name, a.weights[c.id]) for c in a.criteria],
                                       title=f"Weights for {whose}: type a number, Enter for the next; ctrl+s applies"), done)

    def action_disagreement(self) -> None:
        if not self.session.current.participants:
            self.notify("No participants yet: press g to add one.", severity="warning")
            return
        self.push_screen(DisagreementScreen(self.session.current))
