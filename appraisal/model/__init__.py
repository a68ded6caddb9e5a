"""Pydantic models: pure data and validation. No I/O; numpy only to hold an appraisal's cells as a matrix
(`cells`).

The modules defining models leave out `from __future__ import annotations`: Python then evaluates each
annotation as the class is made, where pydantic would eval every string itself (~4 ms of every start-up)."""

from .appraisal import Appraisal, Cell, Headline, Option, Provenance, Published
from .build import build_appraisal, check_criteria
from .criteria import CriteriaFile, Criterion
from .files import AppraisalFile
from .scale import Level, Scale

__all__ = [
    "Appraisal", "AppraisalFile", "Cell", "CriteriaFile", "Criterion", "Headline", "Level", "Option",
    "Provenance", "Published", "Scale", "build_appraisal", "check_criteria",
]
