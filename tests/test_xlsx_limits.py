"""Excel's 32,767 characters a cell: the xlsx export refuses longer text (XlsxWriter would cut it without a
word), naming its cell, and writes nothing; `appraisal import` refuses a cell at the limit (probably cut)
rather than read it back as whole."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from appraisal.errors import AppraisalError
from appraisal.io.sheet_text import EXCEL_MAX_TEXT, excel_length
from appraisal.reports.xlsx_book import Book

from .conftest import REPO, run_cli
from .test_injection import NAMES, hostile_file

CRITERIA = REPO / "criteria" / "birmingham-2013.toml"


def test_excel_counts_utf16_units():
    assert excel_length("abc") == 3
    assert excel_length("é中") == 2
    assert excel_length("🙂") == 2


@pytest.mark.parametrize("rationale, length", [("Long. " * 333_334, 2_000_003), ("🙂" * 16_384, 32_768), ("x" * 32_768, 32_768)],
                         ids=["two-million", "emoji-count-two", "one-over"])
def test_export_refuses_a_rationale_longer_than_a_cell_holds(tmp_path, rationale, length):
    path = hostile_file(tmp_path, NAMES, rationale="PLACEHOLDER")
    path.write_text(path.read_text(encoding="utf-8").replace("PLACEHOLDER", rationale.strip()), encoding="utf-8")  # emoji as UTF-8
    out = tmp_path / "out.xlsx"
    r = run_cli("export", str(path), "-o", str(out))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert f"option '{NAMES[0]}', criterion 'Delivers cultural change': the rationale is {length:,} characters" in lines[0]
    assert "at most 32,767" in lines[0] and "nothing written" in lines[0]
    assert not out.exists() and not list(tmp_path.glob("*.xlsx*"))


def test_export_writes_a_rationale_at_the_limit_whole(tmp_path):
    words = ("A fair reason. " * 3000)[:EXCEL_MAX_TEXT - 1] + "!"
    assert len(words) == EXCEL_MAX_TEXT
    path = hostile_file(tmp_path, NAMES, rationale=words)
    r = run_cli("export", str(path), "-o", str(tmp_path / "out.xlsx"))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(tmp_path / "out.xlsx")
    assert words in [row[5] for row in wb["Rationale"].iter_rows(values_only=True)]
    assert any(c.comment is not None and c.comment.text == words for row in wb["Scores"].iter_rows() for c in row)


def test_any_other_text_too_long_for_a_cell_is_refused_not_cut():
    book = Book(BytesIO(), "plan.toml")
    assert book.cell("x" * EXCEL_MAX_TEXT).string is not None  # at the limit: written
    with pytest.raises(AppraisalError, match=r"a text of 40,000 characters \('xxxx.*at most 32,767.*nothing written"):
        book.cell("x" * 40_000)


def _exported(tmp_path):
    r = run_cli("export", str(REPO / "scenarios" / "birmingham-2013.toml"), "-o", str(tmp_path / "out.xlsx"), "--samples", "50")
    assert r.returncode == 0, r.stderr
    return load_workbook(tmp_path / "out.xlsx")


def test_import_refuses_a_rationale_cut_at_the_limit(tmp_path):
    wb = _exported(tmp_path)
    wb["Rationale"]["F5"] = "y" * EXCEL_MAX_TEXT  # what XlsxWriter left of a longer rationale
    wb.save(tmp_path / "cut.xlsx")
    r = run_cli("import", str(tmp_path / "cut.xlsx"), "-o", str(tmp_path / "back.toml"), "--criteria", str(CRITERIA))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'cut.xlsx'}: Rationale!F5: text of 32,767 characters, the most an Excel cell holds: it was probably cut "
        "when the workbook was written; put the whole text in the appraisal file, or shorten it"]
    assert not (tmp_path / "back.toml").exists()


def test_import_refuses_a_cell_or_comment_at_the_limit_on_the_scores_sheet(tmp_path):
    from openpyxl.comments import Comment

    for cell, change in (("A5", lambda ws: ws.__setitem__("A5", "z" * EXCEL_MAX_TEXT)),
                         ("F6", lambda ws: setattr(ws["F6"], "comment", Comment("🙂" * (EXCEL_MAX_TEXT // 2 + 1), "x")))):
        (tmp_path / cell).mkdir()
        wb = _exported(tmp_path / cell)
        del wb["Rationale"]  # the comments are the rationales then
        change(wb["Scores"])
        wb.save(tmp_path / "cut.xlsx")
        r = run_cli("import", str(tmp_path / "cut.xlsx"), "-o", str(tmp_path / "back.toml"), "--criteria", str(CRITERIA), "--force")
        assert r.returncode == 2 and f"Scores!{cell}: " in r.stderr and "probably cut" in r.stderr, r.stderr
        assert not (tmp_path / "back.toml").exists()


def test_import_reads_long_text_under_the_limit_whole(tmp_path):
    wb = _exported(tmp_path)
    words = "w" * (EXCEL_MAX_TEXT - 1)
    wb["Rationale"]["F5"] = words
    wb.save(tmp_path / "long.xlsx")
    r = run_cli("import", str(tmp_path / "long.xlsx"), "-o", str(tmp_path / "back.toml"), "--criteria", str(CRITERIA))
    assert r.returncode == 0, r.stderr
    assert words in (tmp_path / "back.toml").read_text()
