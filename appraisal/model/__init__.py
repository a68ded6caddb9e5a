"""Pydantic models: pure data and validation. No I/O; numpy only to hold an appraisal's cells as a matrix
(`cells`)."""

from .appraisal import Appraisal, Cell, Headline, Option, Provenance, Published
from .build import build_appraisal, check_criteria
from .criteria import CriteriaFile, Criterion
from .files import AppraisalFile
from .scale import Level, Scale

__all__ = [
    "Appraisal", "AppraisalFile", "Cell", "CriteriaFile", "Criterion", "Headline", "Level", "Option",
    "Provenance", "Published", "Scale", "build_appraisal", "check_criteria",
]
