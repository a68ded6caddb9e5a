"""Appraisal -> Markdown: the score matrix and the rankings. Text from the file is escaped
(`safe_text.md`): a name cannot start a heading, end a table row or carry HTML."""

from __future__ import annotations

from ..engine import Evaluation
from ..model import Appraisal
from .numbers import fmt
from .ranking import ranking_report, render_markdown
from .safe_text import md as _esc


def _n(x: float) -> str:
    return fmt(x, 2)


def markdown(a: Appraisal, ev: Evaluation) -> str:
    out = [f"# {_esc(a.title)}", ""]
    if a.provenance.document:
        out += [f"Source: {_esc(a.provenance.document)}" + (f", {_esc(a.provenance.appendix)}" if a.provenance.appendix else ""), ""]
    head = ["#", "Criterion", "Weight"] + [_esc(o.label) + (" (excluded)" if o.excluded else "") for o in a.options]
    out += ["## Scores", "", "| " + " | ".join(head) + " |", "|" + "|".join(["---:", ":---", "---:"] + [":---:"] * len(a.options)) + "|"]
    for j, c in enumerate(a.criteria):
        scores = []
        for o in a.options:
            s = a.cell(o.id, c.id).score
            scores.append("missing" if s is None else f"{_n(s)} {_esc(a.scale.label_for(s))}".strip())
        name = _esc(c.name) + (" (switched off)" if c.id in a.disabled else "")
        out.append("| " + " | ".join([str(j + 1), name, _n(a.weights[c.id])] + scores) + " |")
    for label, values in (("Unweighted total", ev.unweighted), ("Weighted total", ev.weighted)):
        out.append("| | **" + label + "** | | " + " | ".join(f"**{_n(v)}**" for v in values) + " |")
    out.append("| | **Weighted %** | | " + " | ".join("–" if v != v else f"{v:.1f}%" for v in ev.percent) + " |")
    out.append("| | **Rank (weighted)** | | " + " | ".join("excluded" if o.excluded else (str(int(r)) if r else "–") for o, r in zip(a.options, ev.rank_weighted)) + " |")
    out += ["", render_markdown(ranking_report(a)).replace("## ", "## Ranking: ", 1)]
    return "\n".join(out)
