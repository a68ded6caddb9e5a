"""Scaling: synthetic appraisals of growing size, in the classic layout and the compact ones, through the
command line: CPU seconds and peak memory per command, and the growth exponent between sizes of one layout
(log of the cost ratio over log of the cell ratio). `engine_only` times the analyses in-process.

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

SIZES = [(10, 20), (100, 200), (300, 500), (1000, 1000)]
# Each size in the layouts worth measuring: the classic [[scores]] layout while it is small enough to be
# sensible (300 x 500 is 8 MB of it, 1000 x 1000 would be 58 MB, over the 10 MB cap on a TOML file), the
# compact ones everywhere; the TOML matrix at 1000 x 1000 only for rank (its load is the point).
LAYOUTS_FOR = {(10, 20): ("classic", "toml", "csv"), (100, 200): ("classic", "toml", "csv"), (300, 500): ("toml", "csv"),
               (1000, 1000): ("csv", "toml")}
TIMEOUT_S = 600


LAYOUTS = ("classic", "toml", "csv")


def write_synthetic(folder: Path, n: int, m: int, seed: int = 0, layout: str = "classic") -> Path:
    """An appraisal of n options x m criteria: half-point scores 1..5 (ties included), weights 1..5,
    a short rationale on one cell in ten. Written by hand: tomli-w is slow at this size.

    layout: "classic", a [[scores]] entry per cell (as inline tables); "toml", the compact layout with the
    rows in [matrix.scores]; "csv", the compact layout with the rows in a CSV beside it. The compact ones
    key the rationales "option:criterion" in [matrix.rationale]."""
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
    path = folder / (f"appraisal-{n}x{m}.toml" if layout == "classic" else f"appraisal-{n}x{m}-{layout}.toml")
    out = []
    if layout == "classic":
        # Top-level keys must precede every table header, so the (inline-table) scores come first.
        out.append("scores = [")
        for i in range(n):
            for j in range(m):
                why = ', rationale = "why"' if (i * m + j) % 10 == 0 else ""
                out.append(f'{{ option = "o{i}", criterion = "c{j}", score = {scores[i, j]:g}{why} }},')
        out += ["]", ""]
    out += ["[appraisal]", f'title = "Synthetic {n} x {m}"', f'criteria = "{crit.name}"', "", "[weights]"]
    out += [f"c{j} = {weights[j]}" for j in range(m)]
    for i in range(n):
        out += ["", "[[options]]", f'id = "o{i}"', f'name = "Option {i}"']
    if layout == "toml":
        out += ["", "[matrix]", "criteria = [" + ", ".join(f'"c{j}"' for j in range(m)) + "]", "", "[matrix.scores]"]
        out += [f"o{i} = [" + ", ".join(f"{x:g}" for x in scores[i]) + "]" for i in range(n)]
    elif layout == "csv":
        table = path.with_suffix(".scores.csv")
        rows = ["option," + ",".join(f"c{j}" for j in range(m))]
        rows += [f"o{i}," + ",".join(f"{x:g}" for x in scores[i]) for i in range(n)]
        table.write_text("\n".join(rows) + "\n")
        out += ["", "[matrix]", f'file = "{table.name}"']
    if layout != "classic":
        out += ["", "[matrix.rationale]"]
        out += [f'"o{k // m}:c{k % m}" = "why"' for k in range(0, n * m, 10)]
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


def commands(path: Path, out_dir: Path, layout: str, n: int, m: int) -> dict[str, list[str]]:
    cli = _cli()
    out = {
        "rank": [*cli, "rank", str(path), "--format", "json"],
        "sensitivity": [*cli, "sensitivity", str(path), "--format", "json"],
        "export json": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.json"), "--force"],
        "export csv": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.csv"), "--force"],
        "export html": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.html"), "--force"],
        # measured where #12 sets its target (100x200, one [[scores]] entry per cell) and below
        "export xlsx": [*cli, "export", str(path), "-o", str(out_dir / f"{path.stem}.xlsx"), "--force"],
    }
    if n * m > 20_000 or layout != "classic":
        del out["export xlsx"]
    if (n, m) == (1000, 1000) and layout == "toml":
        out = {"rank": out["rank"]}
    return out


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


def run(sizes: list[tuple[int, int]] = SIZES, engine_sizes: list[tuple[int, int]] = ()) -> list[Result]:
    results: list[Result] = []
    table: dict[tuple[int, int, str], dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'size':>9}  {'layout':<8} {'command':<12} {'CPU s':>8} {'peak MB':>8} {'exponent':>9}")
        for n, m in sizes:
            for layout in LAYOUTS_FOR.get((n, m), ("csv",)):
                path = write_synthetic(folder, n, m, layout=layout)
                row = {}
                for name, args in commands(path, folder, layout, n, m).items():
                    row[name] = measure(args)
                    prev = [s for s in table if s[2] == layout and s[0] * s[1] < n * m and name in table[s]]
                    exp = exponent(table[prev[-1]][name][0], row[name][0], prev[-1][0] * prev[-1][1], n * m) if prev else math.nan
                    cpu, peak = row[name]
                    print(f"{n:>4}x{m:<4}  {layout:<8} {name:<12} {cpu:8.2f} {peak:8.0f} {exp:9.2f}", flush=True)
                table[(n, m, layout)] = row
        for n, m in engine_sizes:
            for name, cpu in engine_only(n, m).items():
                print(f"{n:>4}x{m:<4}  {'engine ' + name:<22} {cpu:8.2f} s (in-process)", flush=True)
    if (100, 200, "classic") in table:
        r = table[(100, 200, "classic")]
        ratio = r["sensitivity"][0] / r["rank"][0]
        results.append(Result(f"sensitivity 100x200 json ({ratio:.2f}x rank)", r["sensitivity"][0], "< 2x rank (CPU)", ratio < 2))
        for fmt in ("xlsx", "html"):
            cpu = r[f"export {fmt}"][0]
            results.append(Result(f"export {fmt} 100x200 (CPU)", cpu, "< 2 s", cpu < 2))
    if (300, 500, "csv") in table:
        cpu = table[(300, 500, "csv")]["rank"][0]
        results.append(Result("load + rank 300x500, matrix in CSV (CPU)", cpu, "< 1 s", cpu < 1))
    if (300, 500, "toml") in table:  # for comparison: tomllib reads ~3 us per number
        cpu = table[(300, 500, "toml")]["rank"][0]
        results.append(Result("load + rank 300x500, matrix in TOML (CPU)", cpu, "(compared, no target)", True))
    if (300, 500, "csv") in table:
        cpu = table[(300, 500, "csv")]["sensitivity"][0]
        results.append(Result("sensitivity 300x500 json (CPU)", cpu, "< 5 s", cpu < 5))
    if (1000, 1000, "csv") in table:
        cpu, peak = table[(1000, 1000, "csv")]["rank"]
        results.append(Result("load + rank 1000x1000, matrix in CSV (CPU)", cpu, "< 3 s", cpu < 3))
        results.append(Result(f"load + rank 1000x1000 peak memory ({peak:.0f} MB)", cpu, "< 500 MB", peak < 500))
    return results


if __name__ == "__main__":
    from .harness import compile_like_an_install, print_table

    compile_like_an_install()

    chosen = [tuple(map(int, a.split("x"))) for a in sys.argv[1:]] or SIZES
    results = run(chosen)
    sys.exit(print_table(results) if results else 0)
