"""The xlsx export of a value tree: group rows with weights and live subtotals, local and effective shares as
formulas, measures beside their live derived scores, value for money; cached values equal to the engine's,
LibreOffice's recalculation after a change equal to the engine's on the same change, `appraisal import`
giving back the same appraisal; and csv-long carrying group weights, measures and costs both ways."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from appraisal.engine import evaluate, problem_from
from appraisal.engine.tree import group_shares, tree_from
from appraisal.io import load_appraisal
from appraisal.io.importer import ImportErrors, import_to
from appraisal.model import edits, tree_edits
from appraisal.reports.export import export
from appraisal.reports.tree import group_subtotals, tree_parts

from .conftest import REPO
from .test_export_import import LIBREOFFICE_ALWAYS_RECALCULATES
from .test_tree_exports import identical

CASE = REPO / "scenarios" / "case-system.toml"
WEIGHTED = REPO / "scenarios" / "birmingham-2013-tree-weighted.toml"
GLOBAL = REPO / "scenarios" / "birmingham-2013-tree.toml"
CRITERIA = {CASE: REPO / "criteria" / "case-system.toml", WEIGHTED: REPO / "criteria" / "birmingham-2013-tree.toml",
            GLOBAL: REPO / "criteria" / "birmingham-2013-tree.toml"}
FOOTER = ["Unweighted total", "Weighted total", "Weighted %", "Rank (unweighted)", "Rank (weighted)"]
FIRST_OPTION = 8  # 1-based column H: after Criterion, id, In use, Weight, Share, Group, Unit


def variant(path, name):
    """The shipped file, or with an option excluded, a criterion switched off and a measure missing."""
    a = load_appraisal(path)
    if name == "as shipped":
        return a
    a = edits.set_excluded(a, a.options[-1].id, True)
    a = edits.set_enabled(a, a.criteria[1].id, False)
    if path == CASE:  # a missing measure: that option has no total, subtotal (delivery) or rank
        k = 2 * len(a.criteria) + 2  # buy / go-live
        a = a.model_copy(update={"cells": a.cells.replaced(k, score=None, measure=None)})
        assert a.cell("buy", "go-live").missing
    if name == "no measures":  # every measure missing: the appraisal holds no measure array at all
        for k, c in enumerate(a.cells):
            if c.measure is not None:
                a = a.model_copy(update={"cells": a.cells.replaced(k, score=None, measure=None)})
        assert a.cells.measures is None
    return a


class Sheet:
    """The Scores sheet as a reader sees it: rows by group or criterion id, columns by option."""

    def __init__(self, ws, a):
        self.ws, self.a, self.n = ws, a, len(a.options)
        ids = {g.id for g in a.groups} | {c.id for c in a.criteria}
        self.rows = {ws.cell(r, 2).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value in ids}
        self.labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}
        helpers = FIRST_OPTION + 2 * self.n
        self.kind, self.win, self.below, self.local = range(helpers, helpers + 4)

    def at(self, node: str, col: int):
        return self.ws.cell(self.rows[node], col).value

    def options(self, label: str, offset: int = 0) -> list:
        return [self.ws.cell(self.labels[label], FIRST_OPTION + 2 * i + offset).value for i in range(self.n)]


def engine_view(a) -> dict:
    """What the sheet must show, from the engine: shares, local shares, group shares and subtotals, derived
    scores, totals, ranks and value for money ("missing" and "excluded" as the sheet writes them)."""
    p = problem_from(a)
    ev = evaluate(p)
    parts = tree_parts(a, p, ev)

    def shown(x):
        return "missing" if x != x else pytest.approx(float(x), rel=1e-9, abs=1e-12)

    def rank(ranks, values, i):
        return "excluded" if a.options[i].excluded else ("missing" if values[i] != values[i] else int(ranks[i]))

    n = range(len(a.options))
    out = {
        "share": {c.id: shown(ev.shares[j]) for j, c in enumerate(a.criteria)},
        "local": {c.id: shown(parts["criteria"][j]["local_share"]) for j, c in enumerate(a.criteria)},
        "derived": {(o.id, c.id): "missing" if a.cell(o.id, c.id).score is None else shown(a.cell(o.id, c.id).score)
                    for o in a.options for c in a.criteria if c.measured},
        "footer": dict(zip(FOOTER, ([shown(ev.unweighted[i]) for i in n], [shown(ev.weighted[i]) for i in n], [shown(ev.percent[i]) for i in n],
                                    [rank(ev.rank_unweighted, ev.unweighted, i) for i in n], [rank(ev.rank_weighted, ev.weighted, i) for i in n]))),
    }
    if a.groups:
        gshare, subtotals = group_shares(tree_from(a), ev.shares), group_subtotals(a)
        out["group share"] = {g.id: shown(gshare[k]) for k, g in enumerate(a.groups)}
        out["group local"] = {g["id"]: shown(g["local_share"]) for g in parts["groups"]}
        out["subtotals"] = {g.id: [shown(subtotals[i, k]) for i in n] for k, g in enumerate(a.groups)}
    vfm = parts["value_for_money"]
    if vfm is not None or a.cost_unit:  # a cost unit gives the sheet its value-for-money rows, blank until there are costs
        vfm = vfm or {"value_per_cost": {}, "frontier": []}
        out["per cost"] = [("excluded" if o.excluded else "missing" if ev.weighted[i] != ev.weighted[i] else
                            shown(vfm["value_per_cost"][o.id]) if o.id in vfm["value_per_cost"] else "") for i, o in enumerate(a.options)]
        out["frontier"] = [o.id for o in a.options if o.id in vfm["frontier"]]
    return out


def sheet_view(ws, a) -> dict:
    s = Sheet(ws, a)
    out = {
        "share": {c.id: s.at(c.id, 5) for c in a.criteria},
        "local": {c.id: s.at(c.id, s.local) for c in a.criteria},
        "derived": {(o.id, c.id): s.at(c.id, FIRST_OPTION + 2 * i + 1) for i, o in enumerate(a.options) for c in a.criteria if c.measured},
        "footer": {label: s.options(label) for label in FOOTER},
    }
    if a.groups:
        out["group share"] = {g.id: s.at(g.id, 5) for g in a.groups}
        out["group local"] = {g.id: s.at(g.id, s.local) for g in a.groups}
        out["subtotals"] = {g.id: [s.at(g.id, FIRST_OPTION + 2 * i) for i in range(s.n)] for g in a.groups}
    if "Value per cost" in s.labels:
        out["per cost"] = [v if v is not None else "" for v in s.options("Value per cost")]
        out["frontier"] = [o.id for o, v in zip(a.options, s.options("On the frontier")) if v == "yes"]
    return out


def _compare(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for key in want:
        assert got[key] == want[key], key


@pytest.mark.parametrize("path, name", [(p, v) for p in (CASE, WEIGHTED, GLOBAL) for v in ("as shipped", "what-if")] + [(CASE, "no measures")],
                         ids=lambda x: getattr(x, "stem", x))
def test_the_tree_workbook_carries_the_engines_values(tmp_path, path, name):
    """A reader that never recalculates sees every share, subtotal, derived score, total, rank and the frontier."""
    a = variant(path, name)
    export(a, tmp_path / "a.xlsx", samples=50)
    ws = load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"]
    _compare(sheet_view(ws, a), engine_view(a))


@pytest.mark.parametrize("shape", ["nested, local weights, some costs", "nested, global weights", "measures without groups"])
def test_a_nested_tree_with_a_criterion_at_the_top_carries_the_engines_values_and_imports_back(tmp_path, shape):
    """Three levels (benefits > people), a criterion outside every group, two measured criteria (linear and
    piecewise), one option without a cost; or the same criteria with no groups at all."""
    from .treefiles import tree_appraisal, tree_criteria, write_tree

    crit = tree_criteria()
    if shape.startswith("measures"):
        crit["groups"] = []
        for c in crit["criteria"]:
            c.pop("group", None)
    gw = {"benefits": 3, "people": 2, "delivery": 1} if "local" in shape else None
    path = write_tree(tmp_path, tree_appraisal(group_weights=gw, costs={"alpha": 10, "gamma": 4} if "costs" in shape else None), crit)
    a = load_appraisal(path)
    export(a, tmp_path / "a.xlsx", samples=20)
    _compare(sheet_view(load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"], a), engine_view(a))
    identical(a, import_to(tmp_path / "a.xlsx", tmp_path / "back.toml", tmp_path / "criteria.toml"))


def test_the_worked_example_reads_as_in_the_readme(tmp_path):
    a = load_appraisal(CASE)
    export(a, tmp_path / "a.xlsx", samples=50)
    s = Sheet(load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"], a)
    assert s.options("Weighted total") == pytest.approx([49.6, 59.8, 60.8, 58.2])
    assert [s.at("delivery", FIRST_OPTION + 2 * i) for i in range(4)] == pytest.approx([40, 34, 17, 12])
    assert [s.at("go-live", FIRST_OPTION + 2 * i + 1) for i in range(4)] == pytest.approx([100, 80, 45, 0])
    assert s.at("time-saved", 5) == pytest.approx(0.42) and s.at("benefits", 4) == 0.6 and s.at("benefits", 5) == pytest.approx(0.6)
    assert s.options("Value per cost") == pytest.approx([124, 59.8 / 1.2, 30.4, 58.2 / 3])
    assert s.options("On the frontier") == ["yes", "yes", "yes", "no"]
    assert s.ws.cell(s.labels["Cost"], 7).value == "£m" and s.ws.cell(s.labels["Value per cost"], 7).value == "per £m"
    assert s.ws.cell(s.labels["Top-level weight"], 4).value == pytest.approx(1)


def test_the_tree_workbooks_formulas_are_live(tmp_path):
    a = load_appraisal(CASE)
    export(a, tmp_path / "a.xlsx", samples=50)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["Scores"]
    s = Sheet(ws, a)
    g, crit = s.rows["delivery"], s.rows["go-live"]
    assert ws.freeze_panes == "H5" and ws.print_title_rows == "$1:$4"
    assert ws.cell(g, 4).value == 0.4 and ws.cell(crit, 4).value == 50  # typed weights, not formulas
    local = ws.cell(crit, s.local).value
    assert re.fullmatch(rf"=IF\(\$\w+\${g}>0,\w+{crit}/\$\w+\${g},0\)", local), local  # its weight in use over its group's children's
    assert ws.cell(crit, 5).value == f"={ws.cell(crit, s.local).coordinate}*$E${g}"  # the product down its path
    assert ws.cell(g, s.win).value == f'=IF(C{g}="yes",D{g},0)'
    assert ws.cell(crit, FIRST_OPTION).value == 3 and ws.cell(crit, FIRST_OPTION).number_format == 'General" months"'
    derived = ws.cell(crit, FIRST_OPTION + 1).value
    assert derived.startswith(f"=IF(ISNUMBER(H{crit}),IF(H{crit}<='Value functions'!$F$") and "MATCH(H" in derived
    subtotal = ws.cell(g, FIRST_OPTION).value
    assert subtotal.startswith('=IF(COUNTIFS(') and 'SUMPRODUCT((' in subtotal and f"$D${s.labels['Top-level weight']}*" in subtotal
    assert "SUMPRODUCT(" in ws.cell(s.labels["On the frontier"], FIRST_OPTION).value
    points = [r for r in wb["Value functions"].iter_rows(values_only=True)][1:]
    assert [(r[0], r[4], r[5], r[6]) for r in points if r[5] is not None][2:5] == [("Time to go live", "piecewise", 6, 100), (None, None, 12, 60), (None, None, 24, 0)]
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    measures = [v for v in rules.values() if v.promptTitle == "Measure"]
    scores = [v for v in rules.values() if v.promptTitle == "Score"]
    assert {str(v.sqref) for v in scores} == {f"{x}{s.rows['usability']}" for x in "HJLN"}  # the one criterion scored on the scale
    assert [str(v.sqref) for v in measures] == [f"{x}6 {x}9:{x}10" for x in "HJLN"]  # one rule per option over its runs of measured rows
    assert measures[1].formula1 == 'OR(J6="missing",ISNUMBER(J6))' and rules["H4:N4"].promptTitle == "Cost"


def test_value_functions_hit_their_points_and_clamp_in_the_sheet(tmp_path):
    """Derived scores at, between and beyond the points, as the engine derives them."""
    a = load_appraisal(CASE)
    for o, m in zip(a.options, [6, 18, 24.5, 5.999]):
        a = edits.set_measure(a, o.id, "go-live", m)
    export(a, tmp_path / "a.xlsx", samples=50)
    s = Sheet(load_workbook(tmp_path / "a.xlsx", data_only=True)["Scores"], a)
    assert [s.at("go-live", FIRST_OPTION + 2 * i + 1) for i in range(4)] == pytest.approx([100, 30, 0, 100])


@pytest.mark.parametrize("path", [CASE, WEIGHTED, GLOBAL], ids=lambda p: p.stem)
def test_the_tree_workbook_imports_back_to_the_same_appraisal(tmp_path, path):
    a = variant(path, "what-if")
    export(a, tmp_path / "a.xlsx", samples=50)
    back = import_to(tmp_path / "a.xlsx", tmp_path / "back.toml", CRITERIA[path])
    identical(a, back)
    identical(a, load_appraisal(tmp_path / "back.toml"))
    assert [c.rationale for c in back.cells] == [c.rationale for c in a.cells]


def test_tree_text_is_text_and_only_our_formulas_are_live(tmp_path):
    """Group names, units and the cost unit that start like formulas stay text; a unit a number format cannot
    quote shows without it; every formula in the workbook is one of ours."""
    import tomli_w

    from .treefiles import tree_appraisal, tree_criteria

    crit = tree_criteria()
    crit["groups"][0]["name"] = "=HYPERLINK(\"http://x\",\"B\")"
    crit["criteria"][3]["unit"] = '-2+3 "q"'
    crit["criteria"][4]["unit"] = "@months"
    (tmp_path / "criteria.toml").write_text(tomli_w.dumps(crit))
    data = tree_appraisal(costs={"alpha": 1, "beta": 2}, group_weights={"benefits": 2, "people": 1, "delivery": 1})
    data["appraisal"]["cost_unit"] = "=£m"
    (tmp_path / "a.toml").write_text(tomli_w.dumps(data))
    a = load_appraisal(tmp_path / "a.toml")
    export(a, tmp_path / "a.xlsx", samples=20)
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["Scores"]
    s = Sheet(ws, a)
    name = ws.cell(s.rows["benefits"], 1)
    assert name.value == crit["groups"][0]["name"] and name.data_type == "s" and name.quotePrefix
    group = ws.cell(s.rows["quality"], 6)  # its name as the Group of a criterion in it
    assert group.value == name.value and group.data_type == "s" and group.quotePrefix
    unit = ws.cell(s.rows["running-cost"], 7)
    assert unit.value == '-2+3 "q"' and unit.data_type == "s" and unit.quotePrefix
    assert ws.cell(s.rows["running-cost"], FIRST_OPTION).number_format == "General"  # the quote cannot go in a format
    assert ws.cell(s.rows["months"], FIRST_OPTION).number_format == 'General" @months"'
    assert ws.cell(s.labels["Cost"], 7).value == "=£m" and ws.cell(s.labels["Cost"], 7).quotePrefix
    ours = re.compile(r"=(IF|IFERROR|SUM|[A-Z]+\d+(\*\$E\$\d+)?$)")
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title == "Scores" and ours.match(cell.value), (sheet.title, cell.coordinate, cell.value)
    back = import_to(tmp_path / "a.xlsx", tmp_path / "back.toml", tmp_path / "criteria.toml")
    identical(a, back)


def test_the_flat_workbook_is_unchanged_without_a_tree(bham, tmp_path):
    export(bham, tmp_path / "a.xlsx", samples=20)
    wb = load_workbook(tmp_path / "a.xlsx")
    assert "Value functions" not in wb.sheetnames and wb["Scores"].freeze_panes == "F4"


# --- LibreOffice recalculates after a change ---------------------------------------------------------

def _recalculate(tmp_path, path):
    profile = tmp_path / ".config" / "libreoffice" / "4" / "user"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "registrymodifications.xcu").write_text(LIBREOFFICE_ALWAYS_RECALCULATES)
    out = tmp_path / "recalc"
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    return load_workbook(out / path.name, data_only=True)["Scores"]


CHANGES = {  # (group, its new weight), (option, measured criterion, new measure), (criterion, new local weight)
    CASE: (("delivery", 0.5), ("buy", "go-live", 17), ("usability", 45)),
    WEIGHTED: (("acceptability", 60), None, ("speed", 1)),
}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
@pytest.mark.parametrize("path", [CASE, WEIGHTED], ids=lambda p: p.stem)
def test_libreoffice_recalculates_the_tree_after_a_group_weight_and_a_measure_change(tmp_path, path):
    """Edit the exported workbook as an officer would (a group's weight, a measure, a criterion's weight),
    let LibreOffice recalculate it, and compare every share, subtotal, derived score, total, rank and the
    frontier with the engine on the same change. openpyxl drops the cached values when it saves, so
    every number read back is LibreOffice's."""
    from openpyxl import load_workbook as open_formulas

    a = load_appraisal(path)
    export(a, tmp_path / "a.xlsx", samples=50)
    wb = open_formulas(tmp_path / "a.xlsx")
    s = Sheet(wb["Scores"], a)
    (group, weight), measure, (crit, local) = CHANGES[path]
    wb["Scores"].cell(s.rows[group], 4).value = weight
    a = tree_edits.set_group_weight(a, group, weight)
    if measure:
        option, criterion, value = measure
        wb["Scores"].cell(s.rows[criterion], FIRST_OPTION + 2 * a.option_index[option]).value = value
        a = edits.set_measure(a, option, criterion, value)
    wb["Scores"].cell(s.rows[crit], 4).value = local
    a = edits.set_weight(a, crit, local)
    wb.save(tmp_path / "edited.xlsx")
    ws = _recalculate(tmp_path, tmp_path / "edited.xlsx")
    want = engine_view(a)
    _compare(sheet_view(ws, a), want)
    if path == CASE:  # the supplier-offer arithmetic by hand: Buy's go-live 17 months scores 60 - 5 x 5 = 35
        assert want["derived"][("buy", "go-live")] == 35


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_libreoffice_recalculates_a_global_tree_after_a_weight_and_an_in_use_change(tmp_path):
    a = variant(GLOBAL, "what-if")
    export(a, tmp_path / "a.xlsx", samples=50)
    wb = load_workbook(tmp_path / "a.xlsx")
    s = Sheet(wb["Scores"], a)
    wb["Scores"].cell(s.rows["speed"], 4).value = 9
    wb["Scores"].cell(s.rows["vision"], 3).value = "no"
    wb.save(tmp_path / "edited.xlsx")
    a = edits.set_enabled(edits.set_weight(a, "speed", 9), "vision", False)
    _compare(sheet_view(_recalculate(tmp_path, tmp_path / "edited.xlsx"), a), engine_view(a))


# --- csv-long ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CASE, WEIGHTED, GLOBAL], ids=lambda p: p.stem)
def test_a_tree_round_trips_through_the_long_csv(tmp_path, path):
    a = variant(path, "what-if")
    export(a, tmp_path / "long.csv", "csv-long")
    back = import_to(tmp_path / "long.csv", tmp_path / "back.toml", CRITERIA[path])
    identical(a, back)
    identical(a, load_appraisal(tmp_path / "back.toml"))


def test_the_long_csv_has_a_row_per_group_and_the_cost_unit():
    from appraisal.reports.export import render

    rows = list(csv.DictReader(io.StringIO(render(load_appraisal(CASE), "csv-long").decode("utf-8-sig"))))
    groups = [r for r in rows if not r["option_id"]]
    assert [(r["criterion_id"], r["weight"], r["share"], r["group"]) for r in groups] == [("benefits", "0.6", "0.600000", ""), ("delivery", "0.4", "0.400000", "")]
    assert {(r["cost"], r["cost_unit"]) for r in rows if r["option_id"] == "buy"} == {("2", "£m")}
    weighted = list(csv.DictReader(io.StringIO(render(load_appraisal(WEIGHTED), "csv-long").decode("utf-8-sig"))))
    assert [(r["criterion_id"], r["weight"], r["group"]) for r in weighted if not r["option_id"]][:3] == [("services", "40", ""), ("practice", "50", "services"), ("change", "50", "services")]


def test_a_long_csvs_tree_problems_are_listed_with_their_cells(tmp_path):
    export(load_appraisal(CASE), tmp_path / "long.csv", "csv-long")
    rows = list(csv.reader(io.StringIO((tmp_path / "long.csv").read_text(encoding="utf-8-sig"))))
    col = {h: k for k, h in enumerate(rows[0])}
    rows[1][col["group"]] = "delivery"  # patch / time-saved is in benefits
    rows[3][col["measure"]] = "soon"  # patch / go-live
    rows[5][col["cost"]] = "1"  # upgrade's first row: its cost, 1.2 on its three other rows
    rows[-1][col["weight"]] = ""  # delivery unweighted, benefits weighted
    rows[-2][col["group"]] = "delivery"  # benefits does not sit under delivery
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (tmp_path / "long.csv").write_text(buf.getvalue())
    with pytest.raises(ImportErrors) as e:
        import_to(tmp_path / "long.csv", tmp_path / "out.toml", REPO / "criteria" / "case-system.toml")
    text = "\n".join(e.value.lines())
    assert "M2: 'Social worker time saved' has group 'benefits' in the criteria file, not 'delivery'" in text
    assert "O4: measure 'soon' is not a number of months" in text
    assert [f"P{r}: cost '1.2' differs from '1' in row 6 for the same option" in text for r in (7, 8, 9)] == [True] * 3
    assert "M18: group 'Benefits to practice' sits under 'the top' in the criteria file, not 'delivery'" in text
    assert "no weight for group 'Delivery' (delivery)" in text
    assert len(e.value.problems) == 7 and not (tmp_path / "out.toml").exists()


@st.composite
def tree_changes(draw):
    """The 2013 tree or the worked example with weights, group weights (or none), measures, costs, exclusions
    and switched-off criteria drawn at random."""
    path = draw(st.sampled_from([CASE, WEIGHTED, GLOBAL]))
    a = load_appraisal(path)
    weight = st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.25, 0.1, 60.0])
    for c in a.criteria:
        a = edits.set_weight(a, c.id, draw(weight))
    if draw(st.booleans()):
        for g in a.groups:
            a = tree_edits.set_group_weight(a, g.id, draw(weight))
    for i, o in enumerate(a.options):
        for c in a.criteria:
            if c.measured:
                a = edits.set_measure(a, o.id, c.id, draw(st.floats(-50, 150, allow_nan=False).map(lambda x: round(x, 3))))
        if draw(st.booleans()):
            a = edits.set_cost(a, o.id, draw(st.sampled_from([0.0, 0.25, 1.0, 12.5, 1e6])))
        if i > 0 and draw(st.integers(0, 4)) == 0:
            a = edits.set_excluded(a, o.id, True)
    off = draw(st.sampled_from([c.id for c in a.criteria]))
    if draw(st.booleans()):
        a = edits.set_enabled(a, off, False)
    return path, a


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tree_changes())
def test_long_csv_round_trips_group_weights_measures_and_costs(tmp_path_factory, change):
    path, a = change
    d = tmp_path_factory.mktemp("long")
    export(a, d / "long.csv", "csv-long")
    back = import_to(d / "long.csv", d / "back.toml", CRITERIA[path])
    identical(a, back)
    np.testing.assert_array_equal(evaluate(problem_from(back)).weighted, evaluate(problem_from(a)).weighted)


def test_the_tree_sheet_greys_switched_off_criteria_and_excluded_options_live_as_the_flat_sheet_does(tmp_path):
    """Review: the value tree's Scores sheet lacked the flat sheet's live greying."""
    from pathlib import Path

    from appraisal.io.load import load
    from appraisal.reports.export import export

    a = load(Path(__file__).parent.parent / "scenarios" / "birmingham-2013-tree-weighted.toml").appraisal
    export(a, tmp_path / "t.xlsx", samples=50)
    ws = load_workbook(tmp_path / "t.xlsx")["Scores"]
    grey = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "expression" and rule.stopIfTrue:
                grey[str(cf.sqref).split(":")[0]] = (rule.formula[0], rule.priority, str(cf.sqref))
    assert len(grey) == len(a.options)
    names = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    first = 1 + next(r for r, name in enumerate(names) if name == a.criteria[0].name)
    formula, priority, cells = grey[f"H{first}"]
    assert formula == f'OR($C{first}="no",$H$3="no")' and priority == 1
    assert f"I{first}" in cells, "the label or measure beside the score is greyed too"
    group_rows = [r + 1 for r, name in enumerate(names) if name in {g.name for g in a.groups}]
    assert not any(re.search(rf"\bH{r}\b", cells) for r in group_rows), "group rows keep their own look"
