"""The fast indented JSON writer gives exactly json.dumps(indent=2, ensure_ascii=False)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.reports.json_text import dumps

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                         | st.dictionaries(st.text(), inner, max_size=5), max_leaves=40)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(documents)
def test_same_text_as_json(doc):
    assert dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


@given(st.dictionaries(st.integers() | st.booleans() | st.none() | st.floats(), scalars, max_size=4))
def test_keys_that_are_not_strings(doc):
    assert dumps({"x": [doc]}) == json.dumps({"x": [doc]}, indent=2, ensure_ascii=False)


def test_numpy_floats_and_a_sensitivity_report(bham):
    from appraisal.reports.sensitivity import sensitivity_report

    r = sensitivity_report(bham, samples=200)
    r["extra"] = [np.float64(0.1), np.float64("nan")]
    assert dumps(r) == json.dumps(r, indent=2, ensure_ascii=False)


tricky = st.text(alphabet=st.sampled_from(['}', '{', ',', '\n', ' ', '"', 'a', '\\', '\x00', 'é', '[', ']']), max_size=8)
flat_dicts = st.lists(st.dictionaries(tricky, st.none() | st.booleans() | st.floats() | st.integers() | tricky, min_size=1, max_size=4),
                      min_size=2, max_size=6)


@settings(max_examples=300, deadline=None)
@given(flat_dicts, st.integers(0, 3))
def test_lists_of_flat_dicts_in_one_go(items, depth):
    doc: object = items
    for _ in range(depth):
        doc = {"k": doc, "other": [1, {"x": None}]}
    assert dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)
