"""An appraisal as it stands (after a scenario's steps and any what-if changes) -> the documents behind
the html and md exports, built from the decision record's parts: the scenario (title, description,
steps with who and why), the score matrix, and for html every reason, the results, sensitivity and
reconciliation. The html prints; the md is the short version, tables for a report."""

from __future__ import annotations

from pathlib import Path

from ..io.load import Loaded
from ..model import Appraisal
from ..model.scenario import Step
from .document import Document, Heading, Para, Section
from .record import header, reconciliation, source_blocks, steps_table
from .record_analysis import (group_section, matrix_blocks, ranking_blocks, results_section, scores_section, sensitivity_section,
                              value_for_money_blocks, value_function_blocks)
from .record_facts import Record, build_record


def export_record(a: Appraisal, *, steps: list[Step] = (), base: Appraisal | None = None, title: str = "", description: str = "",  # type: ignore[assignment]
                  source: str = "", samples: int = 10_000, seed: int = 0, analyse: bool = True) -> Record:
    """`base`: the appraisal before the steps (so a changed score says what it was); `title` and
    `description`: the scenario's, when the appraisal came from one."""
    kind = "scenario" if steps or title else "appraisal"
    loaded = Loaded(Path(source or "appraisal"), kind, title or a.title, a, base or a, tuple(steps), None, (), description=description)
    return build_record(loaded, shown_path=Path(source).name if source else "", samples=samples, seed=seed, analyse=analyse)


def _scenario(r: Record) -> list[tuple[str, str, list]]:
    if not r.changes:
        return []
    return [("The scenario's steps", "steps", [Para("Each change made to the loaded appraisal, in order, with who made it and why."), *steps_table(r)])]


def html_document(r: Record) -> Document:
    title, subtitle = header(r)
    parts = [*_scenario(r),
             ("Scores and their reasons", "scores", [*value_function_blocks(r), *scores_section(r)]),
             ("Results", "results", results_section(r)),
             ("How firm is the result?", "sensitivity", sensitivity_section(r))]
    if r.group:
        parts.append(("Where the room disagreed", "group", group_section(r)))
    parts.append(("Reconciliation with the source", "reconciliation", [*reconciliation(r), Heading("The source"), *source_blocks(r)]))
    return Document(title, tuple(subtitle), tuple(Section(f"{k}. {t}", anchor, tuple(b)) for k, (t, anchor, b) in enumerate(parts, 1)))


def md_document(r: Record) -> Document:
    title, subtitle = header(r)
    parts = [*_scenario(r), ("Scores", "scores", [*matrix_blocks(r), *value_function_blocks(r)]),
             ("Rankings", "rankings", [*ranking_blocks(r), *value_for_money_blocks(r)])]
    return Document(title, tuple(subtitle), tuple(Section(t, anchor, tuple(b)) for t, anchor, b in parts))
