"""Which scenario files a replay names: paths, folders (every *.toml below, criteria files skipped)
and globs."""

from __future__ import annotations

from pathlib import Path

from ..errors import AppraisalError
from .read import read_toml


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
        if p.is_dir():
            found = [f for f in sorted(p.rglob("*.toml")) if not _is_criteria_file(f)]
            if not found:
                errors.append(f"{arg}: no scenario files (*.toml) in this directory")
            files += found
        elif p.exists() or not glob.has_magic(arg):
            files.append(p)  # a missing file is reported by replay, as one line
        else:
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True) if m.endswith(".toml"))
            if not matches:
                errors.append(f"{arg}: no files match")
            files += [m for m in matches if not _is_criteria_file(m)]
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, errors
