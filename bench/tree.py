"""Value-tree benchmarks: a 3-level tree of 200 criteria (half measured through value functions) evaluated
from arrays: derived scores, effective weights, totals, ranks, dominance and group subtotals."""

from __future__ import annotations

import numpy as np

from appraisal.engine.core import evaluate
from appraisal.engine.problem import Problem
from appraisal.engine.tree import Tree, effective_weights, group_totals
from appraisal.engine.value import curve, derive_scores

from .harness import Result, median_time


def synthetic_tree(n: int = 20, seed: int = 0):
    """4 themes x 5 sub-themes x 2 sub-sub-themes = 40 leaf groups of 5 criteria: 200 criteria, 3 levels."""
    rng = np.random.default_rng(seed)
    parent = [-1] * 4 + [t for t in range(4) for _ in range(5)] + [4 + s for s in range(20) for _ in range(2)]
    leaves = range(24, 64)
    group_of = np.array([g for g in leaves for _ in range(5)])
    m = len(group_of)
    tree = Tree(np.array(parent), group_of, rng.uniform(1, 10, len(parent)))
    scores = rng.integers(2, 11, (n, m)) / 2
    measures = rng.uniform(0, 100, (n, m))
    curves = {j: curve([(0.0, 1.0), (30.0, 3.5), (70.0, 4.5), (100.0, 5.0)]) for j in range(0, m, 2)}
    return tree, scores, measures, curves, rng.uniform(1, 10, m)


def evaluate_tree(tree, scores, measures, curves, weights) -> tuple:
    active = np.ones(len(weights), dtype=bool)
    s = derive_scores(measures, curves, scores)
    w = effective_weights(tree, weights, active)
    p = Problem(s, w, np.ones(s.shape[0], dtype=bool), active, 1.0, 5.0)
    return evaluate(p), group_totals(tree, s, w, active)


def run() -> list[Result]:
    args = synthetic_tree()
    ev, totals = evaluate_tree(*args)
    assert totals.shape == (20, 64) and np.allclose(totals[:, :4].sum(axis=1), ev.weighted)
    t = median_time(lambda: evaluate_tree(*args), repeat=30, inner=5)
    return [Result("value tree: 3 levels, 200 criteria (100 measured), 20 options", t, "< 5 ms", t < 5e-3)]
