"""The 2013 appraisal reproduces what Birmingham published (Appendix D)."""

import numpy as np
import pytest

from appraisal.engine import evaluate, problem_from
from appraisal.model import edits

from .conftest import OPTIONS


def test_bundled_file_has_every_cell(bham):
    assert [o.id for o in bham.options] == OPTIONS
    assert [c.id for c in bham.criteria] == [
        "outcomes", "vision", "break-from-past", "cultural-change", "short-term-practice", "recruitment-retention",
        "financial-stability", "leadership", "pace", "corporate-support", "accountability", "political-leadership",
        "external-capacity", "partnerships", "dfe-acceptability", "local-acceptability", "financial-viability", "speed",
        "dfe-transparency",
    ]
    assert len(bham.cells) == 95
    # The source prints a rationale for every score but two of Break up's.
    blank = [(c.option, c.criterion) for c in bham.cells if not c.rationale]
    assert blank == [("break-up", "vision"), ("break-up", "break-from-past")]
    assert [lv.label for lv in bham.scale.levels] == ["Low", "Low-Med", "Medium", "Med-High", "High"]


def test_published_unweighted_totals(bham):
    ev = evaluate(problem_from(bham))
    assert ev.unweighted.tolist() == [46, 57, 64, 74, 82]


def test_uniform_weight_three_reproduces_the_published_trust_scores(bham):
    ev = evaluate(problem_from(bham))
    assert ev.weighted.tolist() == [138, 171, 192, 222, 246]
    assert ev.weighted[2] == bham.published.weighted_total["trust-dfe"] == 192
    assert ev.weighted[3] == bham.published.weighted_total["trust-bcc"] == 222


def test_weighted_percent_is_of_the_maximum_and_differs_from_the_published(bham):
    ev = evaluate(problem_from(bham))
    # 192 / (5 x 57) and 222 / (5 x 57): the source printed 65% and 75%.
    assert ev.percent[2] == pytest.approx(100 * 192 / 285)
    assert ev.percent[3] == pytest.approx(100 * 222 / 285)
    assert round(ev.percent[2]) == 67 and round(ev.percent[3]) == 78


def test_ranks_and_leader(bham):
    ev = evaluate(problem_from(bham))
    assert ev.rank_unweighted.tolist() == [5, 4, 3, 2, 1]
    assert ev.rank_weighted.tolist() == [5, 4, 3, 2, 1]
    assert bham.options[ev.leader].id == "integrated"


def test_headline_columns_repeat_criteria(bham):
    for head in bham.published.headline:
        for oid, value in head.values.items():
            assert bham.cell(oid, head.criterion).score == value


def test_excluding_outsource_keeps_its_total_but_not_its_rank(bham):
    a = edits.set_excluded(bham, "outsource", True)
    ev = evaluate(problem_from(a))
    assert ev.unweighted[1] == 57
    assert ev.rank_weighted.tolist() == [4, 0, 3, 2, 1]


def test_switching_a_criterion_off_changes_totals_and_shares(bham):
    a = edits.set_enabled(bham, "speed", False)
    ev = evaluate(problem_from(a))
    assert ev.unweighted.tolist() == [45, 56, 62, 71, 77]
    assert ev.shares[bham.criterion_index["speed"]] == 0
    assert ev.shares.sum() == pytest.approx(1)
    assert ev.percent[4] == pytest.approx(100 * 77 * 3 / (5 * 3 * 18))


def test_competition_ranks_share_the_better_rank():
    from appraisal.engine import competition_ranks

    ranks = competition_ranks(np.array([10.0, 8.0, 8.0, 5.0, 0.1 + 0.2, 0.3]), np.array([True] * 6))
    assert ranks.tolist() == [1, 2, 2, 4, 5, 5]
