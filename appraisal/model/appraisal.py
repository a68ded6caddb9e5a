"""The appraisal: options, criteria, a score per cell with its rationale, and weights."""

from collections import OrderedDict

from typing import Literal

from pydantic import Field

from .base import Flag, Frozen, Id, Number
from .cells import Cell, Cells, Note  # noqa: F401  (Cell is imported from here too)
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
    excluded: Flag = False
    cost: Number | None = Field(default=None, description="what the option costs, in [appraisal] cost_unit; for value for money")

    @property
    def label(self) -> str:
        return self.short or self.name


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
    cells: Cells  # option-major: cells[i * len(criteria) + j]; arrays, with Cells built when asked for
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

    @property
    def score_matrix(self):
        """(options, criteria) read-only float array of scores (derived ones on measured criteria); NaN where missing."""
        return self.cells.scores

    @property
    def measure_matrix(self):
        """(options, criteria) read-only float array of measures, NaN where none; None when no cell has one."""
        return self.cells.measures

    def model_copy(self, *, update=None, deep: bool = False) -> "Appraisal":
        """As pydantic's, and `update={"cells": ...}` may give a sequence of Cells (made into `Cells`,
        keeping those objects)."""
        if update and "cells" in update and not isinstance(update["cells"], Cells):
            update = {**update, "cells": Cells.from_cells(update["cells"]).with_compact(self.cells.compact)}
        return super().model_copy(update=update, deep=deep)

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
