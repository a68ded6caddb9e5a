"""The layers, checked from the source: a lower layer never imports a higher one, and no module
imports itself back through others (lazy imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "appraisal"

# Lowest first. A module may import its own layer and the ones below it, never one above.
LAYERS = {
    "base": ["appraisal", "appraisal.errors", "appraisal.paths", "appraisal._fast_start"],
    "model": ["appraisal.model"],
    "engine": ["appraisal.engine"],
    "io": ["appraisal.io"],
    "reports": ["appraisal.reports"],
    "session": ["appraisal.session"],
    "ui": ["appraisal.cli", "appraisal.tui", "appraisal.__main__"],
}
ORDER = list(LAYERS)
# Third-party packages only the top may use: the domain runs without a terminal UI.
UI_ONLY = ("textual",)


def layer_of(module: str) -> str:
    best, best_len = None, -1
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = layer, len(prefix)
    assert best is not None, module
    return best


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, as absolute names (relative imports resolved; `from p import m`
    counts as importing p.m when m is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (PACKAGE.parent / Path(*candidate.split("."))).is_dir():
                    found.add(candidate)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {m: {i for i in imports_of(p) if i in MODULES and i != m} for m, p in MODULES.items()}


def violations(graph: dict[str, set[str]], modules: dict[str, Path]) -> list[str]:
    out = []
    for m in modules:
        here = ORDER.index(layer_of(m))
        for i in graph[m]:
            if ORDER.index(layer_of(i)) > here:
                out.append(f"{m} ({layer_of(m)}) imports {i} ({layer_of(i)})")
    return out


def test_no_lower_layer_imports_a_higher_one():
    assert violations(GRAPH, MODULES) == []


def test_only_the_terminal_ui_imports_textual():
    offenders = [m for m, p in MODULES.items() if layer_of(m) != "ui" and any(i.split(".")[0] in UI_ONLY for i in imports_of(p))]
    assert offenders == []


def test_the_app_renders_and_never_computes():
    """The TUI shows what the reports and the session derive: it imports nothing from the engine."""
    offenders = sorted(f"{m} imports {i}" for m, p in MODULES.items() if m.startswith("appraisal.tui")
                       for i in imports_of(p) if i == "appraisal.engine" or i.startswith("appraisal.engine."))
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan). A package's __init__ that
    re-exports its submodules is not a loop: edges from a submodule to its own package are left out."""
    edges = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def test_no_import_loops():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("bad", [("appraisal.engine.core", "appraisal.io.read"), ("appraisal.io.load", "appraisal.reports.ranking"),
                                 ("appraisal.model.base", "appraisal.engine.core"), ("appraisal.reports.findings", "appraisal.tui.app")])
def test_the_contract_catches_an_upward_import(bad):
    """Proof the checks can fail: one upward edge added to the real graph is reported."""
    importer, imported = bad
    graph = {m: set(deps) for m, deps in GRAPH.items()}
    graph[importer].add(imported)
    assert violations(graph, MODULES) == [f"{importer} ({layer_of(importer)}) imports {imported} ({layer_of(imported)})"]


def test_the_loop_check_catches_a_loop():
    graph = {m: set(deps) for m, deps in GRAPH.items()}
    graph["appraisal.engine.core"].add("appraisal.engine.group")
    assert ["appraisal.engine.core", "appraisal.engine.group"] in [sorted(c)[:2] for c in _cycles(graph)] or any(
        {"appraisal.engine.core", "appraisal.engine.group"} <= set(c) for c in _cycles(graph))


def test_every_module_says_what_it_is_for():
    missing = [m for m, p in MODULES.items() if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_step_tags_kept_apart_are_the_step_unions_tags():
    """`model.actions` lists the step actions without building the steps' models; it must not drift."""
    import typing

    from appraisal.model.actions import ACTIONS
    from appraisal.model.scenario import Step

    union = typing.get_args(typing.get_args(Step)[0])
    tags = {tag for member in union for tag in typing.get_args(member.model_fields["action"].annotation)}
    assert tags == set(ACTIONS) and len(ACTIONS) == len(tags)


def test_ranking_an_appraisal_builds_no_scenario_or_app_models():
    """Start-up (`make bench`: `rank` within 2x of importing numpy and pydantic) depends on loading an
    appraisal importing only what it needs: not the scenario steps, the room or Textual."""
    import subprocess
    import sys

    code = ("import sys; from appraisal.cli import main; main(['rank', '--format', 'json']); "
            "print(sorted(m for m in sys.modules if m.startswith(('appraisal.model.scenario', 'appraisal.model.steps', "
            "'appraisal.model.room', 'textual', 'openpyxl', 'xlsxwriter', 'scipy'))), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr.strip().splitlines()[-1] == "[]", out.stderr
