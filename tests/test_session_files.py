"""The session and the file on disk, without Textual: a save never silently replaces what another program
changed, a symlink or a read-only file is never a way round the rules, snapshot names fit the scenario,
and the journal keeps the settings worth restoring."""

from __future__ import annotations

import json
import os
import stat

import pytest

from appraisal.errors import AppraisalError
from appraisal.io.journal import journal_path, read_journal
from appraisal.io.load import load
from appraisal.io.lock import Locked, lock_path
from appraisal.model.scenario import ScoreStep
from appraisal.session import ChangedOnDisk, ReadOnlyFile, Session

from .conftest import run_cli


def score(option: str, criterion: str, value: float) -> ScoreStep:
    return ScoreStep(action="set-score", option=option, criterion=criterion, score=value)


def edit_outside(path, old: str, new: str) -> None:
    """What `sed -i` does: a new file with the text changed."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# --- outside changes -----------------------------------------------------------------------------
def test_a_save_over_a_file_changed_by_another_program_asks_first(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("trust-bcc", "speed", 4))
    edit_outside(workdir, "Birmingham", "Brum")
    outside = workdir.read_bytes()
    assert "changed by another program since it was opened" in s.changed_on_disk()
    with pytest.raises(ChangedOnDisk, match="changed by another program"):
        s.save()
    assert workdir.read_bytes() == outside, "the outside edit is still there"
    assert s.dirty and [st.score for st in read_journal(journal_path(workdir)).steps] == [4], "the edit stays here and in the journal"
    s.save(overwrite=True)
    assert not s.dirty and s.changed_on_disk() is None
    s.apply(score("trust-bcc", "speed", 5))
    s.save()  # the file is as this session saved it: no question
    assert load(workdir).appraisal.cell("trust-bcc", "speed").score == 5
    edit_outside(workdir, "Birmingham", "Brum")
    assert "since it was saved here" in s.changed_on_disk()
    s.close(keep_journal=False)


def test_the_journal_names_the_file_as_opened_not_as_at_the_first_edit(workdir):
    s = Session(load(workdir).appraisal, workdir)
    before = s.disk_sha256
    edit_outside(workdir, "Birmingham", "Brum")  # between opening and the first edit
    s.apply(score("trust-bcc", "speed", 4))
    assert read_journal(journal_path(workdir)).sha256 == before, "its edits apply to the file as it was read"
    s.close(keep_journal=True)


def test_save_as_a_copy_needs_no_question_and_a_deleted_file_is_said(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("trust-bcc", "speed", 4))
    workdir.unlink()
    assert "moved or deleted" in s.changed_on_disk()
    with pytest.raises(ChangedOnDisk):
        s.save()
    copy = workdir.with_name("copy.toml")
    s.save(copy)
    assert load(copy).appraisal.cell("trust-bcc", "speed").score == 4
    s.close(keep_journal=False)


# --- symlinks and hard links ---------------------------------------------------------------------
def test_a_symlink_is_no_way_round_the_lock_and_a_save_writes_through_it(workdir):
    link = workdir.with_name("link.toml")
    link.symlink_to(workdir.name)
    first = Session(load(workdir).appraisal, workdir)
    with pytest.raises(Locked, match="open in another window"):
        Session(load(link).appraisal, link)
    first.close(keep_journal=False)

    s = Session(load(link).appraisal, link)
    assert lock_path(link) == lock_path(workdir) and s.lock.path == lock_path(workdir)
    s.apply(score("trust-bcc", "speed", 4))
    assert journal_path(link) == journal_path(workdir) and journal_path(workdir).exists(), "one journal, the real file's"
    with pytest.raises(Locked):
        Session(load(workdir).appraisal, workdir)
    s.save()
    assert link.is_symlink() and os.readlink(link) == workdir.name, "the link is still a link"
    assert load(workdir).appraisal.cell("trust-bcc", "speed").score == 4, "the save went to its target"
    assert not list(workdir.parent.glob("link.toml.*")), "nothing keyed by the link's name"
    s.close(keep_journal=False)


# --- read-only files -----------------------------------------------------------------------------
def test_a_read_only_file_is_opened_read_only_and_never_saved_over(workdir):
    workdir.chmod(0o444)
    with pytest.raises(ReadOnlyFile, match="read-only"):
        Session(load(workdir).appraisal, workdir)
    workdir.chmod(0o644)
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("trust-bcc", "speed", 4))
    workdir.chmod(0o444)  # made read-only while the session is open
    before = workdir.read_bytes()
    with pytest.raises(OSError, match="read-only"):
        s.save()
    assert workdir.read_bytes() == before and stat.S_IMODE(workdir.stat().st_mode) == 0o444
    assert s.dirty
    s.close(keep_journal=False)


# --- snapshot names ------------------------------------------------------------------------------
def test_a_snapshot_name_is_at_most_80_characters(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.take_snapshot("x" * 80)
    with pytest.raises(AppraisalError, match="at most 80"):
        s.take_snapshot("y" * 81)
    assert [snap.name for snap in s.snapshots] == ["x" * 80]
    s.close(keep_journal=True)
    assert [snap.name for snap in read_journal(journal_path(workdir)).snapshots] == ["x" * 80]


def test_a_journal_with_an_overlong_snapshot_name_is_one_error_line(workdir, tmp_path):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("trust-bcc", "speed", 4))
    s.close(keep_journal=True)
    journal = journal_path(workdir)
    entry = {"kind": "snapshot", "name": "n" * 200_000, "at": "", "steps": []}
    journal.write_text(journal.read_text() + json.dumps(entry) + "\n")
    with pytest.raises(AppraisalError, match="200,000 characters long; at most 80"):
        read_journal(journal)
    for args in (["journal", "export", str(journal), "-o", str(tmp_path / "out.toml")],
                 ["record", str(workdir), "--journal", str(journal), "-o", str(tmp_path / "record.html")]):
        result = run_cli(*args)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "at most 80" in lines[0], result.stderr
        assert len(lines[0]) < 300 and "Traceback" not in result.stderr
    assert not (tmp_path / "out.toml").exists() and not (tmp_path / "record.html").exists()


# --- settings ------------------------------------------------------------------------------------
def test_the_journal_keeps_whether_reasons_are_asked_and_a_restore_brings_it_back(workdir):
    s = Session(load(workdir).appraisal, workdir)
    s.set_setting("ask_reasons", True, record=False)  # as opened: no entry, only in the header
    s.apply(score("trust-bcc", "speed", 4))
    assert dict(read_journal(journal_path(workdir)).settings) == {"ask_reasons": True}
    s.set_setting("ask_reasons", False)
    s.close(keep_journal=True)
    recorded = read_journal(journal_path(workdir))
    assert dict(recorded.settings) == {"ask_reasons": False}
    again = Session(load(workdir).appraisal, workdir)
    again.set_setting("ask_reasons", True, record=False)
    again.restore(recorded)
    assert again.settings == {"ask_reasons": False}
    again.apply(score("trust-bcc", "speed", 5))
    again.save()
    again.apply(score("trust-bcc", "speed", 3))  # a new journal after the save: its header keeps the setting
    assert dict(read_journal(journal_path(workdir)).settings) == {"ask_reasons": False}
    again.close(keep_journal=False)


@pytest.mark.parametrize("line", [
    '{"kind": "setting", "name": "ask_reasons", "value": "yes"}',
    '{"kind": "setting", "name": "colour", "value": true}',
    '{"kind": "setting", "value": true}',
])
def test_a_bad_setting_in_a_journal_is_one_error(workdir, line):
    s = Session(load(workdir).appraisal, workdir)
    s.apply(score("trust-bcc", "speed", 4))
    s.close(keep_journal=True)
    journal = journal_path(workdir)
    journal.write_text(journal.read_text() + line + "\n")
    with pytest.raises(AppraisalError) as e:
        read_journal(journal)
    assert ":3:" in str(e.value)
