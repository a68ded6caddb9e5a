"""A loaded appraisal (and any journal of a workshop on it) -> the facts the decision record states:
the appraisal after every step, its evaluation, sensitivity, findings and group analysis, each step in
words with who, when and why, and the input files with their SHA-256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..engine import evaluate, problem_from
from ..engine.core import Evaluation
from ..engine.problem import Problem
from ..io.load import Loaded
from ..model import Appraisal
from ..model.scenario import Step
from ..model.steps import apply_step
from .findings import Finding, findings
from .numbers import fmt
from .sensitivity import sensitivity_report



@dataclass(frozen=True)
class Change:
    """One step applied to the loaded appraisal, in words, with who, when and why."""

    step: Step
    what: str  # "Trust (BCC) / Speed of implementation: 3 → 3.5"
    recorded_in: str  # "scenario" or "journal"

    @property
    def value(self) -> str:
        """What the change did to its value: "3 → 2"."""
        return self.what.split(": ")[-1]

    @property
    def when(self) -> str:
        """The step's time to the minute, as written ("2014-03-12 10:05"), or ''."""
        return self.step.at[:16].replace("T", " ")


@dataclass(frozen=True)
class Record:
    """Everything the sections need, computed once."""

    loaded: Loaded
    a: Appraisal  # after every step (the scenario's and the journal's)
    p: Problem
    ev: Evaluation
    sens: dict
    found: list[Finding]
    group: dict | None
    changes: list[Change]
    shown_path: str  # the input as the reader should see it (never an absolute path of this machine)
    inputs: list[tuple[str, str, str]]  # (file as shown, role, SHA-256)
    command: str
    samples: int
    seed: int

    @property
    def name(self) -> dict[str, str]:
        return {o.id: o.name for o in self.a.options}

    @property
    def cname(self) -> dict[str, str]:
        return {c.id: c.name for c in self.a.criteria}


# --- gathering -----------------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _inputs(loaded: Loaded, shown_path: str, journal: tuple[Path, str] | None) -> list[tuple[str, str, str]]:
    """Every file the figures depend on, named relative to the input's folder."""
    here = loaded.path.resolve().parent

    def shown(p: Path) -> str:
        return os.path.relpath(p, here) if p != loaded.path.resolve() else shown_path

    out = []
    for k, p in enumerate(loaded.chain):
        role = "the appraisal" if len(loaded.chain) == 1 else ("this scenario" if k == 0 else "its base" if k == len(loaded.chain) - 1 else "an intermediate scenario")
        out.append((shown(p), role, sha256_of(p)))
    if loaded.appraisal.criteria_ref:
        criteria = (here / loaded.appraisal.criteria_ref).resolve()
        if criteria.is_file():
            out.append((shown(criteria), "criteria and scale", sha256_of(criteria)))
    if journal is not None:
        out.append((journal[1], "workshop journal", sha256_of(journal[0])))
    return out


def _changes(loaded: Loaded, journal_steps: list[Step], final: Appraisal) -> list[Change]:
    """Each step in words (the app's describer), with the value it replaced: the appraisal's own edits
    are replayed from the loaded source; a participant's edit is described against the final file."""
    from .changes import describe_step

    running = loaded.as_loaded
    out = []
    for k, step in enumerate([*loaded.steps, *journal_steps]):
        where = "scenario" if k < len(loaded.steps) else "journal"
        own = not getattr(step, "participant", "") and step.action not in ("add-participant", "remove-participant")
        out.append(Change(step, describe_step(step, final, running if own else None), where))
        if own:
            running = apply_step(running, step, loaded.as_loaded)
    return out


def preset_words(step: Step, names: dict[str, str]) -> str:
    if step.preset == "equal":
        return "equal weights on every criterion"
    if step.preset == "as-loaded":
        return "the weights as loaded"
    if step.preset == "rank-order-centroid":
        return "rank-order centroid weights from the agreed order " + " > ".join(f"'{names.get(c, c)}'" for c in step.order)
    return "swing weights from points out of 100: " + ", ".join(f"'{names.get(c, c)}' {fmt(v)}" for c, v in step.points.items())


def build_record(loaded: Loaded, *, shown_path: str, command: str = "", journal=None, journal_shown: str = "",
                 samples: int = 10_000, seed: int = 0, analyse: bool = True) -> Record:
    """`journal` (an io.journal.Journal, already checked against the file) adds its edits after the
    scenario's steps. `analyse=False` leaves out sensitivity and the group analysis (a short export)."""
    from .group import group_report

    a = loaded.appraisal
    journal_steps = list(journal.steps) if journal is not None else []
    for step in journal_steps:
        a = apply_step(a, step, loaded.as_loaded)
    p = problem_from(a)
    ev = evaluate(p)
    return Record(
        loaded=loaded, a=a, p=p, ev=ev,
        sens=sensitivity_report(a, samples=samples, seed=seed) if analyse else {},
        found=findings(a, p, ev),
        group=group_report(a, samples=samples, seed=seed) if a.participants and analyse else None,
        changes=_changes(loaded, journal_steps, a),
        shown_path=shown_path,
        inputs=_inputs(loaded, shown_path, None if journal is None else (journal.path, journal_shown)),
        command=command, samples=samples, seed=seed,
    )
