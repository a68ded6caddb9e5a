"""Sensitivity benchmarks: one-way analysis for every criterion; SMAA against its bare numpy lower bound."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import numpy as np

from appraisal.engine import problem_from
from appraisal.engine.oneway import one_way_all
from appraisal.engine.smaa import default_workers, smaa
from appraisal.io import load_appraisal
from appraisal.paths import bundled_appraisal

from .harness import Result, median_time

SAMPLES = 1_000_000
RUNS = 10


def bare_lower_bound(s: np.ndarray, samples: int, seed: int = 0) -> None:
    """Dirichlet draw, one matrix product, argsort: the least any SMAA must do."""
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.ones(s.shape[1]), samples)
    np.argsort(-(w @ s.T), axis=1)


def _runs(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def _spread(times: list[float]) -> str:
    return f"min {min(times):.2f} / median {statistics.median(times):.2f} / max {max(times):.2f} s"


# A child process with one BLAS thread (the count is fixed when OpenBLAS loads) that times one run of the
# bound each time it reads a line: runs of the three alternate, so drift in machine load hits all alike.
_ONE_THREAD_BOUND = (
    "import sys, time; from bench.sensitivity import bare_lower_bound; from appraisal.engine import problem_from; "
    "from appraisal.io import load_appraisal; from appraisal.paths import bundled_appraisal; "
    "s = problem_from(load_appraisal(bundled_appraisal())).scores; bare_lower_bound(s, {n}); print('ready', flush=True)\n"
    "for _ in sys.stdin:\n t = time.perf_counter(); bare_lower_bound(s, {n}); print(time.perf_counter() - t, flush=True)"
)


def smaa_against_bound(p) -> list[Result]:
    """SMAA against the bare numpy bound: RUNS runs of each, interleaved, with the bound both with
    OpenBLAS's default threads (in this process) and with one thread (in a child)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    child = subprocess.Popen([sys.executable, "-c", _ONE_THREAD_BOUND.format(n=SAMPLES)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    child.stdout.readline()
    bare_lower_bound(p.scores, SAMPLES)
    smaa(p, SAMPLES, seed=0)
    bare, ours, single = [], [], []
    for _ in range(RUNS):
        bare += _runs(lambda: bare_lower_bound(p.scores, SAMPLES), 1)
        ours += _runs(lambda: smaa(p, SAMPLES, seed=0), 1)
        child.stdin.write("go\n")
        child.stdin.flush()
        single.append(float(child.stdout.readline()))
    child.stdin.close()
    child.wait()
    b, o, one = statistics.median(bare), statistics.median(ours), statistics.median(single)
    print(f"SMAA-2 1M samples, {RUNS} runs each ({default_workers()} workers, load average {os.getloadavg()[0]:.1f}):\n"
          f"  ours {_spread(ours)}\n  bound, default BLAS threads {_spread(bare)}\n  bound, one BLAS thread {_spread(single)}", flush=True)
    return [
        Result("numpy bound: dirichlet + matmul + argsort, 1M", b, "(baseline, default BLAS threads)", True),
        Result(f"SMAA-2 1M samples 5x19 ({o / b:.2f}x, worst {max(ours) / b:.2f}x)", o, "< 1.2x baseline", o < 1.2 * b),
        Result("numpy bound on one BLAS thread, 1M", one, "(baseline)", True),
        Result(f"SMAA-2 1M, both cores vs one-core bound ({o / one:.2f}x)", o, "< 0.7x (needs 2 free cores)", o < 0.7 * one),
    ]


def run() -> list[Result]:
    p = problem_from(load_appraisal(bundled_appraisal()))
    out = []
    t = median_time(lambda: one_way_all(p), repeat=30, inner=5)
    out.append(Result("one-way, all 19 criteria (2013)", t, "< 2 ms", t < 2e-3))
    out += smaa_against_bound(p)
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
