"""Replay results -> JUnit XML for CI systems: a <testsuites> root, one <testsuite> per scenario file
(with its time and the run's timestamp), one <testcase> per expectation, classed by the file's folder,
so a CI page shows which expectation of which file failed. Text from scenario files is XML-safe: control characters XML cannot hold are shown as
their symbols."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from ..io.atomic import write_atomic
from .safe_text import sheet_visible as _x


def classname(path: str) -> str:
    """The file's folder as a dotted name ("tests.scenarios"): relative to the working folder when
    below it, else its last two names."""
    folder = Path(path).parent.resolve()
    try:
        rel = folder.relative_to(Path.cwd().resolve())
    except ValueError:
        rel = Path(*folder.parts[-2:])
    return ".".join(rel.parts) or "."


def _seconds(x: float) -> str:
    return f"{x:.6f}"


def junit_xml(results, describe, *, missing: list[str] = (), started: datetime | None = None) -> str:  # type: ignore[assignment]
    """`describe(check)` renders one failed expectation as a line; `missing` lists arguments that named no file."""
    stamp = (started or datetime.now()).replace(microsecond=0).isoformat()
    root = ET.Element("testsuites", name="appraisal replay")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    elapsed = 0.0
    for r in results:
        name = _x(Path(r.path).name)
        suite = ET.SubElement(root, "testsuite", name=_x(r.path), timestamp=stamp, time=_seconds(r.seconds), hostname="localhost")
        counts = {"tests": 0, "failures": 0, "errors": 0}
        cls = classname(r.path)
        if r.status == "error":
            case = ET.SubElement(suite, "testcase", classname=cls, name=f"{name}: loads")
            ET.SubElement(case, "error", message=_x(r.error or "invalid"), type="invalid file").text = _x(r.error or "")
            counts.update(tests=1, errors=1)
        elif not r.checks:
            ET.SubElement(suite, "testcase", classname=cls, name=f"{name}: loads")
            counts["tests"] = 1
        for c in r.checks:
            case = ET.SubElement(suite, "testcase", classname=cls, name=_x(f"{name}: {c.name}"))
            counts["tests"] += 1
            if not c.passed:
                line = _x(describe(c))
                ET.SubElement(case, "failure", message=line, type="expectation").text = line
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        elapsed += r.seconds
    if missing:
        suite = ET.SubElement(root, "testsuite", name="arguments", timestamp=stamp, time="0.000", hostname="localhost",
                              tests=str(len(missing)), failures="0", errors=str(len(missing)), skipped="0")
        for line in missing:
            case = ET.SubElement(suite, "testcase", classname="arguments", name=_x(line.split(":", 1)[0]))
            ET.SubElement(case, "error", message=_x(line), type="no such file").text = _x(line)
        totals["tests"] += len(missing)
        totals["errors"] += len(missing)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", _seconds(elapsed))
    root.set("timestamp", stamp)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path, results, describe, **kw) -> None:
    write_atomic(path, junit_xml(results, describe, **kw))
