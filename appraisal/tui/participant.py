"""The participant app of a live room: join (name, and the code when the room has one), then the workshop
screen showing *your* weights (and scores, when the facilitator allows rescoring), computed with them;
submit when done. Every edit goes to the room's store at once (the shared truth) and to this process's own
journal; nobody here writes the appraisal file. Others and the group show only after the reveal."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime
from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from ..errors import AppraisalError
from ..io.journal import JournalWriter
from ..io.load import load
from ..io.room_store import HEARTBEAT_S, RoomStore, Seat, SeatLost, room_path, state_dir
from ..model import Appraisal, edits
from ..model.appraisal import Participant
from ..model.room import RoomSnapshot, room_appraisal
from ..model.scenario import PresetStep, ScoreStep, WeightStep
from ..reports.workshop import GROUP_VIEW, WorkshopView
from ..session import Session
from textual.app import App

from .app import HELP_TEXT, WorkshopApp
from .export import SUFFIX, ExportScreen
from .modals import OrderScreen, PresetScreen, WeightsScreen
from .status import AlertLine
from .text import literal

POLL_S = 1.0  # how often the room is looked at (a cheap check; the snapshot only when something changed)

# The workshop keys a participant has no use for: the options and criteria in play are the facilitator's,
# and a participant never writes the appraisal file.
NOT_FOR_PARTICIPANTS = {"toggle_option", "toggle_criterion", "save_as", "open", "save_scenario", "participant",
                        "reset_criterion", "reset_all"}


PARTICIPANT_HELP = {
    "submit": "Mark your weights (and scores) as your answer; you can change and submit again",
    "switch_view": "Your view, or the group's once the facilitator has revealed the room",
    "presets": "Your weights from a preset: as loaded, equal, rank-order centroid, swing",
    "edit_weight": "Set your weight for the criterion in this row",
    "enter_weights": "Enter every one of your weights, one after another",
    "disagreement": "Where the room disagrees (after the reveal)",
    "export": "Export your view of the matrix",
}


def participant_journal(room: Path, name: str) -> Path:
    """This process's own journal: in the state folder, one per participant and session (never the file's)."""
    tag = hashlib.sha256(f"{room.resolve()}\x00{name.casefold()}".encode()).hexdigest()[:12]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = state_dir() / "journals"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the journal says it cannot write, and keeps the entries (the store has them anyway)
    return folder / f"{tag}-{stamp}.journal.jsonl"


class JoinScreen(Screen[Seat]):
    """Your name (and the room's code, when it has one). A returning name resumes its own entries."""

    AUTO_FOCUS = "#join-name"
    BINDINGS = [Binding("escape", "app.quit", "Leave")]
    DEFAULT_CSS = """
    JoinScreen { align: center middle; }
    JoinScreen #join Static { height: auto; }
    JoinScreen #join Button { margin-top: 1; }
    """

    def __init__(self, store: RoomStore, *, name: str = "", code: str = "", needs_code: bool = False, error: str = ""):
        super().__init__()
        self.store, self.name_value, self.code_value = store, name, code
        self.needs_code, self.error = needs_code, error

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="dialog", id="join"):
            yield Static(literal(f"Join the room: {self.store.appraisal.title}", "bold"))
            yield Static("Your name, as the room knows you (if you were here before, the same name takes you back to your entries):")
            yield Input(self.name_value, placeholder="your name", id="join-name", max_length=60)
            if self.needs_code:
                yield Static("The room's join code (the facilitator has it):")
                yield Input(self.code_value, placeholder="join code", password=True, id="join-code")
            yield Static(literal(self.error), id="join-error", classes="error")
            yield Button("Join", variant="primary", id="join-button")
            yield Static("Your weights stay private until the facilitator reveals the room.", classes="dim")
        yield Footer()

    @on(Input.Submitted, "#join-name")
    def _name_entered(self) -> None:
        if self.needs_code and not self.query_one("#join-code", Input).value:
            self.query_one("#join-code", Input).focus()
        else:
            self._join()

    @on(Input.Submitted, "#join-code")
    @on(Button.Pressed, "#join-button")
    def _join(self) -> None:
        name = self.query_one("#join-name", Input).value
        code = self.query_one("#join-code", Input).value if self.needs_code else None
        try:
            seat = self.store.join(name, code)
        except AppraisalError as e:
            self.query_one("#join-error", Static).update(literal(e.message))
            return
        self.dismiss(seat)


class ParticipantApp(WorkshopApp):
    TITLE = "appraisal: participant"
    room_panel = False  # the facilitator's panel: not here
    BINDINGS = [
        Binding("s,ctrl+s", "submit", "Submit"),
        Binding("g", "switch_view", "Mine/group"),
        # Fewer keys in the footer, so Submit shows at 80 columns (all of them stay in the palette and help).
        Binding("z,ctrl+z", "undo", "Undo", show=False),
        Binding("y,ctrl+y", "redo", "Redo", show=False),
        Binding("v", "changes", "Changes", show=False),
        Binding("t", "sensitivity", "Sensitivity", show=False),
    ]

    def __init__(self, path: Path, *, name: str | None = None, code: str | None = None, served: bool = False):
        self.base = load(path).appraisal.model_copy(update={"participants": ()})
        self.store = RoomStore(room_path(path), self.base)
        self.seat: Seat | None = None
        self.room = RoomSnapshot()
        self.served = served
        self._held: tuple[dict[str, float], dict[str, float]] = ({}, {})  # what the store has of ours
        self._explained: str = ""  # the last reason sent
        self._unsynced = ""  # why the store has not taken our latest edit yet
        self._seen_version: int | None = None
        self._submitted_once = False
        self._beat = 0.0
        self._pending_join = (name, code)
        super().__init__(path, journal=False, ask_reasons=True)
        if name is not None:
            try:  # with --name (and --code) the join screen is skipped; a refusal is one error line
                self._seated(self.store.join(name, code))
            except AppraisalError as e:
                self.store.close()
                raise e.located(file=str(self.store.path)) from None

    # --- the session: yours, journalled here, mirrored to the store ---------------------------
    def new_session(self, path: Path, participant: str = ""):
        return Session(self.base, None, journal=False, lock=False), None

    def _seated(self, seat: Seat) -> None:
        self.seat = seat
        weights, scores = self.store.entries(seat)
        self._held = (dict(weights), dict(scores))
        me = Participant(name=seat.name, weights=weights, scores=scores)
        session = Session(self.base.model_copy(update={"participants": (me,)}), None, journal=False, lock=False, participant=seat.name)
        session.journal = JournalWriter(participant_journal(self.store.path, seat.name), self.path)
        self.room = self.store.snapshot()
        mine = self.room.participant(seat.name)
        self._submitted_once = bool(mine and mine.submitted)
        self.viewing = seat.name
        self.session = session
        session.subscribe(self._sync)

    def _derive(self) -> None:
        if self.seat is None:
            super()._derive()
            return
        if self.viewing == GROUP_VIEW and self.room.revealed:
            self.view = WorkshopView.of(room_appraisal(self.base, self.room), self.base, (), GROUP_VIEW)
        else:
            self.view = self.session.view(self.seat.name)

    def _sync(self) -> None:
        """Send the store what changed of ours (one transaction), and the reason when one was given."""
        if self.seat is None:
            return
        me = self.session.current.participant(self.seat.name)
        want_w, want_s = (dict(me.weights), dict(me.scores)) if me else ({}, {})
        held_w, held_s = self._held
        weights = {k: want_w.get(k) for k in set(want_w) | set(held_w) if want_w.get(k) != held_w.get(k)}
        scores = {k: want_s.get(k) for k in set(want_s) | set(held_s) if want_s.get(k) != held_s.get(k)}
        actions = self.session.actions
        note = actions[-1].steps[-1].note if actions and actions[-1].steps else ""
        try:
            if weights or scores:
                self.store.write(self.seat, weights, scores, why=note)
                self._held = (want_w, want_s)
                self._explained = note
            elif note and note != self._explained:
                self.store.explain(self.seat, note)
                self._explained = note
        except SeatLost as e:
            self._unsynced = e.message
            self._lost_seat(e)
            return
        except AppraisalError as e:
            if not self._unsynced:
                self.notify(f"{e.message}. Your edit is kept here and tried again every {POLL_S:g} s.", severity="error",
                            title="Not in the room yet", timeout=10)
            self._unsynced = e.message
            self._retitle()
            return
        if self._unsynced:
            self._unsynced = ""
            self.notify("The room has all your edits now.")
        self.room = self.store.snapshot()
        self._retitle()

    # --- the room: polled, never pushed -------------------------------------------------------
    def _poll(self) -> None:
        if self.seat is None:
            return
        try:
            self._beat += POLL_S
            if self._beat >= HEARTBEAT_S:
                self._beat = 0.0
                self.store.heartbeat(self.seat)
            if self._unsynced:
                self._sync()
            version = self.store.data_version()
            if version == self._seen_version:
                return
            self._seen_version = version
            self.store.entries(self.seat)  # still seated? (a read: SeatLost after a reset or a takeover)
            before, self.room = self.room, self.store.snapshot()
        except SeatLost as e:
            self._lost_seat(e)
            return
        except AppraisalError as e:
            self.notify(e.message, severity="error", title="The room", timeout=10)
            return
        if self.room.revealed and not before.revealed:
            self.notify("The facilitator has revealed the room: g shows the group, D where it disagrees.", title="Revealed", timeout=10)
        elif before.revealed and not self.room.revealed and self.viewing == GROUP_VIEW:
            self.viewing = self.seat.name
        if self.room.allow_rescoring != before.allow_rescoring:
            self.notify("You may give your own scores now (1-5 on a cell)." if self.room.allow_rescoring
                        else "The facilitator has closed rescoring: weights only.", timeout=10)
        self._derive()
        self._retitle()

    def _lost_seat(self, e: AppraisalError) -> None:
        """The room was reset or the name taken up elsewhere: join again; what is on this screen then goes
        to the new seat (nothing typed here is lost)."""
        if self.seat is None or isinstance(self.screen, JoinScreen):
            return
        name, self.seat = self.seat.name, None
        self.notify(e.message, severity="warning", title="Join again", timeout=10)

        def rejoined(seat: Seat | None) -> None:
            if seat is None:
                self.exit()
                return
            if seat.name != name:  # another name: its own entries, in a session of its own
                self._seated(seat)
                return
            self.seat = seat
            self._held = self.store.entries(seat)
            self._unsynced = ""
            self._sync()

        self.push_screen(JoinScreen(self.store, name=name, needs_code=self.store.snapshot().has_code), rejoined)

    def _retitle(self) -> None:
        if self.seat is None:
            return
        mine = self.room.participant(self.seat.name)
        if mine and mine.submitted:
            state = "submitted ✓ (you can still change and submit again)"
        elif self._submitted_once:
            state = "changed since you submitted: s submits again"
        else:
            state = "not submitted yet (s submits)"
        seen = "the group is revealed (g)" if self.room.revealed else "private until the facilitator reveals"
        parts = [self.seat.name, state, seen]
        if self.viewing == GROUP_VIEW:
            parts.append(f"viewing: THE GROUP of {len(self.room.submitted)}")
        if self._unsynced:
            parts.append("⚠ not in the room yet")
        self.sub_title = "  ·  ".join(parts)
        try:  # the title is cut short on small screens: the alert line says it too
            self.query_one(AlertLine).show(self.session)
        except Exception:
            pass  # not composed yet

    def alerts(self) -> list[str]:
        """For the alert line: what must not go unseen."""
        if not self._unsynced:
            return []
        return [f"Your latest edit is not in the room yet ({self._unsynced}): kept here and tried again every {POLL_S:g} s."]

    def watch_view(self, view: WorkshopView) -> None:
        super().watch_view(view)
        self._retitle()

    def on_mount(self) -> None:  # Textual runs WorkshopApp.on_mount too (handlers run for each class)
        self.set_interval(POLL_S, self._poll)

    def after_opening(self) -> None:
        if self.seat is None:
            self.push_screen(JoinScreen(self.store, name=self._pending_join[0] or "", code=self._pending_join[1] or "",
                                        needs_code=self.store.snapshot().has_code), self._joined)
        else:
            self._welcome()

    def _joined(self, seat: Seat | None) -> None:
        if seat is None:
            self.exit()
            return
        self._seated(seat)
        self._welcome()

    def _welcome(self) -> None:
        assert self.seat is not None
        held = sum(len(x) for x in self._held)
        self.notify((f"Welcome back, {self.seat.name}: your {held} entries are here. " if held else f"Welcome, {self.seat.name}. ")
                    + "w sets a weight, W all of them, p presets; s submits.", timeout=8)

    def on_unmount(self) -> None:  # after WorkshopApp.on_unmount (handlers run for each class)
        if self.seat is not None:
            try:
                self.store.leave(self.seat)
            except AppraisalError:
                pass
        if self.session.journal is not None:
            self.session.journal.close()
        self.store.close()

    # --- what a participant may do ------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action in NOT_FOR_PARTICIPANTS or (self.seat is None and action not in ("quit", "help", "toggle_theme", "command_palette")):
            return False
        return super().check_action(action, parameters)

    def get_system_commands(self, screen):
        yield from App.get_system_commands(self, screen)
        if screen is not self.screen_stack[0] or self.seat is None:
            return
        rebound = {k for b in ParticipantApp.BINDINGS for k in b.key.split(",")}
        for binding in [*ParticipantApp.BINDINGS, *WorkshopApp.BINDINGS]:
            action = binding.action.split("(")[0]
            if action == "set_score" or action in NOT_FOR_PARTICIPANTS or self.tree_action_shown(action) is False:
                continue
            if binding not in ParticipantApp.BINDINGS and rebound & set(binding.key.split(",")):
                continue
            key = self.get_key_display(Binding(binding.key.split(",")[0], binding.action))  # ? and +, not question_mark and plus
            yield SystemCommand(binding.description, f"{PARTICIPANT_HELP.get(action) or HELP_TEXT.get(action, '')} (key: {key})",
                                partial(self.call_later, self.run_action, binding.action))

    def editable(self) -> bool:
        if self.seat is None:
            return False
        if self.viewing == GROUP_VIEW:
            self.notify("The group's view is computed from everyone's answers: g goes back to yours.", severity="warning")
            return False
        return True

    def set_score(self, score: float) -> None:
        if not self.room.allow_rescoring:
            self.notify("The facilitator has not opened rescoring: you give weights here (w, W or p).", severity="warning")
            return
        super().set_score(score)

    def action_reset_cell(self) -> None:
        option, criterion = self.cursor
        if option is None or criterion is None or not self.editable():
            return
        if not self.room.allow_rescoring:
            self.notify("The facilitator has not opened rescoring: the scores are the appraisal's.", severity="warning")
            return
        base = self.base.cell(option, criterion).score
        if base is not None and self.view.appraisal.cell(option, criterion).score != base:
            self.edit(ScoreStep(action="set-score", option=option, criterion=criterion, score=base, participant=self.seat.name))

    def action_presets(self) -> None:
        """The workshop's presets, applied to your weights (each preset becomes your weight for every criterion)."""
        if not self.editable():
            return
        mine = self.view.appraisal
        active = [c for c in mine.criteria if c.id not in mine.disabled]

        def apply(result: Appraisal) -> None:
            steps = [WeightStep(action="set-weight", criterion=c.id, weight=result.weights[c.id], participant=self.seat.name)
                     for c in mine.criteria if result.weights[c.id] != mine.weights[c.id]]
            if steps:
                self.edit(*steps)

        def attempt(make) -> None:
            try:
                apply(make())
            except AppraisalError as e:
                self.notify(e.message, severity="error", title="Not changed")

        def chosen(preset: str | None) -> None:
            if preset == "as-loaded":
                attempt(lambda: self.base)
            elif preset == "equal":
                attempt(lambda: edits.equal_weights(mine))
            elif preset == "rank-order-centroid":
                order = sorted(active, key=lambda c: -mine.weights[c.id])
                self.push_screen(OrderScreen([(c.id, c.name) for c in order]),
                                 lambda ids: ids and attempt(lambda: edits.rank_order_centroid(mine, ids)))
            elif preset == "swing":
                top = max(mine.weights[c.id] for c in active) or 1
                self.push_screen(WeightsScreen([(c.id, c.name, round(100 * mine.weights[c.id] / top, 1)) for c in active], swing=True),
                                 lambda points: points and attempt(lambda: edits.swing_weights(mine, points)))

        self.push_screen(PresetScreen(), chosen)

    def action_submit(self) -> None:
        if self.seat is None:
            return
        if self._unsynced:
            self._sync()
            if self._unsynced:
                self.notify(f"Not submitted: the room has not taken your latest edit ({self._unsynced}).", severity="error")
                return
        try:
            self.store.submit(self.seat)
            self.room = self.store.snapshot()
            self._submitted_once = True
        except AppraisalError as e:
            self.notify(e.message, severity="error", title="Not submitted")
            return
        self.notify("Submitted. You can still change your weights and submit again.", title="Submitted")
        self._retitle()

    def action_switch_view(self) -> None:
        if self.seat is None:
            return
        if not self.room.revealed:
            self.notify("You see the others and the group once the facilitator reveals the room.")
            return
        if not self.room.submitted:
            self.notify("Nobody has submitted yet: there is no group to show.")
            return
        self.viewing = self.seat.name if self.viewing == GROUP_VIEW else GROUP_VIEW

    def action_disagreement(self) -> None:
        if not self.room.revealed:
            self.notify("You see where the room disagrees once the facilitator reveals it.")
            return
        from .group import DisagreementScreen

        together = room_appraisal(self.base, self.room)
        if not together.participants:
            self.notify("Nobody has submitted yet.")
            return
        self.push_screen(DisagreementScreen(together))

    def action_save(self) -> None:
        self.action_submit()

    def action_quit_app(self) -> None:
        if self._unsynced:
            self.notify(f"The room has not taken your latest edit yet ({self._unsynced}); it is in your journal "
                        f"{self.session.journal.path if self.session.journal else ''}.", severity="warning", timeout=10)
        self.exit()

    def action_export(self) -> None:
        screen = DeliverScreen if (self.is_web or self.served) else ExportScreen
        self.push_screen(screen(self.view.appraisal, self.path))


class DeliverScreen(ExportScreen):
    """In a browser: the export is made on the server in a private temporary folder and handed to your
    browser as a download (Textual's deliver_binary); nothing is left on the server."""

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.value = Path(field.value).name

    def _write(self, force: bool = False) -> None:
        """Not to a path on the server (the base class's): to the browser, under the name given."""
        from ..reports.export import export

        fmt = self.format
        name = Path(self.query_one("#export-path", Input).value.strip()).name or f"{self.stem}{SUFFIX[fmt]}"
        with tempfile.TemporaryDirectory(prefix="appraisal-export-") as tmp:
            path = Path(tmp) / name
            try:
                export(self.appraisal, path, fmt)
                data = path.read_bytes()
            except (AppraisalError, OSError) as e:
                self.query_one("#export-error", Static).update(literal(str(e)))
                return
        import io

        self.app.deliver_binary(io.BytesIO(data), save_filename=name)
        self.app.notify(f"Sent {name} to your browser ({len(data):,} bytes)")
        self.dismiss(None)


def make_participant_app(path: Path, *, name: str | None = None, code: str | None = None, served: bool = False) -> ParticipantApp:
    return ParticipantApp(Path(path), name=name, code=code, served=served)
