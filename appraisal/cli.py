"""The command line. Thin: parse, call the layers below, print. Headless commands never import Textual."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from .errors import AppraisalError, one_line

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# SMAA's sampling error on an acceptability is at most 1/(2 sqrt(N)): 0.005 percentage points at 10^8,
# finer than any report prints, and 10^8 samples already take minutes. More is a typo, not a wish.
MAX_SAMPLES = 100_000_000
MAX_SEED = 2**32 - 1  # a seed any tool can store and retype exactly (JSON, a spreadsheet cell)


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file=None) -> None:
        """As argparse's, but a failed write is raised (argparse drops it: `--help > /dev/full` said nothing, exit 0)."""
        if message:
            file = file or sys.stderr
            file.write(message)
            file.flush()

    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        sys.stderr.write(f"error: {one_line(_suggest(message))} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _suggest(message: str) -> str:
    """argparse's "invalid choice" with the nearest valid one: "unknown command 'rnak' (did you mean 'rank'? ...)"."""
    import re

    from .errors import unknown

    m = re.match(r"argument (\S+): invalid choice: (['\"]?)(.*?)\2 \(choose from (.*)\)$", message)
    if not m:
        return message
    where, bad, listed = m.group(1), m.group(3), m.group(4)
    choices = [c.strip().strip("'\"") for c in listed.split(",")]
    if where in ("COMMAND", "ACTION"):
        return unknown("command", bad, choices)
    return f"argument {where}: " + unknown("choice", bad, choices)


def _file_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path, help="appraisal or scenario TOML (default: the bundled Birmingham 2013 appraisal)")


def _override_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("what-if changes (applied in this order, nothing is saved)")
    g.add_argument("--weight", action="append", default=[], metavar="CRITERION=W", help="set a criterion's weight")
    g.add_argument("--score", action="append", default=[], metavar="OPTION:CRITERION=S", help="set one score")
    g.add_argument("--group-weight", action="append", default=[], metavar="GROUP=W", help="set a group's weight (weights become local to groups)")
    g.add_argument("--measure", action="append", default=[], metavar="OPTION:CRITERION=M", help="set one measure in natural units")
    g.add_argument("--cost", action="append", default=[], metavar="OPTION=C", help="set an option's cost")
    g.add_argument("--exclude", action="append", default=[], metavar="OPTION", help="take an option out of the ranking")
    g.add_argument("--disable", action="append", default=[], metavar="CRITERION", help="switch a criterion off")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return value


def _whole(text: str, low: int, high: int) -> int:
    try:
        value = int(text) if len(text) < 100 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number")
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{text!r} must be between {low:,} and {high:,}")
    return value


def _samples(text: str) -> int:
    return _whole(text, 1, MAX_SAMPLES)


def _seed(text: str) -> int:
    return _whole(text, 0, MAX_SEED)


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value >= 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number >= 0")
    return value


def _percent(text: str) -> float:
    value = _non_negative(text.rstrip("%"))
    if value > 100:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 100")
    return value / 100


class _OnlyOne:
    """The commands' subparsers when only one command is being run: the others are named (so nothing about the
    one being run changes) but their arguments are never built. Building all sixteen took ~10 ms of every run."""

    def __init__(self, sub, wanted: str):
        self._sub, self._wanted = sub, wanted

    def add_parser(self, name: str, **kwargs):
        return self._sub.add_parser(name, **kwargs) if name == self._wanted else _Unbuilt()


class _Unbuilt:
    """Takes the argument definitions of a command that is not being run, and drops them."""

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: self


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (`only`) just what parsing that one command needs."""
    parser = _Parser(
        prog="appraisal",
        usage="%(prog)s [-h] [--version] [FILE | COMMAND ...]",
        description="Options appraisal in the terminal. With no command, opens the workshop app on FILE "
        "(default: the bundled Birmingham 2013 appraisal).",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"appraisal {__version__}", help="print the version and exit")
    # prog: each command's help hint reads `appraisal rank --help`, not the main usage line
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog=parser.prog)
    if only is not None:
        sub = _OnlyOne(sub, only)

    p = sub.add_parser("rank", help="totals and rankings, with what-if changes", description="Unweighted and weighted totals, ranks and dominance.")
    _file_arg(p)
    _override_args(p)
    p.add_argument("--format", choices=["table", "json", "csv", "markdown"], default="table", help="output format (default: table)")

    p = sub.add_parser("sensitivity", help="how robust is the ranking", description=(
        "One-way weight sensitivity with exact crossovers, score switching values, SMAA-2 rank acceptability, "
        "potential optimality and tornado data."))
    _file_arg(p)
    _override_args(p)
    p.add_argument("--samples", type=_samples, default=10_000, help="SMAA samples (default 10000, at most 10^8)")
    p.add_argument("--seed", type=_seed, default=0, help="SMAA seed, 0 to 2^32-1 (default 0; always reported)")
    p.add_argument("--perturb", type=_percent, default=None, metavar="X", help="SMAA: perturb the current weights by up to +-X%% instead of sampling all weights")
    p.add_argument("--score-uncertainty", type=_non_negative, default=0.0, metavar="D", help="SMAA: each score uniformly within +-D points, clipped to the scale")
    p.add_argument("--tornado-range", type=_percent, default=0.5, metavar="X", help="tornado: each weight from -X%% to +X%% (default 50)")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")

    p = sub.add_parser("group", help="a group workshop: each participant, the group, decisive disagreements", description=(
        "Each participant's leader, the group ranking, the cells and weights whose disagreement could change the "
        "group's choice, and the group leader with each participant left out."))
    _file_arg(p)
    p.add_argument("--aggregate", choices=["mean", "median", "geomean"], help="how participants' weights combine (default: the file's, else mean)")
    p.add_argument("--samples", type=_samples, default=10_000, help="samples for SMAA driven by the room (default 10000, at most 10^8)")
    p.add_argument("--seed", type=_seed, default=0, help="SMAA seed, 0 to 2^32-1 (default 0; always reported)")
    p.add_argument("--room", choices=["hull", "dirichlet"], default="hull", help="SMAA weights: the participants' convex hull, or a Dirichlet fitted to them")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")

    p = sub.add_parser("validate", help="reconcile an appraisal with its source", description=(
        "List findings (label/score mismatches, inferred scores, published vs computed figures, dominated options, "
        "criteria that cannot change a ranking). Exit 0 when the file is valid, 2 when it is not."))
    _file_arg(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")

    p = sub.add_parser("export", help="write the score matrix as csv, csv-long, xlsx, md, json or html", description=(
        "Export the appraisal (after any what-if changes). The format follows the extension of -o unless --format is given."))
    _file_arg(p)
    _override_args(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="PATH", help="the file to write (its extension picks the format)")
    p.add_argument("--format", choices=["csv", "csv-long", "xlsx", "md", "json", "html"], help="the format, when the extension does not say (csv-long: one row per cell)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--samples", type=_samples, default=10_000, help="SMAA samples for the xlsx and html sensitivity sections (at most 10^8)")
    p.add_argument("--seed", type=_seed, default=0, help="SMAA seed, 0 to 2^32-1 (default 0; written beside the results)")

    p = sub.add_parser("record", help="write the decision record: one document to put before a board", description=(
        "One self-contained document (html, or Markdown with the same content) that says which option is preferred, "
        "on what criteria, weights and scores (every reason visible), how firm that is, where the room disagreed, "
        "and how to reproduce every figure. Open the html in a browser and print it to PDF."))
    _file_arg(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.html|OUT.md", help="the document to write (html or md, from the extension unless --format)")
    p.add_argument("--format", choices=["html", "md"], help="html or md (default: from the extension of -o)")
    p.add_argument("--journal", type=Path, metavar="J", help="a workshop journal (FILE.journal.jsonl) whose edits to FILE are recorded too")
    p.add_argument("--samples", type=_samples, default=10_000, help="SMAA samples (default 10000, at most 10^8)")
    p.add_argument("--seed", type=_seed, default=0, help="SMAA seed, 0 to 2^32-1 (default 0; printed in the document)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("import", help="turn a spreadsheet into an appraisal file", description=(
        "Read a wide score matrix (criteria as rows, options as columns, optional Weight column) from csv or xlsx, "
        "match criteria by id or name, and write an appraisal file. All problems are listed at once, with their cells; "
        "nothing is written unless there are none."))
    p.add_argument("sheet_file", type=Path, metavar="SHEET", help="a .csv or .xlsx score matrix (wide, long or as exported)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="APPRAISAL.toml", help="the appraisal file to write")
    p.add_argument("--criteria", type=Path, help="criteria file to match against (default: the bundled 2013 criteria when the "
                   "sheet's rows are theirs, else criteria made from the sheet, written beside OUT as OUT.criteria.toml)")
    p.add_argument("--sheet", help="worksheet name (xlsx; default: the first)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("replay", help="replay scenario files and check their expectations", description=(
        "Replay scenario files (files, directories or globs). Exit 0 when all pass, 1 when any expectation "
        "fails, 2 when any file is invalid (the others still run)."))
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders (every *.toml below) or globs")
    p.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML to FILE")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")

    p = sub.add_parser("journal", help="work with workshop journals", description="Work with the session journals the workshop app writes.")
    jsub = p.add_subparsers(dest="journal_command", metavar="ACTION", parser_class=_Parser, required=True)
    j = jsub.add_parser("export", help="write a journal as a replayable scenario", description=(
        "Write the session as a scenario whose steps are its edits and whose [expect] is the state at the end."))
    j.add_argument("journal", type=Path, help="a journal the app wrote (FILE.journal.jsonl)")
    j.add_argument("-o", "--output", type=Path, required=True, metavar="SCENARIO.toml", help="the scenario file to write")
    j.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("schema", help="print the JSON Schema of a file kind", description="Print the JSON Schema generated from the models, for editors' TOML language servers.")
    p.add_argument("kind", choices=["appraisal", "scenario", "criteria"], nargs="?", default="appraisal", help="which file kind (default: appraisal)")

    p = sub.add_parser("room", help="a live workshop room: who joined and submitted, the group so far; freeze or reset it", description=(
        "The room of FILE (FILE.room.sqlite) now: each participant's weights, scores and whether they submitted, whether it is "
        "revealed, and over the submitted participants the group result `appraisal group` gives. --freeze writes the appraisal "
        "with them as [[participants]]; --reset clears it. The settings flags change the room first."))
    _file_arg(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format (default: table)")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--freeze", action="store_true", help="write the appraisal with the submitted participants as [[participants]] to -o")
    act.add_argument("--reset", action="store_true", help="clear every participant and entry, and the reveal (asks first)")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.toml", help="where --freeze writes")
    p.add_argument("--force", action="store_true", help="--freeze: overwrite an existing file")
    p.add_argument("--yes", action="store_true", help="--reset: do not ask")
    p.add_argument("--reveal", choices=["on", "off"], help="show participants each other and the group (or hide them again)")
    p.add_argument("--rescoring", choices=["on", "off"], help="allow participants their own scores as well as weights")
    p.add_argument("--code", help="require this join code from participants joining from now on")
    p.add_argument("--no-code", action="store_true", help="no join code from now on")

    p = sub.add_parser("join", help="join a live room as a participant, in this terminal", description=(
        "The participant app: join FILE's room under your name (and the room's code, when it has one), give your own "
        "weights (and scores, when the facilitator allows), and submit. With --name (and --code) it skips the join screen."))
    _file_arg(p)
    p.add_argument("--name", help="your name in the room (a returning name resumes its own entries)")
    p.add_argument("--code", help="the room's join code, when it has one")
    p.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # one browser connection of `appraisal serve`

    p = sub.add_parser("serve", help="serve the participant app to browsers (a live room)", description=(
        "Serve the participant app of FILE's room over HTTP with textual-serve: each browser connection is its own app "
        "process. Binds to localhost unless --host says otherwise; any other host requires a join code (one is generated "
        "and printed if --code is not given). Prints the URL and the code; Ctrl+C stops it."))
    _file_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument("--code", help="the join code participants must type (default: none on localhost, generated otherwise)")

    p = sub.add_parser("tui", help="open the workshop app", description="Open the workshop app on FILE.")
    _file_arg(p)
    p.add_argument("--if-locked", choices=["ask", "read-only", "copy"], default="ask",
                   help="when another window has FILE open: ask (default), open it read only, or work on a new copy")

    from .completion import SHELLS

    p = sub.add_parser("completion", help="print a shell completion script", description=(
        "Print a completion script for bash, zsh or fish. bash: add `eval \"$(appraisal completion bash)\"` to ~/.bashrc; "
        "zsh: `appraisal completion zsh > ~/.zfunc/_appraisal` with ~/.zfunc in $fpath before compinit; "
        "fish: `appraisal completion fish > ~/.config/fish/completions/appraisal.fish`."))
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    return parser


def _load(args: argparse.Namespace):
    from .io import load_appraisal
    from .paths import bundled_appraisal

    return load_appraisal(args.file or bundled_appraisal())


def _load_with_overrides(args: argparse.Namespace):
    from .model.overrides import apply_overrides

    return apply_overrides(_load(args), weights=args.weight, scores=args.score, exclude=args.exclude, disable=args.disable,
                           group_weights=args.group_weight, measures=args.measure, costs=args.cost)


def _print_rich(renderable: Any) -> None:
    from rich.console import Console

    # Text from files is data: no markup ([link=...], [/]) and no :emoji: codes, whatever a report passes.
    console = Console(markup=False, emoji=False)
    if not console.is_terminal:
        # Piped or redirected: never wrap, so each row stays on one line for grep, cut and diff.
        from rich.measure import Measurement

        natural = Measurement.get(console, console.options.update_width(100_000), renderable).maximum
        console = Console(markup=False, emoji=False, width=max(console.width, natural))
    console.print(renderable)


def _say(line: str = "", *, err: bool = False) -> None:
    """One line that may hold text from a file: control characters shown, never sent to the terminal."""
    from .reports.safe_text import visible

    (sys.stderr if err else sys.stdout).write(visible(line) + "\n")


def _out(text: str) -> None:
    """Data for standard output (json, csv, markdown) as is; on a terminal, with control characters shown."""
    if sys.stdout.isatty():
        from .reports.safe_text import visible

        text = "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))
    sys.stdout.write(text)


def _emit(data: dict[str, Any], fmt: str, render) -> int:
    """JSON as is, or the table `render()` builds from the same data."""
    if fmt == "json":
        from .reports.json_text import dumps  # json.dumps(indent=2)'s text, fast on big reports

        _out(dumps(data) + "\n")
    else:
        _print_rich(render())
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    from .reports import ranking as report

    data = report.ranking_report(_load_with_overrides(args))
    if args.format == "json":
        _out(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        _out(report.render_csv(data))
    elif args.format == "markdown":
        _out(report.render_markdown(data))
    else:
        _print_rich(report.render_table(data))
    return EXIT_OK


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .reports.sensitivity import render_sensitivity, sensitivity_report

    a = _load_with_overrides(args)
    span = a.scale.max - a.scale.min
    if args.score_uncertainty > span:
        raise AppraisalError(f"--score-uncertainty {args.score_uncertainty:g} is wider than the scale ({a.scale.min:g}..{a.scale.max:g}): at most {span:g}")
    data = sensitivity_report(a, samples=args.samples, seed=args.seed, perturb=args.perturb,
                              score_uncertainty=args.score_uncertainty, tornado_range=args.tornado_range)
    return _emit(data, args.format, lambda: render_sensitivity(a, data))


def cmd_group(args: argparse.Namespace) -> int:
    from .reports.group import group_report, render_group

    a = _load(args)
    if not a.participants:
        raise AppraisalError("no participants: add [[participants]] (name, weights, scores) to the file", file=str(args.file or "bundled appraisal"))
    data = group_report(a, args.aggregate, samples=args.samples, seed=args.seed, room=args.room)
    return _emit(data, args.format, lambda: render_group(a, data))


def cmd_validate(args: argparse.Namespace) -> int:
    from .reports.findings import findings

    a = _load(args)
    found = findings(a)
    if args.format == "json":
        _out(json.dumps({"file": str(args.file or "bundled"), "valid": True, "findings": [f.as_dict() for f in found]}, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    from rich.text import Text

    from .reports.safe_text import term

    lines = [term(f"{a.title}: {len(found)} findings", style="bold")]
    for f in found:
        lines.append(Text.assemble(term(f"{f.code:<32}", "cyan"), term(f.where, "dim")))
        lines.append(term("    " + f.message))
    from rich.console import Group

    _print_rich(Group(*lines))
    print("valid: the file loads; the findings above are information.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .io.load import load
    from .reports.export import export
    from .model.overrides import apply_overrides
    from .paths import bundled_appraisal

    path = args.file or bundled_appraisal()
    to_stdout = str(args.output) == "-"
    if to_stdout:
        if not args.format:
            raise AppraisalError("-o - writes to standard output: say which format with --format")
        if args.format == "xlsx" and sys.stdout.isatty():
            raise AppraisalError("will not write a workbook to a terminal: use -o FILE.xlsx, or redirect standard output")
    loaded = load(path)
    a = apply_overrides(loaded.appraisal, weights=args.weight, scores=args.score, exclude=args.exclude, disable=args.disable,
                        group_weights=args.group_weight, measures=args.measure, costs=args.cost)
    kw = dict(steps=list(loaded.steps), source=str(path), samples=args.samples, seed=args.seed, base=loaded.as_loaded,
              title=loaded.title if loaded.kind == "scenario" else "", description=loaded.description)
    if to_stdout:
        from .reports.export import render

        _to_stdout(render(a, args.format, **kw))
        return EXIT_OK
    fmt = export(a, args.output, args.format, force=args.force, inputs=loaded.files, **kw)
    _say(f"wrote {args.output} ({fmt})")
    return EXIT_OK


def _to_stdout(data: bytes) -> None:
    """`-o -`: a document on standard output, as the exact bytes its file would hold (text on a terminal)."""
    if sys.stdout.isatty():
        _out(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def cmd_record(args: argparse.Namespace) -> int:
    import shlex

    from .io.journal import check_journal_matches, read_journal
    from .io.load import load
    from .paths import bundled_appraisal
    from .io.atomic import check_output, write_output
    from .reports.record import build_record, render_record

    to_stdout = str(args.output) == "-"
    if to_stdout and not args.format:
        raise AppraisalError("-o - writes to standard output: say which format with --format html or md")
    fmt = args.format or {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}.get(args.output.suffix.lower())
    if fmt is None:
        raise AppraisalError(f"cannot tell the format from '{args.output.suffix or 'no extension'}': use --format html or md", file=str(args.output))
    path = args.file or bundled_appraisal()
    loaded = load(path)
    inputs = (*loaded.files, *((args.journal,) if args.journal else ()))
    if not to_stdout:
        check_output(args.output, force=args.force, inputs=inputs)  # before the work of analysing
    journal = None
    if args.journal:
        journal = read_journal(args.journal)
        check_journal_matches(journal, path)
    command = shlex.join(["appraisal", "record", *([str(args.file)] if args.file else []), "-o", str(args.output),
                          *(["--format", args.format] if args.format else []), *(["--journal", str(args.journal)] if args.journal else []),
                          "--samples", str(args.samples), "--seed", str(args.seed)])
    shown = str(args.file) if args.file else f"{path.name}, bundled with appraisal"
    record = build_record(loaded, shown_path=shown, command=command, journal=journal, journal_shown=str(args.journal or ""),
                          samples=args.samples, seed=args.seed)
    if to_stdout:
        _to_stdout(render_record(record, fmt).encode("utf-8"))
        return EXIT_OK
    write_output(args.output, render_record(record, fmt), force=args.force, inputs=inputs)
    _say(f"wrote {args.output} ({fmt})")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .io.importer import ImportErrors, import_file

    try:
        got = import_file(args.sheet_file, args.output, args.criteria, sheet=args.sheet, force=args.force)
    except ImportErrors as e:
        for line in e.lines():  # `error: FILE: N problems; nothing written`, then the problems, indented
            _say(line, err=True)
        return EXIT_BAD_INPUT
    a = got.appraisal
    made = f"; criteria made from the sheet in {got.made} ({got.summary})" if got.made else ""
    _say(f"wrote {args.output}: {len(a.options)} options x {len(a.criteria)} criteria{made}")
    for note in got.notes:
        _say(f"  {note}")
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from datetime import datetime

    from .io.gather import gather
    from .reports.replay import describe_failure, replay_file, result_dict

    started = datetime.now()
    files, missing = gather(args.paths)
    if args.junit:
        from .io.atomic import check_output

        _refuse_replay_inputs(args.junit, files)
        check_output(args.junit, force=True)  # a missing folder or a FIFO says so before the replay runs
    results = [replay_file(f) for f in files]
    if args.format == "json":
        _out(json.dumps({"results": [result_dict(r) for r in results], "errors": missing}, indent=2, default=str) + "\n")
    else:
        for line in missing:
            _say(f"ERROR {line}")
        for r in results:
            if r.status == "error":
                _say(f"ERROR {r.error}")
                continue
            what = "valid" if r.is_base and not r.checks else f"{len(r.checks)} expectations"
            _say(f"{r.status.upper():<5} {r.path}  ({r.title}; {what})")
            for c in r.failures:
                _say(f"      x {describe_failure(c)}")
        counts = {s: sum(r.status == s for r in results) for s in ("pass", "fail", "error")}
        _say()
        _say(f"replay: {counts['pass']} pass, {counts['fail']} fail, {counts['error'] + len(missing)} invalid")
    if args.junit:
        from .reports.junit import write_junit

        write_junit(args.junit, results, describe_failure, missing=missing, started=started)
    if missing or any(r.status == "error" for r in results):
        return EXIT_BAD_INPUT
    return EXIT_FAILED if any(r.status == "fail" for r in results) else EXIT_OK


def _refuse_replay_inputs(junit: Path, files: list[Path]) -> None:
    """The JUnit report must not replace a scenario, or a base or criteria file one of them reads."""
    from .io.atomic import refuse_inputs
    from .io.load import load

    inputs: list[Path] = []
    for f in files:
        inputs.append(f)
        try:
            inputs += load(f).files
        except AppraisalError:
            pass  # replay reports it
    refuse_inputs(junit, inputs)


def cmd_journal(args: argparse.Namespace) -> int:
    from .io.journal import export_journal, read_journal

    edits = export_journal(args.journal, args.output, force=args.force)
    snapshots = len(read_journal(args.journal).snapshots)  # each also written as steps there and back
    counts = [f"{edits} edit{'s' if edits != 1 else ''}"] + ([f"{snapshots} snapshot{'s' if snapshots != 1 else ''}"] if snapshots else [])
    _say(f"wrote {args.output} ({', '.join(counts)})")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .model.schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2))
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    from .completion import script

    sys.stdout.write(script(build_parser(), args.shell))
    return EXIT_OK


def cmd_room(args: argparse.Namespace) -> int:
    from .io.load import load
    from .io.room_store import RoomStore, check_code, read_room, room_path
    from .paths import bundled_appraisal
    from .reports.room import render_room, room_report

    path = Path(args.file or bundled_appraisal())
    if args.freeze != bool(args.output):
        raise AppraisalError("--freeze needs -o OUT.toml" if args.freeze else "-o is for --freeze")
    a = load(path).appraisal
    if args.code is not None:
        check_code(args.code)  # before the room is created
    if args.reset or args.reveal or args.rescoring or args.code is not None or args.no_code:
        with RoomStore(room_path(path), a) as store:
            if args.reset:
                return _reset_room(store, args.yes)
            store.configure(allow_rescoring=None if args.rescoring is None else args.rescoring == "on", code=args.code,
                            clear_code=args.no_code)
            if args.reveal:
                store.reveal(args.reveal == "on")
            room = store.snapshot()
    else:
        _, room = read_room(path, a)
    try:
        if args.freeze:
            return _freeze_room(a, room, path, args.output, args.force)
        data = room_report(a, room)
    except AppraisalError as e:  # entries the appraisal no longer accepts: name the room they are in
        raise e if e.file else e.located(file=str(room_path(path))) from None
    return _emit(data, args.format, lambda: render_room(a, data))


def _reset_room(store, yes: bool) -> int:
    count = len(store.snapshot().participants)
    if not yes:
        if not sys.stdin.isatty():
            raise AppraisalError("not clearing the room without --yes (no terminal to ask on)", file=str(store.path))
        try:
            answer = input(f"Clear the room ({count} participants and all their entries)? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("left as it was")
            return EXIT_FAILED
    store.reset()
    print(f"cleared the room {store.path} ({count} participants)")
    return EXIT_OK


def _freeze_room(a, room, path: Path, out: Path, force: bool) -> int:
    from .io.write import save_appraisal
    from .model.room import room_appraisal

    if out.resolve() == path.resolve():
        raise AppraisalError("--freeze writes a new file; it never replaces the appraisal the room is for", file=str(out))
    if out.exists() and not force:
        raise AppraisalError("already exists (use --force to overwrite)", file=str(out))
    if not room.submitted:
        raise AppraisalError("nobody has submitted yet: nothing to freeze", file=str(path))
    criteria = path.parent / a.criteria_ref
    if not a.criteria_ref or not criteria.is_file():
        raise AppraisalError("its criteria are not in a file beside it (an exported .json?): freeze from the TOML appraisal", file=str(path))
    try:
        save_appraisal(room_appraisal(a, room), out, criteria_file=criteria)
    except OSError as e:
        raise AppraisalError(f"cannot write: {e.strerror or e}; nothing written", file=str(out)) from None
    left = len(room.participants) - len(room.submitted)
    print(f"wrote {out}: {len(room.submitted)} submitted participants" + (f" ({left} who have not submitted left out)" if left else ""))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import ipaddress
    import shlex
    import signal

    from .io.load import load
    from .io.room_store import RoomStore, check_code, new_code, room_path
    from .paths import bundled_appraisal
    from .reports.safe_text import visible

    path = Path(args.file or bundled_appraisal()).absolute()
    a = load(path).appraisal  # bad input fails here, as one line, before anything listens or is created
    if args.code is not None:
        check_code(args.code)
    try:
        local = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        local = False
    code = args.code if args.code is not None else (None if local else new_code())
    from .tui.serve import RoomServer, hold_stop, listen, stop_requested

    # From here a Ctrl+C (or SIGTERM) is a request to stop, noted and honoured at a safe point: the room store
    # is never interrupted half-way, a press as the address is printed stops the server cleanly, and presses
    # while it says goodbye are ignored.
    hold_stop()
    sockets = []
    try:
        # Listen first: a second `serve` that cannot start (a busy port, a bad host) must not replace the
        # running one's join code, nor announce an address it does not serve.
        sockets = listen(args.host, args.port)
        with RoomStore(room_path(path), a) as store:
            if code is not None:
                store.configure(code=code)
            has_code = store.snapshot().has_code
        if stop_requested():  # pressed before anything was announced
            print("stopped")
            return EXIT_OK
        command = shlex.join([sys.executable, "-m", "appraisal", "join", str(path), "--served"])
        server = RoomServer(command, host=args.host, port=args.port, title=f"appraisal: {a.title}")
        print(f"Serving the room of {visible(path.name)} at {server.public_url}")
        if code is not None:
            print(f"Join code: {code}")
        elif has_code:
            print("Join code: the one set earlier for this room (`appraisal room --code` to change it)")
        else:
            print("No join code: anyone who can reach this address can join (localhost only)")
        print(f"Room: {visible(str(room_path(path)))}   Facilitator: appraisal tui {visible(shlex.quote(str(path)))}   Stop: Ctrl+C",
              flush=True)
        server.serve_on(sockets)
    except OSError as e:
        raise AppraisalError(f"cannot serve on {args.host}:{args.port}: {e.strerror or e}") from None
    except KeyboardInterrupt:  # not expected (presses are noted); should one come, stopping is what it asked for
        pass
    finally:
        for s in sockets:
            s.close()
        for sig in (signal.SIGINT, signal.SIGTERM):  # stopping now: more presses must not interrupt the goodbye
            signal.signal(sig, signal.SIG_IGN)
    print("stopped")
    return EXIT_OK


def cmd_join(args: argparse.Namespace) -> int:
    from .paths import bundled_appraisal
    from .tui.participant import make_participant_app

    path = Path(args.file or bundled_appraisal())
    if not args.served:  # served, textual-serve is its terminal
        from .io.load import load

        load(path)
        _need_terminal()
    app = make_participant_app(path, name=args.name, code=args.code, served=args.served)
    app.run()
    return app.return_code or EXIT_OK


def _need_terminal() -> None:
    """The full-screen apps need a terminal: in a pipe or CI they would hang writing escape codes."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AppraisalError("the workshop app needs a terminal (standard input and output are not one): "
                             "run it in a terminal, or use a headless command such as rank, export or replay")


def cmd_tui(args: argparse.Namespace) -> int:
    from .paths import bundled_appraisal

    from .tui.app import make_app

    from .io.load import load

    path = args.file or bundled_appraisal()
    load(path)  # bad input fails here, as one line, before anything else (the load is cached for the app)
    _need_terminal()
    app = make_app(path, if_locked=args.if_locked)
    _end_on_terminate(app)
    app.run()
    return app.return_code or EXIT_OK  # an app that died of an error (Textual prints it) must not report success


def _end_on_terminate(app) -> None:
    """SIGTERM and SIGHUP (a closed terminal, `tmux kill-session`) end the app through `ended_from_outside`:
    by default they killed it where it stood, its lock left for the stale-lock check to notice."""
    import asyncio
    import signal

    def stop(signum, frame) -> None:
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.ended_from_outside, signum)
        except RuntimeError:  # before or after the app's loop: nothing to end gracefully
            if getattr(app, "_session", None) is not None:
                app.session.release()
            raise SystemExit(128 + signum) from None

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


COMMANDS = {"completion": cmd_completion, "record": cmd_record, "group": cmd_group, "export": cmd_export, "import": cmd_import, "rank": cmd_rank, "sensitivity": cmd_sensitivity, "replay": cmd_replay, "journal": cmd_journal, "validate": cmd_validate, "schema": cmd_schema, "tui": cmd_tui}
COMMANDS.update(room=cmd_room, join=cmd_join, serve=cmd_serve)


def _names_a_file(arg: str) -> bool:
    return Path(arg).suffix.lower() in (".toml", ".json") or Path(arg).exists()


def _tolerant_streams() -> None:
    """Under a stdout that cannot encode everything (PYTHONIOENCODING=cp1252, a C locale), show what it
    cannot hold as escapes instead of dying with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


class _WholeWrites(io.RawIOBase):
    """Standard output that writes every byte or raises: CPython's buffered stdout drops the rest of a
    short write (a disk filling up, `ulimit -f`) without an error, and a script would get a cut file, exit 0."""

    def __init__(self, fd: int):
        self.fd = fd
        self.failed = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        size = memoryview(data).nbytes
        if self.failed:  # reported once (the error line): what is still buffered has nowhere to go, and
            return size  # flushing it again at exit would print a traceback and exit 120
        view = memoryview(data).cast("B")
        while view:
            try:
                view = view[os.write(self.fd, view):]
            except BrokenPipeError:
                self.failed = True
                raise
            except OSError as e:
                self.failed = True
                raise OSError(e.errno, f"cannot write: {(e.strerror or str(e)).lower()}", "standard output") from None
        return size


def _whole_stdout() -> None:
    """Swap a redirected standard output (a file or pipe, not a terminal, not a test's capture) for one
    that never cuts a write short."""
    out = sys.stdout
    if out is None or out is not sys.__stdout__ or not hasattr(out, "fileno"):
        return
    try:
        fd = out.fileno()
        if os.isatty(fd):
            return
        out.flush()
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(fd)), encoding=out.encoding, errors="backslashreplace",
                                  newline=None, write_through=False)


def _error_line(message: str) -> None:
    from .reports.safe_text import visible

    sys.stderr.write(f"error: {visible(message)}\n")


def main(argv: list[str] | None = None) -> int:
    from ._fast_start import skip_plugin_discovery

    skip_plugin_discovery()
    _tolerant_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS and _names_a_file(argv[0]):
        argv.insert(0, "tui")  # `appraisal FILE` opens the app on FILE, as --help says
    if sys.stderr is None:  # started with 2>&- : errors have nowhere to go, but must not crash either
        sys.stderr = open(os.devnull, "w")
    command = argv[0] if argv and argv[0] in COMMANDS else None
    if command not in ("tui", "join", "serve") and argv:  # --help and usage errors too: written whole or one error line
        _whole_stdout()
    try:
        args = build_parser(only=command).parse_args(argv)
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:  # --help into a full disk
        _error_line(f"{e.filename}: {e.strerror}" if e.filename else (e.strerror or str(e)))
        return EXIT_BAD_INPUT
    if args.command is None:
        args.command, args.file, args.if_locked = "tui", None, "ask"
    if sys.stdout is None:  # started with >&-
        if str(getattr(args, "output", None) or "-") == "-" or args.command in ("tui", "serve", "join"):
            _error_line("standard output is closed: there is nowhere to show the result (redirect it, or use -o FILE)")
            return EXIT_BAD_INPUT
        sys.stdout = open(os.devnull, "w")  # the output goes to its file; only "wrote ..." is lost
    if args.command not in ("tui", "join", "serve"):  # the apps' drivers own their terminal (or textual-serve's pipe)
        _whole_stdout()
    try:
        code = COMMANDS[args.command](args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so a failing write is the error line below, not lost at exit
        return code
    except AppraisalError as e:
        _error_line(str(e))
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:  # a write that failed (full disk, read-only folder, ...): it names its file
        _error_line(f"{e.filename}: {e.strerror}" if e.filename else (e.strerror or str(e)))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # leaving: a second press must not print a traceback on the way out
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
