"""The value tree: effective shares multiply down the tree and sum to 1, a tree that only regroups leaves
every result exactly as it was, group subtotals add up, permuting groups or criteria permutes results,
presets per level, and the shipped tree examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.engine import evaluate, problem_from
from appraisal.engine.optimality import potential_optimality
from appraisal.engine.tree import effective_shares, effective_weights, group_totals, local_shares, tree_from
from appraisal.errors import AppraisalError
from appraisal.io import load_appraisal
from appraisal.io.load import load
from appraisal.model import edits
from appraisal.model.criteria import CriteriaFile
from appraisal.model.regroup import regroup, with_group_weights
from appraisal.model import tree_edits
from appraisal.reports.ranking import ranking_report
from appraisal.reports.sensitivity import sensitivity_report

from .conftest import OPTIONS, REPO
from .treefiles import write_tree, tree_appraisal

TREE = REPO / "scenarios" / "birmingham-2013-tree.toml"
WEIGHTED = REPO / "scenarios" / "birmingham-2013-tree-weighted.toml"


# --- random trees ----------------------------------------------------------------------------------

@st.composite
def trees(draw, max_groups: int = 6, max_criteria: int = 9):
    """A random value tree as a criteria file: each group's parent comes before it (so no cycles), and
    every group gets at least one criterion (directly or below) by giving each leaf group one."""
    G = draw(st.integers(0, max_groups))
    parents = [draw(st.integers(-1, k - 1)) for k in range(G)]
    has_child = {p for p in parents if p >= 0}
    leaf_groups = [k for k in range(G) if k not in has_child]
    m = draw(st.integers(max(1, len(leaf_groups)), max(max_criteria, len(leaf_groups))))
    homes = leaf_groups + [draw(st.integers(-1, G - 1)) for _ in range(m - len(leaf_groups))]
    groups = [{"id": f"g{k}", "name": f"G{k}", **({"parent": f"g{p}"} if p >= 0 else {})} for k, p in enumerate(parents)]
    criteria = [{"id": f"c{j}", "name": f"C{j}", **({"group": f"g{h}"} if h >= 0 else {})} for j, h in enumerate(homes)]
    weights = {c["id"]: draw(st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.25])) for c in criteria}
    group_weights = {g["id"]: draw(st.sampled_from([0.5, 1.0, 2.0, 4.0, 10.0])) for g in groups}
    n = draw(st.integers(2, 5))
    scores = draw(st.lists(st.lists(st.integers(2, 10).map(lambda k: k / 2), min_size=m, max_size=m), min_size=n, max_size=n))
    return groups, criteria, weights, group_weights, scores


def _appraisal(groups, criteria, weights, group_weights, scores, tmp_path, local: bool = True, name: str = "a.toml"):
    import tomli_w

    (tmp_path / "criteria.toml").write_text(tomli_w.dumps({"scale": {"min": 1, "max": 5, "step": 0.5}, "groups": groups, "criteria": criteria}))
    options = [f"o{i}" for i in range(len(scores))]
    data = {
        "appraisal": {"title": "T", "criteria": "criteria.toml"},
        "weights": weights,
        "options": [{"id": o, "name": o} for o in options],
        "scores": [{"option": o, "criterion": c["id"], "score": scores[i][j]} for i, o in enumerate(options) for j, c in enumerate(criteria)],
    }
    if local and groups:
        data["group_weights"] = group_weights
    (tmp_path / name).write_text(tomli_w.dumps(data))
    return load_appraisal(tmp_path / name)


def _path_product(a, j: int) -> float:
    """Brute force: a criterion's effective share as the product of its and its ancestors' shares among siblings."""
    gw = a.group_weights
    weight = {**a.weights, **(gw or {})}
    parent = {c.id: c.group for c in a.criteria} | {g.id: g.parent for g in a.groups}

    def siblings(node):
        return [x for x, p in parent.items() if p == parent[node]]

    node, share = a.criteria[j].id, 1.0
    while node is not None:
        share *= weight[node] / sum(weight[s] for s in siblings(node))
        node = parent[node]
    return share


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees())
def test_effective_shares_multiply_down_the_tree_and_sum_to_one(tmp_path_factory, tree):
    a = _appraisal(*tree, tmp_path_factory.mktemp("t"))
    p = problem_from(a)
    sh = effective_shares(tree_from(a), np.array([a.weights[c.id] for c in a.criteria]), p.criterion_active)
    assert sh.sum() == pytest.approx(1.0, abs=1e-12)
    for j in range(len(a.criteria)):
        assert sh[j] == pytest.approx(_path_product(a, j), rel=1e-12, abs=1e-15)
    # The flat view's weights give the same shares, and keep the top level's total weight.
    assert evaluate(p).shares == pytest.approx(sh, rel=1e-12, abs=1e-15)
    if a.groups:
        top = sum(a.group_weights[g.id] for g in a.groups if g.parent is None) + sum(a.weights[c.id] for c in a.criteria if c.group is None)
        assert p.weights.sum() == pytest.approx(top, rel=1e-12)


def test_shares_multiply_down_the_shipped_weighted_tree():
    a = load_appraisal(WEIGHTED)
    sh = dict(zip(problem_from(a).criterion_ids, evaluate(problem_from(a)).shares))
    # services 40/100, practice 50/100 of that, outcomes one of four equal criteria: 0.4 x 0.5 x 3/12.
    assert sh["outcomes"] == pytest.approx(0.4 * 0.5 * 3 / 12)
    assert sh["vision"] == pytest.approx(0.4 * 0.5 * 3 / 18)
    assert sh["dfe-acceptability"] == pytest.approx(0.3 / 5)
    assert sh["speed"] == sh["financial-viability"] == pytest.approx(0.075)
    assert sum(sh.values()) == pytest.approx(1.0)


def test_group_weights_equal_to_the_sums_of_the_leaves_give_exactly_todays_results(bham):
    """A one-level tree whose group weights are the sums of their criteria's global weights: every number
    identical (==, not approximately) to the flat appraisal's, the sensitivity report included."""
    groups = {"services": ["outcomes", "vision", "break-from-past", "cultural-change", "short-term-practice", "recruitment-retention",
                           "leadership", "pace", "external-capacity", "partnerships"],
              "acceptability": ["dfe-acceptability", "local-acceptability", "dfe-transparency", "accountability", "political-leadership"],
              "deliverability": ["speed", "corporate-support"], "finance": ["financial-stability", "financial-viability"]}
    home = {c: g for g, cs in groups.items() for c in cs}
    criteria = CriteriaFile.model_validate({
        "scale": bham.scale.model_dump(), "groups": [{"id": g, "name": g.title()} for g in groups],
        "criteria": [{**c.model_dump(exclude_defaults=True), "group": home[c.id]} for c in bham.criteria]})
    for weights in ({c.id: 3.0 for c in bham.criteria}, {c.id: float(k % 4 + 0.75 * (k % 3)) for k, c in enumerate(bham.criteria)}):
        flat = edits.set_weights(bham, weights)
        tree = regroup(flat, criteria, "x.toml")
        tree = with_group_weights(tree, {g: sum(weights[c] for c in cs) for g, cs in groups.items()})
        pf, pt = problem_from(flat), problem_from(tree)
        assert pt.weights.tolist() == pf.weights.tolist()
        ef, et = evaluate(pf), evaluate(pt)
        for key in ("shares", "unweighted", "weighted", "percent", "rank_unweighted", "rank_weighted", "dominates"):
            assert getattr(et, key).tolist() == getattr(ef, key).tolist(), key
        rf, rt = sensitivity_report(flat, samples=2000), sensitivity_report(tree, samples=2000)
        for key in ("leader", "one_way", "score_switching", "smallest_change", "potentially_optimal", "tornado"):
            assert rt[key] == rf[key], key
    assert ef.unweighted.tolist() == [46, 57, 64, 74, 82]


def test_the_shipped_tree_reproduces_the_published_totals():
    a = load_appraisal(TREE)
    ev = evaluate(problem_from(a))
    assert ev.unweighted.tolist() == [46, 57, 64, 74, 82]
    assert ev.weighted.tolist() == [138, 171, 192, 222, 246]
    assert a.group_weights is None and [g.id for g in a.groups] == ["services", "practice", "change", "acceptability", "deliverability", "finance"]
    flat = load_appraisal(REPO / "scenarios" / "birmingham-2013.toml")
    assert [c.id for c in a.criteria] == [c.id for c in flat.criteria]
    assert a.cells == flat.cells and a.weights == flat.weights


def test_group_subtotals_add_up_to_the_weighted_totals():
    for path in (TREE, WEIGHTED):
        a = load_appraisal(path)
        p = problem_from(a)
        t = tree_from(a)
        totals = group_totals(t, p.scores, p.weights, p.criterion_active)
        top = [k for k, g in enumerate(a.groups) if g.parent is None]
        assert totals[:, top].sum(axis=1) == pytest.approx(evaluate(p).weighted)
        services = [g.id for g in a.groups].index("services")
        children = [k for k, g in enumerate(a.groups) if g.parent == "services"]
        assert totals[:, services] == pytest.approx(totals[:, children].sum(axis=1))


def test_group_totals_with_a_missing_score(tmp_path):
    data = tree_appraisal()
    data["scores"][1] = {"option": "alpha", "criterion": "staff", "missing": True}
    a = load_appraisal(write_tree(tmp_path, data))
    report = ranking_report(a)
    alpha = report["options"][0]
    assert alpha["group_totals"]["people"] is None and alpha["group_totals"]["benefits"] is None
    assert alpha["group_totals"]["delivery"] is not None and alpha["rank_weighted"] is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees(), st.randoms(use_true_random=False), st.booleans())
def test_permuting_groups_or_criteria_permutes_results(tmp_path_factory, tree, rnd, local):
    groups, criteria, weights, group_weights, scores = tree
    a = _appraisal(groups, criteria, weights, group_weights, scores, tmp_path_factory.mktemp("a"), local)
    g_order = list(range(len(groups)))
    c_order = list(range(len(criteria)))
    rnd.shuffle(g_order)
    rnd.shuffle(c_order)
    b = _appraisal([groups[k] for k in g_order], [criteria[j] for j in c_order], weights, group_weights,
                   [[row[j] for j in c_order] for row in scores], tmp_path_factory.mktemp("b"), local)
    ra, rb = ranking_report(a), ranking_report(b)
    for oa, ob in zip(ra["options"], rb["options"]):
        assert oa["id"] == ob["id"]
        for key in ("unweighted_total", "weighted_total", "weighted_percent"):
            assert ob[key] == pytest.approx(oa[key], rel=1e-12)
        assert oa["group_totals"].keys() == ob["group_totals"].keys()
        for g, v in oa["group_totals"].items():
            assert ob["group_totals"][g] == pytest.approx(v, rel=1e-12, abs=1e-12)
    crit_b = {c["id"]: c for c in rb["criteria"]}
    for c in ra["criteria"]:
        assert crit_b[c["id"]]["effective_share"] == pytest.approx(c["effective_share"], rel=1e-12, abs=1e-15)
        assert crit_b[c["id"]]["group"] == c["group"]
    group_b = {g["id"]: g for g in rb["groups"]}
    for g in ra["groups"]:
        assert group_b[g["id"]]["share"] == pytest.approx(g["share"], rel=1e-12, abs=1e-15)
        assert group_b[g["id"]]["local_share"] == pytest.approx(g["local_share"], rel=1e-12, abs=1e-15)


def test_switching_a_criterion_off_shares_its_weight_within_its_group(tmp_path):
    a = load_appraisal(write_tree(tmp_path, tree_appraisal(group_weights={"benefits": 1, "people": 1, "delivery": 1})))
    before = dict(zip(problem_from(a).criterion_ids, evaluate(problem_from(a)).shares))
    off = edits.set_enabled(a, "staff", False)
    after = dict(zip(problem_from(off).criterion_ids, evaluate(problem_from(off)).shares))
    assert after["staff"] == 0
    assert after["families"] == pytest.approx(before["families"] + before["staff"])
    for c in ("quality", "running-cost", "months", "risk"):
        assert after[c] == pytest.approx(before[c])
    # A whole group off: its siblings share its weight.
    both = edits.set_enabled(off, "families", False)
    sh = dict(zip(problem_from(both).criterion_ids, evaluate(problem_from(both)).shares))
    assert sh["quality"] == pytest.approx(before["quality"] + before["staff"] + before["families"])


def test_localising_weights_changes_no_share(tmp_path):
    a = load_appraisal(TREE)
    b = tree_edits.localise(a)
    assert b.group_weights == {"services": 30, "practice": 12, "change": 18, "acceptability": 15, "deliverability": 6, "finance": 6}
    assert evaluate(problem_from(b)).shares == pytest.approx(evaluate(problem_from(a)).shares, rel=1e-15)
    assert evaluate(problem_from(b)).weighted.tolist() == [138, 171, 192, 222, 246]


def test_set_group_weight_on_global_weights_localises_first():
    a = load_appraisal(TREE)
    b = tree_edits.set_group_weight(a, "finance", 12)
    sh = dict(zip(problem_from(b).criterion_ids, evaluate(problem_from(b)).shares))
    # finance 12 of 30 + 15 + 6 + 12 = 63, split equally between its two criteria.
    assert sh["financial-viability"] == pytest.approx(12 / 63 / 2)
    assert sh["speed"] == pytest.approx(6 / 63 / 2)


def test_presets_per_level():
    a = load_appraisal(TREE)
    roc = tree_edits.rank_order_centroid_within(a, "/", ["services", "acceptability", "finance", "deliverability"])
    assert roc.group_weights["services"] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)
    assert roc.group_weights["deliverability"] == pytest.approx(1 / 16)
    assert roc.group_weights["practice"] == 12  # nested levels untouched
    eq = tree_edits.equal_within(roc, "services")
    assert eq.group_weights["practice"] == eq.group_weights["change"] == 15
    sw = tree_edits.swing_within(eq, "acceptability", {"dfe-acceptability": 100, "local-acceptability": 80, "accountability": 50,
                                                        "political-leadership": 40, "dfe-transparency": 30})
    sh = dict(zip(problem_from(sw).criterion_ids, evaluate(problem_from(sw)).shares))
    assert sh["dfe-acceptability"] == pytest.approx(roc.group_weights["acceptability"] * 100 / 300)
    assert sum(sh.values()) == pytest.approx(1)
    # Equal at the top: the top-level groups' mean weight each.
    top = tree_edits.equal_within(a, "/")
    assert [top.group_weights[g] for g in ("services", "acceptability", "deliverability", "finance")] == [14.25] * 4
    with pytest.raises(AppraisalError, match="missing: finance"):
        tree_edits.rank_order_centroid_within(a, "/", ["services", "acceptability", "deliverability"])
    with pytest.raises(AppraisalError, match="unknown group"):
        tree_edits.equal_within(a, "nowhere")


def test_the_shipped_tree_scenarios_replay_their_hand_arithmetic():
    w = load_appraisal(WEIGHTED)
    report = ranking_report(w)
    integrated = next(o for o in report["options"] if o["id"] == "integrated")
    assert integrated["weighted_total"] == pytest.approx(434.5)
    assert integrated["weighted_percent"] == pytest.approx(86.9)
    assert integrated["group_totals"]["practice"] == pytest.approx(95)
    presets = load(REPO / "scenarios" / "birmingham-2013-tree-presets.toml")
    assert [s.within for s in presets.steps] == ["/", "services", "acceptability"]


def test_rank_json_gains_the_tree_and_value_for_money():
    a = load_appraisal(WEIGHTED)
    r = ranking_report(a)
    g = {x["id"]: x for x in r["groups"]}
    assert set(g["practice"]) >= {"id", "name", "parent", "weight", "share"}
    assert g["practice"]["parent"] == "services" and g["practice"]["weight"] == 50
    assert g["practice"]["share"] == pytest.approx(0.2) and g["practice"]["local_share"] == pytest.approx(0.5)
    c = {x["id"]: x for x in r["criteria"]}
    assert c["outcomes"]["group"] == "practice" and c["outcomes"]["effective_share"] == pytest.approx(0.05)
    assert r["value_for_money"] is None
    assert set(r["options"][0]["group_totals"]) == set(g)
    flat = ranking_report(load_appraisal(REPO / "scenarios" / "birmingham-2013.toml"))
    assert flat["groups"] == [] and flat["options"][0]["group_totals"] == {} and flat["criteria"][0]["group"] is None


def test_potential_optimality_on_effective_weights_is_the_flat_answer():
    """Any effective share vector is reachable by node weights, so the tree changes no answer."""
    flat = {o.option: o.potentially_optimal for o in potential_optimality(problem_from(load_appraisal(REPO / "scenarios" / "birmingham-2013.toml")))}
    tree = {o.option: o.potentially_optimal for o in potential_optimality(problem_from(load_appraisal(WEIGHTED)))}
    assert tree == flat and flat[OPTIONS.index("break-up")] is False


def test_effective_weights_without_group_weights_are_the_weights():
    a = load_appraisal(TREE)
    p = problem_from(a)
    w = np.array([a.weights[c.id] for c in a.criteria])
    assert effective_weights(tree_from(a), w, p.criterion_active).tolist() == w.tolist()
    local = local_shares(tree_from(a), w, p.criterion_active)
    assert local[[g.id for g in a.groups].index("practice")] == pytest.approx(12 / 30)


def test_a_tree_appraisal_saves_and_exports_and_reads_back_identically(tmp_path):
    from appraisal.io.write import save_appraisal
    from appraisal.reports.export import export

    a = load_appraisal(REPO / "scenarios" / "case-system.toml")
    save_appraisal(a, tmp_path / "saved.toml", criteria_file=REPO / "criteria" / "case-system.toml")
    back = load_appraisal(tmp_path / "saved.toml")
    assert back.model_dump(exclude={"criteria_ref"}) == a.model_dump(exclude={"criteria_ref"})
    export(a, tmp_path / "a.json")
    assert load_appraisal(tmp_path / "a.json").model_dump(exclude={"criteria_ref"}) == a.model_dump(exclude={"criteria_ref"})
    text = (tmp_path / "saved.toml").read_text()
    assert "[group_weights]" in text and 'cost_unit = "£m"' in text and "measure = 15" in text


def test_a_group_workshop_on_a_weighted_tree_uses_each_participants_effective_weights(tmp_path):
    from appraisal.engine.group import group_problem_from, participant_problem

    data = tree_appraisal(group_weights={"benefits": 1, "people": 1, "delivery": 1})
    data["participants"] = [{"name": "Ann", "weights": {"staff": 3}}]
    a = load_appraisal(write_tree(tmp_path, data))
    g = group_problem_from(a)
    mine = edits.set_weight(a, "staff", 3)
    assert participant_problem(g, 0).weights == pytest.approx(problem_from(mine).weights)
    with pytest.raises(AppraisalError, match="all zero"):
        edits.set_participant_weight(edits.set_participant_weight(mine, "Ann", "staff", 0), "Ann", "families", 0)


def test_sensitivity_json_gains_the_tree_analyses():
    r = sensitivity_report(load_appraisal(WEIGHTED), samples=500)
    assert {ow["group"] for ow in r["group_one_way"]} == {"services", "practice", "change", "acceptability", "deliverability", "finance"}
    assert r["smaa"]["mode"] == "uniform at each node of the value tree"
    central = r["smaa"]["central_group_shares"]["integrated"]
    assert central["services"] == pytest.approx(central["practice"] + central["change"])
    assert r["measure_switching"] == []
    flat = sensitivity_report(load_appraisal(TREE), samples=500)
    assert flat["smaa"]["mode"] == "uniform" and flat["group_one_way"]
    from appraisal.reports.sensitivity import sentences

    said = sentences(load_appraisal(WEIGHTED), r)
    assert "No change to a single group's weight among its siblings displaces Integrated transformation." in said


def test_numbers_with_units():
    from appraisal.reports.numbers import with_unit

    assert with_unit(31.4, "£m") == "£31.4m"
    assert with_unit(-2, "£m") == "-£2m"
    assert with_unit(85, "%") == "85%"
    assert with_unit(16, "months") == "16 months"
    assert with_unit(8.25, "months") == "8.25 months"
    assert with_unit(None, "months") == "–"
