"""On-disk shapes of appraisal files. `appraisal schema` prints their JSON Schema."""

from __future__ import annotations

from pydantic import Field

from .appraisal import Cell, GroupSettings, Option, Participant, Provenance, Published
from .base import Frozen, Id, Number
from .scenario import Expect


class AppraisalHeader(Frozen):
    title: str = Field(min_length=1)
    criteria: str = Field(min_length=1, description="Path of the criteria file, relative to this file")
    description: str = ""
    disabled: tuple[Id, ...] = Field(default=(), description="Criteria switched off")
    cost_unit: str = Field(default="", max_length=24, description="unit of the options' `cost`, e.g. '£m'")


class AppraisalFile(Frozen):
    """A base appraisal: options, a score per cell, weights."""

    appraisal: AppraisalHeader
    provenance: Provenance = Provenance()
    weights: dict[str, Number]
    group_weights: dict[str, Number] | None = Field(default=None, description=(
        "weight of each group of the value tree; when present, [weights] are local to each criterion's group"))
    published: Published | None = None
    options: tuple[Option, ...] = Field(min_length=1)
    scores: tuple[Cell, ...]
    participants: tuple[Participant, ...] = ()
    group: GroupSettings = GroupSettings()
    expect: Expect | None = Field(default=None, description="Checked by `appraisal replay`")
