"""make bench: answer latency and start-up, ours beside plain rank_bm25, then the index lifecycle, then
indexing and questions over hostile articles.

Targets (issue 2): one question over the shipped article p99 <= 1 ms in-process after load;
`python -m index ask` with one question <= 1 s wall. For a synthetic corpus of 10,000
passages the same figures are printed next to plain `rank_bm25.BM25Plus.get_scores`.

Targets (security issue 4, quotation finding was quadratic): a 2 MB article (the size cap) indexes in
under 3 s, whatever its shape, and no question over it takes more than 20 ms. The articles are made
here (hostile_article, seeded): one paragraph of prose with quotations, without any, with unbalanced
quote marks; 2 MB of short quoted paragraphs; and other shapes that were slow. Indexing time at 100 kB,
1 MB and 2 MB shows the growth: t(2 MB) / t(100 kB) is about 20 for linear cost. `--hostile` prints
only this part.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rank_bm25 import BM25Plus  # noqa: E402

from index.text.article import parse_article  # noqa: E402
from index.conversation import ConversationMemory, Turn  # noqa: E402
from index.corpus import Corpus  # noqa: E402
from index.models import ArticleMeta  # noqa: E402
from index.text.tokenize import tokenize  # noqa: E402

# Generic questions of the kinds people ask; the timing does not depend on the answers.
QUESTIONS = [
    "Where will the leaders meet?", "Who sold Alaska?", "How much did it cost?", "What does the professor expect?",
    "When did the war start?", "Why is Europe worried?", "who said europe isnt losing", "What is the population of Anchorage?",
    "Is the NATO chief optimistic?", "What did Pawluszko say about Crimea?", "Which leaders did Putin talk to?",
    "Who won the World Cup?", "what happens next", "Will Ukraine accept the deal?", "How long did the ceasefire last?",
]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _rounds(fn, items, rounds: int = 5, repeat: int = 40) -> tuple[float, float, list[float]]:
    """(p50, p99, each round's p99): the median over `rounds` separate rounds, so that a few seconds
    in which a shared machine runs slow move one round, not the figure. All rounds are printed."""
    runs = [_time_each(fn, items, repeat) for _ in range(rounds)]
    p99s = [_pct(r, 99) for r in runs]
    return statistics.median(statistics.median(r) for r in runs), statistics.median(p99s), p99s


def _time_each(fn, items, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def shipped() -> list[str]:
    t0 = time.perf_counter()
    corpus = Corpus.from_paths()
    build = time.perf_counter() - t0
    corpus.ask("warm up")
    ours_p50, ours_p99, ours_rounds = _rounds(corpus.ask, QUESTIONS)
    follow_p50, follow_p99, follow_rounds = _rounds(lambda pair: corpus.ask(pair[1], context=pair[0]), _follow_ups(corpus))
    memory = _memory_per_conversation(corpus)
    tokenized = [tokenize(q) for q in QUESTIONS]
    plain = BM25Plus([tokenize(corpus.search.text_of(r)) for r in range(len(corpus.search.sentences))])
    base_p50, base_p99, _ = _rounds(plain.get_scores, tokenized)
    t0 = time.perf_counter()  # the first run after a change of code or articles builds .index-cli (spaCy parses)
    subprocess.run([sys.executable, "-m", "index", "ask", "Who sold Alaska?"], cwd=ROOT, check=True, capture_output=True)
    first = time.perf_counter() - t0
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "index", "ask", "Who sold Alaska?"], cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    return [
        f"shipped article ({len(corpus.search.passages)} passages, {len(corpus.search.sentences)} sentences): "
        f"load+build {build * 1000:.0f} ms",
        f"  full answer (ours):            p50 {ours_p50:.3f} ms  p99 {ours_p99:.3f} ms  (target p99 <= 1 ms; median of"
        f" {len(ours_rounds)} rounds of {40 * len(QUESTIONS)} questions, rounds' p99: "
        + ", ".join(f"{v:.2f}" for v in ours_rounds) + ")",
        f"  a follow-up read with its turn: p50 {follow_p50:.3f} ms  p99 {follow_p99:.3f} ms  (rounds' p99: "
        + ", ".join(f"{v:.2f}" for v in follow_rounds) + f"); a remembered conversation: {memory} bytes",
        f"  rank_bm25 get_scores only:     p50 {base_p50:.3f} ms  p99 {base_p99:.3f} ms",
        f"  `python -m index ask` wall:    median {statistics.median(walls):.2f} s  max {max(walls):.2f} s  (target <= 1 s;"
        f" the first run, which built or checked the saved index: {first:.2f} s)",
    ]


FOLLOW_UPS = ("why?", "tell me more", "who said that?", "what else did he say?", "and what about Kallas?",
              "what did she say about Ukraine?")


def _follow_ups(corpus: Corpus) -> list[tuple[Turn, str]]:
    """(the turn a question left, a follow-up) for each question that was answered and each follow-up kind."""
    turns = [Turn.after(a) for a in (corpus.ask(q) for q in QUESTIONS) if a.answered]
    return [(t, f) for t in turns if t is not None for f in FOLLOW_UPS]


def _memory_per_conversation(corpus: Corpus, n: int = 2000) -> int:
    """Bytes one remembered conversation costs in ConversationMemory (tracemalloc over n of them, 5 answers each)."""
    import tracemalloc

    turn = None
    for q in ("Who sold Alaska?", "tell me more", "go on", "who said that?", "What does Bockowski think about Europe?"):
        turn = Turn.after(corpus.ask(q, context=turn), turn)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    memory = ConversationMemory(max_conversations=n)
    for i in range(n):
        memory.put(("thread", 1, i), turn.model_copy(update={"question": f"{turn.question} {i}"}))
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used // n


def serving() -> list[str]:
    """How the bot serves: answers on the default thread pool against one answering thread (the bot's), over
    the shipped article; and the quoted-person lookup a question makes, at 5,000 and 50,000 people."""
    import asyncio
    import random
    from concurrent.futures import ThreadPoolExecutor

    from index.models import Expert
    from index.quotes.attribution import Attribution
    from index.service import QAService

    svc = QAService.from_sources()
    questions = QUESTIONS * 40

    async def throughput(dispatch) -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(dispatch(q) for q in questions))
        return len(questions) / (time.perf_counter() - t0)

    async def both() -> tuple[float, float]:
        one = ThreadPoolExecutor(max_workers=1)
        loop = asyncio.get_running_loop()
        pool = max([await throughput(lambda q: asyncio.to_thread(svc.ask, q)) for _ in range(3)])
        mine = max([await throughput(lambda q: loop.run_in_executor(one, svc.ask, q)) for _ in range(3)])
        return pool, mine

    pool, mine = asyncio.run(both())
    lines = [f"serving: {len(questions)} concurrent questions: default pool {pool:.0f}/s, one answering thread (the bot's) "
             f"{mine:.0f}/s ({mine / pool:.2f}x)"]
    r = random.Random(1)

    def name() -> str:
        return "".join(r.choice("abcdefghijklmnoprstuwyz") for _ in range(r.randint(6, 10))).capitalize()

    for n in (5_000, 50_000):
        people = [Expert(name=f"{name()} {name()}", aliases=[name()] if i % 2 else []) for i in range(n)]
        att = Attribution([], people, {})
        asked = [f"What does {e.name.split()[1].lower()[:-1]}x think about the budget?" for e in r.sample(people, 200)]
        times = sorted(_time_each(att.person_in, asked, 1))
        lines.append(f"  quoted-person lookup, a misspelt surname among {n:,} people: p50 {_pct(times, 50):.3f} ms "
                     f"p99 {_pct(times, 99):.3f} ms")
    lines.extend(about_questions())
    return lines


def about_questions(sizes: tuple[int, ...] = (1_000, 4_000)) -> list[str]:
    """"Who wrote the article?" / "what is this article about?" over many articles: which article is asked
    about is one vectorised pass over the passage scores (it was a sort of every passage)."""
    from scripts.bench_lifecycle import synthetic_article

    from index.answer import answer
    from index.retrieval.search import SearchIndex

    asked = ["Who wrote the article?", "What is this article about?", "who wrote the article about the harbour budget?",
             "summarize the article about the tram line"]
    out = []
    for n in sizes:
        articles = []
        for i in range(n):
            text, meta = synthetic_article(i, paragraphs=40)
            articles.append(parse_article(text, ArticleMeta(id=f"a{i}", title=meta.get("title"), author=meta.get("author"))))
        index = SearchIndex(articles)
        times = sorted(_time_each(lambda q: answer(index, q), asked, 5))
        out.append(f"  author/about questions over {n:,} articles ({len(index.passages):,} passages): "
                   f"p50 {_pct(times, 50):.1f} ms, max {times[-1]:.1f} ms")
    return out


def synthetic(passages: int = 10_000) -> list[str]:
    from scripts.bench_lifecycle import synthetic_article, synthetic_question

    per_article = 40
    articles = []
    t0 = time.perf_counter()
    for i in range(passages // per_article):
        text, meta = synthetic_article(i, per_article)
        articles.append(parse_article(text, ArticleMeta(id=f"synthetic-{i:04d}", **{k: v for k, v in meta.items() if k in ("title", "author")})))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    corpus = Corpus.build(articles)
    build = time.perf_counter() - t0
    questions = [synthetic_question(i) for i in range(200)]
    corpus.ask(questions[0])
    ours = _time_each(corpus.ask, questions, 1)
    search = corpus.search
    t0 = time.perf_counter()
    plain = BM25Plus([tokenize(search.articles[p.article].text[search.articles[p.article].paragraph(p.paragraph).start:search.articles[p.article].paragraph(p.paragraph).end]) for p in search.passages])
    plain_build = time.perf_counter() - t0
    tokenized = [tokenize(q) for q in questions]
    base = _time_each(plain.get_scores, tokenized, 1)
    sparse = _time_each(search.passage_bm25.scores, tokenized, 1)
    return [
        f"synthetic corpus ({len(articles)} articles, {len(search.passages):,} passages, {len(search.sentences):,} sentences): "
        f"parse {parse:.2f} s, build (BM25 + attribution) {build:.2f} s; plain rank_bm25 build {plain_build:.2f} s",
        f"  full answer (ours):            p50 {statistics.median(ours):.2f} ms  p99 {_pct(ours, 99):.2f} ms",
        f"  passage scores (ours, sparse): p50 {statistics.median(sparse):.2f} ms  p99 {_pct(sparse, 99):.2f} ms",
        f"  rank_bm25 get_scores:          p50 {statistics.median(base):.2f} ms  p99 {_pct(base, 99):.2f} ms",
    ]


# --- hostile articles (security issue 4) --------------------------------------------------------------

_FIRST = "John Anna Daniel Maria Piotr Ewa Michael Sarah Tomasz Julia".split()
_LAST = "Smith Kowalska Nowak Brown Garcia Wiśniewski Müller Dubois Rossi Tanaka".split()
_WORDS = ("the war will end soon and europe is not losing because prices rise while leaders meet in alaska to talk "
          "about peace").split()


def _clause(r: random.Random, n: int = 12) -> str:
    return " ".join(r.choice(_WORDS) for _ in range(n)).capitalize()


def _name(r: random.Random) -> str:
    return f"{r.choice(_FIRST)} {r.choice(_LAST)}"


# One paragraph: quotations, reported speech, attributions at both ends.
_PROSE = (
    lambda r: f'"{_clause(r)}," said {_name(r)}. ',
    lambda r: f"{_name(r)} said that {_clause(r).lower()}. ",
    lambda r: f'"{_clause(r)}. {_clause(r)}," {r.choice(_LAST)} added. ',
    lambda r: f"As {_name(r)} points out, {_clause(r).lower()}. ",
    lambda r: f"{_clause(r)}, the professor believes. ",
)
# Short paragraphs: quotations, dash speech, interview answers.
_LINES = (
    lambda r: f'"We will win," said {_name(r)}.\n',
    lambda r: f"- Europe isn't losing, says Prof. {_name(r)}.\n",
    lambda r: f"{_name(r)} : - {_clause(r)}.\n",
    lambda r: f'"{_clause(r)}," {r.choice(_LAST)} said.\n',
)


_PIECES = {
    "prose with quotations": lambda r: r.choice(_PROSE)(r),
    "prose, no quotations": lambda r: _clause(r, r.randrange(5, 25)) + ". ",
    "prose, unbalanced quote marks": lambda r: (f'"{_clause(r)} said {_name(r)}. ' if r.random() < 0.5
                                                else f'{_clause(r)}" he said. '),
    "short quoted paragraphs": lambda r: r.choice(_LINES)(r),
    "one sentence, no full stop": lambda r: r.choice([f"{r.choice(_WORDS)} {_name(r)} said {r.choice(_WORDS)}, ",
                                                      f'"{_clause(r, 5).lower()}," he said, ', f"Mrs {_name(r)} met it, "]),
    "quote marks everywhere": lambda r: r.choice(['"', ' "', '" ', "“", "”", " word", "'", " said Smith", ", "]),
    "names everywhere": lambda r: f"{r.choice(['Dr.', 'Prof.', 'Mr', ''])} {_name(r)}{r.randrange(1000)}, ",
    "pull quote before each name line": lambda r: r.choice([
        f'"{_clause(r)}"\nProf. {_name(r)}, professor at the University of Warsaw\n',
        f'"{_clause(r)}," said the professor at Warsaw University.\n', f'"{_clause(r)}," the professor said.\n']),
    "titles repeated": lambda r: " ".join(["Dr."] * r.randrange(1, 40)) + f" {r.choice(_LAST)} said {r.choice(_WORDS)} ",
    "hyphenated names": lambda r: (f"Anna-{r.choice(_LAST)}{r.randrange(100_000)} O'Brien-{r.choice(_FIRST)}"
                                   f"{r.randrange(100_000)} said {r.choice(_WORDS)}. "),
    "one dash paragraph": lambda r: f"{_clause(r, 5).lower()}, says {r.choice(_LAST)}, ",
    "thousands of people quoted": lambda r: (f'"We will win the war soon," said {r.choice(_FIRST)}{r.randrange(10**6)} '
                                             f'{r.choice(_LAST)}{r.randrange(10**6)}.\n'),
}
HOSTILE_SHAPES = tuple(_PIECES)
SCALING_SHAPES = HOSTILE_SHAPES[:4]  # the shapes measured at 100 kB, 1 MB and 2 MB
HOSTILE_QUESTIONS = [
    "who said europe is not losing", "What does Smith think about the war?", "When will the war end?", "Who wrote this?",
    "What is this article about?", "wat does kowalsky thnk about prices", "Who is Anna Nowak?", "What did Tanaka say?",
    "Why are prices rising?", "How many leaders meet in Alaska?",
]


def hostile_article(shape: str, size: int, seed: int = 0) -> str:
    """An article of about `size` characters (and a final newline) in one of HOSTILE_SHAPES, the same each time."""
    r = random.Random(f"{shape}/{seed}")
    piece = _PIECES[shape]
    out, n = ["- "] if shape == "one dash paragraph" else [], 0
    while n < size:
        out.append(piece(r))
        n += len(out[-1])
    return "".join(out)[:size].rstrip() + "\n"


def index_hostile(shape: str, size: int) -> tuple[float, Corpus]:
    """(seconds, corpus): parsing, quotations and attribution, and the search index of one such article."""
    text = hostile_article(shape, size)
    gc.collect()  # what the previous article left is not this one's cost
    t0 = time.perf_counter()
    corpus = Corpus.build([parse_article(text, ArticleMeta(id="hostile"))])
    return time.perf_counter() - t0, corpus


def worst_question(corpus: Corpus) -> tuple[float, str]:
    """(ms, question): the slowest of HOSTILE_QUESTIONS, each asked once of a fresh index, frozen out of the
    collector as the service freezes a loaded index."""
    gc.freeze()
    try:
        times = []
        for q in HOSTILE_QUESTIONS:
            t0 = time.perf_counter()
            corpus.ask(q)
            times.append(((time.perf_counter() - t0) * 1000, q))
        return max(times)
    finally:
        gc.unfreeze()


def _hostile_shape(shape: str) -> dict:
    """Times for one shape (run in a process of its own by hostile(), so that what earlier articles left in
    the word caches and the heap is not measured): seconds to index at each size, the slowest question."""
    from index.text.related import related_terms
    from index.text.spelling import is_english_word
    from index.text.parser import load_parser

    is_english_word("warm"), related_terms()  # the word lists, read once per process (~0.3 s), not per question
    load_parser()  # spaCy's pipeline, loaded once per process at start-up (~1 s), not per article
    sizes = (100_000, 1_000_000, 2_000_000) if shape in SCALING_SHAPES else (2_000_000,)
    times, worst = [], (0.0, "")
    for size in sizes:
        seconds, corpus = index_hostile(shape, size)
        times.append(seconds)
        worst = max(worst, worst_question(corpus))
        del corpus
    return {"times": times, "worst": worst}


def hostile() -> list[str]:
    lines = ["hostile articles (targets: 2 MB indexed in < 3 s; every question < 20 ms); index = parse + quotations"
             " + search index; each shape in a fresh process",
             f"  {'shape':34s} {'100 kB':>8s} {'1 MB':>8s} {'2 MB':>8s}  t(2 MB)/t(100 kB) (size x20)  worst question"]
    worst_all = (0.0, "")
    for shape in HOSTILE_SHAPES:
        out = subprocess.run([sys.executable, __file__, "--hostile-shape", shape], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        found = json.loads(out.strip().splitlines()[-1])
        times, worst = found["times"], tuple(found["worst"])
        worst_all = max(worst_all, worst)
        scaled = len(times) > 1
        cells = " ".join(f"{t:7.2f}s" for t in times) if scaled else f"{'':8s} {'':8s} {times[0]:7.2f}s"
        ratio = f"{times[-1] / times[0]:6.1f}" if scaled else f"{'':6s}"
        mark = "" if times[-1] < 3 else "  (over 3 s)"
        lines.append(f"  {shape:34s} {cells}  {ratio}{'':24s} {worst[0]:6.1f} ms  {worst[1]!r}{mark}")
    lines.append(f"  worst question over all of them: {worst_all[0]:.1f} ms ({worst_all[1]!r})")
    return lines


def main() -> int:
    if "--hostile-shape" in sys.argv[1:]:
        print(json.dumps(_hostile_shape(sys.argv[sys.argv.index("--hostile-shape") + 1])))
        return 0
    if "--hostile" in sys.argv[1:]:
        print("\n".join(hostile()))
        return 0
    lines = shipped() + serving() + synthetic()
    print("\n".join(lines), flush=True)
    from scripts.bench_lifecycle import report

    print("\n".join(report()), flush=True)
    print("\n".join(hostile()), flush=True)
    from scripts.bench_scale import report as archive

    for n in (1_000, 10_000):
        print("\n".join(archive(n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
