"""A one-way sensitivity chart drawn with text: each option's value as one criterion's share moves
from 0 to 100%, the current share and the crossovers marked. The curve comes from the reports."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from ..reports.sensitivity_view import Curve
from .text import printable

COLOURS = ["#4e9ad6", "#e0913a", "#63b35b", "#d65a4e", "#a27ad6", "#3bb3b3", "#c9a13b", "#999999"]
MARKS = "●■▲◆▼★✚✖"


class OneWayChart(Static):
    def points(self) -> int:
        """How many shares to sample: one per column of the plot."""
        return max(30, (self.size.width or 80) - 8)

    def plot(self, curve: Curve, height: int = 12) -> None:
        width = len(curve.shares)
        low, high = curve.low, curve.high
        span = (high - low) or 1.0
        grid = [[(" ", "")] * width for _ in range(height)]

        def row(value: float) -> int:
            return height - 1 - int(round((value - low) / span * (height - 1)))

        now = int(round(curve.share * (width - 1)))
        for y in range(height):
            grid[y][now] = ("│", "bold")
            for share in curve.crossovers:
                grid[y][int(round(share * (width - 1)))] = ("┊", "red")
        for k, (_, values) in enumerate(curve.series):
            colour = COLOURS[k % len(COLOURS)]
            for x, value in enumerate(values):
                if not math.isnan(value):
                    grid[row(value)][x] = (MARKS[k % len(MARKS)] if x % 8 == 0 else "─", colour)
        # The legend first, so it is always in view: which mark and colour is which option.
        text = Text("      ")
        for k, (label, _) in enumerate(curve.series):
            text.append(f"{MARKS[k % len(MARKS)]} {printable(label)}", style=f"bold {COLOURS[k % len(COLOURS)]}")
            text.append("   ")
        text.append("│ now  ", style="bold")
        text.append("┊ the leader changes", style="red")
        text.append("\n")
        for y in range(height):
            label = f"{high - y * span / (height - 1):5.2f} " if y in (0, height // 2, height - 1) else "      "
            text.append(label, style="dim")
            for ch, style in grid[y]:
                text.append(ch, style=style)
            text.append("\n")
        text.append("      0%" + " " * (width - 12) + "100%\n", style="dim")
        text.append(f"      share of the weight on '{printable(curve.criterion)}': now {curve.share * 100:.1f}% (│)", style="dim")
        if curve.crossovers:
            text.append("; the leader changes at ┊ " + ", ".join(f"{share * 100:.1f}%" for share in curve.crossovers), style="red")
        self.update(text)
