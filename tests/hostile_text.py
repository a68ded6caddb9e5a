"""Hypothesis strategies for text a user (or an attacker) may put in any string field, and an appraisal
built from the bundled one with such text everywhere."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError

from appraisal.model import Appraisal

# Pieces that broke, or could break, a writer: escapes, quotes, delimiters, controls, formulas, markup.
NASTY = [
    "S:\\new\\notes.docx", "\\", "\\n", "\\u0041", "\x7f", '"', '"""', "''", "'''", "\n", "\r\n", "\r", "\t",
    "a\\\nb", "#", "=", "+", "-", "@", "=1+1", "=HYPERLINK(\"http://x\",\"y\")", "'=1", "[/]", "[link=http://x]y[/link]",
    "[bold]", ":smile:", "\x1b]0;title\x07", "\x1b[2J", "\x9b", "\x00", "\x0b", "\u2028", "\u202e", "<script>alert(1)</script>",
    "|", "# heading", "*", "_", "`", "&amp;", "\n[appraisal]\ntitle = 'x'", "_x0041_", ";", ",", "é", "😀", " ",
]

TEXT = st.one_of(
    st.text(max_size=24),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=6).map("".join),
)
NAME = TEXT.filter(lambda s: s.strip())


def canonical(a: Appraisal, **update) -> Appraisal:
    """`a` with `update` applied through the models' own validation (which strips surrounding whitespace),
    so it equals what any reader of a faithful file gets back."""
    try:
        return Appraisal.model_validate({**a.model_dump(), **update})
    except ValidationError:
        assume(False)
        raise


@st.composite
def hostile_texts(draw, base: Appraisal, *, criteria_names: bool = False, participants: bool = True) -> dict:
    """Hostile text for the title, provenance, option names and descriptions, some cells' rationale, note
    and label, participants' names and (optionally) criteria names. Only the text is drawn (so a failing
    example prints short); `hostile_appraisal` puts it into the bundled appraisal."""
    n = len(base.options)
    t = {
        "title": draw(NAME),
        "provenance": {k: draw(TEXT) for k in ("document", "title", "appendix", "date", "notes")},
        "names": draw(st.lists(NAME, min_size=n, max_size=n, unique_by=lambda s: " ".join(s.split()).lower())),
        "descriptions": draw(st.lists(TEXT, min_size=n, max_size=n)),
        "cells": {k: (draw(TEXT), draw(TEXT), draw(st.none() | TEXT))
                  for k in draw(st.lists(st.integers(0, len(base.cells) - 1), min_size=1, max_size=4, unique=True))},
    }
    if criteria_names:
        t["criteria"] = draw(st.lists(NAME, min_size=len(base.criteria), max_size=len(base.criteria)))
    if participants:
        t["participants"] = draw(st.lists(NAME.map(lambda s: s[:60]), max_size=2, unique_by=lambda s: s.strip()))
    return t


def hostile_appraisal(base: Appraisal, t: dict) -> Appraisal:
    d = base.model_dump()
    d["title"] = t["title"]
    d["provenance"] = t["provenance"]
    for o, name, description in zip(d["options"], t["names"], t["descriptions"]):
        o["name"], o["description"] = name, description
    for k, (rationale, note, label) in t["cells"].items():
        d["cells"][k].update(rationale=rationale, note=note, label=label)
    for c, name in zip(d["criteria"], t.get("criteria", ())):
        c["name"] = name
    if "participants" in t:
        d["participants"] = [{"name": p, "weights": {d["criteria"][0]["id"]: float(k + 1)}} for k, p in enumerate(t["participants"])]
    return canonical(base, **d)
