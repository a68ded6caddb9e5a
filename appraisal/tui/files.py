"""The workshop app's file actions: opening a file as its one writer (or read only, or on a copy, when
another window has it), save (atomic), save as, session as scenario, export, restoring a killed
session, and quitting without losing work. A mixin of WorkshopApp (contract: tui/host.py)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import AppraisalError
from ..io.atomic import not_a_file
from ..io.journal import file_sha256, read_journal
from ..io.load import load
from ..io.lock import Locked
from ..model import Appraisal
from ..paths import bundled_appraisal
from ..session import ChangedOnDisk, ReadOnlyFile, Session, copy_to, free_name, set_aside
from ..reports.numbers import count
from .host import Host
from .modals import ConfirmScreen
from .paths import PathScreen


def is_bundled(path: Path) -> bool:
    """The bundled 2013 appraisal: never saved over (a save asks for a new file), so its permissions
    (read-only where the package is installed) do not make a window read only."""
    return path.resolve() == bundled_appraisal().resolve()


def why_read_only(path: Path, why: Locked | ReadOnlyFile) -> str:
    """Why a window on `path` is read only, in words: another window has it, or its permissions."""
    if isinstance(why, Locked):
        return f"{path.name} is open in another window ({why.holder.describe()})"
    return f"{path.name} is read-only (its permissions do not allow writing)"


class FileActions(Host):
    # --- opening ------------------------------------------------------------------------------
    def new_session(self, path: Path, participant: str = "") -> tuple[Session, Locked | ReadOnlyFile | None]:
        """A session on `path`, as its one writer. When another window has it open, or it is a
        read-only file: read only, or a copy (by `if_locked`; "ask" opens read only, and the dialog
        after start-up offers a copy). Raises AppraisalError (bad file) before anything else happens."""
        appraisal = load(path).appraisal
        self._opening_notes: list[tuple[str, str]] = []
        try:
            session = Session(appraisal, path, journal=self.use_journal, participant=participant, kept=is_bundled(path))
        except (Locked, ReadOnlyFile) as e:
            if self.if_locked == "copy":
                copy = free_name(path)
                try:
                    return self._copy_session(appraisal, path, copy, participant, e), None
                except (AppraisalError, OSError) as failed:
                    self._opening_notes.append((f"No copy could be made ({failed}): opened read only.", "error"))
            return self._read_only_session(appraisal, path, e, participant), e
        if session.lock_warning:
            self._opening_notes.append((session.lock_warning, "warning"))
        return session, None

    def _read_only_session(self, appraisal: Appraisal, path: Path, locked: Locked | ReadOnlyFile, participant: str) -> Session:
        return Session(appraisal, path, journal=False, participant=participant, read_only=why_read_only(path, locked))

    def _copy_session(self, appraisal: Appraisal, source: Path, target: Path, participant: str, why: Locked | ReadOnlyFile) -> Session:
        copy_to(appraisal, source, target)
        session = Session(load(target).appraisal, target, journal=self.use_journal, participant=participant)
        self._opening_notes.append((f"{why_read_only(source, why)}: working on a copy, {target}.", "warning"))
        return session

    def after_opening(self) -> None:
        """Once the screen is up: say what opening found, ask what to do if the file is in use,
        else offer to restore a killed session's journal."""
        for message, severity in getattr(self, "_opening_notes", []):
            self.notify(message, severity=severity, timeout=10)  # type: ignore[arg-type]
        self._opening_notes = []
        if self.locked_out is not None and self.if_locked == "ask":
            self._ask_locked(self.locked_out)
        else:
            self._offer_restore()

    def _ask_locked(self, locked: Locked | ReadOnlyFile) -> None:
        path = self.session.path
        assert path is not None

        def choose(choice: str) -> None:
            if choice == "copy":
                self.push_screen(PathScreen("Work on a copy: the new file's name", str(free_name(path)), suffixes=(".toml",)), made)
            elif choice == "quit":
                self.exit()
            else:
                self.notify(f"Read only: {self.session.read_only}. Edits are refused; nothing is written.", title="Read only")

        def made(value: str | None) -> None:
            if not value:
                self._ask_locked(locked)
                return
            target = Path(value).expanduser()
            try:
                session = self._copy_session(self.session.baseline, path, target, self.session.participant, locked)
            except (AppraisalError, OSError) as e:
                self.notify(str(e), severity="error", title="No copy made")
                self._ask_locked(locked)
                return
            self.session.close(keep_journal=False)
            self.locked_out = None
            self.session = session
            self.after_opening()

        why = (f"{path.name} is open in another window: {locked.holder.describe()}. One window writes a file at a time."
               if isinstance(locked, Locked) else f"{path.name} is read-only: its permissions do not allow writing, so it is never saved over.")
        self.push_screen(ConfirmScreen(
            f"{why} Open it read only (edits refused, nothing written), or work on a copy?",
            [("Read only", "read-only", "primary"), ("Work on a copy", "copy", "default"), ("Quit", "quit", "default")]), choose)

    def open_file(self, path: Path, *, participant: str = "") -> bool:
        try:
            appraisal = load(path).appraisal
        except AppraisalError as e:
            self.notify(str(e), severity="error", title="Not opened")
            return False
        self.session.close(keep_journal=False)  # saved or set aside already: free the old file first
        self._opening_notes = []
        try:
            session = Session(appraisal, path, journal=self.use_journal, participant=participant, kept=is_bundled(path))
            locked = None
            if session.lock_warning:
                self._opening_notes.append((session.lock_warning, "warning"))
        except (Locked, ReadOnlyFile) as e:
            session, locked = self._read_only_session(appraisal, path, e, participant), e
        self.locked_out = locked
        self.session = session
        self.after_opening()
        return True

    # --- saving -------------------------------------------------------------------------------
    def _keep_as_is(self) -> str | None:
        """Why the open file must not be overwritten by a save (then save asks for a new file), or None."""
        path = self.session.path
        if path is None:
            return "there is no file yet"
        if is_bundled(path):
            return "the bundled 2013 appraisal is kept as published"
        if path.suffix.lower() != ".toml":
            return f"{path.name} is an export, not an appraisal file"
        try:
            if not load(path).is_base:
                return f"{path.name} is a scenario (steps and expectations); saving would flatten it. Press a to record the session as a scenario instead"
        except AppraisalError:
            pass
        return None

    def _refuse_read_only(self) -> bool:
        """In a read-only window nothing is written; a save offers again to work on a copy instead."""
        if not self.session.read_only:
            return False
        self.notify(f"This window is read only: {self.session.read_only}. Nothing is written from it.", severity="warning", title="Read only")
        if self.locked_out is not None:
            self._ask_locked(self.locked_out)
        return True

    def action_save(self) -> None:
        if self._refuse_read_only():
            return
        if why := self._keep_as_is():
            self.notify(f"{why}: save the workshop as a new file.")
            self.action_save_as()
            return
        self._save(None)

    def _save(self, path: Path | None, then=None, *, overwrite: bool = False) -> None:
        try:
            saved = self.session.save(path, overwrite=overwrite)
        except ChangedOnDisk as e:
            self._ask_changed_on_disk(e, path, then)
            return
        except (AppraisalError, OSError) as e:
            reason = f"{e.filename}: {e.strerror}" if isinstance(e, OSError) and e.strerror and e.filename else (e.strerror if isinstance(e, OSError) and e.strerror else str(e))
            kept = "here and in the journal" if self.session.journal and not self.session.unwritten else "here"
            self.notify(f"{reason}. Nothing is lost: the edits are still {kept}; try again, or save elsewhere (S).",
                        severity="error", title="Not saved", timeout=10)
            return
        self.notify(f"Saved {saved}")
        if then:
            then()

    def _ask_changed_on_disk(self, changed: ChangedOnDisk, path: Path | None, then) -> None:
        """Another program changed the file since it was opened (or saved here): overwrite it, save as a
        copy, or cancel. The edits stay here and in the journal whatever is chosen."""
        def choose(choice: str) -> None:
            if choice == "overwrite":
                self._save(path, then, overwrite=True)
            elif choice == "copy":
                self.action_save_as(then, default=free_name(self.session.path) if self.session.path else None)
            else:
                self.notify("The edits are still here and in the journal; the file keeps the other program's changes.",
                            title="Not saved", severity="warning")

        self.push_screen(ConfirmScreen(
            f"{changed.why}. Saving now would replace its changes with this workshop's version. Save this workshop as a copy, "
            "overwrite it, or cancel? Your edits stay here and in the journal whatever you choose.",
            [("Save as a copy", "copy", "primary"), ("Overwrite", "overwrite", "warning"), ("Cancel", "cancel", "default")]), choose)

    def new_files_folder(self) -> Path:
        """Where a save as, a scenario or an export is suggested: beside the appraisal (review: the working
        folder, wherever the app was started), or the working folder for the bundled file, which lives
        inside the installed package."""
        path = self.session.path
        return path.parent if path is not None and not is_bundled(path) else Path.cwd()

    def action_save_as(self, then=None, default: Path | None = None) -> None:
        if self._refuse_read_only():
            return
        default = default or self.new_files_folder() / f"{(self.session.path.stem if self.session.path else 'appraisal')}-workshop.toml"

        def done(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if why := not_a_file(target):  # a device or FIFO is never offered for replacing
                self.notify(f"{target} {why}: choose a file name", severity="error", title="Not saved")
                self.action_save_as(then, default=target)
                return
            if target.exists() and target.resolve() != (self.session.path or Path()).resolve():
                self.push_screen(ConfirmScreen(f"{target} exists. Replace it?", [("Replace", "yes", "warning"), ("Cancel", "cancel", "default")]),
                                 lambda choice: choice == "yes" and self._save(target, then))
                return
            self._save(target, then)

        self.push_screen(PathScreen("Save as: the new appraisal file", str(default), suffixes=(".toml",)), done)

    def action_open(self) -> None:
        def chosen(value: str | None) -> None:
            if value:
                self.open_file(Path(value).expanduser(), participant=self.session.participant)

        def ask() -> None:
            start = f"{self.session.path.parent}{os.sep}" if self.session.path else ""
            self.push_screen(PathScreen("Open an appraisal, a scenario or an exported .json", start), chosen)

        self._unless_unsaved(ask)

    def action_save_scenario(self) -> None:
        from ..io.atomic import write_atomic
        from ..io.scenario_write import scenario_toml

        if self.session.path is None or self._refuse_read_only():
            return
        default = self.new_files_folder() / f"{self.session.path.stem}-session.toml"

        def done(value: str | None) -> None:
            if not value:
                return
            out = Path(value).expanduser()
            base = os.path.relpath(self.session.path.resolve(), out.resolve().parent)
            try:
                write_atomic(out, scenario_toml(f"Workshop on {self.session.current.title}", base, self.session.scenario_steps(),
                                                self.session.current, description="Recorded by the workshop app."))
            except OSError as e:
                self.notify(f"{out}: {e.strerror or e}", severity="error", title="Not written")
                return
            self.notify(f"Wrote {out}: replay it with `appraisal replay {out}`")

        self.push_screen(PathScreen("Save this session as a scenario", str(default), suffixes=(".toml",)), done)

    def action_export(self) -> None:
        from .export import ExportScreen

        self.push_screen(ExportScreen(self.session.current, self.session.path, self.new_files_folder()))

    # --- the journal of a killed session ------------------------------------------------------
    def _offer_restore(self) -> None:
        journal = self.session.journal
        if journal is None or not journal.path.exists():
            return
        try:
            recorded = read_journal(journal.path)
            on_disk = file_sha256(self.session.path)
        except (AppraisalError, OSError) as e:
            self._set_aside(journal.path, "An unreadable journal was set aside as {}: " + str(e))
            return
        if recorded.sha256 != on_disk:
            self._set_aside(journal.path, "A journal for another version of this file was set aside as {}.")
            return
        if not recorded.actions and not recorded.redo:
            if recorded.snapshots:  # named states from earlier sessions: taken up without asking
                try:
                    n = self.session.restore_snapshots(recorded)
                except AppraisalError as e:
                    self._set_aside(journal.path, "A journal whose snapshots no longer apply was set aside as {}: " + str(e))
                    return
                self.notify(f"{count(n, 'snapshot')} from earlier sessions: compare them with B.")
                return
            try:
                journal.discard()
            except OSError:
                pass
            return

        def choose(choice: str) -> None:
            if choice != "afresh":  # only an explicit "Start afresh" sets the session aside; Escape restores
                try:
                    self.session.restore(recorded)
                except AppraisalError as e:
                    self._set_aside(journal.path, "The journal could not be restored and was set aside as {}: " + str(e))
                    return
                self.restored_settings()
                self.notify(f"Restored {count(len(recorded.steps), 'edit')}" + (f" and {count(len(recorded.snapshots), 'snapshot')}." if recorded.snapshots else "."))
            else:
                self._set_aside(journal.path, "Unsaved edits kept in {}.")
                try:
                    self.session.restore_snapshots(recorded, record=True)  # named states stay with the file
                except AppraisalError:
                    pass  # they stay in the journal set aside

        if self.restore_choice is not None:
            choose("restore" if self.restore_choice else "afresh")
            return
        last = self.session.describe(recorded.steps[-1]) if recorded.steps else ""
        self.push_screen(ConfirmScreen(
            f"This file has {count(len(recorded.steps), 'unsaved edit')} from a session started {recorded.started[:16].replace('T', ' ')} "
            f"(last: {last}). Restore them? Starting afresh keeps them aside in a file beside it, never deleted.",
            [("Restore", "restore", "primary"), ("Start afresh", "afresh", "default")], escape="restore"), choose)

    def _set_aside(self, journal_file: Path, message: str) -> None:
        """Move a journal out of the way with a notice; if it cannot be moved, stop journalling (rather
        than append to it) and say so."""
        if self.session.journal is not None:
            self.session.journal.close()
        try:
            aside = set_aside(journal_file)
        except OSError as e:
            self.session.journal = None
            self.notify(f"{message.format(journal_file.name)} It could not be moved ({e.strerror or e}), so this session keeps no "
                        "journal: save often.", severity="error", timeout=10)
            return
        self.notify(message.format(aside.name), severity="warning", timeout=10)

    def _unless_unsaved(self, then) -> None:
        if not self.session.dirty:
            then()
            return

        def choose(choice: str) -> None:
            if choice == "save":
                if self._keep_as_is():
                    self.action_save_as(then)
                else:
                    self._save(None, then)
            elif choice == "discard":
                try:
                    aside = self.session.drop_unsaved()
                except OSError as e:
                    self.notify(f"The journal could not be set aside ({e.strerror or e}); it stays where it is.", severity="warning")
                else:
                    if aside is not None:
                        self.notify(f"Unsaved edits kept in {aside.name}.")
                then()

        n = len(self.session.scenario_steps())
        self.push_screen(ConfirmScreen(f"{count(n, 'unsaved change')}. Save {'it' if n == 1 else 'them'} first?",
                                       [("Save", "save", "primary"), ("Don't save", "discard", "error"), ("Cancel", "cancel", "default")]), choose)

    def action_quit_app(self) -> None:
        def bye() -> None:
            self.session.close(keep_journal=False)
            self.exit()

        self._unless_unsaved(bye)

    async def action_quit(self) -> None:  # ctrl+q (Textual's own quit): as q, asking first about unsaved edits
        self.action_quit_app()
