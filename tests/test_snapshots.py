"""Snapshots of the workshop app (pytest-textual-snapshot). Update with `make test ARGS=--snapshot-update`."""

from appraisal.tui.app import make_app


def app():
    return make_app(journal=False, ask_reasons=False)


def test_main_screen_80x24(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24))


def test_main_screen_160x48(snap_compare):
    assert snap_compare(app(), terminal_size=(160, 48))


def test_main_screen_after_edits_160x48(snap_compare):
    async def edit(pilot):
        pilot.app.query_one("ScoreMatrix").move_cursor(row=3, column=7)
        await pilot.press("5", "left", "x", "down", "w")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(160, 48), run_before=edit)


def test_help_screen(snap_compare):
    async def open_help(pilot):
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(100, 40), run_before=open_help)
