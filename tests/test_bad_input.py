"""Every kind of bad input: one `error:` line naming the file and the key or line, exit 2, nothing written."""

from __future__ import annotations

import copy
import math

import pytest
import tomli_w

from appraisal.cli import main

from .conftest import appraisal_dict, run_cli, write_criteria

SCORES = {"alpha": {"cost": 3, "speed": 4}, "beta": {"cost": 5, "speed": 2}}
WEIGHTS = {"cost": 2, "speed": 1}


@pytest.fixture
def base(tmp_path):
    write_criteria(tmp_path / "criteria.toml", list(WEIGHTS))
    return appraisal_dict(SCORES, WEIGHTS)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data, name="appraisal.toml"):
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data))
    return path


def assert_one_line_error(code, out, err, *needles):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def mutate(data, fn):
    d = copy.deepcopy(data)
    fn(d)
    return d


CASES = {
    # name: (mutation, expected fragments: key path and, where we can find it, the line)
    "unknown option id in scores": (lambda d: d["scores"][0].update(option="gamma"), ["scores[0].option", "unknown option 'gamma'"]),
    "unknown criterion in scores": (lambda d: d["scores"][1].update(criterion="price"), ["scores[1].criterion", "unknown criterion 'price'"]),
    "duplicate option id": (lambda d: d["options"][1].update(id="alpha"), ["options[1].id", "duplicate option id 'alpha'"]),
    "score above the scale": (lambda d: d["scores"][2].update(score=6), ["scores[2].score", "outside the scale 1..5"]),
    "score below the scale": (lambda d: d["scores"][2].update(score=0), ["scores[2].score", "outside the scale"]),
    "score off the step": (lambda d: d["scores"][2].update(score=2.25), ["scores[2].score", "multiple of the scale step"]),
    "score not a number": (lambda d: d["scores"][3].update(score="high"), ["scores[3].score", "must be a number"]),
    "score missing": (lambda d: d["scores"][3].pop("score"), ["scores[3]", "no score"]),
    "cell missing": (lambda d: d["scores"].pop(), ["scores", "no score for beta:speed"]),
    "negative weight": (lambda d: d["weights"].update(cost=-1), ["weights.cost", "must be a finite number >= 0, not -1"]),
    "NaN weight": (lambda d: d["weights"].update(cost=math.nan), ["weights.cost", "finite"]),
    "infinite weight": (lambda d: d["weights"].update(cost=math.inf), ["weights.cost", "finite"]),
    "weights all zero": (lambda d: d["weights"].update(cost=0, speed=0), ["weights", "all zero"]),
    "weight for unknown criterion": (lambda d: d["weights"].update(price=1), ["weights.price", "unknown criterion"]),
    "weight not a number": (lambda d: d["weights"].update(cost="2"), ["weights.cost", "must be a number"]),
    "unknown top-level key": (lambda d: d.update(wieghts={"cost": 1}), ["wieghts", "unknown key"]),
    "unknown key in an option": (lambda d: d["options"][0].update(nmae="x"), ["options[0].nmae", "unknown key"]),
    "criteria file does not exist": (lambda d: d["appraisal"].update(criteria="nope.toml"), ["appraisal.criteria", "criteria file 'nope.toml' not found"]),
    "bad id": (lambda d: d["options"][0].update(id="Alpha Beta"), ["options[0].id", "invalid id"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_appraisal_file(name, base, tmp_path, capsys):
    fn, needles = CASES[name]
    path = write(tmp_path, mutate(base, fn))
    code, out, err = run(capsys, "rank", str(path))
    assert_one_line_error(code, out, err, str(path), *needles)


def test_line_numbers_point_at_the_key(base, tmp_path, capsys):
    path = write(tmp_path, mutate(base, lambda d: d["scores"][2].update(score=9)))
    code, out, err = run(capsys, "rank", str(path))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "score = 9" in text)
    assert f"{path}:{line}: scores[2].score" in err


def test_the_valid_base_is_valid(base, tmp_path, capsys):
    code, out, err = run(capsys, "rank", str(write(tmp_path, base)), "--format", "json")
    assert code == 0 and err == ""


def test_malformed_toml(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[appraisal]\ntitle = "x"\ncriteria = \n')
    assert_one_line_error(*run(capsys, "rank", str(path)), f"{path}:3", "malformed TOML")


@pytest.mark.parametrize(
    "setup, needle",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\x00\x01\x02binary"), "binary"),
        (lambda p: p.write_bytes(b"\xff\xfe[a]\n"), "not UTF-8"),
        (lambda p: p.write_text(""), "empty"),
        (lambda p: p.write_text("   \n\n"), "empty"),
        (lambda p: p.write_bytes(b"# " + b"x" * (10 * 1024 * 1024) + b"\n"), "limit is 10 MB"),
    ],
    ids=["missing", "directory", "binary", "not-utf8", "empty", "blank", "too-large"],
)
def test_unusable_files(tmp_path, capsys, setup, needle):
    path = tmp_path / "thing.toml"
    setup(path)
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), needle)


def test_unreadable_file(tmp_path, capsys, monkeypatch):
    # Root reads any file whatever its mode, so simulate the permission error the OS would raise
    # (tests/hostile runs a real one as another user).
    import os

    path = tmp_path / "locked.toml"
    path.write_text("[appraisal]\n")
    real_open = os.open

    def denied(p, *args, **kw):
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(p, *args, **kw)

    monkeypatch.setattr(os, "open", denied)
    assert_one_line_error(*run(capsys, "rank", str(path)), str(path), "permission denied")


def test_bad_criteria_file(base, tmp_path, capsys):
    (tmp_path / "criteria.toml").write_text(
        tomli_w.dumps({"scale": {"min": 1, "max": 5}, "criteria": [{"id": "cost", "name": "Cost"}, {"id": "cost", "name": "Again"}]})
    )
    code, out, err = run(capsys, "rank", str(write(tmp_path, base)))
    assert_one_line_error(code, out, err, "criteria.toml", "criteria[1].id", "duplicate criterion id 'cost'")


@pytest.mark.parametrize(
    "flags, needles",
    [
        (["--weight", "nope=3"], ["--weight 'nope=3'", "unknown criterion 'nope'"]),
        (["--weight", "outcomes=-1"], ["--weight 'outcomes=-1'", ">= 0"]),
        (["--weight", "outcomes=nan"], ["not a finite number"]),
        (["--weight", "outcomes=inf"], ["not a finite number"]),
        (["--weight", "outcomes=abc"], ["'abc' is not a number"]),
        (["--weight", "outcomes"], ["expected CRITERION=WEIGHT"]),
        (*[[f for c in ["outcomes", "vision", "break-from-past", "cultural-change", "short-term-practice", "recruitment-retention",
                        "financial-stability", "leadership", "pace", "corporate-support", "accountability", "political-leadership",
                        "external-capacity", "partnerships", "dfe-acceptability", "local-acceptability", "financial-viability",
                        "speed", "dfe-transparency"] for f in ("--weight", f"{c}=0")]], ["all zero"]),
        (["--score", "outsource:speed=6"], ["--score 'outsource:speed=6'", "outside the scale"]),
        (["--score", "outsource:speed=high"], ["not a number"]),
        (["--score", "nobody:speed=3"], ["unknown option 'nobody'"]),
        (["--score", "outsource=3"], ["expected OPTION:CRITERION=SCORE"]),
        (["--exclude", "nobody"], ["--exclude 'nobody'", "unknown option"]),
        (["--disable", "nothing"], ["--disable 'nothing'", "unknown criterion"]),
    ],
)
def test_bad_flags(capsys, flags, needles):
    assert_one_line_error(*run(capsys, "rank", *flags), *needles)


def test_bad_input_through_a_real_process(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("this is not toml")
    result = run_cli("rank", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:1: malformed TOML")
    assert "Traceback" not in result.stderr


def test_unknown_command_and_flag_are_one_line():
    for args in (["frobnicate"], ["rank", "--colour"]):
        result = run_cli(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_line_numbers_in_the_bundled_layout(tmp_path, capsys):
    from .conftest import REPO

    (tmp_path / "criteria").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "criteria" / "birmingham-2013.toml").write_text((REPO / "criteria" / "birmingham-2013.toml").read_text())
    lines = (REPO / "scenarios" / "birmingham-2013.toml").read_text().splitlines()
    # The 40th cell (index 39) is Trust (DfE) on pace; make it 7.
    starts = [n for n, line in enumerate(lines) if line == "[[scores]]"]
    target = next(n for n in range(starts[39], starts[40]) if lines[n].startswith("score = "))
    lines[target] = "score = 7"
    path = tmp_path / "scenarios" / "broken.toml"
    path.write_text("\n".join(lines))
    assert_one_line_error(*run(capsys, "rank", str(path)), f"{path}:{target + 1}: scores[39].score: score 7 is outside the scale 1..5")
