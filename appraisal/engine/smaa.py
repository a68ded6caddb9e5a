"""SMAA-2 (Lahdelma and Salminen, 2001): rank acceptability, central weights, confidence factors.

Weights are drawn uniformly on the simplex (Dirichlet(1, ..., 1), as normalised exponentials) or as
the current weights perturbed by up to +-x% and renormalised; scores may be drawn uniformly within
+-d points, clipped to the scale.

Reproducible whatever the machine does: the samples are cut into chunks (at most CHUNK samples, fewer
for big problems so memory stays bounded); chunk c draws from its own generator, seeded by
SeedSequence(seed, spawn_key=(0, c)), and the chunks' sums are added in chunk order. So a seed gives the
same numbers bit for bit whether one thread or several did the work. Thin products are einsum's own
loops (OpenBLAS's threads are erratic on a busy machine); big ones are BLAS's, held to one BLAS thread
while our own threads use the cores.

Ties: options whose values in a sample are within TIE_RTOL of the next one down share the ranks they
span (groups are chained in sorted order). g options tied over ranks r .. r+g-1 each get 1/g of each of
those ranks, so every row and column of the acceptability matrix still sums to 1; options tied for first
each count 1/g of the sample toward their central weights. Identical options get identical results.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .core import TIE_RTOL, shares
from .problem import Problem

CHUNK = 50_000
CHUNK_NUMBERS = 2_500_000  # the largest array of one chunk holds about this many floats (20 MB)
CONFIDENCE_KEY = (1,)  # spawn key of the generator for the confidence factors' score draws
SMALL_N = 8  # up to this many options: einsum for values, central weights summed option by option


@dataclass(frozen=True, eq=False)
class SmaaResult:
    samples: int
    seed: int
    options: np.ndarray  # indices of the options taking part
    rank_acceptability: np.ndarray  # (n_part, n_part): [option, rank] share of samples
    central_weights: np.ndarray  # (n_part, n_criteria) shares; NaN row where never first
    confidence: np.ndarray  # (n_part,)


@dataclass(frozen=True, eq=False)
class _Draws:
    """What every chunk needs: the scores in play, how weights and scores are drawn, the tie tolerance."""

    s: np.ndarray  # (n, m) options in play x active criteria
    base: np.ndarray  # (m,) current shares of the active criteria
    perturb: float | None
    weight_sampler: Callable[[np.random.Generator, int], np.ndarray] | None
    d: float  # score uncertainty, +-d points
    lo: np.ndarray | None  # per-cell score bounds (replace +-d)
    hi: np.ndarray | None
    scale_min: float
    scale_max: float
    tol: float

    @property
    def uncertain(self) -> bool:
        return self.lo is not None or self.d > 0

    def weights(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """k weight vectors as columns: (m, k), each summing to 1."""
        m = len(self.base)
        if self.weight_sampler is not None:
            return np.ascontiguousarray(self.weight_sampler(rng, k).T)
        if self.perturb is None:
            w = rng.standard_exponential((m, k))
        else:
            w = self.base[:, None] * (1 + rng.uniform(-self.perturb, self.perturb, (m, k)))
        w /= w.sum(axis=0)
        return w

    def scores(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """k draws of the score matrix: (n, m, k)."""
        n, m = self.s.shape
        if self.lo is not None:
            return self.lo[:, :, None] + (self.hi - self.lo)[:, :, None] * rng.random((n, m, k))
        return self.scores_pm(rng, k)

    def scores_pm(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """k draws of the scores within +-d, clipped to the scale: (n, m, k)."""
        n, m = self.s.shape
        return np.clip(self.s[:, :, None] + rng.uniform(-self.d, self.d, (n, m, k)), self.scale_min, self.scale_max)

    def values(self, rng: np.random.Generator, w: np.ndarray) -> np.ndarray:
        """Each option's value in each sample: (n, k). A product thin in one dimension is einsum's loop
        (OpenBLAS threads thrash on those); a big one is BLAS's, ten times faster there and the same
        numbers with any number of threads."""
        if self.uncertain:
            return np.einsum("nmk,mk->nk", self.scores(rng, w.shape[1]), w)
        if len(self.s) > SMALL_N:
            return self.s @ w
        return np.einsum("mk,nm->nk", w, self.s)

    def chunk_size(self) -> int:
        n, m = self.s.shape
        per_sample = n * m if self.uncertain else n + m
        return max(1, min(CHUNK, CHUNK_NUMBERS // per_sample))


def rank_order(values: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Each row of `values` (k, n) ranked best first: `order` (k, n), the option at each position, and
    `close` (k, n - 1), True where the option at a position ties with the next one down."""
    order = np.argsort(values, axis=1, kind="stable")[:, ::-1]
    ranked = np.take_along_axis(values, order, axis=1)
    return order, ranked[:, :-1] - ranked[:, 1:] <= tol


def tie_groups(close: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first position (0-based rank) and the size of the tie group of each position: (k, n) each."""
    k, n = close.shape[0], close.shape[1] + 1
    new_group = np.ones((k, n), dtype=bool)
    new_group[:, 1:] = ~close
    pos = np.arange(n)
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
    ends_here = np.ones((k, n), dtype=bool)
    ends_here[:, :-1] = ~close
    end = np.minimum.accumulate(np.where(ends_here, pos + 1, n)[:, ::-1], axis=1)[:, ::-1]
    return start, end - start


def rank_credit(order: np.ndarray, close: np.ndarray) -> np.ndarray:
    """(n, n) credit [option, rank] summed over the samples: 1 per untied sample, shared on ties."""
    n = order.shape[1]
    any_tie = bool(close.any())
    tied = close.any(axis=1) if any_tie else None
    plain = np.ascontiguousarray(order[~tied].T if any_tie else order.T)
    out = np.zeros((n, n))
    for r in range(n):
        out[:, r] += np.bincount(plain[r], minlength=n)
    if any_tie:
        # A group of g over ranks r .. r+g-1: +1/g from rank r, -1/g from rank r+g (a difference array).
        o = order[tied]
        start, g = tie_groups(close[tied])
        share = (1.0 / g).ravel()
        diff = np.bincount((o * (n + 1) + start).ravel(), weights=share, minlength=n * (n + 1))
        diff -= np.bincount((o * (n + 1) + start + g).ravel(), weights=share, minlength=n * (n + 1))
        out += np.cumsum(diff.reshape(n, n + 1), axis=1)[:, :n]
    return out


def first_credit(order: np.ndarray, close: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(n, m) sum of the weight vectors (columns of w) of the samples each option leads; a tie for
    first among g options gives each 1/g of the sample."""
    n = order.shape[1]
    if n == 1 or not close[:, 0].any():
        return _sum_by_label(order[:, 0], w, n)
    lead_close = close.cumprod(axis=1, dtype=bool)  # positions still tied with the first
    g = 1 + lead_close.sum(axis=1)
    out = np.zeros((n, w.shape[0]))
    for p in range(int(g.max())):
        rows = np.flatnonzero(g > p)
        out += _sum_by_label(order[rows, p], w[:, rows] / g[rows], n)
    return out


def _sum_by_label(labels: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """(n, m): the columns of `cols` (m, k) summed by their label in 0..n-1, in a fixed order (no BLAS)."""
    out = np.zeros((n, cols.shape[0]))
    if n <= SMALL_N:
        for i in range(n):
            out[i] = np.einsum("mk,k->m", cols, (labels == i).astype(float))
        return out
    by_label = np.argsort(labels, kind="stable")
    counts = np.bincount(labels, minlength=n)
    present = np.flatnonzero(counts)
    starts = np.concatenate([[0], np.cumsum(counts[present])[:-1]])
    out[present] = np.add.reduceat(cols[:, by_label], starts, axis=1).T
    return out


def _chunk(draws: _Draws, seed: int, c: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, c)))
    w = draws.weights(rng, k)
    values = draws.values(rng, w)
    if len(values) <= SMALL_N and (above := _untied_ranks(values, draws.tol)) is not None:
        n = len(values)
        counts = np.stack([np.bincount(r, minlength=n) for r in above]).astype(float)
        return counts, np.stack([np.einsum("mk,k->m", w, (r == 0).astype(float)) for r in above]) if n else np.zeros((0, len(w)))
    order, close = rank_order(np.ascontiguousarray(values.T), draws.tol)
    return rank_credit(order, close), first_credit(order, close, w)


def _untied_ranks(values: np.ndarray, tol: float) -> np.ndarray | None:
    """For a few options, values (n, k): how many options beat each in each sample, by comparing every
    pair (cheaper than sorting rows of 5); None if any pair is within tol in any sample (a tie: the
    general path shares it). Gives what rank_credit and first_credit give when nothing ties."""
    n, k = values.shape
    above = np.zeros((n, k), dtype=np.intp)
    for i in range(n):
        for j in range(i + 1, n):
            d = values[i] - values[j]
            if (np.abs(d) <= tol).any():
                return None
            behind = d < 0
            above[i] += behind
            above[j] += ~behind
    return above


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _in_order(fn: Callable[[int], tuple], count: int, workers: int) -> Iterator[tuple]:
    """fn(0), fn(1), ... in order; up to `workers` at once, at most 2 x workers finished but unread."""
    if workers <= 1 or count <= 1:
        yield from (fn(c) for c in range(count))
        return
    from threadpoolctl import threadpool_limits

    # Our threads use the cores: BLAS threads inside each would only spin (on 100x200 they doubled the CPU
    # time of a sensitivity run for no gain in wall time). One BLAS thread gives the same numbers.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()
        for c in range(count):
            pending.append(pool.submit(fn, c))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def smaa(p: Problem, samples: int = 10_000, seed: int = 0, perturb: float | None = None, score_uncertainty: float = 0.0,
         on_chunk: Callable[[int], None] | None = None, *,
         weight_sampler: Callable[[np.random.Generator, int], np.ndarray] | None = None,
         score_low: np.ndarray | None = None, score_high: np.ndarray | None = None,
         workers: int | None = None, chunk: int | None = None) -> SmaaResult:
    """`perturb`: None for uniform weights on the simplex, else the fraction (0.2 = +-20%).
    `on_chunk(done)` is called after each chunk (progress for a caller running this in a thread).
    `weight_sampler(rng, k)` replaces both weight modes: k rows of shares over the active criteria.
    `score_low`/`score_high` (full n x m) replace +-d: each score uniform within its own bounds.
    `workers`: threads over chunks (default: the cores available); the result does not depend on it.
    `chunk`: samples per chunk (default: CHUNK, fewer for big problems); the result does depend on it."""
    opts = np.flatnonzero(p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1))
    crit = np.flatnonzero(p.criterion_active)
    s = p.scores[np.ix_(opts, crit)]
    n, m = s.shape
    if n == 0:  # nothing in play (every option excluded or missing a score): nothing to rank or sample
        return SmaaResult(samples, seed, opts, np.zeros((0, 0)), np.zeros((0, p.scores.shape[1])), np.zeros(0))
    lo = hi = None
    if score_low is not None and score_high is not None:
        lo, hi = score_low[np.ix_(opts, crit)], score_high[np.ix_(opts, crit)]
    biggest = max([1.0, float(np.abs(s).max(initial=0.0))] + ([float(np.abs(lo).max(initial=0)), float(np.abs(hi).max(initial=0))] if lo is not None else [])
                  + ([abs(p.scale_min), abs(p.scale_max)] if score_uncertainty > 0 else []))
    draws = _Draws(s, shares(p.weights, p.criterion_active)[crit], perturb, weight_sampler, score_uncertainty, lo, hi,
                   p.scale_min, p.scale_max, TIE_RTOL * biggest)
    size = chunk or draws.chunk_size()
    n_chunks = -(-samples // size)
    sizes = [min(size, samples - c * size) for c in range(n_chunks)]

    counts = np.zeros((n, n))
    central = np.zeros((n, m))
    done = 0
    work = min(workers or default_workers(), n_chunks)
    for c, (rank_part, first_part) in enumerate(_in_order(lambda c: _chunk(draws, seed, c, sizes[c]), n_chunks, work)):
        counts += rank_part
        central += first_part
        done += sizes[c]
        if on_chunk is not None:
            on_chunk(done)

    firsts = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central_w = central / firsts[:, None]
    central_w[firsts == 0] = np.nan
    conf_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=CONFIDENCE_KEY))
    confidence = _confidence(conf_rng, draws, central_w, min(samples, size))
    full_central = np.full((n, p.scores.shape[1]), np.nan)
    full_central[:, crit] = central_w
    full_central[np.ix_(firsts > 0, np.flatnonzero(~p.criterion_active))] = 0.0
    return SmaaResult(samples, seed, opts, counts / samples, full_central, confidence)


def _confidence(rng: np.random.Generator, draws: _Draws, central_w: np.ndarray, k: int) -> np.ndarray:
    """Share of score draws (+-d) in which each option leads when the weights are its central weights,
    1/g of a draw where g options tie for first. Without score uncertainty that is 1, 1/g or 0."""
    n = draws.s.shape[0]
    out = np.zeros(n)
    for i in range(n):
        if np.isnan(central_w[i]).any():
            continue
        w = central_w[i][:, None]
        if draws.d > 0:
            values = np.einsum("nmk,m->kn", draws.scores_pm(rng, k), central_w[i])
        else:
            values = np.einsum("mk,nm->kn", w, draws.s)
        order, close = rank_order(values, draws.tol)
        g = 1 + close.cumprod(axis=1, dtype=bool).sum(axis=1)  # how many tie for first
        position = np.argmax(order == i, axis=1)
        out[i] = float(np.mean(np.where(position < g, 1.0 / g, 0.0)))
    return out
