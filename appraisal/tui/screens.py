"""Full screens: help, the changes made this session, and sensitivity (computed by the reports; shown here)."""

from __future__ import annotations

from rich.console import Group as Stack
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Markdown, ProgressBar, Static, TabbedContent, TabPane

from ..model import Appraisal
from ..model.scenario import Step
from ..reports.numbers import count, fmt, with_unit
from ..reports.sensitivity import group_one_way_table, measure_switching_table, one_way_table
from ..reports.sensitivity import CENTRAL_HEADER, CENTRAL_LEGEND, central_words
from ..reports.sensitivity_view import SensitivityView, SmaaTable, smaa_table
from .chart import OneWayChart
from .grid import fit
from .text import literal, printable

HELP = """\
# Workshop keys

| Key | What it does |
|---|---|
| arrows, h j k l, mouse | move around the matrix |
| 1 2 3 4 5 | set the score under the cursor |
| + / - | raise or lower it by half a point |
| w | set the weight of the criterion in this row |
| ] / [ | nudge this row's weight up / down one step (1, or a tenth of the mean weight), and see where the leader would change |
| Enter | type the cell under the cursor: a score (any the scale allows), or a measure in its unit on a measured criterion |
| x | take the option in this column out of the ranking, or back in |
| c | switch the criterion in this row off, or back on |
| p | weight presets: as loaded, equal, rank-order centroid, swing |
| z / y | undo / redo (unlimited) |
| r | reset this cell to the loaded score |
| R | reset this criterion (scores, weight, on/off) |
| ctrl+r | reset everything to the loaded appraisal |
| n | who is speaking: the name recorded with each edit |
| g | whose view: the appraisal, the group, a participant (or add one) |
| W | enter every weight, one criterion after another (Enter moves on) |
| D | disagreement: the matrix shaded by spread, decisive cells, leave-one-out |
| m | ask for a reason after each edit: on/off |
| v | the changes made this session, with who and why |
| t | sensitivity: how robust is the ranking |
| C | compare two options: each criterion's weighted contribution and the difference |
| b / B | take a snapshot ("before lunch") / compare two snapshots, or one and now |
| i | hide or show the rationale panel |
| s / S | save / save as (atomic: never a half-written file) |
| o | open another appraisal |
| a | save this session as a replayable scenario |
| e | export the matrix (csv, xlsx, md, json, html) |
| f / F | value tree: fold or unfold the group under the cursor (Enter too) / every group |
| w, ] / [ on a group's row | value tree: set or nudge the group's weight (when the file has [group_weights]) |
| u | the value function of this row's measured criterion, each option on its curve |
| V | value for money: value against cost, the efficient frontier, value per cost |
| ctrl+t | light / dark theme |
| ctrl+p | command palette: every action by name |
| ? | this help |
| q | quit (asks first if there are unsaved changes) |

Every edit is written to a journal beside the file as it happens. If the app is killed, the next
start on the same file offers to restore the session exactly. Snapshots are kept there too, and come
back at the next start.

The banner says who leads, by how much, and the nearest change of one criterion's share of the weight
that would put another option first. The status line says whose view is shown and edited, who is
speaking, whether reasons are asked, how many edits are not saved, and the last thing done.

Weighted total = sum of weight x score over the criteria in use. Weighted % = weighted total /
(top score x sum of weights in use). Ranks: ties share the better rank (1, 2, 2, 4).
"""


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Back")]

    def __init__(self, text: str = HELP):
        super().__init__()
        self.text = text  # the workshop's keys, or a participant's

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(self.text)
        yield Footer()


class ChangesScreen(Screen):
    BINDINGS = [Binding("escape,q,v", "app.pop_screen", "Back")]

    def __init__(self, history: list[tuple[Step, str]]):
        super().__init__()
        self.history = history  # (edit, its words), oldest first

    def compose(self) -> ComposeResult:
        yield Header()
        n = len(self.history)
        yield Static(f"{n} change{'' if n == 1 else 's'} against the loaded appraisal (undone ones are not listed)", classes="screen-title")
        yield DataTable(id="changes", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Change", "By", "Why", "When")
        for k, (step, words) in enumerate(self.history, 1):
            table.add_row(str(k), literal(words), literal(step.by), literal(step.note), literal(step.at[11:19] if step.at else ""))


def _heat(p: float) -> Text:
    """A share shown on a background that darkens with it: a heat table."""
    level = int(round(p * 5))
    bg = ["", "on #1d3b53", "on #245a80", "on #2d78a8", "on #3a95cf", "on #4fb0ec"][level]
    return Text(f"{p * 100:5.1f}%", style=(bg + " bold white") if level else "dim")


class SensitivityScreen(Screen):
    """One-way analysis, switching values and tornado at once; SMAA in a worker."""

    BINDINGS = [Binding("escape,q,t", "app.pop_screen", "Back"), Binding("g", "rerun_smaa", "Re-run SMAA")]

    def __init__(self, appraisal: Appraisal, samples: int = 10_000, seed: int = 0):  # as the commands and the record: one figure everywhere
        super().__init__()
        self.appraisal, self.samples, self.seed = appraisal, samples, seed
        self.analysis = SensitivityView.of(appraisal)
        self.shown_criterion: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane("One-way weights", id="tab-oneway"):
                with VerticalScroll():
                    yield Static(id="sentences")
                    yield DataTable(id="criteria-by-margin", cursor_type="row")
                    yield OneWayChart(id="chart")
                    yield Static(id="oneway")
                    yield Static(id="group-oneway")
            with TabPane("Scores", id="tab-switch"):
                yield VerticalScroll(Static(id="switching"))
            with TabPane("SMAA", id="tab-smaa"):
                yield ProgressBar(total=self.samples, show_eta=False, id="smaa-progress")
                yield VerticalScroll(Static(id="smaa"))
            with TabPane("Tornado", id="tab-tornado"):
                yield VerticalScroll(Static(id="tornado"))
        yield Footer()

    def on_mount(self) -> None:
        analysis, report = self.analysis, self.analysis.report
        name = {o.id: o.label for o in self.appraisal.options}
        cname = {c.id: c.name for c in self.appraisal.criteria}
        self.query_one("#sentences", Static).update(literal("\n".join(analysis.headline), lines=True))
        # Criteria sorted by how little their weight must move before the leader changes.
        table = self.query_one("#criteria-by-margin", DataTable)
        # The numbers first: the criterion's name takes what the three number columns leave (review: at 80x24
        # a 66-cell name pushed "Leader changes at" and "Distance" off the screen).
        name_width = max(14, min(max((len(m.name) for m in analysis.by_margin), default=14), (self.app.size.width or 120) - 52))
        table.add_column("Criterion", width=name_width)
        table.add_columns("Share now", "Leader changes at", "Distance")
        for margin in analysis.by_margin:
            near = margin.changes_at
            table.add_row(literal(fit(printable(margin.name), name_width).rstrip()), f"{margin.share * 100:.1f}%", f"{near * 100:.1f}%" if near is not None else "never",
                          f"{margin.distance * 100:.1f} points" if near is not None else "–", key=margin.criterion)
        table.styles.height = min(len(analysis.by_margin) + 1, 8)
        self.call_after_refresh(self._plot, analysis.by_margin[0].criterion if analysis.by_margin else None)
        self.query_one("#oneway", Static).update(one_way_table(self.appraisal, report, expand=True, title="All criteria, in order"))
        if report.get("group_one_way"):  # a value tree: each group's share among its siblings
            self.query_one("#group-oneway", Static).update(group_one_way_table(self.appraisal, report, expand=True))

        smallest = report["smallest_change"]
        lines = []
        if report.get("measure_switching"):  # measured criteria: their switching values in natural units, not scores
            lines += [literal(line) for line in analysis.measure_words]
            lines += [measure_switching_table(self.appraisal, report), Text("")]
        lines.append(Text("Smallest change of scores that changes the leader", style="bold"))
        if smallest["edits"]:
            lines.append(literal(f"{count(smallest['points'], 'one-point edit')}, then {name.get(smallest['new_leader'], 'a tie')} leads:"))
            lines += [literal(f"  {name[e['option']]} / {cname[e['criterion']]}: {fmt(e['from'])} → {fmt(e['to'])}"
                              + (f" (measure {with_unit(e['from_measure'], e['unit'])} → {with_unit(e['to_measure'], e['unit'])})" if "unit" in e else ""))
                      for e in smallest["edits"]]
        measured = {c.id for c in self.appraisal.criteria if c.measured}
        scored = [s for s in report["score_switching"] if s["criterion"] not in measured]  # measures are in the table above
        switches = [s for s in scored if s["switch_to"] is not None]
        lines.append(Text(""))
        lines.append(Text(f"Single scores that change the leader within the scale: {len(switches)} of {len(scored)}"
                          + (" (scores given on the scale; measures above)" if measured else ""), style="bold"))
        lines += [literal(f"  {name[s['option']]} / {cname[s['criterion']]}: {fmt(s['score'])} → {fmt(s['switch_to'])} ({name[s['new_leader']]} leads)")
                  for s in switches]
        lines.append(Text(""))
        lines.append(Text("Can each option lead alone under some weights?", style="bold"))
        lines += [literal(f"  {name[o]}: {'yes' if ok else 'no'}") for o, ok in report["potentially_optimal"].items()]
        self.query_one("#switching", Static).update(Stack(*lines))

        tornado = Table(title=f"Leader's margin (score points) as each weight moves ±{report['tornado_range'] * 100:g}%", title_justify="left", expand=True)
        tornado.add_column("Criterion")
        tornado.add_column("at -50%", justify="right")
        tornado.add_column("", no_wrap=True)
        tornado.add_column("at +50%", justify="right")
        tornado.add_column("Leader changes")
        entries = report["tornado"]
        top = max([abs(e["low_margin"]) for e in entries] + [abs(e["high_margin"]) for e in entries] + [1e-9])
        for entry in entries:
            bar = "█" * max(1, round(20 * abs(entry["high_margin"] - entry["low_margin"]) / top))
            changes = entry["leader_changes"]
            tornado.add_row(literal(cname[entry["criterion"]]), f"{entry['low_margin']:.3f}", Text(bar, style="red" if changes else "cyan"),
                            f"{entry['high_margin']:.3f}", Text("YES", style="bold red") if changes else "no")
        self.query_one("#tornado", Static).update(tornado)
        self.action_rerun_smaa()

    def _plot(self, criterion: str | None) -> None:
        self.shown_criterion = criterion
        chart = self.query_one(OneWayChart)
        curve = self.analysis.curve(criterion, chart.points()) if criterion else None
        if curve is not None:
            chart.plot(curve)

    @on(DataTable.RowHighlighted, "#criteria-by-margin")
    def _criterion_chosen(self, event: DataTable.RowHighlighted) -> None:
        self._plot(event.row_key.value)

    def action_rerun_smaa(self) -> None:
        self.query_one("#smaa", Static).update(Text(f"Sampling {self.samples:,} weight vectors (seed {self.seed})…", style="dim"))
        self.run_smaa()

    @work(thread=True, exclusive=True)
    def run_smaa(self) -> None:
        bar = self.query_one(ProgressBar)
        table = smaa_table(self.appraisal, self.samples, self.seed, on_chunk=lambda done: self.app.call_from_thread(bar.update, progress=done))
        self.app.call_from_thread(self._smaa_done, table)

    def _smaa_done(self, result: SmaaTable) -> None:
        self.query_one(ProgressBar).update(progress=result.samples)
        table = Table(title=f"SMAA-2: share of {result.samples:,} random weightings (seed {result.seed}) in which each option takes each rank",
                      title_justify="left", expand=True)
        table.add_column("Option")
        for k in range(len(result.rows)):
            table.add_column(f"Rank {k + 1}", justify="right")
        table.add_column(CENTRAL_HEADER, justify="right")
        for label, acceptability, confidence in result.rows:
            table.add_row(literal(label), *[_heat(x) for x in acceptability], central_words(confidence, acceptability[0] if acceptability else 0))
        legend = Text.assemble(
            ("Rank k: ", "bold"), "the share of the random weightings under which the option is ranked k.\n",
            (f"{CENTRAL_HEADER}: ", "bold"), CENTRAL_LEGEND, style="dim")
        self.query_one("#smaa", Static).update(Stack(table, legend))
