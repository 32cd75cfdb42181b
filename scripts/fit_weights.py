"""Fit the ranking weights on SQuAD: listwise softmax over each question's candidate sentences.

Two-fold by article (fit on half the articles, measure on the other half) so the printed accuracy is
on articles the weights never saw; then fit on all and print the weights by feature name. With
--write, they replace the fitted weights in index/data/weights.json (the hand-set ones are held).
Usage: python scripts/fit_weights.py [--write] [SQUAD_JSON]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from index.question import analyse
from index.retrieval.ranking import NAMES, read_weights, write_weights
from index.retrieval.search import TOP_PASSAGES, TOP_SENTENCES, SearchIndex
from index.squad import load_squad


def collect(path: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(article, features, labels) per answerable question whose candidates hold a gold sentence."""
    articles, questions = load_squad(path)
    indexes = {a.id: SearchIndex([a]) for a in articles}
    out = []
    for sq in questions:
        if not sq.answers:
            continue
        ix = indexes[sq.article]
        q = analyse(sq.question)
        if not q.terms:
            continue
        p_scores = ix.passage_bm25.scores(q.terms)
        s_scores = ix.sentence_bm25.scores(q.terms)
        p_base, s_base = p_scores.base, s_scores.base
        cand = {r for p in p_scores.top(TOP_PASSAGES).tolist() for r in ix.passages[p].sentences}
        cand.update(s_scores.top(TOP_SENTENCES).tolist())
        cands = sorted(cand)
        labels = np.array([any(g in ix.text_of(r) for g in sq.answers) for r in cands], dtype=float)
        feats = ix.features(q, cands, p_scores, s_scores, p_base, s_base)
        out.append((sq.article, feats, labels))
    return out


def fit(data, l2: float = 1e-3, steps: int = 3000, lr: float = 0.05) -> np.ndarray:
    """Adam on the listwise loss -log(sum of softmax over the gold candidates), all questions at once."""
    usable = [(x, y) for _, x, y in data if y.any()]
    X = np.vstack([x for x, _ in usable])
    Y = np.concatenate([y for _, y in usable])
    sizes = np.array([len(y) for _, y in usable])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(usable)), sizes)
    # Hand-set weights (the "hand" part of index/data/weights.json) stay where they are: SQuAD cannot fit them.
    hand = read_weights().hand
    fixed = np.array([NAMES[i] in hand for i in range(X.shape[1])])
    w = np.zeros(X.shape[1])
    w[fixed] = [hand[NAMES[i]] for i in np.flatnonzero(fixed)]
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        s = X @ w
        s -= np.maximum.reduceat(s, starts)[group]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[group]
        pg = p * Y
        pos = pg / np.add.reduceat(pg, starts)[group]
        grad = X.T @ (p - pos) / len(usable) + l2 * w
        grad[fixed] = 0.0
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def accuracy(data, w: np.ndarray) -> float:
    return sum(float(y[int(np.argmax(x @ w))]) for _, x, y in data) / len(data)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--write"]
    path = Path(args[0] if args else "../shared/eval/squad/dev-v2.0-cs224n.json")
    data = collect(path)
    ids = sorted({a for a, _, _ in data})
    half = set(ids[::2])
    a = [d for d in data if d[0] in half]
    b = [d for d in data if d[0] not in half]
    wa, wb = fit(a), fit(b)
    print(f"held-out top-1 (of questions with a gold candidate): fit A -> B {accuracy(b, wa):.1%}, fit B -> A {accuracy(a, wb):.1%}")
    w = fit(data)
    print(f"all: {accuracy(data, w):.1%}")
    for name, v in zip(NAMES, w):
        print(f"  {name:16s} {v:+.3f}")
    if "--write" in sys.argv[1:]:
        write_weights(dict(zip(NAMES, w)))
        print("written to index/data/weights.json")


if __name__ == "__main__":
    main()
