"""Appraisal and its sensitivity report -> one self-contained HTML page (no network): the matrix, the
rankings and the sensitivity charts as inline SVG. Fit to circulate by email and to print."""

from __future__ import annotations

from html import escape
from typing import Any

from ..engine import Evaluation
from ..model import Appraisal
from .numbers import fmt
from .sensitivity import who

LEVEL = ["#f2a7a7", "#f6c79e", "#efe39a", "#bfe3a9", "#86d08f"]
PALETTE = ["#3b6ea8", "#e08a2e", "#5a9e4b", "#b8483e", "#7a5ea8", "#2e9e9e", "#a87a3b", "#666666"]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#555}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.s{text-align:center;white-space:nowrap}.out{color:#999}.lead{font-weight:bold}.note{color:#555;font-size:.9em}
.changed{outline:2px solid #333}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}table,svg{break-inside:avoid}}
"""


_n = fmt


def _level(a: Appraisal, s: float) -> str:
    band = int(4 * (s - a.scale.min) / (a.scale.max - a.scale.min) + 1e-9)
    return LEVEL[max(0, min(4, band))]


def _matrix(a: Appraisal, ev: Evaluation) -> str:
    head = "".join(f'<th class="{"out" if o.excluded else ""}">{escape(o.name)}{" (excluded)" if o.excluded else ""}</th>' for o in a.options)
    rows = [f"<tr><th>#</th><th>Criterion</th><th>Weight</th><th>Share</th>{head}</tr>"]
    for j, c in enumerate(a.criteria):
        off = c.id in a.disabled
        cells = []
        for o in a.options:
            cell = a.cell(o.id, c.id)
            if cell.score is None:
                cells.append('<td class="s out">missing</td>')
                continue
            grey = off or o.excluded
            style = "" if grey else f' style="background:{_level(a, cell.score)}"'
            tip = escape(cell.rationale, quote=True)
            cells.append(f'<td class="s{" out" if grey else ""}"{style} title="{tip}">{_n(cell.score)} {escape(a.scale.label_for(cell.score))}</td>')
        rows.append(f'<tr class="{"out" if off else ""}"><td class="n">{j + 1}</td><td>{escape(c.name)}{" (off)" if off else ""}</td>'
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
Ranks: ties share the better rank. Hover a score for its rationale.</p>
<h2>Rankings</h2>{_bars(a, ev.weighted, ev.rank_weighted, "Weighted")}<br>{_bars(a, ev.unweighted, ev.rank_unweighted, "Unweighted")}
<ul>{dominated}</ul>
<h2>How robust is the ranking?</h2>
<h3>One-way weight sensitivity</h3>{_one_way(a, sensitivity)}
<h3>Tornado</h3>{_tornado(a, sensitivity)}
<h3>SMAA-2 rank acceptability</h3>{_smaa(a, sensitivity)}
<h2>Reconciliation with the source</h2><ul>{finds}</ul>
</body></html>
"""
