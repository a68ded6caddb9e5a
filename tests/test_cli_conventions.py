"""Command-line conventions: help for every option, "did you mean", `appraisal FILE`, valid ids listed,
piped output one row a line, and completion scripts that work in bash, zsh and fish."""

from __future__ import annotations

import argparse
import shutil
import subprocess

import pytest

from appraisal import cli
from appraisal.completion import tree

from .conftest import REPO, run_cli


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def test_every_option_and_argument_has_a_help_line():
    missing = [(" ".join(path), a.option_strings or a.dest) for path, p in _parsers(cli.build_parser())
               for a in p._actions if not isinstance(a, argparse._SubParsersAction) and not a.help]
    assert not missing


def test_every_command_runs_from_the_table():
    assert set(tree(cli.build_parser(), "appraisal").commands) == set(cli.COMMANDS)


def _outcome(parser: argparse.ArgumentParser, argv: list[str], capsys) -> tuple:
    try:
        result = vars(parser.parse_args(argv))
    except SystemExit as e:
        result = e.code
    out = capsys.readouterr()
    return result, out.out, out.err


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_building_only_the_command_being_run_parses_exactly_as_the_whole_parser(command, capsys):
    """`main` builds only the subparser it needs (start-up); every command's help, errors and values must be
    what the whole command line gives."""
    full = cli.build_parser()
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    argvs = [[command, "--help"], [command, "--no-such-option"], [command, "a.toml", "extra", "extra2"]]
    for action in sub._actions:  # each option with a plausible value, alone
        for flag in action.option_strings[:1]:
            if flag == "--help":
                continue
            value = [] if action.nargs == 0 else [str(action.choices[0]) if action.choices else "1"]
            argvs.append([command, flag, *value])
    argvs.append([command, *(["export"] if command == "journal" else []), *(["bash"] if command == "completion" else [])])
    for argv in argvs:
        assert _outcome(cli.build_parser(only=command), argv, capsys) == _outcome(cli.build_parser(), argv, capsys), argv


@pytest.mark.parametrize("args, message", [
    (["rnak"], "error: unknown command 'rnak' (did you mean 'rank'? commands: rank, "),
    (["rank", "--format", "tabel"], "error: argument --format: unknown choice 'tabel' (did you mean 'table'? choices: table, json, csv, markdown)"),
    (["journal", "exprot", "j"], "error: unknown command 'exprot' (did you mean 'export'? commands: export)"),
    (["rank", "--weight", "sped=4"], "error: --weight 'sped=4': unknown criterion 'sped' (did you mean 'speed'? criteria: outcomes, vision, "),
    (["rank", "--exclude", "nobody"], "error: --exclude 'nobody': unknown option 'nobody' (options: break-up, outsource, trust-dfe, trust-bcc, integrated)"),
])
def test_mistakes_name_what_was_meant(args, message):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr


def test_a_scenario_naming_an_unknown_option_lists_the_valid_ones(tmp_path):
    (tmp_path / "s.toml").write_text(f'[scenario]\ntitle = "t"\nbase = "{REPO / "scenarios" / "birmingham-2013.toml"}"\n'
                                     '[[steps]]\naction = "exclude"\noption = "outsorce"\n')
    result = run_cli("rank", str(tmp_path / "s.toml"))
    assert result.returncode == 2
    assert "steps[0].option: unknown option 'outsorce' (did you mean 'outsource'? options: break-up, outsource," in result.stderr


def test_appraisal_file_opens_the_app_on_it(monkeypatch):
    seen = []
    monkeypatch.setitem(cli.COMMANDS, "tui", lambda args: seen.append(args.file) or 0)
    path = str(REPO / "scenarios" / "published-2013.toml")
    assert cli.main([path]) == 0 and str(seen[-1]) == path
    assert cli.main(["missing.toml"]) == 0 and str(seen[-1]) == "missing.toml"  # the app's loader says "no such file"
    assert cli.main([]) == 0 and seen[-1] is None
    assert "[FILE | COMMAND ...]" in run_cli("--help").stdout


def test_a_missing_file_is_one_line():
    result = run_cli("missing.toml")
    assert result.returncode == 2 and result.stderr == "error: missing.toml: no such file\n"


def test_rank_piped_keeps_each_option_on_one_line():
    out = subprocess.run([*cli_cmd(), "rank"], capture_output=True, text=True, env=_env_without_columns()).stdout
    lines = out.splitlines()
    rows = [line for line in lines if line.startswith("│")]
    assert len(rows) == 5
    for name in ("Integrated transformation", "Trust Model - accountable to BCC", "Trust Model - accountable to DfE",
                 "Outsource to the private sector", "Break up Birmingham"):
        assert sum(name in row for row in rows) == 1, name
    assert any(line.startswith("Break up Birmingham is dominated by Trust Model - accountable to BCC, Integrated transformation.") for line in lines)


def cli_cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "appraisal"]


def _env_without_columns() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


# --- completion ------------------------------------------------------------------------------------
def _script(shell: str, tmp_path) -> str:
    result = run_cli("completion", shell)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"appraisal.{shell}"
    path.write_text(result.stdout)
    return str(path)


BASH_CASES = [
    (["appraisal", "ra"], {"rank"}),
    (["appraisal", "rank", "--fo"], {"--format"}),
    (["appraisal", "rank", "--format", ""], {"table", "json", "csv", "markdown"}),
    (["appraisal", "journal", "ex"], {"export"}),
    (["appraisal", "journal", "export", "--f"], {"--force"}),
    (["appraisal", "export", "--format", "c"], {"csv", "csv-long"}),
    (["appraisal", "schema", ""], {"appraisal", "scenario", "criteria"}),
    (["appraisal", "record", "--se"], {"--seed"}),
    (["appraisal", "completion", ""], {"bash", "zsh", "fish"}),
    (["appraisal", "replay", "scenarios/pub"], {"scenarios/published-2013.toml"}),
]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_choices_and_files(tmp_path):
    script = _script("bash", tmp_path)
    calls = "\n".join(f'COMP_WORDS=({" ".join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}; _appraisal; echo "${{COMPREPLY[*]}}"'
                      for words, _ in BASH_CASES)
    out = subprocess.run(["bash", "-c", f"source {script}\n{calls}"], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert [set(line.split()) for line in out.splitlines()] == [want for _, want in BASH_CASES]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (.ci/run installs it when it can)")
def test_fish_completes_commands_options_choices_and_files(tmp_path):
    script = _script("fish", tmp_path)
    calls = "; ".join(f'complete -C "{" ".join(words)}"; echo ---' for words, _ in BASH_CASES)
    out = subprocess.run(["fish", "--no-config", "-c", f"source {script}; {calls}"], capture_output=True, text=True, cwd=REPO, check=True).stdout
    got = [{line.split("\t")[0] for line in block.strip().splitlines()} for block in out.split("---\n")[:-1]]
    assert got == [want for _, want in BASH_CASES]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (.ci/run installs it when it can)")
def test_zsh_completion_loads_through_compinit(tmp_path):
    """zsh completes only inside its line editor, so this checks what can be checked headless: the
    script parses, compinit autoloads it from $fpath, and every option is in its specs."""
    folder = tmp_path / "zfunc"
    folder.mkdir()
    text = run_cli("completion", "zsh").stdout
    (folder / "_appraisal").write_text(text)
    subprocess.run(["zsh", "-n", str(folder / "_appraisal")], check=True)
    out = subprocess.run(["zsh", "-f", "-c", f"fpath=({folder} $fpath); autoload -U compinit; compinit -u -d {tmp_path}/zcd; "
                          "print -r -- $_comps[appraisal]; autoload +X _appraisal; whence -w _appraisal"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[0] == "_appraisal" and "function" in out
    for path, p in _parsers(cli.build_parser()):
        for a in p._actions:
            for flag in a.option_strings:
                assert flag in text, (path, flag)
