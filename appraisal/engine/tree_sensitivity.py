"""Sensitivity on a value tree: one-way on a group's share, switching values of measures in natural
units, and SMAA with weights uniform at each node. Built on the flat analyses (oneway, smaa, switching),
fed the flat view (effective weights, derived scores) that `problem_from` gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import shares
from .oneway import Crossover, one_way
from .problem import Problem
from .smaa import SmaaResult, smaa
from .switching import sole_leader
from .tree import Tree, group_active, local_shares, propagate, tree_weight_sampler
from .value import Curve, measure_at, passes_above


def _in_play(p: Problem) -> np.ndarray:
    return p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)


def _values(p: Problem) -> np.ndarray:
    sh = shares(p.weights, p.criterion_active)
    return np.where(p.criterion_active, np.nan_to_num(p.scores), 0.0) @ sh


# --- one-way on a group's share -----------------------------------------------------------------

@dataclass(frozen=True)
class GroupOneWay:
    group: int
    share: float  # the group's share among its siblings now
    leader_interval: tuple[float, float]
    ranking_interval: tuple[float, float]
    crossovers: tuple[Crossover, ...]
    intercepts: np.ndarray  # each option's value with the group at share 0 (NaN out of play)
    slopes: np.ndarray  # value = intercept + share * slope


def _within(t: Tree, local: np.ndarray, g: int) -> np.ndarray:
    """(m,) each criterion's share within group g (products of local shares below g); 0 outside it."""
    loc = local.copy()
    loc[t.ancestors(g)] = 1.0
    return propagate(t, loc)[t.size:] * t.member[:, g]


def group_one_way(p: Problem, t: Tree, raw_weights: np.ndarray, g: int) -> GroupOneWay:
    """Group g's share among its siblings moves to s in [0, 1]; its siblings are rescaled in proportion,
    the criteria inside keep their shares within it, and the rest of the tree is unchanged. Each option's
    value is a line in s: V(s) = C + P (s A + (1 - s) R), with P the parent's effective share, A the value
    of the group's criteria within it, R the siblings' within the parent, C the value outside the parent.
    The crossovers come from the flat one-way analysis of the two-column problem [V(0), V(1)].
    `raw_weights` are the appraisal's own (local when there are group weights)."""
    local = local_shares(t, raw_weights, p.criterion_active)
    eff = propagate(t, local)
    s = np.where(p.criterion_active, np.nan_to_num(p.scores), 0.0)
    parent = int(t.parent[g])
    t0 = float(local[g])
    p_eff = 1.0 if parent < 0 else float(eff[parent])
    inside = s @ _within(t, local, g)
    in_parent = s @ (eff[t.size:] if parent < 0 else _within(t, local, parent))
    value = s @ eff[t.size:]
    outside = value - p_eff * in_parent
    if 1 - t0 > 1e-12:
        rest = (in_parent - t0 * inside) / (1 - t0)
    else:
        # The group holds all its parent's weight: its siblings in use share the rest equally, if any.
        in_use = np.concatenate([group_active(t, p.criterion_active), p.criterion_active])
        kids = [int(k) for k in np.flatnonzero((t.node_parent == parent) & in_use) if k != g]
        values = [s[:, k - t.size] if k >= t.size else s @ _within(t, local, k) for k in kids]
        rest = np.mean(values, axis=0) if values else inside
    at0 = outside + p_eff * rest
    at1 = outside + p_eff * inside
    play = _in_play(p)
    two = Problem(np.column_stack([np.where(play, at0, np.nan), np.where(play, at1, np.nan)]), np.array([1 - t0, t0]),
                  play, np.ones(2, dtype=bool), p.scale_min, p.scale_max, p.option_ids, ("rest", "group"))
    ow = one_way(two, 1)
    return GroupOneWay(g, t0, ow.leader_interval, ow.ranking_interval, ow.crossovers, ow.intercepts, ow.slopes)


def group_one_way_all(p: Problem, t: Tree, raw_weights: np.ndarray) -> list[GroupOneWay]:
    """Every group in use."""
    return [group_one_way(p, t, raw_weights, int(g)) for g in np.flatnonzero(group_active(t, p.criterion_active))]


# --- switching values of measures ---------------------------------------------------------------

@dataclass(frozen=True)
class MeasureSwitch:
    option: int
    criterion: int
    measure: float
    score: float
    threshold_score: float  # the score at which the lead ties (may lie beyond the value function)
    threshold: float | None  # the measure at which it ties; None when no measure reaches that score
    above: bool  # True: the leader changes when the measure goes above the threshold; False: below it
    new_leader: int | None


def measure_switching(p: Problem, measures: np.ndarray, curves: dict[int, Curve]) -> list[MeasureSwitch]:
    """For every measured cell in play: the measure beyond which another option leads alone. For the
    leader, where it falls behind the best rival; for a rival, where it overtakes the leader. The score
    threshold is exact (values are linear in one score); the value function is inverted to get the
    measure (engine.value.measure_at)."""
    play = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, play)
    if leader is None:
        return []
    sh = shares(p.weights, p.criterion_active)
    others = np.where(play & (np.arange(len(v)) != leader), v, -np.inf)
    out = []
    for j, c in sorted(curves.items()):
        if not p.criterion_active[j] or sh[j] <= 0:
            continue
        for i in np.flatnonzero(play):
            i = int(i)
            s = float(p.scores[i, j])
            if i == leader:
                best = others.max()
                if not np.isfinite(best):
                    continue
                rising = False
                target = s - (v[i] - best) / sh[j]
                rivals = np.flatnonzero(np.isclose(others, best, rtol=1e-12, atol=0))
                who = int(rivals[0]) if len(rivals) == 1 else None
            else:
                rising = True
                target = s + (v[leader] - v[i]) / sh[j]
                who = i
            at = measure_at(c, float(target), rising)
            out.append(MeasureSwitch(i, j, float(measures[i, j]), s, float(target), at, passes_above(c, rising),
                                     who if at is not None else None))
    return out


# --- SMAA over node weights ---------------------------------------------------------------------

def tree_smaa(p: Problem, t: Tree, samples: int = 10_000, seed: int = 0, score_uncertainty: float = 0.0) -> SmaaResult:
    """SMAA-2 with every node's local shares uniform (Dirichlet(1)) and independent: the prior that
    matches weights elicited level by level."""
    return smaa(p, samples=samples, seed=seed, score_uncertainty=score_uncertainty, weight_sampler=tree_weight_sampler(t, p.criterion_active))


__all__ = ["GroupOneWay", "MeasureSwitch", "group_one_way", "group_one_way_all", "measure_switching", "tree_smaa"]
