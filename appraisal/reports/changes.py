"""Edits (scenario and journal steps) -> the words people read: one describer for the changes view,
undo and redo notices, reason prompts and the journal-restore prompt."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Appraisal
from ..model.scenario import Step
from .numbers import fmt, fmt_nonzero

PRESET_NAMES = {"equal": "equal", "as-loaded": "as loaded", "rank-order-centroid": "rank-order centroid", "swing": "swing"}


def describe_step(step: Step, names: Appraisal, before: Appraisal | None = None, *, reverse: bool = False) -> str:
    """One edit in words, naming options and criteria as `names` does. Given the appraisal `before`
    it, a new score or weight says what it was (`3 → 4`); with `reverse` (an undo), what it goes back
    to (`4 → 3`). An edit of a participant's view says whose."""
    option = _option_label(names, getattr(step, "option", ""))
    criterion = _criterion_name(names, getattr(step, "criterion", ""))
    whose = getattr(step, "participant", "") if step.action in ("set-score", "set-weight") else ""

    def change(old: str, new: str) -> str:
        return f"{new} → {old}" if reverse else f"{old} → {new}"

    if step.action == "set-score":
        old = _old_score(before, step) if before is not None else None
        text = f"{option} / {criterion}: " + (change(fmt(old), fmt(step.score)) if old is not None else f"score {fmt(step.score)}")
    elif step.action == "set-weight":
        old = _old_weight(before, step) if before is not None else None
        text = f"weight of {criterion}: " + (change(fmt_nonzero(old, 2), fmt_nonzero(step.weight, 2)) if old is not None else fmt_nonzero(step.weight, 2))
        text = text[0].upper() + text[1:]
    elif step.action == "snapshot":
        text = f"Snapshot '{step.name}'"
    elif step.action in ("exclude", "include"):
        text = f"{step.action.capitalize()} {option}"
    elif step.action in ("disable", "enable"):
        text = f"{'Switch off' if step.action == 'disable' else 'Switch on'} {criterion}"
    elif step.action in ("add-participant", "remove-participant"):
        text = f"{'Add' if step.action == 'add-participant' else 'Remove'} participant {step.participant}"
    elif step.action in ("set-measure", "set-cost", "set-group-weight"):
        text = _describe_tree_step(step, names, before, reverse=reverse)
    else:
        text = f"Weights: {PRESET_NAMES.get(step.preset, step.preset)}"
        if step.within:
            text += " among the top-level groups" if step.within == "/" else f" within {_group_name(names, step.within)}"
    return f"{whose}: {text}" if whose else text


def describe_steps(steps: Sequence[Step], names: Appraisal, before: Appraisal | None = None, *, limit: int = 3, reverse: bool = False) -> str:
    """One user action (one or more edits) in words: each edit, or the first few and how many more."""
    if len(steps) == 1:
        return describe_step(steps[0], names, before, reverse=reverse)
    shown = "; ".join(describe_step(s, names, before, reverse=reverse) for s in steps[:limit])
    more = len(steps) - limit
    return f"{len(steps)} changes: {shown}" + (f"; and {more} more" if more > 0 else "")


def _describe_tree_step(step: Step, names: Appraisal, before: Appraisal | None, *, reverse: bool = False) -> str:
    """A measure (with its unit), a cost or a group's weight, with the old value when known (with
    `reverse`, an undo: the value it goes back to last)."""
    from .numbers import with_unit

    def change(old: float | None, new: float, show) -> str:
        if old is None:
            return show(new)
        return f"{show(new)} → {show(old)}" if reverse else f"{show(old)} → {show(new)}"

    if step.action == "set-measure":
        unit = names.criterion(step.criterion).unit if step.criterion in names.criterion_index else ""
        old = before.cell(step.option, step.criterion).measure if before is not None and step.option in before.option_index \
            and step.criterion in before.criterion_index else None
        return f"{_option_label(names, step.option)} / {_criterion_name(names, step.criterion)}: {change(old, step.measure, lambda x: with_unit(x, unit))}"
    if step.action == "set-cost":
        old = before.option(step.option).cost if before is not None and step.option in before.option_index else None
        return f"Cost of {_option_label(names, step.option)}: {change(old, step.cost, lambda x: with_unit(x, names.cost_unit))}"
    old = None
    if before is not None:
        old = (before.group_weights or {}).get(step.group)
    return f"Weight of group {_group_name(names, step.group)}: {change(old, step.weight, lambda x: fmt(x, 2))}"


def _group_name(a: Appraisal, gid: str) -> str:
    return next((g.name for g in a.groups if g.id == gid), gid)


def _option_label(a: Appraisal, oid: str) -> str:
    return a.option(oid).label if oid in a.option_index else oid


def _criterion_name(a: Appraisal, cid: str) -> str:
    return a.criterion(cid).name if cid in a.criterion_index else cid


def _old_score(a: Appraisal, step) -> float | None:
    if step.option not in a.option_index or step.criterion not in a.criterion_index:
        return None
    if step.participant:
        person = a.participant(step.participant)
        if person is None:
            return None
        own = person.scores.get(f"{step.option}:{step.criterion}")
        if own is not None:
            return own
    return a.cell(step.option, step.criterion).score


def _old_weight(a: Appraisal, step) -> float | None:
    if step.criterion not in a.criterion_index:
        return None
    if step.participant:
        person = a.participant(step.participant)
        if person is None:
            return None
        return person.weights.get(step.criterion, a.weights[step.criterion])
    return a.weights[step.criterion]
