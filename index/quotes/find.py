"""Quotations in a news article: exact spans, speakers, cues and kinds, found by rules.

Three passes over one article:
1. find raw quotations with the words that attribute them, as written ("he adds",
   "says Daniel Boćkowski", "the Americanist believes");
2. find the cast: people named in the narration, their full names, titles and
   descriptions (index.quotes.Cast), so "Trump" can become "Donald Trump";
3. resolve each raw speaker in article order: a name to its full name, a pronoun to
   the person the paragraph is about or the last speaker, a description ("the
   professor") to the person described so, a vague source to the pull quote that
   repeats the quotation.

Rules, not a parser (team decision): they are general news conventions, and nothing
here knows the shipped article's names.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import numpy as np

from ..text.article import INTERVIEW_RE, QA_ANSWER_RE, QA_QUESTION_RE
from ..models import Article, Paragraph, QuoteKind, Quote, Span
from ..text.tokenize import STOPWORDS, fold, tokenize

# ---------------------------------------------------------------- vocabulary

_IRREGULAR = {
    "say": "say says said saying", "tell": "tell tells told telling", "write": "write writes wrote writing",
    "think": "think thinks thought", "admit": "admit admits admitted admitting",
    "quip": "quip quips quipped quipping", "reply": "reply replies replied replying",
    "deny": "deny denies denied denying", "testify": "testify testifies testified testifying",
}
_REGULAR = """add state believe emphasize emphasise stress note explain argue claim insist respond answer ask
acknowledge concede warn predict suggest remind recall declare announce assert contend comment remark
conclude observe maintain confirm repeat reiterate agree complain joke tweet post urge vow promise caution
recount fear call""".split()
# Opinions rather than speech: they attribute a full quotation ('"...," believes X') but
# never turn a scare quote into a quotation ("Burton thinks that cats are "cuties"").
_COGNITION = frozenset("believe believes believed think thinks thought fear fears feared".split())


def _inflect(verb: str) -> list[str]:
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


_CUE_WORDS = sorted(
    {w for forms in _IRREGULAR.values() for w in forms.split()} | {w for v in _REGULAR for w in _inflect(v)},
    key=len, reverse=True,
)
_CUE_PHRASES = [
    r"points? out", r"pointed out", r"pointing out", r"(?:does|do|did)(?: not|n't) hide(?: the fact)?",
    r"makes? no secret(?: of the fact)?", r"made no secret(?: of the fact)?",
]
CUE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_CUE_PHRASES + _CUE_WORDS) + r")(?![\w-])")  # not "so-called"
# Cues that never introduce what the subject says: "by explaining that ...".
_NONFINITE_BEFORE = re.compile(r"\b(?:by|after|before|while|without|when|of|for)\s+$")

TITLES = (
    "Dr", "Prof", "Professor", "hab", "Mr", "Mrs", "Ms", "Miss", "Sen", "Senator", "Rep", "Representative",
    "Gov", "Governor", "Gen", "General", "President", "Vice President", "Judge", "Justice", "Secretary",
    "Speaker", "Mayor", "Minister", "Chancellor", "Sir", "Dame", "Lt", "Col", "Capt", "Adm", "Rev", "Father",
    "Ambassador", "Attorney General", "Sgt", "Det", "Chief", "Tsar", "King", "Queen", "Pope",
)
_TITLE = r"(?:(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r")\.?\s+)"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
# A name word: capitalised, not an all-caps acronym ("EU", "NATO" are not people).
_WORD = rf"(?:[{_UPPER}](?:[a-zß-öø-ÿā-ž'’-]|[{_UPPER}](?=[a-zß-öø-ÿā-ž]))[\w'’-]*|[{_UPPER}]\.)"
NAME_RE = re.compile(rf"(?<![\w.])({_TITLE}*)({_WORD}(?:\s+{_WORD}){{0,5}})(?!\w)")
# A one-letter word split off a known name by a stray space ("T rump").
_SPLIT_NAME_RE = re.compile(rf"\b([{_UPPER}]) ([a-z]{{2,}})\b")

_PRONOUNS = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "s"}
# Capitalised words that start sentences or name things, never people.
_NOT_NAME = frozenset(fold(w) for w in """
The A An In On At For But And Or Nor So Yet However Meanwhile Since After Before Both This That These Those It
He She They We I You His Her Their Our Its My Your Elsewhere Besides Unfortunately First Second Third Some There
What Did Does Do Is Are Was Were Will Would When Where Why How Who Whom Whose Which If While Although Though
Also Still Even Then Now Today Yesterday Tomorrow Once Yes No Not Only Many Most More Every Each All Any
Let Here As Because Despite During Under Over Among Between Against Without Within Through Isolated According
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Mother Father Son Daughter Sir Madam Hey Oh Please Thank Thanks Congress
""".split())
# Words that make a capitalised sequence an organisation, a place or an event.
_ORG_WORDS = frozenset(fold(w) for w in """
University Institute Network Court Assembly Council House Senate Congress Party Department Ministry Office
Agency Union Nations States Republic Kingdom Street Avenue Prize War Peace Criminal International National
Federal Supreme Committee Commission Bank Fund Group Company Corporation News Times Post Press Research Center
Centre Foundation Association Organization Organisation Alliance Forces Army Navy Police Security Service North
South East West Middle New Key Issues Talks Summit Conference Street Square City County Island Islands Sea Ocean
River Mountains Airport Hall School College Academy Church Times Journal Review Daily Weekly Club Team Board
Administration Government Parliament Cabinet Pentagon Kremlin Gulf Coast Valley Empire Treaty Act Bill Plan
Program Programme Project Initiative Campaign Fort Park Hotel Tower Station Museum Library Hospital Prison
Federation Labor Labour Workers Fed Reserve Guard Corps Act Authority Trust Council Coalition Caucus
""".split())
# Lower-case nouns after which a capitalised name is a description's head: "NATO chief Mark Rutte".
_ROLE_NOUNS = frozenset("""
chief head leader minister secretary spokesman spokeswoman spokesperson president director official adviser
advisor analyst expert professor senator governor representative congressman congresswoman lawmaker ambassador
envoy commissioner chairman chairwoman chair candidate nominee founder ceo attorney lawyer judge economist
strategist aide negotiator mayor general commander manager researcher scientist historian correspondent
reporter editor member speaker whip counsel chancellor premier diplomat spokesperson pollster consultant
executive officer detective prosecutor sheriff activist author columnist commentator political scientist
americanist sovietologist lecturer doctor dean rector librarian teacher principal nurse surgeon physician engineer
architect planner inspector curator coach captain pilot farmer owner organiser organizer campaigner volunteer
""".split())
# People spoken of as a group: "Richmond police said".
_GROUP_NOUNS = frozenset("""
police officials prosecutors authorities investigators officers lawmakers aides sources spokesman spokeswoman
spokesperson witnesses residents analysts experts critics officials democrats republicans
""".split())
# Words stripped from the end of a subject before a cue: "Putin, however, said", "has been repeating".
_AUX = frozenset("""
has have had been was were is are will would could may might shall should can also then later previously
repeatedly already once again far so however too still often recently not never just even further
subsequently first finally yes
""".split())
# Capitalised words before a name that say what someone is: "Senate Majority Leader Chuck Schumer".
_LEAD_ROLE = frozenset("former majority minority deputy vice acting first lady senate house state white"
                       " foreign defense defence interior prime supreme chief".split())
_PREPOSITIONS = frozenset("of to and that on in at for from with by about after before during into over under".split())
_RELATIVE = frozenset("which who whom whose that this it what where when there here".split())

_MARK_RE = re.compile(r"''|``|[\"“”„«»]")
# British and many online styles quote with single marks: 'We moved what we could,' he told the BBC.
# They are read as quotation marks only in an article with no double ones, and a mark between two
# letters is still an apostrophe there ("don't", "Patel's").
_SINGLE_MARK_RE = re.compile(r"''|``|[\"“”„«»‘’']")
_DOUBLE_RE = re.compile(r"``|[\"“”„«»]")
_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=[\s(\[—–:-]))[‘'](?=[A-Z0-9])", re.M)
_SINGLE_CLOSE_RE = re.compile(r"[,.!?…][’'](?=\s|$)", re.M)


def _marks_of(text: str) -> re.Pattern[str]:
    """The quotation marks of an article's house style: double, or single where no double ones are used."""
    return _by_text(_MARKS, text, _house_marks, 16)


_MARKS: dict[int, tuple[str, re.Pattern[str]]] = {}


def _house_marks(text: str) -> re.Pattern[str]:
    if _DOUBLE_RE.search(text) is None and _SINGLE_OPEN_RE.search(text) and _SINGLE_CLOSE_RE.search(text):
        return _SINGLE_MARK_RE
    return _MARK_RE
_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")


# ---------------------------------------------------------------- looking back in linear time
#
# The rules below look at the words just before a position ("<Daniel Boćkowski> said", "the
# <professor> believes"), most often with a pattern anchored at the end of text[lo:pos]. Searched
# over all of text[lo:pos], each look costs the length of the sentence before it, and a sentence
# with no full stop in a 2 MB article made indexing quadratic. A pattern whose match holds at most
# k runs of white space can only start after the (k+1)-th run from the end, so the same search over
# that window finds the same match (see _window); what needs the whole of text[lo:pos] (the first
# match in it, the last sentence end) is answered from positions found once per text (_TextIndex).
# Short ranges keep the plain search: the window only ever changes how far a search looks.

_SHORT = 32  # a range this short is searched as it is
_BACK_RUNS: dict[int, re.Pattern[str]] = {}


def _window(text: str, lo: int, pos: int, runs: int) -> int:
    """Where text[lo:pos] holds at most `runs` runs of white space after it: the start of the last
    `runs` + 1 white-space-separated pieces (lo if there are fewer). Any match ending at pos that
    starts at a non-space and holds at most `runs` such runs starts there or later, and the
    character before the window is white space (or the window starts at lo), so a search of
    text[window:pos] finds what a search of text[lo:pos] finds, at the same offsets."""
    if pos - lo <= _SHORT:
        return lo
    back = _BACK_RUNS.get(runs)
    if back is None:
        back = _BACK_RUNS[runs] = re.compile(r"\S*(?:\s+\S+){0,%d}" % runs)
    n = len(text)
    m = back.match(_index(text).reversed, n - pos, n - lo)
    return pos - (m.end() - m.start())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \b and \w take for a word character


class _TextIndex:
    """What the rules look up often in one article's text, found once: the positions of commas and
    of a few patterns, the text reversed (to read back from a position at C speed), and memos."""

    def __init__(self, text: str):
        self.text = text
        self._reversed: str | None = None
        self._hits: dict[str, tuple[list[int], list[int]]] = {}
        self._matches: dict[str, list[re.Match[str]]] = {}
        self._sent_ends: tuple[list[int], list[int], list[int], list[int]] | None = None
        self.strip_memo: dict[tuple[int, int], int] = {}
        self.split_at: dict[int, bool] = {}
        self.words: set[str] | None = None
        self.cues_of: tuple[list, list[list[re.Match[str]]]] | None = None  # (sentences, their cues)
        self.compound: dict[str, bool] = {}

    @property
    def reversed(self) -> str:
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def hits(self, key: str, pattern: re.Pattern[str]) -> tuple[list[int], list[int]]:
        """(starts, ends) of pattern.finditer over the whole text."""
        found = self._hits.get(key)
        if found is None:
            starts, ends = [], []
            for m in pattern.finditer(self.text):
                starts.append(m.start())
                ends.append(m.end())
            found = self._hits[key] = (starts, ends)
        return found

    def matches(self, key: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """pattern.finditer over the whole text, kept (with hits(key, pattern))."""
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = list(pattern.finditer(self.text))
            self._hits[key] = ([m.start() for m in found], [m.end() for m in found])
        return found

    @property
    def commas(self) -> list[int]:
        return self.hits(",", _COMMA_RE)[0]

    def sent_ends(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """_SENT_END_RE over the whole text: all (starts, ends), and those that end a sentence when
        the 12 characters before them are looked at (not "Dr."), as (starts, ends)."""
        if self._sent_ends is None:
            starts, ends = self.hits("sent_end", _SENT_END_RE)
            vs, ve = [], []
            for s, e in zip(starts, ends):
                if _ends_sentence(self.text, 0, s):
                    vs.append(s)
                    ve.append(e)
            self._sent_ends = (starts, ends, vs, ve)
        return self._sent_ends


_COMMA_RE = re.compile(",")


def _by_text(cache: dict[int, tuple[str, object]], text: str, make, size: int = 8):
    """What make(text) gives, kept for the last `size` texts by identity: an equal but distinct string would
    be compared in full on every look-up of a cache keyed by the text, as often as once per sentence."""
    hit = cache.get(id(text))
    if hit is None or hit[0] is not text:
        while len(cache) >= size:
            cache.pop(next(iter(cache)))
        hit = cache[id(text)] = (text, make(text))  # holding the text keeps its id from being reused
    return hit[1]


_INDEXES: dict[int, tuple[str, _TextIndex]] = {}


def _index(text: str) -> _TextIndex:
    # Two: the article being analysed and the one before it (a 2 MB text's index is large).
    return _by_text(_INDEXES, text, _TextIndex, 2)


def _last_before(positions: list[int], lo: int, pos: int) -> int | None:
    """The last of the sorted positions in [lo, pos), or None."""
    i = bisect_left(positions, pos) - 1
    return positions[i] if i >= 0 and positions[i] >= lo else None


# ---------------------------------------------------------------- raw quotations

@dataclass
class _Raw:
    """A quotation before its speaker is resolved."""

    start: int
    end: int
    paragraph: int
    kind: QuoteKind
    cue: str | None = None
    who: tuple[int, int] | None = None  # where the speaker is named, as written
    group: int | None = None  # quotes running over several paragraphs share a group
    short: bool = False  # a quoted phrase inside narration, not a whole utterance
    speaker: str | None = None
    pull_name: str | None = None  # pull quotes: the name line under them
    tail: bool = False  # attributed after the quote ("...," he said)


def _strip_span(text: str, s: int, e: int, chars: str = " \t,;:-–—") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _stripped_len(text: str, s: int, e: int) -> int:
    """len(text[s:e].strip()), reading only the white space at its ends."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return e - s


_ROLES: dict[tuple[str, str, str], str] = {}  # (character before, mark, character after) -> role


def _role(prev: str, mark: str, nxt: str) -> str:
    """Whether a mark between these characters opens, closes, or could do either (straight marks)."""
    if mark in ("“", "„", "«", "``", "‘"):
        return "open"
    if mark in ("”", "»"):
        return "close"
    if mark in ("'", "’") and prev.isalnum() and nxt.isalnum():
        return "apostrophe"  # single-mark style only: "don't", "Patel's"
    left_free = prev.isspace() or prev in "([{—–-:/"
    right_free = nxt.isspace() or nxt in ",.;:!?)]}—–-"
    if left_free and not right_free:
        return "open"
    if right_free and not left_free:
        return "close"
    if left_free and right_free:
        return "close"  # a lone mark between spaces only ever ends something
    # Glued on both sides: `he"reconciles` opens (a lost space); `statements."It` either.
    return "glued_word" if prev.isalnum() else "either"


def _scan_marks(article: Article) -> list[tuple[int, int, int, int, int]]:
    """Direct quotations as (open, content_start, content_end, close_end, group) in text order.

    Straight marks are paired by their flanks, so glued marks (`he"reconciles"`) and
    one level of nesting work; a mark that closes nothing is ignored; a quotation left
    open at a paragraph's end continues only if the next paragraph opens with a mark.
    """
    text = article.text
    marks = _marks_of(text)
    out: list[tuple[int, int, int, int, int]] = []
    group = 0
    carry: int | None = None  # the open quotation continued from the previous paragraph
    paras = [p for p in article.paragraphs if p.kind in ("body", "bullet", "heading")]
    for idx, p in enumerate(paras):
        stack: list[tuple[int, int]] = []  # (mark position, mark length)
        if carry is not None:
            m = marks.match(text, p.start)
            if m:
                stack.append((m.start(), m.end() - m.start()))
            carry = None
        lo, hi = p.start, p.end
        for m in marks.finditer(text, lo, hi):
            i, j = m.span()
            if stack and i == stack[0][0]:
                continue
            # A text has a few hundred kinds of marks in their context: each role is worked out once.
            key = (text[i - 1] if i > lo else " ", text[i:j], text[j] if j < hi else " ")
            role = _ROLES.get(key)
            if role is None:
                role = _ROLES[key] = _role(*key)
            if role == "apostrophe":
                continue
            if role == "glued_word" and not stack:
                role = "open"
            elif role == "glued_word":
                role = "open" if len(stack) == 1 else "skip"
            elif role == "either":
                role = "close" if stack else "open"
            if role == "open" and len(stack) < 2:
                stack.append((m.start(), len(m.group())))
            elif role == "close" and stack:
                o, n = stack.pop()
                if not stack:
                    out.append((o, o + n, m.start(), m.end(), group))
                    group += 1
        if stack:
            o, n = stack[0]
            nxt = paras[idx + 1] if idx + 1 < len(paras) else None
            if nxt is not None and nxt.number == p.number + 1 and marks.match(text, nxt.start):
                # Runs on: this part ends at the paragraph's end; the group continues.
                out.append((o, o + n, p.end, p.end, group))
                carry = group
                continue
            group += 1
    return _merge_groups(out)


def _merge_groups(out: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """Renumber so that the parts of one multi-paragraph quotation share one group id."""
    fixed = []
    prev_open_end: int | None = None
    gid = -1
    for o, cs, ce, e, g in out:
        if prev_open_end is None or g != prev_open_end:
            gid += 1
        fixed.append((o, cs, ce, e, gid))
        prev_open_end = g if ce == e else None  # a part ending at its paragraph's end carries on
    return fixed


def _is_title_case(words: list[str]) -> bool:
    """"One Hundred Years of Solitude": a title or a nickname, not somebody's words."""
    big = [w for w in words if len(w) > 3 or w[:1].isupper()]
    return bool(big) and all(w[:1].isupper() for w in big)


_STARTS: dict[int, tuple[list, list[int]]] = {}


def _starts(items: list) -> list[int]:
    """Start offsets of a list of sentences or paragraphs, computed once per list."""
    hit = _STARTS.get(id(items))
    if hit is None or hit[0] is not items:
        if len(_STARTS) > 256:
            _STARTS.clear()
        hit = _STARTS[id(items)] = (items, [x.start for x in items])
    return hit[1]


def _sentence_bounds(article: Article, pos: int) -> tuple[int, int]:
    i = bisect_right(_starts(article.sentences), pos) - 1
    if i >= 0 and pos < article.sentences[i].end:
        return article.sentences[i].start, article.sentences[i].end
    p = _paragraph_at(article, pos)
    return (p.start, p.end) if p else (pos, pos)


def _paragraph_at(article: Article, pos: int) -> Paragraph | None:
    i = bisect_right(_starts(article.paragraphs), pos) - 1
    if i >= 0 and pos <= article.paragraphs[i].end:
        return article.paragraphs[i]
    return None


_NOT_SENTENCE_END = frozenset({"dr", "prof", "hab", "mr", "mrs", "ms", "sen", "rep", "gov", "gen", "st", "jr", "lt", "col"})
_TERMINALS_RE = re.compile(r"[.!?…]+")
_CLOSERS_RE = re.compile(r"[\"”’')\]]+")


def _ends_sentence(text: str, lo: int, start: int) -> bool:
    """Whether a _SENT_END_RE match at `start` ends a sentence: not after a title ("Dr."), looking at
    no more than the 12 characters before it, and none before lo."""
    word = re.search(r"(\w+)\W*$", text[max(lo, start - 12):start])
    return not (word and fold(word.group(1)) in _NOT_SENTENCE_END)


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the sentence holding pos starts, looking back no further than lo: the end of the last
    _SENT_END_RE match in text[lo:pos] that ends a sentence."""
    if pos - lo <= _SHORT:
        best = lo
        for m in _SENT_END_RE.finditer(text, lo, pos):
            if _ends_sentence(text, lo, m.start()):
                best = m.end()
        return best
    # The same from positions found once. In text[lo:pos] the matches are those of the whole text
    # that lie inside it, except at its ends: one ending at pos (the text ends there, so no space
    # needs to follow), and one the cut at lo shortens to start at lo.
    idx = _index(text)
    end_block = _block_ending_at(idx, lo, pos)
    if end_block is not None and _ends_sentence(text, lo, end_block):
        return pos
    starts, ends, valid_starts, valid_ends = idx.sent_ends()
    k = bisect_left(valid_ends, pos) - 1  # the last one ending before pos that ends a sentence anywhere
    if k >= 0 and valid_starts[k] >= lo + 12:  # far enough from lo for lo not to matter
        return valid_ends[k]
    # Only matches near lo are left to look at (at most 12 of them), with lo.
    best = lo
    i = bisect_left(starts, lo)
    if i > 0 and ends[i - 1] > lo and ends[i - 1] < pos and text[lo] in ".!?…":
        best = ends[i - 1]  # shortened to start at lo: nothing before it, so it ends a sentence
    while i < len(starts) and starts[i] < lo + 12 and ends[i] < pos:
        if _ends_sentence(text, lo, starts[i]):
            best = ends[i]
        i += 1
    return best


def _block_ending_at(idx: _TextIndex, lo: int, pos: int) -> int | None:
    """Where text[lo:pos] ends with terminal marks then closing ones ("?\"", ".)"), or None."""
    text = idx.text
    c0 = pos
    if text[pos - 1] in "\"”’')]":
        starts, _ = idx.hits("closers", _CLOSERS_RE)
        c0 = max(lo, starts[bisect_right(starts, pos - 1) - 1])
    if c0 <= lo or text[c0 - 1] not in ".!?…":
        return None
    starts, _ = idx.hits("terminals", _TERMINALS_RE)
    return max(lo, starts[bisect_right(starts, c0 - 1) - 1])


# ---------------------------------------------------------------- noun phrases



_STRIPPED_END = re.compile(r"(,|\b[a-z]+)\s*$")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose|[a-z]+ing|according to)\b[^,]*(?:,\s*)?$")
_OWN_SPEAKER = re.compile(r"\b(?:which|whom|that)\s+(?:he|she|they|we|I)$")


def _strip_aux(text: str, lo: int, pos: int) -> int:
    """Move pos left over commas, auxiliaries and adverbs: "Putin, however, said" -> "Putin"."""
    if pos - lo <= _SHORT:
        while pos > lo:
            m = _STRIPPED_END.search(text[lo:pos])
            if not m:
                break
            w = m.group(1)
            if w == "," or w in _AUX or (w.endswith("ly") and len(w) > 4):
                pos = lo + m.start()
                continue
            break
    else:
        pos = _strip_words(text, lo, pos)
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    # A relative clause between subject and verb: "Ukraine, which so far has been repeating"; but in
    # "the structure, which he called ..." the clause has a speaker of its own.
    if pos - lo <= _SHORT:
        m = _RELATIVE_CLAUSE.search(text[lo:pos])
        if m and not _OWN_SPEAKER.search(text[lo:pos]):
            pos = lo + m.start()
        return pos
    # Both matches hold no comma but the one they start with (and, the first, one at its end): they
    # start at one of the last two commas.
    commas = _index(text).commas
    i = bisect_left(commas, pos) - 1
    if i < 0 or commas[i] < lo:
        return pos
    last = commas[i]
    start = commas[i - 1] if i > 0 and commas[i - 1] >= lo else last
    m = _RELATIVE_CLAUSE.search(text, start, pos)
    if m and not _OWN_SPEAKER.search(text, last, pos):
        pos = m.start()
    return pos


def _strip_words(text: str, lo: int, pos: int) -> int:
    """The loop of _strip_aux, read back from pos a character at a time; each (lo, pos) it passes is
    remembered, so that a run of "reply reply ... said" is read once, not once per cue."""
    memo = _index(text).strip_memo
    passed = []
    while pos > lo:
        known = memo.get((lo, pos))
        if known is not None:
            pos = known
            break
        passed.append(pos)
        # _STRIPPED_END: a comma or a \b-led run of a-z, then white space, at the end of text[lo:pos].
        j = pos
        while j > lo and text[j - 1].isspace():
            j -= 1
        i = j
        while i > lo and "a" <= text[i - 1] <= "z":
            i -= 1
        if i < j:
            if i > lo and _is_word_char(text[i - 1]):
                break  # no word boundary before the letters: no match
            w = text[i:j]
        elif j > lo and text[j - 1] == ",":
            i, w = j - 1, ","
        else:
            break
        if w == "," or w in _AUX or (w.endswith("ly") and len(w) > 4):
            pos = i
            continue
        break
    for p in passed:
        memo[(lo, p)] = pos
    return pos


_DET_NP = re.compile(
    r"(?:\b(?:the|a|an|one|his|her|their|our|The|A|An|One|His|Her|Their|Our)\s+)((?:[\w'’-]+\s+){0,4}[\w'’-]+)$"
)
_NAME_END = re.compile(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}}(?:\s+(?:and|&)\s+{_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})?)$")
_PRONOUN_END = re.compile(r"\b(he|she|they|we|I|He|She|They|We)$")
_CAPS_END = re.compile(rf"{_WORD}(?:\s+{_WORD})+$")
_GROUP_END = re.compile(rf"((?:{_WORD}\s+)?(?:[a-z]+\s+)?([a-z]+))$")
_SPLIT_AT = re.compile(r"[A-Z] [a-z]{2,}\b")  # _SPLIT_NAME_RE where text[lo:] starts
_LEADING_FILL = re.compile(r"[ ,\-–—\t]*")


def _np_before(text: str, lo: int, pos: int, whole: bool = False) -> tuple[int, int] | None:
    """The speaker noun phrase ending at pos (after stripping adverbs), or None.

    whole: the phrase must take up all of text[lo:pos] ("...," the senator said).
    """
    end = _strip_aux(text, lo, pos)
    found: tuple[int, int] | None = None
    # The patterns are searched over the last pieces of text[lo:end] (see _window): `at` is where that
    # window starts, so a position in it is at + an offset. Each but _NAME_END spans at most 5 runs of
    # white space, and one that fits in fewer fits in more.
    at = _window(text, lo, end, _NAME_RUNS)
    seg = text[at:end]
    m = _PRONOUN_END.search(seg)
    if m:
        found = (at + m.start(), end)
    if found is None:
        s = _split_name_end(text, lo, end, at, seg)
        if s is not None:
            found = (s, end)
    if found is None:
        m = _DET_NP.search(seg)
        if m and not any(fold(w) in _RELATIVE | _AUX or w in _PREPOSITIONS for w in m.group(1).split()):
            caps = _CAPS_END.search(m.group(1))
            # "a stunned Anna Ramirez" names someone; "the Interia source", "the Americanist" describe.
            found = (at + m.start(1) + caps.start(), end) if caps else (at + m.start(), end)
    if found is None and _WORD_END.search(seg):  # a name ends with a name word, the last piece's end
        m, name_at = _name_end(text, lo, end, at, seg)
        if m and fold(m.group(1).split()[0]) not in _NOT_NAME | _RELATIVE:
            found = (name_at + m.start(), end)
        elif m and len(m.group(1).split()) > 1:
            first = m.group(1).split()[0]
            found = (name_at + m.start() + len(first) + 1, end)
    if found is None:
        # _GROUP_END's group 2 is the run of a-z letters ending the text: look further only if it is a group.
        tail = _LOWER_END.search(seg)
        m = _GROUP_END.search(seg) if tail and tail.group() in _GROUP_NOUNS else None
        if m and m.group(2) in _GROUP_NOUNS:
            found = (at + m.start(), end)
            if fold(text[found[0]:end].split()[0]) in _NOT_NAME:
                found = (found[0] + len(text[found[0]:end].split()[0]) + 1, end)
    if found is None:
        return None
    s, e = found
    # Leading descriptions are not the name: "EU foreign policy chief Kaja Kallas".
    if whole and _LEADING_FILL.match(text, lo, s).end() < s:
        return None
    return s, e


_NAME_RUNS = 8  # a name, "and", a name: 8 runs of white space, besides titles
_WORD_END = re.compile(rf"(?:{_WORD})$")
_LOWER_END = re.compile(r"[a-z]+$")


def _split_name_end(text: str, lo: int, end: int, at: int, seg: str) -> int | None:
    """Where the first _SPLIT_NAME_RE match in text[lo:end] starts if it ends at end ("T rump"), or None.
    seg is text[at:end], a window of _window(..., 1) or more."""
    if end - lo <= _SHORT:
        m = _SPLIT_NAME_RE.search(text[lo:end])
        return lo + m.start() if m and m.end() == end - lo else None
    # A match holds one space: the one ending at end lies in the last two pieces, and in the window
    # the first match is that one, or one before it (which is the first's in text[lo:end] too).
    m = _SPLIT_NAME_RE.search(seg)
    if not m or m.end() != end - at:
        return None
    s = at + m.start()
    # Is it the first? Matches cannot overlap, and one before it ends before it (its letters are
    # lower case, this one starts with a capital), so they are matches of the whole text; only the
    # one at lo is read as text[lo:] reads it (a word boundary at its start).
    idx = _index(text)
    at_lo = idx.split_at.get(lo)
    if at_lo is None:
        at_lo = idx.split_at[lo] = _SPLIT_AT.match(text, lo) is not None
    if s > lo and at_lo:
        return None
    idx.matches("split_name", _SPLIT_NAME_RE)  # (kept: _cast takes each paragraph's from them)
    starts, _ = idx.hits("split_name", _SPLIT_NAME_RE)
    i = bisect_right(starts, lo)
    if i < len(starts) and starts[i] < s:
        return None
    return s


def _name_end(text: str, lo: int, end: int, at: int, seg: str) -> tuple[re.Match[str] | None, int]:
    """_NAME_END.search(text[lo:end]) and the offset of its text, starting from the window seg =
    text[at:end] of _window(..., _NAME_RUNS). Titles repeat without limit ("Dr. Dr. ..."), so the window
    grows until the match found cannot be the tail of a longer one: a match that starts before a
    window also matches from the window's first or second piece."""
    runs, before = _NAME_RUNS, -1
    while True:
        m = _NAME_END.search(seg)
        if at == lo or at == before or m is None:  # before: only white space lies before the window
            return m, at
        second = _SECOND_PIECE.match(seg)
        if second is None or m.start() > second.end():
            return m, at
        runs *= 4
        before, at = at, _window(text, lo, end, runs)
        seg = text[at:end]


_SECOND_PIECE = re.compile(r"\S*\s+")


_FWD_NAME = re.compile(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}}(?:\s+(?:and|&)\s+{_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})?)")
_FWD_ROLE_NAME = re.compile(rf"(?:[a-z][\w-]*\s+){{0,3}}?([a-z][\w-]*)\s+({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})")
_FWD_DET = re.compile(r"(?:the|a|an|one|his|her|their)\s+[^,.;:!?\"“”()]{1,60}?(?=\s*(?:[,.;:!?\"”(]|$|\s(?:in|on|at|who|during|after|before|when|while|of|to|as|about|from|last|this|on)\b))")


_PRONOUN_START = re.compile(r"(he|she|they|we|I)\b")
_ACCORDING_TO = re.compile(r"according to\s+")


def _np_after(text: str, pos: int, hi: int) -> tuple[int, int] | None:
    """The speaker noun phrase starting at pos ('...," says <Daniel Boćkowski>, a professor')."""
    m = _PRONOUN_START.match(text, pos, hi)
    if m:
        return pos, m.end()
    m = _FWD_NAME.match(text, pos, hi)
    if m and fold(m.group(1).split()[0].rstrip(".")) not in _NOT_NAME - {fold("sir")}:
        return pos, m.end()
    m = _FWD_ROLE_NAME.match(text, pos, hi)
    role = fold(m.group(1)) if m else ""
    if m and (role in _ROLE_NOUNS or (_personish(role) and role not in STOPWORDS)) \
            and fold(m.group(2).split()[0].rstrip(".")) not in _NOT_NAME:
        return m.start(2), m.end(2)  # 'said head librarian <Emma Clarke>': the role is a description
    m = _FWD_DET.match(text, pos, hi)
    if m:
        return pos, m.end()
    return None


def _cues_in(text: str, lo: int, pos: int, start: int | None = None) -> list[re.Match[str]]:
    """The cue verbs in text[lo:pos] that are finite verbs (not "by explaining"); those from `start` on."""
    return _finite(text, lo, _cue_matches(text, lo if start is None else start, pos))


def _finite(text: str, lo: int, cues: list[re.Match[str]]) -> list[re.Match[str]]:
    """The cues that are finite verbs, looking back no further than lo for "by", "after", ..."""
    return [
        m for m in cues
        if not (m.group().endswith("ing") and _NONFINITE_BEFORE.search(text[max(lo, m.start() - 12):m.start()]))
    ]


def _cues_by_sentence(article: Article) -> list[list[re.Match[str]]]:
    """CUE_RE's matches in each sentence of the article (kept for the article's text and sentences)."""
    idx = _index(article.text)
    if idx.cues_of is None or idx.cues_of[0] is not article.sentences:
        spans = [(s.start, s.end) for s in article.sentences]
        idx.cues_of = (article.sentences, _matches_by_span(article.text, "cue", CUE_RE, _CUE_GOES_ON, spans))
    return idx.cues_of[1]


def _cue_matches(text: str, lo: int, pos: int) -> list[re.Match[str]]:
    """CUE_RE.finditer(text, lo, pos) as a list (a cue holds no punctuation, and sentences, clauses and
    quotations end at some, so the whole text's matches serve)."""
    return _matches_in(text, "cue", CUE_RE, _CUE_GOES_ON, lo, pos)


def _matches_in(text: str, key: str, pattern: re.Pattern[str], goes_on: re.Pattern[str], lo: int, hi: int
                ) -> list[re.Match[str]]:
    """pattern.finditer(text, lo, hi) as a list, taken from the whole text's matches (found once): they are
    the same where none of those runs across lo or hi and the character at hi is not one a match could go
    on with (`goes_on`), as the end of text[lo:hi] could cut a match short there."""
    if hi - lo <= _SHORT:
        return list(pattern.finditer(text, lo, hi))
    idx = _index(text)
    found = idx.matches(key, pattern)
    starts, ends = idx.hits(key, pattern)
    i, j = bisect_left(starts, lo), bisect_left(starts, hi)
    if (i > 0 and ends[i - 1] > lo) or (j > 0 and ends[j - 1] > hi) or (hi < len(text) and goes_on.match(text, hi)):
        return list(pattern.finditer(text, lo, hi))
    return found[i:j]


_CUE_GOES_ON = re.compile(r"[\w-]")


# ---------------------------------------------------------------- attribution of one quotation

_LEAD = re.compile(r"[\s,]*(?:[-–—]\s*)?")


def _tail(text: str, close: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """Attribution right after a quotation: '," says X' / '," X said' / '" - added X'."""
    lead = _LEAD.match(text, close, hi)
    pos = lead.end() if lead else close
    m = _ACCORDING_TO.match(text, pos, hi)
    if m:
        who = _np_after(text, m.end(), hi)
        return ("according to", who) if who else None
    m = CUE_RE.match(text, pos, hi)
    if m:
        who = _np_after(text, _skip_space(text, m.end(), hi), hi)
        return (m.group(), who) if who else None
    # "Smith, a Democrat from Ohio, said": a name, an appositive between commas, the cue.
    window = text[pos:min(hi, pos + 160)]
    m = re.match(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})\s*,\s*(?:a|an|the|who|[a-z]+)\b[^,.;\"“”]{{1,100}},\s*(?:\w+ly\s+)?(?={CUE_RE.pattern})", window)
    if m and fold(m.group(1).split()[0]) not in _NOT_NAME:
        c = CUE_RE.match(window, m.end())
        if c:
            return c.group(), (pos, pos + m.end(1))
    # "X said": a subject of at most six words, then the cue.
    window = window[:80]
    for c in CUE_RE.finditer(window):
        before = re.sub(r"\b(?:[A-Z][a-z]{0,3}|hab)\.", "", window[:c.start()])  # "Gov." is not a full stop
        if re.search(r"[,.;:!?\"“”]", before) and not re.match(r"[^,]*,\s*(?:however|though|meanwhile)\s*,", before + " "):
            break
        if len(window[:c.start()].split()) > 7:
            break
        who = _np_before(text, pos, pos + c.start(), whole=True)
        if who and fold(text[who[0]:who[1]].split()[0]) not in _RELATIVE:
            return c.group(), who
        break
    return None


def _skip_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


class _Prefixes:
    """Attribution before a quotation in the same sentence: 'X said: "...' / 'Trump said that"...'.

    It is the nearest cue before the quotation with a subject ("announced that ... what had been
    agreed ... a "fair deal""); for a short quotation, none if a verb of thinking comes first
    ("Burton thinks that cats are "cuties""). Called for the quotations of one text in text order:
    those of one clause share its start (lo), so the cues before each are the cues before the
    last one plus the new ones, and each is looked at once.
    """

    def __init__(self, text: str):
        self.text = text
        self.lo = self.upto = -1
        self.said: tuple[str, tuple[int, int], int] | None = None  # last cue with a subject: cue, who, where
        self.thought = -1  # where the last verb of thinking is

    def __call__(self, lo: int, open_pos: int, short: bool) -> tuple[str, tuple[int, int]] | None:
        text = self.text
        if lo != self.lo or open_pos < self.upto:
            self.lo, self.upto, self.said, self.thought = lo, lo, None, -1
        # An opening mark is never inside a cue: the cues from `upto` on are the new ones. Of those, only
        # the last with a subject can be the answer, now or later: read back to it.
        new = _cues_in(text, lo, open_pos, self.upto)
        for c in new:
            if c.group() in _COGNITION:
                self.thought = c.start()
        for c in reversed(new):
            who = _np_before(text, lo, c.start())
            if who is not None and fold(text[who[0]:who[1]].split()[0]) not in _RELATIVE:
                self.said = (c.group(), who, c.start())
                break
        self.upto = max(self.upto, open_pos)
        said_at = self.said[2] if self.said else -1
        if short and self.thought >= 0 and self.thought >= said_at:
            return None  # read back from the quotation, a verb of thinking comes first
        return self.said[:2] if self.said else None


# ---------------------------------------------------------------- finding raw quotations

def _direct(article: Article) -> list[_Raw]:
    text = article.text
    raws: list[_Raw] = []
    spans = _scan_marks(article)
    prev_close: dict[int, int] = {}
    prefix = _Prefixes(text)
    for o, cs, ce, e, g in spans:
        p = _paragraph_at(article, o)
        if p is None:
            continue
        s2, e2 = _strip_span(text, cs, ce, " \t,")
        if e2 <= s2:
            continue
        content = text[s2:e2]
        words = content.split()
        # A whole sentence in quotation marks is somebody's words; a lower-case phrase may be a term.
        sentence_like = (
            bool(re.search(r"[.!?]\s+\S", content)) or len(words) > 8
            or (content[:1].isupper() and content[-1:] in ".!?…" and len(words) > 1)
        )
        short = not sentence_like
        raw = _Raw(start=s2, end=e2, paragraph=p.number, kind="direct", group=g, short=short)
        ends_open = ce == e  # runs on into the next paragraph
        att = None
        if not ends_open and (content[-1:] in ",!?-–—…" or text[cs:ce].rstrip()[-1:] in ",!?" or re.match(r"\s*[-–—,]", text[e:e + 3])):
            att = _tail(text, e, p.end)
            raw.tail = att is not None
        lo = max(prev_close.get(p.number, p.start), _clause_start(text, p.start, o))
        if att is None and (short or text[o - 1:o] not in ("", "\n")):
            att = prefix(lo, o, short)
        if att is None and not short:
            att = prefix(lo, o, short) if lo < o else None
        if att:
            raw.cue, raw.who = att
        if short and att is None:
            continue  # a scare quote, a term, a title: nobody is saying it
        if _is_title_case(words) and not raw.tail:
            continue
        if len(words) == 1 and not raw.tail:
            continue
        prev_close[p.number] = e
        raws.append(raw)
    return raws


def _dash_speech(article: Article, taken: list[_Raw]) -> list[_Raw]:
    """Polish/European dialogue: a paragraph opening with "- " and ending ", emphasizes X."."""
    text = article.text
    out = []
    quoted = {r.paragraph for r in taken}
    for p in article.paragraphs:
        if p.kind not in ("bullet", "body") or not re.match(r"[-–—]\s", text[p.start:p.start + 2]):
            continue
        if p.number in quoted:
            continue
        body = text[p.start:p.end]
        # The last clause: ", CUE NAME." or ", NAME CUE."
        for m in re.finditer(r",\s+", body):
            cut = p.start + m.start()
            att = _tail(text, cut, p.end)
            if not att or att[1][1] <= cut:
                continue
            # What follows the name: at most 120 characters, one sentence end and the start of
            # another ("..., says X. He adds ...").
            if _stripped_len(text, att[1][1], p.end) > 120:
                continue
            if re.fullmatch(r"[^.!?]*(?:\.\s*\w+\.?[^.!?]*)?[.!?]?\s*", text[att[1][1]:p.end]):
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
            if len(words) >= 2 and not any(fold(w) in _NOT_NAME for w in words):
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


def _indirect(article: Article, direct: list[_Raw]) -> list[_Raw]:
    """Reported speech in the narration: "X said that ...", "as X points out, ...", "..., X believes."."""
    text = article.text
    out: list[_Raw] = []
    quoted = _Cover(direct)
    cues_of = _cues_by_sentence(article)
    for k, sent in enumerate(article.sentences):
        p = article.paragraph(sent.paragraph)
        if p.kind not in ("body", "bullet") or sent.start in quoted:
            continue
        s0, s1 = sent.start, sent.end
        body = text[s0:s1]
        # "as X points out, CLAUSE" / "According to X, CLAUSE"
        m = re.search(r"\b(?:[Aa]s|[Aa]ccording to)\s+", body)
        if m:
            if m.group().lower().startswith("according"):
                who = _np_after(text, s0 + m.end(), s1)
                if who:
                    comma = re.match(r"[^,]{0,80}?,\s*", text[who[1]:s1])
                    if comma:
                        cs, ce = _strip_span(text, who[1] + comma.end(), s1, " \t.,")
                        if ce - cs > 15:
                            out.append(_Raw(start=cs, end=ce, paragraph=p.number, kind="indirect", cue="according to", who=who))
                            continue
            else:
                cue = CUE_RE.search(text, s0 + m.end(), min(s1, s0 + m.end() + 60))
                if cue:
                    who = _np_before(text, s0 + m.end(), cue.start(), whole=True)
                    after = re.match(r"[^,.]{0,30},\s*", text[cue.end():s1])
                    if who and after:
                        cs, ce = _strip_span(text, cue.end() + after.end(), s1, " \t.,")
                        if ce - cs > 15:
                            out.append(_Raw(start=cs, end=ce, paragraph=p.number, kind="indirect", cue=cue.group(), who=who))
                            continue
        # "X said (in an interview) that CLAUSE"
        found = False
        for cue in cues_of[k]:
            if cue.start() in quoted:
                continue
            that = _THAT.match(text, cue.end(), s1) or _bare_clause(cue.group(), text, cue.end(), s1)
            if not that or (cue.group().endswith("ing") and _NONFINITE_BEFORE.search(text[max(s0, cue.start() - 12):cue.start()])):
                continue
            who = _np_before(text, s0, cue.start())
            if who is None or fold(text[who[0]:who[1]].split()[0]) in _RELATIVE:
                continue
            cs = that.end()
            if _marks_of(text).match(text, cs):
                break  # 'said that"...' is a direct quotation, found already
            cs, ce = _strip_span(text, cs, s1, " \t.,")
            if ce - cs > 15:
                out.append(_Raw(start=cs, end=ce, paragraph=p.number, kind="indirect", cue=cue.group(), who=who))
                found = True
            break
        if found:
            continue
        # "CLAUSE, the Americanist believes." / "CLAUSE, said X."
        for m in re.finditer(r",\s+", body):
            cut = s0 + m.start()
            if cut in quoted or len(body) - m.end() > 90:
                continue
            att = _tail(text, cut, s1)
            if att is None:
                continue
            rest = re.sub(r"^\s*" + re.escape(att[0]), "", text[att[1][1]:s1])
            if att[1][1] >= s1 - 90 and re.fullmatch(r"[\s.!?,]*|,.*", rest):
                cs, ce = _strip_span(text, s0, cut, " \t")
                if ce - cs > 15 and not _marks_of(text).search(text, cs, ce):
                    out.append(_Raw(start=cs, end=ce, paragraph=p.number, kind="indirect", cue=att[0], who=att[1], tail=True))
                break
    return out


_THAT = re.compile(r"(?:\s+[^,.;:\"“”]{0,60}?)?\s+that\s+")
_CLAUSE_VERB = re.compile(r"\b(?:is|was|are|were|had|has|have|would|will|could|should|can|may|might|must|did|does)\b")
_CLAUSE_START = re.compile(rf"\s+(?=(?:the|he|she|it|they|we|there|his|her|their|its|this|these|{_WORD}|[a-z][\w-]*)\s)")
_NOT_SUBJECT = _NOT_NAME - {"he", "she", "it", "they", "we", "there", "his", "her", "their", "its", "this", "these", "the"}
_PIECE = re.compile(r"\S+")


def _bare_clause(cue: str, text: str, pos: int, hi: int) -> re.Match[str] | None:
    """"Lopez said the federation would push ...", "Picton said emergency shelters had been opened": a
    reported clause without "that" (a subject, then a finite verb within six words). The match
    (of text, like _THAT's) ends where the clause starts."""
    if cue not in ("said", "says", "say"):
        return None
    m = _CLAUSE_START.match(text, pos, hi)
    if not m:
        return None
    space = text.find(" ", m.end(), hi)
    first = text[m.end():space if space != -1 else hi]
    if fold(first) in _NOT_SUBJECT:
        return None
    six = " ".join(w.group() for w in islice(_PIECE.finditer(text, m.end(), hi), 6))
    return m if _CLAUSE_VERB.search(six) else None


# ---------------------------------------------------------------- the cast

@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)  # as written, in article order
    titles: list[str] = field(default_factory=list)
    descriptions: list[Span] = field(default_factory=list)
    gender: str | None = None


@dataclass
class Cast:
    """People named in one article: full names, how to find them from a surname, who they are."""

    people: dict[str, Person] = field(default_factory=dict)
    by_surname: dict[str, str] = field(default_factory=dict)  # folded surname -> full name
    mentions: list[tuple[int, int, str, bool]] = field(default_factory=list)  # start, end, name, first in sentence

    def canonical(self, written: str) -> str:
        """"Dr. hab. Tomasz Pawłuszko" -> "Tomasz Pawłuszko"; "Trump" -> "Donald Trump" if named so."""
        # Surnames are only ever added: their number says whether an answer kept is still the answer.
        memo = self.__dict__.setdefault("_canonical_memo", {})
        key = (written, len(self.by_surname))
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._canonical(written)
        return found

    def _canonical(self, written: str) -> str:
        name = _strip_titles(written)
        name = re.sub(r"['’]s$", "", name)
        words = name.split()
        lead = _lead_words(words) if len(words) > 1 else 0
        if 0 < lead < len(words):  # "House Speaker Mike Johnson" -> "Mike Johnson"
            words = words[lead:]
            name = " ".join(words)
        if not words:
            return written
        if len(words) == 1:
            return self.by_surname.get(fold(words[0]), name)
        full = self.by_surname.get(fold(words[-1]))
        if full and full.split()[-1] == words[-1] and len(full.split()) > len(words):
            return full
        return name


@lru_cache(maxsize=100_000)
def _strip_titles(written: str) -> str:
    return _TITLES_AT_START.sub("", written.strip()).strip()


_TITLES_AT_START = re.compile(rf"^{_TITLE}+")
_POSSESSIVE_END = re.compile(r"['’]s$")
_AT_END = re.compile(r"\bat\s+$")
_SPACE = re.compile(r"\s")


def _START(m: re.Match[str]) -> int:
    return m.start()


def _matches_by_span(text: str, key: str, pattern: re.Pattern[str], goes_on: re.Pattern[str],
                     spans: list[tuple[int, int]]) -> list[list[re.Match[str]]]:
    """[_matches_in(text, key, pattern, goes_on, lo, hi) for lo, hi in spans], for spans in text order that
    do not overlap, in one pass over the whole text's matches."""
    idx = _index(text)
    found = idx.matches(key, pattern)
    starts, ends = idx.hits(key, pattern)
    out: list[list[re.Match[str]]] = []
    n, i = len(text), 0
    for lo, hi in spans:
        i = bisect_left(starts, lo, i)
        j = bisect_left(starts, hi, i)
        cut = (i > 0 and ends[i - 1] > lo) or (j > 0 and ends[j - 1] > hi) or (hi < n and goes_on.match(text, hi))
        out.append(list(pattern.finditer(text, lo, hi)) if cut or hi - lo <= _SHORT else found[i:j])
        i = j
    return out


_WORD_CHAR = re.compile(r"\w")
_NAME_GOES_ON = re.compile(r"[\w'’.-]")


def _join_split(text: str, m: re.Match[str]) -> str:
    return m.group(1) + m.group(2)


_TITLE_WORDS = frozenset(fold(w) for t in TITLES for w in t.split())


def _lead_words(words: list[str]) -> int:
    """How many leading words are not the name: "Senate Majority Leader | Chuck Schumer"."""
    i = 0
    while i < len(words) - 1:
        w = fold(words[i].rstrip("."))
        if w in _NOT_NAME or w in _ROLE_NOUNS or w in _LEAD_ROLE or w in _ORG_WORDS or w in _TITLE_WORDS:
            i += 1
        else:
            break
    return i if fold(words[i]) not in _NOT_NAME else len(words)


def _is_person_name(words: list[str], text: str) -> bool:
    return (
        2 <= len(words) <= 4
        and fold(words[0]) not in _NOT_NAME
        and not any(fold(w.rstrip("'’s")) in _ORG_WORDS or fold(w) in _ORG_WORDS for w in words)
        and not any(_is_compound(w, text) for w in words)
    )


def _is_compound(word: str, text: str) -> bool:
    """"Trump-Putin" joins two names used alone elsewhere; "Jean-Pierre" is one name."""
    parts = word.split("-")
    return len(parts) > 1 and all(p[:1].isupper() and _used_alone(p, text) for p in parts)


_WORD_RUN = re.compile(r"[\w-]+")


def _used_alone(part: str, text: str) -> bool:
    """Whether the text has `part` with neither a word character nor a hyphen on either side. A part of
    word characters only is there so exactly when it is one of the text's runs of them and hyphens,
    which are collected once; the answer for any other part is kept."""
    idx = _index(text)
    if _WORD_RUN.fullmatch(part) and "-" not in part:
        if idx.words is None:
            idx.words = set(_WORD_RUN.findall(text))
        return part in idx.words
    known = idx.compound.get(part)
    if known is None:
        known = idx.compound[part] = re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text) is not None
    return known


def _cast(article: Article, raws: list[_Raw]) -> Cast:
    text = article.text
    cast = Cast()
    quoted = _Cover([r for r in raws if r.kind in ("direct", "pull quote", "interview")])
    paras = [p for p in article.paragraphs if p.kind in ("body", "bullet", "name_line", "interview", "pull_quote")]
    not_single = set(_PRONOUNS) | _NOT_NAME
    aliases: dict[str, set[str]] = {}  # person -> their aliases, to look up
    described: dict[str, set[tuple[int, int]]] = {}  # person -> the spans of their descriptions
    # Full names first, so surnames can be resolved anywhere (earlier or later mention).
    spans = [(p.start, p.end) for p in paras]
    name_matches = _matches_by_span(text, "name", NAME_RE, _NAME_GOES_ON, spans)  # looked at twice
    split_matches = _matches_by_span(text, "split_name", _SPLIT_NAME_RE, _WORD_CHAR, spans)
    full_names: dict[str, tuple[list[str], bool]] = {}  # as written -> its words but leading ones, a person's?
    for matches in name_matches:
        for m in matches:
            known = full_names.get(m.group(2))
            if known is None:
                words = m.group(2).split()
                words = words[_lead_words(words):]
                known = full_names[m.group(2)] = (words, _is_person_name(words, text))
            words, is_person = known
            # "Analysts at Peel Hunt": a name after "at" is where people work, not a person.
            at_place = _AT_END.search(text[max(0, m.start(2) - 4):m.start(2)]) is not None
            if is_person and m.start(2) not in quoted and not at_place:
                full = " ".join(words)
                if full not in cast.people:
                    cast.people[full] = Person(full)
                cast.by_surname.setdefault(fold(words[-1]), full)
    # Single-word speakers that are never named in full ("Burton said") are people too.
    for r in raws:
        if r.who:
            written = _strip_titles(text[r.who[0]:r.who[1]])
            if _SPLIT_NAME_RE.fullmatch(written):
                continue
            words = written.split()
            if len(words) == 1 and words[0][:1].isupper() and fold(words[0]) not in not_single:
                if fold(words[0]) not in cast.by_surname and not re.match(r"\s*,\s*which\b", text[r.who[1]:r.who[1] + 10]):
                    cast.people.setdefault(words[0], Person(words[0]))
                    cast.by_surname[fold(words[0])] = words[0]
    for sent, found in zip(article.sentences, _cues_by_sentence(article)):
        if not found:
            continue
        cues = _finite(text, sent.start, found)
        # What counts below is a subject that is one word and all of the sentence before the cue (after
        # _LEADING_FILL): none if a space comes after that word's start and before the cue's subject ends.
        space = _SPACE.search(text, _LEADING_FILL.match(text, sent.start).end(), sent.end)
        for c in cues:
            if c.start() in quoted:
                continue
            if space is not None and space.start() < _strip_aux(text, sent.start, c.start()):
                continue
            who = _np_before(text, sent.start, c.start(), whole=True)
            word = text[who[0]:who[1]] if who else ""
            if re.fullmatch(_WORD, word) and fold(word) not in _NOT_NAME and fold(word) not in cast.by_surname:
                if not re.match(r"\s*,\s*which\b", text[who[1]:who[1] + 10]) and len(word) > 2:
                    cast.people.setdefault(word, Person(word))
                    cast.by_surname[fold(word)] = word
    # Mentions: every place a known person is named outside quotations, with titles and descriptions.
    named: dict[str, tuple[int, int, str | None]] = {}  # as written -> leading words, where the name starts, who
    skip = 0
    for p, matches, split in zip(paras, name_matches, split_matches):
        sent_first: set[int] = set()
        for m in sorted([*matches, *split], key=_START) if split else matches:
            if m.re is _SPLIT_NAME_RE:
                if fold(_join_split(text, m)) not in cast.by_surname:
                    continue
                name, title, ns = cast.by_surname[fold(_join_split(text, m))], "", m.start()
            else:
                known_name = named.get(m.group(2))
                if known_name is None:
                    words = m.group(2).split()
                    lead = _lead_words(words)
                    if lead >= len(words):
                        known_name = (lead, 0, None)
                    else:
                        offset = [w.start() for w in _PIECE.finditer(m.group(2))][lead]
                        name = cast.canonical(" ".join(words[lead:]))
                        # "Trump-Putin": a compound of names, not a mention of one person.
                        known_name = (lead, offset, name if name in cast.people else None)
                    named[m.group(2)] = known_name
                lead, offset, found = known_name
                if found is None:
                    continue
                name, ns, skip = found, m.start(2) + offset, lead
                title = m.group(1).strip() if not skip else ""
            if ns in quoted:
                continue
            person = cast.people[name]
            ne = m.end()
            alias = text[m.start() if title else ns:ne]
            alias = _POSSESSIVE_END.sub("", alias)
            known = aliases.setdefault(name, set())
            if alias not in known and m.re is not _SPLIT_NAME_RE:
                person.aliases.append(alias)
                known.add(alias)
            if title:
                t = " ".join(title.split())
                if t not in person.titles:
                    person.titles.append(t)
                if fold(t).startswith(("mrs", "ms", "miss")):
                    person.gender = "f"
                elif fold(t).startswith("mr"):
                    person.gender = "m"
            ss, se = _sentence_bounds(article, ns)
            first = ss not in sent_first
            cast.mentions.append((ns, ne, name, first))
            spans = described.setdefault(name, set())
            _describe(article, person, m.start() if title else ns, ne, ss, se, spans)
            if skip and m.re is not _SPLIT_NAME_RE:
                lead_text = text[m.start(2):ns].strip()
                if any(fold(w) in _ROLE_NOUNS or fold(w) in _TITLE_WORDS for w in lead_text.split()):
                    _add_description(article, person, m.start(2), m.start(2) + len(lead_text), spans)
            sent_first.add(ss)
    cast.mentions.sort()
    return cast


_DESCRIPTION_BEFORE = re.compile(
    r"(?<![\w-])((?:(?:[A-Z]{2,}|[a-z][\w-]*|(?:[A-Z][\w-]*\s+)?[A-Z][\w-]*(?=\s+[a-z]))\s+){0,5}?"
    r"([a-z][\w-]*))\s+$")
_DESCRIPTION_AFTER = re.compile(
    r"\s*,\s*(?:(who|whose)\s+|(?=(?:a|an|the)\s)|(?=(?:[A-Z]{2,}\s+)?(?:[a-z]+\s+){0,2}(?:" + "|".join(_ROLE_NOUNS) + r")\b))")
# In subject position the appositive closes with a comma before the verb.
_APPOSITIVE_STOP = re.compile(r",\s+(?:" + CUE_RE.pattern + r"|is|was|has|had|will|would|says|said)\b")
_VERB_BE = re.compile(r"\b(?:is|was|has|had|will|would)\b")


def _describe(article: Article, person: Person, ns: int, ne: int, ss: int, se: int,
              seen: set[tuple[int, int]]) -> None:
    """Verbatim descriptions around a mention: "NATO chief Mark Rutte", "X, a professor at ..."."""
    text = article.text
    spans: list[tuple[int, int]] = []
    # Before: "EU foreign policy chief Kaja Kallas", "Shropshire Council leader Lezley Picton": lower-case
    # words, acronyms or a capitalised name of one or two words, ending in a role noun. At most 11
    # runs of white space (five words of two and a noun, then the space before the name).
    m = None
    if _role_noun_before(text, ss, ns):
        at = _window(text, ss, ns, 11)
        m = _DESCRIPTION_BEFORE.search(text[at:ns])
    if m and m.group(2) in _ROLE_NOUNS:
        ds = at + m.start(1)
        words = text[ds:ns].split()
        while words and (fold(words[0]) in _RELATIVE | _AUX or words[0] in ("the", "a", "an", "and", "of", "as", "by", "with", "to")
                         or CUE_RE.fullmatch(words[0])):  # '," said head librarian Emma Clarke'
            ds = text.index(words[1], ds) if len(words) > 1 else ns
            words = words[1:]
        if words:
            spans.append((ds, at + m.end(2)))
    # After: "Name, a professor at ... who ..." / "Name, who works at ...".
    after = _DESCRIPTION_AFTER.match(text, ne, se)
    # "Greggson's, the family-owned bakery chain": a possessive names what is theirs, not them.
    if after and not re.search(r"['’]s$", text[ns:ne]):
        # "whose grandfather founded it" keeps its "whose"; "who works at ..." reads well without "who".
        ds = after.start(1) if after.group(1) == "whose" else after.end()
        end_s, end_e = _strip_span(text, ds, se, " \t.,;")
        stop = _first_stop(text, ds, end_e)
        if stop is not None:
            end_e = stop
        elif not after.group(1):
            first_comma = _first_comma(text, ds, end_e)
            if first_comma is not None and _has_verb_be(text, first_comma, end_e):
                end_e = first_comma
        if end_e - ds > 3:
            spans.append((ds, end_e))
    for s, e in spans:
        _add_description(article, person, s, e, seen)


_ROLE_NOUN_LEN = max(map(len, _ROLE_NOUNS))


def _role_noun_before(text: str, lo: int, pos: int) -> bool:
    """Whether text[lo:pos] ends with a role noun, then white space: _DESCRIPTION_BEFORE's last word (its
    group 2) is the run of word characters and hyphens before that white space."""
    q = pos
    while q > lo and text[q - 1].isspace():
        q -= 1
    if q == pos:
        return False
    j = q
    while j > lo and q - j <= _ROLE_NOUN_LEN and (_is_word_char(text[j - 1]) or text[j - 1] == "-"):
        j -= 1
    return text[j:q] in _ROLE_NOUNS


def _first_stop(text: str, lo: int, hi: int) -> int | None:
    """Where the first _APPOSITIVE_STOP match in text[lo:hi] starts, or None."""
    if hi - lo <= _SHORT:
        m = _APPOSITIVE_STOP.search(text[lo:hi])
        return lo + m.start() if m else None
    # A match holds one comma, its first character: before the last comma in text[lo:hi] the matches
    # are the whole text's; at the last one the end of text[lo:hi] may cut one short.
    idx = _index(text)
    last = _last_before(idx.commas, lo, hi)
    if last is None:
        return None
    starts, _ = idx.hits("appositive_stop", _APPOSITIVE_STOP)
    i = bisect_left(starts, lo)
    if i < len(starts) and starts[i] < last:
        return starts[i]
    return last if _APPOSITIVE_STOP.match(text, last, hi) else None


def _first_comma(text: str, lo: int, hi: int) -> int | None:
    """text.find(",", lo, hi), or None."""
    if hi - lo <= _SHORT:
        i = text.find(",", lo, hi)
        return i if i != -1 else None
    commas = _index(text).commas
    i = bisect_left(commas, lo)
    return commas[i] if i < len(commas) and commas[i] < hi else None


def _has_verb_be(text: str, comma: int, hi: int) -> bool:
    """Whether _VERB_BE matches in text[comma:hi] (text[comma] is a comma)."""
    if hi - comma <= _SHORT:
        return _VERB_BE.search(text[comma:hi]) is not None
    # The whole text's matches, but for one the end of text[comma:hi] cuts (in its last 6 characters).
    starts, ends = _index(text).hits("verb_be", _VERB_BE)
    i = bisect_left(starts, comma)
    if i < len(starts) and ends[i] <= hi:
        return True
    return _VERB_BE.search(text, max(comma + 1, hi - 6), hi) is not None


def _add_description(article: Article, person: Person, s: int, e: int, seen: set[tuple[int, int]]) -> None:
    """Add text[s:e] to the person's descriptions unless it is there (`seen`: their spans)."""
    if (s, e) not in seen:
        seen.add((s, e))
        person.descriptions.append(article.span(s, e))


# ---------------------------------------------------------------- resolution

_DESCRIPTOR_START = re.compile(r"(?:the|a|an|one|his|her|their|our)\s", re.I)


def _kind_of(written: str) -> str:
    w = written.strip()
    if fold(w) in _PRONOUNS:
        return "pronoun"
    if _DESCRIPTOR_START.match(w):
        return "descriptor"
    if w.split()[-1] in _GROUP_NOUNS:
        return "group"
    return "name"


def _head_of(written: str) -> str:
    """The head noun of a descriptor, before a prepositional phrase: "a *report* by the transport department"."""
    return fold(re.split(r"\s+(?:of|by|from|at|in|for|with|on)\s+", written)[0].split()[-1])


def _resolve(article: Article, raws: list[_Raw], cast: Cast) -> None:
    text = article.text
    pulls = [r for r in raws if r.kind == "pull quote"]
    last_person: str | None = None
    last_at = -1  # where last_person was attributed
    described: dict[str, str] = {}  # descriptor head noun -> person it was resolved to
    for r in pulls:
        r.speaker = cast.canonical(r.pull_name or "")
    repeats = _PullQuotes(pulls, text)
    ordered = sorted(raws, key=lambda r: (r.start, r.kind != "indirect"))
    kinds = {id(r): _kind_of(text[r.who[0]:r.who[1]]) for r in ordered if r.who is not None and r.kind != "pull quote"}
    spoken = _Spoken(cast, {_head_of(text[r.who[0]:r.who[1]]) for r in ordered if kinds.get(id(r)) == "descriptor"})
    fits = _Fits(cast)
    alias_sets: dict[str, set[str]] = {}
    for r in ordered:
        if r.kind == "pull quote":
            continue
        if r.who is None:
            continue
        written = text[r.who[0]:r.who[1]]
        kind = kinds[id(r)]
        speaker: str | None = None
        if kind == "name":
            split = _SPLIT_NAME_RE.fullmatch(written)
            speaker = cast.canonical(split.group(1) + split.group(2) if split else written)
        elif kind == "pronoun":
            speaker = _pronoun(cast, article, r.who[0], fold(written), last_person, last_at, fits)
            person = cast.people.get(speaker or "")
            if person is not None and person.gender is None and _PRONOUNS[fold(written)] in "mf":
                person.gender = _PRONOUNS[fold(written)]  # "she said" of Collins: later "he" is someone else
                fits.gendered(person)
        elif kind == "descriptor":
            speaker = repeats.speaker_of(r)
            head = _head_of(written)
            if speaker is None:
                speaker = described.get(head) or spoken.described_as(head)
            # "the professor", "the Americanist": a bare role, said of whoever is being quoted.
            bare = len(written.split()) == 2 or all(w.islower() for w in written.split()[1:])
            if speaker is None and bare and last_person and _personish(head):
                speaker = last_person  # "the Americanist believes": the expert being quoted
            if speaker is None:
                speaker = written
            elif bare:
                described[head] = speaker
                if speaker in cast.people:
                    known = alias_sets.get(speaker)
                    if known is None:
                        known = alias_sets[speaker] = set(cast.people[speaker].aliases)
                    if written not in known:
                        cast.people[speaker].aliases.append(written)
                        known.add(written)
        else:
            speaker = written
        r.speaker = speaker
        if speaker in cast.people and kind != "group":
            last_person, last_at = speaker, r.who[0]
            spoken.said(speaker)
    _inherit(article, raws, repeats)


_NOT_PEOPLE = frozenset("""
letter order paper report number power quarter chapter poster flyer flier answer matter error sector mirror
monitor factor indicator meter filter register counter center centre document statement memo study survey
""".split())


def _personish(head: str) -> bool:
    """"the professor", "the Americanist", "the lawmaker": a person; "the statement": not."""
    if head in _ROLE_NOUNS:
        return True
    if head.endswith("ment"):  # "department", "government": "-ent" makes people (president, student), "-ment" not
        return False
    return head not in _NOT_PEOPLE and head.endswith(("ist", "ian", "er", "or", "man", "woman", "person", "ent"))


def _pronoun(cast: Cast, article: Article, pos: int, pronoun: str, last_person: str | None, last_at: int,
             fits: "_Fits") -> str | None:
    """He/she: the subject of the paragraph's narration before the cue, else the last speaker.

    If the previous paragraph's narration names someone after the last speaker was
    attributed ("Johnson, who ..., said the House would vote."), that person is meant.
    """
    p = _paragraph_at(article, pos)
    gender = _PRONOUNS.get(pronoun)
    if gender == "p" or gender == "s":
        return None
    if p:
        # The last mention in the paragraph before pos of someone who may be `gender`: first in its sentence
        # (the subject) if there is one.
        found = fits.last(gender, True, p.start, pos) or fits.last(gender, False, p.start, pos)
        if found:
            return found
    prev = article.paragraphs[p.number - 2] if p and p.number > 1 else None
    if prev:
        found = fits.last(gender, True, max(prev.start, last_at + 1), prev.end)
        if found:
            return found
    if last_person and cast.people.get(last_person, Person("")).gender in (None, gender):
        return last_person
    return None


class _Fits:
    """The mentions of the cast that a pronoun may stand for, read back from a position.

    A person fits "he" unless known to be a woman, and "she" unless known to be a man; genders only
    become known, so each mention stops fitting one pronoun at most once. Per pronoun and for all
    mentions or only those first in their sentence, `left[i]` leads to the nearest fitting mention
    at or before i (-1: none), with the path shortened as it is followed.
    """

    def __init__(self, cast: Cast):
        self.cast = cast
        mentions = cast.mentions
        self.names = [name for _, _, name, _ in mentions]
        self.starts = [s for s, _, _, _ in mentions]
        subjects = [i for i, (_, _, _, first) in enumerate(mentions) if first]
        self.subject_starts = [mentions[i][0] for i in subjects]
        self.subject_of = {i: k for k, i in enumerate(subjects)}  # mention -> its place among subjects
        self.subject_names = [self.names[i] for i in subjects]
        self.by_person: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            self.by_person.setdefault(name, []).append(i)
        self.left = {(g, first): list(range(len(subjects) if first else len(mentions))) for g in "mf" for first in (True, False)}
        for person in cast.people.values():
            if person.gender is not None:
                self.gendered(person)

    def gendered(self, person: "Person") -> None:
        """The person's gender is now known: their mentions no longer fit the other pronoun."""
        for g in "mf":
            if person.gender in (None, g):
                continue
            for i in self.by_person.get(person.name, ()):
                self.left[(g, False)][i] = i - 1
                k = self.subject_of.get(i)
                if k is not None:
                    self.left[(g, True)][k] = k - 1

    def last(self, gender: str, first: bool, lo: int, hi: int) -> str | None:
        """The name in the last mention starting in [lo, hi) that fits the pronoun (first in its sentence if
        `first`)."""
        starts, names = (self.subject_starts, self.subject_names) if first else (self.starts, self.names)
        left = self.left[(gender, first)]
        i = bisect_left(starts, hi) - 1
        root = i
        while root >= 0 and left[root] != root:
            root = left[root]
        while i > root:  # shorten the path
            nxt = left[i]
            left[i] = root
            i = nxt
        return names[root] if root >= 0 and starts[root] >= lo else None


class _Spoken:
    """The people quoted so far, for "the senator": the most recently quoted whose description or title
    says the descriptor's head noun. `heads` are all the head nouns that will be asked about; for each,
    the last person quoted who fits it is kept as people are quoted."""

    def __init__(self, cast: Cast, heads: set[str]):
        self.cast = cast
        self.heads = heads
        self.latest: dict[str, str] = {}
        self.fits: dict[str, list[str]] = {}  # person -> the heads they fit
        self.words = {h for h in heads if re.fullmatch(r"\w+", h)}  # heads found as words of a description
        self.by_prefix: dict[str, list[str]] = {}  # title word -> the heads that start with it

    def said(self, name: str) -> None:
        heads = self.fits.get(name)
        if heads is None:
            heads = self.fits[name] = self._fitting(self.cast.people[name])
        for h in heads:
            self.latest[h] = name

    def _fitting(self, person: "Person") -> list[str]:
        found = set()
        if self.words:
            for d in person.descriptions:
                found.update(self.words.intersection(re.findall(r"\w+", fold(d.text))))
        for h in self.heads - self.words:  # "\b" around a head that is not one word is read as written
            if any(re.search(rf"\b{re.escape(h)}\b", fold(d.text)) for d in person.descriptions):
                found.add(h)
        for t in person.titles:
            for w in t.split():
                if len(w.rstrip(".")) >= 3:
                    prefix = fold(w).rstrip(".")
                    starting = self.by_prefix.get(prefix)
                    if starting is None:
                        starting = self.by_prefix[prefix] = [h for h in self.heads if h.startswith(prefix)]
                    found.update(starting)
        return list(found)

    def described_as(self, head: str) -> str | None:
        """The quoted person whose description or title says `head` ("the senator" -> "Sen. Collins")."""
        return self.latest.get(head)


_MANY_PULLS = 64  # more pull quotes than this are compared with a quotation as arrays


class _PullQuotes:
    """Pull quotes, for the one that repeats or paraphrases a quotation: more than half of its terms are
    the quotation's, and of those the one with the largest share, the first if several."""

    def __init__(self, pulls: list[_Raw], text: str):
        self.pulls, self.text = pulls, text
        self.sizes: list[int] = []
        self.having: dict[str, list[int]] = {}  # term -> the pull quotes holding it
        for i, pq in enumerate(pulls):
            terms = set(tokenize(text[pq.start:pq.end]))
            self.sizes.append(len(terms))
            for t in terms:
                self.having.setdefault(t, []).append(i)
        self.first_by_speaker: dict[str | None, _Raw] = {}
        for pq in pulls:
            self.first_by_speaker.setdefault(pq.speaker, pq)
        self.memo: dict[frozenset[str], str | None] = {}
        self.arrays: tuple[dict[str, np.ndarray], np.ndarray] | None = None

    def speaker_of(self, r: _Raw) -> str | None:
        """The speaker named by the pull quote that repeats quotation r, or None."""
        terms = frozenset(tokenize(self.text[r.start:r.end]))
        if terms in self.memo:
            return self.memo[terms]
        if len(self.pulls) > _MANY_PULLS:
            best = self._best_of_many(terms)
        else:
            shared: dict[int, int] = {}
            for t in terms:
                for i in self.having.get(t, ()):
                    shared[i] = shared.get(i, 0) + 1
            best, best_score = None, 0.5
            for i in sorted(shared):
                score = shared[i] / self.sizes[i]
                if score > best_score:
                    best, best_score = self.pulls[i].speaker, score
        self.memo[terms] = best
        return best

    def _best_of_many(self, terms: frozenset[str]) -> str | None:
        """The same choice with arrays: terms shared with each pull quote counted at once."""
        if self.arrays is None:
            self.arrays = ({t: np.asarray(at, dtype=np.int64) for t, at in self.having.items()},
                           np.maximum(np.asarray(self.sizes, dtype=np.int64), 1))  # no terms: no shared ones either
        having, sizes = self.arrays
        found = [having[t] for t in terms if t in having]
        if not found:
            return None
        score = np.bincount(np.concatenate(found), minlength=len(self.pulls)) / sizes
        best = int(np.argmax(score))  # the first of the largest
        return self.pulls[best].speaker if score[best] > 0.5 else None

    def source_of(self, r: _Raw) -> _Raw | None:
        """The first pull quote by the speaker speaker_of(r) names."""
        name = self.speaker_of(r)
        return self.first_by_speaker.get(name) if name else None


def _inherit(article: Article, raws: list[_Raw], repeats: _PullQuotes) -> None:
    """Unattributed parts take the speaker of their quotation's other parts or neighbours."""
    text = article.text
    direct = sorted((r for r in raws if r.kind == "direct"), key=lambda r: r.start)
    by_group: dict[int, _Raw] = {}
    for r in direct:
        if r.group is not None and r.who and r.group not in by_group:
            by_group[r.group] = r
    # The next quotation that names its speaker, for each (those after it have not inherited one yet).
    following: list[_Raw | None] = [None] * len(direct)
    for i in range(len(direct) - 2, -1, -1):
        following[i] = direct[i + 1] if direct[i + 1].who else following[i + 1]
    before: _Raw | None = None  # the last quotation so far that has a speaker's name, inherited or not
    for i, r in enumerate(direct):
        if r.who:
            before = r
            continue
        src = by_group.get(r.group) if r.group is not None else None
        if src is None and before is not None and before.paragraph == r.paragraph:
            src = before
        if src is None and following[i] is not None and following[i].paragraph == r.paragraph:
            src = following[i]
        if src is None:
            src = repeats.source_of(r)
        if src is None and i > 0 and direct[i - 1].paragraph == r.paragraph - 1 and direct[i - 1].speaker:
            prev = article.paragraph(r.paragraph - 1)
            # The previous paragraph ends with an attributed quotation: a follow-up quote is the same voice.
            if prev.end - direct[i - 1].end < 80 and _marks_of(text).match(text, article.paragraph(r.paragraph).start):
                src = direct[i - 1]
        if src is not None:
            r.speaker, r.who, r.cue = src.speaker, src.who, src.cue
            if r.who:
                before = r


# ---------------------------------------------------------------- public API

@dataclass
class Attributed:
    """Everything attribution found in one article."""

    quotes: list[Quote]
    cast: Cast


def analyse(article: Article) -> Attributed:
    direct = _direct(article)
    direct += _dash_speech(article, direct)
    raws = direct + _interviews(article) + _pull_quotes(article)
    raws += _indirect(article, raws)
    cast = _cast(article, raws)
    _resolve(article, raws, cast)
    _fill_sandwich(article, raws)
    quotes = [
        Quote(
            article=article.id, text=article.text[r.start:r.end], start=r.start, end=r.end, speaker=r.speaker,
            cue=r.cue, kind=r.kind, speaker_start=r.who[0] if r.who else None, speaker_end=r.who[1] if r.who else None,
        )
        for r in sorted(raws, key=lambda r: (r.start, -r.end))
        if r.end > r.start
    ]
    return Attributed(quotes=quotes, cast=cast)


def _fill_sandwich(article: Article, raws: list[_Raw]) -> None:
    """Sentences between two indirect quotations by the same person in one paragraph are theirs too.

    Polish and much European reporting runs a view over several sentences, with the
    attribution at both ends ("as X points out, ... . ... . ..., the expert believes.").
    """
    ind = sorted((r for r in raws if r.kind == "indirect"), key=lambda r: r.start)
    sentences = article.sentences
    starts = _starts(sentences)
    for a, b in zip(ind, ind[1:]):
        if a.paragraph == b.paragraph and a.speaker and a.speaker == b.speaker and b.tail and a.end < b.start:
            # The first sentence of b's paragraph that starts in [a.end, b.start).
            i = bisect_left(starts, a.end)
            while i < len(sentences) and starts[i] < b.start and sentences[i].paragraph != b.paragraph:
                i += 1
            if i < len(sentences) and starts[i] < b.start:
                b.start = starts[i]


def find_quotes(article: Article) -> list[Quote]:
    """Every quotation in the article, in text order, with speaker, cue and kind."""
    return analyse(article).quotes
