"""Reading and writing files: TOML, CSV, XLSX, JSON, journals, atomic saves.

Writers are imported from their modules (`appraisal.io.atomic`, ...) so that loading stays lean.
"""

from .load import load_appraisal, load_criteria

__all__ = ["load_appraisal", "load_criteria"]
