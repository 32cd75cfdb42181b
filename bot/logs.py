"""Logging for `python -m bot`: text or one JSON object per line (LOG_FORMAT), and discord.py's noise left out."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

# discord.py warns at every start that voice support is missing: the bot never joins voice.
_NOISE = ("voice will NOT be supported",)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def _not_noise(record: logging.LogRecord) -> bool:
    """Drop the voice warnings; a connection failure discord.py retries ("Failed to connect … Retrying") is one
    line with its reason, not a traceback every few seconds."""
    if any(n in record.getMessage() for n in _NOISE):
        return False
    if record.name.startswith("discord.") and record.exc_info and _is_connection_error(record.exc_info[1]):
        exc = record.exc_info[1]
        record.msg = f"{record.getMessage()} ({type(exc).__name__}: {str(exc) or 'no detail'})"
        record.args = None
        record.exc_info = record.exc_text = None
    return True


def _is_connection_error(exc: BaseException | None) -> bool:
    import asyncio

    try:
        import aiohttp
        from discord.errors import ConnectionClosed, GatewayNotFound
        network = (OSError, asyncio.TimeoutError, aiohttp.ClientError, ConnectionClosed, GatewayNotFound)
    except ImportError:  # the terminal chat, where discord is never imported
        network = (OSError, asyncio.TimeoutError)
    return isinstance(exc, network)


def setup_logging(level: str, fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%Y-%m-%d %H:%M:%S"))
    handler.addFilter(_not_noise)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":
        logging.getLogger("discord.gateway").setLevel(logging.WARNING)
