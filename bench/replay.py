"""Replaying 1,000 scenario files (one shared base, a few steps and expectations each)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from appraisal.paths import data_root

from .harness import Result

N = 1000


def run() -> list[Result]:
    root = data_root()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "criteria").mkdir()
        shutil.copy(root / "criteria" / "birmingham-2013.toml", tmp / "criteria")
        scen = tmp / "scenarios"
        scen.mkdir()
        shutil.copy(root / "scenarios" / "birmingham-2013.toml", scen)
        for i in range(N):
            w = 3 + i % 10
            (scen / f"s{i:04d}.toml").write_text(
                f'[scenario]\ntitle = "weight {w}"\nbase = "birmingham-2013.toml"\n\n'
                f'[[steps]]\naction = "set-weight"\ncriterion = "speed"\nweight = {w}\n\n'
                f'[[steps]]\naction = "set-score"\noption = "trust-bcc"\ncriterion = "vision"\nscore = 4.5\n\n'
                f'[expect]\nleader = "integrated"\nunweighted_total = {{ trust-bcc = 73.5 }}\n'
                f'weighted_ranking = ["integrated", "trust-bcc", "trust-dfe", "outsource", "break-up"]\n'
            )
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "appraisal", "replay", str(scen)], capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    ok = done.returncode == 0 and done.stdout.count("PASS") == N + 1
    return [Result(f"replay {N} scenario files (one process)", seconds, "< 10 s, all pass", ok and seconds < 10)]
