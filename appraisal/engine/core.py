"""Totals, shares, ranks and dominance: pure functions of numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import Problem

# Values closer than this (relative to the largest) are ties: 0.1 + 0.2 must tie with 0.3.
TIE_RTOL = 1e-9
DIRECT_MAX = 2**16  # dominance: up to this many (pair, criterion) comparisons, all at once


def shares(weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """Each active criterion's share of the total active weight (sums to 1); 0 for switched-off criteria."""
    w = np.where(criterion_active, weights, 0.0)
    return w / w.sum()


def unweighted_totals(scores: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    return scores[:, criterion_active].sum(axis=1)


def weighted_totals(scores: np.ndarray, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    return scores[:, criterion_active] @ weights[criterion_active]


def weighted_percent(weighted: np.ndarray, weights: np.ndarray, criterion_active: np.ndarray, scale_max: float) -> np.ndarray:
    """Weighted total as % of the best possible: scale max x sum of active weights."""
    return weighted / (scale_max * weights[criterion_active].sum()) * 100.0


def competition_ranks(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Standard competition ranks, higher value first (1, 2, 2, 4). 0 for inactive or NaN values.

    `values` may be (n,) or (k, n): each row is ranked on its own.
    """
    v = np.asarray(values, dtype=float)
    ok = active & ~np.isnan(v)
    filled = np.where(ok, v, -np.inf)
    tol = TIE_RTOL * max(1.0, float(np.abs(np.where(ok, v, 0.0)).max(initial=0.0)))
    better = (filled[..., None, :] > filled[..., :, None] + tol) & ok[..., None, :]
    ranks = 1 + better.sum(axis=-1)
    return np.where(ok, ranks, 0)


def dominance(scores: np.ndarray, option_active: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """D[a, b] is True when a dominates b: at least as good on every active criterion, better on one.

    Only active options with no missing scores take part.
    """
    s = scores[:, criterion_active]
    n, m = s.shape
    ok = option_active & ~np.isnan(s).any(axis=1)
    if n * n * m <= DIRECT_MAX:  # small: every pair on every criterion at once is cheapest
        ge = (s[:, None, :] >= s[None, :, :]).all(axis=2)
        gt = (s[:, None, :] > s[None, :, :]).any(axis=2)
        return ge & gt & ok[:, None] & ok[None, :]
    out = np.zeros((n, n), dtype=bool)
    # Screen every pair on a few criteria, then check the survivors on all: options that differ fail
    # the screen almost always, so this is ~16 n^2 rather than n^2 m. Blocks keep memory ~16 MB.
    screen = s[:, :16]
    block = max(1, 2**24 // max(1, n * screen.shape[1]))
    for lo in range(0, n, block):
        a, b = np.nonzero((screen[lo:lo + block, None, :] >= screen[None, :, :]).all(axis=2))
        a += lo
        step = max(1, 2**24 // max(1, m))
        for k in range(0, len(a), step):
            x, y = s[a[k:k + step]], s[b[k:k + step]]
            out[a[k:k + step], b[k:k + step]] = (x >= y).all(axis=1) & (x > y).any(axis=1)
    return out & ok[:, None] & ok[None, :]


def constant_criteria(scores: np.ndarray, option_active: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """Active criteria on which every active option scores the same: their weight changes no ranking."""
    s = scores[option_active]
    if s.shape[0] == 0:
        return np.zeros(scores.shape[1], dtype=bool)
    same = np.all(s == s[:1], axis=0)
    return same & criterion_active


def gaps_to_leader(values: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """How far each ranked option is behind the best (0 for the leader); NaN where unranked."""
    ranked = ranks > 0
    if not ranked.any():
        return np.full(values.shape, np.nan)
    best = values[ranked].max()
    return np.where(ranked, best - values, np.nan)


@dataclass(frozen=True, eq=False)
class Evaluation:
    shares: np.ndarray
    unweighted: np.ndarray
    weighted: np.ndarray
    percent: np.ndarray
    rank_unweighted: np.ndarray  # 0 = not ranked (excluded or incomplete)
    rank_weighted: np.ndarray
    dominates: np.ndarray  # (n, n) bool
    option_ids: tuple[str, ...] = ()  # labels of the rows above, from the problem

    @property
    def gap_weighted(self) -> np.ndarray:
        return gaps_to_leader(self.weighted, self.rank_weighted)

    @property
    def gap_unweighted(self) -> np.ndarray:
        return gaps_to_leader(self.unweighted, self.rank_unweighted)

    @property
    def leader(self) -> int | None:
        """Index of the sole weighted leader, or None on a tie for first."""
        first = np.flatnonzero(self.rank_weighted == 1)
        return int(first[0]) if len(first) == 1 else None

    # --- the same, labelled with option ids ---------------------------------------------------
    @property
    def options(self) -> tuple[str, ...]:
        return self.option_ids or tuple(str(i) for i in range(len(self.weighted)))

    @property
    def leader_id(self) -> str | None:
        return None if self.leader is None else self.options[self.leader]

    def ranking(self, *, weighted: bool = True) -> list[str]:
        """Ids of the ranked options, best first (ties in the order listed)."""
        ranks = self.rank_weighted if weighted else self.rank_unweighted
        return [self.options[i] for _, i in sorted((int(r), i) for i, r in enumerate(ranks) if r > 0)]

    def by_option(self, values: np.ndarray, *, ranked_only: bool = False) -> dict[str, float]:
        """{option id: value}, optionally only for options with a weighted rank."""
        return {oid: float(values[i]) for i, oid in enumerate(self.options) if not ranked_only or self.rank_weighted[i] > 0}

    def dominated_by(self) -> dict[str, list[str]]:
        """{dominated option id: ids of the options that dominate it}, in the order listed."""
        ids = self.options
        return {ids[b]: [ids[x] for x in np.flatnonzero(self.dominates[:, b])] for b in range(len(ids)) if self.dominates[:, b].any()}


def evaluate(p: Problem) -> Evaluation:
    weighted = weighted_totals(p.scores, p.weights, p.criterion_active)
    unweighted = unweighted_totals(p.scores, p.criterion_active)
    return Evaluation(
        shares=shares(p.weights, p.criterion_active),
        unweighted=unweighted,
        weighted=weighted,
        percent=weighted_percent(weighted, p.weights, p.criterion_active, p.scale_max),
        rank_unweighted=competition_ranks(unweighted, p.option_active),
        rank_weighted=competition_ranks(weighted, p.option_active),
        dominates=dominance(p.scores, p.option_active, p.criterion_active),
        option_ids=p.option_ids,
    )
