"""How numbers read: significant digits where a rounded weight would mislead."""

from __future__ import annotations

from appraisal.cli import main
from appraisal.reports.numbers import fmt_sig


def test_significant_digits():
    assert [fmt_sig(x) for x in (1 / 19, 3, 2.5, 0.1, 0.000123456, -0.5, 0, None)] == ["0.0526", "3", "2.5", "0.1", "0.000123", "-0.5", "0", "–"]


def test_equal_normalised_weights_are_not_rounded_to_a_tenth(capsys):
    """19 weights of 1/19 each once read 'weights all 0.1'."""
    weights = [f"--weight={c}={1 / 19}" for c in ("outcomes", "vision", "break-from-past", "cultural-change", "short-term-practice",
                                                   "recruitment-retention", "financial-stability", "leadership", "pace", "corporate-support",
                                                   "accountability", "political-leadership", "external-capacity", "partnerships",
                                                   "dfe-acceptability", "local-acceptability", "financial-viability", "speed", "dfe-transparency")]
    assert main(["rank", *weights]) == 0
    assert "19 criteria in use; weights all 0.0526." in capsys.readouterr().out
