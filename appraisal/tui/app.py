"""The workshop app: a score matrix the room edits, rankings that move, and a record of why."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Literal

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, Header

from ..errors import AppraisalError
from ..model.scenario import EnableStep, ExcludeStep, PresetStep, ScoreStep, Step, WeightStep
from ..paths import bundled_appraisal
from ..reports.numbers import count, fmt
from ..reports.workshop import GROUP_VIEW, WorkshopView, nudged
from ..session import Session
from .compare import CompareActions
from .files import FileActions
from .group import GroupActions
from .matrix import ScoreMatrix
from .modals import ConfirmScreen, OrderScreen, PresetScreen, PromptScreen, WeightsScreen, reason_prompt, weight_prompt
from .panels import LeaderBanner, RankingsPanel, RationalePanel, ShareStripLine
from .room import RoomActions, RoomPanel
from .status import RETRY_SECONDS, AlertLine, StatusLine, sub_title
from .text import printable
from .tree import TreeActions

SIDE_MIN, SIDE_MAX = 36, 56  # the rationale beside the matrix, when the window is wide enough for both
INFO_SECONDS, WARNING_SECONDS = 3.0, 8.0  # how long notifications stay, unless told
RANKED_MIN = 5  # options the rankings under the matrix always show (all of them when there are fewer)

IfLocked = Literal["ask", "read-only", "copy"]

HELP_TEXT = {
    "step": "Raise or lower the score under the cursor by one step of the scale",
    "edit_weight": "Set the weight of the criterion (or group) in this row",
    "nudge": "Nudge this row's weight up ] or down [ by one step, and see where the leader would change",
    "edit_cell": "Type the cell under the cursor: a measure in its unit, or a score; on a group's row, fold or unfold it",
    "fold": "Fold or unfold the group under the cursor (a folded group shows only its subtotal row)",
    "fold_all": "Fold every group, or unfold them all",
    "value_function": "The value function of this row's measured criterion, with each option on its curve",
    "value_for_money": "Each option's value against its cost, the efficient frontier, and value per cost",
    "toggle_rationale": "Show or hide the rationale panel",
    "compare": "Why one option beats another: each criterion's weighted contribution and the difference",
    "take_snapshot": "Name the current state (\"before lunch\"), to compare later",
    "compare_snapshots": "Two snapshots, or a snapshot and now, side by side",
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


class WorkArea(Vertical):
    """The matrix and what goes under it: the matrix as tall as its rows, and room left for the
    rankings (the whole weighted ranking, or its top RANKED_MIN), so the ranking is always in view."""

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        matrix = self.query_one(ScoreMatrix)
        height = self.size.height
        view = self.app.view
        if not height or view is None:
            return
        options = len(view.appraisal.options)
        dominated = 1 if view.evaluation.dominates.any() else 0
        below = min(max(RANKED_MIN, options // 3), options) + 3 + dominated  # the ranking, its heading and border
        wanted = max(3, min(matrix.natural_height(), height - min(below, height // 2 + 1)))
        if matrix.styles.height is None or matrix.styles.height.value != wanted:  # a layout only when it changes
            matrix.styles.height = wanted


class WorkshopApp(CompareActions, FileActions, GroupActions, RoomActions, TreeActions, App):
    CSS_PATH = Path(__file__).with_name("workshop.tcss")  # absolute: subclasses live elsewhere
    TITLE = "appraisal"
    BINDINGS = [
        *[Binding(str(d), f"set_score({d})", f"Score {d}", show=False) for d in range(1, 10)],
        Binding("plus,equals_sign", "step(1)", "Score up ½", show=False),
        Binding("minus,underscore", "step(-1)", "Score down ½", show=False),
        Binding("enter", "edit_cell", "Type a cell", show=False),
        Binding("w", "edit_weight", "Weight"),
        Binding("right_square_bracket", "nudge(1)", "Nudge up", show=False),
        Binding("left_square_bracket", "nudge(-1)", "Nudge down", show=False),
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
        Binding("C", "compare", "Compare options", show=False),
        Binding("b", "take_snapshot", "Take snapshot", show=False),
        Binding("B", "compare_snapshots", "Compare snapshots", show=False),
        Binding("i", "toggle_rationale", "Rationale", show=False),
        Binding("s,ctrl+s", "save", "Save"),
        Binding("S", "save_as", "Save as", show=False),
        Binding("o", "open", "Open", show=False),
        Binding("a", "save_scenario", "Scenario", show=False),
        Binding("e", "export", "Export"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("question_mark,f1", "help", "Help"),
        # The value tree's keys show only where they apply (check_action); Fold after Help, which stays in view at 120 columns.
        Binding("f", "fold", "Fold"),
        Binding("F", "fold_all", "Fold all", show=False),
        Binding("u", "value_function", "Value function", show=False),
        Binding("V", "value_for_money", "Value for money", show=False),
        Binding("q", "quit_app", "Quit"),
    ]

    # The one derived state every widget watches: replaced (never mutated) after every change of the
    # session or of whose view is shown. Compared by identity (it holds numpy arrays).
    # No repaint of their own (the widgets watching them repaint what changed): a full-screen repaint at
    # every key press would make its cost grow with the window, not with what changed.
    view: reactive[WorkshopView] = reactive(None, always_update=True, init=False, repaint=False)  # type: ignore[arg-type]
    viewing: reactive[str | None] = reactive(None, init=False, repaint=False)
    cursor: reactive[tuple[str | None, str | None]] = reactive((None, None), init=False, repaint=False)  # (option, criterion) shown in the rationale
    cursor_group: reactive[str | None] = reactive(None, init=False, repaint=False)  # the group whose row the cursor is on

    def __init__(self, path: Path, *, journal: bool = True, ask_reasons: bool = True, participant: str = "",
                 restore: bool | None = None, if_locked: IfLocked = "ask"):
        super().__init__()
        self.path = Path(path)
        self.use_journal = journal
        self.ask_reasons = ask_reasons
        self.restore_choice = restore  # None: ask the user
        self.if_locked = if_locked
        self._session: Session | None = None
        self._journal_failing = False
        self._shown = False  # mounted: the matrix exists
        self.show_rationale = True  # i hides it: more room for the matrix and the rankings
        self._strip_for: str | None = None  # the criterion the nudge strip is about, while it is shown
        self._wide: bool | None = None  # the rationale beside the matrix (else under it)
        # Loading here makes bad input fail before the screen is taken over, as one line.
        self.session, self.locked_out = self.new_session(self.path, participant)

    # --- the session, and the view derived from it --------------------------------------------
    @property
    def session(self) -> Session:
        assert self._session is not None
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = session
        session.set_setting("ask_reasons", self.ask_reasons, record=False)  # in the journal's header: a restore brings it back
        session.subscribe(self._derive)
        self._derive()

    def _derive(self) -> None:
        """Session or viewpoint changed: derive the view again (every widget watching it follows)."""
        current = self.with_room(self.session.current)  # a live room's participants, once revealed
        if current is self.session.current:
            view = self.session.view(self.viewing, self.view)
        else:
            view = WorkshopView.of(current, self.session.baseline, self.session.steps, self.viewing, self.view)
        if view.viewing != self.viewing:  # a removed participant falls back to the appraisal
            self.set_reactive(WorkshopApp.viewing, view.viewing)
        self.view = view

    def watch_viewing(self) -> None:
        self._derive()

    def watch_view(self, view: WorkshopView) -> None:
        shape = (bool(view.appraisal.groups), any(c.measured for c in view.appraisal.criteria), view.appraisal.has_costs)
        if shape != getattr(self, "_shape", None):  # another file: the tree's keys come or go in the footer
            self._shape = shape
            self.refresh_bindings()
        title, sub = printable(view.appraisal.title), sub_title(self.session, self.viewing)
        if (title, sub) != (self.title, self.sub_title):  # the header repaints only when it changes
            self.title, self.sub_title = title, sub
        self._journal_state()
        self._sync_cursor()
        if self._shown:
            self.main.query_one(WorkArea).fit()
            if self._strip_for is not None:
                self.main.query_one(ShareStripLine).show_strip(view.share_strip(self._strip_for))

    def _sync_cursor(self) -> None:
        """The ids under the matrix's cursor, for this view (another file or shape moves them)."""
        if self._shown:
            self.cursor_group = self.here_group()
            self.cursor = self.here()

    def _journal_state(self) -> None:
        """Say once when the journal stops reaching the disk, and once when it catches up."""
        journal = self.session.journal
        failing = bool(journal and journal.pending)
        if failing and not self._journal_failing:
            why = journal.error.strerror if journal and journal.error and journal.error.strerror else str(journal.error if journal else "")
            self.notify(f"The journal could not be written ({why}). Your edits are kept here and retried every "
                        f"{RETRY_SECONDS:g} s; if this goes on, save to another disk (S).", title="Not on disk yet", severity="error", timeout=10)
        elif self._journal_failing and not failing:
            self.notify("The journal has caught up: every edit is on disk again.")
        self._journal_failing = failing

    def _retry_journal(self) -> None:
        if self._session is not None and self.session.unwritten:
            self.session.retry_journal()

    # --- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield LeaderBanner(id="banner")
        yield ShareStripLine(id="strip")
        with Horizontal(id="main"):
            with WorkArea(id="work"):
                yield ScoreMatrix(id="matrix")
                with Horizontal(id="below"):
                    yield RankingsPanel(id="rankings")
                    # The aside: the facilitator's room panel (while the file has a live room) over the
                    # rationale; beside the matrix, in the side column, when the window is wide enough.
                    with Vertical(id="aside"):
                        yield RoomPanel(id="room")
                        yield RationalePanel(id="rationale")
            yield Vertical(id="side")
        yield AlertLine(id="alert")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.main.query_one(ShareStripLine).display = False
        self.main.query_one(ScoreMatrix).focus()
        self.set_interval(RETRY_SECONDS, self._retry_journal)
        self._shown = True
        self._sync_cursor()
        self.after_opening()

    def on_unmount(self) -> None:
        if self._session is not None:
            self.session.release()  # the journal stays: an app ended without quitting may be restored

    def ended_from_outside(self, signum: int) -> None:
        """SIGTERM, or SIGHUP (the terminal closed): end as an app not quit cleanly does, the lock released
        at once (another window may open the file straight away) and the journal, holding any unsaved
        edits, kept for the next start."""
        if self._session is not None:
            self.session.release()
        self.exit(return_code=128 + signum)

    def on_resize(self, event) -> None:
        self.arrange(event.size.width)
        from textual.widgets._header import HeaderTitle

        self._title_width = event.size.width
        for title in self.screen.query(HeaderTitle):  # the title bar shortens the title for the new width
            title.update(self.format_title(self.title, self.sub_title))

    def arrange(self, width: int | None = None) -> None:
        """Place the aside (the room panel while a room is live, over the rationale) beside the matrix
        where the window is wide enough for every option and it, else under the matrix beside the
        rankings. `i` hides the rationale."""
        width = width or self.size.width
        main = self.main
        matrix = main.query_one(ScoreMatrix)
        side_width = max(SIDE_MIN, min(SIDE_MAX, width * 3 // 10))
        wide = self.show_rationale and width - side_width >= matrix.needed_width(self.view)
        side, below, rankings = main.query_one("#side"), main.query_one("#below"), main.query_one(RankingsPanel)
        home = side if wide else below
        aside = next(iter(main.query("#aside")), None)
        rationale = next(iter(main.query(RationalePanel)), None)
        if aside is None or aside.parent is not home:  # moved whole (another parent: never two of one id)
            if aside is not None:
                aside.remove()
            panels = [RoomPanel(id="room")] + ([RationalePanel(id="rationale")] if self.show_rationale else [])
            home.mount(Vertical(*panels, id="aside"))
            self.call_after_refresh(self._fill_aside)
        elif (rationale is not None) != self.show_rationale:
            if rationale is not None:
                rationale.remove()
            else:
                aside.mount(RationalePanel(id="rationale"))
            self.call_after_refresh(self._fill_aside)
        elif rationale is not None and rationale.details != wide:
            rationale.details = wide
            rationale._refresh()
        self._wide = wide
        room = self.live_room is not None
        side.styles.width = side_width
        side.display = wide
        # Under the matrix: the rankings take what they need (both rankings where there is room), the aside the rest.
        beside = not wide and (self.show_rationale or room)
        rankings.both = not beside or width >= 118
        rankings.headline = not beside
        rankings.styles.width = "auto" if beside else "1fr"
        rankings.styles.max_width = "66%" if beside else None
        rankings.room = width * 66 // 100 - 4 if beside else None  # inside its border and padding
        matrix.fit(width - (side_width if wide else 0))
        main.query_one(WorkArea).fit()
        if self.view is not None:
            rankings.show(self.view)

    def _fill_aside(self) -> None:
        """New panels in the aside: what they show."""
        for rationale in self.main.query(RationalePanel):
            rationale.details = bool(self._wide)  # beside the matrix there is room for what each option is
            rationale._refresh()
        super()._show_room()
        aside = next(iter(self.main.query("#aside")), None)
        if aside is not None:
            aside.display = any(child.display for child in aside.children)

    def _show_room(self) -> None:
        """The room panel comes and goes with a live room: the aside with it."""
        shown = self.live_room is not None
        super()._show_room()
        if self._shown and shown != getattr(self, "_room_shown", False):
            self._room_shown = shown
            aside = next(iter(self.main.query("#aside")), None)
            if aside is not None:
                aside.display = any(child.display for child in aside.children)
            self.arrange()

    def action_toggle_rationale(self) -> None:
        self.show_rationale = not self.show_rationale
        self.arrange()

    @property
    def main(self):
        """The workshop's own screen (the matrix and its panels), whatever screen is on top of it."""
        return self.screen_stack[0] if self.screen_stack else self.screen

    @on(ScoreMatrix.CursorMoved)
    def _cursor_moved(self) -> None:
        self.cursor_group = self.here_group()
        self.cursor = self.here()
        if self._strip_for is not None and self._strip_for not in (self.cursor[1], self.cursor_group):
            self._strip_for = None
            self.main.query_one(ShareStripLine).show_strip(None)

    def here(self) -> tuple[str | None, str | None]:
        """(option, criterion) under the matrix's cursor, read from the matrix itself: a key typed right
        after an arrow acts where the cursor is, before the move's message reaches the app."""
        return self.main.query_one(ScoreMatrix).cell_at_cursor(self.view)

    # --- text from files is shown as written ---------------------------------------------------
    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False) -> None:
        """Messages quote names and paths from files: never parsed as markup, control characters shown.
        Information goes after a few seconds (the status line keeps the last thing done); warnings and
        errors stay longer."""
        if timeout is None:
            timeout = INFO_SECONDS if severity == "information" else WARNING_SECONDS
        super().notify(printable(message, lines=True), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The appraisal's title shortened (at a word, with "…") so the file, "unsaved" and whose view stay
        whole in the title bar (review: "birmingham-2013.tom…", "speakin…" at 120 columns)."""
        title, sub_title = printable(title), printable(sub_title)
        room = (getattr(self, "_title_width", 0) or self.size.width or 120) - 17  # the bar's icon and margins
        if sub_title and len(title) + 3 + len(sub_title) > room:
            keep = max(12, room - 3 - len(sub_title))
            if len(title) > keep:
                cut = title[: keep - 1]
                title = (cut.rsplit(" ", 1)[0] if " " in cut[keep // 2:] else cut).rstrip(" ,:;—-") + "…"
        return super().format_title(title, sub_title)

    # --- editing ------------------------------------------------------------------------------
    def edit(self, *steps: Step, ask: bool = True) -> bool:
        try:
            self.session.apply(*steps)
        except AppraisalError as e:
            self.notify(e.message, severity="error", title="Not changed")
            return False
        if self.ask_reasons and ask:
            self.push_screen(reason_prompt(self.session.describe_action(self.session.actions[-1])), self._annotate)
        return True

    def _annotate(self, note: str | None) -> None:
        if note:
            self.session.annotate(note)

    def editable(self) -> bool:
        if self.session.read_only:
            self.notify(f"This window is read only: {self.session.read_only}. Nothing is changed or written.",
                        severity="warning", title="Read only")
            return False
        if self.viewing == GROUP_VIEW:
            self.notify("The group view is computed from the participants: switch (g) to a participant or the appraisal to edit.",
                        severity="warning")
            return False
        if self.in_room(self.viewing):
            self.notify(f"{self.viewing}'s entries are theirs: they change them in their own app.", severity="warning")
            return False
        return True

    def _score_target(self) -> tuple[str, str] | None:
        option, criterion = self.here()
        if (group := self.here_group()) is not None:
            name = self.view.appraisal.group_node(group).name
            self.notify(f"This row is the group {name}'s subtotal: scores are set on its criteria's rows"
                        f"{' (f unfolds it)' if group in self.matrix.folded else ''}.", severity="warning")
            return None
        if option is None or criterion is None:
            self.notify("Move the cursor onto a score first.", severity="warning")
            return None
        return option, criterion

    def check_action(self, action: str, parameters) -> bool | None:
        """Workshop actions act on the matrix: not while a dialog or another screen is on top."""
        if len(self.screen_stack) > 1 and action in _MATRIX_ACTIONS and action not in getattr(self.screen, "ALLOWS", ()):
            return False
        return self.tree_action_shown(action) is not False

    def _scale_criterion(self, criterion: str) -> bool:
        """A score is typed only on a criterion scored on the scale; a measured one says how to set it."""
        c = self.view.appraisal.criterion(criterion)
        if c.measured:
            self.notify(f"{c.name} is measured{' in ' + c.unit if c.unit else ''}: press Enter to type its measure "
                        "(its value function gives the score).", severity="warning")
            return False
        return True

    def action_set_score(self, score: float) -> None:
        option, criterion = self.here()
        if option is not None and criterion is not None and self.view.appraisal.criterion(criterion).measured:
            self.type_cell(start=f"{score:g}")  # a digit on a measured cell starts typing its measure
            return
        self.set_score(float(score))

    def set_score(self, score: float) -> None:
        target = self._score_target()
        if target is None:
            return
        option, criterion = target
        if not self._scale_criterion(criterion):
            return
        if (why := self.session.current.scale.check_score(score)) is not None:
            self.notify(why, severity="error", title="Not changed")
            return
        if not self.editable():
            return
        if self.view.appraisal.cell(option, criterion).score == score:
            return
        self.edit(ScoreStep(action="set-score", option=option, criterion=criterion, score=score, participant=self.viewing or ""))

    def action_step(self, direction: int) -> None:
        target = self._score_target()
        if target is None or not self._scale_criterion(target[1]):
            return
        shown = self.view.appraisal
        score = shown.cell(*target).score
        if score is None:
            self.notify("This score is missing: type a number to set it.", severity="warning")
            return
        new = score + direction * shown.scale.step
        if not shown.scale.min <= new <= shown.scale.max:
            self.notify(f"{fmt(score)} is already at the end of the scale.", severity="warning")
            return
        self.set_score(new)

    def action_edit_weight(self) -> None:
        if (group := self.here_group()) is not None:
            self.edit_group_weight(group)
            return
        _, criterion = self.here()
        if criterion is None:
            self.notify("Move to a criterion's row first.", severity="warning")
            return
        if not self.editable():
            return
        shown = self.view.appraisal

        def done(value: str | None) -> None:
            if value is not None and float(value) != shown.weights[criterion]:
                self.edit(WeightStep(action="set-weight", criterion=criterion, weight=float(value), participant=self.viewing or ""))

        self.push_screen(weight_prompt(shown.criterion(criterion).name, shown.weights[criterion]), done)

    def action_nudge(self, direction: int) -> None:
        """Move this row's weight one step (1 for whole weights, else a tenth of the mean weight), and show
        where along its share the leader would change. Journaled and undoable; no reason is asked (a
        nudge explores; press w to set a weight with a reason). On a group's row, the group's weight."""
        if (group := self.here_group()) is not None:
            self.nudge_group(group, direction)
            return
        _, criterion = self.here()
        if criterion is None:
            self.notify("Move to a criterion's row first.", severity="warning")
            return
        if not self.editable():
            return
        view = self.view
        old = float(view.appraisal.weights[criterion])
        new = nudged(old, view.nudge_step(), direction)
        if new == old:
            self.notify(f"The weight of {view.appraisal.criterion(criterion).name} is already 0.", severity="warning")
            return
        self._strip_for = criterion
        if not self.edit(WeightStep(action="set-weight", criterion=criterion, weight=new, participant=self.viewing or ""), ask=False):
            self._strip_for = None
        self.main.query_one(ShareStripLine).show_strip(self.view.share_strip(criterion) if self._strip_for else None)

    def action_toggle_option(self) -> None:
        option, _ = self.here()
        if option is None:
            self.notify("Move to an option's column first.", severity="warning")
            return
        if self.editable():
            self.edit(ExcludeStep(action="include" if self.session.current.option(option).excluded else "exclude", option=option))

    def action_toggle_criterion(self) -> None:
        _, criterion = self.here()
        if criterion is None:
            self.notify("Move to a criterion's row first.", severity="warning")
            return
        if self.editable():
            self.edit(EnableStep(action="enable" if criterion in self.session.current.disabled else "disable", criterion=criterion))

    def action_undo(self) -> None:
        action = self.session.undo()
        self.notify(self.session.last_words() if action else "Nothing to undo.")

    def action_redo(self) -> None:
        action = self.session.redo()
        self.notify(self.session.last_words() if action else "Nothing to redo.")

    def action_reset_cell(self) -> None:
        target = self._score_target()
        if target is None or not self.editable():
            return
        steps = self.session.reset_steps([target], [], [])
        if steps:
            self.edit(*steps)
        else:
            self.notify("This score is as loaded.")

    def action_reset_criterion(self) -> None:
        _, criterion = self.here()
        if criterion is None or not self.editable():
            return
        steps = self.session.reset_steps([(o.id, criterion) for o in self.session.current.options], [criterion], [])
        if steps:
            self.edit(*steps)
        else:
            self.notify("This criterion is as loaded.")

    def action_reset_all(self) -> None:
        if not self.editable():
            return
        current = self.session.current
        steps = self.session.reset_steps([(o.id, c.id) for o in current.options for c in current.criteria],
                                         [c.id for c in current.criteria], [o.id for o in current.options])
        if not steps:
            self.notify("Everything is as loaded.")
            return

        def done(choice: str) -> None:
            if choice == "reset":
                self.edit(*steps)

        self.push_screen(ConfirmScreen(f"Reset everything to the loaded appraisal? ({count(len(steps), 'change')}; undo brings {'it' if len(steps) == 1 else 'them'} back)",
                                       [("Reset", "reset", "error"), ("Cancel", "cancel", "default")]), done)

    def action_presets(self) -> None:
        if not self.editable():
            return
        current = self.session.current
        active = [c for c in current.criteria if c.id not in current.disabled]

        def chosen(preset: str | None) -> None:
            if preset in ("as-loaded", "equal"):
                self.edit(PresetStep(action="weights-preset", preset=preset))
            elif preset == "rank-order-centroid":
                order = sorted(active, key=lambda c: -current.weights[c.id])
                self.push_screen(OrderScreen([(c.id, c.name) for c in order]), lambda ids: ids and self.edit(
                    PresetStep(action="weights-preset", preset="rank-order-centroid", order=tuple(ids))))
            elif preset == "swing":
                # In the order agreed (the weights as they stand), the most important first, at 100.
                top = max(current.weights[c.id] for c in active) or 1
                order = sorted(active, key=lambda c: -current.weights[c.id])
                self.push_screen(WeightsScreen([(c.id, c.name, round(100 * current.weights[c.id] / top, 1)) for c in order], swing=True),
                                 lambda points: points and self.edit(PresetStep(action="weights-preset", preset="swing", points=points)))

        self.push_screen(PresetScreen(), chosen)

    def action_participant(self) -> None:
        def done(name: str | None) -> None:
            if name is not None:
                self.session.participant = name

        self.push_screen(PromptScreen("Who is speaking? (recorded with each edit)", value=self.session.participant, allow_empty=True), done)

    def action_toggle_reasons(self) -> None:
        self.ask_reasons = not self.ask_reasons
        self.session.set_setting("ask_reasons", self.ask_reasons)
        self.main.query_one(StatusLine).show(self.session, self.viewing, self.ask_reasons)
        self.notify(f"Asking for a reason after each edit: {'on' if self.ask_reasons else 'off'}")

    def restored_settings(self) -> None:
        """A restored session brings back the settings it had (whether reasons were asked)."""
        asked = self.session.settings.get("ask_reasons", self.ask_reasons)
        if asked != self.ask_reasons:
            self.ask_reasons = bool(asked)
            self.main.query_one(StatusLine).show(self.session, self.viewing, self.ask_reasons)

    # --- views --------------------------------------------------------------------------------
    # The full screens load when first opened: start-up does not pay for them.
    def action_changes(self) -> None:
        from .screens import ChangesScreen

        self.push_screen(ChangesScreen(self.session.history()))

    def action_sensitivity(self) -> None:
        from .screens import SensitivityScreen

        self.push_screen(SensitivityScreen(self.session.current))

    def action_help(self) -> None:
        from .screens import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # workshop actions act on the matrix screen
        for binding in self.BINDINGS:
            if binding.action.startswith("set_score") or self.tree_action_shown(binding.action) is False:
                continue
            key = self.get_key_display(Binding(binding.key.split(",")[0], binding.action))  # ? and +, not question_mark and plus
            helped = HELP_TEXT.get(binding.action.split("(")[0], "")
            yield SystemCommand(binding.description, f"{helped} (key: {key})", partial(self.call_later, self.run_action, binding.action))
        yield from self.room_commands()


_MATRIX_ACTIONS = {b.action.split("(")[0] for b in WorkshopApp.BINDINGS} - {"toggle_theme", "help"}


def make_app(path: Path | str | None = None, **kw) -> WorkshopApp:
    """The one app factory, shared by the command line and the tests. `if_locked` says what to do when
    another window has the file open: "ask" (a dialog), "read-only", or "copy" (work on a new copy)."""
    return WorkshopApp(Path(path) if path else bundled_appraisal(), **kw)
