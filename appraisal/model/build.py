"""Cross-checks that make file shapes into a valid `Appraisal`. Errors carry the key path."""

from __future__ import annotations

import math

import numpy as np

from ..errors import AppraisalError, unknown

from .appraisal import Appraisal, Cell
from .cells import NO_NOTE, Cells, Note
from .criteria import Criterion
from .scale import Scale
from .criteria import CriteriaFile
from .files import AppraisalFile, ScoreMatrix
from .matrix import WHERE, Rows, cell_key, check_cells, rows_from_toml
from .limits import cost_problem, weight_problem
from .tree import check_group_weights, check_tree, derived_score

def check_criteria(criteria: CriteriaFile) -> None:
    seen: set[str] = set()
    for j, c in enumerate(criteria.criteria):
        if c.id in seen:
            raise AppraisalError(f"duplicate criterion id '{c.id}'", key=("criteria", j, "id"))
        seen.add(c.id)
    check_tree(criteria)


def check_cost(cost: float | None, key: tuple) -> None:
    if cost is not None and (why := cost_problem(cost)):
        raise AppraisalError(why, key=key)


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
        if why := weight_problem(w):
            raise AppraisalError(why, key=("weights", cid))
    for cid in criteria_ids:
        if cid not in weights:
            raise AppraisalError(f"no weight for criterion '{cid}'", key=("weights",))
    if not any(weights[c] > 0 for c in criteria_ids if c not in disabled):
        raise AppraisalError("weights are all zero on the criteria in use", key=("weights",))


def build_appraisal(file: AppraisalFile, criteria: CriteriaFile, rows: Rows | None = None) -> Appraisal:
    """`rows`: the score matrix when it was read from elsewhere (the CSV [matrix] file names); else
    [matrix.scores], if any, is read here."""
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
    check_cells(len(oidx), len(cidx))
    cells = _cells(file, criteria, oidx, cidx, rows)
    if file.published is not None:
        for key in ("unweighted_total", "weighted_total", "weighted_percent"):
            for oid, value in getattr(file.published, key).items():
                if oid not in oidx:
                    raise AppraisalError(unknown("option", oid, oidx), key=("published", key, oid))
                if not math.isfinite(value):
                    raise AppraisalError(f"must be a finite number, not {value}", key=("published", key, oid))
        for oid in file.published.weighted_computed_for or ():
            if oid not in oidx:
                raise AppraisalError(unknown("option", oid, oidx), key=("published", "weighted_computed_for"))
        for h, head in enumerate(file.published.headline):
            if head.criterion not in cidx:
                raise AppraisalError(unknown("criterion", head.criterion, cidx), key=("published", "headline", h, "criterion"))

    # Every part was validated above; construct without validating again.
    check_participants(file.participants, list(oidx), criteria_ids, scale, measured=_measured(criteria.criteria),
                       weights=dict(file.weights), disabled=disabled)
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
        cells=cells,
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


def _cells(file: AppraisalFile, criteria: CriteriaFile, oidx: dict[str, int], cidx: dict[str, int], rows: Rows | None) -> Cells:
    """Every cell's value from one place, the matrix or a [[scores]] entry; text from either."""
    scale, crits = criteria.scale, criteria.criteria
    n, m = len(oidx), len(cidx)
    scores = np.full((n, m), np.nan)
    measures = np.full((n, m), np.nan)
    given = np.zeros((n, m), dtype=bool)
    matrix = file.matrix
    if rows is None and matrix is not None:
        rows = _toml_rows(matrix)
    if rows is not None:
        _place(rows, crits, scale, oidx, cidx, scores, measures, given)
    from_matrix = given.copy()

    notes: dict[int, Note] = {}
    for k, cell in enumerate(file.scores):
        if cell.option not in oidx:
            raise AppraisalError(unknown("option", cell.option, oidx), key=("scores", k, "option"))
        if cell.criterion not in cidx:
            raise AppraisalError(unknown("criterion", cell.criterion, cidx), key=("scores", k, "criterion"))
        i, j = oidx[cell.option], cidx[cell.criterion]
        crit = crits[j]
        if from_matrix[i, j]:
            if cell.score is not None or cell.measure is not None or cell.missing:
                raise AppraisalError(f"duplicate score for {cell.option}:{cell.criterion} ([matrix] gives it); an entry for a cell of "
                                     "the matrix may only add label, rationale, inferred or note", key=("scores", k))
            if i * m + j in notes:
                raise AppraisalError(f"{cell.option}:{cell.criterion} has two [[scores]] entries adding text", key=("scores", k))
        else:
            if crit.measured or cell.measure is not None:
                cell = scored_cell(cell, crit, scale, k)
            elif cell.score is None and not cell.missing:
                raise AppraisalError("no score: give `score`, or `missing = true` if the source has none", key=("scores", k))
            elif cell.score is not None and cell.missing:
                raise AppraisalError("a cell cannot have a score and `missing = true`", key=("scores", k, "missing"))
            elif cell.score is not None and (why := scale.check_score(cell.score)):
                raise AppraisalError(why, key=("scores", k, "score"))
            if given[i, j]:
                raise AppraisalError(f"duplicate score for {cell.option}:{cell.criterion}", key=("scores", k))
            given[i, j] = True
            if cell.score is not None:
                scores[i, j] = cell.score
            if cell.measure is not None:
                measures[i, j] = cell.measure
        note = Note(cell.label, cell.rationale, cell.inferred, cell.note)
        if note != NO_NOTE:
            notes[i * m + j] = note

    if matrix is not None:
        _keyed_notes(matrix, oidx, cidx, m, notes)
    if not given.all():
        i, j = map(int, np.argwhere(~given)[0])
        raise AppraisalError(
            f"no score for {file.options[i].id}:{crits[j].id} (every option needs a score, or `missing = true`, on every criterion"
            + (": in [matrix] or [[scores]])" if matrix is not None else ")"),
            key=("scores",),
        )
    return Cells([o.id for o in file.options], [c.id for c in crits], scores, measures, notes, compact=matrix is not None)


def _toml_rows(matrix: ScoreMatrix) -> Rows | None:
    if matrix.file is not None:
        if matrix.scores or matrix.criteria is not None:
            raise AppraisalError("give the rows in [matrix.scores] with `criteria`, or in a CSV `file`, not both", key=("matrix", "file"))
        raise AppraisalError("the loader reads a matrix file; this appraisal was given none", key=("matrix", "file"))
    if matrix.criteria is None:
        if matrix.scores:
            raise AppraisalError("[matrix.scores] needs `criteria`: the columns' criterion ids, in order", key=("matrix",))
        return None
    return rows_from_toml(matrix.scores, matrix.criteria)


def _place(rows: Rows, crits, scale: Scale, oidx: dict[str, int], cidx: dict[str, int],
           scores: np.ndarray, measures: np.ndarray, given: np.ndarray) -> None:
    """The matrix's values into the appraisal's arrays, each column checked against its criterion."""
    cols: list[int] = []
    seen: set[int] = set()
    for j, cid in enumerate(rows.criteria):
        if cid not in cidx:
            raise AppraisalError(unknown("criterion", cid, cidx), key=("matrix", "criteria", j))
        if cidx[cid] in seen:
            raise AppraisalError(f"criterion '{cid}' is a column twice", key=("matrix", "criteria", j))
        seen.add(cidx[cid])
        cols.append(cidx[cid])
    places: list[int] = []
    seen = set()
    for oid in rows.options:
        if oid not in oidx:
            raise AppraisalError(unknown("option", oid, oidx), key=(*WHERE, oid))
        if oidx[oid] in seen:
            raise AppraisalError(f"option '{oid}' has two rows", key=(*WHERE, oid))
        seen.add(oidx[oid])
        places.append(oidx[oid])
    if not places or not cols:
        return
    values = rows.values
    on_scale = [c for c, j in enumerate(cols) if not crits[j].measured]
    bad = _off_scale(values[:, on_scale], scale)
    if bad.any():
        r, c = map(int, np.argwhere(bad)[0])
        raise AppraisalError(scale.check_score(float(values[r, on_scale[c]])) or "not on the scale", key=(*WHERE, rows.options[r], on_scale[c]))
    block = np.ix_(places, cols)
    scores[block] = values
    given[block] = True
    for c, j in enumerate(cols):
        crit = crits[j]
        if crit.measured:  # the column holds measures; their scores come from the value function, as a [[scores]] entry's do
            column = values[:, c]
            scores[places, j] = [np.nan if v != v else derived_score(crit, scale, v) for v in column.tolist()]
            measures[places, j] = column


def _off_scale(values: np.ndarray, scale: Scale) -> np.ndarray:
    """Scale.check_score on an array: True where a (non-missing) score is off the scale or its grid."""
    with np.errstate(invalid="ignore", over="ignore"):  # 1e308 overflows to inf: off the scale all the same
        steps = (values - scale.min) / scale.step
        bad = (values < scale.min) | (values > scale.max) | (np.abs(steps - np.round(steps)) > 1e-9)
    return bad & ~np.isnan(values)


_FIELDS = {"label": 0, "rationale": 1, "note": 3}


def _keyed_notes(matrix: ScoreMatrix, oidx: dict[str, int], cidx: dict[str, int], m: int, notes: dict[int, Note]) -> None:
    """[matrix.rationale], [matrix.label], [matrix.note] and `inferred`: text and flags by "option:criterion"."""
    for field, slot in _FIELDS.items():
        fresh = [NO_NOTE[:slot], NO_NOTE[slot + 1:]]
        for text, value in getattr(matrix, field).items():
            option, sep, criterion = text.partition(":")
            i, j = oidx.get(option), cidx.get(criterion)
            if i is None or j is None or not sep:
                raise AppraisalError(f"'{text}' is not OPTION:CRITERION of this appraisal", key=("matrix", field, text))
            k = i * m + j
            note = notes.get(k)
            if note is None:
                notes[k] = Note._make((*fresh[0], value, *fresh[1]))
            elif note[slot] or (slot == 0 and note[0] is not None):
                raise AppraisalError(f"{text} has a {field} in [[scores]] too: give it in one place", key=("matrix", field, text))
            else:
                notes[k] = Note._make((*note[:slot], value, *note[slot + 1:]))
    seen: set[str] = set()
    for n, text in enumerate(matrix.inferred):
        i, j = cell_key(text, oidx, cidx, ("matrix", "inferred", n))
        if text in seen:
            raise AppraisalError(f"{text} is listed twice", key=("matrix", "inferred", n))
        seen.add(text)
        notes[i * m + j] = notes.get(i * m + j, NO_NOTE)._replace(inferred=True)


def _measured(criteria) -> frozenset[str]:
    return frozenset(c.id for c in criteria if c.measured)


def check_participants(participants, option_ids: list[str], criteria_ids: list[str], scale, key: str = "participants",
                       measured: frozenset[str] = frozenset(), *, weights: dict[str, float] | None = None,
                       disabled: frozenset[str] = frozenset()) -> None:
    """`weights` are the appraisal's (a participant's fall back to them): given, a participant must weigh
    some criterion in use."""
    names: set[str] = set()
    for k, p in enumerate(participants):
        if p.name in names:
            raise AppraisalError(f"duplicate participant '{p.name}'", key=(key, k, "name"))
        names.add(p.name)
        for cid, w in p.weights.items():
            if cid not in criteria_ids:
                raise AppraisalError(unknown("criterion", cid, criteria_ids), key=(key, k, "weights", cid))
            if why := weight_problem(w):
                raise AppraisalError(why, key=(key, k, "weights", cid))
        if weights is not None:
            check_participant_weights(p.name, {**weights, **p.weights}, criteria_ids, disabled, key=(key, k, "weights"))
        for cell, v in p.scores.items():
            option, _, crit = cell.partition(":")
            if option not in option_ids or crit not in criteria_ids:
                raise AppraisalError(f"'{cell}' is not OPTION:CRITERION of this appraisal", key=(key, k, "scores", cell))
            if crit in measured:
                raise AppraisalError(f"'{crit}' is measured in natural units: participants score only criteria on the scale",
                                     key=(key, k, "scores", cell))
            if why := scale.check_score(v):
                raise AppraisalError(why, key=(key, k, "scores", cell))


def check_participant_weights(name: str, weights: dict[str, float], criteria_ids: list[str], disabled: frozenset[str],
                              key: tuple = ()) -> None:
    """A participant's own weights (theirs over the appraisal's) must give some criterion in use a share."""
    if not any(weights.get(c, 0) > 0 for c in criteria_ids if c not in disabled):
        raise AppraisalError(f"{name}'s weights are all zero on the criteria in use", key=key)
