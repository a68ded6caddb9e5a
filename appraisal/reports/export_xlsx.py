"""Appraisal and its sensitivity report -> an Excel workbook: a Scores sheet whose totals, % and ranks
are live formulas over the score and weight cells (change a weight in Excel and the ranking moves),
with rationales as cell comments; and Rationale, Sensitivity, Scale and Provenance sheets. Written with
openpyxl (it writes formulas, comments and conditional formats, and reads workbooks back for
`appraisal import`).

Only the formulas written here are formulas: every other text cell is stored as text (marked with
Excel's quote prefix when it starts like a formula), and control characters a workbook cannot hold are
shown as their symbols, line breaks as line feeds (`safe_text.xlsx_text`)."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..engine import Evaluation
from ..model import Appraisal
from .safe_text import FORMULA_START, xlsx_text
from .sensitivity import who
from ..model.scenario import Step
from ..io.sheet_layout import FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW, RATIONALE_HEAD

LEVEL_FILLS = ["F2A7A7", "F6C79E", "EFE39A", "BFE3A9", "86D08F"]
BOLD = Font(bold=True)
GREY = Font(color="808080")
FIRST_ROW = 4  # criteria start here: header, ids, in-ranking above


def _append(ws, values: list) -> None:
    """A row whose text a workbook can hold (openpyxl refuses control characters)."""
    ws.append([xlsx_text(v) if isinstance(v, str) else v for v in values])


def score_col(i: int) -> int:
    return len(HEAD) + 1 + 2 * i  # 1-based: F, H, J, ...


def _scores_sheet(wb: Workbook, a: Appraisal) -> set[str]:
    """The Scores sheet; returns the coordinates of the formulas it wrote (the only live cells)."""
    ws = wb.active
    formulas: set[str] = set()

    def formula(r: int, c: int, text: str):
        cell = ws.cell(r, c, text)
        formulas.add(cell.coordinate)
        return cell

    ws.title = "Scores"
    n, m = len(a.options), len(a.criteria)
    last = FIRST_ROW + m - 1
    rng = lambda col: f"${col}${FIRST_ROW}:${col}${last}"  # noqa: E731
    for k, h in enumerate(HEAD, 1):
        ws.cell(1, k, h).font = BOLD
    ws.cell(2, 1, ID_ROW).font = GREY
    ws.cell(3, 1, IN_RANKING_ROW).font = BOLD
    for i, o in enumerate(a.options):
        c = score_col(i)
        ws.cell(1, c, xlsx_text(o.name)).font = BOLD
        ws.cell(1, c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(1, c + 1, "label").font = GREY
        ws.cell(2, c, o.id).font = GREY
        ws.cell(3, c, "no" if o.excluded else "yes")
    for j, crit in enumerate(a.criteria):
        r = FIRST_ROW + j
        ws.cell(r, 1, xlsx_text(crit.name))
        ws.cell(r, 2, crit.id).font = GREY
        ws.cell(r, 3, "no" if crit.id in a.disabled else "yes")
        ws.cell(r, 4, a.weights[crit.id])
        formula(r, 5, f'=IF(C{r}="yes",D{r}/SUMIF({rng("C")},"yes",{rng("D")}),0)').number_format = "0.0%"
        for i, o in enumerate(a.options):
            c = score_col(i)
            cell = a.cell(o.id, crit.id)
            target = ws.cell(r, c, "missing" if cell.score is None else cell.score)
            if cell.rationale or cell.note:
                text = cell.rationale + (f"\n\n{cell.note}" if cell.note else "")
                target.comment = Comment(xlsx_text(text), "appraisal", width=320, height=160)
            col = get_column_letter(c)
            formula(r, c + 1, f'=IFERROR(VLOOKUP({col}{r},Scale!$A$2:$B${1 + len(a.scale.levels)},2,FALSE),"")').font = GREY
    # Totals, % and ranks: live formulas.
    u, w, pct, ru, rw = (FIRST_ROW + m + k for k in range(5))
    first_col, last_col = get_column_letter(score_col(0)), get_column_letter(score_col(n - 1))
    for k, label in enumerate(FOOTER_ROWS):
        ws.cell(u + k, 1, label).font = BOLD
    for i in range(n):
        c = score_col(i)
        col = get_column_letter(c)
        scores = f"{col}{FIRST_ROW}:{col}{last}"
        formula(u, c, f'=SUMIF({rng("C")},"yes",{scores})').font = BOLD
        formula(w, c, f'=SUMPRODUCT(({rng("C")}="yes")*{rng("D")}*{scores})').font = BOLD
        formula(pct, c, f'={col}{w}/({a.scale.max:g}*SUMIF({rng("C")},"yes",{rng("D")}))*100').number_format = "0.0"
        for row, total in ((ru, u), (rw, w)):
            # Competition rank among the options in the ranking (RANK cannot skip excluded ones).
            formula(row, c, f'=IF({col}$3="yes",1+COUNTIFS(${first_col}${total}:${last_col}${total},">"&{col}{total},'
                             f'${first_col}$3:${last_col}$3,"yes"),"excluded")').font = BOLD
    # Colour scores by level; formats follow edits made in Excel.
    for i in range(n):
        col = get_column_letter(score_col(i))
        area = f"{col}{FIRST_ROW}:{col}{last}"
        lo, hi = a.scale.min, a.scale.max
        for b, fill in enumerate(LEVEL_FILLS):
            start = lo + (hi - lo) * b / 5
            end = lo + (hi - lo) * (b + 1) / 5 - 1e-9 if b < 4 else hi
            ws.conditional_formatting.add(area, CellIsRule(operator="between", formula=[f"{start}", f"{end}"], fill=PatternFill("solid", fgColor=fill)))
    ws.freeze_panes = ws.cell(FIRST_ROW, len(HEAD) + 1)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 20
    for col, width in (("C", 7), ("D", 8), ("E", 8)):
        ws.column_dimensions[col].width = width
    for i in range(n):
        ws.column_dimensions[get_column_letter(score_col(i))].width = 14
        ws.column_dimensions[get_column_letter(score_col(i) + 1)].width = 10
    ws.row_dimensions[1].height = 45
    return formulas


def _scale_sheet(wb: Workbook, a: Appraisal) -> None:
    ws = wb.create_sheet("Scale")
    _append(ws, ["Score", "Label"])
    for lv in a.scale.levels:
        _append(ws, [lv.value, lv.label])
    _append(ws, [])
    _append(ws, ["Scale", f"{a.scale.min:g} to {a.scale.max:g} in steps of {a.scale.step:g}"])
    for c in ws[1]:
        c.font = BOLD


def _rationale_sheet(wb: Workbook, a: Appraisal) -> None:
    ws = wb.create_sheet("Rationale")
    _append(ws, RATIONALE_HEAD)
    for c in ws[1]:
        c.font = BOLD
    for o in a.options:
        for crit in a.criteria:
            cell = a.cell(o.id, crit.id)
            _append(ws, [o.name, crit.name, "missing" if cell.score is None else cell.score, a.scale.label_for(cell.score),
                       cell.label or "", cell.rationale, cell.note])
    for col, width in zip("ABCDEFG", (30, 40, 8, 12, 14, 90, 40)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"


def _sensitivity_sheet(wb: Workbook, a: Appraisal, sens: dict[str, Any]) -> None:
    ws = wb.create_sheet("Sensitivity")
    # Rows are only appended here, so the last one is ws._current_row: ws._current_row scans every cell.
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}

    def title(text: str) -> None:
        _append(ws, [])
        _append(ws, [text])
        ws.cell(ws._current_row, 1).font = Font(bold=True, size=12)

    _append(ws, [f"Leader: {name.get(sens['leader'], 'a tie')}"])
    ws.cell(1, 1).font = Font(bold=True, size=12)
    title("One-way weight sensitivity (shares of the total weight)")
    _append(ws, ["Criterion", "Share now", "Leader holds from", "to", "Ranking holds from", "to", "Crossovers"])
    for ow in sens["one_way"]:
        cross = "; ".join(f"{c['share']:.4f}: {who(c['from'], name)} -> {who(c['to'], name)}" for c in ow["crossovers"])
        _append(ws, [cname[ow["criterion"]], ow["share"], *ow["leader_interval"], *ow["ranking_interval"], cross])
        for col in (2, 3, 4, 5, 6):
            ws.cell(ws._current_row, col).number_format = "0.0%"
    title("Score switching values: single scores that change the leader within the scale")
    _append(ws, ["Option", "Criterion", "Score", "Switch to", "New leader", "Exact threshold"])
    switches = [s for s in sens["score_switching"] if s["switch_to"] is not None]
    for s in switches:
        _append(ws, [name[s["option"]], cname[s["criterion"]], s["score"], s["switch_to"], name[s["new_leader"]], s["threshold"]])
    if not switches:
        _append(ws, ["None: no single score within the scale changes the leader."])
    sc = sens["smallest_change"]
    _append(ws, [f"Smallest change anywhere: {sc['points']} one-point edits, then {name.get(sc['new_leader'], 'a tie')} leads"])
    for e in sc["edits"]:
        _append(ws, ["", f"{name[e['option']]} / {cname[e['criterion']]}", e["from"], e["to"]])
    sm = sens["smaa"]
    title(f"SMAA-2 rank acceptability: {sm['samples']} samples, seed {sm['seed']}, weights {sm['mode']}")
    n = len(sm["rank_acceptability"])
    _append(ws, ["Option", *[f"Rank {k + 1}" for k in range(n)], "Confidence", "Can lead alone"])
    for oid, row in sm["rank_acceptability"].items():
        _append(ws, [name[oid], *row, sm["confidence"][oid], "yes" if sens["potentially_optimal"].get(oid) else "no"])
        for col in range(2, n + 3):
            ws.cell(ws._current_row, col).number_format = "0.0%"
    title(f"Tornado: leader's margin as each weight moves -{sens['tornado_range'] * 100:g}% .. +{sens['tornado_range'] * 100:g}%")
    _append(ws, ["Criterion", "Margin at low", "Margin at high", "Leader changes"])
    for b in sens["tornado"]:
        _append(ws, [cname[b["criterion"]], b["low_margin"], b["high_margin"], "yes" if b["leader_changes"] else "no"])
    ws.column_dimensions["A"].width = 48
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16


def _participants_sheet(wb: Workbook, a: Appraisal) -> None:
    """Each participant's weights, own scores and preferred option; the group's; decisive disagreements."""
    from .group import group_report

    r = group_report(a, samples=0)  # the sheet shows no SMAA
    ws = wb.create_sheet("Participants")
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    for line in r["sentences"]:
        _append(ws, [line])
    _append(ws, [])
    people = list(a.participants)
    _append(ws, ["Weights", *[p.name for p in people], f"Group share ({r['aggregate']})"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for crit in a.criteria:
        _append(ws, [crit.name, *[p.weights.get(crit.id, a.weights[crit.id]) for p in people], r["group"]["weights"][crit.id]])
        ws.cell(ws.max_row, len(people) + 2).number_format = "0.0%"
    _append(ws, ["Prefers", *[name.get(p["leader"], "a tie") for p in r["participants"]], name.get(r["group"]["leader"], "a tie")])
    _append(ws, ["Group leader without them", *[name.get(r["leave_one_out"][p.name], "a tie") for p in people]])
    for row in (ws.max_row - 1, ws.max_row):
        ws.cell(row, 1).font = BOLD
    _append(ws, [])
    _append(ws, ["Scores given by participants", "Option", "Participant", "Score", "Scale's score"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for p in people:
        for cell, v in p.scores.items():
            o, _, crit = cell.partition(":")
            _append(ws, [cname[crit], name[o], p.name, v, a.cell(o, crit).score])
    _append(ws, [])
    _append(ws, ["Decisive disagreements", "Range", "Lowest", "Highest"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for d in r["decisive_cells"]:
        _append(ws, [f"{name[d['option']]} / {cname[d['criterion']]}", f"{d['min']:g} to {d['max']:g}", d["low"], d["high"]])
    for d in r["decisive_criteria"]:
        _append(ws, [f"weight of {cname[d['criterion']]}", f"{d['min_share']:.1%} to {d['max_share']:.1%} of the weight"])
    ws.column_dimensions["A"].width = 48
    for k in range(len(people) + 1):
        ws.column_dimensions[get_column_letter(k + 2)].width = 18


def _provenance_sheet(wb: Workbook, a: Appraisal, findings: list, steps: list[Step], source: str) -> None:
    ws = wb.create_sheet("Provenance")
    rows = [
        ("Title", a.title), ("Source document", a.provenance.document), ("Source title", a.provenance.title),
        ("Appendix", a.provenance.appendix), ("Date", a.provenance.date), ("Notes", a.provenance.notes),
        ("Exported from", source), ("Exported by", f"appraisal {__version__}"), ("Exported at", datetime.now().isoformat(timespec="seconds")),
    ]
    for k, v in rows:
        _append(ws, [k, v])
        ws.cell(ws.max_row, 1).font = BOLD
    _append(ws, [])
    _append(ws, ["Scenario steps applied", f"{len(steps)}"])
    ws.cell(ws.max_row, 1).font = BOLD
    _append(ws, ["#", "Action", "Detail", "Note", "By", "At"])
    for k, s in enumerate(steps, 1):
        detail = {x: y for x, y in s.model_dump(exclude={"action", "note", "by", "at"}, exclude_defaults=True, by_alias=True).items()}
        _append(ws, [k, s.action, ", ".join(f"{x}={y}" for x, y in detail.items()), s.note, s.by, s.at])
    _append(ws, [])
    _append(ws, ["Findings (appraisal validate)", f"{len(findings)}"])
    ws.cell(ws.max_row, 1).font = BOLD
    _append(ws, ["Code", "Finding", "Where"])
    for f in findings:
        _append(ws, [f.code, f.message, f.where])
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 110
    ws.column_dimensions["C"].width = 36
    for row in ws.iter_rows():
        if len(row) > 1:
            row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _text_stays_text(ws, formulas: set[str]) -> None:
    """Every text cell but our own formulas: stored as text (openpyxl takes any text starting with `=` for
    a formula), quote-prefixed when it starts like one, so it stays text when edited in Excel."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.coordinate not in formulas:
                cell.data_type = "s"
                if cell.value.lstrip("'").startswith(FORMULA_START):
                    cell.quotePrefix = True


def to_xlsx(a: Appraisal, ev: Evaluation, *, sensitivity: dict[str, Any], findings: list, steps: list[Step] = (), source: str = "") -> bytes:  # type: ignore[assignment]
    wb = Workbook()
    formulas = _scores_sheet(wb, a)
    _rationale_sheet(wb, a)
    _sensitivity_sheet(wb, a, sensitivity)
    _scale_sheet(wb, a)
    if a.participants:
        _participants_sheet(wb, a)
    _provenance_sheet(wb, a, findings, list(steps), source)
    for ws in wb.worksheets:
        _text_stays_text(ws, formulas if ws.title == "Scores" else set())
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
