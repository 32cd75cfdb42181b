"""scripts/data/news_questions.jsonl: our news questions over PolNeAR articles (issue 14) are well formed, and,
where ../shared is present, each answer substring is verbatim in the sentence's article."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "scripts" / "data" / "news_questions.jsonl"
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
KINDS = {"who", "what", "when", "where", "why", "how_many", "what_did_x_say", "who_said", "chatty", "misspelt",
         "paraphrase", "unanswerable"}


def _rows() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_question_set_is_big_enough_split_by_article_and_of_every_kind():
    rows = _rows()
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["kind"] for r in rows} == KINDS
    train = {r["article"] for r in rows if r["split"] == "train"}
    dev = {r["article"] for r in rows if r["split"] == "dev"}
    assert train and dev and not train & dev
    assert all(Counter(r["kind"] for r in rows if r["split"] == s)[k] >= 3 for s in ("train", "dev") for k in KINDS)


def test_only_short_answer_substrings_are_kept_never_the_texts():
    for r in _rows():
        assert r["answerable"] == bool(r["answer_contains"]), r["id"]
        assert all(len(s) <= 80 for s in r["answer_contains"]), r["id"]
        assert set(r) <= {"id", "split", "article", "kind", "question", "answerable", "answer_contains", "speaker"}


def test_every_answer_substring_is_in_its_article():
    if not POLNEAR.exists():
        pytest.skip(f"{POLNEAR} not found: the PolNeAR texts are not shipped with the project")
    texts = {}
    for split in ("train", "dev"):
        for line in (POLNEAR / f"polnear_{split}_gold.jsonl").read_text(encoding="utf-8").splitlines():
            if line:
                d = json.loads(line)
                texts[(split, d["doc_id"])] = d["text"]
    for r in _rows():
        text = texts[(r["split"], r["article"])]
        assert all(s in text for s in r["answer_contains"]), r["id"]
