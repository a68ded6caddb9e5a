"""What a scenario or appraisal file expects of its results (`[expect]`), as replay checks it. Its own module:
an appraisal file may carry expectations, and loading one must not build every scenario step's model."""

from pydantic import Field

from .base import Flag, Frozen, Id


class Bound(Frozen):
    at_least: float | None = None
    at_most: float | None = None


class SmaaExpectation(Frozen):
    samples: int = Field(default=10_000, ge=1, le=10_000_000)
    seed: int = 0
    perturb: float | None = Field(default=None, ge=0, le=1, description="fraction: 0.2 = +-20%")
    score_uncertainty: float = Field(default=0.0, ge=0)
    first: dict[Id, Bound] = {}


class CrossoverExpectation(Frozen):
    criterion: Id
    share: float
    to: Id | None = None
    from_: Id | None = Field(default=None, alias="from")
    tolerance: float = 1e-6


class Expect(Frozen):
    """What replay checks. `group` and `participant` take the same keys, for group workshops."""

    tolerance: float = Field(default=1e-6, ge=0)
    leader: Id | None = None
    weighted_ranking: tuple[Id, ...] | None = None
    unweighted_ranking: tuple[Id, ...] | None = None
    weighted_total: dict[Id, float] = {}
    unweighted_total: dict[Id, float] = {}
    weighted_percent: dict[Id, float] = {}
    dominated: tuple[Id, ...] | None = None
    potentially_optimal: dict[Id, Flag] = {}
    crossover: tuple[CrossoverExpectation, ...] = ()
    smaa: SmaaExpectation | None = None
    group_totals: dict[Id, dict[Id, float]] = Field(default={}, description="option -> group -> weighted value of its criteria")
    frontier: tuple[Id, ...] | None = Field(default=None, description="the value-for-money frontier, cheapest first")
    group: "Expect | None" = None
    participant: "dict[str, Expect]" = {}
