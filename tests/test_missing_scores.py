"""`missing = true` (a score the source does not give) through every command, in a file with published
totals: one missing score, a whole option missing, and every score missing."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from appraisal.cli import main
from appraisal.io.load import load
from appraisal.tui.app import make_app

from .conftest import REPO

PARTICIPANTS = '''
[[participants]]
name = "Ann"
weights = { outcomes = 5 }

[[participants]]
name = "Bo"
weights = { vision = 4 }
scores = { "outsource:vision" = 2 }
'''


def _missing(text: str, option: str | None) -> str:
    """The bundled file with the scores of `option` (None: every option) made missing."""
    blocks = text.split("[[scores]]")
    out = [blocks[0]]
    for b in blocks[1:]:
        if option is None or f'option = "{option}"' in b:
            b = re.sub(r"(?m)^score = .*$", "missing = true", b, count=1)
        out.append(b)
    return "[[scores]]".join(out)


def _one_missing(text: str) -> str:
    i = text.index('option = "trust-dfe"')
    j = text.index("score = ", i)
    return text[:j] + "missing = true" + text[text.index("\n", j):]


VARIANTS = {"one-score": _one_missing, "one-option": lambda t: _missing(t, "trust-dfe"), "every-score": lambda t: _missing(t, None)}


@pytest.fixture(params=list(VARIANTS))
def missing_file(request, tmp_path):
    (tmp_path / "criteria").mkdir()
    (tmp_path / "scenarios").mkdir()
    shutil.copy(REPO / "criteria" / "birmingham-2013.toml", tmp_path / "criteria")
    text = VARIANTS[request.param]((REPO / "scenarios" / "birmingham-2013.toml").read_text())
    assert "published" in text and "missing = true" in text
    path = tmp_path / "scenarios" / "missing.toml"
    path.write_text(text + PARTICIPANTS)
    return request.param, path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_accepts_missing_scores(missing_file, tmp_path, capsys):
    variant, path = missing_file
    for args in (["rank"], ["rank", "--format", "json"], ["rank", "--format", "csv"], ["rank", "--format", "markdown"],
                 ["validate"], ["validate", "--format", "json"], ["sensitivity", "--samples", "300"],
                 ["sensitivity", "--samples", "300", "--format", "json"], ["group", "--samples", "300"],
                 ["group", "--samples", "300", "--format", "json"]):
        code, out, err = run(capsys, args[0], path, *args[1:])
        assert (code, err) == (0, ""), (args, err)
        if "json" in args:
            json.loads(out)  # strict JSON: no NaN
    for fmt in ("csv", "csv-long", "xlsx", "md", "json", "html"):
        out_path = tmp_path / f"export-{variant}.{fmt.replace('csv-long', 'long.csv')}"
        code, out, err = run(capsys, "export", path, "-o", out_path, "--format", fmt, "--samples", "300")
        assert (code, err) == (0, ""), (fmt, err)
        assert out_path.stat().st_size > 0
    exported = tmp_path / f"export-{variant}.json"
    assert load(exported).appraisal.cells == load(path).appraisal.cells
    assert "NaN" not in exported.read_text()
    code, out, err = run(capsys, "rank", exported, "--format", "json")
    assert code == 0


def test_missing_scores_rank_nobody_and_the_reports_say_so(missing_file, capsys):
    variant, path = missing_file
    code, out, _ = run(capsys, "rank", path, "--format", "json")
    options = {o["id"]: o for o in json.loads(out)["options"]}
    unranked = {"one-score": {"trust-dfe"}, "one-option": {"trust-dfe"}, "every-score": set(options)}[variant]
    assert {oid for oid, o in options.items() if o["rank_weighted"] is None} == unranked
    code, out, _ = run(capsys, "sensitivity", path, "--samples", "300", "--format", "json")
    report = json.loads(out)
    assert set(report["smaa"]["rank_acceptability"]) == set(options) - unranked
    assert (report["leader"] is None) == (variant == "every-score")


async def test_the_app_opens_a_file_with_every_score_missing(tmp_path):
    (tmp_path / "criteria").mkdir()
    (tmp_path / "scenarios").mkdir()
    shutil.copy(REPO / "criteria" / "birmingham-2013.toml", tmp_path / "criteria")
    path = tmp_path / "scenarios" / "missing.toml"
    path.write_text(_missing((REPO / "scenarios" / "birmingham-2013.toml").read_text(), None))
    app = make_app(path, journal=False, ask_reasons=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")  # the sensitivity screen, SMAA included
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.__class__.__name__ != "WorkshopApp"
