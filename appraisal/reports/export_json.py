"""Appraisal -> JSON export: the whole appraisal and its results. The loader reads it back, identically.

A big appraisal (io.write.COMPACT_FROM cells or more) is exported in the compact layout of the files:
`matrix` ({"criteria": [ids], "scores": {option: [values, "missing"]}}, measures in measured criteria's
columns) and `cells` only for the cells with text or flags; a smaller one lists every cell in `cells`."""

from __future__ import annotations

from typing import Any

from ..io.exported_json import FORMAT, VERSION
from ..io.write import COMPACT_FROM
from ..model import Appraisal
from .json_text import dumps
from .ranking import ranking_report


def appraisal_data(a: Appraisal) -> dict[str, Any]:
    if len(a.cells) < COMPACT_FROM:
        return a.model_dump(mode="json")
    data = a.model_dump(mode="json", exclude={"cells"})
    cells = a.cells
    m = len(a.criteria)
    values = cells.scores.copy()
    if cells.measures is not None:
        measured = [j for j, c in enumerate(a.criteria) if c.measured]
        values[:, measured] = cells.measures[:, measured]
    rows = {o.id: ["missing" if v != v else v for v in row] for o, row in zip(a.options, values.tolist())}
    annotated = []
    for k, note in sorted(cells.notes.items()):
        d: dict[str, Any] = {"option": a.options[k // m].id, "criterion": a.criteria[k % m].id}
        d.update((f, v) for f, v in note._asdict().items() if v is not None and (v or f == "label"))
        annotated.append(d)
    out: dict[str, Any] = {}
    for key, value in data.items():  # the cells where the small layout has them
        out[key] = value
        if key == "options":
            out["matrix"] = {"criteria": [c.id for c in a.criteria], "scores": rows}
            out["cells"] = annotated
    return out


def to_json(a: Appraisal) -> str:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "appraisal": appraisal_data(a),
        "results": ranking_report(a),
    }
    return dumps(data) + "\n"
