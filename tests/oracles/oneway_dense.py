"""One-way analysis as it was before the sweep (commit d511ba0): competition ranks at the midpoint of every
segment between crossings, a (probe points x n x n) tensor per criterion. About n^3 per criterion: fine for
the small random appraisals of the property tests, which check that the fast version agrees with it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from appraisal.engine.core import competition_ranks, shares
from appraisal.engine.oneway import T_TOL, Crossover, OneWay
from appraisal.engine.problem import Problem


@dataclass(frozen=True, eq=False)
class _Context:
    """What every criterion's analysis shares: computed once per problem."""

    active: np.ndarray
    shares: np.ndarray
    values: np.ndarray  # current V_i
    pair_a: np.ndarray  # the active option pairs (i < j), as option indices
    pair_b: np.ndarray


def _context(p: Problem) -> _Context:
    active = p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)
    sh = shares(p.weights, p.criterion_active)
    idx = np.flatnonzero(active)
    ia, ib = np.triu_indices(len(idx), 1)
    return _Context(active, sh, np.nan_to_num(p.scores) @ sh, idx[ia], idx[ib])


def lines(p: Problem, k: int, ctx: _Context | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Intercepts and slopes of every option's value as criterion k's share goes from 0 to 1."""
    ctx = ctx or _context(p)
    s = p.scores
    pk = ctx.shares[k]
    if pk < 1 - 1e-12:
        intercept = (ctx.values - pk * s[:, k]) / (1 - pk)
    else:
        # Criterion k holds all the weight: proportional rescaling is undefined, so the other active
        # criteria share 1 - t equally (or, with none, the value is flat).
        others = p.criterion_active.copy()
        others[k] = False
        intercept = s[:, others].mean(axis=1) if others.any() else s[:, k]
    return intercept, s[:, k] - intercept


def one_way(p: Problem, k: int, ctx: _Context | None = None) -> OneWay:
    """The (probe points x n x n) version: ranks by competition_ranks at every segment's midpoint."""
    ctx = ctx or _context(p)
    active = ctx.active
    a, b = lines(p, k, ctx)
    t0 = float(ctx.shares[k])
    # Every pairwise crossing in (0, 1).
    da = b[ctx.pair_a] - b[ctx.pair_b]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a[ctx.pair_b] - a[ctx.pair_a]) / da
    t = t[(np.abs(da) > 1e-12) & (t > T_TOL) & (t < 1 - T_TOL)]
    points = np.sort(np.concatenate([[0.0, 1.0, t0], t]))
    points = points[np.concatenate([[True], np.diff(points) > T_TOL])]
    # Ranks on each open segment (at its midpoint) and, in the last row, at the current share.
    probes = np.append((points[:-1] + points[1:]) / 2, t0)
    ranks = competition_ranks(a[None, :] + probes[:, None] * b[None, :], active)
    lead = ranks == 1
    seg_ranks, seg_lead, now_ranks, now_lead = ranks[:-1], lead[:-1], ranks[-1], lead[-1]

    crossovers = tuple(
        Crossover(float(points[s]), tuple(map(int, np.flatnonzero(seg_lead[s - 1]))), tuple(map(int, np.flatnonzero(seg_lead[s]))))
        for s in np.flatnonzero((seg_lead[1:] != seg_lead[:-1]).any(axis=1)) + 1
    )
    here = int(np.argmin(np.abs(points - t0)))

    def interval(same: np.ndarray) -> tuple[float, float]:
        """Widest run of segments around the current share with the same state."""
        left = np.flatnonzero(~same[:here])
        right = np.flatnonzero(~same[here:])
        lo = int(left[-1]) + 1 if len(left) else 0
        hi = here + int(right[0]) if len(right) else len(same)
        return float(points[lo]), float(points[hi])

    leader_interval = interval((seg_lead == now_lead).all(axis=1))
    ranking_interval = interval((seg_ranks == now_ranks).all(axis=1))
    return OneWay(k, t0, leader_interval, ranking_interval, crossovers, np.where(active, a, np.nan), np.where(active, b, np.nan))
