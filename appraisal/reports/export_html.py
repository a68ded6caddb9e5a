"""Appraisal and its sensitivity report -> one self-contained HTML page (no network): the matrix, the
rankings and the sensitivity charts as inline SVG. Fit to circulate by email and to print."""

from __future__ import annotations

from html import escape
from typing import Any

from ..engine import Evaluation
from ..model import Appraisal
from .numbers import fmt
from .ranking import ranking_report, value_for_money_lines
from .sensitivity import who
from .tree import cell_text, describe_value, display_order, group_subtotals
from ..engine.tree import tree_from

LEVEL = ["#f2a7a7", "#f6c79e", "#efe39a", "#bfe3a9", "#86d08f"]
PALETTE = ["#3b6ea8", "#e08a2e", "#5a9e4b", "#b8483e", "#7a5ea8", "#2e9e9e", "#a87a3b", "#666666"]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#555}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.s{text-align:center;white-space:nowrap}.out{color:#999}.lead{font-weight:bold}.note{color:#555;font-size:.9em}
.changed{outline:2px solid #333}tr.grp th,tr.grp td{background:#eef2f7;font-weight:bold}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


_n = fmt


def _level(a: Appraisal, s: float) -> str:
    band = int(4 * (s - a.scale.min) / (a.scale.max - a.scale.min) + 1e-9)
    return LEVEL[max(0, min(4, band))]


def _matrix(a: Appraisal, ev: Evaluation) -> str:
    head = "".join(f'<th class="{"out" if o.excluded else ""}">{escape(o.name)}{" (excluded)" if o.excluded else ""}</th>' for o in a.options)
    rows = [f"<tr><th>#</th><th>Criterion</th><th>Weight</th><th>Share</th>{head}</tr>"]
    subtotals = group_subtotals(a) if a.groups else None
    gshares = ev.shares @ tree_from(a).member if a.groups else None
    for kind, j, depth in display_order(a):
        pad = f' style="padding-left:{0.4 + 1.2 * depth:.1f}em"' if depth else ""
        if kind == "group":
            g = a.groups[j]
            weight = _n(a.group_weights[g.id], 2) if a.group_weights is not None else ""
            rows.append(f'<tr class="grp"><td></td><th{pad}>{escape(g.name)}</th><td class="n">{weight}</td><td class="n">{gshares[j] * 100:.1f}%</td>'
                        + "".join(f'<td class="n">{_n(v, 2)}</td>' for v in subtotals[:, j]) + "</tr>")
            continue
        c = a.criteria[j]
        off = c.id in a.disabled
        cells = []
        for i, o in enumerate(a.options):
            cell = a.cell(o.id, c.id)
            if cell.score is None:
                cells.append('<td class="s out">missing</td>')
                continue
            grey = off or o.excluded
            style = "" if grey else f' style="background:{_level(a, cell.score)}"'
            tip = escape(cell.rationale, quote=True)
            cells.append(f'<td class="s{" out" if grey else ""}"{style} title="{tip}">{escape(cell_text(a, i, j))}</td>')
        unit = f" ({escape(c.unit)})" if c.unit else ""
        rows.append(f'<tr class="{"out" if off else ""}"><td class="n">{j + 1}</td><td{pad}>{escape(c.name)}{unit}{" (off)" if off else ""}</td>'
                    f'<td class="n">{_n(a.weights[c.id], 2)}</td><td class="n">{ev.shares[j] * 100:.1f}%</td>{"".join(cells)}</tr>')
    for label, values, fmt in (("Unweighted total", ev.unweighted, _n), ("Weighted total", ev.weighted, _n),
                               ("Weighted %", ev.percent, lambda v: "–" if v != v else f"{v:.1f}%")):
        rows.append(f'<tr><td></td><th>{label}</th><td></td><td></td>' + "".join(f'<td class="n lead">{fmt(v)}</td>' for v in values) + "</tr>")
    for label, ranks in (("Rank (unweighted)", ev.rank_unweighted), ("Rank (weighted)", ev.rank_weighted)):
        rows.append(f'<tr><td></td><th>{label}</th><td></td><td></td>' + "".join(
            f'<td class="n lead">{"excluded" if o.excluded else (int(r) if r else "–")}</td>' for o, r in zip(a.options, ranks)) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _bars(a: Appraisal, values, ranks, title: str, unit: str = "") -> str:
    order = sorted((i for i in range(len(values)) if ranks[i] > 0), key=lambda i: ranks[i])
    top = max([values[i] for i in order] + [1e-9])
    h, w, label_w = 24, 520, 230
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + w + 80}" height="{h * len(order) + 30}" role="img" aria-label="{escape(title)}">',
             f'<text x="0" y="16" font-weight="bold" font-size="14">{escape(title)}</text>']
    for k, i in enumerate(order):
        y = 24 + k * h
        bw = w * values[i] / top
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{int(ranks[i])}. {escape(a.options[i].name[:34])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bw:.1f}" height="{h - 8}" fill="{"#4a9e4b" if ranks[i] == 1 else "#3b6ea8"}"/>')
        parts.append(f'<text x="{label_w + bw + 6:.1f}" y="{y + 16}" font-size="13">{_n(values[i])}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _tornado(a: Appraisal, sens: dict[str, Any]) -> str:
    """Bars from the leader's current margin to its margin at each end of the weight's range."""
    bars = sens["tornado"]
    if not bars:
        return ""
    cname = {c.id: c.name for c in a.criteria}
    base = bars[0]["base_margin"]
    values = [base, 0.0] + [b["low_margin"] for b in bars] + [b["high_margin"] for b in bars]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 0.1
    lo, hi = lo - pad, hi + pad
    label_w, w, h = 330, 480, 20
    x = lambda v: label_w + w * (v - lo) / (hi - lo)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + w + 110}" height="{h * len(bars) + 70}" role="img" aria-label="tornado">',
             f'<text x="0" y="14" font-size="13">Leader\'s margin over the runner-up (score points), now {base:.3f}: weight at '
             f'-{sens["tornado_range"] * 100:g}% (light) and +{sens["tornado_range"] * 100:g}% (dark)</text>']
    for k, b in enumerate(bars):
        y = 28 + k * h
        name = cname[b["criterion"]]
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(name if len(name) <= 46 else name[:45] + "…")}</text>')
        for v, colour, dy in ((b["low_margin"], "#9cc3e6", 0), (b["high_margin"], "#2f5f8f", 7)):
            x0, x1 = sorted((x(base), x(v)))
            parts.append(f'<rect x="{x0:.1f}" y="{y + 3 + dy}" width="{max(x1 - x0, 1):.1f}" height="7" fill="{colour}"><title>{v:.3f}</title></rect>')
        if b["leader_changes"]:
            parts.append(f'<text x="{label_w + w + 6}" y="{y + 14}" font-size="12" fill="#b8483e">leader changes</text>')
    bottom = 28 + h * len(bars)
    parts.append(f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="24" y2="{bottom}" stroke="#333"/>')
    if lo < 0 < hi:
        parts.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="24" y2="{bottom}" stroke="#b8483e" stroke-dasharray="4 3"/>'
                     f'<text x="{x(0) + 3:.1f}" y="{bottom + 14}" font-size="11" fill="#b8483e">runner-up takes the lead</text>')
    parts.append(f'<text x="{label_w}" y="{bottom + 30}" font-size="11">{lo:.2f}</text><text x="{label_w + w - 30}" y="{bottom + 30}" font-size="11">{hi:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _smaa(a: Appraisal, sens: dict[str, Any]) -> str:
    sm = sens["smaa"]
    name = {o.id: o.name for o in a.options}
    rows = list(sm["rank_acceptability"].items())
    n = len(rows)
    label_w, w, h = 230, 520, 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + w + 20}" height="{h * n + 60}" role="img" aria-label="rank acceptability">',
             f'<text x="0" y="14" font-size="13">Share of {sm["samples"]:,} random weightings (seed {sm["seed"]}) in which each option takes each rank</text>']
    for k, (oid, acc) in enumerate(rows):
        y = 26 + k * h
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(name[oid][:34])}</text>')
        x0 = label_w
        for r, p in enumerate(acc):
            width = w * p
            if width > 0.05:
                parts.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{width:.1f}" height="{h - 8}" fill="{PALETTE[r % len(PALETTE)]}"><title>rank {r + 1}: {p * 100:.1f}%</title></rect>')
                if width > 34:
                    parts.append(f'<text x="{x0 + 4:.1f}" y="{y + 15}" font-size="11" fill="white">{p * 100:.0f}%</text>')
            x0 += width
    ly = 30 + n * h
    for r in range(n):
        parts.append(f'<rect x="{label_w + r * 80}" y="{ly}" width="12" height="12" fill="{PALETTE[r % len(PALETTE)]}"/>'
                     f'<text x="{label_w + r * 80 + 16}" y="{ly + 11}" font-size="12">rank {r + 1}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _one_way(a: Appraisal, sens: dict[str, Any]) -> str:
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    rows = ["<tr><th>Criterion</th><th>Share now</th><th>Leader holds</th><th>Ranking holds</th><th>Crossovers</th></tr>"]
    for ow in sens["one_way"]:
        lo, hi = ow["leader_interval"]
        rlo, rhi = ow["ranking_interval"]
        cross = "; ".join(f"{c['share'] * 100:.1f}%: {escape(who(c['from'], name))} → {escape(who(c['to'], name))}" for c in ow["crossovers"]) or "–"
        rows.append(f'<tr><td>{escape(cname[ow["criterion"]])}</td><td class="n">{ow["share"] * 100:.1f}%</td>'
                    f'<td class="n">{lo * 100:.1f}–{hi * 100:.1f}%</td><td class="n">{rlo * 100:.1f}–{rhi * 100:.1f}%</td><td>{cross}</td></tr>')
    return "<table>" + "".join(rows) + "</table>"


def _tree_note(a: Appraisal) -> str:
    if a.group_weights is None:
        return " Group rows give each option's weighted subtotal." if a.groups else ""
    return (" Weights are local to each group: a criterion's share is the product of the shares down its path, "
            "and the sum of weights in use is the top level's. Group rows give the group's weight and each option's weighted subtotal.")


def _value_section(a: Appraisal) -> str:
    """Value functions in words, and value against cost with the efficient frontier."""
    parts = []
    measured = [j for j, c in enumerate(a.criteria) if c.measured]
    if measured:
        parts.append("<h2>Value functions</h2><ul>" + "".join(
            f"<li>{escape(a.criteria[j].name)}: {escape(describe_value(a, j))}</li>" for j in measured) + "</ul>")
    report = ranking_report(a)
    if report["value_for_money"]:
        parts.append("<h2>Value for money</h2>" + _value_cost_chart(report)
                     + "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in value_for_money_lines(report)) + "</ul>")
    return "".join(parts)


def _value_cost_chart(report: dict[str, Any]) -> str:
    """Each option as a point (cost across, value up), the frontier joined cheapest first."""
    vfm = report["value_for_money"]
    pts = {o["id"]: (o["cost"], o["weighted_total"], o["label"]) for o in report["options"]
           if o["cost"] is not None and o["weighted_total"] is not None and o["rank_weighted"]}
    if not pts:
        return ""
    cs = [c for c, _, _ in pts.values()]
    vs = [v for _, v, _ in pts.values()]
    c_hi = max(cs) * 1.1 or 1.0
    v_lo, v_hi = min(vs), max(vs)
    pad = (v_hi - v_lo) * 0.15 or abs(v_hi) * 0.1 or 1.0
    v_lo, v_hi = v_lo - pad, v_hi + pad
    left, top, w, h = 60, 20, 520, 260
    x = lambda c: left + w * c / c_hi  # noqa: E731
    y = lambda v: top + h * (v_hi - v) / (v_hi - v_lo)  # noqa: E731
    unit = vfm["cost_unit"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + w + 160}" height="{top + h + 50}" role="img" aria-label="value against cost">',
           f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#333"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#333"/>',
           f'<text x="{left + w / 2:.0f}" y="{top + h + 36}" font-size="12" text-anchor="middle">cost{" (" + escape(unit) + ")" if unit else ""}</text>',
           f'<text x="12" y="{top + h / 2:.0f}" font-size="12" transform="rotate(-90 12 {top + h / 2:.0f})" text-anchor="middle">weighted value</text>',
           f'<text x="{left}" y="{top + h + 16}" font-size="11">0</text><text x="{left + w}" y="{top + h + 16}" font-size="11" text-anchor="end">{_n(c_hi, 2)}</text>',
           f'<text x="{left - 4}" y="{top + 10}" font-size="11" text-anchor="end">{_n(v_hi, 1)}</text>'
           f'<text x="{left - 4}" y="{top + h}" font-size="11" text-anchor="end">{_n(v_lo, 1)}</text>']
    line = [pts[i] for i in vfm["frontier"] if i in pts]
    if len(line) > 1:
        out.append('<polyline fill="none" stroke="#4a9e4b" stroke-width="2" points="'
                   + " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v, _ in line) + '"/>')
    for oid, (c, v, label) in pts.items():
        on = oid in vfm["frontier"]
        out.append(f'<circle cx="{x(c):.1f}" cy="{y(v):.1f}" r="5" fill="{"#4a9e4b" if on else "#999"}"><title>{escape(label)}: {_n(c, 2)}, {_n(v, 2)}</title></circle>'
                   f'<text x="{x(c) + 8:.1f}" y="{y(v) + 4:.1f}" font-size="12">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _tree_sensitivity(a: Appraisal, sens: dict[str, Any]) -> str:
    """One-way on each group's share, and switching values of measures in their units."""
    from .numbers import with_unit

    name = {o.id: o.name for o in a.options}
    out = []
    if sens.get("group_one_way"):
        gname = {g.id: g.name for g in a.groups}
        rows = ["<tr><th>Group</th><th>Share among its siblings</th><th>Leader holds</th><th>Ranking holds</th><th>Crossovers</th></tr>"]
        for ow in sens["group_one_way"]:
            lo, hi = ow["leader_interval"]
            rlo, rhi = ow["ranking_interval"]
            cross = "; ".join(f"{c['share'] * 100:.1f}%: {escape(who(c['from'], name))} → {escape(who(c['to'], name))}" for c in ow["crossovers"]) or "–"
            rows.append(f'<tr><td>{escape(gname[ow["group"]])}</td><td class="n">{ow["share"] * 100:.1f}%</td>'
                        f'<td class="n">{lo * 100:.1f}–{hi * 100:.1f}%</td><td class="n">{rlo * 100:.1f}–{rhi * 100:.1f}%</td><td>{cross}</td></tr>')
        out.append("<h3>One-way on groups</h3><table>" + "".join(rows) + "</table>")
    if sens.get("measure_switching"):
        cname = {c.id: c.name for c in a.criteria}
        rows = ["<tr><th>Option</th><th>Criterion</th><th>Now</th><th>The lead changes</th><th>Then leads</th></tr>"]
        for m in sens["measure_switching"]:
            change = "never, within the value function" if m["threshold"] is None else f"{m['direction']} {with_unit(m['threshold'], m['unit'])}"
            rows.append(f"<tr><td>{escape(name[m['option']])}</td><td>{escape(cname[m['criterion']])}</td><td class=\"n\">{escape(with_unit(m['measure'], m['unit']))}</td>"
                        f"<td class=\"n\">{escape(change)}</td><td>{escape(name[m['new_leader']]) if m['new_leader'] else '–'}</td></tr>")
        out.append("<h3>Switching values in natural units</h3><table>" + "".join(rows) + "</table>")
    return "".join(out)


def to_html(a: Appraisal, ev: Evaluation, *, sensitivity: dict[str, Any], findings: list) -> str:
    p = a.provenance
    meta = " · ".join(escape(x) for x in (p.document, p.appendix, p.date) if x)
    dominated = "".join(f"<li>{escape(a.options[b].name)} is dominated by "
                        f"{escape(', '.join(a.options[x].name for x in range(len(a.options)) if ev.dominates[x, b]))}</li>"
                        for b in range(len(a.options)) if ev.dominates[:, b].any())
    finds = "".join(f"<li><code>{escape(f.code)}</code> {escape(f.message)}</li>" for f in findings if f.code not in ("published-total", "published-weighted"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(a.title)}</title><style>{CSS}</style></head><body>
<h1>{escape(a.title)}</h1><p class="meta">{meta}</p>
<h2>Score matrix</h2>{_matrix(a, ev)}
<p class="note">Weighted total = sum of weight × score over the criteria in use; weighted % = weighted total ÷ ({_n(a.scale.max)} × sum of weights in use).
Ranks: ties share the better rank. Hover a score for its rationale.{_tree_note(a)}</p>
{_value_section(a)}
<h2>Rankings</h2>{_bars(a, ev.weighted, ev.rank_weighted, "Weighted")}<br>{_bars(a, ev.unweighted, ev.rank_unweighted, "Unweighted")}
<ul>{dominated}</ul>
<h2>How robust is the ranking?</h2>
<h3>One-way weight sensitivity</h3>{_one_way(a, sensitivity)}
{_tree_sensitivity(a, sensitivity)}
<h3>Tornado</h3>{_tornado(a, sensitivity)}
<h3>SMAA-2 rank acceptability</h3>{_smaa(a, sensitivity)}
<h2>Reconciliation with the source</h2><ul>{finds}</ul>
</body></html>
"""
