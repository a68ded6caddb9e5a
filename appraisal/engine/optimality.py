"""Potential optimality: can an option be the sole leader under some non-negative weights?

For option i, maximise e subject to sum_j w_j (s_ij - s_kj) >= e for every rival k, sum_j w_j = 1,
w >= 0. Option i can lead alone exactly when the optimum e* > 0; the optimal w is a witness.

Most options are settled without that linear programme (one HiGHS solve each, ~n m^2 work):
- an option that another matches or beats on every criterion cannot lead alone (e* <= 0);
- an option that leads alone, by a margin well above the solver's tolerance, under one of a few
  candidate weight vectors can (e* >= that margin), and that vector is its witness. Candidates: equal
  weight on the criteria where it scores the column's best; weight in proportion to how far it is above
  the column's mean; the current weights; equal weights.
Only the options left undecided get the LP. The verdicts are the LP's; witnesses may differ from the
LP's optimal w, and always make the option lead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import shares
from .problem import Problem

EPS = 1e-7  # HiGHS works to ~1e-7; a smaller optimum is a tie, not a lead
WITNESS_MARGIN = 10 * EPS  # a candidate must lead by this much to settle an option without the LP


@dataclass(frozen=True, eq=False)
class Optimality:
    option: int
    potentially_optimal: bool
    # The LP's e* (the best worst-case lead over all rivals, value scale) when it was solved. Otherwise a
    # bound: the witness's lead (e* is at least that), or 0 for an option matched or beaten on every
    # criterion (e* is at most 0).
    margin: float
    weights: np.ndarray | None  # shares that make it lead (full length, 0 on switched-off criteria)


def potential_optimality(p: Problem) -> list[Optimality]:
    opts = np.flatnonzero(p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1))
    crit = np.flatnonzero(p.criterion_active)
    s = p.scores[np.ix_(opts, crit)]
    n, m = s.shape

    def full(w: np.ndarray) -> np.ndarray:
        out = np.zeros(p.scores.shape[1])
        out[crit] = w
        return out

    if n <= 1:  # nobody, or one option alone: it leads under any weights
        return [Optimality(int(i), True, np.inf, full(np.full(m, 1 / m))) for i in opts]
    witness, lead = candidate_witnesses(s, shares(p.weights, p.criterion_active)[crit])
    undecided = np.flatnonzero(lead <= WITNESS_MARGIN)
    beaten = np.zeros(n, dtype=bool)
    beaten[undecided] = matched_or_beaten(s, undecided)
    out = []
    for a, i in enumerate(opts):
        if lead[a] > WITNESS_MARGIN:
            out.append(Optimality(int(i), True, float(lead[a]), full(witness[a])))
        elif beaten[a]:
            out.append(Optimality(int(i), False, 0.0, None))
        else:
            margin, w = solve_lp(s, a)
            out.append(Optimality(int(i), margin > EPS, margin, full(w) if margin > EPS else None))
    return out


def matched_or_beaten(s: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
    """For each option in `which` (default: all): does another score at least as well on every
    criterion (so it never leads alone)? In blocks of rows, so memory stays bounded for any size."""
    n, m = s.shape
    which = np.arange(n) if which is None else np.asarray(which)
    out = np.zeros(len(which), dtype=bool)
    block = max(1, 2**24 // max(1, n * m))
    for lo in range(0, len(which), block):
        rows = which[lo:lo + block]
        covers = (s[None, :, :] >= s[rows, None, :]).all(axis=2)  # [a, b]: b >= a everywhere
        covers[np.arange(len(rows)), rows] = False
        out[lo:lo + block] = covers.any(axis=1)
    return out


def candidate_witnesses(s: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each option, the candidate weight vector (shares) under which it leads by the most, and that
    lead over the best rival (-inf where no candidate exists)."""
    n, m = s.shape
    best_on = (s == s.max(axis=0)).astype(float)
    above = np.maximum(s - s.mean(axis=0), 0.0)
    witness = np.zeros((n, m))
    lead = np.full(n, -np.inf)
    for cand in (best_on, above):
        total = cand.sum(axis=1, keepdims=True)
        ok = total[:, 0] > 0
        w = np.divide(cand, total, out=np.zeros_like(cand), where=total > 0)
        values = w @ s.T  # [a, k]: option k's value under option a's candidate
        own = values[np.arange(n), np.arange(n)].copy()
        np.fill_diagonal(values, -np.inf)
        margin = np.where(ok, own - values.max(axis=1), -np.inf)
        better = margin > lead
        witness[better], lead[better] = w[better], margin[better]
    for w in (current, np.full(m, 1 / m)):  # one vector for everyone: only its leader can gain
        values = s @ w
        top = int(np.argmax(values))
        margin = values[top] - np.delete(values, top).max()
        if margin > lead[top]:
            witness[top], lead[top] = w, margin
    return witness, lead


def solve_lp(s: np.ndarray, a: int) -> tuple[float, np.ndarray]:
    """e* and the optimal shares for option a (variables w_1..w_m, e; minimise -e)."""
    from scipy.optimize import linprog  # imported here: only undecided options need scipy

    n, m = s.shape
    rivals = [b for b in range(n) if b != a]
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-(s[a] - s[rivals]), np.ones((len(rivals), 1))])  # e - D w <= 0
    a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(len(rivals)), A_eq=a_eq, b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)], method="highs")
    w = np.clip(res.x[:m], 0, None)
    return float(-res.fun), w / w.sum()
