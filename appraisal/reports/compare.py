"""Two options of one appraisal -> why one beats the other: each criterion's weighted contribution
(weight x score) to each option's total and the difference, largest first (as Hiview3's comparison
shows it). The differences add up to the difference of the weighted totals."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Evaluation, problem_from
from ..model import Appraisal


@dataclass(frozen=True)
class Contribution:
    criterion: str  # id
    name: str
    weight: float
    share: float  # of the weight in use (0 when switched off)
    score_a: float | None
    score_b: float | None
    a: float | None  # weight x score (None: the score is missing)
    b: float | None
    difference: float | None  # a - b
    off: bool = False  # the criterion is switched off: it counts in neither total


@dataclass(frozen=True)
class Comparison:
    a: str  # option ids
    b: str
    a_name: str
    b_name: str
    a_label: str
    b_label: str
    rows: tuple[Contribution, ...]  # in use first, by the size of the difference; switched off last
    total_a: float
    total_b: float
    a_excluded: bool = False
    b_excluded: bool = False

    @property
    def difference(self) -> float:
        return self.total_a - self.total_b

    @property
    def for_a(self) -> float:
        """What the criteria favouring A add up to."""
        return sum(r.difference for r in self.rows if not r.off and r.difference is not None and r.difference > 0)

    @property
    def for_b(self) -> float:
        return -sum(r.difference for r in self.rows if not r.off and r.difference is not None and r.difference < 0)

    @property
    def largest(self) -> float:
        """The largest difference by size (to scale bars), at least a tiny positive number."""
        return max([abs(r.difference) for r in self.rows if not r.off and r.difference is not None] + [1e-12])

    def sentence(self) -> str:
        d = self.difference
        if d != d:  # NaN: a missing score
            return f"{self.a_label} and {self.b_label} cannot be compared in total: a score is missing."
        if abs(d) <= 1e-9 * max(1.0, abs(self.total_a), abs(self.total_b)):
            return f"{self.a_label} and {self.b_label} tie."
        ahead, behind = (self.a_label, self.b_label) if d > 0 else (self.b_label, self.a_label)
        return f"{ahead} is ahead of {behind}"


def default_pair(a: Appraisal, ev: Evaluation) -> tuple[str, str] | None:
    """The leader and the runner-up (by weighted rank; ties in the order listed), or the first two
    options when fewer than two are ranked. None with fewer than two options."""
    if len(a.options) < 2:
        return None
    ranked = [i for _, i in sorted((int(r), i) for i, r in enumerate(ev.rank_weighted) if r > 0)]
    rest = [i for i in range(len(a.options)) if i not in ranked]
    first, second = (ranked + rest)[:2]
    return a.options[first].id, a.options[second].id


def compare(a: Appraisal, ev: Evaluation, first: str, second: str) -> Comparison:
    """The weights are those the totals use: a value tree's effective weights where its weights are local."""
    i, k = a.option_index[first], a.option_index[second]
    m = len(a.criteria)
    weights = problem_from(a).weights if a.group_weights is not None else [a.weights[c.id] for c in a.criteria]
    rows = []
    for j, c in enumerate(a.criteria):
        w = float(weights[j])
        sa, sb = a.cells[i * m + j].score, a.cells[k * m + j].score
        ca = None if sa is None else w * sa
        cb = None if sb is None else w * sb
        diff = None if ca is None or cb is None else ca - cb
        rows.append(Contribution(c.id, c.name, w, float(ev.shares[j]), sa, sb, ca, cb, diff, off=c.id in a.disabled))
    rows.sort(key=lambda r: (r.off, r.difference is None, -abs(r.difference or 0.0), a.criterion_index[r.criterion]))
    oa, ob = a.options[i], a.options[k]
    return Comparison(first, second, oa.name, ob.name, oa.label, ob.label, tuple(rows),
                      float(ev.weighted[i]), float(ev.weighted[k]), oa.excluded, ob.excluded)
