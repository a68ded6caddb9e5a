"""Scenario -> replay result: each expectation checked against what the engine computes."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


from ..engine import evaluate, problem_from
from ..errors import AppraisalError
from ..io.load import Loaded, load
from ..model import Appraisal
from ..model.scenario import Expect


@dataclass(frozen=True)
class Check:
    name: str
    expected: Any
    actual: Any
    passed: bool
    tolerance: float | None = None


@dataclass(frozen=True)
class ReplayResult:
    path: str
    title: str = ""
    status: str = "pass"  # pass | fail | error
    checks: tuple[Check, ...] = ()
    error: str | None = None
    is_base: bool = False
    seconds: float = 0.0  # loading and checking this file

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


def _close(a: float | None, b: float, tol: float) -> bool:
    return a is not None and not math.isnan(a) and abs(a - b) <= tol


def check_expectations(a: Appraisal, expect: Expect) -> list[Check]:
    p = problem_from(a)
    ev = evaluate(p)
    idx = a.option_index
    tol = expect.tolerance
    out: list[Check] = []
    leader = ev.leader_id
    if expect.leader is not None:
        out.append(Check("leader", expect.leader, leader, leader == expect.leader))
    if expect.weighted_ranking is not None:
        got = ev.ranking()
        out.append(Check("weighted_ranking", list(expect.weighted_ranking), got, got == list(expect.weighted_ranking)))
    if expect.unweighted_ranking is not None:
        got = ev.ranking(weighted=False)
        out.append(Check("unweighted_ranking", list(expect.unweighted_ranking), got, got == list(expect.unweighted_ranking)))
    for key, values in (("weighted_total", ev.weighted), ("unweighted_total", ev.unweighted), ("weighted_percent", ev.percent)):
        for oid, want in getattr(expect, key).items():
            got = float(values[idx[oid]])
            out.append(Check(f"{key}.{oid}", want, None if math.isnan(got) else got, _close(got, want, tol), tol))
    if expect.dominated is not None:
        got = sorted(ev.dominated_by())
        out.append(Check("dominated", sorted(expect.dominated), got, got == sorted(expect.dominated)))
    if expect.potentially_optimal:
        from ..engine.optimality import potential_optimality

        got_po = {p.options[o.option]: o.potentially_optimal for o in potential_optimality(p)}
        for oid, want in expect.potentially_optimal.items():
            got = got_po.get(oid)  # None: the option is not in play
            out.append(Check(f"potentially_optimal.{oid}", want, got, got == want))
    if expect.crossover:
        from ..engine.oneway import one_way

        for c in expect.crossover:
            found = one_way(p, a.criterion_index[c.criterion]).crossovers
            actual = [
                {"share": x.share, "from": [p.options[i] for i in x.before], "to": [p.options[i] for i in x.after]}
                for x in found
            ]
            hit = any(
                abs(x["share"] - c.share) <= c.tolerance
                and (c.to is None or x["to"] == [c.to])
                and (c.from_ is None or x["from"] == [c.from_])
                for x in actual
            )
            want = {"share": c.share, **({"to": c.to} if c.to else {}), **({"from": c.from_} if c.from_ else {})}
            out.append(Check(f"crossover.{c.criterion}", want, actual, hit, c.tolerance))
    if expect.group_totals or expect.frontier is not None:
        out += _tree_checks(a, p, ev, expect)
    if expect.smaa is not None:
        from ..engine.smaa import smaa

        s = expect.smaa
        if a.groups and a.group_weights is not None and s.perturb is None:  # weights elicited by level: uniform at each node
            from ..engine.tree import tree_from
            from ..engine.tree_sensitivity import tree_smaa

            r = tree_smaa(p, tree_from(a), samples=s.samples, seed=s.seed, score_uncertainty=s.score_uncertainty)
        else:
            r = smaa(p, samples=s.samples, seed=s.seed, perturb=s.perturb, score_uncertainty=s.score_uncertainty)
        first = {p.options[i]: float(r.rank_acceptability[k, 0]) for k, i in enumerate(r.options)}
        for oid, bound in s.first.items():
            got = first.get(oid)
            ok = got is not None and (bound.at_least is None or got >= bound.at_least) and (bound.at_most is None or got <= bound.at_most)
            want = {k: v for k, v in (("at_least", bound.at_least), ("at_most", bound.at_most)) if v is not None}
            out.append(Check(f"smaa.first.{oid}", want, got, ok))
    return out


def _tree_checks(a: Appraisal, p, ev, expect: Expect) -> list[Check]:
    """group_totals (option -> group -> weighted value) and the value-for-money frontier."""
    from .tree import tree_parts

    parts = tree_parts(a, p, ev)
    out: list[Check] = []
    idx = a.option_index
    for oid, totals in expect.group_totals.items():
        for gid, want in totals.items():
            got = parts["group_totals"][idx[oid]].get(gid)
            out.append(Check(f"group_totals.{oid}.{gid}", want, got, _close(got, want, expect.tolerance), expect.tolerance))
    if expect.frontier is not None:
        got = (parts["value_for_money"] or {}).get("frontier", [])
        out.append(Check("frontier", list(expect.frontier), got, got == list(expect.frontier)))
    return out


def _all_checks(a: Appraisal, expect: Expect) -> list[Check]:
    """[expect] on the appraisal; [expect.group] and [expect.participant."Name"] on the group's and each one's."""
    out = check_expectations(a, expect)
    if expect.group is not None or expect.participant:
        from .group import group_appraisal, participant_appraisal

        if expect.group is not None:
            out += [Check(f"group.{c.name}", c.expected, c.actual, c.passed, c.tolerance) for c in check_expectations(group_appraisal(a), expect.group)]
        for name, e in expect.participant.items():
            out += [Check(f"participant.{name}.{c.name}", c.expected, c.actual, c.passed, c.tolerance)
                    for c in check_expectations(participant_appraisal(a, name), e)]
    return out


def replay_loaded(loaded: Loaded) -> ReplayResult:
    checks = tuple(_all_checks(loaded.appraisal, loaded.expect)) if loaded.expect else ()
    status = "pass" if all(c.passed for c in checks) else "fail"
    return ReplayResult(str(loaded.path), loaded.title, status, checks, None, loaded.is_base)


def replay_file(path: str | Path) -> ReplayResult:
    start = time.perf_counter()
    try:
        result = replay_loaded(load(path))
    except AppraisalError as e:
        result = ReplayResult(str(path), status="error", error=str(e if e.file else e.located(file=str(path))))
    return replace(result, seconds=time.perf_counter() - start)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "[" + ", ".join(f"{v['share']:.6g} {'/'.join(v['from'])}->{'/'.join(v['to'])}" for v in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def describe_failure(c: Check) -> str:
    tol = f" (tolerance {c.tolerance:g})" if c.tolerance is not None else ""
    return f"{c.name}: expected {_show(c.expected)}, actual {_show(c.actual)}{tol}"


def result_dict(r: ReplayResult) -> dict[str, Any]:
    return {
        "file": r.path, "title": r.title, "status": r.status, "error": r.error,
        "checks": [{"name": c.name, "expected": c.expected, "actual": c.actual, "tolerance": c.tolerance, "passed": c.passed} for c in r.checks],
    }
