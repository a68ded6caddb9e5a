"""Dominance screens pairs on a few criteria before checking all: the same matrix as checking all."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from appraisal.engine import core
from appraisal.engine.core import dominance


def every_pair(scores, option_active, criterion_active):
    s = scores[:, criterion_active]
    ok = option_active & ~np.isnan(s).any(axis=1)
    n = len(s)
    return np.array([[bool(ok[a] and ok[b] and (s[a] >= s[b]).all() and (s[a] > s[b]).any()) for b in range(n)] for a in range(n)])


@pytest.mark.parametrize("direct_max", [0, core.DIRECT_MAX])  # screened, and all at once for small ones
@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 8), m=st.integers(1, 40), data=st.data())
def test_screened_dominance_is_every_pair_checked(direct_max, n, m, data):
    # Three levels: dominance is common, and many pairs pass the 16-criterion screen then fail later.
    scores = data.draw(arrays(float, (n, m), elements=st.sampled_from([1.0, 2.0, 3.0])))
    if data.draw(st.booleans()):
        scores[data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, m - 1))] = np.nan
    option_active = data.draw(arrays(bool, (n,), elements=st.sampled_from([True, True, False])))
    criterion_active = data.draw(arrays(bool, (m,), elements=st.sampled_from([True, True, False])))
    with patch.object(core, "DIRECT_MAX", direct_max):
        assert np.array_equal(dominance(scores, option_active, criterion_active), every_pair(scores, option_active, criterion_active))
