"""The workshop's rules in `Session`, without Textual: undo, redo, resets, restoring a journal, the
words for each edit, one writer per file, and a journal that survives a full disk."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appraisal.errors import AppraisalError
from appraisal.io.journal import journal_path, read_journal
from appraisal.io.load import load
from appraisal.io.lock import FileLock, Locked, lock_path
from appraisal.model.scenario import EnableStep, ExcludeStep, ParticipantStep, PresetStep, ScoreStep, WeightStep
from appraisal.session import ReadOnly, Session, copy_to, free_name


def score(option: str, criterion: str, value: float, **kw) -> ScoreStep:
    return ScoreStep(action="set-score", option=option, criterion=criterion, score=value, **kw)


def weight(criterion: str, value: float, **kw) -> WeightStep:
    return WeightStep(action="set-weight", criterion=criterion, weight=value, **kw)


@pytest.fixture
def session(bham) -> Session:
    return Session(bham, None, journal=False)


@pytest.fixture
def writer(workdir):
    """A session that journals and holds the file's lock (released at the end)."""
    s = Session(load(workdir).appraisal, workdir)
    yield s
    s.close(keep_journal=True)


# --- undo, redo, resets ------------------------------------------------------------------------
def test_undo_and_redo_walk_the_actions(session, bham):
    session.apply(score("trust-bcc", "speed", 4))
    session.apply(weight("speed", 6), ExcludeStep(action="exclude", option="outsource"))  # one action, two steps
    assert session.current.weights["speed"] == 6 and session.current.option("outsource").excluded
    undone = session.undo()
    assert undone is not None and len(undone.steps) == 2
    assert session.current.weights["speed"] == 3 and not session.current.option("outsource").excluded
    assert session.current.cell("trust-bcc", "speed").score == 4
    session.undo()
    assert session.current is bham and not session.dirty
    assert session.undo() is None, "nothing more to undo"
    assert session.redo().steps[0].score == 4
    session.redo()
    assert session.redo() is None
    assert session.current.weights["speed"] == 6
    session.undo()
    session.apply(score("integrated", "speed", 1))
    assert not session.can_redo, "a new edit drops what was undone"


def test_an_invalid_action_changes_nothing(session):
    with pytest.raises(AppraisalError):
        session.apply(score("trust-bcc", "speed", 4), score("trust-bcc", "speed", 9))
    assert not session.steps and not session.dirty


def test_reset_steps_take_cells_criteria_and_options_back_to_as_loaded(session, bham):
    assert session.reset_steps([("trust-bcc", "speed")], ["speed"], ["outsource"]) == []
    session.apply(score("trust-bcc", "speed", 5), score("integrated", "speed", 1), weight("speed", 9), weight("vision", 1))
    session.apply(ExcludeStep(action="exclude", option="outsource"), EnableStep(action="disable", criterion="outcomes"))

    one = session.reset_steps([("trust-bcc", "speed")], [], [])
    assert [(s.option, s.score) for s in one] == [("trust-bcc", 3)]

    row = session.reset_steps([(o.id, "speed") for o in bham.options], ["speed"], [])
    assert {(s.action, getattr(s, "option", None)) for s in row} == {("set-score", "trust-bcc"), ("set-score", "integrated"), ("set-weight", None)}
    session.apply(*row)
    assert session.current.weights["speed"] == 3 and session.current.weights["vision"] == 1, "only this row"

    everything = session.reset_steps([(o.id, c.id) for o in bham.options for c in bham.criteria], [c.id for c in bham.criteria], [o.id for o in bham.options])
    session.apply(*everything)
    state = session.current
    assert state.cells == bham.cells and state.weights == bham.weights and state.options == bham.options and state.disabled == bham.disabled


def test_reset_leaves_an_excluded_options_scores_until_it_is_back(session):
    session.apply(score("outsource", "speed", 5))
    session.apply(ExcludeStep(action="exclude", option="outsource"))
    assert session.reset_steps([("outsource", "speed")], [], []) == [], "an excluded option's scores cannot change"
    both = session.reset_steps([("outsource", "speed")], [], ["outsource"])
    assert [s.action for s in both] == ["include", "set-score"]


def test_mark_saved_and_drop_unsaved(writer):
    writer.apply(score("trust-bcc", "speed", 4))
    assert writer.dirty and journal_path(writer.path).exists()
    aside = writer.drop_unsaved()
    assert not writer.dirty
    assert aside is not None and aside.exists() and "set-score" in aside.read_text(), "set aside, never deleted"
    assert not journal_path(writer.path).exists()
    writer.apply(score("trust-bcc", "speed", 5))
    writer.mark_saved()
    assert not writer.dirty and writer.scenario_steps() == []


def test_listeners_hear_every_change(session):
    heard = []
    session.subscribe(lambda: heard.append(len(session.steps)))
    session.apply(score("trust-bcc", "speed", 4))
    session.annotate("quicker")
    session.undo()
    session.redo()
    session.participant = "Chair"
    assert heard == [1, 1, 0, 1, 1]


# --- words --------------------------------------------------------------------------------------
def test_describe_says_what_changed_and_from_what(session, bham):
    assert session.describe(score("trust-bcc", "speed", 4)) == "Trust (BCC) / Speed of implementation: score 4"
    assert session.describe(score("trust-bcc", "speed", 4), before=bham) == "Trust (BCC) / Speed of implementation: 3 → 4"
    assert session.describe(weight("speed", 4.5), before=bham) == "Weight of Speed of implementation: 3 → 4.5"
    assert session.describe(ExcludeStep(action="exclude", option="outsource")) == "Exclude Outsource"
    assert session.describe(EnableStep(action="disable", criterion="speed")) == "Switch off Speed of implementation"
    assert session.describe(PresetStep(action="weights-preset", preset="rank-order-centroid", order=("speed",))) == "Weights: rank-order centroid"
    assert session.describe(ParticipantStep(action="add-participant", participant="Finance lead")) == "Add participant Finance lead"


def test_describe_names_the_participant_an_edit_belongs_to(session):
    session.apply(ParticipantStep(action="add-participant", participant="Finance lead"))
    session.apply(score("trust-bcc", "speed", 5, participant="Finance lead"))
    assert session.describe(session.steps[-1]) == "Finance lead: Trust (BCC) / Speed of implementation: score 5"
    assert session.describe_action(session.actions[-1]) == "Finance lead: Trust (BCC) / Speed of implementation: 3 → 5"
    session.apply(weight("speed", 1, participant="Finance lead"))
    assert session.describe_action(session.actions[-1]) == "Finance lead: Weight of Speed of implementation: 3 → 1"
    assert [words for _, words in session.history()][1:] == [
        "Finance lead: Trust (BCC) / Speed of implementation: 3 → 5", "Finance lead: Weight of Speed of implementation: 3 → 1"]


def test_undone_and_redone_actions_are_described_with_their_old_values(session):
    session.apply(score("trust-bcc", "speed", 4))
    session.apply(score("trust-bcc", "speed", 5))
    assert session.describe_action(session.undo()) == "Trust (BCC) / Speed of implementation: 4 → 5"
    assert session.describe_action(session.undo()) == "Trust (BCC) / Speed of implementation: 3 → 4"
    assert session.describe_action(session.redo()) == "Trust (BCC) / Speed of implementation: 3 → 4"


def test_several_steps_are_counted_and_the_first_few_named(session):
    steps = [weight(c.id, 1) for c in session.current.criteria[:5]]
    session.apply(*steps)
    words = session.describe_action(session.actions[-1])
    assert words == ("5 changes: Weight of Better outcomes for children - they are safer as a result: 3 → 1; Weight of Clear vision: 3 → 1; "
                     "Weight of Break from the past: 3 → 1; and 2 more")


# --- the journal --------------------------------------------------------------------------------
def test_restore_from_a_journal_gives_the_same_state_and_history(workdir):
    first = Session(load(workdir).appraisal, workdir, participant="Chair")
    first.apply(score("trust-bcc", "speed", 4))
    first.annotate("quicker than thought")
    first.apply(ExcludeStep(action="exclude", option="trust-dfe"))
    first.apply(weight("vision", 5))
    first.undo()
    state, steps = first.current, first.steps
    first.close(keep_journal=True)  # as if killed: the journal stays

    recorded = read_journal(journal_path(workdir))
    second = Session(load(workdir).appraisal, workdir)
    second.restore(recorded)
    assert second.current.cells == state.cells and second.current.options == state.options and second.current.weights == state.weights
    assert [(s.action, s.note, s.by) for s in second.steps] == [(s.action, s.note, s.by) for s in steps]
    assert second.redo().steps[0].weight == 5, "what was undone can still be redone"
    second.close(keep_journal=False)


def test_restoring_an_edit_the_file_no_longer_accepts_changes_nothing(workdir):
    first = Session(load(workdir).appraisal, workdir)
    first.apply(score("trust-bcc", "speed", 4))
    first.apply(score("integrated", "speed", 1))
    first.close(keep_journal=True)
    journal = journal_path(workdir)
    lines = journal.read_text().splitlines()
    entry = json.loads(lines[2])
    entry["step"]["option"] = "no-such-option"
    journal.write_text("\n".join([*lines[:2], json.dumps(entry)]) + "\n")
    second = Session(load(workdir).appraisal, workdir)
    with pytest.raises(AppraisalError, match="no longer accepts"):
        second.restore(read_journal(journal))
    assert not second.steps, "all or nothing"
    second.close(keep_journal=True)


@pytest.mark.parametrize("header", [
    '{"kind": "header", "version": 1, "file": "x.toml", "sha256": "abc", "started": 5}',
    '{"kind": "header", "version": 1, "file": ["x"], "sha256": "abc", "started": ""}',
    '{"kind": "header", "version": 99, "file": "x.toml", "sha256": "abc", "started": ""}',
    '{"kind": "header"}',
])
def test_a_malformed_journal_header_is_one_error(tmp_path, header):
    journal = tmp_path / "x.toml.journal.jsonl"
    journal.write_text(header + "\n")
    with pytest.raises(AppraisalError) as e:
        read_journal(journal)
    assert ":1:" in str(e.value)


def test_a_full_disk_keeps_every_edit_and_the_journal_catches_up(small_disk):
    disk, path = small_disk
    s = Session(load(path).appraisal, path)
    s.apply(score("trust-bcc", "speed", 4))
    assert s.unwritten == 0
    disk.fill()
    # A real disk takes a few more lines into the block it has already given the journal.
    for k in range(2000):
        s.apply(score("trust-bcc", "vision", 1 + k % 2))
        if s.unwritten:
            break
    s.annotate("why not")
    s.undo()
    s.redo()
    assert s.unwritten >= 4 and s.journal.error is not None
    on_disk = journal_path(path).read_text()
    assert on_disk.endswith("\n") and all(json.loads(line) for line in on_disk.splitlines()), "no half line"
    assert not s.retry_journal(), "still full"
    disk.free()
    assert s.retry_journal() and s.unwritten == 0
    recorded = read_journal(journal_path(path))
    assert [(st.option, st.criterion, st.score, st.note) for st in recorded.steps] == [(st.option, st.criterion, st.score, st.note) for st in s.steps]
    assert recorded.steps[-1].note == "why not"
    s.close(keep_journal=True)


def test_a_save_that_fails_loses_nothing_and_can_be_retried(small_disk):
    disk, path = small_disk
    s = Session(load(path).appraisal, path)
    s.apply(score("trust-bcc", "speed", 4))
    before = path.read_bytes()
    disk.fill()
    with pytest.raises(OSError):
        s.save()
    assert path.read_bytes() == before, "the file is untouched"
    assert s.dirty and s.current.cell("trust-bcc", "speed").score == 4
    assert not list(path.parent.glob(".*.tmp")), "no temporary file left behind"
    disk.free()
    s.save()
    assert not s.dirty and load(path).appraisal.cell("trust-bcc", "speed").score == 4
    s.close(keep_journal=False)


def test_a_save_killed_half_way_leaves_a_temporary_file_that_the_next_start_removes(workdir):
    tmp = workdir.with_name(f".{workdir.name}.abc123.tmp")
    tmp.write_text("half a file")
    os.utime(tmp, (time.time() - 60, time.time() - 60))
    other = workdir.with_name(".other.toml.abc123.tmp")
    other.write_text("another file's")
    s = Session(load(workdir).appraisal, workdir)
    assert not tmp.exists() and other.exists(), "only this file's, and only by its one writer"
    s.close(keep_journal=False)


# --- one writer per file ------------------------------------------------------------------------
def test_a_second_session_on_the_same_file_is_locked_out(writer, workdir):
    with pytest.raises(Locked) as e:
        Session(load(workdir).appraisal, workdir)
    assert e.value.holder.pid == os.getpid() and e.value.holder.host == socket.gethostname()
    assert "open in another window (pid" in str(e.value)
    writer.close(keep_journal=False)
    again = Session(load(workdir).appraisal, workdir)  # released: free again
    again.close(keep_journal=False)


def test_a_read_only_session_refuses_edits_and_writes_nothing(writer, workdir):
    before = sorted(p.name for p in workdir.parent.iterdir())
    viewer = Session(load(workdir).appraisal, workdir, read_only="open elsewhere")
    with pytest.raises(ReadOnly, match="read only: open elsewhere"):
        viewer.apply(score("trust-bcc", "speed", 4))
    with pytest.raises(ReadOnly):
        viewer.save()
    viewer.annotate("ignored")
    assert not viewer.steps and viewer.journal is None and viewer.lock is None
    viewer.close(keep_journal=False)
    assert sorted(p.name for p in workdir.parent.iterdir()) == before
    assert lock_path(workdir).exists(), "closing the viewer leaves the writer's lock alone"


def _hold_lock_in_another_process(path: Path) -> subprocess.Popen:
    code = ("import sys, time; from pathlib import Path; from appraisal.io.lock import FileLock; "
            "FileLock.acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_by_another_process_and_left_by_a_killed_one(workdir):
    proc = _hold_lock_in_another_process(workdir)
    try:
        with pytest.raises(Locked) as e:
            FileLock.acquire(workdir)
        assert e.value.holder.pid == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert lock_path(workdir).exists(), "a killed process leaves its lock behind"
    lock = FileLock.acquire(workdir)  # ... which is stale: its process is gone
    assert lock.holder.pid == os.getpid()
    lock.release()
    assert not lock_path(workdir).exists()


@pytest.mark.parametrize("age, taken", [(60, False), (3 * 24 * 3600, True)])
def test_a_lock_from_another_host_is_stale_only_when_very_old(workdir, age, taken):
    path = lock_path(workdir)
    path.write_text(json.dumps({"pid": 1, "host": "elsewhere.example", "user": "bob", "started": "2024-05-01T10:42:00+00:00"}))
    os.utime(path, (time.time() - age, time.time() - age))
    if taken:
        FileLock.acquire(workdir).release()
    else:
        with pytest.raises(Locked, match=r"pid 1 \(bob\) on elsewhere.example, since 2024-05-01 10:42"):
            FileLock.acquire(workdir)


def test_an_empty_lock_is_a_window_starting_until_it_is_old(workdir):
    path = lock_path(workdir)
    path.write_text("")
    with pytest.raises(Locked):
        FileLock.acquire(workdir)
    os.utime(path, (time.time() - 60, time.time() - 60))
    FileLock.acquire(workdir).release()


def test_save_as_onto_a_file_open_elsewhere_is_refused(writer, workdir, tmp_path):
    other = copy_to_new(workdir, tmp_path / "other.toml")
    holder = Session(load(other).appraisal, other)
    writer.apply(score("trust-bcc", "speed", 4))
    before = other.read_bytes()
    with pytest.raises(Locked):
        writer.save(other)
    assert other.read_bytes() == before and writer.dirty
    holder.close(keep_journal=False)
    writer.save(other)
    assert writer.path == other and not lock_path(workdir).exists() and lock_path(other).exists(), "the lock moves with the file"


def copy_to_new(source: Path, target: Path) -> Path:
    copy_to(load(source).appraisal, source, target)
    return target


def test_a_copy_gets_a_free_name_and_never_replaces_a_file(workdir):
    first = free_name(workdir)
    assert first.name == "birmingham-2013-copy.toml"
    copy_to_new(workdir, first)
    assert load(first).appraisal.cells == load(workdir).appraisal.cells, "its criteria found from the new place"
    assert free_name(workdir).name == "birmingham-2013-copy-2.toml"
    with pytest.raises(AppraisalError, match="already exists"):
        copy_to(load(workdir).appraisal, workdir, first)



def test_a_line_cut_short_by_a_killed_app_does_not_hide_the_edits_after_it(workdir):
    first = Session(load(workdir).appraisal, workdir)
    first.apply(score("trust-bcc", "speed", 4))
    first.close(keep_journal=True)
    journal = journal_path(workdir)
    journal.write_text(journal.read_text() + '{"kind": "edit", "group": 9, "st')  # killed mid-write
    second = Session(load(workdir).appraisal, workdir)
    second.restore(read_journal(journal))
    second.apply(score("integrated", "speed", 1))
    assert [(s.option, s.score) for s in read_journal(journal).steps] == [("trust-bcc", 4), ("integrated", 1)]
    second.close(keep_journal=False)


def test_the_reasons_given_in_a_workshop_are_in_the_saved_file(workdir):
    """Review: a reason typed at 'Why?' went only to the journal, which saving restarts: the saved file
    had no trace of it, and the cell kept the label printed for its old score (a finding `validate` then
    blamed on the source)."""
    from appraisal.paths import bundled_appraisal
    from appraisal.reports.findings import findings

    s = Session(load(workdir).appraisal, workdir, participant="Sam")
    old = s.current.cell("integrated", "vision")
    assert old.label and old.score == 4
    s.apply(score("integrated", "vision", 1))
    s.annotate("the plan has no owner yet")
    s.apply(weight("speed", 5))
    s.annotate("the inspection is in March")
    s.apply(score("trust-bcc", "vision", 2))  # no reason: nothing to add
    s.save()
    s.save()  # again: nothing twice
    saved = load(workdir).appraisal
    cell = saved.cell("integrated", "vision")
    assert cell.score == 1 and cell.label is None and cell.rationale == old.rationale
    day = s.history()[0][0].at[:10]
    assert cell.note == f"{day}, Sam: Integrated / Clear vision: 4 → 1. Why: the plan has no owner yet"
    assert saved.provenance.notes.endswith(f"{day}, Sam: Weight of Speed of implementation: 3 → 5. Why: the inspection is in March")
    assert saved.provenance.notes.count("Why:") == 1 and saved.cell("trust-bcc", "vision").note == ""
    mismatches = lambda a: {f.where for f in findings(a) if f.code == "label-mismatch"}  # noqa: E731 (the source has its own)
    assert mismatches(saved) == mismatches(load(bundled_appraisal()).appraisal)
    assert s.current == saved or (s.current.cells.notes == saved.cells.notes and s.current.provenance == saved.provenance)
    # Undo the last action after the save, then save again: the earlier reasons stay in the file.
    s.undo()
    s.save()
    again = load(workdir).appraisal
    assert again.cell("integrated", "vision").note == cell.note and again.provenance.notes == saved.provenance.notes
    s.undo()  # the weight: its reason leaves with it
    s.save()
    assert "inspection" not in load(workdir).appraisal.provenance.notes
    s.close(keep_journal=False)


def test_a_score_set_back_to_the_printed_one_keeps_its_label_in_the_saved_file(workdir):
    s = Session(load(workdir).appraisal, workdir, journal=False)
    label = s.current.cell("integrated", "vision").label
    s.apply(score("integrated", "vision", 1))
    assert s.current.cell("integrated", "vision").label == label  # in the session, edits stay reversible
    s.apply(score("integrated", "vision", 4))
    s.save()
    assert load(workdir).appraisal.cell("integrated", "vision").label == label


def test_what_was_just_done_reads_the_same_after_a_save_and_a_save_as(workdir):
    """Saving puts the reasons into the state (and save as moves the criteria path): the last action is
    rebuilt then, and the status line read "Clear vision: 1 → 1" after it until the fix."""
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("outsource", "vision", 1))
    s.annotate("Sam said so")
    words = s.describe_action(s.last_event[1])
    assert "5 → 1" in words
    s.save()
    assert s.describe_action(s.last_event[1]) == words
    s.save(workdir.with_name("elsewhere.toml"))
    assert s.describe_action(s.last_event[1]) == words
    s.close(keep_journal=False)
