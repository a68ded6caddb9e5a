"""Sensitivity on a value tree: switching values of measures in natural units (checked by brute force),
one-way on a group's share (against re-evaluating with the group's weight changed), and SMAA with
weights uniform at each node."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.engine import evaluate, problem_from
from appraisal.engine.oneway import value_at
from appraisal.engine.tree import local_shares, tree_from, tree_weight_sampler
from appraisal.engine.tree_sensitivity import group_one_way, measure_switching, tree_smaa
from appraisal.engine.value import curves_of, measures_of
from appraisal.io import load_appraisal
from appraisal.model import edits, tree_edits
from appraisal.reports.sensitivity import sensitivity_report, sentences

from .conftest import REPO
from .treefiles import tree_appraisal, write_tree

CASE = REPO / "scenarios" / "case-system.toml"


def leader(a) -> str | None:
    return evaluate(problem_from(a)).leader_id


def check_switches_by_brute_force(a) -> int:
    """Every measure switch: just short of its threshold the leader holds; just past it the named option
    leads. Where there is no threshold, no measure across (and beyond) the value function changes the leader."""
    p = problem_from(a)
    before = leader(a)
    checked = 0
    for s in measure_switching(p, measures_of(a), curves_of(a)):
        option, crit = p.options[s.option], p.criteria[s.criterion]
        if s.threshold is None:
            xs = curves_of(a)[s.criterion].xs
            span = xs[-1] - xs[0]
            for m in np.linspace(xs[0] - span, xs[-1] + span, 31):
                assert leader(edits.set_measure(a, option, crit, float(m))) == before, (option, crit, m)
            continue
        eps = 1e-6 * max(1.0, abs(s.threshold))
        sign = 1 if s.above else -1
        near = edits.set_measure(a, option, crit, s.threshold - sign * eps)
        far = edits.set_measure(a, option, crit, s.threshold + sign * eps)
        assert leader(near) == before, (option, crit, s)
        assert leader(far) == (p.options[s.new_leader] if s.new_leader is not None else leader(far)) != before, (option, crit, s)
        checked += 1
    return checked


def test_switching_values_in_natural_units_by_brute_force():
    a = load_appraisal(CASE)
    assert check_switches_by_brute_force(a) == 10  # 12 measured cells; Patch's go-live and migration cannot win it the lead
    r = sensitivity_report(a, samples=0)
    buy = {s["criterion"]: s for s in r["measure_switching"] if s["option"] == "buy"}
    assert buy["go-live"]["threshold"] == pytest.approx(16) and buy["go-live"]["direction"] == "above"  # the README's hand arithmetic
    upgrade = {s["criterion"]: s for s in r["measure_switching"] if s["option"] == "upgrade"}
    assert upgrade["go-live"]["threshold"] == pytest.approx(8.25) and upgrade["go-live"]["direction"] == "below"
    assert upgrade["migration"]["threshold"] == pytest.approx(97.5)
    assert all(s["criterion"] == "usability" for s in r["score_switching"])  # measured cells are switched in their units


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0, 6), st.floats(2, 30), st.floats(40, 100)), min_size=4, max_size=4),
       st.sampled_from([None, 0.2, 0.8]))
def test_switching_values_by_brute_force_for_any_measures(rows, delivery):
    a = load_appraisal(CASE)
    for option, (hours, months, migrated) in zip(["patch", "upgrade", "buy", "build"], rows):
        for crit, m in (("time-saved", hours), ("go-live", months), ("migration", migrated)):
            a = edits.set_measure(a, option, crit, round(m, 3))
    if delivery is not None:
        a = tree_edits.set_group_weight(a, "delivery", delivery)
    if leader(a) is not None:
        check_switches_by_brute_force(a)


def test_the_sentence_names_the_measure_in_its_unit(tmp_path):
    a = load_appraisal(write_tree(tmp_path, tree_appraisal(group_weights={"benefits": 1, "people": 1, "delivery": 2})))
    r = sensitivity_report(a, samples=0)
    said = " ".join(sentences(a, r))
    lead = a.option(r["leader"]).name
    cost = next(s for s in r["measure_switching"] if s["option"] == r["leader"] and s["criterion"] == "running-cost")
    assert f"{lead} stays first unless its running cost rises above £" in said
    assert f"£{cost['threshold']:.2f}".rstrip("0").rstrip(".") + "m" in said
    check_switches_by_brute_force(a)


@pytest.mark.parametrize("path", [REPO / "scenarios" / "birmingham-2013-tree-weighted.toml", REPO / "scenarios" / "birmingham-2013-tree.toml", CASE])
def test_group_one_way_lines_match_re_evaluation(path):
    """Each group's line: the value at share s equals the appraisal re-evaluated with the group's weight set so
    that its share among its siblings is s (siblings and the criteria inside keep their proportions); the
    leader changes exactly at the crossovers."""
    a = tree_edits.localise(load_appraisal(path))
    p = problem_from(a)
    t = tree_from(a)
    raw = np.array([a.weights[c.id] for c in a.criteria])
    for k, g in enumerate(a.groups):
        ow = group_one_way(p, t, raw, k)
        assert ow.share == pytest.approx(local_shares(t, raw, p.criterion_active)[k])
        siblings = sum(a.group_weights[x.id] for x in a.groups if x.parent == g.parent and x.id != g.id)
        siblings += sum(a.weights[c.id] for c in a.criteria if c.group == g.parent)

        def at(s: float):
            b = tree_edits.set_group_weight(a, g.id, s / (1 - s) * siblings)
            ev = evaluate(problem_from(b))
            return ev.weighted / problem_from(b).weights.sum(), ev.leader_id

        for s in (0.05, 0.3, 0.6, 0.9):
            values, _ = at(s)
            assert value_at(ow, s) == pytest.approx(values, abs=1e-9)
        for c in ow.crossovers:
            if 1e-3 < c.share < 1 - 1e-3:
                assert at(c.share - 1e-4)[1] == (p.options[c.before[0]] if len(c.before) == 1 else None)
                assert at(c.share + 1e-4)[1] == (p.options[c.after[0]] if len(c.after) == 1 else None)


def test_tree_weights_are_uniform_at_each_node():
    a = load_appraisal(REPO / "scenarios" / "birmingham-2013-tree-weighted.toml")
    p = problem_from(a)
    t = tree_from(a)
    w = tree_weight_sampler(t, p.criterion_active)(np.random.default_rng(1), 200_000)
    assert w.shape == (200_000, 19) and np.allclose(w.sum(axis=1), 1)
    ids = list(p.criterion_ids)
    col = {c: ids.index(c) for c in ids}
    # Four top-level groups: each gets 1/4 on average; within "services", practice and change get 1/2 each of
    # that; within practice (4 criteria) each criterion 1/4 of that.
    services = w[:, [col[c.id] for c in a.criteria if c.group in ("practice", "change")]].sum(axis=1)
    finance = w[:, [col["financial-stability"], col["financial-viability"]]].sum(axis=1)
    assert services.mean() == pytest.approx(0.25, abs=0.003) and finance.mean() == pytest.approx(0.25, abs=0.003)
    assert w[:, col["outcomes"]].mean() == pytest.approx(0.25 * 0.5 * 0.25, abs=0.001)
    # Dirichlet(1) over the four top-level groups: the variance of one share is (1/4)(3/4)/5.
    assert services.var() == pytest.approx(0.75 / 4 / 5, rel=0.03)
    # The local share of a criterion within its group is independent of the group's share.
    within = w[:, col["speed"]] / w[:, [col["speed"], col["corporate-support"]]].sum(axis=1)
    assert abs(np.corrcoef(within, services)[0, 1]) < 0.01


def test_tree_smaa_is_seeded_and_honest_about_its_mode():
    a = load_appraisal(REPO / "scenarios" / "birmingham-2013-tree-weighted.toml")
    p = problem_from(a)
    r1 = tree_smaa(p, tree_from(a), samples=5000, seed=3)
    r2 = tree_smaa(p, tree_from(a), samples=5000, seed=3)
    assert np.array_equal(r1.rank_acceptability, r2.rank_acceptability)
    assert np.allclose(r1.rank_acceptability.sum(axis=1), 1)
    assert r1.rank_acceptability[list(r1.options).index(0), 0] == 0  # Break up is dominated: never first
