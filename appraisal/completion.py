"""The command line's argparse parser -> shell completion scripts for bash, zsh and fish: commands,
options with their help, the choices of --format and the like, and file names where a path goes.
Generated from the parser, so a new option completes without touching this file."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")


@dataclass
class Arg:
    flags: list[str]  # empty for a positional
    help: str
    metavar: str
    takes_value: bool
    choices: list[str] | None
    files: bool
    repeat: bool = False  # an option given several times, or a positional taking several values
    optional: bool = False  # a positional that may be left out


@dataclass
class Command:
    name: str
    help: str = ""
    options: list[Arg] = field(default_factory=list)
    positionals: list[Arg] = field(default_factory=list)
    commands: dict[str, "Command"] = field(default_factory=dict)


def tree(parser: argparse.ArgumentParser, name: str, help: str = "") -> Command:
    cmd = Command(name, help)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            cmd.commands = {n: tree(p, n, helps.get(n, "")) for n, p in action.choices.items()}
            continue
        choices = [str(c) for c in action.choices] if action.choices else None
        arg = Arg(list(action.option_strings), action.help or "", action.metavar or action.dest.upper(), action.nargs != 0,
                  choices, action.type is Path, isinstance(action, argparse._AppendAction) or action.nargs in ("+", "*"), action.nargs == "?")
        (cmd.options if action.option_strings else cmd.positionals).append(arg)
    return cmd


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    root = tree(parser, parser.prog)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](root)


def _walk(cmd: Command, path: tuple[str, ...] = ()):
    yield path, cmd
    for name, sub in cmd.commands.items():
        yield from _walk(sub, (*path, name))


# --- bash ------------------------------------------------------------------------------------------
def _bash(root: Command) -> str:
    prog = root.name
    steps = " | ".join(f'"{"/".join(path[:-1])}/{path[-1]}"' for path, _ in _walk(root) if path)
    cases = []
    for path, cmd in _walk(root):
        values = []
        for o in cmd.options:
            if not o.takes_value:
                continue
            reply = f'COMPREPLY=($(compgen -W "{" ".join(o.choices)}" -- "$cur"))' if o.choices else 'COMPREPLY=($(compgen -f -- "$cur"))' if o.files else ":"
            values.append(f'            {"|".join(o.flags)}) {reply}; return ;;')
        words = [f for o in cmd.options for f in o.flags]
        if cmd.commands:
            rest = f'COMPREPLY=($(compgen -W "{" ".join(cmd.commands)}" -- "$cur"))' + ('; COMPREPLY+=($(compgen -f -- "$cur"))' if not path else "")
        elif any(p.choices for p in cmd.positionals):
            rest = f'COMPREPLY=($(compgen -W "{" ".join(c for p in cmd.positionals for c in p.choices or ())}" -- "$cur"))'
        elif any(p.files for p in cmd.positionals) or cmd.positionals:
            rest = 'COMPREPLY=($(compgen -f -- "$cur"))'
        else:
            rest = ":"
        body = "\n".join(values)
        cases.append(f'''    "{"/".join(path)}")
        case "$prev" in
{body or "            --) ;;"}
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur"))
        else
            {rest}
        fi ;;''')
    return f'''# bash completion for {prog}: `eval "$({prog} completion bash)"` in ~/.bashrc
_{prog}() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} cmd="" w i
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${{COMP_WORDS[i]}}
        case "$cmd/$w" in
            {steps}) cmd="${{cmd:+$cmd/}}$w" ;;
        esac
    done
    COMPREPLY=()
    case "$cmd" in
{chr(10).join(cases)}
    esac
}}
complete -o filenames -o bashdefault -F _{prog} {prog}
'''


# --- zsh -------------------------------------------------------------------------------------------
def _zq(text: str) -> str:
    """Inside a single-quoted _arguments spec."""
    return text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def _zsh_action(a: Arg) -> str:
    if a.choices:
        return "(" + " ".join(a.choices) + ")"
    return "_files" if a.files else " "


def _zsh(root: Command) -> str:
    prog = root.name
    funcs = []
    for path, cmd in _walk(root):
        fname = "_" + "_".join((prog, *path)).replace("-", "_")
        specs = []
        for o in cmd.options:
            rest = f"[{_zq(o.help)}]" + (f":{_zq(o.metavar)}:{_zsh_action(o)}" if o.takes_value else "")
            lead = "*" if o.repeat else ""
            if len(o.flags) == 1:
                specs.append(f"'{lead}{o.flags[0]}{rest}'")
            else:  # '(-o --output)'{-o,--output}'[help]:...': either spelling, once
                group = lead or f"({' '.join(o.flags)})"
                specs.append(f"'{group}'{{{','.join(o.flags)}}}'{rest}'")
        if cmd.commands:
            specs += ["'1: :->cmds'", "'*:: :->args'"]
        else:
            for k, p in enumerate(cmd.positionals, 1):
                where = "*" if p.repeat else str(k)
                specs.append(f"'{where}{'::' if p.optional else ':'}{_zq(p.metavar.lower())}:{_zsh_action(p)}'")
        body = "    _arguments -C \\\n        " + " \\\n        ".join(specs)
        if cmd.commands:
            described = " ".join(f"'{_zq(n)}:{_zq(c.help)}'" for n, c in cmd.commands.items())
            branches = "\n".join(f"                {n}) {fname}_{n.replace('-', '_')} ;;" for n in cmd.commands)
            files = " _files" if not path else ""
            body = f'''    local context state state_descr line
    typeset -A opt_args
{body}
    case $state in
        cmds)
            local -a commands
            commands=({described})
            _describe command commands{";" + files if files else ""} ;;
        args)
            case $line[1] in
{branches}
            esac ;;
    esac'''
        funcs.append(f"{fname}() {{\n{body}\n}}")
    return f"#compdef {prog}\n# zsh completion for {prog}: `{prog} completion zsh > ~/.zfunc/_{prog}` (with ~/.zfunc in $fpath)\n\n" + \
        "\n\n".join(funcs) + f'\n\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _{prog} "$@"\nelse\n    compdef _{prog} {prog}\nfi\n'


# --- fish ------------------------------------------------------------------------------------------
def _fq(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(root: Command) -> str:
    prog = root.name
    steps = " ".join(_fq(" ".join(path)) for path, _ in _walk(root) if path)
    lines = [
        f"# fish completion for {prog}: `{prog} completion fish > ~/.config/fish/completions/{prog}.fish`",
        f"function __{prog}_command --description 'the {prog} command typed so far, e.g. \"journal export\"'",
        "    set -l cmd",
        "    for w in (commandline -opc)[2..-1]",
        "        set -l next (string trim -- \"$cmd $w\")",
        f"        if contains -- $next {steps}",
        "            set cmd $next",
        "        end",
        "    end",
        "    echo $cmd",
        "end",
        f"function __{prog}_is --description 'is the command typed so far this one?'",
        f"    set -l cmd (__{prog}_command)",
        '    test "$cmd" = "$argv[1]"',
        "end",
    ]
    for path, cmd in _walk(root):
        cond = "-n " + _fq(f'__{prog}_is "{" ".join(path)}"')
        for name, sub in cmd.commands.items():
            lines.append(f"complete -c {prog} {cond} -f -a {_fq(name)} -d {_fq(sub.help)}")
        for o in cmd.options:
            flags = " ".join(f"-s {f[1:]}" if len(f) == 2 else f"-l {f[2:]}" for f in o.flags)
            value = ""
            if o.takes_value:
                value = f" -x -a {_fq(' '.join(o.choices))}" if o.choices else " -r -F" if o.files else " -x"
            lines.append(f"complete -c {prog} {cond} {flags}{value} -d {_fq(o.help)}")
        if not cmd.commands:
            choices = [c for p in cmd.positionals for c in p.choices or ()]
            if choices:
                lines.append(f"complete -c {prog} {cond} -f -a {_fq(' '.join(choices))}")
            elif not cmd.positionals:
                lines.append(f"complete -c {prog} {cond} -f")
        elif path:
            lines.append(f"complete -c {prog} {cond} -f")
    return "\n".join(lines) + "\n"
