"""A group workshop's analysis -> the disagreement view: the spread of every rescored score, the
decisive cells and weights, and each participant's preference. One analysis, no sampling."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine.group import analyse, group_problem_from
from ..model import Appraisal
from .group import leader_without, report_of


@dataclass(frozen=True)
class Spread:
    """One score across the room."""

    rescored: bool  # did any participant give their own score?
    low: float | None  # the appraisal's score where nobody rescored it
    high: float | None
    low_holder: str = ""
    high_holder: str = ""
    decisive: bool = False  # moving it within the range changes the group's leader
    band: int = 0  # 0 (no spread) to 4 (the widest spread in the room)


@dataclass(frozen=True)
class Disagreement:
    sentences: list[str]
    options: list[str]  # labels, in column order
    criteria: list[tuple[str, bool]]  # (name, its weight is decisive), in row order
    spread: list[list[Spread]]  # [criterion][option]
    participants: list[tuple[str, str, str]]  # (name, whom they prefer, the group's leader without them)

    @classmethod
    def of(cls, a: Appraisal) -> "Disagreement":
        group = group_problem_from(a)
        analysis = analyse(group)
        report = report_of(a, group, analysis, samples=0)
        widest = max([s for s in analysis.cell_std.flat if not math.isnan(s)] + [1e-9])
        spread = []
        for j in range(len(a.criteria)):
            row = []
            for i in range(len(a.options)):
                low, high = float(analysis.cell_min[i, j]), float(analysis.cell_max[i, j])
                if analysis.counts[i, j] == 0:
                    base = group.base.scores[i, j]
                    row.append(Spread(False, None if math.isnan(base) else float(base), None))
                    continue
                apart = high > low
                row.append(Spread(
                    True, low, high,
                    group.names[analysis.low_holder[i, j]] if apart else "", group.names[analysis.high_holder[i, j]] if apart else "",
                    bool(analysis.decisive_cells[i, j]),
                    min(4, 1 + int(3 * analysis.cell_std[i, j] / widest)) if apart else 0,
                ))
            spread.append(row)
        name = {o.id: o.name for o in a.options}
        people = [(p["name"], name.get(p["leader"], "a tie"), leader_without(report, p["name"], name)) for p in report["participants"]]
        return cls(report["sentences"], [o.label for o in a.options],
                   [(c.name, bool(analysis.decisive_criteria[j])) for j, c in enumerate(a.criteria)], spread, people)
