"""The command line, through a real subprocess as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
import tomli_w

from .conftest import REPO, appraisal_dict, run_cli, write_criteria


def rank_json(*args):
    result = run_cli("rank", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rank_json_has_the_documented_shape():
    data = rank_json()
    assert set(data) >= {"title", "criteria", "options", "dominated", "findings"}
    assert set(data["criteria"][0]) >= {"id", "name", "weight", "share", "enabled"}
    assert set(data["options"][0]) >= {"id", "name", "excluded", "unweighted_total", "weighted_total", "weighted_percent", "rank_unweighted", "rank_weighted"}
    assert set(data["findings"][0]) >= {"code", "message", "where"}
    totals = {o["id"]: (o["unweighted_total"], o["weighted_total"], o["rank_weighted"]) for o in data["options"]}
    assert totals == {"break-up": (46, 138, 5), "outsource": (57, 171, 4), "trust-dfe": (64, 192, 3), "trust-bcc": (74, 222, 2), "integrated": (82, 246, 1)}
    assert data["dominated"] == [{"option": "break-up", "by": ["trust-bcc", "integrated"]}]
    assert sum(c["share"] for c in data["criteria"]) == pytest.approx(1)


def test_what_if_flags_move_the_ranking():
    data = rank_json("--weight", "dfe-acceptability=40", "--exclude", "outsource", "--score", "trust-dfe:accountability=5")
    by_id = {o["id"]: o for o in data["options"]}
    assert by_id["outsource"]["rank_weighted"] is None and by_id["outsource"]["excluded"] is True
    assert by_id["outsource"]["unweighted_total"] == 57, "excluded options keep their totals"
    assert by_id["trust-dfe"]["unweighted_total"] == 68
    # Trust (DfE): 68 on the unweighted scale; weights 3 except DfE acceptability 40: 3 * (68 - 5) + 40 * 5 = 389
    assert by_id["trust-dfe"]["weighted_total"] == 389
    assert by_id["trust-dfe"]["rank_weighted"] == 1


def test_disable_switches_a_criterion_off():
    data = rank_json("--disable", "speed")
    crit = {c["id"]: c for c in data["criteria"]}
    assert crit["speed"]["enabled"] is False and crit["speed"]["share"] == 0
    assert {o["id"]: o["unweighted_total"] for o in data["options"]}["integrated"] == 77


@pytest.mark.parametrize("fmt, needle", [("table", "Integrated"), ("csv", "id,Rank,Option"), ("markdown", "| Rank | Option")])
def test_other_formats(fmt, needle):
    result = run_cli("rank", "--format", fmt)
    assert result.returncode == 0 and needle in result.stdout


def test_csv_is_parseable_and_ordered():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run_cli("rank", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ["integrated", "trust-bcc", "trust-dfe", "outsource", "break-up"]
    assert rows[0]["Weighted"] == "246" and rows[0]["Weighted %"] == "86.3%"


def test_validate_lists_findings_and_exits_zero():
    result = run_cli("validate", "--format", "json")
    assert result.returncode == 0
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"label-mismatch", "inferred-score", "published-total", "published-percent-differs", "dominated"} <= codes
    table = run_cli("validate")
    assert table.returncode == 0 and "label-mismatch" in table.stdout


def test_validate_invalid_file_exits_two(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text("[appraisal]\ntitle = 'x'\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_missing_score_is_explicit(tmp_path):
    write_criteria(tmp_path / "criteria.toml", ["cost", "speed"])
    data = appraisal_dict({"a": {"cost": 3, "speed": 4}, "b": {"cost": 5, "speed": 2}}, {"cost": 1, "speed": 1})
    data["scores"][1] = {"option": "a", "criterion": "speed", "missing": True}
    (tmp_path / "a.toml").write_text(tomli_w.dumps(data))
    out = rank_json(str(tmp_path / "a.toml"))
    a = out["options"][0]
    assert a["unweighted_total"] is None and a["rank_weighted"] is None
    assert out["options"][1]["rank_weighted"] == 1
    assert any(f["code"] == "missing-score" for f in out["findings"])


def test_help_is_clear():
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("rank", "validate", "schema", "tui"):
        assert word in result.stdout
    rank_help = run_cli("rank", "--help").stdout
    assert "--weight CRITERION=W" in rank_help and "--score OPTION:CRITERION=S" in rank_help


def test_schema_is_json_schema():
    for kind in ("appraisal", "criteria"):
        result = run_cli("schema", kind)
        assert result.returncode == 0
        schema = json.loads(result.stdout)
        assert schema["type"] == "object" and "properties" in schema


HYGIENE = """
import sys, io, contextlib
from appraisal.cli import main
for args in ({args}):
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(list(args)) == 0, args
import appraisal.engine, appraisal.model, appraisal.io, appraisal.reports.findings
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(leaked))
"""


def test_headless_commands_do_not_import_textual():
    args = repr([("rank", "--format", "json"), ("rank",), ("rank", "--format", "csv"), ("validate",), ("schema",)])
    result = subprocess.run([sys.executable, "-c", HYGIENE.format(args=args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"textual imported by a headless command: {result.stdout}"


@pytest.mark.slow
def test_installed_wheel_finds_its_bundled_appraisal(tmp_path):
    """`pip install .` (not editable): the wheel carries criteria/ and scenarios/."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("appraisal-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "appraisal" / "_data" / "scenarios" / "birmingham-2013.toml").is_file()
    code = f"import sys; sys.path.insert(0, {str(site)!r}); import appraisal; assert appraisal.__file__.startswith({str(site)!r}); from appraisal.cli import main; sys.exit(main(['rank', '--format', 'json']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [o["unweighted_total"] for o in json.loads(result.stdout)["options"]] == [46, 57, 64, 74, 82]
