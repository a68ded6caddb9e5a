"""Shared fixtures: the bundled appraisal, and small appraisal files written on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from hypothesis import settings

# Property tests check values, never timings: on a loaded 2-core CI machine one example can take
# well over hypothesis's 200 ms default deadline, which would fail a correct test.
settings.register_profile("appraisal", deadline=None)
settings.load_profile("appraisal")

from appraisal.io import load_appraisal
from appraisal.paths import bundled_appraisal

REPO = Path(__file__).resolve().parent.parent
OPTIONS = ["break-up", "outsource", "trust-dfe", "trust-bcc", "integrated"]


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path_factory, monkeypatch):
    """Journals and rooms of files in read-only places (the bundled one) go to the user's state folder:
    each test gets its own, so none reads another's, nor the person's running the tests."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _notifications_outlast_a_loaded_machine(monkeypatch):
    """The app's information notices go after 3 s: a loaded CI machine can take that between a key and
    the check. In tests they stay an hour (what they say is checked, not how long they stay)."""
    import appraisal.tui.app as app

    monkeypatch.setattr(app, "INFO_SECONDS", 3600.0)
    monkeypatch.setattr(app, "WARNING_SECONDS", 3600.0)


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


def copy_bundled(folder: Path) -> Path:
    """The bundled appraisal and its criteria, copied into `folder` (a file the app may save over)."""
    import shutil

    (folder / "criteria").mkdir(parents=True, exist_ok=True)
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "criteria" / "birmingham-2013.toml", folder / "criteria")
    shutil.copy(REPO / "scenarios" / "birmingham-2013.toml", folder / "scenarios")
    return folder / "scenarios" / "birmingham-2013.toml"


@pytest.fixture
def workdir(tmp_path) -> Path:
    """A copy of the bundled appraisal that the app may save over."""
    return copy_bundled(tmp_path)


class SmallDisk:
    """A folder on a disk that can be filled up and freed again: a 256 KiB tmpfs when the tests run as
    root (a real ENOSPC from the kernel), else writes made to fail with ENOSPC by monkeypatching the
    journal's and the atomic writer's low-level writes."""

    def __init__(self, folder: Path, real: bool):
        self.folder, self.real = folder, real
        self.monkeypatch = pytest.MonkeyPatch()
        self._filler = folder / "filler.bin"
        self.full = False

    def fill(self) -> None:
        if self.real:
            fd = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            try:
                for size in (65536, 4096, 1):  # to the last byte
                    try:
                        while True:
                            os.write(fd, b"\0" * size)
                    except OSError:
                        pass
            finally:
                os.close(fd)
            self.full = True
            return
        import errno

        def refuse(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        import appraisal.io.atomic
        import appraisal.io.journal

        self.monkeypatch.setattr(appraisal.io.journal, "_write_all", refuse)
        self.monkeypatch.setattr(appraisal.io.atomic.os, "fsync", refuse)  # the atomic writer fails before its rename
        self.full = True

    def free(self) -> None:
        if self.real:
            self._filler.unlink(missing_ok=True)
        else:
            self.monkeypatch.undo()
        self.full = False


@pytest.fixture(params=["tmpfs", "patched"])
def small_disk(tmp_path, request):
    """(SmallDisk, the appraisal copied onto it): on a real small tmpfs (where the tests run as root)
    and with writes made to fail."""
    folder = tmp_path / "disk"
    folder.mkdir()
    real = request.param == "tmpfs"
    if real:
        mounted = os.geteuid() == 0 and sys.platform.startswith("linux") and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True).returncode == 0
        if not mounted:
            pytest.skip("a small tmpfs needs root on Linux; the patched variant stands in")
    disk = SmallDisk(folder, real)
    try:
        yield disk, copy_bundled(folder)
    finally:
        disk.monkeypatch.undo()
        if real:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
