"""Benchmarks: `make bench` prints a table of medians against each target."""

import compileall
from pathlib import Path

# Time what a user runs: pip byte-compiles a package it installs, and an editable install writes its .pyc
# files on first use. A shell with PYTHONDONTWRITEBYTECODE set (as CI and sandboxes often are) would
# otherwise make every timed process compile appraisal/ from source (~55 ms a start-up), which the
# baselines (numpy, pydantic: installed, compiled) never pay.
compileall.compile_dir(Path(__file__).resolve().parent.parent / "appraisal", quiet=1)
