"""Criteria files: a scale, the criteria in order, and the groups that arrange them into a value tree.

A criterion is scored on the scale, or measured in natural units (`unit`, `better`, `value`): its score
is then derived from the measure by a value function (linear or piecewise linear, clamped at the ends).
"""

from typing import Annotated, Literal, Union

from pydantic import Field

from .base import Frozen, Id, Number
from .limits import MAX_CRITERIA, MAX_GROUPS
from .scale import Scale


class LinearValue(Frozen):
    """`worst` maps to the scale's min, `best` to its max, linear between, clamped outside."""

    type: Literal["linear"]
    worst: Number
    best: Number

    def curve(self, scale: Scale) -> list[tuple[float, float]]:
        """(measure, score) points in increasing measure."""
        pts = [(float(self.worst), float(scale.min)), (float(self.best), float(scale.max))]
        return sorted(pts)


class PiecewiseValue(Frozen):
    """measure -> score points, in increasing measure; linear between points, clamped at the ends."""

    type: Literal["piecewise"]
    points: tuple[tuple[Number, Number], ...] = Field(description="[[measure, score], ...] in increasing measure")

    def curve(self, scale: Scale) -> list[tuple[float, float]]:  # noqa: ARG002 - the same call as LinearValue's
        return [(float(x), float(y)) for x, y in self.points]


ValueFunction = Annotated[Union[LinearValue, PiecewiseValue], Field(discriminator="type")]


class CriteriaGroup(Frozen):
    """A node of the value tree. Groups nest through `parent`; criteria name their group."""

    id: Id
    name: str = Field(min_length=1)
    parent: Id | None = None
    description: str = ""


class Criterion(Frozen):
    id: Id
    name: str = Field(min_length=1)
    description: str = ""
    group: Id | None = Field(default=None, description="the group this criterion sits in; none: the top of the tree")
    unit: str = Field(default="", max_length=24, description="natural unit of the measure, e.g. '£m' (needs `value`)")
    better: Literal["higher", "lower"] = Field(default="higher", description="which way a measure is better (needs `value`)")
    value: ValueFunction | None = Field(default=None, description="value function: the measure -> a score on the scale")

    @property
    def measured(self) -> bool:
        """Scored through a measure in natural units, not directly on the scale."""
        return self.value is not None


class CriteriaFile(Frozen):
    """The on-disk shape of `criteria/*.toml`. Cross-checks (unique ids, the tree, value functions)
    live in `build.py` and `tree.py`."""

    scale: Scale
    groups: tuple[CriteriaGroup, ...] = Field(default=(), max_length=MAX_GROUPS)
    criteria: tuple[Criterion, ...] = Field(min_length=1, max_length=MAX_CRITERIA)
