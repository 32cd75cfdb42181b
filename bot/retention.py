"""How long stored questions are kept: RETENTION_DAYS (purged at start, then daily) and `python -m bot purge
--older-than 90d` (once). A purge deletes the questions asked before the cut-off and the feedback on them, so
no user id of theirs is left (bot.store.Store.purge). No discord import.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TextIO

from .store import Store, StoreError

log = logging.getLogger(__name__)

DAY = 86400.0
_UNITS = {"d": DAY, "h": 3600.0, "m": 60.0}
_AGE = re.compile(r"([0-9]{1,6})([dhm])")
MAX_AGE = 36500 * DAY  # a hundred years: more is a typing mistake


def parse_age(text: str) -> float:
    """An age such as "90d", "12h" or "30m" (days, hours, minutes) in seconds. ValueError in plain words
    otherwise; the message never repeats the input (it may be huge, or something pasted by mistake)."""
    match = _AGE.fullmatch(text.strip().lower()) if isinstance(text, str) and len(text) <= 40 else None
    if match is None:
        raise ValueError("the age must be a whole number followed by d (days), h (hours) or m (minutes), e.g. 90d")
    seconds = int(match[1]) * _UNITS[match[2]]
    if seconds > MAX_AGE:
        raise ValueError("the age must be at most 36500 days")
    return seconds


def purge_line(removed: int, cutoff: float, path: str) -> str:
    when = datetime.fromtimestamp(cutoff, timezone.utc).isoformat(timespec="seconds")
    return f"removed {removed} stored question{'' if removed == 1 else 's'} asked before {when} from {path}"


def purge_command(database_path, older_than: str, *, now: float | None = None, out: TextIO | None = None,
                  err: TextIO | None = None, setting: str = "DATABASE_PATH") -> int:
    """`python -m bot purge --older-than 90d`: delete stored questions older than that, with their feedback, from
    the database at DATABASE_PATH; one line on stdout, or one error line on stderr and exit status 2."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        age = parse_age(older_than)
    except ValueError as exc:
        print(f"error: --older-than: {exc}", file=err)
        return 2
    now = time.time() if now is None else now
    try:
        store = Store(database_path)
    except StoreError as exc:
        print(f"error: {setting}: {exc}", file=err)
        return 2
    try:
        removed = store.purge(age, now=now)
    except StoreError as exc:
        print(f"error: {setting}: {exc}", file=err)
        return 2
    finally:
        store.close()
    print(purge_line(removed, now - age, store.path), file=out)
    return 0


async def retention_loop(store: Store, days: int, interval: float = DAY, clock: Callable[[], float] = time.time) -> None:
    """RETENTION_DAYS: purge the questions older than `days` now, then every `interval` seconds, each purge off
    the event loop; days <= 0 keeps them forever (returns at once). Runs until cancelled; a failed purge is
    logged and tried again at the next interval."""
    if days <= 0:
        return
    age = days * DAY
    while True:
        try:
            removed = await asyncio.to_thread(store.purge, age, clock())
        except (StoreError, OSError) as exc:
            log.warning("retention: %s", exc)
        except Exception:
            log.exception("retention: the purge failed")
        else:
            log.info("retention: removed %d stored question(s) older than %d day(s)", removed, days)
        await asyncio.sleep(interval)
