"""The one error type users see: a message and where it happened (file, key path, line)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .visible import printable

KeyPath = Sequence[str | int]
MAX_LINE = 1000  # characters of an error line: a 10 MB key in a file still gives a readable line
MAX_PLACE = 200  # characters of each part naming where (file, key): a long name must not push the reason out


def one_line(text: str) -> str:
    """`text` on one line, every control character shown as a visible sign (a newline as ␊, ESC as ␛):
    the command line's and the app's rule for text from a file (appraisal.visible)."""
    return printable(text)


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with its middle elided ('Zzz…zz'): a name that still says whose it is."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


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
        if len(text) <= MAX_LINE:
            return text
        # Too long: shorten where it happened first, then the middle of the message, so the reason shows.
        place = [shorten(one_line(w), MAX_PLACE) for w in where]
        room = MAX_LINE - sum(len(w) + 2 for w in place)
        return ": ".join([*place, shorten(one_line(self.message), room)])


PLURALS = {"criterion": "criteria"}
MOST_LISTED = 40


def unknown(kind: str, value: object, valid: Iterable[str]) -> str:
    """"unknown criterion 'sped' (did you mean 'speed'? criteria: outcomes, vision, ...)": a mistyped
    id names the closest valid one and lists them all."""
    import difflib  # only when a mistake is being reported: every start-up would pay for it

    names = list(valid)
    text = str(value)
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    shown = ", ".join(names[:MOST_LISTED]) + (f", ... ({len(names)} in all)" if len(names) > MOST_LISTED else "")
    return f"unknown {kind} '{text}' ({hint}{PLURALS.get(kind, kind + 's')}: {shown or 'none'})"
