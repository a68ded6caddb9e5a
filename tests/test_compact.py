"""The compact layout ([matrix]: a row of scores per option, in the file or a CSV beside it; cells' text
keyed "option:criterion") reads to the same appraisal as [[scores]] entries, and every report and export
is the same to the byte; the model's cells are arrays with Cells built on demand, as before."""

from __future__ import annotations

import copy
import itertools
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.cli import main
from appraisal.engine import evaluate, problem_from
from appraisal.io import load_appraisal
from appraisal.io.load import load
from appraisal.io.write import COMPACT_FROM, appraisal_toml, save_appraisal
from appraisal.model import AppraisalFile, edits
from appraisal.model.build import scored_cell
from appraisal.model.cells import Cells
from appraisal.model.scenario import MeasureStep, ScoreStep
from appraisal.reports.export import render
from appraisal.reports.ranking import ranking_report
from appraisal.reports.sensitivity import sensitivity_report
from appraisal.reports.json_text import dumps

from .conftest import REPO, write_criteria
from .hostile_text import hostile_appraisal, hostile_texts

BUNDLED = REPO / "scenarios" / "birmingham-2013.toml"
BHAM = load_appraisal(BUNDLED)
CASE = load_appraisal(REPO / "scenarios" / "case-system.toml")  # measures, a value tree, costs
EXPORTS = ("csv", "csv-long", "json", "md", "html")
_fresh = itertools.count()


# --- writing one appraisal in each layout ----------------------------------------------------------

def classic_text(a, ref: str) -> str:
    return appraisal_toml(a, ref, compact=False)


def compact_text(a, ref: str) -> str:
    return appraisal_toml(a, ref, compact=True)


def csv_layout(a, ref: str, folder: Path, name: str) -> str:
    """The compact text with its rows moved into a CSV beside it (quoted ids and stray spaces, as a
    spreadsheet may write them)."""
    text = compact_text(a, ref)
    head, rest = text.split("\n[matrix.scores]\n", 1)
    rows, _, tail = rest.partition("\n\n")
    lines = ['"option",' + ",".join(c.id for c in a.criteria)]
    for line in rows.splitlines():
        oid, _, values = line.partition(" = ")
        lines.append(f'"{oid}",' + ", ".join(v.strip().strip('"') for v in values.strip("[]").split(",")))
    (folder / f"{name}.scores.csv").write_text("\r\n".join(lines) + "\r\n")
    head = re.sub(r"^criteria = \[.*\]$", f'file = "{name}.scores.csv"', head, count=1, flags=re.M)
    return head + "\n" + tail


def mixed_layout(a, ref: str) -> str:
    """Some options' rows and some criteria's columns in [matrix]; every other cell as a [[scores]] entry;
    text split between [[scores]] entries and the keyed tables."""
    raw = tomllib.loads(classic_text(a, ref))
    m = len(a.criteria)
    rows_of = [o.id for k, o in enumerate(a.options) if k % 2 == 0]
    cols = [c.id for j, c in enumerate(a.criteria) if j % 3 != 1]
    matrix: dict = {"criteria": cols, "scores": {}, "rationale": {}, "label": {}, "note": {}, "inferred": []}
    entries = []
    for k, entry in enumerate(raw.pop("scores")):
        o, c = entry["option"], entry["criterion"]
        if o in rows_of and c in cols:
            value = entry.get("measure", entry.get("score", "missing"))
            matrix["scores"].setdefault(o, {})[c] = value
            text = {f: entry[f] for f in ("label", "rationale", "note", "inferred") if f in entry}
            if k % 2:  # text in [[scores]], annotating the matrix's cell
                if text:
                    entries.append({"option": o, "criterion": c, **text})
            else:
                for f, v in text.items():
                    if f == "inferred":
                        matrix["inferred"].append(f"{o}:{c}")
                    else:
                        matrix[f][f"{o}:{c}"] = v
        else:
            entries.append(entry)
    matrix["scores"] = {o: [row[c] for c in cols] for o, row in matrix["scores"].items()}
    raw["matrix"] = {k: v for k, v in matrix.items() if v}
    raw["scores"] = entries
    assert m
    return tomli_w.dumps(raw)


LAYOUTS = ("classic", "toml", "csv", "mixed")


def write_layout(a, folder: Path, layout: str, criteria_file: Path) -> Path:
    name = f"a{next(_fresh)}-{layout}"
    path = folder / f"{name}.toml"
    ref = str(Path(criteria_file).resolve())
    text = {"classic": lambda: classic_text(a, ref), "toml": lambda: compact_text(a, ref),
            "csv": lambda: csv_layout(a, ref, folder, name), "mixed": lambda: mixed_layout(a, ref)}[layout]()
    path.write_text(text, encoding="utf-8")
    return path


def reports(a, *, samples: int = 400) -> dict[str, bytes]:
    out = {"rank": dumps(ranking_report(a)).encode(),
           "sensitivity": dumps(sensitivity_report(a, samples=samples, seed=3)).encode()}
    for fmt in EXPORTS:
        out[fmt] = render(a, fmt, samples=samples, seed=3)
    return out


# --- the same appraisal, the same results ------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS[1:])
@pytest.mark.parametrize("source", ["birmingham-2013", "case-system"])
def test_every_layout_reads_to_the_same_appraisal_and_the_same_reports(tmp_path, layout, source):
    a = BHAM if source == "birmingham-2013" else CASE
    crit = REPO / "criteria" / f"{source}.toml"
    classic = load_appraisal(write_layout(a, tmp_path, "classic", crit))
    other = load_appraisal(write_layout(a, tmp_path, layout, crit))
    assert other.cells == classic.cells == a.cells
    assert [c for c in other.cells] == [c for c in a.cells]  # every Cell, field by field
    assert other.cells.compact and not classic.cells.compact
    assert reports(other) == reports(classic)


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def scored(draw, base):
    """The bundled appraisal with hostile text, and scores redrawn: half points, some missing."""
    a = hostile_appraisal(base, draw(hostile_texts(base, participants=False)))
    n, m = len(a.options), len(a.criteria)
    picks = draw(st.lists(st.tuples(st.integers(0, n * m - 1), st.sampled_from([None, 1.0, 1.5, 2.5, 4.0, 5.0])), max_size=12))
    for k, score in picks:
        if score is None:
            scores = np.array(a.cells.scores)
            scores.flat[k] = np.nan
            a = a.model_copy(update={"cells": Cells(a.cells.options, a.cells.criteria, scores, None, a.cells.notes)})
        else:
            a = edits.set_score(a, a.options[k // m].id, a.criteria[k % m].id, score)
    return a


@pytest.mark.slow
@SETTINGS
@given(data=st.data(), layout=st.sampled_from(LAYOUTS[1:]))
def test_generated_appraisals_give_the_same_reports_in_every_layout(tmp_path, data, layout):
    a = data.draw(scored(BHAM))
    crit = REPO / "criteria" / "birmingham-2013.toml"
    classic = load_appraisal(write_layout(a, tmp_path, "classic", crit))
    other = load_appraisal(write_layout(a, tmp_path, layout, crit))
    assert other.cells == classic.cells
    assert list(other.cells) == list(classic.cells)
    assert reports(other, samples=200) == reports(classic, samples=200)


# --- round trips ---------------------------------------------------------------------------------------

def test_a_big_appraisal_is_saved_compact_and_reads_back_the_same(tmp_path):
    from bench.scaling import write_synthetic

    path = write_synthetic(tmp_path, 101, 100, layout="csv")  # 10,100 cells
    a = load_appraisal(path)
    assert len(a.cells) >= COMPACT_FROM and len(a.cells.notes) == 1010
    a = edits.set_score(a, "o7", "c3", 2.5)
    out = tmp_path / "saved.toml"
    save_appraisal(a, out)
    text = out.read_text()
    assert "[matrix.scores]" in text and "[[scores]]" not in text and '"o0:c0" = "why"' in text
    back = load_appraisal(out)
    assert back.cells == a.cells and back.weights == a.weights
    assert back.cell("o7", "c3").score == 2.5
    # and again, now that it was read from a matrix
    save_appraisal(back, out)
    assert load_appraisal(out).cells == a.cells


def test_a_small_compact_file_stays_compact_and_a_classic_one_classic(tmp_path):
    crit = REPO / "criteria" / "birmingham-2013.toml"
    for layout, compact in (("toml", True), ("classic", False)):
        a = load_appraisal(write_layout(BHAM, tmp_path, layout, crit))
        out = tmp_path / f"saved-{layout}.toml"
        save_appraisal(edits.set_score(a, "outsource", "speed", 5), out, criteria_file=crit)
        assert ("[matrix.scores]" in out.read_text()) == compact
        assert load_appraisal(out).cell("outsource", "speed").score == 5


@SETTINGS
@given(data=st.data())
def test_compact_files_keep_any_text(tmp_path, data):
    """Rationales, labels and notes with quotes, backslashes, control characters and line breaks, written
    as one-line keyed strings, read back identically."""
    a = hostile_appraisal(BHAM, data.draw(hostile_texts(BHAM, participants=False)))
    crit = REPO / "criteria" / "birmingham-2013.toml"
    back = load_appraisal(write_layout(a, tmp_path, "toml", crit))
    assert back.cells == a.cells


def test_json_export_of_a_big_appraisal_is_compact_and_reads_back(tmp_path):
    from bench.scaling import write_synthetic

    a = load_appraisal(write_synthetic(tmp_path, 101, 100, layout="toml"))
    a = edits.set_score(a, "o3", "c5", 4.5)
    out = tmp_path / "a.json"
    out.write_bytes(render(a, "json"))
    text = out.read_text()
    assert '"matrix"' in text and text.count('"option"') == 1010  # only the cells with text
    assert load_appraisal(out) == a


# --- the model: Cells built on demand, as before -------------------------------------------------------

def _expected_cells(path: Path):
    """What the classic build made of a file's [[scores]]: each entry, measured ones with their derived score."""
    from appraisal.io.load import load_criteria

    raw = tomllib.loads(path.read_text())
    file = AppraisalFile.model_validate(raw)
    criteria = load_criteria(path.parent / file.appraisal.criteria)
    crit = {c.id: c for c in criteria.criteria}
    out = {}
    for k, cell in enumerate(file.scores):
        c = crit[cell.criterion]
        out[(cell.option, cell.criterion)] = scored_cell(cell, c, criteria.scale, k) if c.measured or cell.measure is not None else cell
    return out


@pytest.mark.parametrize("path", sorted((REPO / "scenarios").glob("*.toml")), ids=lambda p: p.name)
def test_cells_are_as_before_for_every_bundled_file(path):
    loaded = load(path)
    base = _expected_cells(loaded.chain[-1])
    for a, expected in ((loaded.as_loaded, dict(base)), (loaded.appraisal, dict(base))):
        if a is loaded.appraisal:  # the steps' edits, as the old model made them
            for step in loaded.steps:
                if isinstance(step, ScoreStep):
                    key = (step.option, step.criterion)
                    expected[key] = expected[key].model_copy(update={"score": float(step.score), "missing": False})
                elif isinstance(step, MeasureStep):
                    from appraisal.model.tree import derived_score

                    key = (step.option, step.criterion)
                    expected[key] = expected[key].model_copy(update={"measure": float(step.measure), "missing": False,
                                                                     "score": derived_score(a.criterion(step.criterion), a.scale, float(step.measure))})
        order = [(o.id, c.id) for o in a.options for c in a.criteria]
        assert [(c.option, c.criterion) for c in a.cells] == order
        for o, c in order:
            assert a.cell(o, c) == expected[(o, c)], (o, c)
            assert a.cell(o, c) is a.cell(o, c)  # built once
        scores = a.score_matrix
        assert [None if math.isnan(v) else v for v in scores.ravel().tolist()] == [expected[k].score for k in order]


def test_cells_are_immutable_and_edits_keep_the_other_cells():
    a = BHAM
    with pytest.raises(ValueError):
        a.score_matrix[0, 0] = 1.0
    with pytest.raises(AttributeError):
        a.cells.scores = None  # type: ignore[misc]
    with pytest.raises(Exception):
        a.cells = ()  # type: ignore[misc]
    before = list(a.cells)
    b = edits.set_score(a, "outsource", "speed", 1)
    k = a.option_index["outsource"] * len(a.criteria) + a.criterion_index["speed"]
    assert [x is y for x, y in zip(a.cells, b.cells)] == [j != k for j in range(len(before))]
    assert b.cells[k].score == 1 and a.cells[k].score == before[k].score and b.cells[k].rationale == before[k].rationale
    assert problem_from(b).scores[a.option_index["outsource"], a.criterion_index["speed"]] == 1


def test_cells_given_as_a_tuple_are_kept_as_they_are():
    cells = tuple(c.model_copy(update={"rationale": "x"}) for c in BHAM.cells)
    a = BHAM.model_copy(update={"cells": cells})
    assert isinstance(a.cells, Cells) and all(x is y for x, y in zip(a.cells, cells))
    assert a.model_copy(update={"cells": list(a.cells)}) == a
    d = a.model_dump()
    assert d["cells"][0] == cells[0].model_dump()
    assert type(a).model_validate(d) == a
    with pytest.raises(ValueError):
        BHAM.model_copy(update={"cells": cells[1:] + cells[:1]})


def test_evaluation_reads_the_matrix(tmp_path):
    a = load_appraisal(write_layout(BHAM, tmp_path, "csv", REPO / "criteria" / "birmingham-2013.toml"))
    assert evaluate(problem_from(a)).unweighted.tolist() == [46, 57, 64, 74, 82]


# --- bad input ------------------------------------------------------------------------------------------

CRITERIA = ["cost", "speed"]
HEAD = '[appraisal]\ntitle = "T"\ncriteria = "criteria.toml"\n\n[weights]\ncost = 2\nspeed = 1\n\n' \
       '[[options]]\nid = "alpha"\nname = "Alpha"\n\n[[options]]\nid = "beta"\nname = "Beta"\n\n'
MATRIX = '[matrix]\ncriteria = ["cost", "speed"]\n\n[matrix.scores]\nalpha = [3, 4]\nbeta = [5, "missing"]\n'
CSV = "option,cost,speed\nalpha,3,4\nbeta,5,missing\n"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(capsys, path: Path, *needles: str) -> str:
    code, out, err = run(capsys, "rank", str(path))
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture
def folder(tmp_path):
    write_criteria(tmp_path / "criteria.toml", CRITERIA)
    return tmp_path


def test_the_small_matrix_and_its_csv_load(folder, capsys):
    (folder / "a.toml").write_text(HEAD + MATRIX)
    (folder / "b.toml").write_text(HEAD + '[matrix]\nfile = "b.csv"\n')
    (folder / "b.csv").write_text(CSV)
    a, b = load_appraisal(folder / "a.toml"), load_appraisal(folder / "b.toml")
    assert a.cells == b.cells and b.cell("beta", "speed").missing and b.cell("alpha", "cost").score == 3.0
    assert load(folder / "b.toml").files[1] == (folder / "b.csv").resolve()  # an export never replaces it


BAD_TOML = [
    ("row-too-short", MATRIX.replace("alpha = [3, 4]", "alpha = [3]"), ["a.toml:21:", "matrix.scores.alpha", "has 1 values; [matrix] criteria names 2 columns"]),
    ("unknown-option-row", MATRIX + "gamma = [1, 2]\n", ["matrix.scores.gamma", "unknown option 'gamma'"]),
    ("not-a-number", MATRIX.replace("alpha = [3, 4]", 'alpha = [3, "high"]'), ["a.toml:21:", "matrix.scores.alpha[1]", "must be a number or \"missing\", not 'high'"]),
    ("nan", MATRIX.replace("alpha = [3, 4]", "alpha = [nan, 4]"), ["matrix.scores.alpha[0]", "must be a finite number", "nan"]),
    ("inf", MATRIX.replace("alpha = [3, 4]", "alpha = [3, -inf]"), ["matrix.scores.alpha[1]", "-inf"]),
    ("boolean", MATRIX.replace("alpha = [3, 4]", "alpha = [3, true]"), ["matrix.scores.alpha[1]", "not True"]),
    ("off-scale", MATRIX.replace("alpha = [3, 4]", "alpha = [3, 7]"), ["a.toml:21:", "matrix.scores.alpha[1]", "score 7 is outside the scale 1..5 (alpha:speed)"]),
    ("huge", MATRIX.replace("alpha = [3, 4]", "alpha = [3, 1e308]"), ["matrix.scores.alpha[1]", "outside the scale"]),  # no overflow warning
    ("off-grid", MATRIX.replace("alpha = [3, 4]", "alpha = [3.25, 4]"), ["matrix.scores.alpha[0]", "not a multiple of the scale step"]),
    ("row-not-an-array", MATRIX.replace("alpha = [3, 4]", "alpha = 3"), ["matrix.scores.alpha", "must be an array"]),
    ("unknown-column", MATRIX.replace('"speed"]', '"sped"]'), ["matrix.criteria[1]", "unknown criterion 'sped'"]),
    ("column-twice", MATRIX.replace('"speed"]', '"cost"]'), ["matrix.criteria[1]", "criterion 'cost' is a column twice"]),
    ("no-columns", MATRIX.replace('criteria = ["cost", "speed"]\n', ""), ["matrix", "needs `criteria`"]),
    ("rows-and-file", MATRIX.replace("[matrix]\n", '[matrix]\nfile = "x.csv"\n'), ["matrix.file", "not both"]),
    ("a-cell-missing", MATRIX.replace("beta = [5, \"missing\"]\n", ""), ["no score for beta:cost", "[matrix] or [[scores]]"]),
    ("score-given-twice", MATRIX + '\n[[scores]]\noption = "alpha"\ncriterion = "cost"\nscore = 3\n', ["scores[0]", "duplicate score for alpha:cost ([matrix] gives it)"]),
    ("text-given-twice", MATRIX + '\n[matrix.rationale]\n"alpha:cost" = "x"\n\n[[scores]]\noption = "alpha"\ncriterion = "cost"\nrationale = "y"\n',
     ["matrix.rationale.alpha:cost", "in [[scores]] too"]),
    ("keyed-unknown-cell", MATRIX + '\n[matrix.label]\n"alpha:pace" = "High"\n', ["matrix.label.alpha:pace", "not OPTION:CRITERION"]),
    ("unknown-key", MATRIX.replace("[matrix]\n", "[matrix]\nrows = 2\n"), ["matrix.rows", "unknown key"]),
]


@pytest.mark.parametrize("name,matrix,needles", BAD_TOML, ids=[c[0] for c in BAD_TOML])
def test_bad_matrices_are_one_error_naming_the_key(folder, capsys, name, matrix, needles):
    (folder / "a.toml").write_text(HEAD + matrix)
    one_error(capsys, folder / "a.toml", "a.toml", *needles)


BAD_CSV = [
    ("wrong-row-length", CSV.replace("alpha,3,4", "alpha,3"), ["b.csv:2:", "row alpha", "1 values; the headings name 2 criteria"]),
    ("unknown-option", CSV + "gamma,1,2\n", ["b.csv:4:", "row gamma", "unknown option 'gamma'"]),
    ("decimal-comma", CSV.replace("alpha,3,4", 'alpha,"3,5",4'), ["b.csv:2:", "row alpha, column cost", "must be a number or \"missing\", not '3,5'"]),
    ("empty-cell", CSV.replace("alpha,3,4", "alpha,,4"), ["b.csv:2:", "row alpha, column cost", "not empty (an empty cell is not 0)"]),
    ("nan-text", CSV.replace("alpha,3,4", "alpha,NaN,4"), ["row alpha, column cost", "not 'NaN'"]),
    ("too-big", CSV.replace("alpha,3,4", "alpha,1e400,4"), ["row alpha, column cost", "must be a finite number"]),
    ("full-width-digit", CSV.replace("alpha,3,4", "alpha,\uff13,4"), ["row alpha, column cost", "not '\uff13'"]),
    ("underscore", CSV.replace("alpha,3,4", "alpha,1_0,4"), ["row alpha, column cost", "not '1_0'"]),
    ("off-scale", CSV.replace("alpha,3,4", "alpha,3,9"), ["b.csv:2:", "row alpha, column speed", "score 9 is outside the scale 1..5"]),
    ("unknown-criterion", CSV.replace("option,cost,speed", "option,cost,sped"), ["b.csv:1:", "column 3 ('sped')", "unknown criterion 'sped'"]),
    ("no-option-heading", CSV.replace("option,", "id,"), ["b.csv:1:", 'the first heading must be "option"']),
    ("two-rows", CSV + "alpha,1,1\n", ["b.csv", "row alpha", "option 'alpha' has two rows"]),
    ("unclosed-quote", CSV.replace("alpha,3,4", 'alpha,"3,4'), ["b.csv", "malformed CSV"]),
    ("no-rows", "option,cost,speed\n", ["b.csv", "no rows"]),
    ("binary", "option,cost\x00", ["b.csv", "binary"]),
]


@pytest.mark.parametrize("name,text,needles", BAD_CSV, ids=[c[0] for c in BAD_CSV])
def test_bad_matrix_csvs_are_one_error_naming_the_row_and_column(folder, capsys, name, text, needles):
    (folder / "b.toml").write_text(HEAD + '[matrix]\nfile = "b.csv"\n')
    (folder / "b.csv").write_text(text)
    one_error(capsys, folder / "b.toml", *needles)


def test_a_missing_or_huge_matrix_file_is_one_error(folder, capsys):
    (folder / "b.toml").write_text(HEAD + '[matrix]\nfile = "b.csv"\n')
    one_error(capsys, folder / "b.toml", "b.toml:", "matrix.file", "matrix file 'b.csv' not found")
    with open(folder / "b.csv", "wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: refused before a byte is read
    one_error(capsys, folder / "b.toml", "b.csv", "the limit is 64 MB")


def test_the_cap_on_cells_is_checked_before_the_matrix_is_read(folder, capsys, monkeypatch):
    import appraisal.model.matrix as matrix

    monkeypatch.setattr(matrix, "MAX_CELLS", 3)
    (folder / "a.toml").write_text(HEAD + MATRIX)
    one_error(capsys, folder / "a.toml", "a.toml", "2 options x 2 criteria is 4 cells; the limit is 3")
    (folder / "b.toml").write_text(HEAD + '[matrix]\nfile = "b.csv"\n')
    (folder / "b.csv").write_text("not even read")
    one_error(capsys, folder / "b.toml", "b.toml", "the limit is 3")


def test_a_changed_matrix_csv_is_read_again(folder):
    (folder / "b.toml").write_text(HEAD + '[matrix]\nfile = "b.csv"\n')
    (folder / "b.csv").write_text(CSV)
    assert load(folder / "b.toml").appraisal.cell("alpha", "cost").score == 3
    (folder / "b.csv").write_text(CSV.replace("alpha,3,4", "alpha,2.5,4") + "\n")
    assert load(folder / "b.toml").appraisal.cell("alpha", "cost").score == 2.5


def test_the_schema_describes_the_matrix():
    from appraisal.model.schema import json_schema

    schema = json_schema("appraisal")
    matrix = schema["$defs"]["ScoreMatrix"]
    assert matrix["additionalProperties"] is False
    assert set(matrix["properties"]) == {"criteria", "file", "scores", "rationale", "label", "note", "inferred"}
    row = next(iter(matrix["properties"]["scores"]["patternProperties"].values()))
    assert row["items"]["anyOf"] == [{"type": "number"}, {"const": "missing", "type": "string"}]


def test_saving_never_writes_a_file_too_big_to_read_back(tmp_path, monkeypatch):
    import appraisal.io.write as write

    monkeypatch.setattr(write, "MAX_BYTES", 1000)
    with pytest.raises(Exception, match="MB as TOML, over the"):
        save_appraisal(BHAM, tmp_path / "big.toml", criteria_file=REPO / "criteria" / "birmingham-2013.toml")
    assert not (tmp_path / "big.toml").exists()
