"""Small dialogs: text and number prompts, confirmations, weight presets."""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Function, ValidationResult, Validator
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from .text import literal


class NonNegativeNumber(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            x = float(value)
        except ValueError:
            return self.failure(f"{value!r} is not a number")
        if not math.isfinite(x):
            return self.failure("must be a finite number")
        if x < 0:
            return self.failure("must be 0 or more")
        return self.success()


class PromptScreen(ModalScreen[str | None]):
    """One line of input. Enter submits (if valid), Escape cancels."""

    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, value: str = "", placeholder: str = "", validators: list[Validator] | None = None,
                 hint: str = "Enter to confirm, Escape to cancel", allow_empty: bool = False):
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.validators = validators or []
        self.hint, self.allow_empty = hint, allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, validators=self.validators, id="prompt-input")
            yield Static("", id="prompt-error", classes="error")
            yield Label(self.hint, classes="dim")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        self.query_one("#prompt-error", Static).update(literal("" if result is None or result.is_valid else "; ".join(result.failure_descriptions)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip() and self.allow_empty:
            self.dismiss("")
            return
        result = event.input.validate(event.value)
        if result is not None and not result.is_valid:
            self.query_one("#prompt-error", Static).update(literal("; ".join(result.failure_descriptions)))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class FiniteNumber(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            x = float(value)
        except ValueError:
            return self.failure(f"{value!r} is not a number")
        if not math.isfinite(x):
            return self.failure("must be a finite number")
        return self.success()


class OnScale(Validator):
    """A score the scale allows (its range and step), in the scale's own words."""

    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def validate(self, value: str) -> ValidationResult:
        try:
            x = float(value)
        except ValueError:
            return self.failure(f"{value!r} is not a number")
        why = self.scale.check_score(x)
        return self.failure(why) if why else self.success()


def measure_prompt(where: str, unit: str, value: str) -> PromptScreen:
    """A measure in its natural unit; the value function derives the score."""
    return PromptScreen(f"Measure for {where}" + (f" (in {unit})" if unit else ""), value=value, validators=[FiniteNumber()],
                        hint="A number in the criterion's unit; its value function gives the score. Enter to set, Escape to cancel.")


def score_prompt(where: str, scale, value: str) -> PromptScreen:
    return PromptScreen(f"Score for {where}", value=value, validators=[OnScale(scale)],
                        hint=f"From {scale.min:g} to {scale.max:g} in steps of {scale.step:g}. Enter to set, Escape to cancel.")


def weight_prompt(criterion: str, current: float, *, group: bool = False) -> PromptScreen:
    title = f"Weight of the group “{criterion}” (against the groups and criteria beside it)" if group else f"Weight for “{criterion}”"
    return PromptScreen(title, value=f"{current:g}", validators=[NonNegativeNumber()],
                        hint="A number, 0 or more. Enter to set, Escape to cancel.")


def reason_prompt(what: str) -> PromptScreen:
    return PromptScreen(f"Why? {what}", placeholder="the reason, for the record", hint="Enter to record (empty skips), Escape skips", allow_empty=True)


class ConfirmScreen(ModalScreen[str]):
    """A question with buttons; returns the chosen button's id ('cancel' on Escape)."""

    BINDINGS = [Binding("escape", "choose('cancel')", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]]):
        super().__init__()
        self.question, self.choices = question, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.question, lines=True), classes="dialog-title")
            with Horizontal(classes="buttons"):
                for label, ident, variant in self.choices:
                    yield Button(label, id=ident, variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, ident: str) -> None:
        self.dismiss(ident)


PRESETS = [
    ("as-loaded", "As loaded", "the weights in the file"),
    ("equal", "Equal", "every criterion the same weight"),
    ("rank-order-centroid", "Rank-order centroid", "from an order of importance the room agrees"),
    ("swing", "Swing weights", "the most important criterion 100, the others out of 100"),
]


class PresetScreen(ModalScreen[str | None]):
    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Weight presets", classes="dialog-title")
            yield OptionList(*[Option(f"{name}: {desc}", id=key) for key, name, desc in PRESETS])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OrderScreen(ModalScreen[list[str] | None]):
    """Put criteria in order of importance: move the highlighted one with [ and ] (or shift+arrows)."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [
        Binding("left_square_bracket,shift+up", "move(-1)", "Move up"),
        Binding("right_square_bracket,shift+down", "move(1)", "Move down"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, criteria: list[tuple[str, str]]):
        super().__init__()
        self.order = list(criteria)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Label("Order of importance (most important first)", classes="dialog-title")
            yield OptionList(id="order")
            yield Label("[ / ] or shift+arrows move the highlighted criterion; ctrl+s applies; Escape cancels", classes="dim")

    def on_mount(self) -> None:
        self._fill(0)

    def _fill(self, highlight: int) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options([Option(literal(f"{k + 1:>2}. {name}"), id=cid) for k, (cid, name) in enumerate(self.order)])
        ol.highlighted = highlight

    def action_move(self, delta: int) -> None:
        ol = self.query_one(OptionList)
        k = ol.highlighted
        if k is None or not 0 <= k + delta < len(self.order):
            return
        self.order[k], self.order[k + delta] = self.order[k + delta], self.order[k]
        self._fill(k + delta)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss([cid for cid, _ in self.order])

    def action_cancel(self) -> None:
        self.dismiss(None)


class WeightsScreen(ModalScreen[dict[str, float] | None]):
    """Weights entered one criterion after another: type a number, Enter moves on. With `swing`, the
    numbers are out of 100 and the most important criterion must have 100."""

    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("ctrl+s", "apply", "Apply"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, criteria: list[tuple[str, str, float]], *, swing: bool = False, title: str = ""):
        super().__init__()
        self.criteria, self.swing = criteria, swing
        self.heading = title or ("Swing weights: the most important criterion 100, the others out of 100" if swing else "Weights")
        self.top = 100.0 if swing else float("inf")

    def compose(self) -> ComposeResult:
        check = Function(lambda v: _in_range(v, 0, self.top), "a number from 0 to 100" if self.swing else "a number, 0 or more")
        with Vertical(classes="dialog tall"):
            yield Label(literal(self.heading), classes="dialog-title")
            with VerticalScroll():
                for cid, name, value in self.criteria:
                    with Horizontal(classes="swing-row"):
                        yield Label(literal(name), classes="swing-name")
                        yield Input(f"{value:g}", id=f"swing-{cid}", validators=[check], classes="swing-input", select_on_focus=True)
            yield Static("", id="swing-error", classes="error")
            yield Label("Enter moves to the next; ctrl+s applies; Escape cancels", classes="dim")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        k = inputs.index(event.input)
        if k + 1 < len(inputs):
            inputs[k + 1].focus()
        else:
            self.action_apply()

    def action_apply(self) -> None:
        values = {}
        for cid, name, _ in self.criteria:
            text = self.query_one(f"#swing-{cid}", Input).value
            if not _in_range(text, 0, self.top):
                self.query_one("#swing-error", Static).update(literal(f"{name}: {text!r} is not " + ("a number from 0 to 100" if self.swing else "a number, 0 or more")))
                return
            values[cid] = float(text)
        if not any(values.values()):
            self.query_one("#swing-error", Static).update("the weights cannot all be 0")
            return
        if self.swing and max(values.values(), default=0) != 100:
            self.query_one("#swing-error", Static).update("the most important criterion must have 100")
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _in_range(text: str, lo: float, hi: float) -> bool:
    try:
        x = float(text)
    except ValueError:
        return False
    return math.isfinite(x) and lo <= x <= hi
