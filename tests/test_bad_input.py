"""Bad input gets one clear line, never a traceback or a silent failure (in process; see test_bad_input_process.py).

Special files, broken sidecars, names and bytes that are not UTF-8, settings that would echo a secret,
terminal escapes in articles and questions, invisible characters inside words, lone surrogates.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import threading
import tracemalloc
from pathlib import Path

import pytest

import bot.store
from bot.render import to_embed
from bot.replies.models import Field, Reply
from bot.settings import Settings, SettingsError, load_settings
from bot.store import Store
from bot.terminal import chat, to_text
from index.text.article import ArticleError, article_id, load_article, read_meta, read_text
from index.catalog.sources import folder_files, read_local
from index.corpus import Corpus, article_paths, load_articles
from index.models import Answer
from index.service import QAService
from index.text.tokenize import tokenize

ARTICLE = (
    "Harbour town votes to rebuild its lighthouse\n"
    "The council of Port Wren voted on Tuesday to rebuild the old lighthouse on Gull Point.\n"
    "The project will cost $7.2 million, paid by the regional government.\n"
    "\"The old tower cannot survive another winter,\" said Dr. Tomasz Pawłuszko, an engineer at the Coastal Institute.\n"
    "Anna Reporter\n"
)
# What must never reach a terminal or an embed raw: C0 controls but tab and newline, DEL, C1,
# bidi embeddings/overrides/isolates, line/paragraph separators, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# The same article with terminal escapes, a bell, a C1 CSI and a bidi override inside its sentences and title.
EVIL = (
    "Harbour town\x1b]0;pwned\x07 votes to rebuild its lighthouse\n"
    "The council of Port Wren voted on Tuesday\x1b[2J to rebuild the old lighthouse on Gull Point.\n"
    "The project will cost $7.2 million\u202e, paid by the regional\x9b government.\n"
    "\"The old tower\x1b[31m cannot survive another winter,\" said Dr. Tomasz Pawłuszko, an engineer at the Coastal Institute.\n"
    "Anna Reporter\n"
)


def one_line(text: str) -> bool:
    return bool(text.strip()) and "\n" not in text.strip() and "Traceback" not in text


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "lighthouse.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# --- 1b: only regular files are read, and never more than the cap ------------------------------


def _past_a_fifo(fifo: Path, fn, timeout: float = 5.0) -> object:
    """fn()'s result or exception, with a FIFO made at `fifo`; fails if fn() blocks on it. Run in a
    thread, and a blocked reader is released afterwards, so that a failing test does not hang."""
    os.mkfifo(fifo)
    out: list[object] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    blocked = t.is_alive()
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # gives a blocked reader its end of file
    except OSError:
        pass  # no reader waiting
    assert not blocked, f"reading {fifo.name} blocked"
    return out[0]


def test_a_fifo_given_as_an_article_is_refused_at_once(tmp_path: Path):
    result = _past_a_fifo(tmp_path / "pipe.txt", lambda: read_text(tmp_path / "pipe.txt"))
    assert isinstance(result, ArticleError) and one_line(str(result))
    assert "pipe.txt" in str(result) and "not a regular file" in str(result)


def test_a_fifo_sidecar_does_not_block_and_the_article_is_read(article_file: Path, caplog):
    result = _past_a_fifo(article_file.with_suffix(".json"), lambda: load_article(article_file))
    assert not isinstance(result, BaseException), result
    assert result.text == ARTICLE
    [line] = [w for w in warnings_of(caplog) if "lighthouse.json" in w]
    assert "not a regular file" in line


def test_a_device_is_never_read_as_an_article_or_a_sidecar(article_file: Path, caplog):
    # (/dev/zero, which would be read until memory runs out, is tried in test_bad_input_process.py,
    # in a process with a memory limit)
    with pytest.raises(ArticleError, match="not a regular file"):
        read_text(Path("/dev/null"))
    article_file.with_suffix(".json").symlink_to("/dev/null")
    meta = read_meta(article_file)
    assert meta.id == "lighthouse"
    [line] = warnings_of(caplog)
    assert "lighthouse.json" in line and "not a regular file" in line


def test_the_size_cap_is_checked_before_reading(tmp_path: Path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # 50 MB that takes no disk: a sparse file
        f.truncate(50_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError) as info:
            read_text(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert one_line(str(info.value)) and "big.txt" in str(info.value) and "too large" in str(info.value)
    assert peak < 5_000_000, f"{peak:,} bytes allocated to refuse a file for its size"


def test_folder_listings_skip_fifos_and_devices(tmp_path: Path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert folder_files(tmp_path) == [tmp_path / "good.txt"]
    assert article_paths([tmp_path]) == [tmp_path / "good.txt"]


# --- 9: sidecars, names, bytes, paths ------------------------------------------------------------


@pytest.mark.parametrize("sidecar, kept, dropped", [
    ({"title": 5, "author": "Ann Lee"}, {"author": "Ann Lee"}, ["title"]),
    ({"author": [], "title": "Lighthouse"}, {"title": "Lighthouse"}, ["author"]),
    ({"language": None, "source": "Coast News"}, {"source": "Coast News", "language": "en"}, ["language"]),
    ({"url": "javascript:alert(1)", "title": "Lighthouse"}, {"title": "Lighthouse", "url": None}, ["url"]),
    ({"url": "file:///etc/passwd"}, {"url": None}, ["url"]),
    ({"url": "https://example.org/lighthouse"}, {"url": "https://example.org/lighthouse"}, []),
])
def test_a_bad_sidecar_field_is_dropped_with_one_line(article_file: Path, caplog, sidecar, kept, dropped):
    article_file.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
    a = load_article(article_file)
    assert a.text == ARTICLE
    for k, v in kept.items():
        assert getattr(a.meta, k) == v
    lines = warnings_of(caplog)
    if not dropped:
        assert lines == []
        return
    [line] = lines
    assert "lighthouse.json" in line and "\n" not in line
    for k in dropped:
        assert k in line


@pytest.mark.parametrize("content, why", [
    ("[1, 2]", "not a JSON object"),
    ('"just a title"', "not a JSON object"),
    ("{not json", "not valid JSON"),
    (b"{\"title\": \"Caf\xe9\"}", "not UTF-8"),
])
def test_a_sidecar_that_is_no_json_object_loses_only_the_metadata_with_one_line(article_file: Path, caplog, content, why):
    side = article_file.with_suffix(".json")
    side.write_bytes(content if isinstance(content, bytes) else content.encode())
    a = load_article(article_file)
    assert a.text == ARTICLE and a.meta.title == "Harbour town votes to rebuild its lighthouse"  # its headline
    [line] = warnings_of(caplog)
    assert "lighthouse.json" in line and why in line and "\n" not in line


def test_a_lone_surrogate_in_a_sidecar_title_cannot_reach_the_output(article_file: Path):
    article_file.with_suffix(".json").write_text('{"title": "Lighthouse \\ud800 plan"}', encoding="utf-8")
    a = load_article(article_file)
    a.meta.title.encode("utf-8")  # raises if a surrogate got through
    assert a.meta.title == "Lighthouse \ufffd plan"


def test_a_file_name_that_is_not_utf8_is_skipped_with_one_line_and_the_rest_is_read(tmp_path: Path, caplog):
    (tmp_path / "lighthouse.txt").write_text(ARTICLE, encoding="utf-8")
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(bad, "wb") as f:
        f.write(ARTICLE.encode())
    articles = load_articles([tmp_path])
    assert [a.id for a in articles] == ["lighthouse"]
    [line] = warnings_of(caplog)
    assert "bad\\xff.txt" in line and "UTF-8" in line
    line.encode("utf-8")
    result = read_local(str(tmp_path))
    assert [x.article.id for x in result.loaded] == ["lighthouse"] and not result.failed
    # named on its own, it is refused in one line (not read under an id that cannot be printed)
    with pytest.raises(ArticleError) as info:
        read_text(Path(os.fsdecode(bad)))
    assert one_line(str(info.value)) and "bad\\xff.txt" in str(info.value)
    str(info.value).encode("utf-8")


def test_an_invalid_byte_on_the_terminal_chat_spoils_only_its_line(toy_service: QAService):
    stdin = io.TextIOWrapper(io.BytesIO(b"How much will the lighthouse\xff cost?\n/about\n"), encoding="utf-8")
    out = io.StringIO()
    assert chat(toy_service, stdin, out) == 0
    text = out.getvalue()
    assert "not valid UTF-8" in text
    assert "4 million euros" in text  # the line was still answered (read with U+FFFD)
    assert "About the article" in text  # and the next line too
    text.encode("utf-8")


@pytest.mark.parametrize("make", [
    lambda tmp: tmp,  # a folder
    lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "bot.sqlite3",  # under a file
    lambda tmp: Path("/proc/bot-test.sqlite3"),  # where nobody may write, root included
])
def test_an_unusable_database_path_is_one_line_naming_it(tmp_path: Path, make):
    path = make(tmp_path)
    with pytest.raises(bot.store.StoreError) as info:
        Store(path)
    assert one_line(str(info.value)) and str(path) in str(info.value)


# --- 10: settings never echo a value; a .env line that cannot be parsed is an error ---------------

SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gh1jKl.secret-token-pasted-in-the-wrong-line"


def test_moderator_role_ids_error_does_not_echo_the_value(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODERATOR_ROLE_IDS", f"123,{SECRET}")
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None)
    msg = str(info.value)
    assert "MODERATOR_ROLE_IDS must be comma-separated numbers" in msg
    assert SECRET not in msg and "MTIz" not in msg and one_line(msg)


@pytest.mark.parametrize("name", sorted(n.upper() for n in Settings.model_fields if n != "discord_token"))
def test_no_setting_error_echoes_the_value(monkeypatch, tmp_path: Path, name: str):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, SECRET)
    try:
        load_settings(_env_file=None)
    except SettingsError as exc:
        assert SECRET not in str(exc) and "MTIz" not in str(exc) and "secret" not in str(exc)
        assert name in str(exc) and one_line(str(exc))


@pytest.mark.parametrize("line", ['DISCORD_TOKEN="abc', "DISCORD_TOKEN abc", "export discord_token='abc"])
def test_a_dotenv_token_line_that_cannot_be_parsed_is_an_error(monkeypatch, tmp_path: Path, line: str):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_text(f"LOG_LEVEL=INFO\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=env)
    msg = str(info.value)
    assert "DISCORD_TOKEN" in msg and "line 2" in msg and ".env" in msg and one_line(msg)
    assert "abc" not in msg


def test_a_dotenv_that_is_not_utf8_is_one_line_naming_it(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes(b"LOG_LEVEL=INFO\n# caf\xe9\n")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert ".env" in str(info.value) and "UTF-8" in str(info.value) and one_line(str(info.value))


def test_a_dotenv_line_of_another_tool_is_left_alone(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    (tmp_path / ".env").write_text('LOG_LEVEL=DEBUG\nOTHER_TOOL "x\n', encoding="utf-8")
    assert load_settings().log_level == "DEBUG"


# --- 11: control characters are shown as U+FFFD, offsets stay exact; invisible characters in words --


@pytest.fixture
def evil_file(tmp_path: Path) -> Path:
    path = tmp_path / "evil.txt"
    path.write_text(EVIL, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps({"title": "Light\x1b[2Jhouse \u202eplan\x9b"}), encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [
    ["ask", "How much will the project cost?"],
    ["ask", "Who is Pawłuszko?"],
    ["quotes"],
    ["experts"],
    ["expert", "Pawłuszko"],
])
def test_the_cli_never_prints_control_characters_raw(evil_file: Path, capsys, argv):
    from index.__main__ import main

    main([*argv, "--article", str(evil_file)])
    out = capsys.readouterr().out
    assert out.strip()
    assert not UNSAFE.search(out), repr(UNSAFE.findall(out))


def test_cli_json_escapes_controls_and_keeps_exact_offsets(evil_file: Path, capsys):
    from index.__main__ import main

    main(["ask", "--json", "How much will the project cost?", "--article", str(evil_file)])
    out = capsys.readouterr().out
    assert not UNSAFE.search(out)
    a = json.loads(out)["answer"]
    assert "\u202e" in a["text"] and a["text"] == EVIL[a["start"]:a["end"]]


def evil_service(evil_file: Path) -> QAService:
    return QAService(Corpus.build(load_articles([evil_file])))


def test_the_terminal_chat_never_prints_control_characters_raw(evil_file: Path):
    service = evil_service(evil_file)
    out = io.StringIO()
    chat(service, io.StringIO("How much will the project cost?\nWho is Pawłuszko?\n/about\n/experts\n"), out)
    text = out.getvalue()
    assert "7.2 million" in text
    assert not UNSAFE.search(text), repr(UNSAFE.findall(text))
    answer = service.ask("How much will the project cost?").answer
    assert answer.text == EVIL[answer.start:answer.end] and "\x9b" in answer.text  # offsets untouched


def test_embeds_carry_no_control_characters_and_no_url_discord_refuses():
    reply = Reply(kind="answer", title="Light\x1b[2Jhouse\n\u202eplan", description="cost\x07 \x9b7.2 million\u2066",
                  fields=[Field(name="Wh\x1bere", value="par\ragraph\u202d 4")], footer="indexed\x1b[0m now",
                  url="javascript:alert(1)")
    embed = to_embed(reply)
    parts = [embed.title, embed.description, embed.footer.text, *(f.name for f in embed.fields),
             *(f.value for f in embed.fields)]
    for part in parts:
        assert not UNSAFE.search(part), repr(part)
    assert "\n" not in embed.title and embed.url is None
    assert len(embed.description) == len(reply.description)  # replaced one for one, not dropped
    assert not UNSAFE.search(to_text(reply))


def test_an_article_id_from_a_file_name_is_one_printable_line(tmp_path: Path):
    path = tmp_path / "light\nhouse\x1b[2J\u202e.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    aid = load_article(path).id
    assert aid == article_id(path)
    assert not UNSAFE.search(aid) and "\n" not in aid and aid.startswith("light")
    assert article_id(tmp_path / "ferry-strike.txt") == "ferry-strike"  # ordinary names are unchanged


@pytest.mark.parametrize("mark", ["\u200d", "\u200c", "\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_an_invisible_character_inside_a_word_does_not_change_it(mark: str):
    assert tokenize(f"Bo{mark}ćkowski said") == tokenize("Boćkowski said")


def test_an_invisible_character_leaves_the_question_terms_as_they_are():
    from index.question import analyse

    assert analyse("Who sold Ala\u200dska to the Ameri\u00adcans?").terms == analyse("Who sold Alaska to the Americans?").terms


def test_an_invisible_character_does_not_change_the_answer(tmp_path: Path):
    # A guard more than a regression: retrieval's first-letters matching often hid the split words
    # before; the two tests above are the ones that failed.
    path = tmp_path / "lighthouse.txt"
    path.write_text(ARTICLE.replace("regional", "re\u00adgional"), encoding="utf-8")
    corpus = Corpus.build(load_articles([path]))
    plain = corpus.ask("Who pays for the project? The regional government?")
    marked = corpus.ask("Who pays for the project? The re\u200bgional govern\u200dment?")
    assert plain.answered and plain.answer.text == marked.answer.text
    assert "re\u00adgional" in plain.answer.text  # the article's text as it is


# --- 12: lone surrogates in a question ------------------------------------------------------------

LONE = "Who sold Alaska?\ud800"


def test_a_question_with_a_lone_surrogate_is_recorded(tmp_path: Path, shipped_service: QAService):
    store = Store(tmp_path / "bot.sqlite3")
    try:
        answer = shipped_service.ask(LONE)
        assert answer.answered
        qid = store.record(answer, via="slash", user_id=1, guild_id=2)
        assert qid > 0
        stats = store.stats()
        assert stats.asked == 1
    finally:
        store.close()
    store = Store(tmp_path / "bot.sqlite3")
    try:
        declined = Answer(question="Is it Tuesday?\udcff", answered=False, confidence=0.0, reason="no \ud800 reason")
        store.record(declined, via="slash")
        assert store.stats().unanswered == [("Is it Tuesday?\ufffd", 1)]
    finally:
        store.close()


def test_cli_json_of_a_question_with_a_lone_surrogate_is_valid_utf8(capsys):
    from index.__main__ import main

    assert main(["ask", "--json", LONE]) == 0
    captured = capsys.readouterr()
    captured.out.encode("utf-8")  # raises if a surrogate was printed
    obj = json.loads(captured.out)
    assert obj["answered"] and "Tsar Alexander II" in obj["answer"]["text"]
    assert one_line(captured.err) and "UTF-8" in captured.err


def test_the_terminal_chat_answers_a_question_with_a_lone_surrogate(shipped_service: QAService):
    out = io.StringIO()
    assert chat(shipped_service, io.StringIO(LONE + "\n/about\n"), out) == 0
    text = out.getvalue()
    text.encode("utf-8")
    assert "Tsar Alexander II" in text and "About the article" in text


def test_an_embed_of_a_question_with_a_lone_surrogate_is_encodable():
    embed = to_embed(Reply(kind="decline", title=LONE, description=f"**{LONE}**"))
    (embed.title + embed.description).encode("utf-8")


async def test_a_slash_question_with_a_lone_surrogate_is_answered_and_recorded(fake, start_bot, shipped_service):
    # The fake server sends JSON as Discord does: "\\ud800" arrives in the question as a lone surrogate.
    bot = await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("zoe"), options={"question": LONE})
    await fake.wait_for(lambda: rec.messages, 10.0)
    assert "Tsar Alexander II" in rec.messages[0]["embeds"][0]["description"]
    assert bot.store.stats().asked == 1
