"""Shared fixtures: the bundled appraisal, and small appraisal files written on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from appraisal.io import load_appraisal
from appraisal.paths import bundled_appraisal

REPO = Path(__file__).resolve().parent.parent
OPTIONS = ["break-up", "outsource", "trust-dfe", "trust-bcc", "integrated"]


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    return bundled_appraisal()


@pytest.fixture(scope="session")
def bham(bundled_path):
    return load_appraisal(bundled_path)


def write_criteria(path: Path, ids: list[str], *, scale_max: int = 5) -> Path:
    data = {
        "scale": {"min": 1, "max": scale_max, "step": 0.5, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, scale_max + 1)]},
        "criteria": [{"id": c, "name": c.title()} for c in ids],
    }
    path.write_text(tomli_w.dumps(data))
    return path


def appraisal_dict(scores: dict[str, dict[str, float]], weights: dict[str, float], criteria_file: str = "criteria.toml") -> dict:
    options = list(scores)
    criteria = list(weights)
    return {
        "appraisal": {"title": "Test", "criteria": criteria_file},
        "weights": weights,
        "options": [{"id": o, "name": o.title()} for o in options],
        "scores": [{"option": o, "criterion": c, "score": scores[o][c]} for o in options for c in criteria],
    }


def write_appraisal(tmp_path: Path, data: dict, name: str = "appraisal.toml", criteria: list[str] | None = None) -> Path:
    crit = criteria if criteria is not None else list(data["weights"])
    if not (tmp_path / "criteria.toml").exists():
        write_criteria(tmp_path / "criteria.toml", crit)
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data))
    return path


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "appraisal", *args], capture_output=True, text=True, cwd=cwd, env=env, check=check)
