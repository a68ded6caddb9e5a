"""SMAA-2: ties shared, results independent of the number of threads, checked against a per-sample oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.engine.problem import Problem
from appraisal.engine.smaa import first_credit, rank_credit, rank_order, smaa

from .test_properties import problems, with_


def naive_credits(values: np.ndarray, weights: np.ndarray, tol: float = 1e-9):
    """Sample by sample in plain Python: tie groups by chaining sorted values; g tied options over
    ranks r..r+g-1 each get 1/g of each of those ranks, and 1/g of the weights when tied for first."""
    k, n = values.shape
    ranks = np.zeros((n, n))
    central = np.zeros((n, weights.shape[1]))
    for t in range(k):
        order = sorted(range(n), key=lambda i: -values[t, i])
        groups, current = [], [order[0]]
        for a, b in zip(order, order[1:]):
            if values[t, a] - values[t, b] <= tol:
                current.append(b)
            else:
                groups.append(current)
                current = [b]
        groups.append(current)
        r = 0
        for g in groups:
            for i in g:
                ranks[i, r:r + len(g)] += 1 / len(g)
            r += len(g)
        for i in groups[0]:
            central[i] += weights[t] / len(groups[0])
    return ranks, central


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(1, 40), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_credits_match_the_per_sample_oracle(n, k, m, seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 3, (k, n)).astype(float)  # few levels: plenty of ties
    values[rng.random((k, n)) < 0.3] += 1e-12  # near-ties within the tolerance
    w = rng.random((m, k))
    order, close = rank_order(values, 1e-9)
    want_ranks, want_central = naive_credits(values, w.T)
    assert rank_credit(order, close) == pytest.approx(want_ranks, abs=1e-12)
    assert first_credit(order, close, w) == pytest.approx(want_central, abs=1e-12)


def test_many_options_sum_central_weights_by_sorting():
    # Above SMALL_N options the central weights take the sort-and-reduce path: same answer.
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, (300, 12)).astype(float)
    w = rng.random((3, 300))
    order, close = rank_order(values, 1e-9)
    want_ranks, want_central = naive_credits(values, w.T)
    assert rank_credit(order, close) == pytest.approx(want_ranks, abs=1e-12)
    assert first_credit(order, close, w) == pytest.approx(want_central, abs=1e-12)


def test_smaa_matches_the_oracle_on_its_own_draws():
    # Redraw the weights exactly as documented (chunk c: SeedSequence(seed, spawn_key=(0, c)), normalised
    # exponentials as columns) and count sample by sample.
    scores = np.array([[3.0, 4.0, 1.0], [3.0, 4.0, 1.0], [1.0, 2.0, 5.0], [2.0, 2.0, 2.0]])
    p = Problem(scores, np.ones(3), np.ones(4, bool), np.ones(3, bool), 1, 5)
    r = smaa(p, 250, seed=9, chunk=100)
    draws = []
    for c, k in enumerate((100, 100, 50)):
        w = np.random.default_rng(np.random.SeedSequence(9, spawn_key=(0, c))).standard_exponential((3, k))
        draws.append((w / w.sum(axis=0)).T)
    w = np.vstack(draws)
    ranks, central = naive_credits(w @ scores.T, w)
    assert r.rank_acceptability == pytest.approx(ranks / 250, abs=1e-12)
    firsts = ranks[:, 0]
    assert r.central_weights[firsts > 0] == pytest.approx(central[firsts > 0] / firsts[firsts > 0, None], abs=1e-12)


def test_identical_options_share_first_place():
    # Two identical options: today's rule gives each half of rank 1 and half of rank 2.
    scores = np.array([[4.0, 4.0], [4.0, 4.0], [1.0, 1.0]])
    p = Problem(scores, np.ones(2), np.ones(3, bool), np.ones(2, bool), 1, 5)
    r = smaa(p, 3000, seed=1)
    assert r.rank_acceptability == pytest.approx(np.array([[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]]))
    assert np.array_equal(r.central_weights[0], r.central_weights[1])
    assert r.central_weights[0] == pytest.approx([0.5, 0.5], abs=0.02)
    assert list(r.confidence) == [0.5, 0.5, 0.0]


def test_all_scores_equal_every_option_gets_every_rank_equally():
    p = Problem(np.full((4, 3), 3.0), np.array([1.0, 2.0, 3.0]), np.ones(4, bool), np.ones(3, bool), 1, 5)
    r = smaa(p, 2000, seed=2)
    assert r.rank_acceptability == pytest.approx(np.full((4, 4), 0.25))
    assert r.central_weights == pytest.approx(np.tile(r.central_weights[0], (4, 1)))
    assert r.confidence == pytest.approx([0.25] * 4)


def test_a_single_criterion_ties_equal_scores_only():
    p = Problem(np.array([[2.0], [5.0], [2.0], [4.0]]), np.ones(1), np.ones(4, bool), np.ones(1, bool), 1, 5)
    r = smaa(p, 500, seed=0)
    want = np.array([[0, 0, 0.5, 0.5], [1, 0, 0, 0], [0, 0, 0.5, 0.5], [0, 1, 0, 0]])
    assert r.rank_acceptability == pytest.approx(want)
    assert list(r.confidence) == [0.0, 1.0, 0.0, 0.0]


@settings(max_examples=40, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=4), st.data())
def test_identical_options_get_identical_results(p, data):
    i = data.draw(st.integers(0, p.shape[0] - 1))
    scores = np.vstack([p.scores, p.scores[i]])
    q = with_(p, scores=scores, option_active=np.ones(len(scores), bool))
    perturb = data.draw(st.sampled_from([None, 0.0, 0.3]))
    r = smaa(q, 600, seed=data.draw(st.integers(0, 99)), perturb=perturb)
    a, b = r.rank_acceptability[i], r.rank_acceptability[-1]
    assert np.array_equal(a, b)
    assert np.allclose(r.central_weights[i], r.central_weights[-1], equal_nan=True, atol=1e-12)
    assert r.confidence[i] == r.confidence[-1]
    assert np.allclose(r.rank_acceptability.sum(axis=0), 1) and np.allclose(r.rank_acceptability.sum(axis=1), 1)


@settings(max_examples=40, deadline=None)
@given(problems(min_options=2, max_options=6, max_criteria=4), st.randoms(), st.sampled_from([None, 0.0, 0.25]))
def test_permuting_options_permutes_smaa(p, rnd, perturb):
    perm = np.array(rnd.sample(range(p.shape[0]), p.shape[0]))
    a = smaa(p, 500, seed=4, perturb=perturb)
    b = smaa(with_(p, scores=p.scores[perm]), 500, seed=4, perturb=perturb)
    assert np.allclose(a.rank_acceptability[perm], b.rank_acceptability, atol=1e-12)
    assert np.allclose(a.central_weights[perm], b.central_weights, equal_nan=True, atol=1e-12)
    assert np.allclose(a.confidence[perm], b.confidence, atol=1e-12)


@pytest.mark.parametrize("kw", [{}, {"perturb": 0.2}, {"score_uncertainty": 0.7}])
def test_the_number_of_threads_changes_nothing(bham, kw):
    from appraisal.engine import problem_from

    p = problem_from(bham)
    runs = [smaa(p, 7_300, seed=12, chunk=1000, workers=w, **kw) for w in (1, 2, 3, 8)]
    for r in runs[1:]:
        assert np.array_equal(r.rank_acceptability, runs[0].rank_acceptability)
        assert np.array_equal(r.central_weights, runs[0].central_weights, equal_nan=True)
        assert np.array_equal(r.confidence, runs[0].confidence)


def test_room_bounds_and_sampler_are_thread_independent_too():
    rng = np.random.default_rng(0)
    s = rng.integers(2, 11, (6, 5)) / 2
    p = Problem(s, np.ones(5), np.ones(6, bool), np.ones(5, bool), 1, 5)

    def sampler(g: np.random.Generator, k: int) -> np.ndarray:
        x = g.standard_gamma(np.arange(1.0, 6.0), size=(k, 5))
        return x / x.sum(axis=1, keepdims=True)

    lo, hi = np.clip(s - 1, 1, 5), np.clip(s + 1, 1, 5)
    one, two = (smaa(p, 4_100, seed=5, chunk=500, workers=w, weight_sampler=sampler, score_low=lo, score_high=hi) for w in (1, 2))
    assert np.array_equal(one.rank_acceptability, two.rank_acceptability)
    assert np.array_equal(one.central_weights, two.central_weights, equal_nan=True)


def test_progress_is_reported_in_order():
    p = Problem(np.array([[1.0, 2.0], [2.0, 1.0]]), np.ones(2), np.ones(2, bool), np.ones(2, bool), 1, 5)
    seen: list[int] = []
    smaa(p, 2_500, chunk=1000, workers=2, on_chunk=seen.append)
    assert seen == [1000, 2000, 2500]


@pytest.mark.slow
def test_big_problems_use_smaller_chunks_so_memory_stays_bounded():
    import tracemalloc

    rng = np.random.default_rng(1)
    p = Problem(rng.integers(2, 11, (200, 300)) / 2, np.ones(300), np.ones(200, bool), np.ones(300, bool), 1, 5)
    tracemalloc.start()
    smaa(p, 20_000, seed=0, workers=1)
    smaa(p, 300, seed=0, workers=1, score_uncertainty=0.5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200 * 2**20


def test_many_options_through_blas_are_thread_independent_too():
    rng = np.random.default_rng(2)
    p = Problem(rng.integers(2, 11, (40, 60)) / 2, rng.integers(1, 6, 60).astype(float), np.ones(40, bool), np.ones(60, bool), 1, 5)
    one, two = (smaa(p, 3_000, seed=3, chunk=400, workers=w) for w in (1, 2))
    assert np.array_equal(one.rank_acceptability, two.rank_acceptability)
    assert np.array_equal(one.central_weights, two.central_weights, equal_nan=True)
    assert np.allclose(one.rank_acceptability.sum(axis=0), 1) and np.allclose(one.rank_acceptability.sum(axis=1), 1)
