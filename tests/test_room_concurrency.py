"""Many processes in one room at once: nothing lost, nothing mixed up; and a process killed in the middle
of a write (SIGKILL between BEGIN and COMMIT) loses only its own uncommitted edit."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from appraisal.io import load_appraisal
from appraisal.io.room_store import RoomStore, room_path

from .conftest import REPO, run_cli, write_appraisal, appraisal_dict

CRITERIA = [f"k{j:02d}" for j in range(12)]

# One participant's process: wait for the start signal, join, set every weight in its own transaction
# (the value for participant k, criterion j is (k + j) % 7 + 1), then submit. With --hang it then starts
# one more write and stops inside the transaction, after the INSERT and before COMMIT, for the test to kill.
PARTICIPANT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from appraisal.io import load_appraisal
    from appraisal.io.room_store import RoomStore

    appraisal, room, k, go, hang = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5] == "1"
    pace = float(sys.argv[6])

    class Store(RoomStore):
        armed = False
        def _before_commit(self):
            if self.armed:
                Path(f"{room}.{k}.in-transaction").write_text("")
                time.sleep(600)

    a = load_appraisal(appraisal)
    Path(f"{go}.{k}.ready").write_text("")
    while not go.exists():
        time.sleep(0.002)
    with Store(room, a) as s:
        seat = s.join(f"P{k:02d}")
        for j, c in enumerate(a.criteria):
            s.set_weight(seat, c.id, float((k + j) % 7 + 1), f"step {j}")
            time.sleep(pace)
        s.submit(seat)
        if hang:
            s.armed = True
            s.set_weight(seat, a.criteria[0].id, 99.0, "never committed")
""")


def expected(k: int) -> dict[str, float]:
    return {c: float((k + j) % 7 + 1) for j, c in enumerate(CRITERIA)}


@pytest.fixture
def appraisal_file(tmp_path):
    data = appraisal_dict({"x": {c: 3 for c in CRITERIA}, "y": {c: 4 for c in CRITERIA}}, {c: 1 for c in CRITERIA})
    return write_appraisal(tmp_path, data)


def start(appraisal_file, count: int, hang: set[int] = frozenset(), pace: float = 0.0) -> list[subprocess.Popen]:
    go = appraisal_file.with_name("go")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", PARTICIPANT, str(appraisal_file), str(room_path(appraisal_file)), str(k), str(go),
                               "1" if k in hang else "0", str(pace)], env=env, stderr=subprocess.PIPE, text=True)
             for k in range(count)]
    deadline = time.monotonic() + 120
    while len(list(go.parent.glob("go.*.ready"))) < count and time.monotonic() < deadline:
        time.sleep(0.01)  # every one imported and waiting at the line
    go.write_text("")
    return procs


def room_json(appraisal_file) -> dict:
    r = run_cli("room", str(appraisal_file), "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def integrity(appraisal_file) -> str:
    return sqlite3.connect(room_path(appraisal_file)).execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.slow
def test_twenty_processes_join_and_submit_at_once(appraisal_file):
    procs = start(appraisal_file, 20)
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    d = room_json(appraisal_file)
    assert sorted(p["name"] for p in d["participants"]) == [f"P{k:02d}" for k in range(20)]
    for p in d["participants"]:
        assert p["weights"] == expected(int(p["name"][1:])) and p["submitted"] is True
    assert d["submitted_count"] == 20 and d["participants_count"] == 20
    assert integrity(appraisal_file) == "ok"


@pytest.mark.slow
def test_a_process_killed_mid_write_loses_only_its_own_uncommitted_edit(appraisal_file):
    victims = {3, 8, 11, 16}
    procs = start(appraisal_file, 20, hang=victims)
    killed: set[int] = set()
    deadline = time.monotonic() + 120
    while killed != victims and time.monotonic() < deadline:
        for k in victims - killed:
            marker = room_path(appraisal_file).with_name(f"{room_path(appraisal_file).name}.{k}.in-transaction")
            if marker.exists():  # it holds the write lock, its INSERT done, COMMIT not yet
                os.kill(procs[k].pid, signal.SIGKILL)
                procs[k].wait()
                killed.add(k)
        time.sleep(0.01)
    assert killed == victims
    for k, p in enumerate(procs):
        _, err = p.communicate(timeout=120)
        assert (p.returncode == -signal.SIGKILL) if k in victims else (p.returncode == 0), (k, err)

    d = room_json(appraisal_file)
    assert len(d["participants"]) == 20
    for p in d["participants"]:
        k = int(p["name"][1:])
        assert p["weights"] == expected(k)  # a victim's 99 never committed; everything before it did
        assert p["submitted"] is True
    assert integrity(appraisal_file) == "ok"
    # The killed writers' locks went with them: the room takes new writes at once.
    a = load_appraisal(appraisal_file)
    with RoomStore(room_path(appraisal_file), a) as s:
        t0 = time.monotonic()
        s.set_weight(s.join("Late"), CRITERIA[0], 5.0)
        assert time.monotonic() - t0 < 5
        assert s.snapshot().participant("Late").weights == {CRITERIA[0]: 5.0}
        assert all(e.why != "never committed" for e in s.history("P03"))


@pytest.mark.slow
def test_processes_killed_at_random_leave_each_a_prefix_of_its_own_edits(appraisal_file):
    """Kill at arbitrary moments, whatever they are doing: each participant's weights are exactly the first
    t of their edits for some t, the database is whole, and nobody else's entries are touched."""
    procs = start(appraisal_file, 12, pace=0.02)  # ~0.3 s of edits each, so kills land part-way
    time.sleep(0.05)
    import random

    rng = random.Random(7)
    victims = set(rng.sample(range(12), 6))
    for k in sorted(victims, key=lambda _: rng.random()):
        time.sleep(rng.uniform(0.0, 0.15))
        procs[k].send_signal(signal.SIGKILL)
    for k, p in enumerate(procs):
        _, err = p.communicate(timeout=120)
        if k not in victims:
            assert p.returncode == 0, err
    d = room_json(appraisal_file)
    cut = []
    for p in d["participants"]:
        k = int(p["name"][1:])
        full = expected(k)
        t = len(p["weights"])
        assert p["weights"] == dict(list(full.items())[:t])
        if k not in victims:
            assert t == len(CRITERIA) and p["submitted"] is True
        elif t < len(CRITERIA):
            cut.append(k)
    assert cut, "no process was killed part-way through its edits: the test proved nothing"
    assert integrity(appraisal_file) == "ok"
