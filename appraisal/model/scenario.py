"""Scenario files: a base appraisal, a list of steps, and the results expected.

The same step shape is the workshop journal's: a session replays exactly as it was recorded.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field

from .appraisal import GroupSettings, Participant
from .base import Flag, Frozen, Id, Number


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
ACTIONS = ("exclude", "include", "set-score", "set-weight", "disable", "enable", "weights-preset", "add-participant", "remove-participant",
           "set-measure", "set-cost", "set-group-weight", "snapshot")


class Bound(Frozen):
    at_least: float | None = None
    at_most: float | None = None


class SmaaExpectation(Frozen):
    samples: int = Field(default=10_000, ge=1, le=10_000_000)
    seed: int = 0
    perturb: float | None = Field(default=None, ge=0, le=1, description="fraction: 0.2 = +-20%")
    score_uncertainty: float = Field(default=0.0, ge=0)
    first: dict[Id, Bound] = {}


class CrossoverExpectation(Frozen):
    criterion: Id
    share: float
    to: Id | None = None
    from_: Id | None = Field(default=None, alias="from")
    tolerance: float = 1e-6


class Expect(Frozen):
    """What replay checks. `group` and `participant` take the same keys, for group workshops."""

    tolerance: float = Field(default=1e-6, ge=0)
    leader: Id | None = None
    weighted_ranking: tuple[Id, ...] | None = None
    unweighted_ranking: tuple[Id, ...] | None = None
    weighted_total: dict[Id, float] = {}
    unweighted_total: dict[Id, float] = {}
    weighted_percent: dict[Id, float] = {}
    dominated: tuple[Id, ...] | None = None
    potentially_optimal: dict[Id, Flag] = {}
    crossover: tuple[CrossoverExpectation, ...] = ()
    smaa: SmaaExpectation | None = None
    group_totals: dict[Id, dict[Id, float]] = Field(default={}, description="option -> group -> weighted value of its criteria")
    frontier: tuple[Id, ...] | None = Field(default=None, description="the value-for-money frontier, cheapest first")
    group: Expect | None = None
    participant: dict[str, Expect] = {}


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
