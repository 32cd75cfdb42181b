"""Attribution against the shared seed gold: quotes, experts, lookups and the textacy cases.

    python scripts/eval_attribution.py

`report()` returns the printed lines (the team lead's `make eval` calls it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.text.article import load_article, parse_article  # noqa: E402
from index.quotes.attribution import attribute  # noqa: E402
from index.models import ArticleMeta, Quote  # noqa: E402
from index.quotes.find import find_quotes  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
ARTICLE = ROOT / "articles" / "trump-putin-alaska.txt"


def quote_for(quotes: list[Quote], contains: str) -> Quote | None:
    """The tightest quotation holding the text (a short quote inside a longer reported one wins)."""
    hits = [q for q in quotes if contains in q.text]
    return min(hits, key=lambda q: q.end - q.start) if hits else None


def seed_quotes(quotes: list[Quote]) -> tuple[int, int, int, list[str]]:
    right = kinds = total = 0
    misses = []
    for line in (SHARED / "seed_quotes.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        total += 1
        q = quote_for(quotes, gold["quote_contains"])
        if q is not None and q.speaker == gold["speaker"]:
            right += 1
            kinds += q.kind == gold["kind"]
        else:
            misses.append(f"  miss: {gold['quote_contains'][:50]!r} -> {q.speaker if q else 'not found'} (want {gold['speaker']})")
    return right, kinds, total, misses


def textacy_case(text: str) -> list[Quote]:
    article = parse_article(text, ArticleMeta(id="case"))
    return [q for q in find_quotes(article) if q.kind == "direct"]


def speaker_tokens(text: str, q: Quote) -> list[str]:
    if q.speaker_start is None or q.speaker_end is None:
        return []
    return [w for w in text[q.speaker_start:q.speaker_end].split() if w not in ("and", "&")]


def content_matches(q: Quote, content: str) -> bool:
    return q.text.strip(" ,") == content.strip("\"“”'").strip(" ,")


def textacy_results() -> list[tuple[str, bool]]:
    cases = json.loads((SHARED / "textacy_quote_cases.json").read_text(encoding="utf-8"))
    out = []
    for case in cases["direct_quotations"]:
        found = textacy_case(case["text"])
        want = case["exp"]
        ok = len(found) == len(want) and all(
            speaker_tokens(case["text"], q) == w["speaker"] and (q.cue or "").split() == w["cue"] and content_matches(q, w["content"])
            for q, w in zip(found, want)
        )
        out.append((case["text"], ok))
    for case in cases["speaker_only"]:
        found = textacy_case(case["text"])
        got = [t for q in found for t in speaker_tokens(case["text"], q)]
        out.append((case["text"], got == case["speaker_tokens"]))
    return out


def report() -> list[str]:
    if not SHARED.exists():
        return [f"shared eval data not found at {SHARED}"]
    article = load_article(ARTICLE)
    attribution = attribute([article])
    lines = []
    right, kinds, total, misses = seed_quotes(attribution.quotes)
    lines.append(f"seed quotes with the right speaker: {right}/{total} (right kind too: {kinds}/{total})")
    lines.extend(misses)

    gold = json.loads((SHARED / "seed_experts.json").read_text(encoding="utf-8"))
    lookups = gold["lookups_must_resolve"]
    resolved = 0
    for query, name in lookups.items():
        found = attribution.lookup(query).expert
        if found is not None and found.name == name:
            resolved += 1
        else:
            lines.append(f"  lookup {query!r} -> {found.name if found else None} (want {name})")
    lines.append(f"expert lookups resolved: {resolved}/{len(lookups)}")
    want_desc = got_desc = experts_ok = 0
    for g in gold["experts"]:
        expert = attribution.lookup(g["name"]).expert
        texts = " | ".join(d.text for d in expert.descriptions) if expert else ""
        for piece in g.get("described_as_contains", []):
            want_desc += 1
            got_desc += piece in texts
        ok = (
            expert is not None and expert.name == g["name"]
            and all(t in expert.titles for t in g.get("titles", []))
            and len(expert.quotes) >= g.get("quotes_at_least", 0)
            and all(piece in texts for piece in g.get("described_as_contains", []))
        )
        experts_ok += ok
        if not ok:
            lines.append(f"  expert {g['name']}: {expert.titles if expert else None}, {len(expert.quotes) if expert else 0} quotes")
    lines.append(f"experts complete (titles, descriptions, quotes): {experts_ok}/{len(gold['experts'])}")
    lines.append(f"descriptions found: {got_desc}/{want_desc}")
    author_ok = attribution.authors.get(article.id) == gold["author"] and all(e.name != gold["author"] for e in attribution.experts)
    lines.append(f"author known as author, not expert: {'yes' if author_ok else 'NO'}")
    results = textacy_results()
    lines.append(f"textacy cases passed: {sum(ok for _, ok in results)}/{len(results)}")
    lines.extend(f"  fail: {text[:70]!r}" for text, ok in results if not ok)
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
