"""Value for money: the efficient frontier of value against cost, and value per unit of cost.

An option is on the frontier when no other option has at least its value for at most its cost, one of
the two strictly. Values within TIE_RTOL (relative to the largest) are equal, as in the rankings.
"""

from __future__ import annotations

import numpy as np

from .core import TIE_RTOL


def _eligible(values: np.ndarray, costs: np.ndarray, active: np.ndarray) -> np.ndarray:
    return active & np.isfinite(values) & np.isfinite(costs)


def dominated_for_money(values: np.ndarray, costs: np.ndarray, active: np.ndarray) -> np.ndarray:
    """D[a, b] True when a gives at least b's value for at most b's cost, one strictly (both eligible:
    in play, with a value and a cost)."""
    ok = _eligible(values, costs, active)
    v = np.where(ok, values, 0.0)
    c = np.where(ok, costs, 0.0)
    vtol = TIE_RTOL * max(1.0, float(np.abs(v).max(initial=0.0)))
    ctol = TIE_RTOL * max(1.0, float(np.abs(c).max(initial=0.0)))
    v_ge = v[:, None] >= v[None, :] - vtol
    v_gt = v[:, None] > v[None, :] + vtol
    c_le = c[:, None] <= c[None, :] + ctol
    c_lt = c[:, None] < c[None, :] - ctol
    return v_ge & c_le & (v_gt | c_lt) & ok[:, None] & ok[None, :]


def efficient_frontier(values: np.ndarray, costs: np.ndarray, active: np.ndarray) -> list[int]:
    """Indices of the options on the frontier, cheapest first (then the higher value, then as listed)."""
    ok = _eligible(values, costs, active)
    on = ok & ~dominated_for_money(values, costs, active).any(axis=0)
    return sorted(map(int, np.flatnonzero(on)), key=lambda i: (costs[i], -values[i], i))


def value_per_cost(values: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Value per unit of cost; NaN where there is no cost, no value, or the cost is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(costs) & (costs > 0), values / costs, np.nan)
