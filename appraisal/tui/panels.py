"""The rankings panel (always visible) and the rationale panel for the selected cell."""

from __future__ import annotations

import math

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from .view import View, fmt

BAR = 8


def _bar(value: float, top: float) -> str:
    if math.isnan(value) or top <= 0:
        return ""
    n = value / top * BAR
    full = int(n)
    return "█" * full + ("▌" if n - full >= 0.5 else "")


def _rankings(view: View) -> Table:
    """Weighted and unweighted rankings side by side: rank, option, bar, total, gap to the leader."""
    a, ev = view.appraisal, view.evaluation
    # No cell padding: widths include the spacing, so both sides fit in 76 columns.
    t = Table(box=None, pad_edge=False, padding=(0, 0), show_header=True, header_style="bold", title=None)
    for side in ("Weighted", "Unweighted"):
        t.add_column("#", width=2, justify="right", no_wrap=True)
        t.add_column(" " + side, width=14, no_wrap=True, overflow="ellipsis")
        t.add_column("", width=BAR + 1, no_wrap=True)
        t.add_column("total", width=6, justify="right", no_wrap=True)
        t.add_column("gap", width=6, justify="right", no_wrap=True, style="dim")
        if side == "Weighted":
            t.add_column("", width=4)

    def column(values, ranks, gaps) -> list[list]:
        top = max((values[i] for i in range(len(values)) if ranks[i] > 0), default=0)
        order = sorted(range(len(a.options)), key=lambda i: (ranks[i] == 0, ranks[i], i))
        rows = []
        for i in order:
            o = a.options[i]
            if ranks[i] == 0:
                rows.append(["", Text(" " + o.label, style="grey50"), "", Text("out" if o.excluded else "–", style="grey50"), ""])
                continue
            lead = ranks[i] == 1
            rows.append([str(int(ranks[i])), Text(" " + o.label, style="bold" if lead else ""), Text(_bar(values[i], top), style="green" if lead else "cyan"),
                         fmt(values[i], 1), "" if lead else f"-{fmt(gaps[i], 1)}"])
        return rows

    left = column(ev.weighted, ev.rank_weighted, ev.gap_weighted)
    right = column(ev.unweighted, ev.rank_unweighted, ev.gap_unweighted)
    for l, r in zip(left, right):
        t.add_row(*l, "", *r)
    return t


def _headline(view: View) -> Table | None:
    a = view.appraisal
    pub = a.published
    if pub is None or not pub.headline:
        return None
    t = Table(box=None, pad_edge=False, header_style="bold")
    t.add_column("Summary columns", no_wrap=True, overflow="ellipsis", width=16)
    for h in pub.headline:
        t.add_column(h.name, justify="right", no_wrap=True)
    for o in a.options:
        cells = [fmt(a.cell(o.id, h.criterion).score) for h in pub.headline]
        t.add_row(Text(o.label, style="grey50" if o.excluded else ""), *cells)
    return t


class RankingsPanel(Static):
    def show(self, view: View) -> None:
        parts = [_rankings(view)]
        dominated = [(b, [a for a in range(len(view.appraisal.options)) if view.evaluation.dominates[a, b]]) for b in range(len(view.appraisal.options))]
        for b, by in dominated:
            if by:
                parts.append(Text(f"{view.appraisal.options[b].label} is dominated by {', '.join(view.appraisal.options[x].label for x in by)}", style="yellow"))
        head = _headline(view)
        if head is not None:
            parts += [Text(""), head]
        self.update(Group(*parts))


class RationalePanel(Static):
    def show(self, view: View, option: str | None, criterion: str | None) -> None:
        a = view.appraisal
        if criterion is None:
            self.update(Text("Move to a score to read its rationale.", style="dim"))
            return
        crit = a.criterion(criterion)
        if option is None:
            w, w0 = a.weights[criterion], view.baseline.weights[criterion]
            lines = [Text(crit.name, style="bold"), Text(f"Weight {fmt(w, 2)}" + (f" (was {fmt(w0, 2)})" if w != w0 else ""))]
            if criterion in a.disabled:
                lines.append(Text("Switched off: counts in no total.", style="yellow"))
            self.update(Group(*lines))
            return
        cell = a.cell(option, criterion)
        base = view.baseline.cell(option, criterion)
        opt = a.option(option)
        lines = [
            Text(crit.name, style="bold"),
            Text(opt.name, style="italic"),
            Text.assemble(("Score ", "dim"), (fmt(cell.score), "bold"), "  ", a.scale.label_for(cell.score) or "",
                          ("   (printed: " + cell.label + ")", "dim") if cell.label and base.score == cell.score else ""),
            Text(""),
            Text(cell.rationale or "No rationale given in the source.", style="" if cell.rationale else "dim"),
        ]
        if cell.inferred:
            lines.append(Text(f"Inferred: {cell.note}", style="yellow"))
        elif cell.note:
            lines.append(Text(cell.note, style="dim"))
        if base.score != cell.score:
            reason, by = view.notes.get((option, criterion), ("", ""))
            lines.append(Text(""))
            lines.append(Text(f"Changed this session from {fmt(base.score)} ({a.scale.label_for(base.score) or 'between levels'})", style="bold yellow"))
            lines.append(Text(f"Reason: {reason or '(none given)'}" + (f"  - {by}" if by else "")))
        if opt.excluded:
            lines.append(Text("This option is excluded from the ranking.", style="grey50"))
        elif view.problem is not None:
            lines += [Text(""), _switching_line(view, option, criterion)]
        self.update(Group(*lines))


def _switching_line(view: View, option: str, criterion: str) -> Text:
    """The score this cell would need for another option to lead alone (the engine's switching value)."""
    from ..engine.switching import cell_switch

    a = view.appraisal
    sw = cell_switch(view.problem, a.option_index[option], a.criterion_index[criterion], a.scale.step)
    if sw is None:
        return Text("Switching value: no single leader now.", style="dim")
    if sw.switch_to is None:
        return Text("Switching value: no score within the scale changes the leader.", style="dim")
    return Text.assemble(("Switching value: ", "bold"), f"at {fmt(sw.switch_to)} ", (a.options[sw.new_leader].label, "bold"), " would lead")
