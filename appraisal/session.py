"""A workshop session: the appraisal as loaded, the edits made since (with undo and redo), and the
journal that records each one as it happens. Pure Python: the workshop app drives it, tests too."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import AppraisalError
from .io.journal import Journal, JournalWriter, journal_path, now
from .io.write import save_appraisal
from .model import Appraisal
from .model.scenario import Step
from .model.steps import apply_step


@dataclass(frozen=True)
class Group:
    """One user action: one or more steps, and the appraisal they produced."""

    id: int
    steps: tuple[Step, ...]
    after: Appraisal


class Session:
    def __init__(self, baseline: Appraisal, path: Path | None = None, *, journal: bool = True, participant: str = ""):
        self.baseline = baseline
        self.path = path
        self.participant = participant
        self._done: list[Group] = []
        self._undone: list[Group] = []
        self._saved: Appraisal = baseline
        self._saved_depth = 0  # len(_done) at the last save
        self._next_group = 1
        self.journal = JournalWriter(journal_path(path), path) if (journal and path is not None) else None

    # --- state --------------------------------------------------------------------------------
    @property
    def current(self) -> Appraisal:
        return self._done[-1].after if self._done else self.baseline

    @property
    def dirty(self) -> bool:
        return self.current is not self._saved

    @property
    def groups(self) -> list[Group]:
        return list(self._done)

    @property
    def steps(self) -> list[Step]:
        return [s for g in self._done for s in g.steps]

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    # --- edits --------------------------------------------------------------------------------
    def apply(self, *steps: Step, record: bool = True) -> Appraisal:
        """Apply one user action. Raises AppraisalError and changes nothing if any step is invalid."""
        stamp = {"at": now()} | ({"by": self.participant} if self.participant else {})
        stamped = tuple(s.model_copy(update={k: v for k, v in stamp.items() if not getattr(s, k)}) for s in steps)
        a = self.current
        for s in stamped:
            a = apply_step(a, s, self.baseline)
        group = Group(self._next_group, stamped, a)
        self._next_group += 1
        self._done.append(group)
        self._undone.clear()
        if record and self.journal:
            for s in stamped:
                self.journal.edit(s, group.id)
        return a

    def annotate(self, note: str) -> None:
        """Attach a reason to the last action (the journal records it as a further entry)."""
        note = note.strip()
        if not note or not self._done:
            return
        g = self._done[-1]
        self._done[-1] = Group(g.id, tuple(s.model_copy(update={"note": note}) for s in g.steps), g.after)
        if self.journal:
            self.journal.note(note, g.id)

    def undo(self) -> bool:
        if not self._done:
            return False
        self._undone.append(self._done.pop())
        if self.journal:
            self.journal.undo()
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        self._done.append(self._undone.pop())
        if self.journal:
            self.journal.redo()
        return True

    def restore(self, journal: Journal) -> None:
        """Replay a journal left by a session that did not end cleanly (its entries stay on disk)."""
        for steps in journal.groups:
            a = self.current
            for s in steps:
                a = apply_step(a, s, self.baseline)
            self._done.append(Group(self._next_group, steps, a))
            self._next_group += 1
        # journal.redo[-1] is the next to redo: rebuild the states it leads to, in redo order.
        a = self.current
        redo = []
        for steps in reversed(journal.redo):
            for s in steps:
                a = apply_step(a, s, self.baseline)
            redo.append(Group(self._next_group, steps, a))
            self._next_group += 1
        self._undone = list(reversed(redo))
        self._next_group += 1000  # new entries never continue a restored group

    # --- files --------------------------------------------------------------------------------
    def save(self, path: Path | None = None) -> Path:
        target = path or self.path
        if target is None:
            raise AppraisalError("no file to save to: use save as")
        criteria = (self.path.parent / self.current.criteria_ref).resolve() if self.path else None
        save_appraisal(self.current, target, criteria_file=criteria)
        if target != self.path:
            self.current_criteria_moved(target)
        self._saved = self.current
        self._saved_depth = len(self._done)
        if self.journal:
            self.journal.restart()
            if target != self.path:
                self.journal = JournalWriter(journal_path(target), target)
        self.path = target
        return target

    def current_criteria_moved(self, target: Path) -> None:
        """After save as: the criteria reference is now relative to the new file."""
        if self.path is None:
            return
        ref = os.path.relpath((self.path.parent / self.current.criteria_ref).resolve(), target.resolve().parent)
        if self._done:
            g = self._done[-1]
            self._done[-1] = Group(g.id, g.steps, g.after.model_copy(update={"criteria_ref": ref}))
        else:
            self.baseline = self.baseline.model_copy(update={"criteria_ref": ref})

    def scenario_steps(self) -> list[Step]:
        """Steps that take the file on disk (as last saved) to the current state."""
        return self.steps[self._saved_depth :] if len(self._done) >= self._saved_depth else self.steps

    def close(self, *, keep_journal: bool) -> None:
        if self.journal:
            if keep_journal:
                self.journal.close()
            else:
                self.journal.discard()


def set_aside(journal_file: Path) -> Path:
    """Move a journal that will not be restored out of the way, without deleting it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = journal_file.with_name(journal_file.name.removesuffix(".jsonl") + f".{stamp}.jsonl")
    journal_file.rename(target)
    return target
