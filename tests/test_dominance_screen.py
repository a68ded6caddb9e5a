"""Dominance screens pairs on a few criteria before checking all: the same matrix as checking all."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.engine.core import dominance


def every_pair(scores, option_active, criterion_active):
    s = scores[:, criterion_active]
    ok = option_active & ~np.isnan(s).any(axis=1)
    n = len(s)
    return np.array([[bool(ok[a] and ok[b] and (s[a] >= s[b]).all() and (s[a] > s[b]).any()) for b in range(n)] for a in range(n)])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 40), st.data())
def test_screened_dominance_is_every_pair_checked(n, m, data):
    # Three levels: dominance is common, and many pairs pass the 16-criterion screen then fail later.
    scores = data.draw(arrays(float, (n, m), elements=st.sampled_from([1.0, 2.0, 3.0])))
    if data.draw(st.booleans()):
        scores[data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, m - 1))] = np.nan
    option_active = data.draw(arrays(bool, (n,), elements=st.sampled_from([True, True, False])))
    criterion_active = data.draw(arrays(bool, (m,), elements=st.sampled_from([True, True, False])))
    assert np.array_equal(dominance(scores, option_active, criterion_active), every_pair(scores, option_active, criterion_active))
