"""The contract between the workshop app and its action mixins (file, group and compare actions, the room): what
the mixins may use of the app besides Textual's own `App` (notify, push_screen, exit)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..io.lock import Locked
from ..model import Appraisal
from ..model.scenario import Step
from ..reports.workshop import WorkshopView
from ..session import Session

if TYPE_CHECKING:
    from textual.app import App


@runtime_checkable
class Workshop(Protocol):
    session: Session  # replacing it re-derives the view
    viewing: str | None  # whose view: None (the appraisal), GROUP_VIEW, or a participant's name
    view: WorkshopView  # derived from the session and `viewing`; every widget watches it
    restore_choice: bool | None  # None: ask before restoring a journal
    use_journal: bool  # sessions keep a journal (and take the file's lock)
    if_locked: str  # when another window has the file: "ask", "read-only" or "copy"
    locked_out: Locked | None  # why this window is read only, if another window has its file

    def edit(self, *steps: Step, ask: bool = True) -> bool:
        """Apply one user action (refused with a message where it cannot be made); ask for a reason
        (when reasons are asked for, and `ask`)."""
        ...

    def editable(self) -> bool:
        """Whether edits may be made now (not in a read-only window or the group's view); says why not."""
        ...

    def with_room(self, current: Appraisal) -> Appraisal:
        """`current` with a live room's submitted participants, once revealed (tui/room.py)."""
        ...

    def in_room(self, name: str | None) -> bool:
        """Whether `name` is a live room's participant (the facilitator does not edit their entries)."""
        ...

    def _derive(self) -> None:
        """Derive the view again from the session and whose view is shown."""
        ...

    def open_file(self, path: Path, *, participant: str = "") -> bool:
        """Open a file in a new session (taking its lock, or asking what to do when another window has it)."""
        ...


if TYPE_CHECKING:
    class WorkshopApp(Workshop, App):  # what a mixin's `self` is
        ...

    Host = WorkshopApp
else:
    Host = object  # at run time the mixins are plain classes: Textual's App comes later in the MRO
