"""Potential optimality as it was before pruning (commit d511ba0): one HiGHS LP per option. The oracle
for the pruned version: same verdict for every option."""

from __future__ import annotations

import numpy as np

from appraisal.engine.optimality import EPS, Optimality
from appraisal.engine.problem import Problem


def potential_optimality(p: Problem) -> list[Optimality]:
    from scipy.optimize import linprog  # imported here: only this analysis needs scipy

    opts = np.flatnonzero(p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1))
    crit = np.flatnonzero(p.criterion_active)
    s = p.scores[np.ix_(opts, crit)]
    n, m = s.shape
    out = []
    for a, i in enumerate(opts):
        rivals = [b for b in range(n) if b != a]
        if not rivals:
            w = np.zeros(p.scores.shape[1])
            w[crit] = 1 / m
            out.append(Optimality(int(i), True, np.inf, w))
            continue
        # Variables x = (w_1..w_m, e); minimise -e.
        c = np.zeros(m + 1)
        c[-1] = -1.0
        a_ub = np.hstack([-(s[a] - s[rivals]), np.ones((len(rivals), 1))])  # e - D w <= 0
        b_ub = np.zeros(len(rivals))
        a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
        bounds = [(0, None)] * m + [(None, None)]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
        margin = float(-res.fun)
        ok = margin > EPS
        w = None
        if ok:
            w = np.zeros(p.scores.shape[1])
            w[crit] = np.clip(res.x[:m], 0, None)
            w /= w.sum()
        out.append(Optimality(int(i), ok, margin, w))
    return out
