"""Group workshops: each participant's weights and scores, the group's, and the disagreements that
decide the outcome. Pure numpy over a GroupProblem."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .core import Evaluation, evaluate, shares
from .oneway import one_way
from ..model import Appraisal
from .problem import Problem, problem_from
from .switching import sole_leader


@dataclass(frozen=True, eq=False)
class GroupProblem:
    base: Problem
    weights: np.ndarray  # (P, m) each participant's raw weights (the base's where they gave none)
    scores: np.ndarray  # (P, n, m) each participant's own scores, NaN where they gave none
    names: tuple[str, ...]
    aggregate: str = "mean"  # weights: mean | median | geomean of normalised shares
    score_aggregate: str = "mean"  # cells: mean | median of those who scored

    @property
    def size(self) -> int:
        return len(self.names)

    def without(self, k: int) -> "GroupProblem":
        keep = [j for j in range(self.size) if j != k]
        return GroupProblem(self.base, self.weights[keep], self.scores[keep], tuple(self.names[j] for j in keep), self.aggregate, self.score_aggregate)


def participant_shares(g: GroupProblem) -> np.ndarray:
    w = np.where(g.base.criterion_active[None, :], g.weights, 0.0)
    return w / w.sum(axis=1, keepdims=True)


def group_weights(sh: np.ndarray, how: str) -> np.ndarray:
    """Combine participants' shares (P x m) criterion by criterion, then renormalise."""
    if how == "median":
        w = np.median(sh, axis=0)
    elif how == "geomean":
        with np.errstate(divide="ignore"):
            w = np.exp(np.mean(np.log(sh), axis=0))  # a zero share anywhere gives 0
    else:
        w = sh.mean(axis=0)
    total = w.sum()
    return w / total if total > 0 else np.full_like(w, np.nan)


def group_scores(g: GroupProblem) -> np.ndarray:
    given = ~np.isnan(g.scores)
    counts = given.sum(axis=0)
    with warnings.catch_warnings():  # cells nobody scored are all-NaN: they keep the base score below
        warnings.simplefilter("ignore", RuntimeWarning)
        combined = np.nanmedian(g.scores, axis=0) if g.score_aggregate == "median" else np.nanmean(g.scores, axis=0)
    return np.where(counts > 0, combined, g.base.scores)


def group_problem(g: GroupProblem) -> Problem:
    """The group's appraisal: combined weights (as shares) and scores. With nobody in the room, the base."""
    if g.size == 0:
        return g.base
    b = g.base
    return b.relabel(group_scores(g), group_weights(participant_shares(g), g.aggregate))


def participant_problem(g: GroupProblem, k: int) -> Problem:
    b = g.base
    own = np.where(np.isnan(g.scores[k]), b.scores, g.scores[k])
    return b.relabel(own, g.weights[k])


def _leader(p: Problem) -> int | None:
    ev = evaluate(p)
    return ev.leader


@dataclass(frozen=True, eq=False)
class GroupAnalysis:
    problem: Problem  # the group's
    evaluation: Evaluation
    leader: int | None
    participants: tuple[Evaluation, ...]
    participant_leaders: tuple[int | None, ...]
    counts: np.ndarray  # (n, m) how many participants scored each cell
    cell_min: np.ndarray  # (n, m) NaN where nobody scored
    cell_max: np.ndarray
    cell_std: np.ndarray  # population standard deviation
    low_holder: np.ndarray  # (n, m) index of a participant holding the minimum, -1 where nobody scored
    high_holder: np.ndarray
    decisive_cells: np.ndarray  # (n, m) bool
    share_min: np.ndarray  # (m,) participants' shares
    share_max: np.ndarray
    decisive_criteria: np.ndarray  # (m,) bool
    leave_one_out: tuple[int | None, ...]


def analyse(g: GroupProblem) -> GroupAnalysis:
    gp = group_problem(g)
    gev = evaluate(gp)
    leader = gev.leader
    per = tuple(evaluate(participant_problem(g, k)) for k in range(g.size))
    n, m = g.base.shape
    if g.size:
        given = ~np.isnan(g.scores)
        counts = given.sum(axis=0)
        lo = np.where(given, g.scores, np.inf).min(axis=0)
        hi = np.where(given, g.scores, -np.inf).max(axis=0)
        low_holder = np.where(counts > 0, np.argmin(np.where(given, g.scores, np.inf), axis=0), -1)
        high_holder = np.where(counts > 0, np.argmax(np.where(given, g.scores, -np.inf), axis=0), -1)
        mean = np.where(counts > 0, np.where(given, g.scores, 0).sum(axis=0) / np.maximum(counts, 1), np.nan)
        std = np.sqrt(np.where(counts > 0, (np.where(given, g.scores - mean, 0) ** 2).sum(axis=0) / np.maximum(counts, 1), np.nan))
        lo, hi = np.where(counts > 0, lo, np.nan), np.where(counts > 0, hi, np.nan)
        sh = participant_shares(g)
        share_min, share_max = sh.min(axis=0), sh.max(axis=0)
    else:
        counts = np.zeros((n, m), int)
        lo = hi = std = np.full((n, m), np.nan)
        low_holder = high_holder = np.full((n, m), -1)
        share_min = share_max = shares(g.base.weights, g.base.criterion_active)

    # A cell is decisive when moving the group's score to either end of the participants' range changes
    # the leader (values are linear in one score, so the ends are enough).
    decisive = np.zeros((n, m), bool)
    gsh = gp.weights / gp.weights[gp.criterion_active].sum()
    values = gp.scores[:, gp.criterion_active] @ gsh[gp.criterion_active]
    in_play = gp.option_active & ~np.isnan(gp.scores[:, gp.criterion_active]).any(axis=1)
    for i, j in zip(*np.nonzero((counts > 0) & (hi > lo))):
        if not (in_play[i] and gp.criterion_active[j]):
            continue
        for end in (lo[i, j], hi[i, j]):
            trial = values.copy()
            trial[i] += gsh[j] * (end - gp.scores[i, j])
            if sole_leader(trial, in_play) != leader:
                decisive[i, j] = True
                break

    # A criterion is decisive when its group share, moved across the participants' range of shares
    # (the others rescaled in proportion), crosses a point where the leader changes.
    decisive_crit = np.zeros(m, bool)
    for j in np.flatnonzero(gp.criterion_active & (share_max > share_min + 1e-12)):
        ow = one_way(gp, int(j))
        decisive_crit[j] = any(share_min[j] - 1e-12 <= c.share <= share_max[j] + 1e-12 for c in ow.crossovers)

    loo = tuple(_leader(group_problem(g.without(k))) for k in range(g.size))
    return GroupAnalysis(gp, gev, leader, per, tuple(e.leader for e in per), counts, lo, hi, std, low_holder, high_holder,
                         decisive, share_min, share_max, decisive_crit, loo)


def room_weight_sampler(g: GroupProblem, mode: str = "hull"):
    """Weights drawn from the room: random convex combinations of the participants' shares
    (Dirichlet(1) mixing over their weight vectors), or a Dirichlet fitted to them by moments."""
    active = g.base.criterion_active
    sh = participant_shares(g)[:, active]
    if mode == "hull":
        def draw(rng: np.random.Generator, k: int) -> np.ndarray:
            mix = rng.standard_exponential((k, sh.shape[0]))
            mix /= mix.sum(axis=1, keepdims=True)
            return mix @ sh
        return draw
    mu = sh.mean(axis=0)
    var = sh.var(axis=0)
    ok = var > 1e-15
    precision = float(np.mean(mu[ok] * (1 - mu[ok]) / var[ok]) - 1) if ok.any() else 1e6
    alpha = np.maximum(mu * max(precision, 1e-3), 1e-9)

    def fitted(rng: np.random.Generator, k: int) -> np.ndarray:
        x = rng.standard_gamma(alpha, size=(k, len(alpha)))
        return x / x.sum(axis=1, keepdims=True)
    return fitted


def group_problem_from(a: Appraisal) -> GroupProblem:
    """The arrays of a group workshop: each participant's weights and scores over the appraisal's."""
    base = problem_from(a)
    n, m = base.shape
    P = len(a.participants)
    weights = np.tile(base.weights, (P, 1)) if P else np.zeros((0, m))
    scores = np.full((P, n, m), np.nan)
    tree = None
    if a.group_weights is not None:  # participants' weights are local to groups, as the appraisal's are
        from .tree import effective_weights, tree_from

        tree = tree_from(a)
        raw = np.array([a.weights[c.id] for c in a.criteria], dtype=float)
    for k, p in enumerate(a.participants):
        own = raw.copy() if tree is not None else weights[k]
        for cid, w in p.weights.items():
            own[a.criterion_index[cid]] = w
        if tree is not None:
            weights[k] = effective_weights(tree, own, base.criterion_active)
        for cell, v in p.scores.items():
            option, _, crit = cell.partition(":")
            scores[k, a.option_index[option], a.criterion_index[crit]] = v
    return GroupProblem(base, weights, scores, tuple(p.name for p in a.participants), a.group.aggregate, a.group.scores)
