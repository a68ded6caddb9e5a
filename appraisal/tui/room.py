"""The facilitator's side of a live room: a panel of who has joined and submitted, kept live by polling the
room's store (a cheap check twice a second; the snapshot only when something changed), and the commands
that reveal the room (switching to the group view, fed by the submitted participants), hide it again and
open or close rescoring. A mixin of WorkshopApp (contract: tui/host.py)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group as Stack
from rich.text import Text
from textual.app import SystemCommand
from textual.widgets import Static

from ..errors import AppraisalError
from ..io.room_store import RoomStore, room_path
from ..model import Appraisal
from ..model.room import RoomSnapshot, room_appraisal
from ..reports.workshop import GROUP_VIEW
from .host import Host
from .text import literal

ROOM_POLL_S = 0.5  # the panel follows a submit within this (plus a snapshot, ~2 ms for 30 people)


class RoomPanel(Static):
    """Who is in the room: joined, connected, submitted. Never their weights: the screen is projected."""

    plain = ""

    def show(self, room: RoomSnapshot, where: Path) -> None:
        people = room.participants
        done = len(room.submitted)
        head = Text.assemble(("Room", "bold"), f"  {done} of {len(people)} submitted", ("  · revealed" if room.revealed else "  · private", "dim"))
        lines: list[Text] = [head]
        for p in people:
            mark, style = ("✓", "green") if p.submitted else ("…", "yellow")
            lines.append(Text.assemble((f" {mark} ", style), literal(p.name), ("" if p.connected else "  (away)", "dim")))
        if not people:
            lines.append(Text(f"Nobody has joined yet. Participants run `appraisal join` or open the address `appraisal serve` "
                              f"prints.", style="dim"))
        hints = "ctrl+p: Reveal the room" if not room.revealed else "ctrl+p: Hide the room again"
        lines.append(Text(hints + (" · rescoring open" if room.allow_rescoring else ""), style="dim"))
        self.plain = "\n".join(line.plain for line in lines)  # what it says, for tests and screen readers
        self.update(Stack(*lines))


class RoomActions(Host):
    """The live room of the open file, when it has one (or gets one while the app is open)."""

    room_panel = True  # the participant app turns this off: it is not the facilitator
    live_room: RoomSnapshot | None = None
    _room_store: RoomStore | None = None
    _room_version: int | None = None
    _room_failed = ""

    def on_mount(self) -> None:  # runs beside WorkshopApp.on_mount (Textual calls each class's handler)
        if self.room_panel:
            self._poll_room()
            self.set_interval(ROOM_POLL_S, self._poll_room)

    def on_unmount(self) -> None:
        if self._room_store is not None:
            self._room_store.close()
            self._room_store = None

    # --- following the store ------------------------------------------------------------------
    def _room_file(self) -> Path | None:
        path = self.session.path
        return room_path(path) if path is not None else None

    def _poll_room(self) -> None:
        try:
            store = self._room_store
            if store is None or store.path != self._room_file():
                store = self._open_room()
                if store is None:
                    return
            version = store.data_version()
            if version == self._room_version:
                return
            self._room_version = version
            before, self.live_room = self.live_room, store.snapshot()
        except AppraisalError as e:
            if str(e) != self._room_failed:  # say it once, not twice a second
                self._room_failed = str(e)
                self.notify(str(e), severity="error", title="The room", timeout=10)
            return
        self._room_failed = ""
        self._show_room()
        if before is None or before.revealed != self.live_room.revealed or self.live_room.revealed:
            self._derive()

    def _open_room(self) -> RoomStore | None:
        if self._room_store is not None:
            self._room_store.close()
            self._room_store, self.live_room, self._room_version = None, None, None
            self._show_room()
        where = self._room_file()
        if where is None or not where.exists():
            return None
        self._room_store = RoomStore(where, self.session.baseline, create=False)
        return self._room_store

    def _show_room(self) -> None:
        try:
            panel = self.screen_stack[0].query_one(RoomPanel)
        except Exception:  # not composed (yet): nothing to show
            return
        panel.display = self.live_room is not None
        if self.live_room is not None and self._room_store is not None:
            panel.show(self.live_room, self._room_store.path)

    # --- what the workshop screen shows of the room -------------------------------------------
    def with_room(self, current: Appraisal) -> Appraisal:
        """The appraisal with the room's submitted participants, once revealed (the screen is projected:
        nobody sees anybody's answers before the facilitator reveals them)."""
        room = self.live_room
        if room is None or not room.revealed or not room.submitted:
            return current
        try:
            return room_appraisal(current, room)
        except AppraisalError as e:
            if str(e) != self._room_failed:
                self._room_failed = str(e)
                self.notify(str(e), severity="error", title="The room")
            return current

    def in_room(self, name: str | None) -> bool:
        """A participant of the room (their entries are theirs: the facilitator does not edit them)."""
        return bool(name and name != GROUP_VIEW and self.live_room is not None and self.live_room.participant(name) is not None
                    and self.session.current.participant(name) is None)

    # --- commands -------------------------------------------------------------------------------
    def room_commands(self):
        if self._room_store is None or self.live_room is None:
            return
        if not self.live_room.revealed:
            yield SystemCommand("Reveal the room", "Show everyone the group and each other's answers; switch to the group view",
                                self.reveal_room)
        else:
            yield SystemCommand("Hide the room again", "Participants see only their own entries again", self.hide_room)
        if self.live_room.allow_rescoring:
            yield SystemCommand("Close rescoring", "Participants give weights only (scores they gave stay)", lambda: self._rescoring(False))
        else:
            yield SystemCommand("Open rescoring", "Participants may give their own scores as well as weights", lambda: self._rescoring(True))

    def reveal_room(self) -> None:
        if not self._room_call(lambda s: s.reveal(True)):
            return
        if self.live_room is not None and self.live_room.submitted:
            self.viewing = GROUP_VIEW
            self.notify(f"Revealed: the group of {len(self.live_room.submitted)} who submitted. D shows where they disagree.")
        else:
            self.notify("Revealed, but nobody has submitted yet: the group view follows as they do.")

    def hide_room(self) -> None:
        if self._room_call(lambda s: s.reveal(False)) and (self.viewing == GROUP_VIEW or self.in_room(self.viewing)):
            self.viewing = None

    def _rescoring(self, allow: bool) -> None:
        if self._room_call(lambda s: s.configure(allow_rescoring=allow)):
            self.notify("Participants may now give their own scores." if allow else "Rescoring closed: weights only.")

    def _room_call(self, write) -> bool:
        store = self._room_store
        if store is None:
            return False
        try:
            write(store)
            self._room_version = None
            self.live_room = store.snapshot()
        except AppraisalError as e:
            self.notify(str(e), severity="error", title="The room")
            return False
        self._show_room()
        self._derive()
        return True
