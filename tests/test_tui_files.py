"""The workshop app and the file on disk, driven as a facilitator would: a file another program changed
is never saved over without asking, a symlink or a read-only file is no way round the rules, the
restore dialog never discards a session on Escape, snapshot names fit, and notifications leave the
status line readable."""

from __future__ import annotations

import os

import pytest
from textual.widgets import Button, Input, Label

from appraisal.io.journal import journal_path, read_journal
from appraisal.io.load import load
from appraisal.tui.app import make_app
from appraisal.tui.modals import ConfirmScreen, PromptScreen
from appraisal.tui.paths import PathScreen

from .test_tui import SIZE, goto, shown
from .test_tui_reliability import notes


def edit_outside(path, old: str = "Birmingham", new: str = "Brum") -> None:
    """What `sed -i` does: a new file with the text changed."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def question(app) -> str:
    return str(app.screen.query_one(Label).render())


# --- a file changed by another program ------------------------------------------------------------
async def test_saving_over_a_file_another_program_changed_asks_and_cancel_keeps_both(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        edit_outside(workdir)
        outside = workdir.read_bytes()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "the save asks"
        assert "changed by another program since it was opened" in question(app)
        assert [b.id for b in app.screen.query(Button)] == ["copy", "overwrite", "cancel"]
        await pilot.press("escape")
        await pilot.pause()
        assert workdir.read_bytes() == outside, "cancel: the other program's change stays"
        assert app.session.dirty and app.session.current.cell("trust-bcc", "speed").score == 4
        assert [s.score for s in read_journal(journal_path(workdir)).steps] == [4], "and the edit stays in the journal"
        assert any("still here and in the journal" in n for n in notes(app))
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#overwrite")
        await pilot.pause()
        assert not app.session.dirty
    assert load(workdir).appraisal.cell("trust-bcc", "speed").score == 4
    assert "Brum" not in workdir.read_text(), "overwritten, as chosen"


async def test_saving_over_a_changed_file_can_save_a_copy_instead(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        edit_outside(workdir)
        outside = workdir.read_bytes()
        await pilot.press("q")  # quitting asks to save; the save asks again
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert "changed by another program" in question(app)
        await pilot.press("enter")  # the first, focused choice: a copy
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        copy = workdir.with_name("birmingham-2013-copy.toml")
        assert app.screen.query_one(Input).value == str(copy)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running, "saved as a copy, then quit as asked"
    assert workdir.read_bytes() == outside
    assert load(copy).appraisal.cell("trust-bcc", "speed").score == 4


# --- symlinks ------------------------------------------------------------------------------------
async def test_a_second_window_on_a_symlink_says_who_holds_the_file_and_saves_go_through_it(workdir):
    link = workdir.with_name("link.toml")
    link.symlink_to(workdir.name)
    first = make_app(workdir, ask_reasons=False)
    async with first.run_test(size=SIZE) as one:
        await one.pause()
        second = make_app(link, ask_reasons=False)
        async with second.run_test(size=SIZE) as two:
            await two.pause()
            assert isinstance(second.screen, ConfirmScreen), "the link leads to the same file: the second window asks"
            assert "link.toml is open in another window: pid" in question(second)
            await two.click("#read-only")
            await two.pause()
            assert second.session.read_only
    app = make_app(link, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
        assert not app.session.dirty
    assert link.is_symlink() and os.readlink(link) == workdir.name, "the save wrote through the link"
    assert load(workdir).appraisal.cell("trust-bcc", "speed").score == 4


# --- read-only files -----------------------------------------------------------------------------
async def test_a_read_only_file_opens_read_only_and_offers_a_copy(workdir):
    workdir.chmod(0o444)
    before = workdir.read_bytes()
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "birmingham-2013.toml is read-only" in question(app)
        await pilot.click("#read-only")
        await pilot.pause()
        assert app.session.read_only and "READ ONLY: birmingham-2013.toml is read-only" in shown(app.query_one("#alert"))
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
        assert app.session.steps == [] and isinstance(app.screen, ConfirmScreen), "saving offers a copy again"
        await pilot.click("#copy")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.path.name == "birmingham-2013-copy.toml" and not app.session.read_only
    assert workdir.read_bytes() == before and not journal_path(workdir).exists()


async def test_the_bundled_appraisal_installed_read_only_is_still_edited_and_saved_as_a_new_file(workdir, tmp_path, monkeypatch):
    """Installed as a package, the bundled file is read-only; it was never saved over anyway."""
    monkeypatch.setattr("appraisal.tui.files.bundled_appraisal", lambda: workdir)
    monkeypatch.chdir(tmp_path)
    workdir.chmod(0o444)
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and not app.session.read_only
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
        assert app.session.steps and isinstance(app.screen, PathScreen), "a save asks for a new file, as ever"


async def test_a_file_made_read_only_while_open_is_not_saved_over(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        workdir.chmod(0o444)
        before = workdir.read_bytes()
        await pilot.press("s")
        await pilot.pause()
        assert workdir.read_bytes() == before and app.session.dirty
        assert any("read-only" in n and "Nothing is lost" in n for n in notes(app))


# --- the restore dialog ----------------------------------------------------------------------------
async def crashed_session(workdir, *, reasons_off: bool = False) -> None:
    app = make_app(workdir, ask_reasons=True)
    async with app.run_test(size=SIZE) as pilot:
        if reasons_off:
            await pilot.press("m")
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        await pilot.pause()
        if isinstance(app.screen, PromptScreen):
            await pilot.press("escape")
    # the context ends without quitting: as if the app were killed


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_escape_on_the_restore_dialog_restores_and_its_buttons_sit_together(workdir, size):
    await crashed_session(workdir)
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Restore them?" in question(app)
        restore, afresh = app.screen.query_one("#restore"), app.screen.query_one("#afresh")
        assert restore.region.y == afresh.region.y and restore.region.height == afresh.region.height == 3, "side by side"
        assert afresh.region.width < 30 and app.screen.query_one(".dialog").region.height < 16
        await pilot.press("escape")  # a person typing too early
        await pilot.pause()
        assert [s.score for s in app.session.steps] == [4], "Escape restores: nothing is set aside"
    assert not list(workdir.parent.glob("*.journal.*.jsonl"))


async def test_only_start_afresh_sets_the_session_aside(workdir):
    await crashed_session(workdir)
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#afresh")
        await pilot.pause()
        assert app.session.steps == []
    assert len(list(workdir.parent.glob("*.journal.*.jsonl"))) == 1


async def test_restoring_brings_back_whether_reasons_were_asked(workdir):
    await crashed_session(workdir, reasons_off=True)
    app = make_app(workdir, ask_reasons=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#restore")
        await pilot.pause()
        assert not app.ask_reasons and "reasons not asked" in shown(app.query_one("#status"))
        await goto(pilot, "speed", "integrated")
        await pilot.press("1")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen), "no reason asked, as before the crash"


# --- snapshot names ------------------------------------------------------------------------------
async def test_a_snapshot_name_over_80_characters_is_refused_in_the_dialog(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one(Input).value = "n" * 81
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "the name can be shortened, not lost"
        assert "at most 80 characters" in shown(app.screen.query_one("#prompt-error"))
        app.screen.query_one(Input).value = "n" * 80
        await pilot.press("enter")
        await pilot.pause()
        assert [s.name for s in app.session.snapshots] == ["n" * 80]


# --- notifications ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_notifications_leave_the_status_line_readable(workdir, size):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=size, notifications=True) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "z")
        for _ in range(3):
            await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts, "undo says what it did"
        status, footer = app.query_one("#status").region, app.query_one("Footer").region
        for toast in toasts:
            assert not toast.region.overlaps(status) and not toast.region.overlaps(footer)
            assert toast.region.height <= 3, "compact: one or two lines of text"
        said = shown(app.query_one("#status"))
        assert "Undid: Tru" in said and "4 → 3" in said


# --- devices and FIFOs ---------------------------------------------------------------------------
async def test_save_as_and_export_onto_a_fifo_are_refused_in_words_for_the_app_never_offered_for_replacing(workdir):
    """Review: save as onto a device asked "Replace it?", then failed with command-line advice (-o -)."""
    import stat

    from appraisal.tui.export import ExportScreen

    fifo = workdir.with_name("pipe.toml")
    os.mkfifo(fifo)
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "S")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one(Input).value = str(fifo)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "never 'Replace it?' for a FIFO"
        assert isinstance(app.screen, PathScreen) and app.screen.query_one(Input).value == str(fifo), "asked again"
        said = notes(app)[-1]
        assert "is a FIFO (named pipe), not a regular file: choose a file name" in said and "-o -" not in said
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(fifo.with_name("out.fifo"))
        os.mkfifo(fifo.with_name("out.fifo"))
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen), "no Replace? question"
        assert "not a regular file: choose a file name" in shown(app.screen.query_one("#export-error"))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and app.session.steps, "nothing replaced; the edit is still unsaved"


async def test_save_as_export_and_scenario_are_suggested_beside_the_appraisal(workdir, tmp_path, monkeypatch):
    """Review: the export dialog suggested the folder the app was started in, not the appraisal's."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = make_app(workdir, ask_reasons=False, journal=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(workdir.parent / "birmingham-2013-export.xlsx")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("S")
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(workdir.parent / "birmingham-2013-workshop.toml")
    bundled = make_app(ask_reasons=False, journal=False)
    async with bundled.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert bundled.screen.query_one("#export-path", Input).value.startswith(str(elsewhere)), "not inside the installed package"


async def test_ctrl_q_asks_about_unsaved_edits_as_q_does(workdir):
    """Review: Textual's own ctrl+q quit at once, with edits unsaved (the journal kept them, but nobody was asked)."""
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmScreen)
        assert "1 unsaved change. Save it first?" in shown(app.screen.query_one(Label))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.session.steps
    clean = make_app(workdir, ask_reasons=False, journal=False)
    async with clean.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not clean.is_running, "nothing unsaved: ctrl+q quits at once"


async def test_the_path_dialog_lists_the_folder_for_a_new_name_and_keeps_keys_typed_before_it_has_the_focus(workdir):
    """Review: the list under a new file's name was empty, and a path typed fast right after S arrived empty."""
    from textual.widgets import OptionList

    app = make_app(workdir, ask_reasons=False, journal=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await pilot.pause()
        listed = [str(o.prompt) for o in app.screen.query_one("#path-list", OptionList)._options]
        assert "birmingham-2013.toml" in listed, listed
        field = app.screen.query_one(Input)
        app.screen.set_focus(None)  # as when keys arrive before the dialog has focused its field
        await pilot.pause()
        target = workdir.with_name("typed-fast.toml")
        await pilot.press("ctrl+u", *str(target), "enter")
        await pilot.pause()
        assert field.value == str(target)
    assert target.exists()
