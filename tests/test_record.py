"""The decision record: every printed rationale visible, the input's SHA-256, the switching values the
sensitivity report gives, valid HTML and GFM with the same tables, text from the file kept as text,
and (slow) printed by headless Chromium to A4 pages."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from appraisal.io.load import load
from appraisal.reports.record import build_record, document, render_record
from appraisal.reports.sensitivity import sensitivity_report
from appraisal.reports.text import printable

from .conftest import REPO, appraisal_dict, run_cli, write_appraisal
from .pages import _as_page, _doc_tables, _md_html, _norm, _tables, _tree, _visible

SAMPLES = 2_000
SCENARIOS = REPO / "scenarios"


def _record(path: Path, **kw):
    return build_record(load(path), shown_path=path.name, command=f"appraisal record {path.name} -o out.html", samples=SAMPLES, seed=3, **kw)


@pytest.fixture(scope="module")
def bham_record(bundled_path):
    return _record(bundled_path)


@pytest.fixture(scope="module")
def outputs(bham_record):
    return {"html": render_record(bham_record, "html"), "md": render_record(bham_record, "md")}


# --- content ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_printed_rationale_is_visible_text(bham, outputs, fmt):
    text = _as_page(outputs[fmt], fmt)
    rationales = [c.rationale for c in bham.cells if c.rationale.strip()]
    assert len(rationales) == 93
    missing = [r for r in rationales if _norm(r) not in text]
    assert not missing, missing[:3]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_names_the_input_by_its_sha256(bundled_path, outputs, fmt):
    digest = hashlib.sha256(bundled_path.read_bytes()).hexdigest()
    criteria = hashlib.sha256((REPO / "criteria" / "birmingham-2013.toml").read_bytes()).hexdigest()
    text = _as_page(outputs[fmt], fmt)
    assert digest in text and criteria in text


def _row_with(text: str, *needles: str) -> bool:
    """Some table row or sentence holds all the needles."""
    return any(all(n in line for n in needles) for line in text.split("\n"))


@pytest.mark.parametrize("scenario", ["birmingham-2013.toml", "trust-bcc-smallest-weight.toml", "workshop-2014-review.toml"])
def test_holds_the_switching_values_that_sensitivity_reports(scenario):
    path = SCENARIOS / scenario
    r = _record(path)
    md = render_record(r, "md")
    sens = sensitivity_report(load(path).appraisal, samples=SAMPLES, seed=3)
    cname = {c.id: c.name for c in r.a.criteria}
    name = {o.id: o.name for o in r.a.options}
    checked = 0
    for ow in sens["one_way"]:
        lo, hi = ow["leader_interval"]
        for bound in (b for b in (lo, hi) if 1e-12 < b < 1 - 1e-12):
            assert _row_with(md, f"| {cname[ow['criterion']]} |", f"({bound * 100:.1f}% of the total)"), (ow["criterion"], bound)
            checked += 1
    for s in sens["score_switching"]:
        if s["switch_to"] is not None:
            row = f"| {name[s['option']]} | {cname[s['criterion']]} | {s['score']:g} | {s['switch_to']:g} | {name[s['new_leader']]} |"
            assert row in md
            checked += 1
    for e in sens["smallest_change"]["edits"] if sens["smallest_change"]["points"] > 1 else ():
        assert f"| {name[e['option']]} | {cname[e['criterion']]} | {e['from']:g} | {e['to']:g} |" in md
        checked += 1
    sm = sens["smaa"]
    for oid, acc in sm["rank_acceptability"].items():
        assert _row_with(md, f"| {name[oid]} |", f"| {acc[0] * 100:.1f}% |")
    assert f"seed {sm['seed']}" in md
    assert checked >= 5


def test_the_2013_switching_values_in_words(outputs):
    text = _as_page(outputs["html"], "html")
    assert "The preferred option is Integrated transformation, with a weighted total of 246 out of a possible 285 (86.3%), 24 ahead of Trust Model - accountable to BCC (222)." in text
    # Break from the past: 15 / (15 + 18 x 3) = 21.7%, the nearest weight that changes the decision.
    assert "stays first unless the weight on 'Break from the past' rises above 21.7% of the total" in text
    assert "below 15 (21.7% of the total)" in text
    assert "No single score, moved anywhere on the scale, changes the preferred option." in text
    assert "9 points in all" in text


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_table_renders_with_its_cells(bham_record, outputs, fmt):
    """The same tables, cell for cell, in the HTML and in the Markdown as a GFM renderer shows it:
    no pipe, newline or markup in the data can break a row."""
    page = _tree(outputs[fmt] if fmt == "html" else f"<!DOCTYPE html><title>x</title>{_md_html(outputs[fmt])}")
    assert _tables(page) == _doc_tables(document(bham_record))


def test_html_is_self_contained_printable_and_valid(outputs):
    html = outputs["html"]
    tree = _tree(html)  # strict: any parse error raises
    assert tree.find(".//meta[@name='viewport']") is not None
    assert not re.search(r"(src|href)=\"(https?:)?//", html) and "@import" not in html and "url(" not in html
    assert "print-color-adjust:exact" in html and "break-before:page" in html and "table-header-group" in html
    svgs = list(tree.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) >= 5
    assert all(s.get("role") == "img" and s.get("aria-label") and s.get("viewBox") and not s.get("width") for s in svgs)
    assert all(f.find("figcaption") is not None for f in tree.iter("figure"))
    sections = [s.find("h2").text for s in tree.iter("section")]
    assert sections == ["1. Summary", "2. Options, criteria and weights", "3. Scores and their reasons", "4. Results",
                        "5. How firm is the result?", "6. Reconciliation and provenance"]


def test_same_files_same_document(bundled_path, bham_record, outputs):
    again = _record(bundled_path)
    assert render_record(again, "html") == outputs["html"] and render_record(again, "md") == outputs["md"]


def test_group_section_names_who_holds_each_end():
    r = _record(SCENARIOS / "group-workshop-2014.toml")
    text = _as_page(render_record(r, "html"), "html")
    assert "6. Where the room disagreed" in text and "7. Reconciliation and provenance" in text
    assert "One of six participants prefers Trust Model - accountable to DfE." in text
    # Leaving the Finance lead out puts the Trust (BCC) first (see the scenario's comment).
    assert "Finance lead Integrated transformation Trust Model - accountable to BCC" in text
    assert "the weight of 'Break from the past' 4.8% to 13.7% of the total Director of children's services DfE adviser" in text


def test_scenario_steps_and_changed_scores_with_who_and_why():
    r = _record(SCENARIOS / "workshop-2014-review.toml")
    md = render_record(r, "md")
    text = _as_page(md, "md")
    assert "Review workshop: rescoring after DfE feedback" in text
    assert "rescoring argued in a (fictional) review workshop" in text
    assert "2 Low-Med (was 3)" in text
    assert "Changed in the scenario: 3 → 2, by Programme lead (2014-03-12 10:05): DfE signalled the plan is not enough of a break with the past" in text
    assert "Acceptability - DfE 5 8.5% Programme lead, 2014-03-12 10:31: Room agreed DfE acceptability is a gateway" in text
    assert "5 year contract. excluded; Programme lead: Profit-making providers prohibited" in text  # the base scenario's prohibition
    steps = [s for s in r.changes]
    assert len(steps) == 5 and [c.recorded_in for c in steps] == ["scenario"] * 5


def test_journal_edits_are_recorded_with_who_and_why(tmp_path, bundled_path):
    from appraisal.io.journal import JournalWriter, read_journal
    from appraisal.model.scenario import ScoreStep

    shutil.copy(bundled_path, tmp_path / "a.toml")
    (tmp_path / "criteria").mkdir()
    shutil.copy(REPO / "criteria" / "birmingham-2013.toml", tmp_path / "criteria")
    text = (tmp_path / "a.toml").read_text().replace('"../criteria/', '"criteria/')
    (tmp_path / "a.toml").write_text(text)
    j = JournalWriter(tmp_path / "a.toml.journal.jsonl", tmp_path / "a.toml")
    j.edit(ScoreStep(action="set-score", option="trust-bcc", criterion="speed", score=5, by="Head of service", note="Shadow <trust> | ready"), 1)
    j.close()
    r = build_record(load(tmp_path / "a.toml"), shown_path="a.toml", command="c", journal=read_journal(tmp_path / "a.toml.journal.jsonl"),
                     journal_shown="a.toml.journal.jsonl", samples=200)
    for fmt in ("html", "md"):
        text = _as_page(render_record(r, fmt), fmt)
        assert "5 High (was 3)" in text
        assert "Changed in the journal: 3 → 5, by Head of service: Shadow <trust> | ready" in text
        assert "a.toml.journal.jsonl workshop journal" in text
    assert r.ev.weighted[r.a.option_index["trust-bcc"]] == 228


# --- text from the file is data ---------------------------------------------------------------------
HOSTILE = {
    "option": "<script>alert(1)</script> & Co",
    "criterion": "Cost | **bold** [link](http://x.example)",
    "rationale": "Line one\n# not a heading\n- not a list\n1. not numbered\n    not code\n<img src=x onerror=alert(2)> `tick` &amp; *em* \x1b[31mred\x07 \u202egnp.exe",
}


def _hostile(tmp_path: Path) -> Path:
    data = appraisal_dict({"a": {"cost": 4, "speed": 2}, "b": {"cost": 2, "speed": 5}}, {"cost": 2, "speed": 1})
    data["options"][0]["name"] = HOSTILE["option"]
    data["options"][0]["description"] = HOSTILE["rationale"]
    data["scores"][0]["rationale"] = HOSTILE["rationale"]
    path = write_appraisal(tmp_path, data)
    crit = (tmp_path / "criteria.toml").read_text().replace('name = "Cost"', f"name = {json.dumps(HOSTILE['criterion'])}")
    (tmp_path / "criteria.toml").write_text(crit)
    return path


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_text_from_the_file_prints_as_typed(tmp_path, fmt):
    r = _record(_hostile(tmp_path))
    out = render_record(r, fmt)
    page = _tree(out if fmt == "html" else f"<!DOCTYPE html><title>x</title>{_md_html(out)}")
    body = page.find("body")
    assert not list(body.iter("script")) and not list(body.iter("img"))
    assert all(a.get("href", "").startswith("#") for a in body.iter("a"))  # only the html's own table of contents
    assert len(list(body.iter("h1"))) == 1 and len(list(body.iter("pre"))) == 1  # the title; the command
    text = _visible(body)
    assert _norm(HOSTILE["option"]) in text and _norm(HOSTILE["criterion"]) in text
    assert _norm(printable(HOSTILE["rationale"], lines=True)) in text and "␛[31mred␇ <U+202E>gnp.exe" in text
    assert _tables(page) == _doc_tables(document(r))


# --- the command ---------------------------------------------------------------------------------
def test_record_command(tmp_path):
    out = tmp_path / "record.html"
    res = run_cli("record", "-o", str(out), "--samples", "300", "--seed", "5")
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert "appraisal record -o " in html and "--samples 300 --seed 5" in html and "seed 5" in html
    assert str(REPO) not in html  # no absolute path of this machine
    again = run_cli("record", "-o", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run_cli("record", "-o", str(tmp_path / "r.pdf"))
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "--format html or md" in bad.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_the_record_never_replaces_its_inputs(tmp_path):
    shutil.copy(REPO / "scenarios" / "birmingham-2013.toml", tmp_path / "a.toml")
    (tmp_path / "a.toml").write_text((tmp_path / "a.toml").read_text().replace('"../criteria/', f'"{REPO}/criteria/'))
    before = (tmp_path / "a.toml").read_bytes()
    res = run_cli("record", str(tmp_path / "a.toml"), "-o", str(tmp_path / "a.toml"), "--format", "md", "--force", "--samples", "50")
    assert res.returncode == 2 and "which this command reads; choose another output file" in res.stderr
    assert (tmp_path / "a.toml").read_bytes() == before


def test_a_journal_for_another_file_is_refused(tmp_path, bundled_path):
    journal = tmp_path / "j.jsonl"
    journal.write_text(json.dumps({"kind": "header", "version": 1, "file": "birmingham-2013.toml", "sha256": "0" * 64, "started": "2014-03-12T10:00:00+00:00"}) + "\n")
    res = run_cli("record", "-o", str(tmp_path / "r.md"), "--journal", str(journal))
    assert res.returncode == 2 and "has changed since this journal was recorded" in res.stderr
    assert not (tmp_path / "r.md").exists()


# --- as a browser prints it ------------------------------------------------------------------------
A4_WIDTH_PT = 595.3


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
                    reason="headless Chromium and pdfinfo (Debian: chromium, poppler-utils) are not installed; .ci/run installs them")
def test_chromium_prints_the_record_on_a4_pages(tmp_path, outputs):
    html = tmp_path / "record.html"
    html.write_text(outputs["html"], encoding="utf-8")
    pdf = tmp_path / "record.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                   capture_output=True, timeout=180, check=True)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    widths = [float(w) for w in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x", info, re.M)]
    assert len(widths) == pages and 12 <= pages <= 40
    assert max(widths) <= A4_WIDTH_PT
    # Each section starts a page of its own.
    starts = []
    for n in range(1, pages + 1):
        first = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.strip()
        starts.append(first.split("\n", 1)[0].strip() if first else "")
    titles = ["2. Options, criteria and weights", "3. Scores and their reasons", "4. Results", "5. How firm is the result?", "6. Reconciliation and provenance"]
    assert all(t in starts for t in titles), starts


def test_a_cells_note_is_in_the_record_beside_its_reason(tmp_path):
    """The reasons a saved workshop keeps go into the cell's note; the record showed notes only on inferred scores."""
    from appraisal.io.load import load
    from appraisal.session import Session
    from appraisal.model.scenario import ScoreStep

    from .conftest import copy_bundled, run_cli

    path = copy_bundled(tmp_path)
    s = Session(load(path).appraisal, path, participant="Sam")
    s.apply(ScoreStep(action="set-score", option="outsource", criterion="vision", score=1))
    s.annotate("the plan has no owner")
    s.save()
    s.close(keep_journal=False)
    md = run_cli("record", str(path), "-o", "-", "--format", "md", "--samples", "50").stdout
    row = next(line for line in md.splitlines() if line.startswith("| Outsource to the private sector | 1 Low |"))
    assert "Sam: Outsource / Clear vision: 5 → 1. Why: the plan has no owner" in row
    assert "The rationale breaks off here in the source." in md, "a source's own remark on a cell too"
