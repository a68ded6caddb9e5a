"""Text from a file -> text safe to show on a terminal: control and invisible formatting characters
made visible, never obeyed. (Rich markup is never parsed from it: wrap it in `rich.text.Text`.)"""

from __future__ import annotations

from ..visible import printable  # noqa: F401 - the one rule, shared with error lines (appraisal.visible)


def shorten(text: str, cells: int) -> str:
    """`text` in at most `cells` terminal cells (a CJK character takes two), ending in "…" when cut: a
    10,000-character option name once filled the whole screen through the leader banner."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(0, cells - 1)).rstrip() + "…"
