"""Sensitivity on a value tree, keyed by ids: one-way on each group's share, switching values of measures
in natural units, central weights summed by group; and their plain sentences. Part of the sensitivity
report (`appraisal sensitivity`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.problem import Problem
from ..engine.tree import group_shares, tree_from
from ..engine.tree_sensitivity import group_one_way_all, measure_switching
from ..engine.value import curves_of, measures_of
from ..model import Appraisal
from .numbers import with_unit
from .tree import raw_weights


def _ids(oid: tuple[str, ...], group) -> str | list[str]:
    return oid[group[0]] if len(group) == 1 else [oid[i] for i in group]


def group_one_way_report(a: Appraisal, p: Problem) -> list[dict[str, Any]]:
    if not a.groups:
        return []
    t = tree_from(a)
    gid, oid = t.group_ids, p.options
    return [
        {
            "group": gid[ow.group],
            "parent": a.groups[ow.group].parent,
            "share": ow.share,
            "leader_interval": list(ow.leader_interval),
            "ranking_interval": list(ow.ranking_interval),
            "crossovers": [{"share": c.share, "from": _ids(oid, c.before), "to": _ids(oid, c.after)} for c in ow.crossovers],
        }
        for ow in group_one_way_all(p, t, raw_weights(a))
    ]


def measure_switching_report(a: Appraisal, p: Problem) -> list[dict[str, Any]]:
    curves = curves_of(a)
    if not curves:
        return []
    oid, cid = p.options, p.criteria
    return [
        {
            "option": oid[s.option], "criterion": cid[s.criterion], "unit": a.criteria[s.criterion].unit,
            "measure": s.measure, "score": s.score, "threshold": s.threshold, "threshold_score": s.threshold_score,
            "direction": "above" if s.above else "below", "new_leader": None if s.new_leader is None else oid[s.new_leader],
        }
        for s in measure_switching(p, measures_of(a), curves)
    ]


def measure_edit(a: Appraisal, j: int, before: float, after: float) -> dict[str, Any]:
    """For a score edit on a measured criterion: the unit and the measures that score so."""
    c = a.criteria[j]
    if c.value is None:
        return {}
    from ..engine.value import curve, measure_for

    v = curve(c.value.curve(a.scale))
    return {"unit": c.unit, "from_measure": measure_for(v, before), "to_measure": measure_for(v, after)}


def central_group_shares(a: Appraisal, central: dict[str, dict[str, float] | None]) -> dict[str, dict[str, float] | None]:
    """Each option's central weights summed by group."""
    t = tree_from(a)
    out: dict[str, dict[str, float] | None] = {}
    for option, weights in central.items():
        if weights is None:
            out[option] = None
            continue
        w = np.array([weights.get(c.id, 0.0) for c in a.criteria])
        out[option] = {g: float(x) for g, x in zip(t.group_ids, group_shares(t, w))}
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def tree_sentences(a: Appraisal, r: dict[str, Any]) -> list[tuple[float, str]]:
    """(how far the change is, sentence), for the group one-way crossovers nearest the current shares."""
    leader = r["leader"]
    if leader is None:
        return []
    name = {o.id: o.name for o in a.options}
    gname = {g.id: g.name for g in a.groups}
    out = []
    if r.get("group_one_way") and not any(ow["crossovers"] for ow in r["group_one_way"]):
        out.append((2.0, f"No change to a single group's weight among its siblings displaces {name[leader]}."))
    for ow in r.get("group_one_way", []):
        of = "of the total" if ow["parent"] is None else f"within '{gname[ow['parent']]}'"
        t0 = ow["share"]
        above = [c for c in ow["crossovers"] if c["share"] > t0 + 1e-12]
        below = [c for c in ow["crossovers"] if c["share"] < t0 - 1e-12]
        if above:
            c = min(above, key=lambda c: c["share"])
            out.append((c["share"] - t0, f"{name[leader]} stays first unless the weight on the group '{gname[ow['group']]}' rises above "
                        f"{_pct(c['share'])} {of} ({_who(c['to'], name)} would lead)."))
        if below:
            c = max(below, key=lambda c: c["share"])
            out.append((t0 - c["share"], f"{name[leader]} stays first unless the weight on the group '{gname[ow['group']]}' falls below "
                        f"{_pct(c['share'])} {of} ({_who(c['from'], name)} would lead)."))
    return out


def measure_sentences(a: Appraisal, r: dict[str, Any]) -> list[str]:
    """The leader's measures, each with the value at which it would lose the lead; then the nearest
    measure by which a rival would take it."""
    leader = r["leader"]
    switches = [s for s in r.get("measure_switching", []) if s["threshold"] is not None]
    if leader is None or not switches:
        return []
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name.lower() for c in a.criteria}
    verb = {"above": "rises above", "below": "falls below"}
    out = []
    for s in switches:
        if s["option"] == leader:
            out.append(f"{name[leader]} stays first unless its {cname[s['criterion']]} {verb[s['direction']]} "
                       f"{with_unit(s['threshold'], s['unit'])} (now {with_unit(s['measure'], s['unit'])}; {name[s['new_leader']] if s['new_leader'] else 'a tie'} would lead).")
    rivals = [s for s in switches if s["option"] != leader]
    if rivals:
        s = min(rivals, key=lambda s: abs(s["threshold"] - s["measure"]) / max(abs(s["measure"]), 1e-9))
        out.append(f"{name[s['option']]} would lead if its {cname[s['criterion']]} "
                   f"{'rose above' if s['direction'] == 'above' else 'fell below'} {with_unit(s['threshold'], s['unit'])} (now {with_unit(s['measure'], s['unit'])}).")
    return out


def _who(ids: str | list[str], name: dict[str, str]) -> str:
    return name[ids] if isinstance(ids, str) else " = ".join(name[i] for i in ids)
