"""An appraisal re-read against another criteria file with the same criteria (e.g. the same appraisal
arranged into a value tree), and group weights set on one: both through the checks of a file."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import AppraisalError, format_key_path
import numpy as np

from .appraisal import Appraisal, Cell
from .matrix import Rows
from .build import build_appraisal
from .criteria import CriteriaFile
from .files import AppraisalFile, AppraisalHeader
from .tree import check_group_weights


def appraisal_file_of(a: Appraisal, criteria_ref: str | None = None) -> AppraisalFile:
    """The file shape an appraisal would be written as (derived scores left out: measures stand), its
    values in `rows_of(a)`, its cells' text in [[scores]] entries."""
    m = len(a.criteria)
    return AppraisalFile.model_construct(
        appraisal=AppraisalHeader.model_construct(title=a.title, criteria=criteria_ref or a.criteria_ref or "(embedded)", description="",
                                                  disabled=tuple(c.id for c in a.criteria if c.id in a.disabled), cost_unit=a.cost_unit),
        provenance=a.provenance,
        weights=dict(a.weights),
        group_weights=None if a.group_weights is None else dict(a.group_weights),
        published=a.published,
        options=a.options,
        scores=tuple(Cell.model_construct(option=a.options[k // m].id, criterion=a.criteria[k % m].id, **note._asdict())
                     for k, note in sorted(a.cells.notes.items())),
        participants=a.participants,
        group=a.group,
        expect=None,
        matrix=None,
    )


def rows_of(a: Appraisal) -> Rows:
    """Its values as a score matrix: scores, and measures in measured criteria's columns."""
    values = np.array(a.cells.scores)
    if a.cells.measures is not None:
        measured = [j for j, c in enumerate(a.criteria) if c.measured]
        values[:, measured] = a.cells.measures[:, measured]
    return Rows(tuple(o.id for o in a.options), tuple(c.id for c in a.criteria), values)


def regroup(a: Appraisal, criteria: CriteriaFile, criteria_ref: str) -> Appraisal:
    """`a` with the criteria (groups, order, units, value functions) of another file naming the same criteria."""
    have, want = set(a.criterion_index), {c.id for c in criteria.criteria}
    if have != want:
        missing, extra = sorted(have - want), sorted(want - have)
        raise AppraisalError("the criteria file must name the same criteria as the base"
                             + (f"; missing: {', '.join(missing)}" if missing else "") + (f"; not in the base: {', '.join(extra)}" if extra else ""))
    _check_kinds(a, criteria)
    try:
        b = build_appraisal(appraisal_file_of(a, criteria_ref), criteria, rows_of(a))
        return b.model_copy(update={"cells": b.cells.with_compact(a.cells.compact)})
    except AppraisalError as e:
        raise AppraisalError(f"the base does not fit this criteria file: {format_key_path(e.key)}: {e.message}" if e.key else e.message) from None


def _check_kinds(a: Appraisal, criteria: CriteriaFile) -> None:
    """A criterion scored in the base and measured in the new file (or the other way round) fits only if
    none of its cells has a value, as a file's [[scores]] would: say which cell does not."""
    m = len(a.criteria)
    for c in criteria.criteria:
        j = a.criterion_index[c.id]
        if a.criteria[j].measured == c.measured:
            continue
        given = np.flatnonzero(~np.isnan(a.cells.scores[:, j]))
        if not len(given):
            continue
        k = int(given[0]) * m + j
        if c.measured:
            unit = f" in {c.unit}" if c.unit else " in natural units"
            why, key = f"'{c.id}' is measured{unit}: give `measure`, not `score` (the score is derived)", ("scores", k, "score")
        else:
            why, key = f"'{c.id}' is scored on the scale: give `score`, not `measure`", ("scores", k, "measure")
        raise AppraisalError(f"the base does not fit this criteria file: {format_key_path(key)}: {why}")


def with_group_weights(a: Appraisal, group_weights: Mapping[str, float]) -> Appraisal:
    """[group_weights] set on an appraisal (its [weights] become local to each group)."""
    check_group_weights(a.groups, a.criteria, a.weights, group_weights, a.disabled)
    return a.model_copy(update={"group_weights": {g.id: float(group_weights[g.id]) for g in a.groups}})
