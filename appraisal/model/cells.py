"""An appraisal's cells as arrays: the score matrix (NaN where missing), the measures, and the few cells
that carry text or flags; `Cell` values are built from them when asked for.

A 1000 x 1000 appraisal is a million cells: as pydantic objects that is ~600 MB and seconds to build,
as a float matrix 8 MB. Callers that want a cell still get a `Cell` (`a.cells[k]`, `a.cell(o, c)`,
iteration), built on first use and kept, so asking twice gives the same object; the engine, the
exporters and the writer read the arrays.
"""

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from pydantic import Field

from .base import Flag, Frozen, Id, Number


class Cell(Frozen):
    """One option's score on one criterion. A missing score is explicit (`missing = true`), never 0."""

    option: Id
    criterion: Id
    score: Number | None = None  # on a measured criterion, derived from `measure` by its value function
    measure: Number | None = Field(default=None, description="in the criterion's natural unit, instead of `score`")
    missing: Flag = False
    label: str | None = None  # the rating label as printed in the source
    rationale: str = ""
    inferred: Flag = False  # the score was not printed; it was inferred (see note)
    note: str = ""


class Note(NamedTuple):
    """What a cell carries besides its value."""

    label: str | None = None
    rationale: str = ""
    inferred: bool = False
    note: str = ""


NO_NOTE = Note()


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True, order="C")
    a.flags.writeable = False
    return a


class Cells(Sequence[Cell]):
    """Every cell, option-major (`cells[i * len(criteria) + j]`), immutable.

    scores: (n, m) float, NaN where the cell is missing (on a measured criterion, the derived score);
    measures: (n, m) float, NaN where a cell has no measure, or None when none has; notes: flat index ->
    Note, only for cells with a label, a rationale, a note or `inferred`. `compact`: the cells came from a
    score matrix (the writer keeps that layout); it is not part of equality."""

    __slots__ = ("options", "criteria", "scores", "measures", "notes", "compact", "_built")

    def __init__(self, options: Sequence[str], criteria: Sequence[str], scores: np.ndarray,
                 measures: np.ndarray | None = None, notes: Mapping[int, Note] | None = None, *,
                 compact: bool = False, _built: dict[int, Cell] | None = None, _trusted: bool = False):
        n, m = len(options), len(criteria)
        if not _trusted:
            scores = _frozen(scores)
            measures = None if measures is None else _frozen(measures)
        if scores.shape != (n, m) or (measures is not None and measures.shape != (n, m)):
            raise ValueError(f"a score matrix of {n} options x {m} criteria must be ({n}, {m}), not {scores.shape}")
        if measures is not None and not np.isfinite(measures).any():
            measures = None
        set_ = object.__setattr__
        set_(self, "options", tuple(options))
        set_(self, "criteria", tuple(criteria))
        set_(self, "scores", scores)
        set_(self, "measures", measures)
        set_(self, "notes", MappingProxyType({k: v for k, v in (notes or {}).items() if v != NO_NOTE}))
        set_(self, "compact", compact)
        set_(self, "_built", {} if _built is None else _built)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("cells are immutable: edit them with model.edits")

    __delattr__ = __setattr__

    # --- building ------------------------------------------------------------------------------------

    @classmethod
    def from_cells(cls, cells: Iterable[Cell | Mapping[str, Any]]) -> "Cells":
        """From Cell values in option-major order (each option's row in the same criteria order).
        The Cells given are kept: `from_cells(t)[k] is t[k]`."""
        items = tuple(c if isinstance(c, Cell) else Cell.model_validate(c) for c in cells)
        if not items:
            return cls((), (), np.zeros((0, 0)))
        first = items[0].option
        m = next((k for k, c in enumerate(items) if c.option != first), len(items))
        if len(items) % m:
            raise ValueError(f"{len(items)} cells are not a whole number of rows of {m} criteria")
        criteria = tuple(c.criterion for c in items[:m])
        options = tuple(c.option for c in items[::m])
        n = len(options)
        scores = np.full(n * m, np.nan)
        measures = np.full(n * m, np.nan)
        notes: dict[int, Note] = {}
        for k, c in enumerate(items):
            if c.option != options[k // m] or c.criterion != criteria[k % m]:
                raise ValueError(f"cell {k} is {c.option}:{c.criterion}, not {options[k // m]}:{criteria[k % m]} (cells go option by option, "
                                 "each in the criteria's order)")
            if (c.score is None) != c.missing:
                raise ValueError(f"cell {c.option}:{c.criterion} must have a score or be missing, not both or neither")
            if c.score is not None:
                scores[k] = c.score
            if c.measure is not None:
                measures[k] = c.measure
            note = Note(c.label, c.rationale, c.inferred, c.note)
            if note != NO_NOTE:
                notes[k] = note
        return cls(options, criteria, scores.reshape(n, m), measures.reshape(n, m), notes,
                   _built=dict(enumerate(items)))

    def replaced(self, k: int, *, score: float | None, measure: float | None = None) -> "Cells":
        """These cells with cell k's value changed (its text and flags kept). Every other built Cell is
        carried over, so `new[x] is old[x]` for each cell that did not change."""
        scores = self.scores.copy()
        scores.flat[k] = np.nan if score is None else score
        measures = self.measures
        if measure is not None or (measures is not None and not math.isnan(measures.flat[k])):
            measures = np.full(scores.shape, np.nan) if measures is None else measures.copy()
            measures.flat[k] = np.nan if measure is None else measure
            measures.flags.writeable = False
        scores.flags.writeable = False
        built = dict(self._built)
        built.pop(k, None)
        return Cells(self.options, self.criteria, scores, measures, self.notes, compact=self.compact, _built=built, _trusted=True)

    def with_notes(self, changed: Mapping[int, Note]) -> "Cells":
        """These cells with the notes of cells k replaced (values unchanged)."""
        notes = {**self.notes, **changed}
        built = {k: c for k, c in self._built.items() if k not in changed}
        return Cells(self.options, self.criteria, self.scores, self.measures, notes, compact=self.compact, _built=built, _trusted=True)

    def with_compact(self, compact: bool) -> "Cells":
        return Cells(self.options, self.criteria, self.scores, self.measures, self.notes, compact=compact, _built=self._built, _trusted=True)

    # --- reading -------------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.options), len(self.criteria)

    def note(self, k: int) -> Note:
        return self.notes.get(k, NO_NOTE)

    def measure(self, k: int) -> float | None:
        if self.measures is None:
            return None
        v = self.measures.flat[k]
        return None if v != v else float(v)

    def score(self, k: int) -> float | None:
        v = self.scores.flat[k]
        return None if v != v else float(v)

    def __len__(self) -> int:
        return self.scores.size

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return tuple(self[x] for x in range(*k.indices(len(self))))
        size = self.scores.size
        if k < 0:
            k += size
        if not 0 <= k < size:
            raise IndexError("cell index out of range")
        cell = self._built.get(k)
        if cell is None:
            cell = self._built[k] = self._make(k)
        return cell

    def __iter__(self) -> Iterator[Cell]:
        for k in range(self.scores.size):
            yield self[k]

    def _make(self, k: int) -> Cell:
        i, j = divmod(k, len(self.criteria))
        score = self.score(k)
        label, rationale, inferred, note = self.notes.get(k, NO_NOTE)
        return Cell.model_construct(option=self.options[i], criterion=self.criteria[j], score=score, measure=self.measure(k),
                                    missing=score is None, label=label, rationale=rationale, inferred=inferred, note=note)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Cells):
            if other is self:
                return True
            return (self.options == other.options and self.criteria == other.criteria
                    and np.array_equal(self.scores, other.scores, equal_nan=True)
                    and (self.measures is None) == (other.measures is None)
                    and (self.measures is None or np.array_equal(self.measures, other.measures, equal_nan=True))
                    and dict(self.notes) == dict(other.notes))
        if isinstance(other, (tuple, list)):
            return len(other) == len(self) and all(x == y for x, y in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n, m = self.shape
        return f"Cells({n} options x {m} criteria, {len(self.notes)} with notes)"

    def __reduce__(self):
        return (_rebuild, (self.options, self.criteria, np.array(self.scores), None if self.measures is None else np.array(self.measures),
                           dict(self.notes), self.compact))

    def __copy__(self) -> "Cells":
        return self

    def __deepcopy__(self, memo: dict) -> "Cells":
        return self  # immutable

    # --- pydantic: a field of Appraisal that validates from, and dumps to, a list of cells ---------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validate, serialization=core_schema.plain_serializer_function_ser_schema(_dump, info_arg=True))


def _rebuild(options, criteria, scores, measures, notes, compact) -> Cells:
    return Cells(options, criteria, scores, measures, {k: Note(*v) for k, v in notes.items()}, compact=compact)


def _validate(value: Any) -> Cells:
    if isinstance(value, Cells):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise ValueError("cells must be a list of cells")
    return Cells.from_cells(value)


def _dump(cells: Cells, info: Any) -> list[Any]:
    mode = "json" if info.mode_is_json() else "python"
    return [c.model_dump(mode=mode) for c in cells]
