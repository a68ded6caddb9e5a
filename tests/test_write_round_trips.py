"""Every writer, with arbitrary text in every string field: what is saved and read back is identical
(spreadsheets: identical once the formula neutralisation is undone; xlsx shows control characters as
their visible symbols, which is exactly what changes)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.io import load_appraisal
from appraisal.io.importer import import_to
from appraisal.io.journal import export_journal, file_sha256
from appraisal.io.load import load
from appraisal.io.scenario_write import scenario_toml
from appraisal.io.write import appraisal_toml, save_appraisal
from appraisal.model.base import Frozen
from appraisal.model.scenario import ExcludeStep, ParticipantStep, ScoreStep, WeightStep, step_dict
from appraisal.model.steps import apply_step
from appraisal.reports.export import export
from appraisal.reports.ranking import ranking_report, render_csv

from .conftest import REPO
from .hostile_text import NAME, TEXT, hostile_appraisal, hostile_texts

CRITERIA = REPO / "criteria" / "birmingham-2013.toml"
BUNDLED = REPO / "scenarios" / "birmingham-2013.toml"
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_fresh = itertools.count()
BHAM = load_appraisal(BUNDLED)  # not a fixture: hypothesis would print all of it with every failure


class _Text(Frozen):
    value: str


def stripped(text: str) -> str:
    """Text as the models keep it: pydantic trims Unicode White_Space, which is not quite what
    str.strip() removes (it also takes the separators U+001C..U+001F)."""
    return _Text(value=text).value


def same(back, a) -> None:
    """Field by field, so a failure shows which text changed."""
    assert back.model_dump() == a.model_dump()


def fresh(tmp_path: Path, suffix: str) -> Path:
    """A new name per example: the loader caches by path, mtime and size."""
    return tmp_path / f"f{next(_fresh)}{suffix}"


def test_the_reported_corruptions(tmp_path, bham):
    """A literal backslash-n in a multi-line string, and a DEL character: both came back wrong."""
    cells = list(bham.cells)
    cells[0] = cells[0].model_copy(update={"rationale": "See S:\\new\\notes.docx\nand the next line", "note": "rub\x7fout"})
    a = bham.model_copy(update={"cells": tuple(cells)})
    path = tmp_path / "a.toml"
    save_appraisal(a, path, criteria_file=CRITERIA)
    back = load_appraisal(path)
    assert back.cells[0].rationale == "See S:\\new\\notes.docx\nand the next line"
    assert back.cells[0].note == "rub\x7fout"


def test_a_title_cannot_escape_its_header_comment(bham):
    a = bham.model_copy(update={"title": "x\n[appraisal]\ntitle = 'forged'"})
    import tomllib

    assert tomllib.loads(appraisal_toml(a))["appraisal"]["title"] == a.title


@SETTINGS
@given(data=st.data())
def test_appraisal_files_round_trip(tmp_path, data):
    bham = BHAM
    a = hostile_appraisal(bham, data.draw(hostile_texts(bham)))
    path = fresh(tmp_path, ".toml")
    save_appraisal(a, path, criteria_file=CRITERIA)
    back = load_appraisal(path)
    same(back, a.model_copy(update={"criteria_ref": back.criteria_ref}))


def _steps(draw, a):
    opts, crits = [o.id for o in a.options], [c.id for c in a.criteria]
    text = lambda: draw(TEXT)  # noqa: E731
    who = draw(NAME.map(lambda s: s[:60]))
    return [
        ScoreStep(action="set-score", option=draw(st.sampled_from(opts)), criterion=draw(st.sampled_from(crits)), score=2, note=text(), by=text(), at=text()),
        ExcludeStep(action="exclude", option=draw(st.sampled_from(opts)), note=text(), by=text()),
        ParticipantStep(action="add-participant", participant=who, note=text()),
        WeightStep(action="set-weight", criterion=crits[0], weight=4.5, participant=who.strip(), note=text(), by=text()),
    ]


@SETTINGS
@given(data=st.data())
def test_scenario_files_round_trip(tmp_path, data):
    bham = BHAM
    steps = _steps(data.draw, bham)
    steps = [type(s).model_validate(s.model_dump(by_alias=True)) for s in steps]  # stripped, as any reader sees them
    final = bham
    for s in steps:
        final = apply_step(final, s, bham)
    title, description = data.draw(NAME), data.draw(TEXT)
    path = fresh(tmp_path, ".toml")
    path.write_text(scenario_toml(title, os.path.relpath(BUNDLED, tmp_path), steps, final, description=description), encoding="utf-8")
    loaded = load(path)
    assert loaded.title == stripped(title)
    assert [step_dict(s) for s in loaded.steps] == [step_dict(s) for s in steps]
    same(loaded.appraisal, final.model_copy(update={"criteria_ref": loaded.appraisal.criteria_ref}))


@SETTINGS
@given(data=st.data())
def test_journal_exports_round_trip(tmp_path, data):
    bham = BHAM
    folder = tmp_path / f"j{next(_fresh)}"
    (folder / "scenarios").mkdir(parents=True)
    shutil.copytree(REPO / "criteria", folder / "criteria")
    base = folder / "scenarios" / "bham.toml"
    shutil.copy(BUNDLED, base)
    steps = [type(s).model_validate(s.model_dump(by_alias=True)) for s in _steps(data.draw, bham)]
    lines = [{"kind": "header", "version": 1, "file": base.name, "sha256": file_sha256(base), "started": "2024-01-01T10:00:00"}]
    lines += [{"kind": "edit", "group": k, "step": step_dict(s)} for k, s in enumerate(steps)]
    journal = folder / "scenarios" / "bham.toml.journal.jsonl"
    journal.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    out = folder / "session.toml"
    assert export_journal(journal, out) == len(steps)
    assert [step_dict(s) for s in load(out).steps] == [step_dict(s) for s in steps]


@SETTINGS
@given(data=st.data())
def test_json_exports_round_trip(tmp_path, data):
    bham = BHAM
    a = hostile_appraisal(bham, data.draw(hostile_texts(bham, criteria_names=True)))
    path = fresh(tmp_path, ".json")
    export(a, path)
    same(load_appraisal(path), a)


def _names(a):
    return [o.name for o in a.options]


@SETTINGS
@given(data=st.data())
def test_csv_exports_round_trip_through_import(tmp_path, data):
    bham = BHAM
    a = hostile_appraisal(bham, data.draw(hostile_texts(bham, participants=False)))
    sheet = fresh(tmp_path, ".csv")
    export(a, sheet)
    back = import_to(sheet, fresh(tmp_path, ".toml"), CRITERIA)
    from appraisal.reports.safe_text import sheet_visible

    assert _names(back) == [stripped(sheet_visible(n)) for n in _names(a)]
    assert [(c.option, c.criterion, c.score) for c in back.cells] == [(c.option, c.criterion, c.score) for c in a.cells]


def _read_csv(data: bytes) -> list[list[str]]:
    from appraisal.reports.safe_text import unneutralise

    return [[unneutralise(x) for x in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))]


@SETTINGS
@given(data=st.data())
def test_long_csv_and_rank_csv_read_back_identically(tmp_path, data):
    bham = BHAM
    a = hostile_appraisal(bham, data.draw(hostile_texts(bham, criteria_names=True, participants=False)))
    path = fresh(tmp_path, ".csv")
    export(a, path, "csv-long")
    rows = _read_csv(path.read_bytes())[1:]
    from appraisal.reports.safe_text import sheet_visible as v

    expected = [(v(o.name), v(c.name), v(a.cell(o.id, c.id).label or ""), v(a.cell(o.id, c.id).rationale)) for o in a.options for c in a.criteria]
    assert [(r[1], r[3], r[6], r[11]) for r in rows] == expected
    ranked = _read_csv(render_csv(ranking_report(a)).encode())
    assert sorted(r[2] for r in ranked[1:]) == sorted(v(n) for n in _names(a))


@SETTINGS
@given(data=st.data())
def test_xlsx_exports_round_trip_through_import(tmp_path, data):
    bham = BHAM
    a = hostile_appraisal(bham, data.draw(hostile_texts(bham, participants=False)))
    sheet = fresh(tmp_path, ".xlsx")
    export(a, sheet, samples=10)
    back = import_to(sheet, fresh(tmp_path, ".toml"), CRITERIA)
    from appraisal.reports.safe_text import xlsx_text

    # Control characters a workbook cannot hold are shown as their symbols (ESC as U+241B), line breaks are
    # line feeds (XML's); nothing else changes.
    assert _names(back) == [stripped(xlsx_text(n)) for n in _names(a)]
    assert [c.rationale for c in back.cells] == [stripped(xlsx_text(c.rationale)) for c in a.cells]
    assert [c.note for c in back.cells] == [stripped(xlsx_text(c.note)) for c in a.cells]


def test_neutralisation_is_undone_exactly():
    for s in ["=1+1", "'=1+1", "''=x", "'Tis", "-3 staff", "@here", "\tx", "\rx", "plain", "'", "", "＝1"]:
        from appraisal.reports.safe_text import neutralise, unneutralise

        assert unneutralise(neutralise(s)) == s
