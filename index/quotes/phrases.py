"""Noun phrases before and after a cue: who a clause names as its speaker."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from ..models import Article
from ..text.tokenize import STOPWORDS, fold
from ..lexicon.function_words import AUXILIARIES, PREPOSITIONS, RELATIVE_WORDS
from ..lexicon.people import GROUP_NOUNS, NOT_NAME, ROLE_NOUNS
from .patterns import CUE_RE, _NONFINITE_BEFORE, _SPLIT_NAME_RE, _TITLE, _WORD
from .textindex import _SHORT, _index, _is_word_char, _window


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
            if w == "," or w in AUXILIARIES or (w.endswith("ly") and len(w) > 4):
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
        if w == "," or w in AUXILIARIES or (w.endswith("ly") and len(w) > 4):
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
        if m and not any(fold(w) in RELATIVE_WORDS | AUXILIARIES or w in PREPOSITIONS for w in m.group(1).split()):
            caps = _CAPS_END.search(m.group(1))
            # "a stunned Anna Ramirez" names someone; "the Interia source", "the Americanist" describe.
            found = (at + m.start(1) + caps.start(), end) if caps else (at + m.start(), end)
    if found is None and _WORD_END.search(seg):  # a name ends with a name word, the last piece's end
        m, name_at = _name_end(text, lo, end, at, seg)
        if m and fold(m.group(1).split()[0]) not in NOT_NAME | RELATIVE_WORDS:
            found = (name_at + m.start(), end)
        elif m and len(m.group(1).split()) > 1:
            first = m.group(1).split()[0]
            found = (name_at + m.start() + len(first) + 1, end)
    if found is None:
        # _GROUP_END's group 2 is the run of a-z letters ending the text: look further only if it is a group.
        tail = _LOWER_END.search(seg)
        m = _GROUP_END.search(seg) if tail and tail.group() in GROUP_NOUNS else None
        if m and m.group(2) in GROUP_NOUNS:
            found = (at + m.start(), end)
            if fold(text[found[0]:end].split()[0]) in NOT_NAME:
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
    if m and fold(m.group(1).split()[0].rstrip(".")) not in NOT_NAME - {fold("sir")}:
        return pos, m.end()
    m = _FWD_ROLE_NAME.match(text, pos, hi)
    role = fold(m.group(1)) if m else ""
    if m and (role in ROLE_NOUNS or (_personish(role) and role not in STOPWORDS)) \
            and fold(m.group(2).split()[0].rstrip(".")) not in NOT_NAME:
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


_NOT_PEOPLE = frozenset("""
letter order paper report number power quarter chapter poster flyer flier answer matter error sector mirror
monitor factor indicator meter filter register counter center centre document statement memo study survey
""".split())


def _personish(head: str) -> bool:
    """"the professor", "the Americanist", "the lawmaker": a person; "the statement": not."""
    if head in ROLE_NOUNS:
        return True
    if head.endswith("ment"):  # "department", "government": "-ent" makes people (president, student), "-ment" not
        return False
    return head not in _NOT_PEOPLE and head.endswith(("ist", "ian", "er", "or", "man", "woman", "person", "ent"))
