"""Switching values, the smallest leader change and the tornado, vectorised: the same answers as the
loops they replaced (kept under tests/oracles), on random appraisals with ties and switched-off parts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from appraisal.engine.switching import cell_switch, score_switching, smallest_leader_change, tornado

from .oracles import switching_loops as old
from .test_oneway_fast import appraisals


def same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(appraisals(max_options=7, max_criteria=5))
def test_switching_values_equal_the_loop(p):
    for step in (0.5, 1.0):
        new, was = score_switching(p, step), old.score_switching(p, step)
        assert len(new) == len(was)
        for a, b in zip(new, was):
            assert (a.option, a.criterion, a.score, a.switch_to, a.new_leader) == (b.option, b.criterion, b.score, b.switch_to, b.new_leader)
            assert same_float(a.threshold, b.threshold)
        for sw in new[:5]:
            assert cell_switch(p, sw.option, sw.criterion, step) == sw or math.isnan(sw.threshold)


@settings(max_examples=300, deadline=None)
@given(appraisals(max_options=7, max_criteria=5))
def test_smallest_change_equals_the_loop(p):
    new, was = smallest_leader_change(p), old.smallest_leader_change(p)
    assert new == was


@settings(max_examples=300, deadline=None)
@given(appraisals(max_options=7, max_criteria=5))
def test_tornado_equals_the_loop(p):
    for x in (0.5, 0.9, 1.0):
        new, was = tornado(p, x), old.tornado(p, x)
        assert sorted(b.criterion for b in new) == sorted(b.criterion for b in was)
        by = {b.criterion: b for b in was}
        for b in new:
            o = by[b.criterion]
            assert b.leader_changes == o.leader_changes and b.base_margin == o.base_margin
            for m, n in ((b.low_margin, o.low_margin), (b.high_margin, o.high_margin)):
                assert (math.isnan(m) and math.isnan(n)) or m == pytest.approx(n, abs=1e-12)
        spread = [abs(b.high_margin - b.low_margin) for b in new]
        assert all(a >= c - 1e-12 for a, c in zip(spread, spread[1:]) if not (math.isnan(a) or math.isnan(c)))
