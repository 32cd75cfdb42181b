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
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .article import INTERVIEW_RE, QA_ANSWER_RE, QA_QUESTION_RE
from .models import Article, Paragraph, QuoteKind, Quote, Span
from .tokenize import STOPWORDS, fold, tokenize

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


@lru_cache(maxsize=16)
def _marks_of(text: str) -> re.Pattern[str]:
    """The quotation marks of an article's house style: double, or single where no double ones are used."""
    if _DOUBLE_RE.search(text) is None and _SINGLE_OPEN_RE.search(text) and _SINGLE_CLOSE_RE.search(text):
        return _SINGLE_MARK_RE
    return _MARK_RE
_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")


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


def _mark_role(text: str, i: int, n: int, lo: int, hi: int) -> str:
    """Whether the mark text[i:i+n] opens, closes, or could do either (straight marks)."""
    mark = text[i:i + n]
    if mark in ("“", "„", "«", "``", "‘"):
        return "open"
    if mark in ("”", "»"):
        return "close"
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + n] if i + n < hi else " "
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
        for m in marks.finditer(text, p.start, p.end):
            if stack and m.start() == stack[0][0]:
                continue
            role = _mark_role(text, m.start(), len(m.group()), p.start, p.end)
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


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the sentence holding pos starts, looking back no further than lo."""
    best = lo
    for m in _SENT_END_RE.finditer(text, lo, pos):
        word = re.search(r"(\w+)\W*$", text[max(lo, m.start() - 12):m.start()])
        if word and fold(word.group(1)) in {"dr", "prof", "hab", "mr", "mrs", "ms", "sen", "rep", "gov", "gen", "st", "jr", "lt", "col"}:
            continue
        best = m.end()
    return best


# ---------------------------------------------------------------- noun phrases



def _strip_aux(text: str, lo: int, pos: int) -> int:
    """Move pos left over commas, auxiliaries and adverbs: "Putin, however, said" -> "Putin"."""
    while pos > lo:
        seg = text[lo:pos]
        m = re.search(r"(,|\b[a-z]+)\s*$", seg)
        if not m:
            break
        w = m.group(1)
        if w == "," or w in _AUX or (w.endswith("ly") and len(w) > 4):
            pos = lo + m.start()
            continue
        break
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    # A relative clause between subject and verb: "Ukraine, which so far has been repeating"; but in
    # "the structure, which he called ..." the clause has a speaker of its own.
    m = re.search(r",\s*(?:which|who|whose|[a-z]+ing|according to)\b[^,]*(?:,\s*)?$", text[lo:pos])
    if m and not re.search(r"\b(?:which|whom|that)\s+(?:he|she|they|we|I)$", text[lo:pos]):
        pos = lo + m.start()
    return pos


_DET_NP = re.compile(
    r"(?:\b(?:the|a|an|one|his|her|their|our|The|A|An|One|His|Her|Their|Our)\s+)((?:[\w'’-]+\s+){0,4}[\w'’-]+)$"
)
_NAME_END = re.compile(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}}(?:\s+(?:and|&)\s+{_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})?)$")


def _np_before(text: str, lo: int, pos: int, whole: bool = False) -> tuple[int, int] | None:
    """The speaker noun phrase ending at pos (after stripping adverbs), or None.

    whole: the phrase must take up all of text[lo:pos] ("...," the senator said).
    """
    end = _strip_aux(text, lo, pos)
    seg = text[lo:end]
    found: tuple[int, int] | None = None
    m = re.search(r"\b(he|she|they|we|I|He|She|They|We)$", seg)
    if m:
        found = (lo + m.start(), end)
    if found is None:
        m = _SPLIT_NAME_RE.search(seg)
        if m and m.end() == len(seg):
            found = (lo + m.start(), end)
    if found is None:
        m = _DET_NP.search(seg)
        if m and not any(fold(w) in _RELATIVE | _AUX or w in _PREPOSITIONS for w in m.group(1).split()):
            caps = re.search(rf"{_WORD}(?:\s+{_WORD})+$", m.group(1))
            # "a stunned Anna Ramirez" names someone; "the Interia source", "the Americanist" describe.
            found = (lo + m.start(1) + caps.start(), end) if caps else (lo + m.start(), end)
    if found is None:
        m = _NAME_END.search(seg)
        if m and fold(m.group(1).split()[0]) not in _NOT_NAME | _RELATIVE:
            found = (lo + m.start(), end)
        elif m and len(m.group(1).split()) > 1:
            first = m.group(1).split()[0]
            found = (lo + m.start() + len(first) + 1, end)
    if found is None:
        m = re.search(rf"((?:{_WORD}\s+)?(?:[a-z]+\s+)?([a-z]+))$", seg)
        if m and m.group(2) in _GROUP_NOUNS:
            found = (lo + m.start(), end)
            if fold(text[found[0]:end].split()[0]) in _NOT_NAME:
                found = (found[0] + len(text[found[0]:end].split()[0]) + 1, end)
    if found is None:
        return None
    s, e = found
    # Leading descriptions are not the name: "EU foreign policy chief Kaja Kallas".
    words_before = text[lo:s]
    if whole and words_before.strip(" ,-–—\t") != "":
        return None
    return s, e


_FWD_NAME = re.compile(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}}(?:\s+(?:and|&)\s+{_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})?)")
_FWD_ROLE_NAME = re.compile(rf"(?:[a-z][\w-]*\s+){{0,3}}?([a-z][\w-]*)\s+({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})")
_FWD_DET = re.compile(r"(?:the|a|an|one|his|her|their)\s+[^,.;:!?\"“”()]{1,60}?(?=\s*(?:[,.;:!?\"”(]|$|\s(?:in|on|at|who|during|after|before|when|while|of|to|as|about|from|last|this|on)\b))")


def _np_after(text: str, pos: int, hi: int) -> tuple[int, int] | None:
    """The speaker noun phrase starting at pos ('...," says <Daniel Boćkowski>, a professor')."""
    m = re.match(r"(he|she|they|we|I)\b", text[pos:hi])
    if m:
        return pos, pos + m.end()
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


def _cues_in(text: str, lo: int, pos: int) -> list[re.Match[str]]:
    """The cue verbs in text[lo:pos] that are finite verbs (not "by explaining")."""
    return [
        m for m in CUE_RE.finditer(text, lo, pos)
        if not (m.group().endswith("ing") and _NONFINITE_BEFORE.search(text[max(lo, m.start() - 12):m.start()]))
    ]


# ---------------------------------------------------------------- attribution of one quotation

_LEAD = re.compile(r"[\s,]*(?:[-–—]\s*)?")


def _tail(text: str, close: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """Attribution right after a quotation: '," says X' / '," X said' / '" - added X'."""
    lead = _LEAD.match(text, close, hi)
    pos = lead.end() if lead else close
    m = re.match(r"according to\s+", text[pos:hi])
    if m:
        who = _np_after(text, pos + m.end(), hi)
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


def _prefix(text: str, lo: int, open_pos: int, short: bool) -> tuple[str, tuple[int, int]] | None:
    """Attribution before a quotation in the same sentence: 'X said: "...' / 'Trump said that"...'."""
    # The nearest cue with a subject: "announced that ... what had been agreed ... a "fair deal"".
    for c in reversed(_cues_in(text, lo, open_pos)):
        if short and c.group() in _COGNITION:
            return None
        who = _np_before(text, lo, c.start())
        if who is not None and fold(text[who[0]:who[1]].split()[0]) not in _RELATIVE:
            return c.group(), who
    return None


# ---------------------------------------------------------------- finding raw quotations

def _direct(article: Article) -> list[_Raw]:
    text = article.text
    raws: list[_Raw] = []
    spans = _scan_marks(article)
    prev_close: dict[int, int] = {}
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
            att = _prefix(text, lo, o, short)
        if att is None and not short:
            att = _prefix(text, lo, o, short) if lo < o else None
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
    for p in article.paragraphs:
        if p.kind not in ("bullet", "body") or not re.match(r"[-–—]\s", text[p.start:p.start + 2]):
            continue
        if any(r.paragraph == p.number for r in taken):
            continue
        body = text[p.start:p.end]
        # The last clause: ", CUE NAME." or ", NAME CUE."
        for m in re.finditer(r",\s+", body):
            cut = p.start + m.start()
            att = _tail(text, cut, p.end)
            if att and re.fullmatch(r"[^.!?]*(?:\.\s*\w+\.?[^.!?]*)?[.!?]?\s*", text[att[1][1]:p.end]) and att[1][1] > cut:
                rest = text[att[1][1]:p.end].strip()
                if len(rest) > 120:
                    continue
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
            interviewee = interviewee or _interviewee(article)
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
    for sent in article.sentences:
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
        for cue in CUE_RE.finditer(text, s0, s1):
            if cue.start() in quoted:
                continue
            that = re.match(r"(?:\s+[^,.;:\"“”]{0,60}?)?\s+that\s+", text[cue.end():s1]) or _bare_clause(cue.group(), text, cue.end(), s1)
            if not that or (cue.group().endswith("ing") and _NONFINITE_BEFORE.search(text[max(s0, cue.start() - 12):cue.start()])):
                continue
            who = _np_before(text, s0, cue.start())
            if who is None or fold(text[who[0]:who[1]].split()[0]) in _RELATIVE:
                continue
            cs = cue.end() + that.end()
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


_CLAUSE_VERB = re.compile(r"\b(?:is|was|are|were|had|has|have|would|will|could|should|can|may|might|must|did|does)\b")


def _bare_clause(cue: str, text: str, pos: int, hi: int) -> re.Match[str] | None:
    """"Lopez said the federation would push ...", "Picton said emergency shelters had been opened": a
    reported clause without "that" (a subject, then a finite verb within six words)."""
    if cue not in ("said", "says", "say"):
        return None
    m = re.match(rf"\s+(?=(?:the|he|she|it|they|we|there|his|her|their|its|this|these|{_WORD}|[a-z][\w-]*)\s)", text[pos:hi])
    if not m:
        return None
    first = text[pos + m.end():hi].split(" ", 1)[0]
    if fold(first) in _NOT_NAME - {"he", "she", "it", "they", "we", "there", "his", "her", "their", "its", "this", "these", "the"}:
        return None
    return m if _CLAUSE_VERB.search(" ".join(text[pos + m.end():hi].split()[:6])) else None


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


def _strip_titles(written: str) -> str:
    return re.sub(rf"^{_TITLE}+", "", written.strip()).strip()


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
    return len(parts) > 1 and all(p[:1].isupper() and re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text) for p in parts)


def _cast(article: Article, raws: list[_Raw]) -> Cast:
    text = article.text
    cast = Cast()
    quoted = _Cover([r for r in raws if r.kind in ("direct", "pull quote", "interview")])
    paras = [p for p in article.paragraphs if p.kind in ("body", "bullet", "name_line", "interview", "pull_quote")]
    # Full names first, so surnames can be resolved anywhere (earlier or later mention).
    for p in paras:
        for m in NAME_RE.finditer(text, p.start, p.end):
            words = m.group(2).split()
            words = words[_lead_words(words):]
            # "Analysts at Peel Hunt": a name after "at" is where people work, not a person.
            at_place = re.search(r"\bat\s+$", text[max(0, m.start(2) - 4):m.start(2)]) is not None
            if _is_person_name(words, text) and m.start(2) not in quoted and not at_place:
                full = " ".join(words)
                cast.people.setdefault(full, Person(full))
                cast.by_surname.setdefault(fold(words[-1]), full)
    # Single-word speakers that are never named in full ("Burton said") are people too.
    for r in raws:
        if r.who:
            written = _strip_titles(text[r.who[0]:r.who[1]])
            if _SPLIT_NAME_RE.fullmatch(written):
                continue
            words = written.split()
            if len(words) == 1 and words[0][:1].isupper() and fold(words[0]) not in set(_PRONOUNS) | _NOT_NAME:
                if fold(words[0]) not in cast.by_surname and not re.match(r"\s*,\s*which\b", text[r.who[1]:r.who[1] + 10]):
                    cast.people.setdefault(words[0], Person(words[0]))
                    cast.by_surname[fold(words[0])] = words[0]
    for sent in article.sentences:
        for c in _cues_in(text, sent.start, sent.end):
            if c.start() in quoted:
                continue
            who = _np_before(text, sent.start, c.start(), whole=True)
            word = text[who[0]:who[1]] if who else ""
            if re.fullmatch(_WORD, word) and fold(word) not in _NOT_NAME and fold(word) not in cast.by_surname:
                if not re.match(r"\s*,\s*which\b", text[who[1]:who[1] + 10]) and len(word) > 2:
                    cast.people.setdefault(word, Person(word))
                    cast.by_surname[fold(word)] = word
    # Mentions: every place a known person is named outside quotations, with titles and descriptions.
    for p in paras:
        sent_first: set[int] = set()
        for m in sorted([*NAME_RE.finditer(text, p.start, p.end), *_SPLIT_NAME_RE.finditer(text, p.start, p.end)], key=lambda m: m.start()):
            if m.re is _SPLIT_NAME_RE:
                if fold(_join_split(text, m)) not in cast.by_surname:
                    continue
                name, title, ns = cast.by_surname[fold(_join_split(text, m))], "", m.start()
            else:
                words = m.group(2).split()
                lead = _lead_words(words)
                if lead >= len(words):
                    continue
                ns = m.start(2) + [w.start() for w in re.finditer(r"\S+", m.group(2))][lead]
                skip = lead
                words = words[lead:]
                written = " ".join(words)
                name = cast.canonical(written)
                if name not in cast.people:
                    # "Trump-Putin": a compound of names, not a mention of one person.
                    continue
                title = m.group(1).strip() if not skip else ""
            if ns in quoted:
                continue
            person = cast.people[name]
            ne = m.end()
            alias = text[m.start() if title else ns:ne]
            alias = re.sub(r"['’]s$", "", alias)
            if alias not in person.aliases and m.re is not _SPLIT_NAME_RE:
                person.aliases.append(alias)
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
            _describe(article, person, m.start() if title else ns, ne, ss, se)
            if skip and m.re is not _SPLIT_NAME_RE:
                lead_text = text[m.start(2):ns].strip()
                if any(fold(w) in _ROLE_NOUNS or fold(w) in _TITLE_WORDS for w in lead_text.split()):
                    _add_description(article, person, m.start(2), m.start(2) + len(lead_text))
            sent_first.add(ss)
    cast.mentions.sort()
    return cast


def _describe(article: Article, person: Person, ns: int, ne: int, ss: int, se: int) -> None:
    """Verbatim descriptions around a mention: "NATO chief Mark Rutte", "X, a professor at ..."."""
    text = article.text
    spans: list[tuple[int, int]] = []
    # Before: "EU foreign policy chief Kaja Kallas", "Shropshire Council leader Lezley Picton": lower-case
    # words, acronyms or a capitalised name of one or two words, ending in a role noun.
    m = re.search(r"(?<![\w-])((?:(?:[A-Z]{2,}|[a-z][\w-]*|(?:[A-Z][\w-]*\s+)?[A-Z][\w-]*(?=\s+[a-z]))\s+){0,5}?"
                  r"([a-z][\w-]*))\s+$", text[ss:ns])
    if m and m.group(2) in _ROLE_NOUNS:
        ds = ss + m.start(1)
        words = text[ds:ns].split()
        while words and (fold(words[0]) in _RELATIVE | _AUX or words[0] in ("the", "a", "an", "and", "of", "as", "by", "with", "to")
                         or CUE_RE.fullmatch(words[0])):  # '," said head librarian Emma Clarke'
            ds = text.index(words[1], ds) if len(words) > 1 else ns
            words = words[1:]
        if words:
            spans.append((ds, ss + m.end(2)))
    # After: "Name, a professor at ... who ..." / "Name, who works at ...".
    after = re.match(r"\s*,\s*(?:(who|whose)\s+|(?=(?:a|an|the)\s)|(?=(?:[A-Z]{2,}\s+)?(?:[a-z]+\s+){0,2}(?:" + "|".join(_ROLE_NOUNS) + r")\b))", text[ne:se])
    # "Greggson's, the family-owned bakery chain": a possessive names what is theirs, not them.
    if after and not re.search(r"['’]s$", text[ns:ne]):
        # "whose grandfather founded it" keeps its "whose"; "who works at ..." reads well without "who".
        ds = ne + (after.start(1) if after.group(1) == "whose" else after.end())
        end_s, end_e = _strip_span(text, ds, se, " \t.,;")
        # In subject position the appositive closes with a comma before the verb.
        stop = re.search(r",\s+(?:" + CUE_RE.pattern + r"|is|was|has|had|will|would|says|said)\b", text[ds:end_e])
        if stop:
            end_e = ds + stop.start()
        elif not after.group(1):
            first_comma = text.find(",", ds, end_e)
            if first_comma != -1 and re.search(r"\b(?:is|was|has|had|will|would)\b", text[first_comma:end_e]):
                end_e = first_comma
        if end_e - ds > 3:
            spans.append((ds, end_e))
    for s, e in spans:
        _add_description(article, person, s, e)


def _add_description(article: Article, person: Person, s: int, e: int) -> None:
    if not any(d.start == s and d.end == e for d in person.descriptions):
        person.descriptions.append(article.span(s, e))


# ---------------------------------------------------------------- resolution

def _kind_of(written: str) -> str:
    w = written.strip()
    if fold(w) in _PRONOUNS:
        return "pronoun"
    if re.match(r"(?:the|a|an|one|his|her|their|our)\s", w, re.I):
        return "descriptor"
    if w.split()[-1] in _GROUP_NOUNS:
        return "group"
    return "name"


def _overlap(a: str, b: str) -> float:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return len(ta & tb) / len(tb) if tb else 0.0


def _resolve(article: Article, raws: list[_Raw], cast: Cast) -> None:
    text = article.text
    pulls = [r for r in raws if r.kind == "pull quote"]
    last_person: str | None = None
    last_at = -1  # where last_person was attributed
    spoken: list[str] = []  # quoted people, most recent last
    described: dict[str, str] = {}  # descriptor head noun -> person it was resolved to
    for r in pulls:
        r.speaker = cast.canonical(r.pull_name or "")
    for r in sorted(raws, key=lambda r: (r.start, r.kind != "indirect")):
        if r.kind == "pull quote":
            continue
        if r.who is None:
            continue
        written = text[r.who[0]:r.who[1]]
        kind = _kind_of(written)
        speaker: str | None = None
        if kind == "name":
            split = _SPLIT_NAME_RE.fullmatch(written)
            speaker = cast.canonical(split.group(1) + split.group(2) if split else written)
        elif kind == "pronoun":
            speaker = _pronoun(cast, article, r.who[0], fold(written), last_person, last_at)
            person = cast.people.get(speaker or "")
            if person is not None and person.gender is None and _PRONOUNS[fold(written)] in "mf":
                person.gender = _PRONOUNS[fold(written)]  # "she said" of Collins: later "he" is someone else
        elif kind == "descriptor":
            speaker = _pull_match(r, pulls, text)
            # The head noun comes before a prepositional phrase: "a *report* by the transport department".
            head = fold(re.split(r"\s+(?:of|by|from|at|in|for|with|on)\s+", written)[0].split()[-1])
            if speaker is None:
                speaker = described.get(head) or _described_as(cast, head, spoken)
            # "the professor", "the Americanist": a bare role, said of whoever is being quoted.
            bare = len(written.split()) == 2 or all(w.islower() for w in written.split()[1:])
            if speaker is None and bare and last_person and _personish(head):
                speaker = last_person  # "the Americanist believes": the expert being quoted
            if speaker is None:
                speaker = written
            elif bare:
                described[head] = speaker
                if speaker in cast.people and written not in cast.people[speaker].aliases:
                    cast.people[speaker].aliases.append(written)
        else:
            speaker = written
        r.speaker = speaker
        if speaker in cast.people and kind != "group":
            last_person, last_at = speaker, r.who[0]
            spoken[:] = [n for n in spoken if n != speaker] + [speaker]
    _inherit(article, raws, pulls)


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


def _pronoun(cast: Cast, article: Article, pos: int, pronoun: str, last_person: str | None, last_at: int) -> str | None:
    """He/she: the subject of the paragraph's narration before the cue, else the last speaker.

    If the previous paragraph's narration names someone after the last speaker was
    attributed ("Johnson, who ..., said the House would vote."), that person is meant.
    """
    p = _paragraph_at(article, pos)
    gender = _PRONOUNS.get(pronoun)
    if gender == "p" or gender == "s":
        return None
    fits = [
        (s, name, first) for s, _, name, first in cast.mentions
        if p and p.start <= s < pos and cast.people[name].gender in (None, gender)
    ]
    subjects = [f for f in fits if f[2]]
    if subjects:
        return subjects[-1][1]
    if fits:
        return fits[-1][1]
    prev = article.paragraphs[p.number - 2] if p and p.number > 1 else None
    recent = [
        (s, name) for s, _, name, first in cast.mentions
        if prev and first and prev.start <= s < prev.end and s > last_at and cast.people[name].gender in (None, gender)
    ]
    if recent:
        return recent[-1][1]
    if last_person and cast.people.get(last_person, Person("")).gender in (None, gender):
        return last_person
    return None


def _described_as(cast: Cast, head: str, spoken: list[str]) -> str | None:
    """The quoted person whose description or title says `head` ("the senator" -> "Sen. Collins")."""
    for name in reversed(spoken):
        person = cast.people[name]
        if any(re.search(rf"\b{re.escape(head)}\b", fold(d.text)) for d in person.descriptions):
            return person.name
        if any(head.startswith(fold(w).rstrip(".")) for t in person.titles for w in t.split() if len(w.rstrip(".")) >= 3):
            return person.name
    return None


def _pull_match(r: _Raw, pulls: list[_Raw], text: str) -> str | None:
    """A pull quote that repeats or paraphrases this quotation names its speaker."""
    best, best_score = None, 0.5
    for pq in pulls:
        score = _overlap(text[r.start:r.end], text[pq.start:pq.end])
        if score > best_score:
            best, best_score = pq.speaker, score
    return best


def _inherit(article: Article, raws: list[_Raw], pulls: list[_Raw]) -> None:
    """Unattributed parts take the speaker of their quotation's other parts or neighbours."""
    text = article.text
    direct = sorted((r for r in raws if r.kind == "direct"), key=lambda r: r.start)
    by_group: dict[int, _Raw] = {}
    for r in direct:
        if r.group is not None and r.who and r.group not in by_group:
            by_group[r.group] = r
    for i, r in enumerate(direct):
        if r.who:
            continue
        src = by_group.get(r.group) if r.group is not None else None
        if src is None:
            same = [o for o in direct[:i] if o.paragraph == r.paragraph and o.who]
            src = same[-1] if same else None
        if src is None:
            later = [o for o in direct[i + 1:] if o.paragraph == r.paragraph and o.who]
            src = later[0] if later else None
        if src is None:
            src = _pull_source(r, pulls, text)
        if src is None and i > 0 and direct[i - 1].paragraph == r.paragraph - 1 and direct[i - 1].speaker:
            prev = article.paragraph(r.paragraph - 1)
            # The previous paragraph ends with an attributed quotation: a follow-up quote is the same voice.
            if prev.end - direct[i - 1].end < 80 and _marks_of(text).match(text, article.paragraph(r.paragraph).start):
                src = direct[i - 1]
        if src is not None:
            r.speaker, r.who, r.cue = src.speaker, src.who, src.cue


def _pull_source(r: _Raw, pulls: list[_Raw], text: str) -> _Raw | None:
    name = _pull_match(r, pulls, text)
    return next((pq for pq in pulls if pq.speaker == name), None) if name else None


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
    for a, b in zip(ind, ind[1:]):
        if a.paragraph == b.paragraph and a.speaker and a.speaker == b.speaker and b.tail and a.end < b.start:
            starts = [s.start for s in article.sentences if s.paragraph == b.paragraph and a.end <= s.start < b.start]
            if starts:
                b.start = starts[0]


def find_quotes(article: Article) -> list[Quote]:
    """Every quotation in the article, in text order, with speaker, cue and kind."""
    return analyse(article).quotes
