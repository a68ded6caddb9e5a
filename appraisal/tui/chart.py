"""A one-way sensitivity chart drawn with text: each option's value as one criterion's share moves
from 0 to 100%, the current share and the crossovers marked. The lines come from the engine."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.widgets import Static

from ..engine.oneway import OneWay, value_at

COLOURS = ["#4e9ad6", "#e0913a", "#63b35b", "#d65a4e", "#a27ad6", "#3bb3b3", "#c9a13b", "#999999"]
MARKS = "●■▲◆▼★✚✖"


class OneWayChart(Static):
    def plot(self, ow: OneWay, names: list[str], criterion: str, height: int = 14) -> None:
        width = max(30, (self.size.width or 80) - 8)
        ts = np.linspace(0.0, 1.0, width)
        values = np.array([value_at(ow, t) for t in ts])  # (width, n)
        shown = [i for i in range(values.shape[1]) if not np.isnan(values[:, i]).all()]
        lo = float(np.nanmin(values[:, shown])) if shown else 0.0
        hi = float(np.nanmax(values[:, shown])) if shown else 1.0
        span = (hi - lo) or 1.0
        grid = [[(" ", "")] * width for _ in range(height)]

        def row(v: float) -> int:
            return height - 1 - int(round((v - lo) / span * (height - 1)))

        col_now = int(round(ow.share * (width - 1)))
        for y in range(height):
            grid[y][col_now] = ("│", "bold")
            for c in ow.crossovers:
                grid[y][int(round(c.share * (width - 1)))] = ("┊", "red")
        for k, i in enumerate(shown):
            colour = COLOURS[k % len(COLOURS)]
            for x in range(width):
                v = values[x, i]
                if not math.isnan(v):
                    grid[row(v)][x] = (MARKS[k % len(MARKS)] if x % 8 == 0 else "─", colour)
        text = Text()
        for y in range(height):
            label = f"{hi - y * span / (height - 1):5.2f} " if y in (0, height // 2, height - 1) else "      "
            text.append(label, style="dim")
            for ch, style in grid[y]:
                text.append(ch, style=style)
            text.append("\n")
        text.append("      0%" + " " * (width - 12) + "100%\n", style="dim")
        text.append(f"      share of the weight on '{criterion}': now {ow.share * 100:.1f}% (│)", style="dim")
        if ow.crossovers:
            text.append("; the leader changes at ┊ " + ", ".join(f"{c.share * 100:.1f}%" for c in ow.crossovers), style="red")
        text.append("\n      ")
        for k, i in enumerate(shown):
            text.append(f"{MARKS[k % len(MARKS)]} {names[i]}   ", style=COLOURS[k % len(COLOURS)])
        self.update(text)
