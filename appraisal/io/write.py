"""Writing an appraisal back to TOML, in the layout of the bundled file (atomic, via `save_appraisal`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AppraisalError
from ..model import Appraisal
from .atomic import write_atomic
from .read import MAX_BYTES
from .toml_write import basic_string, document


COMPACT_FROM = 10_000  # cells: an appraisal this big (or read from a matrix) is written in the compact layout


def is_compact(a: Appraisal) -> bool:
    return a.cells.compact or len(a.cells) >= COMPACT_FROM


def appraisal_toml(a: Appraisal, criteria_ref: str | None = None, *, compact: bool | None = None) -> str:
    """The file's text: a [[scores]] entry per cell, or (compact) a [matrix] row per option with each
    cell's text keyed "option:criterion"."""
    compact = is_compact(a) if compact is None else compact
    head: dict[str, Any] = {"title": a.title, "criteria": criteria_ref or a.criteria_ref}
    if a.disabled:
        head["disabled"] = [c.id for c in a.criteria if c.id in a.disabled]
    if a.cost_unit:
        head["cost_unit"] = a.cost_unit
    parts: list[tuple[str, Any]] = [("appraisal", head)]
    prov = a.provenance.model_dump(exclude_defaults=True)
    if prov:
        parts.append(("provenance", prov))
    parts.append(("weights", {c.id: a.weights[c.id] for c in a.criteria}))
    if a.group_weights is not None:
        parts.append(("group_weights", {g.id: a.group_weights[g.id] for g in a.groups}))
    if a.published is not None:
        pub = a.published.model_dump(exclude_defaults=True, exclude={"headline"})
        parts.append(("published", {k: list(v) if isinstance(v, tuple) else v for k, v in pub.items()}))
        if a.published.headline:
            parts.append(("published.headline", [h.model_dump() for h in a.published.headline]))
    parts.append(("options", [o.model_dump(exclude_defaults=True) for o in a.options]))
    if not compact:
        cells = []
        for c in a.cells:
            d = c.model_dump(exclude_defaults=True, exclude={"score"} if c.measure is not None else None)  # a measure's score is derived
            d = {"option": c.option, "criterion": c.criterion, **{k: v for k, v in d.items() if k not in ("option", "criterion")}}
            cells.append(d)
        parts.append(("scores", cells))
    if a.group.model_dump(exclude_defaults=True):
        parts.append(("group", a.group.model_dump(exclude_defaults=True)))
    if a.participants:
        parts.append(("participants", [p.model_dump(exclude_defaults=True) for p in a.participants]))
    text = document(parts, header=f"{a.title}\nWritten by appraisal; `appraisal validate` reconciles it with its source.\n")
    return text + "\n" + matrix_toml(a) if compact else text


def _number(v: float) -> str:
    """A TOML number as people write them: whole numbers as integers, others as Python's shortest repr."""
    if v != v:
        return '"missing"'
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def matrix_toml(a: Appraisal) -> str:
    """[matrix]: the columns, a row per option (measures in measured criteria's columns), then each
    cell's text and flags by "option:criterion". Written directly: tomlkit takes seconds on a million numbers."""
    cells = a.cells
    m = len(a.criteria)
    values = np.array(cells.scores)
    if cells.measures is not None:
        measured = [j for j, c in enumerate(a.criteria) if c.measured]
        values[:, measured] = cells.measures[:, measured]
    out = ["[matrix]", f"criteria = [{', '.join(basic_string(c.id) for c in a.criteria)}]"]
    notes = sorted(cells.notes.items())
    key = lambda k: basic_string(f"{a.options[k // m].id}:{a.criteria[k % m].id}")  # noqa: E731
    inferred = [key(k) for k, note in notes if note.inferred]
    if inferred:
        out.append(f"inferred = [{', '.join(inferred)}]")
    out += ["", "[matrix.scores]"]
    out += [f"{o.id} = [{', '.join(map(_number, row))}]" for o, row in zip(a.options, values.tolist())]
    for field in ("rationale", "label", "note"):  # an empty label is a label (None is none)
        lines = [f"{key(k)} = {basic_string(text)}" for k, note in notes if (text := getattr(note, field)) or (field == "label" and text == "")]
        if lines:
            out += ["", f"[matrix.{field}]", *lines]
    return "\n".join(out) + "\n"


def appraisal_text_for(a: Appraisal, path: Path, criteria_file: Path | None = None) -> str:
    """The file's text; given where the criteria file is, its path is written relative to `path`."""
    ref = a.criteria_ref if criteria_file is None else os.path.relpath(Path(criteria_file).resolve(), path.resolve().parent)
    text = appraisal_toml(a, ref)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:  # never write a file the tool would refuse to read back
        raise AppraisalError(f"the appraisal is {size / 1e6:.1f} MB as TOML, over the {MAX_BYTES // (1024 * 1024)} MB the tool reads; "
                             "nothing was written (its rationales and notes are what make it so big)", file=str(path))
    return text


def save_appraisal(a: Appraisal, path: Path, *, criteria_file: Path | None = None) -> None:
    """Write atomically, replacing the file."""
    write_atomic(path, appraisal_text_for(a, path, criteria_file))
