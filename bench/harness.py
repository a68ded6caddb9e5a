"""A tiny timing harness: medians over repeats, and a table of results against targets."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


def compile_like_an_install() -> None:
    """Time what a user runs: pip byte-compiles a package it installs, and an editable install writes its .pyc
    files on first use. A shell with PYTHONDONTWRITEBYTECODE set (as CI and sandboxes often are) would
    otherwise make every timed process compile appraisal/ from source (~55 ms a start-up), which the
    baselines (numpy, pydantic: installed, compiled) never pay."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "appraisal", quiet=1)


@dataclass
class Result:
    name: str
    median_s: float
    target: str
    ok: bool


def median_time(fn: Callable[[], object], *, repeat: int = 30, inner: int = 1) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def median_process(args: list[str], *, repeat: int = 9) -> float:
    subprocess.run(args, capture_output=True, check=True)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def median_process_pair(a: list[str], b: list[str], *, repeat: int = 15) -> tuple[float, float]:
    """Medians of two commands run alternately, so drift in machine load hits both alike."""
    for args in (a, b):
        subprocess.run(args, capture_output=True, check=True)
    ta, tb = [], []
    for _ in range(repeat):
        for args, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            subprocess.run(args, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def fmt_seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:8.1f} µs"
    if s < 1:
        return f"{s * 1e3:8.2f} ms"
    return f"{s:8.2f} s "


def print_table(results: list[Result]) -> int:
    width = max(len(r.name) for r in results)
    print(f"{'benchmark':<{width}}  {'median':>11}  {'target':<28} result")
    print("-" * (width + 50))
    for r in results:
        print(f"{r.name:<{width}}  {fmt_seconds(r.median_s)}  {r.target:<28} {'ok' if r.ok else 'MISSED'}")
    missed = [r.name for r in results if not r.ok]
    print(f"\n{len(results) - len(missed)} of {len(results)} targets met" + (f"; missed: {', '.join(missed)}" if missed else ""))
    sys.stdout.flush()
    return 1 if missed else 0
