"""Scenario steps and expectations for value trees: set-measure, set-cost, set-group-weight and presets per
level replay, fail loudly when wrong, and survive a workshop journal."""

from __future__ import annotations

import shutil

import pytest

from appraisal.cli import main
from appraisal.io.journal import export_journal, journal_path
from appraisal.io.load import load
from appraisal.model.scenario import CostStep, GroupWeightStep, MeasureStep, PresetStep
from appraisal.reports.replay import replay_file
from appraisal.session import Session

from .conftest import REPO


def copy_case(tmp_path):
    (tmp_path / "criteria").mkdir()
    (tmp_path / "scenarios").mkdir()
    shutil.copy(REPO / "criteria" / "case-system.toml", tmp_path / "criteria")
    shutil.copy(REPO / "scenarios" / "case-system.toml", tmp_path / "scenarios")
    return tmp_path / "scenarios" / "case-system.toml"


def test_wrong_tree_expectations_fail_loudly(tmp_path, capsys):
    copy_case(tmp_path)
    path = tmp_path / "scenarios" / "wrong.toml"
    path.write_text('[scenario]\ntitle = "w"\nbase = "case-system.toml"\n\n[expect]\nfrontier = ["patch", "buy"]\n'
                    '[expect.group_totals]\nbuy = { benefits = 40 }\n')
    assert main(["replay", str(path)]) == 1
    out = capsys.readouterr().out
    assert "frontier: expected [patch, buy], actual [patch, upgrade, buy]" in out
    assert "group_totals.buy.benefits: expected 40, actual 43.8" in out


def test_steps_replay_and_a_journal_of_them_exports_to_a_scenario_that_replays(tmp_path):
    base = copy_case(tmp_path)
    loaded = load(base)
    s = Session(loaded.appraisal, base)
    s.apply(MeasureStep(action="set-measure", option="upgrade", criterion="go-live", measure=7, note="revised plan"))
    s.apply(CostStep(action="set-cost", option="upgrade", cost=1.5))
    s.apply(GroupWeightStep(action="set-group-weight", group="delivery", weight=0.6))
    s.apply(PresetStep(action="weights-preset", preset="equal", within="benefits"))
    a = s.current
    assert a.cell("upgrade", "go-live").measure == 7 and a.cell("upgrade", "go-live").score == pytest.approx(100 - 40 / 6)
    assert a.option("upgrade").cost == 1.5 and a.group_weights == {"benefits": 0.6, "delivery": 0.6}
    assert a.weights["time-saved"] == a.weights["usability"] == 50
    out = tmp_path / "scenarios" / "session.toml"
    export_journal(journal_path(base), out)
    r = replay_file(out)
    assert r.status == "pass", r.failures
    assert load(out).appraisal == a
    s.undo()
    assert s.current.weights["time-saved"] == 70


def test_as_loaded_restores_group_weights():
    loaded = load(REPO / "scenarios" / "case-system-supplier-offer.toml")
    from appraisal.model.steps import apply_step

    back = apply_step(loaded.appraisal, PresetStep(action="weights-preset", preset="as-loaded"), loaded.as_loaded)
    assert back.group_weights == {"benefits": 0.6, "delivery": 0.4}


def test_a_regrouped_scenario_keeps_its_own_criteria_for_saving():
    loaded = load(REPO / "scenarios" / "birmingham-2013-tree-weighted.toml")
    assert loaded.appraisal.criteria_ref == "../criteria/birmingham-2013-tree.toml"
    assert loaded.as_loaded.group_weights == loaded.appraisal.group_weights  # [group_weights] is part of what was loaded
    assert [g.id for g in loaded.as_loaded.groups] == [g.id for g in loaded.appraisal.groups]


def test_the_schema_lists_the_new_steps():
    from appraisal.model.schema import json_schema

    text = str(json_schema("scenario"))
    for action in ("set-measure", "set-cost", "set-group-weight"):
        assert action in text
    assert "PiecewiseValue" in str(json_schema("criteria"))


def test_group_and_participant_expectations_on_a_weighted_tree(tmp_path):
    """The group's appraisal carries effective weights: the tree's group weights must not apply twice."""
    from appraisal.reports.group import group_appraisal, participant_appraisal
    from appraisal.engine import evaluate, problem_from

    from .treefiles import tree_appraisal, write_tree

    data = tree_appraisal(group_weights={"benefits": 2, "people": 1, "delivery": 1})
    data["participants"] = [{"name": "Ann", "weights": {"staff": 3}, "scores": {"beta:quality": 1}}, {"name": "Bo", "weights": {"risk": 5}}]
    a = load(write_tree(tmp_path, data)).appraisal
    ann = participant_appraisal(a, "Ann")
    mine = problem_from(a.model_copy(update={"weights": {**a.weights, "staff": 3.0}, "participants": ()}))
    assert evaluate(problem_from(ann)).shares == pytest.approx(evaluate(mine).shares)
    assert ann.cell("beta", "quality").score == 1  # her own scores count too
    group = group_appraisal(a)
    assert group.group_weights is None and evaluate(problem_from(group)).shares.sum() == pytest.approx(1)


def test_replayed_smaa_on_a_weighted_tree_samples_by_node(tmp_path):
    copy_case(tmp_path)
    path = tmp_path / "scenarios" / "smaa.toml"
    path.write_text('[scenario]\ntitle = "s"\nbase = "case-system.toml"\n\n[expect.smaa]\nsamples = 4000\nseed = 1\n'
                    'first = { upgrade = { at_most = 0.23 }, patch = { at_least = 0.35 } }\n')  # flat sampling gives 0.28 and 0.32
    r = replay_file(path)
    assert r.status == "pass", r.failures


def test_tree_edits_in_words_and_reset_in_a_session(tmp_path):
    from appraisal.model.scenario import WeightStep

    base = copy_case(tmp_path)
    a = load(base).appraisal
    s = Session(a, None, journal=False)
    steps = [MeasureStep(action="set-measure", option="buy", criterion="go-live", measure=17),
             CostStep(action="set-cost", option="buy", cost=2.5),
             GroupWeightStep(action="set-group-weight", group="delivery", weight=0.5),
             PresetStep(action="weights-preset", preset="equal", within="benefits"),
             PresetStep(action="weights-preset", preset="swing", within="/", points={"benefits": 100, "delivery": 50})]
    words = []
    for step in steps:
        before = s.current
        s.apply(step)
        words.append(s.describe(step, before))
    assert words == ["Buy / Time to go live: 15 months → 17 months", "Cost of Buy: £2m → £2.5m",
                     "Weight of group Delivery: 0.4 → 0.5", "Weights: equal within Benefits to practice",
                     "Weights: swing among the top-level groups"]
    reset = s.reset_steps([("buy", "go-live")], list(a.criterion_index), [])
    assert reset[0] == MeasureStep(action="set-measure", option="buy", criterion="go-live", measure=15)
    assert reset[1].action == "weights-preset" and reset[1].preset == "as-loaded"
    s.apply(*reset)
    assert s.current.cell("buy", "go-live").score == 45 and s.current.group_weights == a.group_weights and s.current.weights == a.weights
    assert not any(isinstance(x, WeightStep) for x in s.reset_steps([], ["go-live"], []))  # one criterion's weight is as loaded
