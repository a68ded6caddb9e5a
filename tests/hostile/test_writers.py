"""Write failures through the hostile runner: exit 2, one `error:` line, no traceback, nothing left
behind, within the time and memory limits.

The hook for the writing side of issue #10: add a `WriteCase` to WRITE_CASES (a read-only or missing
folder, a directory where the file goes, a full disk, `--force` over an input, ...). Each runs in a
fresh copy of the corpus's valid files (crit.toml, app.toml, sheet.csv; `out/` is the output folder).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .make_corpus import Case, materialise
from .runner import Runner, listing, read_error_problems
from .test_corpus import fill


@dataclass(frozen=True)
class WriteCase:
    name: str
    argv: tuple[str, ...]  # {dir}: the case folder, {out}: its output folder
    build: Callable[[Path], None] = lambda d: None  # prepares the folder after the valid files are written
    needle: str = ""  # a fragment the error line must contain (alternatives separated by |)
    user: int | None = None  # run as this user when the tests run as root


WRITE_CASES: list[WriteCase] = [
    WriteCase("export-into-a-missing-folder", ("export", "app.toml", "-o", "{out}/no/such/folder/x.json"), needle="does not exist"),
]


@pytest.fixture(scope="module")
def runner():
    root = Path(tempfile.mkdtemp(prefix="appraisal-writers-"))
    r = Runner(root / "_logs")
    yield r
    r.close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("case", WRITE_CASES, ids=[c.name for c in WRITE_CASES])
def test_write_failure(case, runner, tmp_path):
    folder = materialise(Case(case.name, "cli", case.build), tmp_path / case.name)
    before = listing(folder)
    run = runner.run(fill(case.argv, folder), cwd=folder, user=case.user)
    assert read_error_problems(run, needle=case.needle) == []
    assert listing(folder) == before, "nothing written, nothing changed"
