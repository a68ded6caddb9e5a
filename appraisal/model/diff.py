"""Two states of one appraisal -> the steps that take the first to the second. Used to keep a
workshop's snapshots when the file they started from is saved over, and to write them into a
scenario when they are not on the session's path.

`steps_between` is exact or says it is not: applying its steps to `a` gives `b` (in everything steps
can change: options in or out, scores and measures, costs, weights and group weights, criteria on or off,
participants), or it returns None (a missing score cannot be made missing again by a step)."""

from __future__ import annotations

from ..errors import AppraisalError
from .appraisal import Appraisal
from .scenario import CostStep, EnableStep, ExcludeStep, GroupWeightStep, MeasureStep, ParticipantStep, ScoreStep, Step, WeightStep
from .steps import apply_step


def steps_between(a: Appraisal, b: Appraisal) -> list[Step] | None:
    """Steps from `a` to `b` (the same options and criteria), or None when no steps can do it exactly."""
    if [o.id for o in a.options] != [o.id for o in b.options] or [c.id for c in a.criteria] != [c.id for c in b.criteria]:
        return None
    m = len(a.criteria)
    # A measured cell (value tree) takes its measure, and its score follows; others take their score.
    remeasured = [k for k, (x, y) in enumerate(zip(a.cells, b.cells)) if x.measure != y.measure]
    rescored = [k for k, (x, y) in enumerate(zip(a.cells, b.cells)) if x.score != y.score and y.measure is None]
    if any(b.cells[k].score is None for k in rescored) or any(b.cells[k].measure is None for k in remeasured):
        return None
    if a.group_weights != b.group_weights and b.group_weights is None:
        return None  # weights made local cannot be made global again by a step
    theirs = _participants(a, b)
    # An excluded option cannot be scored: options to rescore are brought back in first, and taken out
    # again at the end if `b` has them out. Criteria go on before weights move, off at the end.
    touched = {a.options[k // m].id for k in rescored + remeasured} | {s.option for s in theirs if isinstance(s, ScoreStep)}
    back_in = [o.id for o in a.options if o.excluded and (not b.option(o.id).excluded or o.id in touched)]
    out_again = [o.id for o in b.options if o.excluded and (not a.option(o.id).excluded or o.id in back_in)]
    steps: list[Step] = [ExcludeStep(action="include", option=o) for o in back_in]
    steps += [EnableStep(action="enable", criterion=c) for c in sorted(a.disabled - b.disabled, key=a.criterion_index.get)]
    if b.group_weights is not None and a.group_weights != b.group_weights:
        steps += [GroupWeightStep(action="set-group-weight", group=g, weight=w) for g, w in b.group_weights.items()]
    # Weights that rise before those that fall, so the weights in use are never all zero on the way.
    moves = [(c.id, b.weights[c.id]) for c in a.criteria if a.weights[c.id] != b.weights[c.id]]
    moves.sort(key=lambda cw: cw[1] < a.weights[cw[0]])
    steps += [WeightStep(action="set-weight", criterion=c, weight=w) for c, w in moves]
    steps += [ScoreStep(action="set-score", option=a.options[k // m].id, criterion=a.criteria[k % m].id, score=b.cells[k].score) for k in rescored]
    steps += [MeasureStep(action="set-measure", option=a.options[k // m].id, criterion=a.criteria[k % m].id, measure=b.cells[k].measure)
              for k in remeasured]
    steps += [CostStep(action="set-cost", option=p.id, cost=p.cost) for o, p in zip(a.options, b.options) if o.cost != p.cost and p.cost is not None]
    steps += theirs
    steps += [EnableStep(action="disable", criterion=c) for c in sorted(b.disabled - a.disabled, key=a.criterion_index.get)]
    steps += [ExcludeStep(action="exclude", option=o) for o in out_again]
    try:
        state = a
        for step in steps:
            state = apply_step(state, step, a)
    except AppraisalError:
        return None
    return steps if _editable(state) == _editable(b) else None


def _editable(a: Appraisal) -> tuple:
    """What steps can change (the title, the criteria's file and the provenance are not theirs to change)."""
    return a.options, a.cells, a.weights, a.disabled, a.participants, a.group_weights


def _participants(a: Appraisal, b: Appraisal) -> list[Step]:
    """From the first participant who differs on: removed, then added again as `b` has them (in order)."""
    same = 0
    while same < min(len(a.participants), len(b.participants)) and a.participants[same] == b.participants[same]:
        same += 1
    steps: list[Step] = [ParticipantStep(action="remove-participant", participant=p.name) for p in a.participants[same:]]
    for p in b.participants[same:]:
        steps.append(ParticipantStep(action="add-participant", participant=p.name))
        steps += [WeightStep(action="set-weight", criterion=c, weight=w, participant=p.name) for c, w in p.weights.items()]
        for key, score in p.scores.items():
            option, _, criterion = key.partition(":")
            steps.append(ScoreStep(action="set-score", option=option, criterion=criterion, score=score, participant=p.name))
    return steps
