"""python -m index: ask / quotes / experts / expert from the command line, --json for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .article import ArticleError
from .corpus import DEFAULT_ARTICLES_DIR, Corpus, load_articles
from .models import Answer, ExpertLookup


def _add_sources(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--article", action="append", type=Path, metavar="PATH", help="an article file (repeatable)")
    g.add_argument("--corpus", type=Path, metavar="DIR", help="a folder of article files")


def _corpus(args: argparse.Namespace) -> Corpus:
    paths = args.article or ([args.corpus] if args.corpus else [DEFAULT_ARTICLES_DIR])
    return Corpus.build(load_articles(paths))


def format_answer(a: Answer) -> str:
    """A readable answer for the terminal."""
    if not a.answered or a.answer is None:
        lines = [a.reason or "The article doesn't say."]
        if a.related:
            lines.append("Closest passages:")
            lines += [f"  [¶{c.paragraph}] {c.text[:200]}{'…' if len(c.text) > 200 else ''}" for c in a.related]
        return "\n".join(lines)
    ans = a.answer
    lines = [f"“{ans.text}”"]
    if ans.speaker:
        lines.append(f"  {ans.speaker.line()}")
    lines.append(f"  [{ans.article}, paragraph {ans.paragraph}, chars {ans.start}–{ans.end}, confidence {a.confidence:.0%}]")
    return "\n".join(lines)


def format_lookup(r: ExpertLookup) -> str:
    if r.expert is None:
        hint = f" Did you mean {', '.join(r.suggestions)}?" if r.suggestions else ""
        return f"No one by the name {r.query!r} is quoted in the article.{hint}"
    e = r.expert
    lines = [e.name + (f" ({', '.join(e.titles)})" if e.titles else "")]
    lines += [f"  {d.text}" for d in e.descriptions]
    lines.append(f"  quoted {len(e.quotes)} time{'s' if len(e.quotes) != 1 else ''}:")
    lines += [f"  - “{q.text}” [{q.kind}, {q.article} chars {q.start}–{q.end}]" for q in e.quotes]
    return "\n".join(lines)


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def cmd_ask(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.jsonl:
        for line in sys.stdin:
            print(_dump(corpus.ask(line.rstrip("\n")).model_dump(mode="json")), flush=True)
        return 0
    if args.question is None:
        print("ask: give a QUESTION, or --jsonl to read questions from stdin", file=sys.stderr)
        return 2
    a = corpus.ask(args.question)
    print(_dump(a.model_dump(mode="json")) if args.json else format_answer(a))
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    quotes = _corpus(args).quotes()
    if args.json:
        keys = ("article", "text", "start", "end", "speaker", "cue", "kind")
        print(_dump([{k: getattr(q, k) for k in keys} for q in quotes]))
    else:
        for q in quotes:
            print(f"{q.article} {q.start}-{q.end} [{q.kind}] {q.speaker or '?'} ({q.cue or '-'}): {q.text}")
    return 0


def cmd_experts(args: argparse.Namespace) -> int:
    experts = _corpus(args).experts()
    if args.json:
        print(_dump([e.model_dump(mode="json") for e in experts]))
    else:
        for e in experts:
            print(f"{e.name}: quoted {len(e.quotes)}x; " + "; ".join(d.text for d in e.descriptions[:2]))
    return 0


def cmd_expert(args: argparse.Namespace) -> int:
    r = _corpus(args).expert(args.name, args.topic)
    print(_dump(r.model_dump(mode="json")) if args.json else format_lookup(r))
    return 0 if r.expert else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description="Answer questions about news articles in their own words.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", help="answer a question (or --jsonl: one per stdin line)")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--jsonl", action="store_true", help="read questions from stdin, write one JSON Answer per line")
    _add_sources(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("quotes", help="list every quotation with its speaker")
    p.add_argument("--json", action="store_true")
    _add_sources(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("experts", help="list the people quoted")
    p.add_argument("--json", action="store_true")
    _add_sources(p)
    p.set_defaults(func=cmd_experts)

    p = sub.add_parser("expert", help="look a quoted person up by any name")
    p.add_argument("name")
    p.add_argument("--topic", help="rank their quotations by this topic")
    p.add_argument("--json", action="store_true")
    _add_sources(p)
    p.set_defaults(func=cmd_expert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ArticleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `python -m index quotes | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
