"""Bad value trees, value functions, measures, costs and group weights: one `error:` line naming the file,
the line and the key; exit 2; nothing written."""

from __future__ import annotations

import copy

import pytest
import tomli_w

from appraisal.cli import main

from .treefiles import tree_appraisal, tree_criteria, write_tree


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err, *needles):
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def changed(data, fn):
    d = copy.deepcopy(data)
    fn(d)
    return d


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


CRITERIA_CASES = {
    # name: (mutation of the criteria file, fragments of the error, text on the line it must name)
    "criterion in an unknown group": (lambda d: d["criteria"][0].update(group="nowhere"),
                                      ["criteria[0].group", "unknown group 'nowhere'"], 'group = "nowhere"'),
    "a cycle of groups": (lambda d: d["groups"][0].update(parent="people"), ["groups[0].parent", "cycle of groups: benefits -> people -> benefits"],
                          'parent = "people"'),
    "a group that is its own parent": (lambda d: d["groups"][2].update(parent="delivery"), ["groups[2].parent", "cycle of groups"], 'parent = "delivery"'),
    "a group with no criteria": (lambda d: d["groups"].append({"id": "empty", "name": "Empty"}), ["groups[3]", "group 'empty' has no criteria"],
                                 'id = "empty"'),
    "an unknown parent": (lambda d: d["groups"][1].update(parent="nope"), ["groups[1].parent", "unknown group 'nope'"], 'parent = "nope"'),
    "a duplicate group": (lambda d: d["groups"][2].update(id="benefits"), ["groups[2].id", "duplicate group id 'benefits'"], None),
    "a group named like a criterion": (lambda d: d["groups"][2].update(id="risk"), ["groups[2].id", "both a group and a criterion"], None),
    "linear value function the wrong way": (lambda d: d["criteria"][3]["value"].update(worst=10, best=40),
                                            ["criteria[3].value.best", "not monotone in the stated direction", 'better = "lower"'], "best = 40"),
    "linear value function with no range": (lambda d: d["criteria"][3]["value"].update(worst=10, best=10), ["criteria[3].value.best", "needs a range"], None),
    "piecewise points unsorted": (lambda d: d["criteria"][4]["value"].update(points=[[6, 5], [24, 1], [12, 4]]),
                                  ["criteria[4].value.points", "sorted by measure", "12 comes after 24"], "points ="),
    "piecewise points repeating a measure": (lambda d: d["criteria"][4]["value"].update(points=[[6, 5], [6, 4], [24, 1]]),
                                             ["criteria[4].value.points", "sorted by measure"], None),
    "piecewise not monotone": (lambda d: d["criteria"][4]["value"].update(points=[[6, 5], [12, 2], [24, 3]]),
                               ["criteria[4].value.points", "not monotone in the stated direction", "rises from 2 to 3"], "points ="),
    "piecewise score off the scale": (lambda d: d["criteria"][4]["value"].update(points=[[6, 9], [24, 1]]),
                                      ["criteria[4].value.points", "outside the scale 1..5"], None),
    "piecewise with one point": (lambda d: d["criteria"][4]["value"].update(points=[[6, 5]]), ["criteria[4].value.points", "at least two points"], None),
    "piecewise flat everywhere": (lambda d: d["criteria"][4]["value"].update(points=[[6, 3], [24, 3]]), ["criteria[4].value.points", "needs a range"], None),
    "unknown value function type": (lambda d: d["criteria"][3]["value"].update(type="log"), ["criteria[3].value", "log"], None),
    "a unit without a value function": (lambda d: d["criteria"][0].update(unit="kg"), ["criteria[0].unit", "needs a value function"], 'unit = "kg"'),
    "better without a value function": (lambda d: d["criteria"][0].update(better="lower"), ["criteria[0].better", "needs a value function"], None),
    "better neither higher nor lower": (lambda d: d["criteria"][3].update(better="smaller"), ["criteria[3].better", "smaller"], None),
}


@pytest.mark.parametrize("name", list(CRITERIA_CASES))
def test_bad_criteria_file(name, tmp_path, capsys):
    fn, needles, on_line = CRITERIA_CASES[name]
    path = write_tree(tmp_path, criteria=changed(tree_criteria(), fn))
    code, out, err = run(capsys, "rank", str(path))
    crit = tmp_path / "criteria.toml"
    assert_one_line_error(code, out, err, str(crit), *needles)
    if on_line:
        assert f"{crit}:{line_of(crit, on_line)}:" in err, err


APPRAISAL_CASES = {
    "measure on a scale criterion": (lambda d: d["scores"][0].update(measure=4) or d["scores"][0].pop("score"),
                                     ["scores[0].measure", "'quality' is scored on the scale: give `score`, not `measure`"], "measure = 4"),
    "score on a natural-unit criterion": (lambda d: d["scores"][3].update(score=3.5) or d["scores"][3].pop("measure"),
                                          ["scores[3].score", "'running-cost' is measured in £m: give `measure`, not `score`"], "score = 3.5"),
    "score and measure on a natural-unit criterion": (lambda d: d["scores"][3].update(score=3), ["scores[3].score", "give `measure`, not `score`"], None),
    "no measure": (lambda d: d["scores"][3].pop("measure"), ["scores[3]", "no measure"], None),
    "a measure and missing": (lambda d: d["scores"][3].update(missing=True), ["scores[3].missing", "cannot have a measure and `missing = true`"], None),
    "a measure that is not a number": (lambda d: d["scores"][3].update(measure="cheap"), ["scores[3].measure", "must be a number"], None),
    "an infinite measure": (lambda d: d["scores"][3].update(measure=float("inf")), ["scores[3].measure", "finite"], None),
    "negative cost": (lambda d: d["options"][1].update(cost=-2), ["options[1].cost", "cost must be >= 0, not -2"], "cost = -2"),
    "NaN cost": (lambda d: d["options"][1].update(cost=float("nan")), ["options[1].cost", "finite"], None),
    "cost not a number": (lambda d: d["options"][1].update(cost="2m"), ["options[1].cost", "must be a number"], None),
    "group weight for an unknown group": (lambda d: d.update(group_weights={"benefits": 1, "people": 1, "delivery": 1, "nope": 1}),
                                          ["group_weights.nope", "unknown group 'nope'"], "nope = 1"),
    "no weight for a group": (lambda d: d.update(group_weights={"benefits": 1, "delivery": 1}), ["group_weights", "no weight for group 'people'"], None),
    "negative group weight": (lambda d: d.update(group_weights={"benefits": 1, "people": -1, "delivery": 1}),
                              ["group_weights.people", ">= 0, not -1"], "people = -1"),
    "group weights all zero": (lambda d: d.update(group_weights={"benefits": 0, "people": 1, "delivery": 0}) or d["weights"].update(risk=0),
                               ["group_weights", "at the top of the tree are all zero"], None),
    "weights within a group all zero": (lambda d: d.update(group_weights={"benefits": 1, "people": 1, "delivery": 1})
                                        or d["weights"].update({"running-cost": 0, "months": 0}), ["weights", "within group 'Delivery' are all zero"], None),
}


@pytest.mark.parametrize("name", list(APPRAISAL_CASES))
def test_bad_appraisal_file(name, tmp_path, capsys):
    fn, needles, on_line = APPRAISAL_CASES[name]
    path = write_tree(tmp_path, changed(tree_appraisal(), fn))
    code, out, err = run(capsys, "rank", str(path))
    assert_one_line_error(code, out, err, str(path), *needles)
    if on_line:
        assert f"{path}:{line_of(path, on_line)}:" in err, err


def test_group_weights_without_groups(tmp_path, capsys):
    criteria = tree_criteria()
    criteria["groups"] = []
    for c in criteria["criteria"]:
        c.pop("group", None)
    path = write_tree(tmp_path, tree_appraisal(group_weights={}), criteria)
    assert_one_line_error(*run(capsys, "rank", str(path)), "group_weights", "no [[groups]]")


def test_participants_do_not_score_measured_criteria(tmp_path, capsys):
    data = tree_appraisal()
    data["participants"] = [{"name": "Ann", "scores": {"alpha:running-cost": 3}}]
    path = write_tree(tmp_path, data)
    assert_one_line_error(*run(capsys, "rank", str(path)), "participants[0].scores", "measured in natural units")


def _scenario(tmp_path, steps=(), expect=None, **header):
    write_tree(tmp_path, tree_appraisal(costs={"alpha": 1, "beta": 2, "gamma": 3}))
    data = {"scenario": {"title": "S", "base": "appraisal.toml", **header}, "steps": list(steps)}
    if expect:
        data["expect"] = expect
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(data))
    return path


SCENARIO_CASES = {
    "set-measure on a scale criterion": ([{"action": "set-measure", "option": "alpha", "criterion": "quality", "measure": 3}], None,
                                         ["steps[0].measure", "scored on the scale"]),
    "set-measure not a number": ([{"action": "set-measure", "option": "alpha", "criterion": "months", "measure": "soon"}], None,
                                 ["steps[0].measure", "must be a number"]),
    "set-measure unknown option": ([{"action": "set-measure", "option": "delta", "criterion": "months", "measure": 3}], None,
                                   ["steps[0].option", "unknown option 'delta'"]),
    "set-score on a measured criterion": ([{"action": "set-score", "option": "alpha", "criterion": "months", "score": 3}], None,
                                          ["steps[0].score", "measured in months: set its measure"]),
    "set-cost negative": ([{"action": "set-cost", "option": "alpha", "cost": -1}], None, ["steps[0].cost", ">= 0"]),
    "set-group-weight unknown group": ([{"action": "set-group-weight", "group": "nope", "weight": 2}], None, ["steps[0].group", "unknown group 'nope'"]),
    "set-group-weight negative": ([{"action": "set-group-weight", "group": "delivery", "weight": -2}], None, ["steps[0].weight", ">= 0"]),
    "set-group-weight zeroing the top": ([{"action": "set-weight", "criterion": "risk", "weight": 0},
                                          {"action": "set-group-weight", "group": "benefits", "weight": 0},
                                          {"action": "set-group-weight", "group": "delivery", "weight": 0}], None,
                                         ["steps[2].weight", "all zero"]),
    "preset within an unknown group": ([{"action": "weights-preset", "preset": "equal", "within": "nope"}], None,
                                       ["steps[0].within", "unknown group 'nope'"]),
    "ROC within a group, missing one": ([{"action": "weights-preset", "preset": "rank-order-centroid", "within": "people", "order": ["staff"]}], None,
                                        ["steps[0].order", "missing: families"]),
    "ROC at the top naming a nested group": ([{"action": "weights-preset", "preset": "rank-order-centroid", "within": "/",
                                               "order": ["benefits", "delivery", "risk", "people"]}], None, ["steps[0].order", "people"]),
    "swing within a group without a 100": ([{"action": "weights-preset", "preset": "swing", "within": "people", "points": {"staff": 50, "families": 20}}],
                                           None, ["steps[0].points", "must be 100"]),
    "as-loaded within a group": ([{"action": "weights-preset", "preset": "as-loaded", "within": "people"}], None, ["steps[0].within", "leave out `within`"]),
    "expect group_totals for an unknown group": ((), {"group_totals": {"alpha": {"nope": 3}}}, ["expect.group_totals.alpha.nope", "unknown group"]),
    "expect group_totals for an unknown option": ((), {"group_totals": {"delta": {"people": 3}}}, ["expect.group_totals.delta", "unknown option"]),
    "expect a frontier of unknown options": ((), {"frontier": ["alpha", "delta"]}, ["expect.frontier", "unknown option 'delta'"]),
}


@pytest.mark.parametrize("name", list(SCENARIO_CASES))
def test_bad_scenario(name, tmp_path, capsys):
    steps, expect, needles = SCENARIO_CASES[name]
    path = _scenario(tmp_path, steps, expect)
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), *needles)


def test_a_frontier_needs_costs(tmp_path, capsys):
    write_tree(tmp_path)
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"scenario": {"title": "S", "base": "appraisal.toml"}, "expect": {"frontier": ["alpha"]}}))
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), "expect.frontier", "no option has a cost")


def test_a_scenario_criteria_file_must_name_the_same_criteria(tmp_path, capsys):
    criteria = tree_criteria()
    criteria["criteria"].pop()  # no "risk"
    (tmp_path / "other.toml").write_text(tomli_w.dumps(criteria))
    path = _scenario(tmp_path, criteria="other.toml")
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), "scenario.criteria", "same criteria as the base; missing: risk")


def test_a_scenario_criteria_file_that_does_not_fit_the_base(tmp_path, capsys):
    criteria = tree_criteria()
    criteria["criteria"][0].update(unit="points", value={"type": "linear", "worst": 0, "best": 10})  # quality becomes measured
    (tmp_path / "other.toml").write_text(tomli_w.dumps(criteria))
    path = _scenario(tmp_path, criteria="other.toml")
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), "scenario.criteria", "does not fit", "give `measure`, not `score`")


def test_a_scenario_criteria_file_that_is_missing(tmp_path, capsys):
    path = _scenario(tmp_path, criteria="gone.toml")
    assert_one_line_error(*run(capsys, "rank", str(path)), f"{path}:", "scenario.criteria", "'gone.toml' not found")


def test_scenario_group_weights_for_an_unknown_group(tmp_path, capsys):
    write_tree(tmp_path)
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps({"scenario": {"title": "S", "base": "appraisal.toml"}, "group_weights": {"benefits": 1, "people": 1, "delivery": 1, "x": 2}}))
    code, out, err = run(capsys, "rank", str(path))
    assert_one_line_error(code, out, err, "group_weights.x", "unknown group 'x'")
    assert f"{path}:{line_of(path, 'x = 2')}:" in err


@pytest.mark.parametrize("flags, needles", [
    (["--group-weight", "nope=2"], ["--group-weight 'nope=2'", "unknown group"]),
    (["--group-weight", "people"], ["expected GROUP=WEIGHT"]),
    (["--group-weight", "people=-1"], [">= 0"]),
    (["--measure", "alpha:quality=3"], ["--measure 'alpha:quality=3'", "scored on the scale"]),
    (["--measure", "alpha:months=soon"], ["'soon' is not a number"]),
    (["--measure", "alpha=3"], ["expected OPTION:CRITERION=MEASURE"]),
    (["--cost", "alpha=-3"], ["--cost 'alpha=-3'", ">= 0"]),
    (["--cost", "alpha=inf"], ["not a finite number"]),
    (["--cost", "delta=3"], ["unknown option 'delta'"]),
    (["--score", "alpha:months=3"], ["measured in months"]),
])
def test_bad_flags(tmp_path, capsys, flags, needles):
    path = write_tree(tmp_path)
    assert_one_line_error(*run(capsys, "rank", str(path), *flags), *needles)


def test_the_valid_tree_is_valid(tmp_path, capsys):
    code, out, err = run(capsys, "rank", str(write_tree(tmp_path, tree_appraisal(group_weights={"benefits": 2, "people": 1, "delivery": 1}))), "--format", "json")
    assert code == 0 and err == ""
