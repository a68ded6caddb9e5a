"""Appraisal -> the ranking report: one dict (the JSON shape of `appraisal rank`) and its renderings
(rich table, CSV, Markdown)."""

from __future__ import annotations

import csv
import io
import math
from typing import Any


from ..engine import evaluate, problem_from
from .findings import findings
from .numbers import fmt
from .safe_text import add_row, csv_text, md, term, visible
from ..model import Appraisal


def _num(x: float) -> float | int | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    x = float(x)
    return int(x) if x.is_integer() else x


def ranking_report(a: Appraisal) -> dict[str, Any]:
    p = problem_from(a)
    ev = evaluate(p)
    return {
        "title": a.title,
        "criteria": [
            {"id": c.id, "name": c.name, "weight": _num(a.weights[c.id]), "share": _num(ev.shares[j]), "enabled": bool(p.criterion_active[j])}
            for j, c in enumerate(a.criteria)
        ],
        "options": [
            {
                "id": o.id,
                "name": o.name,
                "excluded": o.excluded,
                "unweighted_total": _num(ev.unweighted[i]),
                "weighted_total": _num(ev.weighted[i]),
                "weighted_percent": _num(ev.percent[i]),
                "rank_unweighted": int(ev.rank_unweighted[i]) or None,
                "rank_weighted": int(ev.rank_weighted[i]) or None,
            }
            for i, o in enumerate(a.options)
        ],
        "dominated": [{"option": option, "by": by} for option, by in ev.dominated_by().items()],
        "findings": [f.as_dict() for f in findings(a, p, ev)],
    }


def _fmt(x: float | None) -> str:
    return fmt(x, missing="-")


def _ordered(report: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(report["options"], key=lambda o: (o["rank_weighted"] is None, o["rank_weighted"] or 0))


ROW_HEADERS = ["Rank", "Option", "Unweighted", "U-rank", "Weighted", "Weighted %"]


def _rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [
            _fmt(o["rank_weighted"]) if not o["excluded"] else "excluded",
            o["name"],
            _fmt(o["unweighted_total"]),
            _fmt(o["rank_unweighted"]),
            _fmt(o["weighted_total"]),
            "-" if o["weighted_percent"] is None else f"{o['weighted_percent']:.1f}%",
        ]
        for o in _ordered(report)
    ]


def render_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; with "\n", a name holding a CR would not be quoted
    w.writerow(["id", *ROW_HEADERS])
    for o, row in zip(_ordered(report), _rows(report)):
        row[1] = csv_text(row[1])  # the name: text in a spreadsheet, never a formula
        w.writerow([o["id"], *row])
    return buf.getvalue()


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"## {md(report['title'])}", "", "| " + " | ".join(ROW_HEADERS) + " |", "|" + "|".join(["---:", ":---", "---:", "---:", "---:", "---:"]) + "|"]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in _rows(report)]
    if report["dominated"]:
        names = {o["id"]: md(o["name"]) for o in report["options"]}
        lines.append("")
        for d in report["dominated"]:
            lines.append(f"- {names[d['option']]} is dominated by {', '.join(names[b] for b in d['by'])}.")
    return "\n".join(lines) + "\n"


def render_table(report: dict[str, Any]):
    """A rich renderable (imported lazily: JSON output never pays for rich)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=term(report["title"]), title_style="bold", header_style="bold")
    for h in ROW_HEADERS:
        table.add_column(h, justify="left" if h == "Option" else "right", no_wrap=h != "Option")
    for o, row in zip(_ordered(report), _rows(report)):
        add_row(table, *row, style="dim" if o["excluded"] else None)
    names = {o["id"]: visible(o["name"]) for o in report["options"]}
    notes = [Text(f"{names[d['option']]} is dominated by {', '.join(names[b] for b in d['by'])}.", style="yellow") for d in report["dominated"]]
    weights = sorted({c["weight"] for c in report["criteria"] if c["enabled"]})
    active = sum(c["enabled"] for c in report["criteria"])
    note = f"{active} criteria in use; weights " + (f"all {_fmt(weights[0])}" if len(weights) == 1 else f"{_fmt(weights[0])} to {_fmt(weights[-1])}")
    n = len(report["findings"])
    tail = Text(f"{note}. U-rank is the unweighted rank. {n} findings: `appraisal validate` lists them.", style="dim")
    return Group(table, *notes, tail)
