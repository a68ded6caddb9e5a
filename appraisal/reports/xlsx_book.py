"""The workbook every xlsx export is written into, and its cell writers: formats (bold, wrapped, fills by
score level, a quote prefix for text that starts like a formula), sheets that print landscape on A4 one
page wide, text always written as text, numbers as numbers."""

from __future__ import annotations

import math
from io import BytesIO
from typing import Any

import xlsxwriter

from .. import __version__
from .safe_text import FORMULA_START, xlsx_text

LEVEL_FILLS = ["#F2A7A7", "#F6C79E", "#EFE39A", "#BFE3A9", "#86D08F"]
A4 = 9  # Excel's paper code


class Book:
    """The workbook and its formats."""

    def __init__(self, buf: BytesIO):
        self.wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        f = self.wb.add_format
        self.bold = f({"bold": True})
        self.head = f({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
        self.grey = f({"font_color": "#808080"})
        self.title = f({"bold": True, "font_size": 12})
        self.wrap = f({"text_wrap": True, "valign": "top"})
        self.pct = f({"num_format": "0.0%"})
        self.pct_bold = f({"num_format": "0.0", "bold": True})
        self.bold_num = f({"bold": True, "num_format": "General"})
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
                                       "indent": fmt.indent, "bg_color": fmt.bg_color}.items() if v}
            self._quoted[id(fmt)] = self.wb.add_format({**props, "quote_prefix": True})
        return self._quoted[id(fmt)]

    def sheet(self, name: str, header_rows: int = 1):
        ws = self.wb.add_worksheet(name)
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
    value = xlsx_text(str(value))
    live = value.lstrip("'").startswith(FORMULA_START)
    ws.write_string(row, col, value, (book.quoted_like(fmt) if live else fmt))


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


class Rows:
    """Appends rows to a sheet, numbers as numbers."""

    def __init__(self, book: Book, ws):
        self.book, self.ws, self.r = book, ws, 0

    def add(self, values: list, fmt=None, formats: dict[int, Any] | None = None) -> int:
        for k, v in enumerate(values):
            cell_value(self.ws, self.r, k, v, self.book, (formats or {}).get(k, fmt))
        self.r += 1
        return self.r - 1

    def title(self, words: str) -> None:
        self.r += 1
        self.add([words], self.book.title)

    def blank(self) -> None:
        self.r += 1
