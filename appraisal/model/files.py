"""On-disk shapes of appraisal files. `appraisal schema` prints their JSON Schema."""

from typing import Literal

from pydantic import Field, SkipValidation

from .appraisal import Cell, GroupSettings, Option, Participant, Provenance, Published
from .base import Frozen, Id, Number
from .limits import MAX_OPTIONS
from .expect import Expect


class AppraisalHeader(Frozen):
    title: str = Field(min_length=1)
    criteria: str = Field(min_length=1, description="Path of the criteria file, relative to this file")
    description: str = ""
    disabled: tuple[Id, ...] = Field(default=(), description="Criteria switched off")
    cost_unit: str = Field(default="", max_length=24, description="unit of the options' `cost`, e.g. '£m'")


MISSING = "missing"  # in a score matrix: the source gives no score (never 0)

# A row is checked as a whole in `model.matrix` (one array conversion, not a model per value); the type
# here gives the JSON Schema.
Row = SkipValidation[tuple[Number | Literal["missing"], ...]]


class ScoreMatrix(Frozen):
    """The compact layout for big appraisals: one row of scores per option, and each cell's text keyed
    by "option:criterion". A cell's value comes from one place, the matrix or a [[scores]] entry."""

    criteria: tuple[Id, ...] | None = Field(default=None, description=(
        "the columns of [matrix.scores], in order: criterion ids (all, or some: the other criteria's cells go in [[scores]])"))
    file: str | None = Field(default=None, min_length=1, description=(
        "instead of [matrix.scores]: a CSV beside this file, its first row `option` and the criterion ids, then a row per option"))
    scores: dict[Id, Row] = Field(default={}, description=(
        'option id = its scores in the columns\' order; "missing" where the source has none; a measured criterion\'s column holds measures'))
    rationale: dict[str, str] = Field(default={}, description='"option:criterion" = the rationale for that score')
    label: dict[str, str] = Field(default={}, description='"option:criterion" = the rating label as printed in the source')
    note: dict[str, str] = Field(default={}, description='"option:criterion" = a note on that cell')
    inferred: tuple[str, ...] = Field(default=(), description='"option:criterion" of each score that was inferred, not printed')


class AppraisalFile(Frozen):
    """A base appraisal: options, a score per cell, weights."""

    appraisal: AppraisalHeader
    provenance: Provenance = Provenance()
    weights: dict[str, Number]
    group_weights: dict[str, Number] | None = Field(default=None, description=(
        "weight of each group of the value tree; when present, [weights] are local to each criterion's group"))
    published: Published | None = None
    options: tuple[Option, ...] = Field(min_length=1, max_length=MAX_OPTIONS)
    scores: tuple[Cell, ...] = Field(default=(), description=(
        "one entry per cell; with [matrix], entries for the cells it does not hold, or text for those it does"))
    matrix: ScoreMatrix | None = None
    participants: tuple[Participant, ...] = ()
    group: GroupSettings = GroupSettings()
    expect: Expect | None = Field(default=None, description="Checked by `appraisal replay`")
