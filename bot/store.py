"""Questions, answers (as article offsets), declines and feedback in SQLite, for the moderators' /stats;
and each guild's own settings (/config): where the bot answers, whether in a thread, how it declines.

The schema has a version (PRAGMA user_version); MIGRATIONS bring any older database up to it at open,
each step in its own transaction. A database from a newer version of the code is refused, never downgraded.
Standard library only. Calls are short and synchronous; the cogs run them with asyncio.to_thread.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.text.display import valid_text
from index.models import Answer

# Version 1: the schema before versions existed (user_version 0), as created by CREATE ... IF NOT EXISTS:
# run on such a database, it only adds what is missing (older ones lack guild_settings) and keeps every row.
SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at    REAL NOT NULL,
    guild_id    INTEGER,
    channel_id  INTEGER,
    user_id     INTEGER,
    via         TEXT NOT NULL,           -- slash, mention, context, terminal
    question    TEXT NOT NULL,
    normalized  TEXT NOT NULL,
    answered    INTEGER NOT NULL,
    confidence  REAL NOT NULL,
    article     TEXT,                    -- the answer as offsets into the article, never a copy
    start       INTEGER,
    "end"       INTEGER,
    paragraph   INTEGER,
    reason      TEXT
);
CREATE INDEX IF NOT EXISTS questions_guild ON questions (guild_id, answered);
CREATE TABLE IF NOT EXISTS feedback (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    user_id     INTEGER NOT NULL,
    vote        INTEGER NOT NULL,        -- +1 or -1
    voted_at    REAL NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
CREATE TABLE IF NOT EXISTS guild_settings (
    guild_id         INTEGER PRIMARY KEY,
    channel_ids      TEXT,               -- JSON list of channel ids; NULL = the global ALLOWED_CHANNEL_IDS
    answer_in_thread INTEGER,            -- 0 or 1; NULL = the global ANSWER_IN_THREAD
    updated_at       REAL NOT NULL,
    updated_by       INTEGER
);
"""

Migration = str | Callable[[sqlite3.Connection], None]

# (version, SQL script or function), in order; a step runs once, in a transaction that also sets user_version.
# Append new steps; never edit one that has shipped.
MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, SCHEMA),
    (2, "ALTER TABLE guild_settings ADD COLUMN declines TEXT;  -- public, private, silent; NULL = DECLINES"),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

DECLINES = ("public", "private", "silent")  # how a decline is sent: to all, to the asker only, not at all for mentions

_PUNCT = re.compile(r"[^\w\s]+")


def normalize(question: str) -> str:
    return " ".join(_PUNCT.sub(" ", question.casefold()).split())


@dataclass
class Stats:
    asked: int = 0
    declined: int = 0
    up: int = 0
    down: int = 0
    unanswered: list[tuple[str, int]] = field(default_factory=list)  # (question, times asked)


@dataclass(frozen=True)
class GuildSettings:
    """A guild's own settings; None = not set, the global default applies."""

    channel_ids: tuple[int, ...] | None = None  # () = every channel
    answer_in_thread: bool | None = None
    declines: str | None = None  # one of DECLINES


_UNSET = object()


class StoreError(Exception):
    """The database cannot be opened or written; str() is one line naming the path and why."""


def _why(exc: BaseException) -> str:
    """The reason in a database error, in words an operator can act on."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a part of its folder path is a file, not a folder"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)  # sqlite: "unable to open database file", "attempt to write a readonly database", ...


def _statements(script: str):
    """The statements of an SQL script, one at a time (executescript would commit the step's transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") for ln in buf.splitlines() if ln.strip()):
        raise ValueError("a migration ends with an incomplete SQL statement")


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _migrate(db: sqlite3.Connection, path: str) -> None:
    """Bring the database up to SCHEMA_VERSION, one step per transaction; refuse one from newer code."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise StoreError(f"cannot use the database {path}: it has schema version {found}, made by a newer version of "
                         f"the bot (this one knows up to {SCHEMA_VERSION}); upgrade the bot or use another DATABASE_PATH")
    for version, step in MIGRATIONS:
        if version <= found:
            continue
        db.execute("BEGIN IMMEDIATE")  # the write lock first: another process may be migrating the same file
        try:
            found = schema_version(db)
            if found < version:
                if callable(step):
                    step(db)
                else:
                    for statement in _statements(step):
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {int(version)}")
                found = version
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot use the database {path}: migrating it to schema version {version} "
                                 f"failed: {_why(exc)}") from None
            raise


class Store:
    def __init__(self, path: Path | str):
        self.path = str(path)
        try:
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot use the database {self.path}: {_why(exc)}") from None
        self._lock = threading.Lock()
        with self._lock:
            # a small table read on every message: kept in memory, written through
            self._guilds = {gid: self._row(ch, th, dec) for gid, ch, th, dec in self._db.execute(
                "SELECT guild_id, channel_ids, answer_in_thread, declines FROM guild_settings")}

    @staticmethod
    def _open(path: str) -> sqlite3.Connection:
        """Connect, create the tables and prove the file writable now: a database that cannot be
        written would otherwise fail at the first question, long after the bot said it was ready."""
        if path != ":memory:":
            if Path(path).is_dir():
                raise StoreError(f"cannot use the database {path}: it is a folder (name a file in it)")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA secure_delete = ON")  # purged rows (user ids) are overwritten, not left in free pages
            _migrate(db, path)
            db.execute("BEGIN IMMEDIATE")  # takes the write lock: fails at once on a read-only file
            db.execute("ROLLBACK")
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _row(channels: str | None, thread: int | None, declines: str | None = None) -> GuildSettings:
        ids = None
        if channels is not None:
            try:
                ids = tuple(int(c) for c in json.loads(channels))
            except (ValueError, TypeError):  # a damaged value falls back to the default
                ids = None
        return GuildSettings(channel_ids=ids, answer_in_thread=None if thread is None else bool(thread),
                             declines=declines if declines in DECLINES else None)

    def guild_settings(self, guild_id: int) -> GuildSettings:
        """The guild's own settings (from memory: cheap enough for the event loop)."""
        return self._guilds.get(guild_id, GuildSettings())

    def set_guild_settings(self, guild_id: int, *, channel_ids=_UNSET, answer_in_thread=_UNSET, declines=_UNSET,
                           by: int | None = None) -> GuildSettings:
        """Change some of a guild's settings; None returns that setting to the global default."""
        if declines is not _UNSET and declines is not None and declines not in DECLINES:
            raise ValueError(f"declines must be one of {', '.join(DECLINES)}")
        with self._lock:
            old = self._guilds.get(guild_id, GuildSettings())
            ids = old.channel_ids if channel_ids is _UNSET else (
                None if channel_ids is None else tuple(dict.fromkeys(int(c) for c in channel_ids)))
            thread = old.answer_in_thread if answer_in_thread is _UNSET else (
                None if answer_in_thread is None else bool(answer_in_thread))
            dec = old.declines if declines is _UNSET else declines
            new = GuildSettings(channel_ids=ids, answer_in_thread=thread, declines=dec)
            self._db.execute(
                "INSERT INTO guild_settings (guild_id, channel_ids, answer_in_thread, declines, updated_at, updated_by)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT (guild_id) DO UPDATE SET channel_ids = excluded.channel_ids,"
                " answer_in_thread = excluded.answer_in_thread, declines = excluded.declines,"
                " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (guild_id, None if ids is None else json.dumps(list(ids)), None if thread is None else int(thread),
                 dec, time.time(), by))
            self._guilds[guild_id] = new
            return new

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, answer: Answer, *, via: str, user_id: int | None = None, guild_id: int | None = None,
               channel_id: int | None = None) -> int:
        """Store one question and what became of it; returns its id (used by the feedback buttons)."""
        span = answer.answer if answer.answered else None
        # A question may hold lone surrogates (Discord's JSON allows "\\ud800"), which sqlite cannot
        # encode: stored with U+FFFD, so the question is recorded like any other.
        question, reason = valid_text(answer.question), valid_text(answer.reason) if answer.reason else None
        row = (time.time(), guild_id, channel_id, user_id, via, question, normalize(question),
               int(answer.answered), answer.confidence, span.article if span else None, span.start if span else None,
               span.end if span else None, span.paragraph if span else None, reason)
        with self._lock:
            cur = self._db.execute(
                'INSERT INTO questions (asked_at, guild_id, channel_id, user_id, via, question, normalized, answered,'
                ' confidence, article, start, "end", paragraph, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', row)
            return int(cur.lastrowid)

    def vote(self, question_id: int, user_id: int, up: bool) -> bool:
        """Record the asker's vote (a later vote replaces theirs). Votes by anyone else are refused: False."""
        with self._lock:
            row = self._db.execute("SELECT user_id FROM questions WHERE id = ?", (question_id,)).fetchone()
            if row is None or row[0] != user_id:
                return False
            self._db.execute(
                "INSERT INTO feedback (question_id, user_id, vote, voted_at) VALUES (?,?,?,?)"
                " ON CONFLICT (question_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (question_id, user_id, 1 if up else -1, time.time()))
            return True

    def purge(self, older_than_seconds: float, now: float | None = None) -> int:
        """Delete the questions asked before `now - older_than_seconds`, with their feedback (who voted): for
        retention (RETENTION_DAYS, `python -m bot purge`). Returns how many questions were deleted."""
        if not older_than_seconds >= 0:
            raise ValueError("older_than_seconds must be 0 or more")
        cutoff = (time.time() if now is None else now) - older_than_seconds
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute("DELETE FROM feedback WHERE question_id IN"
                                     " (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,))
                    removed = self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
                    # who last changed a server's /config is a user id too: forgotten past the same age
                    self._db.execute("UPDATE guild_settings SET updated_by = NULL WHERE updated_at < ?", (cutoff,))
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"cannot purge the database {self.path}: {_why(exc)}") from None
        return int(removed)

    def stats(self, guild_id: int | None = None, top: int = 5) -> Stats:
        where, args = ("WHERE guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())
        with self._lock:
            asked, declined = self._db.execute(
                f"SELECT COUNT(*), COALESCE(SUM(1 - answered), 0) FROM questions {where}", args).fetchone()
            up, down = self._db.execute(
                "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback f"
                f" JOIN questions q ON q.id = f.question_id {where.replace('guild_id', 'q.guild_id')}", args).fetchone()
            cond = f"{where} AND answered = 0" if where else "WHERE answered = 0"
            rows = self._db.execute(
                f"SELECT MIN(question), COUNT(*) AS n FROM questions {cond} GROUP BY normalized"
                " ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?", (*args, top)).fetchall()
        return Stats(asked=asked, declined=declined, up=up, down=down, unanswered=[(q, n) for q, n in rows])
