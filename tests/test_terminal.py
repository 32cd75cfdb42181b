"""The terminal chat: same reply builders as the bot, piped stdin, clean exit at end of input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.terminal import PROMPT, chat, respond
from index.service import QAService

ROOT = Path(__file__).resolve().parent.parent


def test_chat_answers_each_line_and_commands(toy_service: QAService):
    out = io.StringIO()
    stdin = io.StringIO("How much will the lighthouse cost?\n/experts\n/expert Nowak\n/about\n/help\nWhat is on Mars?\n")
    assert chat(toy_service, stdin, out) == 0
    text = out.getvalue()
    assert "The lighthouse will cost 4 million euros" in text
    assert "People quoted (2)" in text and "Marek Nowak" in text
    assert "head of the fishing cooperative" in text
    assert "About the article" in text and "/expert NAME" in text
    assert "The article doesn't say" in text


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_prompt_is_not_the_answers_quotation_mark(toy_service: QAService):
    """A user tells their own line from the answer's quote ("> ..."): the prompt is another mark."""
    out = _Tty()
    assert chat(toy_service, _Tty("How much will the lighthouse cost?\n"), out) == 0
    text = out.getvalue()
    assert PROMPT.strip() and not PROMPT.startswith(">")
    assert text.count(PROMPT) == 2  # before the question and before the end of input
    assert "\n> The lighthouse will cost 4 million euros" in text  # the answer's quotation


def test_expert_topic_and_unknown_command(toy_service: QAService):
    [page] = respond(toy_service, "/expert Kowalska | summer")
    assert page.fields[0].value.startswith("“The tower will be finished")
    [err] = respond(toy_service, "/nope")
    assert err.kind == "error"
    assert respond(toy_service, "/quit") is None
    assert respond(toy_service, "   ") == []


def test_python_m_bot_without_token_chats_over_piped_stdin(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "bot"], input="Who sold Alaska?\n/about\n", capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Q: Who sold Alaska?" in proc.stdout
    assert "About the article" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_the_terminal_chat_never_imports_discord(tmp_path):
    """python -m bot without a token chats in the terminal: discord.py is not even imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env["PYTHONPATH"] = str(ROOT)
    imported = subprocess.run([sys.executable, "-c", "import sys, bot.terminal, bot.__main__; print('discord' in sys.modules)"],
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert imported.stdout.strip() == "False", imported.stderr
    chat = ("import sys\n"
            "from bot.__main__ import main\n"
            "code = main([])\n"
            "print('discord loaded:', 'discord' in sys.modules, file=sys.stderr)\n"
            "sys.exit(code)\n")
    proc = subprocess.run([sys.executable, "-c", chat], input="Who sold Alaska?\n/help\n", capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Q: Who sold Alaska?" in proc.stdout  # it did chat
    assert proc.stderr.strip().splitlines()[-1] == "discord loaded: False"


def test_invalid_setting_stops_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env.update(PYTHONPATH=str(ROOT), SHARD_COUNT="lots")
    proc = subprocess.run([sys.executable, "-m", "bot"], input="", capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "SHARD_COUNT" in proc.stderr
