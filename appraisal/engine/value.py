"""Value functions on arrays: measures in natural units -> scores on the scale, and back (the measure at
which a score is reached, for switching values in natural units).

A value function is a curve of (measure, score) points in increasing measure, linear between points
and clamped at the ends; a linear {worst, best} function is the two-point curve (worst, scale min),
(best, scale max). Curves are monotone: non-decreasing when more is better, non-increasing when less is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Appraisal


@dataclass(frozen=True, eq=False)
class Curve:
    xs: np.ndarray  # measures, increasing
    ys: np.ndarray  # scores

    @property
    def increasing(self) -> bool:
        return bool(self.ys[-1] > self.ys[0])

    def scores(self, measures: np.ndarray) -> np.ndarray:
        """Scores of many measures at once (NaN stays NaN)."""
        return np.interp(measures, self.xs, self.ys)


def curve(points: list[tuple[float, float]]) -> Curve:
    xs, ys = zip(*points)
    return Curve(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))


def curves_of(a: Appraisal) -> dict[int, Curve]:
    """The value function of every measured criterion, by criterion position."""
    return {j: curve(c.value.curve(a.scale)) for j, c in enumerate(a.criteria) if c.value is not None}


def measures_of(a: Appraisal) -> np.ndarray:
    """(n, m) every cell's measure; NaN where the cell is scored on the scale or missing."""
    measures = a.measure_matrix
    return np.full((len(a.options), len(a.criteria)), np.nan) if measures is None else np.array(measures, dtype=float)


def derive_scores(measures: np.ndarray, curves: dict[int, Curve], scores: np.ndarray | None = None) -> np.ndarray:
    """Scores (n, m) with every measured column derived from `measures` (n, m); the other columns from
    `scores` (or NaN). Curves with the same number of points are done together, with numpy.interp's
    arithmetic (so the result is the same to the bit)."""
    out = np.array(scores, dtype=float, copy=True) if scores is not None else np.full(measures.shape, np.nan)
    by_size: dict[int, list[int]] = {}
    for j, c in curves.items():
        by_size.setdefault(len(c.xs), []).append(j)
    for size, cols in by_size.items():
        xs = np.array([curves[j].xs for j in cols])  # (c, K)
        ys = np.array([curves[j].ys for j in cols])
        x = measures[:, cols]  # (n, c)
        k = (x[:, :, None] >= xs[None, :, :]).sum(axis=2) - 1  # segment: xs[k] <= x < xs[k + 1]
        k = np.clip(k, 0, size - 2)
        col = np.arange(len(cols))[None, :]
        x0, x1, y0, y1 = xs[col, k], xs[col, k + 1], ys[col, k], ys[col, k + 1]
        value = (y1 - y0) / (x1 - x0) * (x - x0) + y0
        value = np.where(x <= xs[:, 0], ys[:, 0], np.where(x >= xs[:, -1], ys[:, -1], value))
        out[:, cols] = np.where(np.isnan(x), np.nan, value)
    return out


def measure_at(c: Curve, target: float, rising: bool) -> float | None:
    """The threshold measure for a score to pass `target`; None when there is no boundary (no measure
    gets the score past the target, or every measure does).

    rising: the score must rise above `target`; else fall below it. The answer m* is the boundary: the
    score passes the target exactly on the far side of m* (measures above m* when the curve increases
    and the score must rise, or it decreases and the score must fall; below m* otherwise). Flat stretches
    of the curve at the target are kept on the near side: on them the score only ties.
    """
    # Work on a non-decreasing curve: flip the measure axis of a decreasing one.
    xs, ys = (c.xs, c.ys) if c.increasing else (-c.xs[::-1], c.ys[::-1])
    if rising:
        # sup{x : v(x) <= target}; v > target beyond it. None when v never exceeds the target.
        if target >= ys[-1] or target < ys[0]:
            return None
        k = int(np.flatnonzero(ys <= target)[-1])
        x = xs[k] + (target - ys[k]) * (xs[k + 1] - xs[k]) / (ys[k + 1] - ys[k])
    else:
        # inf{x : v(x) >= target}; v < target below it. None when v never falls below the target.
        if target <= ys[0] or target > ys[-1]:
            return None
        k = int(np.flatnonzero(ys >= target)[0])
        x = xs[k - 1] + (target - ys[k - 1]) * (xs[k] - xs[k - 1]) / (ys[k] - ys[k - 1])
    x = float(x)
    return x if c.increasing else (-x if x != 0 else 0.0)


def measure_for(c: Curve, score: float) -> float | None:
    """A measure that scores exactly `score` (on a flat stretch, one of many), or None off the curve."""
    if not min(c.ys[0], c.ys[-1]) - 1e-12 <= score <= max(c.ys[0], c.ys[-1]) + 1e-12:
        return None
    xs, ys = (c.xs, c.ys) if c.increasing else (c.xs[::-1], c.ys[::-1])
    return float(np.interp(score, ys, xs))


def passes_above(c: Curve, rising: bool) -> bool:
    """True when the measure must go above the threshold for the score to pass it (see measure_at)."""
    return rising == c.increasing


__all__ = ["Curve", "curve", "curves_of", "derive_scores", "measures_of", "measure_at", "measure_for", "passes_above"]
