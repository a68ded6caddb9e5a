"""The decision record's analysis sections -> document blocks: the score matrix with every reason, the
results, how firm the result is (switching values, one-way charts, SMAA, tornado) and the group's
disagreements. Sentences come from `sensitivity` and `group`; this module lays them out."""

from __future__ import annotations

import numpy as np

from ..engine.oneway import lines
from . import charts
from .document import Bullets, Cell, Em, Figure, Heading, Para, Strong, Table, Text
from .group import leader_without
from .numbers import fmt, with_unit
from .record_facts import Record
from .tree import cell_text, describe_value, display_order, group_subtotals
from .sensitivity import sentences, who

OPTIONS_PER_TABLE = 6  # wider score matrices are split, so a printed page never overflows
CLOSEST_CHARTS = 3  # one-way charts for the criteria whose weight is nearest to changing the decision
ORDINALS = ("1st", "2nd", "3rd")


def _ordinal(k: int) -> str:
    return ORDINALS[k - 1] if k <= 3 else f"{k}th"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# --- 3. scores and their reasons ---------------------------------------------------------------
def _score_changes(r: Record) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = {}
    for ch in r.changes:
        s = ch.step
        if s.action == "set-score" and not s.participant:
            out.setdefault((s.option, s.criterion), []).append(ch)
    return out


def _scale_words(r: Record) -> list:
    sc = r.a.scale
    levels = ", ".join(f"{fmt(lv.value)} {lv.label}" for lv in sc.levels)
    return [Para(f"Scores run from {fmt(sc.min)} (worst) to {fmt(sc.max)} (best) in steps of {fmt(sc.step, 2)}" + (f": {levels}." if levels else ".")),
            Para("Colours follow the score, from red (low) to green (high); greyed cells are out of play (an excluded option or a criterion switched off).", "html")]


def _cell_texts(r: Record) -> list[list[Cell]]:
    """Every cell as shown, [option][criterion]: a score with its label ('4 Med-High'), a measure with its
    score ('15 months → 4.5'), and what it was. Read from the arrays once (a 100x200 record shows each
    cell twice; a Cell model per cell cost seconds)."""
    a, base = r.a, r.loaded.as_loaded
    scores, m = a.score_matrix, len(a.criteria)
    measures = a.measure_matrix
    before = base.score_matrix
    before_measures = base.measure_matrix
    row_of = [base.option_index.get(o.id) for o in a.options]
    col_of = [base.criterion_index.get(c.id) for c in a.criteria]
    plain_text: dict[float, str] = {}  # a scale score's text is the same in every cell
    colour: dict[float, str] = {}
    out = []
    for i, o in enumerate(a.options):
        row = []
        for j, c in enumerate(a.criteria):
            score = float(scores[i, j])
            if score != score:
                row.append(Cell("no score", dim=True))
                continue
            measure = None if measures is None or measures[i, j] != measures[i, j] else float(measures[i, j])
            if measure is None and not c.measured:
                text = plain_text.get(score) or plain_text.setdefault(score, cell_text(a, i, j))
            else:
                text = cell_text(a, i, j)
            bi, bj = row_of[i], col_of[j]
            if bi is not None and bj is not None:
                was = None if before[bi, bj] != before[bi, bj] else float(before[bi, bj])
                was_measure = None if before_measures is None or before_measures[bi, bj] != before_measures[bi, bj] else float(before_measures[bi, bj])
                if (was, was_measure) != (score, measure):
                    old = was_measure if measure is not None and was_measure is not None else was
                    text += f" (was {with_unit(old, c.unit) if measure is not None else fmt(old)})"
            if score not in colour:
                colour[score] = charts.score_colour(score, a.scale.min, a.scale.max)
            row.append(Cell(text, colour[score], o.excluded or c.id in a.disabled))
        out.append(row)
    return out


def criterion_label(a, j: int) -> str:
    c = a.criteria[j]
    return c.name + (f" ({c.unit})" if c.unit else "") + (" (switched off)" if c.id in a.disabled else "")


def _matrix(r: Record, texts: list[list[Cell]] | None = None) -> list:
    a, ev = r.a, r.ev
    texts = _cell_texts(r) if texts is None else texts
    blocks = []
    subtotals = group_subtotals(a) if a.groups else None
    groups = [a.options[k:k + OPTIONS_PER_TABLE] for k in range(0, len(a.options), OPTIONS_PER_TABLE)]
    for g, options in enumerate(groups):
        idx = [a.option_index[o.id] for o in options]
        rows = []
        for kind, k, depth in display_order(a):
            indent = "› " * depth  # visible in print, in Markdown and on a phone alike
            if kind == "group":
                weight = fmt(a.group_weights[a.groups[k].id], 2) if a.group_weights is not None else ""
                rows.append(("", Strong(indent + a.groups[k].name + " (subtotal)"), weight, *((Em(fmt(subtotals[i, k], 2)),) for i in idx)))
                continue
            c = a.criteria[k]
            rows.append((str(k + 1), Cell(indent + criterion_label(a, k), dim=c.id in a.disabled), fmt(a.weights[c.id], 2),
                         *(texts[i][k] for i in idx)))
        rows.append(("", Strong("Weighted total"), "", *((Strong(fmt(ev.weighted[i])),) for i in idx)))
        rows.append(("", Strong("Rank"), "", *("excluded" if a.options[i].excluded else (_ordinal(int(ev.rank_weighted[i])) if ev.rank_weighted[i] else "–") for i in idx)))
        caption = "The score matrix" + (f" (options {g * OPTIONS_PER_TABLE + 1}–{g * OPTIONS_PER_TABLE + len(options)} of {len(a.options)})" if len(groups) > 1 else "")
        head = ("#", "Criterion", "Weight", *(o.label + (" (excluded)" if o.excluded else "") for o in options))
        blocks.append(Table(head, tuple(rows), "rlr" + "c" * len(options), caption, "matrix", ("2.2em", "30%", "4.6em")))  # "Weight" whole
    if a.groups:
        blocks.append(Para("Criteria are arranged in a value tree; a group's row gives each option's weighted subtotal"
                           + (", and weights are local to each group: a criterion's share is the product of the shares down its path." if a.group_weights is not None else "."), "note"))
    return blocks


def _reason(r: Record, i: int, j: int, changes: dict) -> Text:
    """Option i's reason on criterion j, read from the arrays (a Cell model per cell cost seconds at 100x200)."""
    a, base = r.a, r.loaded.as_loaded
    oid, cid = a.options[i].id, a.criteria[j].id
    k = i * len(a.criteria) + j
    note, score = a.cells.note(k), a.cells.score(k)
    out: list = [note.rationale if note.rationale.strip() else Em("No reason recorded.")]
    bi, bj = base.option_index.get(oid), base.criterion_index.get(cid)
    original = base.cells.score(bi * len(base.criteria) + bj) if bi is not None and bj is not None else score
    if note.label and original == score and score is not None and a.scale.value_of_label(note.label) != score:
        out += ["\n", Em(f"The source prints the label “{note.label}” with this score.")]
    if note.inferred:
        out += ["\n", Em(f"Inferred, not printed. {note.note}".strip())]
    elif note.note.strip():  # the file's note on the cell: a source's remark, or reasons a saved workshop kept
        out += ["\n", Em(note.note)]
    for ch in changes.get((oid, cid), []):
        s = ch.step
        head = f"Changed in the {ch.recorded_in}: {ch.value}" + (f", by {s.by}" if s.by else "") + (f" ({ch.when})" if ch.when else "")
        out += ["\n", Strong(head), *((": ", Em(s.note)) if s.note else ())]
    return tuple(out)


def matrix_blocks(r: Record, texts: list[list[Cell]] | None = None) -> list:
    """The scale in words and the colour-coded score matrix."""
    return [*_scale_words(r), *_matrix(r, texts)]


def scores_section(r: Record) -> list:
    a = r.a
    texts = _cell_texts(r)
    blocks: list = matrix_blocks(r, texts)
    changes = _score_changes(r)
    if changes:
        rows = []
        for (oid, cid), chs in changes.items():
            for ch in chs:
                rows.append((r.name[oid], r.cname[cid], ch.value, ch.step.by or "–", ch.step.note or "–"))
        blocks += [Heading("Scores changed from the loaded source"),
                   Table(("Option", "Criterion", "Score", "By", "Why"), tuple(rows), cls="reasons", widths=("18%", "22%", "6em", "", ""))]
    blocks.append(Para("Below, criterion by criterion, each score with the reason given for it. A changed score keeps the reason the source gave for "
                       "the original, followed by who changed it and why.", "note"))
    for j, c in enumerate(a.criteria):
        k = a.criterion_index[c.id]
        share = "switched off" if c.id in a.disabled else f"weight {fmt(a.weights[c.id], 2)}, {_pct(r.ev.shares[k])} of the total"
        blocks.append(Heading(f"Criterion {j + 1}: {criterion_label(a, j)} ({share})"))
        if c.measured:
            blocks.append(Para(f"Measured in natural units and scored by a value function: {describe_value(a, j)}.", "note"))
        rows = tuple((Cell(o.name, dim=o.excluded), texts[i][k], _reason(r, i, k, changes)) for i, o in enumerate(a.options))
        blocks.append(Table(("Option", "Score", "Reason"), rows, "lcl", cls="reasons", widths=("22%", "7.5em", "")))
    return blocks


# --- 4. results --------------------------------------------------------------------------------
def results_section(r: Record) -> list:
    return [*ranking_blocks(r), *_contribution_figure(r, r.ev.ranking()), *value_for_money_blocks(r)]


def value_function_blocks(r: Record) -> list:
    """How each measure in natural units becomes a score."""
    measured = [j for j, c in enumerate(r.a.criteria) if c.measured]
    if not measured:
        return []
    return [Heading("Value functions"), Bullets(tuple(f"{r.a.criteria[j].name}: {describe_value(r.a, j)}" for j in measured))]


def value_for_money_blocks(r: Record) -> list:
    """Value against cost: the efficient frontier in words and as a chart (when options have costs)."""
    from .ranking import ranking_report, value_for_money_lines

    if not r.a.has_costs:
        return []
    report = ranking_report(r.a)
    vfm = report["value_for_money"]
    points = [(o["label"], o["cost"], o["weighted_total"], o["id"] in vfm["frontier"]) for o in report["options"]
              if o["cost"] is not None and o["weighted_total"] is not None and o["rank_weighted"]]
    frontier = [next(pt for pt in points if pt[0] == o["label"]) for oid in vfm["frontier"] for o in report["options"] if o["id"] == oid]
    words = value_for_money_lines(report)
    blocks: list = [Heading("Value for money"), Bullets(tuple(words))]
    if points:
        unit = vfm["cost_unit"]
        svg = charts.value_and_cost(points, [(c, v) for _, c, v, _ in frontier], unit, "Value against cost")
        blocks.append(Figure(svg, f"Each option's weighted value against its cost{f' ({unit})' if unit else ''}; the efficient frontier (green) joins "
                                  "the options no other beats on both, cheapest first.", "The chart shows the points and the frontier listed above."))
    return blocks


def ranking_blocks(r: Record) -> list:
    """The rankings table and dominance."""
    a, ev = r.a, r.ev
    ranked = ev.ranking()
    order = ranked + [o.id for o in a.options if o.id not in ranked]
    lead = ev.weighted[a.option_index[ranked[0]]] if ranked else np.nan
    rows = []
    for oid in order:
        i = a.option_index[oid]
        o = a.options[i]
        rank = "excluded" if o.excluded else (_ordinal(int(ev.rank_weighted[i])) if ev.rank_weighted[i] else "not ranked")
        gap = "–" if not ev.rank_weighted[i] else ("leads" if ev.rank_weighted[i] == 1 else fmt(lead - ev.weighted[i]))
        rows.append((Cell(rank, dim=not ev.rank_weighted[i]), Cell(o.name, dim=not ev.rank_weighted[i]), fmt(ev.weighted[i]),
                     "–" if ev.percent[i] != ev.percent[i] else f"{ev.percent[i]:.1f}%", gap, fmt(ev.unweighted[i]),
                     _ordinal(int(ev.rank_unweighted[i])) if ev.rank_unweighted[i] else "–"))
    blocks: list = [Table(("Rank", "Option", "Weighted total", "% of best possible", "Behind the leader", "Unweighted total", "Unweighted rank"),
                          tuple(rows), "llrrrrr", "Rankings", widths=("4em", "22%", "", "", "", "", ""))]
    if ranked and ev.ranking(weighted=False) != ranked:
        blocks.append(Para("Without weights the order differs: " + " > ".join(r.name[o] for o in ev.ranking(weighted=False)) + ".", "note"))
    dominated = ev.dominated_by()
    if dominated:
        blocks.append(Para("Dominance: an option is dominated when another scores at least as well on every criterion in use and better on one; "
                           "no choice of weights can put it ahead of that option."))
        blocks.append(Bullets(tuple(f"{r.name[o]} is dominated by {', '.join(r.name[b] for b in by)}." for o, by in dominated.items())))
    else:
        blocks.append(Para("No option is dominated (beaten or equalled on every criterion by another)."))
    return blocks


def _contribution_figure(r: Record, ranked: list[str]) -> list:
    a, p = r.a, r.p
    if not ranked:
        return []
    active = [j for j in range(len(a.criteria)) if p.criterion_active[j]]
    rows, words = [], []
    for oid in ranked:
        i = a.option_index[oid]
        parts = [(j + 1, float(p.weights[j] * p.scores[i, j])) for j in active]
        total = float(r.ev.weighted[i])
        rows.append((a.options[i].label, parts, total))
        biggest = sorted(parts, key=lambda x: -x[1])[:3]
        words.append(f"{r.name[oid]}: {fmt(total)}, most from " + ", ".join(f"criterion {n} '{a.criteria[n - 1].name}' ({fmt(v)})" for n, v in biggest))
    best = a.scale.max * float(p.weights[p.criterion_active].sum())
    svg = charts.contributions(rows, best, "Weighted total of each option, split by criterion")
    caption = ("What makes up each weighted total: one segment per criterion (numbered as in section 2), its length the criterion's weight × the score. "
               "Longer bars are better; the chart ends at the best possible total.")
    return [Heading("What each total is made of"), Figure(svg, caption, "In words: " + "; ".join(words) + ".")]


# --- 5. sensitivity ----------------------------------------------------------------------------
def _weight_for_share(r: Record, cid: str, t: float) -> float:
    """The weight that gives criterion cid the share t with every other weight unchanged."""
    a = r.a
    rest = sum(a.weights[c.id] for c in a.criteria if c.id not in a.disabled and c.id != cid)
    return t * rest / (1 - t) if t < 1 else float("inf")


def _weight_switches(r: Record) -> list[dict]:
    """Criteria whose weight alone can change the leader: the range of share (and weight) that keeps it."""
    name = r.name
    out = []
    for ow in r.sens["one_way"]:
        lo, hi = ow["leader_interval"]
        t0 = ow["share"]
        if lo <= 1e-12 and hi >= 1 - 1e-12:
            continue
        up, down = (next((c for c in ow["crossovers"] if abs(c["share"] - t) < 1e-9), None) for t in (hi, lo))
        out.append({
            "criterion": ow["criterion"], "share": t0, "lo": lo, "hi": hi,
            "above": who(up["to"], name) if up and hi < 1 - 1e-12 else None,
            "below": who(down["from"], name) if down and lo > 1e-12 else None,
            "distance": min(hi - t0 if hi < 1 - 1e-12 else 9, t0 - lo if lo > 1e-12 else 9),
        })
    return sorted(out, key=lambda w: w["distance"])


def _weight_table(r: Record, switches: list[dict]) -> list:
    a = r.a
    rows = []
    for w in switches:
        cid = w["criterion"]
        held = []
        if w["below"]:
            held.append(f"above {fmt(_weight_for_share(r, cid, w['lo']), 2)} ({_pct(w['lo'])} of the total)")
        if w["above"]:
            held.append(f"below {fmt(_weight_for_share(r, cid, w['hi']), 2)} ({_pct(w['hi'])} of the total)")
        beyond = "; ".join(x for x in (f"below: {w['below']}" if w["below"] else "", f"above: {w['above']}" if w["above"] else "") if x)
        rows.append((r.cname[cid], f"{fmt(a.weights[cid], 2)} ({_pct(w['share'])})", " and ".join(held), beyond))
    return [Table(("Criterion", "Weight now (share)", "The preferred option stays first while the weight is", "Otherwise first place goes to"),
                  tuple(rows), "lrll", cls="reasons", widths=("28%", "8em", "", "22%"))]


def _one_way_figures(r: Record, switches: list[dict]) -> list:
    a, p = r.a, r.p
    active = p.option_active & ~np.isnan(p.scores[:, p.criterion_active]).any(axis=1)
    idx = [i for i in range(len(a.options)) if active[i]]
    blocks = []
    for w in switches[:CLOSEST_CHARTS]:
        k = a.criterion_index[w["criterion"]]
        icpt, slope = lines(p, k)
        series = [(a.options[i].label, float(icpt[i]), float(slope[i])) for i in idx]
        ends = [v for _, b0, s in series for v in (b0, b0 + s)]
        marks = [(t, who_) for t, who_ in ((w["lo"], w["below"]), (w["hi"], w["above"])) if who_]
        cname = r.cname[w["criterion"]]
        svg = charts.one_way(series, w["share"], marks, f"Weight on '{cname}'", (min(ends), max(ends)))
        held = " and ".join(x for x in (f"above {_pct(w['lo'])}" if w["below"] else "", f"up to {_pct(w['hi'])}" if w["above"] else "") if x)
        caption = (f"'{cname}': each option's value (its weighted average score) as this criterion's share of the total weight goes from 0 to 100%, "
                   f"the other weights keeping their proportions. Today's share is {_pct(w['share'])}; the preferred option stays first {held}.")
        words = "; ".join(f"{a.options[i].name} {fmt(icpt[i], 2)} at 0% to {fmt(icpt[i] + slope[i], 2)} at 100%" for i in idx)
        blocks.append(Figure(svg, caption, f"Values: {words}."))
    return blocks


def _score_switches(r: Record) -> list:
    s = r.sens
    switches = sorted((x for x in s["score_switching"] if x["switch_to"] is not None), key=lambda x: abs(x["switch_to"] - x["score"]))
    blocks: list = []
    if switches:
        rows = tuple((r.name[x["option"]], r.cname[x["criterion"]], fmt(x["score"]), fmt(x["switch_to"]), r.name[x["new_leader"]]) for x in switches)
        blocks.append(Table(("Option", "Criterion", "Score now", "Would have to become", "Who would then lead"), rows, "llrrl", cls="reasons",
                            caption=f"The {len(switches)} single scores that could change the decision on their own, smallest change first"))
    else:
        blocks.append(Para("No single score, moved anywhere on the scale, changes the preferred option."))
    sc = s["smallest_change"]
    if sc["edits"] and sc["points"] > 1:
        blocks.append(Para(f"The fewest one-point score changes that would displace the preferred option: {sc['points']} points in all, "
                           f"after which {r.name.get(sc['new_leader'], 'a tie')} would lead:"))
        blocks.append(Table(("Option", "Criterion", "From", "To"),
                            tuple((r.name[e["option"]], r.cname[e["criterion"]], fmt(e["from"]), fmt(e["to"])) for e in sc["edits"]), "llrr", cls="reasons"))
    return blocks


def _group_weights(r: Record) -> list:
    """One-way on each group's share among its siblings (a value tree)."""
    rows = []
    gname = {g.id: g.name for g in r.a.groups}
    for ow in r.sens.get("group_one_way") or ():
        lo, hi = ow["leader_interval"]
        cross = "; ".join(f"{_pct(c['share'])}: {who(c['from'], r.name)} → {who(c['to'], r.name)}" for c in ow["crossovers"]) or "–"
        rows.append((gname[ow["group"]], _pct(ow["share"]), f"{_pct(lo)} to {_pct(hi)}", cross))
    if not rows:
        return []
    return [Heading("Group weights that could change the decision"),
            Table(("Group", "Share among its siblings", "The preferred option stays first between", "Crossovers"), tuple(rows), "lrrl", cls="reasons")]


def _measure_switches(r: Record) -> list:
    """Switching values of measures, in their natural units."""
    rows = []
    for m in r.sens.get("measure_switching") or ():
        change = "never, within the value function" if m["threshold"] is None else f"{m['direction']} {with_unit(m['threshold'], m['unit'])}"
        rows.append((r.name[m["option"]], r.cname[m["criterion"]], with_unit(m["measure"], m["unit"]), change, r.name[m["new_leader"]] if m["new_leader"] else "–"))
    if not rows:
        return []
    return [Table(("Option", "Criterion", "Now", "The lead changes when it goes", "Who would then lead"), tuple(rows), "llrrl", cls="reasons",
                  caption="Measures in natural units: how far each would have to move")]


def _smaa(r: Record) -> list:
    sm = r.sens["smaa"]
    if not sm:
        return []
    n, cap = sm["ranks"], 5
    places = [_ordinal(k + 1) for k in range(min(n, cap))]
    if n > cap:
        places[-1] += " or lower"
    head = ("Option", *places, "Can come first under some weights")
    rows = []
    for oid, acc in sorted(sm["rank_acceptability"].items(), key=lambda kv: _expected_rank(kv[1])):
        vals = acc if n <= cap else [*acc[: cap - 1], sum(acc[cap - 1:])]
        rows.append((r.name[oid], *(Cell(_pct(v), charts.heat(v)) for v in vals), "yes" if r.sens["potentially_optimal"].get(oid) else "no"))
    mode = {"uniform": "every set of weights equally likely",
            "uniform at each node of the value tree": "every set of weights equally likely within each group of the value tree"}.get(
        sm["mode"], f"the current weights, each moved at random by up to {sm['mode'].split('+-')[-1]}")
    intro = (f"The weights are the most contestable input, so the options were ranked again under {sm['samples']:,} sets of weights drawn at random "
             f"({mode}; seed {sm['seed']}, so the figures can be reproduced). The table gives the share of those draws in which each option took each place "
             "(SMAA-2 rank acceptability). The last column says whether any set of weights at all puts the option first (potential optimality, "
             "solved exactly).")
    return [Para(intro), Table(head, tuple(rows), "l" + "r" * (len(head) - 2) + "c", f"Ranks across {sm['samples']:,} random weightings (seed {sm['seed']})")]


def _expected_rank(acceptability: list[float]) -> float:
    return sum(k * p for k, p in enumerate(acceptability))


def _tornado(r: Record) -> list:
    bars = r.sens["tornado"]
    if not bars:
        return []
    rng = r.sens["tornado_range"]
    base = bars[0]["base_margin"]
    down, up = f"× {fmt(1 - rng, 2)}", f"× {fmt(1 + rng, 2)}"
    svg = charts.tornado([(r.cname[b["criterion"]], b["low_margin"], b["high_margin"], b["leader_changes"]) for b in bars], base,
                         "Tornado: the preferred option's lead as each weight moves")
    changes = [b for b in bars if b["leader_changes"]]
    caption = (f"The preferred option's lead over the runner-up (in points of weighted average score) when one weight is multiplied by {fmt(1 - rng, 2)} (light) "
               f"or {fmt(1 + rng, 2)} (dark), the others unchanged; the dark vertical line is today's lead of {base:.3f}. "
               + (f"{len(changes)} of these moves change the leader (names in red)." if changes else "None of these moves changes the leader."))
    rows = tuple((r.cname[b["criterion"]], f"{b['low_margin']:.3f}", f"{b['high_margin']:.3f}", Cell("yes", "#f6c2bd") if b["leader_changes"] else "no") for b in bars)
    return [Figure(svg, caption, "The same figures as the table below."),
            Table(("Criterion", f"Lead with the weight {down}", f"Lead with the weight {up}", "Leader changes"), rows, "lrrc", cls="reasons")]


def sensitivity_section(r: Record) -> list:
    a = r.a
    blocks: list = [Para("Which changes to the weights or scores would make a different option the preferred one, and how large they would have to be "
                         "(switching values). Everything here is computed exactly, except the random weightings, which are seeded.")]
    blocks.append(Bullets(tuple(sentences(a, r.sens))))
    if r.sens["leader"] is None:
        return blocks
    switches = _weight_switches(r)
    blocks.append(Heading("Weights that could change the decision"))
    if switches:
        active = sum(c.id not in a.disabled for c in a.criteria)
        blocks += _weight_table(r, switches)
        blocks.append(Para(f"One weight changes at a time, the others as they are. The weights of the other {active - len(switches)} criteria in use can take "
                           "any value without changing the preferred option.", "note"))
        blocks += _one_way_figures(r, switches)
    else:
        blocks.append(Para("No single criterion's weight, whatever its value, changes the preferred option."))
    blocks += _group_weights(r)
    blocks.append(Heading("Scores that could change the decision"))
    blocks += _score_switches(r)
    blocks += _measure_switches(r)
    smaa = _smaa(r)
    if smaa:
        blocks += [Heading("Random weights (SMAA)"), *smaa]
    tornado = _tornado(r)
    if tornado:
        blocks += [Heading(f"Each weight {fmt(r.sens['tornado_range'] * 100)}% lower and higher (tornado)"), *tornado]
    return blocks


def robustness(r: Record) -> Text:
    """The summary's paragraph on how firm the preferred option is, in words."""
    a, s = r.a, r.sens
    said = sentences(a, s)
    if s["leader"] is None:
        return said[0]
    weight_lines = [x for x in said if "weight on" in x]
    out: list = ["How firm is this? "]
    out.append(weight_lines[0] if weight_lines else said[0])
    if len(weight_lines) > 1:
        others = len(weight_lines) - 1
        out.append(f" The weight{'s' if others > 1 else ''} of {others} other criteri{'a' if others > 1 else 'on'} could also change it, each by a larger move (section 5).")
    out.append(" " + said[-1])
    sm = s["smaa"]
    if sm:
        firsts = sorted(((acc[0], oid) for oid, acc in sm["rank_acceptability"].items()), reverse=True)
        shares = ", ".join(f"{r.name[oid]} in {_pct(v)}" for v, oid in firsts if v >= 0.005)
        out.append(f" Across {sm['samples']:,} random sets of weights (seed {sm['seed']}), the options came first as follows: {shares}.")
    po = s["potentially_optimal"]
    can = [r.name[o] for o, ok in po.items() if ok]
    cannot = [r.name[o] for o, ok in po.items() if not ok]
    if cannot:
        out.append(f" No set of weights at all puts {' or '.join(cannot)} first.")
    elif len(can) > 1:
        out.append(" Every option in the ranking comes first under some set of weights.")
    return tuple(out)


# --- 6. the group ------------------------------------------------------------------------------
def group_section(r: Record) -> list:
    g = r.group
    assert g is not None
    name, cname = r.name, r.cname
    blocks: list = [Bullets(tuple(g["sentences"]))]
    rows = tuple((str(k), name[oid], f"{g['group']['value'][oid]:.3f}") for k, oid in enumerate(g["group"]["ranking"], 1))
    blocks.append(Table(("#", "Option", "Group value (score scale)"), rows, "rlr",
                        f"The group's ranking ({g['aggregate']} of {g['participants_count']} participants' weight shares; scores: {g['score_aggregate']} of those who rescored)"))
    rows = tuple((p["name"], name.get(p["leader"], "a tie"), leader_without(g, p["name"], name)) for p in g["participants"])
    blocks.append(Table(("Participant", "Prefers", "The group's choice without them"), rows, cls="reasons", caption="Each participant"))
    if g["decisive_cells"] or g["decisive_criteria"]:
        drows = [(f"{name[d['option']]} on '{cname[d['criterion']]}'", f"{fmt(d['min'])} to {fmt(d['max'])}", d["low"] or "–", d["high"] or "–") for d in g["decisive_cells"]]
        drows += [(f"the weight of '{cname[d['criterion']]}'", f"{_pct(d['min_share'])} to {_pct(d['max_share'])} of the total", d["low"], d["high"]) for d in g["decisive_criteria"]]
        blocks.append(Table(("Disagreement", "Range in the room", "Lowest", "Highest"), tuple(drows), cls="reasons",
                            caption="Disagreements that could change the group's choice (moving the value anywhere within the room's range)"))
    sm = g.get("smaa")
    if sm:
        rows = tuple((name[oid], Cell(_pct(acc[0]), charts.heat(acc[0]))) for oid, acc in sorted(sm["rank_acceptability"].items(), key=lambda kv: -kv[1][0]))
        blocks.append(Table(("Option", "First place"), rows, "lr",
                            f"First place across {sm['samples']:,} weightings drawn from the room ({'the participants’ convex hull' if sm['weights'] == 'hull' else 'a Dirichlet fitted to them'}; seed {sm['seed']})"))
    return blocks
