"""The live room: 30 participants with their own weights and a few scores each, on the 2013 appraisal.
What the facilitator's panel pays per refresh: read the store, build the room's appraisal, analyse it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from appraisal.engine.group import analyse, group_problem_from
from appraisal.io import load_appraisal
from appraisal.io.room_store import RoomStore
from appraisal.model.room import room_appraisal
from appraisal.paths import bundled_appraisal
from appraisal.reports.room import room_report

from .harness import Result, median_time

PEOPLE = 30


def run() -> list[Result]:
    rng = np.random.default_rng(0)
    a = load_appraisal(bundled_appraisal())
    with tempfile.TemporaryDirectory() as tmp, RoomStore(Path(tmp) / "bench.room.sqlite", a) as store:
        store.configure(allow_rescoring=True)
        for k in range(PEOPLE):
            seat = store.join(f"P{k:02d}")
            store.set_weights(seat, {c.id: float(rng.integers(0, 11)) for c in a.criteria} | {a.criteria[0].id: 5.0})
            for _ in range(3):
                o, c = a.options[rng.integers(0, 5)], a.criteria[rng.integers(0, 19)]
                store.set_score(seat, o.id, c.id, float(rng.integers(1, 6)))
            store.submit(seat)
        snap = store.snapshot()
        together = room_appraisal(a, snap)
        analysis = median_time(lambda: analyse(group_problem_from(together)), repeat=20)
        refresh = median_time(lambda: analyse(group_problem_from(room_appraisal(a, store.snapshot()))), repeat=20)
        report = median_time(lambda: room_report(a, store.snapshot()), repeat=10)
    return [
        Result(f"group analysis, {PEOPLE} participants, 2013", analysis, "< 50 ms", analysis < 0.05),
        Result(f"room: read the store + analyse, {PEOPLE} participants", refresh, "< 50 ms", refresh < 0.05),
        Result(f"`appraisal room` report, {PEOPLE} participants", report, "< 100 ms", report < 0.1),
    ]
