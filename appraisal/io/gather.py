"""Which scenario files a replay names: paths, folders (every *.toml below, criteria files skipped)
and globs."""

from __future__ import annotations

from pathlib import Path

from ..errors import AppraisalError
from .read import read_toml


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except (OSError, ValueError):  # a name too long, say: replay reports it when it reads the file
        return False


def _key(p: Path) -> Path | str:
    try:
        return p.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop (RuntimeError in Python 3.11)
        return str(p)


def _is_criteria_file(path: Path) -> bool:
    try:
        raw, _ = read_toml(path)
    except AppraisalError:
        return False  # let replay report it
    return "scale" in raw and "appraisal" not in raw and "scenario" not in raw


def gather(args: list[str]) -> tuple[list[Path], list[str]]:
    """Scenario files named by paths, directories (every *.toml below, criteria files skipped) or globs.
    Returns the files, and an error for each argument that names nothing."""
    import glob

    files: list[Path] = []
    errors: list[str] = []
    for arg in args:
        p = Path(arg)
        if _is_dir(p):
            found = [f for f in sorted(p.rglob("*.toml")) if not _is_criteria_file(f)]
            if not found:
                errors.append(f"{arg}: no scenario files (*.toml) in this directory")
            files += found
        elif not glob.has_magic(arg) or _exists(p):
            files.append(p)  # a missing file is reported by replay, as one line
        else:
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True) if m.endswith(".toml"))
            if not matches:
                errors.append(f"{arg}: no files match")
            files += [m for m in matches if not _is_criteria_file(m)]
    seen: set[Path | str] = set()
    unique = []
    for f in files:
        if _key(f) not in seen:
            seen.add(_key(f))
            unique.append(f)
    return unique, errors


def _exists(p: Path) -> bool:
    try:
        return p.exists() or p.is_symlink()
    except (OSError, ValueError):
        return True
