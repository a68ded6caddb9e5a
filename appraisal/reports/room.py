"""A live room -> the JSON of `appraisal room` and its tables: who joined and submitted with what, whether it
is revealed, and, over the submitted participants, the same group result `appraisal group` gives."""

from __future__ import annotations

from typing import Any

from ..model import Appraisal
from ..model.room import RoomSnapshot, room_appraisal
from .group import group_report, render_group
from .safe_text import term, visible

GROUP_KEYS = ("aggregate", "score_aggregate", "participants_count", "group", "decisive_criteria", "decisive_cells",
              "leave_one_out", "sentences")


def room_report(a: Appraisal, room: RoomSnapshot) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": a.title,
        "revealed": room.revealed,
        "revealed_at": room.revealed_at,
        "allow_rescoring": room.allow_rescoring,
        "code_required": room.has_code,
        "participants": [
            {"name": p.name, "joined_at": p.joined_at, "submitted": p.submitted, "weights": dict(p.weights),
             "scores": dict(p.scores), "updated_at": p.updated_at, "connected": p.connected}
            for p in room.participants
        ],
        "submitted_count": len(room.submitted),
    }
    together = room_appraisal(a, room)
    if together.participants:
        result = group_report(together, samples=0)
        data.update({k: result[k] for k in GROUP_KEYS})
        data["preferences"] = result["participants"]  # each submitted participant's leader and ranking
    else:
        data.update({"group": None, "decisive_criteria": [], "decisive_cells": [], "leave_one_out": {}, "sentences": [],
                     "preferences": []})
    return data


def render_room(a: Appraisal, data: dict[str, Any]):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    state = "revealed to everyone" if data["revealed"] else "not revealed: participants see only their own entries"
    parts: list[Any] = [term(f"{a.title}: the room ({state})", style="bold")]
    t = Table(title=f"Participants: {len(data['participants'])} joined, {data['submitted_count']} submitted", title_justify="left",
              header_style="bold")
    for h in ("Participant", "Submitted", "Weights", "Scores", "Joined", "Changed", "Connected"):
        t.add_column(h)
    for p in data["participants"]:
        t.add_row(term(p["name"]), "yes" if p["submitted"] else "no", str(len(p["weights"])), str(len(p["scores"])),
                  _hm(p["joined_at"]), _hm(p["updated_at"]), "yes" if p["connected"] else "")
    parts.append(t)
    if data["group"] is None:
        parts.append(Text("Nobody has submitted yet: no group result."))
    else:
        parts.append(render_group(a, {**data, "participants": data["preferences"], "smaa": None}))
    return Group(*parts)


def _hm(at: str) -> str:
    """A stored UTC time as the reader's local clock: '14:05:09' today, '3 Nov 14:05' before."""
    from datetime import datetime

    if not at:
        return ""
    try:  # the store checks every time it reads; a snapshot made otherwise shows what it holds
        when = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return visible(at)
    return when.strftime("%H:%M:%S") if when.date() == datetime.now().astimezone().date() else when.strftime("%-d %b %H:%M")
