"""Nothing lost, nothing injected, in the workshop app: one writer per file (a second window opens read
only or on a copy), a full disk, a bad journal at start, and text from files shown as written."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from textual.widgets import Input, Label

from appraisal.io.journal import journal_path, read_journal
from appraisal.io.lock import lock_path
from appraisal.io.load import load
from appraisal.model.scenario import ScoreStep
from appraisal.tui.app import make_app
from appraisal.tui.host import Workshop
from appraisal.tui.modals import ConfirmScreen, PromptScreen
from appraisal.tui.paths import PathScreen

from .test_tui import COL, FOOTER, ROW, SIZE, cell_text, goto, shown


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def held_elsewhere():
    """Hold a file's lock from another process, as a second workshop window would."""
    procs = []

    def hold(path: Path) -> subprocess.Popen:
        code = ("import sys, time; from pathlib import Path; from appraisal.io.lock import FileLock; "
                "FileLock.acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "held"
        procs.append(proc)
        return proc

    yield hold
    for proc in procs:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


# --- the view follows the session ----------------------------------------------------------------
async def test_the_screen_follows_the_session_without_being_told():
    """Every widget watches one derived view: a change made to the session anywhere shows."""
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app, Workshop), "the app meets the contract its action mixins rely on"
        app.session.apply(ScoreStep(action="set-score", option="trust-bcc", criterion="cultural-change", score=5))
        await pilot.pause()
        assert cell_text(app, FOOTER["weighted"], COL["trust-bcc"]) == "228"
        assert "228" in shown(app.query_one("#rankings"))
        assert "1 unsaved" in shown(app.query_one("#status"))
        app.session.undo()
        await pilot.pause()
        assert cell_text(app, FOOTER["weighted"], COL["trust-bcc"]) == "222"


async def test_undo_and_redo_say_what_they_took_back():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "z")
        await pilot.pause()
        # Undo says what it did, in its direction: the score went back from 4 to 3.
        assert "Undid: Trust (BCC) / Speed of implementation: 4 → 3" in notes(app)
        assert "Undid: Trust (BCC) / Speed of implementation: 4 → 3" in shown(app.query_one("#status"))
        await pilot.press("y")
        await pilot.pause()
        assert "Redid: Trust (BCC) / Speed of implementation: 3 → 4" in notes(app)
        assert "Redid: Trust (BCC) / Speed of implementation: 3 → 4" in shown(app.query_one("#status"))


async def test_a_key_typed_right_after_a_move_acts_where_the_cursor_is():
    """Found in tmux: a score typed fast after the arrows went to the old cell."""
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one("ScoreMatrix").move_cursor(row=ROW["break-from-past"], column=COL["trust-bcc"])
        app.action_set_score(4)  # before the move's message has reached the app, as a fast typist's key can
        await pilot.pause()
        (step,) = app.session.steps
        assert (step.option, step.criterion, step.score) == ("trust-bcc", "break-from-past", 4)


# --- one file, one writer -----------------------------------------------------------------------
async def test_two_windows_on_one_file_the_second_opens_read_only(workdir):
    first = make_app(workdir, ask_reasons=False)
    async with first.run_test(size=SIZE) as one:
        await goto(one, "speed", "trust-bcc")
        await one.press("4")
        await one.pause()
        second = make_app(workdir, ask_reasons=False)
        async with second.run_test(size=SIZE) as two:
            await two.pause()
            assert isinstance(second.screen, ConfirmScreen), "the second window asks"
            question = str(second.screen.query_one(Label).render())
            assert "open in another window" in question and "pid" in question
            await two.click("#read-only")
            await two.pause()
            assert second.session.read_only and "READ ONLY" in second.sub_title
            assert "READ ONLY: birmingham-2013.toml is open in another window" in shown(second.query_one("#alert"))
            assert second.session.steps == [], "the first window's journal is not offered to the second"
            await goto(two, "speed", "integrated")
            await two.press("1", "x", "s")
            await two.pause()
            assert second.session.steps == [] and not isinstance(second.screen, PromptScreen)
            assert any("read only" in n for n in notes(second))
            assert isinstance(second.screen, ConfirmScreen), "saving offers a copy again"
            await two.press("escape")
            await two.pause()
        await one.press("left", "5")
        await one.pause()
        assert [s.score for s in read_journal(journal_path(workdir)).steps] == [4, 5], "the first window's journal is whole"
        await one.press("s")
        await one.pause()
        assert not first.session.dirty
    assert load(workdir).appraisal.cell("trust-dfe", "speed").score == 5
    assert not lock_path(workdir).exists(), "both windows closed: no lock left"


async def test_a_file_held_by_another_process_can_be_worked_on_as_a_copy(workdir, held_elsewhere):
    held_elsewhere(workdir)
    before = workdir.read_bytes()
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#copy")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one(Input).value.endswith("birmingham-2013-copy.toml")
        await pilot.press("enter")
        await pilot.pause()
        copy = workdir.with_name("birmingham-2013-copy.toml")
        assert app.session.path == copy and not app.session.read_only
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
    assert load(copy).appraisal.cell("trust-bcc", "speed").score == 4
    assert workdir.read_bytes() == before and not journal_path(workdir).exists(), "the original is untouched"


@pytest.mark.parametrize("choice", ["read-only", "copy"])
async def test_the_factory_chooses_without_asking(workdir, held_elsewhere, choice):
    held_elsewhere(workdir)
    app = make_app(workdir, ask_reasons=False, if_locked=choice)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        if choice == "read-only":
            assert app.session.read_only and app.session.path == workdir
        else:
            assert app.session.path.name == "birmingham-2013-copy.toml" and not app.session.read_only
            assert any("working on a copy" in n for n in notes(app))


# --- write failures -----------------------------------------------------------------------------
async def test_a_full_disk_is_a_message_and_nothing_is_lost(small_disk):
    disk, path = small_disk
    app = make_app(path, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "vision", "trust-bcc")
        await pilot.press("4")
        disk.fill()
        for _ in range(200):  # a real disk takes a few more lines into the journal's last block
            await pilot.press("5", "4")
            if app.session.unwritten:
                break
        await pilot.pause()
        assert app.is_running
        assert "not on disk" in app.sub_title
        assert "not on disk yet (No space left on device)" in shown(app.query_one("#alert")), "said where the room sees it"
        assert any("could not be written" in n for n in notes(app))
        await pilot.press("s")
        await pilot.pause()
        assert app.is_running and app.session.dirty
        assert any("Nothing is lost" in n for n in notes(app))
        disk.free()
        app._retry_journal()  # what the timer does every few seconds
        await pilot.pause()
        assert "not on disk" not in app.sub_title
        assert any("caught up" in n for n in notes(app))
        state = app.session.current
        await pilot.press("s")
        await pilot.pause()
        assert not app.session.dirty
        saved = app.session.current  # as saved: a changed cell without the label printed for its old score
    assert load(path).appraisal.cells == saved.cells and (saved.cells.scores == state.cells.scores).all()


async def test_a_journal_with_a_malformed_header_is_set_aside_at_start(workdir):
    journal_path(workdir).write_text('{"kind": "header", "version": 1, "file": "x", "sha256": "y", "started": 5}\n')
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        assert any("unreadable journal was set aside" in n for n in notes(app))
    assert not journal_path(workdir).exists()
    assert len(list(workdir.parent.glob("*.journal.*.jsonl"))) == 1


@pytest.mark.parametrize("restore", [True, None])
async def test_a_journal_with_an_edit_the_file_no_longer_accepts_is_set_aside(workdir, restore):
    first = make_app(workdir, ask_reasons=False)
    async with first.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "right", "1")
    journal = journal_path(workdir)
    lines = journal.read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["step"]["score"] = 7  # off the scale
    journal.write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    app = make_app(workdir, ask_reasons=False, restore=restore)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if restore is None:
            await pilot.click("#restore")
            await pilot.pause()
        assert app.is_running and app.session.steps == [], "all or nothing"
        assert any("could not be restored and was set aside" in n for n in notes(app))
        await pilot.press("3")
        await pilot.pause()
    assert len(list(workdir.parent.glob("*.journal.*.jsonl"))) == 1


# --- text from files is shown as written --------------------------------------------------------
HOSTILE = {
    "option": "[bold]Bold[/] [link=https://evil.example]click[/link]",
    "other": "[/]",
    "criterion": "Speed\x1b]0;pwned\x07\x1b[2J",
    "rationale": "[red]alarm[/red]\nline two\x1b[31m",
    "title": "Title [blink]\x1b[2J",
}


@pytest.fixture
def hostile_file(tmp_path) -> Path:
    (tmp_path / "criteria.toml").write_text(tomli_w.dumps({
        "scale": {"min": 1, "max": 5, "step": 0.5, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]},
        "criteria": [{"id": "speed", "name": HOSTILE["criterion"]}, {"id": "cost", "name": "Cost"}],
    }))
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps({
        "appraisal": {"title": HOSTILE["title"], "criteria": "criteria.toml"},
        "weights": {"speed": 1, "cost": 1},
        "options": [{"id": "a", "name": HOSTILE["option"]}, {"id": "b", "name": HOSTILE["other"]}, {"id": "c", "name": "Plain"}],
        "scores": [{"option": "a", "criterion": "speed", "score": 4, "rationale": HOSTILE["rationale"]},
                   {"option": "a", "criterion": "cost", "score": 2}, {"option": "b", "criterion": "speed", "score": 3},
                   {"option": "b", "criterion": "cost", "score": 2}, {"option": "c", "criterion": "speed", "score": 1},
                   {"option": "c", "criterion": "cost", "score": 1}],
    }))
    return path


async def test_markup_and_escape_characters_in_names_are_shown_literally(hostile_file):
    app = make_app(hostile_file, journal=False, ask_reasons=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        matrix = app.query_one("ScoreMatrix")
        assert matrix.cell(0, 1) == "Speed␛]0;pwned␇␛[2J"
        assert matrix.headers[4][0] == HOSTILE["option"] and matrix.headers[5][0] == "[/]"
        rankings = shown(app.query_one("#rankings"))
        assert "[bold]Bold[/]" in rankings and "[/]" in rankings
        matrix.move_cursor(row=0, column=4)
        await pilot.pause()
        rationale = shown(app.query_one("#rationale"))
        assert "[red]alarm[/red]" in rationale and "line two␛[31m" in rationale and "Speed␛]0;pwned" in rationale
        await pilot.press("x")  # exclude the option under the cursor: the reason prompt names it
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert str(app.screen.query_one(Label).render()) == f"Why? Exclude {HOSTILE['option']}"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("right", "x")
        await pilot.pause()
        assert str(app.screen.query_one(Label).render()) == "Why? Exclude [/]"
        await pilot.press("escape", "z")
        await pilot.pause()
        assert "Undid: Exclude [/]" in notes(app)
        assert all(not n.markup for n in app._notifications)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("escape", "t")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "│ [/] " in shown(app.screen.query_one("#smaa")), "the option called [/] (the other is excluded)"
        await pilot.press("escape")
        await pilot.pause()
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "\x07" not in screenshot
        assert "Title [blink]␛[2J" in app.format_title(app.title, "").plain


async def test_wrapped_panel_text_is_wrapped_again_when_a_scrollbar_takes_a_column():
    """Review: the rationale panel cut the last letter off its lines ("they are safe" / "r as a result")
    once the wrapped text grew a scrollbar, which narrows the text without resizing the panel."""
    from rich.text import Text
    from textual.app import App

    from appraisal.tui.lines import TextLines

    class Panel(TextLines):
        wrap = True

    class Tiny(App):
        def compose(self):
            yield Panel(id="p")

    words = "Better outcomes for children - they are safer as a result of every change made " * 6
    app = Tiny()
    async with app.run_test(size=(30, 8)) as pilot:
        panel = app.query_one(Panel)
        panel.set_texts([Text(words.strip())])
        await pilot.pause()
        await pilot.pause()
        width = panel.scrollable_content_region.width
        assert panel.show_vertical_scrollbar and width == panel.size.width - 1
        shown = [strip.text.rstrip() for strip in panel._strips]
        assert all(len(line) <= width for line in shown)
        assert " ".join(shown).split() == words.split()


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_terminated_or_hung_up_app_releases_its_lock_and_keeps_its_journal(workdir, sig):
    """Review: SIGTERM, or SIGHUP when the terminal closed (tmux kill-session), killed the app where it stood:
    its lock stayed, and a new window at once said the file was open in the dying one."""
    import os
    import pty
    import select
    import signal
    import time

    from appraisal.io.journal import journal_path
    from appraisal.io.lock import lock_path

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app in a real terminal
        os.execve(sys.executable, [sys.executable, "-m", "appraisal", "tui", str(workdir)], env)
    seen = b""

    def read_for(seconds: float) -> None:
        nonlocal seen
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    return

    try:
        deadline = time.monotonic() + 60
        while not lock_path(workdir).exists() or b"Integrated" not in seen:
            assert time.monotonic() < deadline, seen[-500:]
            read_for(0.2)
        os.write(fd, b"\x1b[C" * 4 + b"1")  # right to a score, set it to 1: an unsaved edit, in the journal
        read_for(2)
        os.kill(pid, getattr(signal, sig))
        deadline = time.monotonic() + 30
        while True:
            read_for(0.1)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            assert time.monotonic() < deadline, "the app did not end"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    assert not lock_path(workdir).exists(), "the lock was released"
    assert journal_path(workdir).exists() and '"set-score"' in journal_path(workdir).read_text(), "the unsaved edit is kept"
