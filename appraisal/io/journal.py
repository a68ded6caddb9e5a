"""The session journal: every workshop edit appended as a JSON line and flushed as it happens.

Line 1 is a header naming the appraisal file and its SHA-256 at the start of the session (or at the
last save). Then `edit` entries (a scenario step plus the group of the user action it belongs to),
and `undo` / `redo` entries. The effective edits are what replaying the entries in order leaves.

`snapshot` entries name a state of the workshop ("before lunch"): the steps that lead to it from the
file the header names (or, where no steps can, the state itself, as the appraisal's JSON). They do not
change the effective edits. After a save the journal starts again from the saved file, and the
session writes its snapshots into it again, relative to that file: they outlive saves and restarts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import AppraisalError
from ..model import Appraisal
from ..model.diff import steps_between
from ..model.scenario import ACTIONS, SnapshotStep, Step, step_dict
from .parse import describe_error, show
from .read import is_missing, parse_json, read_bytes, read_text

VERSION = 1
_STEP = TypeAdapter(Step)


def journal_path(appraisal_path: Path) -> Path:
    """Beside the file; where that folder is read-only (an installed package), in the user's state folder."""
    beside = appraisal_path.with_name(appraisal_path.name + ".journal.jsonl")
    if os.access(appraisal_path.parent, os.W_OK):
        return beside
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "appraisal" / "journals"
    state.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha256(str(appraisal_path.resolve()).encode()).hexdigest()[:12]
    return state / f"{tag}-{beside.name}"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class JournalWriter:
    """Appends entries and flushes each one to disk (fsync), so a killed app loses nothing.

    A write the disk refuses (full, read-only, gone) never loses an entry and never leaves half a
    line: the file is cut back to its last whole line and the entries wait in `pending` until a
    later `flush()` gets them all on disk, in order."""

    def __init__(self, path: Path, appraisal_file: Path):
        self.path = path
        self.appraisal_file = appraisal_file
        self.pending: list[str] = []  # lines not yet on disk, oldest first
        self.error: OSError | None = None  # why the last flush failed; None once everything is on disk
        self._fd: int | None = None
        self._size = 0  # bytes on disk that are whole lines
        self._header: str | None = None

    @property
    def unwritten(self) -> int:
        """How many entries (edits, notes, undos, redos) are not on disk yet."""
        return sum(1 for line in self.pending if line is not self._header)

    def _open(self) -> None:
        if self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            size = os.fstat(fd).st_size
            if size:
                size = _whole_lines(fd, size)  # a line a killed app cut short would hide the next ones
            if size == 0 and self._header is None:
                try:
                    self._header = _line({"kind": "header", "version": VERSION, "file": self.appraisal_file.name,
                                          "sha256": file_sha256(self.appraisal_file), "started": now()})
                except OSError:
                    os.close(fd)
                    raise
                self.pending.insert(0, self._header)
            self._fd, self._size = fd, size

    def _append(self, entry: dict[str, Any]) -> bool:
        self.pending.append(_line(entry))
        return self.flush()

    def flush(self) -> bool:
        """Write every pending entry. False if the disk refused (they stay pending; `error` says why)."""
        if not self.pending:
            return True
        try:
            self._open()
            assert self._fd is not None
            data = "".join(self.pending).encode("utf-8")
            _write_all(self._fd, data)
        except OSError as e:
            self.error = e
            if self._fd is not None:
                try:
                    os.ftruncate(self._fd, self._size)  # no half line: the next attempt writes whole lines
                except OSError:
                    self.close()  # reopened (and its size read again) on the next attempt
            return False
        self._size += len(data)
        self.pending.clear()
        self.error = None
        return True

    def edit(self, step: Step, group: int) -> bool:
        return self._append({"kind": "edit", "group": group, "step": step_dict(step)})

    def note(self, text: str, group: int) -> bool:
        return self._append({"kind": "note", "group": group, "note": text})

    def snapshot(self, name: str, at: str, by: str, steps: list[Step] | None, state: Appraisal | None = None) -> bool:
        """A named state: the steps from the journal's file to it, or (when no steps can reach it) the state."""
        entry: dict[str, Any] = {"kind": "snapshot", "name": name, "at": at, **({"by": by} if by else {})}
        if steps is not None:
            entry["steps"] = [step_dict(s) for s in steps]
        else:
            assert state is not None
            entry["state"] = state.model_dump(mode="json")
        return self._append(entry)

    def undo(self) -> bool:
        return self._append({"kind": "undo", "at": now()})

    def redo(self) -> bool:
        return self._append({"kind": "redo", "at": now()})

    def restart(self) -> None:
        """After a save: the saved file is the new base; earlier entries (on disk or pending) are in it."""
        self.close()
        self.pending.clear()
        self.error = None
        self._header = None
        self.path.unlink(missing_ok=True)

    def discard(self) -> None:
        self.restart()

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None


def _whole_lines(fd: int, size: int) -> int:
    """Cut a journal back to its last whole line; its new size."""
    if os.pread(fd, 1, size - 1) == b"\n":
        return size
    end = os.pread(fd, size, 0).rfind(b"\n") + 1  # journals are small: one workshop's edits
    os.ftruncate(fd, end)
    return end


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _line(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _check_same_shape(name: str, state: Appraisal, base: Appraisal) -> None:
    """A state snapshot must be of this file: its options, criteria and groups (the app changes scores,
    weights and flags, never these). One of another file's once crashed the comparison screen."""
    for what, mine, theirs in (("options", state.options, base.options), ("criteria", state.criteria, base.criteria),
                               ("groups", state.groups, base.groups)):
        if [x.id for x in mine] != [x.id for x in theirs]:
            raise AppraisalError(f"snapshot '{name}' holds other {what} than the file")
    if state.scale != base.scale:
        raise AppraisalError(f"snapshot '{name}' holds another scale than the file")


@dataclass(frozen=True)
class JournalSnapshot:
    """A named state recorded in a journal."""

    name: str
    at: str
    by: str
    steps: tuple[Step, ...] | None  # from the journal's file to the state; None when `state` holds it
    state: Appraisal | None
    taken_after: tuple[Step, ...]  # the effective edits when it was taken (where it stands on the session's path)

    def appraisal(self, base: Appraisal) -> Appraisal:
        """The state, given the journal's file as loaded. Raises AppraisalError if a step no longer applies."""
        from ..model.steps import apply_step

        if self.state is not None:
            _check_same_shape(self.name, self.state, base)
            return self.state
        state = base
        for k, step in enumerate(self.steps or ()):
            try:
                state = apply_step(state, step, base)
            except AppraisalError as e:
                raise AppraisalError(f"snapshot '{self.name}', step {k + 1}: {e.message}") from None
        return state


@dataclass(frozen=True)
class Journal:
    path: Path
    file: str
    sha256: str
    started: str
    actions: tuple[tuple[Step, ...], ...]  # effective edits, one tuple per user action
    redo: tuple[tuple[Step, ...], ...]
    snapshots: tuple[JournalSnapshot, ...] = ()  # in the order taken

    @property
    def steps(self) -> list[Step]:
        return [s for action in self.actions for s in action]


def read_journal(path: Path) -> Journal:
    text = read_text(path)
    header: dict[str, Any] | None = None
    done: list[tuple[Step, ...]] = []
    redo: list[tuple[Step, ...]] = []
    snapshots: list[JournalSnapshot] = []
    current_group: int | None = None
    # Lines end at "\n" only: a note may hold U+2028 or \x85, which str.splitlines() would also split at.
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = parse_json(line, str(path), n)
        except AppraisalError as e:
            if n == len(lines) and e.message.startswith("malformed JSON"):
                break  # a last line cut short by a crash: everything before it is intact
            raise AppraisalError(e.message.replace("malformed JSON", "not JSON"), file=str(path), line=n) from None
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if header is None:
            if kind != "header":
                raise AppraisalError("the first line must be the journal header", file=str(path), line=n)
            header = _check_header(entry, path, n)
            continue
        if kind == "edit":
            if "step" not in entry:
                raise AppraisalError("invalid edit: no `step`", file=str(path), line=n)
            try:
                step = _STEP.validate_python(entry["step"])
            except ValidationError as e:
                err = e.errors()[0]
                where = ".".join(str(p) for p in err["loc"] if p not in ACTIONS)
                raise AppraisalError(f"invalid edit: {where + ': ' if where else ''}{describe_error(err)}", file=str(path), line=n) from None
            if entry.get("group") == current_group and done:
                done[-1] = (*done[-1], step)
            else:
                done.append((step,))
                current_group = entry.get("group")
            redo.clear()
        elif kind == "note":
            if not isinstance(entry.get("note", ""), str):
                raise AppraisalError("a note must be text", file=str(path), line=n)
            if done and entry.get("group") == current_group:
                done[-1] = tuple(s.model_copy(update={"note": entry.get("note", "")}) for s in done[-1])
        elif kind == "undo":
            if done:
                redo.append(done.pop())
            current_group = None
        elif kind == "redo":
            if redo:
                done.append(redo.pop())
            current_group = None
        elif kind == "snapshot":
            snapshots.append(_snapshot(entry, tuple(s for action in done for s in action), path, n))
        else:
            raise AppraisalError(f"unknown entry kind {show(kind)}", file=str(path), line=n)
    if header is None:
        raise AppraisalError("no journal header", file=str(path))
    return Journal(path, header.get("file", ""), header.get("sha256", ""), header.get("started", ""), tuple(done), tuple(redo), tuple(snapshots))


def _snapshot(entry: dict[str, Any], taken_after: tuple[Step, ...], path: Path, n: int) -> JournalSnapshot:
    name, at, by = entry.get("name"), entry.get("at", ""), entry.get("by", "")
    if not isinstance(name, str) or not name.strip() or not isinstance(at, str) or not isinstance(by, str):
        raise AppraisalError("a snapshot needs a name (and its 'at' and 'by' must be text)", file=str(path), line=n)
    if ("steps" in entry) == ("state" in entry):
        raise AppraisalError(f"snapshot '{name}' must hold either its steps or its state", file=str(path), line=n)
    try:
        if "steps" in entry:
            if not isinstance(entry["steps"], list):
                raise AppraisalError(f"snapshot '{name}': 'steps' must be a list", file=str(path), line=n)
            steps = tuple(_STEP.validate_python(s) for s in entry["steps"])
            return JournalSnapshot(name, at, by, steps, None, taken_after)
        return JournalSnapshot(name, at, by, None, Appraisal.model_validate(entry["state"]), taken_after)
    except ValidationError as e:
        raise AppraisalError(f"invalid snapshot '{name}': {e.error_count()} problem(s), first: {e.errors()[0]['msg']}", file=str(path), line=n) from None


def _check_header(entry: dict[str, Any], path: Path, n: int) -> dict[str, Any]:
    if entry.get("version") != VERSION:
        raise AppraisalError(f"journal version {entry.get('version')!r}: this version of appraisal reads version {VERSION}", file=str(path), line=n)
    for key in ("file", "sha256", "started"):
        if not isinstance(entry.get(key), str):
            raise AppraisalError(f"the header's '{key}' must be text", file=str(path), line=n)
    if entry["file"] in ("", ".", "..") or "/" in entry["file"] or "\\" in entry["file"]:  # the app writes a bare name
        raise AppraisalError("the header's 'file' must be the name of the appraisal file beside the journal", file=str(path), line=n)
    return entry


def check_journal_matches(j: Journal, appraisal_file: Path) -> None:
    """A journal's edits apply only to the file exactly as it was when they were recorded."""
    if j.file and j.file != appraisal_file.name:
        raise AppraisalError(f"this journal records edits to '{j.file}', not '{appraisal_file.name}'", file=str(j.path))
    if file_sha256(appraisal_file) != j.sha256:
        raise AppraisalError(f"'{appraisal_file.name}' has changed since this journal was recorded; its edits no longer apply to it", file=str(j.path))


def export_journal(journal: Path, output: Path, *, force: bool = False) -> int:
    """Write a scenario reproducing the session: its steps, a `snapshot` step where each named state
    stands (reached by a detour and back when it is off the session's final path), and [expect]
    holding the final state. Returns the number of edits."""
    from .load import load
    from ..model.steps import apply_step
    from .scenario_write import scenario_toml
    from .atomic import check_output, write_output

    j = read_journal(journal)
    base = journal.parent / j.file
    if is_missing(base):
        raise AppraisalError(f"the journal's appraisal '{j.file}' is not beside it", file=str(journal))
    check_journal_matches(j, base)
    loaded = load(base)
    inputs = (journal, *loaded.files)
    check_output(output, force=force, inputs=inputs)
    a = loaded.appraisal
    final = j.steps
    out: list[Step] = []

    def advance(state: Appraisal, steps: Sequence[Step], first: int) -> Appraisal:
        for i, step in enumerate(steps, start=first):
            try:
                state = apply_step(state, step, loaded.as_loaded)
            except AppraisalError as e:
                raise AppraisalError(f"edit {i + 1}: {e.message}", file=str(journal)) from None
            out.append(step)
        return state

    done = 0
    for p, _, snap in sorted((_common(s.taken_after, final), k, s) for k, s in enumerate(j.snapshots)):
        a = advance(a, final[done:p], done)
        done = p
        try:
            there = snap.appraisal(loaded.appraisal)
        except AppraisalError as e:
            raise AppraisalError(e.message, file=str(journal)) from None
        go, back = steps_between(a, there), steps_between(there, a)
        if go is None or back is None:
            raise AppraisalError(f"snapshot '{snap.name}' cannot be written as steps (a score it lacks cannot be taken away by a step)", file=str(journal))
        out += [*go, SnapshotStep(action="snapshot", name=snap.name, at=snap.at, by=snap.by), *back]
    a = advance(a, final[done:], done)
    rel = os.path.relpath(base.resolve(), output.resolve().parent)
    title = f"Workshop session of {j.started[:16].replace('T', ' ')}" if j.started else "Workshop session"
    write_output(output, scenario_toml(title, rel, out, a, description=f"Recorded by the workshop app from {journal.name}."),
                 force=force, inputs=inputs)
    return len(final)


def _common(a: Sequence[Step], b: Sequence[Step]) -> int:
    """How many steps two paths share from the start."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
