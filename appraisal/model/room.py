"""A live room's state as plain values (who joined, who submitted, their weights and scores, whether it
is revealed), and the appraisal it makes: the submitted participants as the appraisal's participants,
so the group analysis works on a room exactly as on a file."""

from dataclasses import dataclass, field

from ..errors import AppraisalError, shorten
from .appraisal import Appraisal, Participant
from .build import check_participants


@dataclass(frozen=True)
class RoomParticipant:
    name: str
    joined_at: str  # ISO 8601, UTC
    updated_at: str
    submitted: bool
    weights: dict[str, float] = field(default_factory=dict)  # only what they set; the rest is the appraisal's
    scores: dict[str, float] = field(default_factory=dict)  # "option:criterion" -> score
    connected: bool = False  # their app is open now

    def as_participant(self) -> Participant:
        return Participant.model_construct(name=self.name, weights=dict(self.weights), scores=dict(self.scores))


@dataclass(frozen=True)
class RoomSnapshot:
    participants: tuple[RoomParticipant, ...] = ()
    revealed: bool = False
    revealed_at: str | None = None
    allow_rescoring: bool = False
    has_code: bool = False

    @property
    def submitted(self) -> tuple[RoomParticipant, ...]:
        return tuple(p for p in self.participants if p.submitted)

    def participant(self, name: str) -> RoomParticipant | None:
        return next((p for p in self.participants if p.name == name), None)


def room_appraisal(a: Appraisal, room: RoomSnapshot, *, only_submitted: bool = True) -> Appraisal:
    """The appraisal with the room's submitted participants after the file's own. Their entries are checked
    against this appraisal as file input is (the file may have changed since they were made)."""
    people = room.submitted if only_submitted else room.participants
    joined = tuple(p.as_participant() for p in people)
    file_names = {p.name for p in a.participants}
    for p in joined:
        if p.name in file_names:
            raise AppraisalError(f"'{shorten(p.name)}' is both in the file's participants and in the room", key=("participants",))
    try:
        check_participants(joined, list(a.option_index), list(a.criterion_index), a.scale, key="room",
                           measured=frozenset(c.id for c in a.criteria if c.measured))
    except AppraisalError as e:
        k = e.key[1] if len(e.key) > 1 and isinstance(e.key[1], int) else None
        who = f"{shorten(joined[k].name)}: " if k is not None else ""
        raise AppraisalError(who + e.message + " (the appraisal changed since it was entered?)", key=e.key[2:]) from None
    for p in joined:
        check_not_all_zero(a, p)
    return a.model_copy(update={"participants": (*a.participants, *joined)})


def check_not_all_zero(a: Appraisal, p: Participant) -> None:
    full = {**a.weights, **p.weights}
    if not any(full[c.id] > 0 for c in a.criteria if c.id not in a.disabled):
        raise AppraisalError(f"{shorten(p.name)}'s weights would all be zero on the criteria in use", key=("weights",))
