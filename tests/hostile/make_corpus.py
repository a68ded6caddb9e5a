"""The hostile corpus: bad input for every reader, generated into a folder (deterministic; nothing
committed but this script).

Each `Case` writes its files into a folder of its own and names the commands that read them. Every
command must refuse the input as the README promises (see `runner.read_error_problems`): exit 2, one
`error:` line, no traceback, nothing written, within the time and memory limits.

    python tests/hostile/make_corpus.py DIR      # write every case into DIR/<case>/, to poke at by hand

Readers, and the commands run on each (`{out}` is the case's output folder, which must stay empty):
appraisal, json (an exported .json), base (a scenario's base), criteria (an appraisal's criteria file;
also `import --criteria`), scenario-criteria (a scenario's own criteria file): rank, validate,
sensitivity, group, export, replay, room (its report), record and tui start-up;
journal, journal-file (the file a journal's header names): `journal export`; csv, xlsx: `import`;
cli: the case's own command lines.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534

# --- valid files the cases start from ----------------------------------------------------------------

CRITERIA = """\
[scale]
min = 1
max = 5
step = 0.5
levels = [
  { value = 1, label = "Low" },
  { value = 2, label = "Low-Med" },
  { value = 3, label = "Medium" },
  { value = 4, label = "Med-High" },
  { value = 5, label = "High" },
]

[[criteria]]
id = "cost"
name = "Cost"

[[criteria]]
id = "speed"
name = "Speed"
"""

HEADER = '[appraisal]\ntitle = "Hostile"\ncriteria = "crit.toml"\n'
WEIGHTS = "[weights]\ncost = 2\nspeed = 1\n"
OPTIONS = '[[options]]\nid = "alpha"\nname = "Alpha"\n\n[[options]]\nid = "beta"\nname = "Beta"\n'
SCORES = "".join(
    f'[[scores]]\noption = "{o}"\ncriterion = "{c}"\nscore = {s}\n\n'
    for o, c, s in (("alpha", "cost", 3), ("alpha", "speed", 4), ("beta", "cost", 5), ("beta", "speed", 2))
)
APPRAISAL = "\n".join([HEADER, WEIGHTS, OPTIONS, SCORES])
SHEET = "Criterion,Weight,Alpha,Beta\nCost,2,3,5\nSpeed,1,4,2\n"

# A value tree with a measured criterion and costs (tcrit.toml, tree.toml).
TREE_CRITERIA = """\
[scale]
min = 0
max = 100
step = 1

[[groups]]
id = "benefits"
name = "Benefits"

[[groups]]
id = "delivery"
name = "Delivery"

[[criteria]]
id = "time"
name = "Time saved"
group = "benefits"
unit = "h"
value = { type = "linear", worst = 0, best = 5 }

[[criteria]]
id = "ease"
name = "Ease"
group = "delivery"
"""
TREE = """\
[appraisal]
title = "Tree"
criteria = "tcrit.toml"
cost_unit = "£m"

[weights]
time = 1
ease = 1

[group_weights]
benefits = 0.6
delivery = 0.4

[[options]]
id = "alpha"
name = "Alpha"
cost = 1

[[options]]
id = "beta"
name = "Beta"
cost = 2

[[scores]]
option = "alpha"
criterion = "time"
measure = 2

[[scores]]
option = "alpha"
criterion = "ease"
score = 40

[[scores]]
option = "beta"
criterion = "time"
measure = 4

[[scores]]
option = "beta"
criterion = "ease"
score = 70
"""
SCENARIO = '[scenario]\ntitle = "Hostile scenario"\nbase = "{base}"\n'


def edit(text: str, old: str, new: str) -> str:
    """`text` with `old` (which must be there) replaced once by `new`."""
    assert old in text, old
    return text.replace(old, new, 1)


def app(old: str = "", new: str = "", *, extra: str = "") -> str:
    return (edit(APPRAISAL, old, new) if old else APPRAISAL) + extra


def top(line: str, old: str = "", new: str = "") -> str:
    """APPRAISAL with `line` at the top level (before the first table), `old` replaced by `new`."""
    return line + "\n" + app(old, new) if old else line + "\n" + APPRAISAL


def crit(old: str = "", new: str = "", *, extra: str = "") -> str:
    return (edit(CRITERIA, old, new) if old else CRITERIA) + extra


def journal_header(file: object = "app.toml", sha: str = "0" * 64) -> str:
    return json.dumps({"kind": "header", "version": 1, "file": file, "sha256": sha, "started": "2024-01-01T10:00:00+00:00"}) + "\n"


def edit_line(step: dict, group: int = 1) -> str:
    return json.dumps({"kind": "edit", "group": group, "step": step}) + "\n"


def exported_json() -> dict:
    """What `appraisal export --format json` writes for APPRAISAL (only the keys the reader needs)."""
    return {
        "format": "appraisal-export", "version": 1,
        "appraisal": {
            "title": "Hostile", "criteria_ref": "crit.toml",
            "scale": {"min": 1, "max": 5, "step": 0.5, "levels": [{"value": v, "label": f"L{v}"} for v in range(1, 6)]},
            "criteria": [{"id": "cost", "name": "Cost"}, {"id": "speed", "name": "Speed"}],
            "options": [{"id": "alpha", "name": "Alpha"}, {"id": "beta", "name": "Beta"}],
            "cells": [{"option": o, "criterion": c, "score": s} for o, c, s in (("alpha", "cost", 3), ("alpha", "speed", 4), ("beta", "cost", 5), ("beta", "speed", 2))],
            "weights": {"cost": 2, "speed": 1}, "disabled": [],
        },
    }


# --- cases ---------------------------------------------------------------------------------------------

Builder = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    reader: str  # appraisal | json | base | criteria | scenario-criteria | journal | journal-file | csv | xlsx | cli
    build: Builder
    target: str = ""  # the file read, relative to the case folder (or absolute)
    needle: str = ""  # a fragment the error line must contain
    argv: tuple[tuple[str, ...], ...] = ()  # reader "cli": the command lines
    user: int | None = None  # run as this user when the tests run as root (root reads any file)
    tags: frozenset[str] = field(default_factory=frozenset)

    def commands(self) -> list[tuple[str, ...]]:
        """Every command that reads this case's input, with {dir} and {out} to fill in."""
        t = self.target
        if self.reader in ("appraisal", "json", "base", "criteria", "scenario-criteria"):
            read = "app.toml" if self.reader == "criteria" else "scenario.toml" if self.reader in ("base", "scenario-criteria") else t
            out = [("rank", read), ("validate", read), ("sensitivity", read, "--samples", "200"), ("group", read),
                   ("export", read, "-o", "{out}/export.json"), ("replay", read), ("room", read), ("record", read, "-o", "{out}/record.html", "--samples", "200"), ("tui", read)]
            if self.reader == "criteria":
                out.append(("import", "sheet.csv", "--criteria", t, "-o", "{out}/imported.toml"))
            return out
        if self.reader in ("journal", "journal-file"):
            journal = "session.journal.jsonl" if self.reader == "journal-file" else t
            return [("journal", "export", journal, "-o", "{out}/session.toml"),
                    ("record", "app.toml", "--journal", journal, "-o", "{out}/record.md", "--samples", "200")]
        if self.reader in ("csv", "xlsx"):
            return [("import", t, "--criteria", "crit.toml", "-o", "{out}/imported.toml")]
        return list(self.argv)


def _base_files(d: Path) -> None:
    """Every case folder starts with a valid criteria file, appraisal, sheet and journal."""
    (d / "crit.toml").write_text(CRITERIA)
    (d / "app.toml").write_text(APPRAISAL)
    (d / "sheet.csv").write_text(SHEET)
    (d / "tcrit.toml").write_text(TREE_CRITERIA)
    (d / "tree.toml").write_text(TREE)


def _write(name: str, content: str | bytes) -> Builder:
    def build(d: Path) -> None:
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
    return build


def _all(*builders: Builder) -> Builder:
    def build(d: Path) -> None:
        for b in builders:
            b(d)
    return build


# Special files: (kind, builder of a path, the error's gist, user). Each is put where every reader looks.
def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _socket(p: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(p))
    finally:
        s.close()


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda p: p.symlink_to(target)


def _loop(p: Path) -> None:
    other = p.with_name(p.name + ".other")
    p.symlink_to(other.name)
    other.symlink_to(p.name)


def _sparse(size: int) -> Callable[[Path], None]:
    def build(p: Path) -> None:
        with open(p, "wb") as f:
            f.truncate(size)
    return build


def _unreadable(p: Path) -> None:
    p.write_text(APPRAISAL)
    p.chmod(0)


def _through_a_file(p: Path) -> None:
    p.parent.joinpath("plain").write_text("x")


SPECIAL: list[tuple[str, Callable[[Path], None], str, int | None]] = [
    ("missing", lambda p: None, "no such file", None),
    ("directory", lambda p: p.mkdir(), "directory", None),
    ("fifo", _fifo, "FIFO", None),
    ("dev-zero", _symlink("/dev/zero"), "device", None),
    ("dev-null", _symlink("/dev/null"), "device", None),
    ("dev-urandom", _symlink("/dev/urandom"), "device", None),
    ("socket", _socket, "socket", None),
    ("symlink-loop", _loop, "symbolic links", None),
    ("self-symlink", lambda p: p.symlink_to(p.name), "symbolic links", None),
    ("dangling-symlink", _symlink("nowhere/at-all.toml"), "no such file", None),
    ("unreadable", _unreadable, "permission denied", NOBODY),
    ("too-large", _sparse(11 * 1024 * 1024), "limit is 10 MB", None),
    ("terabyte", _sparse(1 << 40), "1.1 TB; the limit is 10 MB", None),
    ("empty", lambda p: p.write_bytes(b""), "empty", None),
    ("blank", lambda p: p.write_bytes(b" \n\t\n"), "empty", None),
    ("binary", lambda p: p.write_bytes(b"\x00\x01\x02\x03binary\x00"), "binary", None),
    ("latin-1", lambda p: p.write_bytes('[appraisal]\ntitle = "Caf\xe9"\n'.encode("latin-1")), "not UTF-8", None),
    ("utf-16", lambda p: p.write_bytes('[appraisal]\ntitle = "x"\n'.encode("utf-16")), "UTF-16", None),
    ("procfs", _symlink("/proc/self/status"), "", None),
]
# Names that are themselves hostile (the file does not exist): the error line must stay one line.
ODD_NAMES = [
    ("newline-in-name", "bad\nname", "\u240a"),  # shown as the control pictures ␊ and ␛
    ("escape-in-name", "bad\x1b[2Jname", "\u241b"),
    ("long-name", "n" * 300, "name too long"),
    ("not-a-directory", "plain/inside", "not a directory"),
]


# reader -> (the name the special file gets, how the reader is pointed at it)
SUFFIX = {"appraisal": ".toml", "json": ".json", "base": ".toml", "criteria": ".toml", "scenario-criteria": ".toml",
          "journal": ".journal.jsonl", "journal-file": ".toml", "csv": ".csv", "xlsx": ".xlsx"}


def _point(reader: str, name: str) -> Builder:
    """Write the file that makes `reader` read `name` (a path in the case folder)."""
    if reader == "base":
        return _write("scenario.toml", SCENARIO.format(base=_toml_str(name)))
    if reader == "criteria":
        return _write("app.toml", app('criteria = "crit.toml"', f"criteria = {_toml_q(name)}"))
    if reader == "scenario-criteria":  # a scenario's own criteria file (the base's criteria, rearranged)
        return _write("scenario.toml", SCENARIO.format(base="app.toml") + f"criteria = {_toml_q(name)}\n")
    if reader == "journal-file":
        return _write("session.journal.jsonl", journal_header(name) + edit_line({"action": "set-weight", "criterion": "cost", "weight": 3}))
    return lambda d: None


def _toml_str(s: str) -> str:
    return json.dumps(s)[1:-1]


def _toml_q(s: str) -> str:
    return json.dumps(s)


def special_cases() -> list[Case]:
    cases = []
    for reader, suffix in SUFFIX.items():
        for kind, make, needle, user in SPECIAL:
            name = "special" + suffix

            def build(d: Path, make=make, name=name, reader=reader) -> None:
                make(d / name)

            cases.append(Case(f"{reader}-{kind}", reader, _all(build, _point(reader, name)), name, _needle(reader, kind, needle), user=user))
        for kind, stem, needle in ODD_NAMES:
            name = stem + suffix
            build = _all(_write("plain", "x"), _point(reader, name))
            cases.append(Case(f"{reader}-{kind}", reader, build, name, _needle(reader, kind, needle)))
    return cases


def _needle(reader: str, kind: str, needle: str) -> str:
    """What the error says of a special file depends a little on who reads it."""
    if kind in ("missing", "dangling-symlink"):
        return {"base": "not found", "criteria": "not found|no such file", "scenario-criteria": "not found",
                "journal-file": "not beside it"}.get(reader, needle)
    if reader == "journal-file" and kind in ("empty", "blank", "binary", "latin-1", "utf-16", "procfs"):
        return "has changed"  # the header's checksum is compared before the file is parsed
    if reader == "journal-file" and kind == "not-a-directory":
        return "header's 'file'"  # only a plain file name beside the journal is accepted
    if reader == "xlsx" and kind in ("empty", "blank", "binary", "latin-1", "utf-16", "procfs"):
        return "workbook"
    return needle


# --- TOML content ------------------------------------------------------------------------------------

def deep(open_: str, close: str, depth: int, inner: str = "1") -> str:
    return open_ * depth + inner + close * depth


TOML_APPRAISAL: list[tuple[str, str, str]] = [
    # syntax
    ("syntax-unterminated-string", app('title = "Hostile"', 'title = "Hostile'), "malformed TOML"),
    ("syntax-bad-escape", app('title = "Hostile"', 'title = "Host\\qile"'), "malformed TOML"),
    ("syntax-duplicate-key", app("cost = 2", "cost = 2\ncost = 3"), "malformed TOML"),
    ("syntax-key-without-value", app("speed = 1", "speed ="), "malformed TOML"),
    ("syntax-broken-header", app("[[options]]", "[[options]"), "malformed TOML"),
    ("syntax-bad-date", app(extra="\n[provenance]\ndate = 2013-13-45\n"), "malformed TOML"),
    ("syntax-5000-digit-integer", app("cost = 2", "cost = " + "9" * 5000), ""),
    ("syntax-only-a-comment", "# nothing here\n", ""),
    ("syntax-control-char-in-string", app('title = "Hostile"', 'title = "Hos\x01tile"'), "malformed TOML"),
    # structure
    ("structure-appraisal-is-a-number", app(HEADER, "appraisal = 1\n"), "appraisal"),
    ("structure-options-is-a-string", top('options = "alpha, beta"', OPTIONS, ""), "options"),
    ("structure-scores-is-a-table", app(SCORES, "[scores]\nalpha = 3\n"), "scores"),
    ("structure-weights-is-an-array", top("weights = [2, 1]", WEIGHTS, ""), "weights"),
    ("structure-participants-is-a-number", app(HEADER, "participants = 3\n" + HEADER), "participants"),
    ("structure-published-is-a-number", app(HEADER, "published = 1\n" + HEADER), "published"),
    ("structure-group-aggregate-unknown", app(extra='\n[group]\naggregate = "max"\n'), "group.aggregate"),
    ("structure-expect-is-a-string", app(HEADER, 'expect = "alpha"\n' + HEADER), "expect"),
    ("structure-no-appraisal-table", app(HEADER, ""), "appraisal"),
    ("structure-no-weights", app(WEIGHTS, ""), "weights"),
    ("structure-no-options", app(OPTIONS, ""), "options"),
    ("structure-empty-options", top("options = []", OPTIONS, ""), "options"),
    ("structure-unknown-top-level-key", top("wieghts = 1"), "unknown key"),
    # types
    ("type-score-is-a-string", app("score = 3", 'score = "3"'), "must be a number"),
    ("type-score-is-a-boolean", app("score = 3", "score = true"), "must be a number"),
    ("type-weight-is-a-string", app("cost = 2", 'cost = "2"'), "must be a number"),
    ("type-title-is-a-number", app('title = "Hostile"', "title = 3"), "must be a string"),
    ("type-name-is-an-array", app('name = "Alpha"', "name = []"), "must be a string"),
    ("type-excluded-is-a-string", app('name = "Alpha"', 'name = "Alpha"\nexcluded = "yes"'), "options[0].excluded"),
    ("type-option-is-a-date", app('option = "alpha"', "option = 2024-01-01"), "must be a string"),
    # ids
    ("id-uppercase", app('id = "alpha"', 'id = "Alpha"'), "invalid id"),
    ("id-with-space", app('id = "alpha"', 'id = "al pha"'), "invalid id"),
    ("id-too-long", app('id = "alpha"', 'id = "' + "a" * 65 + '"'), "options[0].id"),
    ("id-empty", app('id = "alpha"', 'id = ""'), "invalid id"),
    ("id-with-newline", app('id = "alpha"', 'id = "al\\npha"'), "\\n"),
    ("id-with-escape", app('id = "alpha"', 'id = "al\\u001b[31mpha"'), "\\x1b"),
    ("id-unicode", app('id = "alpha"', 'id = "\u00e5lpha"'), "invalid id"),
    ("id-duplicate-option", app('id = "beta"', 'id = "alpha"'), "duplicate option id"),
    ("id-unknown-option-in-scores", app('option = "alpha"', 'option = "gamma"'), "unknown option"),
    ("key-with-newline", app(extra='\n"bad\\nkey" = 1\n'), "\u240a"),
    ("key-with-escape", app(extra='\n"\\u001b]0;pwned\\u0007" = 1\n'), "\u241b]0;pwned\u2407"),
    # ranges
    ("score-above-scale", app("score = 3", "score = 6"), "outside the scale"),
    ("score-minus-infinity", app("score = 3", "score = -inf"), "finite"),
    ("score-nan", app("score = 3", "score = nan"), "finite"),
    ("score-1e308", app("score = 3", "score = 1e308"), "outside the scale"),
    ("score-off-step", app("score = 3", "score = 2.25"), "step"),
    ("weight-negative", app("cost = 2", "cost = -1"), ">= 0"),
    ("weight-1e308", app("cost = 2", "cost = 1e308"), "weights.cost"),
    ("weight-1e999", app("cost = 2", "cost = 1e999"), "weights.cost"),
    ("weight-nan", app("cost = 2", "cost = nan"), "finite"),
    ("weights-all-zero", app("cost = 2\nspeed = 1", "cost = 0\nspeed = 0"), "all zero"),
    ("weight-unknown-criterion", app("speed = 1", "speed = 1\nprice = 1"), "unknown criterion"),
    ("weight-missing", app("speed = 1", ""), "no weight"),
    ("score-and-missing", app("score = 3", "score = 3\nmissing = true"), "missing"),
    ("score-neither", app("score = 3", ""), "no score"),
    ("published-total-nan", app(extra="\n[published]\nunweighted_total = { alpha = nan }\n"), "published.unweighted_total.alpha"),
    ("published-unknown-option", app(extra="\n[published]\nunweighted_total = { gamma = 7 }\n"), "unknown option"),
    ("expect-unknown-option", app(extra='\n[expect]\nleader = "gamma"\n'), "unknown option"),
    # depth and size
    ("depth-100000-array", app(extra="\n[provenance]\nnotes = " + deep("[", "]", 100_000) + "\n"), "nest"),
    ("depth-5000-inline-table", app(extra="\n[provenance]\nnotes = " + deep("{a = ", "}", 5000) + "\n"), "nest"),
    ("depth-300-array", app(extra="\n[provenance]\nnotes = " + deep("[", "]", 300) + "\n"), "nest"),
    ("depth-40-array", app(extra="\nx = " + deep("[", "]", 40) + "\n"), "nest"),
    ("depth-100000-dotted-key", app(extra="\n" + ".".join(["a"] * 100_000) + " = 1\n"), "dotted"),
    ("depth-100000-table-header", app(extra="\n[" + ".".join(["a"] * 100_000) + "]\n"), "dotted"),
    ("depth-100000-array-of-tables-header", app(extra="\n[[" + ".".join(["a"] * 100_000) + "]]\n"), "dotted"),
    ("depth-100000-quoted-dotted-key", app(extra="\n" + ".".join(['"a"'] * 100_000) + " = 1\n"), "dotted"),
    ("depth-50-table-header", app(extra="\n[" + ".".join(["a"] * 50) + "]\n"), ""),
    ("depth-inline-dotted-key", app(extra="\nx = {" + ".".join(["a"] * 100_000) + " = 1}\n"), "dotted"),
    ("size-10-mb-of-comment", "# " + "x" * (10 * 1024 * 1024) + "\n" + APPRAISAL, "limit is 10 MB"),
    ("size-20000-options", app(extra="".join(f'\n[[options]]\nid = "o{k}"\nname = "O{k}"\n' for k in range(20_000))), "at most 1000"),
    ("size-900-options-no-scores", app(extra="".join(f'\n[[options]]\nid = "o{k}"\nname = "O{k}"\n' for k in range(900))), "no score"),
    # participants
    ("participant-all-zero-weights", app(extra='\n[[participants]]\nname = "Ann"\nweights = { cost = 0, speed = 0 }\n'), "zero"),
    ("participant-weight-nan", app(extra='\n[[participants]]\nname = "Ann"\nweights = { cost = nan }\n'), "participants[0].weights.cost"),
    ("participant-weight-1e308", app(extra='\n[[participants]]\nname = "Ann"\nweights = { cost = 1e308 }\n'), "participants[0].weights.cost"),
    ("participant-name-too-long", app(extra='\n[[participants]]\nname = "' + "N" * 61 + '"\n'), "participants[0].name"),
    ("participant-duplicate-name", app(extra='\n[[participants]]\nname = "Ann"\n\n[[participants]]\nname = "Ann"\n'), "duplicate participant"),
    ("participant-score-off-scale", app(extra='\n[[participants]]\nname = "Ann"\nscores = { "alpha:cost" = 9 }\n'), "outside the scale"),
    ("participant-score-bad-cell", app(extra='\n[[participants]]\nname = "Ann"\nscores = { "alpha-cost" = 3 }\n'), "OPTION:CRITERION"),
    ("participant-unknown-criterion", app(extra='\n[[participants]]\nname = "Ann"\nweights = { price = 1 }\n'), "unknown criterion"),
]

# The criteria file an appraisal names (read through app.toml and `import --criteria`).
TOML_CRITERIA: list[tuple[str, str, str]] = [
    ("scale-step-infinite", crit("step = 0.5", "step = inf"), "step"),
    ("scale-step-nan", crit("step = 0.5", "step = nan"), "step"),
    ("scale-step-zero", crit("step = 0.5", "step = 0"), "step"),
    ("scale-step-negative", crit("step = 0.5", "step = -1"), "step"),
    ("scale-step-1e-9", crit("step = 0.5", "step = 1e-9"), "step"),
    ("scale-min-equals-max", crit("min = 1", "min = 5"), "below max"),
    ("scale-max-1e308", crit("max = 5", "max = 1e308"), "scale"),
    ("scale-min-minus-1e308", crit("min = 1", "min = -1e308"), "scale"),
    ("scale-max-infinite", crit("max = 5", "max = inf"), "scale"),
    ("scale-level-outside", crit("{ value = 5,", "{ value = 7,"), "outside"),
    ("scale-level-nan", crit("{ value = 5,", "{ value = nan,"), "scale"),
    ("scale-level-empty-label", crit('label = "High"', 'label = ""'), "label"),
    ("scale-levels-repeat", crit("{ value = 5,", "{ value = 4,"), "repeat"),
    ("scale-is-a-string", crit("[scale]\nmin = 1\nmax = 5\nstep = 0.5\n", 'scale = "1-5"\n[x]\n'), "scale"),
    ("criteria-list-empty", "criteria = []\n" + CRITERIA.split("[[criteria]]")[0], "criteria"),
    ("criteria-duplicate-id", crit('id = "speed"', 'id = "cost"'), "duplicate criterion"),
    ("criteria-bad-id", crit('id = "speed"', 'id = "Speed!"'), "invalid id"),
    ("criteria-depth-100000", crit(extra="x = " + deep("[", "]", 100_000) + "\n"), "nest"),
    ("criteria-malformed", crit("[scale]", "[scale"), "malformed TOML"),
]


def tree(old: str = "", new: str = "", *, extra: str = "") -> str:
    return (edit(TREE, old, new) if old else TREE) + extra


def tcrit(old: str = "", new: str = "", *, extra: str = "") -> str:
    return (edit(TREE_CRITERIA, old, new) if old else TREE_CRITERIA) + extra


def _nested_groups(n: int) -> str:
    """A chain of n groups, each inside the last, the two criteria at the bottom and the top."""
    groups = "".join(f'[[groups]]\nid = "g{k}"\nname = "G{k}"\n' + (f'parent = "g{k - 1}"\n' if k else "") + "\n" for k in range(n))
    crit = TREE_CRITERIA.split("[[groups]]")[0] + groups + "[[criteria]]" + TREE_CRITERIA.split("[[criteria]]", 1)[1]
    return crit.replace('group = "benefits"', f'group = "g{n - 1}"').replace('group = "delivery"', 'group = "g0"')


def _tree_with(criteria: str, weights: str | None = None) -> Builder:
    """case.toml: the tree appraisal on criteria `criteria` (bad-tcrit.toml), [group_weights] as given (None: none)."""
    text = TREE.replace('"tcrit.toml"', '"bad-tcrit.toml"').replace("[group_weights]\nbenefits = 0.6\ndelivery = 0.4\n", weights or "")
    return _all(_write("bad-tcrit.toml", criteria), _write("case.toml", text))


TREES: list[tuple[str, Builder, str]] = [
    ("tree-cost-nan", _write("case.toml", tree("cost = 1\n", "cost = nan\n")), "options[0].cost"),
    ("tree-cost-negative", _write("case.toml", tree("cost = 1\n", "cost = -1\n")), ">= 0"),
    ("tree-cost-1e308", _write("case.toml", tree("cost = 1\n", "cost = 1e308\n")), "out of range"),
    ("tree-cost-1e-308", _write("case.toml", tree("cost = 1\n", "cost = 1e-308\n")), "out of range"),
    ("tree-measure-inf", _write("case.toml", tree("measure = 2", "measure = inf")), "finite"),
    ("tree-measure-on-a-scored-criterion", _write("case.toml", tree("score = 40", "measure = 40")), "measure"),
    ("tree-score-on-a-measured-criterion", _write("case.toml", tree("measure = 2", "score = 2")), "measured"),
    ("tree-group-weight-1e308", _write("case.toml", tree("benefits = 0.6", "benefits = 1e308")), "too large"),
    ("tree-group-weight-nan", _write("case.toml", tree("benefits = 0.6", "benefits = nan")), "finite"),
    ("tree-group-weights-all-zero", _write("case.toml", tree("benefits = 0.6\ndelivery = 0.4", "benefits = 0\ndelivery = 0")), "zero"),
    ("tree-group-weight-unknown-group", _write("case.toml", tree("delivery = 0.4", "delivery = 0.4\nnowhere = 1")), "unknown group"),
    ("tree-group-weight-missing", _write("case.toml", tree("delivery = 0.4\n", "")), "no weight for group"),
    ("tree-group-cycle", _tree_with(tcrit('name = "Delivery"', 'name = "Delivery"\nparent = "benefits"').replace(
        'name = "Benefits"', 'name = "Benefits"\nparent = "delivery"')), "cycle"),
    ("tree-group-is-its-own-parent", _tree_with(tcrit('name = "Delivery"', 'name = "Delivery"\nparent = "delivery"')), "cycle"),
    ("tree-groups-nested-40", _tree_with(_nested_groups(40)), "nest"),
    ("tree-groups-nested-2000", _tree_with(_nested_groups(2000)), "groups"),
    ("tree-600-groups", _tree_with(tcrit(extra="".join(f'\n[[groups]]\nid = "x{k}"\nname = "X{k}"\n' for k in range(600)))), "groups"),
    ("tree-1001-criteria", _tree_with(tcrit(extra="".join(f'\n[[criteria]]\nid = "c{k}"\nname = "C{k}"\n' for k in range(1000)))), "criteria"),
    ("tree-unknown-group", _tree_with(tcrit('group = "delivery"', 'group = "nowhere"')), "unknown group"),
    ("tree-value-worst-equals-best", _tree_with(tcrit("best = 5", "best = 0")), "range"),
    ("tree-value-best-1e308", _tree_with(tcrit("worst = 0, best = 5", "worst = -1e308, best = 1e308")), "finite"),
    ("tree-piecewise-unsorted", _tree_with(tcrit('{ type = "linear", worst = 0, best = 5 }', '{ type = "piecewise", points = [[5, 100], [0, 0]] }')), "sorted"),
    ("tree-piecewise-nan", _tree_with(tcrit('{ type = "linear", worst = 0, best = 5 }', '{ type = "piecewise", points = [[0, 0], [nan, 100]] }')), "finite"),
    ("tree-piecewise-one-point", _tree_with(tcrit('{ type = "linear", worst = 0, best = 5 }', '{ type = "piecewise", points = [[0, 0]] }')), "two points"),
    ("tree-value-type-unknown", _tree_with(tcrit('{ type = "linear",', '{ type = "logistic",')), "value"),
    ("options-1001", app(extra="".join(f'\n[[options]]\nid = "o{k}"\nname = "O{k}"\n' for k in range(1000))), "options"),
    ("scenario-group-weights-1e308", _all(_write("case.toml", 'scenario = { title = "x", base = "tree.toml" }\n\n[group_weights]\nbenefits = 1e308\ndelivery = 1\n')), "too large"),
]


def toml_cases() -> list[Case]:
    cases = [Case(name, "appraisal", _write("case.toml", text) if isinstance(text, str) else text, "case.toml", needle)
             for name, text, needle in (*TOML_APPRAISAL, *TREES)]
    for name, text, needle in TOML_CRITERIA:
        cases.append(Case(name, "criteria", _all(_write("bad-crit.toml", text), _point("criteria", "bad-crit.toml")), "bad-crit.toml", needle))
    return cases


# --- scenarios -----------------------------------------------------------------------------------------

def _chain(n: int) -> Builder:
    """scenario.toml -> s1.toml -> ... -> s{n}.toml -> app.toml"""
    def build(d: Path) -> None:
        names = ["scenario.toml"] + [f"s{k}.toml" for k in range(1, n + 1)] + ["app.toml"]
        for here, base in zip(names, names[1:]):
            (d / here).write_text(SCENARIO.format(base=base))
    return build


def scenario(steps: str = "", base: str = "app.toml", extra: str = "") -> str:
    return SCENARIO.format(base=base) + steps + extra


class Raw(str):
    """A TOML value written as is (inf, 1e308), not as a string."""


def step(**kw: object) -> str:
    body = "".join(f"{k} = {json.dumps(v) if isinstance(v, str) and not isinstance(v, Raw) else v}\n" for k, v in kw.items())
    return "\n[[steps]]\n" + body


SCENARIOS: list[tuple[str, Builder, str]] = [
    ("scenario-base-is-itself", _write("scenario.toml", scenario(base="scenario.toml")), "cycle"),
    ("scenario-two-cycle", _all(_write("scenario.toml", scenario(base="other.toml")), _write("other.toml", scenario(base="scenario.toml"))), "cycle"),
    ("scenario-chain-1500", _chain(1500), "chain"),
    ("scenario-chain-40", _chain(40), "chain"),
    ("scenario-base-is-criteria", _write("scenario.toml", scenario(base="crit.toml")), ""),
    ("scenario-base-not-toml", _all(_write("notes.toml", "just some notes\n"), _write("scenario.toml", scenario(base="notes.toml"))), "malformed TOML"),
    ("scenario-base-empty-string", _write("scenario.toml", scenario(base="")), ""),
    ("scenario-base-bad-deep-in-chain", _all(_chain(3), _write("app.toml", app("score = 3", "score = 7"))), "outside the scale"),
    ("scenario-unknown-action", _write("scenario.toml", scenario(step(action="explode", option="alpha"))), "unknown action"),
    ("scenario-unknown-option", _write("scenario.toml", scenario(step(action="set-score", option="gamma", criterion="cost", score=3))), "unknown option"),
    ("scenario-score-1e308", _write("scenario.toml", scenario(step(action="set-score", option="alpha", criterion="cost", score=Raw("1e308")))), "outside the scale"),
    ("scenario-weight-1e308", _write("scenario.toml", scenario(step(action="set-weight", criterion="cost", weight=Raw("1e308")))), "too large"),
    ("scenario-weight-inf", _write("scenario.toml", scenario(step(action="set-weight", criterion="cost", weight=Raw("inf")))), "finite"),
    ("scenario-participant-zero-weights", _write("scenario.toml", scenario(
        step(action="add-participant", participant="Ann") + step(action="set-weight", participant="Ann", criterion="cost", weight=0)
        + step(action="set-weight", participant="Ann", criterion="speed", weight=0))), "zero"),
    ("scenario-participant-file-zero-weights", _write("scenario.toml", scenario(extra='\n[[participants]]\nname = "Bo"\nweights = { cost = 0, speed = 0 }\n')), "zero"),
    ("scenario-preset-unknown", _write("scenario.toml", scenario(step(action="weights-preset", preset="vibes"))), "preset"),
    ("scenario-swing-nan", _write("scenario.toml", scenario(step(action="weights-preset", preset="swing") + "points = { cost = nan, speed = 100 }\n")), "swing"),
    ("scenario-disable-every-criterion", _write("scenario.toml", scenario(step(action="disable", criterion="cost") + step(action="disable", criterion="speed"))), "every criterion"),
    ("scenario-exclude-every-option", _write("scenario.toml", scenario(step(action="exclude", option="alpha") + step(action="exclude", option="beta"))), "every option"),
    ("scenario-steps-is-a-string", _write("scenario.toml", scenario(extra='steps = "all of them"\n')), "steps"),
    ("scenario-depth-100000", _write("scenario.toml", scenario(extra="x = " + deep("[", "]", 100_000) + "\n")), "nest"),
]


def scenario_cases() -> list[Case]:
    return [Case(name, "base", build, "", needle) for name, build, needle in SCENARIOS]


# --- journals ------------------------------------------------------------------------------------------

def _sha(d: Path) -> str:
    import hashlib

    return hashlib.sha256((d / "app.toml").read_bytes()).hexdigest()


def _journal(lines: Callable[[Path], str]) -> Builder:
    return lambda d: (d / "session.journal.jsonl").write_text(lines(d))


def _good_header(d: Path) -> str:
    return journal_header("app.toml", _sha(d))


JOURNALS: list[tuple[str, Builder, str]] = [
    ("journal-not-json", _journal(lambda d: "this is not json\n" + _good_header(d)), "not JSON"),
    ("journal-no-header", _journal(lambda d: edit_line({"action": "set-weight", "criterion": "cost", "weight": 3}) * 2), "header"),
    ("journal-header-file-is-a-number", _journal(lambda d: journal_header(5, _sha(d)) + edit_line({"action": "set-weight", "criterion": "cost", "weight": 3})), "file"),
    ("journal-header-file-is-null", _journal(lambda d: journal_header(None, _sha(d))), "file"),
    ("journal-header-file-empty", _journal(lambda d: journal_header("", _sha(d))), ""),
    ("journal-header-file-absolute-dev-zero", _journal(lambda d: journal_header("/dev/zero", _sha(d))), ""),
    ("journal-header-file-escapes-folder", _journal(lambda d: journal_header("../../../../../../dev/zero", _sha(d))), ""),
    ("journal-header-is-an-array", _journal(lambda d: "[1, 2, 3]\n" + _good_header(d)), "header"),
    ("journal-sha-mismatch", _journal(lambda d: journal_header("app.toml", "f" * 64)), "changed"),
    ("journal-edit-invalid", _journal(lambda d: _good_header(d) + edit_line({"action": "set-score", "option": "alpha", "criterion": "cost", "score": "x"}) + "\n"), "jsonl:2:"),
    ("journal-edit-multiline-error", _journal(lambda d: _good_header(d) + edit_line({"action": "set-score"}) + "\n"), ""),
    ("journal-unknown-kind", _journal(lambda d: _good_header(d) + '{"kind": "teleport"}\n' + "\n"), "unknown entry"),
    ("journal-edit-nan", _journal(lambda d: _good_header(d) + '{"kind": "edit", "group": 1, "step": {"action": "set-score", "option": "alpha", "criterion": "cost", "score": NaN}}\n'), "finite"),
    ("journal-edit-unknown-option", _journal(lambda d: _good_header(d) + edit_line({"action": "set-score", "option": "gamma", "criterion": "cost", "score": 3})), "gamma"),
    ("journal-deep-json", _journal(lambda d: _good_header(d) + deep("[", "]", 100_000) + "\n" + "\n"), ""),
    ("journal-5000-digit-number", _journal(lambda d: _good_header(d) + '{"kind": "edit", "group": ' + "9" * 5000 + ', "step": {}}\n' + "\n"), ""),
    ("journal-edit-not-a-table", _journal(lambda d: _good_header(d) + '{"kind": "edit", "group": 1, "step": [1]}\n\n'), ""),
]


def journal_cases() -> list[Case]:
    return [Case(name, "journal", build, "session.journal.jsonl", needle) for name, build, needle in JOURNALS]


# --- spreadsheets ----------------------------------------------------------------------------------------

CSVS: list[tuple[str, str | bytes, str]] = [
    ("csv-no-header", "\n\n,,\n", "problem"),
    ("csv-header-only", "Criterion,Weight,Alpha,Beta\n", "problem"),
    ("csv-1900-unknown-criteria", "Criterion,Alpha\n" + "".join(f"Nonsense {k},3\n" for k in range(1900)), "1,902 problems"),
    ("csv-10000-unknown-criteria", "Criterion,Alpha\n" + "".join(f"Nonsense {k},3\n" for k in range(10_000)), "rows"),
    ("csv-huge-field", 'Criterion,Alpha\n"' + "x" * 200_000 + '",3\n', ""),
    ("csv-20000-columns", "Criterion," + ",".join(f"O{k}" for k in range(20_000)) + "\nCost," + ",".join("3" for _ in range(20_000)) + "\n", "column"),
    ("csv-200000-rows", "Criterion,Alpha\n" + "Cost,3\n" * 200_000, "row"),
    ("csv-formula-score", SHEET.replace("Cost,2,3,5", "Cost,2,=1+2,5"), "problem"),
    ("csv-weight-1e308", SHEET.replace("Cost,2,", "Cost,1e308,"), "problem"),
    ("csv-score-nan", SHEET.replace("Cost,2,3,5", "Cost,2,nan,5"), "problem"),
    ("csv-score-inf", SHEET.replace("Cost,2,3,5", "Cost,2,inf,5"), "problem"),
    ("csv-duplicate-criterion", SHEET + "Cost,1,1,1\n", "problem"),
    ("csv-newline-in-cell", 'Criterion,Weight,Alpha,Beta\n"Co\nst",2,3,5\nSpeed,1,4,2\n', "problem"),
    ("csv-escape-in-cell", "Criterion,Weight,Alpha,Beta\nCost\x1b[2J,2,3,5\nSpeed,1,4,2\n", "problem"),
    ("csv-semicolons-with-problems", "Criterion;Weight;Alpha;Beta\nCost;2;3;x\nSpeed;1;4;2\n", "problem"),
    ("csv-bom-only", b"\xef\xbb\xbf", "empty"),
    ("csv-nul", b"Criterion,Alpha\nCost,\x003\n", "binary"),
]


def _xlsx_bytes(rows: list[list[object]], *, title: str = "Scores") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_dates(buf.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same workbook bytes every run: fixed zip timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


VALID_ROWS = [["Criterion", "Weight", "Alpha", "Beta"], ["Cost", 2, 3, 5], ["Speed", 1, 4, 2]]


def _replace_member(data: bytes, name: str, content: bytes | Callable[[zipfile.ZipFile], None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != name:
                z.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), src.read(info.filename), zipfile.ZIP_DEFLATED)
        if callable(content):
            content(z)
        else:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


SHEET_XML = "xl/worksheets/sheet1.xml"
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"


def _bomb(z: zipfile.ZipFile) -> None:
    """A sheet of 1 GB of rows in 2.5 MB: one compressed megabyte repeated (each block is flushed
    in full, so it stands alone in the deflate stream), with the true size and CRC declared."""
    import zlib

    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    block, repeat = row * 1000, 1000
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(SHEET_HEAD) + c.flush(zlib.Z_FULL_FLUSH)
    body = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(SHEET_TAIL) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(SHEET_HEAD)
    for _ in range(repeat):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    _raw_member(z, SHEET_XML, head + body * repeat + tail, len(SHEET_HEAD) + len(block) * repeat + len(SHEET_TAIL), crc)


def _raw_member(z: zipfile.ZipFile, name: str, compressed: bytes, size: int, crc: int) -> None:
    """Add a member whose deflated bytes are already made (zipfile would deflate them again)."""
    info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size, info.compress_size, info.CRC = size, len(compressed), crc
    info.header_offset = z.fp.tell()
    z.fp.write(info.FileHeader(zip64=False))
    z.fp.write(compressed)
    z.filelist.append(info)
    z.NameToInfo[name] = info
    z.start_dir = z.fp.tell()


def _lying_sizes(data: bytes) -> bytes:
    """The sheet declares 100 bytes uncompressed, in its local header and the central directory; it
    inflates to 50 MB."""
    big = SHEET_HEAD + b"<row><c><v>1</v></c></row>" * 2_000_000 + SHEET_TAIL
    blob = bytearray(_replace_member(data, SHEET_XML, big))
    info = zipfile.ZipFile(io.BytesIO(bytes(blob))).getinfo(SHEET_XML)
    fake = (100).to_bytes(4, "little")
    local = info.header_offset
    assert blob[local + 22: local + 26] == info.file_size.to_bytes(4, "little")
    blob[local + 22: local + 26] = fake  # local header: uncompressed size at +22
    cd = blob.find(b"PK\x01\x02")
    while cd != -1:  # central directory entries: uncompressed size at +24, name at +46
        n = int.from_bytes(blob[cd + 28: cd + 30], "little")
        if blob[cd + 46: cd + 46 + n] == SHEET_XML.encode():
            blob[cd + 24: cd + 28] = fake
        cd = blob.find(b"PK\x01\x02", cd + 4)
    return bytes(blob)


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'.encode() for k in range(1, 10))
                  + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData></worksheet>')


def _far_rationale() -> bytes:
    """A valid Scores sheet, and a Rationale sheet (as the exports write) with one cell at XFD1048576."""
    from openpyxl import Workbook

    from appraisal.io.sheet_layout import RATIONALE_HEAD

    wb = Workbook()
    wb.active.title = "Scores"
    for row in VALID_ROWS:
        wb.active.append(row)
    ws = wb.create_sheet("Rationale")
    ws.append(RATIONALE_HEAD)
    ws["XFD1048576"] = "far away"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_dates(buf.getvalue())


def _xlsx_cases() -> list[tuple[str, Callable[[], bytes], str, tuple[str, ...]]]:
    valid = lambda: _xlsx_bytes(VALID_ROWS)  # noqa: E731
    far = lambda: _replace_member(valid(), SHEET_XML, SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Criterion</t></is></c></row>'  # noqa: E731
                                  b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL)
    return [
        ("xlsx-not-a-zip", lambda: b"Criterion,Alpha\nCost,3\n", "workbook", ()),
        ("xlsx-truncated-zip", lambda: valid()[:200], "workbook", ()),
        ("xlsx-zip-bomb", lambda: _replace_member(valid(), SHEET_XML, _bomb), "uncompressed", ()),
        ("xlsx-lying-sizes", lambda: _lying_sizes(valid()), "", ()),
        ("xlsx-cell-at-xfd1048576", far, "", ()),
        ("xlsx-rationale-sheet-at-xfd1048576", _far_rationale, "Rationale sheet", ()),
        ("xlsx-5000-columns", lambda: _xlsx_bytes([["Criterion", *[f"O{k}" for k in range(5000)]], ["Cost", *[3] * 5000]]), "column", ()),
        ("xlsx-20000-rows", lambda: _xlsx_bytes([["Criterion", "Alpha"], *[["Cost", 3]] * 20_000]), "row", ()),
        ("xlsx-billion-laughs", lambda: _replace_member(valid(), SHEET_XML, BILLION_LAUGHS), "", ()),
        ("xlsx-external-entity", lambda: _replace_member(valid(), SHEET_XML, XXE), "", ()),
        ("xlsx-no-such-sheet", valid, "no sheet", ("--sheet", "Nope")),
        ("xlsx-sheet-name-with-newline", valid, "\u240a", ("--sheet", "No\npe")),
        ("xlsx-formula-score", lambda: _xlsx_bytes([VALID_ROWS[0], ["Cost", 2, "=1+2", 5], VALID_ROWS[2]]), "problem", ()),
        ("xlsx-ole-file", lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504, "", ()),
        ("xlsx-empty-sheet", lambda: _xlsx_bytes([]), "problem", ()),
    ]


_MADE: dict[str, bytes] = {}


def sheet_cases() -> list[Case]:
    cases = [Case(name, "csv", _write("case.csv", text), "case.csv", needle) for name, text, needle in CSVS]
    for name, make, needle, extra in _xlsx_cases():
        def build(d: Path, make=make, name=name) -> None:
            if name not in _MADE:  # the bombs take a second or two to make: once per run
                _MADE[name] = make()
            (d / "case.xlsx").write_bytes(_MADE[name])
        if extra:
            argv = (("import", "case.xlsx", "--criteria", "crit.toml", "-o", "{out}/imported.toml", *extra),)
            cases.append(Case(name, "cli", build, "case.xlsx", needle, argv=argv))
        else:
            cases.append(Case(name, "xlsx", build, "case.xlsx", needle))
    return cases


# --- exported json -----------------------------------------------------------------------------------------

def _json_with(fn: Callable[[dict], None]) -> str:
    data = exported_json()
    fn(data)
    return json.dumps(data)


JSONS: list[tuple[str, str, str]] = [
    ("json-malformed", '{"format": "appraisal-export",', "malformed JSON"),
    ("json-top-level-array", "[1, 2, 3]", "format"),
    ("json-wrong-format", _json_with(lambda d: d.update(format="something-else")), "format"),
    ("json-no-appraisal", _json_with(lambda d: d.pop("appraisal")), "appraisal"),
    ("json-disabled-mixed-types", _json_with(lambda d: d["appraisal"].update(disabled=[1, "a"])), "disabled"),
    ("json-disabled-is-a-table", _json_with(lambda d: d["appraisal"].update(disabled={"a": 1})), "disabled"),
    ("json-cells-is-a-string", _json_with(lambda d: d["appraisal"].update(cells="x")), "scores"),
    ("json-deep-nesting", '{"format": "appraisal-export", "appraisal": ' + deep("[", "]", 100_000) + "}", "nest"),
    ("json-5000-digit-number", _json_with(lambda d: d["appraisal"]["weights"].update(cost=1)).replace('"cost": 1', '"cost": ' + "9" * 5000), ""),
    ("json-nan-weight", _json_with(lambda d: d["appraisal"]["weights"].update(cost=float("nan"))), "finite"),
    ("json-1e999-weight", _json_with(lambda d: d["appraisal"]["weights"].update(cost=1)).replace('"cost": 1', '"cost": 1e999'), "finite"),
    ("json-scale-step-zero", _json_with(lambda d: d["appraisal"]["scale"].update(step=0)), "step"),
    ("json-criteria-not-a-list", _json_with(lambda d: d["appraisal"].update(criteria="cost")), "criteria"),
    ("json-no-options", _json_with(lambda d: d["appraisal"].update(options=[])), "options"),
    ("json-title-with-newline-and-bad-score", _json_with(lambda d: (d["appraisal"].update(title="a\nb"), d["appraisal"]["cells"][0].update(score=9))), "outside the scale"),
    ("json-deep-value", _json_with(lambda d: d["appraisal"].update(title=json.loads(deep("[", "]", 200)))), ""),
]


def json_cases() -> list[Case]:
    return [Case(name, "json", _write("case.json", text), "case.json", needle) for name, text, needle in JSONS]


# --- command-line arguments ------------------------------------------------------------------------------------

def _cli(*argvs: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(argvs)


CLI: list[tuple[str, tuple[tuple[str, ...], ...], str]] = [
    ("cli-samples-1e12", _cli(("sensitivity", "app.toml", "--samples", str(10**12)), ("group", "app.toml", "--samples", str(10**12)),
                              ("export", "app.toml", "-o", "{out}/x.html", "--samples", str(10**12))), "--samples"),
    ("cli-samples-zero", _cli(("sensitivity", "app.toml", "--samples", "0"),), "--samples"),
    ("cli-samples-negative", _cli(("sensitivity", "app.toml", "--samples", "-5"),), "--samples"),
    ("cli-samples-not-whole", _cli(("sensitivity", "app.toml", "--samples", "1e6"),), "--samples"),
    ("cli-seed-negative", _cli(("sensitivity", "app.toml", "--seed", "-1"), ("group", "app.toml", "--seed", "-1"),
                               ("export", "app.toml", "-o", "{out}/x.html", "--seed", "-1")), "--seed"),
    ("cli-seed-2-64", _cli(("sensitivity", "app.toml", "--seed", str(2**64)),), "--seed"),
    ("cli-seed-not-whole", _cli(("sensitivity", "app.toml", "--seed", "1.5"),), "--seed"),
    ("cli-seed-5000-digits", _cli(("sensitivity", "app.toml", "--seed", "9" * 5000),), "--seed"),
    ("cli-score-uncertainty-1e308", _cli(("sensitivity", "app.toml", "--score-uncertainty", "1e308"),), "--score-uncertainty"),
    ("cli-score-uncertainty-inf", _cli(("sensitivity", "app.toml", "--score-uncertainty", "inf"),), "--score-uncertainty"),
    ("cli-score-uncertainty-nan", _cli(("sensitivity", "app.toml", "--score-uncertainty", "nan"),), "--score-uncertainty"),
    ("cli-score-uncertainty-negative", _cli(("sensitivity", "app.toml", "--score-uncertainty", "-1"),), "--score-uncertainty"),
    ("cli-perturb-1e308", _cli(("sensitivity", "app.toml", "--perturb", "1e308"),), "--perturb"),
    ("cli-perturb-101", _cli(("sensitivity", "app.toml", "--perturb", "101"),), "--perturb"),
    ("cli-perturb-nan", _cli(("sensitivity", "app.toml", "--perturb", "nan"),), "--perturb"),
    ("cli-tornado-range-1e308", _cli(("sensitivity", "app.toml", "--tornado-range", "1e308"),), "--tornado-range"),
    ("cli-weight-1e308", _cli(("rank", "app.toml", "--weight", "cost=1e308"), ("sensitivity", "app.toml", "--weight", "cost=1e308"),
                              ("export", "app.toml", "-o", "{out}/x.json", "--weight", "cost=1e308")), "--weight"),
    ("cli-score-1e308", _cli(("rank", "app.toml", "--score", "alpha:cost=1e308"),), "--score"),
    ("cli-group-weight-1e308", _cli(("rank", "tree.toml", "--group-weight", "benefits=1e308"),), "too large"),
    ("cli-measure-inf", _cli(("rank", "tree.toml", "--measure", "alpha:time=inf"),), "finite"),
    ("cli-cost-negative", _cli(("rank", "tree.toml", "--cost", "alpha=-1"),), ">= 0"),
    ("cli-cost-1e308", _cli(("rank", "tree.toml", "--cost", "alpha=1e308"), ("sensitivity", "tree.toml", "--cost", "alpha=1e308")), "out of range"),
    ("cli-exclude-every-option", _cli(("rank", "app.toml", "--exclude", "alpha", "--exclude", "beta"),), "every option"),
    ("cli-disable-every-criterion", _cli(("rank", "app.toml", "--disable", "cost", "--disable", "speed"),), "every criterion"),
    ("cli-weight-with-newline", _cli(("rank", "app.toml", "--weight", "co\nst=1"),), "\\n"),
    ("cli-aggregate-unknown", _cli(("group", "app.toml", "--aggregate", "max"),), "--aggregate"),
    ("cli-file-name-with-newline", _cli(("rank", "no\nsuch.toml"), ("validate", "no\nsuch.toml")), "\u240a"),
    ("cli-criteria-is-a-directory", _cli(("import", "sheet.csv", "--criteria", ".", "-o", "{out}/x.toml"),), "directory"),
    ("cli-replay-a-folder-holding-a-fifo", _cli(("replay", "folder"), ("replay", "folder/*.toml")), "FIFO"),
]


def _folder_with_fifo(d: Path) -> None:
    (d / "folder").mkdir()
    os.mkfifo(d / "folder" / "waiting.toml")


def cli_cases() -> list[Case]:
    build = {"cli-replay-a-folder-holding-a-fifo": _folder_with_fifo}
    return [Case(name, "cli", build.get(name, lambda d: None), "", needle, argv=argv) for name, argv, needle in CLI]


# --- the corpus ---------------------------------------------------------------------------------------------

def cases() -> list[Case]:
    out = special_cases() + toml_cases() + scenario_cases() + journal_cases() + sheet_cases() + json_cases() + cli_cases()
    names = [c.name for c in out]
    assert len(names) == len(set(names)), "case names repeat"
    return out


def materialise(case: Case, folder: Path) -> Path:
    """Write `case` into `folder` (created); its output folder is `folder/out`."""
    folder.mkdir(parents=True)
    _base_files(folder)
    case.build(folder)
    (folder / "out").mkdir()
    if case.user is not None:
        folder.chmod(0o755)
        (folder / "out").chmod(0o777)
    return folder


def make_corpus(root: Path) -> dict[str, Path]:
    """Every case in `root/<name>/`."""
    return {c.name: materialise(c, root / c.name) for c in cases()}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py DIR")
    made = make_corpus(Path(sys.argv[1]))
    print(f"{len(made)} cases in {sys.argv[1]}")
