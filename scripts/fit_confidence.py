"""Fit the answer confidence (index/answer/confidence.py): a logistic model of "the answer given is right".

Examples: every question the bot ANSWERS with a ranked sentence (the decision is not touched), labelled right or
wrong by the gold answer:
  - SQuAD answerable and unanswerable questions (an unanswerable one answered is wrong);
  - SQuAD off-topic: every third question asked of the next article, as scripts/eval.py does (always wrong);
  - our news training questions (scripts/data/news_questions.jsonl, split train), each also asked of the next
    news article (off-topic); news examples weigh NEWS_WEIGHT times as much.
Newton's method (IRLS) with an L2 penalty (not on the bias). The figures printed are two-fold by article (fit on
half the articles, predict the other half); news dev is never fitted on. Then it fits on all, prints the
weights, and with --write writes them to index/data/confidence.json with the counts they were fitted on.
Usage: python scripts/fit_confidence.py [--write] [--l2 X] [--news-weight X]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index.answer.compose as compose  # noqa: E402
from index.answer import answer  # noqa: E402
from index.answer.confidence import CONFIDENCE_FILE, NAMES, Evidence, features  # noqa: E402
from index.retrieval.search import SearchIndex  # noqa: E402
from index.squad import load_squad  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad" / "dev-v2.0-cs224n.json"
NEWS_WEIGHT = 10.0
L2 = 5.0
HIGH = 0.75
BINS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 0.9), (0.9, 1.0))


class Recorder:
    """Stands in for compose.probability while collecting: keeps the Evidence of the last ranked answer."""

    def __init__(self) -> None:
        self.last: Evidence | None = None

    def __call__(self, e: Evidence) -> float:
        self.last = e
        return 0.5

    def take(self, a) -> tuple[str, Evidence | None]:
        """('ranked', its Evidence) for a ranked sentence answer, ('rule', None) for one chosen by rule
        (the lead, a byline; confidence unchanged), ('fixed', None) for a list or a page fact."""
        e, self.last = self.last, None
        if a.answer is None:
            return "fixed", None
        return ("ranked", e) if e is not None else ("rule", None)


def _example(source: str, group: str, a, right: bool, rec: Recorder, weight: float = 1.0) -> dict | None:
    kind, e = rec.take(a)
    if not a.answered:
        return None
    return {"source": source, "group": group, "question": a.question, "kind": kind, "right": bool(right), "weight": weight,
            "old": (round(min(1.0, 0.8 * e.coverage + 0.2 * e.type_match), 3) if e else a.confidence),
            "x": [features(e)[n] for n in NAMES] if e else None}


def collect_squad(rec: Recorder) -> list[dict]:
    articles, questions = load_squad(SQUAD)
    indexes = {a.id: SearchIndex([a]) for a in articles}
    ids = [a.id for a in articles]
    out = []
    for q in questions:
        rec.last = None
        a = answer(indexes[q.article], q.question)
        right = bool(a.answered and a.answer) and any(g in a.answer.text for g in q.answers)
        out.append(_example("squad" if q.answers else "squad_unanswerable", q.article, a, right, rec))
    for q in questions[::3]:  # off-topic, as scripts/eval.py asks them
        other = ids[(ids.index(q.article) + 1) % len(ids)]
        rec.last = None
        out.append(_example("squad_off", other, answer(indexes[other], q.question), False, rec))
    return [x for x in out if x]


def collect_news(rec: Recorder, split: str, weight: float) -> list[dict]:
    from scripts.news_questions import POLNEAR, is_right, load_news, news_corpora
    if not (POLNEAR / f"polnear_{split}_gold.jsonl").exists():
        print(f"news {split}: skipped, {POLNEAR} not found")
        return []
    rows = [r for r in load_news() if r["split"] == split]
    corpora = news_corpora(rows)
    arts = sorted(corpora)
    out = []
    for r in rows:
        rec.last = None
        a = corpora[r["article"]].ask(r["question"])
        out.append(_example(f"news_{split}", r["article"], a, r["answerable"] and is_right(r, a), rec, weight))
        other = arts[(arts.index(r["article"]) + 1) % len(arts)]
        rec.last = None
        out.append(_example(f"news_{split}_off", other, corpora[other].ask(r["question"]), False, rec, weight))
    return [x for x in out if x]


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Weighted logistic regression by Newton's method; L2 on every weight but the bias (column 0)."""
    beta = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ beta, -30, 30)))
        grad = X.T @ (w * (p - y)) + penalty * beta
        hess = (X * (w * p * (1 - p))[:, None]).T @ X + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def predict(X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    return np.round(1.0 / (1.0 + np.exp(-np.clip(X @ beta, -30, 30))), 3)


def table(name: str, conf: list[float], right: list[bool]) -> list[str]:
    lines = [f"{name}: {len(conf)} answers, {sum(right)} right"]
    for lo, hi in BINS:
        inside = [ok for c, ok in zip(conf, right) if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if inside:
            lines.append(f"    [{lo:.2f}, {hi:.2f}): {sum(inside) / len(inside):6.1%} ({len(inside)})")
    high = [ok for c, ok in zip(conf, right) if c >= HIGH]
    lines.append(f"    at >= {HIGH}: {sum(high)}/{len(high)} right = {sum(high) / max(len(high), 1):.1%}, "
                 f"{len(high) - sum(high)} wrong")
    return lines


def report(title: str, data: list[dict], conf: list[float]) -> None:
    """Reliability per source group: SQuAD as make eval counts it (answerable + unanswerable), off-topic, news."""
    print(title)
    for name, sources in (("SQuAD (answerable + unanswerable)", ("squad", "squad_unanswerable")),
                          ("SQuAD off-topic", ("squad_off",)), ("news train (+ off-topic)", ("news_train", "news_train_off")),
                          ("news dev", ("news_dev",)), ("news dev off-topic", ("news_dev_off",))):
        picked = [(c, d["right"]) for c, d in zip(conf, data) if d["source"] in sources]
        if picked:
            print("\n".join(table("  " + name, [c for c, _ in picked], [r for _, r in picked])))


def log_loss(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--news-weight", type=float, default=NEWS_WEIGHT)
    ap.add_argument("--cache", type=Path, help="keep the collected examples in this file (to refit without answering)")
    args = ap.parse_args()
    if args.cache and args.cache.exists():
        data = json.loads(args.cache.read_text())
    else:
        rec = Recorder()
        compose.probability = rec  # collect the evidence; the decision does not depend on the confidence
        data = collect_squad(rec) + collect_news(rec, "train", 1.0) + collect_news(rec, "dev", 1.0)
        if args.cache:
            args.cache.write_text(json.dumps(data))
    for d in data:
        if d["source"].startswith("news"):
            d["weight"] = args.news_weight
    ranked = [d for d in data if d["kind"] == "ranked"]
    fitting = [d for d in ranked if not d["source"].startswith("news_dev")]
    others = [d for d in data if d["kind"] != "ranked"]
    print(f"answers: {len(data)}; ranked sentences {len(ranked)} ({len(fitting)} to fit on, not news dev); "
          f"by rule or lists (confidence unchanged) {len(others)}, right {sum(d['right'] for d in others)}")
    X = np.array([d["x"] for d in fitting])
    y = np.array([float(d["right"]) for d in fitting])
    w = np.array([d["weight"] for d in fitting])
    groups = sorted({d["group"] for d in fitting})
    half = set(groups[::2])
    in_a = np.array([d["group"] in half for d in fitting])
    held = np.zeros(len(fitting))
    for train in (in_a, ~in_a):
        held[~train] = predict(X[~train], fit(X[train], y[train], w[train], args.l2))
    beta = fit(X, y, w, args.l2)
    print(f"held-out log loss {log_loss(held, y, w):.4f}; fitted on all {log_loss(predict(X, beta), y, w):.4f}")
    dev = [d for d in ranked if d["source"].startswith("news_dev")]
    held_all = {id(d): c for d, c in zip(fitting, held)}
    if dev:
        dev_p = predict(np.array([d["x"] for d in dev]), beta)
        held_all.update({id(d): c for d, c in zip(dev, dev_p)})
    everything = ranked + others
    old = [d["old"] for d in everything]
    new = [held_all[id(d)] if d["kind"] == "ranked" else d["old"] for d in everything]
    report("BEFORE (0.8 coverage + 0.2 type match):", everything, old)
    report("AFTER, held out (two-fold by article; news dev by the fit on all):", everything, new)
    print("weights (fitted on all):")
    for name, v in zip(NAMES, beta):
        print(f"  {name:16s} {v:+.3f}")
    if args.write:
        counts: dict[str, list[int]] = {}
        for d in fitting:
            c = counts.setdefault(d["source"], [0, 0])
            c[0] += 1
            c[1] += d["right"]
        CONFIDENCE_FILE.write_text(json.dumps({
            "about": "Weights of index.answer.confidence.features, by name: a logistic model of 'the answer given is "
                     "right', written by scripts/fit_confidence.py --write (Newton, L2, two-fold by article for its "
                     "figures, then fitted on all the examples below).",
            "weights": {n: round(float(v), 4) for n, v in zip(NAMES, beta)},
            "fitted_on": {
                "examples": {s: {"answers": n, "right": r} for s, (n, r) in sorted(counts.items())},
                "news_weight": args.news_weight, "l2": args.l2,
                "held_out_log_loss": round(log_loss(held, y, w), 4),
            },
        }, indent=2) + "\n", encoding="utf-8")
        print(f"written to {CONFIDENCE_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
