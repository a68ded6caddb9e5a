"""Appraisal -> CSV text: the wide score matrix (criteria as rows, options as columns; the layout
`appraisal import` reads back) and the long form (one row per cell) for pivot tables. UTF-8 with a BOM
so Excel opens accents correctly."""

from __future__ import annotations

import csv
import io

from ..engine import Evaluation
from ..io.sheet_layout import FOOTER_ROWS, HEAD, ID_ROW, IN_RANKING_ROW, LONG_HEAD
from ..model import Appraisal



def _n(x: float) -> str:
    if x != x:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def matrix_rows(a: Appraisal, ev: Evaluation) -> list[list[str]]:
    rows = [HEAD + [o.name for o in a.options]]
    rows.append([ID_ROW, "", "", "", ""] + [o.id for o in a.options])
    rows.append([IN_RANKING_ROW, "", "", "", ""] + ["no" if o.excluded else "yes" for o in a.options])
    for j, c in enumerate(a.criteria):
        cells = []
        for o in a.options:
            s = a.cell(o.id, c.id).score
            cells.append("missing" if s is None else _n(s))
        rows.append([c.name, c.id, "no" if c.id in a.disabled else "yes", _n(a.weights[c.id]), f"{ev.shares[j]:.6f}"] + cells)
    totals = [ev.unweighted, ev.weighted, [round(x, 4) for x in ev.percent]]
    for k, label in enumerate(FOOTER_ROWS):
        if k < 3:
            values = [_n(v) for v in totals[k]]
        else:
            ranks = ev.rank_unweighted if k == 3 else ev.rank_weighted
            values = ["excluded" if o.excluded else (str(int(r)) if r else "") for o, r in zip(a.options, ranks)]
        rows.append([label, "", "", "", ""] + values)
    return rows


def long_rows(a: Appraisal, ev: Evaluation) -> list[list[str]]:
    rows = [list(LONG_HEAD)]
    for o in a.options:
        for j, c in enumerate(a.criteria):
            cell = a.cell(o.id, c.id)
            rows.append([o.id, o.name, c.id, c.name, "missing" if cell.score is None else _n(cell.score), a.scale.label_for(cell.score),
                         cell.label or "", _n(a.weights[c.id]), f"{ev.shares[j]:.6f}", "no" if c.id in a.disabled else "yes",
                         "no" if o.excluded else "yes", cell.rationale])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + buf.getvalue()
