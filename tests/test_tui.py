"""The workshop app, driven with Textual's Pilot as a facilitator would drive it."""

from __future__ import annotations

import random

import pytest
from textual.widgets import Input

from appraisal.io.journal import export_journal, journal_path
from appraisal.io.load import load
from appraisal.reports.replay import replay_file
from appraisal.tui.app import make_app
from appraisal.tui.matrix import ScoreMatrix
from appraisal.tui.modals import ConfirmScreen, PromptScreen
from appraisal.tui.paths import PathScreen

from .conftest import REPO, copy_bundled

SIZE = (160, 48)
FOOTER = {"unweighted": 19, "weighted": 20, "percent": 21, "rank_u": 22, "rank_w": 23}
COL = {"break-up": 4, "outsource": 5, "trust-dfe": 6, "trust-bcc": 7, "integrated": 8}
ROW = {"outcomes": 0, "vision": 1, "break-from-past": 2, "cultural-change": 3, "speed": 17}


def cell_text(app, row: int, col: int) -> str:
    return app.query_one(ScoreMatrix).cell(row, col).strip()


def shown(widget) -> str:
    """The plain text a Static widget shows."""
    from rich.console import Console

    console = Console(width=160, record=True, file=open("/dev/null", "w"))
    console.print(widget.content)
    return console.export_text()


async def goto(pilot, criterion: str, option: str) -> None:
    table = pilot.app.query_one(ScoreMatrix)
    table.move_cursor(row=ROW[criterion], column=COL[option])
    await pilot.pause()


async def test_typing_a_score_changes_totals_and_ranks_on_screen():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        assert cell_text(app, FOOTER["weighted"], COL["trust-bcc"]) == "222"
        await goto(pilot, "cultural-change", "trust-bcc")
        await pilot.press("5")
        await pilot.pause()
        assert cell_text(app, ROW["cultural-change"], COL["trust-bcc"]).startswith("5 High")
        assert "◂3" in cell_text(app, ROW["cultural-change"], COL["trust-bcc"]), "the old value is shown"
        assert cell_text(app, FOOTER["unweighted"], COL["trust-bcc"]) == "76"
        assert cell_text(app, FOOTER["weighted"], COL["trust-bcc"]) == "228"
        assert cell_text(app, FOOTER["percent"], COL["trust-bcc"]) == "80.0%"
        rankings = shown(app.query_one("#rankings"))
        assert "228" in rankings and "-18" in rankings


async def test_plus_and_minus_step_by_half_points_within_the_scale():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "outcomes", "integrated")
        await pilot.press("plus")  # already 5: stays
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert app.session.current.cell("integrated", "outcomes").score == 4.0
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "81"
        await pilot.press("plus")
        await pilot.pause()
        assert cell_text(app, ROW["outcomes"], COL["integrated"]).startswith("4.5")
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "81.5"


async def test_a_change_can_overturn_the_leader_and_the_ranks_follow():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "break-from-past", "trust-bcc")
        app.edit()  # no-op edits are allowed and change nothing visible
        from appraisal.model.scenario import WeightStep

        app.edit(WeightStep(action="set-weight", criterion="break-from-past", weight=16))
        await pilot.pause()
        assert cell_text(app, FOOTER["rank_w"], COL["trust-bcc"]) == "1"
        assert cell_text(app, FOOTER["rank_w"], COL["integrated"]) == "2"
        assert cell_text(app, FOOTER["rank_u"], COL["integrated"]) == "1", "unweighted ranks do not move with weights"


async def test_undo_and_redo():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "vision", "integrated")
        await pilot.press("1", "down", "2")
        await pilot.pause()
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "78"
        await pilot.press("z")
        await pilot.pause()
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "79"
        await pilot.press("z", "z")  # one more than there is: says so, changes nothing
        await pilot.pause()
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "82"
        await pilot.press("y", "y")
        await pilot.pause()
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "78"
        assert not app.session.can_redo


@pytest.mark.parametrize("bad", ["-1", "nan", "abc", "inf", ""])
async def test_weight_input_rejects_bad_values(bad):
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "integrated")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        field = app.screen.query_one(Input)
        field.value = bad
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "the dialog stays open on bad input"
        assert shown(app.screen.query_one("#prompt-error")).strip() != ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.current.weights["speed"] == 3
        assert not app.session.steps


async def test_weight_input_accepts_a_number():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "integrated")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "4.5"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.current.weights["speed"] == 4.5
        assert cell_text(app, ROW["speed"], 2) == "4.5*"
        assert cell_text(app, FOOTER["weighted"], COL["integrated"]) == "253.5"


async def test_reason_and_participant_are_recorded():
    app = make_app(journal=False, ask_reasons=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Finance lead"
        await pilot.press("enter")
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "Shadow trust in six months"
        await pilot.press("enter")
        await pilot.pause()
        (step,) = app.session.steps
        assert (step.by, step.note, step.score) == ("Finance lead", "Shadow trust in six months", 4)
        assert "Shadow trust in six months" in shown(app.query_one("#rationale"))
        # Enter alone skips the reason.
        await pilot.press("down", "5")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.session.steps) == 2 and app.session.steps[-1].note == ""


async def test_exclude_an_option_and_switch_off_a_criterion():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "outsource")
        await pilot.press("x")
        await pilot.pause()
        assert cell_text(app, FOOTER["rank_w"], COL["outsource"]) == "excluded", "said in words, not by grey alone"
        assert cell_text(app, FOOTER["unweighted"], COL["outsource"]) == "57", "excluded, greyed, not hidden"
        await pilot.press("c")
        await pilot.pause()
        assert cell_text(app, ROW["speed"], 3) == "off"
        assert cell_text(app, FOOTER["unweighted"], COL["integrated"]) == "77"
        await pilot.press("x")
        await pilot.pause()
        assert cell_text(app, FOOTER["rank_w"], COL["outsource"]) == "4"


async def test_resets():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("5", "left", "5")
        await pilot.press("r")  # this cell only (Trust DfE)
        await pilot.pause()
        assert app.session.current.cell("trust-dfe", "speed").score == 2
        assert app.session.current.cell("trust-bcc", "speed").score == 5
        await pilot.press("right", "1", "R")  # the whole row
        await pilot.pause()
        assert app.session.current.cell("trust-bcc", "speed").score == 3
        await pilot.press("up", "5")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#reset")
        await pilot.pause()
        assert app.session.current.cells == app.session.baseline.cells
        await pilot.press("z")  # a reset can be undone
        await pilot.pause()
        assert app.session.current.cell("trust-bcc", "financial-viability").score == 5


async def test_weight_presets():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # rank-order centroid
        await pilot.pause()
        await pilot.press("ctrl+s")  # accept the proposed order
        await pilot.pause()
        w = app.session.current.weights
        assert sum(w.values()) == pytest.approx(1)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")  # equal
        await pilot.pause()
        assert len(set(app.session.current.weights.values())) == 1
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # swing
        await pilot.pause()
        inputs = list(app.screen.query(Input))
        assert len(inputs) == 19
        inputs[0].value = "100"
        for field in inputs[1:]:
            field.value = "50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.current.weights["outcomes"] == 100 and app.session.current.weights["speed"] == 50
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # as loaded
        await pilot.pause()
        assert set(app.session.current.weights.values()) == {3.0}


async def test_save_then_reopen_gives_the_same_state(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "x")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "6"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert not app.session.dirty
        saved = app.session.current
    assert not journal_path(workdir).exists(), "after a save the journal starts afresh"
    again = make_app(workdir, ask_reasons=False)
    async with again.run_test(size=SIZE):
        a = again.session.current
        assert a.cells == saved.cells and a.weights == saved.weights and a.options == saved.options
        assert a.weights["speed"] == 6 and a.option("trust-bcc").excluded


async def test_saving_the_bundled_appraisal_asks_for_a_new_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        await pilot.press("enter")
        await pilot.pause()
    written = tmp_path / "birmingham-2013-workshop.toml"
    a = load(written).appraisal
    assert a.cell("trust-bcc", "speed").score == 4
    assert (REPO / "scenarios" / "birmingham-2013.toml").read_text().count("score = ") == 95


async def test_kill_and_restore_recovers_every_edit(workdir):
    app = make_app(workdir, ask_reasons=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Chair"
        await pilot.press("enter")
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        await pilot.pause()
        app.screen.query_one(Input).value = "quicker than thought"
        # Exclude Trust (DfE); try to score it (refused: it is out); undo the exclusion.
        await pilot.press("enter", "left", "x", "enter", "up", "1", "z")
        await pilot.pause()
        before = app.session.current
        steps = app.session.steps
    # The context ends without quitting: as if the app were killed.
    assert journal_path(workdir).exists()
    again = make_app(workdir, ask_reasons=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ConfirmScreen), "the app offers to restore"
        await pilot.click("#restore")
        await pilot.pause()
        assert again.session.current.cells == before.cells
        assert again.session.current.options == before.options
        assert [(s.action, s.note, s.by) for s in again.session.steps] == [(s.action, s.note, s.by) for s in steps]
        assert again.session.steps[0].note == "quicker than thought"
        assert len(again.session.steps) == 1
        assert again.session.can_redo, "the undone exclusion can still be redone"
        await pilot.press("y")
        await pilot.pause()
        assert again.session.current.option("trust-dfe").excluded


async def test_declining_restore_keeps_the_edits_aside(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
    again = make_app(workdir, ask_reasons=False, restore=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not again.session.steps
    kept = list(workdir.parent.glob("birmingham-2013.toml.journal.*.jsonl"))
    assert len(kept) == 1 and "set-score" in kept[0].read_text()


async def test_quitting_with_unsaved_changes_asks(workdir):
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert list(workdir.parent.glob("*.journal.*.jsonl")), "even discarded edits are kept aside, never deleted"


async def test_quitting_when_saved_does_not_ask():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_changes_help_and_sensitivity_screens():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "v")
        await pilot.pause()
        from textual.widgets import DataTable

        table = app.screen.query_one("#changes", DataTable)
        assert table.row_count == 1
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "t")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "SensitivityScreen"
        assert "Rank 1" in shown(app.screen.query_one("#smaa"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen.query_one(ScoreMatrix), ScoreMatrix)


async def test_save_session_as_scenario_replays(workdir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(workdir, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "left", "x", "a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        final = app.session.current
    out = workdir.parent / "birmingham-2013-session.toml"  # beside the appraisal, wherever the app was started
    r = replay_file(out)
    assert r.status == "pass", r.error or r.failures
    assert load(out).appraisal.cells == final.cells


async def test_random_sessions_through_the_app_round_trip(workdir, tmp_path):
    """A random edit sequence driven through the app, exported from its journal, replayed, compared."""
    rng = random.Random(7)
    keys = ["1", "2", "3", "4", "5", "plus", "minus", "x", "c", "z", "y", "r", "up", "down", "left", "right", "left", "right"]
    for trial in range(3):
        journal_path(workdir).unlink(missing_ok=True)
        app = make_app(workdir, ask_reasons=False)
        async with app.run_test(size=SIZE) as pilot:
            await goto(pilot, "vision", "trust-dfe")
            for _ in range(40):
                await pilot.press(rng.choice(keys))
            await pilot.pause()
            final = app.session.current
            n_steps = len(app.session.steps)
        if n_steps == 0:
            continue
        out = tmp_path / f"trial{trial}.toml"
        export_journal(journal_path(workdir), out)
        r = replay_file(out)
        assert r.status == "pass", r.error or r.failures
        replayed = load(out).appraisal
        assert replayed.cells == final.cells and replayed.options == final.options and replayed.disabled == final.disabled


async def test_export_action_writes_and_confirms(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # written in a thread: the screen does not freeze meanwhile
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "birmingham-2013-export.xlsx")
    labels = {wb["Scores"].cell(r, 1).value: r for r in range(1, 40)}
    assert wb["Scores"].cell(labels["Speed of implementation"], 12).value == 4, "the export is the matrix as edited"


GROUP_FILE = REPO / "scenarios" / "group-workshop-2014.toml"


async def choose_view(pilot, label_start: str) -> None:
    from textual.widgets import OptionList

    await pilot.press("g")
    await pilot.pause()
    options = pilot.app.screen.query_one(OptionList)
    index = next(k for k in range(options.option_count) if str(options.get_option_at_index(k).prompt).strip(" ●").startswith(label_start))
    options.highlighted = index
    await pilot.press("enter")
    await pilot.pause()


async def test_editing_as_a_participant_changes_only_their_view():
    app = make_app(GROUP_FILE, journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await choose_view(pilot, "Cabinet member")
        assert "CABINET MEMBER" in app.sub_title
        assert cell_text(app, FOOTER["weighted"], COL["integrated"]) == "271", "their weights, by hand in the scenario file"
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("5")
        await pilot.pause()
        (step,) = app.session.steps
        assert step.participant == "Cabinet member"
        assert app.session.current.participant("Cabinet member").scores == {"trust-bcc:speed": 5.0}
        assert app.session.current.cell("trust-bcc", "speed").score == 3, "the shared appraisal is untouched"
        await choose_view(pilot, "The group")
        assert "THE GROUP" in app.sub_title
        await pilot.press("4")
        await pilot.pause()
        assert len(app.session.steps) == 1, "the group view is read-only"
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "DisagreementScreen"


async def test_adding_a_participant_and_entering_their_weights_quickly():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await choose_view(pilot, "+ Add")
        app.screen.query_one(Input).value = "Finance lead"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WeightsScreen"
        inputs = list(app.screen.query(Input))
        assert app.focused is inputs[0]
        for k in range(19):  # type a number, Enter, next criterion
            await pilot.press(*str(1 + k % 5), "enter")
        await pilot.pause()
        p = app.session.current.participant("Finance lead")
        assert p is not None and p.weights["outcomes"] == 1 and p.weights["dfe-transparency"] == 4
        assert [s.action for s in app.session.steps][0] == "add-participant"
        assert app.viewing == "Finance lead"


async def test_command_palette_runs_workshop_actions():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4")
        await pilot.pause()
        assert len(app.session.steps) == 1
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"undo")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert not app.session.steps, "Undo, chosen from the palette, undid the edit"


async def test_saving_a_scenario_file_does_not_flatten_it(tmp_path, monkeypatch):
    import shutil

    monkeypatch.chdir(tmp_path)
    copy_bundled(tmp_path)  # the scenario's base and criteria beside it: the save is suggested there
    scenario = tmp_path / "scenarios" / "private-provider-prohibited.toml"
    shutil.copy(REPO / "scenarios" / scenario.name, scenario)
    before = scenario.read_text()
    app = make_app(scenario, journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen), "save asks for a new file"
        await pilot.press("enter")
        await pilot.pause()
    assert scenario.read_text() == before
    saved = load(tmp_path / "scenarios" / "private-provider-prohibited-workshop.toml").appraisal
    assert saved.option("outsource").excluded and saved.cell("trust-bcc", "speed").score == 4


async def test_sensitivity_screen_sorts_criteria_and_charts_the_selected_one():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        from textual.widgets import DataTable

        table = app.screen.query_one("#criteria-by-margin", DataTable)
        assert str(table.get_row_at(0)[0]) == "Break from the past", "the nearest crossover first (21.7%)"
        assert "leader changes at ┊ 21.7%" in shown(app.screen.query_one("#chart"))
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        assert "Alignment of corporate / business support" in shown(app.screen.query_one("#chart"))
        assert "stays first unless the weight on 'Break from the past' rises above 21.7%" in shown(app.screen.query_one("#sentences"))


async def test_rationale_shows_the_cells_switching_value():
    app = make_app(REPO / "scenarios" / "trust-bcc-smallest-weight.toml", journal=False, ask_reasons=False)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "break-from-past", "integrated")
        assert "Switching value: at 3.5 Integrated would lead" in shown(app.query_one("#rationale"))
