"""One-way analysis from the upper envelope and the order at the current share, without listing every
pairwise crossing: O(h n log n) per criterion for an envelope of h pieces.

The exhaustive analysis (`oneway.py`) sorts all n^2/2 crossings in (0, 1), merges those closer than T_TOL,
and judges each segment between them at its midpoint. Its answer depends only on a few of them: the
envelope's breaks (where the leader changes), the nearest crossings on either side of the current share
(where the ranking first changes, always between neighbours in the current order), and whatever is close
to those. So this computes those points with the exhaustive analysis's own formula, checks that every
other line is either exactly through a point (a tie: its crossing joins the point) or clearly away from
it (any other crossing is far enough that no midpoint is near a tie), and returns None otherwise, for
the exhaustive analysis to settle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import TIE_RTOL

T_TOL = 1e-12  # crossings closer than this are one point
PARALLEL = 1e-12  # lines whose slopes differ by no more than this never cross
ZERO_RTOL = 1e-13  # value gaps this small (relative) are rounding: the lines meet there
EDGE = 1e-9  # points this close to 0 or 1 are left to the exhaustive analysis


@dataclass(frozen=True)
class Clean:
    crossovers: tuple[tuple[float, tuple[int, ...], tuple[int, ...]], ...]  # (share, before, after), line indices
    leader_interval: tuple[float, float]
    ranking_interval: tuple[float, float]


def crossing(a: np.ndarray, b: np.ndarray, i, j):
    """Where lines i and j meet. The same float whichever comes first ((-x)/(-y) == x/y), and the same
    formula as the exhaustive analysis, so the same points."""
    return (a[j] - a[i]) / (b[i] - b[j])


def upper_envelope(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lines on top of a + x b as x goes from 0 to 1 and where each takes over: (owners, breaks),
    one more owner than breaks. From the line on top, the next is the steeper line that overtakes it
    first (the steepest of those overtaking at that point); slopes only rise, so at most n steps."""
    top = np.flatnonzero(a == a.max())
    owner = int(top[np.argmax(b[top])])
    owners, breaks, x = [owner], [], 0.0
    while True:
        steeper = np.flatnonzero(b > b[owner])
        if not len(steeper):
            break
        cross = (a[owner] - a[steeper]) / (b[steeper] - b[owner])
        x = max(float(cross.min()), x)
        if x >= 1.0:
            break
        reach = steeper[cross <= x]
        owner = int(reach[np.argmax(b[reach])])
        owners.append(owner)
        breaks.append(x)
    return np.array(owners, dtype=np.intp), np.array(breaks)


def _identical(a: np.ndarray, b: np.ndarray, zero: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Lines equal up to rounding (options with the same scores, or the same totals reached two ways)
    tie everywhere and never cross: one stands for all. Returns each group's first line (ascending),
    the groups' members one after another (ascending within a group), where each group starts and how
    many it has; None for a chain of near-equal lines that are not all equal."""
    n = len(a)
    # Cluster the intercepts first (a line between two equal ones in a plain sort would split them),
    # then the slopes within each cluster.
    by_a = np.argsort(a, kind="stable")
    a_cluster = np.empty(n, dtype=np.intp)
    a_cluster[by_a] = np.cumsum(np.concatenate([[False], np.diff(a[by_a]) > zero]))
    order = np.lexsort((b, a_cluster))
    new = np.ones(n, dtype=bool)
    new[1:] = (np.diff(a_cluster[order]) != 0) | (np.diff(b[order]) > PARALLEL / 10)
    everyone = np.arange(n)
    if new.all():
        return everyone, everyone, everyone, np.ones(n, dtype=np.intp)
    group = np.empty(n, dtype=np.intp)
    group[order] = np.cumsum(new) - 1
    # Number the groups by their first member, so the representatives keep the options' order.
    first = np.full(int(group.max()) + 1, n)
    np.minimum.at(first, group, everyone)
    renumber = np.empty(len(first), dtype=np.intp)
    renumber[np.argsort(first)] = np.arange(len(first))
    group = renumber[group]
    flat = np.argsort(group, kind="stable")
    sizes = np.bincount(group)
    starts = np.cumsum(sizes) - sizes
    for values, spread in ((a, 2 * zero), (b, PARALLEL / 2)):
        if (np.maximum.reduceat(values[flat], starts) - np.minimum.reduceat(values[flat], starts) > spread).any():
            return None
    return flat[starts], flat, starts, sizes


@dataclass(frozen=True, eq=False)
class _Lines:
    a: np.ndarray  # one line for each group of equal ones
    b: np.ndarray
    flat: np.ndarray  # the groups' members one after another, as indices into all_a, all_b
    starts: np.ndarray  # where each group's members start in `flat`
    sizes: np.ndarray | None  # how many each group has (None: one each)
    all_a: np.ndarray
    all_b: np.ndarray
    tol: float  # at least the tolerance the exhaustive analysis uses on any probe
    zero: float  # a value gap up to this is rounding
    clear: float  # a value gap above this keeps other crossings > 10 T_TOL away and every midpoint off a tie
    bmax: float

    def ranked(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """At each x: the lines from the top, and the gaps between neighbours."""
        values = self.a[None, :] + xs[:, None] * self.b[None, :]
        order = np.argsort(-values, axis=1, kind="stable")
        ranked = np.take_along_axis(values, order, axis=1)
        return order, ranked[:, :-1] - ranked[:, 1:]

    def meeting(self, order: np.ndarray, gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The pairs of lines meeting at x (value gap down to rounding), given the order and gaps there.
        None if any other neighbours are within `clear`, or close enough that another crossing could come
        within a midpoint's reach of this one (the nearest other crossing is > gap / (2 bmax) away)."""
        meet = gaps <= self.zero
        if (~meet & (gaps <= self.clear)).any():
            return None
        if not meet.any():
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        # Lines meeting at x are runs of neighbours in the order: every pair within a run crosses there.
        n = len(order)
        pos = np.arange(n)
        run = np.cumsum(np.concatenate([[0], ~meet]))
        last = np.flatnonzero(np.concatenate([~meet, [True]]))[run]
        after = last - pos
        first = np.repeat(pos, after)
        second = first + 1 + np.arange(after.sum()) - np.repeat(np.cumsum(after) - after, after)
        i, j = order[first], order[second]
        apart = np.abs(self.b[i] - self.b[j]).min()
        if apart <= 10 * PARALLEL:
            return None  # tied but (nearly) parallel without being identical
        if (~meet & (gaps <= 8 * self.bmax * self.tol / apart)).any():
            return None
        return i, j

    def crossings(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Where groups i and j cross: every member of one with every member of the other, as the
        exhaustive analysis lists them (a rounding apart)."""
        if self.sizes is None:
            return crossing(self.all_a, self.all_b, self.flat[i], self.flat[j])
        si, sj = self.sizes[i], self.sizes[j]
        count = si * sj
        k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        sj_rep = np.repeat(sj, count)
        mi = self.flat[np.repeat(self.starts[i], count) + k // sj_rep]
        mj = self.flat[np.repeat(self.starts[j], count) + k % sj_rep]
        return crossing(self.all_a, self.all_b, mi, mj)

    def point(self, x: float, order: np.ndarray, gaps: np.ndarray, x_is_a_point: bool) -> tuple[float, bool] | None:
        """The point the exhaustive analysis keeps around x (the smallest of the crossings there, merged)
        and whether any lines meet at x; None if anything there is too close to call."""
        pairs = self.meeting(order, gaps)
        if pairs is None:
            return None
        near = self.crossings(*pairs)
        if x_is_a_point:
            near = np.append(near, x)
        if not len(near):
            return None
        lo, hi = float(near.min()), float(near.max())
        if hi - lo > T_TOL / 2 or not EDGE < lo < 1 - EDGE:
            return None  # more than one point after merging
        return lo, len(pairs[0]) > 0

    def end(self, order: np.ndarray, gaps: np.ndarray, owner: int, steepest: bool) -> bool:
        """At 0 or 1: is `owner` the line on top just inside, alone by more than tol at every midpoint?
        Lines meeting on top there cross at the end itself, which is no crossing point."""
        if gaps[0] > self.clear:
            return order[0] == owner
        if self.meeting(order, gaps) is None:
            return False
        top = order[:1 + int(np.argmax(gaps > self.zero))]
        return top[np.argmax(self.b[top]) if steepest else np.argmin(self.b[top])] == owner


def clean_one_way(a: np.ndarray, b: np.ndarray, t0: float) -> Clean | None:
    """Crossovers (line indices) and intervals for lines a + t b, or None when the exhaustive analysis
    must decide (near-ties, nearly parallel lines, points near 0 or 1)."""
    if not EDGE < t0 < 1 - EDGE:
        return None
    scale = max(1.0, float(np.abs(a).max()), float(np.abs(a + b).max()))
    tol, zero = TIE_RTOL * scale, ZERO_RTOL * scale
    groups = _identical(a, b, zero)
    if groups is None or len(groups[0]) < 2:
        return None  # one line only, or near-equal lines that are not all equal
    rep, flat, starts, sizes = groups
    ra, rb = a[rep], b[rep]
    bmax = float(np.abs(b).max())
    L = _Lines(ra, rb, flat, starts, None if (sizes == 1).all() else sizes, a, b, tol, zero,
               max(4 * tol, 20 * bmax * T_TOL), bmax)

    owners, _ = upper_envelope(ra, rb)
    breaks = crossing(ra, rb, owners[:-1], owners[1:])
    # Lines meeting on top at 0 or 1 take over there, at no crossing point: drop those breaks.
    first, last = int((breaks <= T_TOL).sum()), int((breaks < 1 - T_TOL).sum())
    owners, breaks = owners[first:last + 1], breaks[first:last]
    if len(breaks) and ((np.diff(breaks) <= 0).any() or np.abs(rb[owners[1:]] - rb[owners[:-1]]).min() <= 10 * PARALLEL):
        return None
    order, gaps = L.ranked(np.concatenate([[0.0, 1.0, t0], breaks]))
    if not (L.end(order[0], gaps[0], owners[0], True) and L.end(order[1], gaps[1], owners[-1], False)):
        return None
    now = L.point(t0, order[2], gaps[2], True)
    if now is None:
        return None
    here, tied_now = now
    shares = []
    for k in range(len(breaks)):
        top_two = gaps[3 + k, 0] <= L.zero and (len(gaps[3 + k]) < 2 or gaps[3 + k, 1] > L.zero)
        if not top_two or set(order[3 + k, :2].tolist()) != {int(owners[k]), int(owners[k + 1])}:
            return None  # the walk and the values disagree on who is on top, or three lines meet there
        at = L.point(float(breaks[k]), order[3 + k], gaps[3 + k], False)
        if at is None:
            return None
        shares.append(at[0])
    if len(set(shares)) != len(shares):
        return None

    if gaps[2, 0] <= L.zero:  # t0 sits on a break: the leaders tie there
        if here not in shares:
            return None
        leader_interval = (here, here)
    else:
        piece = int(np.searchsorted(breaks, t0))
        if owners[piece] != order[2, 0]:
            return None
        leader_interval = (shares[piece - 1] if piece else 0.0, shares[piece] if piece < len(shares) else 1.0)

    if tied_now:  # lines tie at t0 and part either side of it: the ranking holds only there
        ranking_interval = (here, here)
    else:
        ranking = _nearest_crossings(L, order[2], t0)
        if ranking is None:
            return None
        ranking_interval = ranking

    def members(g: int) -> tuple[int, ...]:
        return tuple(flat[starts[g]:starts[g] + sizes[g]].tolist())

    crossovers = tuple((s, members(owners[k]), members(owners[k + 1])) for k, s in enumerate(shares))
    return Clean(crossovers, leader_interval, ranking_interval)


def _nearest_crossings(L: _Lines, order: np.ndarray, t0: float) -> tuple[float, float] | None:
    """With no ties at t0 the ranking first changes where neighbours in the order at t0 cross: from the
    nearest such crossing below t0 to the nearest above (0 and 1 when there is none in (0, 1))."""
    i, j = order[:-1], order[1:]
    apart = np.abs(L.b[i] - L.b[j]) > PARALLEL
    c = crossing(L.a, L.b, i[apart], j[apart])
    below, above = c[(c < t0) & (c > T_TOL)], c[(c > t0) & (c < 1 - T_TOL)]
    ends = []
    for found, outer in ((below.max() if len(below) else None, 0.0), (above.min() if len(above) else None, 1.0)):
        if found is None:
            ends.append(outer)
            continue
        if not EDGE < found < 1 - EDGE:
            return None
        r_order, r_gaps = L.ranked(np.array([found]))
        at = L.point(float(found), r_order[0], r_gaps[0], False)
        if at is None:
            return None
        ends.append(at[0])
    return ends[0], ends[1]
