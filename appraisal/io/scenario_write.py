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

    def ranking(ranks) -> list[str]:
        return [a.options[i].id for _, i in sorted((int(r), i) for i, r in enumerate(ranks) if r > 0)]

    active = [i for i, o in enumerate(a.options) if not o.excluded and ev.rank_weighted[i] > 0]
    out: dict[str, Any] = {}
    if ev.leader is not None:
        out["leader"] = a.options[ev.leader].id
    out["weighted_ranking"] = ranking(ev.rank_weighted)
    out["unweighted_ranking"] = ranking(ev.rank_unweighted)
    out["weighted_total"] = {a.options[i].id: float(ev.weighted[i]) for i in active}
    out["unweighted_total"] = {a.options[i].id: float(ev.unweighted[i]) for i in active}
    out["tolerance"] = 1e-9
    return out


def scenario_toml(title: str, base: str, steps: list[Step], final: Appraisal, *, description: str = "") -> str:
    head = {"title": title, "base": base, **({"description": description} if description else {})}
    return document(
        [("scenario", head), ("steps", [step_dict(s) for s in steps]), ("expect", expect_state(final))],
        header="# Written by appraisal. Replay it with: appraisal replay <this file>\n",
    )
