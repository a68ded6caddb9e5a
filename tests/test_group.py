"""Group workshops: a hand-worked example for every figure, properties, the command line and replay."""

from __future__ import annotations

import json

import numpy as np
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.engine import evaluate
from appraisal.engine.group import GroupProblem, analyse, group_problem, participant_shares, room_weight_sampler
from appraisal.engine.group import group_problem_from
from appraisal.engine.problem import Problem
from appraisal.engine.smaa import smaa
from appraisal.reports.group import group_report
from appraisal.io import load_appraisal
from appraisal.reports.replay import replay_file

from .conftest import REPO, run_cli, write_criteria

# Three options, four criteria, three participants; every number below is worked by hand.
SCORES = {"a": [5, 3, 1, 3], "b": [3, 4, 3, 2], "c": [2, 2, 5, 4]}
CRIT = ["c1", "c2", "c3", "c4"]
PEOPLE = [
    {"name": "Ann", "weights": {"c1": 4, "c2": 2, "c3": 1, "c4": 1}, "scores": {"b:c2": 5}},  # shares .5 .25 .125 .125
    {"name": "Bob", "weights": {"c1": 1, "c2": 1, "c3": 4, "c4": 2}, "scores": {"b:c2": 2}},  # .125 .125 .5 .25
    {"name": "Cat", "weights": {"c1": 2, "c2": 2, "c3": 2, "c4": 2}},  # .25 each
]


@pytest.fixture
def small(tmp_path):
    write_criteria(tmp_path / "criteria.toml", CRIT)
    (tmp_path / "g.toml").write_text(tomli_w.dumps({
        "appraisal": {"title": "Small group", "criteria": "criteria.toml"},
        "weights": {c: 1 for c in CRIT},
        "options": [{"id": o, "name": o.upper()} for o in SCORES],
        "scores": [{"option": o, "criterion": c, "score": SCORES[o][j]} for o in SCORES for j, c in enumerate(CRIT)],
        "participants": PEOPLE,
    }))
    return tmp_path / "g.toml"


def test_hand_worked_group_figures(small):
    a = load_appraisal(small)
    g = group_problem_from(a)
    r = analyse(g)
    # Mean of the shares: c1 = (.5 + .125 + .25) / 3, ...
    assert r.problem.weights == pytest.approx([0.875 / 3, 0.625 / 3, 0.875 / 3, 0.625 / 3])
    assert r.problem.scores[1, 1] == 3.5  # B on c2: mean of Ann's 5 and Bob's 2
    sh = r.problem.weights
    values = r.problem.scores @ sh
    assert values == pytest.approx([3.0, 2.895833333, 3.291666667])
    assert r.leader == 2  # C
    # Each participant: Ann A (3.75 > 3.375 > 2.625), Bob C (4.0), Cat C (3.25).
    assert r.participant_leaders == (0, 2, 2)
    assert r.participants[0].weighted == pytest.approx([4 * 5 + 2 * 3 + 1 + 3, 4 * 3 + 2 * 5 + 3 + 2, 4 * 2 + 2 * 2 + 5 + 4])
    # Spread on B/c2: 2 (Bob) to 5 (Ann), population sd 1.5, two scorers.
    assert (r.counts[1, 1], r.cell_min[1, 1], r.cell_max[1, 1], r.cell_std[1, 1]) == (2, 2, 5, 1.5)
    assert g.names[r.low_holder[1, 1]] == "Bob" and g.names[r.high_holder[1, 1]] == "Ann"
    # Not decisive: even Ann's 5 leaves B at 2.896 + (5 - 3.5) x 5/24 = 3.208 < C's 3.292.
    assert not r.decisive_cells.any()
    # c1's share ranges over [.125, .5] and Integrated... C loses the lead to A at 28/79; c3's over
    # [.125, .5] and C loses to A at 21/89 below its 7/24; c2 and c4 cross nowhere in their ranges.
    assert r.decisive_criteria.tolist() == [True, False, True, False]
    # Leave one out: without Ann C (2.625, 2.5625, 3.625); without Bob A (3.375, 3.3125, 2.9375); without Cat C.
    assert r.leave_one_out == (2, 0, 2)


@pytest.mark.parametrize("how, shares", [
    ("median", [0.25, 0.25, 0.25, 0.25]),
    ("geomean", np.array([0.25, 0.0078125 ** (1 / 3), 0.25, 0.0078125 ** (1 / 3)]) / (0.5 + 2 * 0.0078125 ** (1 / 3))),
])
def test_other_aggregations(small, how, shares):
    a = load_appraisal(small)
    a = a.model_copy(update={"group": a.group.model_copy(update={"aggregate": how})})
    r = analyse(group_problem_from(a))
    assert r.problem.weights == pytest.approx(shares)
    assert r.leader == 2


def test_sentences_for_the_room(small):
    report = group_report(load_appraisal(small))
    assert report["sentences"] == [
        "The group prefers C.",
        "One of three participants prefers A.",
        "Two disagreements could change the group's choice: the weight given to 'C1'; the weight given to 'C3'.",
    ]
    assert report["leave_one_out"] == {"Ann": "c", "Bob": "a", "Cat": "c"}
    assert [d["criterion"] for d in report["decisive_criteria"]] == ["c1", "c3"]


def test_decisive_cells(small):
    # Ann scores C on c3 at 1, Bob at 5: the mean 3 takes C to 3.292 - 2 x 7/24 = 2.708, so A (3.0) leads.
    # C/c3 at Bob's 5 gives C back the lead; B/c2 at Ann's 5 gives B 2.896 + 1.5 x 5/24 = 3.208 > 3.0.
    from appraisal.model import edits

    a = edits.set_participant_score(load_appraisal(small), "Ann", "c", "c3", 1)
    a = edits.set_participant_score(a, "Bob", "c", "c3", 5)
    r = analyse(group_problem_from(a))
    assert r.leader == 0
    assert np.argwhere(r.decisive_cells).tolist() == [[1, 1], [2, 2]]
    report = group_report(a)
    assert report["sentences"] == [
        "The group prefers A.",
        "Two of three participants prefer C.",
        "Four disagreements could change the group's choice: the disagreement on 'C2' for B; the disagreement on 'C3' for C; "
        "the weight given to 'C1'; the weight given to 'C3'.",
    ]
    assert report["decisive_cells"][1] == {"option": "c", "criterion": "c3", "min": 1.0, "max": 5.0, "std": 2.0, "low": "Ann", "high": "Bob"}


@st.composite
def rooms(draw, min_people=1, max_people=5):
    n, m = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    scores = np.array(draw(st.lists(st.integers(2, 10), min_size=n * m, max_size=n * m)), float).reshape(n, m) / 2
    weights = np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=m, max_size=m)))
    base = Problem(scores, weights, np.ones(n, bool), np.ones(m, bool), 1, 5)
    P = draw(st.integers(min_people, max_people))
    pw = np.array(draw(st.lists(st.lists(st.sampled_from([0.5, 1.0, 2.0, 4.0]), min_size=m, max_size=m), min_size=P, max_size=P)))
    ps = np.full((P, n, m), np.nan)
    for k in range(P):
        for _ in range(draw(st.integers(0, 3))):
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))
            ps[k, i, j] = draw(st.integers(2, 10)) / 2
    return GroupProblem(base, pw, ps, tuple(f"p{k}" for k in range(P)), draw(st.sampled_from(["mean", "median", "geomean"])))


@settings(max_examples=60, deadline=None)
@given(rooms())
def test_identical_participants_give_the_base_result(room):
    g = GroupProblem(room.base, np.tile(room.base.weights, (room.size, 1)), np.full_like(room.scores, np.nan), room.names, room.aggregate)
    gp = group_problem(g)
    assert evaluate(gp).rank_weighted.tolist() == evaluate(room.base).rank_weighted.tolist()
    assert gp.weights == pytest.approx(room.base.weights / room.base.weights.sum())


@settings(max_examples=60, deadline=None)
@given(rooms(max_people=1))
def test_one_participant_is_the_group(room):
    r = analyse(room)
    assert r.leader == r.participant_leaders[0]


@settings(max_examples=60, deadline=None)
@given(rooms())
def test_decisive_is_never_set_on_a_single_valued_range(room):
    r = analyse(room)
    single = (r.counts == 0) | (r.cell_max == r.cell_min)
    assert not (r.decisive_cells & single).any()
    assert not (r.decisive_criteria & (r.share_max <= r.share_min + 1e-12)).any()


def test_room_smaa_is_seeded_and_stays_in_the_hull(small):
    g = group_problem_from(load_appraisal(small))
    draw = room_weight_sampler(g, "hull")
    w = draw(np.random.default_rng(0), 1000)
    sh = participant_shares(g)
    assert (w >= sh.min(axis=0) - 1e-12).all() and (w <= sh.max(axis=0) + 1e-12).all()
    gp = group_problem(g)
    r1 = smaa(gp, 5000, seed=3, weight_sampler=draw)
    r2 = smaa(gp, 5000, seed=3, weight_sampler=draw)
    assert np.array_equal(r1.rank_acceptability, r2.rank_acceptability)
    fitted = room_weight_sampler(g, "dirichlet")(np.random.default_rng(1), 20000)
    assert fitted.mean(axis=0) == pytest.approx(sh.mean(axis=0), abs=0.01)


def test_group_command(small):
    r = run_cli("group", str(small), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["group"]["leader"] == "c" and [p["leader"] for p in d["participants"]] == ["a", "c", "c"]
    assert run_cli("group", str(small)).stdout.startswith("The group prefers C.")
    none = run_cli("group")
    assert none.returncode == 2 and "no participants" in none.stderr


def test_shipped_group_scenario_replays():
    r = replay_file(REPO / "scenarios" / "group-workshop-2014.toml")
    assert r.status == "pass", r.error or r.failures
    assert any(c.name.startswith("group.") for c in r.checks) and any(c.name.startswith("participant.") for c in r.checks)


def test_group_analysis_for_twenty_participants_is_fast_enough_to_use_live(bham):
    # The target (20 ms) is measured in make bench; here only that it runs and agrees with itself.
    rng = np.random.default_rng(0)
    a = bham
    from appraisal.model import edits

    for k in range(20):
        a = edits.add_participant(a, f"P{k}")
        for c in a.criteria[:5]:
            a = edits.set_participant_weight(a, f"P{k}", c.id, float(rng.integers(0, 6)))
    r = analyse(group_problem_from(a))
    assert len(r.leave_one_out) == 20


@pytest.mark.parametrize("body, needle", [
    ('[expect.participant."Nobody"]\nleader = "integrated"\n', "expect.participant.Nobody: unknown participant 'Nobody'"),
    ('[[steps]]\naction = "set-weight"\ncriterion = "speed"\nweight = 4\nparticipant = "Nobody"\n', "steps[0].participant: unknown participant 'Nobody'"),
    ('[[participants]]\nname = "X"\nweights = { sped = 4 }\n', "participants[0].weights.sped: unknown criterion 'sped'"),
    ('[[participants]]\nname = "X"\nscores = { "trust-bcc:speed" = 9 }\n', "outside the scale"),
    ('[expect.group]\nleader = "integrated"\n', "[expect.group] needs participants"),
])
def test_bad_group_scenarios(tmp_path, body, needle):
    path = tmp_path / "s.toml"
    path.write_text(f'[scenario]\ntitle = "t"\nbase = "{REPO / "scenarios" / "birmingham-2013.toml"}"\n\n' + body)
    r = run_cli("replay", str(path))
    assert r.returncode == 2 and needle in r.stdout, r.stdout


def test_participant_steps_and_expectations(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f'[scenario]\ntitle = "t"\nbase = "{REPO / "scenarios" / "birmingham-2013.toml"}"\n\n'
                    '[[steps]]\naction = "add-participant"\nparticipant = "Chair"\n\n'
                    '[[steps]]\naction = "set-weight"\ncriterion = "break-from-past"\nweight = 16\nparticipant = "Chair"\n\n'
                    '[expect]\nleader = "integrated"\n\n'
                    '[expect.participant.Chair]\nleader = "trust-bcc"\nweighted_total = { trust-bcc = 287, integrated = 285 }\n\n'
                    '[expect.group]\nleader = "trust-bcc"\n')
    r = replay_file(path)
    assert r.status == "pass", r.error or r.failures


def test_xlsx_has_a_participants_sheet(tmp_path):
    from openpyxl import load_workbook

    from appraisal.reports.export import export

    a = load_appraisal(REPO / "scenarios" / "group-workshop-2014.toml")
    export(a, tmp_path / "g.xlsx")
    ws = load_workbook(tmp_path / "g.xlsx")["Participants"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "The group prefers Integrated transformation." in values
    assert "Group leader without them" in values and "DfE adviser" in values


def test_group_command_reports_room_smaa_with_its_seed():
    path = str(REPO / "scenarios" / "group-workshop-2014.toml")
    d = json.loads(run_cli("group", path, "--format", "json", "--samples", "3000", "--seed", "4").stdout)
    sm = d["smaa"]
    assert (sm["samples"], sm["seed"], sm["weights"]) == (3000, 4, "hull")
    assert sum(row[0] for row in sm["rank_acceptability"].values()) == pytest.approx(1)
    again = json.loads(run_cli("group", path, "--format", "json", "--samples", "3000", "--seed", "4").stdout)
    assert again["smaa"] == sm
    assert json.loads(run_cli("group", path, "--format", "json", "--samples", "3000", "--room", "dirichlet").stdout)["smaa"]["weights"] == "dirichlet"
