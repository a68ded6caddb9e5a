"""Two named states of a workshop (snapshots, or a snapshot and now) -> what differs between them:
the leader, each option's total and rank, the weights and the scores that changed, and what was
switched off or excluded."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import evaluate, problem_from
from ..model import Appraisal


@dataclass(frozen=True)
class OptionRow:
    label: str
    total: tuple[float, float]  # weighted totals, left and right
    rank: tuple[int, int]  # weighted ranks (0: not ranked)
    excluded: tuple[bool, bool]


@dataclass(frozen=True)
class WeightRow:
    name: str
    weight: tuple[float, float]
    share: tuple[float, float]  # of the weight in use (0 when switched off)
    off: tuple[bool, bool]


@dataclass(frozen=True)
class ScoreRow:
    option: str  # label
    criterion: str  # name
    score: tuple[float | None, float | None]


@dataclass(frozen=True)
class SnapshotComparison:
    names: tuple[str, str]
    leaders: tuple[str, str]  # full names ("a tie" when none leads alone)
    options: tuple[OptionRow, ...]  # in the order listed
    weights: tuple[WeightRow, ...]  # only those whose weight differs, or that are on in one and off in the other
    scores: tuple[ScoreRow, ...]  # only those that differ
    same_weights: int  # how many criteria have the same weight (and are on or off) on both sides

    def sentences(self) -> list[str]:
        left, right = self.names
        if self.leaders[0] == self.leaders[1]:
            out = [f"The leader is {self.leaders[0]} in both '{left}' and '{right}'."]
        else:
            out = [f"The leader changes: {self.leaders[0]} in '{left}', {self.leaders[1]} in '{right}'."]
        moved = [o for o in self.options if o.rank[0] != o.rank[1]]
        out.append("No option changes rank." if not moved else
                   "Ranks that change: " + "; ".join(f"{o.label} {_rank(o.rank[0])} → {_rank(o.rank[1])}" for o in moved) + ".")
        n_w, n_s = len(self.weights), len(self.scores)
        out.append(f"{n_w} weight{'' if n_w == 1 else 's'} and {n_s} score{'' if n_s == 1 else 's'} differ.")
        return out


def _rank(r: int) -> str:
    return str(r) if r else "out"


def compare_states(left_name: str, left: Appraisal, right_name: str, right: Appraisal) -> SnapshotComparison:
    """Both states must be of the same appraisal (the same options and criteria, as snapshots are)."""
    el, er = evaluate(problem_from(left)), evaluate(problem_from(right))

    def leader(a: Appraisal, ev) -> str:
        return a.options[ev.leader].name if ev.leader is not None else "a tie"

    options = tuple(OptionRow(o.label, (float(el.weighted[i]), float(er.weighted[i])), (int(el.rank_weighted[i]), int(er.rank_weighted[i])),
                              (o.excluded, right.options[i].excluded)) for i, o in enumerate(left.options))
    weights, same = [], 0
    for j, c in enumerate(left.criteria):
        row = WeightRow(c.name, (float(left.weights[c.id]), float(right.weights[c.id])), (float(el.shares[j]), float(er.shares[j])),
                        (c.id in left.disabled, c.id in right.disabled))
        if row.weight[0] == row.weight[1] and row.off[0] == row.off[1]:  # shares follow the others' weights
            same += 1
        else:
            weights.append(row)
    m = len(left.criteria)
    scores = tuple(ScoreRow(left.options[k // m].label, left.criteria[k % m].name, (cl.score, cr.score))
                   for k, (cl, cr) in enumerate(zip(left.cells, right.cells)) if cl.score != cr.score)
    return SnapshotComparison((left_name, right_name), (leader(left, el), leader(right, er)), options, tuple(weights), scores, same)
