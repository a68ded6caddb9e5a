"""The participant app as a person meets it: submitted work reads as submitted (never "unsaved"), quitting
with an answer not submitted asks first, and the help lists every key a participant has."""

from __future__ import annotations

from appraisal.tui.modals import ConfirmScreen
from appraisal.tui.participant import NOT_FOR_PARTICIPANTS, ParticipantApp, make_participant_app
from appraisal.tui.app import WorkshopApp
from appraisal.tui.status import StatusLine

from .test_room_app import SIZE, open_store, room_file, type_text  # noqa: F401  (fixture)


def status(app) -> str:
    return str(app.query_one(StatusLine).render())


async def set_first_weight(pilot, value: str) -> None:
    await pilot.press("w")
    await pilot.pause()
    for _ in range(5):
        await pilot.press("backspace")
    await type_text(pilot, value)
    await pilot.press("enter")
    await pilot.pause()


async def test_submitted_work_reads_as_submitted_not_unsaved(room_file):
    app = make_participant_app(room_file, name="Ann")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "not submitted" in status(app)
        await set_first_weight(pilot, "7")
        assert "not submitted" in status(app) and "unsaved" not in status(app)
        await pilot.press("s")
        await pilot.pause()
        assert "submitted ✓" in status(app) and "unsaved" not in status(app), status(app)
        await set_first_weight(pilot, "6")
        assert "changed since you submitted" in status(app) and "unsaved" not in status(app), status(app)


async def test_quitting_with_edits_not_submitted_asks_and_can_submit_on_the_way_out(room_file):
    app = make_participant_app(room_file, name="Ann")
    app.ask_reasons = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await set_first_weight(pilot, "7")
        for key in ("q", "ctrl+q"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), key
            await pilot.click("#cancel")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#submit")
        await pilot.pause()
    with open_store(room_file) as store:
        assert store.snapshot().participant("Ann").submitted


async def test_quitting_after_submitting_or_with_nothing_entered_does_not_ask(room_file):
    for name, submit in (("Bob", True), ("Cat", False)):
        app = make_participant_app(room_file, name=name)
        app.ask_reasons = False
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if submit:
                await set_first_weight(pilot, "3")
                await pilot.press("s")
                await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)


async def test_the_help_lists_every_key_a_participant_has(room_file):
    app = make_participant_app(room_file, name="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.text
        rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ") and "---" not in line}
        rebound = {k for b in ParticipantApp.BINDINGS for k in b.key.split(",")}
        for binding in [*ParticipantApp.BINDINGS, *WorkshopApp.BINDINGS]:
            action = binding.action.split("(")[0]
            keys = binding.key.split(",")
            if action in NOT_FOR_PARTICIPANTS or (binding not in ParticipantApp.BINDINGS and rebound & set(keys)):
                continue
            if action == "set_score":
                assert "1 … 9" in rows
                continue
            shown = app.get_key_display(type(binding)(keys[0], binding.action))
            assert any(shown in row.split(" / ") for row in rows), (shown, rows)
        for absent in ("save as", "Open another appraisal", "Exclude"):
            assert absent.lower() not in text.lower()
        assert "Submit" in text or "submit" in text
