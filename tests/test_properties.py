"""Properties of the engine that hold for any appraisal (hypothesis), and brute-force cross-checks."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.engine import competition_ranks, evaluate
from appraisal.engine.problem import Problem


@st.composite
def problems(draw, min_options=2, max_options=7, max_criteria=8):
    n = draw(st.integers(min_options, max_options))
    m = draw(st.integers(1, max_criteria))
    scores = draw(arrays(float, (n, m), elements=st.integers(2, 10).map(lambda k: k / 2)))  # 1..5 in halves
    weights = draw(arrays(float, (m,), elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.25, 10.0])))
    assume(weights.sum() > 0)
    return Problem(scores, weights, np.ones(n, bool), np.ones(m, bool), 1.0, 5.0)


def with_(p: Problem, **kw) -> Problem:
    return Problem(**{**p.__dict__, **kw})


def brute_ranks(values, active):
    out = []
    for i, v in enumerate(values):
        if not active[i]:
            out.append(0)
            continue
        out.append(1 + sum(1 for j, u in enumerate(values) if active[j] and u > v + 1e-9))
    return out


@given(problems(), st.sampled_from([0.001, 0.37, 3.0, 1e6]))
def test_scaling_all_weights_changes_no_rank(p, c):
    a, b = evaluate(p), evaluate(with_(p, weights=p.weights * c))
    assert (a.rank_weighted == b.rank_weighted).all()
    assert np.allclose(a.shares, b.shares)
    assert np.allclose(a.percent, b.percent)


@given(problems(), st.randoms())
def test_permuting_options_permutes_results(p, rnd):
    perm = np.array(rnd.sample(range(p.shape[0]), p.shape[0]))
    a, b = evaluate(p), evaluate(with_(p, scores=p.scores[perm]))
    assert (a.rank_weighted[perm] == b.rank_weighted).all()
    assert np.allclose(a.weighted[perm], b.weighted)
    assert (a.dominates[np.ix_(perm, perm)] == b.dominates).all()


@given(problems(), st.data())
def test_adding_a_constant_on_one_criterion_changes_no_rank(p, data):
    j = data.draw(st.integers(0, p.shape[1] - 1))
    c = data.draw(st.sampled_from([-0.5, 0.5, 1.0, 2.5]))
    shifted = p.scores.copy()
    shifted[:, j] += c
    a, b = evaluate(p), evaluate(with_(p, scores=shifted))
    assert (a.rank_weighted == b.rank_weighted).all()
    assert (a.rank_unweighted == b.rank_unweighted).all()


@given(problems())
def test_a_dominated_option_never_outranks_its_dominator(p):
    ev = evaluate(p)
    for a, b in zip(*np.nonzero(ev.dominates)):
        assert ev.rank_weighted[a] <= ev.rank_weighted[b]
        assert ev.rank_unweighted[a] < ev.rank_unweighted[b]


@given(problems(min_options=3), st.data())
def test_excluding_an_option_never_changes_the_others_order(p, data):
    k = data.draw(st.integers(0, p.shape[0] - 1))
    active = np.ones(p.shape[0], bool)
    active[k] = False
    a, b = evaluate(p), evaluate(with_(p, option_active=active))
    others = [i for i in range(p.shape[0]) if i != k]
    for i in others:
        for j in others:
            assert (a.rank_weighted[i] < a.rank_weighted[j]) == (b.rank_weighted[i] < b.rank_weighted[j])
    assert b.rank_weighted[k] == 0
    assert b.weighted[k] == a.weighted[k], "an excluded option keeps its total"


@given(problems())
def test_engine_matches_brute_force(p):
    ev = evaluate(p)
    n, m = p.shape
    for i in range(n):
        assert ev.weighted[i] == sum(p.weights[j] * p.scores[i, j] for j in range(m))
        assert ev.unweighted[i] == sum(p.scores[i, j] for j in range(m))
    assert ev.rank_weighted.tolist() == brute_ranks(ev.weighted.tolist(), [True] * n)
    for a in range(n):
        for b in range(n):
            ge = all(p.scores[a, j] >= p.scores[b, j] for j in range(m))
            gt = any(p.scores[a, j] > p.scores[b, j] for j in range(m))
            assert ev.dominates[a, b] == (ge and gt)


@given(problems(), st.data())
def test_switching_a_criterion_off_is_the_same_as_dropping_it(p, data):
    assume(p.shape[1] > 1)
    j = data.draw(st.integers(0, p.shape[1] - 1))
    keep = np.arange(p.shape[1]) != j
    assume(p.weights[keep].sum() > 0)
    off = evaluate(with_(p, criterion_active=keep))
    dropped = evaluate(with_(p, scores=p.scores[:, keep], weights=p.weights[keep], criterion_active=np.ones(keep.sum(), bool)))
    assert np.allclose(off.weighted, dropped.weighted)
    assert (off.rank_weighted == dropped.rank_weighted).all()
    assert (off.dominates == dropped.dominates).all()


@settings(max_examples=50)
@given(arrays(float, st.integers(1, 12), elements=st.integers(0, 6).map(float)))
def test_competition_ranks_match_brute_force(values):
    active = np.ones(len(values), bool)
    assert competition_ranks(values, active).tolist() == brute_ranks(values.tolist(), active.tolist())


def test_missing_scores_leave_an_option_unranked():
    scores = np.array([[3.0, np.nan], [2.0, 2.0], [4.0, 4.0]])
    p = Problem(scores, np.array([1.0, 1.0]), np.ones(3, bool), np.ones(2, bool), 1.0, 5.0)
    ev = evaluate(p)
    assert np.isnan(ev.weighted[0])
    assert ev.rank_weighted.tolist() == [0, 2, 1]
    assert not ev.dominates[:, 0].any() and not ev.dominates[0].any()
