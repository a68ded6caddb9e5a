"""Reading an exported .json appraisal back (the `appraisal export --format json` layout), through the
same checks as a TOML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import AppraisalError
from ..model import Appraisal, AppraisalFile, CriteriaFile, build_appraisal
from .parse import describe_error
from .read import parse_json, read_text

FORMAT = "appraisal-export"
VERSION = 1


def from_json(raw: dict[str, Any]) -> Appraisal:
    """Rebuild through the same checks as a TOML file (AppraisalFile + CriteriaFile)."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise AppraisalError(f"not an appraisal export (expected \"format\": \"{FORMAT}\")", key=("format",))
    a = raw.get("appraisal")
    if not isinstance(a, dict):
        raise AppraisalError("missing the appraisal", key=("appraisal",))
    criteria = CriteriaFile.model_validate({"scale": a.get("scale"), "groups": a.get("groups") or [], "criteria": a.get("criteria")})
    disabled = a.get("disabled") or []
    if not isinstance(disabled, list) or not all(isinstance(c, str) for c in disabled):
        raise AppraisalError("must be a list of criterion ids", key=("appraisal", "disabled"))
    cells = a.get("cells")
    if isinstance(cells, list):  # a measure's score is derived, not read back
        cells = [{k: v for k, v in c.items() if not (k == "score" and c.get("measure") is not None)} if isinstance(c, dict) else c for c in cells]
    file = AppraisalFile.model_validate({
        "appraisal": {"title": a.get("title"), "criteria": a.get("criteria_ref") or "(embedded)", "disabled": sorted(disabled),
                      "cost_unit": a.get("cost_unit") or ""},
        "provenance": a.get("provenance") or {},
        "weights": a.get("weights"),
        "group_weights": a.get("group_weights"),
        "published": a.get("published"),
        "options": a.get("options"),
        "scores": cells or (),
        "matrix": a.get("matrix"),
        "participants": a.get("participants") or (),
        "group": a.get("group") or {},
    })
    return build_appraisal(file, criteria)


def load_exported_json(path: Path) -> Appraisal:
    raw = parse_json(read_text(path), str(path))
    try:
        return from_json(raw)
    except ValidationError as e:
        err = e.errors()[0]
        raise AppraisalError(describe_error(err), key=("appraisal", *err["loc"]), file=str(path)) from None
    except AppraisalError as e:
        raise e.located(file=str(path)) from None
