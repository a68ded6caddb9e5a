"""What a person at a command line trips over: no terminal for the app, a Cost criterion in an
officer's sheet, a JUnit report into a missing folder, counts in words."""

from __future__ import annotations

import subprocess
import sys

from appraisal.cli import main
from appraisal.io import load_appraisal

from .conftest import REPO


def test_the_app_without_a_terminal_is_one_error_line_not_a_hang(tmp_path):
    """In CI or a pipe the full-screen app once wrote escape codes into the pipe and waited for keys."""
    r = subprocess.run([sys.executable, "-m", "appraisal"], stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: the workshop app needs a terminal") and r.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no lock, no journal


def test_a_bad_file_is_reported_before_the_missing_terminal(tmp_path):
    r = subprocess.run([sys.executable, "-m", "appraisal", "tui", "nosuch.toml"], stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == "error: nosuch.toml: no such file\n"


def test_a_cost_row_with_a_weight_is_a_criterion_not_the_options_costs(tmp_path, capsys):
    """Read as costs, scores 5/3/1 became £5/£3/£1 and the worst option on cost the cheapest."""
    sheet = tmp_path / "officer.csv"
    sheet.write_text("Criterion,Weight,Do nothing,Shared service,New build\nCost,40,5,3,1\n", encoding="utf-8")
    bundled = str(REPO / "criteria" / "birmingham-2013.toml")
    assert main(["import", str(sheet), "-o", str(tmp_path / "o.toml"), "--criteria", bundled]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[1].startswith("  A2: unknown criterion 'Cost'") and not (tmp_path / "o.toml").exists()
    # Without --criteria it is the officer's own criterion, with its scores
    assert main(["import", str(sheet), "-o", str(tmp_path / "o.toml")]) == 0
    a = load_appraisal(tmp_path / "o.toml")
    assert [c.id for c in a.criteria] == ["cost"] and [x.score for x in a.cells] == [5, 3, 1] and not a.has_costs


def test_a_junit_report_into_a_missing_folder_fails_before_the_replay_runs(tmp_path):
    r = subprocess.run([sys.executable, "-m", "appraisal", "replay", str(REPO / "scenarios"), "--junit", str(tmp_path / "no" / "r.xml")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == "" and r.stderr.startswith("error: ") and "does not exist" in r.stderr


def test_command_help_hint_names_the_command():
    """It once read (see `appraisal [-h] [--version] [FILE | COMMAND ...] rank --help`)."""
    r = subprocess.run([sys.executable, "-m", "appraisal", "rank", "--format", "xx"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.rstrip().endswith("(see `appraisal rank --help`)")
