"""The export dialog: the arrows choose a format (named in plain text), the path completes with Tab,
Enter writes; an existing file asks "Replace?"."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..errors import AppraisalError
from ..io.atomic import not_a_file
from ..reports.export import FORMATS, export
from .modals import ConfirmScreen
from .paths import PathInput
from .text import literal

SUFFIX = {"csv": ".csv", "csv-long": "-long.csv", "xlsx": ".xlsx", "md": ".md", "json": ".json", "html": ".html"}
LABELS = {"csv": "CSV: the score matrix", "csv-long": "CSV, one row per score (for pivot tables)", "xlsx": "Excel, with live formulas",
          "md": "Markdown tables for reports", "json": "JSON: the whole appraisal and results", "html": "HTML page with charts, to email or print"}


class ExportScreen(ModalScreen[Path | None]):
    AUTO_FOCUS = "#export-format"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, appraisal, source: Path | None, folder: Path | None = None):
        super().__init__()
        self.appraisal = appraisal
        self.folder = folder or Path.cwd()
        self.stem = (source.stem if source else "appraisal") + "-export"
        self.format = "xlsx"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export the matrix as it stands now", classes="dialog-title")
            yield OptionList(*[Option(LABELS[f], id=f) for f in FORMATS], id="export-format")
            yield Static(id="export-chosen")
            yield PathInput(str(self.folder / (self.stem + SUFFIX[self.format])), suffixes=tuple(set(SUFFIX.values())), id="export-path")
            yield Static("", id="export-error", classes="error")
            yield Label("↑↓ choose the format; Enter writes; Tab moves to the file name (Tab there completes it); Escape cancels.", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#export-format", OptionList).highlighted = FORMATS.index(self.format)
        self._say()

    def _say(self) -> None:
        self.query_one("#export-chosen", Static).update(Text.assemble(("Format: ", "bold"), f"{self.format} ({LABELS[self.format]})"))

    @on(OptionList.OptionHighlighted, "#export-format")
    def _format(self, event: OptionList.OptionHighlighted) -> None:
        self.format = event.option.id or "xlsx"
        field = self.query_one("#export-path", Input)
        field.value = str(Path(field.value).expanduser().parent / (self.stem + SUFFIX[self.format]))
        self._say()

    @on(OptionList.OptionSelected, "#export-format")
    def _chosen(self) -> None:
        self._write()

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self._write()

    def _write(self, force: bool = False) -> None:
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if why := not_a_file(path):  # a device, FIFO or folder is never offered for replacing
            self.query_one("#export-error", Static).update(literal(f"{path} {why}: choose a file name"))
            return
        if path.exists() and not force:
            self.app.push_screen(ConfirmScreen(f"{path} exists. Replace it?", [("Replace", "yes", "warning"), ("Cancel", "cancel", "default")]),
                                 lambda choice: choice == "yes" and self._write(force=True))
            return
        self.query_one("#export-error", Static).update(Text(f"Writing {path.name}…", style="dim"))
        self._export(path, self.format, force)

    @work(thread=True, exclusive=True)
    def _export(self, path: Path, fmt: str, force: bool) -> None:
        """In a thread: an xlsx or html export runs the sensitivity analyses (seconds), and the screen
        must not freeze meanwhile."""
        try:
            export(self.appraisal, path, fmt, force=force)
        except (AppraisalError, OSError) as e:
            self.app.call_from_thread(self.query_one("#export-error", Static).update, literal(str(e)))
            return
        self.app.call_from_thread(self._written, path, fmt)

    def _written(self, path: Path, fmt: str) -> None:
        self.app.notify(f"Wrote {path} ({fmt}, {path.stat().st_size:,} bytes)")
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
