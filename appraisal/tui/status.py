"""What the title bar, the status line and the alert line say about the session: the file, whose view
is shown and edited, who is speaking, whether reasons are asked, unsaved and unwritten edits, the
last thing done, and a read-only window."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..reports.numbers import count
from ..reports.workshop import GROUP_VIEW
from ..session import Session
from .text import literal, printable

RETRY_SECONDS = 5.0  # how often a journal the disk refused is tried again


def sub_title(session: Session, viewing: str | None) -> str:
    """The title bar's second part: what changes seldom (the title bar repaints the whole screen when it
    changes). How many edits, and the last, are in the status line."""
    parts = [f"{session.path.name if session.path else ''}{'  ●  unsaved' if session.dirty else ''}"]
    if session.unwritten:
        parts.append(f"⚠ {session.unwritten} edit{'' if session.unwritten == 1 else 's'} not on disk")
    if session.read_only:
        parts.append("READ ONLY")
    if session.participant:
        parts.append(f"speaking: {session.participant}")
    if viewing == GROUP_VIEW:
        parts.append("viewing: THE GROUP (read only)")
    elif viewing:
        parts.append(f"viewing: {viewing.upper()}")
    return "  ·  ".join(parts)


class AlertLine(Static):
    """A line above the footer, in the error colour, while the window is read only or edits are not on
    disk: the title bar is cut short on a projector, and these must not go unseen."""

    def on_mount(self) -> None:
        self.watch(self.app, "view", self._refresh)

    def _refresh(self) -> None:
        self.show(self.app.session)

    def show(self, session: Session) -> None:
        lines = []
        if session.read_only:
            lines.append(f"READ ONLY: {session.read_only}. Edits are refused; nothing is written.")
        if session.unwritten:
            error = session.journal.error if session.journal else None
            why = f" ({error.strerror or error})" if error else ""
            lines.append(f"{session.unwritten} edit{'' if session.unwritten == 1 else 's'} not on disk yet{why}: kept here and retried "
                         f"every {RETRY_SECONDS:g} s. Save elsewhere with S if this goes on.")
        lines += getattr(self.app, "alerts", lambda: [])()  # the app's own (the participant app: edits not in the room yet)
        text = "  ".join(lines)
        if text != getattr(self, "_text", None):  # a layout only when what it says changes
            self._text = text
            self.update(literal(text))
            self.set_class(bool(lines), "-shown")
            self.call_after_refresh(self._place_toasts)

    def _place_toasts(self) -> None:
        """Notifications above this line too, while it is shown: it must not go unseen either."""
        for rack in self.screen.query("#textual-toastrack"):  # Textual's id for a screen's notifications
            rack.styles.margin = (0, 0, 2 + (self.outer_size.height if self.display and self.has_class("-shown") else 0), 0)


def squeeze(words: str, room: int) -> str:
    """Words for one action in `room` cells: the names shortened in the middle, the change at the end
    ("… Delivers cult…: 1 → 4") kept whole."""
    if len(words) <= room:
        return words
    head, sep, change = words.rpartition(": ")
    if not sep or len(change) + 3 >= room:
        return words[: max(0, room - 1)] + "…"
    return head[: max(0, room - len(change) - 3)] + "…" + sep + change


class StatusLine(Static):
    """One line, always in view: whose view (a participant's coloured and named, the group's in
    another colour), the speaker, whether reasons are asked, unsaved edits, and the last thing done
    ("Undid: Integrated / Clear vision: 4 → 3")."""

    def on_mount(self) -> None:
        self.watch(self.app, "view", self._refresh)

    def _refresh(self) -> None:
        app = self.app
        self.show(app.session, app.viewing, app.ask_reasons)

    def show(self, session: Session, viewing: str | None, reasons: bool) -> None:
        if viewing == GROUP_VIEW:
            chip, kind = " VIEW: THE GROUP (read only) ", "-group"
        elif viewing:
            chip, kind = f" VIEW: {printable(viewing)} ", "-participant"
        else:
            chip, kind = " VIEW: APPRAISAL ", "-appraisal"
        for name in ("-group", "-participant", "-appraisal"):
            self.set_class(name == kind, name)
        text = Text()
        text.append(chip, "bold reverse")
        text.append("  speaker: ", "dim")
        text.append(printable(session.participant) or "–", "bold" if session.participant else "dim")
        text.append(" · ", "dim")
        text.append("reasons asked" if reasons else "reasons not asked", "" if reasons else "dim")
        text.append(" · ", "dim")
        words = getattr(self.app, "save_state_words", None)  # a participant's app: submitted or not, not saved
        if words is not None:
            said, alert = words()
            text.append(said, "bold yellow" if alert else "dim")
        else:
            n = session.unsaved
            text.append(f"{n} unsaved" if n else "saved", "bold yellow" if n else "dim")
        if session.snapshots:
            text.append(" · ", "dim")
            text.append(count(len(session.snapshots), "snapshot"), "dim")
        last = printable(session.last_words())
        if viewing and viewing != GROUP_VIEW:  # whose edit it was goes without saying in their view
            last = last.replace(f" {printable(viewing)}: ", " ", 1)
        if last:
            text.append(" · ", "dim")
            room = (self.size.width or 400) - text.cell_len
            text.append(squeeze(last, room))
        text.truncate(self.size.width or 400, overflow="ellipsis")
        self.update(text, layout=False)

    def on_resize(self) -> None:
        if getattr(self.app, "view", None) is not None:
            self._refresh()
