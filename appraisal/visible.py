"""Text from a file -> text that shows what it is: control and invisible formatting characters made
visible, never obeyed. The one rule for error lines, the command line and the app (reports.text and
tui.text use it); it lives at the bottom so `errors` can keep every error on one line with it."""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the invisible characters that reorder or hide text (bidi
# overrides and isolates, zero-width joiners and marks): a name must look like what it is.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _shown(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every control character shown as a visible sign. With `lines`, line breaks stay
    (a rationale may run over several lines); a tab is always a space."""
    text = str(text).replace("\t", " ")
    if lines:
        text = text.replace("\r\n", "\n")
        return "\n".join(_HIDDEN.sub(_shown, part) for part in text.split("\n"))
    return _HIDDEN.sub(_shown, text)


def has_hidden(text: str) -> bool:
    """Whether `text` holds a control character or an invisible one that reorders or hides text."""
    return _HIDDEN.search(str(text)) is not None
