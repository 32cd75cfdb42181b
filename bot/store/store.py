"""Questions, answers (as article offsets), declines and feedback, for the moderators' /stats; and each guild's
own settings (/config): where the bot answers, whether in a thread, how it declines.

In SQLite (DATABASE_PATH, the default) or PostgreSQL (DATABASE_URL, shared by several bot processes): the same
SQL and behaviour on both (bot.store.databases). The schema has a version; bot.store.migrations brings any older
database up to it at open, each step in its own transaction; one from newer code is refused, never downgraded.
Calls are short and synchronous; the cogs run them with asyncio.to_thread.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from index.text.display import valid_text
from index.models import Answer

from .databases import Database, StoreError, open_database

DECLINES = ("public", "private", "silent")  # how a decline is sent: to all, to the asker only, not at all for mentions
# Rows changed this long before the last reload are read again at the next: another process's change whose
# transaction began (and took its time) before ours is not missed.
RELOAD_OVERLAP_S = 60.0

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


class Store:
    def __init__(self, target: Path | str | Database):
        """`target`: a file path (SQLite), a postgresql:// URL, or an opened Database."""
        self.db = target if hasattr(target, "dialect") else open_database(target)
        self.path = self.db.label  # what messages name: the path, or the URL without its password
        self._lock = threading.Lock()
        # a small table read on every message: kept in memory, written through, and read again by reload()
        # (another process sharing the database may change it)
        self._guilds: dict[int, GuildSettings] = {}
        self._seen_until = 0.0
        self.reload()

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

    def reload(self) -> int:
        """Read the guild settings changed since the last reload (by any process); returns how many rows."""
        with self._lock:
            since = self._seen_until - RELOAD_OVERLAP_S
            now = float(self.db.execute(f"SELECT {self.db.now_sql}").fetchone()[0])  # the database's clock, as writers'
            rows = self.db.execute("SELECT guild_id, channel_ids, answer_in_thread, declines FROM guild_settings"
                                   " WHERE updated_at >= ?", (since,)).fetchall()
            for gid, ch, th, dec in rows:
                self._guilds[int(gid)] = self._row(ch, th, dec)
            self._seen_until = now
            return len(rows)

    def guild_settings(self, guild_id: int) -> GuildSettings:
        """The guild's own settings (from memory: cheap enough for the event loop)."""
        return self._guilds.get(guild_id, GuildSettings())

    def set_guild_settings(self, guild_id: int, *, channel_ids=_UNSET, answer_in_thread=_UNSET, declines=_UNSET,
                           by: int | None = None) -> GuildSettings:
        """Change some of a guild's settings; None returns that setting to the global default."""
        if declines is not _UNSET and declines is not None and declines not in DECLINES:
            raise ValueError(f"declines must be one of {', '.join(DECLINES)}")
        changed: dict[str, object] = {}  # the columns this change sets: only these are written over another's
        if channel_ids is not _UNSET:
            changed["channel_ids"] = None if channel_ids is None else json.dumps(list(dict.fromkeys(int(c) for c in channel_ids)))
        if answer_in_thread is not _UNSET:
            changed["answer_in_thread"] = None if answer_in_thread is None else int(bool(answer_in_thread))
        if declines is not _UNSET:
            changed["declines"] = declines
        changed["updated_by"] = by
        with self._lock:
            old = self._guilds.get(guild_id, GuildSettings())
            row = {"channel_ids": None if old.channel_ids is None else json.dumps(list(old.channel_ids)),
                   "answer_in_thread": None if old.answer_in_thread is None else int(old.answer_in_thread),
                   "declines": old.declines, **changed}
            names = list(row)
            # another process may have changed the other columns since this one read them: an existing row keeps
            # them (a new row has none to keep); the row as stored is then read back
            self.db.execute(
                f"INSERT INTO guild_settings (guild_id, {', '.join(names)}, updated_at) VALUES ({', '.join('?' * (len(names) + 1))},"
                f" {self.db.now_sql}) ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{n} = excluded.{n}" for n in [*changed, "updated_at"]),
                (guild_id, *row.values()))
            ch, th, dec = self.db.execute("SELECT channel_ids, answer_in_thread, declines FROM guild_settings"
                                          " WHERE guild_id = ?", (guild_id,)).fetchone()
            new = self._guilds[guild_id] = self._row(ch, th, dec)
            return new

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def record(self, answer: Answer, *, via: str, user_id: int | None = None, guild_id: int | None = None,
               channel_id: int | None = None) -> int:
        """Store one question and what became of it; returns its id (used by the feedback buttons)."""
        span = answer.answer if answer.answered else None
        question, reason = _storable(answer.question), _storable(answer.reason) if answer.reason else None
        row = (time.time(), guild_id, channel_id, user_id, via, question, normalize(question),
               int(answer.answered), answer.confidence, span.article if span else None, span.start if span else None,
               span.end if span else None, span.paragraph if span else None, reason)
        with self._lock:
            return self.db.insert(
                'INSERT INTO questions (asked_at, guild_id, channel_id, user_id, via, question, normalized, answered,'
                ' confidence, article, start, "end", paragraph, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', row)

    def vote(self, question_id: int, user_id: int, up: bool) -> bool:
        """Record the asker's vote (a later vote replaces theirs). Votes by anyone else are refused: False."""
        with self._lock:
            row = self.db.execute("SELECT user_id FROM questions WHERE id = ?", (question_id,)).fetchone()
            if row is None or row[0] != user_id:
                return False
            self.db.execute(
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
                with self.db.transaction():
                    self.db.execute("DELETE FROM feedback WHERE question_id IN"
                                    " (SELECT id FROM questions WHERE asked_at < ?)", (cutoff,))
                    removed = self.db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
                    # who last changed a server's /config is a user id too: forgotten past the same age
                    self.db.execute("UPDATE guild_settings SET updated_by = NULL WHERE updated_at < ?", (cutoff,))
            except StoreError as exc:
                raise StoreError(f"cannot purge the database {self.path}: {exc.reason}", exc.reason) from None
        return int(removed)

    def stats(self, guild_id: int | None = None, top: int = 5) -> Stats:
        where, args = ("WHERE guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())
        with self._lock:
            asked, declined = self.db.execute(
                f"SELECT COUNT(*), COALESCE(SUM(1 - answered), 0) FROM questions {where}", args).fetchone()
            up, down = self.db.execute(
                "SELECT COALESCE(SUM(CASE WHEN vote > 0 THEN 1 ELSE 0 END), 0),"
                " COALESCE(SUM(CASE WHEN vote < 0 THEN 1 ELSE 0 END), 0) FROM feedback f"
                f" JOIN questions q ON q.id = f.question_id {where.replace('guild_id', 'q.guild_id')}", args).fetchone()
            cond = f"{where} AND answered = 0" if where else "WHERE answered = 0"
            rows = self.db.execute(
                f"SELECT MIN(question), COUNT(*) AS n FROM questions {cond} GROUP BY normalized"
                " ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?", (*args, top)).fetchall()
        return Stats(asked=int(asked), declined=int(declined), up=int(up), down=int(down),
                     unanswered=[(q, int(n)) for q, n in rows])


def _storable(text: str) -> str:
    """Text both databases can keep. A question may hold lone surrogates (Discord's JSON allows "\\ud800"), which
    neither can encode, or NUL, which PostgreSQL refuses: kept with U+FFFD, recorded like any other question."""
    return valid_text(text).replace("\x00", "\ufffd")
