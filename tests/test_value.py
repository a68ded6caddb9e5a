"""Value functions: they hit their points, are linear between and clamp at the ends; the model's scalar
and the engine's vectorised forms agree exactly; the inverse lands back on the score."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal.engine.value import curve, derive_scores, measure_at, measure_for, passes_above
from appraisal.model.criteria import Criterion
from appraisal.model.scale import Scale
from appraisal.model.tree import curve_score, derived_score

SCALE = Scale(min=1, max=5, step=0.5)


def crit(**value) -> Criterion:
    better = value.pop("better", "higher")
    return Criterion.model_validate({"id": "x", "name": "X", "unit": "u", "better": better, "value": value})


def test_linear_hits_worst_and_best_and_clamps():
    c = crit(type="linear", worst=40, best=10, better="lower")
    assert derived_score(c, SCALE, 40) == 1 and derived_score(c, SCALE, 10) == 5
    assert derived_score(c, SCALE, 25) == 3  # half way
    assert derived_score(c, SCALE, 18.5) == pytest.approx(1 + 4 * (40 - 18.5) / 30)
    assert derived_score(c, SCALE, 100) == 1 and derived_score(c, SCALE, -5) == 5  # clamped
    up = crit(type="linear", worst=0, best=5)
    assert [derived_score(up, SCALE, m) for m in (-1, 0, 2.5, 5, 9)] == [1, 1, 3, 5, 5]


def test_piecewise_hits_its_points_interpolates_and_clamps():
    pts = [[6, 5], [12, 4], [24, 1]]
    c = crit(type="piecewise", points=pts, better="lower")
    for x, y in pts:
        assert derived_score(c, SCALE, x) == y
    assert derived_score(c, SCALE, 9) == 4.5
    assert derived_score(c, SCALE, 18) == 2.5
    assert derived_score(c, SCALE, 3) == 5 and derived_score(c, SCALE, 40) == 1


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=40),
       st.lists(st.tuples(st.floats(0.01, 10), st.floats(0, 1)), min_size=1, max_size=5), st.booleans())
def test_the_model_and_the_engine_agree_exactly(measures, steps, increasing):
    xs, ys = [-20.0], [1.0]
    for dx, dy in steps:
        xs.append(xs[-1] + dx)
        ys.append(min(5.0, ys[-1] + dy * 4 / len(steps)))
    if not increasing:
        ys = ys[::-1]
    if ys[0] == ys[-1]:
        return
    points = list(zip(xs, ys))
    engine = curve(points).scores(np.array(measures))
    assert [curve_score(points, m) for m in measures] == engine.tolist()
    together = derive_scores(np.array(measures)[:, None], {0: curve(points)})[:, 0]
    assert together.tolist() == engine.tolist()


def test_derive_scores_fills_measured_columns_only():
    scores = np.array([[3.0, np.nan], [4.0, np.nan]])
    measures = np.array([[np.nan, 10.0], [np.nan, 25.0]])
    out = derive_scores(measures, {1: curve([(10, 5), (40, 1)])}, scores)
    assert out.tolist() == [[3.0, 5.0], [4.0, 3.0]]


@pytest.mark.parametrize("points", [[(6, 5), (12, 4), (24, 1)], [(0, 1), (5, 5)], [(0, 1), (2, 3), (3, 3), (8, 5)], [(10, 5), (40, 1)]])
def test_measure_at_is_the_boundary_where_the_score_passes_the_target(points):
    c = curve(points)
    lo, hi = min(p[1] for p in points), max(p[1] for p in points)
    grid = np.linspace(points[0][0] - 5, points[-1][0] + 5, 4001)
    values = c.scores(grid)
    for target in np.linspace(lo - 0.5, hi + 0.5, 23):
        for rising in (True, False):
            m = measure_at(c, float(target), rising)
            passed = values > target if rising else values < target
            if m is None:  # no boundary: no measure passes the target, or every one does
                assert not passed.any() or passed.all(), (target, rising)
                continue
            above = passes_above(c, rising)
            beyond = grid > m + 1e-9 if above else grid < m - 1e-9
            near = ~beyond & (np.abs(grid - m) > 1e-9)
            assert passed[beyond].all() and not passed[near].any(), (target, rising, m)
            assert float(c.scores(np.array([m]))[0]) == pytest.approx(target)


def test_measure_for_inverts_a_strictly_monotone_curve():
    c = curve([(6, 5), (12, 4), (24, 1)])
    for score in (5, 4.5, 4, 2.5, 1):
        m = measure_for(c, score)
        assert float(c.scores(np.array([m]))[0]) == pytest.approx(score)
    assert measure_for(c, 5.5) is None and measure_for(c, 0.5) is None
