"""The arrays the engine works on, taken once from an Appraisal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Appraisal


@dataclass(frozen=True, eq=False)
class Problem:
    """scores[i, j] is option i on criterion j (NaN where missing)."""

    scores: np.ndarray  # (n_options, n_criteria) float
    weights: np.ndarray  # (n_criteria,) float, >= 0
    option_active: np.ndarray  # (n_options,) bool
    criterion_active: np.ndarray  # (n_criteria,) bool
    scale_min: float
    scale_max: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape  # type: ignore[return-value]


def problem_from(a: Appraisal) -> Problem:
    n, m = len(a.options), len(a.criteria)
    scores = np.array([np.nan if c.score is None else c.score for c in a.cells], dtype=float).reshape(n, m)
    return Problem(
        scores=scores,
        weights=np.array([a.weights[c.id] for c in a.criteria], dtype=float),
        option_active=np.array([not o.excluded for o in a.options], dtype=bool),
        criterion_active=np.array([c.id not in a.disabled for c in a.criteria], dtype=bool),
        scale_min=float(a.scale.min),
        scale_max=float(a.scale.max),
    )

