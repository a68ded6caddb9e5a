"""The value tree in the workshop app, driven with Pilot: groups as foldable subtotal rows, group weights
set and nudged (undo, journal, a killed app restored), measures typed in their units, and the value-
function and value-for-money screens. Numbers are checked against the scenarios' expectations, the
engine, and the README's worked example (`scenarios/case-system.toml`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from appraisal.engine import evaluate, problem_from
from appraisal.io.journal import journal_path
from appraisal.io.load import load
from appraisal.model.scenario import GroupWeightStep, MeasureStep
from appraisal.model.steps import apply_step
from appraisal.tui.app import make_app
from appraisal.tui.matrix import ScoreMatrix
from appraisal.tui.modals import ConfirmScreen, PromptScreen

from .conftest import REPO
from .test_tui import shown
from .test_workshop_screen import palette

TREE = REPO / "scenarios" / "birmingham-2013-tree.toml"  # global weights: groups give subtotals
WEIGHTED = REPO / "scenarios" / "birmingham-2013-tree-weighted.toml"  # [group_weights]
CASE = REPO / "scenarios" / "case-system.toml"  # measures, costs, group weights 0.6 / 0.4
OPTIONS = ["break-up", "outsource", "trust-dfe", "trust-bcc", "integrated"]
CASE_OPTIONS = ["patch", "upgrade", "buy", "build"]
FIRST = ScoreMatrix.FIRST_OPTION_COLUMN


def app_(path, **kw):
    return make_app(path, journal=kw.pop("journal", False), ask_reasons=kw.pop("ask_reasons", False), **kw)


def case_copy(tmp_path: Path) -> Path:
    """The natural-unit example with its criteria, laid out as in the repository (the app may journal it)."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "criteria").mkdir()
    shutil.copy(REPO / "criteria" / "case-system.toml", tmp_path / "criteria")
    return Path(shutil.copy(CASE, tmp_path / "scenarios"))


def rows(app) -> list[str]:
    """What the matrix's rows say in the criterion column (group rows with their fold mark)."""
    matrix = app.query_one(ScoreMatrix)
    return [matrix.cell(r, 1).strip() for r in range(matrix.row_count - 5)]


def row_texts(app, name: str) -> list[str]:
    """The option cells of the row whose criterion column reads `name` (after any fold mark)."""
    matrix = app.query_one(ScoreMatrix)
    for r in range(matrix.row_count):
        if matrix.cell(r, 1).strip().lstrip("▾▸ ") == name:
            return [matrix.cell(r, c).strip() for c in range(FIRST, len(matrix.columns))]
    raise AssertionError(f"no row {name!r}: {rows(app)}")


async def to_row(pilot, name: str, column: int = FIRST) -> None:
    matrix = pilot.app.query_one(ScoreMatrix)
    r = next(r for r in range(matrix.row_count) if matrix.cell(r, 1).strip().lstrip("▾▸ ") == name)
    matrix.move_cursor(row=r, column=column)
    await pilot.pause()


@pytest.fixture(autouse=True)
def _every_notification_kept(monkeypatch):
    """Notifications expire after a few seconds, which a loaded machine can take between a key and the
    check: keep every message an app posts, in order (as tests/test_workshop_screen.py does)."""
    from textual.app import App

    post = App.notify

    def notify(self, message, *args, **kw):
        self.__dict__.setdefault("notified", []).append(str(message))
        return post(self, message, *args, **kw)

    monkeypatch.setattr(App, "notify", notify)


def messages(app) -> list[str]:
    return app.__dict__.get("notified", [])


# --- groups as subtotal rows, folded and unfolded ----------------------------------------------------
async def test_groups_are_subtotal_rows_that_fold_and_unfold():
    app = app_(TREE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert rows(app)[:3] == ["▾ Improvement to services", "▾ Practice and outcomes",
                                  "Better outcomes for children - they are safer as a result"]
        expected = load(TREE).expect.group_totals  # the scenario's own [expect.group_totals]
        for group, name in (("services", "Improvement to services"), ("practice", "Practice and outcomes"),
                            ("acceptability", "Acceptability and accountability"), ("finance", "Finance")):
            texts = row_texts(app, name)
            for option in ("integrated", "trust-bcc", "break-up"):
                if group in expected.get(option, {}):
                    assert float(texts[OPTIONS.index(option)]) == expected[option][group], (group, option)
        assert row_texts(app, "Improvement to services") == ["72", "102", "114", "117", "129"]
        matrix = app.query_one(ScoreMatrix)
        assert matrix.cell(0, 3).strip() == "52.6%", "the group's share: 30 of 57"
        assert matrix.cell(0, 2).strip() == "", "global weights: a group has no weight of its own"
        # f on a criterion folds the group it sits in; the cursor goes to the group's row.
        await to_row(pilot, "Clear vision")
        await pilot.press("f")
        await pilot.pause()
        assert "▸ Leadership and change" in rows(app) and "Clear vision" not in rows(app)
        assert matrix.group_at_cursor(app.view) == "change"
        assert row_texts(app, "Leadership and change") == ["39", "72", "69", "69", "72"], "a folded group shows its subtotals"
        await pilot.press("enter")  # Enter on a group's row unfolds it
        await pilot.pause()
        assert "Clear vision" in [r.strip() for r in rows(app)]
        # F folds every group (the top-level ones' rows stay), and F again unfolds them all.
        await pilot.press("F")
        await pilot.pause()
        assert rows(app) == ["▸ Improvement to services", "▸ Acceptability and accountability", "▸ Deliverability", "▸ Finance"]
        assert matrix.group_at_cursor(app.view) == "services", "the cursor stays in the group it was in"
        assert matrix.cell(len(rows(app)) + 1, FIRST + 4).strip() == "246", "the weighted total under the folded groups"
        await pilot.press("F")
        await pilot.pause()
        assert len(rows(app)) == 19 + 6
        # A group's row in the rationale panel: what it holds, its share, the option's subtotal.
        await to_row(pilot, "Finance", FIRST + 4)
        panel = shown(app.query_one("#rationale"))
        assert "Finance" in panel and "10.5%" in panel and "Integrated: subtotal 27" in panel and "subtotals only" in panel


async def test_a_flat_appraisal_has_no_group_rows_and_no_tree_keys():
    app = app_(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        matrix = app.query_one(ScoreMatrix)
        assert matrix.tree_rows is None and matrix.row_count == 19 + 5
        footer = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}
        assert "f" not in footer, "no Fold in the footer of a flat appraisal"
        for action in ("fold", "fold_all", "value_function", "value_for_money"):
            assert app.check_action(action, ()) is False
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Compare options" in titles and not {"Fold", "Fold all", "Value function", "Value for money"} & set(titles)


async def test_the_tree_keys_are_in_the_footer_and_the_palette_where_they_apply():
    app = app_(CASE)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        footer = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}
        assert "f" in footer
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Fold", "Fold all", "Value function", "Value for money", "Type a cell"} <= titles
        await palette(pilot, "fold all")
        assert rows(app) == ["▸ Benefits to practice", "▸ Delivery"]
        await palette(pilot, "value for money")
        from appraisal.tui.value_screens import ValueForMoneyScreen

        assert isinstance(app.screen, ValueForMoneyScreen)


# --- group weights -----------------------------------------------------------------------------------
async def test_group_weights_are_set_nudged_undone_journaled_and_restored_after_a_kill(tmp_path):
    path = case_copy(tmp_path)
    app = app_(path, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Delivery")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and "Delivery" in str(app.screen.title_text)
        app.screen.query_one(Input).value = "0.5"
        await pilot.press("enter")
        await pilot.pause()
        a = app.session.current
        assert a.group_weights == {"benefits": 0.6, "delivery": 0.5}
        # By hand (README): Buy leads Upgrade until delivery's share passes 41.4%; 0.5 / 1.1 = 45.5% is past it.
        assert app.view.evaluation.leader_id == "upgrade"
        expected = evaluate(problem_from(apply_step(load(path).appraisal, GroupWeightStep(action="set-group-weight", group="delivery",
                                                                                               weight=0.5), load(path).appraisal)))
        assert app.view.evaluation.weighted.tolist() == pytest.approx(expected.weighted.tolist())
        assert row_texts(app, "Delivery") == ["50.0", "42.5", "21.2", "15.0"], "subtotals: 100 x 0.5 / 1.1 x 1.1 ..."
        assert app.query_one(ScoreMatrix).cell(3, 2).strip() == "0.5*" and app.query_one(ScoreMatrix).cell(3, 3).strip() == "45.5%"
        status = app.query_one("#status")
        assert "Weight of group Delivery: 0.4 → 0.5" in shown(status)
        # ] nudges the group one step: a tenth of the mean weight at its level as loaded (0.5 / 10).
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.session.current.group_weights["delivery"] == 0.55
        strip = app.query_one("#strip")
        assert strip.display and "Delivery 47.8%" in shown(strip) and "at 41.4% Buy leads" in shown(strip)
        await pilot.press("z")
        await pilot.pause()
        assert app.session.current.group_weights["delivery"] == 0.5
        assert "Undid: Weight of group Delivery: 0.55 → 0.5" in shown(status)
        await pilot.press("v")
        await pilot.pause()
        from textual.widgets import DataTable

        changes = app.screen.query_one(DataTable)
        assert [str(changes.get_row_at(k)[1]) for k in range(changes.row_count)] == ["Weight of group Delivery: 0.4 → 0.5"]
        await pilot.press("escape")
        await pilot.pause()
        entries = [json.loads(line) for line in journal_path(path).read_text().splitlines()]
        assert [(e["step"]["action"], e["step"]["weight"]) for e in entries if e["kind"] == "edit"] == [
            ("set-group-weight", 0.5), ("set-group-weight", 0.55)]
    # The context ends without quitting: as if the app were killed.
    again = app_(path, journal=True)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ConfirmScreen), "the app offers to restore"
        await pilot.click("#restore")
        await pilot.pause()
        assert again.session.current.group_weights == {"benefits": 0.6, "delivery": 0.5}
        assert again.session.can_redo, "the undone nudge can be redone"
        await pilot.press("y")
        await pilot.pause()
        assert again.session.current.group_weights["delivery"] == 0.55


async def test_with_global_weights_a_group_row_says_it_only_gives_subtotals():
    app = app_(TREE)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Improvement to services")
        for key in ("w", "right_square_bracket", "left_square_bracket"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, PromptScreen)
            assert "groups only give subtotals" in messages(app)[-1]
        assert not app.session.steps and app.session.current.group_weights is None
        await pilot.press("3")
        await pilot.pause()
        assert "subtotal" in messages(app)[-1] and not app.session.steps, "no score on a group's row"


async def test_a_group_weight_that_would_zero_a_level_is_refused_with_one_line(tmp_path):
    app = app_(WEIGHTED)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Practice and outcomes")
        app.edit(GroupWeightStep(action="set-group-weight", group="change", weight=0))
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "0"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.current.group_weights["practice"] == 50, "nothing changed"
        assert "all zero" in messages(app)[-1] and "\n" not in messages(app)[-1]
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "-1"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "a negative weight is refused in the dialog"
        assert "0 or more" in shown(app.screen.query_one("#prompt-error"))


# --- measures ----------------------------------------------------------------------------------------
async def test_a_measure_cell_shows_its_unit_and_score_and_edits_the_measure(tmp_path):
    path = case_copy(tmp_path)
    app = app_(path, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert row_texts(app, "Time to go live") == ["3 months → 100", "9 months → 80", "15 months → 45", "30 months → 0"]
        assert row_texts(app, "Social worker time saved")[0] == "0.5 → 10", "'0.5 hours/week → 10' is wider than the column: no unit in that row"
        await to_row(pilot, "Time to go live", FIRST + 2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and app.screen.query_one(Input).value == "15"
        assert "months" in str(app.screen.title_text)
        app.screen.query_one(Input).value = "17"
        await pilot.press("enter")
        await pilot.pause()
        # By hand: between 12 and 24 months the score falls 5 a month: 60 - 5 x 5 = 35; Buy loses 0.2 x 10 = 2.
        cell = app.session.current.cell("buy", "go-live")
        assert (cell.measure, cell.score) == (17, 35)
        assert row_texts(app, "Time to go live")[2] == "17 → 35 ◂15", "the old measure kept, the unit gone where both do not fit"
        assert app.view.evaluation.weighted[CASE_OPTIONS.index("buy")] == pytest.approx(58.8)
        assert app.view.evaluation.leader_id == "upgrade"
        assert "Buy / Time to go live: 15 months → 17 months" in shown(app.query_one("#status"))
        panel = shown(app.query_one("#rationale"))
        assert "Measure 17 months" in panel and "gives the score 35" in panel and "Changed this session from 15 months" in panel
        # A digit on a measured cell starts typing its measure.
        await pilot.press("9")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and app.screen.query_one(Input).value == "9"
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.current.cell("buy", "go-live").measure == 17, "Escape changes nothing"
        entries = [json.loads(line) for line in journal_path(path).read_text().splitlines()]
        assert [(e["step"]["action"], e["step"]["measure"]) for e in entries if e["kind"] == "edit"] == [("set-measure", 17)]


@pytest.mark.parametrize("typed, why", [("abc", "not a number"), ("nan", "finite"), ("inf", "finite"), ("", "not a number")])
async def test_a_bad_measure_is_one_line_and_changes_nothing(typed, why):
    app = app_(CASE)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Case records migrated automatically", FIRST + 1)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "the dialog stays until the measure is a number"
        error = shown(app.screen.query_one("#prompt-error")).strip()
        assert why in error and "\n" not in error
        await pilot.press("escape")
        await pilot.pause()
        assert not app.session.steps
        assert app.session.current.cell("upgrade", "migration").measure == 95
        await pilot.press("plus")  # stepping a derived score: refused, saying how to change it
        await pilot.pause()
        assert "press Enter to type its measure" in messages(app)[-1] and not app.session.steps


async def test_enter_types_a_score_the_digits_cannot_reach():
    app = app_(CASE)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Usability, as rated by practitioners", FIRST + 3)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = "101"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen) and "outside the scale" in shown(app.screen.query_one("#prompt-error"))
        app.screen.query_one(Input).value = "75"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.current.cell("build", "usability").score == 75
        assert app.view.evaluation.weighted[CASE_OPTIONS.index("build")] == pytest.approx(58.2 + 0.18 * 5)


# --- the value-function and value-for-money screens ---------------------------------------------------
async def test_the_value_function_screen_shows_the_curve_and_every_option_on_it():
    from appraisal.tui.value_screens import ValueFunctionScreen

    app = app_(CASE)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, "Usability, as rated by practitioners")
        await pilot.press("u")
        await pilot.pause()
        assert not isinstance(app.screen, ValueFunctionScreen) and "measured criterion" in messages(app)[-1]
        await to_row(pilot, "Time to go live")
        await pilot.press("u")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ValueFunctionScreen)
        vf = screen.shown
        assert vf.points == ((6, 100), (12, 60), (24, 0)) and vf.unit == "months" and vf.better == "lower"
        # README: Upgrade's 9 months -> 80, Buy's 15 -> 45, Patch's 3 clamped to 100, Build's 30 to 0.
        assert [(p.label, p.measure_text, p.score_text) for p in vf.options] == [
            ("Patch", "3 months", "100"), ("Upgrade", "9 months", "80"), ("Buy", "15 months", "45"), ("Build", "30 months", "0")]
        samples = dict(vf.samples(28))  # 3 to 30 months, one a month: the curve hits its points and clamps
        assert samples[6] == 100 and samples[12] == 60 and samples[24] == 0 and samples[3] == 100 and samples[30] == 0
        chart = shown(screen.query_one("#vf-chart"))
        assert "◇" in chart and "■" in chart and "months" in chart and any("\u2801" <= ch <= "\u28ff" for ch in chart)
        table = shown(screen.query_one("#vf-table"))
        assert "15 months" in table and "45" in table
        # It follows the session: a measure changed elsewhere moves the option on the curve.
        app.session.apply(MeasureStep(action="set-measure", option="buy", criterion="go-live", measure=18))
        await pilot.pause()
        assert screen.shown.options[2].score_text == "30" and screen.shown.options[2].was == "15 months"
        await pilot.press("right")
        await pilot.pause()
        assert screen.shown.criterion == "migration" and screen.shown.points == ((50, 0), (100, 100))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ValueFunctionScreen)


async def test_the_value_for_money_screen_shows_the_frontier_and_value_per_cost():
    from appraisal.tui.value_screens import ValueForMoneyScreen

    app = app_(CASE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("V")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ValueForMoneyScreen)
        vfm = screen.shown
        # README: the frontier is Patch -> Upgrade -> Buy; Build (£3m, 58.2) is off it; 124, 49.8, 30.4, 19.4 per £m.
        assert vfm.frontier == ("patch", "upgrade", "buy")
        assert [(r.label, r.cost_text, r.value_text, r.per_cost_text) for r in vfm.rows] == [
            ("Patch", "£0.4m", "49.6", "124 per £m"), ("Upgrade", "£1.2m", "59.8", "49.8 per £m"),
            ("Buy", "£2m", "60.8", "30.4 per £m"), ("Build", "£3m", "58.2", "19.4 per £m")]
        assert vfm.rows[3].beaten_by == ("Upgrade", "Buy") and not vfm.rows[3].on_frontier
        assert [(s.extra_value, s.extra_cost, s.per_extra_cost) for s in vfm.steps] == [
            ("10.2", "£0.8m", "12.75 per £m"), ("1", "£0.8m", "1.25 per £m")]
        words = shown(screen.query_one("#vfm-words"))
        assert "Patch (£0.4m, 49.6) → Upgrade (£1.2m, 59.8) → Buy (£2m, 60.8)" in words
        assert "Build is off the frontier" in words
        chart = shown(screen.query_one("#vfm-chart"))
        assert "Build" in chart and "£3m" in chart and any("\u2801" <= ch <= "\u28ff" for ch in chart), "the frontier drawn in braille dots"
        # It follows the session: the supplier's offer (7 months, £1.5m) with delivery weighted as benefits.
        from appraisal.model.scenario import CostStep

        app.session.apply(MeasureStep(action="set-measure", option="upgrade", criterion="go-live", measure=7),
                          CostStep(action="set-cost", option="upgrade", cost=1.5),
                          GroupWeightStep(action="set-group-weight", group="benefits", weight=0.5),
                          GroupWeightStep(action="set-group-weight", group="delivery", weight=0.5))
        await pilot.pause()
        assert screen.shown.frontier == ("patch", "upgrade"), "case-system-supplier-offer.toml's frontier"
        assert screen.shown.rows[1].value_text == "67.3"


async def test_value_for_money_without_costs_says_so():
    app = app_(TREE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.check_action("value_for_money", ()) is False
        app.action_value_for_money()
        await pilot.pause()
        assert "No option has a cost" in messages(app)[-1]


async def test_the_sensitivity_screen_reads_the_tree():
    from textual.widgets import TabbedContent

    app = app_(CASE)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        said = shown(app.screen.query_one("#sentences"))
        assert "the group 'Delivery' rises above 41.4%" in said, "the nearest group's change"
        assert "41.4%" in shown(app.screen.query_one("#group-oneway"))
        app.screen.query_one(TabbedContent).active = "tab-switch"
        await pilot.pause()
        scores = shown(app.screen.query_one("#switching"))
        assert "time to go live rises above 16 months (now 15 months" in scores, "README's hand-worked switching value"
        assert "above 97.5%" in scores
        assert "Buy / Time to go live" not in scores.split("scores given on the scale")[1], "measures are not listed as scores"


# --- what the screens show is what the reports say ------------------------------------------------------
@pytest.mark.parametrize("name", ["birmingham-2013-tree.toml", "birmingham-2013-tree-weighted.toml", "birmingham-2013-tree-presets.toml",
                                  "case-system.toml", "case-system-supplier-offer.toml"])
def test_group_rows_and_value_for_money_are_the_ranking_reports(name):
    from appraisal.reports.ranking import ranking_report
    from appraisal.reports.workshop import WorkshopView

    a = load(REPO / "scenarios" / name).appraisal
    view = WorkshopView.of(a, a)
    report = ranking_report(a)
    layout, lines = view.tree()
    assert [r.id for r in layout.rows if r.kind == "group"] == [g["id"] for g in sorted(report["groups"], key=lambda g: [x.id for x in layout.rows].index(g["id"]))]
    for i, option in enumerate(report["options"]):
        for group, value in option["group_totals"].items():
            assert lines[group].values[i] == pytest.approx(value, abs=1e-12)
    for g in report["groups"]:
        assert lines[g["id"]].local_share == pytest.approx(g["local_share"])
        assert lines[g["id"]].share.rstrip("%") == f"{g['share'] * 100:.1f}".rstrip("0").rstrip(".")
    vfm = view.value_for_money()
    if report["value_for_money"] is None:
        assert vfm is None
    else:
        assert list(vfm.frontier) == report["value_for_money"]["frontier"]
        per = report["value_for_money"]["value_per_cost"]
        assert {r.option for r in vfm.rows if r.per_cost_text != "–"} == set(per)
