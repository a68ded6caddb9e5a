"""The live room's store: seats, validation as file input, codes, history, the reveal, migration, foreign and
damaged files, where the room lives; the appraisal a room makes; and `appraisal room` on the command line."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.errors import AppraisalError
from appraisal.io import load_appraisal
from appraisal.io import room_store
from appraisal.io.room_store import APPLICATION_ID, SCHEMA_VERSION, RoomStore, read_room, room_path
from appraisal.model.room import RoomParticipant, RoomSnapshot, room_appraisal
from appraisal.reports.group import group_report

from .conftest import run_cli, write_criteria


class Ran:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(capsys, monkeypatch):
    """`appraisal ...` in this process (fast); `run_cli` where a real process matters."""
    from appraisal.cli import main

    monkeypatch.setenv("COLUMNS", "120")

    def run(*args):
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:
            code = e.code
        out, err = capsys.readouterr()
        return Ran(code, out, err)
    return run

SCORES = {"a": [5, 3, 1, 3], "b": [3, 4, 3, 2], "c": [2, 2, 5, 4]}
CRIT = ["c1", "c2", "c3", "c4"]
PEOPLE = [  # the hand-worked room of test_group.py
    {"name": "Ann", "weights": {"c1": 4, "c2": 2, "c3": 1, "c4": 1}, "scores": {"b:c2": 5}},
    {"name": "Bob", "weights": {"c1": 1, "c2": 1, "c3": 4, "c4": 2}, "scores": {"b:c2": 2}},
    {"name": "Cat", "weights": {"c1": 2, "c2": 2, "c3": 2, "c4": 2}},
]


def small_file(folder, participants=()):
    write_criteria(folder / "criteria.toml", CRIT)
    data = {
        "appraisal": {"title": "Small room", "criteria": "criteria.toml"},
        "weights": {c: 1 for c in CRIT},
        "options": [{"id": o, "name": o.upper()} for o in SCORES],
        "scores": [{"option": o, "criterion": c, "score": SCORES[o][j]} for o in SCORES for j, c in enumerate(CRIT)],
    }
    if participants:
        data["participants"] = list(participants)
    (folder / "g.toml").write_text(tomli_w.dumps(data))
    return folder / "g.toml"


@pytest.fixture
def small(tmp_path):
    return small_file(tmp_path)


@pytest.fixture
def store(small):
    s = RoomStore(room_path(small), load_appraisal(small))
    yield s
    s.close()


def fill(store, people=PEOPLE, *, submit=True):
    store.configure(allow_rescoring=True)
    seats = {}
    for p in people:
        seat = seats[p["name"]] = store.join(p["name"])
        store.set_weights(seat, p["weights"], "my view")
        for cell, v in p.get("scores", {}).items():
            store.set_score(seat, *cell.split(":"), v, "I know this one")
        if submit:
            store.submit(seat)
    return seats


# --- the store ----------------------------------------------------------------------------------

def test_a_room_lives_beside_its_file_in_wal_mode(small, store):
    assert store.path == small.with_name("g.toml.room.sqlite")
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == room_store.BUSY_TIMEOUT_MS


def test_join_write_submit_and_read_back(store):
    fill(store)
    snap = store.snapshot()
    assert [p.name for p in snap.participants] == ["Ann", "Bob", "Cat"]
    assert all(p.submitted for p in snap.participants)
    assert snap.participant("Ann").weights == {"c1": 4, "c2": 2, "c3": 1, "c4": 1}
    assert snap.participant("Bob").scores == {"b:c2": 2}
    assert snap.participant("Cat").scores == {}
    assert snap.revealed is False and snap.allow_rescoring is True and snap.has_code is False


def test_history_is_kept_and_the_latest_entry_is_the_value(store):
    seat = store.join("Ann")
    store.set_weight(seat, "c1", 4, "first thought")
    store.set_weight(seat, "c1", 2, "after the discussion")
    store.set_weight(seat, "c2", 3)
    store.set_weight(seat, "c2", None, "back to the appraisal's")
    assert store.snapshot().participant("Ann").weights == {"c1": 2}
    h = store.history("ann")
    assert [(e.kind, e.key, e.value, e.why) for e in h] == [
        ("weight", "c1", 4, "first thought"), ("weight", "c1", 2, "after the discussion"),
        ("weight", "c2", 3, ""), ("weight", "c2", None, "back to the appraisal's")]
    assert all(e.at.endswith("Z") for e in h)


def test_an_edit_after_submitting_waits_for_a_resubmit(store):
    seat = store.join("Ann")
    store.set_weight(seat, "c1", 4)
    store.submit(seat)
    assert store.snapshot().participant("Ann").submitted
    store.set_weight(seat, "c1", 5)
    assert not store.snapshot().participant("Ann").submitted
    store.submit(seat)
    assert store.snapshot().participant("Ann").submitted


def test_a_returning_name_resumes_its_own_entries_and_the_old_seat_is_void(store):
    first = store.join("Ann Lee")
    store.set_weight(first, "c1", 4)
    with pytest.raises(AppraisalError, match="'Ann Lee' is connected in another window"):
        store.join("ann lee")
    store.leave(first)
    again = store.join("  ann   lee ")
    assert again.name == "Ann Lee"
    assert store.snapshot().participant("Ann Lee").weights == {"c1": 4}
    store.set_weight(again, "c2", 2)
    with pytest.raises(AppraisalError, match="no longer seated"):
        store.set_weight(first, "c1", 1)
    assert len(store.snapshot().participants) == 1


def test_presence_a_name_is_held_while_its_app_says_it_is_there(store, monkeypatch):
    monkeypatch.setattr(room_store, "PRESENCE_S", 0.4)
    seat = store.join("Ann")
    assert store.snapshot().participant("Ann").connected
    for _ in range(3):
        time.sleep(0.2)
        store.heartbeat(seat)
        with pytest.raises(AppraisalError, match="connected in another window"):
            store.join("Ann")
    time.sleep(0.5)  # no heartbeat: the app is gone (killed, or the browser tab closed)
    assert not store.snapshot().participant("Ann").connected
    again = store.join("Ann")
    with pytest.raises(AppraisalError, match="no longer seated"):
        store.heartbeat(seat)
    store.leave(again)
    assert not store.snapshot().participant("Ann").connected


def test_participants_write_only_through_their_own_seat(store):
    ann = store.join("Ann")
    store.join("Bob")
    forged = room_store.Seat("Bob", ann.token)  # Ann's secret with Bob's name
    with pytest.raises(AppraisalError, match="no longer seated"):
        store.set_weight(forged, "c1", 9)
    with pytest.raises(AppraisalError, match="no longer seated"):
        store.submit(room_store.Seat("Bob", "guessed"))
    assert store.snapshot().participant("Bob").weights == {}
    assert "token" not in repr(ann) and ann.token not in repr(ann)


@pytest.mark.parametrize("weights, needle", [
    ({"nope": 1}, "unknown criterion 'nope'"),
    ({"c1": float("nan")}, "finite number >= 0, not nan"),
    ({"c1": float("inf")}, "finite number >= 0, not inf"),
    ({"c1": -1}, "finite number >= 0, not -1"),
    ({"c1": 0, "c2": 0, "c3": 0, "c4": 0}, "all be zero"),
    ({"c1": True}, "must be a number"),
    ({"c1": "3"}, "must be a number"),
])
def test_weights_are_checked_as_file_input_is(store, weights, needle):
    seat = store.join("Ann")
    store.set_weight(seat, "c1", 2)
    with pytest.raises(AppraisalError, match=needle):
        store.set_weights(seat, weights)
    assert store.snapshot().participant("Ann").weights == {"c1": 2}  # nothing of the refused write is kept
    assert len(store.history("Ann")) == 1


@pytest.mark.parametrize("cell, score, needle", [
    ("b:c2", 7, "outside the scale 1..5"),
    ("b:c2", 2.25, "not a multiple of the scale step 0.5"),
    ("z:c2", 3, "'z:c2' is not OPTION:CRITERION"),
    ("b:zz", 3, "'b:zz' is not OPTION:CRITERION"),
    ("b:c2", float("nan"), "finite"),
])
def test_scores_are_checked_as_file_input_is(store, cell, score, needle):
    store.configure(allow_rescoring=True)
    seat = store.join("Ann")
    with pytest.raises(AppraisalError, match=needle):
        store.set_score(seat, *cell.split(":"), score)
    assert store.snapshot().participant("Ann").scores == {}


def test_scores_only_when_the_facilitator_allows_rescoring(store):
    seat = store.join("Ann")
    with pytest.raises(AppraisalError, match="not allowed rescoring"):
        store.set_score(seat, "b", "c2", 4)
    store.configure(allow_rescoring=True)
    store.set_score(seat, "b", "c2", 4.5)
    store.set_score(seat, "a", "c1", 3)
    store.set_score(seat, "a", "c1", None)
    assert store.snapshot().participant("Ann").scores == {"b:c2": 4.5}


@pytest.mark.parametrize("name, needle", [
    ("", "at least 1 character"), ("   ", "at least 1 character"), ("x" * 61, "at most 60 characters"),
    ("Ann\nBob", "control characters"), ("\x1b[31mred", "control characters"), (42, "must be text"),
])
def test_names_are_checked(store, name, needle):
    with pytest.raises(AppraisalError, match=needle):
        store.join(name)
    assert store.snapshot().participants == ()


def test_a_name_from_the_files_own_participants_is_refused(tmp_path):
    path = small_file(tmp_path, PEOPLE[:1])
    with RoomStore(room_path(path), load_appraisal(path)) as s:
        with pytest.raises(AppraisalError, match="already a participant in the appraisal file"):
            s.join("ANN")


def test_join_codes(store):
    store.configure(code="kq7x-m3pt")
    assert store.snapshot().has_code
    with pytest.raises(AppraisalError, match="needs a join code"):
        store.join("Ann")
    with pytest.raises(AppraisalError, match="wrong join code"):
        store.join("Ann", "KQ7XM3PX")
    assert store.snapshot().participants == ()
    seat = store.join("Ann", " KQ7X M3PT ")  # case, spaces and dashes do not matter
    store.set_weight(seat, "c1", 3)
    store.configure(code="NEWCODE1")
    store.set_weight(seat, "c2", 3)  # a seated participant keeps the seat
    with pytest.raises(AppraisalError, match="wrong join code"):
        store.join("Bob", "kq7x-m3pt")
    store.configure(clear_code=True)
    store.join("Bob")
    raw = sqlite3.connect(store.path).execute("SELECT code_hash FROM room").fetchone()[0]
    assert raw is None
    with pytest.raises(AppraisalError, match="at least 4"):
        store.configure(code="ab")


def test_the_code_is_stored_only_as_a_salted_slow_hash(store):
    store.configure(code="KQ7XM3PT")
    raw = sqlite3.connect(store.path).execute("SELECT code_hash FROM room").fetchone()[0]
    assert "KQ7XM3PT" not in raw and raw.startswith("scrypt$")
    tokens = [r[0] for r in sqlite3.connect(store.path).execute("SELECT token_hash FROM participants")]
    seat = store.join("Ann", "KQ7XM3PT")
    stored = sqlite3.connect(store.path).execute("SELECT token_hash FROM participants").fetchone()[0]
    assert tokens == [] and seat.token not in stored


def test_reveal_and_reset(store):
    seats = fill(store)
    store.reveal()
    snap = store.snapshot()
    assert snap.revealed and snap.revealed_at
    assert store.reset() == 3
    snap = store.snapshot()
    assert snap.participants == () and not snap.revealed and snap.allow_rescoring  # settings stay
    with pytest.raises(AppraisalError, match="join again"):
        store.set_weight(seats["Ann"], "c1", 1)


def test_another_connection_sees_commits_and_the_poll_notices(small, store):
    a = load_appraisal(small)
    with RoomStore(store.path, a) as other:
        before = store.data_version()
        seat = other.join("Ann")
        other.set_weight(seat, "c1", 3)
        assert store.data_version() != before
        assert store.snapshot().participant("Ann").weights == {"c1": 3}


# --- the appraisal a room makes ------------------------------------------------------------------

def test_the_room_gives_the_same_group_result_as_the_same_people_in_a_file(tmp_path, store):
    fill(store)
    (tmp_path / "filed").mkdir()
    filed = small_file(tmp_path / "filed", PEOPLE)
    a = load_appraisal(store.path.with_name("g.toml"))
    live = room_appraisal(a, store.snapshot())
    assert [p.name for p in live.participants] == ["Ann", "Bob", "Cat"]
    assert live.participants == load_appraisal(filed).participants
    mine, theirs = group_report(live, samples=0), group_report(load_appraisal(filed), samples=0)
    for key in ("group", "decisive_criteria", "decisive_cells", "leave_one_out", "participants"):
        assert mine[key] == theirs[key]
    assert mine["group"]["leader"] == "c" and mine["leave_one_out"] == {"Ann": "c", "Bob": "a", "Cat": "c"}  # by hand in test_group


def test_only_submitted_participants_count_and_the_files_own_come_first(tmp_path):
    path = small_file(tmp_path, [{"name": "Dee", "weights": {"c1": 3}}])
    a = load_appraisal(path)
    snap = RoomSnapshot((RoomParticipant("Ann", "t", "t", True, {"c2": 2}), RoomParticipant("Bob", "t", "t", False, {"c3": 9})))
    assert [p.name for p in room_appraisal(a, snap).participants] == ["Dee", "Ann"]
    assert [p.name for p in room_appraisal(a, snap, only_submitted=False).participants] == ["Dee", "Ann", "Bob"]


def test_entries_that_no_longer_fit_the_appraisal_are_named(small):
    a = load_appraisal(small)
    snap = RoomSnapshot((RoomParticipant("Ann", "t", "t", True, {"gone": 2}),))
    with pytest.raises(AppraisalError, match="Ann: unknown criterion 'gone'"):
        room_appraisal(a, snap)
    clash = RoomSnapshot((RoomParticipant("Dee", "t", "t", True, {"c1": 2}),))
    with pytest.raises(AppraisalError, match="both in the file"):
        room_appraisal(a.model_copy(update={"participants": (a.participants + room_appraisal(a, clash).participants)}), clash)


# --- schema versions, foreign and damaged files ---------------------------------------------------

# The room as version 1 wrote it, by hand: later versions must open it and keep everything.
V1_BY_HAND = """
CREATE TABLE room (id INTEGER PRIMARY KEY CHECK (id = 1), appraisal TEXT NOT NULL, created_at TEXT NOT NULL,
  revealed INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)), revealed_at TEXT,
  allow_rescoring INTEGER NOT NULL DEFAULT 0 CHECK (allow_rescoring IN (0, 1)), code_hash TEXT);
CREATE TABLE participants (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL, joined_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  submitted INTEGER NOT NULL DEFAULT 0 CHECK (submitted IN (0, 1)), submitted_at TEXT);
CREATE UNIQUE INDEX participants_by_token ON participants (token_hash);
CREATE TABLE weights (id INTEGER PRIMARY KEY AUTOINCREMENT, participant INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  criterion TEXT NOT NULL, weight REAL, at TEXT NOT NULL, why TEXT NOT NULL DEFAULT '');
CREATE INDEX weights_by_participant ON weights (participant, criterion);
CREATE TABLE scores (id INTEGER PRIMARY KEY AUTOINCREMENT, participant INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  option TEXT NOT NULL, criterion TEXT NOT NULL, score REAL, at TEXT NOT NULL, why TEXT NOT NULL DEFAULT '');
CREATE INDEX scores_by_participant ON scores (participant, option, criterion);
INSERT INTO room VALUES (1, 'Small room', '2026-01-01T09:00:00.000Z', 1, '2026-01-01T10:00:00.000Z', 1, NULL);
INSERT INTO participants VALUES (1, 'Ann', 'ann', 'x', '2026-01-01T09:01:00.000Z', '2026-01-01T09:02:00.000Z', 1, '2026-01-01T09:02:00.000Z');
INSERT INTO weights VALUES (1, 1, 'c1', 4, '2026-01-01T09:01:30.000Z', 'first'), (2, 1, 'c1', 3, '2026-01-01T09:02:00.000Z', 'second');
INSERT INTO scores VALUES (1, 1, 'b', 'c2', 4.5, '2026-01-01T09:02:00.000Z', '');
PRAGMA application_id = 1095782482;
PRAGMA user_version = 1;
"""


def test_an_empty_version_0_database_is_migrated(small):
    path = room_path(small)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 0")
    con.execute("VACUUM")  # a real, empty SQLite file
    con.close()
    assert path.stat().st_size > 0
    with RoomStore(path, load_appraisal(small)) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        s.set_weight(s.join("Ann"), "c1", 2)
        assert s.snapshot().participant("Ann").weights == {"c1": 2}


def test_a_version_1_database_made_by_hand_is_migrated_with_everything_in_it(small):
    path = room_path(small)
    con = sqlite3.connect(path)
    con.executescript(V1_BY_HAND)
    con.close()
    with RoomStore(path, load_appraisal(small)) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        snap = s.snapshot()
        assert snap.revealed and snap.allow_rescoring
        ann = snap.participant("Ann")
        assert (ann.weights, ann.scores, ann.submitted, ann.joined_at) == ({"c1": 3}, {"b:c2": 4.5}, True, "2026-01-01T09:01:00.000Z")
        assert [e.why for e in s.history("Ann")][:2] == ["first", "second"]
        assert "seen_at" in [r[1] for r in s.conn.execute("PRAGMA table_info(participants)")]  # version 2's column
        assert not ann.connected
        seat = s.join("Ann")  # resumes, with a fresh secret
        s.set_weight(seat, "c2", 1)
        assert s.snapshot().participant("Ann").weights == {"c1": 3, "c2": 1}


def test_the_migration_steps_build_what_version_1_was_by_hand(tmp_path):
    """The schema the code migrates to is the one the hand-made fixture above pins (same tables, same columns)."""
    def shape(con):
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: [r[1:4] for r in con.execute(f"PRAGMA table_info({t})")] for t in tables}

    by_hand = sqlite3.connect(tmp_path / "hand.sqlite")
    by_hand.executescript(V1_BY_HAND)
    migrated = sqlite3.connect(tmp_path / "code.sqlite")
    for statement in [s for step in room_store.MIGRATIONS[:1] for s in step]:
        migrated.execute(statement)
    assert shape(migrated) == shape(by_hand)


def fail_line(fn) -> str:
    with pytest.raises(AppraisalError) as e:
        fn()
    return str(e.value)


@pytest.mark.parametrize("make, needle", [
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), "not an appraisal room, or a damaged one"),
    (lambda p: p.write_text("just some text, not a database at all\n" * 50), "not an appraisal room, or a damaged one"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');"), "another program's database"),
    (lambda p: sqlite3.connect(p).executescript(f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 99; CREATE TABLE t (x);"),
     "made by a newer appraisal (room schema 99"),
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: os.mkfifo(p), "not a regular file"),
])
def test_foreign_damaged_or_odd_files_are_one_error(small, make, needle):
    path = room_path(small)
    make(path)
    message = fail_line(lambda: RoomStore(path, load_appraisal(small)))
    assert needle in message and str(path) in message
    r = run_cli("room", str(small))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"error: {path}: ") and needle in r.stderr


def test_a_room_damaged_in_the_middle_is_one_error(small, store):
    fill(store)
    store.close()
    data = bytearray(store.path.read_bytes())
    assert len(data) > 8192
    for k in range(4096, len(data), 4096):  # scribble over the b-tree header of every page but the first
        data[k:k + 12] = b"\x5a" * 12
    store.path.write_bytes(bytes(data))
    for extra in (".room.sqlite-wal", ".room.sqlite-shm"):
        store.path.with_name("g.toml" + extra).unlink(missing_ok=True)
    r = run_cli("room", str(store.path.with_name("g.toml")), "--format", "json")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "damaged" in r.stderr, r.stderr


# --- where the room lives -------------------------------------------------------------------------

def test_the_bundled_file_and_read_only_folders_keep_their_room_in_the_state_folder(tmp_path, monkeypatch, bundled_path, small):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    bundled = room_path(bundled_path)
    assert bundled.parent == tmp_path / "state" / "appraisal" / "rooms"
    assert bundled.name.endswith("-birmingham-2013.toml.room.sqlite")
    real_access = os.access
    monkeypatch.setattr(room_store.os, "access", lambda p, mode: False if str(p) == str(small.parent) else real_access(p, mode))
    elsewhere = room_path(small)
    assert elsewhere.parent == tmp_path / "state" / "appraisal" / "rooms" and elsewhere != bundled


def test_the_bundled_room_is_never_written_inside_the_package_or_checkout(tmp_path, bundled_path):
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    r = run_env(env, "room", "--rescoring", "on", "--format", "json")
    assert r.returncode == 0, r.stderr
    rooms = list((tmp_path / "state" / "appraisal" / "rooms").iterdir())
    assert any(p.name.endswith("birmingham-2013.toml.room.sqlite") for p in rooms)
    assert not list(bundled_path.parent.glob("*.room.sqlite*"))


def run_env(env, *args):
    import subprocess

    return subprocess.run([sys.executable, "-m", "appraisal", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **env})


# --- the command line -----------------------------------------------------------------------------

def test_room_command_json(cli, small, store):
    fill(store)
    store.reveal()
    r = cli("room", str(small), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["revealed"] is True and d["submitted_count"] == 3
    ann = d["participants"][0]
    assert set(ann) >= {"name", "joined_at", "submitted", "weights", "scores", "updated_at"}
    assert (ann["name"], ann["weights"], ann["scores"], ann["submitted"]) == ("Ann", {"c1": 4, "c2": 2, "c3": 1, "c4": 1}, {"b:c2": 5}, True)
    assert d["group"]["leader"] == "c"
    assert [c["criterion"] for c in d["decisive_criteria"]] == ["c1", "c3"]
    assert d["decisive_cells"] == [] and d["leave_one_out"] == {"Ann": "c", "Bob": "a", "Cat": "c"}
    table = cli("room", str(small))
    assert table.returncode == 0 and "3 joined, 3 submitted" in table.stdout and "The group prefers C." in table.stdout


def test_room_command_on_a_file_with_no_room_creates_nothing(cli, small):
    r = cli("room", str(small), "--format", "json")
    d = json.loads(r.stdout)
    assert (d["participants"], d["group"], d["revealed"]) == ([], None, False)
    assert not room_path(small).exists()
    assert "Nobody has submitted yet" in cli("room", str(small)).stdout


def test_freeze_writes_an_appraisal_the_other_commands_use(cli, small, store, tmp_path):
    seats = fill(store)
    store.set_weight(seats["Cat"], "c1", 3)  # Cat changes her mind and does not resubmit: left out
    out = tmp_path / "out" / "frozen.toml"
    out.parent.mkdir()
    r = cli("room", str(small), "--freeze", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "2 submitted participants (1 who have not submitted left out)" in r.stdout
    frozen = load_appraisal(out)
    assert [(p.name, p.weights, p.scores) for p in frozen.participants] == [
        ("Ann", {"c1": 4, "c2": 2, "c3": 1, "c4": 1}, {"b:c2": 5}), ("Bob", {"c1": 1, "c2": 1, "c3": 4, "c4": 2}, {"b:c2": 2})]
    group = json.loads(cli("group", str(out), "--format", "json", "--samples", "100").stdout)
    room = json.loads(cli("room", str(small), "--format", "json").stdout)
    for key in ("group", "decisive_criteria", "decisive_cells", "leave_one_out"):
        assert group[key] == room[key]
    assert cli("export", str(out), "-o", str(tmp_path / "out" / "f.xlsx")).returncode == 0
    assert cli("replay", str(out)).returncode == 0
    again = cli("room", str(small), "--freeze", "-o", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert cli("room", str(small), "--freeze", "-o", str(out), "--force").returncode == 0
    same = cli("room", str(small), "--freeze", "-o", str(small), "--force")
    assert same.returncode == 2 and "never replaces" in same.stderr


@pytest.mark.parametrize("args, needle", [
    (["--freeze"], "--freeze needs -o"),
    (["-o", "x.toml"], "-o is for --freeze"),
    (["--freeze", "-o", "{tmp}/x.toml"], "nobody has submitted yet"),
    (["--reset"], "without --yes"),
    (["--code", "ab"], "at least 4"),
    (["--freeze", "--reset", "-o", "x.toml"], "not allowed with argument"),
])
def test_room_command_refusals(cli, small, tmp_path, args, needle):
    r = cli("room", str(small), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert not (tmp_path / "x.toml").exists()


def test_room_settings_and_reset_from_the_command_line(cli, small, store):
    fill(store)
    r = cli("room", str(small), "--reveal", "on", "--rescoring", "off", "--code", "ABCD-2345", "--format", "json")
    d = json.loads(r.stdout)
    assert (d["revealed"], d["allow_rescoring"], d["code_required"]) == (True, False, True)
    with pytest.raises(AppraisalError, match="wrong join code"):
        store.join("Dee", "ABCD2346")
    store.join("Dee", "abcd2345")
    assert json.loads(cli("room", str(small), "--no-code", "--format", "json").stdout)["code_required"] is False
    r = cli("room", str(small), "--reset", "--yes")
    assert r.returncode == 0 and "(4 participants)" in r.stdout
    assert store.snapshot().participants == ()


def test_weights_and_scores_in_one_write_are_checked_together_and_kept_together(store):
    store.configure(allow_rescoring=True)
    seat = store.join("Ann")
    store.write(seat, weights={"c1": 2, "c2": 0}, scores={"a:c1": 4}, why="together")
    assert store.entries(seat) == ({"c1": 2, "c2": 0}, {"a:c1": 4})
    with pytest.raises(AppraisalError, match="outside the scale"):
        store.write(seat, weights={"c3": 5}, scores={"a:c2": 9})
    assert store.entries(seat) == ({"c1": 2, "c2": 0}, {"a:c1": 4})  # neither half of the refused write
    store.write(seat, weights={"c2": None}, scores={"a:c1": None})
    assert store.entries(seat) == ({"c1": 2}, {})
    store.write(seat)  # nothing to write: no entry, and no un-submitting
    assert len(store.history("Ann")) == 5


# --- a property: the store is last-write-wins per participant and key, and refuses what a file would ---

WRITE = st.tuples(
    st.sampled_from(["Ann", "Bob", "Cat"]),
    st.dictionaries(st.sampled_from(CRIT + ["zz"]), st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, -1.0, float("inf")])), max_size=3),
    st.dictionaries(st.sampled_from(["a:c1", "b:c2", "c:c4", "q:c1"]), st.one_of(st.none(), st.sampled_from([1.0, 3.5, 5.0, 2.25, 6.0])), max_size=2),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITE, max_size=12))
def test_the_store_matches_a_plain_model_of_itself(tmp_path_factory, writes):
    folder = tmp_path_factory.mktemp("prop")
    path = small_file(folder)
    a = load_appraisal(path)
    oracle: dict[str, tuple[dict, dict]] = {}
    with RoomStore(room_path(path), a) as s:
        s.configure(allow_rescoring=True)
        seats = {n: s.join(n) for n in ("Ann", "Bob", "Cat")}
        for name, weights, scores in writes:
            held_w, held_s = oracle.get(name, ({}, {}))
            after_w = {k: v for k, v in {**held_w, **weights}.items() if v is not None}
            after_s = {k: v for k, v in {**held_s, **scores}.items() if v is not None}
            ok = (all(k in CRIT and v >= 0 and v != float("inf") for k, v in after_w.items())
                  and any({**a.weights, **after_w}[c] > 0 for c in CRIT)
                  and all(k.split(":")[0] in SCORES and v in (1.0, 3.5, 5.0) for k, v in after_s.items()))
            if ok:
                s.write(seats[name], weights, scores)
                oracle[name] = (after_w, after_s)
            else:
                with pytest.raises(AppraisalError):
                    s.write(seats[name], weights, scores)
        snap = s.snapshot()
        for name in ("Ann", "Bob", "Cat"):
            p = snap.participant(name)
            assert (p.weights, p.scores) == oracle.get(name, ({}, {}))


def test_a_reason_given_after_the_edit_goes_with_that_edit_only(store):
    store.configure(allow_rescoring=True)
    seat = store.join("Ann")
    store.set_score(seat, "a", "c1", 4, "scored first")  # within the same millisecond as the next, as likely as not
    store.write(seat, weights={"c1": 3, "c2": 1})
    store.explain(seat, "after hearing the finance lead")
    assert [(e.key, e.why) for e in store.history("Ann")] == [
        ("a:c1", "scored first"), ("c1", "after hearing the finance lead"), ("c2", "after hearing the finance lead")]


def test_entries_the_changed_appraisal_no_longer_accepts_are_one_error_naming_the_room(small, store, cli):
    seat = store.join("Ann")
    store.set_weight(seat, "c4", 2)
    store.submit(seat)
    store.close()
    crit = CRIT[:3]  # the facilitator drops c4 from the appraisal after Ann weighed it
    write_criteria(small.parent / "criteria.toml", crit)
    small.write_text(tomli_w.dumps({
        "appraisal": {"title": "Small room", "criteria": "criteria.toml"}, "weights": {c: 1 for c in crit},
        "options": [{"id": o, "name": o.upper()} for o in SCORES],
        "scores": [{"option": o, "criterion": c, "score": SCORES[o][j]} for o in SCORES for j, c in enumerate(crit)]}))
    r = cli("room", small, "--format", "json")
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"error: {room_path(small)}: ") and "participants.Ann.weights.c4: unknown criterion 'c4'" in r.stderr


def test_a_criterion_measured_in_natural_units_takes_no_participant_score(tmp_path, bundled_path):
    import shutil

    for part in ("criteria", "scenarios"):
        (tmp_path / part).mkdir()
        shutil.copy(bundled_path.parent.parent / part / "case-system.toml", tmp_path / part)
    path = tmp_path / "scenarios" / "case-system.toml"
    a = load_appraisal(path)
    measured = next(c.id for c in a.criteria if c.measured)
    scaled = next(c.id for c in a.criteria if not c.measured)
    with RoomStore(room_path(path), a) as s:
        s.configure(allow_rescoring=True)
        seat = s.join("Ann")
        with pytest.raises(AppraisalError, match="measured in natural units"):
            s.set_score(seat, a.options[0].id, measured, 3)
        s.set_score(seat, a.options[0].id, scaled, 3)
        s.set_weight(seat, measured, 10)
        s.submit(seat)
        assert room_appraisal(a, s.snapshot()).participants[0].scores == {f"{a.options[0].id}:{scaled}": 3}


def test_opening_a_room_another_process_has_locked_for_a_moment_waits_instead_of_failing(small, monkeypatch):
    """SQLite does not wait out every kind of busy on open (changing the journal mode, a first checkpoint):
    the store retries those until its busy timeout."""
    a = load_appraisal(small)
    calls = []
    real = RoomStore._prepare_once

    def flaky(self):
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return real(self)

    monkeypatch.setattr(RoomStore, "_prepare_once", flaky)
    with RoomStore(room_path(small), a) as s:
        assert s.snapshot().participants == ()
    assert len(calls) == 3
    monkeypatch.setattr(room_store, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(RoomStore, "_prepare_once", lambda self: (_ for _ in ()).throw(sqlite3.OperationalError("database is locked")))
    with pytest.raises(AppraisalError, match="the room is busy"):
        RoomStore(room_path(small), a)
