"""Who said a direct quotation, by the finders run in the order of SPEAKER_FINDERS: the subject of the verb of
saying that governs or adjoins it ('"...," said campaign manager Dana Ortiz', 'Hale, 54, said', 'The mayor
returned to the podium and declared, "..."'), "according to", the clause a colon ends, and the layouts a parse
cannot see (signature lines '"..." ― Name', colon lead-ins 'Jane Roe, on Twitter: "..."', 'HEADLINE - Name:',
'Tom Reyes wrote:' ending the paragraph before). Each has its rows in tests/test_parsed_speakers.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..lexicon.speech import IRREGULAR_FORMS, PARSE_SPEECH_VERBS, SPEECH_VERBS, speech_forms
from ..models import Article
from ..text.parser import Parsed
from .marks import _Raw
from .parse_tree import (
    QUOTE_MARKS, SUBJECTS, _Tree, _can_say, _is_mark, _may_be_a_person, _sentence_range, _someone, _span_of, _subject,
    _subtree,
)
from .patterns import NAME_RE

SPEECH_LEMMAS = frozenset(SPEECH_VERBS) | frozenset(IRREGULAR_FORMS) | frozenset(PARSE_SPEECH_VERBS)
SPEECH_FORMS = frozenset(speech_forms())
# Only these parts of a quotation attach to the verb that introduces it.
QUOTE_LINKS = ("ccomp", "parataxis", "dobj", "xcomp", "advcl", "conj", "dep", "npadvmod", "oprd", "attr")
_SIGNATURE = re.compile(r"\s*[―—–-]{1,2}\s*")  # '"..." ― Sonya Herridge'
_QUOTED = re.compile(r"“[^”]*”|''.*?''|\"[^\"]*\"|«[^»]*»")  # the quotations of a sentence, any of them
_LEAD_LOOK = 120  # characters before a quotation read for a lead-in ("- Jeffrey M. Jones:", "Roe, on Twitter:")


@dataclass(frozen=True)
class Found:
    who: tuple[int, int]
    cue: str | None
    tail: bool  # the attribution follows the quotation
    speech: bool = False  # a verb of saying governs it (enough to keep a tentative quotation)


SpeakerFinder = Callable[[Article, _Raw, "_Tree | None", "_Tree | None"], "Found | None"]
SpeakerFinder = Callable[[Article, _Raw, "_Tree | None", "_Tree | None"], "Found | None"]


def _inside(r: _Raw, p: Parsed, i: int) -> bool:
    return r.start <= p.starts[i] < r.end


def _by_verb(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """The subject of the verb of saying the quotation hangs from, or that its own words hang from."""
    if t is None:
        return None
    p = t.p
    inside = [i for i in range(len(p)) if _inside(r, p, i)]

    def quoted(i: int) -> bool:
        return _inside(r, p, i) or _is_mark(p.words[i])

    if not inside:
        return None
    lo, hi = own_lo, own_hi = _sentence_range(t, inside[0], inside[-1])
    # The parser often ends a sentence at a closing mark ('"...," | Ramos, 58, told AFP'): the sentences
    # that touch the quotation are its clause too, but only a verb there that is linked to it or adjoins it.
    if hi < len(p) and p.starts[hi] - r.end <= 3:
        hi = _sentence_range(t, hi, hi)[1]
    if lo > 0 and r.start - p.ends[lo - 1] <= 3:
        lo = _sentence_range(t, lo - 1, lo - 1)[0]
    best: tuple[tuple, int, int] | None = None
    for v in range(lo, hi):
        if _inside(r, p, v) or _is_mark(p.words[v]) or p.pos[v] not in ("VERB", "AUX"):
            continue
        speech = p.lemmas[v] in SPEECH_LEMMAS
        linked = any(p.heads[q] == v and p.deps[q] in QUOTE_LINKS for q in inside) or any(
            _inside(r, p, a) for a in t.ancestors(v))
        if not (speech or (linked and p.deps[v] == "ROOT")):
            continue
        subj = _subject(t, v, quoted)
        if subj is not None and not _can_say(t, subj):
            subj = None  # "it said", "the matter remarks", "Fox" of a quoted title: no one to name
        if subj is None and speech and p.starts[v] > r.end:
            subj = _name_between(t, inside[-1], v)  # '"...," Ramos, 58, told AFP' parsed with no subject
        if subj is None:
            continue
        if not speech and not _someone(t, subj):
            continue
        if not (linked or own_lo <= v < own_hi or _adjoins(t, r, v, subj, inside, quoted)):
            continue  # "... when he reads from texts. | "Look at ...," Conway notes": not his words
        gap = r.start - p.ends[v] if p.starts[v] < r.start else p.starts[v] - r.end
        rank = (not speech, not linked, gap)
        if best is None or rank < best[0]:
            best = (rank, v, subj)
    if best is None:
        return _according_to(r, t, quoted, lo, hi) or _after_colon(r, t, quoted, lo)
    v, subj = best[1], best[2]
    return Found(who=_span_of(t, subj), cue=p.words[v], tail=p.starts[v] > r.end,
                 speech=best[0][0] is False and best[0][1] is False)


def _adjoins(t: _Tree, r: _Raw, v: int, subj: int, inside: list[int], quoted: Callable[[int], bool]) -> bool:
    """Nothing but the subject, punctuation and adverbs stands between the quotation and verb v."""
    p = t.p
    if p.starts[v] > r.end:
        between = range(inside[-1] + 1, v)
    else:
        between = range(v + 1, inside[0])
    phrase = _subtree(t, subj)
    return all(quoted(k) or k in phrase or p.pos[k] in ("PUNCT", "ADV", "SCONJ", "PART") for k in between)


def _according_to(r: _Raw, t: _Tree, quoted: Callable[[int], bool], lo: int, hi: int) -> Found | None:
    """'According to the newspaper, "..."': the object of "according to" in the quotation's sentence."""
    p = t.p
    for i in range(lo, hi):
        if p.lemmas[i] == "accord" and not quoted(i):
            for k in t.kids[i]:
                objs = [g for g in t.kids[k] if p.deps[g] == "pobj"] if p.words[k].lower() == "to" else []
                if objs and not quoted(objs[0]):
                    return Found(who=_span_of(t, objs[0]), cue="according to", tail=p.starts[i] > r.end)
    return None


def _after_colon(r: _Raw, t: _Tree, quoted: Callable[[int], bool], lo: int) -> Found | None:
    """'Clinton has since apologized: "..."', 'As Professor Foner put it: "..."': the subject of the clause the
    colon before the quotation ends."""
    p = t.p
    before = [i for i in range(lo, len(p)) if p.ends[i] <= r.start and not quoted(i)]
    if not before or p.words[before[-1]] != ":":
        return None
    v = p.heads[before[-1]]
    if quoted(v):  # the colon hangs from the quotation: the last verb before it introduces it
        v = next((i for i in reversed(before) if p.pos[i] == "VERB"), v)
    for _ in range(6):  # up from "message to Trump:" to "delivered"
        if quoted(v) or p.pos[v] in ("VERB", "AUX") or p.heads[v] == v:
            break
        v = p.heads[v]
    if quoted(v) or p.pos[v] not in ("VERB", "AUX"):
        return None
    subj = _subject(t, v, quoted)
    if subj is None or not _someone(t, subj):
        return None  # "The timing doesn't surprise Daron Shaw:" is no one's words
    return Found(who=_span_of(t, subj), cue=p.words[v], tail=False)


def _name_between(t: _Tree, last_quoted: int, v: int) -> int | None:
    """The first name between a quotation's end and the verb after it, when the parse gave the verb no
    subject: its head word."""
    p = t.p
    for k in range(last_quoted + 1, v):
        if p.pos[k] == "PROPN":
            while k + 1 < v and p.pos[k + 1] == "PROPN" and p.heads[k] == k + 1:
                k += 1
            return k
        if p.pos[k] not in ("PUNCT",):
            return None
    return None


def _signature(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """'"..." ― Name' at the end of its line: the name signs the quotation."""
    text = article.text
    close = r.end
    while close < len(text) and text[close] in QUOTE_MARKS | {".", ",", "!", "?"}:
        close += 1
    m = _SIGNATURE.match(text, close)
    if (not m or not text[close:m.end()].strip()) and text[close:close + 1] == "\n":
        # the signature on a line of its own: '"..."' then '- Sanders.' / '-Michelle Marks, Philadelphia.'
        para = article.paragraph(r.paragraph)
        nxt = article.paragraph(r.paragraph + 1) if r.paragraph < len(article.paragraphs) else None
        if nxt is None or text[close:para.end].strip(" \"”’'.") or nxt.end - nxt.start > 80:
            return None
        m = re.compile(r"[―—–-]{1,2}\s*").match(text, nxt.start)
        if not m:
            return None
        name = NAME_RE.match(text, m.end(), nxt.end)
        return Found(who=(name.start(2), name.end(2)), cue=None, tail=True) if name else None
    if not m or not text[close:m.end()].strip():
        return None
    line_end = text.find("\n", m.end(), m.end() + 120)  # a signature is short: look no further
    if line_end < 0:
        line_end = min(len(text), m.end() + 120)
        if line_end < len(text):
            return None
    name = NAME_RE.match(text, m.end(), line_end)
    if not name or text[name.end(2):line_end].strip().strip(".,").strip() or text[close:m.end()].strip() == "-" and " " not in text[m.end():line_end].strip():
        return None
    return Found(who=(name.start(2), name.end(2)), cue=None, tail=True)


def _colon_lead(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """'Jane Roe, on Twitter: "..."' and 'Tom Reyes wrote:' closing the paragraph before the quotation."""
    text = article.text
    para = article.paragraph(r.paragraph)
    lead = text[max(para.start, r.start - _LEAD_LOOK):r.start].rstrip(" \"“„«'‘")
    if lead.strip() == "" and r.start - para.start <= _LEAD_LOOK and before is not None:  # it opens its paragraph
        prev = article.paragraph(r.paragraph - 1) if r.paragraph > 1 else None
        if prev is None or not text[prev.start:prev.end].rstrip().endswith(":"):
            return None
        p = before.p  # "President Clinton released the following statement:" / "Tom Reyes wrote:"
        last = max(s for s in p.sent_starts)
        for v in range(len(p) - 1, last - 1, -1):
            if p.pos[v] == "VERB" or (p.pos[v] == "AUX" and p.lemmas[v] in SPEECH_LEMMAS):
                subj = _subject(before, v)
                if subj is not None and (p.lemmas[v] in SPEECH_LEMMAS or _someone(before, subj)):
                    return Found(who=_span_of(before, subj), cue=p.words[v], tail=False)
        return None
    if not lead.endswith(":") or t is None:
        return None
    p = t.p
    # the lead-in is the whole clause before the colon, and it starts with a name
    start = max((s for s in p.sent_starts if p.starts[s] < r.start), default=0)
    first = start
    while first < len(p) and p.pos[first] == "PUNCT":
        first += 1
    if first >= len(p) or p.starts[first] >= r.start:
        return None
    if any(p.lemmas[k] in SPEECH_LEMMAS and p.pos[k] == "VERB" for k in range(first, len(p)) if p.starts[k] < r.start):
        return None  # a verb of saying: _by_verb's
    ent = p.entity_of(first)
    if ent is None or ent[2] not in ("PERSON", "ORG") or ent[0] != first:
        return None
    after = text[p.ends[ent[1] - 1]:r.start].lstrip()
    if not (after.startswith(",") or after.startswith(":")):
        return None
    return Found(who=(p.starts[ent[0]], p.ends[ent[1] - 1]), cue=None, tail=False)


_DASHED_NAME = re.compile(r"(?:^|\s)[―—–-]{1,2}\s*([^:―—–-]{2,60}?)\s*:\s*$")  # "HEADLINE - Jeffrey M. Jones:"
_CUE_LINE = re.compile(r"\s*(?:(?P<cue>\w+)\s+(?P<name>[^:]{2,50}?)|(?P<name2>[^:]{2,50}?)\s+(?P<cue2>\w+))\s*:\s*$")


def _dashed_name(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """A roundup's 'HEADLINE - Jeffrey M. Jones: "..."': the name between the dash and the colon."""
    text = article.text
    lo = max(article.paragraph(r.paragraph).start, r.start - _LEAD_LOOK)  # a lead-in is short: read no further back
    lead = text[lo:r.start].rstrip(" \"“„«'‘")
    m = _DASHED_NAME.search(lead)
    if not m:
        return None
    name = NAME_RE.fullmatch(m.group(1))
    if not name:
        return None
    at = lo + m.start(1)
    return Found(who=(at + name.start(2), at + name.end(2)), cue=None, tail=False)


def _cue_line(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """A line of its own before the quotation, 'Stated Stone:' / 'Stone continued:', or such a sentence right
    before it, '... more complicated. Said Ellis: "..."' (too short for the parser to see a clause)."""
    text = article.text
    para = article.paragraph(r.paragraph)
    lead = text[para.start:r.start].rstrip(" \"“„«'‘")
    if lead.strip():
        end = para.start + len(lead)
        cut = max(lead.rfind(". ", 0, len(lead) - 1), lead.rfind("? "), lead.rfind("! "))
        start = para.start + cut + 2 if cut >= 0 else para.start
        if end - start > 60:
            return None
    elif r.paragraph < 2:
        return None
    else:
        prev = article.paragraph(r.paragraph - 1)
        start, end = prev.start, prev.end
        if end - start > 80:
            return None
    m = _CUE_LINE.fullmatch(text, start, end)
    if not m:
        return None
    cue, who = ("cue", "name") if m.group("cue") else ("cue2", "name2")
    if m.group(cue).lower() not in SPEECH_FORMS:
        return None
    name = NAME_RE.fullmatch(m.group(who))
    if not name:
        return None
    return Found(who=(m.start(who) + name.start(2), m.start(who) + name.end(2)), cue=m.group(cue), tail=False)


def _narration_subject(article: Article, r: _Raw, t: _Tree | None, before: _Tree | None) -> Found | None:
    """When the rules named no one who can speak ("treating the matter -- ''...'' --" gives "the matter"): the
    one person the quotation's sentence is about, the subject of its narration ('Mr. Trump hardly clarified
    the matter, treating ... -- "That makes me smart" -- and, when questioned after the debate, asserting, "..."').
    Never when the sentence's narration has two possible speakers."""
    if t is None or r.who is None:
        return None
    p = t.p
    named = [i for i in range(len(p)) if r.who[0] <= p.starts[i] < r.who[1]]
    if not named or any(p.pos[i] in ("PROPN", "PRON") or p.words[i][:1].isupper() or _someone(t, i) for i in named):
        return None  # the rules' speaker can speak: it stands
    inside = [i for i in range(len(p)) if _inside(r, p, i)]
    if not inside:
        return None
    lo, hi = _sentence_range(t, inside[0], inside[-1])
    spans = []  # a quotation may run past the parser's sentence end: read on to its closing mark
    for m in _QUOTED.finditer(article.text, p.starts[lo], p.ends[-1]):
        if m.start() >= p.ends[hi - 1]:
            break
        spans.append(m.span())

    def narration(i: int) -> bool:
        return not any(a <= p.starts[i] < b for a, b in spans)

    people = {
        _span_of(t, i) for i in range(lo, hi)
        if p.deps[i] in SUBJECTS and narration(i) and narration(p.heads[i])
        and _someone(t, i) and _may_be_a_person(t, i) and p.pos[i] != "PRON"
    }
    if len(people) != 1:
        return None
    return Found(who=people.pop(), cue=None, tail=False)


# In order: the first that finds a speaker decides.
SPEAKER_FINDERS: tuple[tuple[str, SpeakerFinder], ...] = (
    ("verb of saying", _by_verb),
    ("signature line", _signature),
    ("colon lead-in", _colon_lead),
    ("dashed name", _dashed_name),
    ("cue line", _cue_line),
    ("narration subject", _narration_subject),
)


