"""Shared fixtures for the bot's tests: services over the shipped article and over a small hand-made one."""

from __future__ import annotations

import os
import re

import pytest

from index.text.article import parse_article
from index.quotes.attribution import Attribution
from index.corpus import Corpus
from index.models import ArticleMeta, Expert, Quote, Span
from index.retrieval.search import SearchIndex
from index.service import QAService

# Tests (and the processes they start, which inherit this) read only the working directory's .env, never a
# developer's own beside the project: it may hold a real token (index.settings.env_files).
os.environ["ENV_FILE"] = ".env"

# A tiny article with two quoted people; its attribution is written by hand below so the
# bot's expert features can be tested whatever index.quotes.attribution finds in the shipped article.
TOY_TEXT = (
    "The harbour town of Port Wren will build a new lighthouse next spring.\n"
    "\"The old tower cannot survive another winter storm,\" said Dr. Anna Kowalska, an engineer at the Coastal Institute.\n"
    "The council voted seven to two in favour of the plan on Tuesday.\n"
    "\"Fishermen have waited twenty years for a proper light,\" said Marek Nowak, head of the fishing cooperative.\n"
    "\"The tower will be finished before the summer season,\" Kowalska added.\n"
    "The lighthouse will cost 4 million euros, paid by the regional government.\n"
)
TOY_META = ArticleMeta(id="port-wren", title="Port Wren gets a new lighthouse", author="Jan Reporter",
                       source="Coast News", url="https://example.invalid/port-wren")


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(text=needle, start=start, end=start + len(needle))


def _quote(text: str, quoted: str, speaker: str) -> Quote:
    s = _span(text, quoted)
    return Quote(article=TOY_META.id, text=s.text, start=s.start, end=s.end, speaker=speaker, cue="said", kind="direct")


class ToyAttribution(Attribution):
    def lookup(self, name, topic=None):  # a simple stand-in for the real registry's lookup
        from index.models import ExpertLookup

        q = name.casefold()
        for e in self.experts:
            if any(q == n.casefold() or q in n.casefold().split() for n in [e.name, *e.aliases]):
                quotes = e.quotes
                if topic:
                    words = set(re.findall(r"\w+", topic.casefold()))
                    quotes = sorted(quotes, key=lambda x: -len(words & set(re.findall(r"\w+", x.text.casefold()))))
                return ExpertLookup(query=name, topic=topic, expert=e.model_copy(update={"quotes": quotes}))
        suggestions = [e.name for e in self.experts if e.name.casefold()[:3] in q or q[:3] in e.name.casefold()]
        return ExpertLookup(query=name, topic=topic, suggestions=suggestions)


def toy_corpus() -> Corpus:
    article = parse_article(TOY_TEXT, TOY_META)
    t = article.text
    q1 = _quote(t, "The old tower cannot survive another winter storm,", "Anna Kowalska")
    q2 = _quote(t, "Fishermen have waited twenty years for a proper light,", "Marek Nowak")
    q3 = _quote(t, "The tower will be finished before the summer season,", "Anna Kowalska")
    experts = [
        Expert(name="Anna Kowalska", aliases=["Kowalska"], titles=["Dr."],
               descriptions=[_span(t, "an engineer at the Coastal Institute")], articles=[TOY_META.id], quotes=[q1, q3]),
        Expert(name="Marek Nowak", aliases=["Nowak"], descriptions=[_span(t, "head of the fishing cooperative")],
               articles=[TOY_META.id], quotes=[q2]),
    ]
    attribution = ToyAttribution(quotes=[q1, q2, q3], experts=experts, authors={TOY_META.id: TOY_META.author})
    return Corpus(articles=[article], search=SearchIndex([article]), attribution=attribution)


@pytest.fixture(scope="session")
def shipped_service() -> QAService:
    return QAService.from_sources()


@pytest.fixture
def toy_service() -> QAService:
    return QAService(toy_corpus())


@pytest.fixture
def two_article_service() -> QAService:
    """The shipped article and the toy one side by side (attribution found by the real rules)."""
    from index.corpus import DEFAULT_ARTICLES_DIR, load_articles

    return QAService(Corpus.build([*load_articles([DEFAULT_ARTICLES_DIR]), parse_article(TOY_TEXT, TOY_META)]))


# -- end-to-end: the real discord.py client against tests/fakediscord ----------------------------

E2E_TIMEOUT = 10.0


@pytest.fixture
async def fake():
    from fakediscord import FakeDiscord

    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def start_bot(fake, tmp_path):
    """start_bot(service, **settings) -> a running ArticleBot connected to the fake server."""
    import asyncio

    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    from bot.client import ArticleBot, configure_endpoints
    from bot.settings import Settings
    from bot.store import Store

    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    started: list[tuple[ArticleBot, asyncio.Task]] = []

    async def start(service: QAService, **overrides):
        values = dict(discord_token=fake.token, discord_api_url=fake.api_url, discord_gateway_url=fake.gateway_url,
                      database_path=tmp_path / "bot.sqlite3", ask_cooldown_seconds=0, dev_guild_id=fake.guild_id,
                      health_file=tmp_path / "health.json")
        values.update(overrides)
        settings = Settings(_env_file=None, **values)
        configure_endpoints(settings)
        bot = ArticleBot(settings, service, Store(settings.database_path), guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(settings.token))
        started.append((bot, task))
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=E2E_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if task.done():
                task.result()  # raise the start-up error
            raise TimeoutError("the bot did not become ready")
        return bot

    try:
        yield start
    finally:
        for bot, task in started:
            await asyncio.wait_for(bot.close(), E2E_TIMEOUT)
            bot.store.close()
            try:
                await asyncio.wait_for(task, E2E_TIMEOUT)
            except Exception:
                pass
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


# --- the bot's state database: SQLite, and a real PostgreSQL where one runs ----------------------------


def postgres_url() -> str | None:
    """TEST_DATABASE_URL: the PostgreSQL that `bash .ci/run` (scripts/test_postgres.sh) starts, or None."""
    return os.environ.get("TEST_DATABASE_URL") or None


def _skip_without_postgres() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL store tests skipped: TEST_DATABASE_URL is not set "
                    "(`bash .ci/run`, or `source scripts/test_postgres.sh && start_test_postgres`, starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL store tests skipped: psycopg is not installed (pip install -e '.[test]')")
    return url


@pytest.fixture
def fresh_postgres_url():
    """A postgresql:// URL whose tables live in a schema of this test's own, dropped afterwards."""
    import secrets
    from urllib.parse import quote

    import psycopg

    url = _skip_without_postgres()
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where a Store keeps the bot's state: an SQLite file, or (where one runs) a PostgreSQL schema."""
    if request.param == "sqlite":
        return tmp_path / "bot.sqlite3"
    return request.getfixturevalue("fresh_postgres_url")
