"""SQuAD 2.0 articles as news-like articles, for measuring retrieval on text we never tuned to by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .text.article import parse_article
from .models import Article, ArticleMeta


@dataclass(frozen=True)
class SquadQuestion:
    article: str
    question: str
    answers: tuple[str, ...]  # gold answer texts; empty for unanswerable questions


def load_squad(path: Path) -> tuple[list[Article], list[SquadQuestion]]:
    """Each SQuAD article becomes one article: its paragraphs joined by newlines."""
    data = json.loads(path.read_text(encoding="utf-8"))
    articles, questions = [], []
    for n, entry in enumerate(data["data"]):
        aid = f"squad-{n:02d}"
        paragraphs = [p["context"].replace("\n", " ") for p in entry["paragraphs"]]
        articles.append(parse_article("\n".join(paragraphs), ArticleMeta(id=aid, title=entry["title"])))
        for p in entry["paragraphs"]:
            for qa in p["qas"]:
                answers = tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                questions.append(SquadQuestion(aid, qa["question"], () if qa.get("is_impossible") else answers))
    return articles, questions
