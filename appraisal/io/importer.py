"""`appraisal import`: an officer's spreadsheet (criteria as rows, options as columns, optional weight
column) into an appraisal file. Every problem is reported at once, with its cell reference."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import AppraisalError, one_line, unknown
from ..paths import data_root
from ..model import Appraisal, AppraisalFile, CriteriaFile, build_appraisal
from ..model.limits import cost_problem, weight_problem
from .load import load_criteria
from .read import MAX_BYTES, read_bytes, read_text
from .sheet_cells import HEADER_WORDS, find_header, is_missing, key, read_number, read_weight, shown
from .sheet_criteria import MadeCriteria, make_criteria, unique_ids
from .sheet_layout import COST_ROW, FOOTER_ROWS, ID_ROW, IN_RANKING_ROW, OFFICER_FOOTERS, RATIONALE_HEAD, TOP_WEIGHT_ROW, VALUE_FOR_MONEY_ROWS
from .sheet_text import EXCEL_MAX_TEXT, excel_length, unneutralise

IGNORED_COLUMNS = {"share", "label", "#", ""}
MAX_ROWS = 2_000  # criteria, plus headers and footers; a real appraisal has tens
MAX_COLUMNS = 200  # options, plus the label columns
MAX_UNPACKED = 25 * 1024 * 1024  # bytes a workbook may unpack to (its parts' declared sizes), checked before it is read
MAX_PARTS = 1_000  # files inside a workbook; ours has about 20
MAX_LISTED = 20  # problems printed; the count says how many more
MAX_RATIONALE_ROWS = 100_000  # an exported workbook's Rationale sheet: a row per cell


class ImportErrors(Exception):
    """Several problems, each with its cell; nothing was written.

    Printed as one `error:` line saying how many, then the problems, indented, one a line (the first
    MAX_LISTED, then how many more), so a script can still read the first line alone."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        super().__init__(f"{len(problems)} problems")
        self.file, self.problems = file, problems

    def lines(self) -> list[str]:
        n = len(self.problems)
        head = f"error: {one_line(self.file)}: {n:,} problem{'s' if n != 1 else ''}; nothing written"
        shown = [f"  {ref}: {one_line(msg)}" if ref else f"  {one_line(msg)}" for ref, msg in self.problems[:MAX_LISTED]]
        more = [f"  ... and {n - MAX_LISTED:,} more"] if n > MAX_LISTED else []
        return [head, *shown, *more]


@dataclass
class Grid:
    rows: list[list[Any]]
    comments: dict[tuple[int, int], str]  # (row, col), 0-based
    # From an exported workbook's Rationale sheet: (option name, criterion name) -> (rationale, note),
    # exact where a comment (rationale, blank line, note) cannot tell a paragraph break from the note.
    texts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)  # numbers a workbook shows as percentages (0.4 as 40%)
    title: str = ""  # an exported workbook's title, from its Provenance sheet
    note: str = ""  # which sheet was read, when not the first


def ref(r: int, c: int) -> str:
    return f"{get_column_letter(c + 1)}{r + 1}"


def read_grid(path: Path, sheet: str | None) -> Grid:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise AppraisalError("import reads .csv or .xlsx files", file=str(path))


def _too_big(path: Path, rows: int, columns: int, line: int | None = None, what: str = "") -> None:
    if rows > MAX_ROWS:
        raise AppraisalError(f"{what}more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}", file=str(path), line=line)
    if columns > MAX_COLUMNS:
        raise AppraisalError(f"{what}{columns:,} columns; the limit is {MAX_COLUMNS:,}", file=str(path), line=line)


def _read_csv(path: Path) -> Grid:
    text = read_text(path)
    # The delimiter is the one after the first heading ("Criterion", below any title row); quoting is always
    # Excel's. (csv's Sniffer guessed the quoting from the names, and a name holding quotes and a newline fooled it.)
    m = (re.search(r'^[ \t]*"?criteri(?:on|a)"?[ ]*([,;\t])', text[:65536], re.IGNORECASE | re.MULTILINE)
         or re.match(r'\s*(?:"[^"]*"|[^",;\t\r\n]*)\s*([,;\t])', text))
    delimiter = m.group(1) if m else ","
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            # Cells the exports neutralised ('=1+1) read back as written (=1+1): text here, never a formula.
            rows.append([unneutralise(x) for x in row])
            _too_big(path, len(rows), len(row), reader.line_num)
    except csv.Error as e:
        raise AppraisalError(f"malformed CSV: {e}", file=str(path), line=reader.line_num) from None
    return Grid(rows, {})


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    from openpyxl import load_workbook

    data = io.BytesIO(read_bytes(path, limit=MAX_BYTES))
    name = str(path)
    # A workbook is a zip: check what it says it unpacks to before anything inflates it (a zip bomb
    # of 1 MB can unpack to gigabytes). Reading never yields more than a part's declared size.
    try:
        parts = zipfile.ZipFile(data).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise AppraisalError("not a readable workbook (not an .xlsx zip file)", file=name) from None
    unpacked = sum(p.file_size for p in parts)
    if len(parts) > MAX_PARTS:
        raise AppraisalError(f"not a readable workbook ({len(parts):,} parts; the limit is {MAX_PARTS:,})", file=name)
    if unpacked > MAX_UNPACKED:
        raise AppraisalError(f"workbook unpacks to {unpacked / 1e6:,.0f} MB uncompressed; the limit is {MAX_UNPACKED // (1024 * 1024)} MB", file=name)
    try:
        wb = load_workbook(data, data_only=False)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise AppraisalError(f"not a readable workbook: {type(e).__name__}: {e}", file=name) from None
    if sheet and sheet not in wb.sheetnames:
        raise AppraisalError(f"no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})", file=name)
    ws = wb[sheet] if sheet else (wb.worksheets[0] if wb.worksheets else None)
    if ws is None or not hasattr(ws, "iter_rows"):
        raise AppraisalError(f"'{sheet or 'the first sheet'}' is not a worksheet", file=name)
    # iter_rows visits every cell up to the last one used: one cell at XFD1048576 would be 17 billion
    _too_big(path, ws.max_row, ws.max_column)
    note = ""
    if not sheet and not _criterion_header(ws):  # a cover sheet first: the first sheet with the header
        later = next((w for w in wb.worksheets[1:] if w.max_row <= MAX_ROWS and w.max_column <= MAX_COLUMNS and _criterion_header(w)), None)
        if later is not None:
            ws, note = later, f"read sheet '{later.title}' (the first with a Criterion header; --sheet chooses another)"
    rows, comments, percent = [], {}, set()
    for r, row in enumerate(ws.iter_rows()):
        rows.append([c.value for c in row])
        for c, cell in enumerate(row):
            _not_cut(cell.value, path, ws.title, r, c)
            if cell.comment is not None:
                comments[(r, c)] = cell.comment.text
                _not_cut(cell.comment.text, path, ws.title, r, c, "its comment ")
            if isinstance(cell.value, (int, float)) and "%" in str(cell.number_format or ""):
                percent.add((r, c))
    return Grid(rows, comments, _rationale_sheet(wb, path), percent, _exported_title(wb), note)


def _criterion_header(ws) -> bool:
    """Whether a worksheet has a row starting Criterion (or Criteria)."""
    return any(row and _key(row[0]) in HEADER_WORDS for row in ws.iter_rows(max_col=1, values_only=True))


def _exported_title(wb) -> str:
    """The title on the Provenance sheet of a workbook `appraisal export` wrote, or ''."""
    ws = wb["Provenance"] if "Provenance" in wb.sheetnames else None
    if ws is None or not hasattr(ws, "iter_rows"):
        return ""
    found = {str(r[0]): r[1] for r in ws.iter_rows(max_row=20, max_col=2, values_only=True) if len(r) == 2 and r[0] is not None}
    ours = str(found.get("Exported by") or "").startswith("appraisal ")
    return str(found.get("Title") or "").strip() if ours else ""


def _not_cut(value: Any, path: Path, sheet: str, r: int, c: int, what: str = "") -> None:
    """Text at Excel's limit for a cell was most likely cut there (XlsxWriter and Excel cut longer text
    without a word): refused, rather than read back as if it were whole."""
    if isinstance(value, str) and len(value) >= EXCEL_MAX_TEXT // 2 and excel_length(value) >= EXCEL_MAX_TEXT:
        raise AppraisalError(f"{sheet}!{ref(r, c)}: {what}text of {excel_length(value):,} characters, the most an Excel cell holds: it was "
                             "probably cut when the workbook was written; put the whole text in the appraisal file, or shorten it", file=str(path))


def _rationale_sheet(wb, path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The Rationale sheet of a workbook `appraisal export` wrote, when there is one."""
    if "Rationale" not in wb.sheetnames:
        return {}
    ws = wb["Rationale"]
    if not hasattr(ws, "iter_rows"):
        return {}
    if ws.max_row > MAX_RATIONALE_ROWS or ws.max_column > MAX_COLUMNS:  # a row per cell of the matrix
        raise AppraisalError(f"the Rationale sheet has {ws.max_row:,} rows and {ws.max_column:,} columns; "
                             f"the limit is {MAX_RATIONALE_ROWS:,} by {MAX_COLUMNS:,}", file=str(path))
    rows = ws.iter_rows(values_only=True)
    if [str(x) for x in next(rows, ())][: len(RATIONALE_HEAD)] != RATIONALE_HEAD:
        return {}
    texts = {}
    for k, r in enumerate(rows, 1):
        if len(r) >= 7 and r[0] is not None:
            _not_cut(r[5], path, ws.title, k, 5)
            _not_cut(r[6], path, ws.title, k, 6)
            texts[(str(r[0]), str(r[1]))] = (str(r[5] or ""), str(r[6] or ""))
    return texts


_key = key


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip().replace(",", "."))
    except ValueError:
        return None


@dataclass
class Sheet:
    """What a sheet became: the appraisal file, the criteria it is checked against (made from the sheet
    when `made`), and notes for the officer (rows skipped, scores missing, the sheet read)."""
    file: AppraisalFile
    criteria: CriteriaFile
    made: MadeCriteria | None = None
    notes: list[str] = field(default_factory=list)


_OUR_ROWS = {_key(x) for x in [*FOOTER_ROWS, TOP_WEIGHT_ROW, *VALUE_FOR_MONEY_ROWS]}
_FOOTERS = {_key(x) for x in OFFICER_FOOTERS} | _OUR_ROWS


def import_sheet(path: Path, criteria_path: Path | None = None, *, sheet: str | None = None, title: str | None = None,
                 made_path: Path | None = None) -> tuple[AppraisalFile, CriteriaFile]:
    got = read_sheet(path, criteria_path, sheet=sheet, title=title, made_path=made_path)
    return got.file, got.criteria


def read_sheet(path: Path, criteria_path: Path | None = None, *, sheet: str | None = None, title: str | None = None,
               made_path: Path | None = None) -> Sheet:
    """Without `criteria_path`: the bundled 2013 criteria when most of them have rows (our own exports, an
    officer's sheet of the 2013 criteria), else criteria made from the sheet, to be written at `made_path`."""
    grid = read_grid(path, sheet)
    problems: list[tuple[str, str]] = []
    notes = [grid.note] if grid.note else []
    rows = grid.rows
    found = find_header(rows, str(path))
    if found is None:
        raise ImportErrors(str(path), [("A1", "the first row must be a header: Criterion, [Weight,] then one column per option")])
    top, title_above, title_cell = found
    header = [_key(x) for x in rows[top]]
    col: dict[str, int] = {}
    for k, h in enumerate(header):
        if h:
            col.setdefault(h, k)  # the first: an option may itself be called "Weight" or "In use"
    if {"option_id", "criterion_id", "score"} <= set(col):
        made = None
        if criteria_path is None:
            criteria_path = bundled_criteria()
            made = _long_made_criteria(path, rows, col, load_criteria(criteria_path), problems)
            if made is not None:
                criteria_path = made_path or path.with_suffix(".criteria.toml")
        criteria = made.criteria if made else load_criteria(criteria_path)
        if problems:
            raise ImportErrors(str(path), problems)
        return Sheet(_import_long(path, rows, col, criteria, str(criteria_path), title or grid.title or None), criteria, made, notes)
    name_col = col.get("criterion", col.get("criteria", 0))
    id_row = next((r for r in rows[top + 1:top + 4] if len(r) > name_col and _key(r[name_col]) == ID_ROW), None)
    if id_row is not None:  # a column with an id is an option's, even when the option is called "Unit" or "Group"
        col = {h: k for h, k in col.items() if k == name_col or k >= len(id_row) or not _key(id_row[k])}
    id_col, use_col, weight_col = col.get("id"), col.get("in use"), col.get("weight")
    group_col, unit_col = col.get("group"), col.get("unit")
    known = {name_col, id_col, use_col, weight_col, group_col, unit_col}
    if id_row is not None:  # the layout the exports write: an option is a column with an id, whatever its name
        option_cols = [k for k in range(len(header)) if k not in known and k < len(id_row) and _key(id_row[k])]
    else:
        option_cols = [k for k, h in enumerate(header) if k not in known and h not in IGNORED_COLUMNS]
    if not option_cols:
        problems.append((ref(top, 0), "no option columns in the header"))
    seen_names: dict[str, int] = {}
    for k in option_cols:
        h = header[k]
        if h in seen_names:
            problems.append((ref(top, k), f"duplicate option '{rows[top][k]}' (also {ref(top, seen_names[h])})"))
        seen_names.setdefault(h, k)

    def padded(r: int) -> list[Any]:
        return rows[r] + [None] * (len(header) - len(rows[r]))

    def blank_id(row: list[Any]) -> bool:
        return id_col is not None and not _key(row[id_col])

    # The rows that may be criteria: not the layout's own rows, not blank, not a footer like Total.
    candidates = []
    for r in range(top + 1, len(rows)):
        row = padded(r)
        label = _key(row[name_col])
        if label in (ID_ROW, _key(IN_RANKING_ROW)) or label in _FOOTERS or not any(_key(x) for x in row):
            continue
        if label == _key(COST_ROW) and blank_id(row) and not (weight_col is not None and _key(row[weight_col])):
            continue  # the options' costs, as our exports write them
        candidates.append(r)
    last_criterion = candidates[-1] if candidates else top

    made: MadeCriteria | None = None
    if criteria_path is None:
        criteria_path = bundled_criteria()
        criteria = load_criteria(criteria_path)
        ids, names = {c.id for c in criteria.criteria}, {_key(c.name) for c in criteria.criteria}
        matched = sum(1 for r in candidates if _key(padded(r)[name_col]) in names or _key(padded(r)[name_col]) in ids
                      or (id_col is not None and _key(padded(r)[id_col]) in ids))
        if matched == 0 or 2 * matched < len(criteria.criteria):  # not the 2013 appraisal: the sheet's own criteria
            made = _made_criteria(path, top, [padded(r) for r in candidates], name_col, id_col, option_cols, group_col, unit_col, problems)
            criteria, criteria_path = made.criteria, made_path or path.with_suffix(".criteria.toml")
    else:
        criteria = load_criteria(criteria_path)

    by_id = {c.id: c for c in criteria.criteria}
    by_name = {_key(c.name): c for c in criteria.criteria}
    option_ids = dict(zip(option_cols, unique_ids([str(rows[top][k]).strip() for k in option_cols], kind="option")))
    excluded: dict[int, bool] = {}
    crit_rows: dict[str, int] = {}
    scores: list[dict[str, Any]] = []
    weights: dict[str, float] = {}
    typed: list[tuple[int, bool, Any]] = []  # (row, typed as a percentage, as shown) of each weight
    disabled: list[str] = []
    groups_by_key = {**{_key(g.name): g for g in criteria.groups}, **{g.id: g for g in criteria.groups}}
    group_rows: dict[str, int] = {}
    group_weights: dict[str, float] = {}
    costs: dict[int, float] = {}
    cost_unit = ""
    missing: list[str] = []  # cells left blank, n/a or -
    scored: dict[int, bool] = {}  # option column -> any score given
    for r in range(top + 1, len(rows)):
        row = padded(r)
        label = _key(row[name_col])
        if label == ID_ROW:
            for k in option_cols:
                if _key(row[k]):
                    option_ids[k] = str(row[k]).strip()
            continue
        if label == _key(IN_RANKING_ROW):
            for k in option_cols:
                v = _key(row[k])
                if v not in ("yes", "no", ""):
                    problems.append((ref(r, k), f"'In ranking' must be yes or no, not '{row[k]}'"))
                excluded[k] = v == "no"
            continue
        # The options' costs, as our exports write them (their id cell blank), unless the row is a criterion
        # called Cost: an officer's sheet without ids names its criteria, and "Cost" is a common one.
        # A Cost row with a weight is a criterion too (our cost row has none): read as costs, its scores
        # 5/3/1 would become £5/£3/£1 and the cheapest option the worst on cost.
        weighted = weight_col is not None and weight_col < len(row) and bool(_key(row[weight_col]))
        is_cost_row = label == _key(COST_ROW) and not weighted and (
            blank_id(row) if id_col is not None else not (by_id.get(label) or by_name.get(label)))
        if is_cost_row:
            if unit_col is not None and str(row[unit_col] or "").strip():
                cost_unit = str(row[unit_col]).strip()
            for k in option_cols:
                if _key(row[k]):
                    c = _number(row[k])
                    if c is None or not math.isfinite(c) or c < 0:
                        problems.append((ref(r, k), f"cost must be a number >= 0, not '{row[k]}'"))
                    else:
                        costs[k] = c
            continue
        if label in _OUR_ROWS and id_row is not None:
            continue  # totals, ranks and value for money are recomputed, never read
        if not any(_key(x) for x in row):
            continue
        cid = _key(row[id_col]) if id_col is not None else ""
        crit = by_id.get(cid) or by_id.get(label) or by_name.get(label)
        if crit is None and label in _FOOTERS:  # an officer's Total row: below the criteria, skipped
            if r < last_criterion:
                problems.append((ref(r, name_col), f"'{str(row[name_col]).strip()}' looks like a totals row, but criteria follow it: "
                                                   "move it below the criteria, or rename the criterion"))
            else:
                notes.append(f"row {r + 1} '{str(row[name_col]).strip()}' skipped: totals are computed, never read")
            continue
        group = None if crit is not None else (groups_by_key.get(cid) or groups_by_key.get(label))
        if group is not None:  # a group's row: its weight (blank: weights are global) and subtotals, never read
            _group_row(r, row, group, group_rows, group_weights, problems, weight_col, group_col, groups_by_key)
            continue
        if crit is None:
            if not label:
                problems.append((ref(r, name_col), "a row of scores without a criterion name"))
            else:
                problems.append((ref(r, name_col), unknown("criterion", row[name_col], list(by_id)) + f" in {Path(criteria_path).name}"))
            continue
        if crit.id in crit_rows:
            problems.append((ref(r, name_col), f"duplicate criterion '{crit.name}' (also row {crit_rows[crit.id] + 1})"))
            continue
        crit_rows[crit.id] = r
        if use_col is not None and _key(row[use_col]) == "no":
            disabled.append(crit.id)
        if weight_col is not None:
            pct = (r, weight_col) in grid.percent
            w, as_percent, why = read_weight(row[weight_col], pct)
            if why is None and (w is None or not math.isfinite(w) or w < 0):
                why = f"weight must be a number >= 0, not '{shown(row[weight_col], pct)}'"
            why = why or weight_problem(w)
            if why:
                problems.append((ref(r, weight_col), why))
            else:
                weights[crit.id] = w
                typed.append((r, as_percent, shown(row[weight_col], pct)))
        else:
            weights[crit.id] = 1.0
        if made is None:
            _check_tree_columns(r, row, crit, group_col, unit_col, groups_by_key, problems)
        row_scored = False
        for k in option_cols:
            v = row[k]
            cell: dict[str, Any] = {"option": option_ids[k], "criterion": crit.id}
            if texts := grid.texts.get((str(rows[top][k]), str(row[name_col]))):
                cell["rationale"], cell["note"] = texts
            elif comment := grid.comments.get((r, k)):
                cell["rationale"] = comment.split("\n\n")[0].strip()
            if is_missing(v) or _key(v) == "missing":
                if _key(v) == "missing":  # written so: a score there is none of (our exports write it)
                    scored[k] = row_scored = True
                else:
                    missing.append(ref(r, k))
                cell["missing"] = True
                scores.append(cell)
                continue
            scored[k] = row_scored = True
            x, why = read_number(v, "measure" if crit.measured else "score")
            if crit.measured:
                if x is None or not math.isfinite(x):
                    problems.append((ref(r, k), f"measure '{v}' is not a number" + (f" of {crit.unit}" if crit.unit else "")))
                    continue
                cell["measure"] = x
                scores.append(cell)
                continue
            if x is None:
                problems.append((ref(r, k), why))
                continue
            if why := criteria.scale.check_score(x):
                problems.append((ref(r, k), why))
                continue
            cell["score"] = x
            scores.append(cell)
        if option_cols and not row_scored:
            problems.append((ref(r, name_col), f"criterion '{crit.name}' has no scores: score it, or delete the row"))
    for c in criteria.criteria:
        if c.id not in crit_rows:
            problems.append(("", f"no row for criterion '{c.name}' ({c.id})"))
    _check_weight_kinds(typed, weight_col, problems)
    if id_row is None:
        _check_columns(rows, top, header, option_cols, seen_names, scored, crit_rows, problems)
    first_with_id: dict[str, int] = {}
    for k in option_cols:
        if seen_names.get(header[k]) != k:
            continue  # a duplicate name, already reported
        if option_ids[k] in first_with_id:
            problems.append((ref(top, k), f"two options have the id '{option_ids[k]}' (also {ref(top, first_with_id[option_ids[k]])})"))
        first_with_id.setdefault(option_ids[k], k)
    if group_weights:
        for g in criteria.groups:
            if g.id not in group_weights:
                problems.append(("", f"no weight for group '{g.name}' ({g.id}): give every group's row a weight, or none"))
    if problems:
        raise ImportErrors(str(path), problems)
    if missing:
        shown_refs = ", ".join(missing[:10]) + (f" and {len(missing) - 10:,} more" if len(missing) > 10 else "")
        notes.append(f"{len(missing):,} score{'s' if len(missing) != 1 else ''} missing (blank, n/a or -: {shown_refs}); "
                     "an option missing one gets no total or rank")
    if title is None and not grid.title and title_above:
        notes.append(f"title '{title_above}' from {title_cell}")
    file = AppraisalFile.model_validate({
        "appraisal": {"title": title or grid.title or title_above or path.stem, "criteria": str(criteria_path), "disabled": disabled, "cost_unit": cost_unit},
        "weights": weights,
        **({"group_weights": group_weights} if group_weights else {}),
        "options": [{"id": option_ids[k], "name": str(rows[top][k]).strip(), "excluded": excluded.get(k, False),
                     **({"cost": costs[k]} if k in costs else {})} for k in option_cols],
        "scores": scores,
    })
    return Sheet(file, criteria, made, notes)


def bundled_criteria() -> Path:
    return data_root() / "criteria" / "birmingham-2013.toml"


def _made_criteria(path: Path, top: int, rows: list[list[Any]], name_col: int, id_col: int | None, option_cols: list[int],
                   group_col: int | None, unit_col: int | None, problems: list) -> MadeCriteria:
    """Criteria from the sheet's own rows: one per name (a repeated name is reported by the caller), a
    scale from the scores. Groups and units need a criteria file to say what they are."""
    for c, what in ((group_col, "Group column needs the criteria file that defines the groups"),
                    (unit_col, "Unit column needs the criteria file that defines the units")):
        if c is not None and any(_key(row[c]) for row in rows):
            problems.append((ref(top, c), f"a {what} (import with --criteria FILE)"))
    names, given, seen = [], [], set()
    values: list[float] = []
    for row in rows:
        name = str(row[name_col] if row[name_col] is not None else "").strip()
        if not _key(name) or _key(name) in seen:
            continue
        seen.add(_key(name))
        names.append(name)
        given.append(_key(row[id_col]) if id_col is not None else "")
        for k in option_cols:
            if not is_missing(row[k]) and _key(row[k]) != "missing":
                x, _ = read_number(row[k], "score")
                if x is not None and math.isfinite(x):
                    values.append(x)
    return make_criteria(names or ["Criterion"], unique_ids(names or ["Criterion"], given or None), values, path.name)


def _long_made_criteria(path: Path, rows: list[list[Any]], col: dict[str, int], bundled: CriteriaFile, problems: list) -> MadeCriteria | None:
    """The long layout of an appraisal on criteria of its own (most of the 2013 ones have no rows): its
    criteria, from the criterion_id and criterion columns, in the order they first come."""
    def get(row: list[Any], name: str) -> Any:
        k = col.get(name)
        return row[k] if k is not None and k < len(row) else None

    cells = [row for row in rows[1:] if _key(get(row, "option_id"))]
    seen: dict[str, str] = {}
    for row in cells:
        seen.setdefault(_key(get(row, "criterion_id")), str(get(row, "criterion") or get(row, "criterion_id") or "").strip())
    ids, names = {c.id for c in bundled.criteria}, {_key(c.name) for c in bundled.criteria}
    matched = sum(1 for cid, name in seen.items() if cid in ids or _key(name) in names)
    if matched and 2 * matched >= len(bundled.criteria):
        return None
    for name in ("group", "unit", "measure"):
        if name in col and any(_key(get(row, name)) for row in rows[1:]):
            problems.append((ref(0, col[name]), f"a {name} column needs the criteria file that defines it (import with --criteria FILE)"))
    values = [x for row in cells if (x := read_number(get(row, "score"), "score")[0]) is not None and math.isfinite(x)]
    kept = [(cid, name) for cid, name in seen.items() if cid and name]
    return make_criteria([n for _, n in kept] or ["Criterion"], unique_ids([n for _, n in kept] or ["Criterion"], [c for c, _ in kept] or None),
                         values, path.name)


def _check_weight_kinds(typed: list[tuple[int, bool, Any]], weight_col: int | None, problems: list) -> None:
    """A weight column gives every weight as a percentage or none (0 goes either way): 40% beside 30 is
    0.4 beside 30, surely not what was meant."""
    percent = [(r, s) for r, p, s in typed if p]
    plain = [(r, s) for r, p, s in typed if not p and _number(s) != 0]
    if not percent or not plain:
        return
    odd, usual, has = (plain, percent, "has no % sign, but {} has one") if len(plain) <= len(percent) else (percent, plain, "is a percentage, but {} is not")
    for r, s in odd:
        problems.append((ref(r, weight_col), f"weight '{s}' {has.format(ref(usual[0][0], weight_col))}: give every weight as a percentage, or none"))


def _check_columns(rows: list[list[Any]], top: int, header: list[str], option_cols: list[int], seen_names: dict[str, int],
                   scored: dict[int, bool], crit_rows: dict[str, int], problems: list) -> None:
    """An officer's sheet: an option column with no scores, and scores in a column with no option name."""
    if not crit_rows:
        return
    for k in option_cols:
        if seen_names.get(header[k]) == k and not scored.get(k):
            problems.append((ref(top, k), f"option '{str(rows[top][k]).strip()}' has no scores: score it, or delete the column"))
    for k, h in enumerate(header):
        if not h and any(k < len(rows[r]) and _key(rows[r][k]) for r in crit_rows.values()):
            problems.append((ref(top, k), f"scores in column {get_column_letter(k + 1)}, but no option name in {ref(top, k)}"))


def _import_long(path: Path, rows: list[list[Any]], col: dict[str, int], criteria: CriteriaFile, criteria_ref: str, title: str | None) -> AppraisalFile:
    """The long layout (`export --format csv-long`): one row per option and criterion, with its
    weight, in-use and in-ranking flags (the same on every row of a criterion or option), the label
    as printed and the rationale; with a value tree, its group and unit (checked against the criteria
    file), the measure of a measured criterion, the option's cost and the cost unit, and a row per group
    (no option) with its weight."""
    problems: list[tuple[str, str]] = []
    groups = {g.id: g for g in criteria.groups}
    group_weights: dict[str, float] = {}
    cost_unit: tuple[Any, int] | None = None
    by_id = {c.id: c for c in criteria.criteria}
    by_name = {_key(c.name): c for c in criteria.criteria}
    options: dict[str, dict[str, Any]] = {}
    per_criterion: dict[str, dict[str, tuple[Any, int]]] = {}  # id -> {column: (value, row)}, to check they agree
    cells: dict[tuple[str, str], dict[str, Any]] = {}

    def get(row: list[Any], name: str) -> Any:
        k = col.get(name)
        return row[k] if k is not None and k < len(row) else None

    def agree(store: dict[str, tuple[Any, int]], name: str, value: Any, r: int, what: str) -> None:
        if name not in col:
            return
        first = store.setdefault(name, (value, r))
        if _key(first[0]) != _key(value):
            problems.append((ref(r, col[name]), f"{name} '{value}' differs from '{first[0]}' in row {first[1] + 1} for the same {what}"))

    for r in range(1, len(rows)):
        row = rows[r]
        if not any(_key(x) for x in row):
            continue
        oid = str(get(row, "option_id") or "").strip()
        if not oid and _key(get(row, "criterion_id")) in groups:
            _long_group_row(r, row, col, groups[_key(get(row, "criterion_id"))], group_weights, problems)
            continue
        if not oid:
            problems.append((ref(r, col["option_id"]), "blank option_id"))
            continue
        crit = by_id.get(_key(get(row, "criterion_id"))) or by_name.get(_key(get(row, "criterion")))
        if crit is None:
            problems.append((ref(r, col["criterion_id"]), unknown("criterion", get(row, "criterion_id"), list(by_id))))
            continue
        option = options.setdefault(oid, {"id": oid, "name": str(get(row, "option") or oid).strip(), "_flags": {}})
        for name in ("in_ranking", "cost"):
            agree(option["_flags"], name, get(row, name), r, "option")
        if "cost_unit" in col:
            cost_unit = cost_unit or (get(row, "cost_unit"), r)
            if _key(cost_unit[0]) != _key(get(row, "cost_unit")):
                problems.append((ref(r, col["cost_unit"]), f"cost_unit '{get(row, 'cost_unit')}' differs from '{cost_unit[0]}' in row {cost_unit[1] + 1}"))
        _check_long_tree_columns(r, row, col, crit, problems)
        for name in ("weight", "in_use"):
            agree(per_criterion.setdefault(crit.id, {}), name, get(row, name), r, "criterion")
        if (oid, crit.id) in cells:
            problems.append((ref(r, col["option_id"]), f"a second row for {oid} on {crit.id} (also row {cells[(oid, crit.id)]['_row'] + 1})"))
            continue
        cell: dict[str, Any] = {"option": oid, "criterion": crit.id, "_row": r}
        for name, key in (("rationale", "rationale"), ("label_printed", "label")):
            if _key(get(row, name)):
                cell[key] = str(get(row, name)).strip()
        v = get(row, "score")
        x = _number(v)
        if _key(v) == "missing":
            cell["missing"] = True
        elif crit.measured:  # the score column holds the derived score: the measure is what was given
            m = _number(get(row, "measure"))
            if m is None or not math.isfinite(m):
                where = ref(r, col["measure"]) if "measure" in col else ref(r, col["score"])
                problems.append((where, f"measure '{get(row, 'measure') or ''}' is not a number" + (f" of {crit.unit}" if crit.unit else "")))
            else:
                cell["measure"] = m
        elif x is None:
            problems.append((ref(r, col["score"]), f"score '{v if v is not None else ''}' is not a number"))
        elif why := criteria.scale.check_score(x):
            problems.append((ref(r, col["score"]), why))
        else:
            cell["score"] = x
        cells[(oid, crit.id)] = cell
    weights: dict[str, float] = {}
    for c in criteria.criteria:
        flags = per_criterion.get(c.id)
        if flags is None:
            problems.append(("", f"no rows for criterion '{c.name}' ({c.id})"))
            continue
        w, r = flags.get("weight", (1, 0))
        x = _number(w)
        if x is None:
            problems.append((ref(r, col["weight"]), f"weight must be a finite number >= 0, not '{w if w is not None else ''}'"))
        elif why := weight_problem(x):
            problems.append((ref(r, col["weight"]), why))
        else:
            weights[c.id] = x
        for oid in options:
            if (oid, c.id) not in cells:
                problems.append(("", f"no row for option '{oid}' on criterion '{c.id}'"))
    for oid, o in options.items():
        flag = _key(o["_flags"].get("in_ranking", ("yes", 0))[0])
        if flag not in ("yes", "no", ""):
            problems.append((ref(o["_flags"]["in_ranking"][1], col["in_ranking"]), f"in_ranking must be yes or no, not '{flag}'"))
        o["excluded"] = flag == "no"
        cost, r = o["_flags"].get("cost", ("", 0))
        if _key(cost):
            c = _number(cost)
            if c is None or not math.isfinite(c) or c < 0:
                problems.append((ref(r, col["cost"]), f"cost must be a number >= 0, not '{cost}'"))
            elif why := cost_problem(c):
                problems.append((ref(r, col["cost"]), why))
            else:
                o["cost"] = c
    if group_weights:
        for g in criteria.groups:
            if g.id not in group_weights:
                problems.append(("", f"no weight for group '{g.name}' ({g.id}): give every group's row a weight, or none"))
    if problems:
        raise ImportErrors(str(path), problems)
    disabled = [c for c, flags in per_criterion.items() if _key(flags.get("in_use", ("yes", 0))[0]) == "no"]
    return AppraisalFile.model_validate({
        "appraisal": {"title": title or path.stem, "criteria": criteria_ref, "disabled": disabled,
                      "cost_unit": str(cost_unit[0] or "").strip() if cost_unit else ""},
        "weights": weights,
        **({"group_weights": group_weights} if group_weights else {}),
        "options": [{k: v for k, v in o.items() if not k.startswith("_")} for o in options.values()],
        "scores": [{k: v for k, v in c.items() if not k.startswith("_")} for c in cells.values()],
    })


def _long_group_row(r: int, row: list[Any], col: dict[str, int], group, group_weights: dict[str, float], problems: list) -> None:
    """A group's row of the long layout: its weight (blank: weights are global) and its parent in `group`."""
    def get(name: str) -> Any:
        k = col.get(name)
        return row[k] if k is not None and k < len(row) else None

    if group.id in group_weights:
        problems.append((ref(r, col["criterion_id"]), f"a second row for group '{group.id}'"))
        return
    if "group" in col and _key(get("group")) != (group.parent or ""):
        problems.append((ref(r, col["group"]), f"group '{group.name}' sits under '{group.parent or 'the top'}' in the criteria file, not '{get('group')}'"))
    w = get("weight")
    if _key(w):
        x = _number(w)
        if x is None or not math.isfinite(x) or x < 0:
            problems.append((ref(r, col["weight"]), f"group weight must be a number >= 0, not '{w}'"))
        elif why := weight_problem(x):
            problems.append((ref(r, col["weight"]), why))
        else:
            group_weights[group.id] = x


def _check_long_tree_columns(r: int, row: list[Any], col: dict[str, int], crit, problems: list) -> None:
    """The long layout's group (an id) and unit must agree with the criteria file."""
    for name, want in (("group", crit.group or ""), ("unit", crit.unit)):
        k = col.get(name)
        given = str(row[k] if k is not None and k < len(row) and row[k] is not None else "").strip()
        if k is not None and given != want:
            problems.append((ref(r, k), f"'{crit.name}' has {name} '{want or '(none)'}' in the criteria file, not '{given or '(none)'}'"))


def _group_row(r: int, row: list[Any], group, group_rows: dict[str, int], group_weights: dict[str, float], problems: list,
               weight_col: int | None, group_col: int | None, groups_by_key: dict) -> None:
    if group.id in group_rows:
        problems.append((ref(r, 0), f"duplicate group '{group.name}' (also row {group_rows[group.id] + 1})"))
        return
    group_rows[group.id] = r
    if group_col is not None and _key(row[group_col]):
        parent = groups_by_key.get(_key(row[group_col]))
        if parent is None or parent.id != group.parent:
            problems.append((ref(r, group_col), f"group '{group.name}' sits under '{group.parent or 'the top'}' in the criteria file, not '{row[group_col]}'"))
    if weight_col is not None and row[weight_col] not in (None, ""):
        w = _number(row[weight_col])
        if w is None or not math.isfinite(w) or w < 0:
            problems.append((ref(r, weight_col), f"group weight must be a number >= 0, not '{row[weight_col]}'"))
        else:
            group_weights[group.id] = w


def _check_tree_columns(r: int, row: list[Any], crit, group_col: int | None, unit_col: int | None, groups_by_key: dict, problems: list) -> None:
    """A Group or Unit column must agree with the criteria file, which decides the tree and the units."""
    if group_col is not None:
        given = _key(row[group_col])
        group = groups_by_key.get(given) if given else None
        if (group.id if group else None) != crit.group or (given and group is None):
            problems.append((ref(r, group_col), f"'{crit.name}' is in group '{crit.group or '(none)'}' in the criteria file, not '{row[group_col] or '(none)'}'"))
    if unit_col is not None:
        given = str(row[unit_col] or "").strip()
        if given != crit.unit:
            what = f"measured in '{crit.unit}'" if crit.unit else ("measured without a unit" if crit.measured else "scored on the scale")
            problems.append((ref(r, unit_col), f"'{crit.name}' is {what} in the criteria file, not '{given or '(no unit)'}'"))


@dataclass
class Imported:
    appraisal: Appraisal
    made: Path | None  # the criteria file made from the sheet, written beside the appraisal
    summary: str  # what was made: "scale 1-5, step 1: the scores fit it"
    notes: list[str]

    @property
    def scale_reason(self) -> str:
        return self.summary.partition(": ")[2]


def made_criteria_path(output: Path) -> Path:
    """officer.toml -> officer.criteria.toml, beside it."""
    stem = output.stem if output.suffix.lower() == ".toml" else output.name
    return output.with_name(f"{stem}.criteria.toml")


def import_file(path: Path, output: Path, criteria_path: Path | None = None, *, sheet: str | None = None, force: bool = False) -> Imported:
    """The sheet into an appraisal file at `output`. Without `criteria_path`, criteria made from the sheet
    (when it is not the 2013 appraisal) are written beside it and the appraisal refers to them."""
    from .atomic import check_output, write_output
    from .write import appraisal_text_for

    made_path = made_criteria_path(output)
    inputs = (path,) if criteria_path is None else (path, criteria_path)
    check_output(output, force=force, inputs=inputs)
    got = read_sheet(path, criteria_path, sheet=sheet, made_path=made_path)
    try:
        a = build_appraisal(got.file, got.criteria)
    except AppraisalError as e:
        raise ImportErrors(str(path), [("", str(e))]) from None
    if got.made is None:
        write_output(output, appraisal_text_for(a, output, Path(criteria_path or bundled_criteria())), force=force, inputs=inputs)
        return Imported(a, None, "", got.notes)
    check_output(made_path, force=force, inputs=(*inputs, output))
    text = appraisal_text_for(a, output, made_path)  # its size checked before anything is written
    write_output(made_path, got.made.text, force=force, inputs=(*inputs, output))
    try:
        write_output(output, text, force=force, inputs=(*inputs, made_path))
    except BaseException:
        made_path.unlink(missing_ok=True)  # the pair or nothing
        raise
    return Imported(a, made_path, got.made.summary, got.notes)


def import_to(path: Path, output: Path, criteria_path: Path | None = None, *, sheet: str | None = None, force: bool = False) -> Appraisal:
    return import_file(path, output, criteria_path, sheet=sheet, force=force).appraisal
