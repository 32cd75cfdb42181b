"""Running the service's coroutines from synchronous code (start-up, the terminal chat)."""

from __future__ import annotations

import asyncio
import threading


def run_blocking(coro):
    """Run a coroutine to completion from sync code, even when this thread has a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    t = threading.Thread(target=target, name="index-open")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
