"""The rating scale: numeric range, step, and the label printed for each level."""

import math
import re
from functools import lru_cache

from pydantic import Field, model_validator

from .base import Frozen
from .limits import MAX_SPAN, MAX_STEPS



@lru_cache(maxsize=4096)  # labels repeat on every cell; findings read them all
def normalise_label(label: str) -> str:
    """'Low - med' and 'Low-Med' are the same label; compare case- and spacing-blind."""
    return re.sub(r"\s*[-\u2013]\s*", "-", label.strip().lower())


class Level(Frozen):
    value: float
    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class Scale(Frozen):
    min: float = 1
    max: float = 5
    step: float = Field(default=0.5, gt=0)
    levels: tuple[Level, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> "Scale":
        if not (math.isfinite(self.min) and math.isfinite(self.max)) or self.min >= self.max:
            raise ValueError(f"scale min ({self.min:g}) must be below max ({self.max:g})")
        if self.max - self.min > MAX_SPAN:
            raise ValueError(f"the scale spans {self.max - self.min:g} points ({self.min:g}..{self.max:g}); at most {MAX_SPAN}")
        if not math.isfinite(self.step):
            raise ValueError(f"step must be a finite number, not {self.step}")
        if (self.max - self.min) / self.step > MAX_STEPS:
            raise ValueError(f"step {self.step:g} gives {(self.max - self.min) / self.step:g} steps from {self.min:g} to {self.max:g}; "
                             f"at most {MAX_STEPS:,}")
        values = [lv.value for lv in self.levels]
        if len(set(values)) != len(values):
            raise ValueError("scale levels repeat a value")
        for lv in self.levels:
            if not self.min <= lv.value <= self.max:
                raise ValueError(f"level {lv.value:g} is outside {self.min:g}..{self.max:g}")
        return self

    def check_score(self, score: float) -> str | None:
        """Why `score` is not on this scale, or None when it is."""
        if not isinstance(score, (int, float)) or isinstance(score, bool):
            return f"score must be a number, not {score!r}"
        if not math.isfinite(score):
            return f"score must be a finite number, not {score}"
        if not self.min <= score <= self.max:
            return f"score {score:g} is outside the scale {self.min:g}..{self.max:g}"
        steps = (score - self.min) / self.step
        if abs(steps - round(steps)) > 1e-9:
            return f"score {score:g} is not a multiple of the scale step {self.step:g}"
        return None

    def label_for(self, score: float | None) -> str:
        """The canonical label of a whole level, or '' between levels or when missing."""
        if score is None:
            return ""
        for lv in self.levels:
            if abs(lv.value - score) < 1e-9:
                return lv.label
        return ""

    def value_of_label(self, label: str) -> float | None:
        return _values_by_label(self.levels).get(normalise_label(label))


@lru_cache(maxsize=64)
def _values_by_label(levels: tuple[Level, ...]) -> dict[str, float]:
    """Each normalised label and alias -> its level's value (the first level to use a label keeps it)."""
    out: dict[str, float] = {}
    for lv in levels:
        for x in (lv.label, *lv.aliases):
            out.setdefault(normalise_label(x), lv.value)
    return out
