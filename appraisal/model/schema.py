"""JSON Schema of each file kind, generated from the models (for editors' TOML language servers)."""

from __future__ import annotations

from typing import Any


def json_schema(kind: str) -> dict[str, Any]:
    if kind == "criteria":
        from .criteria import CriteriaFile as model
    elif kind == "scenario":
        from .scenario import ScenarioFile as model  # type: ignore[assignment]
    else:
        from .files import AppraisalFile as model  # type: ignore[assignment]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"appraisal {kind} file"
    return schema
