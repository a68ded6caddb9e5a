"""The session journal: every workshop edit appended as a JSON line and flushed as it happens.

Line 1 is a header naming the appraisal file and its SHA-256 at the start of the session (or at the
last save). Then `edit` entries (a scenario step plus the group of the user action it belongs to),
and `undo` / `redo` entries. The effective edits are what replaying the entries in order leaves.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import AppraisalError
from ..model.scenario import ACTIONS, Step, step_dict
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


@dataclass(frozen=True)
class Journal:
    path: Path
    file: str
    sha256: str
    started: str
    actions: tuple[tuple[Step, ...], ...]  # effective edits, one tuple per user action
    redo: tuple[tuple[Step, ...], ...]

    @property
    def steps(self) -> list[Step]:
        return [s for action in self.actions for s in action]


def read_journal(path: Path) -> Journal:
    text = read_text(path)
    header: dict[str, Any] | None = None
    done: list[tuple[Step, ...]] = []
    redo: list[tuple[Step, ...]] = []
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
        else:
            raise AppraisalError(f"unknown entry kind {show(kind)}", file=str(path), line=n)
    if header is None:
        raise AppraisalError("no journal header", file=str(path))
    return Journal(path, header.get("file", ""), header.get("sha256", ""), header.get("started", ""), tuple(done), tuple(redo))


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
    """Write a scenario reproducing the session: its steps, and [expect] holding the final state."""
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
    for i, step in enumerate(j.steps):
        try:
            a = apply_step(a, step, loaded.as_loaded)
        except AppraisalError as e:
            raise AppraisalError(f"edit {i + 1}: {e.message}", file=str(journal)) from None
    rel = os.path.relpath(base.resolve(), output.resolve().parent)
    title = f"Workshop session of {j.started[:16].replace('T', ' ')}" if j.started else "Workshop session"
    write_output(output, scenario_toml(title, rel, j.steps, a, description=f"Recorded by the workshop app from {journal.name}."),
                 force=force, inputs=inputs)
    return len(j.steps)
