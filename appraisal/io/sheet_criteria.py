"""An officer's criteria rows -> a criteria file of their own: ids slugged from the names (unique, the
same every time), the names as written, and the smallest sensible scale that holds the scores."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import CriteriaFile
from .toml_write import document

# Scales an officer's sheet is likely on, smallest first; the first that holds every score is taken.
SCALES = [(1.0, 5.0), (0.0, 5.0), (0.0, 10.0), (0.0, 100.0)]
STEPS = [1.0, 0.5, 0.25, 0.1, 0.05, 0.01]
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class MadeCriteria:
    criteria: CriteriaFile
    text: str  # the criteria TOML, to write beside the appraisal
    summary: str  # "scale 1-5, step 1: the scores fit it"


def slug(name: str, fallback: str) -> str:
    """'Qualité de service' -> 'qualite-de-service'; a name with no Latin letters or digits -> `fallback`."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60].strip("-")
    return s or fallback


def unique_ids(names: list[str], given: list[str] | None = None, kind: str = "criterion") -> list[str]:
    """One id per name, in order: the given id when it is a valid one (an exported sheet's id column),
    else its slug; a repeat gets -2, -3, ..."""
    used: set[str] = set()
    out = []
    for k, name in enumerate(names):
        g = (given[k] if given else "") or ""
        base = g if _ID.match(g) and len(g) <= 64 else slug(name, f"{kind}-{k + 1}")
        cid, n = base, 2
        while cid in used:
            cid, n = f"{base[:60]}-{n}", n + 1
        used.add(cid)
        out.append(cid)
    return out


def choose_scale(scores: list[float]) -> tuple[float, float, float, str]:
    """(min, max, step, why): 1-5 in whole points when the scores fit it, else the first of SCALES
    holding them (the largest when none does: the scores outside it are then problems with their cells),
    in the largest step of STEPS every score is a multiple of."""
    if not scores:
        return 1.0, 5.0, 1.0, "no scores to go by"
    lo, hi = min(scores), max(scores)
    a, b = next(((a, b) for a, b in SCALES if a <= lo and hi <= b), SCALES[-1])
    step = next((s for s in STEPS if all(abs((x - a) / s - round((x - a) / s)) <= 1e-9 for x in scores)), STEPS[-1])
    why = "the scores fit it" if (a, b, step) == (1.0, 5.0, 1.0) else f"the scores run from {lo:g} to {hi:g}"
    return a, b, step, why


def make_criteria(names: list[str], ids: list[str], scores: list[float], source: str) -> MadeCriteria:
    lo, hi, step, why = choose_scale(scores)
    scale = {"min": _n(lo), "max": _n(hi), "step": _n(step)}
    rows = [{"id": i, "name": n} for i, n in zip(ids, names)]
    text = document([("scale", scale), ("criteria", rows)], header=(
        f"Criteria made by `appraisal import` from {source}.\n"
        "Edit the names, add descriptions and scale labels here; the ids are what the appraisal refers to.\n"))
    summary = f"scale {lo:g}-{hi:g}, step {step:g}: {why}"
    return MadeCriteria(CriteriaFile.model_validate({"scale": scale, "criteria": rows}), text, summary)


def _n(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x
