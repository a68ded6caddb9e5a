"""Scaling: synthetic appraisals of growing size through the command line, CPU seconds and peak memory per
command, and the growth exponent between sizes (log of the cost ratio over log of the cell ratio).

Run alone with `python -m bench.scaling [SIZES...]` (e.g. `10x20 100x200`); `make bench` runs it last.
"""

from __future__ import annotations

import math
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .harness import Result

SIZES = [(10, 20), (100, 200), (300, 500)]
# 1000x1000 is 1,000,000 cells: about 45 MB of TOML in today's layout, over the 10 MB file cap, so it is
# measured on the engine alone (in-process) until a compact layout exists.
ENGINE_ONLY = [(1000, 1000)]
TIMEOUT_S = 600


def write_synthetic(folder: Path, n: int, m: int, seed: int = 0) -> Path:
    """An appraisal of n options x m criteria: half-point scores 1..5 (ties included), weights 1..5,
    a short rationale on one cell in ten. Written by hand: tomli-w is slow at this size."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(2, 11, (n, m)) / 2
    weights = rng.integers(1, 6, m)
    crit = folder / f"criteria-{n}x{m}.toml"
    lines = ["[scale]", "min = 1", "max = 5", "step = 0.5", ""]
    for v, label in enumerate(("Low", "Low-Med", "Medium", "Med-High", "High"), start=1):
        lines += ["[[scale.levels]]", f"value = {v}", f'label = "{label}"', ""]
    for j in range(m):
        lines += ["[[criteria]]", f'id = "c{j}"', f'name = "Criterion {j}"', ""]
    crit.write_text("\n".join(lines))
    path = folder / f"appraisal-{n}x{m}.toml"
    # Top-level keys must precede every table header, so the (inline-table) scores come first.
    out = ["scores = ["]
    for i in range(n):
        for j in range(m):
            why = ', rationale = "why"' if (i * m + j) % 10 == 0 else ""
            out.append(f'{{ option = "o{i}", criterion = "c{j}", score = {scores[i, j]:g}{why} }},')
    out += ["]", "", "[appraisal]", f'title = "Synthetic {n} x {m}"', f'criteria = "{crit.name}"', "", "[weights]"]
    out += [f"c{j} = {weights[j]}" for j in range(m)]
    for i in range(n):
        out += ["", "[[options]]", f'id = "o{i}"', f'name = "Option {i}"']
    path.write_text("\n".join(out) + "\n")
    return path


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("appraisal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "appraisal"]


def measure(args: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS in MB of one command. Through /usr/bin/time where there
    is one: a child forked from this (big) process would count this process's memory in its ru_maxrss."""
    timer = Path("/usr/bin/time")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        if timer.exists():
            args = [str(timer), "-f", "%U %S %M", "-o", report.name, *args]
        proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()}")
        if timer.exists():
            user, system, peak_kb = report.read().split()[-3:]
            return float(user) + float(system), int(peak_kb) / 1024
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # no /usr/bin/time: CPU only
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, math.nan


def commands(path: Path, out_dir: Path) -> dict[str, list[str]]:
    cli = _cli()
    return {
        "rank": [*cli, "rank", str(path), "--format", "json"],
        "sensitivity": [*cli, "sensitivity", str(path), "--format", "json"],
        "export xlsx": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.xlsx"), "--force"],
        "export html": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.html"), "--force"],
    }


def exponent(small: float, big: float, cells_small: int, cells_big: int) -> float:
    return math.log(big / small) / math.log(cells_big / cells_small) if small > 0 and big > 0 else math.nan


def engine_only(n: int, m: int) -> dict[str, float]:
    """Engine analyses on an n x m problem in this process: CPU seconds each."""
    from appraisal.engine import evaluate
    from appraisal.engine.oneway import one_way_all
    from appraisal.engine.optimality import potential_optimality
    from appraisal.engine.problem import Problem
    from appraisal.engine.smaa import smaa
    from appraisal.engine.switching import score_switching, smallest_leader_change, tornado

    rng = np.random.default_rng(0)
    p = Problem(rng.integers(2, 11, (n, m)) / 2, rng.integers(1, 6, m).astype(float), np.ones(n, bool), np.ones(m, bool), 1.0, 5.0)
    out = {}
    for name, fn in (("evaluate", lambda: evaluate(p)), ("one-way", lambda: one_way_all(p)),
                     ("optimality", lambda: potential_optimality(p)), ("switching", lambda: score_switching(p)),
                     ("smallest change", lambda: smallest_leader_change(p)), ("tornado", lambda: tornado(p)),
                     ("smaa 10k", lambda: smaa(p, 10_000, seed=0))):
        t0 = time_cpu()
        fn()
        out[name] = time_cpu() - t0
    return out


def time_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(sizes: list[tuple[int, int]] = SIZES, engine_sizes: list[tuple[int, int]] = ENGINE_ONLY) -> list[Result]:
    results: list[Result] = []
    table: dict[tuple[int, int], dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'size':>9}  {'command':<12} {'CPU s':>8} {'peak MB':>8} {'exponent':>9}")
        for n, m in sizes:
            path = write_synthetic(folder, n, m)
            row = {}
            for name, args in commands(path, folder).items():
                row[name] = measure(args)
                prev = [s for s in table if s[0] * s[1] < n * m]
                exp = exponent(table[prev[-1]][name][0], row[name][0], prev[-1][0] * prev[-1][1], n * m) if prev else math.nan
                cpu, peak = row[name]
                print(f"{n:>4}x{m:<4}  {name:<12} {cpu:8.2f} {peak:8.0f} {exp:9.2f}", flush=True)
            table[(n, m)] = row
        for n, m in engine_sizes:
            for name, cpu in engine_only(n, m).items():
                print(f"{n:>4}x{m:<4}  {'engine ' + name:<22} {cpu:8.2f} s (in-process)", flush=True)
    if (100, 200) in table:
        r = table[(100, 200)]
        ratio = r["sensitivity"][0] / r["rank"][0]
        results.append(Result(f"sensitivity 100x200 json ({ratio:.2f}x rank)", r["sensitivity"][0], "< 2x rank (CPU)", ratio < 2))
        for fmt in ("xlsx", "html"):
            cpu = r[f"export {fmt}"][0]
            results.append(Result(f"export {fmt} 100x200 (CPU)", cpu, "< 2 s", cpu < 2))
    if (300, 500) in table:
        cpu = table[(300, 500)]["sensitivity"][0]
        results.append(Result("sensitivity 300x500 json (CPU)", cpu, "< 5 s", cpu < 5))
    return results


if __name__ == "__main__":
    from .harness import print_table

    chosen = [tuple(map(int, a.split("x"))) for a in sys.argv[1:]] or SIZES
    results = run(chosen, [s for s in ENGINE_ONLY if not sys.argv[1:]])
    sys.exit(print_table(results) if results else 0)
