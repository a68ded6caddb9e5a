"""What the title bar and the alert line say about the session: the file, unsaved and unwritten edits,
a read-only window, who is speaking and whose view is shown."""

from __future__ import annotations

from textual.widgets import Static

from ..reports.workshop import GROUP_VIEW
from ..session import Session
from .text import literal

RETRY_SECONDS = 5.0  # how often a journal the disk refused is tried again


def sub_title(session: Session, viewing: str | None) -> str:
    parts = [f"{session.path.name if session.path else ''}{'  ●  unsaved' if session.dirty else ''}"]
    changes = len(session.steps)
    parts.append(f"{changes} change{'' if changes == 1 else 's'}")
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
        self.update(literal("  ".join(lines)))
        self.set_class(bool(lines), "-shown")
