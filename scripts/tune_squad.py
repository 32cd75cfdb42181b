"""Quick SQuAD retrieval measurement used while fitting weights (make eval prints the full report)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from index.answer import answer
from index.search import SearchIndex
from index.squad import load_squad

path = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/squad/dev-v2.0-cs224n.json")
articles, questions = load_squad(path)
indexes = {a.id: SearchIndex([a]) for a in articles}
hit = answered = total = 0
unans = unans_declined = 0
t0 = time.perf_counter()
for q in questions:
    ans = answer(indexes[q.article], q.question)
    if q.answers:
        total += 1
        if ans.answered:
            answered += 1
        top = indexes[q.article].rank(__import__("index.question", fromlist=["analyse"]).analyse(q.question), limit=1)
        text = indexes[q.article].text_of(top[0].row) if top else ""
        if any(g in text for g in q.answers):
            hit += 1
    else:
        unans += 1
        unans_declined += not ans.answered
dt = time.perf_counter() - t0
# Off-topic: every question of article i asked of article i+1.
ids = [a.id for a in articles]
off = off_declined = 0
for q in questions[::5]:
    other = ids[(ids.index(q.article) + 1) % len(ids)]
    off += 1
    off_declined += not answer(indexes[other], q.question).answered
print(f"top1 {hit}/{total} = {hit/total:.1%}; answered {answered/total:.1%}; unanswerable declined {unans_declined/unans:.1%}; off-topic declined {off_declined/off:.1%}; {dt:.1f}s")
