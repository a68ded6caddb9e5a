"""Group analysis: 20 participants with their own weights and a few scores each, on the 2013 appraisal."""

from __future__ import annotations

import numpy as np

from appraisal.engine.group import analyse
from appraisal.engine.group import group_problem_from
from appraisal.io import load_appraisal
from appraisal.model import edits
from appraisal.paths import bundled_appraisal

from .harness import Result, median_time


def run() -> list[Result]:
    rng = np.random.default_rng(0)
    a = load_appraisal(bundled_appraisal())
    for k in range(20):
        name = f"P{k:02d}"
        a = edits.add_participant(a, name)
        for c in a.criteria:
            a = edits.set_participant_weight(a, name, c.id, float(rng.integers(0, 11)))
        for _ in range(3):
            o, c = a.options[rng.integers(0, 5)], a.criteria[rng.integers(0, 19)]
            a = edits.set_participant_score(a, name, o.id, c.id, float(rng.integers(1, 6)))
    t = median_time(lambda: analyse(group_problem_from(a)), repeat=20)
    return [Result("group analysis, 20 participants, 2013", t, "< 20 ms", t < 0.02)]
