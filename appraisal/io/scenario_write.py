"""Writing scenario files: steps, and an [expect] table that pins the state the steps lead to."""

from __future__ import annotations

from typing import Any

from ..engine import evaluate, problem_from
from ..model import Appraisal
from ..model.scenario import Step, step_dict
from .toml_write import document


def expect_state(a: Appraisal) -> dict[str, Any]:
    """Everything replay needs to reproduce totals and ranks exactly."""
    ev = evaluate(problem_from(a))
    out: dict[str, Any] = {}
    if ev.leader_id is not None:
        out["leader"] = ev.leader_id
    out["weighted_ranking"] = ev.ranking()
    out["unweighted_ranking"] = ev.ranking(weighted=False)
    out["weighted_total"] = ev.by_option(ev.weighted, ranked_only=True)
    out["unweighted_total"] = ev.by_option(ev.unweighted, ranked_only=True)
    out["tolerance"] = 1e-9
    return out


def scenario_toml(title: str, base: str, steps: list[Step], final: Appraisal, *, description: str = "") -> str:
    head = {"title": title, "base": base, **({"description": description} if description else {})}
    return document(
        [("scenario", head), ("steps", [step_dict(s) for s in steps]), ("expect", expect_state(final))],
        header="# Written by appraisal. Replay it with: appraisal replay <this file>\n",
    )
