"""The one error type users see: a message and where it happened (file, key path, line)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from .visible import printable

KeyPath = Sequence[str | int]
MAX_LINE = 1000  # characters of an error line: a 10 MB key in a file still gives a readable line


def one_line(text: str) -> str:
    """`text` on one line, every control character shown as a visible sign (a newline as ␊, ESC as ␛):
    the command line's and the app's rule for text from a file (appraisal.visible)."""
    return printable(text)


def format_key_path(path: KeyPath) -> str:
    """('scores', 12, 'score') -> 'scores[12].score'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class AppraisalError(Exception):
    """Bad input. Rendered as one line, `file:line: key: message`, whatever the file or message holds."""

    def __init__(self, message: str, *, key: KeyPath = (), file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.key = tuple(key)
        self.file = file
        self.line = line

    def located(self, *, file: str | None = None, line: int | None = None) -> "AppraisalError":
        return AppraisalError(self.message, key=self.key, file=file or self.file, line=line or self.line)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file + (f":{self.line}" if self.line else ""))
        if self.key:
            where.append(format_key_path(self.key))
        text = one_line(": ".join([*where, self.message]))
        return text if len(text) <= MAX_LINE else text[: MAX_LINE - 3] + "..."


PLURALS = {"criterion": "criteria"}
MOST_LISTED = 40


def unknown(kind: str, value: object, valid: Iterable[str]) -> str:
    """"unknown criterion 'sped' (did you mean 'speed'? criteria: outcomes, vision, ...)": a mistyped
    id names the closest valid one and lists them all."""
    names = list(valid)
    text = str(value)
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    shown = ", ".join(names[:MOST_LISTED]) + (f", ... ({len(names)} in all)" if len(names) > MOST_LISTED else "")
    return f"unknown {kind} '{text}' ({hint}{PLURALS.get(kind, kind + 's')}: {shown or 'none'})"
