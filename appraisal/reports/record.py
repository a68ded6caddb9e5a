"""The decision record -> a document: which option is preferred, on what criteria, weights and scores
(every reason visible), how firm that is, where the room disagreed, and how to reproduce every figure.
Rendered as HTML or Markdown with the same content (`document.py`). The facts are gathered in
`record_facts.py`; the analysis sections (3 to 6) are laid out in `record_analysis.py`."""

from __future__ import annotations

import platform
import re
from importlib.metadata import PackageNotFoundError, version

from .document import Bullets, Cell, Code, CodeBlock, Document, Em, Heading, Para, Section, Strong, Table, Text, to_html, to_markdown
from .numbers import fmt, with_unit
from .record_analysis import group_section, results_section, robustness, scores_section, sensitivity_section, value_function_blocks
from .findings import MATCHES
from .record_facts import Change, Record, build_record, preset_words

__all__ = ["build_record", "document", "render_record"]


# --- sections 1, 2 and 7 (the analysis sections are in record_analysis) ---------------------------
def _summary(r: Record) -> list:
    a, ev = r.a, r.ev
    ranking = ev.ranking()
    first = [oid for oid in ranking if ev.rank_weighted[a.option_index[oid]] == 1]
    best = a.scale.max * float(r.p.weights[r.p.criterion_active].sum())
    blocks: list = []
    if not ranking:
        return [Para("No option can be ranked: every option is excluded or has a missing score.", "lead")]
    top = ev.weighted[a.option_index[first[0]]]
    of_best = f" out of a possible {fmt(best)}" if best else ""
    if len(first) > 1:
        names = " and ".join(r.name[o] for o in first)
        blocks.append(Para(("No single option is preferred: ", Strong(names), f" tie for first place with a weighted total of {fmt(top)}{of_best}."), "lead"))
    else:
        leader = first[0]
        i = a.option_index[leader]
        text: list = ["The preferred option is ", Strong(r.name[leader]), f", with a weighted total of {fmt(top)}{of_best} ({ev.percent[i]:.1f}%)"]
        if len(ranking) > 1:
            second = ranking[1]
            j = a.option_index[second]
            text.append(f", {fmt(ev.weighted[i] - ev.weighted[j])} ahead of {r.name[second]} ({fmt(ev.weighted[j])}).")
        else:
            text.append("; it is the only option in the ranking.")
        blocks.append(Para(tuple(text), "lead"))
    blocks.append(Para(robustness(r)))
    if r.group:
        blocks.append(Para("The room: " + " ".join(r.group["sentences"]) + " (Section “Where the room disagreed”.)"))
    notes = [f for f in r.found if f.code not in MATCHES]
    if notes:
        blocks.append(Para(f"Reconciliation: {len(notes)} point{'s' if len(notes) != 1 else ''} where the file does not simply match its source "
                           "or where the result needs a word of explanation; all are listed in the last section."))
    return blocks


def _weight_sources(r: Record) -> dict[str, Change]:
    """For each criterion, the last change that set its weight (by name or by a preset)."""
    out: dict[str, Change] = {}
    for ch in r.changes:
        s = ch.step
        if getattr(s, "participant", ""):
            continue
        if s.action == "set-weight":
            out[s.criterion] = ch
        elif s.action == "weights-preset":
            out = {c.id: ch for c in r.a.criteria}
    return out


def who_why(ch: Change) -> Text:
    s = ch.step
    head = ", ".join(x for x in (s.by, ch.when) if x) or "not recorded"
    return (head,) + ((": ", Em(s.note)) if s.note else ())


def _weighting_method(r: Record) -> str:
    a = r.a
    presets = [ch for ch in r.changes if ch.step.action == "weights-preset"]
    direct = [ch for ch in r.changes if ch.step.action == "set-weight" and not ch.step.participant]
    active = [c for c in a.criteria if c.id not in a.disabled]
    if presets:
        text = f"Weighting method: {preset_words(presets[-1].step, r.cname)}"
        after = [ch for ch in direct if r.changes.index(ch) > r.changes.index(presets[-1])]
        return text + (f", then {len(after)} weight{'s' if len(after) != 1 else ''} set one by one (below)." if after else ".")
    weights = {a.weights[c.id] for c in active}
    if len(weights) == 1 and not direct:
        share = 100 / len(active)
        text = f"Weighting method: equal weights. Every criterion in use carries the same weight ({fmt(weights.pop(), 2)}), so each has {share:.1f}% of the total."
    else:
        text = "Weighting method: direct weights, as given in the file" + (f", {len(direct)} of them then set in the workshop (below)." if direct else ".")
    if a.provenance.notes:
        text += " The source's notes on how they were set are in the last section."
    return text


def _options_and_criteria(r: Record) -> list:
    a, ev = r.a, r.ev
    excluded_by = {ch.step.option: ch for ch in r.changes if ch.step.action == "exclude"}
    rows = []
    for k, o in enumerate(a.options, 1):
        status: Text = "yes"
        if o.excluded:
            ch = excluded_by.get(o.id)
            status = ("excluded", *(("; ", *who_why(ch)) if ch else ()))
        cost = (with_unit(o.cost, a.cost_unit) if o.cost is not None else "–",) if a.has_costs else ()
        rows.append((str(k), Cell(o.name, dim=o.excluded), o.description or "–", *cost, status))
    head = ("#", "Option", "Description", *(("Cost",) if a.has_costs else ()), "In the ranking")
    widths = ("2.2em", "22%", "", *(("7em",) if a.has_costs else ()), "18%")
    blocks: list = [Heading("The options"), Table(head, tuple(rows), "rll" + ("r" if a.has_costs else "") + "l", cls="reasons", widths=widths)]
    sources = _weight_sources(r)
    crows = []
    for j, c in enumerate(a.criteria):
        off = c.id in a.disabled
        ch = sources.get(c.id)
        why: Text = who_why(ch) if ch else "as loaded from the file"
        group = f"{a.groups[[g.id for g in a.groups].index(c.group)].name} › " if c.group else ""
        name: Text = (group + c.name + (f" ({c.unit})" if c.unit else ""), *((Em(" (switched off)"),) if off else ()))
        if c.description:
            name = (*((name,) if isinstance(name, str) else name), "\n", Em(c.description))
        crows.append((str(j + 1), Cell(name, dim=off), fmt(a.weights[c.id], 2), Cell("–" if off else f"{ev.shares[j] * 100:.1f}%", dim=off), why))
    if a.groups:
        from .tree import tree_parts

        parts = tree_parts(a, r.p, ev)["groups"]
        blocks += [Heading("The value tree"), Table(("Group", "Within", "Weight", "Share of the total"),
                   tuple(("› " * g["depth"] + a.groups[k].name, next((x.name for x in a.groups if x.id == g["parent"]), "the top"), fmt(g["weight"], 2),
                          f"{g['share'] * 100:.1f}%") for k, g in enumerate(parts)), "llrr", cls="reasons")]
    blocks += value_function_blocks(r)
    blocks += [Heading("The criteria and their weights"), Para(_weighting_method(r)),
               Table(("#", "Criterion", "Weight", "Share", "Set by, and why"), tuple(crows), "rlrrl", cls="reasons", widths=("2.2em", "", "4.5em", "4.5em", "32%")),
               Para(("Weights are local to each group: a criterion's share of the total is its share within its group times the group's share, "
                     "down the tree" if a.group_weights is not None else "A criterion's share is its weight divided by the sum of the weights in use")
                    + f"; the weighted total of an option is the sum of each criterion's weight × score, and its percentage is that total divided by "
                      f"{fmt(a.scale.max)} × the sum of the weights in use.", "note")]
    return blocks


def _tool_line(r: Record) -> str:
    from .. import __version__

    def v(pkg: str) -> str:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return "?"

    return f"appraisal {__version__} (Python {platform.python_version()}, numpy {v('numpy')}, scipy {v('scipy')}, pydantic {v('pydantic')})"


def reconciliation(r: Record) -> list:
    """`validate`'s findings: what does not simply match the source, then what was recomputed exactly."""
    notes = [f for f in r.found if f.code not in MATCHES]
    confirmed = [f for f in r.found if f.code in MATCHES]
    if notes:
        blocks: list = [Table(("Finding", "Where", "Kind"), tuple((f.message, f.where, (Code(f.code),)) for f in notes), cls="reasons", widths=("", "26%", "16%"))]
    else:
        blocks = [Para("Nothing to reconcile: the file matches its source wherever the source can be checked.")]
    if confirmed:
        blocks.append(Para(f"{len(confirmed)} published figure{'s' if len(confirmed) != 1 else ''} recomputed exactly: "
                           + "; ".join(f.message for f in confirmed) + ".", "note"))
    return blocks


def source_blocks(r: Record) -> list:
    p = r.a.provenance
    source = [x for x in (p.document, p.title, p.appendix, p.date) if x]
    blocks: list = [Bullets(tuple(source)) if source else Para("The file names no source document.")]
    if p.notes:
        blocks.append(Para(("Notes: ", unwrap(p.notes))))
    return blocks


def steps_table(r: Record) -> list:
    if not r.changes:
        return [Para("None: the figures are those of the file as loaded.")]
    rows = tuple((str(k), ch.what, ch.step.by or "–", ch.when or "–", ch.step.note or "–", ch.recorded_in) for k, ch in enumerate(r.changes, 1))
    return [Table(("#", "Change", "By", "When", "Why", "Recorded in"), rows, "rlllll", cls="reasons", widths=("2.4em", "32%", "14%", "7.5em", "", "6.5em"))]


def _provenance(r: Record) -> list:
    return [
        Heading("Reconciliation with the source"), *reconciliation(r),
        Heading("The source"), *source_blocks(r),
        Heading("Inputs"),
        Table(("File", "What it is", "SHA-256"), tuple((f, role, (Code(h),)) for f, role, h in r.inputs), cls="reasons", widths=("30%", "20%", "")),
        Heading("Steps applied to the loaded source"), *steps_table(r),
        Heading("Reproducing this document"),
        Para(f"Made with {_tool_line(r)}. SMAA used {r.samples:,} samples with seed {r.seed}. "
             "The document carries no date or time of its own, so this command, run on the same files, writes the same document:"),
        CodeBlock(r.command),
    ]


def unwrap(text: str) -> str:
    """Prose hard-wrapped in a file (a TOML multi-line string) as flowing text; blank lines kept."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text.strip())


def header(r: Record) -> tuple[str, list[str]]:
    """The title (a scenario's own, else the appraisal's) and the lines under it: what the scenario
    builds on, its description, the source."""
    p = r.a.provenance
    lines = []
    if r.loaded.kind == "scenario" and r.loaded.title != r.a.title:
        lines.append(f"A scenario on: {r.a.title}")
    if r.loaded.description:
        lines.append(unwrap(r.loaded.description))
    source = ", ".join(x for x in (p.document, p.appendix, p.date) if x)
    if source:
        lines.append(f"Source: {source}")
    return (r.loaded.title if r.loaded.kind == "scenario" else r.a.title), lines


def document(r: Record) -> Document:
    title, subtitle = header(r)
    subtitle.append(f"Input: {r.shown_path} (SHA-256 {r.inputs[0][2][:16]}…)")
    parts = [("Summary", "summary", _summary(r)),
             ("Options, criteria and weights", "options", _options_and_criteria(r)),
             ("Scores and their reasons", "scores", scores_section(r)),
             ("Results", "results", results_section(r)),
             ("How firm is the result?", "sensitivity", sensitivity_section(r))]
    if r.group:
        parts.append(("Where the room disagreed", "group", group_section(r)))
    parts.append(("Reconciliation and provenance", "provenance", _provenance(r)))
    return Document(f"Decision record: {title}", tuple(subtitle),
                    tuple(Section(f"{k}. {t}", anchor, tuple(blocks)) for k, (t, anchor, blocks) in enumerate(parts, 1)))


def render_record(r: Record, fmt_: str) -> str:
    doc = document(r)
    return to_html(doc) if fmt_ == "html" else to_markdown(doc)
