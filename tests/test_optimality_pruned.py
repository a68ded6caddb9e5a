"""Potential optimality settles most options without an LP: the verdicts must be the all-LP version's,
and every witness must really make its option lead alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from appraisal.engine.optimality import candidate_witnesses, matched_or_beaten, potential_optimality
from appraisal.engine.problem import Problem

from .oracles import optimality_lp
from .test_oneway_fast import appraisals


def check_against_the_lp(p: Problem) -> None:
    new, old = potential_optimality(p), optimality_lp.potential_optimality(p)
    assert [o.option for o in new] == [o.option for o in old]
    in_play = np.array([o.option for o in new], dtype=int)
    for o, lp in zip(new, old):
        assert o.potentially_optimal == lp.potentially_optimal, (o.option, o.margin, lp.margin)
        if o.potentially_optimal:
            w = o.weights
            assert (w >= 0).all() and w.sum() == pytest.approx(1) and (w[~p.criterion_active] == 0).all()
            values = p.scores[in_play][:, p.criterion_active] @ w[p.criterion_active]
            mine = values[list(in_play).index(o.option)]
            rivals = np.delete(values, list(in_play).index(o.option))
            assert (mine > rivals + 1e-9).all()
            assert o.margin <= lp.margin + 1e-6  # a witness's lead never beats the best possible
        else:
            assert o.weights is None


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(appraisals(max_options=8, max_criteria=5))
def test_verdicts_are_the_lps(p):
    check_against_the_lp(p)


@pytest.mark.parametrize("seed", range(4))
def test_bigger_random_appraisals_agree(seed):
    rng = np.random.default_rng(seed)
    n, m = (25, 6) if seed % 2 else (12, 30)
    p = Problem(rng.integers(2, 11, (n, m)) / 2, rng.integers(0, 6, m).astype(float) + 0.5, np.ones(n, bool), np.ones(m, bool), 1.0, 5.0)
    check_against_the_lp(p)


def test_a_matched_option_is_settled_without_an_lp():
    s = np.array([[3.0, 4.0], [3.0, 4.0], [5.0, 1.0], [2.0, 2.0]])
    assert list(matched_or_beaten(s)) == [True, True, False, True]


def test_the_column_best_is_a_witness():
    # Option 2 alone scores the best on criterion 1: all the weight there makes it lead by 1.
    s = np.array([[5.0, 1.0, 3.0], [1.0, 4.0, 3.0], [2.0, 5.0, 1.0]])
    witness, lead = candidate_witnesses(s, np.full(3, 1 / 3))
    assert list(witness[2]) == [0.0, 1.0, 0.0] and lead[2] == pytest.approx(1.0)


@pytest.mark.slow
def test_the_lp_still_settles_what_pruning_cannot(monkeypatch):
    # C lies on the segment between A and B: no option covers it and no candidate makes it lead, so
    # only the LP can say no; over many small random appraisals the LP is needed now and then too.
    from appraisal.engine import optimality

    solved = []
    real = optimality.solve_lp
    monkeypatch.setattr(optimality, "solve_lp", lambda s, a: solved.append(a) or real(s, a))
    p = Problem(np.array([[5.0, 1.0], [1.0, 5.0], [3.0, 3.0]]), np.ones(2), np.ones(3, bool), np.ones(2, bool), 1, 5)
    assert [o.potentially_optimal for o in potential_optimality(p)] == [True, True, False]
    assert solved == [2]
    rng = np.random.default_rng(0)
    for _ in range(150):
        n, m = rng.integers(3, 7), rng.integers(2, 5)
        check_against_the_lp(Problem(rng.integers(2, 11, (n, m)) / 2, rng.integers(1, 4, m).astype(float), np.ones(n, bool), np.ones(m, bool), 1, 5))
    assert len(solved) > 5
