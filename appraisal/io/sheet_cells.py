"""Cells as officers type them -> numbers, weights and missing scores (`40%`, ` 4.0 `, `n/a`), and where a
sheet's header row is (below a title or blank rows)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import AppraisalError

HEADER_WORDS = {"criterion", "criteria"}  # the first cell of the header row
# What an officer writes for a score there is none of, besides our own "missing": the README's rule,
# a score the source does not give is missing (that option gets no total), never 0.
MISSING_WORDS = {"", "n/a", "na", "-", "–", "—"}
# 1,000 / 12,500.5 / 1 000 / 1'000 / 1.000,5: a thousands separator reads as a decimal comma here (1,5 is
# 1.5), so "1,000" would be 1. Refused, not guessed. A leading 0 is never a thousands group (0,400 is 0.4).
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:([,\u00a0\u202f '’])\d{3})(?:\1\d{3})*(?:[.,]\d+)?$|^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")


def key(s: Any) -> str:
    return re.sub(r"\s+", " ", str(s if s is not None else "")).strip().lower()


def is_missing(v: Any) -> bool:
    """A blank, `n/a` or `-` score: missing."""
    return v is None or (isinstance(v, str) and key(v) in MISSING_WORDS)


def read_number(v: Any, what: str) -> tuple[float | None, str | None]:
    """(the number, None), or (None, why not) for a cell meant to hold one."""
    if isinstance(v, bool):
        return None, f"{what} '{v}' is not a number"
    if isinstance(v, (int, float)):
        return float(v), None
    text = str(v).strip()
    if _THOUSANDS.match(text):
        return None, f"{what} '{text}' has a thousands separator (or a decimal comma and point): write it as digits, e.g. 1000 or 1.5"
    try:
        return float(text.replace(",", ".")), None  # a decimal comma, as in much of Europe
    except ValueError:
        return None, f"{what} '{text}' is not a number"


def read_weight(v: Any, percent_format: bool = False) -> tuple[float | None, bool, str | None]:
    """(weight, typed as a percentage, problem). `40%` is 0.4, the number Excel holds for it (so a csv
    saved from Excel and the workbook give the same weights); `percent_format`: a workbook's number
    shown as a percentage."""
    percent = percent_format
    if isinstance(v, str) and v.strip().endswith("%"):
        text = v.strip()[:-1].strip()
        x, why = read_number(text, "weight")
        if why and "thousands" in why:
            return None, True, why.replace(f"'{text}'", f"'{v.strip()}'")
        return (None if x is None else x / 100), True, (f"weight must be a number >= 0, not '{v.strip()}'" if x is None else None)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, False, "weight must be a number >= 0, not ''"
    x, why = read_number(v, "weight")
    if why and "thousands" in why:
        return None, False, why
    if x is None:
        return None, False, f"weight must be a number >= 0, not '{v}'"
    return x, percent, None


def shown(v: Any, percent_format: bool = False) -> str:
    """A cell as the officer sees it (0.4 formatted as a percentage: 40%)."""
    if percent_format and isinstance(v, (int, float)):
        return f"{v * 100:g}%"
    return str(v if v is not None else "").strip()


def find_header(rows: list[list[Any]], file: str) -> tuple[int, str, str] | None:
    """(the header row, the title above it, that title's cell), or None when the sheet is blank.

    The header is the first row whose first cell is Criterion (or Criteria); without one, the first row
    when it has two cells or more (a header naming its first column otherwise, or the long layout)."""
    for r, row in enumerate(rows):
        if row and key(row[0]) in HEADER_WORDS:
            title, where = _first_text(rows[:r])
            return r, title, where
    if rows and sum(1 for x in rows[0] if key(x)) >= 2:
        return 0, "", ""
    text, where = _first_text(rows)
    if not where:
        return None
    raise AppraisalError(f"the header row (Criterion, Weight, options...) must come first; found '{text}' in {where}", file=file)


def _first_text(rows: list[list[Any]]) -> tuple[str, str]:
    from openpyxl.utils import get_column_letter

    for r, row in enumerate(rows):
        for c, x in enumerate(row):
            if key(x):
                return str(x).strip(), f"{get_column_letter(c + 1)}{r + 1}"
    return "", ""
