"""Applying scenario and journal steps. Errors carry the step field they concern."""

from __future__ import annotations

from ..errors import AppraisalError, unknown
from . import edits
from .appraisal import Appraisal
from . import tree_edits
from .scenario import (CostStep, EnableStep, ExcludeStep, GroupWeightStep, MeasureStep, ParticipantStep, PresetStep, ScoreStep, SnapshotStep,
                       Step, WeightStep)


def _field(e: AppraisalError, name: str) -> AppraisalError:
    return AppraisalError(e.message, key=(name,))


def apply_step(a: Appraisal, step: Step, as_loaded: Appraisal) -> Appraisal:
    """`as_loaded` is the appraisal before any step, for the 'as-loaded' weights preset."""
    try:
        if isinstance(step, SnapshotStep):
            return a  # a name for the state reached so far
        if isinstance(step, ExcludeStep):
            if step.option not in a.option_index:
                raise AppraisalError(unknown("option", step.option, a.option_index), key=("option",))
            excluded = a.option(step.option).excluded
            if step.action == "exclude" and excluded:
                raise AppraisalError(f"option '{step.option}' is already excluded", key=("option",))
            if step.action == "include" and not excluded:
                raise AppraisalError(f"option '{step.option}' is not excluded", key=("option",))
            return edits.set_excluded(a, step.option, step.action == "exclude")
        if isinstance(step, ParticipantStep):
            try:
                if step.action == "add-participant":
                    return edits.add_participant(a, step.participant)
                return edits.remove_participant(a, step.participant)
            except AppraisalError as e:
                raise _field(e, "participant") from None
        if isinstance(step, (ScoreStep, WeightStep)) and step.participant and a.participant(step.participant) is None:
            known = ", ".join(p.name for p in a.participants) or "none: add one with an add-participant step"
            raise AppraisalError(f"unknown participant '{step.participant}' (participants: {known})", key=("participant",))
        if isinstance(step, ScoreStep):
            if step.option not in a.option_index:
                raise AppraisalError(unknown("option", step.option, a.option_index), key=("option",))
            if a.option(step.option).excluded:
                raise AppraisalError(f"option '{step.option}' is excluded: include it before scoring it", key=("option",))
            if step.criterion not in a.criterion_index:
                raise AppraisalError(unknown("criterion", step.criterion, a.criterion_index), key=("criterion",))
            try:
                if step.participant:
                    return edits.set_participant_score(a, step.participant, step.option, step.criterion, step.score)
                return edits.set_score(a, step.option, step.criterion, step.score)
            except AppraisalError as e:
                raise _field(e, "score") from None
        if isinstance(step, WeightStep):
            if step.criterion not in a.criterion_index:
                raise AppraisalError(unknown("criterion", step.criterion, a.criterion_index), key=("criterion",))
            try:
                if step.participant:
                    return edits.set_participant_weight(a, step.participant, step.criterion, step.weight)
                return edits.set_weight(a, step.criterion, step.weight)
            except AppraisalError as e:
                raise _field(e, "weight") from None
        if isinstance(step, EnableStep):
            if step.criterion not in a.criterion_index:
                raise AppraisalError(unknown("criterion", step.criterion, a.criterion_index), key=("criterion",))
            return edits.set_enabled(a, step.criterion, step.action == "enable")
        if isinstance(step, (MeasureStep, CostStep, GroupWeightStep)):
            return _apply_tree_step(a, step)
        if isinstance(step, PresetStep) and step.within:
            return _apply_level_preset(a, step)
        if isinstance(step, PresetStep):
            if step.preset == "equal":
                return edits.equal_weights(a)
            if step.preset == "as-loaded":
                return tree_edits.restore_weights(a, as_loaded)
            if step.preset == "rank-order-centroid":
                try:
                    return edits.rank_order_centroid(a, step.order)
                except AppraisalError as e:
                    raise _field(e, "order") from None
            try:
                return edits.swing_weights(a, step.points)
            except AppraisalError as e:
                raise _field(e, "points") from None
    except AppraisalError as e:
        if not e.key:
            raise AppraisalError(e.message, key=("action",)) from None
        raise
    raise AppraisalError(f"unknown action {step.action!r}", key=("action",))  # unreachable: validated


def _apply_tree_step(a: Appraisal, step: MeasureStep | CostStep | GroupWeightStep) -> Appraisal:
    if isinstance(step, GroupWeightStep):
        try:
            return tree_edits.set_group_weight(a, step.group, step.weight)
        except AppraisalError as e:
            raise _field(e, "group" if "unknown group" in e.message else "weight") from None
    if step.option not in a.option_index:
        raise AppraisalError(unknown("option", step.option, a.option_index), key=("option",))
    if isinstance(step, CostStep):
        try:
            return edits.set_cost(a, step.option, step.cost)
        except AppraisalError as e:
            raise _field(e, "cost") from None
    if a.option(step.option).excluded:
        raise AppraisalError(f"option '{step.option}' is excluded: include it before measuring it", key=("option",))
    if step.criterion not in a.criterion_index:
        raise AppraisalError(unknown("criterion", step.criterion, a.criterion_index), key=("criterion",))
    try:
        return edits.set_measure(a, step.option, step.criterion, step.measure)
    except AppraisalError as e:
        raise _field(e, "measure") from None


def _apply_level_preset(a: Appraisal, step: PresetStep) -> Appraisal:
    """A preset at one level of the value tree (`within` a group, or "/" for the top level)."""
    try:
        if step.preset == "equal":
            return tree_edits.equal_within(a, step.within)
        if step.preset == "rank-order-centroid":
            return tree_edits.rank_order_centroid_within(a, step.within, step.order)
        if step.preset == "swing":
            return tree_edits.swing_within(a, step.within, step.points)
    except AppraisalError as e:
        field = "within" if "unknown group" in e.message else {"rank-order-centroid": "order", "swing": "points"}.get(step.preset, "within")
        raise _field(e, field) from None
    raise AppraisalError("'as-loaded' restores every weight: leave out `within`", key=("within",))
