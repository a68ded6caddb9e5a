"""Exports and imports of value trees: the wide CSV carries groups (rows with weights and subtotals), units,
measures and costs, and reads back to the same appraisal; Markdown and HTML show the tree indented with
subtotals, units, value functions and the frontier; an import whose Group or Unit column disagrees with the
criteria file lists every such cell."""

from __future__ import annotations

import csv
import io

import pytest

from appraisal.io import load_appraisal
from appraisal.io.importer import ImportErrors, import_to
from appraisal.model import edits
from appraisal.reports.export import export, render

from .conftest import REPO

CASE = REPO / "scenarios" / "case-system.toml"
WEIGHTED = REPO / "scenarios" / "birmingham-2013-tree-weighted.toml"


def identical(a, b) -> None:
    assert [(o.id, o.name, o.excluded, o.cost) for o in a.options] == [(o.id, o.name, o.excluded, o.cost) for o in b.options]
    assert a.weights == b.weights and a.group_weights == b.group_weights and a.disabled == b.disabled and a.cost_unit == b.cost_unit
    assert [(c.option, c.criterion, c.score, c.measure, c.missing) for c in a.cells] == [(c.option, c.criterion, c.score, c.measure, c.missing) for c in b.cells]


@pytest.mark.parametrize("path, criteria", [(CASE, "case-system.toml"), (WEIGHTED, "birmingham-2013-tree.toml"),
                                            (REPO / "scenarios" / "birmingham-2013-tree.toml", "birmingham-2013-tree.toml")])
def test_a_tree_round_trips_through_the_wide_csv(tmp_path, path, criteria):
    a = load_appraisal(path)
    a = edits.set_excluded(a, a.options[0].id, True)
    export(a, tmp_path / "m.csv")
    back = import_to(tmp_path / "m.csv", tmp_path / "back.toml", REPO / "criteria" / criteria)
    identical(a, back)
    identical(a, load_appraisal(tmp_path / "back.toml"))


def test_the_wide_csv_shows_groups_units_measures_and_costs():
    rows = list(csv.reader(io.StringIO(render(load_appraisal(CASE), "csv").decode("utf-8-sig"))))
    assert rows[0][:7] == ["Criterion", "id", "In use", "Weight", "Share", "Group", "Unit"]
    by_name = {r[0]: r for r in rows}
    assert by_name["Cost"][6:] == ["£m", "0.4", "1.2", "2", "3"]
    assert by_name["Delivery"][1:] == ["delivery", "", "0.4", "0.400000", "", "", "40", "34", "17", "12"]
    assert by_name["Time to go live"][5:] == ["Delivery", "months", "3", "9", "15", "30"]
    flat = list(csv.reader(io.StringIO(render(load_appraisal(REPO / "scenarios" / "birmingham-2013.toml"), "csv").decode("utf-8-sig"))))
    assert flat[0][:6] == ["Criterion", "id", "In use", "Weight", "Share", "Break up Birmingham"]  # unchanged without a tree


def test_markdown_and_html_show_the_tree():
    a = load_appraisal(CASE)
    md = render(a, "md").decode()
    assert "|   | **Delivery (subtotal)** | 0.4 | *40* | *34* | *17* | *12* |" in md
    assert "| 3 | › Time to go live (months) | 50 | 3 months → 100 | 9 months → 80 | 15 months → 45 | 30 months → 0 |" in md
    assert "- Time to go live: piecewise: 6 months scores 100, 12 months scores 60, 24 months scores 0" in md
    assert "on the efficient frontier, cheapest first" in md and "Build in-house is off the frontier" in md
    html = render(a, "html", samples=200).decode()
    assert "<strong>Benefits to practice (subtotal)</strong></td><td class=\"r\">0.6</td>" in html
    assert "15 months → 45" in html and "<h3>Value functions</h3>" in html and 'aria-label="Value against cost"' in html
    assert "Measures in natural units" in html and "above 16 months" in html
    flat = render(load_appraisal(REPO / "scenarios" / "birmingham-2013.toml"), "md").decode()
    assert "subtotal" not in flat and "Value functions" not in flat


def _import_errors(tmp_path, edit) -> list[str]:
    export(load_appraisal(CASE), tmp_path / "m.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "m.csv").read_text(encoding="utf-8-sig"))))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (tmp_path / "m.csv").write_text(buf.getvalue())
    with pytest.raises(ImportErrors) as e:
        import_to(tmp_path / "m.csv", tmp_path / "out.toml", REPO / "criteria" / "case-system.toml")
    assert not (tmp_path / "out.toml").exists()
    return e.value.lines()


def test_import_checks_groups_units_measures_and_costs(tmp_path):
    def edit(rows):
        by = {r[0]: r for r in rows}
        by["Social worker time saved"][5] = "Delivery"  # wrong group
        by["Time to go live"][6] = "weeks"  # wrong unit
        by["Usability, as rated by practitioners"][6] = "points"  # a unit on a scale criterion
        by["Case records migrated automatically"][8] = "most"  # not a measure
        by["Cost"][8] = "-1"
        by["Delivery"][3] = ""  # one group weighted, the other not

    lines = _import_errors(tmp_path, edit)
    text = "\n".join(lines)
    assert "F6: 'Social worker time saved' is in group 'benefits' in the criteria file, not 'Delivery'" in text
    assert "G9: 'Time to go live' is measured in 'months' in the criteria file, not 'weeks'" in text
    assert "G7: 'Usability, as rated by practitioners' is scored on the scale in the criteria file, not 'points'" in text
    assert "I10: measure 'most' is not a number of %" in text
    assert "I4: cost must be a number >= 0, not '-1'" in text
    assert "no weight for group 'Delivery' (delivery)" in text


def test_an_officers_sheet_with_measures_and_no_tree_columns(tmp_path):
    sheet = tmp_path / "plain.csv"
    sheet.write_text("Criterion,Weight,Patch,Buy\n"
                     "Social worker time saved,70,0.5,3.5\nUsability,30,30,80\nTime to go live,50,3,15\nCase records migrated automatically,50,100,70\n")
    sheet.write_text(sheet.read_text().replace("Usability,", '"Usability, as rated by practitioners",'))
    a = import_to(sheet, tmp_path / "out.toml", REPO / "criteria" / "case-system.toml")
    assert a.cell("buy", "go-live").measure == 15 and a.cell("buy", "go-live").score == 45
    assert a.group_weights is None  # no group rows: weights are global
