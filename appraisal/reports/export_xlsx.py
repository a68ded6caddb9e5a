"""Appraisal and its sensitivity report -> an Excel workbook that holds up in every client: a Scores
sheet whose totals, % and ranks are live formulas over the score and weight cells (change a weight in
Excel and the ranking moves) *and* carry their computed values (so previewers, phone apps and
non-recalculating readers show the numbers too), with rationales as cell comments and validation on
score, weight and yes/no cells; and Rationale, Sensitivity, Scale, Participants and Provenance sheets.
Every sheet prints landscape on A4, one page wide, its header rows repeated.

Written with XlsxWriter: it stores a formula's value beside the formula, which openpyxl cannot (openpyxl
still reads workbooks back for `appraisal import`). Only the formulas written here are formulas: text
is always written as text."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import CellFormulaTuple, CellNumberTuple

from .. import __version__
from ..engine import Evaluation
from ..errors import AppraisalError
from ..io.sheet_text import EXCEL_MAX_TEXT, excel_length, too_long_for_excel
from ..engine.core import TIE_RTOL
from ..io.sheet_layout import FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW
from ..model import Appraisal
from ..model.scenario import Step
from .safe_text import xlsx_text
from .sensitivity import who
from .sheet_values import SheetTotals, sheet_totals
from .xlsx_book import Book, Rows, fit_row, plain_formula, text
from .xlsx_tree import tree_scores_sheet, uses_tree_sheet

FIRST_ROW = 3  # 0-based: criteria start on row 4, below the header, ids and in-ranking rows


def score_col(i: int) -> int:
    """0-based column of option i's scores: F, H, J, ... (its label beside it)."""
    return len(HEAD) + 2 * i


def _scores_sheet(book: Book, a: Appraisal, values: SheetTotals) -> None:
    ws = book.sheet("Scores", header_rows=FIRST_ROW)
    n, m = len(a.options), len(a.criteria)
    first, last = FIRST_ROW + 1, FIRST_ROW + m  # 1-based rows of the criteria, for formulas
    rng = lambda col: f"${col}${first}:${col}${last}"  # noqa: E731
    for k, h in enumerate(HEAD):
        ws.write_string(0, k, h, book.head)
    ws.write_string(1, 0, ID_ROW, book.grey)
    ws.write_string(2, 0, IN_RANKING_ROW, book.bold)
    for i, o in enumerate(a.options):
        c = score_col(i)
        text(ws, 0, c, o.name, book, book.head)
        ws.write_string(0, c + 1, "label", book.grey)
        text(ws, 1, c, o.id, book, book.grey)
        ws.write_string(2, c, "no" if o.excluded else "yes")
    levels = len(a.scale.levels)
    scores, notes = a.cells.scores.tolist(), a.cells.notes  # read as arrays: a Cell per cell costs ~20 us
    label_of = _labels(a)
    cols = [(score_col(i), xl_col_to_name(score_col(i))) for i in range(n)]
    missing = book.cell("missing")
    lookup = f",Scale!$A$2:$B${1 + levels},2,FALSE),\"\")"
    plain_formula(f"=IFERROR(VLOOKUP(F9{lookup}")  # the labels' formulas are stored as written, below
    for j, crit in enumerate(a.criteria):
        r, xr = FIRST_ROW + j, FIRST_ROW + j + 1  # 0-based row, and its 1-based number in formulas
        text(ws, r, 0, crit.name, book)
        text(ws, r, 1, crit.id, book, book.grey)
        ws.write_string(r, 2, "no" if crit.id in a.disabled else "yes")
        ws.write_number(r, 3, a.weights[crit.id])
        ws.write_formula(r, 4, f'=IF(C{xr}="yes",D{xr}/SUMIF({rng("C")},"yes",{rng("D")}),0)', book.pct, values.shares[j])
        row = []  # score, label, score, label, ...: one put_row a criterion (20,000 calls cost ~0.1 s on 100x200)
        for i, (c, col) in enumerate(cols):
            score = scores[i][j]
            row.append(missing if score != score else CellNumberTuple(score, None))  # NaN: missing
            note = notes.get(i * m + j)
            if note is not None and (note.rationale or note.note):
                words = note.rationale + (f"\n\n{note.note}" if note.note else "")
                ws.write_comment(r, c, xlsx_text(words), {"author": "appraisal", "x_scale": 3, "y_scale": 3})
            row.append(CellFormulaTuple(f"IFERROR(VLOOKUP({col}{xr}{lookup}", book.grey, label_of(score)))
        ws.put_row(r, row, cols[0][0])
    # Totals, % and ranks: live formulas, with the values they compute to.
    u, w, pct, ru, rw = (FIRST_ROW + m + k for k in range(5))
    first_col, last_col = xl_col_to_name(score_col(0)), xl_col_to_name(score_col(n - 1))
    for k, label in enumerate(FOOTER_ROWS):
        ws.write_string(u + k, 0, label, book.bold)
    ins = f"${first_col}$3:${last_col}$3"
    for i in range(n):
        c = score_col(i)
        col = xl_col_to_name(c)
        scores = f"{col}{first}:{col}{last}"
        # An option with a missing score on a criterion in use has no total and no rank (as in the engine).
        gap = f'COUNTIFS({rng("C")},"yes",{scores},"missing")>0'
        ws.write_formula(u, c, f'=IF({gap},"missing",SUMIF({rng("C")},"yes",{scores}))', book.bold_num, values.unweighted[i])
        ws.write_formula(w, c, f'=IF({gap},"missing",SUMPRODUCT(({rng("C")}="yes")*{rng("D")},{scores}))', book.total, values.weighted[i])
        ws.write_formula(pct, c, f'=IF(ISNUMBER({col}{w + 1}),{col}{w + 1}/({a.scale.max:g}*SUMIF({rng("C")},"yes",{rng("D")}))*100,"missing")',
                         book.pct_bold, values.percent[i])
        for row, total, ranks in ((ru, u, values.rank_unweighted), (rw, w, values.rank_weighted)):
            # Competition rank among the options in the ranking: 1 + those ahead by more than the engine's
            # tie tolerance (RANK cannot skip excluded options, and 0.1 + 0.2 must tie with 0.3).
            totals, me = f"${first_col}${total + 1}:${last_col}${total + 1}", f"{col}{total + 1}"
            tol = f"{TIE_RTOL:g}*MAX(1,MAX({totals}),-MIN({totals}))"
            ws.write_formula(row, c, f'=IF({col}$3<>"yes","excluded",IF(ISNUMBER({me}),'
                                     f'1+SUMPRODUCT(ISNUMBER({totals})*({ins}="yes")*({totals}>{me}+{tol})),"missing"))', book.bold_num, ranks[i])
    _scores_rules(book, ws, a, n, m)
    ws.freeze_panes(FIRST_ROW, len(HEAD))
    ws.set_column(0, 0, name_width(a))
    ws.set_column(1, 1, 20)
    ws.set_column(2, 4, 8)
    for i in range(n):
        ws.set_column(score_col(i), score_col(i), 14)
        ws.set_column(score_col(i) + 1, score_col(i) + 1, 10)
    ws.set_row(0, 45)
    ws.print_area(0, 0, FIRST_ROW + m + len(FOOTER_ROWS) - 1, score_col(n - 1) + 1)
    ws.repeat_columns(0, 0)


def name_width(a: Appraisal, least: int = 30, most: int = 80) -> int:
    """Column A wide enough for the longest criterion name (within reason), so the id column never cuts it."""
    return max(least, min(most, max((len(c.name) for c in a.criteria), default=0) + 2))


def _scores_rules(book: Book, ws, a: Appraisal, n: int, m: int) -> None:
    """Greyed out: an excluded option's columns, a switched-off criterion's row (live: typing no greys);
    else colours by level. Validation: scores on the scale's grid (or 'missing'), weights >= 0, yes/no."""
    lo, hi, step = a.scale.min, a.scale.max, a.scale.step
    top, bottom = FIRST_ROW, FIRST_ROW + m - 1
    for i in range(n):
        c = score_col(i)
        ws.conditional_format(top, c, bottom, c + 1, {"type": "formula", "criteria": f'=OR($C{top + 1}="no",${xl_col_to_name(c)}$3="no")',
                                                      "format": book.greyed, "stop_if_true": True})
        for b, fill in enumerate(book.fills):
            start = lo + (hi - lo) * b / 5
            end = lo + (hi - lo) * (b + 1) / 5 - 1e-9 if b < 4 else hi
            ws.conditional_format(top, c, bottom, c, {"type": "cell", "criteria": "between", "minimum": start, "maximum": end, "format": fill})
        ref = xl_rowcol_to_cell(top, c)
        ws.data_validation(top, c, bottom, c, {
            "validate": "custom",
            "value": f'=OR({ref}="missing",AND(ISNUMBER({ref}),{ref}>={lo:g},{ref}<={hi:g},'
                     f'ROUND(({ref}-{lo:g})/{step:g},9)=INT(ROUND(({ref}-{lo:g})/{step:g},9))))',
            "input_title": "Score",
            "input_message": f"{lo:g} to {hi:g} in steps of {step:g}, or missing"[:255],
            "error_title": "Not on the scale",
            "error_message": f"A score is a number from {lo:g} to {hi:g} in steps of {step:g}, or the word missing."[:255],
        })
    yes_no = {"validate": "list", "source": ["yes", "no"], "error_title": "yes or no", "error_message": "Type yes or no."}
    ws.data_validation(top, 2, bottom, 2, {**yes_no, "input_title": "In use", "input_message": "yes: the criterion counts; no: switched off"})
    ws.data_validation(2, score_col(0), 2, score_col(n - 1), {**yes_no, "input_title": "In ranking", "input_message": "no: the option is excluded"})
    ws.data_validation(top, 3, bottom, 3, {"validate": "decimal", "criteria": ">=", "value": 0, "input_title": "Weight",
                                            "input_message": "A number, 0 or more", "error_title": "Weight", "error_message": "A weight is a number, 0 or more."})


def _scale_sheet(book: Book, a: Appraisal) -> None:
    ws = book.sheet("Scale")
    ws.write_row(0, 0, ["Score", "Label"], book.head)
    for k, lv in enumerate(a.scale.levels, 1):
        ws.write_number(k, 0, lv.value)
        text(ws, k, 1, lv.label, book)
    r = len(a.scale.levels) + 2
    ws.write_row(r, 0, ["Lowest", "Highest", "Step"], book.bold)
    ws.write_row(r + 1, 0, [a.scale.min, a.scale.max, a.scale.step])
    ws.set_column(0, 2, 12)


RATIONALE_WIDTH, NOTE_WIDTH = 90, 40  # characters


def _rationale_sheet(book: Book, a: Appraisal) -> None:
    ws = book.sheet("Rationale")
    ws.write_row(0, 0, ["Option", "Criterion", "Score", "Label (scale)", "Label as printed", "Rationale", "Note"], book.head)
    scores, notes, m = a.cells.scores.tolist(), a.cells.notes, len(a.criteria)
    label_of, cell = _labels(a), book.cell
    top = book.top
    names = [cell(o.name, top) for o in a.options]
    criteria = [cell(c.name, top) for c in a.criteria]
    by_score: dict[float | None, tuple] = {}  # score (None: missing) -> its Score and Label cells
    no_text = (None, None, None)  # left empty, not "" (a third of a big sheet's cells, and truly blank to a filter)
    rows = []
    for i, score_row in enumerate(scores):
        for j, score in enumerate(score_row):
            key = None if score != score else score
            pair = by_score.get(key)
            if pair is None:
                pair = by_score[key] = (cell("missing" if key is None else score, top), cell(label_of(score), top))
            note = notes.get(i * m + j)
            texts = no_text if note is None else (note.label and cell(note.label, top), note.rationale and cell(note.rationale, book.wrap),
                                                  note.note and cell(note.note, book.wrap))
            rows.append([names[i], criteria[j], *pair, *texts])
            if note is not None:
                fit_row(ws, len(rows), [(note.rationale, RATIONALE_WIDTH), (note.note, NOTE_WIDTH)])
    ws.put_rows(1, rows)
    for k, width in enumerate((30, name_width(a, 30, 60), 8, 12, 14, RATIONALE_WIDTH, NOTE_WIDTH)):
        ws.set_column(k, k, width)
    ws.freeze_panes(1, 2)


def _labels(a: Appraisal):
    """score (NaN when missing) -> its scale label, as `Scale.label_for` gives it, once per distinct score."""
    seen: dict[float, str] = {}

    def label_of(score: float) -> str:
        if score != score:
            return ""
        hit = seen.get(score)
        if hit is None:
            hit = seen[score] = a.scale.label_for(score)
        return hit

    return label_of


def _sensitivity_sheet(book: Book, a: Appraisal, sens: dict[str, Any]) -> None:
    ws = book.sheet("Sensitivity")
    out = Rows(book, ws)
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    out.add([f"Leader: {name.get(sens['leader'], 'a tie')}"], book.title)
    out.title("One-way weight sensitivity (shares of the total weight)")
    out.add(["Criterion", "Share now", "Leader holds from", "to", "Ranking holds from", "to", "Crossovers"], book.head)
    pct = {k: book.pct for k in (1, 2, 3, 4, 5)}
    for ow in sens["one_way"]:
        cross = "; ".join(f"{c['share']:.1%}: {who(c['from'], name)} → {who(c['to'], name)}" for c in ow["crossovers"])
        out.add([cname[ow["criterion"]], ow["share"], *ow["leader_interval"], *ow["ranking_interval"], cross], formats=pct)
    out.title("Score switching values: single scores that change the leader within the scale")
    out.add(["Option", "Criterion", "Score", "Switch to", "New leader", "Exact threshold"], book.head)
    switches = [s for s in sens["score_switching"] if s["switch_to"] is not None]
    for s in switches:
        out.add([name[s["option"]], cname[s["criterion"]], s["score"], s["switch_to"], name[s["new_leader"]], s["threshold"]], formats={5: book.decimal})
    if not switches:
        out.add(["None: no single score within the scale changes the leader."])
    sc = sens["smallest_change"]
    if sc["edits"]:
        out.title(f"Smallest change of scores that changes the leader: {sc['points']} one-point edits; then "
                  f"{name.get(sc['new_leader'], 'a tie')} leads")
        out.add(["Option", "Criterion", "Score now", "Changed to"], book.head)
        for e in sc["edits"]:
            out.add([name[e["option"]], cname[e["criterion"]], e["from"], e["to"]])
    else:
        out.title("Smallest change of scores that changes the leader: none within the scale")
    sm = sens["smaa"]
    if sm:
        out.title(f"SMAA-2 rank acceptability: {sm['samples']:,} samples, seed {sm['seed']}, weights {sm['mode']}")
        out.add(["Samples", sm["samples"], "Seed", sm["seed"]])
        n = len(sm["rank_acceptability"])
        out.add(["Option", *[f"Rank {k + 1}" for k in range(n)], "Confidence", "Can lead alone"], book.head)
        for oid, row in sm["rank_acceptability"].items():
            out.add([name[oid], *row, sm["confidence"][oid], "yes" if sens["potentially_optimal"].get(oid) else "no"], formats={k: book.pct for k in range(1, n + 2)})
    _tornado(book, out, a, sens, cname)
    ws.set_column(0, 0, 48)
    ws.set_column(1, 1, name_width(a, 16, 48))  # criteria of the smallest change
    ws.set_column(2, 7, 16)


def _tornado(book: Book, out: Rows, a: Appraisal, sens: dict[str, Any], cname: dict[str, str]) -> None:
    """The leader's lead over the best other option as each weight moves, in points of the Scores sheet's
    Weighted % (the engine's margin is on the scale: a weighted average score; x 100 / the scale's max)."""
    x = sens["tornado_range"] * 100
    out.title(f"Tornado: the leader's lead as each weight moves -{x:g}% .. +{x:g}%")
    bars = sens["tornado"]

    def points(margin: float | None) -> float | None:  # None: no weight left at that end
        return None if margin is None or not a.scale.max else margin * 100 / a.scale.max

    if bars and points(bars[0]["base_margin"]) is not None:
        out.add([f"Lead over the best other option, in points of Weighted % on the Scores sheet: {points(bars[0]['base_margin']):.1f} now"], book.grey)
    out.add(["Criterion", "Lead at low", "Lead at high", "Leader changes"], book.head)
    for b in bars:
        out.add([cname[b["criterion"]], points(b["low_margin"]), points(b["high_margin"]), "yes" if b["leader_changes"] else "no"],
                formats={1: book.points, 2: book.points})


def _participants_sheet(book: Book, a: Appraisal) -> None:
    """Each participant's weights, own scores and preferred option; the group's; decisive disagreements."""
    from .group import group_report, leader_without

    r = group_report(a, samples=0)  # the sheet shows no SMAA
    ws = book.sheet("Participants")
    out = Rows(book, ws)
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    for line in r["sentences"]:
        out.add([line])
    out.blank()
    people = list(a.participants)
    out.add(["Weights", *[p.name for p in people], f"Group share ({r['aggregate']})"], book.head)
    for crit in a.criteria:
        out.add([crit.name, *[p.weights.get(crit.id, a.weights[crit.id]) for p in people], r["group"]["weights"][crit.id]], formats={len(people) + 1: book.pct})
    out.add(["Prefers", *[name.get(p["leader"], "a tie") for p in r["participants"]], name.get(r["group"]["leader"], "a tie")], formats={0: book.bold})
    out.add(["Group leader without them", *[leader_without(r, p.name, name) for p in people]], formats={0: book.bold})
    out.blank()
    out.add(["Scores given by participants", "Option", "Participant", "Score", "Scale's score"], book.head)
    for p in people:
        for cell, v in p.scores.items():
            o, _, crit = cell.partition(":")
            out.add([cname[crit], name[o], p.name, v, a.cell(o, crit).score])
    out.blank()
    out.add(["Decisive disagreements", "Lowest", "Highest", "Held lowest by", "Held highest by"], book.head)
    for d in r["decisive_cells"]:
        out.add([f"{name[d['option']]} / {cname[d['criterion']]}", d["min"], d["max"], d["low"] or "", d["high"] or ""])
    for d in r["decisive_criteria"]:
        out.add([f"share of the weight on {cname[d['criterion']]}", d["min_share"], d["max_share"], d.get("low", ""), d.get("high", "")],
                formats={1: book.pct, 2: book.pct})
    ws.set_column(0, 0, 48)
    ws.set_column(1, len(people) + 1, 18)


def _provenance_sheet(book: Book, a: Appraisal, findings: list, steps: list[Step], source: str) -> None:
    ws = book.sheet("Provenance")
    out = Rows(book, ws)
    rows = [
        ("Title", a.title), ("Source document", a.provenance.document), ("Source title", a.provenance.title),
        ("Appendix", a.provenance.appendix), ("Date", a.provenance.date), ("Notes", a.provenance.notes),
        # The file's name only: the folders of the machine that exported it are nobody's business.
        ("Exported from", Path(source).name if source else "the workshop app"), ("Exported by", f"appraisal {__version__}"),
        ("Exported at", datetime.now().astimezone().isoformat(timespec="seconds")),
    ]
    wide, narrow = 110, 24  # characters: column B, and C to F
    # Every row as tall as its wrapped text: printed rows are drawn at their stored height, so a taller
    # text printed over the rows below (review: the Notes and the Findings overprinted).
    for k, v in rows:
        fit_row(ws, out.add([k, v], formats={0: book.bold_top, 1: book.wrap}), [(str(v), wide)])
    out.blank()
    out.add(["Scenario steps applied", len(steps)], formats={0: book.bold})
    out.add(["#", "Action", "Detail", "Note", "By", "At"], book.head)
    for k, s in enumerate(steps, 1):
        detail = ", ".join(f"{x}={y}" for x, y in s.model_dump(exclude={"action", "note", "by", "at"}, exclude_defaults=True, by_alias=True).items())
        row = out.add([k, s.action, detail, s.note, s.by, s.at], book.top, formats={2: book.wrap, 3: book.wrap})
        fit_row(ws, row, [(detail, narrow), (s.note, narrow)])
    out.blank()
    out.add(["Findings (appraisal validate)", len(findings)], formats={0: book.bold})
    out.add(["Code", "Finding", "Where"], book.head)
    for f in findings:
        fit_row(ws, out.add([f.code, f.message, f.where], book.top, formats={1: book.wrap, 2: book.wrap}), [(f.message, wide), (f.where, narrow)])
    ws.set_column(0, 0, 32)
    ws.set_column(1, 1, wide)
    ws.set_column(2, 5, narrow)


def _check_lengths(a: Appraisal, source: str) -> None:
    """A rationale, note or label longer than an Excel cell holds: refused, naming its cell, before anything
    is written (XlsxWriter would cut it to 32,767 characters without a word, and `appraisal import` would
    bring the cut text back as the whole). The cell comment holds rationale and note together."""
    m = len(a.criteria)
    for k, note in sorted(a.cells.notes.items()):
        comment = note.rationale + (f"\n\n{note.note}" if note.note else "")
        for what, words in (("rationale", note.rationale), ("note", note.note), ("label", note.label or ""), ("rationale and note", comment)):
            if len(words) > EXCEL_MAX_TEXT // 2 and too_long_for_excel(xlsx_text(words)):
                o, c = a.options[k // m], a.criteria[k % m]
                raise AppraisalError(f"option '{o.name}', criterion '{c.name}': the {what} is {excel_length(xlsx_text(words)):,} characters; "
                                     f"an Excel cell holds at most {EXCEL_MAX_TEXT:,} (shorten it, or export csv, md, html or json, "
                                     "which keep it whole); nothing written", file=source or None)


def to_xlsx(a: Appraisal, ev: Evaluation, *, sensitivity: dict[str, Any], findings: list, steps: list[Step] = (), source: str = "") -> bytes:  # type: ignore[assignment]
    _check_lengths(a, source)
    buf = BytesIO()
    book = Book(buf, source)
    if uses_tree_sheet(a):
        tree_scores_sheet(book, a)  # groups, natural units or costs: the tree's formulas, and a Value functions sheet
    else:
        _scores_sheet(book, a, sheet_totals(a))
    _rationale_sheet(book, a)
    _sensitivity_sheet(book, a, sensitivity)
    _scale_sheet(book, a)
    if a.participants:
        _participants_sheet(book, a)
    _provenance_sheet(book, a, findings, list(steps), source)
    book.wb.close()
    return buf.getvalue()
