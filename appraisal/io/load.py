"""The one loader: any appraisal, scenario (its chain of bases resolved and its steps applied) or
exported .json, validated into models. Errors name the file, the line and the key."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import AppraisalError, unknown
from ..model import Appraisal, AppraisalFile, CriteriaFile, build_appraisal, check_criteria
from ..model.matrix import check_cells
from ..model.expect import Expect
from .locate import locate
from .parse import located, parse
from .read import is_missing, read_bytes, read_toml

if TYPE_CHECKING:  # loading an appraisal must not build the scenario steps' models (start-up, `make bench`)
    from ..model.scenario import ScenarioFile, Step

Kind = Literal["appraisal", "scenario", "json"]
MAX_CHAIN = 32  # bases below a scenario; deeper is a mistake (or a generated loop of copies)


def _real(path: Path) -> Path:
    """The resolved path, or one line saying why there is none (a symlink loop, say)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        read_bytes(path)  # raises the precise reason
        raise AppraisalError("cannot resolve the path (a symlink loop?)", file=str(path)) from None


@dataclass(frozen=True)
class Loaded:
    """What a file held, and where it came from."""

    path: Path
    kind: Kind
    title: str
    appraisal: Appraisal  # after every step
    as_loaded: Appraisal  # the base appraisal, before any step of the chain
    steps: tuple[Step, ...] = ()
    expect: Expect | None = None
    chain: tuple[Path, ...] = field(default_factory=tuple)  # this file, then its bases
    data: tuple[Path, ...] = ()  # files the chain's appraisals name besides criteria: [matrix] CSVs
    description: str = ""  # the file's own description (a scenario's, or an appraisal's header)

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file this was read from: itself, its bases, their score matrices and its criteria file (an
        output must not replace one)."""
        if self.kind == "json" or not self.appraisal.criteria_ref:
            return (*self.chain, *self.data)
        return (*self.chain, *self.data, (self.path.parent / self.appraisal.criteria_ref).resolve())

    @property
    def is_base(self) -> bool:
        """An appraisal in its own right (not a scenario of another file)."""
        return self.kind != "scenario"


def load_criteria(path: Path) -> CriteriaFile:
    raw, text = read_toml(path)
    criteria = parse(CriteriaFile, raw, str(path), text)
    try:
        check_criteria(criteria)
    except AppraisalError as e:
        raise located(e, str(path), text) from None
    return criteria


def load_appraisal(path: str | Path) -> Appraisal:
    """The appraisal a file describes: a base as is, a scenario with its steps applied."""
    return load(path).appraisal


# Loaded files by (real path, mtime, size): replaying a thousand scenarios on one base parses it once.
# A hit counts only while the [matrix] CSVs it read are unchanged too.
_CACHE: dict[tuple[Path, int, int], tuple[Loaded, tuple]] = {}


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def load(path: str | Path, _seen: tuple[Path, ...] = ()) -> Loaded:
    path = Path(path)
    real = _real(path)
    if real in _seen:
        cycle = " -> ".join(p.name for p in (*_seen, real))
        raise AppraisalError(f"cycle of bases: {cycle}", file=str(_seen[0]))
    if len(_seen) > MAX_CHAIN:
        raise AppraisalError(f"the chain of bases is deeper than {MAX_CHAIN} files ({_seen[0].name} -> ... -> {real.name})", file=str(_seen[0]))
    stamp = _stamp(real)
    key = None if stamp is None else (real, *stamp)
    hit = _CACHE.get(key) if key is not None else None
    if hit is not None and hit[1] == tuple(_stamp(p) for p in hit[0].data):
        return hit[0]
    loaded = _load_uncached(path, real, _seen)
    if key is not None:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = (loaded, tuple(_stamp(p) for p in loaded.data))
    return loaded


def _load_uncached(path: Path, real: Path, _seen: tuple[Path, ...]) -> Loaded:
    if path.suffix.lower() == ".json":  # an exported appraisal: a file of its own, or a scenario's base
        from .exported_json import load_exported_json

        a = load_exported_json(path)
        return Loaded(path, "json", a.title, a, a, (), None, (real,))
    raw, text = read_toml(path)
    name = str(path)
    if "scenario" not in raw:
        a, data = _appraisal_from_raw(raw, path, text)
        expect = None
        if raw.get("expect") is not None:
            expect = parse(AppraisalFile, raw, name, text).expect
            _check_expect_ids(expect, a, name, text)
        description = raw["appraisal"].get("description", "") if isinstance(raw.get("appraisal"), dict) else ""
        return Loaded(path, "appraisal", a.title, a, a, (), expect, (real,), data, description=str(description))
    return _load_scenario(raw, path, real, text, _seen)


def _appraisal_from_raw(raw: dict[str, Any], path: Path, text: str) -> tuple[Appraisal, tuple[Path, ...]]:
    """The appraisal, and the data files it names ([matrix] file)."""
    file = parse(AppraisalFile, raw, str(path), text)
    criteria_path = path.parent / file.appraisal.criteria
    if is_missing(criteria_path):
        raise AppraisalError(
            f"criteria file '{file.appraisal.criteria}' not found (looked for {criteria_path.absolute()})",
            key=("appraisal", "criteria"), file=str(path), line=locate(text, ("appraisal", "criteria")),
        )
    criteria = load_criteria(criteria_path)
    matrix = file.matrix
    table = None
    try:
        if matrix is not None and matrix.file is not None and not (matrix.scores or matrix.criteria is not None):
            check_cells(len(file.options), len(criteria.criteria))  # before reading it
            table = _matrix_csv(path, text, matrix.file)
        a = build_appraisal(file, criteria, table.rows if table else None)
    except AppraisalError as e:
        if e.file is not None:  # the matrix file's own error, already placed in it
            raise
        if table is not None and e.key[:1] == ("matrix",) and e.key[1:2] in (("scores",), ("criteria",)):
            raise table.locate(e) from None
        if matrix is not None and e.key[:2] == ("matrix", "scores") and len(e.key) == 4 and matrix.criteria:
            e = AppraisalError(f"{e.message} ({e.key[2]}:{matrix.criteria[e.key[3]]})", key=e.key)
        raise located(e, str(path), text) from None
    return a, ((table.path.resolve(),) if table else ())


def _matrix_csv(path: Path, text: str, ref: str):
    from .matrix_csv import read_matrix_csv

    csv_path = path.parent / ref
    if not csv_path.exists():
        raise AppraisalError(f"matrix file '{ref}' not found (looked for {csv_path.resolve()})",
                             key=("matrix", "file"), file=str(path), line=locate(text, ("matrix", "file")))
    return read_matrix_csv(csv_path)


def _load_scenario(raw: dict[str, Any], path: Path, real: Path, text: str, _seen: tuple[Path, ...]) -> Loaded:
    from ..model.scenario import ScenarioFile
    from ..model.steps import apply_step

    name = str(path)
    sc = parse(ScenarioFile, raw, name, text)
    base_path = (path.parent / sc.scenario.base)
    if is_missing(base_path):
        raise AppraisalError(f"base '{sc.scenario.base}' not found (looked for {base_path.absolute()})",
                             key=("scenario", "base"), file=name, line=locate(text, ("scenario", "base")))
    try:
        base = load(base_path, (*_seen, real))
    except AppraisalError as e:
        if e.file is None:
            raise e.located(file=name, line=locate(text, ("scenario", "base"))) from None
        raise
    a = base.appraisal
    as_loaded = base.as_loaded
    # Keep the criteria path relative to this file, so saving the result beside it still finds them.
    if a.criteria_ref:
        criteria = _real(base_path.parent / a.criteria_ref)
        a = a.model_copy(update={"criteria_ref": os.path.relpath(criteria, real.parent)})
    if sc.scenario.criteria or sc.group_weights is not None:
        a, as_loaded = _regroup(sc, a, as_loaded, path, text)
    if sc.participants or sc.group is not None:
        from ..model.build import check_participants

        try:
            check_participants((*a.participants, *sc.participants), list(a.option_index), list(a.criterion_index), a.scale,
                               measured=frozenset(c.id for c in a.criteria if c.measured), weights=a.weights, disabled=a.disabled)
        except AppraisalError as e:
            k = e.key[1] - len(a.participants) if len(e.key) > 1 and isinstance(e.key[1], int) else 0
            raise located(AppraisalError(e.message, key=("participants", max(k, 0), *e.key[2:])), name, text) from None
        a = a.model_copy(update={"participants": (*a.participants, *sc.participants), "group": sc.group or a.group})
    for i, step in enumerate(sc.steps):
        try:
            a = apply_step(a, step, as_loaded)
        except AppraisalError as e:
            raise located(AppraisalError(e.message, key=("steps", i, *e.key)), name, text) from None
    if sc.expect is not None:
        _check_expect_ids(sc.expect, a, name, text)
    return Loaded(path, "scenario", sc.scenario.title, a, as_loaded, base.steps + sc.steps, sc.expect, (real, *base.chain), base.data, description=sc.scenario.description)


def _regroup(sc: ScenarioFile, a: Appraisal, as_loaded: Appraisal, path: Path, text: str) -> tuple[Appraisal, Appraisal]:
    """A scenario's own criteria file (the base's criteria, e.g. arranged into a value tree) and
    [group_weights], applied to the appraisal and to its as-loaded state alike."""
    from ..model.regroup import regroup, with_group_weights

    name = str(path)
    if sc.scenario.criteria:
        criteria_path = path.parent / sc.scenario.criteria
        where = ("scenario", "criteria")
        if is_missing(criteria_path):
            raise AppraisalError(f"criteria file '{sc.scenario.criteria}' not found (looked for {criteria_path.absolute()})",
                                 key=where, file=name, line=locate(text, where))
        criteria = load_criteria(criteria_path)
        try:
            a, as_loaded = (regroup(x, criteria, sc.scenario.criteria) for x in (a, as_loaded))
        except AppraisalError as e:
            raise AppraisalError(e.message, key=where, file=name, line=locate(text, where)) from None
    if sc.group_weights is not None:
        try:
            a, as_loaded = (with_group_weights(x, sc.group_weights) for x in (a, as_loaded))
        except AppraisalError as e:
            raise located(e, name, text) from None
    return a, as_loaded


def _check_expect_ids(expect: Expect, a: Appraisal, file: str, text: str, prefix: tuple = ("expect",)) -> None:
    options, criteria = list(a.option_index), list(a.criterion_index)
    if expect.group is not None:
        if not a.participants:
            raise AppraisalError("[expect.group] needs participants", key=(*prefix, "group"), file=file, line=locate(text, (*prefix, "group")))
        _check_expect_ids(expect.group, a, file, text, (*prefix, "group"))
    for name, e in expect.participant.items():
        if a.participant(name) is None:
            path = (*prefix, "participant", name)
            raise AppraisalError(unknown("participant", name, [p.name for p in a.participants]), key=path, file=file, line=locate(text, path))
        _check_expect_ids(e, a, file, text, (*prefix, "participant", name))

    def fail(message: str, *key: str | int) -> None:
        path = (*prefix, *key)
        raise AppraisalError(message, key=path, file=file, line=locate(text, path))

    for key in ("leader",):
        value = getattr(expect, key)
        if value is not None and value not in options:
            fail(unknown("option", value, options), key)
    for key in ("weighted_ranking", "unweighted_ranking", "dominated"):
        for oid in getattr(expect, key) or ():
            if oid not in options:
                fail(unknown("option", oid, options), key)
    for key in ("weighted_total", "unweighted_total", "weighted_percent", "potentially_optimal"):
        for oid in getattr(expect, key):
            if oid not in options:
                fail(unknown("option", oid, options), key, oid)
    for k, c in enumerate(expect.crossover):
        if c.criterion not in criteria:
            fail(unknown("criterion", c.criterion, criteria), "crossover", k, "criterion")
        for oid in (c.to, c.from_):
            if oid is not None and oid not in options:
                fail(unknown("option", oid, options), "crossover", k)
    groups = {g.id for g in a.groups}
    for oid, totals in expect.group_totals.items():
        if oid not in options:
            fail(unknown("option", oid, options), "group_totals", oid)
        for gid in totals:
            if gid not in groups:
                fail(unknown("group", gid, sorted(groups)), "group_totals", oid, gid)
    for oid in expect.frontier or ():
        if oid not in options:
            fail(unknown("option", oid, options), "frontier")
    if expect.frontier is not None and not a.has_costs:
        fail("no option has a cost: give options a `cost` for a value-for-money frontier", "frontier")
    if expect.smaa:
        for oid in expect.smaa.first:
            if oid not in options:
                fail(unknown("option", oid, options), "smaa", "first", oid)
