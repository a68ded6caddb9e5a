"""Score switching values and tornado data: how far one number must move to change the leader.

Values here are on the score scale: V_i = sum_j p_j s_ij with shares p (so a change of d points on
criterion j moves V_i by p_j * d).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .core import TIE_RTOL, competition_ranks, shares
from .problem import Problem


def _values(p: Problem, weights: np.ndarray | None = None) -> np.ndarray:
    sh = shares(p.weights if weights is None else weights, p.criterion_active)
    return p.scores[:, p.criterion_active] @ sh[p.criterion_active]


def _in_play(p: Problem) -> np.ndarray:
    return p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)


def sole_leader(values: np.ndarray, active: np.ndarray) -> int | None:
    first = np.flatnonzero(competition_ranks(values, active) == 1)
    return int(first[0]) if len(first) == 1 else None


class Switch(NamedTuple):  # a tuple, not a frozen dataclass: there is one per cell, 150,000 at 300 x 500
    option: int
    criterion: int
    score: float
    threshold: float  # the exact (continuous) score at which the lead ties; may lie off the scale
    switch_to: float | None  # nearest score on the scale's grid that gives another sole leader; None: none within the scale
    new_leader: int | None


def score_switching(p: Problem, step: float = 0.5) -> list[Switch]:
    """For every active cell: the score it must move to (on the scale's grid) for another option to lead alone."""
    active = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, active)
    if leader is None:
        return []
    sh = shares(p.weights, p.criterion_active)
    i, j = (x.ravel() for x in np.meshgrid(np.flatnonzero(active), np.flatnonzero(p.criterion_active), indexing="ij"))
    return _switches(p, v, sh, active, leader, i, j, step)


def cell_switch(p: Problem, i: int, j: int, step: float = 0.5) -> Switch | None:
    """The switching value of one cell (the app shows it for the cell under the cursor); None when
    the cell is out of play or there is no sole leader."""
    active = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, active)
    if leader is None or not active[i] or not p.criterion_active[j]:
        return None
    return _switches(p, v, shares(p.weights, p.criterion_active), active, leader, np.array([i]), np.array([j]), step)[0]


def _switches(p: Problem, v: np.ndarray, sh: np.ndarray, active: np.ndarray, leader: int, i: np.ndarray, j: np.ndarray,
              step: float) -> list[Switch]:
    """Cells (i, j) all at once. The threshold is where the lead ties; the answer is the first of three
    grid scores around it (rounding at a tie can put the threshold's grid point one step early or leave a
    tie there), moving away from the current score, that gives another option the lead alone. Only one
    value changes per trial, so who leads comes from the top three of the others (see `_sole_leaders`)."""
    s, shj = p.scores[i, j], sh[j]
    lead = i == leader
    rivals = np.where(active & (np.arange(len(v)) != leader), v, -np.inf)
    rival_best = rivals.max()
    lo = p.scale_min
    with np.errstate(divide="ignore", invalid="ignore"):
        threshold = np.where(lead, s - (v[leader] - rival_best) / shj, s + (v[leader] - v[i]) / shj)
        # Leader: the largest grid score strictly below the threshold; others: the smallest above.
        candidate = np.where(lead, lo + (np.ceil((threshold - lo) / step - 1e-9) - 1) * step,
                             lo + (np.floor((threshold - lo) / step + 1e-9) + 1) * step)
    no_answer = (shj <= 0) | (lead & ~np.isfinite(rival_best))  # no weight, or nobody to overtake
    threshold = np.where(no_answer, np.nan, threshold)
    direction = np.where(lead, -1.0, 1.0)
    switch_to = np.full(len(i), np.nan)
    new_leader = np.full(len(i), -1)
    for offset in (-1.0, 0.0, 1.0):
        with np.errstate(invalid="ignore", over="ignore"):  # cells without an answer carry inf and NaN
            x = candidate + offset * direction * step
            fits = ~no_answer & (lo - 1e-9 <= x) & (x <= p.scale_max + 1e-9) & ((x - s) * direction > 1e-12) & (new_leader < 0)
            who = _sole_leaders(v, active, i, v[i] + shj * (x - s))
        hit = fits & (who >= 0) & (who != leader)
        switch_to[hit], new_leader[hit] = x[hit], who[hit]
    found = new_leader >= 0
    switch_to = np.where(found, switch_to, None)
    new_leader = np.where(found, new_leader, None)
    return list(map(Switch._make, zip(i.tolist(), j.tolist(), s.tolist(), threshold.tolist(), switch_to.tolist(), new_leader.tolist())))


def _sole_leaders(v: np.ndarray, active: np.ndarray, i: np.ndarray, trial: np.ndarray) -> np.ndarray:
    """sole_leader(v with v[i] replaced by trial) for each pair (i, trial); -1 where there is a tie for
    first. The same comparisons as competition_ranks: k leads unless some value > v_k + tol."""
    idx = np.flatnonzero(active)
    by_value = idx[np.argsort(-v[idx], kind="stable")][:3]
    by_size = idx[np.argsort(-np.abs(v[idx]), kind="stable")][:2]

    def best_other(order: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray]:
        """The rank-th best of `order` once option i is left out: (index, -1 if none)."""
        pos = rank + (order[:rank + 1][None, :] == i[:, None]).any(axis=1)
        have = pos < len(order)
        return np.where(have, order[np.minimum(pos, len(order) - 1)], -1), have

    first, has_first = best_other(by_value, 0)
    second, has_second = best_other(by_value, 1)
    biggest, has_big = best_other(by_size, 0)
    v1 = np.where(has_first, v[first], -np.inf)
    v2 = np.where(has_second, v[second], -np.inf)
    tol = TIE_RTOL * np.maximum(1.0, np.maximum(np.abs(trial), np.where(has_big, np.abs(v[biggest]), 0.0)))
    top = np.maximum(trial, v1)
    i_leads = ~(top > trial + tol)
    first_leads = has_first & ~(top > v1 + tol)
    second_leads = has_second & ~(top > v2 + tol)
    return np.where(i_leads & ~first_leads, i, np.where(~i_leads & first_leads & ~second_leads, first, -1))


@dataclass(frozen=True)
class PointEdit:
    option: int
    criterion: int
    before: float
    after: float


def smallest_leader_change(p: Problem) -> tuple[list[PointEdit], int | None]:
    """Fewest single-point score edits that leave another option alone in the lead, and who then leads.

    For a challenger b, an edit either raises b on a criterion (gaining p_j on every rival) or lowers
    the leader L on one (gaining p_j on L only). With u raises and d lowerings, each best taken
    largest-first, b leads alone when its raises beat the best other rival (U > V_c - V_b) and raises
    plus lowerings beat L (U + D > V_L - V_b). Trying every u gives the exact minimum u + d for b;
    the answer is the first b with the fewest (and for it the fewest raises).
    """
    active = _in_play(p)
    v = _values(p)
    leader = sole_leader(v, active)
    if leader is None:
        return [], None
    sh = shares(p.weights, p.criterion_active)
    tol = TIE_RTOL * max(1.0, float(np.nanmax(np.abs(v))))
    crits = np.flatnonzero(p.criterion_active & (sh > 0))
    # One-point edits, largest gain first (ties by criterion): the same order for every challenger.
    crits = crits[np.lexsort((crits, -sh[crits]))]
    downs = np.repeat(crits, np.floor(p.scores[leader, crits] - p.scale_min + 1e-9).astype(int))
    down_sum = np.concatenate([[0.0], np.cumsum(sh[downs])])
    ranked = np.flatnonzero(active)
    best: tuple[int, int, np.ndarray, np.ndarray] | None = None  # (count, b, raised criteria, lowered criteria)
    for b in (int(x) for x in ranked):
        if b == leader:
            continue
        others = ranked[(ranked != b) & (ranked != leader)]
        need_others = (v[others].max() if len(others) else -np.inf) - v[b]
        need_leader = v[leader] - v[b]
        ups = np.repeat(crits, np.floor(p.scale_max - p.scores[b, crits] + 1e-9).astype(int))
        up_sum = np.concatenate([[0.0], np.cumsum(sh[ups])])
        # fewest lowerings with U + D > V_L - V_b, for every number of raises u at once
        d = np.searchsorted(down_sum, need_leader - up_sum + tol, side="right")
        total = np.arange(len(up_sum)) + d
        ok = (up_sum > need_others + tol) & (d <= len(downs))
        if not ok.any():
            continue
        u = int(np.flatnonzero(ok)[np.argmin(total[ok])])  # the fewest raises among the fewest edits
        if best is None or total[u] < best[0]:
            best = (int(total[u]), b, ups[:u], downs[:int(d[u])])
    if best is None:
        return [], None
    _, b, up_crits, down_crits = best
    trial = p.scores.copy()
    edits: list[PointEdit] = []
    for option, crit_list, sign in ((b, up_crits, 1), (leader, down_crits, -1)):
        for j, n in zip(*np.unique(crit_list, return_counts=True)):
            j = int(j)
            edits.append(PointEdit(option, j, float(p.scores[option, j]), float(p.scores[option, j] + sign * n)))
            trial[option, j] += sign * n
    return edits, sole_leader(trial[:, p.criterion_active] @ sh[p.criterion_active], active)


@dataclass(frozen=True)
class TornadoBar:
    criterion: int
    low_margin: float  # leader's value minus the best rival's, with this weight at (1 - x) times
    high_margin: float  # ... and at (1 + x) times
    leader_changes: bool
    base_margin: float = math.nan  # the margin with every weight as it is


def tornado(p: Problem, x: float = 0.5) -> list[TornadoBar]:
    """Margin of the current leader over the best rival as each weight moves by -x .. +x (others fixed).

    The sign of each pairwise difference is linear in the one weight, so if the leader is overtaken
    anywhere in the range it is at one of the ends. With weight w_j scaled by f, every value is
    (S w + (f - 1) w_j s_j) / (W + (f - 1) w_j): O(n) per criterion, not a fresh product.
    """
    active = _in_play(p)
    v0 = _values(p)
    leader = sole_leader(v0, active)
    if leader is None or active.sum() < 2:
        return []  # no margin without a rival
    base = float(v0[leader] - np.where(active & (np.arange(len(v0)) != leader), v0, -np.inf).max())
    on = p.criterion_active
    w = np.where(on, p.weights, 0.0)
    s = np.where(on[None, :], np.nan_to_num(p.scores), 0.0)
    total = w.sum()
    raw = s @ w  # S w, and each criterion's column scaled below
    rivals = active & (np.arange(len(v0)) != leader)
    crits = np.flatnonzero(on)
    margins = []
    for factor in (1 - x, 1 + x):
        extra = (factor - 1) * w[crits]  # (m,)
        denominator = total + extra
        with np.errstate(divide="ignore", invalid="ignore"):
            values = (raw[:, None] + s[:, crits] * extra[None, :]) / denominator[None, :]  # (n, m)
        margin = values[leader] - np.where(rivals[:, None], values, -np.inf).max(axis=0)
        margins.append(np.where(denominator > 0, margin, np.nan))
    tol = TIE_RTOL * 5
    # min() as Python takes it: a NaN low margin (no weight left) hides the high one.
    bars = [TornadoBar(int(j), lo, hi, bool((hi if hi < lo else lo) <= tol), base)
            for j, lo, hi in zip(crits.tolist(), margins[0].tolist(), margins[1].tolist())]
    # Largest swing first; swings equal to rounding keep the criteria's order.
    bars.sort(key=lambda bar: -round(abs(bar.high_margin - bar.low_margin), 12))
    return bars
