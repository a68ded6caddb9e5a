"""The workbook every xlsx export is written into, and its cell writers: formats (bold, wrapped, fills by
score level, a quote prefix for text that starts like a formula), sheets that print landscape on A4 one
page wide, text always written as text, numbers as numbers.

Written for size: a 100 x 200 appraisal is ~200,000 cells, so text is neutralised once per distinct
string (names and labels repeat on every row), and formulas made only of ordinary functions skip
XlsxWriter's ~30 regular-expression passes that look for Excel 365's array functions."""

from __future__ import annotations

import math
import re
from io import BytesIO
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellFormulaTuple, CellNumberTuple, CellStringTuple, Worksheet

from .. import __version__
from ..errors import AppraisalError, one_line
from ..io.sheet_text import EXCEL_MAX_TEXT, excel_length, too_long_for_excel
from .safe_text import FORMULA_START, xlsx_text

LEVEL_FILLS = ["#F2A7A7", "#F6C79E", "#EFE39A", "#BFE3A9", "#86D08F"]
A4 = 9  # Excel's paper code


# The functions the exporters' formulas use: none needs the `_xlfn.` prefix Excel 365's functions get.
PLAIN_FUNCTIONS = frozenset({"AND", "COUNTIF", "COUNTIFS", "IF", "IFERROR", "INDEX", "INT", "ISNUMBER", "MATCH", "MAX", "MIN", "NOT",
                             "OR", "ROUND", "SUM", "SUMIF", "SUMIFS", "SUMPRODUCT", "VLOOKUP"})
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")
CACHED_TEXT = 200  # characters: shorter text is neutralised once per distinct string


class Sheet(Worksheet):
    """A worksheet whose formulas of ordinary functions are stored as written (XlsxWriter runs every
    formula through ~30 substitutions for functions like FILTER or XLOOKUP: 3 s for 20,000 formulas);
    any other formula goes through XlsxWriter's own preparation."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if self.use_future_functions or expand_future_functions or formula.startswith("{") or \
                not PLAIN_FUNCTIONS.issuperset(_FUNCTION.findall(formula)):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula[1:] if formula.startswith("=") else formula

    def put_row(self, row: int, cells: list, first: int = 0) -> None:
        """Cells made by `Book.cell` (None: nothing there) into one row from column `first`: what
        write_string and write_number store, without their per-cell checks (~2 us a cell)."""
        placed = [k for k, c in enumerate(cells, first) if c is not None]
        if not placed or self._check_dimensions(row, placed[0]) or self._check_dimensions(row, placed[-1]):
            return
        table = self.table[row]
        for k in placed:
            table[k] = cells[k - first]

    def put_rows(self, first: int, rows: list[list]) -> None:
        """Whole rows of cells made by `Book.cell` (None or "": nothing there), from column A of row `first`
        on, into rows nothing else was written to."""
        if not rows or self._check_dimensions(first, 0) or self._check_dimensions(first + len(rows) - 1, max(map(len, rows)) - 1):
            return
        table = self.table
        for r, cells in enumerate(rows, first):
            table[r] = {k: c for k, c in enumerate(cells) if c}

    def put_formula(self, row: int, col: int, formula: str, fmt, value) -> None:
        """write_formula's result for a formula of ordinary functions, without its three regular-expression
        scans; any other formula through write_formula."""
        if formula.startswith("=") and not self.use_future_functions and PLAIN_FUNCTIONS.issuperset(_FUNCTION.findall(formula)) \
                and not self._check_dimensions(row, col):
            self.table[row][col] = CellFormulaTuple(formula[1:], fmt, value)
        else:
            self.write_formula(row, col, formula, fmt, value)

    # --- writing the cells' XML: XlsxWriter's, byte for byte (tests/test_xlsx_book.py compares), in one
    # loop instead of ~10 calls a cell (1 s for a 100 x 200 appraisal's 200,000 cells).

    def _calculate_spans(self) -> None:
        """Each block of 16 rows' first and last used column (the optional `spans` of a <row>)."""
        lo_col, hi_col, blocks = self.dim_colmin, self.dim_colmax, {}
        for rows in (self.table, self.comments):
            for row_num, cols in rows.items():
                if not cols or not self.dim_rowmin <= row_num <= self.dim_rowmax:
                    continue
                lo, hi = min(cols), max(cols)
                if lo < lo_col or hi > hi_col:  # never for cells put through the checks; kept as XlsxWriter has it
                    used = [c for c in cols if lo_col <= c <= hi_col]
                    if not used:
                        continue
                    lo, hi = min(used), max(used)
                k = row_num // 16
                block = blocks.get(k)
                blocks[k] = (lo, hi) if block is None else (min(block[0], lo), max(block[1], hi))
        self.row_spans = {k: f"{lo + 1}:{hi + 1}" for k, (lo, hi) in blocks.items()}

    def _write_rows(self) -> None:
        if self.constant_memory:
            return super()._write_rows()
        self._calculate_spans()
        write, escape, col_info = self.fh.write, self._escape_data, self.col_info
        heads: dict[int, str] = {}  # column -> '<c r="B'
        styles: dict[int, str] = {}  # id(format) -> ' s="7"'
        plain: dict[int, str] = {}  # column -> the style of a cell without a format: its column's, if any
        plain_rows = self.default_row_height == self.original_row_height and self.excel_version != 2010

        def style_of(fmt) -> str:
            if fmt is None:
                return ""
            hit = styles.get(id(fmt))
            if hit is None:
                hit = styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
            return hit

        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells, info = self.table.get(row_num), self.row_info.get(row_num)
            if not cells and info is None and row_num not in self.comments:
                continue
            span = self.row_spans.get(row_num // 16)
            if not cells:
                self._write_empty_row(row_num, span, info)
                continue
            number = str(row_num + 1)
            if info is None and plain_rows:  # XlsxWriter's <row> for a row with no settings, without its ~3 us
                write(f'<row r="{number}" spans="{span}">' if span else f'<row r="{number}">')
            else:
                self._write_row(row_num, span, info)
            row_style = style_of(info.row_format) if info is not None and info.row_format else None
            parts = []
            for col in sorted(cells):
                cell = cells[col]
                kind = cell.__class__
                if kind not in _FAST_CELLS:
                    write("".join(parts))
                    parts = []
                    super()._write_cell(row_num, col, cell)
                    continue
                fmt = cell.format
                if fmt:
                    style = styles.get(id(fmt)) or style_of(fmt)
                elif row_style is not None:
                    style = row_style
                else:
                    style = plain.get(col)
                    if style is None:
                        style = plain[col] = style_of(col_info[col].column_format) if col in col_info else ""
                head = heads.get(col)
                if head is None:
                    head = heads[col] = f'<c r="{xl_col_to_name(col)}'
                if kind is CellStringTuple:
                    parts.append(f'{head}{number}"{style} t="s"><v>{cell.string}</v></c>')
                elif kind is CellNumberTuple:
                    parts.append(f'{head}{number}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind is CellBlankTuple:
                    parts.append(f'{head}{number}"{style}/>')
                else:
                    value, typed = cell.value, ""
                    if isinstance(value, bool):
                        value, typed = int(value), ' t="b"'
                    elif isinstance(value, str) and value:
                        typed = ' t="e"' if value in _ERROR_CODES else ' t="str"'
                    parts.append(f'{head}{number}"{style}{typed}><f>{escape(cell.formula)}</f><v>{escape(value)}</v></c>')
            parts.append("</row>")
            write("".join(parts))


def plain_formula(formula: str) -> None:
    """Check that a formula (of a family an exporter writes many times, as CellFormulaTuples without its
    leading '=') uses only ordinary functions, which Excel stores as written."""
    if not PLAIN_FUNCTIONS.issuperset(_FUNCTION.findall(formula)):
        raise ValueError(f"not a formula of ordinary functions: {formula}")


_FAST_CELLS = frozenset({CellStringTuple, CellNumberTuple, CellBlankTuple, CellFormulaTuple})
_ERROR_CODES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


class Book:
    """The workbook and its formats."""

    def __init__(self, buf: BytesIO, source: str = ""):
        self.source = source  # the file exported, for error messages
        self.wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        self._texts: dict[str, tuple[str, bool]] = {}
        f = self.wb.add_format
        self.bold = f({"bold": True})
        self.head = f({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
        self.grey = f({"font_color": "#808080"})
        self.title = f({"bold": True, "font_size": 12})
        self.wrap = f({"text_wrap": True, "valign": "top"})
        self.top = f({"valign": "top"})  # beside wrapped text
        self.bold_top = f({"bold": True, "valign": "top"})  # a label beside wrapped text
        self.pct = f({"num_format": "0.0%"})
        self.pct_bold = f({"num_format": "0.0", "bold": True})
        self.bold_num = f({"bold": True, "num_format": "General"})
        self.total = f({"bold": True, "num_format": "#,##0.0#"})  # weighted totals: 2.32, not 2.31578947368
        self.points = f({"num_format": "0.0"})  # points of Weighted %
        self.decimal = f({"num_format": "0.00"})
        self.greyed = f({"font_color": "#A6A6A6", "bg_color": "#F2F2F2"})  # excluded options, criteria switched off (as in HTML)
        self.text = f({})
        self.quoted = f({"quote_prefix": True})  # text that starts like a formula stays text when edited
        self.fills = [f({"bg_color": c}) for c in LEVEL_FILLS]
        self._quoted: dict[int, Any] = {}

    def quoted_like(self, fmt):
        """`fmt` with Excel's quote prefix (one format per base format)."""
        if fmt is None:
            return self.quoted
        if id(fmt) not in self._quoted:
            props = {k: v for k, v in {"bold": fmt.bold, "italic": fmt.italic, "text_wrap": fmt.text_wrap, "font_color": fmt.font_color,
                                       "indent": fmt.indent, "bg_color": fmt.bg_color,
                                       "valign": "top" if fmt.text_v_align == 1 else None}.items() if v}
            self._quoted[id(fmt)] = self.wb.add_format({**props, "quote_prefix": True})
        return self._quoted[id(fmt)]

    def cell(self, value: Any, fmt=None):
        """The cell `cell_value` writes, for `Sheet.put_row`: a number as a number, anything else as text."""
        if value.__class__ is str:
            return self.text_cell(value, fmt)
        if isinstance(value, bool) or value is None:
            return self.text_cell("" if value is None else ("yes" if value else "no"), fmt)
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                return self.text_cell("", fmt)
            return CellNumberTuple(value, fmt)
        return self.text_cell(str(value), fmt)

    def text_cell(self, value: str, fmt=None):
        shown, live = self.cell_text(value)
        return CellStringTuple(self.wb.str_table._get_shared_string_index(shown), self.quoted_like(fmt) if live else fmt)

    def cell_text(self, value: str) -> tuple[str, bool]:
        """The text as a workbook holds it, and whether it starts like a formula (cached for short text)."""
        hit = self._texts.get(value)
        if hit is None:
            shown = xlsx_text(value)
            if too_long_for_excel(shown):  # XlsxWriter would cut it, silently
                start = one_line(shown[:40])
                raise AppraisalError(f"a text of {excel_length(shown):,} characters ('{start}...'); an Excel cell holds at most "
                                     f"{EXCEL_MAX_TEXT:,} (csv, md, html and json keep it whole); nothing written", file=self.source or None)
            hit = (shown, shown.lstrip("'").startswith(FORMULA_START))
            if len(value) <= CACHED_TEXT:
                self._texts[value] = hit
        return hit

    def sheet(self, name: str, header_rows: int = 1):
        ws = self.wb.add_worksheet(name, worksheet_class=Sheet)
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)  # one page wide, as many long as it takes
        ws.repeat_rows(0, header_rows - 1)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_header("&L&A")
        ws.set_footer("&Lappraisal " + __version__ + "&RPage &P of &N")
        return ws


def text(ws, row: int, col: int, value: str, book: Book, fmt=None) -> None:
    """Text from the appraisal, always as text (never a formula, a number or a link): control characters
    a workbook cannot hold shown as signs, and text that starts like a formula marked with Excel's quote
    prefix, so editing the cell keeps it text."""
    shown, live = book.cell_text(value if type(value) is str else str(value))
    ws.write_string(row, col, shown, (book.quoted_like(fmt) if live else fmt))


def cell_value(ws, row: int, col: int, value: Any, book: Book, fmt=None) -> None:
    """A number as a number; anything else as text."""
    if isinstance(value, bool) or value is None:
        text(ws, row, col, "" if value is None else ("yes" if value else "no"), book, fmt)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            text(ws, row, col, "", book, fmt)
        else:
            ws.write_number(row, col, value, fmt)
    else:
        text(ws, row, col, value, book, fmt)


LINE_PT = 15  # a row's height per line of wrapped text, in points (11-point Calibri)
MAX_ROW_PT = 409  # Excel's tallest row


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide, erring long (a column's width is
    in widths of '0' in Excel's font; LibreOffice's substitute fonts run wider)."""
    per_line = max(1, int(width * 0.85))
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def fit_row(ws, row: int, texts: list[tuple[str, float]]) -> None:
    """A row tall enough for its wrapped texts ((text, column width) pairs), so printed rows never overlap
    (LibreOffice and Excel print a row at its stored height)."""
    lines = max((text_lines(t, w) for t, w in texts if t), default=1)
    if lines > 1:
        ws.set_row(row, min(MAX_ROW_PT, LINE_PT * lines))


class Rows:
    """Appends rows to a sheet, numbers as numbers."""

    def __init__(self, book: Book, ws):
        self.book, self.ws, self.r = book, ws, 0

    def add(self, values: list, fmt=None, formats: dict[int, Any] | None = None) -> int:
        cell, formats = self.book.cell, formats or {}
        self.ws.put_row(self.r, [cell(v, formats.get(k, fmt)) for k, v in enumerate(values)])
        self.r += 1
        return self.r - 1

    def title(self, words: str) -> None:
        self.r += 1
        self.add([words], self.book.title)

    def blank(self) -> None:
        self.r += 1
