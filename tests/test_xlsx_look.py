"""How the xlsx export reads and prints: totals, shares and margins with number formats; the tornado's
lead in the Scores sheet's units; the smallest change as a table; rationale rows tall enough to print;
excluded options and switched-off criteria greyed; criterion names not cut by the id column."""

from __future__ import annotations

from openpyxl import load_workbook

from appraisal.io import load_appraisal
from appraisal.model.overrides import apply_overrides
from appraisal.reports.export import export
from appraisal.reports.xlsx_book import LINE_PT, text_lines

from .conftest import REPO

BHAM = REPO / "scenarios" / "birmingham-2013.toml"


def _book(tmp_path, **overrides):
    a = apply_overrides(load_appraisal(BHAM), **{"weights": [], "scores": [], "exclude": [], "disable": [], **overrides})
    export(a, tmp_path / "a.xlsx", samples=200, source=str(BHAM))
    return a, load_workbook(tmp_path / "a.xlsx"), load_workbook(tmp_path / "a.xlsx", data_only=True)


def _row(ws, label):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def test_totals_have_number_formats_and_the_tornado_is_in_points_of_weighted_percent(tmp_path):
    a, wb, values = _book(tmp_path, weights=["outcomes=2.7"])
    ws, vs = wb["Scores"], values["Scores"]
    w, pct = _row(ws, "Weighted total"), _row(ws, "Weighted %")
    cols = [6 + 2 * i for i in range(len(a.options))]
    assert {ws.cell(w, c).number_format for c in cols} == {"#,##0.0#"}
    assert any(abs(vs.cell(w, c).value - round(vs.cell(w, c).value)) > 0.01 for c in cols)  # 2.7 x a score: a fraction to format
    percents = sorted(vs.cell(pct, c).value for c in cols)
    sens = values["Sensitivity"]
    rows = [[c.value for c in row] for row in sens.iter_rows()]
    now = next(r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("Lead over the best other option, in points of Weighted %"))
    assert now.endswith(f"{percents[-1] - percents[-2]:.1f} now")  # the leader's Weighted % less the runner-up's
    head = next(k for k, r in enumerate(rows) if r[:4] == ["Criterion", "Lead at low", "Lead at high", "Leader changes"])
    bars = [r for r in rows[head + 1:] if r[0]]
    assert len(bars) == len(a.criteria)
    assert {sens.cell(head + 2, 2).number_format, sens.cell(head + 2, 3).number_format} == {"0.0"}
    assert all(0 < r[1] < 100 and 0 < r[2] < 100 for r in bars)  # points of a percentage, not 0.4 on the 1-5 scale


def test_smallest_change_is_a_table_of_whole_names(tmp_path):
    a, wb, _ = _book(tmp_path)
    rows = [[c.value for c in row][:4] for row in wb["Sensitivity"].iter_rows()]
    title = next(k for k, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith("Smallest change of scores that changes the leader: "))
    assert rows[title][0].endswith("one-point edits; then Trust Model - accountable to BCC leads")
    assert rows[title + 1] == ["Option", "Criterion", "Score now", "Changed to"]
    edits = []
    for r in rows[title + 2:]:
        if not r[0]:
            break
        edits.append(r)
    names, criteria = {o.name for o in a.options}, {c.name for c in a.criteria}
    assert edits and all(e[0] in names and e[1] in criteria and e[2] > e[3] for e in edits)
    points = int(rows[title][0].split(": ")[1].split(" ")[0])
    assert points == sum(e[2] - e[3] for e in edits)


def test_rationale_rows_are_tall_enough_to_print_and_names_fit(tmp_path):
    a, wb, _ = _book(tmp_path)
    ws = wb["Rationale"]
    width = ws.column_dimensions["F"].width
    tall = 0
    for r in range(2, ws.max_row + 1):
        lines = text_lines(ws.cell(r, 6).value or "", width)
        height = ws.row_dimensions[r].height or LINE_PT
        assert height >= LINE_PT * min(lines, 27), (r, lines, height)
        tall += lines > 1
    assert tall > 20
    longest = max(len(c.name) for c in a.criteria)
    assert wb["Scores"].column_dimensions["A"].width >= longest
    assert ws.column_dimensions["B"].width >= min(longest, 60)


def test_excluded_options_and_criteria_switched_off_are_greyed_live(tmp_path):
    a, wb, _ = _book(tmp_path, exclude=["break-up"], disable=["vision"])
    ws = wb["Scores"]
    grey = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "expression" and rule.stopIfTrue:
                grey[str(cf.sqref)] = (rule.formula[0], rule.dxf.font.color.rgb, rule.priority)
    assert len(grey) == len(a.options)
    assert grey["F4:G22"][0] == 'OR($C4="no",$F$3="no")' and grey["F4:G22"][1].endswith("A6A6A6")
    fills = [r.priority for cf in ws.conditional_formatting for r in cf.rules if r.type == "cellIs" and str(cf.sqref) == "F4:F22"]
    assert len(fills) == 5 and grey["F4:G22"][2] < min(fills)  # greying first, and it stops the level colours



def test_a_cell_without_a_rationale_or_note_is_blank_not_empty_text(tmp_path):
    """Blank, so a filter's "(Blanks)" finds it and a 100x200 export writes a third fewer cells."""
    import re
    import zipfile

    from bench.scaling import write_synthetic  # one cell in ten has a rationale

    a = load_appraisal(write_synthetic(tmp_path, 6, 10))
    with_text = sum(1 for k in range(60) if (note := a.cells.notes.get(k)) is not None and note.rationale)
    assert 0 < with_text < 60
    export(a, tmp_path / "s.xlsx", samples=50)
    ws = load_workbook(tmp_path / "s.xlsx")["Rationale"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == [a.cells.notes[k].rationale if k in a.cells.notes and a.cells.notes[k].rationale else None
                                    for k in range(60)]
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:  # no cell at all in F (rationale) and G (note) where there is none
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet2"))
        xml = z.read(sheet).decode()
    assert len(re.findall(r'<c r="F\d+"', xml)) == 1 + with_text and len(re.findall(r'<c r="G\d+"', xml)) == 1


def test_provenance_rows_are_tall_enough_for_the_notes_and_the_findings(tmp_path):
    """Review: the Notes and the wrapped findings printed over the rows below them (LibreOffice PDF)."""
    a, wb, _ = _book(tmp_path)
    ws = wb["Provenance"]
    width = ws.column_dimensions["B"].width
    checked = 0
    for r in range(1, ws.max_row + 1):
        lines = text_lines(str(ws.cell(r, 2).value or ""), width)
        if lines > 1:
            assert (ws.row_dimensions[r].height or LINE_PT) >= LINE_PT * min(lines, 27), (r, ws.cell(r, 1).value, lines)
            checked += 1
    assert checked >= 3  # the Notes and at least two long findings


def test_one_participant_left_out_leaves_nobody_else_in_the_xlsx_as_in_the_other_exports(tmp_path):
    from appraisal.model.appraisal import Participant

    a = load_appraisal(BHAM)
    a = a.model_copy(update={"participants": (Participant(name="Ann", weights={"speed": 5}),)})
    export(a, tmp_path / "one.xlsx", samples=50)
    ws = load_workbook(tmp_path / "one.xlsx")["Participants"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Group leader without them")
    assert row[1] == "nobody else"
