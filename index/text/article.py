"""Load an article and find the structure a news article has.

The text is kept exactly as decoded; structure is a list of paragraphs (one per
non-empty line) with a kind, and sentences inside them, all as offsets.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from pathlib import Path

from pydantic import ValidationError

from ..lexicon.titles import TITLES
from .html import HTML_SUFFIXES, NoArticleText, extract as extract_html
from ..models import Article, ArticleMeta, Paragraph, ParagraphKind, Sentence, safe_id
from .display import valid_text
from .segment import split_sentences

log = logging.getLogger(__name__)

MAX_ARTICLE_CHARS = 2_000_000  # a news article is ~10k; anything this big is not one
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS  # UTF-8 takes at most 4 bytes a character: no article under the
# character cap is refused for its bytes, and nothing larger is ever read into memory
MAX_SIDECAR_BYTES = 100_000  # a title, an author, a url: a sidecar is a few hundred bytes
MIN_SENTENCE_WORDS = 6  # a web page needs at least one sentence this long to count as an article


class ArticleError(ValueError):
    """An article that cannot be used: missing, unreadable, not text, or with no passages."""


# Titles and honorifics that stand before a name ("Dr. hab.", "Prof."): index.lexicon.titles.
TITLE_RE = r"(?:(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r")\.?\s+)"
_NAME_WORD = r"[A-ZÀ-ÞŁŚŻŹĆŃ][\w'’-]*"
# "Dr. hab. Tomasz Pawłuszko" or "Dr. Daniel Boćkowski, professor at the University of Białystok".
NAME_LINE_RE = re.compile(rf"^{TITLE_RE}*{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}(?:\s*,\s*[^.!?:]{{3,120}})?$")
# "Dr. hab. Tomasz Pawłuszko : - Europe has known ..." (interview answer).
INTERVIEW_RE = re.compile(rf"^({TITLE_RE}*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*:\s*[-–—]\s+")
BULLET_RE = re.compile(r"^[-–—•*]\s+")
# A Q&A interview: "Q: How bad is the drought?" / "A: It is the worst since 1951."
QA_QUESTION_RE = re.compile(r"^Q\s*[:.]\s+")
QA_ANSWER_RE = re.compile(r"^A\s*[:.]\s+")
# "By JANE MORROW Associated Press", "By Jane Morrow and Tom Lee | Reuters": a byline over the story.
TOP_BYLINE_RE = re.compile(r"^by\s+[A-ZÀ-ÞŁŚŻŹĆŃ][^.!?:;]{1,100}$", re.I)
TOP_LINES = 4  # a byline over the story comes within the first lines (headline, standfirst, byline)
# Why not stop at the first sentence-ending mark: headings may end with "?".
_TERMINAL = ".!\"”'’)…"


def article_id(path: Path) -> str:
    """The id of an article file: its name without the extension, made fit for one line (safe_id)."""
    return safe_id(path.stem)


def shown_path(path: Path | str) -> str:
    """A path for a message: bytes of a file name that are not UTF-8 shown as \\xff, never as surrogates."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_utf8_name(path: Path) -> bool:
    """False for a file name holding bytes that are not UTF-8 (Python reads them as surrogates)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# What a path that is not a regular file is, for the message refusing it.
_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read_regular(path: Path, cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; OSError, or ArticleError saying what is wrong.

    Why open first and ask the open file: a FIFO would block a plain open() until a writer
    comes (O_NONBLOCK does not), /dev/zero would be read until memory runs out, and a path
    checked before opening can be swapped for either in between; fstat of the opened file
    cannot. A regular file may still grow after fstat, so at most cap + 1 bytes are read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb", buffering=0) as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _FILE_KINDS if test(st.st_mode)), "a special file")
            raise ArticleError(f"is not a regular file ({kind})")
        if st.st_size > cap:
            raise ArticleError(f"is {st.st_size:,} bytes: too large (at most {cap:,})")
        chunks, size = [], 0
        while size <= cap:
            chunk = f.read(cap + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > cap:
        raise ArticleError(f"grew past {cap:,} bytes while being read")
    return b"".join(chunks)


def read_text(path: Path) -> str:
    """Read a UTF-8 article file, refusing what is clearly not an article."""
    if not is_utf8_name(path):
        raise ArticleError(f"article file name {shown_path(path)} is not valid UTF-8: rename the file")
    try:
        raw = _read_regular(path, MAX_ARTICLE_BYTES)
    except FileNotFoundError:
        raise ArticleError(f"article file not found: {path}") from None
    except OSError as exc:
        raise ArticleError(f"cannot read article {path}: {exc.strerror}") from None
    except ArticleError as exc:
        raise ArticleError(f"article {path} {exc}") from None
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{path} is not a text file")
    try:
        text = raw.decode("utf-8-sig")  # a BOM is encoding, not text: offsets start after it
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"{path} is {len(text):,} characters: too large for one article")
    return text


# What a sidecar field must be, in the operator's words (for the one line naming what was ignored).
_FIELD_NEEDS = {"url": "an http(s):// address", "language": "text"}


def _sidecar_fields(sidecar: Path) -> dict:
    """The sidecar's JSON object, or {} with one logged line when it is unreadable or not an object:
    a broken sidecar loses the metadata, never the article."""
    try:
        raw = _read_regular(sidecar, MAX_SIDECAR_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        return _ignored(sidecar, f"cannot be read ({exc.strerror})")
    except ArticleError as exc:
        return _ignored(sidecar, str(exc))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return _ignored(sidecar, f"is not UTF-8 text (byte {exc.start})")
    except ValueError as exc:
        return _ignored(sidecar, f"is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return _ignored(sidecar, "is not a JSON object of fields")
    return data


def _ignored(sidecar: Path, why: str) -> dict:
    log.warning("sidecar %s %s: its metadata is ignored", shown_path(sidecar), why)
    return {}


def read_meta(path: Path) -> ArticleMeta:
    """Metadata from the sidecar `<name>.json` next to the article, when there is one.

    A field of the wrong type ("title": 5) or an unusable url is dropped with one logged line
    naming the sidecar and the fields; the others are kept."""
    sidecar = path.with_suffix(".json")
    meta = {k: v for k, v in _sidecar_fields(sidecar).items() if k in ArticleMeta.model_fields and k != "id"}
    try:
        return ArticleMeta(id=article_id(path), **meta)
    except ValidationError as exc:
        bad = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
    log.warning("sidecar %s: ignored %s", shown_path(sidecar),
                ", ".join(f"{k} (must be {_FIELD_NEEDS.get(k, 'text')})" for k in bad))
    return ArticleMeta(id=article_id(path), **{k: v for k, v in meta.items() if k not in bad})


def load_article(path: str | Path) -> Article:
    path = Path(path)
    return parse_file(read_text(path), read_meta(path), path.suffix)


def parse_file(text: str, meta: ArticleMeta, suffix: str) -> Article:
    """An article file's text as an Article: a saved web page (.html) through its main text, with the
    title, author and date it names where the sidecar names none; any other file as it is."""
    if suffix.lower() in HTML_SUFFIXES:
        try:
            text, found = extract_html(text)
        except NoArticleText:
            raise ArticleError(f"no article text found in the HTML of {meta.id!r}") from None
        meta = meta.model_copy(update={k: v for k, v in found.items() if k not in meta.model_fields_set})
        return require_prose(parse_article(text, meta), f"the HTML of {meta.id!r}")
    return parse_article(text, meta)


def require_prose(article: Article, where: str) -> Article:
    """A page of menus and links ("Home | Sport") is not an article: ask for one sentence of prose."""
    if not any(len(article.text[s.start:s.end].split()) >= MIN_SENTENCE_WORDS for s in article.sentences):
        raise ArticleError(f"no article text found in {where} (no sentence of {MIN_SENTENCE_WORDS}+ words)")
    return article


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        s, e = pos, pos + len(line)
        pos = e
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 14 or line.endswith(tuple(_TERMINAL)) or line.endswith(","):
        return False
    if line.endswith("?") and len(words) > 10:
        return False
    return not BULLET_RE.match(line)


# A news article's first line is its headline even when it ends with a full stop ("Cash for opponent pours in as
# FL congresswoman struggles."): one short sentence followed by a paragraph much longer than itself. A headline
# names what the story is about; the lead under it says it (and answers), the headline never does.
HEADLINE_MAX_WORDS = 20
HEADLINE_BODY_MIN_WORDS = 15
_INNER_SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s+[A-Z]")


def _is_headline(lines: list[str], title: str | None = None) -> bool:
    """The shape rule; when the page's title is known, the first line is the headline only if it is the title
    (a web page's text starts with its lead: a short first paragraph there is the story's)."""
    if len(lines) < 2:
        return False
    first, body = lines[0], lines[1]
    if title is not None:
        return _folded_line(first) == _folded_line(title)
    words = first.split()
    return (1 <= len(words) <= HEADLINE_MAX_WORDS and not _INNER_SENTENCE_END.search(first.rstrip(_TERMINAL))
            and len(body.split()) >= max(HEADLINE_BODY_MIN_WORDS, 1.5 * len(words)) and not BULLET_RE.match(first))


def _folded_line(line: str) -> str:
    return " ".join(line.casefold().strip().rstrip(_TERMINAL).split())


def classify(lines: list[str], title: str | None = None) -> list[ParagraphKind]:
    """A kind for each paragraph line: heading, name line, pull quote, interview, bullet, byline, body
    (`title`: the page's, when known)."""
    kinds: list[ParagraphKind] = []
    for line in lines:
        if INTERVIEW_RE.match(line):
            kinds.append("interview")
        elif BULLET_RE.match(line):
            kinds.append("bullet")
        elif NAME_LINE_RE.match(line) and not line.endswith(tuple(_TERMINAL)):
            kinds.append("name_line")
        elif _looks_like_heading(line):
            kinds.append("heading")
        else:
            kinds.append("body")
    if kinds and kinds[0] == "body" and _is_headline(lines, title):
        kinds[0] = "heading"
    # In a Q&A interview the answers are the interviewee's words, and a question names what the answer under it
    # is about, as a heading does (it is never itself an answer).
    if any(QA_QUESTION_RE.match(line) for line in lines) and any(QA_ANSWER_RE.match(line) for line in lines):
        for i, line in enumerate(lines):
            if QA_QUESTION_RE.match(line):
                kinds[i] = "heading"
            elif QA_ANSWER_RE.match(line):
                kinds[i] = "interview"
    # The last line naming a person, with no title or description, is the byline; so is a "By ..." line
    # among the first ones (wire and US style) or the last ("By Sarah Green, BBC News").
    if kinds and kinds[-1] == "name_line" and "," not in lines[-1] and not re.match(TITLE_RE, lines[-1]):
        kinds[-1] = "byline"
    for i in [*range(min(TOP_LINES, len(lines))), len(lines) - 1] if lines else []:
        line = lines[i]
        if TOP_BYLINE_RE.match(line) and len(line.split()) <= 12 and line.split()[1][:1].isupper():
            kinds[i] = "byline"
            break
    # A short paragraph right before a name line is a pull quote attributed to that name.
    for i in range(1, len(kinds)):
        if kinds[i] == "name_line" and kinds[i - 1] in ("body", "bullet") and len(lines[i - 1]) < 600:
            kinds[i - 1] = "pull_quote"
    return kinds


def content_start(text: str, start: int, end: int, kind: ParagraphKind) -> int:
    """Where a paragraph's own words start: after "Name : -", "A:" or a list marker."""
    line = text[start:end]
    m = (INTERVIEW_RE.match(line) or QA_ANSWER_RE.match(line)) if kind == "interview" else BULLET_RE.match(line)
    return start + m.end() if m else start


def byline_author(line: str) -> str:
    """Who a byline names: "By JANE MORROW Associated Press" -> "Jane Morrow", "Anna Reporter" as it is."""
    m = re.match(r"by\s+", line, re.I)
    if m is None:
        return line
    name = re.split(r"\s*[,|;]\s*|\s+[-–—]\s+", line[m.end():])[0]
    caps = re.match(r"(?:[A-ZÀ-ÞŁŚŻŹĆŃ'’.-]+\s+)*[A-ZÀ-ÞŁŚŻŹĆŃ'’.-]{2,}(?=\s|$)", name)
    if caps and " " in caps.group():  # an upper-case name (then, maybe, the agency): "JANE MORROW Associated Press"
        return caps.group().title()
    return name


def parse_article(text: str, meta: ArticleMeta) -> Article:
    """Paragraphs with their kinds and the sentences inside them."""
    spans = _line_spans(text)
    if not spans:
        raise ArticleError(f"article {meta.id!r} has no text")
    kinds = classify([text[s:e] for s, e in spans], meta.title)
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for number, ((s, e), kind) in enumerate(zip(spans, kinds), start=1):
        paragraphs.append(Paragraph(number=number, start=s, end=e, kind=kind))
        if not any(ch.isalnum() for ch in text[s:e]):
            pieces = []  # a rule line ("---", "***") has nothing to answer with
        elif kind in ("heading", "name_line", "byline"):
            pieces = [(s, e)]  # one unit: "Dr. hab. Tomasz Pawłuszko" is not two sentences
        else:
            pieces = split_sentences(text, content_start(text, s, e, kind), e)
        for ps, pe in pieces:
            sentences.append(Sentence(number=len(sentences), paragraph=number, start=ps, end=pe))
    if not sentences:
        raise ArticleError(f"article {meta.id!r} yields no sentences")
    if meta.author is None and "byline" in kinds:
        s, e = spans[kinds.index("byline")]
        meta = meta.model_copy(update={"author": byline_author(text[s:e])})
    if meta.title is None and kinds[0] == "heading":  # no sidecar title: the headline, not the file's name
        s, e = spans[0]
        title = text[s:e].lstrip("#").strip()  # a Markdown heading's "# "
        if title and not QA_QUESTION_RE.match(title):
            meta = meta.model_copy(update={"title": valid_text(title)})
    return Article(meta=meta, text=text, paragraphs=paragraphs, sentences=sentences)
