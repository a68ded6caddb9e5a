"""Text in a spreadsheet cell <-> text in the appraisal: the neutralisation every exporter applies so a
name starting with `=` is never a formula, undone exactly by `appraisal import` (OWASP "CSV injection");
and the control characters a workbook cannot hold, shown as visible symbols."""

from __future__ import annotations

import re

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
# (the full-width forms too, in East Asian locales).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _looks_live(s: str) -> bool:
    """Whether the text, after any leading apostrophes, starts like a formula."""
    rest = s.lstrip("'")
    return bool(rest) and rest.startswith(FORMULA_START)


def neutralise(s: str) -> str:
    """A text cell for csv: a leading apostrophe before anything a spreadsheet would run (`=1+1` ->
    `'=1+1`). Text that already starts with apostrophes before such a character gets one more, so
    `unneutralise` restores every text exactly."""
    return "'" + s if _looks_live(s) else s


def unneutralise(s: str) -> str:
    """The inverse of `neutralise`: what `appraisal import` reads from a csv cell."""
    return s[1:] if s.startswith("'") and _looks_live(s) else s


def is_formula_like(s: str) -> bool:
    return _looks_live(s) and not s.startswith("'")


# Characters an xlsx file cannot hold at all (XML 1.0): shown as their Unicode control pictures.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_visible(s: str) -> str:
    """ESC -> U+241B SYMBOL FOR ESCAPE, and so on, for the control characters a workbook cannot hold
    (tab, newline and carriage return stay)."""
    return _XLSX_ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), s)


def csv_text(s: str) -> str:
    """A text cell for csv: control characters shown (a NUL or ESC has no business in a sheet), then neutralised."""
    return neutralise(sheet_visible(s))


def xlsx_text(s: str) -> str:
    """A text cell or comment for xlsx: control characters shown, and line breaks as line feeds (a
    workbook is XML, whose readers turn CR and CRLF into LF anyway)."""
    return sheet_visible(s).replace("\r\n", "\n").replace("\r", "\n")


# Excel's most characters in a cell (UTF-16 code units: an emoji counts two). XlsxWriter cuts longer text
# silently, so the xlsx export refuses it and `appraisal import` refuses a cell at the limit (probably cut).
EXCEL_MAX_TEXT = 32_767


def excel_length(s: str) -> int:
    """Length in UTF-16 code units, as Excel counts it."""
    return len(s) if s.isascii() else len(s.encode("utf-16-le")) // 2


def too_long_for_excel(s: str) -> bool:
    return len(s) > EXCEL_MAX_TEXT // 2 and excel_length(s) > EXCEL_MAX_TEXT
