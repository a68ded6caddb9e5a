"""SMAA-2 (Lahdelma and Salminen, 2001): rank acceptability, central weights, confidence factors.

Weights are drawn uniformly on the simplex (Dirichlet(1, ..., 1), as normalised exponentials) or as
the current weights perturbed by up to +-x% and renormalised; scores may be drawn uniformly within
+-d points, clipped to the scale. Work is done in fixed-size chunks from one seeded generator, so
memory is bounded for any sample count and the same seed gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .core import shares
from .problem import Problem

CHUNK = 50_000


@dataclass(frozen=True, eq=False)
class SmaaResult:
    samples: int
    seed: int
    options: np.ndarray  # indices of the options taking part
    rank_acceptability: np.ndarray  # (n_part, n_part): [option, rank] share of samples
    central_weights: np.ndarray  # (n_part, n_criteria) shares; NaN row where never first
    confidence: np.ndarray  # (n_part,)


def _weights(rng: np.random.Generator, k: int, m: int, base: np.ndarray | None, perturb: float | None) -> np.ndarray:
    if perturb is None:
        w = rng.standard_exponential((k, m))
    else:
        w = base[None, :] * (1 + rng.uniform(-perturb, perturb, (k, m)))
    w /= w.sum(axis=1, keepdims=True)
    return w


def _scores(rng, k: int, s: np.ndarray, d: float, lo: float, hi: float) -> np.ndarray:
    return np.clip(s[None, :, :] + rng.uniform(-d, d, (k, *s.shape)), lo, hi)


def smaa(p: Problem, samples: int = 10_000, seed: int = 0, perturb: float | None = None, score_uncertainty: float = 0.0,
         on_chunk: Callable[[int], None] | None = None, *,
         weight_sampler: Callable[[np.random.Generator, int], np.ndarray] | None = None,
         score_low: np.ndarray | None = None, score_high: np.ndarray | None = None) -> SmaaResult:
    """`perturb`: None for uniform weights on the simplex, else the fraction (0.2 = +-20%).
    `on_chunk(done)` is called after each chunk (progress for a caller running this in a thread).
    `weight_sampler(rng, k)` replaces both weight modes: k rows of shares over the active criteria.
    `score_low`/`score_high` (full n x m) replace +-d: each score uniform within its own bounds."""
    opts = np.flatnonzero(p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1))
    crit = np.flatnonzero(p.criterion_active)
    s = p.scores[np.ix_(opts, crit)]
    n, m = s.shape
    if n == 0:  # no option in play has every score: nothing to rank
        return SmaaResult(samples, seed, opts, np.zeros((0, 0)), np.full((0, p.scores.shape[1]), np.nan), np.zeros(0))
    base = shares(p.weights, p.criterion_active)[crit]
    rng = np.random.default_rng(seed)
    counts = np.zeros((n, n), dtype=np.int64)
    central = np.zeros((n, m))
    done = 0
    lo = hi = None
    if score_low is not None and score_high is not None:
        lo, hi = score_low[np.ix_(opts, crit)], score_high[np.ix_(opts, crit)]
    while done < samples:
        k = min(CHUNK, samples - done)
        w = weight_sampler(rng, k) if weight_sampler is not None else _weights(rng, k, m, base, perturb)
        if lo is not None:
            values = np.einsum("knm,km->kn", lo[None] + (hi - lo)[None] * rng.random((k, n, m)), w)
        elif score_uncertainty > 0:
            values = np.einsum("knm,km->kn", _scores(rng, k, s, score_uncertainty, p.scale_min, p.scale_max), w)
        else:
            values = w @ s.T
        order = np.argsort(-values, axis=1, kind="stable")  # order[:, r] is the option at rank r + 1
        for r in range(n):
            counts[:, r] += np.bincount(order[:, r], minlength=n)
        first = np.zeros((k, n))
        first[np.arange(k), order[:, 0]] = 1.0
        central += first.T @ w
        done += k
        if on_chunk is not None:
            on_chunk(done)
    firsts = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central_w = central / firsts[:, None]
    central_w[firsts == 0] = np.nan
    confidence = _confidence(rng, s, central_w, samples, score_uncertainty, p.scale_min, p.scale_max)
    full_central = np.full((n, p.scores.shape[1]), np.nan)
    full_central[:, crit] = central_w
    full_central[np.ix_(firsts > 0, np.flatnonzero(~p.criterion_active))] = 0.0
    return SmaaResult(samples, seed, opts, counts / samples, full_central, confidence)


def _confidence(rng, s, central_w, samples, d, lo, hi) -> np.ndarray:
    """Share of score draws in which each option leads when the weights are its central weights.
    Without score uncertainty that is 1 or 0."""
    n = s.shape[0]
    out = np.zeros(n)
    k = min(samples, CHUNK)
    for i in range(n):
        if np.isnan(central_w[i]).any():
            continue
        if d > 0:
            values = _scores(rng, k, s, d, lo, hi) @ central_w[i]
            out[i] = float(np.mean(np.argmax(values, axis=1) == i))
        else:
            out[i] = float(np.argmax(s @ central_w[i]) == i)
    return out
