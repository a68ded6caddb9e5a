"""Numbers -> the text people read: one formatter for every report, export and screen."""

from __future__ import annotations

import math
from collections.abc import Sequence

MISSING = "–"
TIE_RTOL = 1e-9  # as the engine's: values closer than this (relative to the largest) are ties, and may print alike
MOST_DIGITS = 9


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


def fmt_nonzero(x: float | None, digits: int = 1, *, missing: str = MISSING) -> str:
    """As `fmt`, but a number that is not zero never prints as 0 (or -0): a tiny weight of 0.0004
    shows as 0.0004, with two significant digits, not as 0."""
    text = fmt(x, digits, missing=missing)
    if x is None or x != x or x == 0 or text.strip("-0.") != "":
        return text
    places = -math.floor(math.log10(abs(float(x)))) + 1  # two significant digits
    return fmt(x, min(max(places, digits), 15), missing=missing)


def fmt_sig(x: float | None, significant: int = 3, *, missing: str = MISSING) -> str:
    """As `fmt`, with enough decimals for `significant` digits: a weight of 1/19 reads 0.0526, not 0.1."""
    if x is None or x != x or x == 0 or float(x).is_integer():
        return fmt(x, missing=missing)
    return fmt(x, min(max(1, significant - 1 - math.floor(math.log10(abs(float(x))))), 15), missing=missing)


def decimals_to_tell_apart(values: Sequence[float | None], digits: int = 1) -> int:
    """The fewest decimal places (at least `digits`) at which values that differ (beyond a tie) print
    differently: after a normalised preset, totals 3.8421 and 3.8395 must not both print 3.84."""
    finite = sorted({float(v) for v in values if v is not None and v == v})
    if len(finite) < 2:
        return digits
    tol = TIE_RTOL * max(1.0, max(abs(v) for v in finite))
    pairs = [(u, v) for u, v in zip(finite, finite[1:]) if v - u > tol]
    for d in range(digits, MOST_DIGITS + 1):
        if all(fmt(u, d) != fmt(v, d) for u, v in pairs):
            return d
    return MOST_DIGITS


def fmt_all(values: Sequence[float | None], digits: int = 1, *, missing: str = MISSING, column: bool = False) -> list[str]:
    """Each value as `fmt` prints it, with as many more decimals as it takes for values that differ to
    print differently (and for none that is not zero to print as 0). Ties print alike. With `column`,
    every value gets the same decimals (a column that lines up: 60.0 under 48.4), unless all are whole."""
    d = decimals_to_tell_apart(values, digits)
    if column and any(v is not None and v == v and not float(v).is_integer() for v in values):
        return [missing if v is None or v != v else (f"{float(v):.{d}f}" if float(f"{float(v):.{d}f}") != 0 or v == 0 else fmt_nonzero(v, d))
                for v in values]
    return [fmt_nonzero(v, d, missing=missing) for v in values]


def count(n: int, thing: str, things: str | None = None) -> str:
    """'1 edit', '3 edits': a number and the noun that agrees with it."""
    return f"{n} {thing if n == 1 else (things or thing + 's')}"


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
