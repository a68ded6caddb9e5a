"""Appraisal -> the values the xlsx Scores sheet's formulas compute, worked out the way a spreadsheet
works them out, so each formula can carry its value for readers that never recalculate. They equal the
engine's (a slow test recalculates the workbook in LibreOffice and compares both)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.core import TIE_RTOL
from ..model import Appraisal

Value = float | str  # a number, or the text the formula shows: "missing", "excluded"


@dataclass(frozen=True)
class SheetTotals:
    shares: list[float]
    unweighted: list[Value]
    weighted: list[Value]
    percent: list[Value]
    rank_unweighted: list[Value]
    rank_weighted: list[Value]


def _ranks(totals: list[Value], in_ranking: list[bool]) -> list[Value]:
    """1 + how many options in the ranking have a larger total (beyond the engine's tie tolerance)."""
    numbers = [t for t in totals if isinstance(t, float)]
    tol = TIE_RTOL * max([1.0, *numbers, *(-t for t in numbers)])
    out: list[Value] = []
    for t, ranked in zip(totals, in_ranking):
        if not ranked:
            out.append("excluded")
        elif not isinstance(t, float):
            out.append("missing")
        else:
            out.append(1 + sum(1 for u, r in zip(totals, in_ranking) if r and isinstance(u, float) and u > t + tol))
    return out


def sheet_totals(a: Appraisal) -> SheetTotals:
    active = [c.id not in a.disabled for c in a.criteria]
    weights = [float(a.weights[c.id]) for c in a.criteria]
    in_use = sum(w for w, on in zip(weights, active) if on)
    shares = [w / in_use if on else 0.0 for w, on in zip(weights, active)]
    unweighted: list[Value] = []
    weighted: list[Value] = []
    percent: list[Value] = []
    for o in a.options:
        scores = [a.cell(o.id, c.id).score for c, on in zip(a.criteria, active) if on]
        if any(s is None for s in scores):
            unweighted.append("missing")
            weighted.append("missing")
            percent.append("missing")
            continue
        total = sum(w * s for w, s, on in zip(weights, (a.cell(o.id, c.id).score for c in a.criteria), active) if on)
        unweighted.append(float(sum(scores)))
        weighted.append(float(total))
        percent.append(total / (a.scale.max * in_use) * 100)
    in_ranking = [not o.excluded for o in a.options]
    return SheetTotals(shares, unweighted, weighted, percent, _ranks(unweighted, in_ranking), _ranks(weighted, in_ranking))
