"""Bad input to `python -m index` and `python -m bot` as processes: one clear line on stderr, never a traceback.

The processes run with PYTHONIOENCODING=utf-8 (strict, as on a desktop with a UTF-8 locale): a surrogate
printed there is a UnicodeEncodeError, a byte that is not UTF-8 on stdin a UnicodeDecodeError.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "articles" / "trump-putin-alaska.txt").read_text(encoding="utf-8")
SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gh1jKl.secret-token-pasted-in-the-wrong-line"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ARTICLE_", "MODERATOR_", "DATABASE_"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def _limit_memory() -> None:
    """Today's code reads /dev/zero until memory runs out: keep that from taking the machine with it."""
    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))


def run(module: str, *args: str | bytes, cwd: Path, stdin: bytes = b"", timeout: float = 60, **env: str
        ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], input=stdin, capture_output=True, cwd=cwd,
                          env=_env(**env), timeout=timeout, preexec_fn=_limit_memory)


def one_error_line(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode("utf-8")  # raises if the error itself is not UTF-8
    assert "Traceback" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("20", "python-dotenv"))]
    assert len(lines) == 1, err[-3000:]
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "alaska.txt").write_text(ARTICLE, encoding="utf-8")
    return d


# --- 1b: special files ----------------------------------------------------------------------------


def test_a_fifo_article_is_refused_in_one_line_without_blocking(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")
    p = run("index", "ask", "Who sold Alaska?", "--article", str(tmp_path / "pipe.txt"), cwd=tmp_path, timeout=20)
    assert p.returncode == 2
    assert "pipe.txt" in one_error_line(p) and "not a regular file" in one_error_line(p)


def test_dev_zero_as_an_article_is_refused_in_one_line(tmp_path: Path):
    p = run("index", "ask", "Who sold Alaska?", "--article", "/dev/zero", cwd=tmp_path, timeout=30)
    assert p.returncode == 2 and "not a regular file" in one_error_line(p)


def test_a_sidecar_that_is_dev_zero_is_skipped_and_the_article_answers(folder: Path):
    (folder / "alaska.json").symlink_to("/dev/zero")
    p = run("index", "ask", "--json", "Who sold Alaska?", "--corpus", str(folder), cwd=folder, timeout=30)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Tsar Alexander II" in json.loads(p.stdout)["answer"]["text"]
    assert "alaska.json" in one_error_line(p)


# --- 9: names, bytes, paths, the network -----------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_folder_answers(folder: Path):
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as f:
        f.write(ARTICLE.encode())
    p = run("index", "ask", "--json", "Who sold Alaska?", "--corpus", str(folder), cwd=folder)
    assert p.returncode == 0
    answer = json.loads(p.stdout.decode("utf-8"))["answer"]
    assert answer["article"] == "alaska"
    assert "bad\\xff.txt" in one_error_line(p)


@pytest.mark.parametrize("io_env", [{}, {"PYTHONIOENCODING": "", "LC_ALL": "C"}])
def test_an_invalid_byte_on_jsonl_stdin_spoils_only_its_line(folder: Path, io_env):
    p = run("index", "ask", "--jsonl", "--corpus", str(folder), cwd=folder,
            stdin=b"Who sold Alaska?\xff\nWho met?\n", **io_env)
    assert p.returncode == 0
    out = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]  # valid UTF-8, one per line
    assert len(out) == 2 and out[0]["question"] == "Who sold Alaska?\ufffd"
    assert "Tsar Alexander II" in out[0]["answer"]["text"] and out[1]["question"] == "Who met?"
    assert out[1]["answered"] or out[1]["alternatives"]  # a vague question: one sentence, or the best two
    assert "line 1" in one_error_line(p)


@pytest.mark.parametrize("flags", [[], ["--json"]])
def test_a_question_argument_that_is_not_utf8_gets_one_line(folder: Path, flags):
    p = run("index", "ask", *flags, b"Who sold Alaska\xff?", "--corpus", str(folder), cwd=folder)
    assert p.returncode == 0
    assert "Tsar Alexander II" in p.stdout.decode("utf-8")
    assert "UTF-8" in one_error_line(p)


def test_an_invalid_byte_in_the_terminal_chat_spoils_only_its_line(folder: Path):
    p = run("bot", "chat", cwd=folder, stdin=b"Who sold Alaska?\xff\n/about\n", ARTICLE_SOURCES=str(folder),
            INDEX_DIR=str(folder / ".index"))
    assert p.returncode == 0, p.stderr[-2000:]
    out = p.stdout.decode("utf-8")
    assert "not valid UTF-8" in out and "Tsar Alexander II" in out and "About the article" in out
    assert "Traceback" not in p.stderr.decode("utf-8")


def _bot(cwd: Path, **env: str) -> subprocess.CompletedProcess:
    env = {"DISCORD_TOKEN": "not-a-real-token", "DISCORD_API_URL": f"http://127.0.0.1:{closed_port()}/api/v10",
           "INDEX_DIR": str(cwd / ".index"), "DATABASE_PATH": str(cwd / "bot.sqlite3"), **env}
    return run("bot", cwd=cwd, **env)


def closed_port() -> int:
    """A local port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("where", ["folder", "under a file", "unwritable"])
def test_an_unusable_database_path_stops_the_bot_with_one_line(tmp_path: Path, where: str):
    (tmp_path / "a-file").write_text("x")
    path = {"folder": tmp_path, "under a file": tmp_path / "a-file" / "bot.sqlite3",
            "unwritable": Path("/proc/bot-test.sqlite3")}[where]
    p = _bot(tmp_path, DATABASE_PATH=str(path))
    assert p.returncode == 2
    line = one_error_line(p)
    assert "DATABASE_PATH" in line and str(path) in line


def test_an_unreachable_discord_api_stops_the_bot_with_one_line(tmp_path: Path):
    p = _bot(tmp_path)
    assert p.returncode == 2
    line = one_error_line(p)
    assert "DISCORD_API_URL" in line and "127.0.0.1" in line


def test_a_dotenv_that_is_not_utf8_is_one_line_naming_it(tmp_path: Path):
    (tmp_path / ".env").write_bytes(b"LOG_LEVEL=INFO\n# caf\xe9\n")
    for module, args in (("bot", ()), ("index", ("status",))):
        p = run(module, *args, cwd=tmp_path)
        assert p.returncode == 2
        line = one_error_line(p)
        assert ".env" in line and "UTF-8" in line


# --- 10: settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ['DISCORD_TOKEN="abc', "DISCORD_TOKEN abc"])
def test_a_dotenv_token_line_that_cannot_be_parsed_stops_instead_of_chatting(tmp_path: Path, line: str):
    (tmp_path / ".env").write_text(line + "\n", encoding="utf-8")
    p = run("bot", cwd=tmp_path, stdin=b"Who sold Alaska?\n", INDEX_DIR=str(tmp_path / ".index"))
    assert p.returncode == 2
    assert b"Tsar Alexander II" not in p.stdout  # no terminal chat in place of the bot
    msg = one_error_line(p)
    assert "DISCORD_TOKEN" in msg and ".env line 1" in msg and "abc" not in msg


def test_a_token_in_moderator_role_ids_is_not_printed_back(tmp_path: Path):
    p = run("bot", cwd=tmp_path, MODERATOR_ROLE_IDS=SECRET)
    assert p.returncode == 2
    line = one_error_line(p)
    assert "MODERATOR_ROLE_IDS must be comma-separated numbers" in line
    assert SECRET not in line and "MTIz" not in line
