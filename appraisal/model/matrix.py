"""A score matrix as read ([matrix.scores] rows, or a CSV's) -> one float array, checked as a whole.

Errors name the cell by its key path in the TOML layout, ('matrix', 'scores', option, column); the loader
turns that into a row and column of the CSV when the rows came from one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import AppraisalError
from .files import MISSING

MAX_CELLS = 2_000_000  # options x criteria: 16 MB of scores, a few seconds of sensitivity analysis per 10^6 cells
WHERE = ("matrix", "scores")


@dataclass(frozen=True, eq=False)
class Rows:
    """options[r]'s scores in the columns criteria[0..]: values[r, c], NaN where the file says "missing"."""

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    values: np.ndarray  # (rows, columns) float


def _show(v: object) -> str:
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, (list, tuple)):
        return "an array"
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def check_cells(n: int, m: int) -> None:
    if n * m > MAX_CELLS:
        raise AppraisalError(f"{n:,} options x {m:,} criteria is {n * m:,} cells; the limit is {MAX_CELLS:,}")


def rows_from_toml(scores: Mapping[str, object], criteria: Sequence[str]) -> Rows:
    """[matrix.scores] as tomllib read it: option id -> list of numbers and "missing"."""
    m = len(criteria)
    check_cells(len(scores), m)
    rows: list[list] = []
    missing: list[tuple[int, int]] = []
    for r, (oid, row) in enumerate(scores.items()):
        if not isinstance(row, (list, tuple)):
            raise AppraisalError(f'must be an array of scores (numbers, or "{MISSING}"), not {_show(row)}', key=(*WHERE, oid))
        if len(row) != m:
            raise AppraisalError(f"has {len(row)} values; [matrix] criteria names {m} columns", key=(*WHERE, oid))
        kinds = set(map(type, row))
        if not kinds <= {float, int}:
            row = list(row)
            for j, v in enumerate(row):
                if type(v) in (float, int):
                    continue
                if v != MISSING:
                    raise AppraisalError(f'must be a number or "{MISSING}", not {_show(v)}', key=(*WHERE, oid, j))
                row[j] = np.nan
                missing.append((r, j))
        rows.append(row)
    try:
        values = np.array(rows, dtype=float).reshape(len(rows), m)
    except OverflowError:  # an integer past 1e308
        for r, (oid, row) in enumerate(scores.items()):
            for j, v in enumerate(row):  # type: ignore[arg-type]
                if isinstance(v, int) and abs(v) > 1e300:
                    raise AppraisalError(f"{_show(v)} is too large a number", key=(*WHERE, oid, j)) from None
        raise
    told = np.zeros(values.shape, dtype=bool)
    if missing:
        told[tuple(np.array(missing).T)] = True
    check_finite(values, told, tuple(scores), criteria)
    return Rows(tuple(scores), tuple(criteria), values)


def check_finite(values: np.ndarray, told_missing: np.ndarray, options: Sequence[str], criteria: Sequence[str]) -> None:
    """NaN only where the file said "missing"; no infinity."""
    bad = ~np.isfinite(values) & ~told_missing
    if bad.any():
        r, j = map(int, np.argwhere(bad)[0])
        v = values[r, j]
        raise AppraisalError(f"must be a finite number (or \"{MISSING}\"), not {'nan' if v != v else ('inf' if v > 0 else '-inf')}",
                             key=(*WHERE, options[r], j))


def cell_key(text: str, oidx: Mapping[str, int], cidx: Mapping[str, int], key: tuple) -> tuple[int, int]:
    """'option:criterion' -> (i, j), or an error naming `key`."""
    option, sep, criterion = text.partition(":")
    if not sep or option not in oidx or criterion not in cidx:
        raise AppraisalError(f"'{text}' is not OPTION:CRITERION of this appraisal", key=key)
    return oidx[option], cidx[criterion]
