"""A small document model (sections of paragraphs, lists, tables, figures) -> one self-contained HTML
page or GitHub-flavoured Markdown with the same content. Every piece of text is data: the renderers
escape it, so a name holding `<script>`, `|` or `**` prints as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from .text import printable


# --- inline text: a str, or a tuple of str / Strong / Em / Code pieces --------------------------
@dataclass(frozen=True)
class Styled:
    text: str


class Strong(Styled):
    """Bold."""


class Em(Styled):
    """Italic: notes and reasons given in a workshop."""


class Code(Styled):
    """Monospace: codes, hashes."""


Inline = str | Strong | Em | Code
Text = Inline | tuple[Inline, ...]


def pieces(text: Text) -> tuple[Inline, ...]:
    return text if isinstance(text, tuple) else (text,)


def plain(text: Text) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in pieces(text))


# --- blocks ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Para:
    text: Text
    cls: str = ""  # "note": small print; "lead": the summary's opening line; "html": only where colours show


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class CodeBlock:
    text: str


@dataclass(frozen=True)
class Cell:
    text: Text
    colour: str = ""  # a background, e.g. a score's level
    dim: bool = False  # out of play: an excluded option, a switched-off criterion


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[Text | Cell, ...], ...]
    align: str = ""  # one letter per column: l, r, c (default l)
    caption: str = ""
    cls: str = ""  # "reasons": long text columns; "matrix": compact scores
    widths: tuple[str, ...] = ()  # CSS widths per column (html only), e.g. ("20%", "", "4em")


@dataclass(frozen=True)
class Figure:
    """An inline SVG chart. Markdown has no SVG: it shows the caption and `alt`, the same facts in words."""

    svg: str
    caption: str
    alt: str


@dataclass(frozen=True)
class Heading:
    text: str


Block = Para | Bullets | CodeBlock | Table | Figure | Heading


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: tuple[str, ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)


# --- HTML ----------------------------------------------------------------------------------------
CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d1d1d;background:#fff;
  margin:0 auto;max-width:60rem;padding:1rem;overflow-wrap:break-word}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid #3b6ea8}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.subtitle{color:#444;margin:.1rem 0}
.lead{font-size:1.1rem}
.note{color:#4a4a4a;font-size:.9em}
nav ol{padding-left:1.4rem;margin:.4rem 0}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.4rem 0 1rem;width:100%}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}
caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
th,td{border:1px solid #c9c9c9;padding:.25rem .4rem;vertical-align:top;text-align:left}
thead th{background:#eef2f7;font-size:.92em;overflow-wrap:normal}  /* "Weight", never "Weig" + "ht" */
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
td.r{white-space:nowrap}
td.c,th.c{text-align:center}
td.dim{color:#777;background:#f3f3f3}
table.matrix td{white-space:nowrap}
table.matrix td:nth-child(2){white-space:normal}
figure{margin:.6rem 0 1.2rem}
figure svg{display:block;width:100%;height:auto;max-width:100%}
figcaption{font-size:.9em;color:#333;margin-top:.3rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;padding:.5rem;border:1px solid #ddd;font-size:.85em}
code{font-size:.9em;overflow-wrap:anywhere}
@media (max-width:40rem){
  body{font-size:14px;padding:.6rem}th,td{padding:.2rem .25rem}
  /* On a phone each row of a text table is a card: the column's name before each value. */
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}
  table.cards colgroup,table.cards thead{display:none}
  table.cards tr{border:1px solid #c9c9c9;margin:0 0 .5rem;padding:.2rem .3rem}
  table.cards td{border:none;text-align:left;white-space:normal;padding:.1rem 0}
  table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#444}
}
@page{size:A4;margin:14mm 12mm}
@media print{
  body{max-width:none;padding:0;font-size:10pt}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  nav{display:none}
  .wide{overflow:visible}
  section+section{break-before:page}
  h2,h3,caption{break-after:avoid}
  thead{display:table-header-group}
  tr,figure,pre,table.keep{break-inside:avoid}
  table.matrix{font-size:.9em}
}
"""


def _inline_html(text: Text) -> str:
    if isinstance(text, str):
        return _esc(text)
    out = []
    for p in pieces(text):
        if isinstance(p, Strong):
            out.append(f"<strong>{_esc(p.text)}</strong>")
        elif isinstance(p, Em):
            out.append(f"<em>{_esc(p.text)}</em>")
        elif isinstance(p, Code):
            out.append(f"<code>{_esc(p.text)}</code>")
        else:
            out.append(_esc(p))
    return "".join(out)


@lru_cache(maxsize=16384)  # a record repeats labels, names and scores thousands of times
def _esc(s: str) -> str:
    """Text as HTML: markup escaped, control characters shown as signs (␛), line breaks kept."""
    return escape(printable(s, lines=True), quote=True).replace("\n", "<br>")


KEEP_ROWS = 12  # a table this short is not split across printed pages


def _table_html(t: Table) -> str:
    align = t.align.ljust(len(t.head), "l")
    cls = {"l": "", "r": ' class="r"', "c": ' class="c"'}
    cols = ""
    if t.widths:
        cols = "<colgroup>" + "".join(f'<col style="width:{w}">' if w else "<col>" for w in t.widths) + "</colgroup>"
    head = "".join(f"<th{cls[a]} scope=\"col\">{_esc(h)}</th>" for h, a in zip(t.head, align))
    cards = t.cls != "matrix"  # a score matrix scrolls sideways on a phone instead
    # Each column's opening tag, plain and dimmed: the same for every row.
    labels = [f' data-label="{escape(h, quote=True)}"' if cards and h.strip() else "" for h in t.head]
    side = [{"r": "r", "c": "c"}.get(a, "") for a in align]
    plain_class = [f' class="{c}"' if c else "" for c in side]
    dim_open = [f'<td class="{(c + " dim").strip()}"{lb}>' for c, lb in zip(side, labels)]
    plain_open = [f"<td{c}{lb}>" for c, lb in zip(plain_class, labels)]
    rows = []
    for row in t.rows:
        tds = []
        for k, value in enumerate(row[:len(labels)]):
            if not isinstance(value, Cell):
                tds.append(f"{plain_open[k]}{_inline_html(value)}</td>")
            elif value.dim:
                tds.append(f"{dim_open[k]}{_inline_html(value.text)}</td>")
            elif value.colour:
                tds.append(f'<td{plain_class[k]} style="background:{value.colour}"{labels[k]}>{_inline_html(value.text)}</td>')
            else:
                tds.append(f"{plain_open[k]}{_inline_html(value.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    caption = f"<caption>{_esc(t.caption)}</caption>" if t.caption else ""
    # Given widths fix the layout: long words then wrap inside their column instead of widening the page.
    classes = " ".join(x for x in (t.cls, "fixed" if t.widths else "", "keep" if len(t.rows) <= KEEP_ROWS else "", "cards" if cards else "") if x)
    table_cls = f' class="{classes}"' if classes else ""
    return f'<div class="wide"><table{table_cls}>{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _block_html(b: Block) -> str:
    if isinstance(b, Para):
        cls = f' class="{b.cls}"' if b.cls else ""
        return f"<p{cls}>{_inline_html(b.text)}</p>"
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in b.items) + "</ul>"
    if isinstance(b, CodeBlock):
        return f"<pre><code>{escape(printable(b.text, lines=True))}</code></pre>"
    if isinstance(b, Table):
        return _table_html(b)
    if isinstance(b, Figure):
        return f"<figure>{b.svg}<figcaption>{_esc(b.caption)}</figcaption></figure>"
    if isinstance(b, Heading):
        return f"<h3>{_esc(b.text)}</h3>"
    raise TypeError(b)


def to_html(doc: Document) -> str:
    nav = "".join(f'<li><a href="#{s.anchor}">{_esc(s.title)}</a></li>' for s in doc.sections)
    body = "\n".join(
        f'<section id="{s.anchor}">\n<h2>{_esc(s.title)}</h2>\n' + "\n".join(_block_html(b) for b in s.blocks) + "\n</section>"
        for s in doc.sections
    )
    subtitle = "".join(f'<p class="subtitle">{_esc(line)}</p>' for line in doc.subtitle)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing is fetched: no scripts, fonts, images or styles from elsewhere.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_esc(doc.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{_esc(doc.title)}</h1>{subtitle}<nav><ol>{nav}</ol></nav></header>\n"
        f"{body}\n</body>\n</html>\n"
    )


# --- Markdown (GFM) -----------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_escape(s: str, *, in_table: bool = False, line_start: bool = True) -> str:
    """Text as Markdown that renders as exactly this text (no emphasis, links, HTML, headings or
    lists): punctuation that means something is backslash-escaped, line breaks kept as breaks.
    `line_start`: the text begins a line (inline pieces after the first do not)."""
    s = _ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", printable(s, lines=True)))
    lines = s.split("\n")
    for k, line in enumerate(lines):
        if k == 0 and not line_start:
            continue
        line = line.lstrip()  # leading spaces would start a code block
        if not in_table:  # block syntax means nothing inside a table cell
            line = re.sub(r"^([#>+=-])", r"\\\1", line)  # a heading, quote, list item or rule
            line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)  # a numbered list item
        lines[k] = line
    return ("<br>" if in_table else "\\\n").join(lines)


def _code_md(text: str) -> str:
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return "`" * ticks + pad + text + pad + "`" * ticks


def _inline_md(text: Text, in_table: bool = False) -> str:
    out = []
    for k, p in enumerate(pieces(text)):
        if isinstance(p, Code):
            code = _code_md(printable(p.text))
            out.append(code.replace("|", "\\|") if in_table else code)
            continue
        body = md_escape(p if isinstance(p, str) else p.text, in_table=in_table, line_start=k == 0)
        out.append(f"**{body}**" if isinstance(p, Strong) else f"*{body}*" if isinstance(p, Em) else body)
    return "".join(out)


def _table_md(t: Table) -> list[str]:
    align = t.align.ljust(len(t.head), "l")
    rule = {"l": ":---", "r": "---:", "c": ":---:"}
    lines = [f"**{md_escape(t.caption)}**", ""] if t.caption else []
    lines.append("| " + " | ".join(md_escape(h, in_table=True) for h in t.head) + " |")
    lines.append("|" + "|".join(rule[a] for a in align) + "|")
    for row in t.rows:
        cells = [(v.text if isinstance(v, Cell) else v) for v in row]
        lines.append("| " + " | ".join(_inline_md(c, True) or " " for c in cells) + " |")
    return lines


def _block_md(b: Block) -> list[str]:
    if isinstance(b, Para):
        text = _inline_md(b.text)
        return [f"*{text}*" if b.cls == "note" and "*" not in text else text]
    if isinstance(b, Bullets):
        return ["- " + _inline_md(i).replace("\\\n", "\\\n  ") for i in b.items]
    if isinstance(b, CodeBlock):
        text = printable(b.text, lines=True)
        fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
        return [fence, text, fence]
    if isinstance(b, Table):
        return _table_md(b)
    if isinstance(b, Figure):
        return [f"*Figure: {md_escape(b.caption)}*", "", md_escape(b.alt)]
    if isinstance(b, Heading):
        return [f"### {md_escape(b.text, line_start=False)}"]
    raise TypeError(b)


def to_markdown(doc: Document) -> str:
    out = [f"# {md_escape(doc.title, line_start=False)}", ""]
    for line in doc.subtitle:
        out += [md_escape(line), ""]
    out += [f"- {md_escape(s.title)}" for s in doc.sections] + [""]
    for s in doc.sections:
        out += [f"## {md_escape(s.title, line_start=False)}", ""]
        for b in s.blocks:
            if not (isinstance(b, Para) and b.cls == "html"):
                out += _block_md(b) + [""]
    return "\n".join(out).rstrip("\n") + "\n"
