"""Numbers -> inline SVG charts for HTML documents: stacked contributions, one-way lines, tornado.
Each chart scales to its container (a viewBox, no fixed width), names itself for screen readers, and
keeps its labels clear of its bars; the caller gives the same facts in words beside it."""

from __future__ import annotations

from html import escape

# Score levels, worst to best (red to green), as in the app.
LEVELS = ("#f2a7a7", "#f6c79e", "#efe39a", "#bfe3a9", "#86d08f")
# Options: the Okabe-Ito colours, distinguishable with colour-blindness; dashes tell lines apart in grey print.
OPTION_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933")
DASHES = ("", "7 3", "2 3", "9 3 2 3", "4 4", "1 2", "12 4", "6 2 2 2")
# Criteria segments: ten colours in turn, each segment also carries its criterion's number.
SEGMENTS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")

WIDTH = 720
CHAR = 0.56  # average glyph width of a sans-serif font, in font sizes


def score_colour(score: float, low: float, high: float) -> str:
    band = int(4 * (score - low) / (high - low) + 1e-9) if high > low else 4
    return LEVELS[max(0, min(4, band))]


def heat(p: float) -> str:
    """A share from 0 to 1 as a background from white to mid blue (black text stays readable)."""
    p = max(0.0, min(1.0, p))
    r, g, b = (round(255 + (c - 255) * p) for c in (0x6f, 0xa8, 0xdc))
    return f"#{r:02x}{g:02x}{b:02x}"


def _text_on(colour: str) -> str:
    r, g, b = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def fit(text: str, room: float, size: float) -> str:
    """`text` cut with an ellipsis to about `room` units at font `size`."""
    most = max(3, int(room / (size * CHAR)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _open(height: float, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
            f'aria-label="{escape(label, quote=True)}" font-size="12" font-family="inherit">')


def _label(x: float, y: float, text: str, room: float, size: float = 12, anchor: str = "start", **attrs: str) -> str:
    """A text label cut to fit, with the full text as its tooltip."""
    shown = fit(text, room, size)
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    tip = f"<title>{escape(text)}</title>" if shown != text else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>{tip}{escape(shown)}</text>'


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / count
    mag = 10 ** int(f"{raw:e}".split("e")[1])
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    first = -(-lo // step) * step
    ticks, t = [], first
    while t <= hi + 1e-9:
        ticks.append(round(t, 10) + 0.0)  # + 0.0: no "-0"
        t += step
    return ticks


def contributions(rows: list[tuple[str, list[tuple[int, float]], float]], maximum: float, label: str) -> str:
    """Stacked horizontal bars: per option (label, [(criterion number, weighted contribution)], total),
    best first, on a scale from 0 to the best possible total."""
    left, right, row = 170, 54, 30
    plot = WIDTH - left - right
    top = 8
    height = top + row * len(rows) + 34
    x = lambda v: left + plot * v / maximum  # noqa: E731
    out = [_open(height, label)]
    for v in _nice_ticks(0, maximum):
        out.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{top}" y2="{top + row * len(rows)}" stroke="#ddd"/>'
                   f'<text x="{x(v):.1f}" y="{top + row * len(rows) + 14}" font-size="11" text-anchor="middle" fill="#555">{v:g}</text>')
    for k, (name, parts, total) in enumerate(rows):
        y = top + k * row
        out.append(_label(left - 8, y + row / 2 + 4, name, left - 12, anchor="end"))
        at = 0.0
        for n, value in parts:
            if value <= 0:
                continue
            colour = SEGMENTS[(n - 1) % len(SEGMENTS)]
            x0, x1 = x(at), x(at + value)
            out.append(f'<rect x="{x0:.1f}" y="{y + 4}" width="{x1 - x0:.1f}" height="{row - 8}" fill="{colour}" stroke="#fff" stroke-width="0.8">'
                       f"<title>criterion {n}: {value:g}</title></rect>")
            if x1 - x0 >= 8 + 6 * len(str(n)):
                out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y + row / 2 + 4}" font-size="10" text-anchor="middle" fill="{_text_on(colour)}">{n}</text>')
            at += value
        out.append(f'<text x="{x(at) + 5:.1f}" y="{y + row / 2 + 4}" font-size="12" font-weight="bold">{total:g}</text>')
    out.append(f'<text x="{left + plot / 2:.0f}" y="{height - 4}" font-size="11" text-anchor="middle" fill="#555">weighted total (right-hand end: the best possible, {maximum:g})</text>')
    out.append("</svg>")
    return "".join(out)


def one_way(series: list[tuple[str, float, float]], share_now: float, switches: list[tuple[float, str]],
            label: str, y_range: tuple[float, float]) -> str:
    """Each option's value (a line: intercept + share x slope) as one criterion's share goes from 0 to
    100%; a grey line at today's share and a red dashed line where the preferred option is overtaken."""
    left, legend, top, plot_h = 44, 176, 28, 220
    plot_w = WIDTH - left - legend - 16
    height = top + plot_h + 40
    lo, hi = y_range
    pad = (hi - lo) * 0.06 or 0.1
    lo, hi = lo - pad, hi + pad
    x = lambda t: left + plot_w * t  # noqa: E731
    y = lambda v: top + plot_h * (hi - v) / (hi - lo)  # noqa: E731
    out = [_open(height, label), _label(left, 16, label, left + plot_w, 13, font_weight="bold")]
    for v in _nice_ticks(lo, hi, 4):
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{left - 5}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{v:g}</text>')
    for t in (0, 0.25, 0.5, 0.75, 1):
        out.append(f'<text x="{x(t):.1f}" y="{top + plot_h + 15}" font-size="11" text-anchor="middle" fill="#555">{t * 100:.0f}%</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    out.append(f'<line x1="{x(share_now):.1f}" x2="{x(share_now):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#777" stroke-width="2"/>')
    for t, _ in switches:
        out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#b8483e" stroke-width="1.5" stroke-dasharray="5 3"/>')
    for k, (name, a, b) in enumerate(series):
        colour, dash = OPTION_COLOURS[k % len(OPTION_COLOURS)], DASHES[k % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x(0):.1f}" y1="{y(a):.1f}" x2="{x(1):.1f}" y2="{y(a + b):.1f}" stroke="{colour}" stroke-width="2.2"{dash_attr}>'
                   f"<title>{escape(name)}</title></line>")
        ly = top + 8 + k * 18
        out.append(f'<line x1="{WIDTH - legend}" x2="{WIDTH - legend + 26}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" stroke-width="2.2"{dash_attr}/>')
        out.append(_label(WIDTH - legend + 32, ly + 4, name, legend - 34, 11))
    notes = [("now", share_now, "#555")] + [(f"{t * 100:.1f}%", t, "#b8483e") for t, _ in switches]
    for text, t, colour in notes:
        out.append(f'<text x="{x(t) + 3:.1f}" y="{top + 12}" font-size="11" fill="{colour}">{escape(text)}</text>')
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#555">share of the total weight on this criterion</text>')
    out.append("</svg>")
    return "".join(out)


def tornado(bars: list[tuple[str, float, float, bool]], base: float, label: str) -> str:
    """The preferred option's lead over the runner-up as each weight moves down (light) and up (dark);
    a red dashed line at zero, where it is overtaken."""
    left, right, row, top = 290, 16, 18, 8
    plot = WIDTH - left - right
    values = [base] + [v for _, lo, hi, _ in bars for v in (lo, hi) if v == v]
    if min(values) <= 0:  # show where the runner-up takes over only when some move gets there
        values.append(0.0)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 0.1
    lo, hi = lo - pad, hi + pad
    height = top + row * len(bars) + 36
    x = lambda v: left + plot * (v - lo) / (hi - lo)  # noqa: E731
    bottom = top + row * len(bars)
    out = [_open(height, label)]
    for v in _nice_ticks(lo, hi, 6):
        out.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{top}" y2="{bottom}" stroke="#e6e6e6"/>'
                   f'<text x="{x(v):.1f}" y="{bottom + 13}" font-size="11" text-anchor="middle" fill="#555">{v:g}</text>')
    for k, (name, low, high, changes) in enumerate(bars):
        y = top + k * row
        attrs = {"fill": "#b8483e", "font_weight": "bold"} if changes else {}
        out.append(_label(left - 8, y + 13, name, left - 12, 11.5, "end", **attrs))
        for v, colour, dy in ((low, "#9cc3e6", 2), (high, "#2f5f8f", 9)):
            if v != v:
                continue
            x0, x1 = sorted((x(base), x(v)))
            out.append(f'<rect x="{x0:.1f}" y="{y + dy}" width="{max(x1 - x0, 1):.1f}" height="7" fill="{colour}"><title>{v:.3f}</title></rect>')
    out.append(f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{top - 4}" y2="{bottom}" stroke="#333" stroke-width="1.5"/>')
    if lo < 0 < hi:
        out.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 4}" y2="{bottom}" stroke="#b8483e" stroke-dasharray="4 3" stroke-width="1.5"/>')
    out.append(f'<text x="{left + plot / 2:.0f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#555">lead over the runner-up, in points on the score scale (now {base:.3f})</text>')
    out.append("</svg>")
    return "".join(out)


def value_and_cost(points: list[tuple[str, float, float, bool]], frontier: list[tuple[float, float]], unit: str, label: str) -> str:
    """Each option as a point, cost across and weighted value up (name, cost, value, on the frontier);
    the efficient frontier joined cheapest first."""
    left, top, plot_w, plot_h = 56, 12, WIDTH - 56 - 190, 250
    height = top + plot_h + 44
    c_hi = max(c for _, c, _, _ in points) * 1.1 or 1.0
    v_lo, v_hi = min(v for _, _, v, _ in points), max(v for _, _, v, _ in points)
    pad = (v_hi - v_lo) * 0.15 or abs(v_hi) * 0.1 or 1.0
    v_lo, v_hi = v_lo - pad, v_hi + pad
    x = lambda c: left + plot_w * c / c_hi  # noqa: E731
    y = lambda v: top + plot_h * (v_hi - v) / (v_hi - v_lo)  # noqa: E731
    out = [_open(height, label), f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for v in _nice_ticks(v_lo, v_hi, 4):
        out.append(f'<text x="{left - 5}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{v:g}</text>')
    for c in _nice_ticks(0, c_hi, 5):
        out.append(f'<text x="{x(c):.1f}" y="{top + plot_h + 15}" font-size="11" text-anchor="middle" fill="#555">{c:g}</text>')
    if len(frontier) > 1:
        out.append('<polyline fill="none" stroke="#2f8f46" stroke-width="2" points="' + " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v in frontier) + '"/>')
    for k, (name, c, v, on) in enumerate(points):
        out.append(f'<circle cx="{x(c):.1f}" cy="{y(v):.1f}" r="5" fill="{"#2f8f46" if on else "#999"}"><title>{escape(name)}: {c:g}, {v:g}</title></circle>')
        # Names in a legend beside the plot, numbered at their points: labels never sit on other points.
        out.append(f'<text x="{x(c) + 7:.1f}" y="{y(v) - 6:.1f}" font-size="11">{k + 1}</text>')
        out.append(_label(left + plot_w + 12, top + 12 + 16 * k, f"{k + 1}. {name}", 176, 11))
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#555">cost{f" ({escape(unit)})" if unit else ""}; up: weighted value</text>')
    out.append("</svg>")
    return "".join(out)
