"""make eval: answer quality on the seed questions and on SQuAD 2.0, plus attribution quality.

Reads ../shared/eval/ (beside the project); prints what it could not find instead of failing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.corpus import Corpus  # noqa: E402
from index.retrieval.search import SearchIndex  # noqa: E402
from index.answer import answer  # noqa: E402
from index.squad import load_squad  # noqa: E402
from index.text.spelling import is_english_word  # noqa: E402
from index.question import analyse  # noqa: E402

HIGH_CONFIDENCE = 0.75  # what issue 14 calls a "high" confidence

SHARED = ROOT.parent / "shared" / "eval"


def seed_report(corpus: Corpus, path: Path, calibration: list[tuple[float, bool]]) -> list[str]:
    """The seed questions; each answer given is added to `calibration` as (confidence, right)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    hits = declined = speaker_ok = speaker_n = 0
    misses = []
    for r in answerable:
        a = corpus.ask(r["question"])
        text = a.answer.text if a.answer else ""
        ok = any(s in text for s in r["answer_contains"])
        hits += ok
        declined += not a.answered
        if a.answered:
            calibration.append((a.confidence, ok))
        if "speaker" in r:
            speaker_n += 1
            speaker_ok += bool(a.answer and a.answer.speaker and a.answer.speaker.name == r["speaker"])
        if not ok:
            misses.append(f"    miss {r['id']}: {r['question']!r} -> {text[:90]!r}")
    declined_ok = 0
    for r in unanswerable:
        a = corpus.ask(r["question"])
        declined_ok += not a.answered
        if a.answered:
            calibration.append((a.confidence, False))
    return [
        f"seed QA: answer contains expected text {hits}/{len(answerable)} = {hits / len(answerable):.1%} (bar: >= 95%)",
        f"seed QA: unanswerable declined {declined_ok}/{len(unanswerable)} (bar: all); answerable declined {declined} (bar: <= 1)",
        f"seed QA: answer speaker right {speaker_ok}/{speaker_n}",
        *misses,
    ]


def squad_report(path: Path, calibration: list[tuple[float, bool]]) -> list[str]:
    """SQuAD's figures; the reliability table over its answers and those already in `calibration` (the seed's)."""
    t0 = time.perf_counter()
    articles, questions = load_squad(path)
    indexes = {a.id: SearchIndex([a]) for a in articles}
    build = time.perf_counter() - t0
    top1 = span_hit = either = ans_declined = n_ans = un_declined = n_un = alt_un = 0
    t0 = time.perf_counter()
    for q in questions:
        a = answer(indexes[q.article], q.question)
        right = bool(a.answered and a.answer) and any(g in a.answer.text for g in q.answers)
        if a.answered:
            calibration.append((a.confidence, right))
        if q.answers:
            n_ans += 1
            ans_declined += not a.answered
            # The top-ranked sentence, answered or not: retrieval quality apart from the decline decision.
            index = indexes[q.article]
            ranked = index.rank(index.spelled(analyse(q.question), is_english_word), limit=1)
            best = indexes[q.article].text_of(ranked[0].row) if ranked else ""
            top1 += any(g in best for g in q.answers)
            span_hit += right
            either += right or any(g in alt.text for alt in a.alternatives for g in q.answers)
        else:
            n_un += 1
            un_declined += not a.answered
            alt_un += bool(a.alternatives)
    elapsed = time.perf_counter() - t0
    ids = [a.id for a in articles]
    off = off_declined = off_alt = 0
    for q in questions[::3]:  # off-topic: a question about article i asked of article i+1
        other = ids[(ids.index(q.article) + 1) % len(ids)]
        off += 1
        got = answer(indexes[other], q.question)
        off_declined += not got.answered
        off_alt += bool(got.alternatives)
    return [
        f"SQuAD: top answer sentence contains a gold answer {top1}/{n_ans} = {top1 / n_ans:.1%} (naive BM25: 71%, 75% stemmed; bar: >= 81%)",
        f"SQuAD: answered and the answer span (1-2 sentences) contains a gold answer {span_hit}/{n_ans} = {span_hit / n_ans:.1%} (bar: >= 76%)",
        f"SQuAD: the answer or one of the two alternatives shown contains a gold answer {either}/{n_ans} = {either / n_ans:.1%} (bar: >= 88%)",
        f"SQuAD: unanswerable not answered {un_declined}/{n_un} = {un_declined / n_un:.1%} (bar: >= 20%; {alt_un} of them with alternatives); answerable not answered {ans_declined}/{n_ans} = {ans_declined / n_ans:.1%}",
        f"SQuAD: off-topic (another article's questions) not answered {off_declined}/{off} = {off_declined / off:.1%} (bar: >= 98%; {off_alt} with alternatives)",
        *reliability(calibration),
        f"SQuAD: {len(articles)} articles indexed in {build:.2f}s; {len(questions)} questions in {elapsed:.1f}s ({elapsed / len(questions) * 1000:.2f} ms each)",
    ]


def reliability(calibration: list[tuple[float, bool]]) -> list[str]:
    """Confidence bins against the share right, over the answers given (SQuAD answerable and unanswerable,
    and the seed questions)."""
    lines = ["confidence reliability (answers given; SQuAD + seed; the confidence is fitted on these SQuAD answers, "
             "held-out figures: scripts/fit_confidence.py): bin -> share right (answers)"]
    for lo, hi in ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 0.9), (0.9, 1.0)):
        inside = [ok for c, ok in calibration if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if inside:
            lines.append(f"    [{lo:.2f}, {hi:.2f}): {sum(inside) / len(inside):.1%} ({len(inside)})")
    high = [ok for c, ok in calibration if c >= HIGH_CONFIDENCE]
    lines.append(f"confidence: right among answers at 'high' (>= {HIGH_CONFIDENCE}) {sum(high)}/{len(high)} = "
                 f"{sum(high) / max(len(high), 1):.1%} (bar: >= 90%)")
    return lines


def polnear_report(scorer: Path) -> list[str]:
    """PolNeAR dev through its own scorer (it runs `python -m index quotes` over the dev articles)."""
    out = subprocess.run([sys.executable, str(scorer), "--split", "dev", "--python", sys.executable],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    if out.returncode:
        return [f"PolNeAR: scorer failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}"]
    return [line for line in out.stdout.splitlines() if line.startswith("PolNeAR")]


def main() -> int:
    lines: list[str] = []
    corpus = Corpus.from_paths()
    seed = SHARED / "seed_qa_dev.jsonl"
    calibration: list[tuple[float, bool]] = []  # (confidence, right) of every answer given, for the reliability table
    lines += seed_report(corpus, seed, calibration) if seed.exists() else [f"seed QA: skipped, {seed} not found"]
    squad = SHARED / "squad" / "dev-v2.0-cs224n.json"
    lines += squad_report(squad, calibration) if squad.exists() else [f"SQuAD: skipped, {squad} not found"]
    from scripts.news_questions import news_report
    lines += news_report("dev")
    try:
        from scripts.eval_attribution import report as attribution_report
    except ImportError as exc:
        lines.append(f"attribution: skipped ({exc})")
    else:
        lines += attribution_report()
    scorer = SHARED / "polnear" / "score.py"
    lines += polnear_report(scorer) if scorer.exists() else [f"PolNeAR: skipped, {scorer} not found"]
    from scripts.eval_pronouns import report as pronoun_report
    lines += pronoun_report("dev")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
