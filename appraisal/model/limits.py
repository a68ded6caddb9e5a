"""The model's limits, each with its reason: what a file may hold before it stops being an appraisal and
starts being a way to make the tool overflow, hang or fill memory. (Files' sizes and nesting are
capped where they are read, in `appraisal.io.read`.)"""

from __future__ import annotations

import math

# Counts: ten times the largest appraisal we know of. The tree's analyses grow with the square of the
# criteria (1,000 take ~8 s of sensitivity); the room's with options times criteria.
MAX_OPTIONS = 1_000
MAX_CRITERIA = 1_000
MAX_GROUPS = 500
MAX_TREE_DEPTH = 32  # groups inside groups; the 2013 tree has 2 levels

# A scale spans at most MAX_SPAN points in MAX_STEPS steps: "one point" edits and score grids stay
# countable, and a score is on the grid when (score - min) / step is within 1e-9 of a whole number, a
# test floating point answers exactly at 10^5 steps but not at 10^9 (step = 1e-9 would reject 2).
MAX_SPAN = 1000
MAX_STEPS = 100_000

# Weights are relative: a billion to one is already absurd, and keeps every total far from overflow.
MAX_WEIGHT = 1e9
# Costs and measures are in the file's own units; past 10^15 (or below 10^-9 for a cost that is not 0)
# the unit is wrong, and value per cost or a value function's slope overflows.
MAX_AMOUNT = 1e15
MIN_COST = 1e-9


def weight_problem(w: object) -> str | None:
    """Why `w` cannot be a weight (a criterion's, a group's, a participant's), or None."""
    if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w):
        return f"weight must be a finite number >= 0, not {w!r}"
    if w < 0:
        return f"weight must be a finite number >= 0, not {w:g}"
    if w > MAX_WEIGHT:
        return f"weight {w:g} is too large (at most {MAX_WEIGHT:g})"
    return None


def cost_problem(cost: float) -> str | None:
    if not math.isfinite(cost):
        return f"cost must be a finite number, not {cost}"
    if cost < 0:
        return f"cost must be >= 0, not {cost:g}"
    if cost > MAX_AMOUNT or 0 < cost < MIN_COST:
        return f"cost {cost:g} is out of range: give costs from {MIN_COST:g} to {MAX_AMOUNT:g} (or 0), choosing the cost unit to fit"
    return None
