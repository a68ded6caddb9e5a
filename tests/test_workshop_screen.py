"""The projector-first main screen and working the room, driven with Pilot: what is in view at each
size, the banner and the status line, nudging, comparing options, snapshots, the path picker, the
export dialog, and dialogs whose words are never cut."""

from __future__ import annotations

import json

import pytest
import tomli_w
from textual.widgets import Input, Label, OptionList

from appraisal.io.journal import journal_path
from appraisal.io.load import load
from appraisal.model.scenario import ScoreStep, WeightStep
from appraisal.session import Session
from appraisal.tui.app import make_app
from appraisal.tui.matrix import ScoreMatrix
from appraisal.tui.modals import ConfirmScreen, PromptScreen, WeightsScreen
from appraisal.tui.paths import PathScreen

from .test_tui import COL, FOOTER, ROW, cell_text, goto, shown


@pytest.fixture(autouse=True)
def _every_notification_kept(monkeypatch):
    """Notifications expire after a few seconds, which a loaded CI machine can take between a key and the
    check: keep every message an app posts, in order, as `app.notified`."""
    from textual.app import App

    post = App.notify

    def notify(self, message, *args, **kw):
        self.__dict__.setdefault("notified", []).append(str(message))
        return post(self, message, *args, **kw)

    monkeypatch.setattr(App, "notify", notify)


def app_(path=None, **kw):
    return make_app(path, journal=kw.pop("journal", False), ask_reasons=kw.pop("ask_reasons", False), **kw)


def in_view(app, widget) -> bool:
    """The widget is on the screen, whole (not scrolled or pushed off)."""
    region = widget.region
    return widget.display and region.height > 0 and region.bottom <= app.size.height and region.right <= app.size.width


# --- the main screen at each size ------------------------------------------------------------------
async def test_at_120x40_the_whole_decision_is_in_view():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        matrix = app.query_one(ScoreMatrix)
        assert matrix._layout() == list(range(9)), "every option, the weight and the share columns"
        assert matrix._hidden_right == 0
        assert matrix.visible_rows() == list(range(24)), "every criterion and every total"
        assert [h[0] for h in matrix.headers[4:]] == ["Break up", "Outsource", "Trust (DfE)", "Trust (BCC)", "Integrated"]
        assert matrix.columns[8].tooltip == "Integrated transformation", "the full name behind the short heading"
        banner = app.query_one("#banner")
        assert in_view(app, banner) and shown(banner).strip() == (
            "Leader: Integrated transformation, 24 ahead of Trust (BCC); holds unless 'Break from the past' rises above 21.7%")
        rankings = app.query_one("#rankings")
        assert in_view(app, rankings) and all(label in shown(rankings) for label in ("Integrated", "Break up", "Unweighted"))
        assert in_view(app, app.query_one("#rationale")) and in_view(app, app.query_one("#status"))


async def test_at_80x24_the_banner_the_weighted_ranking_and_the_cursor_row_stay_in_view():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, "speed", "integrated")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        matrix = app.query_one(ScoreMatrix)
        assert ROW["speed"] in matrix.visible_rows(), "after a resize the cursor row is still in view"
        assert matrix.cursor_column in matrix._layout(), "and so is its column"
        assert in_view(app, app.query_one("#banner"))
        rankings = app.query_one("#rankings")
        assert in_view(app, rankings)
        text = shown(rankings)
        for k, label in enumerate(["Integrated", "Trust (BCC)", "Trust (DfE)", "Outsource", "Break up"], start=1):
            assert f"{k} {label}" in text, "the whole weighted ranking"
        assert in_view(app, app.query_one("#status"))


async def test_columns_are_never_half_cut_and_the_frozen_ones_stay_when_options_scroll():
    app = app_()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        matrix = app.query_one(ScoreMatrix)
        for _ in range(4):
            await pilot.press("right")
        await pilot.pause()
        shown_columns = matrix._layout()
        assert shown_columns[:4] == [0, 1, 2, 3], "#, criterion, weight and share are frozen"
        assert 8 in shown_columns and 4 not in shown_columns
        width = matrix.scrollable_content_region.width
        assert sum(matrix.columns[k].width + 2 for k in shown_columns) <= width, "whole columns only"
        header = "".join(seg.text for seg in matrix.render_line(0))
        assert header.lstrip().startswith("#") and "Weight" in header and "◂" in header, "a sign that columns are hidden to the left"
        await pilot.press("home")
        await pilot.pause()
        assert 4 in matrix._layout() and matrix.cursor_column == 4, "Home brings the first option back"


async def test_a_cjk_or_emoji_option_name_keeps_the_grid_aligned(tmp_path):
    (tmp_path / "criteria.toml").write_text(tomli_w.dumps({
        "scale": {"min": 1, "max": 5, "step": 1, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]},
        "criteria": [{"id": "cost", "name": "費用対効果"}, {"id": "speed", "name": "Speed 🚀"}]}))
    path = tmp_path / "wide.toml"
    path.write_text(tomli_w.dumps({
        "appraisal": {"title": "Wide names", "criteria": "criteria.toml"}, "weights": {"cost": 2, "speed": 1},
        "options": [{"id": "a", "name": "統合変革プログラム"}, {"id": "b", "name": "Option 🎉 party"}, {"id": "c", "name": "Plain"}],
        "scores": [{"option": o, "criterion": c, "score": s} for o, s in (("a", 3), ("b", 4), ("c", 5)) for c in ("cost", "speed")]}))
    app = app_(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        await pilot.press("3")  # a changed cell, marked with its old score
        await pilot.pause()
        matrix = app.query_one(ScoreMatrix)
        width = matrix.scrollable_content_region.width

        def edges(y: int) -> list[int]:
            x, out = 0, []
            for seg in matrix.render_line(y):
                x += seg.cell_length
                out.append(x)
            return out

        rows = [matrix.render_line(y) for y in range(1, 3 + 5)]
        assert all(strip.cell_length == width for strip in rows), "every row exactly as wide as the grid"
        body = [edges(y) for y in range(1, 3)]  # the two criteria: one segment a cell
        assert body[0] == body[1], "cells start at the same column on every row, whatever the names' widths"
        header = "".join(seg.text for seg in matrix.render_line(0))
        assert "統合変革" in header and "🎉" in header


# --- the banner, the status line, words ------------------------------------------------------------
async def test_the_status_line_names_the_view_the_speaker_the_reasons_and_unsaved_edits():
    from .test_tui import GROUP_FILE, choose_view

    app = app_(GROUP_FILE, ask_reasons=True)
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.query_one("#status")
        assert "VIEW: APPRAISAL" in shown(status) and "reasons asked" in shown(status) and "saved" in shown(status)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Chair"
        await pilot.press("enter", "m")
        await pilot.pause()
        assert "speaker: Chair" in shown(status) and "reasons not asked" in shown(status)
        await choose_view(pilot, "Cabinet member")
        assert "VIEW: Cabinet member" in shown(status) and status.has_class("-participant"), "a participant's view is coloured and named"
        await goto(pilot, "vision", "integrated")
        await pilot.press("3", "down", "2", "down", "1")
        await pilot.pause()
        assert "3 unsaved" in shown(status)
        await pilot.press("z")
        await pilot.pause()
        # What undo did, in its direction; the names shortened in the middle where the line is full, never the change.
        assert "2 unsaved" in shown(status) and "Undid: Integrated / Delivers cultural" in shown(status)
        assert shown(status).rstrip().endswith(": 1 → 4")
        assert "Undid: Cabinet member: Integrated / Delivers cultural change: 1 → 4" in app.notified
        await choose_view(pilot, "The group")
        assert "THE GROUP (read only)" in shown(status) and status.has_class("-group")


async def test_excluded_and_switched_off_are_said_in_words():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, "speed", "outsource")
        await pilot.press("x", "c")
        await pilot.pause()
        assert cell_text(app, FOOTER["rank_w"], COL["outsource"]) == "excluded"
        assert cell_text(app, ROW["speed"], 3) == "off"
        rationale = shown(app.query_one("#rationale"))
        assert "Excluded: this option is out of the ranking" in rationale
        assert "Switched off: this criterion counts in no total" in rationale
        assert "Outsource to the private sector" in rationale, "the option's full name"


async def test_totals_after_a_normalised_preset_print_apart():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # rank-order centroid, in the order proposed
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        totals = [cell_text(app, FOOTER["weighted"], COL[o]) for o in COL]
        values = [float(t) for t in totals]
        assert len(set(totals)) == len(set(values)) == 5, totals
        weights = [cell_text(app, r, 2).rstrip("*") for r in range(19)]
        assert all(w not in ("0", "0.0") for w in weights), "no weight that is not 0 prints as 0"


# --- nudging ---------------------------------------------------------------------------------------
async def test_nudging_a_weight_is_an_undoable_journaled_edit_with_a_strip(workdir):
    app = app_(workdir, journal=True, ask_reasons=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, "break-from-past", "integrated")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen), "a nudge asks for no reason"
        assert app.session.current.weights["break-from-past"] == 4
        strip = app.query_one("#strip")
        assert strip.display and "Break from the past" in shown(strip) and "at 21.7% Trust (BCC) leads" in shown(strip)
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.session.current.weights["break-from-past"] == 5
        assert "Break from the past 8.5%" in shown(strip), "5 of 59"
        await pilot.press("z")
        await pilot.pause()
        assert app.session.current.weights["break-from-past"] == 6
        entries = [json.loads(line) for line in journal_path(workdir).read_text().splitlines()]
        assert [e["step"]["weight"] for e in entries if e["kind"] == "edit"] == [4, 5, 6, 5]
        await pilot.press("up")
        await pilot.pause()
        assert not strip.display, "the strip goes when the cursor leaves the row"


async def test_a_nudge_on_normalised_weights_moves_a_tenth_of_the_mean_weight():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.apply(*[WeightStep(action="set-weight", criterion=c.id, weight=1 / 19) for c in app.session.current.criteria])
        await goto(pilot, "speed", "integrated")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.session.current.weights["speed"] == pytest.approx(1 / 19 + float(f"{1 / 19 / 10:.2g}"))


async def test_the_rationale_panel_hides_and_moves_beside_the_matrix_on_wide_windows():
    app = app_()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#rationale").parent.parent.id == "side", "beside the matrix when there is room"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#rationale").parent.parent.id == "below"
        await pilot.press("i")
        await pilot.pause()
        assert not app.query("#rationale"), "hidden"
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one("#rationale").parent.parent.id == "below"


# --- comparing options -----------------------------------------------------------------------------
async def test_compare_options_shows_why_the_leader_beats_the_runner_up_and_follows_edits():
    from appraisal.tui.comparisons import CompareScreen

    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        c = app.screen.comparison
        assert (c.a, c.b, c.difference) == ("integrated", "trust-bcc", 24)
        text = shown(app.screen.query_one("#compare-table"))
        assert "Weighted total" in text and "+24" in text and "-6" in text
        assert "Integrated is ahead of Trust (BCC) by 24" in shown(app.screen.query_one("#compare-summary"))
        app.session.apply(WeightStep(action="set-weight", criterion="break-from-past", weight=9))  # an edit made elsewhere
        await pilot.pause()
        assert app.screen.comparison.difference == 12
        await pilot.press("z")  # undo works here too
        await pilot.pause()
        assert app.screen.comparison.difference == 24
        await pilot.press("s")
        await pilot.pause()
        assert (app.screen.comparison.a, app.screen.comparison.difference) == ("trust-bcc", -24)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen.query_one(ScoreMatrix), ScoreMatrix)


async def palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def test_the_palette_runs_compare_options_and_shows_keys_as_typed():
    from appraisal.tui.comparisons import CompareScreen

    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Help"].endswith("(key: ?)") and commands["Score up ½"].endswith("(key: +)")
        assert commands["Nudge up"].endswith("(key: ])") and commands["Compare options"].endswith("(key: C)")
        await palette(pilot, "compare options")
        assert isinstance(app.screen, CompareScreen)


# --- snapshots -------------------------------------------------------------------------------------
async def test_take_and_compare_snapshots_from_the_keys_and_the_palette(workdir):
    from appraisal.tui.comparisons import SnapshotScreen

    app = app_(workdir, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("B")
        await pilot.pause()
        assert "No snapshots yet" in app.notified[-1]
        await pilot.press("b")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "before lunch"
        await pilot.press("enter")
        await pilot.pause()
        assert [s.name for s in app.session.snapshots] == ["before lunch"]
        await goto(pilot, "vision", "integrated")
        await pilot.press("1")
        await pilot.pause()
        await palette(pilot, "take snapshot")
        app.screen.query_one(Input).value = "after the vote"
        await pilot.press("enter")
        await pilot.pause()
        await palette(pilot, "compare snapshots")
        assert isinstance(app.screen, SnapshotScreen)
        found = app.screen.comparison
        assert found.names == ("after the vote", "now") and not found.scores, "the last snapshot against now"
        app.session.apply(ScoreStep(action="set-score", option="integrated", criterion="speed", score=1))
        await pilot.pause()
        assert [(s.criterion, s.score) for s in app.screen.comparison.scores] == [("Speed of implementation", (5.0, 1.0))]
        await pilot.press("escape")
        await pilot.pause()
    # A journal holding snapshots only (after a save) gives them back at the next start, without asking.
    Session(load(workdir).appraisal, workdir, journal=False)
    assert journal_path(workdir).exists()


async def test_snapshots_from_an_earlier_session_come_back_without_asking(workdir):
    first = Session(load(workdir).appraisal, workdir)
    first.apply(ScoreStep(action="set-score", option="integrated", criterion="vision", score=1))
    first.take_snapshot("before lunch")
    first.save()
    first.close(keep_journal=False)
    app = app_(workdir, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "nothing to restore: no question"
        assert [s.name for s in app.session.snapshots] == ["before lunch"]
        assert "1 snapshot from earlier sessions" in app.notified[-1]


# --- files and dialogs -----------------------------------------------------------------------------
async def test_save_as_completes_the_path_with_tab(workdir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workshops").mkdir()
    app = app_(workdir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "wor")
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == str(tmp_path / "workshops") + "/", "Tab completes the folder"
        assert app.focused is field, "and keeps the focus"
        await pilot.press(*"today.toml", "enter")
        await pilot.pause()
    assert load(tmp_path / "workshops" / "today.toml").appraisal.title.startswith("Transforming")


async def test_open_picks_a_file_from_the_list(workdir, tmp_path):
    app = app_(workdir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        listing = app.screen.query_one("#path-list", OptionList)
        names = [str(listing.get_option_at_index(k).prompt) for k in range(listing.option_count)]
        assert "birmingham-2013.toml" in names
        await pilot.press("down")  # into the list
        listing.highlighted = names.index("birmingham-2013.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathScreen) and app.session.path == workdir


async def test_export_enter_writes_the_format_named_and_an_existing_file_asks_replace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert "Format: xlsx" in shown(app.screen.query_one("#export-chosen"))
        await pilot.press("up", "up")  # from xlsx to csv
        await pilot.pause()
        assert "Format: csv (CSV: the score matrix)" in shown(app.screen.query_one("#export-chosen"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = tmp_path / "birmingham-2013-export.csv"
        assert written.exists() and "Integrated" in written.read_text()
        written.write_text("old")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Replace it?" in str(app.screen.query_one(Label).render())
        await pilot.click("#yes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert written.read_text() != "old"


async def test_the_swing_dialog_lists_the_criteria_in_order_one_line_each_and_all_fit_at_40_rows():
    app = app_()
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.apply(WeightStep(action="set-weight", criterion="speed", weight=6), WeightStep(action="set-weight", criterion="vision", weight=4.5))
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WeightsScreen)
        inputs = list(app.screen.query(Input))
        assert [i.id for i in inputs[:3]] == ["swing-speed", "swing-vision", "swing-outcomes"], "the order agreed: the weights as they stand"
        assert inputs[0].value == "100" and inputs[1].value == "75"
        assert all(i.region.height == 1 and 0 < i.region.bottom <= 40 for i in inputs), "19 lines, all in view"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_no_dialog_text_is_cut(size):
    app = app_()
    async with app.run_test(size=size) as pilot:
        question = ("Reset everything to the loaded appraisal? This is a long question, so long that at 80 columns "
                    "it must wrap over several lines rather than be cut off at the edge of the dialog box.")
        app.push_screen(ConfirmScreen(question, [("Yes", "yes", "primary")]))
        await pilot.pause()
        label = app.screen.query_one(Label)
        assert label.region.height >= 2 and label.region.right <= app.size.width
        assert "".join(str(label.render()).split()) == "".join(question.split())
        await pilot.press("escape")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # the rank-order dialog: its instructions wrap
        await pilot.pause()
        hint = app.screen.query(Label).last()
        assert hint.region.right <= app.size.width and hint.region.height >= (2 if size[0] == 80 else 1)


async def test_plurals_agree(workdir):
    from .test_tui import GROUP_FILE

    app = app_(workdir, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, "speed", "trust-bcc")
        await pilot.press("4", "q")
        await pilot.pause()
        assert str(app.screen.query_one(Label).render()) == "1 unsaved change. Save it first?"
        await pilot.press("escape")
    group = app_(GROUP_FILE)
    async with group.run_test(size=(120, 40)) as pilot:
        group.session.apply(ScoreStep(action="set-score", option="speed" and "trust-bcc", criterion="speed", score=2, participant="Cabinet member"))
        await pilot.press("g")
        await pilot.pause()
        prompts = [str(o.prompt) for o in group.screen.query_one(OptionList)._options]
        assert any("Cabinet member:" in p and "1 score of their own" in p for p in prompts), prompts


async def test_the_grid_shows_section_rows_across_its_columns():
    """For a value tree's group headings and subtotal labels: a row that is one line of text."""
    from textual.app import App
    from rich.style import Style

    from appraisal.tui.grid import Column, Grid, Section

    class One(App):
        def compose(self):
            yield Grid(fixed_columns=1, first_cursor_column=1)

    app = One()
    async with app.run_test(size=(60, 10)) as pilot:
        grid = app.query_one(Grid)
        grid.set_columns([Column("Criterion", 12), Column("A", 6), Column("B", 6)])
        grid.set_header([("Criterion", Style()), ("A", Style()), ("B", Style())])
        grid.set_rows([[("Speed", Style()), ("3", Style()), ("4", Style())], Section("Benefits (group)"), [("Cost", Style()), ("1", Style()), ("2", Style())]])
        await pilot.pause()
        lines = ["".join(seg.text for seg in grid.render_line(y)) for y in range(4)]
        assert lines[2].strip() == "Benefits (group)" and lines[3].split()[:3] == ["Cost", "1", "2"]
        assert grid.cell(1, 0) == "Benefits (group)"


async def test_every_new_palette_command_does_what_its_key_does(workdir):
    from appraisal.tui.comparisons import SnapshotScreen

    app = app_(workdir, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, "speed", "integrated")
        await palette(pilot, "nudge up")
        assert app.session.current.weights["speed"] == 4
        await palette(pilot, "nudge down")
        assert app.session.current.weights["speed"] == 3 and len(app.session.steps) == 2
        await palette(pilot, "rationale")
        assert not app.query("#rationale"), "hidden from the palette too"
        await palette(pilot, "rationale")
        await pilot.pause()
        assert app.query("#rationale")
        await palette(pilot, "take snapshot")
        await pilot.press("enter")  # the name proposed: "Snapshot 1"
        await pilot.pause()
        await palette(pilot, "take snapshot")
        app.screen.query_one(Input).value = "later"
        await pilot.press("enter")
        await pilot.pause()
        assert [s.name for s in app.session.snapshots] == ["Snapshot 1", "later"]
        await palette(pilot, "compare snapshots")
        assert isinstance(app.screen, SnapshotScreen) and app.screen.comparison.names == ("later", "now")
        await pilot.press("s")  # swap the two sides
        await pilot.pause()
        assert app.screen.comparison.names == ("now", "later")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_status_line_is_never_drawn_in_its_background_colour(size):
    """Found in a 200x60 snapshot: a Static taking its text colour from its ancestors kept the colour it
    had before the theme applied, the background's."""
    app = app_()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for selector in ("#status", "#banner"):
            for seg in app.query_one(selector).render_line(0):
                if seg.text.strip() and seg.style is not None and seg.style.color is not None and seg.style.bgcolor is not None:
                    assert seg.style.color != seg.style.bgcolor, (selector, seg)


async def test_names_with_markup_in_the_snapshot_and_compare_pickers_show_literally_and_never_crash(workdir):
    """A snapshot called '[/]' crashed the app (MarkupError from the picker) and 'before [b]lunch' showed as
    'before lunch'; an option's short name from a file likewise."""
    from textual.widgets import Select
    from textual.widgets._select import SelectCurrent

    from appraisal.tui.comparisons import CompareScreen, SnapshotScreen

    text = workdir.read_text(encoding="utf-8")
    workdir.write_text(text.replace('short = "Integrated"', 'short = "[/]Int[b]"', 1), encoding="utf-8")
    assert '"[/]Int[b]"' in workdir.read_text(encoding="utf-8")
    app = app_(workdir, journal=True)
    async with app.run_test(size=(120, 40)) as pilot:
        for name in ("[/]", "before [b]lunch"):
            app.session.take_snapshot(name)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, SnapshotScreen)
        left = app.screen.query_one("#snap-left", Select)
        left.value = "[/]"
        await pilot.pause()
        assert "[/]" in shown(left.query_one(SelectCurrent).query_one("#label"))
        left.value = "before [b]lunch"
        await pilot.pause()
        assert "before [b]lunch" in shown(left.query_one(SelectCurrent).query_one("#label"))
        left.focus()
        await pilot.press("enter")  # the list of names, opened
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        picker = app.screen.query_one("#compare-a", Select)
        picker.value = "integrated"
        await pilot.pause()
        assert "[/]Int[b]" in shown(picker.query_one(SelectCurrent).query_one("#label"))
        picker.focus()
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code in (None, 0) and not getattr(app, "_exception", None)


def test_the_compare_table_prints_each_column_with_one_number_of_decimals():
    """Review: the compare screen mixed 12, 12.5 and 1.25 in one column."""
    from rich.console import Console

    from appraisal.engine import evaluate, problem_from
    from appraisal.model import edits
    from appraisal.paths import bundled_appraisal
    from appraisal.reports.compare import compare
    from appraisal.tui.comparisons import comparison_table

    a = edits.set_weight(edits.set_weight(load(bundled_appraisal()).appraisal, "speed", 2.5), "vision", 0.25)
    console = Console(width=120, record=True, file=open("/dev/null", "w"))
    console.print(comparison_table(compare(a, evaluate(problem_from(a)), "integrated", "trust-bcc"), 120))
    rows = [line for line in console.export_text().splitlines()[1:] if "(" in line]
    import re

    for line in rows:
        weight, first, second, diff = re.search(r"\s(\d+\.\d+|\d+)\s+(\S+) \(\d\)\s+(\S+) \(\d\)\s+(\S+)", line).groups()
        assert len(weight.partition(".")[2]) == 2, line
        assert all(len(x.partition(".")[2]) == 1 for x in (first, second, diff)), line


async def test_the_disagreement_view_shows_every_option_at_120x40_and_takes_arrows_at_once():
    """Review: three of the five options showed at 120x40, and the arrows did nothing until Tab."""
    from appraisal.tui.grid import Grid

    from .test_tui import GROUP_FILE

    app = app_(GROUP_FILE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "DisagreementScreen"
        grid = app.screen.query_one(Grid)
        assert app.focused is grid
        header = grid.render_line(0).text
        for name in ("Break up", "Outsource", "Trust (DfE)", "Trust (BCC)", "Integrated"):
            assert name in header, header
        before = grid.cursor_column
        await pilot.press("right")
        await pilot.pause()
        assert grid.cursor_column == before + 1


async def test_at_80x24_the_sensitivity_table_shows_its_numbers_and_shortens_the_names():
    """Review: a 66-cell criterion name pushed "Leader changes at" and "Distance" off an 80-column screen."""
    from textual.widgets import DataTable

    app = app_()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one("#criteria-by-margin", DataTable)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert sum(widths) <= 80, widths
        assert [str(c.label) for c in table.ordered_columns] == ["Criterion", "Share now", "Leader changes at", "Distance"]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_title_bar_shortens_the_title_not_the_file_and_its_state(workdir, size):
    """Review: with unsaved edits the bar read "— birmingham-2013.tom…" at 120 columns."""
    from textual.widgets._header import HeaderTitle

    app = app_(workdir)
    async with app.run_test(size=size) as pilot:
        await pilot.press("down", "right", "4")
        await pilot.pause()
        bar = str(app.screen.query_one(HeaderTitle).render())
        assert bar.endswith("— birmingham-2013.toml  ●  unsaved") and "…" in bar, bar
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert str(app.screen.query_one(HeaderTitle).render()).startswith(app.view.appraisal.title), "room again: the whole title"


async def test_both_rankings_keep_their_gap_column_with_sixteen_character_short_names(workdir):
    """Review: with 16-character short names the unweighted ranking's gap column was cut off at 120 columns."""
    from appraisal.tui.panels import RankingsPanel

    text = workdir.read_text(encoding="utf-8")
    text = text.replace('short = "Trust (BCC)"', 'short = "Trust model, BCC"', 1).replace('short = "Integrated"', 'short = "Integrated trans"', 1)
    workdir.write_text(text, encoding="utf-8")
    app = app_(workdir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.query_one(RankingsPanel)
        lines = [strip.text for strip in panel._strips]
        assert lines[0].count("gap") == 2, lines[0]
        assert lines[-1].rstrip().endswith("-36") or any(line.rstrip().endswith("-36") for line in lines), lines
        assert all(len(line.rstrip()) <= panel.scrollable_content_region.width for line in lines)
