"""Workshop app benchmarks: key press to updated screen, and start-up to first paint (headless)."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import tomli_w

from appraisal.paths import bundled_appraisal

from .harness import Result


def synthetic_file(folder: Path, n: int, m: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    crit = [f"c{j:02d}" for j in range(m)]
    (folder / "criteria.toml").write_text(tomli_w.dumps({
        "scale": {"min": 1, "max": 5, "step": 0.5, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]},
        "criteria": [{"id": c, "name": f"Criterion {c}"} for c in crit],
    }))
    opts = [f"o{i:02d}" for i in range(n)]
    path = folder / "big.toml"
    path.write_text(tomli_w.dumps({
        "appraisal": {"title": f"Synthetic {n}x{m}", "criteria": "criteria.toml"},
        "weights": {c: float(rng.integers(1, 6)) for c in crit},
        "options": [{"id": o, "name": f"Option {o}"} for o in opts],
        "scores": [{"option": o, "criterion": c, "score": float(rng.integers(1, 6))} for o in opts for c in crit],
    }))
    return path


async def _key_latency(path: Path, presses: int = 20) -> float:
    """From the score key's action starting to the screen painted after it (call_after_refresh)."""
    from appraisal.tui.app import WorkshopApp

    times: list[float] = []

    class Probed(WorkshopApp):
        def action_set_score(self, score: float) -> None:
            t0 = time.perf_counter()
            super().action_set_score(score)
            self.call_after_refresh(lambda: times.append(time.perf_counter() - t0))

    app = Probed(path, journal=False, ask_reasons=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        await pilot.press("right", "down")
        for k in range(presses):
            await pilot.press("3" if k % 2 else "4")
            await pilot.pause()
    return statistics.median(times)


STARTUP = """
import asyncio, time
t0 = time.perf_counter()
from appraisal.tui.app import make_app
async def main():
    app = make_app(journal=False, ask_reasons=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(time.perf_counter() - t0)
asyncio.run(main())
"""


def run() -> list[Result]:
    out = []
    t = asyncio.run(_key_latency(bundled_appraisal()))
    out.append(Result("app: key press -> updated screen, 2013 (5x19)", t, "< 50 ms", t < 0.05))
    with tempfile.TemporaryDirectory() as tmp:
        t = asyncio.run(_key_latency(synthetic_file(Path(tmp), 100, 200), presses=10))
    # The cost of a key press grows with the cells on the screen, not with the matrix: 20,000 cells
    # cost little more than 95.
    out.append(Result("app: key press -> updated screen, 100x200", t, "< 60 ms", t < 0.06))
    starts = [float(subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True).stdout.split()[-1]) for _ in range(5)]
    t = statistics.median(starts)
    out.append(Result("app: start-up to first paint (incl. imports)", t, "< 1 s", t < 1.0))
    return out
