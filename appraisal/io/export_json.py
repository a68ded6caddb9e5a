"""JSON export: the whole appraisal and its results. `load_appraisal` reads it back, identically."""

from __future__ import annotations

import json
from typing import Any

from ..model import Appraisal
from ..report import ranking_report

FORMAT = "appraisal-export"
VERSION = 1


def to_json(a: Appraisal) -> str:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "appraisal": a.model_dump(mode="json"),
        "results": ranking_report(a),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(raw: dict[str, Any]) -> Appraisal:
    """Rebuild through the same checks as a TOML file (AppraisalFile + CriteriaFile)."""
    from ..errors import AppraisalError
    from ..model import AppraisalFile, CriteriaFile, build_appraisal

    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise AppraisalError(f"not an appraisal export (expected \"format\": \"{FORMAT}\")", key=("format",))
    a = raw.get("appraisal")
    if not isinstance(a, dict):
        raise AppraisalError("missing the appraisal", key=("appraisal",))
    criteria = CriteriaFile.model_validate({"scale": a.get("scale"), "criteria": a.get("criteria")})
    file = AppraisalFile.model_validate({
        "appraisal": {"title": a.get("title"), "criteria": a.get("criteria_ref") or "(embedded)", "disabled": sorted(a.get("disabled") or [])},
        "provenance": a.get("provenance") or {},
        "weights": a.get("weights"),
        "published": a.get("published"),
        "options": a.get("options"),
        "scores": a.get("cells"),
    })
    built = build_appraisal(file, criteria)
    # Keep the order of switched-off criteria irrelevant: it is a set.
    return built
