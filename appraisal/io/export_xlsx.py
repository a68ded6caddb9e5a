"""Excel workbook: a Scores sheet whose totals, % and ranks are live formulas over the score and
weight cells (change a weight in Excel and the ranking moves), with rationales as cell comments;
and Rationale, Sensitivity, Scale and Provenance sheets. Written with openpyxl (it writes formulas,
comments and conditional formats, and reads workbooks back for `appraisal import`)."""

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
from ..sensitivity import who
from ..model.scenario import Step
from .export_csv import FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW

LEVEL_FILLS = ["F2A7A7", "F6C79E", "EFE39A", "BFE3A9", "86D08F"]
BOLD = Font(bold=True)
GREY = Font(color="808080")
FIRST_ROW = 4  # criteria start here: header, ids, in-ranking above


def score_col(i: int) -> int:
    return len(HEAD) + 1 + 2 * i  # 1-based: F, H, J, ...


def _scores_sheet(wb: Workbook, a: Appraisal) -> None:
    ws = wb.active
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
        ws.cell(1, c, o.name).font = BOLD
        ws.cell(1, c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(1, c + 1, "label").font = GREY
        ws.cell(2, c, o.id).font = GREY
        ws.cell(3, c, "no" if o.excluded else "yes")
    for j, crit in enumerate(a.criteria):
        r = FIRST_ROW + j
        ws.cell(r, 1, crit.name)
        ws.cell(r, 2, crit.id).font = GREY
        ws.cell(r, 3, "no" if crit.id in a.disabled else "yes")
        ws.cell(r, 4, a.weights[crit.id])
        ws.cell(r, 5, f'=IF(C{r}="yes",D{r}/SUMIF({rng("C")},"yes",{rng("D")}),0)').number_format = "0.0%"
        for i, o in enumerate(a.options):
            c = score_col(i)
            cell = a.cell(o.id, crit.id)
            target = ws.cell(r, c, "missing" if cell.score is None else cell.score)
            if cell.rationale or cell.note:
                text = cell.rationale + (f"\n\n{cell.note}" if cell.note else "")
                target.comment = Comment(text, "appraisal", width=320, height=160)
            col = get_column_letter(c)
            ws.cell(r, c + 1, f'=IFERROR(VLOOKUP({col}{r},Scale!$A$2:$B${1 + len(a.scale.levels)},2,FALSE),"")').font = GREY
    # Totals, % and ranks: live formulas.
    u, w, pct, ru, rw = (FIRST_ROW + m + k for k in range(5))
    first_col, last_col = get_column_letter(score_col(0)), get_column_letter(score_col(n - 1))
    for k, label in enumerate(FOOTER_ROWS):
        ws.cell(u + k, 1, label).font = BOLD
    for i in range(n):
        c = score_col(i)
        col = get_column_letter(c)
        scores = f"{col}{FIRST_ROW}:{col}{last}"
        ws.cell(u, c, f'=SUMIF({rng("C")},"yes",{scores})').font = BOLD
        ws.cell(w, c, f'=SUMPRODUCT(({rng("C")}="yes")*{rng("D")}*{scores})').font = BOLD
        ws.cell(pct, c, f'={col}{w}/({a.scale.max:g}*SUMIF({rng("C")},"yes",{rng("D")}))*100').number_format = "0.0"
        for row, total in ((ru, u), (rw, w)):
            # Competition rank among the options in the ranking (RANK cannot skip excluded ones).
            ws.cell(row, c, f'=IF({col}$3="yes",1+COUNTIFS(${first_col}${total}:${last_col}${total},">"&{col}{total},'
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


def _scale_sheet(wb: Workbook, a: Appraisal) -> None:
    ws = wb.create_sheet("Scale")
    ws.append(["Score", "Label"])
    for lv in a.scale.levels:
        ws.append([lv.value, lv.label])
    ws.append([])
    ws.append(["Scale", f"{a.scale.min:g} to {a.scale.max:g} in steps of {a.scale.step:g}"])
    for c in ws[1]:
        c.font = BOLD


def _rationale_sheet(wb: Workbook, a: Appraisal) -> None:
    ws = wb.create_sheet("Rationale")
    ws.append(["Option", "Criterion", "Score", "Label (scale)", "Label as printed", "Rationale", "Note"])
    for c in ws[1]:
        c.font = BOLD
    for o in a.options:
        for crit in a.criteria:
            cell = a.cell(o.id, crit.id)
            ws.append([o.name, crit.name, "missing" if cell.score is None else cell.score, a.scale.label_for(cell.score),
                       cell.label or "", cell.rationale, cell.note])
    for col, width in zip("ABCDEFG", (30, 40, 8, 12, 14, 90, 40)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"


def _sensitivity_sheet(wb: Workbook, a: Appraisal, sens: dict[str, Any]) -> None:
    ws = wb.create_sheet("Sensitivity")
    # Rows are only appended here, so the last one is ws._current_row: ws.max_row scans every cell.
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}

    def title(text: str) -> None:
        ws.append([])
        ws.append([text])
        ws.cell(ws._current_row, 1).font = Font(bold=True, size=12)

    ws.append([f"Leader: {name.get(sens['leader'], 'a tie')}"])
    ws.cell(1, 1).font = Font(bold=True, size=12)
    title("One-way weight sensitivity (shares of the total weight)")
    ws.append(["Criterion", "Share now", "Leader holds from", "to", "Ranking holds from", "to", "Crossovers"])
    for ow in sens["one_way"]:
        cross = "; ".join(f"{c['share']:.4f}: {who(c['from'], name)} -> {who(c['to'], name)}" for c in ow["crossovers"])
        ws.append([cname[ow["criterion"]], ow["share"], *ow["leader_interval"], *ow["ranking_interval"], cross])
        for col in (2, 3, 4, 5, 6):
            ws.cell(ws._current_row, col).number_format = "0.0%"
    title("Score switching values: single scores that change the leader within the scale")
    ws.append(["Option", "Criterion", "Score", "Switch to", "New leader", "Exact threshold"])
    switches = [s for s in sens["score_switching"] if s["switch_to"] is not None]
    for s in switches:
        ws.append([name[s["option"]], cname[s["criterion"]], s["score"], s["switch_to"], name[s["new_leader"]], s["threshold"]])
    if not switches:
        ws.append(["None: no single score within the scale changes the leader."])
    sc = sens["smallest_change"]
    ws.append([f"Smallest change anywhere: {sc['points']} one-point edits, then {name.get(sc['new_leader'], 'a tie')} leads"])
    for e in sc["edits"]:
        ws.append(["", f"{name[e['option']]} / {cname[e['criterion']]}", e["from"], e["to"]])
    sm = sens["smaa"]
    title(f"SMAA-2 rank acceptability: {sm['samples']} samples, seed {sm['seed']}, weights {sm['mode']}")
    n = len(sm["rank_acceptability"])
    ws.append(["Option", *[f"Rank {k + 1}" for k in range(n)], "Confidence", "Can lead alone"])
    for oid, row in sm["rank_acceptability"].items():
        ws.append([name[oid], *row, sm["confidence"][oid], "yes" if sens["potentially_optimal"].get(oid) else "no"])
        for col in range(2, n + 3):
            ws.cell(ws._current_row, col).number_format = "0.0%"
    title(f"Tornado: leader's margin as each weight moves -{sens['tornado_range'] * 100:g}% .. +{sens['tornado_range'] * 100:g}%")
    ws.append(["Criterion", "Margin at low", "Margin at high", "Leader changes"])
    for b in sens["tornado"]:
        ws.append([cname[b["criterion"]], b["low_margin"], b["high_margin"], "yes" if b["leader_changes"] else "no"])
    ws.column_dimensions["A"].width = 48
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16


def _participants_sheet(wb: Workbook, a: Appraisal) -> None:
    """Each participant's weights, own scores and preferred option; the group's; decisive disagreements."""
    from ..group_report import group_report

    r = group_report(a, samples=0)  # the sheet shows no SMAA
    ws = wb.create_sheet("Participants")
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    for line in r["sentences"]:
        ws.append([line])
    ws.append([])
    people = list(a.participants)
    ws.append(["Weights", *[p.name for p in people], f"Group share ({r['aggregate']})"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for crit in a.criteria:
        ws.append([crit.name, *[p.weights.get(crit.id, a.weights[crit.id]) for p in people], r["group"]["weights"][crit.id]])
        ws.cell(ws.max_row, len(people) + 2).number_format = "0.0%"
    ws.append(["Prefers", *[name.get(p["leader"], "a tie") for p in r["participants"]], name.get(r["group"]["leader"], "a tie")])
    ws.append(["Group leader without them", *[name.get(r["leave_one_out"][p.name], "a tie") for p in people]])
    for row in (ws.max_row - 1, ws.max_row):
        ws.cell(row, 1).font = BOLD
    ws.append([])
    ws.append(["Scores given by participants", "Option", "Participant", "Score", "Scale's score"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for p in people:
        for cell, v in p.scores.items():
            o, _, crit = cell.partition(":")
            ws.append([cname[crit], name[o], p.name, v, a.cell(o, crit).score])
    ws.append([])
    ws.append(["Decisive disagreements", "Range", "Lowest", "Highest"])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for d in r["decisive_cells"]:
        ws.append([f"{name[d['option']]} / {cname[d['criterion']]}", f"{d['min']:g} to {d['max']:g}", d["low"], d["high"]])
    for d in r["decisive_criteria"]:
        ws.append([f"weight of {cname[d['criterion']]}", f"{d['min_share']:.1%} to {d['max_share']:.1%} of the weight"])
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
        ws.append([k, v])
        ws.cell(ws.max_row, 1).font = BOLD
    ws.append([])
    ws.append(["Scenario steps applied", f"{len(steps)}"])
    ws.cell(ws.max_row, 1).font = BOLD
    ws.append(["#", "Action", "Detail", "Note", "By", "At"])
    for k, s in enumerate(steps, 1):
        detail = {x: y for x, y in s.model_dump(exclude={"action", "note", "by", "at"}, exclude_defaults=True, by_alias=True).items()}
        ws.append([k, s.action, ", ".join(f"{x}={y}" for x, y in detail.items()), s.note, s.by, s.at])
    ws.append([])
    ws.append(["Findings (appraisal validate)", f"{len(findings)}"])
    ws.cell(ws.max_row, 1).font = BOLD
    ws.append(["Code", "Finding", "Where"])
    for f in findings:
        ws.append([f.code, f.message, f.where])
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 110
    ws.column_dimensions["C"].width = 36
    for row in ws.iter_rows():
        if len(row) > 1:
            row[1].alignment = Alignment(wrap_text=True, vertical="top")


def to_xlsx(a: Appraisal, ev: Evaluation, *, sensitivity: dict[str, Any], findings: list, steps: list[Step] = (), source: str = "") -> bytes:  # type: ignore[assignment]
    wb = Workbook()
    _scores_sheet(wb, a)
    _rationale_sheet(wb, a)
    _sensitivity_sheet(wb, a, sensitivity)
    _scale_sheet(wb, a)
    if a.participants:
        _participants_sheet(wb, a)
    _provenance_sheet(wb, a, findings, list(steps), source)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
