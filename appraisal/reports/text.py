"""Text from a file -> text safe to show on a terminal: control and invisible formatting characters
made visible, never obeyed. (Rich markup is never parsed from it: wrap it in `rich.text.Text`.)"""

from __future__ import annotations

from ..visible import printable  # noqa: F401 - the one rule, shared with error lines (appraisal.visible)
