"""Numpy computations: pure functions of arrays. No Textual, no I/O."""

from .core import Evaluation, competition_ranks, constant_criteria, dominance, evaluate, shares
from .problem import Problem, problem_from

__all__ = ["Evaluation", "Problem", "competition_ranks", "constant_criteria", "dominance", "evaluate", "problem_from", "shares"]
