"""The live room's store: one SQLite file (WAL) shared by the facilitator's app and every participant's
process. It turns joins, weights, scores, submits and the reveal into rows, and rows back into a
`RoomSnapshot`.

Participants' weights and scores are kept with who, when and why (history kept; the latest entry is the
current value). Every write is one `BEGIN IMMEDIATE` transaction that checks the writer's seat (a secret
token handed out at join) and the value, as file input is checked, against the state it commits on; so
many processes can write at once and a process killed mid-write loses only its own uncommitted edit.
The schema is versioned (`PRAGMA user_version`) and migrated forward on open; a file that is not ours
(another program's database, a newer schema, damage) is one AppraisalError, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import random
import re
import secrets
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from pydantic import ValidationError

from ..errors import AppraisalError, shorten
from ..model import Appraisal
from ..model.appraisal import Participant
from ..model.build import check_participants
from ..model.room import RoomParticipant, RoomSnapshot, check_not_all_zero
from ..paths import bundled_appraisal
from ..visible import has_hidden
from .parse import describe_error

APPLICATION_ID = 0x41505052  # "APPR": marks the file as an appraisal room, so a foreign database is refused
BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another process's transaction before giving up
PRESENCE_S = 15.0  # a seat seen this recently is connected: its name cannot be taken up elsewhere
HEARTBEAT_S = 5.0  # how often a connected participant's app says it is still there
MAX_REASON = 2_000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from a slide

# MIGRATIONS[k] takes a database at version k to version k + 1: statements run in one transaction with
# the version bump. Never edit a released step; add one.
MIGRATIONS: list[list[str]] = [
    [  # 0 -> 1: the room
        """CREATE TABLE room (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            appraisal TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revealed INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
            revealed_at TEXT,
            allow_rescoring INTEGER NOT NULL DEFAULT 0 CHECK (allow_rescoring IN (0, 1)),
            code_hash TEXT
        )""",
        """CREATE TABLE participants (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            token_hash TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submitted INTEGER NOT NULL DEFAULT 0 CHECK (submitted IN (0, 1)),
            submitted_at TEXT
        )""",
        "CREATE UNIQUE INDEX participants_by_token ON participants (token_hash)",
        """CREATE TABLE weights (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            participant INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
            criterion TEXT NOT NULL,
            weight REAL,
            at TEXT NOT NULL,
            why TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX weights_by_participant ON weights (participant, criterion)",
        """CREATE TABLE scores (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            participant INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
            option TEXT NOT NULL,
            criterion TEXT NOT NULL,
            score REAL,
            at TEXT NOT NULL,
            why TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX scores_by_participant ON scores (participant, option, criterion)",
        "INSERT INTO room (id, appraisal, created_at) VALUES (1, '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    ],
    [  # 1 -> 2: presence, so a name cannot be taken up while its owner is still connected
        "ALTER TABLE participants ADD COLUMN seen_at TEXT",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)


# --- where the room lives -------------------------------------------------------------------------

def state_dir() -> Path:
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "appraisal" / "rooms"


def _is_bundled(path: Path) -> bool:
    real = path.resolve()
    package = Path(__file__).resolve().parent.parent
    return real == bundled_appraisal().resolve() or package in real.parents


def room_path(appraisal_path: Path) -> Path:
    """`FILE.room.sqlite` beside the appraisal; in the user's state folder when that folder is read-only or
    the file is the bundled one (never inside the installed package)."""
    appraisal_path = Path(appraisal_path)
    beside = appraisal_path.with_name(appraisal_path.name + ".room.sqlite")
    if not _is_bundled(appraisal_path) and os.access(appraisal_path.parent, os.W_OK):
        return beside
    tag = hashlib.sha256(str(appraisal_path.resolve()).encode()).hexdigest()[:12]
    return state_dir() / f"{tag}-{beside.name}"


# --- values ---------------------------------------------------------------------------------------

class SeatLost(AppraisalError):
    """The seat's token no longer opens anything: the room was reset, or the name was taken up elsewhere."""


@dataclass(frozen=True)
class Seat:
    """A participant's place in the room. The token is the secret every write of theirs carries."""

    name: str
    token: str

    def __repr__(self) -> str:  # never print the token into a log
        return f"Seat(name={self.name!r})"


@dataclass(frozen=True)
class Entry:
    """One line of a participant's history: a weight or a score as entered, when and why."""

    kind: str  # "weight" | "score"
    key: str  # criterion, or "option:criterion"
    value: float | None  # None: back to the appraisal's
    at: str
    why: str


def now(ago: float = 0.0) -> str:
    """UTC, to the millisecond, as stored ('2026-11-23T16:18:17.219Z'); such strings sort as times do."""
    when = datetime.now(timezone.utc) - timedelta(seconds=ago)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def name_key(name: str) -> str:
    """Names are unique in a room regardless of case and spacing: 'ann  lee' is 'Ann Lee' returning."""
    return " ".join(name.split()).casefold()


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


MAX_CODE = 64


def check_code(code: str) -> str:
    """A join code the room can use (before anything is created with it): 4 to 64 ASCII letters and digits,
    since it is printed, read aloud and typed from a slide; dashes and spaces may group them (case, dashes
    and spaces do not matter when it is typed)."""
    if not re.fullmatch(r"[A-Za-z0-9 -]*", code or ""):
        raise AppraisalError("a join code is ASCII letters and digits only (A-Z, 0-9; dashes or spaces may group them)",
                             key=("code",))
    if not 4 <= len(normalise_code(code)) <= MAX_CODE:
        raise AppraisalError(f"a join code needs at least 4 letters or digits, and at most {MAX_CODE}", key=("code",))
    return code


def _hash_code(code: str, salt: bytes) -> str:
    digest = hashlib.scrypt(normalise_code(code).encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _code_matches(code: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$")
        return hmac.compare_digest(_hash_code(code, bytes.fromhex(salt)), stored)
    except ValueError:
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_name(name: object) -> str:
    """A participant's name as a file's `[[participants]] name` is checked, and no control characters."""
    if not isinstance(name, str):
        raise AppraisalError(f"a name must be text, not {name!r}", key=("name",))
    try:
        name = Participant.model_validate({"name": name}).name
    except ValidationError as e:
        raise AppraisalError(describe_error(e.errors()[0]), key=("name",)) from None
    if has_hidden(name):  # nor characters that reorder or hide text (U+202E): a name looks like what it is
        raise AppraisalError("a name cannot contain control characters or invisible ones", key=("name",))
    return " ".join(name.split())


# --- the store ------------------------------------------------------------------------------------

class RoomStore:
    """One connection to a room's database, bound to the appraisal its entries are checked against.
    Participants write through their `Seat`; the facilitator (whoever can open the file) configures,
    reveals and resets."""

    def __init__(self, path: Path, appraisal: Appraisal, *, create: bool = True):
        self.path = Path(path)
        self.appraisal = appraisal
        self._last_at: str | None = None
        self.conn = self._connect(create)
        try:
            self._prepare()
        except BaseException:
            self.conn.close()
            raise

    # --- opening ----------------------------------------------------------------------------------
    def _connect(self, create: bool) -> sqlite3.Connection:
        name = str(self.path)
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if not create:
                raise AppraisalError("no room here yet", file=name) from None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise AppraisalError(f"cannot create the room's folder: {e.strerror or e}", file=name) from None
        except OSError as e:
            raise AppraisalError(f"cannot read: {e.strerror or e}", file=name) from None
        else:
            if not stat.S_ISREG(st.st_mode):  # a FIFO or device would hang or mislead sqlite
                raise AppraisalError("not a regular file", file=name)
        uri = f"file:{quote(str(self.path.absolute()))}?mode={'rwc' if create else 'rw'}"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")  # a committed entry survives a power cut, not only a crash
        except sqlite3.Error as e:
            raise self._error(e) from None
        return conn

    def _prepare(self) -> None:
        """Check, switch to WAL and migrate. Many processes opening a new room at once can find it busy in
        ways SQLite does not wait out (changing the journal mode, a first checkpoint): retry those."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._prepare_once()
                return
            except sqlite3.OperationalError as e:
                if not ("locked" in str(e) or "busy" in str(e)) or time.monotonic() > deadline:
                    raise self._error(e) from None
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                time.sleep(random.uniform(0.01, 0.05))

    def _prepare_once(self) -> None:
        c = self.conn
        try:
            c.execute("BEGIN")  # one snapshot for the three reads: another process may be creating the room right now
            try:
                version = self._check_ours()
            finally:
                c.execute("COMMIT")
            if c.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                if c.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                    raise AppraisalError("cannot use write-ahead logging here (a network folder?)", file=str(self.path))
            if version < SCHEMA_VERSION:
                self._migrate()
            problems = [r[0] for r in c.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise AppraisalError(f"the room database is damaged ({problems[0]})", file=str(self.path))
        except sqlite3.OperationalError:
            raise  # busy or locked: _prepare retries
        except sqlite3.Error as e:
            raise self._error(e) from None

    def _check_ours(self) -> int:
        """The schema version of an appraisal room (0 for an empty file); refuse anything else."""
        c = self.conn
        app_id = c.execute("PRAGMA application_id").fetchone()[0]
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            tables = c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id or version or tables:
                raise AppraisalError("not an appraisal room (another program's database)", file=str(self.path))
            return 0
        if version > SCHEMA_VERSION:
            raise AppraisalError(f"made by a newer appraisal (room schema {version}; this one reads up to {SCHEMA_VERSION})",
                                 file=str(self.path))
        return version

    def _migrate(self) -> None:
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            version = self._check_ours()  # again, under the lock: another process may have migrated it
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    c.execute(statement)
            if version == 0:
                c.execute("UPDATE room SET appraisal = ?", (self.appraisal.title,))
            c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:  # not after a COMMIT that an interrupt (Ctrl+C) cut short
                c.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "RoomStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions and errors ------------------------------------------------------------------
    def _error(self, e: sqlite3.Error) -> AppraisalError:
        text = str(e)
        if "locked" in text or "busy" in text:
            why = "the room is busy (other processes are writing to it); nothing was written, try again"
        elif "full" in text:
            why = "the disk is full; nothing was written"
        elif "readonly" in text or "read-only" in text:
            why = "the room is read-only here; nothing was written"
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            why = f"not an appraisal room, or a damaged one ({text})"
        elif "unable to open" in text:
            why = "cannot open the room's database (permissions?)"
        else:
            why = f"room database: {text}"
        return AppraisalError(why, file=str(self.path))

    def _before_commit(self) -> None:
        """Called inside every write transaction just before COMMIT (tests inject faults here)."""

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise self._error(e) from None
        try:
            yield c
            self._before_commit()
            c.execute("COMMIT")
        except BaseException as e:
            try:
                c.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(e, sqlite3.Error):
                raise self._error(e) from None
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent view of the room (a WAL read transaction)."""
        c = self.conn
        try:
            c.execute("BEGIN")
            try:
                yield c
            finally:
                c.execute("COMMIT")
        except sqlite3.Error as e:
            raise self._error(e) from None

    def _setting(self, c: sqlite3.Connection, column: str):
        rows = c.execute(f"SELECT {column} FROM room").fetchall()
        if len(rows) != 1:
            raise AppraisalError("the room database is damaged (its settings row is missing)", file=str(self.path))
        return rows[0][0]

    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap poll for 'has anything happened?'."""
        try:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as e:
            raise self._error(e) from None

    # --- participants -----------------------------------------------------------------------------
    def join(self, name: str, code: str | None = None) -> Seat:
        """Take a seat: a new name joins, a returning one (any case or spacing) resumes its own entries.
        Refused with a wrong or missing code when the room has one, and while the name is connected
        elsewhere (its app said so within PRESENCE_S)."""
        name = check_name(name)
        key = name_key(name)
        if any(name_key(p.name) == key for p in self.appraisal.participants):
            raise AppraisalError(f"'{name}' is already a participant in the appraisal file; choose another name", key=("name",))
        with self._read() as c:
            code_hash = self._setting(c, "code_hash")
        if code_hash is not None:  # scrypt is slow on purpose: check it outside the write lock
            if not code:
                raise AppraisalError("this room needs a join code", key=("code",))
            if not _code_matches(code, code_hash):
                raise AppraisalError("wrong join code", key=("code",))
        token = secrets.token_urlsafe(24)
        at = now()
        with self._write() as c:
            if self._setting(c, "code_hash") != code_hash:
                raise AppraisalError("the join code changed just now; ask for the new one", key=("code",))
            row = c.execute("SELECT id, name, seen_at FROM participants WHERE name_key = ?", (key,)).fetchone()
            if row is None:
                c.execute("INSERT INTO participants (name, name_key, token_hash, joined_at, updated_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                          (name, key, _token_hash(token), at, at, at))
            else:
                if row[2] is not None and row[2] > now(PRESENCE_S):
                    raise AppraisalError(f"'{row[1]}' is connected in another window; close it there, or choose another name",
                                         key=("name",))
                c.execute("UPDATE participants SET token_hash = ?, seen_at = ? WHERE id = ?", (_token_hash(token), at, row[0]))
                name = row[1]
        return Seat(name, token)

    def heartbeat(self, seat: Seat) -> None:
        """The participant's app is still there (every HEARTBEAT_S): their name stays theirs."""
        with self._write() as c:
            c.execute("UPDATE participants SET seen_at = ? WHERE id = ?", (now(), self._seat(c, seat)))

    def leave(self, seat: Seat) -> None:
        """The participant's app is closing: the name may be taken up again at once (entries stay)."""
        with self._write() as c:
            c.execute("UPDATE participants SET seen_at = NULL WHERE id = ?", (self._seat(c, seat),))

    def _seat(self, c: sqlite3.Connection, seat: Seat) -> int:
        row = c.execute("SELECT id, name FROM participants WHERE token_hash = ?", (_token_hash(seat.token),)).fetchone()
        if row is None or row[1] != seat.name:
            raise SeatLost(f"{seat.name} is no longer seated in this room (it was reset, or the name was taken up "
                           "in another window); join again")
        return row[0]

    def _current(self, c: sqlite3.Connection, pid: int) -> tuple[dict[str, float], dict[str, float]]:
        weights = {k: v for k, v, _ in c.execute(
            "SELECT criterion, weight, max(id) FROM weights WHERE participant = ? GROUP BY criterion", (pid,)) if v is not None}
        scores = {f"{o}:{k}": v for o, k, v, _ in c.execute(
            "SELECT option, criterion, score, max(id) FROM scores WHERE participant = ? GROUP BY option, criterion", (pid,)) if v is not None}
        return weights, scores

    def _check_entries(self, name: str, weights: dict, scores: dict) -> None:
        """The participant's entries after this write, checked exactly as `[[participants]]` in a file."""
        try:
            p = Participant.model_validate({"name": name, "weights": weights, "scores": scores})
        except ValidationError as e:
            err = e.errors()[0]
            raise AppraisalError(describe_error(err), key=tuple(err["loc"])) from None
        a = self.appraisal
        try:
            check_participants([p], list(a.option_index), list(a.criterion_index), a.scale,
                               measured=frozenset(c.id for c in a.criteria if c.measured))
        except AppraisalError as e:
            raise AppraisalError(e.message, key=e.key[2:]) from None
        check_not_all_zero(a, p)

    @staticmethod
    def _reason(why: str) -> str:
        if not isinstance(why, str):
            raise AppraisalError("a reason must be text", key=("why",))
        if len(why) > MAX_REASON:
            raise AppraisalError(f"a reason is at most {MAX_REASON} characters", key=("why",))
        return why.strip()

    def write(self, seat: Seat, weights: dict[str, float | None] | None = None, scores: dict[str, float | None] | None = None,
              why: str = "") -> None:
        """Set some of the seat's weights and scores (None: back to the appraisal's) in one transaction,
        checked together against what they already hold. Scores only when the facilitator allows rescoring."""
        weights, scores, why = dict(weights or {}), dict(scores or {}), self._reason(why)
        for kind, values in (("weights", weights), ("scores", scores)):
            for key, v in values.items():
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                    raise AppraisalError(f"{kind[:-1]} must be a number, not {v!r}", key=(kind, str(key)))
        if not weights and not scores:
            return
        with self._write() as c:
            pid = self._seat(c, seat)
            if scores and not self._setting(c, "allow_rescoring"):
                raise AppraisalError("the facilitator has not allowed rescoring in this room")
            held_weights, held_scores = self._current(c, pid)
            after_w = {k: v for k, v in {**held_weights, **weights}.items() if v is not None}
            after_s = {k: v for k, v in {**held_scores, **scores}.items() if v is not None}
            self._check_entries(seat.name, after_w, after_s)
            at = self._stamp()
            c.executemany("INSERT INTO weights (participant, criterion, weight, at, why) VALUES (?, ?, ?, ?, ?)",
                          [(pid, cid, None if w is None else float(w), at, why) for cid, w in weights.items()])
            cells = []
            for cell, v in scores.items():
                option, _, criterion = cell.partition(":")
                cells.append((pid, option, criterion, None if v is None else float(v), at, why))
            c.executemany("INSERT INTO scores (participant, option, criterion, score, at, why) VALUES (?, ?, ?, ?, ?, ?)", cells)
            c.execute("UPDATE participants SET updated_at = ?, submitted = 0 WHERE id = ?", (at, pid))

    def _stamp(self) -> str:
        """Now, but always after this connection's last write: one write, one time (`explain` finds it by it)."""
        at = now()
        if self._last_at is not None and at <= self._last_at:
            last = datetime.fromisoformat(self._last_at.replace("Z", "+00:00"))
            at = (last + timedelta(milliseconds=1)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self._last_at = at
        return at

    def explain(self, seat: Seat, why: str) -> None:
        """Give the reason for the seat's last write (asked after the edit, as in the workshop app)."""
        why = self._reason(why)
        with self._write() as c:
            pid = self._seat(c, seat)
            last = c.execute("SELECT max(at) FROM (SELECT at FROM weights WHERE participant = :p UNION ALL "
                             "SELECT at FROM scores WHERE participant = :p)", {"p": pid}).fetchone()[0]
            for table in ("weights", "scores"):
                c.execute(f"UPDATE {table} SET why = ? WHERE participant = ? AND at = ?", (why, pid, last))

    def set_weights(self, seat: Seat, weights: dict[str, float | None], why: str = "") -> None:
        self.write(seat, weights=weights, why=why)

    def set_weight(self, seat: Seat, criterion: str, weight: float | None, why: str = "") -> None:
        self.write(seat, weights={criterion: weight}, why=why)

    def set_score(self, seat: Seat, option: str, criterion: str, score: float | None, why: str = "") -> None:
        self.write(seat, scores={f"{option}:{criterion}": score}, why=why)

    def entries(self, seat: Seat) -> tuple[dict[str, float], dict[str, float]]:
        """The seat's own current weights and scores (what they set; the rest is the appraisal's)."""
        with self._read() as c:
            weights, scores = self._current(c, self._seat(c, seat))
        try:  # checked as they are read back: the file may have been written by another hand
            self._check_entries(seat.name, weights, scores)
        except AppraisalError as e:
            raise AppraisalError(e.message, key=("participants", shorten(seat.name), *e.key), file=str(self.path)) from None
        return weights, scores

    def submit(self, seat: Seat, submitted: bool = True) -> None:
        """Mark the seat's entries as their answer (any later edit un-submits them until they submit again)."""
        with self._write() as c:
            pid = self._seat(c, seat)
            at = now()
            c.execute("UPDATE participants SET submitted = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
                      (int(submitted), at if submitted else None, at, pid))

    def history(self, name: str) -> list[Entry]:
        """Everything one participant entered, oldest first."""
        with self._read() as c:
            row = c.execute("SELECT id FROM participants WHERE name_key = ?", (name_key(name),)).fetchone()
            if row is None:
                raise AppraisalError(f"no participant '{name}' in this room")
            rows = c.execute(
                "SELECT 'weight', criterion, weight, at, why, id, 0 FROM weights WHERE participant = :p "
                "UNION ALL SELECT 'score', option || ':' || criterion, score, at, why, id, 1 FROM scores WHERE participant = :p "
                "ORDER BY at, 7, 6", {"p": row[0]}).fetchall()
        return [Entry(k, key, v, at, why) for k, key, v, at, why, _, _ in rows]

    # --- the facilitator --------------------------------------------------------------------------
    def reveal(self, revealed: bool = True) -> None:
        with self._write() as c:
            c.execute("UPDATE room SET revealed = ?, revealed_at = ?", (int(revealed), now() if revealed else None))

    def configure(self, *, allow_rescoring: bool | None = None, code: str | None = None, clear_code: bool = False) -> None:
        """Room settings. A new code applies to joins from now on; seated participants keep their seats."""
        code_hash = None
        if code is not None:
            check_code(code)
            code_hash = _hash_code(code, secrets.token_bytes(16))
        with self._write() as c:
            if allow_rescoring is not None:
                c.execute("UPDATE room SET allow_rescoring = ?", (int(allow_rescoring),))
            if code_hash is not None or clear_code:
                c.execute("UPDATE room SET code_hash = ?", (code_hash,))

    def reset(self) -> int:
        """Clear the room: every participant and entry, and the reveal (settings stay). Returns how many left."""
        with self._write() as c:
            count = c.execute("SELECT count(*) FROM participants").fetchone()[0]
            c.execute("DELETE FROM weights")
            c.execute("DELETE FROM scores")
            c.execute("DELETE FROM participants")
            c.execute("UPDATE room SET revealed = 0, revealed_at = NULL")
        return count

    # --- reading ----------------------------------------------------------------------------------
    def snapshot(self) -> RoomSnapshot:
        """The room now, every value read back checked as a file's `[[participants]]` are (another program,
        or a hand, can write anything into the file): one AppraisalError naming the room and the participant."""
        with self._read() as c:
            room_row = c.execute("SELECT revealed, revealed_at, allow_rescoring, code_hash FROM room").fetchall()
            people = c.execute("SELECT id, name, joined_at, updated_at, submitted, seen_at FROM participants ORDER BY id").fetchall()
            weights: dict[int, dict] = {}
            for pid, cid, w, _ in c.execute("SELECT participant, criterion, weight, max(id) FROM weights GROUP BY participant, criterion"):
                if w is not None:
                    weights.setdefault(pid, {})[cid] = w
            scores: dict[int, dict] = {}
            for pid, oid, cid, s, _ in c.execute(
                    "SELECT participant, option, criterion, score, max(id) FROM scores GROUP BY participant, option, criterion"):
                if s is not None:
                    scores.setdefault(pid, {})[(oid, cid)] = s
        if len(room_row) != 1:
            raise AppraisalError("the room database is damaged (its settings row is missing)", file=str(self.path))
        revealed, revealed_at, rescoring, code_hash = room_row[0]
        a = self.appraisal
        corder = {c.id: j for j, c in enumerate(a.criteria)}
        recent = now(PRESENCE_S)
        checked: list[RoomParticipant] = []
        try:
            revealed, rescoring = _flag(revealed, ("room", "revealed")), _flag(rescoring, ("room", "allow_rescoring"))
            revealed_at = _time(revealed_at, ("room", "revealed_at"), optional=True)
            if code_hash is not None and not isinstance(code_hash, str):
                raise AppraisalError("not a stored join code", key=("room", "code_hash"))
            for k, (pid, name, joined, updated, sub, seen) in enumerate(people):
                checked.append(self._checked_participant(k, name, joined, updated, sub, seen, weights.get(pid, {}),
                                                         scores.get(pid, {}), corder, recent))
        except AppraisalError as e:
            raise AppraisalError(e.message, key=e.key, file=str(self.path)) from None
        try:
            check_participants([p.as_participant() for p in checked], list(a.option_index), list(a.criterion_index), a.scale,
                               key="participants", measured=frozenset(c.id for c in a.criteria if c.measured))
        except AppraisalError as e:  # ('participants', k, ...): name them
            key = ("participants", shorten(checked[e.key[1]].name), *e.key[2:]) if len(e.key) > 1 else e.key
            stale = e.message.startswith("unknown") or "of this appraisal" in e.message or "natural units" in e.message
            raise AppraisalError(e.message + (" (the appraisal changed since it was entered?)" if stale else ""), key=key,
                                 file=str(self.path)) from None
        return RoomSnapshot(participants=tuple(checked), revealed=revealed, revealed_at=revealed_at,
                            allow_rescoring=rescoring, has_code=code_hash is not None)

    def _checked_participant(self, k: int, name, joined, updated, sub, seen, weights: dict, scores: dict,
                             corder: dict, recent: str) -> RoomParticipant:
        where: tuple = ("participants", k)
        try:
            shown = check_name(name)
        except AppraisalError as e:
            said = shorten(name) if isinstance(name, str) else repr(name)
            raise AppraisalError(f"{e.message} ({said!r})", key=(*where, "name")) from None
        if shown != name:
            raise AppraisalError(f"a name is stored with its spaces tidied ({shorten(name)!r})", key=(*where, "name"))
        where = ("participants", shorten(name))
        for cid in weights:
            if not isinstance(cid, str):
                raise AppraisalError(f"a criterion must be text, not {cid!r}", key=(*where, "weights"))
        for oid, cid in scores:
            if not isinstance(oid, str) or not isinstance(cid, str):
                raise AppraisalError(f"a cell must be text, not {oid!r}:{cid!r}", key=(*where, "scores"))
        try:
            p = Participant.model_validate({"name": name, "weights": weights,
                                            "scores": {f"{o}:{c}": v for (o, c), v in scores.items()}})
        except ValidationError as e:
            err = e.errors()[0]
            raise AppraisalError(describe_error(err), key=(*where, *map(str, err["loc"]))) from None
        seen = _time(seen, (*where, "seen_at"), optional=True)
        return RoomParticipant(
            name, _time(joined, (*where, "joined_at")), _time(updated, (*where, "updated_at")), _flag(sub, (*where, "submitted")),
            dict(sorted(p.weights.items(), key=lambda kv: corder.get(kv[0], math.inf))), dict(sorted(p.scores.items())),
            connected=seen is not None and seen > recent)


_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")


def _time(value, key: tuple, *, optional: bool = False) -> str | None:
    """A time as the store writes it ('2026-11-23T16:18:17.219Z'), checked: it is shown and compared."""
    if value is None and optional:
        return None
    if isinstance(value, str) and _STORED_TIME.fullmatch(value):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    raise AppraisalError(f"not a time as the room stores one ({shorten(repr(value))})", key=key)


def _flag(value, key: tuple) -> bool:
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    raise AppraisalError(f"not 0 or 1 ({shorten(repr(value))})", key=key)


def read_room(appraisal_path: Path, appraisal: Appraisal) -> tuple[Path, RoomSnapshot]:
    """The room of an appraisal file as it is now; an empty room when there is none yet (nothing is created)."""
    path = room_path(appraisal_path)
    if not path.exists() and not path.is_symlink():
        return path, RoomSnapshot()
    with RoomStore(path, appraisal, create=False) as store:
        return path, store.snapshot()
