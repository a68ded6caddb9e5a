"""Engine benchmarks: evaluation on the 2013 data and on a large synthetic appraisal; CLI start-up."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from appraisal.engine import evaluate, problem_from
from appraisal.engine.problem import Problem
from appraisal.reports.findings import findings
from appraisal.io import load_appraisal
from appraisal.paths import bundled_appraisal

from .harness import Result, median_process_pair, median_time


def synthetic(n: int, m: int, seed: int = 0) -> Problem:
    rng = np.random.default_rng(seed)
    return Problem(rng.integers(2, 11, (n, m)) / 2, rng.uniform(0, 10, m), np.ones(n, bool), np.ones(m, bool), 1.0, 5.0)


def run() -> list[Result]:
    out = []
    a = load_appraisal(bundled_appraisal())
    p = problem_from(a)
    t = median_time(lambda: evaluate(p), repeat=50, inner=50)
    out.append(Result("evaluate 5x19 (totals, ranks, dominance)", t, "< 1 ms", t < 1e-3))
    t = median_time(lambda: findings(a, problem_from(a)), repeat=30, inner=10)
    out.append(Result("arrays + evaluate + findings 5x19", t, "< 1 ms", t < 1e-3))
    big = synthetic(100, 200)
    t = median_time(lambda: evaluate(big), repeat=30)
    out.append(Result("evaluate 100x200", t, "< 20 ms", t < 20e-3))

    script = Path(sys.executable).with_name("appraisal")  # the console script a user runs
    cli_cmd = [str(script)] if script.exists() else [sys.executable, "-m", "appraisal"]
    base, cli = median_process_pair([sys.executable, "-c", "import numpy, pydantic"], [*cli_cmd, "rank", "--format", "json"])
    out.append(Result("python -c 'import numpy, pydantic'", base, "(baseline)", True))
    out.append(Result(f"appraisal rank --format json ({cli / base:.2f}x)", cli, "< 2x baseline", cli < 2 * base))
    return out
