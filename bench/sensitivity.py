"""Sensitivity benchmarks: one-way analysis for every criterion; SMAA against its bare numpy lower bound."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from appraisal.engine import problem_from
from appraisal.engine.oneway import one_way_all
from appraisal.engine.smaa import smaa
from appraisal.io import load_appraisal
from appraisal.paths import bundled_appraisal

from .harness import Result, median_time

SAMPLES = 1_000_000


def bare_lower_bound(s: np.ndarray, samples: int, seed: int = 0) -> None:
    """Dirichlet draw, one matrix product, argsort: the least any SMAA must do."""
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(s.shape[1]), samples)
    np.argsort(-(w @ s.T), axis=1)


def run() -> list[Result]:
    p = problem_from(load_appraisal(bundled_appraisal()))
    out = []
    t = median_time(lambda: one_way_all(p), repeat=30, inner=5)
    out.append(Result("one-way, all 19 criteria (2013)", t, "< 2 ms", t < 2e-3))
    bare = median_time(lambda: bare_lower_bound(p.scores, SAMPLES), repeat=5)
    ours = median_time(lambda: smaa(p, SAMPLES, seed=0), repeat=5)
    out.append(Result("numpy bound: dirichlet + matmul + argsort, 1M", bare, "(baseline)", True))
    out.append(Result(f"SMAA-2 1M samples 5x19 ({ours / bare:.2f}x)", ours, "< 1.5x baseline", ours < 1.5 * bare))
    # Peak memory (VmHWM: ru_maxrss would include the forking parent's) in a fresh process.
    code = (
        "import re, time; from appraisal.engine import problem_from; from appraisal.engine.smaa import smaa; "
        "from appraisal.io import load_appraisal; from appraisal.paths import bundled_appraisal; "
        "p = problem_from(load_appraisal(bundled_appraisal())); t = time.perf_counter(); smaa(p, 5_000_000, seed=1); "
        "print(time.perf_counter() - t, int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024)"
    )
    seconds, peak = map(float, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    out.append(Result(f"SMAA-2 5M samples, peak RSS {peak:.0f} MB", seconds, "peak < 300 MB", peak < 300))
    return out
