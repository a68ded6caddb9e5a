"""Switching values, the smallest leader change and the tornado as they were before vectorising (commit
d511ba0): one Python call per cell, per challenger, per criterion. Oracles for the vectorised versions."""

from __future__ import annotations

import math

import numpy as np

from appraisal.engine.core import TIE_RTOL, shares
from appraisal.engine.problem import Problem
from appraisal.engine.switching import PointEdit, Switch, TornadoBar, _in_play, _values, sole_leader


def score_switching(p: Problem, step: float = 0.5) -> list[Switch]:
    """For every active cell: the score it must move to (on the scale's grid) for another option to lead alone."""
    active = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, active)
    if leader is None:
        return []
    sh = shares(p.weights, p.criterion_active)
    return [_switch(p, v, sh, active, leader, int(i), int(j), step)
            for i in np.flatnonzero(active) for j in np.flatnonzero(p.criterion_active)]


def _switch(p: Problem, v: np.ndarray, sh: np.ndarray, active: np.ndarray, leader: int, i: int, j: int, step: float) -> Switch:
    s = float(p.scores[i, j])
    if sh[j] <= 0:
        return Switch(i, j, s, math.nan, None, None)
    if i == leader:
        rivals = np.where(active & (np.arange(len(v)) != i), v, -np.inf)
        if not np.isfinite(rivals.max()):
            return Switch(i, j, s, math.nan, None, None)  # nobody else in play: nothing can overtake
        threshold = s - (v[i] - rivals.max()) / sh[j]
        # Largest grid score strictly below the threshold (the leader must fall behind).
        candidate = p.scale_min + (math.ceil((threshold - p.scale_min) / step - 1e-9) - 1) * step
    else:
        threshold = s + (v[leader] - v[i]) / sh[j]
        candidate = p.scale_min + (math.floor((threshold - p.scale_min) / step + 1e-9) + 1) * step
    # The threshold gives the grid point; rounding at a tie can put it one step early or leave a tie
    # there, so probe from one step before it, moving away from the current score.
    direction = -1 if i == leader else 1
    for x in (candidate - direction * step, candidate, candidate + direction * step):
        if not (p.scale_min - 1e-9 <= x <= p.scale_max + 1e-9) or (x - s) * direction <= 1e-12:
            continue
        trial = v.copy()
        trial[i] += sh[j] * (x - s)
        who = sole_leader(trial, active)
        if who is not None and who != leader:
            return Switch(i, j, s, float(threshold), float(x), who)
    return Switch(i, j, s, float(threshold), None, None)


def smallest_leader_change(p: Problem) -> tuple[list[PointEdit], int | None]:
    """Fewest single-point score edits that leave another option alone in the lead, and who then leads.

    For a challenger b, an edit either raises b on a criterion (gaining p_j on every rival) or lowers
    the leader L on one (gaining p_j on L only). With u raises and d lowerings, each best taken
    largest-first, b leads alone when its raises beat the best other rival (U > V_c - V_b) and raises
    plus lowerings beat L (U + D > V_L - V_b). Trying every u gives the exact minimum u + d for b;
    the answer is the best b.
    """
    active = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, active)
    if leader is None:
        return [], None
    sh = shares(p.weights, p.criterion_active)
    tol = TIE_RTOL * max(1.0, float(np.nanmax(np.abs(v))))
    crits = [int(j) for j in np.flatnonzero(p.criterion_active & (sh > 0))]
    best: tuple[int, int, list[tuple[int, int]], list[tuple[int, int]]] | None = None  # (count, b, ups, downs)
    for b in (int(x) for x in np.flatnonzero(active)):
        if b == leader:
            continue
        others = [c for c in np.flatnonzero(active) if c not in (b, leader)]
        need_others = max((v[c] for c in others), default=-np.inf) - v[b]
        need_leader = v[leader] - v[b]
        ups = sorted(((sh[j], j) for j in crits for _ in range(int(math.floor(p.scale_max - p.scores[b, j] + 1e-9)))), key=lambda g: (-g[0], g[1]))
        downs = sorted(((sh[j], j) for j in crits for _ in range(int(math.floor(p.scores[leader, j] - p.scale_min + 1e-9)))), key=lambda g: (-g[0], g[1]))
        up_sum = np.concatenate([[0.0], np.cumsum([g for g, _ in ups])])
        down_sum = np.concatenate([[0.0], np.cumsum([g for g, _ in downs])])
        for u in range(len(ups) + 1):
            if best is not None and u >= best[0]:
                break
            if not up_sum[u] > need_others + tol:
                continue
            # fewest lowerings with U + D > V_L - V_b
            d = int(np.searchsorted(down_sum, need_leader - up_sum[u] + tol, side="right"))
            if d > len(downs):
                continue
            if best is None or u + d < best[0]:
                best = (u + d, b, [j for _, j in ups[:u]], [j for _, j in downs[:d]])
    if best is None:
        return [], None
    _, b, up_crits, down_crits = best
    trial = p.scores.copy()
    edits: list[PointEdit] = []
    for option, crit_list, sign in ((b, up_crits, 1), (leader, down_crits, -1)):
        for j in sorted(set(crit_list)):
            n = crit_list.count(j)
            edits.append(PointEdit(option, j, float(p.scores[option, j]), float(p.scores[option, j] + sign * n)))
            trial[option, j] += sign * n
    return edits, sole_leader(trial[:, p.criterion_active] @ sh[p.criterion_active], active)


def tornado(p: Problem, x: float = 0.5) -> list[TornadoBar]:
    """Margin of the current leader over the best rival as each weight moves by -x .. +x (others fixed).

    The sign of each pairwise difference is linear in the one weight, so if the leader is overtaken
    anywhere in the range it is at one of the ends.
    """
    active = _in_play(p)
    v0 = _values(p)
    leader = sole_leader(v0, active)
    if leader is None or active.sum() < 2:
        return []  # no margin without a rival
    base = float(v0[leader] - np.where(active & (np.arange(len(v0)) != leader), v0, -np.inf).max())
    bars = []
    for j in np.flatnonzero(p.criterion_active):
        margins = []
        for factor in (1 - x, 1 + x):
            w = p.weights.copy()
            w[j] *= factor
            if w[p.criterion_active].sum() <= 0:
                margins.append(math.nan)
                continue
            v = _values(p, w)
            rivals = np.where(active & (np.arange(len(v)) != leader), v, -np.inf)
            margins.append(float(v[leader] - rivals.max()))
        tol = TIE_RTOL * 5
        bars.append(TornadoBar(int(j), margins[0], margins[1], bool(min(margins) <= tol), base))
    bars.sort(key=lambda bar: -abs(bar.high_margin - bar.low_margin))
    return bars
