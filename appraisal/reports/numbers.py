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


CURRENCY = ("£", "$", "€", "¥")


def with_unit(x: float | None, unit: str, digits: int = 2) -> str:
    """A measure with its unit as people write it: £31.4m (a currency symbol goes in front), 85%, 16 months."""
    text = fmt(x, digits)
    if not unit or text == MISSING:
        return text
    if unit.startswith(CURRENCY):
        sign, digits_ = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{unit[0]}{digits_}{unit[1:]}"
    if unit in ("%", "‰") or unit.startswith("%"):
        return f"{text}{unit}"
    return f"{text} {unit}"
