"""The workshop's state -> what the app shows: the appraisal as viewed (the shared one, the group's or
a participant's), its evaluation, the reasons given for changed scores, and each score's switching
value. Computed here, once per change, so the app only renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..engine import Evaluation, Problem, evaluate, problem_from
from ..engine.switching import cell_switch
from ..model import Appraisal
from ..model.scenario import Step

GROUP_VIEW = "\x00group"  # whose view: the group's combined weights and scores (read only)


@dataclass(frozen=True)
class CellSwitch:
    """What one score would have to become for another option to lead alone."""

    state: str  # "switches" | "never" (no score within the scale does it) | "no-leader" (a tie for first now)
    switch_to: float | None = None
    new_leader: str | None = None  # option id


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

    @classmethod
    def of(cls, current: Appraisal, baseline: Appraisal, steps: Sequence[Step] = (), viewing: str | None = None) -> "WorkshopView":
        """The view of `current` as `viewing` sees it; a participant no longer there falls back to the appraisal."""
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
        problem = problem_from(a)
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
                self._switches[key] = CellSwitch("switches", found.switch_to, a.options[found.new_leader].id)
        return self._switches[key]
