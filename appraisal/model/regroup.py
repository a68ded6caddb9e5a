"""An appraisal re-read against another criteria file with the same criteria (e.g. the same appraisal
arranged into a value tree), and group weights set on one: both through the checks of a file."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import AppraisalError, format_key_path
from .appraisal import Appraisal
from .build import build_appraisal
from .criteria import CriteriaFile
from .files import AppraisalFile, AppraisalHeader
from .tree import check_group_weights


def appraisal_file_of(a: Appraisal, criteria_ref: str | None = None) -> AppraisalFile:
    """The file shape an appraisal would be written as (derived scores left out: measures stand)."""
    return AppraisalFile.model_construct(
        appraisal=AppraisalHeader.model_construct(title=a.title, criteria=criteria_ref or a.criteria_ref or "(embedded)", description="",
                                                  disabled=tuple(c.id for c in a.criteria if c.id in a.disabled), cost_unit=a.cost_unit),
        provenance=a.provenance,
        weights=dict(a.weights),
        group_weights=None if a.group_weights is None else dict(a.group_weights),
        published=a.published,
        options=a.options,
        scores=tuple(c.model_copy(update={"score": None}) if c.measure is not None else c for c in a.cells),
        participants=a.participants,
        group=a.group,
        expect=None,
    )


def regroup(a: Appraisal, criteria: CriteriaFile, criteria_ref: str) -> Appraisal:
    """`a` with the criteria (groups, order, units, value functions) of another file naming the same criteria."""
    have, want = set(a.criterion_index), {c.id for c in criteria.criteria}
    if have != want:
        missing, extra = sorted(have - want), sorted(want - have)
        raise AppraisalError("the criteria file must name the same criteria as the base"
                             + (f"; missing: {', '.join(missing)}" if missing else "") + (f"; not in the base: {', '.join(extra)}" if extra else ""))
    try:
        return build_appraisal(appraisal_file_of(a, criteria_ref), criteria)
    except AppraisalError as e:
        raise AppraisalError(f"the base does not fit this criteria file: {format_key_path(e.key)}: {e.message}" if e.key else e.message) from None


def with_group_weights(a: Appraisal, group_weights: Mapping[str, float]) -> Appraisal:
    """[group_weights] set on an appraisal (its [weights] become local to each group)."""
    check_group_weights(a.groups, a.criteria, a.weights, group_weights, a.disabled)
    return a.model_copy(update={"group_weights": {g.id: float(group_weights[g.id]) for g in a.groups}})
