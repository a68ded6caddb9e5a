"""Scenario files and `appraisal replay`: the shipped scenarios pass, a wrong one fails loudly, bad
files are one-line errors with file and line, and a journal exports to a scenario that replays."""

from __future__ import annotations

import json
import re
import random
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from appraisal.cli import main
from appraisal.io.journal import JournalWriter, export_journal, journal_path, read_journal
from appraisal.io.load import load
from appraisal.model.scenario import ExcludeStep, PresetStep, ScoreStep, WeightStep
from appraisal.reports.replay import replay_file

from .conftest import REPO, run_cli

SCENARIOS = sorted((REPO / "scenarios").glob("*.toml"))
FAILING = REPO / "tests" / "scenarios" / "deliberately-failing.toml"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_pass(path):
    r = replay_file(path)
    assert r.status == "pass", r.error or [c for c in r.failures]


def test_there_are_the_promised_scenarios():
    names = {p.name for p in SCENARIOS}
    assert {"published-2013.toml", "private-provider-prohibited.toml", "acceptability-led.toml",
            "trust-bcc-smallest-weight.toml", "workshop-2014-review.toml"} <= names
    workshop = load(REPO / "scenarios" / "workshop-2014-review.toml")
    assert all(s.note and s.by for s in workshop.steps if s.action == "set-score")


def test_the_deliberately_failing_scenario_fails_loudly():
    r = run_cli("replay", str(FAILING))
    assert r.returncode == 1
    assert "FAIL" in r.stdout
    assert "leader: expected trust-bcc, actual integrated" in r.stdout
    assert "weighted_total.integrated: expected 246, actual 251 (tolerance 1e-06)" in r.stdout


def test_replay_a_directory_and_a_glob():
    r = run_cli("replay", str(REPO / "scenarios"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("PASS") == len(SCENARIOS)
    g = run_cli("replay", str(REPO / "scenarios" / "p*.toml"))
    assert g.returncode == 0 and g.stdout.count("PASS") == 2


def test_exit_two_when_any_file_is_invalid_and_the_others_still_run(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\ntitle = "x"\nbase = "missing.toml"\n')
    r = run_cli("replay", str(bad), str(REPO / "scenarios" / "published-2013.toml"), str(FAILING))
    assert r.returncode == 2
    assert "PASS" in r.stdout and "FAIL" in r.stdout and f"ERROR {bad}:3: scenario.base: base 'missing.toml' not found" in r.stdout


def test_junit_and_json(tmp_path):
    junit = tmp_path / "out.xml"
    r = run_cli("replay", "scenarios/published-2013.toml", "tests/scenarios", "nowhere/*.toml", "--junit", str(junit), "--format", "json", cwd=REPO)
    assert r.returncode == 2  # an argument names nothing; the files still run
    data = json.loads(r.stdout)
    assert [x["status"] for x in data["results"]] == ["pass", "fail"]
    failed = {c["name"]: c for c in data["results"][1]["checks"] if not c["passed"]}
    assert failed["weighted_total.integrated"]["actual"] == 251

    # As a CI system reads it: junitparser, a <testsuites> root, a suite per file, a case per expectation.
    from junitparser import Error, Failure, JUnitXml

    xml = JUnitXml.fromfile(str(junit))
    assert ET.parse(junit).getroot().tag == "testsuites"
    suites = {s.name: s for s in xml}
    published, failing = suites["scenarios/published-2013.toml"], suites["tests/scenarios/deliberately-failing.toml"]
    expectations = {c["name"] for c in data["results"][1]["checks"]}
    cases = {c.name: c for c in failing}
    assert set(cases) == {f"deliberately-failing.toml: {n}" for n in expectations}
    assert {c.classname for c in failing} == {"tests.scenarios"} and {c.classname for c in published} == {"scenarios"}
    assert failing.tests == len(expectations) and failing.failures == len(failed) == 3 and failing.errors == 0
    leader = cases["deliberately-failing.toml: leader"].result
    assert len(leader) == 1 and isinstance(leader[0], Failure) and "leader: expected trust-bcc, actual integrated" in leader[0].message
    assert published.tests == len(data["results"][0]["checks"]) and published.failures == 0
    assert all(c.is_passed for c in published)
    for s in (published, failing):
        assert s.time >= 0 and ET.parse(junit).getroot().find(f"testsuite[@name='{s.name}']").get("time") and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", s.timestamp)
    errors = suites["arguments"]
    assert errors.errors == 1 and isinstance(next(iter(errors)).result[0], Error)
    xml.update_statistics()
    assert (xml.tests, xml.failures, xml.errors) == (published.tests + failing.tests + 1, 3, 1)


def test_junit_names_an_invalid_file_as_an_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\ntitle = 1\n")
    junit = tmp_path / "out.xml"
    assert run_cli("replay", str(bad), "--junit", str(junit)).returncode == 2
    from junitparser import Error, JUnitXml

    (suite,) = list(JUnitXml.fromfile(str(junit)))
    (case,) = list(suite)
    assert case.name == "bad.toml: loads" and isinstance(case.result[0], Error) and "bad.toml" in case.result[0].message


def scenario(tmp_path: Path, body: str, name: str = "s.toml") -> Path:
    shutil.copy(REPO / "scenarios" / "birmingham-2013.toml", tmp_path / "birmingham-2013.toml")
    (tmp_path.parent / "criteria").mkdir(exist_ok=True)
    shutil.copy(REPO / "criteria" / "birmingham-2013.toml", tmp_path.parent / "criteria" / "birmingham-2013.toml")
    path = tmp_path / name
    path.write_text(body)
    return path


HEAD = '[scenario]\ntitle = "t"\nbase = "birmingham-2013.toml"\n\n'

BAD = {
    "step on an unknown option": (HEAD + '[[steps]]\naction = "exclude"\noption = "nobody"\n', 7, "steps[0].option: unknown option 'nobody'"),
    "step on an excluded option": (
        HEAD + '[[steps]]\naction = "exclude"\noption = "outsource"\n\n[[steps]]\naction = "set-score"\noption = "outsource"\ncriterion = "speed"\nscore = 3\n',
        11, "steps[1].option: option 'outsource' is excluded"),
    "score outside the scale": (HEAD + '[[steps]]\naction = "set-score"\noption = "outsource"\ncriterion = "speed"\nscore = 9\n', 9, "steps[0].score: score 9 is outside the scale 1..5"),
    "unknown action": (HEAD + '[[steps]]\naction = "delete"\noption = "outsource"\n', 6, "unknown action 'delete'"),
    "unknown key in a step": (HEAD + '[[steps]]\naction = "exclude"\noption = "outsource"\nreason = "x"\n', 8, "steps[0].reason: unknown key"),
    "expectation on an unknown option": (HEAD + '[expect]\nweighted_total = { nobody = 3 }\n', 6, "expect.weighted_total.nobody: unknown option 'nobody'"),
    "unknown key in expect": (HEAD + '[expect]\nleeder = "integrated"\n', 6, "expect.leeder: unknown key"),
    "base does not exist": ('[scenario]\ntitle = "t"\nbase = "nowhere/else.toml"\n', 3, "scenario.base: base 'nowhere/else.toml' not found"),
    "bad preset order": (HEAD + '[[steps]]\naction = "weights-preset"\npreset = "rank-order-centroid"\norder = ["speed"]\n', 8, "steps[0].order: the order must list every criterion"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_scenarios(name, tmp_path, capsys):
    body, line, needle = BAD[name]
    path = scenario(tmp_path, body)
    code = main(["replay", str(path)])
    out = capsys.readouterr().out
    assert code == 2
    error = next(x for x in out.splitlines() if x.startswith("ERROR"))
    assert f"{path}:{line}: " in error and needle in error, error


def test_cycle_of_bases(tmp_path, capsys):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[scenario]\ntitle = "a"\nbase = "b.toml"\n')
    b.write_text('[scenario]\ntitle = "b"\nbase = "a.toml"\n')
    assert main(["replay", str(a)]) == 2
    assert "cycle of bases: a.toml -> b.toml -> a.toml" in capsys.readouterr().out


def test_chain_of_bases_applies_every_step():
    s = load(REPO / "scenarios" / "workshop-2014-review.toml")
    assert [st.action for st in s.steps][0] == "exclude"  # from private-provider-prohibited.toml
    assert s.appraisal.option("outsource").excluded


def test_presets(tmp_path):
    order = '["speed", ' + ", ".join(f'"{c}"' for c in [
        "outcomes", "vision", "break-from-past", "cultural-change", "short-term-practice", "recruitment-retention",
        "financial-stability", "leadership", "pace", "corporate-support", "accountability", "political-leadership",
        "external-capacity", "partnerships", "dfe-acceptability", "local-acceptability", "financial-viability",
        "dfe-transparency"]) + "]"
    path = scenario(tmp_path, HEAD + f'[[steps]]\naction = "weights-preset"\npreset = "rank-order-centroid"\norder = {order}\n')
    a = load(path).appraisal
    assert sum(a.weights.values()) == pytest.approx(1)
    assert a.weights["speed"] == pytest.approx(sum(1 / i for i in range(1, 20)) / 19)
    assert a.weights["dfe-transparency"] == pytest.approx(1 / 19 / 19)
    swing = scenario(tmp_path, HEAD + '[[steps]]\naction = "weights-preset"\npreset = "swing"\npoints = { ' + ", ".join(
        f"{c.id} = {100 if c.id == 'outcomes' else 50}" for c in a.criteria) + " }\n", name="swing.toml")
    b = load(swing).appraisal
    assert b.weights["outcomes"] == 100 and b.weights["speed"] == 50


# --- journal ------------------------------------------------------------------------------------

def test_journal_export_replays_to_the_same_state(tmp_path):
    base = scenario(tmp_path, HEAD)  # copies the bundled appraisal beside it
    appraisal_file = tmp_path / "birmingham-2013.toml"
    w = JournalWriter(journal_path(appraisal_file), appraisal_file)
    w.edit(ExcludeStep(action="exclude", option="outsource", note="prohibited", by="Lead"), 1)
    w.edit(ScoreStep(action="set-score", option="trust-bcc", criterion="speed", score=4.5, by="Lead"), 2)
    w.edit(WeightStep(action="set-weight", criterion="vision", weight=7), 3)
    w.undo()
    w.edit(WeightStep(action="set-weight", criterion="vision", weight=6), 4)
    w.edit(WeightStep(action="set-weight", criterion="pace", weight=1), 4)  # same group: one user action
    w.close()
    j = read_journal(journal_path(appraisal_file))
    assert [len(action) for action in j.actions] == [1, 1, 2]
    out = tmp_path / "session.toml"
    assert export_journal(journal_path(appraisal_file), out) == 4
    r = replay_file(out)
    assert r.status == "pass" and len(r.checks) > 5
    final = load(out).appraisal
    assert final.weights["vision"] == 6 and final.cell("trust-bcc", "speed").score == 4.5
    assert load(out).steps[0].note == "prohibited"
    assert base.exists()


def test_journal_survives_a_torn_last_line(tmp_path):
    scenario(tmp_path, HEAD)
    f = tmp_path / "birmingham-2013.toml"
    w = JournalWriter(journal_path(f), f)
    w.edit(WeightStep(action="set-weight", criterion="vision", weight=6), 1)
    w.close()
    with open(journal_path(f), "a") as fh:
        fh.write('{"kind": "edit", "group": 2, "st')  # killed mid-write
    assert len(read_journal(journal_path(f)).steps) == 1


def test_journal_refuses_a_changed_file(tmp_path):
    scenario(tmp_path, HEAD)
    f = tmp_path / "birmingham-2013.toml"
    w = JournalWriter(journal_path(f), f)
    w.edit(WeightStep(action="set-weight", criterion="vision", weight=6), 1)
    w.close()
    f.write_text(f.read_text() + "\n# edited elsewhere\n")
    r = run_cli("journal", "export", str(journal_path(f)), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "has changed since this journal was recorded" in r.stderr


def test_random_edit_sequences_round_trip(tmp_path):
    """Random sessions written to a journal, exported and replayed, reproduce their final state."""
    scenario(tmp_path, HEAD)
    f = tmp_path / "birmingham-2013.toml"
    base = load(f).appraisal
    rng = random.Random(42)
    for trial in range(20):
        jp = journal_path(f)
        jp.unlink(missing_ok=True)
        w = JournalWriter(jp, f)
        for g in range(rng.randint(1, 12)):
            kind = rng.random()
            if kind < 0.6:
                step = ScoreStep(action="set-score", option=rng.choice(["trust-bcc", "integrated", "trust-dfe"]),
                                 criterion=rng.choice(list(base.criterion_index)), score=rng.randint(2, 10) / 2)
            elif kind < 0.85:
                step = WeightStep(action="set-weight", criterion=rng.choice(list(base.criterion_index)), weight=rng.choice([0, 1, 2.5, 4, 9]))
            else:
                step = PresetStep(action="weights-preset", preset="equal")
            w.edit(step, g)
            if rng.random() < 0.2:
                w.undo()
            if rng.random() < 0.1:
                w.redo()
        w.close()
        out = tmp_path / f"trial{trial}.toml"
        export_journal(jp, out)
        r = replay_file(out)
        assert r.status == "pass", [str(c) for c in r.failures]


def test_a_scenario_elsewhere_keeps_its_criteria_path(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    s = nested / "s.toml"
    s.write_text(f'[scenario]\ntitle = "t"\nbase = "{REPO / "scenarios" / "birmingham-2013.toml"}"\n')
    a = load(s).appraisal
    assert (nested / a.criteria_ref).resolve() == (REPO / "criteria" / "birmingham-2013.toml").resolve()
