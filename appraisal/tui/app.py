"""The workshop app: a score matrix the room edits, rankings that move, and a record of why."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from ..errors import AppraisalError
from ..io.load import load
from ..model.scenario import EnableStep, ExcludeStep, PresetStep, ScoreStep, Step, WeightStep
from ..paths import bundled_appraisal
from ..session import Session
from .files import FileActions
from .group import GroupActions
from .matrix import ScoreMatrix
from .modals import ConfirmScreen, OrderScreen, PresetScreen, PromptScreen, WeightsScreen, reason_prompt, weight_prompt
from .panels import RankingsPanel, RationalePanel
from .screens import ChangesScreen, HelpScreen, SensitivityScreen
from .view import GROUP, View, fmt

NARROW = 120  # below this many columns the rationale goes under the matrix
RATIONALE_WIDTH = 44

HELP_TEXT = {
    "edit_weight": "Set the weight of the criterion in this row",
    "toggle_option": "Exclude the option in this column, or bring it back",
    "toggle_criterion": "Switch the criterion in this row off or on",
    "undo": "Undo the last change",
    "redo": "Redo",
    "reset_cell": "Reset this score to the loaded one",
    "reset_criterion": "Reset this criterion's scores, weight and use",
    "reset_all": "Reset everything to the loaded appraisal",
    "presets": "Weight presets: as loaded, equal, rank-order centroid, swing",
    "participant": "Set who is speaking",
    "toggle_reasons": "Ask for a reason after each edit, or stop asking",
    "switch_view": "View and edit as a participant, or see the group",
    "enter_weights": "Enter every weight, one after another",
    "disagreement": "Where the participants disagree, and what it would change",
    "changes": "List the changes made this session",
    "sensitivity": "How robust is the ranking",
    "save": "Save (atomic)",
    "save_as": "Save to a new file",
    "open": "Open another appraisal",
    "save_scenario": "Save this session as a replayable scenario",
    "export": "Export the matrix: csv, xlsx, md, json, html",
    "toggle_theme": "Light or dark theme",
    "help": "Keys and how the numbers are computed",
    "quit_app": "Quit (asks first if there are unsaved changes)",
}


class WorkshopApp(FileActions, GroupActions, App):
    CSS_PATH = Path(__file__).with_name("workshop.tcss")  # absolute: subclasses live elsewhere
    TITLE = "appraisal"
    BINDINGS = [
        *[Binding(str(d), f"set_score({d})", f"Score {d}", show=False) for d in range(1, 10)],
        Binding("plus,equals_sign", "step(1)", "+½", show=False),
        Binding("minus,underscore", "step(-1)", "-½", show=False),
        Binding("w", "edit_weight", "Weight"),
        Binding("x", "toggle_option", "Exclude"),
        Binding("c", "toggle_criterion", "On/off", show=False),
        Binding("z,ctrl+z", "undo", "Undo"),
        Binding("y,ctrl+y", "redo", "Redo"),
        Binding("r", "reset_cell", "Reset cell", show=False),
        Binding("R", "reset_criterion", "Reset row", show=False),
        Binding("ctrl+r", "reset_all", "Reset all", show=False),
        Binding("p", "presets", "Presets"),
        Binding("n", "participant", "Speaker", show=False),
        Binding("m", "toggle_reasons", "Reasons", show=False),
        Binding("g", "switch_view", "Who"),
        Binding("W", "enter_weights", "All weights", show=False),
        Binding("D", "disagreement", "Disagreement", show=False),
        Binding("v", "changes", "Changes"),
        Binding("t", "sensitivity", "Sensitivity"),
        Binding("s,ctrl+s", "save", "Save"),
        Binding("S", "save_as", "Save as", show=False),
        Binding("o", "open", "Open", show=False),
        Binding("a", "save_scenario", "Scenario", show=False),
        Binding("e", "export", "Export"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit_app", "Quit"),
    ]

    def __init__(self, path: Path, *, journal: bool = True, ask_reasons: bool = True, participant: str = "", restore: bool | None = None):
        super().__init__()
        self.path = Path(path)
        self.use_journal = journal
        self.ask_reasons = ask_reasons
        self.restore_choice = restore  # None: ask the user
        self.viewing: str | None = None  # None: the appraisal; GROUP; or a participant's name
        self.session = self._new_session(self.path, participant)
        self.view = View.of(self.session)

    def _new_session(self, path: Path, participant: str = "") -> Session:
        return Session(load(path).appraisal, path, journal=self.use_journal, participant=participant)

    # --- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ScoreMatrix(id="matrix")
                yield RankingsPanel(id="rankings")
            yield RationalePanel(id="rationale")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.refresh_view()
        self.query_one(ScoreMatrix).focus()
        self._offer_restore()

    def on_resize(self, event) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "narrow")
        self.query_one(ScoreMatrix).fit(event.size.width - (0 if narrow else RATIONALE_WIDTH) - 2)

    # --- rendering ----------------------------------------------------------------------------
    def refresh_view(self) -> None:
        self.view = View.of(self.session, self.viewing)
        self.viewing = self.view.viewing  # a removed participant falls back to the appraisal
        self.query_one(ScoreMatrix).show(self.view)
        self.query_one(RankingsPanel).show(self.view)
        self._show_rationale()
        a = self.session.current
        self.title = a.title
        who = f"  ·  speaking: {self.session.participant}" if self.session.participant else ""
        if self.viewing == GROUP:
            who += "  ·  viewing: THE GROUP (read only)"
        elif self.viewing:
            who += f"  ·  viewing: {self.viewing.upper()}"
        changes = len(self.session.steps)
        self.sub_title = (f"{self.session.path.name if self.session.path else ''}{'  ●  unsaved' if self.session.dirty else ''}"
                          f"  ·  {changes} change{'' if changes == 1 else 's'}{who}")

    def _show_rationale(self) -> None:
        option, criterion = self.query_one(ScoreMatrix).cell_at_cursor(self.view)
        self.query_one(RationalePanel).show(self.view, option, criterion)

    @on(ScoreMatrix.CursorMoved)
    def _highlighted(self) -> None:
        self._show_rationale()

    # --- editing ------------------------------------------------------------------------------
    def _cursor(self) -> tuple[str | None, str | None]:
        return self.query_one(ScoreMatrix).cell_at_cursor(self.view)

    def edit(self, *steps: Step, what: str = "") -> bool:
        try:
            self.session.apply(*steps)
        except AppraisalError as e:
            self.notify(e.message, severity="error", title="Not changed")
            return False
        self.refresh_view()
        if self.ask_reasons:
            self.push_screen(reason_prompt(what), self._annotate)
        return True

    def _annotate(self, note: str | None) -> None:
        if note:
            self.session.annotate(note)
            self.refresh_view()

    def _score_target(self) -> tuple[str, str] | None:
        option, criterion = self._cursor()
        if option is None or criterion is None:
            self.notify("Move the cursor onto a score first.", severity="warning")
            return None
        return option, criterion

    def check_action(self, action: str, parameters) -> bool | None:
        """Workshop actions act on the matrix: not while a dialog or another screen is on top."""
        if len(self.screen_stack) > 1 and action in _MATRIX_ACTIONS:
            return False
        return True

    def action_set_score(self, score: float) -> None:
        self.set_score(float(score))

    def set_score(self, score: float) -> None:
        target = self._score_target()
        if target is None:
            return
        option, criterion = target
        a = self.session.current
        if (why := a.scale.check_score(score)) is not None:
            self.notify(why, severity="error", title="Not changed")
            return
        if not self._editable():
            return
        shown = self.view.appraisal
        if shown.cell(option, criterion).score == score:
            return
        who = f"{self.viewing}: " if self.viewing else ""
        self.edit(ScoreStep(action="set-score", option=option, criterion=criterion, score=score, participant=self.viewing or ""),
                  what=f"{who}{a.option(option).label}, {a.criterion(criterion).name}: {fmt(shown.cell(option, criterion).score)} → {fmt(score)}")

    def _editable(self) -> bool:
        if self.viewing == GROUP:
            self.notify("The group view is computed from the participants: switch (g) to a participant or the appraisal to edit.",
                        severity="warning")
            return False
        return True

    def action_step(self, direction: int) -> None:
        target = self._score_target()
        if target is None:
            return
        a = self.view.appraisal
        now = a.cell(*target).score
        if now is None:
            self.notify("This score is missing: type a number to set it.", severity="warning")
            return
        new = now + direction * a.scale.step
        if not a.scale.min <= new <= a.scale.max:
            self.notify(f"{fmt(now)} is already at the end of the scale.", severity="warning")
            return
        self.set_score(new)

    def action_edit_weight(self) -> None:
        _, criterion = self._cursor()
        if criterion is None:
            self.notify("Move to a criterion's row first.", severity="warning")
            return
        if not self._editable():
            return
        a = self.view.appraisal

        def done(value: str | None) -> None:
            if value is not None and float(value) != a.weights[criterion]:
                who = f"{self.viewing}: " if self.viewing else ""
                self.edit(WeightStep(action="set-weight", criterion=criterion, weight=float(value), participant=self.viewing or ""),
                          what=f"{who}weight of {a.criterion(criterion).name}: {fmt(a.weights[criterion], 2)} → {value}")

        self.push_screen(weight_prompt(a.criterion(criterion).name, a.weights[criterion]), done)

    def action_toggle_option(self) -> None:
        option, _ = self._cursor()
        if option is None:
            self.notify("Move to an option's column first.", severity="warning")
            return
        o = self.session.current.option(option)
        action = "include" if o.excluded else "exclude"
        self.edit(ExcludeStep(action=action, option=option), what=f"{action} {o.label}")

    def action_toggle_criterion(self) -> None:
        _, criterion = self._cursor()
        if criterion is None:
            self.notify("Move to a criterion's row first.", severity="warning")
            return
        a = self.session.current
        action = "enable" if criterion in a.disabled else "disable"
        self.edit(EnableStep(action=action, criterion=criterion), what=f"{'switch on' if action == 'enable' else 'switch off'} {a.criterion(criterion).name}")

    def action_undo(self) -> None:
        if self.session.undo():
            self.refresh_view()
        else:
            self.notify("Nothing to undo.")

    def action_redo(self) -> None:
        if self.session.redo():
            self.refresh_view()
        else:
            self.notify("Nothing to redo.")

    def _reset_steps(self, cells: list[tuple[str, str]], criteria: list[str], options: list[str]) -> list[Step]:
        a, base = self.session.current, self.session.baseline
        steps: list[Step] = []
        for o in options:
            if a.option(o).excluded != base.option(o).excluded:
                steps.append(ExcludeStep(action="exclude" if base.option(o).excluded else "include", option=o))
        for c in criteria:
            if (c in a.disabled) != (c in base.disabled):
                steps.append(EnableStep(action="disable" if c in base.disabled else "enable", criterion=c))
        for o, c in cells:
            before = base.cell(o, c).score
            if before is not None and a.cell(o, c).score != before:
                if a.option(o).excluded and not any(isinstance(s, ExcludeStep) and s.option == o for s in steps):
                    continue  # scores of an excluded option cannot change; they reset when it is back in
                steps.append(ScoreStep(action="set-score", option=o, criterion=c, score=before))
        if criteria and any(a.weights[c] != base.weights[c] for c in criteria):
            steps.append(PresetStep(action="weights-preset", preset="as-loaded") if set(criteria) == set(a.criterion_index)
                         else WeightStep(action="set-weight", criterion=criteria[0], weight=base.weights[criteria[0]]))
        return steps

    def action_reset_cell(self) -> None:
        target = self._score_target()
        if target is None:
            return
        steps = self._reset_steps([target], [], [])
        if not steps:
            self.notify("This score is as loaded.")
            return
        self.edit(*steps, what=f"reset {self.session.current.option(target[0]).label} / {self.session.current.criterion(target[1]).name}")

    def action_reset_criterion(self) -> None:
        _, criterion = self._cursor()
        if criterion is None:
            return
        a = self.session.current
        steps = self._reset_steps([(o.id, criterion) for o in a.options], [criterion], [])
        if steps:
            self.edit(*steps, what=f"reset {a.criterion(criterion).name}")
        else:
            self.notify("This criterion is as loaded.")

    def action_reset_all(self) -> None:
        a = self.session.current
        steps = self._reset_steps([(o.id, c.id) for o in a.options for c in a.criteria], [c.id for c in a.criteria], [o.id for o in a.options])
        if not steps:
            self.notify("Everything is as loaded.")
            return

        def done(choice: str) -> None:
            if choice == "reset":
                self.edit(*steps, what="reset everything to the loaded appraisal")

        self.push_screen(ConfirmScreen(f"Reset everything to the loaded appraisal? ({len(steps)} changes; undo brings them back)",
                                       [("Reset", "reset", "error"), ("Cancel", "cancel", "default")]), done)

    def action_presets(self) -> None:
        a = self.session.current

        def chosen(preset: str | None) -> None:
            if preset in ("as-loaded", "equal"):
                self.edit(PresetStep(action="weights-preset", preset=preset), what=f"weights: {preset}")
            elif preset == "rank-order-centroid":
                active = [c for c in a.criteria if c.id not in a.disabled]
                order = sorted(active, key=lambda c: -a.weights[c.id])
                self.push_screen(OrderScreen([(c.id, c.name) for c in order]), lambda o: o and self.edit(
                    PresetStep(action="weights-preset", preset="rank-order-centroid", order=tuple(o)), what="weights: rank-order centroid"))
            elif preset == "swing":
                active = [c for c in a.criteria if c.id not in a.disabled]
                top = max(a.weights[c.id] for c in active) or 1
                self.push_screen(WeightsScreen([(c.id, c.name, round(100 * a.weights[c.id] / top, 1)) for c in active], swing=True), lambda pts: pts and self.edit(
                    PresetStep(action="weights-preset", preset="swing", points=pts), what="weights: swing"))

        self.push_screen(PresetScreen(), chosen)

    def action_participant(self) -> None:
        def done(name: str | None) -> None:
            if name is not None:
                self.session.participant = name
                self.refresh_view()

        self.push_screen(PromptScreen("Who is speaking? (recorded with each edit)", value=self.session.participant, allow_empty=True), done)

    def action_toggle_reasons(self) -> None:
        self.ask_reasons = not self.ask_reasons
        self.notify(f"Asking for a reason after each edit: {'on' if self.ask_reasons else 'off'}")

    # --- views --------------------------------------------------------------------------------
    def action_changes(self) -> None:
        a = self.session.current
        names = {o.id: o.label for o in a.options} | {c.id: c.name for c in a.criteria}
        self.push_screen(ChangesScreen(self.session.steps, names))

    def action_sensitivity(self) -> None:
        self.push_screen(SensitivityScreen(self.session.current))

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # workshop actions act on the matrix screen
        for binding in self.BINDINGS:
            if binding.action.startswith("set_score"):
                continue
            key = binding.key.split(",")[0]
            yield SystemCommand(binding.description, f"{HELP_TEXT.get(binding.action, '')} (key: {key})", partial(self.call_later, self.run_action, binding.action))


_MATRIX_ACTIONS = {b.action.split("(")[0] for b in WorkshopApp.BINDINGS} - {"toggle_theme", "help"}


def make_app(path: Path | str | None = None, **kw) -> WorkshopApp:
    """The one app factory, shared by the command line and the tests."""
    return WorkshopApp(Path(path) if path else bundled_appraisal(), **kw)
