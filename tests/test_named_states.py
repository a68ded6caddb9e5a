"""Snapshots: named states of a workshop ("before lunch"). They live in the journal, outlive a kill, a
save and a clean quit, and `journal export` keeps them as `snapshot` steps that replay passes over;
the steps between two states are exact or say they cannot be."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.errors import AppraisalError
from appraisal.io.journal import export_journal, journal_path, read_journal
from appraisal.io.load import load
from appraisal.model import edits
from appraisal.model.diff import steps_between
from appraisal.model.scenario import ExcludeStep, GroupWeightStep, ParticipantStep, ScoreStep, WeightStep
from appraisal.model.steps import apply_step
from appraisal.paths import bundled_appraisal
from appraisal.reports.replay import replay_file
from appraisal.session import Session

from .test_session import score, weight


def states_equal(a, b) -> bool:
    return (a.cells, a.weights, a.options, a.disabled, a.participants) == (b.cells, b.weights, b.options, b.disabled, b.participants)


def test_a_snapshot_is_in_the_journal_at_once_and_a_killed_session_brings_it_back(workdir):
    first = Session(load(workdir).appraisal, workdir, participant="Chair")
    first.apply(score("integrated", "vision", 1))
    lunch = first.take_snapshot("before lunch")
    first.apply(weight("speed", 5))
    assert [s.name for s in first.snapshots] == ["before lunch"] and lunch.by == "Chair"
    with pytest.raises(AppraisalError, match="already a snapshot called 'before lunch'"):
        first.take_snapshot(" before lunch ")
    first.close(keep_journal=True)  # killed

    recorded = read_journal(journal_path(workdir))
    assert [s.name for s in recorded.snapshots] == ["before lunch"]
    second = Session(load(workdir).appraisal, workdir)
    second.restore(recorded)
    (snap,) = second.snapshots
    assert snap.state.cell("integrated", "vision").score == 1 and snap.state.weights["speed"] == 3
    assert second.current.weights["speed"] == 5
    second.close(keep_journal=False)


def test_snapshots_outlive_a_save_and_a_clean_quit(workdir):
    first = Session(load(workdir).appraisal, workdir)
    first.apply(score("integrated", "vision", 1))
    first.take_snapshot("one")
    first.apply(ExcludeStep(action="exclude", option="outsource"))
    first.take_snapshot("two")
    first.apply(weight("speed", 5))
    first.save()  # the journal starts again from the saved file: the snapshots go back in, relative to it
    entries = [json.loads(line) for line in journal_path(workdir).read_text().splitlines()]
    assert [e["kind"] for e in entries] == ["header", "snapshot", "snapshot"]
    first.apply(score("trust-bcc", "speed", 5))
    first.undo()
    first.close(keep_journal=False)  # quit cleanly: the edits are gone, the named states stay
    assert journal_path(workdir).exists()

    recorded = read_journal(journal_path(workdir))
    assert not recorded.actions
    again = Session(load(workdir).appraisal, workdir)
    assert again.current.weights["speed"] == 5, "the saved file"
    assert again.restore_snapshots(recorded) == 2
    one, two = again.snapshots
    assert one.state.cell("integrated", "vision").score == 1 and one.state.weights["speed"] == 3 and not one.state.option("outsource").excluded
    assert two.state.option("outsource").excluded and two.state.weights["speed"] == 3
    again.close(keep_journal=False)


def test_a_journal_without_snapshots_is_still_removed_by_a_clean_quit(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("integrated", "vision", 1))
    s.save()
    s.close(keep_journal=False)
    assert not journal_path(workdir).exists()


def test_a_read_only_session_keeps_snapshots_for_itself_only(workdir):
    s = Session(load(workdir).appraisal, workdir, read_only="open elsewhere")
    s.take_snapshot("mine")
    assert s.snapshots and s.journal is None and not journal_path(workdir).exists()


def test_journal_export_keeps_snapshots_as_named_states_that_replay_passes_over(workdir, tmp_path):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("integrated", "vision", 1))
    s.take_snapshot("before lunch")
    s.apply(weight("break-from-past", 16))
    s.undo()  # the next snapshot is off the final path: it is reached by a detour and back
    s.apply(ExcludeStep(action="exclude", option="outsource"))
    s.take_snapshot("after lunch")
    s.apply(weight("speed", 4))
    final = s.current
    s.close(keep_journal=True)

    out = tmp_path / "session.toml"
    assert export_journal(journal_path(workdir), out) == 3
    result = replay_file(out)
    assert result.status == "pass", result.error or result.failures
    loaded = load(out)
    assert states_equal(loaded.appraisal, final)
    named = [k for k, step in enumerate(loaded.steps) if step.action == "snapshot"]
    assert [loaded.steps[k].name for k in named] == ["before lunch", "after lunch"]
    # The state at each marker is the state the snapshot named.
    state, base = load(workdir).appraisal, load(workdir).appraisal
    at = {}
    for step in loaded.steps:
        state = apply_step(state, step, base)
        if step.action == "snapshot":
            at[step.name] = state
    assert at["before lunch"].cell("integrated", "vision").score == 1 and at["before lunch"].weights["speed"] == 3
    assert at["after lunch"].option("outsource").excluded and at["after lunch"].weights["speed"] == 3


def test_a_snapshot_entry_that_is_not_one_is_an_error_naming_the_line(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.take_snapshot("ok")
    s.close(keep_journal=True)
    path = journal_path(workdir)
    with path.open("a") as f:
        f.write(json.dumps({"kind": "snapshot", "name": "bad"}) + "\n")
        f.write(json.dumps({"kind": "edit", "group": 9, "step": {"action": "exclude", "option": "outsource"}}) + "\n")
    with pytest.raises(AppraisalError, match="either its steps or its state") as e:
        read_journal(path)
    assert e.value.line == 3


# --- the steps between two states --------------------------------------------------------------
EDITS = st.lists(st.one_of(
    st.tuples(st.just("score"), st.sampled_from(["break-up", "outsource", "trust-dfe", "trust-bcc", "integrated"]),
              st.sampled_from(["outcomes", "vision", "speed", "dfe-acceptability"]), st.integers(2, 10).map(lambda k: k / 2)),
    st.tuples(st.just("weight"), st.sampled_from(["outcomes", "vision", "speed", "break-from-past"]), st.sampled_from([0.0, 0.5, 3.0, 7.0])),
    st.tuples(st.just("toggle-option"), st.sampled_from(["break-up", "outsource", "trust-dfe"])),
    st.tuples(st.just("toggle-criterion"), st.sampled_from(["vision", "speed"])),
    st.tuples(st.just("participant"), st.sampled_from(["Ann", "Bo"]), st.sampled_from(["vision", "speed"]), st.sampled_from([1.0, 4.0])),
), max_size=8)


def _apply(a, ops):
    for op in ops:
        try:
            if op[0] == "score":
                a = edits.set_score(a, op[1], op[2], op[3]) if not a.option(op[1]).excluded else a
            elif op[0] == "weight":
                a = edits.set_weight(a, op[1], op[2])
            elif op[0] == "toggle-option":
                a = edits.set_excluded(a, op[1], not a.option(op[1]).excluded)
            elif op[0] == "toggle-criterion":
                a = edits.set_enabled(a, op[1], op[1] in a.disabled)
            else:
                if a.participant(op[1]) is None:
                    a = edits.add_participant(a, op[1])
                a = edits.set_participant_weight(a, op[1], op[2], op[3])
        except AppraisalError:
            pass
    return a


BHAM = load(bundled_appraisal()).appraisal


@settings(max_examples=80, deadline=None)
@given(EDITS, EDITS)
def test_the_steps_between_two_states_lead_from_one_to_the_other(first, second):
    a, b = _apply(BHAM, first), _apply(BHAM, second)
    steps = steps_between(a, b)
    assert steps is not None
    state = a
    for step in steps:
        state = apply_step(state, step, a)
    assert states_equal(state, b)
    assert steps_between(a, a) == []


def test_a_missing_score_cannot_be_reached_by_steps(tmp_path):
    from .conftest import write_appraisal

    path = write_appraisal(tmp_path, {"appraisal": {"title": "T", "criteria": "criteria.toml"}, "weights": {"a": 1.0, "b": 1.0},
                                      "options": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
                                      "scores": [{"option": "x", "criterion": "a", "score": 1}, {"option": "x", "criterion": "b", "missing": True},
                                                 {"option": "y", "criterion": "a", "score": 2}, {"option": "y", "criterion": "b", "score": 3}]})
    a = load(path).appraisal
    scored = edits.set_score(a, "x", "b", 4)
    assert steps_between(a, scored) == [ScoreStep(action="set-score", option="x", criterion="b", score=4)]
    assert steps_between(scored, a) is None, "no step makes a score missing again"


def test_participants_are_taken_back_exactly(bham):
    with_ann = apply_step(apply_step(bham, ParticipantStep(action="add-participant", participant="Ann"), bham),
                          WeightStep(action="set-weight", criterion="speed", weight=9, participant="Ann"), bham)
    steps = steps_between(with_ann, bham)
    assert [s.action for s in steps] == ["remove-participant"]


def test_a_value_trees_measures_costs_and_group_weights_are_taken_there_and_back():
    from .conftest import REPO

    offer = load(REPO / "scenarios" / "case-system-supplier-offer.toml")
    before, after = offer.as_loaded, offer.appraisal
    assert after.group_weights is not None and after != before
    there, back = steps_between(before, after), steps_between(after, before)
    assert there is not None and {s.action for s in there} >= {"set-measure", "set-cost", "set-group-weight"}
    state = before
    for step in there:
        state = apply_step(state, step, before)
    assert states_equal(state, after) and state.group_weights == after.group_weights
    state = after
    for step in back:
        state = apply_step(state, step, before)
    assert states_equal(state, before)
    tree = load(REPO / "scenarios" / "birmingham-2013-tree.toml").appraisal
    assert tree.group_weights is None and tree.groups
    local = apply_step(tree, GroupWeightStep(action="set-group-weight", group=tree.groups[0].id, weight=2), tree)
    assert steps_between(tree, local) is not None
    assert steps_between(local, tree) is None, "weights made local cannot become global again by a step: the state itself is kept"


def test_a_state_snapshot_of_another_file_is_refused_not_a_crash_later(workdir):
    """A journal whose snapshot held another appraisal's criteria restored, then crashed the comparison
    screen with a KeyError at every start. Now restoring refuses it (the app sets such a journal aside)."""
    first = Session(load(workdir).appraisal, workdir)
    first.apply(score("integrated", "vision", 1))
    first.close(keep_journal=True)
    path = journal_path(workdir)
    state = load(workdir).appraisal
    renamed = state.model_copy(update={"criteria": tuple(c.model_copy(update={"id": f"x-{c.id}"}) for c in state.criteria)})
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"kind": "snapshot", "name": "other", "at": "x", "by": "", "state": json.loads(renamed.model_dump_json())}) + "\n")
    second = Session(load(workdir).appraisal, workdir)
    with pytest.raises(AppraisalError, match="snapshot 'other' holds other criteria than the file"):
        second.restore(read_journal(path))
    assert second.snapshots == [] and second.current == load(workdir).appraisal
