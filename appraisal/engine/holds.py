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
    out = []
    for k in np.flatnonzero(p.criterion_active):
        a, b = lines(p, int(k), ctx)
        t0 = float(ctx.shares[k])
        out.append(_changes(int(k), t0, a, b, lead, others))
    return out


def _changes(k: int, t0: float, a: np.ndarray, b: np.ndarray, lead: int, others: np.ndarray) -> LeaderChange:
    if len(others) == 0:
        return LeaderChange(k, t0, None, (), None, ())
    slope = b[others] - b[lead]
    gap = a[lead] - a[others]  # the other line meets the leader's where t * slope == gap
    with np.errstate(divide="ignore", invalid="ignore"):
        t = gap / slope
    moving = np.abs(slope) > 1e-12
    above = moving & (slope > 0) & (t > t0 + T_TOL) & (t < 1 + T_TOL)
    below = moving & (slope < 0) & (t < t0 - T_TOL) & (t > -T_TOL)
    return LeaderChange(k, t0, *_side(t, below, others, b, -1), *_side(t, above, others, b, +1))


def _side(t: np.ndarray, mask: np.ndarray, others: np.ndarray, b: np.ndarray, direction: int) -> tuple[float | None, tuple[int, ...]]:
    """The nearest crossing on one side, and who leads just beyond it (the steepest of those crossing there)."""
    if not mask.any():
        return None, ()
    candidates = t[mask]
    at = float(candidates.min() if direction > 0 else candidates.max())
    at = min(1.0, max(0.0, at))
    crossing = others[mask][np.abs(candidates - at) <= T_TOL + TIE_RTOL * max(1.0, abs(at))]
    # Just beyond the crossing, the steepest line (in the direction of travel) is on top.
    steep = b[crossing] * direction
    best = steep.max()
    return at, tuple(int(i) for i in crossing[steep >= best - 1e-12])


__all__ = ["LeaderChange", "leader_changes"]
