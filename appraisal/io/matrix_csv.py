"""A score matrix in a CSV beside the appraisal ([matrix] file = "...") -> `Rows`, in one array conversion.

The layout: a header `option,<criterion id>,<criterion id>,...`, then one row per option, `<option
id>,<score>,...`; a score is a number or `missing` (never empty: an empty cell is an error, not 0). A
measured criterion's column holds measures. Comma-separated, UTF-8 (a BOM is fine), quoting as Excel's.
Errors name the file, the line, and the row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import AppraisalError
from ..model.files import MISSING
from ..model.matrix import MAX_CELLS, WHERE, Rows, check_finite
from .read import read_text

MAX_CSV_BYTES = 64 * 1024 * 1024  # 2,000,000 cells of up to ~30 characters
# What a value may hold, character by character: digits, sign, point, exponent, and "missing". Anything
# else (nan, inf, 1_000, full-width digits, a decimal comma) is found and named by the careful pass.
_PLAIN = frozenset("0123456789.+-eE missing")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII digits: \d takes any script's
OPTION_HEADING = "option"


@dataclass(frozen=True)
class MatrixCsv:
    rows: Rows
    path: Path
    lines: dict[str, int]  # option id -> the line its row starts on

    def locate(self, e: AppraisalError) -> AppraisalError:
        """An error about [matrix.scores] (key ('matrix', 'scores', option[, column])) or its columns,
        as a place in the CSV."""
        key = e.key
        name = str(self.path)
        if key[:2] == ("matrix", "criteria") and len(key) == 3 and isinstance(key[2], int):
            j = key[2]
            return AppraisalError(e.message, key=(f"column {j + 2} ('{self.rows.criteria[j]}')",), file=name, line=1)
        if key[:2] == WHERE and len(key) >= 3:
            oid = str(key[2])
            where = f"row {oid}" + (f", column {self.rows.criteria[key[3]]}" if len(key) > 3 and isinstance(key[3], int) else "")
            return AppraisalError(e.message, key=(where,), file=name, line=self.lines.get(oid))
        return e


def _fail(message: str, path: Path, line: int | None, where: str = "") -> AppraisalError:
    return AppraisalError(message, key=(where,) if where else (), file=str(path), line=line)


def read_matrix_csv(path: Path) -> MatrixCsv:
    text = read_text(path, limit=MAX_CSV_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        criteria = [h.strip() for h in header[1:]]
        if not header or header[0].strip().lower() != OPTION_HEADING:
            raise _fail(f'the first heading must be "{OPTION_HEADING}" (then the criterion ids), not {header[0][:40]!r}' if header else
                        "the first line must be the headings", path, 1)
        if not criteria:
            raise _fail("no criteria: the headings after \"option\" are the criterion ids of the columns", path, 1)
        for j, c in enumerate(criteria):
            if not c:
                raise _fail("empty heading: each column after \"option\" is headed by a criterion id", path, 1, f"column {j + 2}")
        m = len(criteria)
        ids: list[str] = []
        values: list[list[str]] = []
        lines: dict[str, int] = {}
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            oid = row[0].strip()
            if len(row) != m + 1:
                raise _fail(f"{len(row) - 1} values; the headings name {m} criteria", path, line, f"row {oid or len(ids) + 1}")
            if (len(ids) + 1) * m > MAX_CELLS:
                raise _fail(f"more than {MAX_CELLS:,} cells; that is the limit", path, line)
            if not oid:
                raise _fail("no option id in the first column", path, line)
            lines.setdefault(oid, line)
            ids.append(oid)
            values.append(row[1:])
    except csv.Error as e:
        raise _fail(f"malformed CSV: {e}", path, reader.line_num or None) from None
    if not ids:
        raise _fail("no rows: one row per option follows the headings", path, None)
    return MatrixCsv(Rows(tuple(ids), tuple(criteria), _numbers(values, ids, criteria, lines, path)), path, lines)


def _numbers(values: list[list[str]], ids: list[str], criteria: list[str], lines: dict[str, int], path: Path) -> np.ndarray:
    """The values as floats, NaN where "missing": one conversion when every value is plain, else value by
    value to name the first that is not a number."""
    told: list[tuple[int, int]] = []
    plain = True
    for r, row in enumerate(values):
        joined = "".join(row)
        if not _PLAIN.issuperset(joined):
            plain = False
            break
        if "g" in joined:  # only "missing" has one
            for j, v in enumerate(row):
                if v.strip() == MISSING:
                    row[j] = "nan"
                    told.append((r, j))
    if plain:
        try:
            out = np.array(values, dtype=float)
        except ValueError:
            pass
        else:
            mask = np.zeros(out.shape, dtype=bool)
            if told:
                mask[tuple(np.array(told).T)] = True
            _finite(out, mask, ids, criteria, lines, path)
            return out
    out = np.empty((len(values), len(criteria)))
    mask = np.zeros(out.shape, dtype=bool)
    replaced = set(told)  # "missing" already turned into "nan" above
    for r, row in enumerate(values):
        for j, v in enumerate(row):
            t = v.strip()
            if t == MISSING or (r, j) in replaced:
                out[r, j] = np.nan
                mask[r, j] = True
            elif _NUMBER.fullmatch(t):
                out[r, j] = float(t)
            else:
                what = f"not {t[:40]!r}" if t else "not empty (an empty cell is not 0)"
                raise _fail(f'must be a number or "{MISSING}", {what}', path, lines.get(ids[r]), f"row {ids[r]}, column {criteria[j]}")
    _finite(out, mask, ids, criteria, lines, path)
    return out


def _finite(out: np.ndarray, told: np.ndarray, ids, criteria, lines, path: Path) -> None:
    try:
        check_finite(out, told, ids, criteria)
    except AppraisalError as e:
        oid, j = e.key[2], e.key[3]
        raise _fail(e.message, path, lines.get(str(oid)), f"row {oid}, column {criteria[j]}") from None  # type: ignore[index]
