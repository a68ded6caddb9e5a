"""The rankings panel (always visible) and the rationale panel for the selected cell. Both watch the
app's one derived view; neither computes."""

from __future__ import annotations

import math

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..reports.numbers import fmt
from ..reports.workshop import WorkshopView
from .text import literal

BAR = 8


def _bar(value: float, top: float) -> str:
    if math.isnan(value) or top <= 0:
        return ""
    n = value / top * BAR
    full = int(n)
    return "█" * full + ("▌" if n - full >= 0.5 else "")


def _rankings(view: WorkshopView) -> Table:
    """Weighted and unweighted rankings side by side: rank, option, bar, total, gap to the leader."""
    shown, evaluation = view.appraisal, view.evaluation
    # No cell padding: widths include the spacing, so both sides fit in 76 columns.
    table = Table(box=None, pad_edge=False, padding=(0, 0), show_header=True, header_style="bold", title=None)
    for side in ("Weighted", "Unweighted"):
        table.add_column("#", width=2, justify="right", no_wrap=True)
        table.add_column(" " + side, width=14, no_wrap=True, overflow="ellipsis")
        table.add_column("", width=BAR + 1, no_wrap=True)
        table.add_column("total", width=6, justify="right", no_wrap=True)
        table.add_column("gap", width=6, justify="right", no_wrap=True, style="dim")
        if side == "Weighted":
            table.add_column("", width=4)

    def column(values, ranks, gaps) -> list[list]:
        top = max((values[i] for i in range(len(values)) if ranks[i] > 0), default=0)
        order = sorted(range(len(shown.options)), key=lambda i: (ranks[i] == 0, ranks[i], i))
        rows = []
        for i in order:
            option = shown.options[i]
            if ranks[i] == 0:
                rows.append(["", literal(" " + option.label, "grey50"), "", Text("out" if option.excluded else "–", style="grey50"), ""])
                continue
            lead = ranks[i] == 1
            rows.append([str(int(ranks[i])), literal(" " + option.label, "bold" if lead else ""), Text(_bar(values[i], top), style="green" if lead else "cyan"),
                         fmt(values[i], 1), "" if lead else f"-{fmt(gaps[i], 1)}"])
        return rows

    left = column(evaluation.weighted, evaluation.rank_weighted, evaluation.gap_weighted)
    right = column(evaluation.unweighted, evaluation.rank_unweighted, evaluation.gap_unweighted)
    for weighted_row, unweighted_row in zip(left, right):
        table.add_row(*weighted_row, "", *unweighted_row)
    return table


def _headline(view: WorkshopView) -> Table | None:
    shown = view.appraisal
    published = shown.published
    if published is None or not published.headline:
        return None
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Summary columns", no_wrap=True, overflow="ellipsis", width=16)
    for column in published.headline:
        table.add_column(literal(column.name), justify="right", no_wrap=True)
    for option in shown.options:
        table.add_row(literal(option.label, "grey50" if option.excluded else ""), *[fmt(shown.cell(option.id, h.criterion).score) for h in published.headline])
    return table


class RankingsPanel(Static):
    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    def show(self, view: WorkshopView) -> None:
        parts = [_rankings(view)]
        for dominated, by in view.dominated():
            parts.append(literal(f"{dominated} is dominated by {', '.join(by)}", "yellow"))
        head = _headline(view)
        if head is not None:
            parts += [Text(""), head]
        self.update(Stack(*parts))


class RationalePanel(Static):
    """The selected score: its rationale, whether and why it changed, and its switching value."""

    def on_mount(self) -> None:
        self.watch(self.app, "view", self._refresh)
        self.watch(self.app, "cursor", self._refresh)

    def _refresh(self) -> None:
        self.show(self.app.view, *self.app.cursor)

    def show(self, view: WorkshopView, option: str | None, criterion: str | None) -> None:
        shown = view.appraisal
        if criterion is None or criterion not in shown.criterion_index or (option is not None and option not in shown.option_index):
            self.update(Text("Move to a score to read its rationale.", style="dim"))
            return
        about = shown.criterion(criterion)
        if option is None:
            weight, loaded = shown.weights[criterion], view.baseline.weights[criterion]
            lines = [literal(about.name, "bold"), Text(f"Weight {fmt(weight, 2)}" + (f" (was {fmt(loaded, 2)})" if weight != loaded else ""))]
            if criterion in shown.disabled:
                lines.append(Text("Switched off: counts in no total.", style="yellow"))
            self.update(Stack(*lines))
            return
        cell = shown.cell(option, criterion)
        base = view.baseline.cell(option, criterion)
        scored = shown.option(option)
        lines = [
            literal(about.name, "bold"),
            literal(scored.name, "italic"),
            Text.assemble(("Score ", "dim"), (fmt(cell.score), "bold"), "  ", literal(shown.scale.label_for(cell.score)),
                          literal("   (printed: " + cell.label + ")", "dim") if cell.label and base.score == cell.score else ""),
            Text(""),
            literal(cell.rationale, lines=True) if cell.rationale else Text("No rationale given in the source.", style="dim"),
        ]
        if cell.inferred:
            lines.append(literal(f"Inferred: {cell.note}", "yellow", lines=True))
        elif cell.note:
            lines.append(literal(cell.note, "dim", lines=True))
        if base.score != cell.score:
            reason, by = view.notes.get((option, criterion), ("", ""))
            lines.append(Text(""))
            lines.append(literal(f"Changed this session from {fmt(base.score)} ({shown.scale.label_for(base.score) or 'between levels'})", "bold yellow"))
            lines.append(literal(f"Reason: {reason or '(none given)'}" + (f"  - {by}" if by else ""), lines=True))
        if scored.excluded:
            lines.append(Text("This option is excluded from the ranking.", style="grey50"))
        elif (line := _switching_line(view, option, criterion)) is not None:
            lines += [Text(""), line]
        self.update(Stack(*lines))


def _switching_line(view: WorkshopView, option: str, criterion: str) -> Text | None:
    """The score this cell would need for another option to lead alone."""
    switch = view.switching(option, criterion)
    if switch is None:
        return None
    if switch.state == "no-leader":
        return Text("Switching value: no single leader now.", style="dim")
    if switch.state == "never":
        return Text("Switching value: no score within the scale changes the leader.", style="dim")
    return Text.assemble(("Switching value: ", "bold"), f"at {fmt(switch.switch_to)} ",
                         literal(view.appraisal.option(switch.new_leader).label, "bold"), " would lead")
