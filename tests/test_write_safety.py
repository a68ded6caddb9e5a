"""Writing never destroys: an output never replaces a file the command read, racing writers cannot both
win, a write killed half-way leaves only a recognisable temporary file that the next write removes,
`-o -` writes to standard output, and no output encoding makes a command crash."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from appraisal import cli
from appraisal.io import atomic
from appraisal.io.atomic import write_atomic
from appraisal.io.journal import file_sha256

from .conftest import REPO, run_cli


@pytest.fixture
def work(tmp_path) -> Path:
    """A copy of the bundled appraisal and its criteria, as a user has them."""
    shutil.copytree(REPO / "criteria", tmp_path / "criteria")
    (tmp_path / "scenarios").mkdir()
    shutil.copy(REPO / "scenarios" / "birmingham-2013.toml", tmp_path / "scenarios" / "bham.toml")
    (tmp_path / "scenarios" / "what-if.toml").write_text(
        '[scenario]\ntitle = "What if"\nbase = "bham.toml"\n\n[[steps]]\naction = "exclude"\noption = "outsource"\n', encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_error(r: subprocess.CompletedProcess, needle: str) -> None:
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    assert needle in lines[0], lines[0]


# --- --force never destroys the input --------------------------------------------------------------

@pytest.mark.parametrize("target", ["scenarios/bham.toml", "criteria/birmingham-2013.toml", "scenarios/../scenarios/bham.toml", "link.toml", "hard.toml"])
def test_export_with_force_never_replaces_what_it_read(work, target):
    (work / "link.toml").symlink_to(work / "scenarios" / "bham.toml")
    os.link(work / "scenarios" / "bham.toml", work / "hard.toml")
    before = snapshot(work)
    r = run_cli("export", "scenarios/bham.toml", "-o", target, "--format", "json", "--force", cwd=work)
    one_error(r, "which this command reads")
    assert snapshot(work) == before


def test_a_scenarios_base_and_criteria_are_inputs_too(work):
    before = snapshot(work)
    for target in ("scenarios/bham.toml", "criteria/birmingham-2013.toml", "scenarios/what-if.toml"):
        one_error(run_cli("export", "scenarios/what-if.toml", "-o", target, "--format", "csv", "--force", cwd=work), "which this command reads")
    assert snapshot(work) == before


def _journal(work: Path) -> Path:
    base = work / "scenarios" / "bham.toml"
    journal = work / "scenarios" / "bham.toml.journal.jsonl"
    journal.write_text(json.dumps({"kind": "header", "version": 1, "file": "bham.toml", "sha256": file_sha256(base), "started": "2024-01-01T10:00"})
                       + "\n" + json.dumps({"kind": "edit", "group": 1, "step": {"action": "exclude", "option": "outsource"}}) + "\n", encoding="utf-8")
    return journal


@pytest.mark.parametrize("target", ["scenarios/bham.toml", "scenarios/bham.toml.journal.jsonl", "criteria/birmingham-2013.toml"])
def test_journal_export_never_makes_the_base_a_scenario_of_itself(work, target):
    _journal(work)
    before = snapshot(work)
    one_error(run_cli("journal", "export", "scenarios/bham.toml.journal.jsonl", "-o", target, "--force", cwd=work), "which this command reads")
    assert snapshot(work) == before


def test_import_and_junit_never_replace_their_inputs(work):
    (work / "sheet.csv").write_bytes(run_cli("export", "scenarios/bham.toml", "-o", "-", "--format", "csv", cwd=work).stdout.encode())
    before = snapshot(work)
    for target in ("sheet.csv", "criteria/birmingham-2013.toml"):
        one_error(run_cli("import", "sheet.csv", "-o", target, "--criteria", "criteria/birmingham-2013.toml", "--force", cwd=work), "which this command reads")
    r = run_cli("replay", "scenarios/what-if.toml", "--junit", "scenarios/bham.toml", cwd=work)
    one_error(r, "which this command reads")
    assert snapshot(work) == before


# --- racing writers --------------------------------------------------------------------------------

@pytest.mark.slow
def test_four_exports_racing_for_one_name_one_wins(work):
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "appraisal", "export", "scenarios/bham.toml", "-o", "same.html", "--samples", "20000"],
                              cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 2, 2, 2], results
    assert sum(out.startswith("wrote same.html") for _, out, _ in results) == 1
    assert all(err.strip() == "error: same.html: already exists (use --force to overwrite)" for code, _, err in results if code), results
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []


def test_the_last_step_creates_exclusively(tmp_path):
    """The name is taken between the check and the write: the write says so, and changes nothing."""
    target = tmp_path / "out.html"
    target.write_text("someone else's")
    with pytest.raises(FileExistsError):
        write_atomic(target, "mine", replace=False)
    assert target.read_text() == "someone else's"
    assert list(tmp_path.iterdir()) == [target]


def test_export_reports_a_name_taken_at_the_last_moment(work, monkeypatch, capsys):
    real = atomic.write_atomic

    def late_rival(path, data, **kw):
        Path(path).write_text("the other export")
        return real(path, data, **kw)

    monkeypatch.setattr(atomic, "write_atomic", late_rival)
    monkeypatch.chdir(work)
    assert cli.main(["export", "scenarios/bham.toml", "-o", "x.csv"]) == 2
    assert capsys.readouterr().err == "error: x.csv: already exists (use --force to overwrite)\n"
    assert (work / "x.csv").read_text() == "the other export"


# --- temporary files -------------------------------------------------------------------------------

def test_a_write_killed_half_way_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom appraisal.io import atomic\n"
              "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
              "atomic.write_atomic(Path(sys.argv[1]), b'half')\n")
    r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "a.toml")], capture_output=True)
    assert r.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".a.toml.appraisal-") and left[0].endswith(".tmp")
    write_atomic(tmp_path / "b.toml", "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.toml"]


def test_only_our_stale_temporary_files_are_removed(tmp_path):
    from appraisal.io.atomic import clean_stale_temporaries, temporary_name

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    files = {
        "dead": tmp_path / temporary_name("a.csv", int(dead)),
        "old": tmp_path / temporary_name("b.csv", 1),  # pid 1 lives, but an hour is long enough
        "live": tmp_path / temporary_name("c.csv", 1),  # a write in progress elsewhere
        "foreign": tmp_path / ".d.csv.12345678.tmp",  # not ours
        "mine": tmp_path / temporary_name("e.csv"),  # this process's
    }
    for p in files.values():
        p.write_text("x")
    hour_ago = time.time() - 3700
    os.utime(files["old"], (hour_ago, hour_ago))
    os.utime(files["foreign"], (hour_ago, hour_ago))
    removed = clean_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted([files["dead"], files["old"]])
    assert all(files[k].exists() for k in ("live", "foreign", "mine"))


def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    synced: list[bool] = []
    real = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write_atomic(tmp_path / "a.txt", "x")
    assert synced == [False, True]  # the data, then the folder holding the new name


def test_modes_new_files_like_open_replaced_files_keep_theirs(tmp_path):
    write_atomic(tmp_path / "new.txt", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o666 & ~umask
    (tmp_path / "kept.txt").write_text("old")
    os.chmod(tmp_path / "kept.txt", 0o640)
    write_atomic(tmp_path / "kept.txt", "new")
    assert stat.S_IMODE((tmp_path / "kept.txt").stat().st_mode) == 0o640


# --- -o - -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "csv-long", "json", "md", "html"])
def test_dash_writes_to_standard_output(work, fmt):
    r = run_cli("export", "scenarios/bham.toml", "-o", "-", "--format", fmt, "--samples", "200", cwd=work)
    assert r.returncode == 0, r.stderr
    assert not (work / "-").exists()
    run_cli("export", "scenarios/bham.toml", "-o", "file.out", "--format", fmt, "--samples", "200", cwd=work, check=True)
    expected = (work / "file.out").read_bytes().decode("utf-8")
    if fmt == "html":  # no timestamps in html; identical
        assert r.stdout == expected
    else:
        assert r.stdout.replace("\r\n", "\n") == expected.replace("\r\n", "\n")


def test_dash_xlsx_goes_to_a_pipe_but_not_to_a_terminal(work, monkeypatch, capsys):
    r = subprocess.run([sys.executable, "-m", "appraisal", "export", "scenarios/bham.toml", "-o", "-", "--format", "xlsx", "--samples", "100"],
                       cwd=work, capture_output=True)
    assert r.returncode == 0
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(r.stdout)).namelist()

    monkeypatch.chdir(work)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.main(["export", "scenarios/bham.toml", "-o", "-", "--format", "xlsx"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("error: will not write a workbook to a terminal")
    assert not (work / "-").exists()


def test_dash_needs_a_format(work):
    one_error(run_cli("export", "scenarios/bham.toml", "-o", "-", cwd=work), "--format")
    assert not (work / "-").exists()


# --- output encodings ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "cp1252"}, {"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_no_command_dies_of_an_encoding(work, env):
    text = (work / "scenarios" / "bham.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Break up Birmingham"', 'name = "Разделить Бирмингем ✓ 😀 ━"')
    text += '\n[[participants]]\nname = "Zoë 😀"\nweights = { outcomes = 5 }\n\n[[participants]]\nname = "Łukasz ✓"\nweights = { speed = 5 }\n'
    (work / "scenarios" / "bham.toml").write_text(text, encoding="utf-8")
    _journal(work)
    runs = [
        ("rank", "scenarios/bham.toml"), ("rank", "scenarios/bham.toml", "--format", "csv"), ("rank", "scenarios/bham.toml", "--format", "markdown"),
        ("validate", "scenarios/bham.toml"), ("sensitivity", "scenarios/bham.toml", "--samples", "100"),
        ("group", "scenarios/bham.toml", "--samples", "100"), ("replay", "scenarios/what-if.toml"),
        ("export", "scenarios/bham.toml", "-o", "-", "--format", "md"), ("export", "scenarios/bham.toml", "-o", "ünïcode-✓.json"),
        ("journal", "export", "scenarios/bham.toml.journal.jsonl", "-o", "séance-✓.toml"),
        ("rank", "nowhere-✓.toml"),
    ]
    for args in runs:
        r = subprocess.run([sys.executable, "-m", "appraisal", *args], cwd=work, capture_output=True, env={**os.environ, "NO_COLOR": "1", **env})
        assert b"Traceback" not in r.stderr and b"UnicodeEncodeError" not in r.stderr, (args, r.stderr.decode(errors="replace"))
        assert r.returncode == (2 if args[1].startswith("nowhere") else 0), (args, r.stderr)
