"""What the room reads off the main screen, below the app: numbers that tell different values apart,
whether the leader's lead holds (checked against the full one-way analysis), the nudge step, and why
one option beats another (the contributions add up to the difference of the totals)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.engine import evaluate, problem_from
from appraisal.engine.holds import leader_changes
from appraisal.engine.oneway import one_way
from appraisal.engine.problem import Problem
from appraisal.model import edits
from appraisal.reports.compare import compare, default_pair
from appraisal.reports.numbers import count, fmt_all, fmt_nonzero
from appraisal.reports.snapshots import compare_states
from appraisal.reports.workshop import WorkshopView, nudged


# --- numbers ---------------------------------------------------------------------------------------
def test_totals_after_a_normalised_preset_never_print_alike():
    # Rank-order centroid weights sum to 1: totals differ in the third decimal place.
    values = [3.8421052631578947, 3.8394736842105263, 2.5, 4.0]
    texts = fmt_all(values, 2)
    assert len(set(texts)) == 4, texts
    assert texts[3] == "4" and texts[2] == "2.5"


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=12))
def test_values_that_differ_print_differently_and_ties_alike(values):
    texts = fmt_all(values, 1)
    tol = 1e-9 * max(1.0, max(abs(v) for v in values))  # the engine's ties
    for u, tu in zip(values, texts):
        for v, tv in zip(values, texts):
            if abs(u - v) > tol:
                assert tu != tv, (u, v, tu)
            if u == v:
                assert tu == tv


@pytest.mark.parametrize("weight, shown", [(0.0004, "0.0004"), (0.00123, "0.0012"), (3e-7, "0.0000003"), (0.0, "0"), (2.5, "2.5"), (-0.0004, "-0.0004")])
def test_a_tiny_weight_never_prints_as_zero(weight, shown):
    assert fmt_nonzero(weight, 2) == shown


def test_a_column_of_totals_lines_up():
    assert fmt_all([48.42, 60.0, 77.9], 1, column=True) == ["48.4", "60.0", "77.9"]
    assert fmt_all([46, 57, 82], 1, column=True) == ["46", "57", "82"], "whole numbers stay whole"


def test_counts_agree_with_their_nouns():
    assert count(1, "one-point edit") == "1 one-point edit"
    assert count(3, "unsaved change") == "3 unsaved changes"
    assert count(1, "score") == "1 score" and count(0, "score") == "0 scores"


# --- does the lead hold ----------------------------------------------------------------------------
def test_the_2013_lead_holds_unless_break_from_the_past_rises_above_21_7_percent(bham):
    banner = WorkshopView.of(bham, bham).banner()
    assert banner.text() == ("Leader: Integrated transformation, 24 ahead of Trust (BCC); "
                             "holds unless 'Break from the past' rises above 21.7%")
    assert banner.text(short=True).startswith("Leader: Integrated, 24 ahead of Trust (BCC)")


def test_a_tie_for_first_is_said(bham):
    tied = bham
    for c in bham.criteria:  # Trust (BCC) scored as Integrated is: they tie
        tied = edits.set_score(tied, "trust-bcc", c.id, bham.cell("integrated", c.id).score)
    view = WorkshopView.of(tied, bham)
    assert view.evaluation.leader is None
    assert view.banner().text() == "No single leader: Trust (BCC) and Integrated tie for first"


@st.composite
def problems(draw):
    n = draw(st.integers(2, 6))
    m = draw(st.integers(2, 6))
    scores = draw(arrays(float, (n, m), elements=st.integers(1, 5).map(float)))
    weights = draw(arrays(float, (m,), elements=st.sampled_from([0.5, 1.0, 2.0, 3.0, 4.5, 7.0])))
    return Problem(scores, weights, np.ones(n, bool), np.ones(m, bool), 1.0, 5.0)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_nearest_leader_change_is_the_one_way_analysis_nearest_crossover(p):
    """The O(options) search agrees with the full one-way analysis (every pair of lines) on where,
    either side of the current share, the leader first changes, and to whom."""
    found = leader_changes(p)
    ev = evaluate(p)
    assume(ev.leader is not None and found is not None)
    for change in found:
        full = one_way(p, change.criterion)
        above = [c for c in full.crossovers if c.share > full.share + 1e-9]
        below = [c for c in full.crossovers if c.share < full.share - 1e-9]
        if above:
            assert change.above == pytest.approx(above[0].share, abs=1e-9)
            assert set(change.above_leader) == set(above[0].after)
        else:
            assert change.above is None
        if below:
            assert change.below == pytest.approx(below[-1].share, abs=1e-9)
            assert set(change.below_leader) == set(below[-1].before)
        else:
            assert change.below is None


def test_the_nudge_step_is_one_for_whole_weights_else_a_tenth_of_the_mean(bham):
    assert WorkshopView.of(bham, bham).nudge_step() == 1
    roc = edits.rank_order_centroid(bham, [c.id for c in bham.criteria])
    step = WorkshopView.of(roc, bham).nudge_step()
    assert step == pytest.approx(float(f"{1 / 19 / 10:.2g}"))
    assert nudged(0.3, 0.1, -1) == 0.2 and nudged(0.1, 0.2, -1) == 0.0 and nudged(0.1, 0.2, 1) == 0.3


def test_the_share_strip_says_where_the_leader_changes(bham):
    strip = WorkshopView.of(bham, bham).share_strip("break-from-past")
    assert strip.share == pytest.approx(1 / 19)
    (turn,) = strip.turns
    assert turn.share == pytest.approx(0.2174, abs=1e-4) and turn.new_leader == "Trust (BCC)"
    off = WorkshopView.of(edits.set_enabled(bham, "speed", False), bham).share_strip("speed")
    assert off.off


# --- why one option beats another ------------------------------------------------------------------
def test_contributions_add_up_to_the_difference_of_the_totals(bham):
    view = WorkshopView.of(bham, bham)
    pair = default_pair(bham, view.evaluation)
    assert pair == ("integrated", "trust-bcc"), "the leader and the runner-up by default"
    c = compare(bham, view.evaluation, *pair)
    assert c.total_a == 246 and c.total_b == 222 and c.difference == 24
    assert sum(r.difference for r in c.rows) == pytest.approx(24)
    assert c.for_a - c.for_b == pytest.approx(24)
    sizes = [abs(r.difference) for r in c.rows]
    assert sizes == sorted(sizes, reverse=True), "largest first"
    # Three criteria differ by 6 (weight 3 x two points), in the order listed: one favours Trust (BCC).
    assert [(r.name, r.difference) for r in c.rows[:3]] == [("Break from the past", -6), ("Focuses on improving practice in short term", 6),
                                                            ("Speed of implementation", 6)]


def test_on_a_value_tree_with_local_weights_the_contributions_still_add_up():
    from appraisal.io.load import load_appraisal

    from .conftest import REPO

    a = load_appraisal(REPO / "scenarios" / "birmingham-2013-tree-weighted.toml")
    assert a.group_weights is not None
    ev = evaluate(problem_from(a))
    c = compare(a, ev, *default_pair(a, ev))
    assert sum(r.difference for r in c.rows if not r.off) == pytest.approx(c.difference)


def test_a_switched_off_criterion_counts_in_neither_total_and_is_listed_last(bham):
    a = edits.set_enabled(bham, "speed", False)
    ev = evaluate(problem_from(a))
    c = compare(a, ev, "integrated", "trust-bcc")
    assert c.rows[-1].criterion == "speed" and c.rows[-1].off
    assert sum(r.difference for r in c.rows if not r.off) == pytest.approx(c.difference)


def test_two_states_compared_say_what_differs(bham):
    after = edits.set_weight(edits.set_score(bham, "integrated", "vision", 1), "break-from-past", 16)
    found = compare_states("before lunch", bham, "now", after)
    assert found.leaders == ("Integrated transformation", "Trust Model - accountable to BCC")
    assert [w.name for w in found.weights] == ["Break from the past"]
    assert [(s.option, s.criterion, s.score) for s in found.scores] == [("Integrated", "Clear vision", (4.0, 1.0))]
    assert found.same_weights == 18
    assert found.sentences()[0].startswith("The leader changes: Integrated transformation in 'before lunch'")
    assert not math.isnan(found.options[0].total[0])


# --- the view follows an edit without reading every cell again -----------------------------------
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["score", "weight", "exclude", "disable"]), st.integers(0, 4), st.integers(0, 18),
                          st.integers(2, 10).map(lambda k: k / 2)), min_size=1, max_size=8))
def test_a_view_patched_from_the_previous_one_is_the_view_built_afresh(ops):
    from appraisal.io.load import load_appraisal
    from appraisal.paths import bundled_appraisal
    from appraisal.errors import AppraisalError

    a = base = load_appraisal(bundled_appraisal())
    view = WorkshopView.of(a, base)
    for op, i, j, x in ops:
        o, c = a.options[i].id, a.criteria[j].id
        try:
            if op == "score":
                a = edits.set_score(a, o, c, x)
            elif op == "weight":
                a = edits.set_weight(a, c, x)
            elif op == "exclude":
                a = edits.set_excluded(a, o, not a.option(o).excluded)
            else:
                a = edits.set_enabled(a, c, c in a.disabled)
        except AppraisalError:
            continue
        view = WorkshopView.of(a, base, previous=view)
        fresh = problem_from(a)
        got = view._problem
        assert np.array_equal(got.scores, fresh.scores, equal_nan=True) and np.array_equal(got.weights, fresh.weights)
        assert (got.option_active == fresh.option_active).all() and (got.criterion_active == fresh.criterion_active).all()
        assert (view.evaluation.rank_weighted == evaluate(fresh).rank_weighted).all()
