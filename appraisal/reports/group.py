"""Group workshop analysis -> results keyed by ids and names: the JSON of `appraisal group`, sentences
for the room, and the group's or one participant's appraisal (for replay expectations and exports)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.group import GroupAnalysis, GroupProblem, analyse, group_problem, group_problem_from, participant_problem, participant_shares
from ..model import Appraisal
from ..model.cells import Cells
from .safe_text import add_row, term

WORDS = "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()


def _word(n: int, capital: bool = False) -> str:
    w = WORDS[n] if 0 <= n < len(WORDS) else str(n)
    return w.capitalize() if capital else w


def _as_appraisal(a: Appraisal, p) -> Appraisal:
    """An appraisal whose weights and scores are those of a problem (shares become the weights: they are
    effective weights already, so a value tree's [group_weights] no longer apply and groups give subtotals)."""
    scores = np.where(np.isnan(p.scores), a.score_matrix, p.scores)
    cells = Cells(a.cells.options, a.cells.criteria, scores, a.cells.measures, a.cells.notes, compact=a.cells.compact)
    return a.model_copy(update={"weights": {c.id: float(p.weights[j]) for j, c in enumerate(a.criteria)}, "cells": cells, "participants": (),
                                "group_weights": None})


def group_appraisal(a: Appraisal, aggregate: str | None = None) -> Appraisal:
    g = group_problem_from(a if aggregate is None else a.model_copy(update={"group": a.group.model_copy(update={"aggregate": aggregate})}))
    return _as_appraisal(a, group_problem(g))


def participant_appraisal(a: Appraisal, name: str) -> Appraisal:
    g = group_problem_from(a)
    return _as_appraisal(a, participant_problem(g, g.names.index(name)))


def sentences(a: Appraisal, r: GroupAnalysis, names: tuple[str, ...]) -> list[str]:
    name = [o.name for o in a.options]
    crit = [c.name for c in a.criteria]
    if r.leader is None:
        out = ["The group has no single preferred option: there is a tie for first place."]
    else:
        out = [f"The group prefers {name[r.leader]}."]
    P = len(names)
    if P:
        others: dict[int | None, int] = {}
        for lead in r.participant_leaders:
            if lead != r.leader:
                others[lead] = others.get(lead, 0) + 1
        for lead, count in sorted(others.items(), key=lambda kv: -kv[1]):
            what = f"prefer {name[lead]}" if lead is not None else "have a tie for first place"
            verb = what if count > 1 else what.replace("prefer ", "prefers ").replace("have a", "has a")
            out.append(f"{_word(count, True)} of {_word(P)} participants {verb}.")
        if not others:
            out.append(f"All {_word(P)} participants prefer it too." if P > 1 else "The one participant prefers it too.")
    cells = [(i, j) for i, j in zip(*np.nonzero(r.decisive_cells))]
    crits = list(np.flatnonzero(r.decisive_criteria))
    parts = [f"the disagreement on '{crit[j]}' for {name[i]}" for i, j in cells] + [f"the weight given to '{crit[j]}'" for j in crits]
    if not parts:
        out.append("No disagreement in the room could change the group's choice." if P > 1 else "")
    elif len(parts) == 1:
        out.append(f"Only {parts[0]} could change the group's choice.")
    else:
        out.append(f"{_word(len(parts), True)} disagreements could change the group's choice: " + "; ".join(parts) + ".")
    return [s for s in out if s]


def room_smaa(g, r: GroupAnalysis, *, samples: int, seed: int, mode: str) -> dict[str, Any]:
    """SMAA driven by the room: weights from the participants' (hull or fitted Dirichlet), each rescored
    cell uniform within the participants' range."""
    from ..engine.group import room_weight_sampler
    from ..engine.smaa import smaa

    ranged = (r.counts > 0) & (r.cell_max > r.cell_min)
    low = np.where(ranged, r.cell_min, r.problem.scores)
    high = np.where(ranged, r.cell_max, r.problem.scores)
    res = smaa(r.problem, samples, seed=seed, weight_sampler=room_weight_sampler(g, mode), score_low=low, score_high=high)
    return {"samples": samples, "seed": seed, "weights": mode,
            "rank_acceptability": {int(i): [float(x) for x in res.rank_acceptability[k]] for k, i in enumerate(res.options)}}


def group_report(a: Appraisal, aggregate: str | None = None, *, samples: int = 10_000, seed: int = 0, room: str = "hull") -> dict[str, Any]:
    appraisal = a if not aggregate else a.model_copy(update={"group": a.group.model_copy(update={"aggregate": aggregate})})
    group = group_problem_from(appraisal)
    return report_of(appraisal, group, analyse(group), samples=samples, seed=seed, room=room)


def report_of(appraisal: Appraisal, group: GroupProblem, analysis: GroupAnalysis, *, samples: int = 0, seed: int = 0, room: str = "hull") -> dict[str, Any]:
    """The report of an analysis already made (the app's disagreement view analyses once)."""
    oid, cid = group.base.options, group.base.criteria

    def who(k: int) -> str | None:
        return group.names[k] if k >= 0 else None

    gsh = analysis.problem.weights
    psh = participant_shares(group)
    return {
        "aggregate": appraisal.group.aggregate,
        "score_aggregate": appraisal.group.scores,
        "participants_count": group.size,
        "group": {
            "leader": None if analysis.leader is None else oid[analysis.leader],
            "ranking": analysis.evaluation.ranking(),
            "value": analysis.evaluation.by_option(analysis.evaluation.weighted, ranked_only=True),
            "weights": {cid[j]: float(gsh[j]) for j in range(len(cid))},
        },
        "participants": [
            {"name": group.names[k], "leader": None if analysis.participant_leaders[k] is None else oid[analysis.participant_leaders[k]],
             "ranking": analysis.participants[k].ranking(),
             "weighted_total": analysis.participants[k].by_option(analysis.participants[k].weighted, ranked_only=True)}
            for k in range(group.size)
        ],
        "decisive_cells": [
            {"option": oid[i], "criterion": cid[j], "min": float(analysis.cell_min[i, j]), "max": float(analysis.cell_max[i, j]),
             "std": float(analysis.cell_std[i, j]), "low": who(int(analysis.low_holder[i, j])), "high": who(int(analysis.high_holder[i, j]))}
            for i, j in zip(*np.nonzero(analysis.decisive_cells))
        ],
        "decisive_criteria": [
            {"criterion": cid[j], "min_share": float(analysis.share_min[j]), "max_share": float(analysis.share_max[j]),
             "low": group.names[int(np.argmin(psh[:, j]))], "high": group.names[int(np.argmax(psh[:, j]))]}
            for j in np.flatnonzero(analysis.decisive_criteria)
        ],
        "spread": [
            {"option": oid[i], "criterion": cid[j], "count": int(analysis.counts[i, j]), "min": float(analysis.cell_min[i, j]), "max": float(analysis.cell_max[i, j]),
             "std": float(analysis.cell_std[i, j]), "decisive": bool(analysis.decisive_cells[i, j])}
            for i, j in zip(*np.nonzero(analysis.counts > 0))
        ],
        "leave_one_out": {group.names[k]: (None if lead is None else oid[lead]) for k, lead in enumerate(analysis.leave_one_out)},
        "smaa": _ids(room_smaa(group, analysis, samples=samples, seed=seed, mode=room), oid) if group.size and samples else None,
        "sentences": sentences(appraisal, analysis, group.names),
    }


def leader_without(report: dict[str, Any], who: str, name: dict[str, str]) -> str:
    """The group's choice without `who`, in words: with one participant nobody is left to have one."""
    if len(report["leave_one_out"]) <= 1:
        return "nobody else"
    return name.get(report["leave_one_out"][who], "a tie")


def _ids(result: dict[str, Any], oid: list[str]) -> dict[str, Any]:
    result["rank_acceptability"] = {oid[i]: v for i, v in result["rank_acceptability"].items()}
    return result


def render_group(a: Appraisal, r: dict[str, Any]):
    from rich.console import Group
    from rich.table import Table

    name = {o.id: o.label for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    parts: list[Any] = [term(s, style="bold" if k == 0 else "") for k, s in enumerate(r["sentences"])]
    t = Table(title=f"Group ranking ({r['aggregate']} of {r['participants_count']} participants' weights)", title_justify="left", header_style="bold")
    t.add_column("#", justify="right")
    t.add_column("Option")
    t.add_column("Value (score scale)", justify="right")
    for k, oid in enumerate(r["group"]["ranking"], 1):
        add_row(t, str(k), name[oid], f"{r['group']['value'][oid]:.3f}")
    parts.append(t)
    t = Table(title="Participants", title_justify="left", header_style="bold")
    for h in ("Participant", "Prefers", "Ranking", "Group leader without them"):
        t.add_column(h)
    for p in r["participants"]:
        add_row(t, p["name"], name.get(p["leader"], "a tie"), " > ".join(name[o] for o in p["ranking"]),
                  leader_without(r, p["name"], name))
    parts.append(t)
    if r.get("smaa"):
        sm = r["smaa"]
        t = Table(title=f"SMAA driven by the room: {sm['samples']:,} samples (seed {sm['seed']}), weights from the participants' "
                        f"{'convex hull' if sm['weights'] == 'hull' else 'fitted Dirichlet'}, rescored cells within their range",
                  title_justify="left", header_style="bold")
        t.add_column("Option")
        n = len(sm["rank_acceptability"])
        for k in range(n):
            t.add_column(f"Rank {k + 1}", justify="right")
        for oid, row in sm["rank_acceptability"].items():
            add_row(t, name[oid], *[f"{x * 100:.1f}%" for x in row])
        parts.append(t)
    if r["decisive_cells"] or r["decisive_criteria"]:
        t = Table(title="Decisive disagreements", title_justify="left", header_style="bold")
        for h in ("Where", "Range", "Lowest", "Highest"):
            t.add_column(h)
        for d in r["decisive_cells"]:
            add_row(t, f"{name[d['option']]} / {cname[d['criterion']]}", f"{d['min']:g}–{d['max']:g}", d["low"] or "", d["high"] or "")
        for d in r["decisive_criteria"]:
            add_row(t, f"weight of {cname[d['criterion']]}", f"{d['min_share'] * 100:.1f}%–{d['max_share'] * 100:.1f}% of the weight", d["low"], d["high"])
        parts.append(t)
    return Group(*parts)
