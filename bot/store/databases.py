"""The two databases the store runs on, behind one small interface: SQLite (a file, the default) and PostgreSQL
(DATABASE_URL, for several bot processes). SQL is written once with `?` placeholders; each database runs it,
turns its driver's errors into StoreError (one line naming the database and why, never a password) and
migrates its schema at open (bot.store.migrations).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterator, Protocol, Sequence
from urllib.parse import unquote, urlsplit

from . import migrations


class StoreError(Exception):
    """The database cannot be opened or written; str() is one line naming it and why (`reason`: the why alone)."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


def _failed(label: str, exc: BaseException) -> StoreError:
    why = _why(exc)
    return StoreError(f"cannot use the database {label}: {why}", why)


class Database(Protocol):
    label: str  # the path, or the URL without its password: safe in a message
    dialect: str
    now_sql: str  # the database's clock as Unix seconds: one clock for every process that writes

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any: ...  # a cursor: fetchone, fetchall, rowcount

    def insert(self, sql: str, args: Sequence[Any]) -> int: ...  # an INSERT's new id

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...  # a write transaction

    def close(self) -> None: ...


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def open_database(target: str | Path) -> Database:
    """A file path (SQLite) or a postgresql:// URL, opened, migrated and proved writable."""
    if isinstance(target, str) and is_postgres_url(target):
        return PostgresDatabase(target)
    return SqliteDatabase(str(target))


def _why(exc: BaseException) -> str:
    """The reason in a database error, in words an operator can act on."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a part of its folder path is a file, not a folder"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = " ".join(str(exc).split())  # drivers' messages may span lines
    return text or type(exc).__name__


def migrate(db: Database, steps: Sequence[tuple[int, migrations.Migration]], version: "_Versions", run_script,
            driver_error: type[BaseException]) -> None:
    """Bring the database up to the last step's version, one step per transaction; refuse one from newer code."""
    newest = steps[-1][0]
    found = version.get()
    if found > newest:
        raise StoreError(f"cannot use the database {db.label}: it has schema version {found}, made by a newer version "
                         f"of the bot (this one knows up to {newest}); upgrade the bot or use another database")
    for number, step in steps:
        if number <= found:
            continue
        try:
            with db.transaction():
                version.lock()  # another process may be migrating the same database
                found = version.get()
                if found < number:
                    step(version.connection) if callable(step) else run_script(step)
                    version.set(number)
                    found = number
        except (StoreError, driver_error) as exc:
            why = exc.reason if isinstance(exc, StoreError) else _why(exc)
            raise StoreError(f"cannot use the database {db.label}: migrating it to schema version {number} "
                             f"failed: {why}") from None


class _Versions(Protocol):
    connection: Any

    def get(self) -> int: ...

    def set(self, version: int) -> None: ...

    def lock(self) -> None: ...


# --- SQLite ----------------------------------------------------------------------------------------


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one at a time (executescript would commit the step's transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") for ln in buf.splitlines() if ln.strip()):
        raise ValueError("a migration ends with an incomplete SQL statement")


class SqliteDatabase:
    dialect = "sqlite"
    now_sql = "((julianday('now') - 2440587.5) * 86400.0)"  # Unix seconds, with fractions

    def __init__(self, path: str):
        self.label = path
        try:
            if path != ":memory:":
                if Path(path).is_dir():
                    raise StoreError(f"cannot use the database {path}: it is a folder (name a file in it)")
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.raw = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise _failed(path, exc) from None
        try:
            self.execute("PRAGMA secure_delete = ON")  # purged rows (user ids) are overwritten, not left in free pages
            migrate(self, migrations.SQLITE, _SqliteVersions(self.raw), self._script, sqlite3.Error)
            with self.transaction():  # takes the write lock: fails at once on a read-only file
                pass
        except BaseException:
            self.raw.close()
            raise

    def _script(self, script: str) -> None:
        for statement in _statements(script):
            self.execute(statement)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.raw.execute(sql, tuple(args))
        except sqlite3.Error as exc:
            raise _failed(self.label, exc) from None

    def insert(self, sql: str, args: Sequence[Any]) -> int:
        return int(self.execute(sql, args).lastrowid)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN IMMEDIATE")  # the write lock first: another process may write the same file
        try:
            yield
            self.execute("COMMIT")
        except BaseException:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.raw.close()


class _SqliteVersions:
    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def get(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def set(self, version: int) -> None:
        self.connection.execute(f"PRAGMA user_version = {int(version)}")

    def lock(self) -> None:
        """BEGIN IMMEDIATE already holds the file's write lock."""


# --- PostgreSQL ------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\?")
_MIGRATION_LOCK = 0x61716273  # pg_advisory_xact_lock key: one migration at a time across processes
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 30_000  # the store's statements take milliseconds


_PLAIN = re.compile(r"[A-Za-z0-9._-]{1,100}")
_QUOTED = re.compile(r'"[^"]*"')


def _shown(value: str | None) -> str:
    """A URL part, only when it is plainly a name: a password typed with an unencoded '/' or '@' lands in the
    host or the database name as the URL is parsed, and must not be shown from there."""
    return value if value and _PLAIN.fullmatch(value) else "…"


def shown_url(url: str) -> str:
    """The URL as messages show it: user, host, port and database name, each only when it is plainly a name;
    never the password, the query or anything that could hold them."""
    try:
        parts = urlsplit(url)
        host, port, user = parts.hostname, parts.port, parts.username
    except ValueError:
        return "DATABASE_URL"
    netloc = (f"{_shown(user)}@" if user else "") + (f"[{host}]" if host and ":" in host else _shown(host))
    return f"{parts.scheme}://{netloc}{f':{port}' if port else ''}/{_shown(parts.path.lstrip('/'))}"


def _scrubbed(message: str, url: str) -> str:
    """A driver's message without anything of the URL's secrets: libpq quotes the tokens it could not parse, and
    those may be the password itself."""
    message = _QUOTED.sub('"…"', message.replace(url, "DATABASE_URL"))
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    for s in {secret, unquote(secret) if secret else None} - {None, ""}:
        message = message.replace(s, "…")
    return message


class PostgresDatabase:
    """One connection (autocommit; explicit transactions), used under the store's lock; a lost connection
    fails the call in one line and is opened again at the next one."""

    dialect = "postgresql"
    now_sql = "EXTRACT(EPOCH FROM clock_timestamp())::double precision"  # the server's clock, for every process

    def __init__(self, url: str):
        self.label = shown_url(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError(f"cannot use the database {self.label}: PostgreSQL needs the psycopg driver "
                             "(pip install 'article-qa-bot[postgres]'; `make` installs it)") from None
        from psycopg.conninfo import conninfo_to_dict

        try:  # a URL libpq cannot parse: its message would quote the token, maybe the password
            given_options = conninfo_to_dict(url).get("options") or ""
        except psycopg.Error:
            raise StoreError(f"cannot use the database {self.label}: DATABASE_URL is not a valid PostgreSQL URL "
                             "(percent-encode special characters in the password, e.g. / as %2F)",
                             "not a valid PostgreSQL URL") from None
        self._psycopg = psycopg
        self._url = url
        self._lock = threading.RLock()
        self._closed = False
        self._options = f"{given_options} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()  # the URL's own kept
        self.raw = self._connect()
        try:
            migrate(self, migrations.POSTGRES, _PostgresVersions(self), self._script, psycopg.Error)
        except BaseException:
            self.raw.close()
            raise

    def _connect(self):
        if self._closed:
            raise StoreError(f"cannot use the database {self.label}: it was closed", "it was closed")
        try:
            # utf8 whatever the server's encoding (an SQL_ASCII database would give bytes); keepalives and a
            # statement timeout: a half-open connection must not hold the store's lock for ever
            return self._psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                         application_name="article-qa-bot", client_encoding="utf8",
                                         keepalives=1, keepalives_idle=30, keepalives_interval=10,
                                         keepalives_count=3, options=self._options)
        except self._psycopg.Error as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: BaseException) -> StoreError:
        why = _scrubbed(_why(exc), self._url)
        return StoreError(f"cannot use the database {self.label}: {why}", why)

    def _script(self, script: str) -> None:
        self.execute(script)  # several statements without parameters: one simple query

    def execute(self, sql: str, args: Sequence[Any] = ()):
        with self._lock:
            if self.raw.closed or self.raw.broken:
                self.raw = self._connect()
            try:
                return self.raw.execute(_PLACEHOLDER.sub("%s", sql) if args else sql, tuple(args) or None)
            except self._psycopg.Error as exc:
                raise self._failed(exc) from None

    def insert(self, sql: str, args: Sequence[Any]) -> int:
        return int(self.execute(sql + " RETURNING id", args).fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self.raw.closed or self.raw.broken:
                self.raw = self._connect()
            try:
                with self.raw.transaction():
                    yield
            except self._psycopg.Error as exc:
                raise self._failed(exc) from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.raw.close()


class _PostgresVersions:
    def __init__(self, db: PostgresDatabase):
        self.db = db

    @property
    def connection(self):
        return self.db.raw

    def get(self) -> int:
        if self.db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return 0  # a new database
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def set(self, version: int) -> None:  # inside the migration's locked transaction
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        self.db.execute("DELETE FROM schema_version")
        self.db.execute("INSERT INTO schema_version (version) VALUES (?)", (int(version),))

    def lock(self) -> None:
        self.db.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
