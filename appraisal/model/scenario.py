"""Scenario files: a base appraisal, a list of steps, and the results expected.

The same step shape is the workshop journal's: a session replays exactly as it was recorded.
"""

from typing import Annotated, Any, Literal, Union

from pydantic import Field

from .appraisal import GroupSettings, Participant
from .actions import ACTIONS  # noqa: F401  (the tags of Step)
from .base import Frozen, Id, Number
from .expect import Bound, CrossoverExpectation, Expect, SmaaExpectation  # noqa: F401  (part of a scenario file)


class StepBase(Frozen):
    note: str = ""
    by: str = ""
    at: str = ""  # ISO 8601 timestamp


class ExcludeStep(StepBase):
    action: Literal["exclude", "include"]
    option: Id


class ScoreStep(StepBase):
    action: Literal["set-score"]
    option: Id
    criterion: Id
    score: Number
    participant: str = Field(default="", description="set this participant's score, not the appraisal's")


class WeightStep(StepBase):
    action: Literal["set-weight"]
    criterion: Id
    weight: Number
    participant: str = Field(default="", description="set this participant's weight, not the appraisal's")


class MeasureStep(StepBase):
    action: Literal["set-measure"]
    option: Id
    criterion: Id
    measure: Number = Field(description="in the criterion's natural unit; the value function derives the score")


class CostStep(StepBase):
    action: Literal["set-cost"]
    option: Id
    cost: Number


class GroupWeightStep(StepBase):
    action: Literal["set-group-weight"]
    group: Id
    weight: Number


class ParticipantStep(StepBase):
    action: Literal["add-participant", "remove-participant"]
    participant: str = Field(min_length=1, max_length=60)


class EnableStep(StepBase):
    action: Literal["disable", "enable"]
    criterion: Id


class PresetStep(StepBase):
    action: Literal["weights-preset"]
    preset: Literal["equal", "as-loaded", "rank-order-centroid", "swing"]
    order: tuple[Id, ...] = Field(default=(), description="rank-order-centroid: criteria, most important first")
    points: dict[str, Number] = Field(default={}, description="swing: points out of 100 per criterion (the most important gets 100)")
    within: str = Field(default="", description=(
        'one level of the value tree: a group id (its groups and criteria), or "/" (the top-level groups); '
        "empty: every criterion, as without a tree"))


class SnapshotStep(StepBase):
    """A named state of the workshop ("before lunch"): the state the steps before it lead to. It changes
    nothing; the app offers it for comparison when the scenario is opened."""

    action: Literal["snapshot"]
    name: str = Field(min_length=1, max_length=80)


Step = Annotated[Union[ExcludeStep, ScoreStep, WeightStep, EnableStep, PresetStep, ParticipantStep, MeasureStep, CostStep, GroupWeightStep,
                       SnapshotStep], Field(discriminator="action")]


class ScenarioHeader(Frozen):
    title: str = Field(min_length=1)
    base: str = Field(min_length=1, description="Appraisal or scenario this builds on, relative to this file")
    description: str = ""
    criteria: str = Field(default="", description=(
        "a criteria file to use instead of the base's (the same criteria and scale, e.g. arranged into a value tree)"))


class ScenarioFile(Frozen):
    """A scenario: steps applied to a base appraisal, and what the result must be."""

    scenario: ScenarioHeader
    participants: tuple[Participant, ...] = ()  # added to the base's
    group: GroupSettings | None = None
    group_weights: dict[str, Number] | None = Field(default=None, description="weights of the value tree's groups (makes [weights] local)")
    steps: tuple[Step, ...] = ()
    expect: Expect | None = None


def step_dict(step: Step) -> dict[str, Any]:
    """A step as written in files and journals: `action` first, defaults left out."""
    data = step.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["action"] = step.action  # a default-valued discriminator must still be written
    return {"action": data.pop("action"), **data}
