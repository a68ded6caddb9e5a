"""Appraisal -> findings: how it reconciles with its source (label mismatches, inferred scores,
published figures), dominance and criteria that cannot matter. Findings are information, not errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..engine import Evaluation, constant_criteria, evaluate, problem_from
from ..engine.problem import Problem
from ..model import Appraisal
from .numbers import fmt as _fmt

PERCENT_TOLERANCE = 0.5  # published percentages are printed to whole numbers


MATCHES = ("published-total", "published-weighted")  # findings that only confirm a published figure


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    where: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def label_findings(a: Appraisal) -> list[Finding]:
    out = []
    option_names = {o.id: o.name for o in a.options}
    criterion_names = {c.id: c.name for c in a.criteria}
    labels = {lv.value: {lv.label, *lv.aliases} for lv in a.scale.levels}
    cells = a.cells
    # Only missing, inferred and labelled cells can have findings: read those, not a million Cells.
    worth = set(np.flatnonzero(np.isnan(cells.scores).ravel()).tolist())
    worth.update(k for k, note in cells.notes.items() if note.inferred or note.label)
    for k in sorted(worth):
        cell = cells[k]
        if cell.label and not cell.missing and not cell.inferred and cell.label in labels.get(cell.score, ()):
            continue  # the common case: the label is exactly the level's label or an alias
        where = f"scores: {cell.option} / {cell.criterion}"
        o, c = option_names[cell.option], criterion_names[cell.criterion]
        if cell.missing:
            out.append(Finding("missing-score", f"{o}, \"{c}\": no score in the source; it counts in no total", where))
        if cell.inferred:
            out.append(Finding("inferred-score", f"{o}, \"{c}\": score {_fmt(cell.score or 0)} is inferred, not printed. {cell.note}".strip(), where))
        if cell.label and cell.score is not None:
            value = a.scale.value_of_label(cell.label)
            if value is None:
                out.append(Finding("unknown-label", f"{o}, \"{c}\": label \"{cell.label}\" is not on the scale", where))
            elif abs(value - cell.score) > 1e-9:
                expected = a.scale.label_for(cell.score) or "between levels"
                out.append(Finding(
                    "label-mismatch",
                    f"{o}, \"{c}\": scored {_fmt(cell.score)} but labelled \"{cell.label}\" ({_fmt(value)}); {_fmt(cell.score)} is \"{expected}\"",
                    where,
                ))
    return out


def published_findings(a: Appraisal, ev: Evaluation) -> list[Finding]:
    pub = a.published
    if pub is None:
        return []
    out = []
    idx = a.option_index
    for oid, value in pub.unweighted_total.items():
        got = ev.unweighted[idx[oid]]
        same = abs(got - value) < 1e-9
        out.append(Finding(
            "published-total" if same else "published-total-differs",
            f"{a.option(oid).name}: published unweighted total {_fmt(value)}, computed {_fmt(got)}" + ("" if same else " (differs)"),
            f"published.unweighted_total.{oid}",
        ))
    computed_for = set(pub.weighted_computed_for if pub.weighted_computed_for is not None else idx)
    for oid, value in pub.weighted_total.items():
        got = ev.weighted[idx[oid]]
        if oid not in computed_for:
            out.append(Finding("published-weighted-not-computed",
                               f"{a.option(oid).name}: the source shows weighted score {_fmt(value)} (not computed by its spreadsheet); computed {_fmt(got)}",
                               f"published.weighted_total.{oid}"))
            continue
        same = abs(got - value) < 1e-9
        out.append(Finding(
            "published-weighted" if same else "published-weighted-differs",
            f"{a.option(oid).name}: published weighted total {_fmt(value)}, computed {_fmt(got)}" + ("" if same else " (differs)"),
            f"published.weighted_total.{oid}",
        ))
    for oid, value in pub.weighted_percent.items():
        if oid not in computed_for:
            continue
        got = ev.percent[idx[oid]]
        if abs(got - value) > PERCENT_TOLERANCE:
            out.append(Finding(
                "published-percent-differs",
                f"{a.option(oid).name}: published weighted score {_fmt(value)}%, but {_fmt(ev.weighted[idx[oid]])} is {got:.1f}% of the maximum "
                f"({_fmt(a.scale.max)} x total weight {_fmt(_total_weight(a))}); "
                "the source's percentage cannot be reproduced",
                f"published.weighted_percent.{oid}",
            ))
    for h, head in enumerate(pub.headline):
        for oid, value in head.values.items():
            if oid not in idx:
                continue
            score = a.cell(oid, head.criterion).score
            if score is None or abs(score - value) > 1e-9:
                out.append(Finding("published-headline-differs",
                                   f"{head.name}, {a.option(oid).name}: summary shows {_fmt(value)}, criterion \"{a.criterion(head.criterion).name}\" scores {_fmt(score) if score is not None else 'nothing'}",
                                   f"published.headline[{h}].{oid}"))
    return out


def _total_weight(a: Appraisal) -> float:
    """The active weights' total: with group weights, the top level's (effective weights keep it)."""
    if a.group_weights is None:
        return float(sum(a.weights[c.id] for c in a.criteria if c.id not in a.disabled))
    return float(problem_from(a).weights.sum())


def cost_findings(a: Appraisal) -> list[Finding]:
    """Some options costed and some not: those without a cost stay off the value-for-money frontier."""
    if not a.has_costs:
        return []
    return [Finding("no-cost", f"{o.name} has no cost: it is left out of value for money", f"options.{o.id}.cost")
            for o in a.options if o.cost is None]


def structure_findings(a: Appraisal, p: Problem, ev: Evaluation) -> list[Finding]:
    out = []
    for b in range(len(a.options)):
        by = [a.options[x] for x in np.flatnonzero(ev.dominates[:, b])]
        if by:
            out.append(Finding("dominated",
                               f"{a.options[b].name} is dominated by {', '.join(o.name for o in by)}: never better on any criterion, worse on at least one",
                               f"options.{a.options[b].id}"))
    for j in np.flatnonzero(constant_criteria(p.scores, p.option_active, p.criterion_active)):
        crit = a.criteria[j]
        out.append(Finding("constant-criterion",
                           f"\"{crit.name}\": every option in play scores {_fmt(p.scores[p.option_active, j][0])}; its weight changes no ranking",
                           f"criteria.{crit.id}"))
    return out


def findings(a: Appraisal, p: Problem | None = None, ev: Evaluation | None = None) -> list[Finding]:
    p = p or problem_from(a)
    ev = ev or evaluate(p)
    return label_findings(a) + published_findings(a, ev) + structure_findings(a, p, ev) + cost_findings(a)
