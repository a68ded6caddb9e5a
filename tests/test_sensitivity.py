"""Sensitivity analysis: exact results checked by hand and against brute force."""

from __future__ import annotations

import itertools
import json
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.engine import evaluate, problem_from
from appraisal.engine.oneway import one_way, one_way_all
from appraisal.engine.optimality import potential_optimality
from appraisal.engine.problem import Problem
from appraisal.engine.smaa import CHUNK, smaa
from appraisal.engine.switching import score_switching, smallest_leader_change, sole_leader, tornado
from appraisal.model import edits

from .conftest import run_cli
from .test_properties import problems, with_


def weights_at(p: Problem, k: int, t: float) -> np.ndarray:
    sh = np.where(p.criterion_active, p.weights, 0) / p.weights[p.criterion_active].sum()
    w = sh * (1 - t) / (1 - sh[k])
    w[k] = t
    return w


def leader_at(p: Problem, k: int, t: float):
    ev = evaluate(with_(p, weights=weights_at(p, k, t)))
    return tuple(np.flatnonzero(ev.rank_weighted == 1))


# --- one-way -------------------------------------------------------------------------------------

def test_break_from_past_crossover_by_hand(bham):
    p = problem_from(bham)
    ow = one_way(p, bham.criterion_index["break-from-past"])
    # Integrated: 3t + (1-t) 79/18; Trust (BCC): 5t + (1-t) 69/18; equal at t = 10/46.
    (c,) = ow.crossovers
    assert c.share == pytest.approx(10 / 46, abs=1e-12)
    assert (c.before, c.after) == ((4,), (3,))
    assert ow.leader_interval == pytest.approx((0.0, 10 / 46))
    assert ow.share == pytest.approx(1 / 19)


def test_issue_example_crossover(bham):
    a = edits.set_excluded(bham, "outsource", True)
    a = edits.set_weight(a, "dfe-acceptability", 5)
    a = edits.set_score(a, "trust-bcc", "speed", 4)
    (c,) = one_way(problem_from(a), a.criterion_index["break-from-past"]).crossovers
    assert c.share == pytest.approx(0.1825, abs=1e-3)
    assert a.options[c.after[0]].id == "trust-bcc"


def test_a_criterion_all_options_score_the_same_has_no_crossover(bham):
    a = bham
    for o in a.options:
        a = edits.set_score(a, o.id, "speed", 4)
    ow = one_way(problem_from(a), a.criterion_index["speed"])
    assert ow.crossovers == ()
    assert ow.leader_interval == (0.0, 1.0)


def test_share_of_one_is_handled():
    scores = np.array([[5.0, 1.0, 1.0], [1.0, 5.0, 5.0]])
    p = Problem(scores, np.array([1.0, 0.0, 0.0]), np.ones(2, bool), np.ones(3, bool), 1, 5)
    ow = one_way(p, 0)
    assert ow.share == 1.0
    # The other criteria share 1 - t equally: 5t + (1-t) 1 = t + (1-t) 5 at t = 1/2.
    (c,) = ow.crossovers
    assert c.share == pytest.approx(0.5)
    assert ow.leader_interval == pytest.approx((0.5, 1.0))


def test_identical_options_tie_throughout():
    scores = np.array([[3.0, 4.0], [3.0, 4.0], [1.0, 1.0]])
    p = Problem(scores, np.array([1.0, 1.0]), np.ones(3, bool), np.ones(2, bool), 1, 5)
    ow = one_way(p, 0)
    assert ow.crossovers == ()
    assert ow.leader_interval == (0.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=5))
def test_crossovers_match_a_brute_force_scan(p):
    for k in np.flatnonzero(p.criterion_active):
        if p.weights[k] == p.weights[p.criterion_active].sum():
            continue  # share 1: the rescaling rule is a convention, tested above
        ow = one_way(p, int(k))
        edges = [0.0, *[c.share for c in ow.crossovers], 1.0]
        # Probe halfway to the neighbouring crossovers: robust to nearly parallel lines.
        for n, c in enumerate(ow.crossovers, start=1):
            assert leader_at(p, k, (edges[n - 1] + c.share) / 2) == c.before
            assert leader_at(p, k, (c.share + edges[n + 1]) / 2) == c.after
        # Between consecutive crossovers the leader never changes.
        for lo, hi in zip(edges, edges[1:]):
            if hi - lo < 1e-4:
                continue
            seen = {leader_at(p, k, t) for t in np.linspace(lo + 1e-5, hi - 1e-5, 9)}
            assert len(seen) == 1
        lo, hi = ow.leader_interval
        assert lo <= ow.share + 1e-12 and ow.share <= hi + 1e-12


def test_one_way_for_all_criteria_of_2013(bham):
    result = {bham.criteria[o.criterion].id: o for o in one_way_all(problem_from(bham))}
    assert len(result) == 19
    changes = {k for k, o in result.items() if o.crossovers}
    assert changes == {"vision", "break-from-past", "corporate-support", "dfe-acceptability", "dfe-transparency"}


# --- score switching ------------------------------------------------------------------------------

def brute_switch(p: Problem, i: int, j: int, leader: int, step=0.5):
    """Nearest grid score in the direction that can help, giving another sole leader."""
    grid = np.arange(p.scale_min, p.scale_max + 1e-9, step)
    s = p.scores[i, j]
    candidates = sorted(grid[grid < s - 1e-9], reverse=True) if i == leader else sorted(grid[grid > s + 1e-9])
    for x in candidates:
        scores = p.scores.copy()
        scores[i, j] = x
        ev = evaluate(with_(p, scores=scores))
        first = np.flatnonzero(ev.rank_weighted == 1)
        if len(first) == 1 and first[0] != leader:
            return x, int(first[0])
    return None, None


@settings(max_examples=60, deadline=None)
@given(problems(min_options=2, max_options=4, max_criteria=4))
def test_score_switching_matches_brute_force(p):
    leader = evaluate(p).leader
    for sw in score_switching(p):
        assert (sw.switch_to, sw.new_leader) == brute_switch(p, sw.option, sw.criterion, leader)


def test_no_single_score_changes_the_2013_leader(bham):
    assert all(s.switch_to is None for s in score_switching(problem_from(bham)))


def brute_smallest(p: Problem) -> int:
    """Fewest one-point edits (L1 distance on an integer grid) giving another sole leader."""
    leader = sole_leader(p.scores @ p.weights, np.ones(p.shape[0], bool))
    best = None
    grid = range(int(p.scale_min), int(p.scale_max) + 1)
    for flat in itertools.product(grid, repeat=p.scores.size):
        s = np.array(flat, dtype=float).reshape(p.shape)
        d = int(np.abs(s - p.scores).sum())
        if best is not None and d >= best:
            continue
        who = sole_leader(s @ p.weights, np.ones(p.shape[0], bool))
        if who is not None and who != leader:
            best = d
    return best


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_smallest_leader_change_matches_brute_force(data):
    n, m = data.draw(st.integers(2, 3)), 2
    scores = np.array(data.draw(st.lists(st.integers(1, 4), min_size=n * m, max_size=n * m)), dtype=float).reshape(n, m)
    weights = np.array(data.draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=m, max_size=m)))
    p = Problem(scores, weights, np.ones(n, bool), np.ones(m, bool), 1.0, 4.0)
    if sole_leader(scores @ weights, np.ones(n, bool)) is None:
        return
    found, new_leader = smallest_leader_change(p)
    points = int(sum(abs(e.after - e.before) for e in found))
    assert points == brute_smallest(p)
    trial = scores.copy()
    for e in found:
        trial[e.option, e.criterion] = e.after
    assert sole_leader(trial @ weights, np.ones(n, bool)) == new_leader != evaluate(p).leader


def test_smallest_change_for_2013(bham):
    found, new_leader = smallest_leader_change(problem_from(bham))
    # Equal weights: Integrated leads Trust (BCC) by 8 points, so 9 one-point edits are needed.
    assert sum(abs(e.after - e.before) for e in found) == 9
    assert bham.options[new_leader].id == "trust-bcc"


# --- SMAA ----------------------------------------------------------------------------------------

def test_smaa_is_reproducible_and_consistent(bham):
    p = problem_from(bham)
    a, b = smaa(p, 20_000, seed=7), smaa(p, 20_000, seed=7)
    assert np.array_equal(a.rank_acceptability, b.rank_acceptability)
    assert not np.array_equal(a.rank_acceptability, smaa(p, 20_000, seed=8).rank_acceptability)
    assert np.allclose(a.rank_acceptability.sum(axis=0), 1) and np.allclose(a.rank_acceptability.sum(axis=1), 1)
    assert a.rank_acceptability[0, 0] == 0, "Break up is dominated: it can never rank first"
    assert a.rank_acceptability[4, 0] > 0.9
    cw = a.central_weights[4]
    assert cw.sum() == pytest.approx(1) and (cw >= 0).all()
    assert np.isnan(a.central_weights[0]).all()


def test_smaa_perturbation_of_zero_reproduces_the_ranking(bham):
    r = smaa(problem_from(bham), 1000, seed=1, perturb=0.0)
    assert np.allclose(np.diag(r.rank_acceptability[::-1]), 1)  # options are in reverse rank order
    assert r.confidence[4] == 1.0


def test_smaa_score_uncertainty_lowers_confidence(bham):
    r = smaa(problem_from(bham), 20_000, seed=3, score_uncertainty=1.0)
    assert 0 < r.confidence[4] < 1, "with uncertain scores even the central weights do not always pick the leader"
    assert r.rank_acceptability[3, 0] > smaa(problem_from(bham), 20_000, seed=3).rank_acceptability[3, 0]


def test_smaa_dirichlet_is_uniform_on_the_simplex():
    # For Dirichlet(1,1,1) each share has mean 1/3 and P(w_1 > 1/2) = 1/4 exactly.
    scores = np.array([[5.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 5.0]])
    p = Problem(scores, np.ones(3), np.ones(3, bool), np.ones(3, bool), 1, 5)
    r = smaa(p, 200_000, seed=11)
    assert r.rank_acceptability[:, 0] == pytest.approx([1 / 3] * 3, abs=0.005)
    # Option 0 leads exactly when w_0 is the largest share; the central weight is E[w | w_0 max] = 11/18.
    assert r.central_weights[0, 0] == pytest.approx(11 / 18, abs=0.005)


def test_smaa_memory_is_bounded(bham):
    p = problem_from(bham)
    tracemalloc.start()
    smaa(p, 4 * CHUNK, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 100 * 2**20


# --- potential optimality, tornado ----------------------------------------------------------------

def test_break_up_cannot_lead_alone(bham):
    result = {bham.options[o.option].id: o for o in potential_optimality(problem_from(bham))}
    assert result["break-up"].potentially_optimal is False
    for oid in ("outsource", "trust-dfe", "trust-bcc", "integrated"):
        o = result[oid]
        assert o.potentially_optimal
        values = problem_from(bham).scores @ o.weights
        assert int(np.argmax(values)) == bham.option_index[oid]
        assert np.sort(values)[-1] > np.sort(values)[-2]


@settings(max_examples=40, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=4))
def test_potential_optimality_witnesses_and_dominance(p):
    ev = evaluate(p)
    for o in potential_optimality(p):
        if o.potentially_optimal:
            v = p.scores @ o.weights
            assert np.all(v[o.option] > np.delete(v, o.option) + 1e-9)
        assert not (o.potentially_optimal and ev.dominates[:, o.option].any())
        # Every vertex of the simplex is a weight vector: an option that leads alone on one is optimal.
        for j in range(p.shape[1]):
            col = p.scores[:, j]
            if (col[o.option] > np.delete(col, o.option)).all():
                assert o.potentially_optimal


@settings(max_examples=40, deadline=None)
@given(problems(min_options=2, max_options=4, max_criteria=4))
def test_tornado_margins_match_direct_evaluation(p):
    leader = evaluate(p).leader
    if leader is None:
        return
    for bar in tornado(p, 0.5):
        for factor, margin in ((0.5, bar.low_margin), (1.5, bar.high_margin)):
            w = p.weights.copy()
            w[bar.criterion] *= factor
            if w.sum() == 0:
                continue
            v = p.scores @ (w / w.sum())
            assert margin == pytest.approx(v[leader] - np.delete(v, leader).max(), abs=1e-9)
        ends = [m for m in (bar.low_margin, bar.high_margin) if not np.isnan(m)]
        assert bar.leader_changes == (min(ends) <= 1e-8)


def test_tornado_on_2013_keeps_integrated_ahead(bham):
    bars = tornado(problem_from(bham), 0.5)
    assert len(bars) == 19 and not any(b.leader_changes for b in bars)
    # Break from the past +50%: Integrated 246 - 3*3 + 4.5*3 = 250.5 over 58.5; Trust (BCC) 222 - 15 + 22.5 = 229.5.
    top = next(b for b in bars if bham.criteria[b.criterion].id == "break-from-past")
    assert top.high_margin == pytest.approx((250.5 - 229.5) / 58.5)


# --- command line --------------------------------------------------------------------------------

def test_sensitivity_json_shape():
    r = run_cli("sensitivity", "--format", "json", "--samples", "2000", "--seed", "5")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["leader"] == "integrated"
    assert set(d["one_way"][0]) >= {"criterion", "share", "leader_interval", "ranking_interval", "crossovers"}
    assert set(d["score_switching"][0]) >= {"option", "criterion", "score", "switch_to", "new_leader"}
    assert set(d["smaa"]) >= {"samples", "seed", "rank_acceptability", "central_weights", "confidence"}
    assert d["smaa"]["seed"] == 5 and d["smaa"]["samples"] == 2000
    assert d["potentially_optimal"]["break-up"] is False
    assert set(d["tornado"][0]) >= {"criterion", "low_margin", "high_margin", "leader_changes"}
    again = json.loads(run_cli("sensitivity", "--format", "json", "--samples", "2000", "--seed", "5").stdout)
    assert again["smaa"] == d["smaa"]


@pytest.mark.parametrize("flag", [["--samples", "0"], ["--samples", "x"], ["--perturb", "-5"], ["--score-uncertainty", "nan"], ["--weight", "bad=1"]])
def test_sensitivity_bad_flags(flag):
    r = run_cli("sensitivity", *flag)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1


def test_smallest_change_avoids_a_tie_for_first():
    # B and C tie behind A; lowering A once would leave B and C tied, not a sole leader:
    # the fewest edits that give one option the lead alone are two.
    scores = np.array([[3.0, 3.0], [2.0, 3.0], [3.0, 2.0]])
    p = Problem(scores, np.array([1.0, 1.0]), np.ones(3, bool), np.ones(2, bool), 1.0, 3.0)
    found, new_leader = smallest_leader_change(p)
    assert sum(abs(e.after - e.before) for e in found) == brute_smallest(p) == 2
    assert new_leader in (1, 2)


@settings(max_examples=50, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=5), st.sampled_from([0.01, 3.0, 250.0]))
def test_scaling_all_weights_changes_no_crossover(p, c):
    for k in np.flatnonzero(p.criterion_active):
        a, b = one_way(p, int(k)), one_way(with_(p, weights=p.weights * c), int(k))
        assert [(x.before, x.after) for x in a.crossovers] == [(x.before, x.after) for x in b.crossovers]
        assert [x.share for x in a.crossovers] == pytest.approx([x.share for x in b.crossovers])


@settings(max_examples=50, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=5), st.floats(0.05, 0.95))
def test_the_leader_inside_its_interval_is_the_leader(p, frac):
    now = tuple(np.flatnonzero(evaluate(p).rank_weighted == 1))
    for k in np.flatnonzero(p.criterion_active):
        if p.weights[k] == p.weights.sum():
            continue
        ow = one_way(p, int(k))
        lo, hi = ow.leader_interval
        if hi - lo > 1e-6:
            assert leader_at(p, k, lo + frac * (hi - lo)) == now


@settings(max_examples=25, deadline=None)
@given(problems(min_options=2, max_options=5, max_criteria=5), st.integers(0, 2**32 - 1))
def test_smaa_acceptabilities_of_each_option_sum_to_one(p, seed):
    r = smaa(p, 2000, seed=seed)
    assert np.allclose(r.rank_acceptability.sum(axis=1), 1)
    assert np.allclose(r.rank_acceptability.sum(axis=0), 1)


def test_sentences_say_what_would_have_to_change(bham):
    from appraisal.reports.sensitivity import sensitivity_report, sentences

    lines = sentences(bham, sensitivity_report(bham, samples=100))
    assert lines[0] == ("Integrated transformation stays first unless the weight on 'Break from the past' rises above 21.7% "
                        "of the total (Trust Model - accountable to BCC would lead).")
    assert lines[-1] == "No single score change within the scale changes the leader; the fewest one-point edits that do are 9."
    table = run_cli("sensitivity", "--samples", "500")
    assert "stays first unless the weight on 'Break from the past' rises above 21.7%" in table.stdout.replace("\n", " ")


def test_a_single_option_has_no_switching_values_and_no_tornado():
    # Found by hypothesis through the xlsx export: with no rival, thresholds were infinite.
    p = Problem(np.array([[3.0, 4.0]]), np.array([1.0, 2.0]), np.ones(1, bool), np.ones(2, bool), 1, 5)
    assert all(s.switch_to is None for s in score_switching(p))
    assert tornado(p) == []
    assert smallest_leader_change(p) == ([], None)


def test_the_confidence_factor_is_said_in_words_never_as_a_certainty():
    """Review: "Confidence 100%" beside a 0.4% share of first places read as certainty."""
    from appraisal.reports.sensitivity import central_words

    assert central_words(1.0, 0.004) == "yes" and central_words(0.0, 0.2) == "no"
    assert central_words(0.5, 0.3) == "tied (2 ways)" and central_words(0.0, 0.0) == "never first"
    assert central_words(0.731, 0.3, uncertain=True) == "in 73.1% of score draws"
