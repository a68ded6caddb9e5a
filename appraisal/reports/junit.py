"""Replay results -> JUnit XML for CI systems. Text from scenario files is XML-safe: control characters XML
cannot hold are shown as their symbols."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from ..io.atomic import write_atomic
from .safe_text import sheet_visible as _x


def junit_xml(results, describe) -> str:
    """`describe(check)` renders one failed expectation as a line."""
    suite = ET.Element("testsuite", name="appraisal replay", tests=str(len(results)),
                       failures=str(sum(r.status == "fail" for r in results)),
                       errors=str(sum(r.status == "error" for r in results)))
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="scenarios", name=_x(r.path))
        if r.status == "fail":
            lines = [describe(c) for c in r.failures]
            ET.SubElement(case, "failure", message=f"{len(lines)} expectation(s) failed").text = _x("\n".join(lines))
        elif r.status == "error":
            ET.SubElement(case, "error", message=_x(r.error or "invalid")).text = _x(r.error or "")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def write_junit(path: Path, results, describe) -> None:
    write_atomic(path, junit_xml(results, describe))
