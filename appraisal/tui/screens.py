"""Full screens: help, the changes made this session, and sensitivity."""

from __future__ import annotations

import math

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Markdown, ProgressBar, Static, TabbedContent, TabPane

from ..model.scenario import Step
from .chart import OneWayChart
from .view import fmt

HELP = """\
# Workshop keys

| Key | What it does |
|---|---|
| arrows, h j k l, mouse | move around the matrix |
| 1 2 3 4 5 | set the score under the cursor |
| + / - | raise or lower it by half a point |
| w | set the weight of the criterion in this row |
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
| s / S | save / save as (atomic: never a half-written file) |
| o | open another appraisal |
| a | save this session as a replayable scenario |
| e | export the matrix (csv, xlsx, md, json, html) |
| ctrl+t | light / dark theme |
| ctrl+p | command palette: every action by name |
| ? | this help |
| q | quit (asks first if there are unsaved changes) |

Every edit is written to a journal beside the file as it happens. If the app is killed, the next
start on the same file offers to restore the session exactly.

Weighted total = sum of weight x score over the criteria in use. Weighted % = weighted total /
(top score x sum of weights in use). Ranks: ties share the better rank (1, 2, 2, 4).
"""


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(HELP)
        yield Footer()


def describe(step: Step, names: dict[str, str]) -> str:
    if step.action in ("exclude", "include"):
        return f"{step.action.capitalize()} {names.get(step.option, step.option)}"
    if step.action == "set-score":
        return f"{names.get(step.option, step.option)} / {names.get(step.criterion, step.criterion)}: score {fmt(step.score)}"
    if step.action == "set-weight":
        return f"{names.get(step.criterion, step.criterion)}: weight {fmt(step.weight, 2)}"
    if step.action in ("add-participant", "remove-participant"):
        return f"{'Add' if step.action == 'add-participant' else 'Remove'} participant {step.participant}"
    if getattr(step, "participant", ""):
        return f"[{step.participant}] " + describe(step.model_copy(update={"participant": ""}), names)
    if step.action in ("disable", "enable"):
        return f"{'Switch off' if step.action == 'disable' else 'Switch on'} {names.get(step.criterion, step.criterion)}"
    return f"Weights preset: {step.preset}"


class ChangesScreen(Screen):
    BINDINGS = [Binding("escape,q,v", "app.pop_screen", "Back")]

    def __init__(self, steps: list[Step], names: dict[str, str]):
        super().__init__()
        self.steps, self.names = steps, names

    def compose(self) -> ComposeResult:
        yield Header()
        n = len(self.steps)
        yield Static(f"{n} change{'' if n == 1 else 's'} against the loaded appraisal (undone ones are not listed)", classes="screen-title")
        yield DataTable(id="changes", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_columns("#", "Change", "By", "Why", "When")
        for k, s in enumerate(self.steps, 1):
            t.add_row(str(k), Text(describe(s, self.names)), Text(s.by), Text(s.note), Text(s.at[11:19] if s.at else ""))


def _heat(p: float) -> Text:
    """A share shown on a background that darkens with it: a heat table."""
    level = int(round(p * 5))
    bg = ["", "on #1d3b53", "on #245a80", "on #2d78a8", "on #3a95cf", "on #4fb0ec"][level]
    return Text(f"{p * 100:5.1f}%", style=(bg + " bold white") if level else "dim")


class SensitivityScreen(Screen):
    """One-way analysis, switching values and tornado at once; SMAA in a worker."""

    BINDINGS = [Binding("escape,q,t", "app.pop_screen", "Back"), Binding("g", "rerun_smaa", "Re-run SMAA")]

    def __init__(self, appraisal, samples: int = 20_000, seed: int = 0):
        super().__init__()
        self.appraisal, self.samples, self.seed = appraisal, samples, seed

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane("One-way weights", id="tab-oneway"):
                with VerticalScroll():
                    yield Static(id="sentences")
                    yield DataTable(id="criteria-by-margin", cursor_type="row")
                    yield OneWayChart(id="chart")
                    yield Static(id="oneway")
            with TabPane("Scores", id="tab-switch"):
                yield VerticalScroll(Static(id="switching"))
            with TabPane("SMAA", id="tab-smaa"):
                yield ProgressBar(total=self.samples, show_eta=False, id="smaa-progress")
                yield VerticalScroll(Static(id="smaa"))
            with TabPane("Tornado", id="tab-tornado"):
                yield VerticalScroll(Static(id="tornado"))
        yield Footer()

    def on_mount(self) -> None:
        from ..engine import problem_from
        from ..engine.oneway import one_way_all
        from ..reports.sensitivity import deterministic_report, one_way_table, sentences

        r = deterministic_report(self.appraisal)
        name = {o.id: o.label for o in self.appraisal.options}
        cname = {c.id: c.name for c in self.appraisal.criteria}
        self.query_one("#sentences", Static).update(Text("\n".join(sentences(self.appraisal, r)[:4])))
        # Criteria sorted by how little their weight must move before the leader changes.
        table = self.query_one("#criteria-by-margin", DataTable)
        table.add_columns("Criterion", "Share now", "Leader changes at", "Distance")
        rows = []
        for ow in r["one_way"]:
            t0 = ow["share"]
            near = min(ow["crossovers"], key=lambda c: abs(c["share"] - t0), default=None)
            distance = abs(near["share"] - t0) if near else math.inf
            rows.append((distance, ow["criterion"], t0, near))
        rows.sort(key=lambda x: (x[0], x[1]))
        for distance, cid, t0, near in rows:
            table.add_row(Text(cname[cid]), f"{t0 * 100:.1f}%", f"{near['share'] * 100:.1f}%" if near else "never",
                          f"{distance * 100:.1f} points" if near else "–", key=cid)
        table.styles.height = min(len(rows) + 1, 12)
        self._oneway = {ow.criterion: ow for ow in one_way_all(problem_from(self.appraisal))}
        self._names = [o.label for o in self.appraisal.options]
        self.call_after_refresh(self._plot, rows[0][1] if rows else None)
        t = one_way_table(self.appraisal, r, expand=True, title="All criteria, in order")
        self.query_one("#oneway", Static).update(t)

        sc = r["smallest_change"]
        lines = [Text("Smallest change of scores that changes the leader", style="bold")]
        if sc["edits"]:
            lines.append(Text(f"{sc['points']} one-point edits, then {name.get(sc['new_leader'], 'a tie')} leads:"))
            lines += [Text(f"  {name[e['option']]} / {cname[e['criterion']]}: {fmt(e['from'])} → {fmt(e['to'])}") for e in sc["edits"]]
        switches = [s for s in r["score_switching"] if s["switch_to"] is not None]
        lines.append(Text(""))
        lines.append(Text(f"Single scores that change the leader within the scale: {len(switches)} of {len(r['score_switching'])}", style="bold"))
        lines += [Text(f"  {name[s['option']]} / {cname[s['criterion']]}: {fmt(s['score'])} → {fmt(s['switch_to'])} ({name[s['new_leader']]} leads)") for s in switches]
        lines.append(Text(""))
        lines.append(Text("Can each option lead alone under some weights?", style="bold"))
        lines += [Text(f"  {name[o]}: {'yes' if ok else 'no'}") for o, ok in r["potentially_optimal"].items()]
        from rich.console import Group

        self.query_one("#switching", Static).update(Group(*lines))

        tt = Table(title=f"Leader's margin (score points) as each weight moves ±{r['tornado_range'] * 100:g}%", title_justify="left", expand=True)
        tt.add_column("Criterion")
        tt.add_column("at -50%", justify="right")
        tt.add_column("", no_wrap=True)
        tt.add_column("at +50%", justify="right")
        tt.add_column("Leader changes")
        top = max([abs(b["low_margin"]) for b in r["tornado"]] + [abs(b["high_margin"]) for b in r["tornado"]] + [1e-9])
        for b in r["tornado"]:
            bar = "█" * max(1, round(20 * abs(b["high_margin"] - b["low_margin"]) / top))
            tt.add_row(cname[b["criterion"]], f"{b['low_margin']:.3f}", Text(bar, style="red" if b["leader_changes"] else "cyan"),
                       f"{b['high_margin']:.3f}", Text("YES", style="bold red") if b["leader_changes"] else "no")
        self.query_one("#tornado", Static).update(tt)
        self.action_rerun_smaa()

    def _plot(self, criterion: str | None) -> None:
        if criterion is None:
            return
        j = self.appraisal.criterion_index[criterion]
        if j in self._oneway:
            self.query_one(OneWayChart).plot(self._oneway[j], self._names, self.appraisal.criterion(criterion).name)

    @on(DataTable.RowHighlighted, "#criteria-by-margin")
    def _criterion_chosen(self, event: DataTable.RowHighlighted) -> None:
        self._plot(event.row_key.value)

    def action_rerun_smaa(self) -> None:
        self.query_one("#smaa", Static).update(Text(f"Sampling {self.samples:,} weight vectors (seed {self.seed})…", style="dim"))
        self.run_smaa()

    @work(thread=True, exclusive=True)
    def run_smaa(self) -> None:
        from ..engine import problem_from
        from ..engine.smaa import smaa

        bar = self.query_one(ProgressBar)
        result = smaa(problem_from(self.appraisal), self.samples, seed=self.seed,
                      on_chunk=lambda done: self.app.call_from_thread(bar.update, progress=done))
        self.app.call_from_thread(self._smaa_done, result)

    def _smaa_done(self, r) -> None:
        self.query_one(ProgressBar).update(progress=r.samples)
        a = self.appraisal
        t = Table(title=f"SMAA-2: share of {r.samples:,} random weightings (seed {r.seed}) in which each option takes each rank",
                  title_justify="left", expand=True)
        t.add_column("Option")
        for k in range(len(r.options)):
            t.add_column(f"Rank {k + 1}", justify="right")
        t.add_column("Confidence", justify="right")
        for row, i in enumerate(r.options):
            t.add_row(a.options[i].label, *[_heat(x) for x in r.rank_acceptability[row]], f"{r.confidence[row] * 100:.0f}%")
        self.query_one("#smaa", Static).update(t)
