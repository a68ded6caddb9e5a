"""Snapshots of the workshop app (pytest-textual-snapshot). Update with `make test ARGS=--snapshot-update`,
then look at every changed SVG (snapshot_report.html) before accepting it."""

import pytest

from appraisal.model.scenario import ScoreStep, WeightStep
from appraisal.tui.app import make_app


def app():
    return make_app(journal=False, ask_reasons=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"])
def test_main_screen(snap_compare, size):
    """120x40: all five options, the weight column, the totals, the rankings and the banner, no scrolling."""
    assert snap_compare(app(), terminal_size=size)


def test_main_screen_after_edits_120x40(snap_compare):
    async def edit(pilot):
        pilot.app.query_one("ScoreMatrix").move_cursor(row=3, column=7)
        await pilot.press("5", "left", "x", "down", "right_square_bracket", "right_square_bracket")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(120, 40), run_before=edit)


def test_main_screen_as_a_participant_80x24(snap_compare):
    from .test_tui import GROUP_FILE

    async def view(pilot):
        pilot.app.viewing = "Cabinet member"
        await pilot.pause()

    assert snap_compare(make_app(GROUP_FILE, journal=False, ask_reasons=False), terminal_size=(80, 24), run_before=view)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"])
def test_compare_options(snap_compare, size):
    async def compare(pilot):
        pilot.app.session.apply(WeightStep(action="set-weight", criterion="break-from-past", weight=6))
        await pilot.press("C")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=compare)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"])
def test_snapshots_compared(snap_compare, size):
    async def compare(pilot):
        session = pilot.app.session
        session.take_snapshot("before lunch")
        session.apply(ScoreStep(action="set-score", option="integrated", criterion="vision", score=1),
                      WeightStep(action="set-weight", criterion="break-from-past", weight=16))
        await pilot.press("B")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=compare)


def test_help_screen(snap_compare):
    async def open_help(pilot):
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(100, 40), run_before=open_help)


# --- the value tree --------------------------------------------------------------------------------
def tree_app(name: str):
    from .conftest import REPO

    return make_app(REPO / "scenarios" / name, journal=False, ask_reasons=False)


def test_value_tree_2013_120x40(snap_compare):
    """The 2013 appraisal weighted by group: group rows with weights, shares and subtotals, criteria indented."""
    assert snap_compare(tree_app("birmingham-2013-tree-weighted.toml"), terminal_size=(120, 40))


def test_value_tree_2013_folded_and_nudged_120x40(snap_compare):
    async def fold_and_nudge(pilot):
        await pilot.press("F", "down", "right_square_bracket")
        await pilot.pause()

    assert snap_compare(tree_app("birmingham-2013-tree-weighted.toml"), terminal_size=(120, 40), run_before=fold_and_nudge)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
def test_natural_units(snap_compare, size):
    """Measures with their units and derived scores, group subtotals, the group weights 0.6 and 0.4."""
    assert snap_compare(tree_app("case-system.toml"), terminal_size=size)


def test_value_function_screen_120x40(snap_compare):
    async def open_curve(pilot):
        from appraisal.tui.matrix import ScoreMatrix

        pilot.app.query_one(ScoreMatrix).move_cursor(row=4)  # Time to go live
        await pilot.press("u")
        await pilot.pause()

    assert snap_compare(tree_app("case-system.toml"), terminal_size=(120, 40), run_before=open_curve)


def test_value_for_money_screen_120x40(snap_compare):
    async def open_money(pilot):
        await pilot.press("V")
        await pilot.pause()

    assert snap_compare(tree_app("case-system.toml"), terminal_size=(120, 40), run_before=open_money)
