"""Appraisal -> the ranking report: one dict (the JSON shape of `appraisal rank`) and its renderings
(rich table, CSV, Markdown)."""

from __future__ import annotations

import io
import math
from typing import Any


from ..engine import evaluate, problem_from
from .findings import MATCHES, findings
from .numbers import fmt, fmt_sig
from .safe_text import add_row, csv_text, md, term, visible
from .tree import tree_parts
from ..model import Appraisal


def _num(x: float) -> float | int | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    x = float(x)
    return int(x) if x.is_integer() else x


def ranking_report(a: Appraisal) -> dict[str, Any]:
    p = problem_from(a)
    ev = evaluate(p)
    tree = tree_parts(a, p, ev)
    return {
        "title": a.title,
        "criteria": [
            {"id": c.id, "name": c.name, "weight": _num(a.weights[c.id]), "share": _num(ev.shares[j]), "enabled": bool(p.criterion_active[j]),
             "effective_share": _num(ev.shares[j]), **tree["criteria"][j]}
            for j, c in enumerate(a.criteria)
        ],
        "options": [
            {
                "id": o.id,
                "name": o.name,
                "label": o.label,
                "excluded": o.excluded,
                "unweighted_total": _num(ev.unweighted[i]),
                "weighted_total": _num(ev.weighted[i]),
                "weighted_percent": _num(ev.percent[i]),
                "rank_unweighted": int(ev.rank_unweighted[i]) or None,
                "rank_weighted": int(ev.rank_weighted[i]) or None,
                "group_totals": tree["group_totals"][i],
                "cost": _num(o.cost),
            }
            for i, o in enumerate(a.options)
        ],
        "dominated": [{"option": option, "by": by} for option, by in ev.dominated_by().items()],
        "findings": [f.as_dict() for f in findings(a, p, ev)],
        "groups": tree["groups"],
        "weights": "local" if a.group_weights is not None else "global",
        "value_for_money": tree["value_for_money"],
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
    import csv  # only for --format csv

    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; with "\n", a name holding a CR would not be quoted
    groups = [g["id"] for g in report.get("groups") or []]
    vfm = report.get("value_for_money")
    extra = [f"group:{g}" for g in groups] + (["Cost", "Value per cost", "On frontier"] if vfm else [])
    w.writerow(["id", *ROW_HEADERS, *extra])
    for o, row in zip(_ordered(report), _rows(report)):
        more = [_fmt(o["group_totals"].get(g)) for g in groups]
        if vfm:
            more += [_fmt(o["cost"]), fmt(vfm["value_per_cost"].get(o["id"]), 4, missing="-"), "yes" if o["id"] in vfm["frontier"] else "no"]
        row[1] = csv_text(row[1])  # the name: text in a spreadsheet, never a formula
        w.writerow([o["id"], *row, *more])
    return buf.getvalue()


def render_markdown(report: dict[str, Any]) -> str:
    esc = md
    lines = [f"## {esc(report['title'])}", "", "| " + " | ".join(ROW_HEADERS) + " |", "|" + "|".join(["---:", ":---", "---:", "---:", "---:", "---:"]) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in _rows(report)]
    if report.get("groups"):
        order = _ordered(report)
        lines += ["", "| Group | Share | " + " | ".join(esc(o["label"]) for o in order) + " |", "|:---|---:|" + "---:|" * len(order)]
        lines += ["| " + " | ".join([esc(row[0]).replace("  ", "&nbsp;&nbsp;"), *row[1:]]) + " |" for row in _subtotal_rows(report, order)]
    if report.get("value_for_money"):
        lines += ["", *(esc(line) for line in value_for_money_lines(report))]
    if report["dominated"]:
        names = {o["id"]: md(o["name"]) for o in report["options"]}
        lines.append("")
        for d in report["dominated"]:
            lines.append(f"- {names[d['option']]} is dominated by {', '.join(names[b] for b in d['by'])}.")
    return "\n".join(lines) + "\n"


def _subtotal_rows(report: dict[str, Any], order: list[dict[str, Any]]) -> list[list[str]]:
    """One row per group, indented under its parent: its share of the total and each option's subtotal."""
    groups = report["groups"]
    kids: dict[str | None, list[dict[str, Any]]] = {}
    for g in groups:
        kids.setdefault(g["parent"], []).append(g)
    rows: list[list[str]] = []

    def walk(parent: str | None, depth: int) -> None:
        for g in kids.get(parent, []):
            rows.append(["  " * depth + g["name"], "-" if g["share"] is None else f"{100 * g['share']:.1f}%",
                         *(_fmt(o["group_totals"].get(g["id"])) for o in order)])
            walk(g["id"], depth + 1)

    walk(None, 0)
    return rows


def value_for_money_lines(report: dict[str, Any]) -> list[str]:
    """The frontier in words: cheapest first, what each step buys, and what lies off it."""
    vfm = report["value_for_money"]
    names = {o["id"]: o["name"] for o in report["options"]}
    options = {o["id"]: o for o in report["options"]}
    unit = vfm["cost_unit"]

    def cost(x: float | None) -> str:
        from .numbers import with_unit

        return with_unit(x, unit)

    per = f"per {unit}" if unit else "per unit of cost"
    chain = []
    for k, oid in enumerate(vfm["frontier"]):
        o = options[oid]
        text = f"{names[oid]} ({cost(o['cost'])}, value {_fmt(o['weighted_total'])}"
        if k:
            step = vfm["steps"][k - 1]
            gain = step["value_per_extra_cost"]
            text += f"; +{_fmt(step['extra_value'])} for +{cost(step['extra_cost'])}" + (f", {fmt(gain, 2)} {per}" if gain is not None else "")
        chain.append(text + ")")
    lines = ["Value for money, on the efficient frontier, cheapest first: " + " -> ".join(chain) + "." if chain else "No option has both a cost and a value."]
    for oid, by in vfm["off_frontier"].items():
        who = names[by[0]] if len(by) == 1 else ", ".join(names[b] for b in by[:-1]) + " and " + names[by[-1]]
        lines.append(f"{names[oid]} is off the frontier: {who} give{'s' if len(by) == 1 else ''} at least its value for no more cost.")
    if vfm["no_cost"]:
        lines.append("No cost given for " + ", ".join(names[o] for o in vfm["no_cost"]) + ".")
    return lines


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
    note = f"{active} criteria in use; weights " + (f"all {fmt_sig(weights[0])}" if len(weights) == 1 else f"{fmt_sig(weights[0])} to {fmt_sig(weights[-1])}")
    matched = sum(f["code"] in MATCHES for f in report["findings"])
    n = len(report["findings"]) - matched
    said = [f"{n} finding{'s' if n != 1 else ''} to reconcile with the source"] if n else []
    said += [f"{matched} published figure{'s' if matched != 1 else ''} recomputed exactly"] if matched else []
    # The same split as the decision record's (review: "16 findings" here, 9 in its table and 7 matches)
    tail = Text(f"{note}. U-rank is the unweighted rank." + (f" {' and '.join(said)}: `appraisal validate` lists them." if said else ""), style="dim")
    extra: list[Any] = []
    if report.get("groups"):
        order = [o for o in _ordered(report)]
        sub = Table(title="Group subtotals (weighted, " + ("weights local to each group" if report.get("weights") == "local" else "global weights") + ")",
                    title_style="bold", header_style="bold")
        sub.add_column("Group", no_wrap=True)
        sub.add_column("Share", justify="right")
        for o in order:
            sub.add_column(term(o["label"]), justify="right")
        for row in _subtotal_rows(report, order):
            add_row(sub, *row)
        extra.append(sub)
    if report.get("value_for_money"):
        extra += [term(line) for line in value_for_money_lines(report)]
    return Group(table, *notes, tail, *extra)
