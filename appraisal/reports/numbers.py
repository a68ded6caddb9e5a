"""Numbers -> the text people read: one formatter for every report, export and screen."""

from __future__ import annotations

MISSING = "–"


def fmt(x: float | None, digits: int = 1, *, missing: str = MISSING) -> str:
    """Whole numbers without decimals (74, not 74.0); others to `digits` places with trailing zeros
    dropped (2.5, 0.25); None or NaN as `missing`."""
    if x is None or x != x:
        return missing
    x = float(x)
    if x.is_integer():
        return str(int(x))
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
