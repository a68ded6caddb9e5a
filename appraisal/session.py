"""A workshop session: the appraisal as loaded, the edits made since (with undo and redo), the
journal that records each one as it happens, and the lock that makes this session the file's one
writer. The workshop's rules live here, in plain Python: the app drives it, tests too."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import AppraisalError
from .io.atomic import read_only as read_only_file, remove_temporaries
from .io.journal import SNAPSHOT_NAME_MAX, Journal, JournalWriter, file_sha256, journal_path, now
from .io.read import is_missing
from .io.lock import FileLock, Locked
from .io.write import save_appraisal
from .model import Appraisal
from .model.cells import NO_NOTE
from .model.diff import steps_between
from .model.scenario import EnableStep, ExcludeStep, MeasureStep, PresetStep, ScoreStep, Step, WeightStep
from .model.steps import apply_step
from .reports.changes import describe_step, describe_steps
from .reports.workshop import WorkshopView

__all__ = ["Action", "ChangedOnDisk", "Locked", "ReadOnly", "ReadOnlyFile", "Session", "Snapshot", "copy_to", "free_name", "set_aside"]


@dataclass(frozen=True)
class Action:
    """One user action (what one undo takes back): one or more steps, and the appraisal they produced."""

    id: int
    steps: tuple[Step, ...]
    after: Appraisal


@dataclass(frozen=True)
class Snapshot:
    """A named state of the workshop ("before lunch"), to compare with another or with now."""

    name: str
    at: str
    by: str
    state: Appraisal


class ReadOnly(AppraisalError):
    """An edit or save in a session opened read-only."""


class ReadOnlyFile(AppraisalError):
    """The file's permissions do not allow writing it: it is opened read only (or on a copy)."""

    def __init__(self, path: Path, why: str):
        super().__init__(why, file=str(path))
        self.why = why


class ChangedOnDisk(AppraisalError):
    """A save would replace a file another program changed since this session read or saved it."""

    def __init__(self, path: Path, why: str):
        super().__init__(why, file=str(path))
        self.why = why


class Session:
    """With `lock`, the session takes the file's lock first (raising `Locked` if another window holds
    it) and tidies what a killed save left beside the file. With `read_only` (the reason, for the
    message), every edit and save is refused and nothing is ever written: no journal, no lock. A file
    whose permissions do not allow writing raises `ReadOnlyFile` (open it read only, or on a copy),
    unless it is `kept` (never saved over: the bundled appraisal, installed read-only, is edited and
    saved as a new file).

    The lock and the journal belong to the real file: opened through a symlink, its target's; saves
    write through the link. The file's SHA-256 as read (and as last saved) is kept: a save over a file
    another program has changed since raises `ChangedOnDisk` unless told to overwrite."""

    def __init__(self, baseline: Appraisal, path: Path | None = None, *, journal: bool = True, participant: str = "",
                 lock: bool | None = None, read_only: str = "", kept: bool = False):
        self.baseline = baseline
        self.path = path
        self.read_only = read_only
        self._participant = participant
        self._done: list[Action] = []
        self._undone: list[Action] = []
        self._saved: Appraisal = baseline
        self._saved_depth = 0  # len(_done) at the last save
        self._saved_ids: tuple[int, ...] = ()  # the actions in the saved state, oldest first
        self._journal_base: Appraisal = baseline  # the file on disk that the journal's steps start from
        self._next_action = 1
        self._listeners: list[Callable[[], None]] = []
        self.snapshots: list[Snapshot] = []
        self.last_event: tuple[str, Action] | None = None  # ("", action) made, ("undo", ...) or ("redo", ...)
        self.lock: FileLock | None = None
        self.lock_warning = ""  # why the file could not be locked, when it could not
        self.settings: dict[str, object] = {}  # the app's settings worth restoring (ask_reasons), journaled
        writes = path is not None and not read_only
        if writes and not kept and (why := read_only_file(path)):
            raise ReadOnlyFile(path, why)
        # What this session knows the file on disk to be: a save over anything else asks first.
        self.disk_sha256 = _sha256(path)
        self._saved_here = False
        if writes and (journal if lock is None else lock):
            self.lock, self.lock_warning = _lock(path)
            if self.lock is not None:
                remove_temporaries(_real(path))  # what a save killed half-way left: we are the one writer now
        self.journal = JournalWriter(journal_path(path), _real(path), sha256=self.disk_sha256) if (journal and writes) else None

    # --- who is told of changes ---------------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after every change of state: edits, undo, redo, saves, the journal catching up."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # --- settings -----------------------------------------------------------------------------
    def set_setting(self, name: str, value: object, *, record: bool = True) -> None:
        """A setting of the app worth restoring after a crash (`ask_reasons`): in the journal when
        `record` (a change the user made), else only in the headers to come (as opened, or restored)."""
        if name in self.settings and self.settings[name] == value:
            return
        self.settings[name] = value
        if self.journal:
            if record:
                self.journal.setting(name, value)
            else:
                self.journal.settings[name] = value

    # --- state --------------------------------------------------------------------------------
    @property
    def current(self) -> Appraisal:
        return self._done[-1].after if self._done else self.baseline

    @property
    def dirty(self) -> bool:
        return self.current is not self._saved

    @property
    def unsaved(self) -> int:
        """How many user actions separate now from the file as saved: those made since, and those the
        saved file has that have been undone."""
        if not self.dirty:
            return 0
        now = [a.id for a in self._done]
        common = 0
        while common < min(len(now), len(self._saved_ids)) and now[common] == self._saved_ids[common]:
            common += 1
        return max(1, len(now) - common + len(self._saved_ids) - common)

    def last_words(self) -> str:
        """The last thing done, in words: "Undid: Integrated / Clear vision: 4 → 3"."""
        if self.last_event is None:
            return ""
        kind, action = self.last_event
        if kind == "undo":
            return "Undid: " + describe_steps(action.steps, action.after, self._before(action), reverse=True)
        words = self.describe_action(action)
        return f"Redid: {words}" if kind == "redo" else words

    @property
    def actions(self) -> list[Action]:
        return list(self._done)

    @property
    def steps(self) -> list[Step]:
        return [s for action in self._done for s in action.steps]

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def participant(self) -> str:
        """Who is speaking: recorded with each edit."""
        return self._participant

    @participant.setter
    def participant(self, name: str) -> None:
        self._participant = name
        self._changed()

    @property
    def unwritten(self) -> int:
        """Journal entries the disk has not taken yet (they are kept, and retried)."""
        return self.journal.unwritten if self.journal else 0

    def view(self, viewing: str | None = None, previous: WorkshopView | None = None) -> WorkshopView:
        """What the workshop screen shows of the current state, as `viewing` sees it (given the view
        shown before, only what changed is read again)."""
        return WorkshopView.of(self.current, self.baseline, self.steps, viewing, previous)

    # --- edits --------------------------------------------------------------------------------
    def apply(self, *steps: Step, record: bool = True) -> Appraisal:
        """Apply one user action. Raises AppraisalError and changes nothing if any step is invalid, or
        ReadOnly in a read-only session. A journal the disk refuses is retried later (see `unwritten`)."""
        self._check_writable("edits")
        stamp = {"at": now()} | ({"by": self._participant} if self._participant else {})
        stamped = tuple(s.model_copy(update={k: v for k, v in stamp.items() if not getattr(s, k)}) for s in steps)
        state = self.current
        for step in stamped:
            state = apply_step(state, step, self.baseline)
        action = Action(self._next_action, stamped, state)
        self._next_action += 1
        self._done.append(action)
        self._undone.clear()
        self.last_event = ("", action)
        if record and self.journal:
            for step in stamped:
                self.journal.edit(step, action.id)
        self._changed()
        return state

    def annotate(self, note: str) -> None:
        """Attach a reason to the last action (the journal records it as a further entry)."""
        note = note.strip()
        if not note or not self._done or self.read_only:
            return
        last = self._done[-1]
        self._done[-1] = Action(last.id, tuple(s.model_copy(update={"note": note}) for s in last.steps), last.after)
        if self.last_event is not None and self.last_event[1] is last:
            self.last_event = (self.last_event[0], self._done[-1])
        if self.journal:
            self.journal.note(note, last.id)
        self._changed()

    def undo(self) -> Action | None:
        """Take back the last action; it is returned (None if there was none)."""
        if not self._done:
            return None
        action = self._done.pop()
        self._undone.append(action)
        self.last_event = ("undo", action)
        if self.journal:
            self.journal.undo()
        self._changed()
        return action

    def redo(self) -> Action | None:
        if not self._undone:
            return None
        action = self._undone.pop()
        self._done.append(action)
        self.last_event = ("redo", action)
        if self.journal:
            self.journal.redo()
        self._changed()
        return action

    def retry_journal(self) -> bool:
        """Try again to write what the disk refused. True when everything is on disk."""
        if not self.journal or not self.journal.pending:
            return True
        ok = self.journal.flush()
        if ok:
            self._changed()
        return ok

    def restore(self, journal: Journal) -> None:
        """Replay a journal left by a session that did not end cleanly (its entries stay on disk).
        All or nothing: an edit the file no longer accepts raises AppraisalError and changes nothing."""
        self._check_writable("restoring a journal")
        done: list[Action] = []
        next_id = self._next_action
        state = self.current
        try:
            for steps in journal.actions:
                state = _applied(state, steps, self.baseline)
                done.append(Action(next_id, steps, state))
                next_id += 1
            # journal.redo[-1] is the next to redo: rebuild the states it leads to, in redo order.
            redo = []
            for steps in reversed(journal.redo):
                state = _applied(state, steps, self.baseline)
                redo.append(Action(next_id, steps, state))
                next_id += 1
        except AppraisalError as e:
            raise AppraisalError(f"an edit this file no longer accepts: {e}", file=str(journal.path)) from None
        snapshots = self._snapshots_of(journal)
        for name, value in journal.settings:  # already in the journal this session goes on writing
            self.set_setting(name, value, record=False)
        self._done += done
        self._undone = list(reversed(redo))
        self._next_action = next_id + 1000  # new entries never continue a restored action
        self.snapshots += snapshots
        self._changed()

    def restore_snapshots(self, journal: Journal, *, record: bool = False) -> int:
        """Take up the snapshots of a journal whose edits are not restored (a fresh start on the same
        file keeps its named states); with `record`, write them into this session's journal. Returns
        how many. Raises AppraisalError (and takes none) if one no longer applies to the file."""
        snapshots = self._snapshots_of(journal)
        self.snapshots += snapshots
        if record:
            for snap in snapshots:
                self._record(snap)
        if snapshots:
            self._changed()
        return len(snapshots)

    def _snapshots_of(self, journal: Journal) -> list[Snapshot]:
        try:
            return [Snapshot(s.name, s.at, s.by, s.appraisal(self.baseline)) for s in journal.snapshots]
        except AppraisalError as e:
            raise AppraisalError(f"a snapshot this file no longer accepts: {e.message}", file=str(journal.path)) from None

    # --- snapshots ----------------------------------------------------------------------------
    def take_snapshot(self, name: str) -> Snapshot:
        """Name the current state. In the journal at once (so it outlives a crash, a save and a restart);
        in a read-only window, kept for this window only. A name already taken is refused."""
        name = name.strip()
        if not name:
            raise AppraisalError("a snapshot needs a name")
        if len(name) > SNAPSHOT_NAME_MAX:
            raise AppraisalError(f"a snapshot's name is at most {SNAPSHOT_NAME_MAX} characters (this one has {len(name)})")
        if any(s.name == name for s in self.snapshots):
            raise AppraisalError(f"there is already a snapshot called '{name}'")
        snap = Snapshot(name, now(), self._participant, self.current)
        self.snapshots.append(snap)
        self._record(snap)
        self._changed()
        return snap

    def snapshot(self, name: str) -> Snapshot | None:
        return next((s for s in self.snapshots if s.name == name), None)

    def _record(self, snap: Snapshot) -> None:
        """Write a snapshot into the journal: the steps from the journal's file to it, or its state."""
        if not self.journal:
            return
        if snap.state is self.current and self._journal_base is self.baseline:
            steps: list[Step] | None = self.steps  # the session's own path, with who and why
        else:
            steps = steps_between(self._journal_base, snap.state)
        self.journal.snapshot(snap.name, snap.at, snap.by, steps, None if steps is not None else snap.state)

    def _rerecord_snapshots(self) -> None:
        """The journal started again from the file on disk: its snapshots go back in, relative to it."""
        for snap in self.snapshots:
            self._record(snap)

    # --- rules of the workshop ----------------------------------------------------------------
    def reset_steps(self, cells: Sequence[tuple[str, str]], criteria: Sequence[str], options: Sequence[str]) -> list[Step]:
        """The steps that take these cells, criteria (weight, on/off) and options (in or out) back to
        the loaded appraisal; none where they are as loaded."""
        state, base = self.current, self.baseline
        steps: list[Step] = []
        for option in options:
            if state.option(option).excluded != base.option(option).excluded:
                steps.append(ExcludeStep(action="exclude" if base.option(option).excluded else "include", option=option))
        for criterion in criteria:
            if (criterion in state.disabled) != (criterion in base.disabled):
                steps.append(EnableStep(action="disable" if criterion in base.disabled else "enable", criterion=criterion))
        for option, criterion in cells:
            before = base.cell(option, criterion).score
            if before is not None and state.cell(option, criterion).score != before:
                if state.option(option).excluded and not any(isinstance(s, ExcludeStep) and s.option == option for s in steps):
                    continue  # scores of an excluded option cannot change; they reset when it is back in
                measure = base.cell(option, criterion).measure  # a measured criterion resets its measure
                steps.append(ScoreStep(action="set-score", option=option, criterion=criterion, score=before) if measure is None
                             else MeasureStep(action="set-measure", option=option, criterion=criterion, measure=measure))
        every = set(criteria) == set(state.criterion_index)  # then group weights reset too
        if criteria and (any(state.weights[c] != base.weights[c] for c in criteria) or (every and state.group_weights != base.group_weights)):
            steps.append(PresetStep(action="weights-preset", preset="as-loaded") if every
                         else WeightStep(action="set-weight", criterion=criteria[0], weight=base.weights[criteria[0]]))
        return steps

    def describe(self, step: Step, before: Appraisal | None = None) -> str:
        """One edit in words (names as they are now; with the state `before` it, the old value too)."""
        return describe_step(step, self.current, before)

    def history(self) -> list[tuple[Step, str]]:
        """Every edit in effect, oldest first, each with its words (old values included): the changes view."""
        out: list[tuple[Step, str]] = []
        before = self.baseline
        for action in self._done:
            out += [(step, describe_step(step, self.current, before)) for step in action.steps]
            before = action.after
        return out

    def describe_action(self, action: Action) -> str:
        """One user action in words, old values included: for undo and redo notices and reason prompts."""
        return describe_steps(action.steps, action.after, self._before(action))

    def describe_steps(self, steps: Sequence[Step]) -> str:
        """Edits about to be applied (one action), in words, old values included."""
        return describe_steps(steps, self.current, self.current)

    def _before(self, action: Action) -> Appraisal:
        for k, done in enumerate(self._done):
            if done is action:
                return self._done[k - 1].after if k else self.baseline
        for k, undone in enumerate(self._undone):  # the last undone is the next redone
            if undone is action:
                return self._undone[k + 1].after if k + 1 < len(self._undone) else self.current
        return self.current

    # --- files --------------------------------------------------------------------------------
    def changed_on_disk(self) -> str | None:
        """Why saving over the file would lose what another program did to it since this session read it
        (or last saved it), or None: it is as this session knows it."""
        if self.path is None or self.disk_sha256 is None:
            return None
        if is_missing(self.path):
            return f"{self.path.name} has been moved or deleted since it was opened"
        if _sha256(self.path) != self.disk_sha256:
            return f"{self.path.name} has been changed by another program since it was {'saved here' if self._saved_here else 'opened'}"
        return None

    def save(self, path: Path | None = None, *, overwrite: bool = False) -> Path:
        """Save atomically (to `path`: save as). On any failure nothing changes and the error is raised:
        the edits stay here and in the journal, and the save can be tried again. Over the file this
        session opened, when another program has changed it since: ChangedOnDisk, unless `overwrite`.
        Over a read-only file: OSError (EACCES), never replaced."""
        self._check_writable("saving")
        target = path or self.path
        if target is None:
            raise AppraisalError("no file to save to: use save as")
        moving = self.path is None or Path(target).resolve() != self.path.resolve()
        if not moving and not overwrite and (why := self.changed_on_disk()):
            raise ChangedOnDisk(Path(target), why)
        new_lock = None
        if moving and self.lock is not None:
            new_lock, _ = _lock(Path(target))  # raises Locked if another window has it open
        kept = self._with_reasons()
        try:
            criteria = (self.path.parent / self.current.criteria_ref).resolve() if self.path else None
            written = save_appraisal(kept, target, criteria_file=criteria)
        except BaseException:
            if new_lock is not None:
                new_lock.release()
            raise
        if kept is not self.current:  # the reasons are in the file now, so in the state that matches it
            last = self._done[-1]
            self._done[-1] = Action(last.id, last.steps, kept)
            if self.last_event is not None and self.last_event[1] is last:  # "what was just done" still finds its before
                self.last_event = (self.last_event[0], self._done[-1])
        if moving:
            self._criteria_moved(target)
        self._saved = self.current
        self._saved_depth = len(self._done)
        self._saved_ids = tuple(a.id for a in self._done)
        self._journal_base = self.current
        self.disk_sha256, self._saved_here = written, True
        if self.journal:
            try:
                self.journal.restart()
            except OSError:
                pass  # the old journal could not be removed: its file matches no saved file, so it is set aside at the next start
            if moving:
                self.journal = JournalWriter(journal_path(target), _real(target))
                self.journal.settings = dict(self.settings)
            self.journal.sha256 = written
            self._rerecord_snapshots()
        if new_lock is not None:
            if self.lock is not None:
                self.lock.release()
            self.lock = new_lock
        self.path = target
        self._changed()
        return target

    def _with_reasons(self) -> Appraisal:
        """The current state as it is saved: with the reasons given for the edits in effect (saving restarts
        the journal, which held them): a changed cell's reason in that cell's note, any other edit's in the
        provenance notes, each as 'date, who: what changed. Why: reason', once (a line already there is not
        added again: an earlier save put it there, or an undo took it away with the state it was saved in);
        and without the label the source printed beside a score the workshop has since changed."""
        cells: dict[int, list[str]] = {}
        others: list[str] = []
        state = self.current
        for action in self._done:
            before = self._before(action)
            for step in action.steps:
                if step.action in ("set-score", "set-measure") and not getattr(step, "participant", ""):
                    cells.setdefault(state.option_index[step.option] * len(state.criteria) + state.criterion_index[step.criterion], [])
                if not step.note:
                    continue
                line = f"{step.at[:10] or now()[:10]}, {step.by or 'the workshop'}: {describe_step(step, state, before)}. Why: {step.note}"
                if step.action in ("set-score", "set-measure") and not getattr(step, "participant", ""):
                    k = state.option_index[step.option] * len(state.criteria) + state.criterion_index[step.criterion]
                    cells.setdefault(k, []).append(line)
                else:
                    others.append(line)
        def added(text: str, lines: list[str]) -> str:
            have = text.split("\n")
            return "\n".join([*(have if text else []), *(line for line in dict.fromkeys(lines) if line not in have)])

        update: dict = {}
        notes = {}
        for k, lines in cells.items():
            note = state.cells.notes.get(k, NO_NOTE)
            kept = note._replace(note=added(note.note, lines))
            printed = state.scale.value_of_label(note.label) if note.label else None
            if printed is not None and abs(printed - state.cells.scores.flat[k]) > 1e-9:
                kept = kept._replace(label=None)  # printed beside the source's score, not this one (validate would blame the source)
            if kept != note:
                notes[k] = kept
        if notes:
            update["cells"] = state.cells.with_notes(notes)
        if (text := added(state.provenance.notes, others)) != state.provenance.notes:
            update["provenance"] = state.provenance.model_copy(update={"notes": text})
        return state.model_copy(update=update) if update else state

    def _criteria_moved(self, target: Path) -> None:
        """After save as: the criteria reference is now relative to the new file."""
        if self.path is None:
            return
        ref = os.path.relpath((self.path.parent / self.current.criteria_ref).resolve(), target.resolve().parent)
        if self._done:
            last = self._done[-1]
            self._done[-1] = Action(last.id, last.steps, last.after.model_copy(update={"criteria_ref": ref}))
            if self.last_event is not None and self.last_event[1] is last:
                self.last_event = (self.last_event[0], self._done[-1])
        else:
            self.baseline = self.baseline.model_copy(update={"criteria_ref": ref})

    def mark_saved(self) -> None:
        """The current state is what is on disk (after a save made elsewhere, e.g. a copy)."""
        self._saved = self.current
        self._saved_depth = len(self._done)
        self._saved_ids = tuple(a.id for a in self._done)
        self._changed()

    def drop_unsaved(self) -> Path | None:
        """The user chose not to save: the edits are set aside with the journal (never deleted), and
        the session counts as saved. Returns where the journal went, if anywhere."""
        aside = None
        if self.journal:
            self.journal.close()
            self.journal.pending.clear()
            if self.journal.path.exists():
                try:
                    aside = set_aside(self.journal.path)
                except OSError:
                    self.journal = None  # it stays where it is (the next start offers it): never removed
                    self.mark_saved()
                    raise
        self.mark_saved()
        return aside

    def scenario_steps(self) -> list[Step]:
        """Steps that take the file on disk (as last saved) to the current state."""
        return self.steps[self._saved_depth :] if len(self._done) >= self._saved_depth else self.steps

    def close(self, *, keep_journal: bool) -> None:
        """End the session: the journal kept (the app was not quit cleanly) or removed; the lock released."""
        if self.journal:
            try:
                if keep_journal:
                    self.journal.close()
                else:
                    self.journal.discard()
                    self._rerecord_snapshots()  # named states outlive the session, beside the file as it is on disk
                    self.journal.close()
            except OSError:
                pass
        self.release()

    def release(self) -> None:
        """Give up the file's lock (another window may then write it)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _check_writable(self, what: str) -> None:
        if self.read_only:
            raise ReadOnly(f"read only: {self.read_only}; {what} refused")


def _applied(state: Appraisal, steps: Sequence[Step], baseline: Appraisal) -> Appraisal:
    for step in steps:
        state = apply_step(state, step, baseline)
    return state


def _real(path: Path) -> Path:
    """The file a path names, through any symlinks: its lock, journal and saves are that file's."""
    return Path(os.path.realpath(path))


def _sha256(path: Path | None) -> str | None:
    """The file's SHA-256 (None where there is no file to read)."""
    if path is None:
        return None
    try:
        return file_sha256(path)
    except (AppraisalError, OSError):
        return None


def _lock(path: Path) -> tuple[FileLock | None, str]:
    """The real file's lock, or (None, why) where the lock cannot be written (a read-only folder without a
    state folder, a full disk): the session goes on, but cannot keep a second window out. For hard links
    (two real paths, one file) each name has its own lock: nothing better can be done beside the file."""
    try:
        return FileLock.acquire(_real(path)), ""
    except Locked:
        raise
    except OSError as e:
        return None, f"the file could not be locked ({e.strerror or e}): another window could open it for writing too"


def free_name(path: Path) -> Path:
    """A name for a copy of `path` that no file has yet: NAME-copy.toml, NAME-copy-2.toml, ... beside
    it (in the current folder where its own cannot be written)."""
    folder = path.parent if os.access(path.parent, os.W_OK) else Path.cwd()
    for k in range(1, 1000):
        target = folder / f"{path.stem}-copy{'' if k == 1 else f'-{k}'}.toml"
        if not target.exists():
            return target
    raise AppraisalError("no free name for a copy", file=str(path))


def copy_to(appraisal: Appraisal, source: Path, target: Path) -> None:
    """Write the appraisal loaded from `source` to a new file `target` (atomically; never replacing a
    file), its criteria reference made relative to the new place."""
    if target.exists():
        raise AppraisalError("already exists: choose another name", file=str(target))
    criteria = (source.parent / appraisal.criteria_ref).resolve()
    save_appraisal(appraisal, target, criteria_file=criteria)


def set_aside(journal_file: Path) -> Path:
    """Move a journal that will not be restored out of the way, without deleting it. Raises OSError
    if it cannot be moved."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = journal_file.with_name(journal_file.name.removesuffix(".jsonl") + f".{stamp}.jsonl")
    k = 1
    while target.exists():
        target = journal_file.with_name(journal_file.name.removesuffix(".jsonl") + f".{stamp}-{k}.jsonl")
        k += 1
    journal_file.rename(target)
    return target
