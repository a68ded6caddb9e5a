"""Text from a file -> text safe where it lands: a spreadsheet cell that cannot become a formula, a
terminal line that cannot send escape sequences or Rich markup, Markdown that cannot forge a heading,
a row or HTML. Every exporter and every command-line report goes through here."""

from __future__ import annotations

import re

# Spreadsheets: the rules live in io, because `appraisal import` undoes them.
from ..io.sheet_text import FORMULA_START, csv_text, is_formula_like, neutralise, sheet_visible, unneutralise, xlsx_text  # noqa: F401

# Terminals: one rule for the command line and the app (reports/text.py): control characters, bidi
# overrides and invisible characters are shown as visible signs (ESC as U+241B), never obeyed.
from .text import printable as visible

# --- terminals ------------------------------------------------------------------------------------

def term(s: str, style: str = ""):
    """A Rich Text of file text: never parsed as markup, control characters shown."""
    from rich.text import Text

    return Text(visible(str(s)), style=style)


_RICH_SPECIAL = re.compile(r"[\[:]")


def cell(s):
    """A table cell for Rich: plain strings as they are (so numbers keep their highlighting), anything Rich
    or the terminal would act on (markup `[`, emoji `:`, control characters) as a `term`."""
    if isinstance(s, str) and (_RICH_SPECIAL.search(s) or visible(s) != s):
        return term(s)
    return s


def add_row(table, *cells, **kw) -> None:
    """A Rich table row whose text cells cannot be markup (a markup-enabled console, like the app's, would
    otherwise parse `[link=...]` in a name, or crash on `[/]`)."""
    table.add_row(*map(cell, cells), **kw)


# --- Markdown -------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~<>!])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u0085\u2028\u2029]")


def md(s: str) -> str:
    """Text for one Markdown table cell, heading or list item: line breaks become spaces (a newline
    would end the row or start a heading), and every character Markdown or HTML would act on is
    backslash-escaped (`<script>` stays text)."""
    return _MD_SPECIAL.sub(r"\\\1", visible(_LINE_BREAKS.sub(" ", s)))
