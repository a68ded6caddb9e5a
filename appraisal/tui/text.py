"""Text from a file -> a Rich `Text` shown exactly as written: never parsed as markup, control
characters made visible. Every name, rationale, note and path the app shows goes through here."""

from __future__ import annotations

from rich.text import Text

from ..reports.text import printable


def literal(text: str, style: str = "", *, lines: bool = False) -> Text:
    return Text(printable(text, lines=lines), style=style)


__all__ = ["literal", "printable"]
