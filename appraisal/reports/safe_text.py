"""Text from a file -> text safe where it lands: a spreadsheet cell that cannot become a formula, a
terminal line that cannot send escape sequences or Rich markup, Markdown that cannot forge a heading,
a row or HTML. Every exporter and every command-line report goes through here."""

from __future__ import annotations

import re

# Spreadsheets: the rules live in io, because `appraisal import` undoes them.
from ..io.sheet_text import FORMULA_START, csv_text, is_formula_like, neutralise, sheet_visible, unneutralise, xlsx_text  # noqa: F401

# --- terminals ------------------------------------------------------------------------------------
# C0 controls and DEL become their control pictures; C1 controls (0x9b starts an escape sequence on
# some terminals) and the bidirectional overrides (which reorder what is shown) become \x.. / <U+....>.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)
    if c == 0x7F:
        return "\u2421"
    if c <= 0x9F:
        return f"\\x{c:02x}"
    return f"<U+{c:04X}>"


def visible(s: str) -> str:
    """Text fit for a terminal: nothing in it is an instruction to the terminal (newlines included:
    one item, one line)."""
    return _TERMINAL_UNSAFE.sub(_show, s)


def term(s: str, style: str = ""):
    """A Rich Text of file text: never parsed as markup, control characters shown."""
    from rich.text import Text

    return Text(visible(str(s)), style=style)


_RICH_SPECIAL = re.compile(r"[\[:]")


def cell(s):
    """A table cell for Rich: plain strings as they are (so numbers keep their highlighting), anything Rich
    or the terminal would act on (markup `[`, emoji `:`, control characters) as a `term`."""
    if isinstance(s, str) and (_RICH_SPECIAL.search(s) or _TERMINAL_UNSAFE.search(s)):
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
