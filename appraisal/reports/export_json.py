"""Appraisal -> JSON export: the whole appraisal and its results. The loader reads it back, identically."""

from __future__ import annotations

import json
from typing import Any

from ..io.exported_json import FORMAT, VERSION
from ..model import Appraisal
from .ranking import ranking_report


def to_json(a: Appraisal) -> str:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "appraisal": a.model_dump(mode="json"),
        "results": ranking_report(a),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
