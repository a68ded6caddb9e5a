"""The panels around the matrix: the leader banner, the rankings, the rationale of the selected cell,
and the nudge strip. Each watches the app's one derived view; none computes."""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ..reports.numbers import fmt, fmt_all, fmt_nonzero, with_unit
from ..reports.tree import describe_value
from ..reports.workshop import ShareStrip, WorkshopView
from .grid import fit
from .lines import TextLines
from .text import literal, printable

BAR = 8


def _bar(value: float, top: float, width: int = BAR) -> str:
    if math.isnan(value) or top <= 0:
        return ""
    n = max(0.0, value / top * width)
    full = int(n)
    return "█" * full + ("▌" if n - full >= 0.5 else "")


def _ranking(view: WorkshopView, weighted: bool, rows: int, name_cap: int = 16) -> list[Text]:
    """One ranking as lines of text: rank, option, bar, total and gap to the leader, in columns that
    never run together; as many decimals as it takes for different totals to differ. At most `rows`
    options (the rest are counted). Plain lines, not a Rich table: this is redrawn at every key press."""
    shown, ev = view.appraisal, view.evaluation
    values = ev.weighted if weighted else ev.unweighted
    ranks = ev.rank_weighted if weighted else ev.rank_unweighted
    gaps = ev.gap_weighted if weighted else ev.gap_unweighted
    totals = fmt_all(values.tolist(), 1, column=True)
    places = max((len(t.partition(".")[2]) for t in totals), default=1)
    order = sorted(range(len(shown.options)), key=lambda i: (ranks[i] == 0, ranks[i], i))
    top = max((values[i] for i in range(len(values)) if ranks[i] > 0), default=0)
    more = 0
    if len(order) > rows:
        order = order[: max(1, rows - 1)]
        more = len(shown.options) - len(order)
    labels = {i: printable(shown.options[i].label) for i in order}
    gap_text = {i: ("" if ranks[i] in (0, 1) else "-" + fmt_nonzero(float(gaps[i]), places)) for i in order}
    rank_w = max([1] + [len(str(int(ranks[i]))) for i in order])
    name_w = min(name_cap, max([cell_len(t) for t in labels.values()] + [len("Unweighted")]))
    total_w = max([len("total")] + [len(totals[i]) for i in order] + [len("excluded")] * any(ranks[i] == 0 for i in order))
    gap_w = max([len("gap")] + [len(g) for g in gap_text.values()])
    head = Text(f"{'#':>{rank_w}} {fit('Weighted' if weighted else 'Unweighted', name_w)} {'':{BAR}} {'total':>{total_w}} {'gap':>{gap_w}}", style="bold")
    lines = [head]
    for i in order:
        option = shown.options[i]
        line = Text()
        if ranks[i] == 0:
            line.append(f"{'':{rank_w}} {fit(labels[i], name_w)} {'':{BAR}} ", "grey50")
            line.append(f"{('excluded' if option.excluded else '–'):>{total_w}} {'':{gap_w}}", "grey50")
        else:
            lead = ranks[i] == 1
            line.append(f"{int(ranks[i]):>{rank_w}} ")
            line.append(fit(labels[i], name_w), "bold" if lead else "")
            line.append(" ")
            line.append(fit(_bar(values[i], top), BAR), "green" if lead else "cyan")
            line.append(f" {totals[i]:>{total_w}} ")
            line.append(f"{gap_text[i]:>{gap_w}}", "dim")
        lines.append(line)
    if more:
        lines.append(Text(f"{'':{rank_w}} and {more} more", style="dim"))
    for line in lines:
        line.no_wrap = True  # columns: cut at the edge (never at this width), not folded
    return lines


def _headline(view: WorkshopView) -> list[Text]:
    """The source's summary columns (each repeats one criterion's scores), as lines of text."""
    shown = view.appraisal
    published = shown.published
    if published is None or not published.headline:
        return []
    labels = [printable(o.label) for o in shown.options]
    first = max([len("Summary columns")] + [cell_len(t) for t in labels])
    names = [printable(h.name) for h in published.headline]
    lines = [Text(fit("Summary columns", first) + "".join("  " + name for name in names), style="bold")]
    for option, label in zip(shown.options, labels):
        line = Text(fit(label, first), style="grey50" if option.excluded else "")
        for h, name in zip(published.headline, names):
            line.append("  " + fmt(shown.cell(option.id, h.criterion).score).rjust(cell_len(name)))
        lines.append(line)
    return lines


class LeaderBanner(Static):
    """One line the room reads first: the leader, its margin, and whether the lead holds."""

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show)

    def on_resize(self) -> None:
        if getattr(self.app, "view", None) is not None:
            self.show(self.app.view)

    def show(self, view: WorkshopView) -> None:
        banner = view.banner()
        text = banner.text()
        width = self.size.width
        if width and cell_len(printable(text)) > width:
            text = banner.text(short=True)
        self.set_class(bool(banner.tied) or not banner.leader, "-tie")
        # As many lines as the words need (the height changes only then: no layout at every key press).
        lines = max(1, len(Text(printable(text)).wrap(self.app.console, width)) if width else 1)
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines
        self.update(literal(text), layout=False)


class RankingsPanel(TextLines):
    """The weighted ranking (and the unweighted one beside it where there is room); who is dominated;
    the source's summary columns."""

    wrap = True  # who is dominated, in a narrow panel
    both = True  # the unweighted ranking beside the weighted one (the app's layout says where there is room)
    room: int | None = None  # the widest the lines may be (the layout's share of the window), None: no limit
    headline = True  # the source's summary columns under the rankings (not when the rationale sits beside them)

    def on_mount(self) -> None:
        self.border_title = "Ranking"
        self.watch(self.app, "view", self.show)

    def on_resize(self) -> None:
        if getattr(self.app, "view", None) is not None:
            self.show(self.app.view)
        super().on_resize()

    def show(self, view: WorkshopView) -> None:
        dominated = view.dominated()
        # Every option when the panel is tall enough, else the top ones (the panel never scrolls them
        # away); who is dominated where there is a line left.
        height = self.size.height or len(view.appraisal.options) + 1 + len(dominated)
        rows = max(2, height - 1)
        room = max(0, rows - len(view.appraisal.options))
        dominated = dominated[: room if self.size.height else 3]
        lines = _ranking(view, True, rows)
        if self.both:
            # Both rankings in the room the layout gives (`room`): long short names are cut further rather
            # than the unweighted ranking's gap column (review: 16-character names at 120 columns).
            for cap in (16, 14, 12, 10, 8):
                weighted, beside = _ranking(view, True, rows, cap), _ranking(view, False, rows, cap)
                left = max(line.cell_len for line in weighted)
                if self.room is None or left + 3 + max(line.cell_len for line in beside) <= self.room:
                    break
            lines = [Text.assemble(a, " " * (left - a.cell_len + 3), b, no_wrap=True) for a, b in zip(weighted, beside)] + weighted[len(beside):]
        for worse, by in dominated:
            lines.append(literal(f"{worse} is dominated by {', '.join(by)}", "yellow"))
        head = _headline(view) if self.headline else []
        if head:
            lines += [Text(""), *head]
        self.set_texts(lines)


class RationalePanel(TextLines):
    """The selected score: its rationale, whether and why it changed, its switching value; the option's
    full name; a switched-off criterion or an excluded option said in words."""

    wrap = True
    details = False  # also what the option is (its description): beside the matrix, where there is room

    def on_mount(self) -> None:
        self.border_title = "Rationale"
        self.watch(self.app, "view", self._refresh)
        self.watch(self.app, "cursor", self._refresh)
        self.watch(self.app, "cursor_group", self._refresh)

    def _refresh(self) -> None:
        self.show(self.app.view, *self.app.cursor, group=getattr(self.app, "cursor_group", None))

    def show(self, view: WorkshopView, option: str | None, criterion: str | None, group: str | None = None) -> None:
        shown = view.appraisal
        if group is not None and any(g.id == group for g in shown.groups):
            self.set_texts(_group_lines(view, group, option))
            return
        if criterion is None or criterion not in shown.criterion_index or (option is not None and option not in shown.option_index):
            self.set_texts([Text("Move to a score to read its rationale.", style="dim")])
            return
        about = shown.criterion(criterion)
        off = criterion in shown.disabled
        if option is None:
            weight, loaded = shown.weights[criterion], view.baseline.weights[criterion]
            lines = [literal(about.name, "bold"), Text(f"Weight {fmt_nonzero(weight, 2)}" + (f" (was {fmt_nonzero(loaded, 2)})" if weight != loaded else ""))]
            if off:
                lines.append(Text("Switched off: this criterion counts in no total.", style="bold yellow"))
            self.set_texts(lines)
            return
        cell = shown.cell(option, criterion)
        base = view.baseline.cell(option, criterion)
        scored = shown.option(option)
        lines = [literal(scored.name, "bold")]
        if self.details and scored.description:
            lines += [literal(scored.description, "dim", lines=True), Text("")]
        lines.append(literal(about.name, "italic"))
        if scored.excluded:
            lines.append(Text("Excluded: this option is out of the ranking (x brings it back).", style="bold yellow"))
        if off:
            lines.append(Text("Switched off: this criterion counts in no total (c switches it on).", style="bold yellow"))
        if about.measured:
            lines.append(Text.assemble(("Measure ", "dim"), (printable(with_unit(cell.measure, about.unit)), "bold"),
                                       ("  gives the score ", "dim"), (fmt_nonzero(cell.score, 2), "bold")))
            lines.append(literal(describe_value(shown, shown.criterion_index[criterion]), "dim"))
        else:
            lines.append(Text.assemble(("Score ", "dim"), (fmt(cell.score), "bold"), "  ", literal(shown.scale.label_for(cell.score)),
                                       literal("   (printed: " + cell.label + ")", "dim") if cell.label and base.score == cell.score else ""))
        lines.append(literal(cell.rationale, lines=True) if cell.rationale else Text("No rationale given in the source.", style="dim"))
        if cell.inferred:
            lines.append(literal(f"Inferred: {cell.note}", "yellow", lines=True))
        elif cell.note:
            lines.append(literal(cell.note, "dim", lines=True))
        if about.measured and base.measure != cell.measure:
            reason, by = view.notes.get((option, criterion), ("", ""))
            lines.append(literal(f"Changed this session from {with_unit(base.measure, about.unit)} (score {fmt_nonzero(base.score, 2)})", "bold yellow"))
            lines.append(literal(f"Reason: {reason or '(none given)'}" + (f"  - {by}" if by else ""), lines=True))
        elif base.score != cell.score:
            reason, by = view.notes.get((option, criterion), ("", ""))
            lines.append(literal(f"Changed this session from {fmt(base.score)} ({shown.scale.label_for(base.score) or 'between levels'})", "bold yellow"))
            lines.append(literal(f"Reason: {reason or '(none given)'}" + (f"  - {by}" if by else ""), lines=True))
        if not scored.excluded and not off and (line := _switching_line(view, option, criterion)) is not None:
            lines += [Text("")] * self.details + [line]
        self.set_texts(lines)


def _group_lines(view: WorkshopView, group: str, option: str | None) -> list[Text]:
    """A group's row under the cursor: what it holds, its weight and share, and the option's subtotal."""
    shown = view.appraisal
    _, lines_of = view.tree()
    line = lines_of[group]
    node = shown.group_node(group)
    inside = [c.name for c in shown.criteria if c.group == group] + [g.name for g in shown.groups if g.parent == group]
    lines = [literal(node.name, "bold")]
    if node.description:
        lines.append(literal(node.description, "dim", lines=True))
    lines.append(literal(f"In it: {'; '.join(inside)}.", "dim"))
    if line.share == "off":
        lines.append(Text("Every criterion in it is switched off: it counts in no total.", style="bold yellow"))
    else:
        within = "" if node.parent is None else f"; within {shown.group_node(node.parent).name}: {fmt(line.local_share * 100, 1)}%"
        lines.append(Text(f"Share of the whole: {line.share}{within}"))
    if shown.group_weights is None:
        lines.append(Text("Weights are global: this group gives subtotals only (its weight is its criteria's).", style="dim"))
    else:
        was = (view.baseline.group_weights or {}).get(group)
        lines.append(Text(f"Group weight {line.weight.rstrip('*')}" + (f" (was {fmt_nonzero(was, 2)})" if line.weight_changed and was is not None else "")
                          + "  (w sets it, [ ] nudge it)"))
    if option is not None and option in shown.option_index:
        i = shown.option_index[option]
        lines.append(Text.assemble(literal(shown.options[i].label, "bold"), f": subtotal {line.subtotals[i]}",
                                   ("  (weight x score over its criteria)", "dim")))
    lines.append(Text("Enter or f folds and unfolds it.", style="dim"))
    return lines


def _switching_line(view: WorkshopView, option: str, criterion: str) -> Text | None:
    """The score this cell would need for another option to lead alone."""
    switch = view.switching(option, criterion)
    if switch is None:
        return None
    if switch.state == "no-leader":
        return Text("Switching value: no single leader now.", style="dim")
    if switch.state == "never":
        return Text("Switching value: no score within the scale changes the leader.", style="dim")
    if switch.measure is not None:
        unit = view.appraisal.criterion(criterion).unit
        return Text.assemble(("Switching value: ", "bold"), literal(f"at {with_unit(switch.measure, unit)} (score {fmt(switch.switch_to)}) "),
                             literal(view.appraisal.option(switch.new_leader).label, "bold"), " would lead")
    return Text.assemble(("Switching value: ", "bold"), f"at {fmt(switch.switch_to)} ",
                         literal(view.appraisal.option(switch.new_leader).label, "bold"), " would lead")


class ShareStripLine(Static):
    """After a nudge: where, along the criterion's share of the weight, the leader would change.

        Break from the past 10.5% |──●──────┊──────────| 21.7%: Trust (BCC) leads
    """

    strip: ShareStrip | None = None

    def show_strip(self, strip: ShareStrip | None) -> None:
        self.strip = strip
        if self.display != (strip is not None):
            self.display = strip is not None
        if strip is not None:
            self.update(render_strip(strip, self.size.width or 100), layout=False)

    def on_resize(self) -> None:
        if self.strip is not None:
            self.update(render_strip(self.strip, self.size.width), layout=False)


def render_strip(strip: ShareStrip, width: int) -> Text:
    name = printable(strip.criterion)
    if strip.off:
        return literal(f"{name} is switched off: its weight counts for nothing until it is switched on (c).", "yellow")
    now = f" {strip.share * 100:.1f}% "
    if strip.turns:
        where = "; ".join(f"at {turn.share * 100:.1f}% {printable(turn.new_leader)} leads" for turn in strip.turns)
    else:
        where = f"{printable(strip.leader)} leads at any share" if strip.leader else "no single leader at any share"
    head = f"{name}{now}"
    ends = len("0│") + len("│100%  ")
    if cell_len(head) + 10 + cell_len(where) + ends > width:
        head = name[: max(8, width // 5)] + "…" + now
    bar = max(10, width - cell_len(head) - cell_len(where) - ends)
    cells = ["─"] * bar
    for turn in strip.turns:
        cells[min(bar - 1, int(turn.share * (bar - 1) + 0.5))] = "┊"
    here = min(bar - 1, int(strip.share * (bar - 1) + 0.5))
    text = Text()
    text.append(head, "bold")
    text.append("0│", "dim")
    for k, ch in enumerate(cells):
        text.append("●" if k == here else ch, "bold green" if k == here else ("bold red" if ch == "┊" else "dim"))
    text.append("│100%  ", "dim")
    text.append(where, "red" if strip.turns else "dim")
    return text
