"""Cross-checks that make file shapes into a valid `Appraisal`. Errors carry the key path."""

from __future__ import annotations

import math

from ..errors import AppraisalError, unknown
from .appraisal import Appraisal, Cell
from .criteria import Criterion
from .scale import Scale
from .criteria import CriteriaFile
from .files import AppraisalFile
from .tree import check_group_weights, check_tree, derived_score


def check_criteria(criteria: CriteriaFile) -> None:
    seen: set[str] = set()
    for j, c in enumerate(criteria.criteria):
        if c.id in seen:
            raise AppraisalError(f"duplicate criterion id '{c.id}'", key=("criteria", j, "id"))
        seen.add(c.id)
    check_tree(criteria)


def check_cost(cost: float | None, key: tuple) -> None:
    if cost is None:
        return
    if not math.isfinite(cost):
        raise AppraisalError(f"cost must be a finite number, not {cost}", key=key)
    if cost < 0:
        raise AppraisalError(f"cost must be >= 0, not {cost:g}", key=key)


def scored_cell(cell: Cell, criterion: Criterion, scale: Scale, k: int) -> Cell:
    """A cell checked against its criterion: a score on the scale, or a measure whose score the value
    function derives."""
    if not criterion.measured:
        if cell.measure is not None:
            raise AppraisalError(f"'{criterion.id}' is scored on the scale: give `score`, not `measure`", key=("scores", k, "measure"))
        return cell
    unit = f" in {criterion.unit}" if criterion.unit else " in natural units"
    if cell.score is not None:
        raise AppraisalError(f"'{criterion.id}' is measured{unit}: give `measure`, not `score` (the score is derived)", key=("scores", k, "score"))
    if cell.measure is None:
        if cell.missing:
            return cell
        raise AppraisalError("no measure: give `measure`, or `missing = true` if the source has none", key=("scores", k))
    if cell.missing:
        raise AppraisalError("a cell cannot have a measure and `missing = true`", key=("scores", k, "missing"))
    if not math.isfinite(cell.measure):
        raise AppraisalError(f"measure must be a finite number, not {cell.measure}", key=("scores", k, "measure"))
    return cell.model_copy(update={"score": derived_score(criterion, scale, float(cell.measure))})


def check_weights(weights: dict[str, float], criteria_ids: list[str], disabled: frozenset[str] = frozenset()) -> None:
    known = set(criteria_ids)
    for cid, w in weights.items():
        if cid not in known:
            raise AppraisalError(unknown("criterion", cid, criteria_ids), key=("weights", cid))
        if not math.isfinite(w):
            raise AppraisalError(f"weight must be a finite number, not {w}", key=("weights", cid))
        if w < 0:
            raise AppraisalError(f"weight must be >= 0, not {w:g}", key=("weights", cid))
    for cid in criteria_ids:
        if cid not in weights:
            raise AppraisalError(f"no weight for criterion '{cid}'", key=("weights",))
    if not any(weights[c] > 0 for c in criteria_ids if c not in disabled):
        raise AppraisalError("weights are all zero on the criteria in use", key=("weights",))


def build_appraisal(file: AppraisalFile, criteria: CriteriaFile) -> Appraisal:
    check_criteria(criteria)
    criteria_ids = [c.id for c in criteria.criteria]
    cidx = {c: j for j, c in enumerate(criteria_ids)}
    oidx: dict[str, int] = {}
    for i, o in enumerate(file.options):
        if o.id in oidx:
            raise AppraisalError(f"duplicate option id '{o.id}'", key=("options", i, "id"))
        oidx[o.id] = i
        check_cost(o.cost, ("options", i, "cost"))
    disabled = frozenset(file.appraisal.disabled)
    for k, cid in enumerate(file.appraisal.disabled):
        if cid not in cidx:
            raise AppraisalError(unknown("criterion", cid, cidx), key=("appraisal", "disabled", k))
    check_weights(dict(file.weights), criteria_ids, disabled)
    check_group_weights(criteria.groups, criteria.criteria, file.weights, file.group_weights, disabled)

    scale = criteria.scale
    slots: list = [None] * (len(oidx) * len(cidx))
    for k, cell in enumerate(file.scores):
        if cell.option not in oidx:
            raise AppraisalError(unknown("option", cell.option, oidx), key=("scores", k, "option"))
        if cell.criterion not in cidx:
            raise AppraisalError(unknown("criterion", cell.criterion, cidx), key=("scores", k, "criterion"))
        crit = criteria.criteria[cidx[cell.criterion]]
        if crit.measured or cell.measure is not None:
            cell = scored_cell(cell, crit, scale, k)
        elif cell.score is None and not cell.missing:
            raise AppraisalError("no score: give `score`, or `missing = true` if the source has none", key=("scores", k))
        elif cell.score is not None and cell.missing:
            raise AppraisalError("a cell cannot have a score and `missing = true`", key=("scores", k, "missing"))
        elif cell.score is not None and (why := scale.check_score(cell.score)):
            raise AppraisalError(why, key=("scores", k, "score"))
        slot = oidx[cell.option] * len(cidx) + cidx[cell.criterion]
        if slots[slot] is not None:
            raise AppraisalError(f"duplicate score for {cell.option}:{cell.criterion}", key=("scores", k))
        slots[slot] = cell
    for slot, cell in enumerate(slots):
        if cell is None:
            o, c = divmod(slot, len(cidx))
            raise AppraisalError(
                f"no score for {file.options[o].id}:{criteria_ids[c]} (every option needs a score, or `missing = true`, on every criterion)",
                key=("scores",),
            )

    if file.published is not None:
        for key in ("unweighted_total", "weighted_total", "weighted_percent"):
            for oid in getattr(file.published, key):
                if oid not in oidx:
                    raise AppraisalError(unknown("option", oid, oidx), key=("published", key, oid))
        for oid in file.published.weighted_computed_for or ():
            if oid not in oidx:
                raise AppraisalError(unknown("option", oid, oidx), key=("published", "weighted_computed_for"))
        for h, head in enumerate(file.published.headline):
            if head.criterion not in cidx:
                raise AppraisalError(unknown("criterion", head.criterion, cidx), key=("published", "headline", h, "criterion"))

    # Every part was validated above; construct without validating again.
    check_participants(file.participants, list(oidx), criteria_ids, scale, measured=_measured(criteria.criteria))
    for k, person in enumerate(file.participants if file.group_weights is not None else ()):
        try:
            check_group_weights(criteria.groups, criteria.criteria, {**file.weights, **person.weights}, file.group_weights, disabled)
        except AppraisalError as e:
            raise AppraisalError(f"{person.name}'s weights: {e.message}", key=("participants", k, "weights")) from None

    return Appraisal.model_construct(
        title=file.appraisal.title,
        criteria_ref=file.appraisal.criteria,
        scale=scale,
        criteria=criteria.criteria,
        options=file.options,
        cells=tuple(slots),
        weights={c: float(file.weights[c]) for c in criteria_ids},
        disabled=disabled,
        provenance=file.provenance,
        published=file.published,
        participants=tuple(file.participants),
        group=file.group,
        groups=criteria.groups,
        group_weights=None if file.group_weights is None else {g.id: float(file.group_weights[g.id]) for g in criteria.groups},
        cost_unit=file.appraisal.cost_unit,
    )


def _measured(criteria) -> frozenset[str]:
    return frozenset(c.id for c in criteria if c.measured)


def check_participants(participants, option_ids: list[str], criteria_ids: list[str], scale, key: str = "participants",
                       measured: frozenset[str] = frozenset()) -> None:
    names: set[str] = set()
    for k, p in enumerate(participants):
        if p.name in names:
            raise AppraisalError(f"duplicate participant '{p.name}'", key=(key, k, "name"))
        names.add(p.name)
        for cid, w in p.weights.items():
            if cid not in criteria_ids:
                raise AppraisalError(unknown("criterion", cid, criteria_ids), key=(key, k, "weights", cid))
            if not math.isfinite(w) or w < 0:
                raise AppraisalError(f"weight must be a finite number >= 0, not {w}", key=(key, k, "weights", cid))
        for cell, v in p.scores.items():
            option, _, crit = cell.partition(":")
            if option not in option_ids or crit not in criteria_ids:
                raise AppraisalError(f"'{cell}' is not OPTION:CRITERION of this appraisal", key=(key, k, "scores", cell))
            if crit in measured:
                raise AppraisalError(f"'{crit}' is measured in natural units: participants score only criteria on the scale",
                                     key=(key, k, "scores", cell))
            if why := scale.check_score(v):
                raise AppraisalError(why, key=(key, k, "scores", cell))
