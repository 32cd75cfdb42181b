"""A web server on 127.0.0.1 for tests that fetch pages: `async with serve(app) as base:` gives
"http://127.0.0.1:<port>" on a free port, and stops the server afterwards."""

from __future__ import annotations

from contextlib import asynccontextmanager

from aiohttp import web


@asynccontextmanager
async def serve(app: web.Application):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)  # a random free port, loopback only
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()
