"""The xlsx exports' fast cell writing (reports/xlsx_book.py) writes what XlsxWriter's own writing writes,
byte for byte, and the exports read back the same as before it (values, formulas, cached values, formats)."""

from __future__ import annotations

import zipfile
from io import BytesIO

import xlsxwriter
from openpyxl import load_workbook

from appraisal.reports.xlsx_book import Book, Sheet

FORMULAS = [
    ('=IF(C4="yes",D4/SUMIF($C$4:$C$9,"yes",$D$4:$D$9),0)', 0.25),
    ('=IFERROR(VLOOKUP(F4,Scale!$A$2:$B$6,2,FALSE),"")', "Medium"),
    ('=IF(ISNUMBER(F9),"a <b> & c","missing")', "a <b> & c"),
    ("=SUM(A1:A3)", ""),
    ("=1/0", "#DIV/0!"),
    ("=AND(TRUE,FALSE)", False),
    ("=FILTER(A1:A3,A1:A3>1)", 2),  # an Excel 365 function: XlsxWriter's own preparation (and a dynamic array)
    ("=XLOOKUP(1,A1:A3,B1:B3)", 1),
    ("=CONCAT(A1,B1)", "ab"),  # a function outside the plain list: through write_formula
]


def _fill(wb, ws, fast: bool) -> None:
    bold, wrap = wb.add_format({"bold": True}), wb.add_format({"text_wrap": True, "num_format": "0.0"})
    col_fmt, row_fmt = wb.add_format({"italic": True}), wb.add_format({"font_color": "#808080"})
    ws.set_column(2, 2, 12, col_fmt)
    ws.set_column(3, 4, 20)
    ws.set_row(5, 30, row_fmt)
    ws.set_row(40, 40)  # a row with a height and nothing in it
    texts = ["name", "", "=1+1", "a & b < c > d \"e\"", "tab\there", "_x0041_ x", " lead", "line\nbreak", "é ü 中文 🙂"]
    for r, t in enumerate(texts):
        ws.write_string(r, 0, t, bold if r % 2 else None)
        ws.write_number(r, 1, [3, 2.5, -0.1, 1e-20, 12345678901234567890, 0.1 + 0.2, 7, 0, 1 / 3][r], wrap if r % 3 == 0 else None)
        ws.write_number(r, 2, r)  # its column's format
    for r, (f, v) in enumerate(FORMULAS):
        fmt = bold if r % 2 else None
        if fast:
            ws.put_formula(r, 5, f, fmt, v)
        else:
            ws.write_formula(r, 5, f, fmt, v)
    ws.write_blank(3, 6, None, wrap)
    ws.write_blank(4, 6, None)  # no format: no cell
    ws.write_boolean(6, 6, True)
    ws.write_rich_string(7, 6, "plain ", bold, "bold", " end")
    ws.write_url(8, 6, "https://example.org", string="link")
    ws.write_comment(20, 3, "a comment & <more>")  # a row with a comment only
    ws.write_string(30, 200, "far")
    for r in range(100, 140):
        ws.write_number(r, r % 7, r * 1.5)


def _sheet_xml(fast: bool) -> bytes:
    buf = BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet("S", worksheet_class=Sheet if fast else None)
    assert isinstance(ws, Sheet) == fast
    _fill(wb, ws, fast)
    wb.close()
    return zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml")


def test_fast_sheet_writes_xlsxwriters_xml_byte_for_byte():
    fast, plain = _sheet_xml(True), _sheet_xml(False)
    assert b"_xlfn._xlws.FILTER(" in fast and b"spans=\"4:201\"" in fast
    assert fast == plain


def test_put_row_and_put_rows_store_what_write_string_and_write_number_store():
    def book_xml(put: bool) -> bytes:
        buf = BytesIO()
        book = Book(buf)
        ws = book.sheet("S")
        values = [["Option", "=cmd|' /C calc'!A0", 3.5, "", None, True, float("nan")], ["x", "+1", 0, "\x1b[2J", 2, False, 1e300]]
        fmts = [None, book.bold, book.wrap, None, book.wrap, None, book.pct]
        if put:
            ws.put_row(0, [book.cell(v, f) for v, f in zip(values[0], fmts)])
            ws.put_rows(1, [[book.cell(v, f) for v, f in zip(values[1], fmts)]])
        else:
            from appraisal.reports.xlsx_book import cell_value

            for r, row in enumerate(values):
                for k, (v, f) in enumerate(zip(row, fmts)):
                    cell_value(ws, r, k, v, book, f)
        book.wb.close()
        z = zipfile.ZipFile(buf)
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/sharedStrings.xml")

    assert book_xml(True) == book_xml(False)


def test_text_cells_starting_like_a_formula_stay_text_through_the_cache():
    buf = BytesIO()
    book = Book(buf)
    ws = book.sheet("S")
    for r in range(3):  # the same strings again: served from the cache
        ws.put_row(r, [book.cell("=1+1"), book.cell("'@x"), book.cell("plain"), book.cell("\x07bell")])
    book.wb.close()
    cells = [[c for c in row] for row in load_workbook(BytesIO(buf.getvalue()))["S"].iter_rows()]
    for row in cells:
        assert [c.value for c in row] == ["=1+1", "'@x", "plain", "␇bell"]
        assert [c.data_type for c in row] == ["s"] * 4
        assert [c.quotePrefix for c in row] == [True, True, False, False]
