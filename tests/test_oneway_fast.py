"""The one-way sweep (leaders from the upper envelope, rankings walked out from the current share) gives
exactly what the dense version gave: every crossover, interval and line, on random appraisals."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.engine import oneway
from appraisal.engine.oneway import _context, one_way, one_way_all
from appraisal.engine.problem import Problem

from .oracles import oneway_dense


@st.composite
def appraisals(draw, max_options=9, max_criteria=6):
    """Half-point scores (plenty of exact ties and shared crossing points), some options excluded or
    missing a score, some criteria switched off, weights that may put all the weight on one criterion."""
    n = draw(st.integers(1, max_options))
    m = draw(st.integers(1, max_criteria))
    levels = draw(st.sampled_from([st.integers(2, 10), st.integers(2, 4), st.just(6)]))  # few levels: more ties
    scores = draw(arrays(float, (n, m), elements=levels.map(lambda k: k / 2)))
    if draw(st.booleans()):  # an option identical to another
        scores[draw(st.integers(0, n - 1))] = scores[draw(st.integers(0, n - 1))]
    if draw(st.booleans()):  # a constant criterion
        scores[:, draw(st.integers(0, m - 1))] = draw(st.integers(2, 10)) / 2
    if draw(st.booleans()):
        scores[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = np.nan
    weights = draw(arrays(float, (m,), elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.25])))
    criterion_active = draw(arrays(bool, (m,), elements=st.booleans()))
    if not criterion_active.any():
        criterion_active[draw(st.integers(0, m - 1))] = True
    if weights[criterion_active].sum() == 0:
        weights[np.flatnonzero(criterion_active)[0]] = 1.0
    option_active = draw(arrays(bool, (n,), elements=st.sampled_from([True, True, True, False])))
    return Problem(scores, weights, option_active, criterion_active, 1.0, 5.0)


# Which of the three ways `one_way` takes: every line on every segment (few options), the envelope
# alone (nothing degenerate), or the envelope with every crossing listed (the fallback).
WAYS = {
    "as shipped": {},
    "envelope or fallback": {"DENSE_MAX": 0},
    "fallback only": {"DENSE_MAX": 0, "clean_one_way": lambda a, b, t0: None},
}


@contextmanager
def way(name: str):
    with ExitStack() as stack:
        for attr, value in WAYS[name].items():
            stack.enter_context(patch.object(oneway, attr, value))
        yield


def assert_same(new, old):
    assert new.criterion == old.criterion and new.share == old.share
    assert new.crossovers == old.crossovers
    assert new.leader_interval == old.leader_interval
    assert new.ranking_interval == old.ranking_interval
    assert np.array_equal(new.intercepts, old.intercepts, equal_nan=True)
    assert np.array_equal(new.slopes, old.slopes, equal_nan=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", WAYS)
@settings(max_examples=300, deadline=None)
@given(p=appraisals())
def test_every_way_equals_the_dense_version(name, p):
    ctx = _context(p)
    with way(name):
        for k in np.flatnonzero(p.criterion_active):
            assert_same(one_way(p, int(k), ctx), oneway_dense.one_way(p, int(k)))


@pytest.mark.parametrize("name", WAYS)
@settings(max_examples=60, deadline=None)
@given(p=appraisals(max_options=40, max_criteria=4))
def test_every_way_equals_the_dense_version_with_many_options(name, p):
    with way(name):
        for k in np.flatnonzero(p.criterion_active):
            assert_same(one_way(p, int(k)), oneway_dense.one_way(p, int(k)))


@pytest.mark.parametrize("name", WAYS)
@pytest.mark.parametrize("seed", range(3))
def test_random_real_valued_appraisals_agree(name, seed):
    # Continuous scores: crossings everywhere, no exact ties.
    rng = np.random.default_rng(seed)
    p = Problem(rng.uniform(1, 5, (60, 8)), rng.uniform(0, 3, 8), np.ones(60, bool), np.ones(8, bool), 1.0, 5.0)
    with way(name):
        for ow in one_way_all(p):
            assert_same(ow, oneway_dense.one_way(p, ow.criterion))


def test_the_envelope_answers_most_of_a_big_random_appraisal():
    # The fast path must actually be taken, not just be right when it is.
    from appraisal.engine.envelope import clean_one_way

    rng = np.random.default_rng(5)
    p = Problem(rng.integers(2, 11, (80, 30)) / 2, rng.integers(1, 6, 30).astype(float), np.ones(80, bool), np.ones(30, bool), 1.0, 5.0)
    ctx = _context(p)
    taken = sum(clean_one_way(*(x[ctx.options] for x in oneway.lines(p, k, ctx)), float(ctx.shares[k])) is not None for k in range(30))
    assert taken >= 20
    for ow in one_way_all(p):
        assert_same(ow, oneway_dense.one_way(p, ow.criterion))


def test_all_weight_on_one_criterion_agrees():
    p = Problem(np.array([[5.0, 1.0, 1.0], [1.0, 5.0, 5.0], [3.0, 3.0, 3.0]]), np.array([1.0, 0.0, 0.0]),
                np.ones(3, bool), np.ones(3, bool), 1, 5)
    for k in range(3):
        assert_same(one_way(p, k), oneway_dense.one_way(p, k))


def test_no_option_in_play():
    p = Problem(np.array([[5.0, 1.0], [1.0, 5.0]]), np.ones(2), np.zeros(2, bool), np.ones(2, bool), 1, 5)
    ow = one_way(p, 0)
    assert_same(ow, oneway_dense.one_way(p, 0))
    assert ow.crossovers == () and ow.leader_interval == (0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(appraisals(max_options=12, max_criteria=8))
def test_all_criteria_at_once_equal_each_on_its_own(p):
    # Few options: one_way_all judges every criterion in one batch (rows of different lengths).
    ks = np.flatnonzero(p.criterion_active)
    for ow, k in zip(one_way_all(p), ks):
        assert_same(ow, oneway_dense.one_way(p, int(k)))
