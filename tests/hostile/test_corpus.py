"""The hostile corpus through every command that reads it: exit 2, one `error:` line, no traceback,
nothing written, within 20 s and 1.5 GB (see runner.py and make_corpus.py).

The first command of every case runs in the normal suite; the others are marked slow (they still run
in `make test` and CI). Cases are written once per session into a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .make_corpus import APPRAISAL, SCENARIO, Case, cases, journal_header, materialise
from .runner import Runner, listing, read_error_problems

CASES = cases()
READERS = {"appraisal", "json", "base", "criteria", "scenario-criteria", "journal", "journal-file", "csv", "xlsx", "cli"}


@pytest.fixture(scope="module")
def corpus_root():
    root = Path(tempfile.mkdtemp(prefix="appraisal-hostile-"))
    root.chmod(0o755)  # cases about unreadable files run as another user when the tests run as root
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def runner(corpus_root):
    r = Runner(corpus_root / "_logs")
    yield r
    r.close()


def fill(command: tuple[str, ...], folder: Path) -> list[str]:
    return [part.replace("{out}", str(folder / "out")).replace("{dir}", str(folder)) for part in command]


def check(runner: Runner, case: Case, folder: Path, commands: list[tuple[str, ...]]) -> list[str]:
    """Every way `commands` break the contract on this case (empty when they all keep it)."""
    if case.user is not None and runner.mode == "subprocess" and os.geteuid() == 0:
        pytest.skip("a fresh interpreter cannot run as another user when Python lives in root's home")
    before = listing(folder)
    runs = runner.run_all([{"argv": fill(c, folder), "cwd": folder, "user": case.user} for c in commands])
    problems = []
    for command, run in zip(commands, runs):
        # `record A --journal J` first checks J is A's journal: its error names that, not the case's needle
        needle = "" if case.reader.startswith("journal") and command[0] == "record" else case.needle
        for p in read_error_problems(run, needle=needle):
            tail = (run.stderr or run.stdout).strip().splitlines()
            problems.append(f"{' '.join(run.argv)[:120]!r}: {p}; output ends {tail[-1][:300] if tail else ''!r}")
    after = listing(folder)
    written = sorted(set(after) - set(before)) + sorted(os.listdir(folder / "out"))
    if written:
        problems.append(f"files written: {written}")
    changed = [k for k, v in before.items() if after.get(k) != v and not k.startswith("out")]
    if changed:
        problems.append(f"files changed or removed: {changed}")
    return problems


def _case_folder(corpus_root: Path, case: Case, tier: str) -> Path:
    return materialise(case, corpus_root / tier / case.name)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_first_reader(case, corpus_root, runner):
    folder = _case_folder(corpus_root, case, "first")
    assert check(runner, case, folder, case.commands()[:1]) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if len(c.commands()) > 1], ids=[c.name for c in CASES if len(c.commands()) > 1])
def test_every_other_reader(case, corpus_root, runner):
    folder = _case_folder(corpus_root, case, "others")
    assert check(runner, case, folder, case.commands()[1:]) == []


def test_the_corpus_covers_every_reader():
    assert len(CASES) >= 120
    assert {c.reader for c in CASES} == READERS
    assert sum(len(c.commands()) for c in CASES) >= 600
    commands = {c.commands()[k][0] for c in CASES for k in range(len(c.commands()))}
    assert commands >= {"rank", "validate", "sensitivity", "group", "export", "replay", "room", "record", "tui", "import", "journal"}


def test_the_starting_files_are_valid(corpus_root, runner):
    """Every case starts from these; each command accepts them, so a case's error is its own."""
    folder = corpus_root / "valid"
    materialise(Case("valid", "cli", lambda d: None), folder)
    (folder / "scenario.toml").write_text(SCENARIO.format(base="app.toml"))
    import hashlib

    sha = hashlib.sha256(APPRAISAL.encode()).hexdigest()
    (folder / "session.journal.jsonl").write_text(journal_header("app.toml", sha))
    commands = [("rank", "app.toml"), ("validate", "scenario.toml"), ("sensitivity", "app.toml", "--samples", "200"),
                ("export", "app.toml", "-o", "out/a.json"), ("rank", "out/a.json"), ("replay", "scenario.toml"),
                ("import", "sheet.csv", "--criteria", "crit.toml", "-o", "out/imported.toml"), ("rank", "out/imported.toml"),
                ("journal", "export", "session.journal.jsonl", "-o", "out/session.toml"), ("rank", "out/session.toml"),
                ("record", "app.toml", "--journal", "session.journal.jsonl", "-o", "out/record.html", "--samples", "200")]
    for command in commands:
        run = runner.run(command, cwd=folder)
        assert run.code == 0, (command, run.stderr)


@pytest.mark.parametrize("name", ["appraisal-fifo", "appraisal-dev-zero", "syntax-unterminated-string", "csv-1900-unknown-criteria"])
def test_the_warm_runner_matches_a_real_process(name, corpus_root, runner, tmp_path):
    """The fork server is a faithful stand-in for `python -m appraisal`."""
    case = next(c for c in CASES if c.name == name)
    folder = _case_folder(corpus_root, case, "real")
    command = fill(case.commands()[0], folder)
    real = Runner(tmp_path, mode="subprocess").run(command, cwd=folder, user=case.user)
    warm = runner.run(command, cwd=folder, user=case.user)
    assert read_error_problems(real, needle=case.needle) == []
    assert (warm.code, warm.stdout, warm.stderr) == (real.code, real.stdout, real.stderr)
