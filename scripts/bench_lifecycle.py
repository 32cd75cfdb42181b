"""Index lifecycle benchmark: start-up from a saved index, and 1,000 articles (~40,000 passages).

Prints: start-up with the saved shipped index (time to ready after imports, in a fresh
process); for 1,000 synthetic articles (seeded, varied English: people, places, numbers,
quotes, not copies of one article): parse + build + save time, load time (fresh process),
refresh of one changed article (time to swap, time to saved), p50/p99 answer time over
the corpus, and resident memory; and the longest event-loop stall while a reindex rebuilds
2,000 changed articles.

Usage: python scripts/bench_lifecycle.py [N_ARTICLES]; `report()` returns the lines.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

N_ARTICLES = 1000
N_QUESTIONS = 500
TARGETS = {"startup": 0.3, "load": 2.0, "refresh": 1.0, "p99_ms": 30.0}

# --- synthetic articles -----------------------------------------------------------------------


FIRST = """Anna Marek Tomasz Julia Piotr Ewa Daniel Maria Jan Katarzyna Michael Sarah David Laura James Emma
Robert Olivia Carlos Sofia Ahmed Leila Kenji Yuki Pierre Claire Hans Greta Ivan Olga Nadia Samuel Grace""".split()
LAST = """Kowalski Nowak Wiśniewski Zieliński Szymański Smith Johnson Brown Garcia Martinez Müller Schmidt
Dubois Laurent Rossi Bianchi Tanaka Suzuki Haddad Rahman Petrov Ivanova Novak Horvat Lindqvist Berg""".split()
TITLES = ["Dr.", "Prof.", "Dr. hab.", ""]
ROLES = """economist analyst historian diplomat engineer epidemiologist climate scientist lawyer professor
researcher spokesperson minister senator mayor director adviser""".split()
INSTITUTIONS = """University of Warsaw|Jagiellonian University|the European Commission|the World Bank|the Red Cross|
the Institute of International Affairs|the Central Bank|the Ministry of Finance|the Port Authority|
the National Health Service|the Polish Academy of Sciences|the Atlantic Council|the city council|
the Energy Regulatory Office|the Supreme Court""".replace("\n", "").split("|")
PLACES = """Warsaw Gdańsk Kraków Berlin Brussels Vienna Prague Kyiv Vilnius Riga Tallinn Helsinki Oslo
Madrid Lisbon Rome Athens Istanbul Cairo Nairobi Tokyo Seoul Ottawa Chicago Denver Anchorage Geneva""".split()
TOPICS = [
    ("energy prices", "the grid", "gas imports", "wind farms", "the heating season"),
    ("the harbour expansion", "container traffic", "dredging works", "the new terminal", "shipping fees"),
    ("the vaccination campaign", "hospital capacity", "the flu season", "waiting lists", "nurses' pay"),
    ("the election", "turnout", "the coalition talks", "the opposition", "campaign spending"),
    ("the drought", "river levels", "crop yields", "irrigation", "water rationing"),
    ("the rail strike", "commuter services", "wage demands", "the transport ministry", "freight delays"),
    ("the peace talks", "the ceasefire", "prisoner exchanges", "sanctions", "the border crossing"),
    ("housing costs", "mortgage rates", "rental prices", "new construction", "zoning rules"),
    ("the school reform", "teacher shortages", "exam results", "the curriculum", "class sizes"),
    ("the flood defences", "the embankment", "storm warnings", "evacuation plans", "insurance claims"),
    ("artificial intelligence", "data centres", "chip supplies", "privacy rules", "software exports"),
    ("the budget deficit", "tax revenue", "defence spending", "public debt", "pension payments"),
]
VERBS = """announced warned confirmed denied estimated reported proposed rejected approved delayed postponed
expanded reduced doubled questioned defended criticised welcomed""".split()
ADJ = """significant unexpected modest sharp gradual temporary lasting costly controversial limited broad
cautious urgent long-awaited disputed""".split()
MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
CONNECT = ["However,", "Meanwhile,", "At the same time,", "Still,", "In addition,", "By contrast,", "Earlier,", ""]
CAUSES = ["because of rising costs", "due to the weather", "after months of negotiation", "as demand fell",
          "following a court ruling", "since the last review", "thanks to new funding", "owing to staff shortages"]


class _Gen:
    def __init__(self, rng: random.Random):
        self.r = rng

    def person(self) -> tuple[str, str]:
        r = self.r
        name = f"{r.choice(FIRST)} {r.choice(LAST)}"
        title = r.choice(TITLES)
        desc = f"{r.choice(ROLES)} at {r.choice(INSTITUTIONS)}"
        return (f"{title} {name}".strip(), desc)

    def number(self) -> str:
        r = self.r
        k = r.randrange(5)
        if k == 0:
            return f"{r.randint(2, 95)} percent"
        if k == 1:
            return f"{r.randint(2, 900)} million euros"
        if k == 2:
            return f"{r.randint(12, 9800):,} people"
        if k == 3:
            return f"{r.choice(['two', 'three', 'five', 'seven', 'ten', 'twelve'])} years"
        return f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(1995, 2025)}"

    def sentence(self, topic: tuple[str, ...], people: list[tuple[str, str]]) -> str:
        r = self.r
        a, b = r.sample(topic, 2)
        place = r.choice(PLACES)
        inst = r.choice(INSTITUTIONS)
        name, _ = r.choice(people)
        surname = name.split()[-1]
        c = r.choice(CONNECT)
        k = r.randrange(9)
        if k == 0:
            s = f"{inst[0].upper() + inst[1:]} {r.choice(VERBS)} a {r.choice(ADJ)} change to {a} in {place} on {r.choice(DAYS)}."
        elif k == 1:
            s = f"The cost of {a} rose by {self.number()} {r.choice(CAUSES)}, according to figures from {inst}."
        elif k == 2:
            s = f'"{a[0].upper() + a[1:]} will not improve until {b} is addressed," {surname} said.'
        elif k == 3:
            s = f"{surname} said that {a} had become {r.choice(ADJ)} for residents of {place}."
        elif k == 4:
            s = f"Officials in {place} expect {b} to reach {self.number()} by {r.choice(MONTHS)}."
        elif k == 5:
            s = f"Critics argue that {a} and {b} are linked, and that the plan was {r.choice(VERBS)} too late."
        elif k == 6:
            s = f"According to {name}, {b} in {place} was {r.choice(ADJ)} {r.choice(CAUSES)}."
        elif k == 7:
            s = f"The {r.choice(ADJ)} decision on {a} affects about {self.number()} in the {place} region."
        else:
            s = f"When asked about {b}, the {r.choice(ROLES)} {r.choice(VERBS)} any link to {a}."
        return f"{c} {s[0].lower() + s[1:]}" if c and not s.startswith('"') and not s.startswith("The cost") else s


def synthetic_article(seed: int, paragraphs: int = 40) -> tuple[str, dict]:
    """(text, sidecar metadata) of one synthetic article."""
    r = random.Random(seed)
    g = _Gen(r)
    topic = r.choice(TOPICS)
    people = [g.person() for _ in range(r.randint(2, 4))]
    title = f"{topic[0][0].upper() + topic[0][1:]} in {r.choice(PLACES)}: what changes after {r.choice(MONTHS)}"
    lines = [title]
    for i in range(paragraphs):
        if i % 12 == 6:
            name, desc = r.choice(people)
            lines.append(f"{name}, {desc}")  # a name line, as news pages have
            continue
        lines.append(" ".join(g.sentence(topic, people) for _ in range(r.randint(1, 3))))
    author = f"{r.choice(FIRST)} {r.choice(LAST)}"
    lines.append(author)
    return "\n".join(lines) + "\n", {"title": title, "author": author, "source": "Synthetic News"}


def synthetic_question(seed: int) -> str:
    r = random.Random(seed)
    g = _Gen(r)
    topic = r.choice(TOPICS)
    a, b = r.sample(topic, 2)
    forms = [
        f"What happened to {a} in {r.choice(PLACES)}?",
        f"Why did the cost of {a} rise?",
        f"Who said {a} will not improve?",
        f"When is {b} expected to reach its peak?",
        f"How many people are affected by {a}?",
        f"What did {r.choice(INSTITUTIONS)} announce about {b}?",
    ]
    del g
    return r.choice(forms)


# --- measurements -----------------------------------------------------------------------------

_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from index.service import QAService
import psutil
t1 = time.perf_counter()
svc = QAService.open([sys.argv[1]], sys.argv[2])
t2 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "ready": t2 - t1, "startup": svc.startup,
                  "rss_mb": psutil.Process().memory_info().rss / 2**20, "articles": len(svc.corpus.articles)}))
"""


def _fresh_process_open(source: Path, index_dir: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _CHILD, str(source), str(index_dir)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_synthetic(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text, meta = synthetic_article(i)
        (folder / f"syn-{i:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"syn-{i:04d}.json").write_text(json.dumps(meta), encoding="utf-8")


def _stamps(folder: Path) -> dict[Path, tuple[int, int, int]]:
    """Each file's inode, mtime and size: a file a save wrote (or replaced) has new ones."""
    return {p: (st.st_ino, st.st_mtime_ns, st.st_size) for p in folder.rglob("*") if p.is_file() for st in [p.stat()]}


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _mark(value: float, target: float) -> str:
    return "ok" if value <= target else f"OVER the {target:g} target"


def report(n_articles: int = N_ARTICLES) -> list[str]:
    import psutil

    from index.corpus import DEFAULT_ARTICLES_DIR
    from index.service import QAService

    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as tmp:
        tmp = Path(tmp)
        # 1. Start-up with a saved index of the shipped article, in a fresh process.
        QAService.open([str(DEFAULT_ARTICLES_DIR)], tmp / "shipped-idx")
        child = _fresh_process_open(DEFAULT_ARTICLES_DIR, tmp / "shipped-idx")
        assert child["startup"][0].startswith("loaded the saved index"), child["startup"]
        lines.append(f"start-up, saved shipped index: ready in {child['ready'] * 1000:.0f} ms after imports "
                     f"({child['imports'] * 1000:.0f} ms of imports) [{_mark(child['ready'], TARGETS['startup'])}]")

        # 2. n synthetic articles: build and save.
        folder = tmp / "articles"
        write_synthetic(folder, n_articles)
        idx = tmp / "idx"
        t = time.perf_counter()
        svc = QAService.open([str(folder)], idx)
        build_s = time.perf_counter() - t
        info = svc.about()
        snap = max(idx.glob("corpus-*.pkl"), key=lambda p: p.stat().st_mtime)
        seg_bytes = sum(p.stat().st_size for p in (idx / "segments").glob("*.pkl"))
        lines.append(f"{n_articles} articles: {info.passages:,} passages, {info.sentences:,} sentences, {info.quotes:,} quotes; "
                     f"parse + build + save {build_s:.1f} s (snapshot {(snap.stat().st_size + seg_bytes) / 2**20:.0f} MiB: "
                     f"corpus part {snap.stat().st_size / 2**20:.1f} MiB, segments {seg_bytes / 2**20:.0f} MiB)")

        # 3. Load in a fresh process (hashes every file to check the sources, then unpickles).
        child = _fresh_process_open(folder, idx)
        assert child["startup"][0].startswith("loaded the saved index"), child["startup"]
        lines.append(f"load saved index ({n_articles} articles, fresh process): {child['ready']:.2f} s "
                     f"[{_mark(child['ready'], TARGETS['load'])}], RSS after load {child['rss_mb']:.0f} MiB")

        # 4. Answers over the corpus.
        questions = [synthetic_question(10_000 + i) for i in range(N_QUESTIONS)]
        for q in questions[:20]:
            svc.ask(q)  # warm-up
        times = []
        answered = 0
        for q in questions:
            t = time.perf_counter()
            a = svc.ask(q)
            times.append((time.perf_counter() - t) * 1000)
            answered += a.answered
        p99 = _pct(times, 99)
        lines.append(f"answer over {n_articles} articles: p50 {_pct(times, 50):.1f} ms, p99 {p99:.1f} ms, max {max(times):.1f} ms "
                     f"({answered}/{len(questions)} answered) [{_mark(p99, TARGETS['p99_ms'])}]")

        # 5. Refresh one changed article.
        target_id = f"syn-{n_articles // 2:04d}"
        target = folder / f"{target_id}.txt"
        target.write_text(target.read_text(encoding="utf-8") + "The ferry to Hel will run again from 3 May, officials said.\n",
                          encoding="utf-8")
        before = _stamps(idx)
        report_ = asyncio.run(svc.refresh(target_id, actor="bench"))
        assert report_.ok and report_.changes[0].status == "updated", report_.lines
        after = _stamps(idx)
        wrote = sum(after[p][2] for p in after if before.get(p) != after[p])
        lines.append(f"refresh one article: swapped in {report_.seconds_to_swap:.2f} s "
                     f"[{_mark(report_.seconds_to_swap, TARGETS['refresh'])}], saved after {report_.seconds_total:.2f} s, "
                     f"{wrote / 2**20:.1f} MiB of files written")
        assert "3 May" in svc.ask("When will the ferry to Hel run again?").answer.text
        lines.append(f"RSS of this process (1 service, {n_articles} articles): {psutil.Process().memory_info().rss / 2**20:.0f} MiB")
        del svc
        lines.extend(reindex_stall(tmp / "stall", STALL_ARTICLES))
    return lines


STALL_ARTICLES = 2000
STALL_TICK_S = 0.005
TARGETS["stall_ms"] = 100.0


async def _watch_loop(stop: asyncio.Event, worst: list[float]) -> None:
    """How late the event loop wakes up from a short sleep: the longest a Discord heartbeat or an
    /ask deferral would have waited."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        t = loop.time()
        await asyncio.sleep(STALL_TICK_S)
        worst[0] = max(worst[0], loop.time() - t - STALL_TICK_S)


def reindex_stall(tmp: Path, n: int) -> list[str]:
    """The longest event-loop stall while /reindex rebuilds n changed articles (goal: under 100 ms)."""
    from index.service import QAService

    folder = tmp / "articles"
    write_synthetic(folder, n)
    svc = QAService.open([str(folder)], tmp / "idx", refresh_interval=0)
    for f in folder.glob("*.txt"):  # every article changes
        f.write_text(f.read_text(encoding="utf-8") + "The ferry to Hel will run again from 3 May, officials said.\n",
                     encoding="utf-8")

    async def run() -> tuple[float, float, int]:
        stop, worst = asyncio.Event(), [0.0]
        watcher = asyncio.create_task(_watch_loop(stop, worst))
        t = time.perf_counter()
        report_ = await svc.refresh(actor="bench")
        took = time.perf_counter() - t
        await svc.idle()  # the replaced index is freed in the background: watch that too
        stop.set()
        await watcher
        return worst[0] * 1000, took, sum(c.status == "updated" for c in report_.changes)

    stall_ms, took, updated = asyncio.run(run())
    assert updated == n, updated
    return [f"reindex of {n} changed articles: {took:.1f} s; longest event-loop stall {stall_ms:.0f} ms "
            f"[{_mark(stall_ms, TARGETS['stall_ms'])}]"]


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_ARTICLES
    for line in report(n):
        print(line, flush=True)
