"""How numbers and names read: significant digits where a rounded weight would mislead, long names cut."""

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


def test_a_huge_option_name_keeps_the_banner_short(bham):
    """A 10,000-character name once wrapped the banner over the whole 80x24 screen."""
    from rich.cells import cell_len

    from appraisal.reports.text import shorten
    from appraisal.reports.workshop import WorkshopView

    long = "王" * 5000 + "A" * 5000
    a = bham.model_copy(update={"options": tuple(o.model_copy(update={"name": long, "short": long}) if o.id == "trust-bcc" else o
                                                 for o in bham.options)})
    text = WorkshopView.of(a, a).banner().text()
    assert "Integrated transformation" in text and cell_len(text) < 200 and text.count("…") == 1
    assert shorten("王王王", 4) == "王…" and shorten("abc", 3) == "abc"
