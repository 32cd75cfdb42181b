"""make bench, the archive sizes: the index of 1,000 and 10,000 synthetic articles (scripts/bench_lifecycle's
generator), built once into .bench-cache/ and reused while the index code is unchanged.

For each size it prints:
- the build from scratch (in a fresh process: seconds and peak RSS; or "reused");
- the load in a fresh process (seconds, RSS after load);
- the answer time per question kind (p50/p99 over the corpus);
- a one-article refresh: until answers use it, until saved, and the bytes written;
- passage scoring, ours beside bm25s and rank_bm25 over the same tokens in the same run, with the ratios.

Usage: python scripts/bench_scale.py [N ...]   (default: 1000 10000)
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_lifecycle import synthetic_question, write_synthetic  # noqa: E402

CACHE = ROOT / ".bench-cache"
GOALS = {"load_s": 1.0, "rss_mib": 600, "swap_s": 0.5, "saved_s": 1.0, "written_mib": 10.0, "p99_ms": 10.0,
         "build_peak_gib": 2.0}
KINDS = {
    "ordinary": [synthetic_question(50_000 + i) for i in range(120)],
    "author": ["Who wrote the article?", "who is the author of this?", "Who wrote it?"] * 10,
    "about": ["What is this article about?", "summarize", "tl;dr", "what's the main point?"] * 8,
    "typo": ["what did the ministr say abut energy pricess?", "wen will the harbor expanson finish?",
             "who sayd the drougth will end?"] * 10,
    "opinion": ["What does Anna Kowalski think about the drought?", "What did Dr. Sarah Smith say about the grid?",
                "what does professor Tanaka say about mortgage rates?"] * 10,
}
_BUILD = """
import json, resource, sys, time
from index.service import QAService
t = time.perf_counter()
svc = QAService.open([sys.argv[1]], sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "startup": svc.startup}))
"""
_LOAD = """
import json, sys, time
from index.service import QAService
import psutil
t = time.perf_counter()
svc = QAService.open([sys.argv[1]], sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "rss_mib": psutil.Process().memory_info().rss / 2**20,
                  "startup": svc.startup}))
"""


def _child(code: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True, timeout=7200)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _mark(value: float, goal: float) -> str:
    return "ok" if value <= goal else f"OVER the {goal:g} goal"


def _written() -> int:
    with open("/proc/self/io") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("wchar:"))


def report(n: int) -> list[str]:
    from index.service import QAService

    folder, idx = CACHE / f"articles-{n}", CACHE / f"index-{n}"
    if not (folder / f"syn-{n - 1:04d}.txt").exists():
        write_synthetic(folder, n)
    build = _child(_BUILD, str(folder), str(idx))
    lines = []
    if build["startup"] and build["startup"][-1].startswith("loaded the saved index"):
        lines.append(f"{n:,} articles: the index in {idx.relative_to(ROOT)} reused (delete it to time a build)")
    else:
        lines.append(f"{n:,} articles: build + save from scratch {build['seconds']:.0f} s, peak RSS "
                     f"{build['peak_mib'] / 1024:.2f} GiB [{_mark(build['peak_mib'] / 1024, GOALS['build_peak_gib'])}]")
    load = _child(_LOAD, str(folder), str(idx))
    assert load["startup"][-1].startswith("loaded the saved index"), load["startup"]
    lines.append(f"  load in a fresh process {load['seconds']:.2f} s [{_mark(load['seconds'], GOALS['load_s'])}], "
                 f"RSS after load {load['rss_mib']:.0f} MiB [{_mark(load['rss_mib'], GOALS['rss_mib'])}]")

    svc = QAService.open([str(folder)], idx)
    for kind, questions in KINDS.items():
        for q in questions[:3]:
            svc.ask(q)  # warm-up
        times = []
        for q in questions:
            t = time.perf_counter()
            svc.ask(q)
            times.append((time.perf_counter() - t) * 1000)
        lines.append(f"  answer, {kind:8s} p50 {statistics.median(times):6.2f} ms  p99 {_pct(times, 99):6.2f} ms "
                     f"[{_mark(_pct(times, 99), GOALS['p99_ms'])}]")

    target = folder / f"syn-{n // 2:04d}.txt"
    original = target.read_text(encoding="utf-8")
    changed = original + "The ferry to Hel will run again from 3 May, officials said.\n"
    try:  # twice: the first refresh after a start also loads spaCy's model; the second puts the text back
        for label, text in (("first after start", changed), ("next", original)):
            target.write_text(text, encoding="utf-8")
            before = _written()
            rep = asyncio.run(svc.refresh(target.stem, actor="bench"))
            written = (_written() - before) / 2**20
            assert rep.ok and rep.changes[0].status == "updated", rep.lines
            lines.append(f"  refresh one article ({label}): answers use it after {rep.seconds_to_swap:.2f} s "
                         f"[{_mark(rep.seconds_to_swap, GOALS['swap_s'])}], saved after {rep.seconds_total:.2f} s "
                         f"[{_mark(rep.seconds_total, GOALS['saved_s'])}], {written:.1f} MiB written "
                         f"[{_mark(written, GOALS['written_mib'])}]")
    finally:
        if target.read_text(encoding="utf-8") != original:
            target.write_text(original, encoding="utf-8")
    lines.extend(_scoring(svc.corpus))
    return lines


def _scoring(corpus) -> list[str]:
    """Passage scoring only, over the same tokens: ours (the postings a question touches), bm25s (top 10) and plain
    rank_bm25 (every passage), in this process."""
    from index.text.tokenize import tokenize

    search = corpus.search
    texts = [search.articles[p.article].text[search.articles[p.article].paragraph(p.paragraph).start:
                                             search.articles[p.article].paragraph(p.paragraph).end]
             for p in search.passages]
    tokens = [tokenize(t) for t in texts]
    queries = [tokenize(q) for q in KINDS["ordinary"][:40]]
    ours = []
    for q in queries:
        t = time.perf_counter()
        search.passage_bm25.scores(q).top(10)
        ours.append((time.perf_counter() - t) * 1000)
    lines = [f"  passage top-10, ours:   p50 {statistics.median(ours):7.2f} ms  p99 {_pct(ours, 99):7.2f} ms"]
    try:
        import bm25s
    except ImportError:
        lines.append("  bm25s: not installed (pip install -e '.[bench]'; make bench does)")
    else:
        retriever = bm25s.BM25(method="bm25+", k1=1.2, b=0.75, delta=1.0)
        retriever.index(tokens, show_progress=False)
        theirs = []
        for q in queries:
            t = time.perf_counter()
            retriever.retrieve([q], k=10, show_progress=False)
            theirs.append((time.perf_counter() - t) * 1000)
        lines.append(f"  passage top-10, bm25s:  p50 {statistics.median(theirs):7.2f} ms  p99 {_pct(theirs, 99):7.2f} ms"
                     f"  (ours / bm25s p50: {statistics.median(ours) / statistics.median(theirs):.2f}x)")
    from rank_bm25 import BM25Plus

    plain = BM25Plus(tokens)
    base = []
    for q in queries[:10]:  # seconds each at 10,000 articles
        t = time.perf_counter()
        plain.get_scores(q)
        base.append((time.perf_counter() - t) * 1000)
    lines.append(f"  passage scores, rank_bm25: p50 {statistics.median(base):7.1f} ms  "
                 f"(rank_bm25 / ours p50: {statistics.median(base) / statistics.median(ours):,.0f}x)")
    return lines


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    for n in sizes:
        print("\n".join(report(n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
