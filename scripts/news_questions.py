"""Our news questions (scripts/data/news_questions.jsonl) over PolNeAR articles: loading and the report.

Each row: id, split (train: fitting; dev: reporting), PolNeAR article id, kind (who/what/when/where/why/
how_many/what_did_x_say/who_said/chatty/misspelt/paraphrase/unanswerable), the question as a Discord user
types it, answerable, and short substrings of the sentence that answers it. They were written NewsQA-style:
from the headline and first paragraph only, then matched to the article. Only ids and those substrings are in
the project; the texts are read from ../shared/eval/polnear/ (the publishers'), where it exists.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from index.corpus import Corpus
from index.models import ArticleMeta
from index.text.article import parse_article
from index.text.parser import spacy_parser

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "scripts" / "data" / "news_questions.jsonl"
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
HIGH = 0.75


def load_news(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _texts(split: str) -> dict[str, str]:
    rows = (json.loads(line) for line in (POLNEAR / f"polnear_{split}_gold.jsonl").read_text(encoding="utf-8").splitlines() if line)
    return {r["doc_id"]: r["text"] for r in rows}


def news_corpora(rows: list[dict]) -> dict[str, Corpus]:
    """One corpus per article the rows ask about, attributed with the parse as the bot does."""
    wanted = {(r["split"], r["article"]) for r in rows}
    texts = {split: _texts(split) for split in {s for s, _ in wanted}}
    return {a: Corpus.build([parse_article(texts[s][a], ArticleMeta(id=a))], parser=spacy_parser) for s, a in sorted(wanted)}


def is_right(r: dict, a) -> bool:
    """Whether the Answer `a` to the news question `r` holds its answer (for an answerable question)."""
    text = a.answer.text if a.answered and a.answer else ""
    ok = any(s in text for s in r["answer_contains"])
    if r["kind"] == "who_said" and r.get("speaker") and a.answered and a.answer and a.answer.speaker:
        # "who said …?" is answered by who: the quotation given with the right speaker is right too
        ok = ok or r["speaker"].casefold() in a.answer.speaker.name.casefold()
    return ok


def news_report(split: str = "dev") -> list[str]:
    if not (POLNEAR / f"polnear_{split}_gold.jsonl").exists():
        return [f"news questions: skipped, {POLNEAR} not found"]
    rows = [r for r in load_news() if r["split"] == split]
    corpora = news_corpora(rows)
    arts = sorted(corpora)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # asked, right, wrong, declined
    answerable = right = wrong_high = high = top = 0
    uncovered = uncovered_declined = 0
    for r in rows:
        a = corpora[r["article"]].ask(r["question"])
        ok = is_right(r, a)
        k = by_kind[r["kind"]]
        k[0] += 1
        if r["answerable"]:
            answerable += 1
            shown = [a.answer.text] if a.answer else [alt.text for alt in a.alternatives] or [c.text for c in a.related[:1]]
            top += any(s in t for t in shown for s in r["answer_contains"])
            right += ok
            k[1] += ok
            k[2] += a.answered and not ok
            k[3] += not a.answered
        else:
            uncovered += 1
            uncovered_declined += not a.answered
            k[1] += not a.answered
            k[2] += a.answered
        if a.answered and a.confidence >= HIGH:
            high += 1
            wrong_high += not ok
    off = off_declined = 0
    for r in rows:  # off-topic: the question asked of the next article
        other = corpora[arts[(arts.index(r["article"]) + 1) % len(arts)]]
        off += 1
        off_declined += not other.ask(r["question"]).answered
    lines = [
        f"news questions ({split}, {len(rows)} over {len(arts)} PolNeAR articles): answered right {right}/{answerable} = "
        f"{right / max(answerable, 1):.1%} (bar >= 80%); the answer, an alternative shown, or the first passage shown with a decline holds it {top}/{answerable} = "
        f"{top / max(answerable, 1):.1%}",
        f"news questions: not covered declined {uncovered_declined}/{uncovered} = {uncovered_declined / max(uncovered, 1):.1%}; "
        f"off-topic declined {off_declined}/{off} = {off_declined / max(off, 1):.1%} (bar >= 90%); wrong at high confidence "
        f"{wrong_high}/{high} answers at >= {HIGH} = {wrong_high / max(high, 1):.1%} (bar <= 3%)",
        "news questions by kind (asked: right / wrong / declined; for unanswerable ones right = declined):",
    ]
    for kind in sorted(by_kind):
        n, ok, bad, dec = by_kind[kind]
        lines.append(f"    {kind:15s} {n:3d}: {ok} / {bad} / {dec}")
    return lines


if __name__ == "__main__":
    import sys
    print("\n".join(news_report(sys.argv[1] if len(sys.argv) > 1 else "dev")))
