"""python -m index as a process: JSON field names, --jsonl streaming, sources and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LIGHTHOUSE = (
    "Harbour town votes to rebuild its lighthouse\n"
    "The council of Port Wren voted on Tuesday to rebuild the old lighthouse on Gull Point. "
    "The tower was damaged by a storm in March 2023.\n"
    "The project will cost $7.2 million, paid by the regional government.\n"
    "\"The old tower cannot survive another winter,\" said Dr. Tomasz Pawłuszko, an engineer at the Coastal Institute.\n"
    "Anna Reporter\n"
)
APPLES = (
    "Orchard growers expect a record apple harvest\n"
    "Growers in the Vistula valley expect to pick 4 million tonnes of apples this autumn, a record.\n"
    "Bob Writer\n"
)

ANSWER_KEYS = {"question", "answered", "confidence", "answer", "excerpt", "related", "reason", "invalid", "article_title",
               "people", "page_fact", "read_as", "note", "alternatives"}
SPAN_KEYS = {"text", "start", "end", "article", "paragraph", "speaker"}
EXCERPT_KEYS = {"text", "start", "end"}


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "index", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
        encoding="utf-8", timeout=60, env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("articles")
    (d / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (d / "apples.txt").write_text(APPLES, encoding="utf-8")
    return d


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # no newline translation: offsets are into the file as decoded


def check_answer_json(obj: dict, question: str, files: dict[str, Path]) -> None:
    assert set(obj) == ANSWER_KEYS
    assert obj["question"] == question.strip() or obj["question"] == question
    assert isinstance(obj["answered"], bool) and isinstance(obj["related"], list)
    assert 0.0 <= obj["confidence"] <= 1.0
    for r in obj["related"]:
        assert r["text"] == text_of(files[r["article"]])[r["start"]:r["end"]]
    if not obj["answered"]:
        assert obj["answer"] is None and obj["excerpt"] is None and obj["reason"]
        return
    ans, exc = obj["answer"], obj["excerpt"]
    assert set(ans) == SPAN_KEYS and set(exc) == EXCERPT_KEYS
    text = text_of(files[ans["article"]])
    assert ans["text"] == text[ans["start"]:ans["end"]]
    assert exc["text"] == text[exc["start"]:exc["end"]]
    assert exc["start"] <= ans["start"] < ans["end"] <= exc["end"]
    assert isinstance(ans["paragraph"], int) and ans["paragraph"] >= 1


def test_ask_json(articles):
    path = articles / "lighthouse.txt"
    q = "How much will the project cost?"
    p = run("ask", q, "--json", "--article", str(path))
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    lines = p.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    check_answer_json(obj, q, {"lighthouse": path})
    assert obj["answered"] is True and obj["question"] == q
    assert obj["answer"]["article"] == "lighthouse"
    assert "$7.2 million" in obj["answer"]["text"]


def test_ask_plain_text_shows_the_answer_and_where_it_is(articles):
    p = run("ask", "How much will the project cost?", "--article", str(articles / "lighthouse.txt"))
    assert p.returncode == 0, p.stderr
    assert "$7.2 million" in p.stdout and "lighthouse" in p.stdout and "paragraph 3" in p.stdout


def test_jsonl_one_line_out_per_line_in_in_order_and_deterministic(articles):
    questions = [
        "How much will the project cost?",
        "",
        "Which football club do the growers support?",
        "   ",
        "How many tonnes of apples will growers pick this autumn?",
        "x" * 10_000,
        "When was the tower damaged?",
    ]
    stdin = "\n".join(questions)  # no newline after the last one: EOF ends it
    files = {"lighthouse": articles / "lighthouse.txt", "apples": articles / "apples.txt"}
    outs = []
    for seed in ("1", "2"):  # different hash seeds: no set-order dependence
        p = run("ask", "--jsonl", "--corpus", str(articles), stdin=stdin, env={"PYTHONHASHSEED": seed})
        assert p.returncode == 0, p.stderr
        assert p.stderr == ""
        outs.append(p.stdout)
    assert outs[0] == outs[1]
    lines = outs[0].splitlines()
    assert len(lines) == len(questions)
    objs = [json.loads(line) for line in lines]
    for q, obj in zip(questions, objs):
        check_answer_json(obj, q, files)
    assert [o["question"] for o in objs] == questions
    assert [o["answered"] for o in objs] == [True, False, False, False, True, False, True]
    assert objs[0]["answer"]["article"] == "lighthouse" and objs[4]["answer"]["article"] == "apples"
    assert objs[2]["related"], "an off-topic question gets related passages"
    assert "empty" in objs[1]["reason"] and "10,000" in objs[5]["reason"]
    assert [o["invalid"] for o in objs] == [False, True, False, True, False, True, False]


def test_jsonl_conversation_reads_each_line_as_a_follow_up_and_names_read_as(articles):
    stdin = "How much will the project cost?\nwho said that?\nWhen was the tower damaged?\n"
    p = run("ask", "--jsonl", "--conversation", "--corpus", str(articles), stdin=stdin)
    assert p.returncode == 0, p.stderr
    first, who, own = [json.loads(line) for line in p.stdout.splitlines()]
    assert first["read_as"] is None and own["read_as"] is None  # a full question is read as itself
    assert who["question"] == "who said that?" and who["read_as"].startswith("Who said “")
    assert (who["answer"]["start"], who["answer"]["end"]) == (first["answer"]["start"], first["answer"]["end"])
    alone = run("ask", "--jsonl", "--corpus", str(articles), stdin="who said that?\n")  # no --conversation
    assert json.loads(alone.stdout)["read_as"] is None


def test_jsonl_with_empty_stdin_exits_cleanly(articles):
    p = run("ask", "--jsonl", "--article", str(articles / "apples.txt"), stdin="")
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")


def test_missing_article_is_exit_2_with_one_line(articles, tmp_path):
    missing = tmp_path / "no-such-article.txt"
    p = run("ask", "Who?", "--json", "--article", str(articles / "apples.txt"), "--article", str(missing))
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "no-such-article.txt" in lines[0]
    assert "Traceback" not in p.stderr


def test_binary_article_is_exit_2_with_one_line(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    p = run("quotes", "--json", "--article", str(path))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "photo.txt" in lines[0]


def test_quotes_json_offsets_are_verbatim(articles):
    path = articles / "lighthouse.txt"
    p = run("quotes", "--json", "--article", str(path))
    assert p.returncode == 0, p.stderr
    quotes = json.loads(p.stdout)
    assert quotes, "the article has a quotation"
    text = text_of(path)
    for q in quotes:
        assert set(q) == {"article", "text", "start", "end", "speaker", "cue", "kind"}
        assert q["article"] == "lighthouse" and q["text"] == text[q["start"]:q["end"]]
    assert any("cannot survive another winter" in q["text"] for q in quotes)


def test_experts_and_expert_lookup(articles):
    path = str(articles / "lighthouse.txt")
    p = run("experts", "--json", "--article", path)
    assert p.returncode == 0, p.stderr
    experts = json.loads(p.stdout)
    assert any("Pawłuszko" in e["name"] for e in experts)
    assert all("Anna Reporter" != e["name"] for e in experts), "the author is not an expert"

    p = run("expert", "Pawluszko", "--json", "--article", path)  # folded spelling
    assert p.returncode == 0, p.stderr
    found = json.loads(p.stdout)
    assert found["expert"] is not None and "Pawłuszko" in found["expert"]["name"]


def test_unknown_expert_is_exit_1(articles):
    p = run("expert", "Nobody Known", "--json", "--article", str(articles / "apples.txt"))
    assert p.returncode == 1
    assert json.loads(p.stdout)["expert"] is None


def test_only_answers_from_one_article(articles):
    q = "How many tonnes of apples will growers pick this autumn?"
    both = json.loads(run("ask", q, "--json", "--corpus", str(articles)).stdout)
    assert both["answer"]["article"] == "apples"
    only = json.loads(run("ask", q, "--json", "--corpus", str(articles), "--only", "lighthouse").stdout)
    assert not only["answered"] and all(r["article"] == "lighthouse" for r in only["related"])
    unknown = json.loads(run("ask", q, "--json", "--corpus", str(articles), "--only", "weather").stdout)
    assert unknown["invalid"] and "weather" in unknown["reason"]
