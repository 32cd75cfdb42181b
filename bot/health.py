"""A heartbeat for supervisors (no discord import): the running bot writes what it knows to HEALTH_FILE every
HEARTBEAT_SECONDS, and `python -m bot health` reads it: healthy when it is fresh, the gateway is connected
and the index loaded."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel, ValidationError

HEARTBEAT_SECONDS = 30.0
STALE_AFTER = 3 * HEARTBEAT_SECONDS  # a beat missed twice: the process is stuck or gone


class Heartbeat(BaseModel):
    at: float  # time.time() when written
    pid: int
    connected: bool  # the gateway is connected and ready
    articles: int  # articles the index serves
    guilds: int


def write(path: Path, beat: Heartbeat) -> None:
    """Replace the heartbeat atomically: a reader sees the old one or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".health-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(beat.model_dump_json())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check(path: Path, now: float | None = None) -> tuple[bool, str]:
    """(healthy, one line saying why) from the heartbeat file."""
    now = time.time() if now is None else now
    try:
        beat = Heartbeat.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, f"unhealthy: no heartbeat at {path} (is the bot running with this HEALTH_FILE?)"
    except (OSError, ValueError, ValidationError):
        return False, f"unhealthy: the heartbeat at {path} cannot be read"
    age = now - beat.at
    if age > STALE_AFTER:
        return False, f"unhealthy: the last heartbeat is {age:.0f} s old (pid {beat.pid})"
    if not beat.connected:
        return False, f"unhealthy: not connected to the Discord gateway (pid {beat.pid}, {age:.0f} s ago)"
    if beat.articles == 0:
        return False, f"unhealthy: no article is indexed (pid {beat.pid})"
    return True, f"healthy: gateway connected, {beat.articles} article(s), {beat.guilds} server(s) (pid {beat.pid}, {age:.0f} s ago)"
