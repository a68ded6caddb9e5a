"""The workshop app's file actions: save (atomic), save as, open, session as scenario, export,
restoring a killed session, and quitting without losing work. A mixin of WorkshopApp."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import AppraisalError
from ..io.journal import file_sha256, read_journal
from ..paths import bundled_appraisal
from ..session import set_aside
from .modals import ConfirmScreen, PromptScreen
from .screens import describe


class FileActions:
    def _keep_as_is(self) -> str | None:
        """Why the open file must not be overwritten by a save (then save asks for a new file), or None."""
        path = self.session.path
        if path is None:
            return "there is no file yet"
        if path.resolve() == bundled_appraisal().resolve():
            return "the bundled 2013 appraisal is kept as published"
        if path.suffix.lower() != ".toml":
            return f"{path.name} is an export, not an appraisal file"
        from ..io.load import load

        try:
            if not load(path).is_base:
                return f"{path.name} is a scenario (steps and expectations); saving would flatten it. Press a to record the session as a scenario instead"
        except AppraisalError:
            pass
        return None

    def action_save(self) -> None:
        if why := self._keep_as_is():
            self.notify(f"{why}: save the workshop as a new file.")
            self.action_save_as()
            return
        self._save(None)

    def _save(self, path: Path | None, then=None) -> None:
        try:
            saved = self.session.save(path)
        except (AppraisalError, OSError) as e:
            self.notify(str(e), severity="error", title="Not saved")
            return
        self.notify(f"Saved {saved}")
        self.refresh_view()
        if then:
            then()

    def action_save_as(self, then=None) -> None:
        default = Path.cwd() / f"{(self.session.path.stem if self.session.path else 'appraisal')}-workshop.toml"

        def done(value: str | None) -> None:
            if not value:
                return
            target = Path(value).expanduser()
            if target.exists() and target.resolve() != (self.session.path or Path()).resolve():
                self.push_screen(ConfirmScreen(f"{target} exists. Replace it?", [("Replace", "yes", "warning"), ("Cancel", "cancel", "default")]),
                                 lambda c: c == "yes" and self._save(target, then))
                return
            self._save(target, then)

        self.push_screen(PromptScreen("Save as", value=str(default)), done)

    def action_open(self) -> None:
        def load(value: str | None) -> None:
            if not value:
                return
            try:
                session = self._new_session(Path(value).expanduser(), self.session.participant)
            except AppraisalError as e:
                self.notify(str(e), severity="error", title="Not opened")
                return
            self.session.close(keep_journal=False)
            self.session = session
            self.refresh_view()
            self._offer_restore()

        def ask() -> None:
            self.push_screen(PromptScreen("Open appraisal or scenario file", value=str(self.session.path or "")), load)

        self._unless_unsaved(ask)

    def action_save_scenario(self) -> None:
        from ..io.atomic import write_atomic
        from ..io.scenario_write import scenario_toml

        if self.session.path is None:
            return
        default = Path.cwd() / f"{self.session.path.stem}-session.toml"

        def done(value: str | None) -> None:
            if not value:
                return
            out = Path(value).expanduser()
            base = os.path.relpath(self.session.path.resolve(), out.resolve().parent)
            try:
                write_atomic(out, scenario_toml(f"Workshop on {self.session.current.title}", base, self.session.scenario_steps(),
                                                self.session.current, description="Recorded by the workshop app."))
            except OSError as e:
                self.notify(str(e), severity="error", title="Not written")
                return
            self.notify(f"Wrote {out}: replay it with `appraisal replay {out}`")

        self.push_screen(PromptScreen("Save this session as a scenario", value=str(default)), done)

    def action_export(self) -> None:
        from .export import ExportScreen

        self.push_screen(ExportScreen(self.session.current, self.session.path))

    def _offer_restore(self) -> None:
        journal = self.session.journal
        if journal is None or not journal.path.exists():
            return
        try:
            j = read_journal(journal.path)
            current = file_sha256(self.session.path)
        except (AppraisalError, OSError) as e:
            aside = set_aside(journal.path)
            self.notify(f"An unreadable journal was set aside as {aside.name}: {e}", severity="warning")
            return
        if j.sha256 != current:
            aside = set_aside(journal.path)
            self.notify(f"A journal for another version of this file was set aside as {aside.name}.", severity="warning")
            return
        if not j.groups and not j.redo:
            journal.discard()
            return

        def choose(choice: str) -> None:
            if choice == "restore":
                self.session.restore(j)
                self.refresh_view()
                self.notify(f"Restored {len(j.steps)} edits.")
            else:
                aside = set_aside(journal.path)
                self.notify(f"Unsaved edits kept in {aside.name}.")

        if self.restore_choice is not None:
            choose("restore" if self.restore_choice else "aside")
            return
        names = {o.id: o.label for o in self.session.current.options} | {c.id: c.name for c in self.session.current.criteria}
        last = describe(j.steps[-1], names) if j.steps else ""
        self.push_screen(ConfirmScreen(
            f"This file has {len(j.steps)} unsaved edits from a session started {j.started[:16].replace('T', ' ')} "
            f"(last: {last}). Restore them?", [("Restore", "restore", "primary"), ("Start afresh (keep them aside)", "aside", "default")]), choose)

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
                if self.session.journal and self.session.journal.path.exists():
                    self.session.journal.close()
                    set_aside(self.session.journal.path)
                self.session._saved = self.session.current  # noqa: SLF001 - the user chose to drop them
                then()

        n = len(self.session.scenario_steps())
        self.push_screen(ConfirmScreen(f"{n} unsaved change{'' if n == 1 else 's'}. Save them first?",
                                       [("Save", "save", "primary"), ("Don't save", "discard", "error"), ("Cancel", "cancel", "default")]), choose)

    def action_quit_app(self) -> None:
        def bye() -> None:
            self.session.close(keep_journal=False)
            self.exit()

        self._unless_unsaved(bye)
