"""The workshop's state -> what the app shows: the appraisal as viewed (the shared one, the group's or
a participant's), its evaluation, the reasons given for changed scores, and each score's switching
value. Computed here, once per change, so the app only renders."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import compress, count
from operator import is_not
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ..engine import Evaluation, Problem, evaluate, problem_from
from ..engine.holds import LeaderChange, leader_changes
from ..engine.switching import cell_switch
from ..model import Appraisal
from ..model.scenario import Step
from .numbers import fmt_all, fmt_nonzero
from .text import shorten

if TYPE_CHECKING:
    from .value_views import GroupLine, TreeLayout, ValueForMoneyView, ValueFunctionView

GROUP_VIEW = "\x00group"  # whose view: the group's combined weights and scores (read only)


@dataclass(frozen=True)
class CellSwitch:
    """What one score would have to become for another option to lead alone."""

    state: str  # "switches" | "never" (no score within the scale does it) | "no-leader" (a tie for first now)
    switch_to: float | None = None
    new_leader: str | None = None  # option id
    measure: float | None = None  # on a measured criterion: a measure that gives the score `switch_to`


# Names in the banner, so it stays a line or two however long a file's names are (every 2013 name fits)
NAME_CELLS = 60
CRITERION_CELLS = 80


@dataclass(frozen=True)
class Banner:
    """The one line the room reads first: who leads, by how much, and whether the lead holds."""

    leader: str  # the leader's full name ("" on a tie for first)
    leader_label: str  # its short name
    tied: tuple[str, ...]  # labels of the options tied for first (empty when one leads)
    margin: str  # the lead over the runner-up, as printed ("24")
    runner_up: str  # its short name ("" when only one option is in play)
    holds: str  # "holds unless 'Break from the past' rises above 21.7%", or why nothing one weight does changes it

    def text(self, *, short: bool = False) -> str:
        if self.tied:
            return f"No single leader: {' and '.join(self.tied)} tie for first"
        name = self.leader_label if short else self.leader
        lead = f"Leader: {name}" + (f", {self.margin} ahead of {self.runner_up}" if self.runner_up else "")
        return f"{lead}; {self.holds}" if self.holds else lead


@dataclass(frozen=True)
class Turn:
    """One place along a criterion's share where the leader changes (for the nudge strip)."""

    share: float
    new_leader: str  # label(s) of who leads beyond it


@dataclass(frozen=True)
class ShareStrip:
    """Where, along one criterion's share of the weight, the leader would change: the nudge strip."""

    criterion: str  # name
    share: float  # now
    leader: str  # label of who leads now ("" on a tie)
    turns: tuple[Turn, ...]  # the nearest change below and above, where there is one
    off: bool = False  # switched off: its share is 0 and moving its weight changes nothing


@dataclass(frozen=True, eq=False)
class WorkshopView:
    """Everything the workshop screen shows, for one state of the session. Compared by identity: a new
    state is a new view (numpy arrays inside make `==` meaningless)."""

    appraisal: Appraisal  # as viewed
    baseline: Appraisal  # what changes are marked against
    evaluation: Evaluation
    notes: dict[tuple[str, str], tuple[str, str]]  # (option, criterion) -> (reason, by) of the last edit there
    viewing: str | None = None  # None: the appraisal; GROUP_VIEW; or a participant's name
    _problem: Problem | None = field(default=None, repr=False)
    _switches: dict[tuple[str, str], CellSwitch | None] = field(default_factory=dict, repr=False)
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, current: Appraisal, baseline: Appraisal, steps: Sequence[Step] = (), viewing: str | None = None,
           previous: "WorkshopView | None" = None) -> "WorkshopView":
        """The view of `current` as `viewing` sees it; a participant no longer there falls back to the appraisal.
        Given the `previous` view, the arrays of scores are patched where cells changed, not rebuilt."""
        a = current
        if viewing is not None and (viewing == GROUP_VIEW and a.participants or viewing != GROUP_VIEW and a.participant(viewing) is not None):
            from .group import group_appraisal, participant_appraisal

            plain = a.model_copy(update={"participants": ()})
            if viewing == GROUP_VIEW:
                # Group weights are shares: compare with the appraisal's shares, not its raw weights.
                total = sum(w for c, w in a.weights.items() if c not in a.disabled)
                baseline = plain.model_copy(update={"weights": {c: (0.0 if c in a.disabled else w / total) for c, w in a.weights.items()}})
                a = group_appraisal(a)
            else:
                baseline, a = plain, participant_appraisal(a, viewing)
        else:
            viewing = None
        notes: dict[tuple[str, str], tuple[str, str]] = {}
        for step in steps:
            if step.action == "set-score" and step.participant == (viewing or ""):
                notes[(step.option, step.criterion)] = (step.note, step.by)
        problem = _patched(previous, a) if previous is not None and viewing is None else None
        problem = problem or problem_from(a)
        return cls(a, baseline, evaluate(problem), notes, viewing, problem)

    @property
    def read_only(self) -> bool:
        """The group's view is computed from the participants: it cannot be edited."""
        return self.viewing == GROUP_VIEW

    def old_score(self, option: str, criterion: str) -> float | None | str:
        """The baseline score where it differs from now; '' where unchanged."""
        before = self.baseline.cell(option, criterion).score
        now = self.appraisal.cell(option, criterion).score
        return "" if before == now else before

    def dominated(self) -> list[tuple[str, list[str]]]:
        """(dominated option's label, labels of those dominating it), in the order listed."""
        a = self.appraisal
        return [(a.option(b).label, [a.option(x).label for x in by]) for b, by in self.evaluation.dominated_by().items()]

    def switching(self, option: str, criterion: str) -> CellSwitch | None:
        """The score's switching value (None for an excluded option or a switched-off criterion).
        Worked out when first asked for: the app asks for the cell under the cursor."""
        key = (option, criterion)
        if key not in self._switches:
            a = self.appraisal
            found = cell_switch(self._problem or problem_from(a), a.option_index[option], a.criterion_index[criterion], a.scale.step)
            if found is None:
                self._switches[key] = CellSwitch("no-leader") if self.evaluation.leader is None else None  # else: out of play
            elif found.switch_to is None:
                self._switches[key] = CellSwitch("never")
            else:
                c = a.criterion(criterion)
                measure = None
                if c.value is not None:  # the score as a measure, through the value function
                    from ..engine.value import curve, measure_for

                    measure = measure_for(curve(c.value.curve(a.scale)), found.switch_to)
                self._switches[key] = CellSwitch("switches", found.switch_to, a.options[found.new_leader].id, measure)
        return self._switches[key]

    # --- the leader banner and the nudge strip ---------------------------------------------------
    def _leader_changes(self) -> dict[int, LeaderChange] | None:
        """Per criterion index in use, where the leader changes (worked out once, when first asked for)."""
        if "changes" not in self._cache:
            found = leader_changes(self._problem or problem_from(self.appraisal))
            self._cache["changes"] = None if found is None else {c.criterion: c for c in found}
        return self._cache["changes"]  # type: ignore[return-value]

    def _labels(self, indices: tuple[int, ...]) -> str:
        return " and ".join(self.appraisal.options[i].label for i in indices) or "a tie"

    def banner(self) -> Banner:
        a, ev = self.appraisal, self.evaluation
        ranked = sorted((int(r), i) for i, r in enumerate(ev.rank_weighted) if r > 0)
        if not ranked:
            return Banner("", "", (), "", "", "no option can be ranked (missing scores or none in play)")
        firsts = [i for r, i in ranked if r == 1]
        if len(firsts) > 1:
            return Banner("", "", tuple(shorten(a.options[i].label, NAME_CELLS) for i in firsts), "", "", "")
        lead = firsts[0]
        runner = ranked[1][1] if len(ranked) > 1 else None
        margin = ""
        if runner is not None:
            totals = [float(ev.weighted[i]) for _, i in ranked]
            digits = fmt_all(totals, 1)  # as many decimals as the totals need to print apart
            places = max((len(t.partition(".")[2]) for t in digits), default=1)
            margin = fmt_nonzero(float(ev.weighted[lead] - ev.weighted[runner]), max(1, places))
        return Banner(shorten(a.options[lead].name, NAME_CELLS), shorten(a.options[lead].label, NAME_CELLS), (), margin,
                      shorten(a.options[runner].label, NAME_CELLS) if runner is not None else "", self._holds())

    def _holds(self) -> str:
        changes = self._leader_changes()
        if not changes:
            return ""
        near = [(c.nearest, c) for c in changes.values() if c.nearest is not None]
        if not near:
            return "no single weight can change it"
        (distance, share, who), change = min(near, key=lambda x: (x[0][0], x[1].criterion))
        name = shorten(self.appraisal.criteria[change.criterion].name, CRITERION_CELLS)
        way = "rises above" if share > change.share else "falls below"
        return f"holds unless '{name}' {way} {_percent(share, change.share)}"

    def share_strip(self, criterion: str) -> ShareStrip | None:
        """For the nudge strip: this criterion's share now and the nearest shares either way at which
        the leader would change, with who would lead. A group's id gives the group's strip."""
        a = self.appraisal
        j = a.criterion_index.get(criterion)
        if j is None:
            return self.group_strip(criterion)
        leader = a.options[self.evaluation.leader].label if self.evaluation.leader is not None else ""
        if criterion in a.disabled:
            return ShareStrip(a.criteria[j].name, 0.0, leader, (), off=True)
        changes = self._leader_changes() or {}
        change = changes.get(j)
        turns = []
        if change is not None:
            for share, who in ((change.below, change.below_leader), (change.above, change.above_leader)):
                if share is not None:
                    turns.append(Turn(share, self._labels(who)))
        return ShareStrip(a.criteria[j].name, float(self.evaluation.shares[j]), leader, tuple(turns))

    # --- the value tree, measures and costs ------------------------------------------------------
    def tree(self) -> tuple["TreeLayout | None", dict[str, "GroupLine"]]:
        """The matrix's rows for a value tree (None when flat) and each group's row (subtotals, weight, share)."""
        found = self._cache.get("tree")
        if found is None:
            from .value_views import group_lines, tree_layout

            a = self.appraisal
            layout = tree_layout(a)
            lines = group_lines(a, self.baseline, self._problem or problem_from(a), self.evaluation) if layout is not None else {}
            found = self._cache["tree"] = (layout, lines)
        return found  # type: ignore[return-value]

    def value_function(self, criterion: str) -> "ValueFunctionView | None":
        """A measured criterion's curve with each option on it (None: scored on the scale)."""
        from .value_views import value_function_view

        return value_function_view(self.appraisal, criterion, self.baseline)

    def value_for_money(self) -> "ValueForMoneyView | None":
        """Each option's value against its cost, and the frontier (None: no option has a cost)."""
        if "money" not in self._cache:
            from .value_views import value_for_money_view

            a = self.appraisal
            self._cache["money"] = value_for_money_view(a, self._problem or problem_from(a), self.evaluation)
        return self._cache["money"]  # type: ignore[return-value]

    def group_strip(self, group: str) -> ShareStrip | None:
        """For the nudge strip on a group: its share among its siblings now, and the nearest shares either
        way at which the leader would change (one-way on the group: its criteria keep their shares within it)."""
        a = self.appraisal
        k = next((k for k, g in enumerate(a.groups) if g.id == group), None)
        if k is None:
            return None
        from ..engine.tree import group_active, tree_from
        from ..engine.tree_sensitivity import group_one_way

        p = self._problem or problem_from(a)
        t = tree_from(a)
        g = a.groups[k]
        name = g.name if g.parent is None else f"{g.name} (within {a.group_node(g.parent).name})"
        leader = a.options[self.evaluation.leader].label if self.evaluation.leader is not None else ""
        if not group_active(t, p.criterion_active)[k]:
            return ShareStrip(name, 0.0, leader, (), off=True)
        raw = np.array([a.weights[c.id] for c in a.criteria], dtype=float)
        ow = group_one_way(p, t, raw, k)
        below = [c for c in ow.crossovers if c.share < ow.share - 1e-12]
        above = [c for c in ow.crossovers if c.share > ow.share + 1e-12]
        turns = []
        if below:
            turns.append(Turn(below[-1].share, self._labels(below[-1].before)))
        if above:
            turns.append(Turn(above[0].share, self._labels(above[0].after)))
        return ShareStrip(name, float(ow.share), leader, tuple(turns))

    def group_nudge_step(self, group: str) -> float:
        """How far one nudge moves a group's weight: 1 when the weights at its level (its sibling groups
        and criteria, in use) are whole, else a tenth of their mean, as for criteria. Taken from the
        weights as loaded where they had group weights, so every nudge moves by the same step (0.4, 0.45,
        0.5 rather than 0.45, 0.503)."""
        a = self.baseline if self.baseline.group_weights is not None and self.baseline.groups == self.appraisal.groups else self.appraisal
        weights = a.group_weights or {}
        parent = a.group_node(group).parent
        level = [float(weights[g.id]) for g in a.groups if g.parent == parent]
        level += [float(a.weights[c.id]) for c in a.criteria if c.group == parent and c.id not in a.disabled]
        return _step_for(level)

    def nudge_step(self) -> float:
        """How far one nudge moves a weight: 1 when every weight in use is whole, else a tenth of the
        mean weight in use (to two significant digits), so a nudge is a small move on any scale."""
        a = self.appraisal
        return _step_for([float(a.weights[c.id]) for c in a.criteria if c.id not in a.disabled])


def _step_for(weights: list[float]) -> float:
    """1 when every weight is whole, else a tenth of their mean (to two significant digits)."""
    if all(w.is_integer() for w in weights):
        return 1.0
    tenth = sum(weights) / len(weights) / 10
    if tenth <= 0:
        return 1.0
    return float(f"{tenth:.2g}")


def _patched(previous: WorkshopView, a: Appraisal) -> Problem | None:
    """The problem of `a` from the previous view's, where only scores, weights or what is in or out
    changed: an edit changes a few cells (found by identity: edits make new cells only where they
    change them), so 20,000 cells are not read again at every key press. None: build it afresh."""
    before, problem = previous.appraisal, previous._problem
    if problem is None or previous.viewing is not None or before.options is not a.options and [o.id for o in before.options] != [o.id for o in a.options]:
        return None
    if before.criteria is not a.criteria or len(before.cells) != len(a.cells):
        return None
    scores = problem.scores
    if before.cells is not a.cells:
        changed = list(compress(count(), map(is_not, before.cells, a.cells)))
        if len(changed) > len(a.cells) // 4:
            return None
        scores = scores.copy()
        m = len(a.criteria)
        for k in changed:
            score = a.cells[k].score
            scores[k // m, k % m] = np.nan if score is None else score
    same_weights = before.weights is a.weights and before.disabled is a.disabled and before.group_weights == a.group_weights
    if not same_weights and a.group_weights is not None:
        return None  # a value tree's effective weights: the engine works them out
    weights = problem.weights if same_weights else np.array([a.weights[c.id] for c in a.criteria], dtype=float)
    option_active = problem.option_active if before.options is a.options else np.array([not o.excluded for o in a.options], dtype=bool)
    criterion_active = problem.criterion_active if before.disabled is a.disabled else np.array([c.id not in a.disabled for c in a.criteria], dtype=bool)
    return replace(problem, scores=scores, weights=weights, option_active=option_active, criterion_active=criterion_active)


def nudged(weight: float, step: float, direction: int) -> float:
    """The weight one nudge up or down (never below 0), without float noise (0.3, not 0.30000000000000004)."""
    return max(0.0, float(f"{weight + direction * step:.12g}"))


def _percent(share: float, now: float) -> str:
    """A share as a percentage with enough decimals to differ from the share now."""
    digits = 1
    while digits < 6 and f"{share * 100:.{digits}f}" == f"{now * 100:.{digits}f}":
        digits += 1
    return f"{share * 100:.{digits}f}%"
