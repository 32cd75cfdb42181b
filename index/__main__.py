"""python -m index: ask / quotes / experts / expert from the command line, --json for scripts."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Iterator, Sequence

from .text.article import ArticleError
from .text.display import as_quotation, printable, tidy, valid_text
from .conversation import Turn
from .corpus import DEFAULT_ARTICLES_DIR, Corpus, load_articles
from .models import Answer, ExpertLookup


def _add_sources(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--article", action="append", type=Path, metavar="PATH", help="an article file (repeatable)")
    g.add_argument("--corpus", type=Path, metavar="DIR", help="a folder of article files")


# The shipped articles' index, saved where `python -m index` runs without --article/--corpus: parsing them
# takes spaCy a second to load, a saved index a few milliseconds. Its own folder, so it never replaces the
# bot's index (INDEX_DIR), which may hold other sources.
CLI_INDEX_DIR = Path(".index-cli")


def _corpus(args: argparse.Namespace) -> Corpus:
    if args.article or args.corpus:
        return Corpus.build(load_articles(args.article or [args.corpus]))
    from .service.qa import QAService
    return QAService.open([str(DEFAULT_ARTICLES_DIR)], CLI_INDEX_DIR).corpus


def format_answer(a: Answer) -> str:
    """A readable answer for the terminal."""
    if a.page_fact is not None:
        return a.page_fact.line()
    if a.answered and a.people:
        return "\n".join(["People quoted:", *(f"  {p.line()}" for p in a.people)])
    if a.alternatives:
        lines = [a.reason or ""]
        lines += [f"  “{as_quotation(x.text)}”{'  — ' + x.speaker.name if x.speaker else ''}\n"
                  f"    [{x.article}, paragraph {x.paragraph}, chars {x.start}–{x.end}]" for x in a.alternatives]
        return "\n".join(lines)
    if not a.answered or a.answer is None:
        lines = [a.reason or "The article doesn't say."]
        if a.related:
            lines.append("Closest passages:")
            lines += [f"  [¶{c.paragraph}] {tidy(c.text)[:200]}{'…' if len(c.text) > 200 else ''}" for c in a.related]
        return "\n".join(lines)
    ans = a.answer
    lines = [f"“{as_quotation(ans.text)}”"]
    if ans.speaker:
        lines.append(f"  {ans.speaker.line()}")
    if a.note:
        lines.append(f"  {a.note}")
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


class CliError(Exception):
    """Bad input to the command line itself (a .env that cannot be read); str() is one line."""


# json.dumps escapes C0 controls only; these are escaped too, so that JSON read in a terminal cannot
# drive it (C1 controls, bidi overrides) and a lone surrogate cannot stop the output (same value).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _dump(obj: object, indent: int | None = None) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _say(text: str) -> None:
    """Print human-readable output: article text and metadata are not ours, so no control
    character, bidi override or surrogate in them reaches the terminal raw."""
    print(printable(text))


def _argument(value: str, what: str) -> str:
    """A command-line argument as text UTF-8 can encode: Python hands over bytes that are not UTF-8
    as surrogates, which could be neither answered about nor printed; they become U+FFFD."""
    text = valid_text(value)
    if text != value:
        print(f"warning: the {what} is not valid UTF-8; the bytes that are not were read as \ufffd", file=sys.stderr)
    return text


def _stdin_lines() -> Iterator[str]:
    """Lines of stdin, each decoded alone: a byte that is not UTF-8 spoils its own line (read with
    U+FFFD and reported in one line), never the rest of the input."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream put in place of stdin (tests)
        yield from (valid_text(line) for line in sys.stdin)
        return
    for number, raw in enumerate(buffer, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"warning: stdin line {number} is not valid UTF-8 (byte {exc.start + 1}); read with \ufffd",
                  file=sys.stderr, flush=True)
            yield raw.decode("utf-8", "replace")


def cmd_ask(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.jsonl:
        turn = None  # --conversation: each line a follow-up of the one before, as in a thread
        for line in _stdin_lines():
            a = corpus.ask(line.rstrip("\r\n"), args.only, turn)
            if args.conversation:
                turn = Turn.after(a, turn)
            print(_dump(a.model_dump(mode="json")), flush=True)
        return 0
    if args.question is None:
        print("ask: give a QUESTION, or --jsonl to read questions from stdin", file=sys.stderr)
        return 2
    a = corpus.ask(_argument(args.question, "question"), args.only)
    if args.json:
        print(_dump(a.model_dump(mode="json")))
    else:
        _say(format_answer(a))
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    quotes = _corpus(args).quotes()
    if args.json:
        keys = ("article", "text", "start", "end", "speaker", "cue", "kind")
        print(_dump([{k: getattr(q, k) for k in keys} for q in quotes]))
    else:
        for q in quotes:
            _say(f"{q.article} {q.start}-{q.end} [{q.kind}] {q.speaker or '?'} ({q.cue or '-'}): {q.text}")
    return 0


def cmd_experts(args: argparse.Namespace) -> int:
    experts = _corpus(args).experts()
    if args.json:
        print(_dump([e.model_dump(mode="json") for e in experts]))
    else:
        for e in experts:
            _say(f"{e.name}: quoted {len(e.quotes)}x; " + "; ".join(d.text for d in e.descriptions[:2]))
    return 0


def cmd_expert(args: argparse.Namespace) -> int:
    topic = _argument(args.topic, "topic") if args.topic is not None else None
    r = _corpus(args).expert(_argument(args.name, "name"), topic)
    if args.json:
        print(_dump(r.model_dump(mode="json")))
    else:
        _say(format_lookup(r))
    return 0 if r.expert else 1


def _lifecycle_settings(args: argparse.Namespace) -> tuple[list[str], Path, bool, list[str] | None]:
    """ARTICLE_SOURCES, INDEX_DIR, ALLOW_PRIVATE_SOURCES and ALLOWED_SOURCE_HOSTS: the flags over the one
    settings model the bot reads too (the environment and .env)."""
    from .settings import CoreSettings, SettingsError, load

    try:
        settings = load(CoreSettings)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    sources = args.sources or settings.article_sources
    index_dir = Path(args.index_dir) if args.index_dir else settings.index_dir
    return sources, index_dir, args.allow_private or settings.allow_private_sources, settings.source_hosts


def cmd_build(args: argparse.Namespace) -> int:
    """Build from the configured sources and save (a saved index that matches is reused; --force rebuilds)."""
    from .catalog import files, snapshot as store
    from .service import QAService

    sources, index_dir, allow_private, hosts = _lifecycle_settings(args)
    if args.force:
        segments = list((index_dir / files.SEGMENTS_DIR).glob(f"*{store.SNAPSHOT_SUFFIX}"))
        for f in list(index_dir.glob(f"{store.SNAPSHOT_PREFIX}*")) + segments + [index_dir / store.MANIFEST]:
            if f.is_file():
                f.unlink()
    svc = QAService.open(sources, index_dir, allow_private, hosts)
    for line in svc.startup:
        _say(line)
    info = svc.about()
    _say(f"{len(info.articles)} articles, {info.passages} passages, {info.quotes} quotes, {info.experts} experts -> {index_dir}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print the saved manifest (and whether it can be loaded as is)."""
    from .catalog import snapshot as store
    from .service import ago

    _, index_dir, _, _ = _lifecycle_settings(args)
    try:
        m = store.read_manifest(index_dir)
    except store.StoreError as exc:
        print(f"no usable index: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(_dump(m.model_dump(mode="json"), indent=2))
        return 0
    print(f"index {index_dir}: format {m.format_version}, code {m.code_version}"
          + ("" if m.code_version == store.code_version() else " (built by other code: will be rebuilt)"))
    print(f"built {m.built_at:%Y-%m-%d %H:%M:%S} UTC ({ago(m.built_at)}), saved {m.saved_at:%Y-%m-%d %H:%M:%S} UTC")
    print(f"snapshot {m.snapshot}, {m.snapshot_bytes:,} bytes, sha256 {m.snapshot_sha256[:16]}…")
    print(f"segments: {len(m.segments):,} files, {sum(s.bytes for s in m.segments):,} bytes")
    print("counts: " + ", ".join(f"{v:,} {k}" for k, v in m.counts.items()))
    _say("sources: " + ", ".join(m.sources))
    for a in m.articles:
        _say(f"  {a.id}: {a.title or '(no title)'} | {a.passages} passages, {a.quotes} quotes | "
              f"fetched {ago(a.fetched_at)}, changed {ago(a.changed_at)} | {a.content_hash[:12]} | {a.origin}")
    return 0


def _add_lifecycle(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", dest="sources", action="append", metavar="FILE|DIR|URL",
                   help="an article source (repeatable; default: ARTICLE_SOURCES or the shipped article)")
    p.add_argument("--index-dir", metavar="DIR", help="where the index is saved (default: INDEX_DIR or .index/)")
    p.add_argument("--allow-private", action="store_true", help="allow sources on loopback/private addresses")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description="Answer questions about news articles in their own words.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", help="answer a question (or --jsonl: one per stdin line)")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--jsonl", action="store_true", help="read questions from stdin, write one JSON Answer per line")
    p.add_argument("--only", metavar="ARTICLE", help="answer from this article only (its id: the file name without extension)")
    p.add_argument("--conversation", action="store_true",
                   help="with --jsonl: read each line as a follow-up of the one before (\"why?\"); the JSON names read_as")
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

    p = sub.add_parser("build", help="build the index from the configured sources and save it to INDEX_DIR")
    p.add_argument("--force", action="store_true", help="ignore the saved index and rebuild")
    _add_lifecycle(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("status", help="print the saved index's manifest")
    p.add_argument("--json", action="store_true")
    _add_lifecycle(p)
    p.set_defaults(func=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ArticleError, CliError) as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `python -m index quotes | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
