"""The quotation finders for quoted words: direct quotes, dash speech, interviews, pull quotes (reported
speech in the narration: index.quotes.reported)."""

from __future__ import annotations

import re
from bisect import bisect_right
from ..text.article import INTERVIEW_RE, QA_ANSWER_RE, QA_QUESTION_RE
from ..models import Article
from ..text.tokenize import fold
from ..lexicon.people import NOT_NAME
from .patterns import NAME_RE
from .marks import _Raw, _clause_start, _is_title_case, _paragraph_at, _scan_marks, _strip_span, _stripped_len
from .clauses import _Prefixes, _tail

# A quotation holding a sentence end with more after it is a sentence, not a term.
_SENTENCE_GOES_ON = re.compile(r"[.!?]\s+\S")
# After a closing mark, a dash or comma leads into an attribution: '"...", she said', '"..." - he said'.
_DASH_OR_COMMA_AFTER = re.compile(r"\s*[-–—,]")
_DASH_OPENS = re.compile(r"[-–—]\s")  # dash speech: "- Europe isn't losing, says Prof. X"
_COMMA = re.compile(r",\s+")
_AT_MOST_A_SENTENCE_MORE = re.compile(r"[^.!?]*(?:\.\s*\w+\.?[^.!?]*)?[.!?]?\s*")



def is_sentence_like(content: str) -> bool:
    """A whole sentence in quotation marks is somebody's words; a lower-case phrase may be a term: a sentence
    end with more after it, more than eight words, or a capitalised phrase ending as a sentence ends."""
    words = content.split()
    return (bool(_SENTENCE_GOES_ON.search(content)) or len(words) > 8
            or (content[:1].isupper() and content[-1:] in ".!?…" and len(words) > 1))


def leads_into_attribution(text: str, content: str, cs: int, ce: int, e: int) -> bool:
    """Whether a quotation that closes at `e` is followed by its attribution: it ends on a comma, "!", "?" or
    a dash, or a dash or comma comes after the closing mark ('"We will," she said', '"..." - he said')."""
    return (content[-1:] in ",!?-–—…" or text[cs:ce].rstrip()[-1:] in ",!?"
            or _DASH_OR_COMMA_AFTER.match(text[e:e + 3]) is not None)


def says_nothing(words: list[str], short: bool, attributed: bool, tail: bool) -> bool:
    """A quotation nobody is saying: a short phrase with no attribution (a scare quote, a term), a title or
    nickname in title case, or a single word, unless an attribution follows it."""
    if short and not attributed:
        return True
    return not tail and (_is_title_case(words) or len(words) == 1)


def _direct(article: Article) -> list[_Raw]:
    """Quotations in quotation marks, with the attribution after them (tried first) or before them."""
    text = article.text
    raws: list[_Raw] = []
    prev_close: dict[int, int] = {}
    prefix = _Prefixes(text)
    for o, cs, ce, e, g in _scan_marks(article):
        p = _paragraph_at(article, o)
        if p is None:
            continue
        s2, e2 = _strip_span(text, cs, ce, " \t,")
        if e2 <= s2:
            continue
        content = text[s2:e2]
        short = not is_sentence_like(content)
        raw = _Raw(start=s2, end=e2, paragraph=p.number, kind="direct", group=g, short=short)
        ends_open = ce == e  # runs on into the next paragraph
        att = None
        if not ends_open and leads_into_attribution(text, content, cs, ce, e):
            att = _tail(text, e, p.end)
            raw.tail = att is not None
        lo = max(prev_close.get(p.number, p.start), _clause_start(text, p.start, o))
        if att is None and (short or text[o - 1:o] not in ("", "\n")):
            att = prefix(lo, o, short)
        if att is None and not short:
            att = prefix(lo, o, short) if lo < o else None
        if att:
            raw.cue, raw.who = att
        if says_nothing(content.split(), short, bool(att), raw.tail):
            # A short quotation that leads into words the cue list lacks ('"Well, let me put it," he
            # continued') may be speech: the parse decides (index.quotes.parsed); without one it is dropped.
            if not (short and not att and not ends_open and leads_into_attribution(text, content, cs, ce, e)
                    and not _is_title_case(content.split()) and len(content.split()) > 1):
                continue
            raw.tentative = True
        prev_close[p.number] = e
        raws.append(raw)
    return raws


def _dash_speech(article: Article, taken: list[_Raw]) -> list[_Raw]:
    """Polish/European dialogue: a paragraph opening with "- " and ending ", emphasizes X."."""
    text = article.text
    out = []
    quoted = {r.paragraph for r in taken}
    for p in article.paragraphs:
        if p.kind not in ("bullet", "body") or not _DASH_OPENS.match(text[p.start:p.start + 2]):
            continue
        if p.number in quoted:
            continue
        body = text[p.start:p.end]
        # The last clause: ", CUE NAME." or ", NAME CUE."
        for m in _COMMA.finditer(body):
            cut = p.start + m.start()
            att = _tail(text, cut, p.end)
            if not att or att[1][1] <= cut:
                continue
            # What follows the name: at most 120 characters, one sentence end and the start of
            # another ("..., says X. He adds ...").
            if _stripped_len(text, att[1][1], p.end) > 120:
                continue
            if _AT_MOST_A_SENTENCE_MORE.fullmatch(text[att[1][1]:p.end]):
                s, e = _strip_span(text, p.start, cut)
                out.append(_Raw(start=s, end=e, paragraph=p.number, kind="direct", cue=att[0], who=att[1], tail=True))
                break
    return out


def _interviews(article: Article) -> list[_Raw]:
    """Interview answers: "Name : - ..." lines, and the "A: ..." lines of a Q&A, which are the words of the
    person the article introduces before its first question."""
    text = article.text
    out = []
    interviewee: tuple[int, int] | None = None
    looked = False  # for the interviewee, once
    for p in article.paragraphs:
        if p.kind != "interview":
            continue
        line = text[p.start:p.end]
        m = INTERVIEW_RE.match(line)  # anchored with ^: match the line itself
        if m:
            who = (p.start + m.start(1), p.start + m.end(1))
        else:
            m = QA_ANSWER_RE.match(line)
            if m is None:
                continue
            if not looked:
                interviewee, looked = _interviewee(article), True
            if interviewee is None:
                continue
            who = interviewee
        s, e = _strip_span(text, p.start + m.end(), p.end, " \t\"“”")
        out.append(_Raw(start=s, end=e, paragraph=p.number, kind="interview", who=who))
    return out


def _interviewee(article: Article) -> tuple[int, int] | None:
    """Where the first full name (two words or more) before a Q&A's first question stands: the headline's or
    the introduction's "an interview with Dr. Anna Berg"."""
    text = article.text
    for p in article.paragraphs:
        if QA_QUESTION_RE.match(text, p.start, p.end):
            break
        for m in NAME_RE.finditer(text, p.start, p.end):  # within the line: a name never runs on to the next
            words = m.group(2).split()
            if len(words) >= 2 and not any(fold(w) in NOT_NAME for w in words):
                return m.start(2), m.end(2)
    return None


def _pull_quotes(article: Article) -> list[_Raw]:
    text = article.text
    out = []
    for i, p in enumerate(article.paragraphs):
        if p.kind != "pull_quote" or i + 1 >= len(article.paragraphs):
            continue
        line = article.paragraphs[i + 1]
        m = NAME_RE.match(text, line.start, line.end)
        if not m:
            continue
        s, e = _strip_span(text, p.start, p.end, " \t\"“”„")
        raw = _Raw(start=s, end=e, paragraph=p.number, kind="pull quote", who=(m.start(2), m.end(2)))
        raw.pull_name = m.group(2)
        out.append(raw)
    return out


class _Cover:
    """The union of some quotations' spans, for "is this position quoted?" in O(log n)."""

    def __init__(self, raws: list[_Raw]):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for r in sorted(raws, key=lambda r: r.start):
            if self.ends and r.start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], r.end)
            else:
                self.starts.append(r.start)
                self.ends.append(r.end)

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]
