"""Criteria files: a scale and the criteria, in order."""

from __future__ import annotations

from pydantic import Field

from .base import Frozen, Id
from .scale import Scale


class Criterion(Frozen):
    id: Id
    name: str = Field(min_length=1)
    description: str = ""


class CriteriaFile(Frozen):
    """The on-disk shape of `criteria/*.toml`. Cross-checks (unique ids) live in `build.py`."""

    scale: Scale
    criteria: tuple[Criterion, ...] = Field(min_length=1)
