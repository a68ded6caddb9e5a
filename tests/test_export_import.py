"""Exports officers open in Excel, and spreadsheets brought back in: round trips, live formulas, errors."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from appraisal.engine import evaluate, problem_from
from appraisal.io import load_appraisal
from appraisal.reports.export import export
from appraisal.io.importer import ImportErrors, import_to
from appraisal.model import edits

from .conftest import REPO, run_cli, write_criteria

CRITERIA = REPO / "criteria" / "birmingham-2013.toml"


def same(a, b, *, rationale: bool = False) -> None:
    assert [(o.id, o.name, o.excluded) for o in a.options] == [(o.id, o.name, o.excluded) for o in b.options]
    assert [c.id for c in a.criteria] == [c.id for c in b.criteria]
    assert a.weights == b.weights
    assert a.disabled == b.disabled
    assert [(c.option, c.criterion, c.score, c.missing) for c in a.cells] == [(c.option, c.criterion, c.score, c.missing) for c in b.cells]
    if rationale:
        assert [c.rationale for c in a.cells] == [c.rationale for c in b.cells]


def what_if(bham):
    a = edits.set_excluded(bham, "outsource", True)
    a = edits.set_enabled(a, "speed", False)
    a = edits.set_weight(a, "dfe-acceptability", 4.5)
    return edits.set_score(a, "trust-bcc", "vision", 3.5)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "csv-long"])
@pytest.mark.parametrize("variant", ["as-published", "what-if"])
def test_round_trip_through_a_spreadsheet(bham, tmp_path, fmt, variant):
    a = bham if variant == "as-published" else what_if(bham)
    sheet = tmp_path / f"matrix.{fmt.split('-')[0]}"
    export(a, sheet, fmt)
    back = import_to(sheet, tmp_path / "back.toml", CRITERIA)
    same(a, back, rationale=fmt != "csv")
    same(a, load_appraisal(tmp_path / "back.toml"), rationale=fmt != "csv")
    if fmt == "csv-long":  # the long layout also carries the labels as printed
        assert [c.label for c in back.cells] == [c.label for c in a.cells]


def test_a_long_sheet_lists_every_problem_with_its_cell(bham, tmp_path):
    sheet = tmp_path / "long.csv"
    export(bham, sheet, "csv-long")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    head = rows[0]
    col = {h: k for k, h in enumerate(head)}
    rows[1][col["score"]] = "high"  # C2 is a criterion id column; the score is in E
    rows[2][col["weight"]] = "4"  # break-up / vision: weight 4, but 3 on vision's other rows
    del rows[3]  # break-up / break-from-past gone
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ImportErrors) as e:
        import_to(sheet, tmp_path / "out.toml", CRITERIA)
    lines = e.value.lines()
    assert lines[0] == f"error: {sheet}: 6 problems; nothing written"
    assert "  E2: score 'high' is not a number" in lines
    # Vision's four other rows each disagree with row 3 (H is the weight column).
    assert [f"  H{r}: weight '3' differs from '4' in row 3 for the same criterion" for r in (21, 40, 59, 78)] == lines[2:6]
    assert "  no row for option 'break-up' on criterion 'break-from-past'" in lines
    assert len(lines) == 7 and not (tmp_path / "out.toml").exists()


def test_json_round_trip_is_identical(bham, tmp_path):
    a = what_if(bham)
    export(a, tmp_path / "a.json")
    assert load_appraisal(tmp_path / "a.json") == a


@st.composite
def small_appraisals(draw):
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 6))
    names = draw(st.lists(st.text(st.characters(categories=["L", "N"], max_codepoint=0x17F), min_size=1, max_size=12), min_size=n, max_size=n, unique_by=lambda s: s.strip().lower()))
    scores = draw(st.lists(st.lists(st.integers(2, 10).map(lambda k: k / 2), min_size=m, max_size=m), min_size=n, max_size=n))
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.25]), min_size=m, max_size=m))
    return names, scores, weights


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(small_appraisals(), st.sampled_from(["csv", "csv-long", "xlsx", "json"]))
def test_round_trips_for_generated_appraisals(tmp_path_factory, data, fmt):
    import tomli_w

    names, scores, weights = data
    d = tmp_path_factory.mktemp("gen")
    crit = [f"c{j}" for j in range(len(weights))]
    write_criteria(d / "criteria.toml", crit)
    ids = [f"o{i}" for i in range(len(names))]
    (d / "a.toml").write_text(tomli_w.dumps({
        "appraisal": {"title": "Generated", "criteria": "criteria.toml"},
        "weights": dict(zip(crit, weights)),
        "options": [{"id": i, "name": nm.strip() or "x"} for i, nm in zip(ids, names)],
        "scores": [{"option": ids[i], "criterion": crit[j], "score": scores[i][j]} for i in range(len(ids)) for j in range(len(crit))],
    }))
    a = load_appraisal(d / "a.toml")
    out = d / f"x.{fmt.split('-')[0]}"
    export(a, out, fmt)
    back = load_appraisal(out) if fmt == "json" else import_to(out, d / "back.toml", d / "criteria.toml")
    same(a, back)


def tricky(tmp_path: Path):
    """Float weights that tie only within tolerance (0.1 x 3 + 0.2 x 3 + 0.3 x 1 = 1.2 = 0.1 + 0.2 + 0.3 x 3),
    a missing score, an excluded option."""
    import tomli_w

    write_criteria(tmp_path / "criteria.toml", ["c1", "c2", "c3"])
    rows = {"a": (3, 3, 1), "b": (1, 1, 3), "c": (5, None, 5), "d": (5, 5, 5)}
    (tmp_path / "t.toml").write_text(tomli_w.dumps({
        "appraisal": {"title": "Ties", "criteria": "criteria.toml"},
        "weights": {"c1": 0.1, "c2": 0.2, "c3": 0.3},
        "options": [{"id": o, "name": o.upper(), "excluded": o == "d"} for o in rows],
        "scores": [{"option": o, "criterion": f"c{j + 1}", **({"score": v} if v is not None else {"missing": True})}
                   for o, vs in rows.items() for j, v in enumerate(vs)],
    }))
    return load_appraisal(tmp_path / "t.toml")


def variant_of(name: str, bham, tmp_path: Path):
    return bham if name == "as-published" else what_if(bham) if name == "what-if" else tricky(tmp_path)


FOOTER = ["Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)"]


def engine_values(a) -> dict[str, list]:
    """What each footer row must show, from the engine: numbers, 'missing' or 'excluded'."""
    ev = evaluate(problem_from(a))

    def shown(values, i):
        return "missing" if values[i] != values[i] else pytest.approx(values[i])

    def rank(ranks, values, i):
        return "excluded" if a.options[i].excluded else ("missing" if values[i] != values[i] else int(ranks[i]))

    n = range(len(a.options))
    return dict(zip(FOOTER, (
        [shown(ev.unweighted, i) for i in n], [shown(ev.weighted, i) for i in n], [shown(ev.percent, i) for i in n],
        [rank(ev.rank_unweighted, ev.unweighted, i) for i in n], [rank(ev.rank_weighted, ev.weighted, i) for i in n])))


def footer_values(ws, n: int) -> dict[str, list]:
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    return {label: [ws.cell(labels[label], 6 + 2 * i).value for i in range(n)] for label in FOOTER}


@pytest.mark.parametrize("variant", ["as-published", "what-if", "ties and gaps"])
def test_xlsx_formulas_carry_their_values(bham, tmp_path, variant):
    """A reader that never recalculates (openpyxl data_only, previewers, phone apps) sees every total,
    percentage, rank, share and label."""
    a = variant_of(variant, bham, tmp_path)
    export(a, tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"]
    assert footer_values(ws, len(a.options)) == engine_values(a)
    ev = evaluate(problem_from(a))
    assert [ws.cell(4 + j, 5).value for j in range(len(a.criteria))] == pytest.approx(list(ev.shares))
    assert [ws.cell(4 + j, 7).value for j in range(len(a.criteria))] == [a.scale.label_for(a.cell(a.options[0].id, c.id).score) for c in a.criteria]
    if variant.startswith("ties"):
        assert engine_values(a)["Rank (weighted)"] == [1, 1, "missing", "excluded"]


def test_xlsx_totals_are_live_formulas(bham, tmp_path):
    export(bham, tmp_path / "a.xlsx")
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["Scores"]
    assert ws.freeze_panes == "F4"
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    weighted = ws.cell(labels["Weighted total"], 6).value
    assert weighted.startswith("=IF(COUNTIFS(") and 'SUMPRODUCT(($C$4:$C$22="yes")*$D$4:$D$22,F4:F22)' in weighted
    assert 'SUMIF($C$4:$C$22,"yes",F4:F22)' in ws.cell(labels["Unweighted total"], 6).value
    assert "SUMPRODUCT(ISNUMBER(" in ws.cell(labels["Rank (weighted)"], 6).value
    assert ws.cell(4, 5).value.startswith("=IF(C4=")  # share
    assert ws.cell(4, 7).value.startswith("=IFERROR(VLOOKUP(F4,Scale!")  # label beside the score
    assert ws.cell(4, 6).comment is not None and "cultural change" in ws.cell(4, 6).comment.text
    assert {"Scores", "Rationale", "Sensitivity", "Scale", "Provenance"} <= set(wb.sheetnames)
    prov = [row[0].value for row in wb["Provenance"].iter_rows()]
    assert "Findings (appraisal validate)" in prov
    sens = [c.value for row in wb["Sensitivity"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("seed 0" in s for s in sens)


def test_xlsx_prints_and_validates_as_an_officer_expects(bham, tmp_path):
    export(what_if(bham), tmp_path / "a.xlsx", source=str(REPO / "scenarios" / "birmingham-2013.toml"), steps=[])
    wb = load_workbook(tmp_path / "a.xlsx")
    for ws in wb.worksheets:  # landscape A4, one page wide, header rows on every page
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1) and int(ws.page_setup.fitToHeight) == 0, ws.title
        assert ws.print_title_rows == ("$1:$3" if ws.title == "Scores" else "$1:$1"), ws.title
    ws = wb["Scores"]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    score = rules["F4:F22"]
    assert score.type == "custom" and ">=1" in score.formula1 and "<=5" in score.formula1 and "/0.5" in score.formula1 and '"missing"' in score.formula1
    assert score.showErrorMessage
    assert rules["C4:C22"].type == "list" and rules["C4:C22"].formula1 == '"yes,no"'
    assert rules["F3:N3"].type == "list" and rules["D4:D22"].type == "decimal" and rules["D4:D22"].operator == "greaterThanOrEqual"
    prov = {row[0].value: row[1].value for row in wb["Provenance"].iter_rows() if row[0].value}
    assert prov["Exported from"] == "birmingham-2013.toml"  # no folder of this machine
    assert isinstance(prov["Scenario steps applied"], int) and isinstance(prov["Findings (appraisal validate)"], int)
    everything = " ".join(str(c.value) for s in wb.worksheets for row in s.iter_rows() for c in row if c.value is not None)
    assert str(REPO) not in everything and str(tmp_path) not in everything


LIBREOFFICE_ALWAYS_RECALCULATES = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
@pytest.mark.parametrize("variant", ["as-published", "what-if", "ties and gaps"])
def test_libreoffice_recalculates_the_same_totals_and_ranks(bham, tmp_path, variant, monkeypatch):
    """The formulas themselves are right: written with wrong cached values, recalculated by LibreOffice
    (told to recalculate on load), then read with openpyxl as cached values."""
    from appraisal.reports import export_xlsx
    from appraisal.reports.sheet_values import sheet_totals

    a = variant_of(variant, bham, tmp_path)
    real = sheet_totals(a)
    wrong = type(real)(*([-1.0] * len(x) for x in (real.shares, real.unweighted, real.weighted, real.percent, real.rank_unweighted, real.rank_weighted)))
    monkeypatch.setattr(export_xlsx, "sheet_totals", lambda _: wrong)
    export(a, tmp_path / "a.xlsx")
    planted = load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"]
    assert set(footer_values(planted, len(a.options))["Weighted total"]) == {-1}
    profile = tmp_path / ".config" / "libreoffice" / "4" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(LIBREOFFICE_ALWAYS_RECALCULATES)
    out = tmp_path / "recalc"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "a.xlsx")],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    ws = load_workbook(out / "a.xlsx", data_only=True)["Scores"]
    assert footer_values(ws, len(a.options)) == engine_values(a)
    ev = evaluate(problem_from(a))
    assert [ws.cell(4 + j, 5).value for j in range(len(a.criteria))] == pytest.approx(list(ev.shares))


def test_csv_opens_cleanly(bham, tmp_path):
    export(bham, tmp_path / "a.csv")
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Criterion", "id", "In use", "Weight", "Share"]
    assert rows[-2][0] == "Rank (unweighted)" and rows[-2][5:] == ["5", "4", "3", "2", "1"]
    export(bham, tmp_path / "long.csv", "csv-long")
    long = list(csv.DictReader(io.StringIO((tmp_path / "long.csv").read_text("utf-8-sig"))))
    assert len(long) == 95 and long[0]["rationale"].startswith("Unlikely to provide")


def test_markdown_and_html(bham, tmp_path):
    from .pages import _as_page, _norm, _tree

    export(bham, tmp_path / "a.md")
    md = (tmp_path / "a.md").read_text()
    assert "| 1 | Better outcomes for children - they are safer as a result | 3 | 2 Low-Med |" in md and "**246**" in md
    assert "| 1st | Integrated transformation | 246 | 86.3% | leads | 82 | 1st |" in md
    export(bham, tmp_path / "a.html", samples=500)
    html = (tmp_path / "a.html").read_text()
    tree = _tree(html)  # strict: a parse error fails
    assert tree.find(".//meta[@name='viewport']") is not None
    assert html.count("<svg") >= 4 and "<script" not in html and "<link" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html) and "url(" not in html, "self-contained: nothing fetched"
    assert "@media print" in html
    text = _as_page(html, "html")  # every rationale as text a printer prints, not a tooltip
    assert all(_norm(c.rationale) in text for c in bham.cells)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_html_and_md_show_the_scenario(tmp_path, fmt):
    from .pages import _as_page

    out = tmp_path / f"w.{fmt}"
    assert run_cli("export", str(REPO / "scenarios" / "workshop-2014-review.toml"), "-o", str(out), "--samples", "300").returncode == 0
    text = _as_page(out.read_text(encoding="utf-8"), fmt)
    assert text.startswith("Review workshop: rescoring after DfE feedback A scenario on: Transforming Children's Services")
    assert "Builds on the prohibition of private providers; rescoring argued in a (fictional) review workshop." in text
    assert ("2 Integrated / Acceptability - DfE: 3 → 2 Programme lead 2014-03-12 10:05 "
            "DfE signalled the plan is not enough of a break with the past scenario") in text
    assert "1 Exclude Outsource Programme lead – Profit-making providers prohibited" in text
    assert "2 Low-Med (was 3)" in text


def test_export_command(tmp_path):
    out = tmp_path / "a.xlsx"
    r = run_cli("export", "-o", str(out), "--exclude", "outsource")
    assert r.returncode == 0 and out.exists()
    again = run_cli("export", "-o", str(out))
    assert again.returncode == 2 and "already exists (use --force" in again.stderr
    assert run_cli("export", "-o", str(out), "--force").returncode == 0
    bad = run_cli("export", "-o", str(tmp_path / "a.pdf"))
    assert bad.returncode == 2 and "cannot tell the format" in bad.stderr
    scen = run_cli("export", str(REPO / "scenarios" / "workshop-2014-review.toml"), "-o", str(tmp_path / "w.xlsx"))
    assert scen.returncode == 0
    steps = [row[1].value for row in load_workbook(tmp_path / "w.xlsx")["Provenance"].iter_rows() if row[0].value in (1, 2, 3, 4, 5)]
    assert steps[:2] == ["exclude", "set-score"], "the scenario's steps are in the provenance"


# --- import errors -------------------------------------------------------------------------------

def sheet(tmp_path: Path, rows: list[list], kind: str = "csv") -> Path:
    if kind == "csv":
        path = tmp_path / "sheet.csv"
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        path.write_text(buf.getvalue())
        return path
    path = tmp_path / "sheet.xlsx"
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def good_rows(bham) -> list[list]:
    rows = [["Criterion", "Weight"] + [o.name for o in bham.options]]
    for c in bham.criteria:
        rows.append([c.name, 3] + [bham.cell(o.id, c.id).score for o in bham.options])
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_a_plain_officers_sheet(bham, tmp_path, kind):
    path = sheet(tmp_path, good_rows(bham), kind)
    a = import_to(path, tmp_path / "out.toml", CRITERIA)
    assert [o.id for o in a.options] == ["break-up-birmingham", "outsource-to-the-private-sector", "trust-model-accountable-to-dfe",
                                         "trust-model-accountable-to-bcc", "integrated-transformation"]
    assert evaluate(problem_from(a)).unweighted.tolist() == [46, 57, 64, 74, 82]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_lists_every_problem_with_its_cell(bham, tmp_path, kind):
    rows = good_rows(bham)
    rows[0][3] = rows[0][2]  # duplicate option name in D1 (first in C1)
    rows[3][0] = "Brake from the past"  # unknown criterion, A4
    rows[5][4] = "high"  # not a number, E6
    rows[7][5] = 7  # outside the scale, F8
    rows[8][6] = None if kind == "xlsx" else ""  # blank, G9: a missing score, not a problem
    rows[9][1] = -2  # negative weight, B10
    path = sheet(tmp_path, rows, kind)
    out = tmp_path / "out.toml"
    with pytest.raises(ImportErrors) as e:
        import_to(path, out, CRITERIA)
    problems = dict(e.value.problems)
    assert "duplicate option" in problems["D1"] and "C1" in problems["D1"]
    assert "unknown criterion 'Brake from the past'" in problems["A4"]
    assert "'high' is not a number" in problems["E6"]
    assert "outside the scale" in problems["F8"]
    assert "G9" not in problems
    assert "weight must be a number >= 0" in problems["B10"]
    assert not out.exists(), "nothing is written"
    r = run_cli("import", str(path), "-o", str(out))
    assert r.returncode == 2 and not out.exists()
    lines = r.stderr.splitlines()
    assert lines[0] == f"error: {path}: 6 problems; nothing written"
    assert "  E6: score 'high' is not a number" in lines
    assert all(line.startswith("  ") for line in lines[1:]) and len(lines) == 7


def test_import_lists_twenty_problems_and_counts_the_rest(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("Criterion,Alpha\n" + "".join(f"Nonsense {k},3\n" for k in range(100)))
    r = run_cli("import", str(path), "-o", str(tmp_path / "x.toml"), "--criteria", str(CRITERIA))
    lines = r.stderr.splitlines()
    assert r.returncode == 2 and lines[0] == f"error: {path}: 119 problems; nothing written"
    assert lines[1].startswith("  A2: unknown criterion 'Nonsense 0' (criteria: outcomes, vision, ")
    assert lines[1].endswith(") in birmingham-2013.toml")
    assert lines[-1] == "  ... and 99 more" and len(lines) == 22


def test_import_bad_files(tmp_path):
    r = run_cli("import", str(tmp_path / "none.csv"), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "no such file" in r.stderr
    (tmp_path / "s.ods").write_text("x")
    r = run_cli("import", str(tmp_path / "s.ods"), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "reads .csv or .xlsx" in r.stderr
    (tmp_path / "broken.xlsx").write_bytes(b"PK not really")
    r = run_cli("import", str(tmp_path / "broken.xlsx"), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "not a readable workbook" in r.stderr and "Traceback" not in r.stderr


def test_a_criterion_called_cost_is_a_criterion_not_the_options_costs(tmp_path):
    """The exports write the options' costs in a row labelled Cost; a criterion called Cost is still a
    criterion, in an officer's sheet (no id column) and in an export with both (ids tell them apart)."""
    write_criteria(tmp_path / "criteria.toml", ["cost", "speed"])
    sheet = tmp_path / "plain.csv"
    sheet.write_text("Criterion,Weight,Alpha,Beta\nCost,2,3,5\nSpeed,1,4,2\n")
    a = import_to(sheet, tmp_path / "plain.toml", tmp_path / "criteria.toml")
    assert a.cell("alpha", "cost").score == 3 and not a.has_costs
    priced = edits.set_cost(edits.set_cost(a, "alpha", 1.5), "beta", 2)
    export(priced, tmp_path / "both.csv")
    back = import_to(tmp_path / "both.csv", tmp_path / "both.toml", tmp_path / "criteria.toml")
    same(priced, back)
    assert [o.cost for o in back.options] == [1.5, 2.0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_options_named_like_the_layouts_headings_round_trip(bham, tmp_path, fmt):
    """An option may be called "Weight", "In use", "Share" or "label": in the exported layout the id row says
    which columns are options."""
    names = ["Weight", "In use", "Share", "label", "Criterion"]
    a = bham.model_copy(update={"options": tuple(o.model_copy(update={"name": n}) for o, n in zip(bham.options, names))})
    export(a, tmp_path / f"m.{fmt}", samples=20)
    back = import_to(tmp_path / f"m.{fmt}", tmp_path / "back.toml", CRITERIA)
    assert [o.name for o in back.options] == names


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_import_takes_the_delimiter_from_the_header_and_quotes_as_excel_does(bham, tmp_path, delimiter):
    """csv's Sniffer guessed the quoting from the data: a name holding a quote and a newline came back doubled."""
    names = ['0', '00', '000', '0000', '0\n0"']
    a = bham.model_copy(update={"options": tuple(o.model_copy(update={"name": n}) for o, n in zip(bham.options, names))})
    export(a, tmp_path / "m.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "m.csv").read_text(encoding="utf-8-sig"), newline="")))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    (tmp_path / "d.csv").write_text(buf.getvalue(), encoding="utf-8")
    assert [o.name for o in import_to(tmp_path / "d.csv", tmp_path / "back.toml", CRITERIA).options] == names


@pytest.mark.parametrize("fmt", ["csv", "csv-long"])
def test_a_weight_of_minus_zero_has_a_share_of_zero_not_minus_zero(tmp_path, fmt):
    from appraisal.paths import bundled_appraisal

    a = load_appraisal(bundled_appraisal())
    a = a.model_copy(update={"weights": {**a.weights, "speed": -0.0}})
    export(a, tmp_path / "w.csv", fmt)
    text = (tmp_path / "w.csv").read_text(encoding="utf-8-sig")
    assert "-0.0" not in text and "-0," not in text and ",0.000000," in text


def test_a_cost_unit_with_no_costs_yet_survives_the_wide_csv_round_trip(tmp_path):
    """Review: the long csv and the xlsx kept it; the wide csv dropped it."""
    from appraisal.paths import bundled_appraisal

    a = load_appraisal(bundled_appraisal()).model_copy(update={"cost_unit": "£m"})
    assert not a.has_costs
    export(a, tmp_path / "w.csv", "csv")
    back = import_to(tmp_path / "w.csv", tmp_path / "back.toml", bundled_appraisal().parent.parent / "criteria" / "birmingham-2013.toml")
    assert back.cost_unit == "£m" and not back.has_costs and (back.cells.scores == a.cells.scores).all()
