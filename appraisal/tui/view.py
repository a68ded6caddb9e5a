"""What the screen shows, taken once per change from the session and the engine's evaluation."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Evaluation, Problem, evaluate, problem_from
from ..model import Appraisal
from ..reports.numbers import fmt  # noqa: F401 - the screens format through the view module
from ..session import Session


GROUP = "\x00group"  # the viewing mode that shows the group's combined weights and scores


@dataclass(frozen=True, eq=False)
class View:
    appraisal: Appraisal
    baseline: Appraisal
    evaluation: Evaluation
    notes: dict[tuple[str, str], tuple[str, str]]  # (option, criterion) -> (reason, by) of the last edit there

    viewing: str | None = None  # None: the appraisal; GROUP; or a participant's name
    problem: Problem | None = None  # the arrays the evaluation came from

    @classmethod
    def of(cls, session: Session, viewing: str | None = None) -> "View":
        a, baseline = session.current, session.baseline
        if viewing is not None and (viewing == GROUP and a.participants or a.participant(viewing) is not None):
            from ..reports.group import group_appraisal, participant_appraisal

            plain = a.model_copy(update={"participants": ()})
            if viewing == GROUP:
                # Group weights are shares: compare with the appraisal's shares, not its raw weights.
                total = sum(w for c, w in a.weights.items() if c not in a.disabled)
                baseline = plain.model_copy(update={"weights": {c: (0.0 if c in a.disabled else w / total) for c, w in a.weights.items()}})
                a = group_appraisal(a)
            else:
                baseline, a = plain, participant_appraisal(a, viewing)
        else:
            viewing = None
        notes: dict[tuple[str, str], tuple[str, str]] = {}
        for step in session.steps:
            if step.action == "set-score" and step.participant == (viewing or ""):
                notes[(step.option, step.criterion)] = (step.note, step.by)
        p = problem_from(a)
        return cls(a, baseline, evaluate(p), notes, viewing, p)

    def old_score(self, option: str, criterion: str) -> float | None | str:
        """The baseline score where it differs from now; '' where unchanged."""
        before = self.baseline.cell(option, criterion).score
        now = self.appraisal.cell(option, criterion).score
        return "" if before == now else before
