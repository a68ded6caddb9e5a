"""The sensitivity analyses -> what the app's sensitivity screen shows: criteria sorted by how little
their weight must move before the leader changes, one-way curves to chart, and SMAA rank tables."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import problem_from
from ..engine.oneway import OneWay, one_way_all, value_at
from ..engine.smaa import smaa
from ..model import Appraisal
from .sensitivity import deterministic_report, sentences
from .tree_sensitivity import measure_sentences, tree_sentences


@dataclass(frozen=True)
class Margin:
    criterion: str  # id
    name: str
    share: float  # of the total weight, now
    changes_at: float | None  # the nearest share at which the leader changes; None: never
    distance: float  # how far that is (inf: never)


@dataclass(frozen=True)
class Curve:
    """Each option's value (on the score scale) as one criterion's share goes from 0 to 1."""

    criterion: str  # name
    share: float
    crossovers: list[float]  # shares at which the leader changes
    shares: list[float]  # the points sampled, 0 to 1
    series: list[tuple[str, list[float]]]  # (option label, its value at each point), options in play only
    low: float
    high: float


@dataclass(frozen=True)
class SmaaTable:
    samples: int
    seed: int
    rows: list[tuple[str, list[float], float]]  # (option label, share of samples at each rank, confidence)


@dataclass(frozen=True, eq=False)
class SensitivityView:
    appraisal: Appraisal
    report: dict[str, Any]  # the deterministic sensitivity report (everything but SMAA), keyed by ids
    sentences: list[str]
    by_margin: list[Margin]  # nearest change first
    _one_way: dict[str, OneWay]
    headline: tuple[str, ...] = ()  # what the screen says first: the two nearest changes (and, with a tree, the nearest group's)
    measure_words: tuple[str, ...] = ()  # with measures: the leader's thresholds in natural units, then a rival's nearest

    @classmethod
    def of(cls, a: Appraisal) -> "SensitivityView":
        report = deterministic_report(a)
        cname = {c.id: c.name for c in a.criteria}
        margins = []
        for ow in report["one_way"]:
            now = ow["share"]
            near = min(ow["crossovers"], key=lambda c: abs(c["share"] - now), default=None)
            margins.append(Margin(ow["criterion"], cname[ow["criterion"]], now, near["share"] if near else None,
                                  abs(near["share"] - now) if near else math.inf))
        margins.sort(key=lambda m: (m.distance, m.criterion))
        ids = [c.id for c in a.criteria]
        one_way = {ids[ow.criterion]: ow for ow in one_way_all(problem_from(a))}
        said = sentences(a, report)
        groups = sorted(tree_sentences(a, report))
        if groups:  # a value tree: the nearest criterion's change and the nearest group's (two groups' moves are one fact)
            flat = sentences(a, {**report, "group_one_way": []})
            headline = flat[:1] + [groups[0][1]]
        else:
            headline = said[:2]
        return cls(a, report, said, margins, one_way, tuple(headline), tuple(measure_sentences(a, report)))

    def curve(self, criterion: str, points: int) -> Curve | None:
        """The one-way curve of a criterion in use, sampled at `points` shares from 0 to 1."""
        ow = self._one_way.get(criterion)
        if ow is None:
            return None
        shares = np.linspace(0.0, 1.0, max(2, points))
        values = np.array([value_at(ow, t) for t in shares])  # (points, options)
        shown = [i for i in range(values.shape[1]) if not np.isnan(values[:, i]).all()]
        low = float(np.nanmin(values[:, shown])) if shown else 0.0
        high = float(np.nanmax(values[:, shown])) if shown else 1.0
        labels = [o.label for o in self.appraisal.options]
        return Curve(self.appraisal.criterion(criterion).name, ow.share, [c.share for c in ow.crossovers], shares.tolist(),
                     [(labels[i], values[:, i].tolist()) for i in shown], low, high)


def smaa_table(a: Appraisal, samples: int, seed: int, on_chunk: Callable[[int], None] | None = None) -> SmaaTable:
    """SMAA-2 with weights uniform on the simplex: each option's share of samples at each rank. Slow
    for many samples: the app runs it in a worker, reporting progress through `on_chunk(done)`."""
    result = smaa(problem_from(a), samples, seed=seed, on_chunk=on_chunk)
    rows = [(a.options[int(i)].label, [float(x) for x in result.rank_acceptability[k]], float(result.confidence[k]))
            for k, i in enumerate(result.options)]
    return SmaaTable(result.samples, result.seed, rows)
