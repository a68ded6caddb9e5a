"""Value for money: the efficient frontier is never dominated, everything off it is, it runs cheapest
first with value rising, and the shipped example matches its hand arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.engine.frontier import dominated_for_money, efficient_frontier, value_per_cost
from appraisal.io import load_appraisal
from appraisal.model import edits
from appraisal.reports.ranking import ranking_report

from .conftest import REPO

CASE = REPO / "scenarios" / "case-system.toml"


def brute_dominated(v, c, ok, b) -> bool:
    return any(ok[a] and a != b and v[a] >= v[b] and c[a] <= c[b] and (v[a] > v[b] or c[a] < c[b]) for a in range(len(v)))


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 8), st.booleans()), min_size=1, max_size=9))
def test_the_frontier_is_never_dominated_and_everything_off_it_is(rows):
    v = np.array([r[0] / 2 for r in rows], dtype=float)
    c = np.array([r[1] / 4 for r in rows], dtype=float)
    ok = np.array([r[2] for r in rows])
    front = efficient_frontier(v, c, ok)
    for b in range(len(v)):
        if not ok[b]:
            assert b not in front
        elif b in front:
            assert not brute_dominated(v, c, ok, b)
        else:
            assert brute_dominated(v, c, ok, b)
            assert any(dominated_for_money(v, c, ok)[a, b] for a in front)  # something on the frontier beats it
    costs = [c[i] for i in front]
    assert costs == sorted(costs)
    # Along the frontier value never falls; where the cost rises the value rises too.
    for x, y in zip(front, front[1:]):
        assert v[y] >= v[x] and (c[y] == c[x] or v[y] > v[x])


def test_missing_costs_and_values_stay_off_the_frontier():
    v = np.array([5.0, np.nan, 7.0, 9.0])
    c = np.array([1.0, 0.5, np.nan, 2.0])
    assert efficient_frontier(v, c, np.ones(4, bool)) == [0, 3]
    per = value_per_cost(np.array([4.0, 3.0]), np.array([2.0, 0.0]))
    assert per[0] == 2 and np.isnan(per[1])


def test_the_shipped_example_by_hand():
    r = ranking_report(load_appraisal(CASE))
    vfm = r["value_for_money"]
    assert vfm["frontier"] == ["patch", "upgrade", "buy"]
    assert vfm["value_per_cost"] == pytest.approx({"patch": 49.6 / 0.4, "upgrade": 59.8 / 1.2, "buy": 60.8 / 2.0, "build": 58.2 / 3.0})
    assert vfm["off_frontier"] == {"build": ["upgrade", "buy"]}
    assert vfm["steps"][1]["value_per_extra_cost"] == pytest.approx(1.0 / 0.8)
    assert vfm["cost_unit"] == "£m" and vfm["no_cost"] == []
    totals = {o["id"]: o["weighted_total"] for o in r["options"]}
    assert totals == pytest.approx({"patch": 49.6, "upgrade": 59.8, "buy": 60.8, "build": 58.2})


def test_an_option_without_a_cost_is_named_and_left_out():
    a = edits.set_cost(load_appraisal(CASE), "buy", None)
    r = ranking_report(a)
    assert r["value_for_money"]["no_cost"] == ["buy"]
    assert r["value_for_money"]["frontier"] == ["patch", "upgrade"]
    assert any(f["code"] == "no-cost" for f in r["findings"])


def test_excluded_options_are_off_the_frontier():
    a = edits.set_excluded(load_appraisal(CASE), "upgrade", True)
    assert ranking_report(a)["value_for_money"]["frontier"] == ["patch", "buy"]
