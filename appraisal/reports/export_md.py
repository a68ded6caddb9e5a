"""Appraisal -> Markdown: the score matrix and the rankings. Text from the file is escaped
(`safe_text.md`): a name cannot start a heading, end a table row or carry HTML."""

from __future__ import annotations

from ..engine import Evaluation
from ..model import Appraisal
from .numbers import fmt
from .ranking import ranking_report, render_markdown
from .safe_text import md as _esc
from .tree import cell_text, describe_value, display_order, group_subtotals


def _n(x: float) -> str:
    return fmt(x, 2)


def markdown(a: Appraisal, ev: Evaluation) -> str:
    out = [f"# {_esc(a.title)}", ""]
    if a.provenance.document:
        out += [f"Source: {_esc(a.provenance.document)}" + (f", {_esc(a.provenance.appendix)}" if a.provenance.appendix else ""), ""]
    head = ["#", "Criterion", "Weight"] + [_esc(o.label) + (" (excluded)" if o.excluded else "") for o in a.options]
    out += ["## Scores", "", "| " + " | ".join(head) + " |", "|" + "|".join(["---:", ":---", "---:"] + [":---:"] * len(a.options)) + "|"]
    subtotals = group_subtotals(a) if a.groups else None
    for kind, k, depth in display_order(a):
        indent = "&nbsp;&nbsp;" * depth
        if kind == "group":
            g = a.groups[k]
            weight = _n(a.group_weights[g.id]) if a.group_weights is not None else ""
            out.append("| | " + indent + f"**{_esc(g.name)}** (subtotal) | {weight} | " + " | ".join(f"*{_n(v)}*" for v in subtotals[:, k]) + " |")
            continue
        c = a.criteria[k]
        scores = [_esc(cell_text(a, i, k)) for i in range(len(a.options))]
        name = indent + _esc(c.name) + (f" ({_esc(c.unit)})" if c.unit else "") + (" (switched off)" if c.id in a.disabled else "")
        out.append("| " + " | ".join([str(k + 1), name, _n(a.weights[c.id])] + scores) + " |")
    for label, values in (("Unweighted total", ev.unweighted), ("Weighted total", ev.weighted)):
        out.append("| | **" + label + "** | | " + " | ".join(f"**{_n(v)}**" for v in values) + " |")
    out.append("| | **Weighted %** | | " + " | ".join("–" if v != v else f"{v:.1f}%" for v in ev.percent) + " |")
    out.append("| | **Rank (weighted)** | | " + " | ".join("excluded" if o.excluded else (str(int(r)) if r else "–") for o, r in zip(a.options, ev.rank_weighted)) + " |")
    if a.group_weights is not None:
        out += ["", "Weights are local to each group; group rows give the group's weight and each option's weighted subtotal."]
    measured = [j for j, c in enumerate(a.criteria) if c.measured]
    if measured:
        out += ["", "## Value functions", ""] + [f"- {_esc(a.criteria[j].name)}: {_esc(describe_value(a, j))}" for j in measured]
    out += ["", render_markdown(ranking_report(a)).replace("## ", "## Ranking: ", 1)]
    return "\n".join(out)
