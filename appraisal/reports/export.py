"""Appraisal -> a file of the chosen format (csv, csv-long, xlsx, md, json, html): picks the exporter,
writes atomically, never replaces a file unless asked, and never one the appraisal was read from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..engine import evaluate, problem_from
from ..errors import AppraisalError
from ..model import Appraisal
from ..model.scenario import Step
from ..io.atomic import check_output, write_output

FORMATS = ("csv", "csv-long", "xlsx", "md", "json", "html")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def format_for(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise AppraisalError(f"cannot tell the format from '{path.suffix or 'no extension'}': use --format ({', '.join(FORMATS)})", file=str(path)) from None


def render(a: Appraisal, fmt: str, *, steps: list[Step] = (), source: str = "", samples: int = 10_000, seed: int = 0,  # type: ignore[assignment]
           base: Appraisal | None = None, title: str = "", description: str = "") -> bytes:
    """`base`, `title`, `description`: the appraisal before a scenario's steps, and the scenario's own
    title and description, for the exports that show the scenario (html, md)."""
    ev = evaluate(problem_from(a))
    if fmt in ("csv", "csv-long"):
        from .export_csv import long_rows, matrix_rows, to_csv

        return to_csv(matrix_rows(a, ev) if fmt == "csv" else long_rows(a, ev)).encode("utf-8")
    if fmt == "json":
        from .export_json import to_json

        return to_json(a).encode("utf-8")
    if fmt in ("md", "html"):
        from .document import to_html, to_markdown
        from .export_document import export_record, html_document, md_document

        r = export_record(a, steps=steps, base=base, title=title, description=description, source=source, samples=samples, seed=seed,
                          analyse=fmt == "html")
        return (to_html(html_document(r)) if fmt == "html" else to_markdown(md_document(r))).encode("utf-8")
    if fmt == "xlsx":
        from .export_xlsx import to_xlsx
        from .findings import findings
        from .sensitivity import sensitivity_report

        return to_xlsx(a, ev, sensitivity=sensitivity_report(a, samples=samples, seed=seed), findings=findings(a), steps=list(steps), source=source)
    raise AppraisalError(f"unknown format '{fmt}' (one of {', '.join(FORMATS)})")


def export(a: Appraisal, path: Path, fmt: str | None = None, *, force: bool = False, inputs: Iterable[Path] = (), **kw) -> str:
    fmt = format_for(path, fmt)
    check_output(path, force=force, inputs=inputs)  # before the work of rendering
    write_output(path, render(a, fmt, **kw), force=force, inputs=inputs)
    return fmt
