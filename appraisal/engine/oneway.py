"""One-way weight sensitivity, exactly and in closed form (as Hiview and Web-HIPRE do it).

The share of criterion k moves to t in [0, 1]; the other active shares are rescaled in proportion,
p_j(t) = p_j (1 - t) / (1 - p_k). Each option's value is then a straight line in t:
V_i(t) = R_i + t (s_ik - R_i), with R_i the option's value on the other criteria alone. Crossovers are
where two lines meet; between consecutive crossovers the ranking cannot change.

Each segment between crossings is judged at its midpoint (competition ranks, ties within TIE_RTOL of the
largest value anywhere on the line), the current state at the current share itself. With few options
every line is evaluated at every midpoint. With many, that is n^3 per criterion, so the leaders come from
the upper envelope (only lines within the tie tolerance of it can lead) and the ranking interval from
walking out from the current share (the ranking changes at the next crossing, nearly always): O(n^2 log n)
per criterion, the sorting of the pairwise crossings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import TIE_RTOL, shares
from .envelope import PARALLEL, T_TOL, clean_one_way, upper_envelope
from .problem import Problem

DENSE_MAX = 12  # up to this many options in play, evaluate every line on every segment


@dataclass(frozen=True)
class Crossover:
    share: float
    before: tuple[int, ...]  # option indices leading just below this share (several on a tie)
    after: tuple[int, ...]


@dataclass(frozen=True)
class OneWay:
    criterion: int
    share: float
    leader_interval: tuple[float, float]
    ranking_interval: tuple[float, float]
    crossovers: tuple[Crossover, ...]
    intercepts: np.ndarray  # R_i for every option (NaN where inactive): value at t = 0
    slopes: np.ndarray  # s_ik - R_i: V_i(t) = intercept + t * slope


@dataclass(frozen=True, eq=False)
class _Context:
    """What every criterion's analysis shares: computed once per problem."""

    active: np.ndarray
    shares: np.ndarray
    values: np.ndarray  # current V_i
    options: np.ndarray  # the active options' indices, ascending
    upper: np.ndarray  # (n_active, n_active) True above the diagonal: the pairs i < j


def _context(p: Problem) -> _Context:
    active = p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)
    sh = shares(p.weights, p.criterion_active)
    idx = np.flatnonzero(active)
    return _Context(active, sh, np.nan_to_num(p.scores) @ sh, idx, np.triu(np.ones((len(idx), len(idx)), dtype=bool), 1))


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
    ctx = ctx or _context(p)
    if len(ctx.options) <= DENSE_MAX:
        return _dense_all(p, ctx, np.array([k]))[0]
    a, b = lines(p, k, ctx)
    t0 = float(ctx.shares[k])
    opts = ctx.options
    la, lb = a[opts], b[opts]
    active = ctx.active
    lines_out = np.where(active, a, np.nan), np.where(active, b, np.nan)
    if len(opts) > DENSE_MAX and (clean := clean_one_way(la, lb, t0)) is not None:
        crossovers = tuple(Crossover(s, tuple(int(opts[j]) for j in before), tuple(int(opts[j]) for j in after))
                           for s, before, after in clean.crossovers)
        return OneWay(k, t0, clean.leader_interval, clean.ranking_interval, crossovers, *lines_out)
    points = _points(la, lb, t0, ctx.upper)
    mids = (points[:-1] + points[1:]) / 2
    here = int(np.argmin(np.abs(points - t0)))  # segments before `here` lie below the current share
    state = _swept(la, lb, mids, t0, here)
    changed, group, (lead_left, lead_right), (rank_left, rank_right) = state

    def interval(left: int | None, right: int | None) -> tuple[float, float]:
        """From just after the nearest change below the current share to the nearest change above it."""
        return float(points[0 if left is None else left + 1]), float(points[len(mids) if right is None else right])

    crossovers = tuple(Crossover(float(points[s]), tuple(int(opts[j]) for j in group(s - 1)), tuple(int(opts[j]) for j in group(s)))
                       for s in np.flatnonzero(changed))
    return OneWay(k, t0, interval(lead_left, lead_right), interval(rank_left, rank_right), crossovers, *lines_out)


def _points(a: np.ndarray, b: np.ndarray, t0: float, upper: np.ndarray) -> np.ndarray:
    """0, 1, t0 and every pairwise crossing in (0, 1), sorted, closer than T_TOL merged."""
    da = b[:, None] - b[None, :]
    apart = upper & (np.abs(da) > PARALLEL)
    t = np.divide(a[None, :] - a[:, None], da, out=np.zeros_like(da), where=apart)
    t = t[apart & (t > T_TOL) & (t < 1 - T_TOL)]
    points = np.sort(np.concatenate([[0.0, 1.0, t0], t]))
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = points[1:] - points[:-1] > T_TOL
    return points[keep]


def _nearest(same: np.ndarray, here: int) -> tuple[int | None, int | None]:
    """The last segment before `here` and the first from `here` on where `same` is False."""
    left, right = np.flatnonzero(~same[:here]), np.flatnonzero(~same[here:])
    return (int(left[-1]) if len(left) else None), (here + int(right[0]) if len(right) else None)


def _tolerance(values: np.ndarray) -> float:
    """competition_ranks's: relative to the largest value anywhere on the line."""
    return TIE_RTOL * max(1.0, float(np.abs(values).max(initial=0.0)))


def _dense_all(p: Problem, ctx: _Context, ks: np.ndarray) -> list[OneWay]:
    """Few options: every line at every midpoint (and at t0), for many criteria in one go. Each criterion
    is judged exactly as on its own (its own points, its own tie tolerance); batching only saves the
    per-call overhead that dominates at this size (the 2013 appraisal: 19 criteria of 5 options)."""
    out: list[OneWay] = []
    for lo in range(0, len(ks), 64):  # (criteria, probes, n, n) stays small
        out += _dense_block(p, ctx, ks[lo:lo + 64])
    return out


def _dense_block(p: Problem, ctx: _Context, ks: np.ndarray) -> list[OneWay]:
    opts, active = ctx.options, ctx.active
    full = [lines(p, int(k), ctx) for k in ks]
    a = np.array([x[0][opts] for x in full]).reshape(len(ks), len(opts))
    b = np.array([x[1][opts] for x in full]).reshape(len(ks), len(opts))
    t0 = ctx.shares[ks]
    # Every criterion's points, one row each, padded with inf.
    da = b[:, :, None] - b[:, None, :]
    apart = ctx.upper[None] & (np.abs(da) > PARALLEL)
    t = np.divide(a[:, None, :] - a[:, :, None], da, out=np.zeros_like(da), where=apart)
    t = np.where(apart & (t > T_TOL) & (t < 1 - T_TOL), t, np.inf).reshape(len(ks), -1)
    points = np.sort(np.concatenate([np.zeros((len(ks), 1)), np.ones((len(ks), 1)), t0[:, None], t], axis=1), axis=1)
    keep = np.isfinite(points)
    with np.errstate(invalid="ignore"):
        keep[:, 1:] &= points[:, 1:] - points[:, :-1] > T_TOL
    count = keep.sum(axis=1)
    points = np.sort(np.where(keep, points, np.inf), axis=1)[:, :count.max()]
    segments = count - 1
    with np.errstate(invalid="ignore"):
        mids = (points[:, :-1] + points[:, 1:]) / 2
    probes = np.concatenate([np.where(np.isfinite(mids), mids, 0.0), t0[:, None]], axis=1)  # t0 last
    values = a[:, None, :] + probes[:, :, None] * b[:, None, :]
    real = np.arange(probes.shape[1])[None, :] < segments[:, None]
    real[:, -1] = True
    tol = TIE_RTOL * np.maximum(1.0, np.where(real[:, :, None], np.abs(values), 0.0).max(axis=(1, 2), initial=0.0))
    ranks = 1 + (values[..., None, :] > values[..., :, None] + tol[:, None, None, None]).sum(axis=-1)
    lead = ranks == 1
    seg_lead, seg_ranks, real = lead[:, :-1], ranks[:, :-1], real[:, :-1]
    changed = np.zeros(seg_lead.shape[:2], dtype=bool)
    changed[:, 1:] = (seg_lead[:, 1:] != seg_lead[:, :-1]).any(axis=2) & real[:, 1:]
    here = np.argmin(np.abs(np.where(np.isfinite(points), points, np.inf) - t0[:, None]), axis=1)
    index = np.arange(seg_lead.shape[1])[None, :]

    def nearest(same: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per criterion: the last segment before `here` and the first from `here` on where `same` fails (-1: none)."""
        differs = ~same & real
        left = np.where(differs & (index < here[:, None]), index, -1).max(axis=1)
        right = np.where(differs & (index >= here[:, None]), index, np.iinfo(np.intp).max).min(axis=1)
        return left, np.where(right < segments, right, -1)

    lead_changes = nearest((seg_lead == lead[:, -1:, :]).all(axis=2))
    rank_changes = nearest((seg_ranks == ranks[:, -1:, :]).all(axis=2))
    out = []
    for r, k in enumerate(ks.tolist()):
        pts = points[r]

        def interval(changes: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
            left, right = int(changes[0][r]), int(changes[1][r])
            return float(pts[left + 1 if left >= 0 else 0]), float(pts[right if right >= 0 else segments[r]])

        def group(s: int) -> tuple[int, ...]:
            return tuple(opts[seg_lead[r, s]].tolist())

        crossovers = tuple(Crossover(float(pts[s]), group(s - 1), group(s)) for s in changed[r].nonzero()[0].tolist())
        fa, fb = full[r]
        out.append(OneWay(k, float(t0[r]), interval(lead_changes), interval(rank_changes), crossovers,
                          np.where(active, fa, np.nan), np.where(active, fb, np.nan)))
    return out


def _swept(a, b, mids, t0, here):
    """Leaders from the upper envelope; the ranking interval by walking out from the current share."""
    # For straight lines the largest value at any probe is at the first or the last one.
    tol = _tolerance(np.concatenate([a + min(mids[0], t0) * b, a + max(mids[-1], t0) * b]))
    now_ranks = _ranks(a + t0 * b, tol)
    seg, who = _leaders(a, b, mids, tol)
    counts = np.bincount(seg, minlength=len(mids))
    starts = np.cumsum(counts) - counts
    changed = _differs_from_previous(seg, who, counts, starts)
    same_lead = _same_as(np.flatnonzero(now_ranks == 1), seg, who, counts, starts)
    segments = np.arange(len(mids))
    ranking = (_first_rank_change(a, b, mids, tol, now_ranks, segments[:here][::-1]),
               _first_rank_change(a, b, mids, tol, now_ranks, segments[here:]))
    return changed, lambda s: who[starts[s]:starts[s] + counts[s]], _nearest(same_lead, here), ranking


def _ranks(values: np.ndarray, tol: float) -> np.ndarray:
    """Competition ranks along the last axis: 1 + how many are better by more than tol."""
    if values.ndim == 1 and len(values) > DENSE_MAX:
        ordered = np.sort(values)
        return 1 + len(values) - np.searchsorted(ordered, values + tol, side="right")
    return 1 + (values[..., None, :] > values[..., :, None] + tol).sum(axis=-1)


def _leaders(a: np.ndarray, b: np.ndarray, mids: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Who leads on each segment: (segment, line) pairs sorted by segment then line, exactly those with
    competition rank 1 at the segment's midpoint.

    Only lines near the top can lead. The gap from the top to a line is convex and piecewise linear in x
    with the envelope's breaks, so the x where it is within 2 tol form one interval, found from its
    values at the breaks; a line never that close never leads. A segment covered by one such interval is
    led by that line alone; only segments covered by several (near a break, or on a tie) are evaluated."""
    n, P = len(a), len(mids)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    breaks = np.concatenate([[0.0], upper_envelope(a, b)[1], [1.0]])
    gap = a[None, :] + breaks[:, None] * b[None, :]
    gap = gap.max(axis=1, keepdims=True) - gap
    pad = 2 * tol
    near = gap <= pad
    cand = np.flatnonzero(near.any(axis=0))
    g = gap[:, cand]
    first = np.argmax(near[:, cand], axis=0)
    last = len(breaks) - 1 - np.argmax(near[::-1, cand], axis=0)
    cols = np.arange(len(cand))
    # Where the gap rises through `pad` on the piece beyond the first and the last near break.
    before = np.maximum(first - 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(first > 0, breaks[before] + (g[before, cols] - pad) / (g[before, cols] - g[first, cols]) * (breaks[first] - breaks[before]), 0.0)
        after = np.minimum(last + 1, len(breaks) - 1)
        hi = np.where(last < len(breaks) - 1, breaks[after] - (g[after, cols] - pad) / (g[after, cols] - g[last, cols]) * (breaks[after] - breaks[last]), 1.0)
    plo = np.searchsorted(mids, np.minimum(lo, breaks[first]), side="left")
    phi = np.searchsorted(mids, np.maximum(hi, breaks[last]), side="right")
    cover = np.cumsum(np.bincount(plo, minlength=P + 1) - np.bincount(phi, minlength=P + 1))[:P]
    owner = np.cumsum(np.bincount(plo, cand, minlength=P + 1) - np.bincount(phi, cand, minlength=P + 1))[:P].round().astype(np.intp)
    single = cover == 1
    # Segments several lines might lead (or, never expected, none): evaluate their candidates exactly.
    multi = np.flatnonzero(~single)
    if not len(multi):
        return np.arange(P), owner
    if (cover == 0).any():  # stay exact whatever happens: there, every line is a candidate
        plo = np.concatenate([plo, np.flatnonzero(cover == 0)])
        phi = np.concatenate([phi, np.flatnonzero(cover == 0) + 1])
        cand = np.concatenate([cand, np.full(int((cover == 0).sum()), -1)])
    mlo, mhi = np.searchsorted(multi, plo), np.searchsorted(multi, phi)
    per = mhi - mlo
    seg = multi[np.arange(per.sum()) - np.repeat(np.cumsum(per) - per - mlo, per)]
    line = np.repeat(cand, per)
    everyone = line < 0
    if everyone.any():
        seg = np.concatenate([seg[~everyone], np.repeat(seg[everyone], n)])
        line = np.concatenate([line[~everyone], np.tile(np.arange(n), int(everyone.sum()))])
    order = np.lexsort((line, seg))
    seg, line = seg[order], line[order]
    v = a[line] + mids[seg] * b[line]
    starts = np.flatnonzero(np.concatenate([[True], seg[1:] != seg[:-1]]))
    best = np.maximum.reduceat(v, starts)
    leads = ~(np.repeat(best, np.diff(np.append(starts, len(seg)))) > v + tol)
    seg = np.concatenate([np.flatnonzero(single), seg[leads]])
    line = np.concatenate([owner[single], line[leads]])
    order = np.argsort(seg, kind="stable")  # the multi pairs are already sorted by line within a segment
    return seg[order], line[order]


def _differs_from_previous(seg: np.ndarray, who: np.ndarray, counts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """changed[s]: segment s has other leaders than segment s - 1 (False for s = 0)."""
    changed = np.zeros(len(counts), dtype=bool)
    changed[1:] = counts[1:] != counts[:-1]
    e = np.flatnonzero(seg >= 1)
    e = e[counts[seg[e]] == counts[seg[e] - 1]]
    partner = e - starts[seg[e]] + starts[seg[e] - 1]
    changed[seg[e][who[e] != who[partner]]] = True
    return changed


def _same_as(group: np.ndarray, seg: np.ndarray, who: np.ndarray, counts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """same[s]: segment s has exactly the leaders in `group` (sorted)."""
    same = counts == len(group)
    e = np.flatnonzero(same[seg])
    same[seg[e][who[e] != group[e - starts[seg[e]]]]] = False
    return same


def _first_rank_change(a: np.ndarray, b: np.ndarray, mids: np.ndarray, tol: float, now: np.ndarray, segments: np.ndarray) -> int | None:
    """The first of `segments` (in the order given) whose ranking differs from `now`; None if none does.
    Batches double in size: the ranking nearly always changes at the very next crossing."""
    cap = max(1, 2**22 // max(1, len(a) ** 2))
    pos, batch = 0, 1
    while pos < len(segments):
        chunk = segments[pos:pos + batch]
        differs = (_ranks(a[None, :] + mids[chunk][:, None] * b[None, :], tol) != now).any(axis=1)
        if differs.any():
            return int(chunk[np.argmax(differs)])
        pos, batch = pos + batch, min(2 * batch, cap)
    return None


def one_way_all(p: Problem) -> list[OneWay]:
    ctx = _context(p)
    ks = np.flatnonzero(p.criterion_active)
    if len(ctx.options) <= DENSE_MAX:
        return _dense_all(p, ctx, ks)
    return [one_way(p, int(k), ctx) for k in ks]


def value_at(ow: OneWay, t: float) -> np.ndarray:
    return ow.intercepts + t * ow.slopes


__all__ = ["Crossover", "OneWay", "TIE_RTOL", "lines", "one_way", "one_way_all", "value_at"]
