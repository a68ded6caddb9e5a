"""Reading HTML and Markdown outputs as a person's browser shows them: a strict HTML5 parse, the
visible text (no tooltips, no SVG), Markdown rendered as GitHub does, and every table cell by cell."""

from __future__ import annotations

import html5lib
from markdown_it import MarkdownIt

from appraisal.reports.document import Cell, Table, plain
from appraisal.reports.text import printable

SKIP = {"svg", "style", "script", "head"}
INLINE = {"strong", "em", "code", "a", "span", "br"}


def _tree(html: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def _visible(el) -> str:
    """The text a reader sees: no attributes (tooltips), no SVG, styles or head; <br> as a space."""
    out = []

    def walk(e):
        if _tag(e) in SKIP or not isinstance(e.tag, str):
            if e.tail:
                out.append(e.tail)
            return
        if e.tag == "br":
            out.append(" ")
        if e.text:
            out.append(e.text)
        for child in e:
            walk(child)
        if _tag(e) not in INLINE:
            out.append(" ")  # cells, paragraphs and headings read as separate words
        if e.tail:
            out.append(e.tail)

    walk(el)
    return _norm("".join(out))


def _tag(e) -> str:
    return e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else ""


def _norm(s: str) -> str:
    return " ".join(s.split())


def _md_html(md: str) -> str:
    """Markdown as GitHub renders it: CommonMark with tables and strikethrough, raw HTML allowed (so
    anything the escaping missed would show up as markup)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)


def _tables(tree) -> list[list[list[str]]]:
    return [[[_visible(c) for c in row if c.tag in ("th", "td")] for row in t.iter("tr")] for t in tree.iter("table")]


def _doc_tables(doc) -> list[list[list[str]]]:
    out = []
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, Table):
                rows = [[_norm(h) for h in b.head]]
                rows += [[_norm(printable(plain(c.text if isinstance(c, Cell) else c), lines=True).replace("\n", " ")) for c in row] for row in b.rows]
                out.append(rows)
    return out


def _as_page(output: str, fmt: str) -> str:
    return _visible(_tree(output if fmt == "html" else f"<!DOCTYPE html><title>x</title>{_md_html(output)}"))
