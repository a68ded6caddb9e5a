"""Writing an appraisal back to TOML, in the layout of the bundled file (atomic, via `save_appraisal`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..model import Appraisal
from .atomic import write_atomic
from .toml_write import document


def appraisal_toml(a: Appraisal, criteria_ref: str | None = None) -> str:
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
    return document(parts, header=f"{a.title}\nWritten by appraisal; `appraisal validate` reconciles it with its source.\n")


def appraisal_text_for(a: Appraisal, path: Path, criteria_file: Path | None = None) -> str:
    """The file's text; given where the criteria file is, its path is written relative to `path`."""
    ref = a.criteria_ref if criteria_file is None else os.path.relpath(Path(criteria_file).resolve(), path.resolve().parent)
    return appraisal_toml(a, ref)


def save_appraisal(a: Appraisal, path: Path, *, criteria_file: Path | None = None) -> None:
    """Write atomically, replacing the file."""
    write_atomic(path, appraisal_text_for(a, path, criteria_file))
