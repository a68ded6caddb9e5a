"""How far the leader's lead holds: for each criterion, the nearest shares below and above the current
one at which another option takes the lead (one-way, the other shares rescaled in proportion).

The same lines as `oneway` (V_i(t) = R_i + t (s_ik - R_i)), but only the leader's line against each
other option's: O(options) per criterion instead of every pair, so the workshop screen can say at
every edit whether the lead holds, even for hundreds of options and criteria.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import TIE_RTOL, competition_ranks
from .oneway import T_TOL, _context, lines
from .problem import Problem


@dataclass(frozen=True)
class LeaderChange:
    """Where the leader changes as criterion `criterion`'s share moves from `share`, either way."""

    criterion: int
    share: float
    below: float | None  # the nearest share under `share` at which another option takes the lead; None: never
    below_leader: tuple[int, ...]  # who leads just under it
    above: float | None
    above_leader: tuple[int, ...]

    @property
    def nearest(self) -> tuple[float, float, tuple[int, ...]] | None:
        """(distance, share, new leaders) of the nearer change, or None when neither way changes it."""
        found = [(abs(t - self.share), t, who) for t, who in ((self.below, self.below_leader), (self.above, self.above_leader)) if t is not None]
        return min(found, key=lambda x: (x[0], x[1])) if found else None


def leader_changes(p: Problem) -> list[LeaderChange] | None:
    """One entry per criterion in use, in criterion order; None when no single option leads now."""
    ctx = _context(p)
    ranks = competition_ranks(ctx.values, ctx.active)
    first = np.flatnonzero(ranks == 1)
    if len(first) != 1:
        return None
    lead = int(first[0])
    others = np.flatnonzero(ctx.active)
    others = others[others != lead]
    ks = np.flatnonzero(p.criterion_active)
    s = np.nan_to_num(p.scores)
    pk = ctx.shares[ks]
    whole = pk >= 1 - 1e-12  # a criterion holding all the weight: its lines are drawn otherwise (see `lines`)
    # Every criterion's lines at once: intercepts (n, k) and slopes, as `oneway.lines` draws them.
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (ctx.values[:, None] - pk[None, :] * s[:, ks]) / (1 - pk[None, :])
    b = s[:, ks] - a
    if len(others) == 0:
        return [LeaderChange(int(k), float(t0), None, (), None, ()) for k, t0 in zip(ks, pk)]
    for c in np.flatnonzero(whole):
        a[:, c], b[:, c] = lines(p, int(ks[c]), ctx)
    slope = b[others] - b[lead]  # (others, k): another line meets the leader's where t * slope == gap
    gap = a[lead] - a[others]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = gap / slope
    moving = np.abs(slope) > 1e-12
    t0 = pk[None, :]
    # Strictly inside (0, 1), as `one_way` counts crossings: a tie reached only at 0% or 100% changes nothing.
    above = moving & (slope > 0) & (t > t0 + T_TOL) & (t < 1 - T_TOL)
    below = moving & (slope < 0) & (t < t0 - T_TOL) & (t > T_TOL)
    up_at, up_who = _side(t, above, b[others], +1)
    down_at, down_who = _side(t, below, b[others], -1)
    return [LeaderChange(k, t0, down_at[c], _who(down_who[:, c], others) if down_at[c] is not None else (),
                         up_at[c], _who(up_who[:, c], others) if up_at[c] is not None else ())
            for c, (k, t0) in enumerate(zip(ks.tolist(), pk.tolist()))]


def _side(t: np.ndarray, mask: np.ndarray, slopes: np.ndarray, direction: int) -> tuple[list[float | None], np.ndarray]:
    """Per criterion (column): the nearest crossing on one side (None: none), and which of the others
    lead just beyond it (the steepest, in the direction of travel, of those crossing there)."""
    fill = np.inf if direction > 0 else -np.inf
    near = np.where(mask, t, fill)
    at = near.min(axis=0) if direction > 0 else near.max(axis=0)
    found = np.isfinite(at)
    at = np.clip(np.where(found, at, 0.0), 0.0, 1.0)
    crossing = mask & (np.abs(t - at[None, :]) <= T_TOL + TIE_RTOL * np.maximum(1.0, np.abs(at))[None, :])
    steep = np.where(crossing, slopes * direction, -np.inf)
    best = steep.max(axis=0)
    winners = crossing & (steep >= best[None, :] - 1e-12)
    return [float(x) if ok else None for x, ok in zip(at, found)], winners


def _who(column: np.ndarray, others: np.ndarray) -> tuple[int, ...]:
    return tuple(others[column].tolist())


__all__ = ["LeaderChange", "leader_changes"]
