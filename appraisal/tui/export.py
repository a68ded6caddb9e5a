"""The export dialog: choose a format and a path; says what was written."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from ..errors import AppraisalError
from ..reports.export import FORMATS, export
from .text import literal

SUFFIX = {"csv": ".csv", "csv-long": "-long.csv", "xlsx": ".xlsx", "md": ".md", "json": ".json", "html": ".html"}
LABELS = {"csv": "CSV: the score matrix", "csv-long": "CSV, one row per score (for pivot tables)", "xlsx": "Excel, with live formulas",
          "md": "Markdown tables for reports", "json": "JSON: the whole appraisal and results", "html": "HTML page with charts, to email or print"}


class ExportScreen(ModalScreen[Path | None]):
    AUTO_FOCUS = "RadioSet"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, appraisal, source: Path | None):
        super().__init__()
        self.appraisal = appraisal
        self.stem = (source.stem if source else "appraisal") + "-export"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export the matrix as it stands now", classes="dialog-title")
            with RadioSet(id="format"):
                for k, f in enumerate(FORMATS):
                    yield RadioButton(LABELS[f], value=k == 2, name=f)
            yield Input(str(Path.cwd() / (self.stem + SUFFIX["xlsx"])), id="export-path")
            yield Static("", id="export-error", classes="error")
            yield Label("Arrows choose, Tab to the path, Enter writes; an existing file is not replaced", classes="dim")

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name or "xlsx"
        field = self.query_one("#export-path", Input)
        field.value = str(Path(field.value).parent / (self.stem + SUFFIX[fmt]))

    @on(Input.Submitted)
    def _write(self, event: Input.Submitted) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        fmt = pressed.name if pressed else "xlsx"
        path = Path(event.value).expanduser()
        try:
            export(self.appraisal, path, fmt)
        except (AppraisalError, OSError) as e:
            self.query_one("#export-error", Static).update(literal(str(e)))
            return
        self.app.notify(f"Wrote {path} ({fmt}, {path.stat().st_size:,} bytes)")
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
