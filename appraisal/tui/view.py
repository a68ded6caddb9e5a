"""What the screen shows, taken once per change from the session and the engine's evaluation."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Evaluation, evaluate, problem_from
from ..model import Appraisal
from ..session import Session


@dataclass(frozen=True, eq=False)
class View:
    appraisal: Appraisal
    baseline: Appraisal
    evaluation: Evaluation
    notes: dict[tuple[str, str], tuple[str, str]]  # (option, criterion) -> (reason, by) of the last edit there

    @classmethod
    def of(cls, session: Session) -> "View":
        a = session.current
        notes: dict[tuple[str, str], tuple[str, str]] = {}
        for step in session.steps:
            if step.action == "set-score":
                notes[(step.option, step.criterion)] = (step.note, step.by)
        return cls(a, session.baseline, evaluate(problem_from(a)), notes)

    def old_score(self, option: str, criterion: str) -> float | None | str:
        """The baseline score where it differs from now; '' where unchanged."""
        before = self.baseline.cell(option, criterion).score
        now = self.appraisal.cell(option, criterion).score
        return "" if before == now else before


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None or x != x:
        return "–"
    return str(int(x)) if float(x).is_integer() else f"{x:.{digits}f}".rstrip("0").rstrip(".")
