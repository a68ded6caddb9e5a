"""The appraisal: options, criteria, a score per cell with its rationale, and weights."""

from __future__ import annotations

from collections import OrderedDict

from typing import Literal

from pydantic import Field

from .base import Frozen, Id, Number
from .criteria import CriteriaGroup, Criterion
from .scale import Scale


# id -> position maps, cached per tuple (by identity; the cache holds the tuple, so an id is never
# reused while cached). Edits make new tuples, so a stale map is never returned.
_INDEXES: OrderedDict[int, tuple[tuple, dict[str, int]]] = OrderedDict()


def _index(items: tuple) -> dict[str, int]:
    hit = _INDEXES.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1]
    mapping = {x.id: k for k, x in enumerate(items)}
    _INDEXES[id(items)] = (items, mapping)
    if len(_INDEXES) > 256:
        _INDEXES.popitem(last=False)
    return mapping


class Option(Frozen):
    id: Id
    name: str = Field(min_length=1)
    short: str = Field(default="", max_length=16, description="Column heading where the name is too long")
    description: str = ""
    excluded: bool = False
    cost: Number | None = Field(default=None, description="what the option costs, in [appraisal] cost_unit; for value for money")

    @property
    def label(self) -> str:
        return self.short or self.name


class Cell(Frozen):
    """One option's score on one criterion. A missing score is explicit (`missing = true`), never 0."""

    option: Id
    criterion: Id
    score: Number | None = None  # on a measured criterion, derived from `measure` by its value function
    measure: Number | None = Field(default=None, description="in the criterion's natural unit, instead of `score`")
    missing: bool = False
    label: str | None = None  # the rating label as printed in the source
    rationale: str = ""
    inferred: bool = False  # the score was not printed; it was inferred (see note)
    note: str = ""


class Provenance(Frozen):
    document: str = ""
    title: str = ""
    appendix: str = ""
    date: str = ""
    notes: str = ""


class Headline(Frozen):
    name: str
    criterion: Id
    values: dict[Id, float]


class Published(Frozen):
    """Figures printed in the source, kept to reconcile against."""

    unweighted_total: dict[Id, float] = {}
    weighted_total: dict[Id, float] = {}
    weighted_percent: dict[Id, float] = {}
    weighted_computed_for: tuple[Id, ...] | None = None  # None: all options
    headline: tuple[Headline, ...] = ()


class Participant(Frozen):
    """One person's view in a group workshop: their weights and, optionally, their own scores.
    Anything they do not give falls back to the appraisal's."""

    name: str = Field(min_length=1, max_length=60)
    weights: dict[Id, Number] = {}
    scores: dict[str, Number] = Field(default={}, description='"option:criterion" = score')


class GroupSettings(Frozen):
    aggregate: Literal["mean", "median", "geomean"] = Field(default="mean", description="how participants' weight shares combine")
    scores: Literal["mean", "median"] = Field(default="mean", description="how participants' scores for a cell combine")


class Appraisal(Frozen):
    """A validated appraisal. Build it with `model.build.build_appraisal`; edit it with `model.edits`."""

    title: str
    criteria_ref: str = ""  # path of the criteria file, as written in the appraisal file
    scale: Scale
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]
    cells: tuple[Cell, ...]  # option-major: cells[i * len(criteria) + j]
    weights: dict[Id, Number]
    disabled: frozenset[Id] = frozenset()
    provenance: Provenance = Provenance()
    published: Published | None = None
    participants: tuple[Participant, ...] = ()
    group: GroupSettings = GroupSettings()  # how a group workshop's participants combine (not the value tree)
    groups: tuple[CriteriaGroup, ...] = ()  # the value tree's groups, from the criteria file
    group_weights: dict[Id, Number] | None = None  # None: [weights] are global; else they are local to each group
    cost_unit: str = ""

    @property
    def option_index(self) -> dict[str, int]:
        return _index(self.options)

    @property
    def criterion_index(self) -> dict[str, int]:
        return _index(self.criteria)

    def cell(self, option: str, criterion: str) -> Cell:
        return self.cells[self.option_index[option] * len(self.criteria) + self.criterion_index[criterion]]

    def option(self, option_id: str) -> Option:
        return self.options[self.option_index[option_id]]

    def criterion(self, criterion_id: str) -> Criterion:
        return self.criteria[self.criterion_index[criterion_id]]

    def group_node(self, group_id: str) -> CriteriaGroup:
        return next(g for g in self.groups if g.id == group_id)

    @property
    def has_costs(self) -> bool:
        return any(o.cost is not None for o in self.options)

    def participant(self, name: str) -> Participant | None:
        return next((p for p in self.participants if p.name == name), None)
