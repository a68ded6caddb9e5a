"""`appraisal import` on an officer's own spreadsheet: criteria made from the sheet (ids, names, a scale
from the scores) and written beside the output; weights as officers type them; title rows, footers,
missing scores and the other things a real sheet holds."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from appraisal.io import load_appraisal
from appraisal.io.importer import ImportErrors, import_file, import_to
from appraisal.reports.export import export

from .conftest import REPO, run_cli

BUNDLED = REPO / "criteria" / "birmingham-2013.toml"
OFFICER = [
    ["Criterion", "Weight", "Do nothing", "Shared service", "New build"],
    ["Quality of service", "40%", 2, 4, 5],
    ["Cost", "30%", 5, 3, 1],
    ["Speed", "30%", 5, 3, 2],
]


def write_sheet(folder: Path, rows: list[list], kind: str = "csv", name: str = "officer", sheets: dict[str, list[list]] | None = None) -> Path:
    """A csv as Excel saves one, or an xlsx made with openpyxl (`sheets`: further worksheets, by name, after the first)."""
    path = folder / f"{name}.{kind}"
    if kind == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        return path
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    for title, more in (sheets or {}).items():
        ws = wb.create_sheet(title)
        for r in more:
            ws.append(r)
    wb.save(path)
    return path


def xlsx_percent_rows() -> list[list]:
    """The officer's sheet as Excel holds it when 40% is typed: the number 0.4, formatted as a percentage."""
    return [r[:1] + [float(r[1][:-1]) / 100 if isinstance(r[1], str) and r[1].endswith("%") else r[1]] + r[2:] for r in OFFICER]


def problems_of(excinfo) -> dict[str, str]:
    return dict(excinfo.value.problems)


# --- 1. the criteria made from the sheet ------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_officers_sheet_imports_and_ranks_with_hand_checked_totals(tmp_path, kind):
    if kind == "xlsx":  # typed as 40% in Excel: 0.4 with a percentage format
        path = tmp_path / "officer.xlsx"
        wb = Workbook()
        for r in xlsx_percent_rows():
            wb.active.append(r)
        for row in wb.active.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].number_format = "0%"
        wb.save(path)
    else:
        path = write_sheet(tmp_path, OFFICER)
    out = tmp_path / "out" / "officer.toml"
    out.parent.mkdir()
    r = run_cli("import", str(path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    made = out.parent / "officer.criteria.toml"
    first = r.stdout.splitlines()[0]
    assert first == f"wrote {out}: 3 options x 3 criteria; criteria made from the sheet in {made} (scale 1-5, step 1: the scores fit it)"
    criteria = tomllib.loads(made.read_text())
    assert [(c["id"], c["name"]) for c in criteria["criteria"]] == [("quality-of-service", "Quality of service"), ("cost", "Cost"), ("speed", "Speed")]
    assert (criteria["scale"]["min"], criteria["scale"]["max"], criteria["scale"]["step"]) == (1, 5, 1)
    assert tomllib.loads(out.read_text())["appraisal"]["criteria"] == "officer.criteria.toml", "relative, within the output's folder"
    ranked = json.loads(run_cli("rank", str(out), "--format", "json").stdout)
    totals = {o["name"]: (o["unweighted_total"], round(o["weighted_total"], 9), o["rank_weighted"]) for o in ranked["options"]}
    # By hand: weights 0.4/0.3/0.3. Do nothing 0.4x2 + 0.3x5 + 0.3x5 = 3.8; Shared 1.6 + 0.9 + 0.9 = 3.4; New build 2.0 + 0.3 + 0.6 = 2.9.
    assert totals == {"Do nothing": (12, 3.8, 1), "Shared service": (10, 3.4, 2), "New build": (8, 2.9, 3)}
    assert [c["share"] for c in ranked["criteria"]] == pytest.approx([0.4, 0.3, 0.3])
    assert ranked["title"] == "officer"


def test_the_criteria_file_is_refused_like_any_output(tmp_path):
    path = write_sheet(tmp_path, OFFICER)
    made = tmp_path / "officer.criteria.toml"
    made.write_text("# mine\n")
    out = tmp_path / "officer.toml"
    r = run_cli("import", str(path), "-o", str(out))
    assert r.returncode == 2 and r.stderr.startswith(f"error: {made}: already exists (use --force")
    assert not out.exists() and made.read_text() == "# mine\n", "nothing written"
    assert run_cli("import", str(path), "-o", str(out), "--force").returncode == 0
    assert "quality-of-service" in made.read_text()


def test_an_output_named_like_the_sheet_never_overwrites_it(tmp_path):
    """-o beside a sheet whose name the criteria file would take: refused as any input is."""
    path = write_sheet(tmp_path, OFFICER, name="x.criteria")  # x.criteria.csv: not the criteria file's name
    assert run_cli("import", str(path), "-o", str(tmp_path / "x.toml")).returncode == 0
    assert path.read_text().startswith("Criterion,Weight"), "the input is untouched"


def test_our_own_round_trips_and_criteria_given_keep_the_bundled_criteria(tmp_path, bham):
    rows = [["Criterion", "Weight"] + [o.name for o in bham.options]]
    rows += [[c.name, 3] + [bham.cell(o.id, c.id).score for o in bham.options] for c in bham.criteria]
    out = tmp_path / "b.toml"
    r = run_cli("import", str(write_sheet(tmp_path, rows)), "-o", str(out))
    assert r.returncode == 0 and r.stdout.splitlines()[0] == f"wrote {out}: 5 options x 19 criteria"
    assert not (tmp_path / "b.criteria.toml").exists()
    assert load_appraisal(out).criteria == bham.criteria
    rows[3][0] = "Brake from the past"  # one typo among the 2013 criteria is still a problem, not a new criterion
    r = run_cli("import", str(write_sheet(tmp_path, rows, name="typo")), "-o", str(tmp_path / "t.toml"))
    assert r.returncode == 2 and "  A4: unknown criterion 'Brake from the past'" in r.stderr
    # Given --criteria, an officer's sheet is checked against it, as before
    r = run_cli("import", str(write_sheet(tmp_path, OFFICER)), "-o", str(tmp_path / "o.toml"), "--criteria", str(BUNDLED))
    assert r.returncode == 2 and "unknown criterion 'Quality of service'" in r.stderr and not (tmp_path / "o.criteria.toml").exists()


@pytest.mark.parametrize("scores, scale", [
    ([[0, 4, 5], [5, 3, 1]], (0, 5, 1)),
    ([[7, 10, 2], [0, 3, 8]], (0, 10, 1)),
    ([[72.5, 40, 100], [0, 55, 61]], (0, 100, 0.5)),
    ([[1.5, 4, 5], [5, 3.5, 1]], (1, 5, 0.5)),
])
def test_the_scale_is_the_smallest_sensible_one_covering_the_scores(tmp_path, scores, scale):
    rows = [["Criterion", "A", "B", "C"], ["Quality", *scores[0]], ["Speed", *scores[1]]]
    got = import_file(write_sheet(tmp_path, rows), tmp_path / "s.toml")
    made = tomllib.loads((tmp_path / "s.criteria.toml").read_text())["scale"]
    assert (made["min"], made["max"], made["step"]) == scale
    assert got.scale_reason and f"scale {scale[0]:g}-{scale[1]:g}, step {scale[2]:g}" in got.summary


def test_ids_are_slugs_unique_and_stable(tmp_path):
    rows = [["Criterion", "A", "B"], ["Value for money!", 3, 4], ["Value for money?", 2, 2], ["Qualité", 1, 2], ["安全", 3, 3], ["A & B", 5, 5]]
    a = import_to(write_sheet(tmp_path, rows), tmp_path / "s.toml")
    assert [c.id for c in a.criteria] == ["value-for-money", "value-for-money-2", "qualite", "criterion-4", "a-b"]
    assert [c.name for c in a.criteria] == ["Value for money!", "Value for money?", "Qualité", "安全", "A & B"]
    again = import_to(write_sheet(tmp_path, rows, name="again"), tmp_path / "again.toml")
    assert [c.id for c in again.criteria] == [c.id for c in a.criteria]


# --- 2. weights as officers type them ---------------------------------------------------------------

@pytest.mark.parametrize("typed", [["40%", "30%", "30%"], ["40 %", "30 %", "30 %"], [0.4, 0.3, 0.3], [40, 30, 30], ["0,4", "0,3", "0,3"]])
def test_weights_as_officers_type_them(tmp_path, typed):
    rows = [r[:1] + [w] + r[2:] for r, w in zip(OFFICER, ["Weight", *typed])]
    a = import_to(write_sheet(tmp_path, rows), tmp_path / "w.toml")
    total = sum(a.weights.values())
    assert [a.weights[c] / total for c in ("quality-of-service", "cost", "speed")] == pytest.approx([0.4, 0.3, 0.3])
    if "%" in str(typed[0]):
        assert a.weights["quality-of-service"] == pytest.approx(0.4), "40% is the 0.4 Excel holds"


def test_a_weight_column_mixing_percentages_and_plain_numbers_is_a_problem(tmp_path):
    rows = [r[:1] + [w] + r[2:] for r, w in zip(OFFICER, ["Weight", "40%", "30", "30%"])]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "w.toml")
    assert problems_of(e) == {"B3": "weight '30' has no % sign, but B2 has one: give every weight as a percentage, or none"}
    assert not (tmp_path / "w.toml").exists() and not (tmp_path / "w.criteria.toml").exists()


@pytest.mark.parametrize("typed", ["1,000", "12,500.5", "1 000", "1.000,5"])
def test_thousands_separators_are_refused_clearly(tmp_path, typed):
    rows = [r[:1] + [w] + r[2:] for r, w in zip(OFFICER, ["Weight", typed, "30", "30"])]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "w.toml")
    assert problems_of(e) == {"B2": f"weight '{typed}' has a thousands separator (or a decimal comma and point): write it as digits, e.g. 1000 or 1.5"}


# --- 3. title rows, blank rows, footers ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_and_blank_rows_above_the_header_and_a_total_row_below(tmp_path, kind):
    rows = [["Options appraisal 2025"], [], [], *OFFICER, [], ["Total", "100%", 12, 10, 8], ["Weighted score", "", 3.8, 3.4, 2.9]]
    got = import_file(write_sheet(tmp_path, rows, kind), tmp_path / "t.toml")
    a = got.appraisal
    assert a.title == "Options appraisal 2025"
    assert [c.id for c in a.criteria] == ["quality-of-service", "cost", "speed"]
    assert "row 9 'Total' skipped: totals are computed, never read" in got.notes
    assert "row 10 'Weighted score' skipped: totals are computed, never read" in got.notes


def test_a_total_row_with_criteria_after_it_is_a_problem_not_a_criterion(tmp_path):
    rows = [*OFFICER[:2], ["Total", "", 2, 4, 5], *OFFICER[2:]]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "t.toml")
    assert problems_of(e) == {"A3": "'Total' looks like a totals row, but criteria follow it: move it below the criteria, or rename the criterion"}


def test_no_header_row_is_said_in_one_line(tmp_path):
    rows = [["Options appraisal 2025"], [], ["Name", "Weight", "A", "B"], ["Cost", 1, 3, 4]]
    r = run_cli("import", str(write_sheet(tmp_path, rows)), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"error: {tmp_path / 'officer.csv'}: the header row (Criterion, Weight, options...) must come first; "
                                     "found 'Options appraisal 2025' in A1"]


# --- 4. the title ------------------------------------------------------------------------------------

def test_the_title_of_our_own_xlsx_comes_from_its_provenance(tmp_path, bham):
    export(bham.model_copy(update={"title": "Children's services 2013"}), tmp_path / "ours.xlsx", samples=20)
    assert import_to(tmp_path / "ours.xlsx", tmp_path / "back.toml").title == "Children's services 2013"
    assert import_to(write_sheet(tmp_path, OFFICER, "xlsx"), tmp_path / "plain.toml").title == "officer", "else the file's name"


# --- 5. what officers' sheets hold -------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_stray_spaces_decimals_and_missing_scores(tmp_path, kind):
    rows = [OFFICER[0], ["Quality of service", "40%", " 2 ", "4.0", "n/a"], ["Cost", "30%", "5", "-", 1], ["Speed", "30%", "N/A", None, 2]]
    got = import_file(write_sheet(tmp_path, rows, kind), tmp_path / "m.toml")
    a = got.appraisal
    assert a.cell("do-nothing", "quality-of-service").score == 2 and a.cell("shared-service", "quality-of-service").score == 4
    assert [(c.option, c.criterion) for c in a.cells if c.missing] == [
        ("do-nothing", "speed"), ("shared-service", "cost"), ("shared-service", "speed"), ("new-build", "quality-of-service")]
    assert "4 scores missing (blank, n/a or -: E2, D3, C4, D4); an option missing one gets no total or rank" in got.notes
    ranked = json.loads(run_cli("rank", str(tmp_path / "m.toml"), "--format", "json").stdout)
    assert [o["rank_weighted"] for o in ranked["options"]] == [None, None, None]


def test_an_empty_option_column_and_a_duplicate_option_are_problems(tmp_path):
    rows = [["Criterion", "Weight", "Do nothing", "Shared service", "do nothing", "New build"],
            ["Quality", 1, 2, None, 3, 4], ["Cost", 1, 3, "", 3, 4]]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "e.toml")
    assert problems_of(e) == {"D1": "option 'Shared service' has no scores: score it, or delete the column",
                              "E1": "duplicate option 'do nothing' (also C1)"}


def test_a_column_of_scores_without_a_name_is_a_problem(tmp_path):
    rows = [["Criterion", "A", "", "B"], ["Quality", 1, 2, 4], ["Cost", 3, "", 4]]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "e.toml")
    assert problems_of(e) == {"C1": "scores in column C, but no option name in C1"}


def test_the_header_on_sheet_two(tmp_path):
    path = write_sheet(tmp_path, [["Read me"], ["Scores are on the next sheet"]], "xlsx", sheets={"Scores": OFFICER})
    got = import_file(path, tmp_path / "x.toml")
    assert [o.name for o in got.appraisal.options] == ["Do nothing", "Shared service", "New build"]
    assert "read sheet 'Scores' (the first with a Criterion header; --sheet chooses another)" in got.notes
    assert import_to(path, tmp_path / "y.toml", sheet="Scores").criteria == got.appraisal.criteria


def test_every_problem_at_once_and_nothing_written(tmp_path):
    rows = [["Options appraisal 2025"], OFFICER[0], ["Quality of service", "40%", 2, "high", 5], ["Cost", "30", 5, 3, 9],
            ["Speed", "1,000", 5, 3, 2]]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "p.toml")
    assert set(problems_of(e)) == {"D3", "B4", "B5"}
    assert not list(tmp_path.glob("p*.toml"))


def test_a_group_or_unit_column_needs_its_criteria_file(tmp_path):
    rows = [["Criterion", "Unit", "A", "B"], ["Time", "months", 3, 9], ["Cost", "", 2, 4]]
    with pytest.raises(ImportErrors) as e:
        import_to(write_sheet(tmp_path, rows), tmp_path / "u.toml")
    assert problems_of(e) == {"B1": "a Unit column needs the criteria file that defines the units (import with --criteria FILE)"}


# --- round trips -------------------------------------------------------------------------------------

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12).filter(
    lambda s: s.strip() and s.strip().lower() not in {"criterion", "criteria", "id", "in ranking", "cost", "weight", "missing", "n/a", "na", "-"})


@st.composite
def officer_sheets(draw):
    m, n = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    crits = draw(st.lists(NAMES, min_size=m, max_size=m, unique_by=lambda s: " ".join(s.split()).lower()))
    opts = draw(st.lists(NAMES, min_size=n, max_size=n, unique_by=lambda s: " ".join(s.split()).lower()))
    top = draw(st.sampled_from([5, 10, 100]))
    score = st.one_of(st.integers(1 if top == 5 else 0, top), st.just("n/a")) if top == 5 else st.integers(0, top)
    percent = draw(st.booleans())
    weights = draw(st.lists(st.integers(0, 100), min_size=m, max_size=m))
    weights[0] = weights[0] or 1  # all weights 0 is a problem of its own
    rows = [["Criterion", "Weight", *opts]]
    for c, w in zip(crits, weights):
        rows.append([c, f"{w}%" if percent else w, *[draw(score) for _ in opts]])
    assume_scored = all(any(isinstance(x, int) for x in row[2:]) for row in rows[1:]) and all(
        any(isinstance(rows[r][k], int) for r in range(1, len(rows))) for k in range(2, 2 + n))
    return rows, assume_scored


@pytest.mark.slow  # ~40 s: each example imports, exports and imports again through files
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(officer_sheets())
def test_any_sheet_of_valid_scores_and_weights_round_trips(tmp_path_factory, sheet):
    rows, fully_scored = sheet
    assume(fully_scored)  # an all-missing row or column is a problem, tested above
    d = tmp_path_factory.mktemp("rt")
    a = import_to(write_sheet(d, rows), d / "a.toml")
    for fmt in ("csv", "csv-long"):
        (d / fmt).mkdir()
        export(a, d / fmt / "a-export.csv", fmt)
        same_appraisal(a, import_to(d / fmt / "a-export.csv", d / fmt / "b.toml"))
        same_appraisal(a, load_appraisal(d / fmt / "b.toml"))


def test_our_own_xlsx_of_an_officers_appraisal_round_trips(tmp_path):
    a = import_to(write_sheet(tmp_path, OFFICER), tmp_path / "a.toml")
    export(a, tmp_path / "a.xlsx", samples=20)
    (tmp_path / "again").mkdir()
    same_appraisal(a, import_to(tmp_path / "a.xlsx", tmp_path / "again" / "b.toml"))


def same_appraisal(a, b) -> None:
    assert [(c.id, c.name) for c in b.criteria] == [(c.id, c.name) for c in a.criteria]
    assert (b.scale.min, b.scale.max, b.scale.step) == (a.scale.min, a.scale.max, a.scale.step)
    assert [(o.id, o.name) for o in b.options] == [(o.id, o.name) for o in a.options]
    assert b.weights == a.weights
    assert [(c.option, c.criterion, c.score, c.missing) for c in b.cells] == [(c.option, c.criterion, c.score, c.missing) for c in a.cells]


def test_a_semicolon_sheet_with_a_title_row_takes_its_delimiter_from_the_header(tmp_path):
    """The delimiter was read from the first line: a title row with no separators made it a comma."""
    path = tmp_path / "semi.csv"
    path.write_text("Options appraisal 2025\n\nCriterion;Weight;A;B\nQuality;40 %;2;4,5\nCost;60 %;5;3\n", encoding="utf-8")
    a = import_to(path, tmp_path / "semi.toml")
    assert a.weights == {"quality": 0.4, "cost": 0.6} and a.cell("b", "quality").score == 4.5
