"""A room file written by another hand (sqlite3, another program): every value read back is checked as a
file's `[[participants]]` are, and a damaged room is one `error:` line naming the room and the participant;
nothing from it reaches a terminal unescaped or a frozen TOML file."""

from __future__ import annotations

import sqlite3

import pytest

from appraisal.errors import MAX_LINE, AppraisalError
from appraisal.io import load_appraisal
from appraisal.io.room_store import RoomStore, room_path
from appraisal.model.room import RoomParticipant, RoomSnapshot
from appraisal.reports.room import render_room, room_report

from .test_room import cli, fill, small, store  # noqa: F401  (fixtures)

HOSTILE_NAME = "\x1b]0;PWNED\x07\x1b[2JEv\nil\u202ex"


def tamper(store, *statements: str, params=()) -> None:
    store.close()
    with sqlite3.connect(store.path) as c:
        c.execute("PRAGMA ignore_check_constraints = 1")
        for s in statements:
            c.execute(s, params) if params else c.execute(s)
    c.close()


def one_error(r, *needles: str) -> str:
    assert r.returncode == 2 and r.stdout == "", (r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr
    return r.stderr


@pytest.mark.parametrize("name", [HOSTILE_NAME, "Ann\x1b[2J", "two\nlines", "Bob\u202exoN", "tab\tbed"])
def test_a_name_with_control_characters_written_into_the_room_is_refused_at_read(cli, small, store, tmp_path, name):
    fill(store)
    tamper(store, "UPDATE participants SET name = ? WHERE name = 'Bob'", params=(name,))
    for args in ((), ("--format", "json"), ("--freeze", "-o", tmp_path / "fr.toml")):
        err = one_error(cli("room", small, *args), f"error: {store.path}: participants[1].name: ", "control characters")
        assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    assert not (tmp_path / "fr.toml").exists()


@pytest.mark.parametrize("statement, needles", [
    ("UPDATE participants SET joined_at = 'not a date' WHERE name = 'Bob'", ("participants.Bob.joined_at", "not a time")),
    ("UPDATE participants SET updated_at = '2026-13-45T99:00:00.000Z' WHERE name = 'Bob'", ("participants.Bob.updated_at",)),
    ("UPDATE participants SET seen_at = 5 WHERE name = 'Bob'", ("participants.Bob.seen_at",)),
    ("UPDATE room SET revealed_at = 'yesterday'", ("room.revealed_at",)),
    ("UPDATE participants SET submitted = 7 WHERE name = 'Bob'", ("damaged",)),
    ("UPDATE weights SET weight = 'heavy' WHERE id = (SELECT max(id) FROM weights WHERE criterion = 'c1')", ("weights.c1", "number")),
    ("UPDATE weights SET weight = 9e999 WHERE id = (SELECT max(id) FROM weights WHERE criterion = 'c1')", ("weights.c1", "finite")),
    ("UPDATE weights SET weight = -3 WHERE id = (SELECT max(id) FROM weights WHERE criterion = 'c1')", ("weights.c1",)),
    ("UPDATE weights SET criterion = x'00ff' WHERE id = (SELECT max(id) FROM weights)", ("weights",)),
    ("UPDATE weights SET criterion = 'gone' WHERE id = (SELECT max(id) FROM weights)", ("unknown criterion 'gone'",)),
    ("UPDATE scores SET score = 99 WHERE id = (SELECT max(id) FROM scores)", ("scores.b:c2",)),
    ("UPDATE participants SET name = ' Bob  ' WHERE name = 'Bob'", ("participants[1].name", "spaces")),
    ("DELETE FROM room", ("settings row is missing",)),
])
def test_every_field_read_back_is_checked_and_a_damaged_room_is_one_error_line(cli, small, store, statement, needles):
    fill(store)
    tamper(store, statement)
    one_error(cli("room", small), str(store.path), *needles)
    one_error(cli("room", small, "--format", "json"), str(store.path), *needles)


def test_a_huge_name_keeps_the_reason_on_the_error_line(cli, small, store):
    fill(store)
    tamper(store, "UPDATE participants SET name = ? WHERE name = 'Bob'", params=("Z" * 100_000,))
    err = one_error(cli("room", small), str(store.path), "at most 60 characters")
    assert len(err) <= MAX_LINE + len("error: \n")


def test_an_error_line_shortens_where_before_it_loses_the_reason():
    e = AppraisalError("Z" * 50_000 + ": unknown criterion 'cost'", key=("weights", "Y" * 50_000), file="r" * 5000 + ".sqlite")
    text = str(e)
    assert len(text) <= MAX_LINE and text.endswith("unknown criterion 'cost'") and ".sqlite" in text


def test_a_participants_own_entries_read_back_are_checked(small, store):
    seat = store.join("Ann")
    store.set_weight(seat, "c1", 3)
    with sqlite3.connect(store.path) as c:
        c.execute("UPDATE weights SET weight = -1")
    c.close()
    with pytest.raises(AppraisalError, match="participants.Ann.weights.c1") as e:
        store.entries(seat)
    assert e.value.file == str(store.path)


def test_the_room_table_escapes_every_name_it_shows(small):
    """Names reach the table from the store checked; a snapshot made any other way is still shown escaped."""
    from rich.console import Console

    a = load_appraisal(small)
    snap = RoomSnapshot((RoomParticipant(HOSTILE_NAME, "not a time", "2026-01-01T09:00:00.000Z", False, {"c1": 2}),))
    console = Console(width=120, record=True, force_terminal=False)
    console.print(render_room(a, room_report(a, snap)))
    text = console.export_text()
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text and "␛]0;PWNED␇" in text
    assert "not a time" in text  # shown as it is rather than a traceback


def test_a_clean_room_still_reads(cli, small, store):
    fill(store)
    store.close()
    r = cli("room", small, "--format", "json")
    assert r.returncode == 0, r.stderr
    with RoomStore(room_path(small), load_appraisal(small)) as s:
        assert [p.name for p in s.snapshot().participants] == ["Ann", "Bob", "Cat"]


@pytest.mark.parametrize("name", ["Bob\u202exoN", "Ann\u200b", "\ufeffCat", "Dee\u2066x"])
def test_join_refuses_characters_that_reorder_or_hide_a_name(store, name):
    with pytest.raises(AppraisalError, match="invisible"):
        store.join(name)


def test_with_one_participant_nobody_else_is_left_to_lead(cli, small, store):
    from appraisal.model.room import room_appraisal
    from appraisal.reports.disagreement import Disagreement

    fill(store, [{"name": "Ann", "weights": {"c1": 4}}])
    r = cli("room", small)
    row = [line for line in r.stdout.splitlines() if "│ Ann" in line][-1]  # the group's participants table
    assert row.rstrip(" │").endswith("nobody else"), row
    a = room_appraisal(load_appraisal(small), store.snapshot())
    assert Disagreement.of(a).participants[0][2] == "nobody else"
    fill(store, [{"name": "Bob", "weights": {"c3": 4}}])
    r = cli("room", small)
    assert "nobody else" not in r.stdout
