"""Files of INDEX_DIR that several processes share: atomic writes, the folder lock, leftovers of a
killed save."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

try:  # POSIX; elsewhere the lock is a no-op and one process per INDEX_DIR is the rule
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"
LOCK_POLL_S = 0.05
PAGES_DIR = "pages"
SEGMENTS_DIR = "segments"  # one pickle per article (index.catalog.segments)


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows): the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def new_file(folder: Path, prefix: str):
    """Write a file whole or not at all: yields (file, place) where place(final_path) is called once it is
    written; the data is fsynced, then renamed into place. On any error the temporary file goes."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + prefix + ".", suffix=".tmp", dir=folder)
    target: list[Path] = []
    try:
        with os.fdopen(fd, "wb") as f:
            yield f, target.append
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target[-1])
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path so that readers see the old file or the new one, never a part."""
    with new_file(path.parent, path.name) as (f, place):
        f.write(data)
        place(path)


class DirLock:
    """An exclusive OS lock (flock) on INDEX_DIR/.lock, for one read-modify-write of the folder's files.

    Not re-entrant: take it once per change. The async form polls, so a waiting task can be cancelled
    and the event loop never blocks.
    """

    def __init__(self, index_dir: Path):
        self.path = Path(index_dir) / LOCK_FILE
        self._fd: int | None = None

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def _try(self, fd: int) -> bool:
        if fcntl is None:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    @contextlib.contextmanager
    def held(self):
        """Wait for the lock (blocking: for start-up and threads)."""
        fd = self._open()
        with self._owning(fd):
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield self

    @contextlib.asynccontextmanager
    async def acquire_async(self):
        """Wait for the lock without blocking the event loop."""
        fd = await asyncio.to_thread(self._open)
        with self._owning(fd):
            while not self._try(fd):
                await asyncio.sleep(LOCK_POLL_S)
            yield self

    @contextlib.contextmanager
    def _owning(self, fd: int):
        """Unlock (if locked) and close the descriptor however the block ends."""
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def remove_leftovers(index_dir: Path) -> int:
    """Delete the temporary files of saves that were killed midway; call with the lock held."""
    n = 0
    for folder in (Path(index_dir), Path(index_dir) / PAGES_DIR, Path(index_dir) / SEGMENTS_DIR):
        if not folder.is_dir():
            continue
        for f in folder.glob(".*.tmp"):
            try:
                f.unlink()
                n += 1
            except OSError:
                pass
    return n


