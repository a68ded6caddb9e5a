"""Engine analyses -> the sensitivity report keyed by ids (the JSON of `appraisal sensitivity`), its
plain sentences and its rich rendering."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import problem_from
from ..engine.oneway import one_way_all
from ..engine.optimality import potential_optimality
from ..engine.smaa import smaa
from ..engine.switching import smallest_leader_change, score_switching, sole_leader, tornado, _values
from ..model import Appraisal
from .safe_text import add_row, term
from .tree_sensitivity import (central_group_shares, group_one_way_report, measure_edit, measure_sentences, measure_switching_report,
                               tree_sentences)


def _f(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def sensitivity_report(
    a: Appraisal, *, samples: int = 10_000, seed: int = 0, perturb: float | None = None,
    score_uncertainty: float = 0.0, tornado_range: float = 0.5,
) -> dict[str, Any]:
    p = problem_from(a)
    oid, cid = p.options, p.criteria
    active = p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)
    leader = sole_leader(_values(p), active)

    def ids(group) -> str | list[str]:
        return oid[group[0]] if len(group) == 1 else [oid[i] for i in group]

    by_node = bool(a.groups) and a.group_weights is not None and perturb is None  # weights elicited level by level
    if not samples:
        sm = None
    elif by_node:
        from ..engine.tree import tree_from
        from ..engine.tree_sensitivity import tree_smaa

        sm = tree_smaa(p, tree_from(a), samples=samples, seed=seed, score_uncertainty=score_uncertainty)
    else:
        sm = smaa(p, samples=samples, seed=seed, perturb=perturb, score_uncertainty=score_uncertainty)
    measured = {c.id for c in a.criteria if c.measured}
    optimal = potential_optimality(p)
    edits, new_leader = smallest_leader_change(p)
    report = {
        "leader": None if leader is None else oid[leader],
        "one_way": [
            {
                "criterion": cid[ow.criterion],
                "share": ow.share,
                "leader_interval": list(ow.leader_interval),
                "ranking_interval": list(ow.ranking_interval),
                "crossovers": [{"share": c.share, "from": ids(c.before), "to": ids(c.after)} for c in ow.crossovers],
            }
            for ow in one_way_all(p)
        ],
        "score_switching": [
            {
                "option": oid[s.option], "criterion": cid[s.criterion], "score": s.score,
                "switch_to": s.switch_to, "new_leader": None if s.new_leader is None else oid[s.new_leader],
                "threshold": _f(s.threshold),
            }
            for s in score_switching(p, step=a.scale.step) if cid[s.criterion] not in measured  # measures: measure_switching
        ],
        "measure_switching": measure_switching_report(a, p),
        "group_one_way": group_one_way_report(a, p),
        "smallest_change": {
            "points": int(sum(abs(e.after - e.before) for e in edits)),
            "edits": [{"option": oid[e.option], "criterion": cid[e.criterion], "from": e.before, "to": e.after,
                       **measure_edit(a, e.criterion, e.before, e.after)} for e in edits],
            "new_leader": None if new_leader is None else oid[new_leader],
        },
        "smaa": None if sm is None else {
            "samples": sm.samples,
            "seed": sm.seed,
            "mode": "uniform at each node of the value tree" if by_node else "uniform" if perturb is None else f"perturb +-{perturb * 100:g}%",
            "score_uncertainty": score_uncertainty,
            "rank_acceptability": {oid[i]: [float(x) for x in sm.rank_acceptability[r]] for r, i in enumerate(sm.options)},
            "central_weights": {
                oid[i]: ({cid[j]: float(sm.central_weights[r, j]) for j in range(len(cid))} if not np.isnan(sm.central_weights[r]).all() else None)
                for r, i in enumerate(sm.options)
            },
            "confidence": {oid[i]: float(sm.confidence[r]) for r, i in enumerate(sm.options)},
            "ranks": len(sm.options),
        },
        "potentially_optimal": {oid[o.option]: o.potentially_optimal for o in optimal},
        "optimality_weights": {
            oid[o.option]: None if o.weights is None else {cid[j]: float(w) for j, w in enumerate(o.weights) if w > 0}
            for o in optimal
        },
        "tornado": [
            {"criterion": cid[b.criterion], "low_margin": _f(b.low_margin), "high_margin": _f(b.high_margin),
             "leader_changes": b.leader_changes, "base_margin": _f(b.base_margin)}
            for b in tornado(p, tornado_range)
        ],
        "tornado_range": tornado_range,
    }
    if report["smaa"] is not None and a.groups:
        report["smaa"]["central_group_shares"] = central_group_shares(a, report["smaa"]["central_weights"])
    return report


def sentences(a: Appraisal, r: dict[str, Any]) -> list[str]:
    """Plain statements of what would have to change, nearest first."""
    name = {o.id: o.name for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    leader = r["leader"]
    if leader is None:
        return ["No option leads alone: there is a tie for first place."]
    out = []
    moves = []
    for ow in r["one_way"]:
        t0 = ow["share"]
        above = [c for c in ow["crossovers"] if c["share"] > t0 + 1e-12]
        below = [c for c in ow["crossovers"] if c["share"] < t0 - 1e-12]
        if above:
            c = min(above, key=lambda c: c["share"])
            moves.append((c["share"] - t0, f"{name[leader]} stays first unless the weight on '{cname[ow['criterion']]}' rises above "
                          f"{_pct(c['share'])} of the total ({who(c['to'], name)} would lead)."))
        if below:
            c = max(below, key=lambda c: c["share"])
            moves.append((t0 - c["share"], f"{name[leader]} stays first unless the weight on '{cname[ow['criterion']]}' falls below "
                          f"{_pct(c['share'])} of the total ({who(c['from'], name)} would lead)."))
    moves += tree_sentences(a, r)
    out += [text for _, text in sorted(moves)]
    if not moves:
        out.append(f"No change to a single criterion's weight displaces {name[leader]}.")
    out += measure_sentences(a, r)
    switches = [s for s in r["score_switching"] if s["switch_to"] is not None]
    if not switches:
        sc = r["smallest_change"]
        tail = f"; the fewest one-point edits that do are {sc['points']}" if sc["edits"] else ""
        out.append(f"No single score change within the scale changes the leader{tail}.")
    else:
        s0 = min(switches, key=lambda s: abs(s["switch_to"] - s["score"]))
        out.append(f"{len(switches)} single score changes within the scale change the leader; the smallest: {name[s0['option']]} on "
                   f"'{cname[s0['criterion']]}' from {s0['score']:g} to {s0['switch_to']:g} ({name[s0['new_leader']]} would lead).")
    return out


def deterministic_report(a: Appraisal, tornado_range: float = 0.5) -> dict[str, Any]:
    """Everything but SMAA (which the app runs in a worker): fast enough to compute on every view."""
    return sensitivity_report(a, samples=0, tornado_range=tornado_range)


CENTRAL_HEADER = "Best at its central weights"
CENTRAL_LEGEND = ("whether the option comes first when every criterion is weighted as in the average of the random weightings "
                  "that put it first (its central weights); 'never first' when no weighting did. It is not a probability: "
                  "an option first in 0.4% of weightings can still be best at its own central weights.")


def central_words(confidence: float, first_share: float, uncertain: bool = False) -> str:
    """SMAA-2's confidence factor in words. Without score uncertainty it is 1, 1/g (a g-way tie) or 0: the
    option is, ties, or is not best at its central weights; with uncertain scores, the share of score draws
    in which it is."""
    if first_share <= 0:
        return "never first"
    if uncertain:
        return f"in {100 * confidence:.1f}% of score draws"
    if confidence >= 1 - 1e-9:
        return "yes"
    if confidence <= 1e-9:
        return "no"
    return f"tied ({round(1 / confidence)} ways)"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def one_way_table(a: Appraisal, r: dict[str, Any], *, title: str, expand: bool = False):
    """The one-way results as a rich table (the command line and the workshop app show the same)."""
    from rich.table import Table

    name = {o.id: o.label for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    t = Table(title=title, title_justify="left", header_style="bold", expand=expand)
    for h in ("Criterion", "Share now", "Leader holds", "Ranking holds", "Crossovers"):
        t.add_column(h, justify="left" if h in ("Criterion", "Crossovers") else "right")
    for ow in r["one_way"]:
        lo, hi = ow["leader_interval"]
        rlo, rhi = ow["ranking_interval"]
        cross = "; ".join(f"{_pct(c['share'])}: {who(c['from'], name)} → {who(c['to'], name)}" for c in ow["crossovers"]) or "–"
        # Names are data: Text is never parsed as markup, and control characters are shown, not obeyed.
        add_row(t, term(cname[ow["criterion"]]), _pct(ow["share"]), f"{_pct(lo)}–{_pct(hi)}", f"{_pct(rlo)}–{_pct(rhi)}", term(cross))
    return t


def group_one_way_table(a: Appraisal, r: dict[str, Any], *, expand: bool = False):
    """One-way on each group's share among its siblings (its criteria keep their shares within it)."""
    from rich.table import Table

    name = {o.id: o.label for o in a.options}
    group = {g.id: g for g in a.groups}
    depth = {g.id: 0 for g in a.groups}
    for g in a.groups:
        p = g.parent
        while p is not None:
            depth[g.id] += 1
            p = group[p].parent
    t = Table(title="One-way on groups (share among the group's siblings; its criteria keep their shares within it)",
              title_justify="left", header_style="bold", expand=expand)
    for h in ("Group", "Share now", "Leader holds", "Ranking holds", "Crossovers"):
        t.add_column(h, justify="left" if h in ("Group", "Crossovers") else "right")
    for ow in r["group_one_way"]:
        lo, hi = ow["leader_interval"]
        rlo, rhi = ow["ranking_interval"]
        cross = "; ".join(f"{_pct(c['share'])}: {who(c['from'], name)} → {who(c['to'], name)}" for c in ow["crossovers"]) or "–"
        add_row(t, "  " * depth[ow["group"]] + group[ow["group"]].name, _pct(ow["share"]), f"{_pct(lo)}–{_pct(hi)}", f"{_pct(rlo)}–{_pct(rhi)}", cross)
    return t


def measure_switching_table(a: Appraisal, r: dict[str, Any]):
    """Switching values of measures, in their natural units."""
    from rich.table import Table

    from .numbers import with_unit

    name = {o.id: o.label for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    t = Table(title="Switching values in natural units (the measure at which the lead changes)", title_justify="left", header_style="bold")
    for h in ("Option", "Criterion", "Now", "Lead changes", "Then leads"):
        t.add_column(h, justify="right" if h in ("Now", "Lead changes") else "left")
    for s in r["measure_switching"]:
        change = "never (beyond the value function)" if s["threshold"] is None else f"{s['direction']} {with_unit(s['threshold'], s['unit'])}"
        add_row(t, name[s["option"]], cname[s["criterion"]], with_unit(s["measure"], s["unit"]), change,
                  name.get(s["new_leader"], "–") if s["new_leader"] else "–")
    return t


def render_sensitivity(a: Appraisal, r: dict[str, Any]):
    from rich.console import Group
    from rich.table import Table

    from .numbers import with_unit

    name = {o.id: o.label for o in a.options}
    cname = {c.id: c.name for c in a.criteria}
    parts: list[Any] = [term(f"Leader: {name.get(r['leader'], 'a tie')}", style="bold")]
    parts += [term(line) for line in sentences(a, r)]

    parts.append(one_way_table(a, r, title="One-way weight sensitivity (share of total weight)"))
    if r.get("group_one_way"):
        parts.append(group_one_way_table(a, r))
    if r.get("measure_switching"):
        parts.append(measure_switching_table(a, r))

    sc = r["smallest_change"]
    if sc["edits"]:
        edits = ", ".join(f"{name[e['option']]} / {e['criterion']}: {e['from']:g} -> {e['to']:g}"
                          + (f" (measure {with_unit(e['from_measure'], e['unit'])} -> {with_unit(e['to_measure'], e['unit'])})" if "unit" in e else "")
                          for e in sc["edits"])
        parts.append(term(f"Smallest change of scores that changes the leader: {sc['points']} one-point edits ({edits}); then {name.get(sc['new_leader'], 'a tie')} leads."))
    switches = [s for s in r["score_switching"] if s["switch_to"] is not None]
    parts.append(term(
        f"Single-score switching values: {len(switches)} of {len(r['score_switching'])} cells can change the leader within the scale"
        + (": " + "; ".join(f"{name[s['option']]} / {s['criterion']} {s['score']:g} -> {s['switch_to']:g} ({name[s['new_leader']]} leads)" for s in switches[:8]) if switches else ".")
    ))

    sm = r["smaa"]
    t = Table(title=f"SMAA-2 rank acceptability ({sm['samples']:,} samples, seed {sm['seed']}, weights {sm['mode']}"
              + (f", scores +-{sm['score_uncertainty']:g}" if sm["score_uncertainty"] else "") + ")", header_style="bold")
    t.add_column("Option")
    for k in range(sm["ranks"]):
        t.add_column(f"Rank {k + 1}", justify="right")
    t.add_column(CENTRAL_HEADER, justify="right")
    t.add_column("Can lead alone", justify="center")
    for oid, row in sm["rank_acceptability"].items():
        add_row(t, name[oid], *[_pct(x) for x in row], central_words(sm["confidence"][oid], row[0] if row else 0, bool(sm["score_uncertainty"])),
                "yes" if r["potentially_optimal"].get(oid) else "no")
    parts.append(t)
    parts.append(term(f"{CENTRAL_HEADER}: {CENTRAL_LEGEND}"))

    t = Table(title=f"Tornado: leader's margin as each weight moves -{r['tornado_range'] * 100:g}% .. +{r['tornado_range'] * 100:g}%", header_style="bold")
    for h in ("Criterion", "Margin at low", "Margin at high", "Leader changes"):
        t.add_column(h, justify="left" if h == "Criterion" else "right")
    for b in r["tornado"]:
        add_row(t, cname[b["criterion"]], f"{b['low_margin']:.3f}", f"{b['high_margin']:.3f}", "YES" if b["leader_changes"] else "no")
    parts.append(t)
    return Group(*parts)


def who(ids: str | list[str], name: dict[str, str]) -> str:
    """One option's name, or tied options joined by '='."""
    return name[ids] if isinstance(ids, str) else " = ".join(name[i] for i in ids)
