"""Files, below the reports: reading defensively, the one loader, atomic writes, TOML writing, the
session journal, spreadsheet import. Nothing here imports `appraisal.reports`.

Writers are imported from their modules (`appraisal.io.atomic`, ...) so that loading stays lean.
"""

from .load import Loaded, load, load_appraisal, load_criteria

__all__ = ["Loaded", "load", "load_appraisal", "load_criteria"]
