"""Where the bundled data lives: beside the package in a checkout, inside it when installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DEFAULT_APPRAISAL = "birmingham-2013.toml"


def data_root() -> Path:
    checkout = _PACKAGE.parent
    if (checkout / "scenarios" / DEFAULT_APPRAISAL).is_file():
        return checkout
    return _PACKAGE / "_data"


def bundled_appraisal() -> Path:
    return data_root() / "scenarios" / DEFAULT_APPRAISAL
