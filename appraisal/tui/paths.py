"""Choosing a file: a path typed with completion (Tab completes as a shell does; the matching files
and folders are listed under it, to pick with the arrows), for open, save as and export."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from .text import literal, printable

LISTED = 200  # entries listed at most (a folder of thousands lists its first ones)


def _split(value: str) -> tuple[Path, str]:
    """(the folder to look in, the start of the name typed so far)."""
    text = os.path.expanduser(value)
    if not text:
        return Path.cwd(), ""
    if text.endswith(os.sep):
        return Path(text), ""
    path = Path(text)
    return (path.parent if str(path.parent) else Path.cwd()), path.name


def matches(value: str, suffixes: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    """(name, is a folder) of the entries of the typed folder whose names start with the typed name:
    folders first, then files (only those with one of `suffixes`, when given); hidden ones only when
    the name typed starts with a dot. Unreadable folders list nothing."""
    folder, start = _split(value)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        name = entry.name
        if not name.startswith(start) or (name.startswith(".") and not start.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir or not suffixes or name.lower().endswith(suffixes):
            found.append((name, is_dir))
    found.sort(key=lambda e: (not e[1], e[0].lower()))
    return found[:LISTED]


def complete(value: str, suffixes: tuple[str, ...] = ()) -> str:
    """What Tab makes of `value`: the longest common start of the matching names; a single folder
    gets its separator, so the next Tab lists inside it."""
    folder, start = _split(value)
    found = matches(value, suffixes)
    if not found:
        return value
    names = [name for name, _ in found]
    common = os.path.commonprefix(names)
    if len(common) <= len(start):
        return value
    base = value[: len(value) - len(start)] if start else (value if value.endswith(os.sep) or not value else value + os.sep)
    done = base + common
    if len(found) == 1 and found[0][1]:
        done += os.sep
    return done


class PathSuggester(Suggester):
    """The inline suggestion: the completion Tab would make, shown greyed after the cursor."""

    def __init__(self, suffixes: tuple[str, ...]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        done = complete(value, self.suffixes)
        return done if done != value else None


class PathInput(Input):
    """An Input whose Tab completes the path (instead of moving the focus)."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, value: str, suffixes: tuple[str, ...] = (), **kw):
        super().__init__(value, suggester=PathSuggester(suffixes), **kw)
        self.suffixes = suffixes

    def action_complete(self) -> None:
        done = complete(self.value, self.suffixes)
        if done != self.value:
            self.value = done
            self.cursor_position = len(done)


class PathScreen(ModalScreen[str | None]):
    """A path, typed with completion or picked from the list under it. Enter on the path gives it to
    the caller (who checks it); Enter on a listed folder opens it, on a listed file picks it."""

    AUTO_FOCUS = "PathInput"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_list", "Pick from the list", show=False)]

    def __init__(self, title: str, value: str, *, suffixes: tuple[str, ...] = (".toml", ".json"), hint: str = ""):
        super().__init__()
        self.title_text, self.value, self.suffixes = title, value, suffixes
        self.hint = hint or "Tab completes the name; ↓ picks from the list; Enter confirms; Escape cancels."

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield PathInput(self.value, self.suffixes, id="path-input")
            yield Static("", id="path-error", classes="error")
            yield OptionList(id="path-list")
            yield Label(self.hint, classes="dim")

    def on_mount(self) -> None:
        self._list(self.value)

    async def on_key(self, event) -> None:
        """Keys that reach the dialog before its field has the focus (a path pasted or typed fast right after
        S or o): given to the field, never lost (review: a fast-typed path arrived empty)."""
        field = self.query_one(PathInput)
        if self.focused is not None:
            return
        field.focus()
        if event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        elif event.key == "ctrl+u":
            field.value, field.cursor_position = field.value[field.cursor_position:], 0
        elif event.key == "enter":
            await field.action_submit()
        else:
            return
        event.stop()
        event.prevent_default()

    @on(Input.Changed, "#path-input")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#path-error", Static).update("")
        self._list(event.value)

    def _list(self, value: str) -> None:
        listing = self.query_one("#path-list", OptionList)
        listing.clear_options()
        folder, start = _split(value)
        found = matches(value, self.suffixes)
        if not found and start:  # a new file's name matches nothing: show what the folder holds (review: an empty list)
            found = matches(str(folder) + os.sep, self.suffixes)
        listing.add_options([Option(literal(name + (os.sep if is_dir else ""), "bold" if is_dir else ""), id=name) for name, is_dir in found])
        listing.border_title = printable(str(folder))

    def action_to_list(self) -> None:
        listing = self.query_one("#path-list", OptionList)
        if listing.option_count:
            listing.focus()
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#path-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one(PathInput)
        folder, _ = _split(field.value)
        chosen = folder / str(event.option.id)
        if chosen.is_dir():
            field.value = str(chosen) + os.sep
            field.cursor_position = len(field.value)
            field.focus()
        else:
            field.value = str(chosen)
            self.dismiss(field.value)

    @on(Input.Submitted, "#path-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.query_one("#path-error", Static).update("Type a file name.")
            return
        if Path(os.path.expanduser(value)).is_dir():
            self.query_one("#path-error", Static).update(literal(f"{value} is a folder: type or pick a file in it."))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
