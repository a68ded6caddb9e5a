"""Reading and writing files: TOML, CSV, XLSX, JSON, journals, atomic saves."""

from .atomic import write_atomic
from .load import load_appraisal, load_criteria

__all__ = ["load_appraisal", "load_criteria", "write_atomic"]
