"""The participant app and the facilitator's room panel, driven as a person would (Pilot): join, weights,
presets, submit, the reveal, and the panel following what other processes write."""

from __future__ import annotations

import os

import pytest

from appraisal.io import load_appraisal
from appraisal.io.room_store import RoomStore, room_path
from appraisal.model.scenario import WeightStep
from appraisal.reports.workshop import GROUP_VIEW
from appraisal.tui.participant import JoinScreen, make_participant_app

from .conftest import copy_bundled

SIZE = (120, 40)


@pytest.fixture
def room_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # participants' own journals go here
    return copy_bundled(tmp_path)


def open_store(path) -> RoomStore:
    return RoomStore(room_path(path), load_appraisal(path))


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_join_screen_then_weights_then_submit(room_file):
    app = make_participant_app(room_file)
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        await type_text(pilot, "Ann Lee")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, JoinScreen)
        assert app.seat is not None and app.seat.name == "Ann Lee"
        assert app.viewing == "Ann Lee"
        # the cursor starts on the first criterion: w sets Ann's weight for it
        first = app.base.criteria[0].id
        await pilot.press("w")
        await pilot.pause()
        for _ in range(5):
            await pilot.press("backspace")
        await type_text(pilot, "7")
        await pilot.press("enter")
        await pilot.pause()
        with open_store(room_file) as store:
            snap = store.snapshot()
            assert snap.participant("Ann Lee").weights == {first: 7.0}
            assert not snap.participant("Ann Lee").submitted
        assert app.view.appraisal.weights[first] == 7.0  # her view is computed with her weights
        await pilot.press("s")
        await pilot.pause()
        with open_store(room_file) as store:
            assert store.snapshot().participant("Ann Lee").submitted
        assert "submitted ✓" in app.sub_title


async def test_a_wrong_code_is_refused_on_the_join_screen_and_the_right_one_joins(room_file):
    with open_store(room_file) as store:
        store.configure(code="KQ7X-M3PT")
    app = make_participant_app(room_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JoinScreen) and screen.needs_code
        await type_text(pilot, "Bob")
        await pilot.press("enter")  # to the code
        await type_text(pilot, "WRONG123")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen) and app.seat is None
        assert "wrong join code" in str(screen.query_one("#join-error").render())
        code = screen.query_one("#join-code")
        code.value = "kq7xm3pt"
        code.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.seat is not None and app.seat.name == "Bob"


def test_join_with_name_and_a_wrong_code_is_one_error_line(room_file, capsys, monkeypatch):
    from appraisal.cli import main

    monkeypatch.setattr("appraisal.cli._need_terminal", lambda: None)  # in a terminal, as a person runs it

    with open_store(room_file) as store:
        store.configure(code="KQ7XM3PT")
    assert main(["join", str(room_file), "--name", "Bob", "--code", "nope1234"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "wrong join code" in err


async def test_presets_reasons_and_the_journal_are_the_participants_own(room_file, tmp_path):
    app = make_participant_app(room_file, name="Cat")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.base.criteria[0].id
        await pilot.press("w")
        await pilot.pause()
        for _ in range(5):
            await pilot.press("backspace")
        await type_text(pilot, "22")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "matters most")  # the reason prompt
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        app.screen.dismiss("equal")  # the preset dialog's choice
        await pilot.pause()
        await pilot.press("escape")  # no reason for this one
        await pilot.pause()
    with open_store(room_file) as store:
        snap = store.snapshot()
        history = store.history("Cat")
    mean = (22 + 3 * 18) / 19
    assert snap.participant("Cat").weights == pytest.approx({c.id: mean for c in app.base.criteria})
    assert (history[0].key, history[0].value, history[0].why) == (first, 22.0, "matters most")
    # nobody wrote the appraisal file's journal; Cat's own session is in her journal
    assert not room_file.with_name(room_file.name + ".journal.jsonl").exists()
    journals = list((tmp_path / "state" / "appraisal" / "rooms" / "journals").glob("*.journal.jsonl"))
    assert len(journals) == 1 and '"participant": "Cat"' in journals[0].read_text() and "matters most" in journals[0].read_text()


async def test_scores_only_when_rescoring_is_open_and_the_app_notices_when_it_opens(room_file):
    app = make_participant_app(room_file, name="Dee")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "2")  # a score cell: refused, weights only
        await pilot.pause()
        with open_store(room_file) as store:
            assert store.snapshot().participant("Dee").scores == {}
            store.configure(allow_rescoring=True)
        app._poll()
        await pilot.press("2")
        await pilot.pause()
        option, criterion = app.cursor
        with open_store(room_file) as store:
            assert store.snapshot().participant("Dee").scores == {f"{option}:{criterion}": 2.0}
        assert app.view.appraisal.cell(option, criterion).score == 2.0


async def test_others_and_the_group_only_after_the_reveal(room_file):
    with open_store(room_file) as store:
        other = store.join("Eve")
        store.set_weight(other, "outcomes", 9)
        store.submit(other)
    app = make_participant_app(room_file, name="Fay")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert app.viewing == "Fay"  # not revealed: no group
        assert "Eve" not in app.view.appraisal.model_dump_json()
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        with open_store(room_file) as store:
            store.reveal()
        app._poll()
        await pilot.press("g")
        await pilot.pause()
        assert app.viewing == GROUP_VIEW and app.view.viewing == GROUP_VIEW
        assert app.view.appraisal.weights["outcomes"] == pytest.approx(9 / (9 + 18 * 3))  # Eve alone submitted: her shares
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]  # the group's view is not edited
        await pilot.press("g")
        await pilot.pause()
        assert app.viewing == "Fay"


async def test_a_returning_name_resumes_its_own_entries(room_file):
    with open_store(room_file) as store:
        seat = store.join("Gil")
        store.set_weights(seat, {"outcomes": 1, "vision": 8})
        store.leave(seat)
    app = make_participant_app(room_file, name="gil")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.seat.name == "Gil"
        assert app.view.appraisal.weights["vision"] == 8 and app.view.appraisal.weights["outcomes"] == 1


async def test_an_export_in_a_browser_is_delivered_not_written_on_the_server(room_file, tmp_path, monkeypatch):
    from appraisal.tui.participant import DeliverScreen

    monkeypatch.chdir(tmp_path)
    app = make_participant_app(room_file, name="Hal")
    sent = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app, "deliver_binary", lambda f, **kw: sent.append((f.read(), kw)))
        app.push_screen(DeliverScreen(app.view.appraisal, room_file))
        await pilot.pause()
        app.screen.query_one("#export-format").highlighted = 0  # csv: the arrows choose the format
        await pilot.pause()
        app.screen.query_one("#export-path").focus()
        await pilot.press("enter")
        await pilot.pause()
    assert len(sent) == 1
    data, kw = sent[0]
    assert kw["save_filename"].endswith(".csv") and b"Trust" in data
    assert not list(tmp_path.glob("*.csv"))


# --- the facilitator ---------------------------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from appraisal.io import load_appraisal
from appraisal.io.room_store import RoomStore, room_path
from appraisal.model.scenario import WeightStep
path, first, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with RoomStore(room_path(path), load_appraisal(path)) as s:
    for k in range(first, first + count):
        seat = s.join(f"P{k:02d}")
        s.set_weights(seat, {"outcomes": float(k % 9 + 1), "vision": float((k * 7) % 5)})
        s.submit(seat)
        s.leave(seat)
"""


def write_from_another_process(path, first: int, count: int = 1):
    import subprocess
    import sys

    from .conftest import REPO

    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(first), str(count)], env={**os.environ, "PYTHONPATH": str(REPO)})


async def wait_until(pilot, condition, seconds: float = 15.0) -> float:
    """Pause until `condition()` holds; how long it took."""
    import time

    t0 = time.monotonic()
    while not condition():
        if time.monotonic() - t0 > seconds:
            raise AssertionError(f"not within {seconds} s")
        await pilot.pause(0.05)
    return time.monotonic() - t0


async def test_the_facilitators_panel_follows_another_process_and_the_palette_reveals(room_file):
    from appraisal.tui.app import make_app
    from appraisal.tui.room import RoomPanel

    app = make_app(room_file, journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.query_one(RoomPanel)
        assert not panel.display  # no room yet
        write_from_another_process(room_file, 0, 2).wait(timeout=60)
        await wait_until(pilot, lambda: "2 of 2 submitted" in panel.plain)  # the room appeared: no restart
        assert panel.display and "P00" in panel.plain and "P01" in panel.plain
        assert "outcomes" not in panel.plain and app.viewing is None  # private: nobody's answers on the projected screen
        assert [p.name for p in app.view.appraisal.participants] == []
        write_from_another_process(room_file, 2, 1).wait(timeout=60)
        await wait_until(pilot, lambda: "3 of 3 submitted" in panel.plain)

        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Reveal the room")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.viewing == GROUP_VIEW)
        with open_store(room_file) as store:
            assert store.snapshot().revealed
        assert [p.name for p in app.view.appraisal.participants] == [] and app.view.viewing == GROUP_VIEW
        shares = app.view.appraisal.weights  # the group's, from the three who submitted
        assert shares["outcomes"] == pytest.approx(sum((k % 9 + 1) / ((k % 9 + 1) + (k * 7) % 5 + 17 * 3) for k in range(3)) / 3)
        await pilot.press("D")
        await pilot.pause()
        assert [p for p, _, _ in app.screen.disagreement.participants] == ["P00", "P01", "P02"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w")  # P01's entries are theirs
        await pilot.pause()
        app.viewing = "P01"
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


@pytest.mark.slow
async def test_load_thirty_participants_the_panel_follows_a_submit_within_a_second(room_file):
    from appraisal.tui.app import make_app
    from appraisal.tui.room import RoomPanel

    write_from_another_process(room_file, 0, 29).wait(timeout=120)
    app = make_app(room_file, journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(RoomPanel)
        await wait_until(pilot, lambda: "29 of 29 submitted" in panel.plain)
        app.reveal_room()
        await pilot.pause()
        import time

        with open_store(room_file) as store:  # the 30th submits; time from its commit to the panel saying so
            seat = store.join("Last")
            store.set_weight(seat, "outcomes", 4.0)
            store.submit(seat)
            committed = time.monotonic()
        await wait_until(pilot, lambda: "30 of 30 submitted" in panel.plain, seconds=5)
        assert time.monotonic() - committed < 1.0
        assert len(app.view.appraisal.participants) == 0 and app.viewing == GROUP_VIEW
        assert len(app.with_room(app.session.current).participants) == 30


async def test_after_a_reset_the_participant_joins_again_and_nothing_typed_is_lost(room_file):
    app = make_participant_app(room_file, name="Ivy")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit(WeightStep(action="set-weight", criterion="vision", weight=6.0, participant="Ivy"))
        await pilot.pause()
        with open_store(room_file) as store:
            assert store.reset() == 1
        app._poll()
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen) and app.screen.name_value == "Ivy"
        await pilot.press("enter")
        await pilot.pause()
        assert app.seat is not None and app.seat.name == "Ivy"
    with open_store(room_file) as store:
        assert store.snapshot().participant("Ivy").weights == {"vision": 6.0}


async def test_every_weight_in_turn_with_W_goes_to_the_room_in_one_write(room_file):
    app = make_participant_app(room_file, name="Jo")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("W")
        await pilot.pause()
        await type_text(pilot, "5")  # the first box's value is selected: typing replaces it
        await pilot.press("enter")
        await type_text(pilot, "0")
        await pilot.press("ctrl+s")  # applies (the dialog's key, not the app's submit)
        await pilot.pause()
    with open_store(room_file) as store:
        snap = store.snapshot()
        history = store.history("Jo")
    first, second = (c.id for c in app.base.criteria[:2])
    assert snap.participant("Jo").weights == {first: 5.0, second: 0.0} and not snap.participant("Jo").submitted
    assert len({e.at for e in history}) == 1  # one user action, one write


async def test_a_write_the_room_refuses_for_now_is_kept_said_and_retried(room_file, monkeypatch):
    from appraisal.errors import AppraisalError
    from appraisal.tui.status import AlertLine

    app = make_participant_app(room_file, name="Kim")
    app.ask_reasons = False
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        real = app.store.write

        def busy(*args, **kwargs):
            raise AppraisalError("the room is busy (other processes are writing to it); nothing was written, try again")

        monkeypatch.setattr(app.store, "write", busy)
        app.edit(WeightStep(action="set-weight", criterion="vision", weight=4.0, participant="Kim"))
        await pilot.pause()
        alert = app.query_one(AlertLine)
        assert alert.has_class("-shown") and "not in the room yet" in str(alert.render())
        assert app.view.appraisal.weights["vision"] == 4.0  # kept on the screen
        monkeypatch.setattr(app.store, "write", real)
        app._poll()  # the retry
        await pilot.pause()
        assert not app._unsynced
    with open_store(room_file) as store:
        assert store.snapshot().participant("Kim").weights == {"vision": 4.0}
