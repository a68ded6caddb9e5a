"""The arrays the engine works on, taken once from an Appraisal."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    # Labels: results name options and criteria by id, never by position alone. Problems built by hand
    # (tests, benchmarks) may leave them out; positions then stand in as "0", "1", ...
    option_ids: tuple[str, ...] = ()
    criterion_ids: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape  # type: ignore[return-value]

    @property
    def options(self) -> tuple[str, ...]:
        return self.option_ids or tuple(str(i) for i in range(self.scores.shape[0]))

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.criterion_ids or tuple(str(j) for j in range(self.scores.shape[1]))

    def relabel(self, scores: np.ndarray, weights: np.ndarray) -> "Problem":
        """The same options and criteria with other scores and weights (a participant's, the group's)."""
        return replace(self, scores=scores, weights=weights)


def problem_from(a: Appraisal) -> Problem:
    """The flat view: scores as given or derived from measures; with a value tree whose weights are
    local ([group_weights]), the effective weights (engine.tree), so every analysis works on them."""
    scores = np.array(a.score_matrix, dtype=float)  # a copy the engine may write to
    weights = np.array([a.weights[c.id] for c in a.criteria], dtype=float)
    criterion_active = np.array([c.id not in a.disabled for c in a.criteria], dtype=bool)
    if a.group_weights is not None:
        from .tree import effective_weights, tree_from

        weights = effective_weights(tree_from(a), weights, criterion_active)
    return Problem(
        scores=scores,
        weights=weights,
        option_active=np.array([not o.excluded for o in a.options], dtype=bool),
        criterion_active=criterion_active,
        scale_min=float(a.scale.min),
        scale_max=float(a.scale.max),
        option_ids=tuple(o.id for o in a.options),
        criterion_ids=tuple(c.id for c in a.criteria),
    )

