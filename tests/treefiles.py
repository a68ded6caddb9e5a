"""Small value-tree appraisals written on the fly, for the tree, value-function and value-for-money tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

SCALE = {"min": 1, "max": 5, "step": 0.5, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]}


def tree_criteria() -> dict[str, Any]:
    """Two top-level groups, one nested group, one criterion at the top; two criteria measured in natural units."""
    return {
        "scale": SCALE,
        "groups": [
            {"id": "benefits", "name": "Benefits"},
            {"id": "people", "name": "People", "parent": "benefits"},
            {"id": "delivery", "name": "Delivery"},
        ],
        "criteria": [
            {"id": "quality", "name": "Quality", "group": "benefits"},
            {"id": "staff", "name": "Staff", "group": "people"},
            {"id": "families", "name": "Families", "group": "people"},
            {"id": "running-cost", "name": "Running cost", "group": "delivery", "unit": "£m", "better": "lower",
             "value": {"type": "linear", "worst": 40, "best": 10}},
            {"id": "months", "name": "Months to deliver", "group": "delivery", "unit": "months", "better": "lower",
             "value": {"type": "piecewise", "points": [[6, 5], [12, 4], [24, 1]]}},
            {"id": "risk", "name": "Risk"},
        ],
    }


SCORES = {
    "alpha": {"quality": 4, "staff": 3, "families": 5, "running-cost": 18.5, "months": 9, "risk": 2},
    "beta": {"quality": 3, "staff": 4, "families": 4, "running-cost": 25, "months": 14, "risk": 4},
    "gamma": {"quality": 5, "staff": 2, "families": 3, "running-cost": 31, "months": 20, "risk": 3},
}
MEASURED = {"running-cost", "months"}


def tree_appraisal(scores: dict[str, dict[str, float]] = SCORES, *, group_weights: dict[str, float] | None = None,
                   weights: dict[str, float] | None = None, costs: dict[str, float] | None = None) -> dict[str, Any]:
    crit = [c["id"] for c in tree_criteria()["criteria"]]
    data: dict[str, Any] = {
        "appraisal": {"title": "Tree test", "criteria": "criteria.toml", "cost_unit": "£m"},
        "weights": weights or {"quality": 2, "staff": 1, "families": 1, "running-cost": 3, "months": 1, "risk": 2},
        "options": [{"id": o, "name": o.title(), **({"cost": costs[o]} if costs and o in costs else {})} for o in scores],
        "scores": [{"option": o, "criterion": c, ("measure" if c in MEASURED else "score"): scores[o][c]} for o in scores for c in crit],
    }
    if group_weights is not None:
        data["group_weights"] = group_weights
    return data


def write_tree(tmp_path: Path, data: dict[str, Any] | None = None, criteria: dict[str, Any] | None = None, name: str = "appraisal.toml") -> Path:
    (tmp_path / "criteria.toml").write_text(tomli_w.dumps(criteria or tree_criteria()))
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data or tree_appraisal()))
    return path
