"""Speakers of quotations from a dependency parse: the subject of the verb of saying that governs or
adjoins the quotation ('"...," said campaign manager Dana Ortiz', 'Hale, 54, said', 'The mayor returned to the
podium and declared, "..."'), and the layouts a parse cannot see (signature lines '"..." ― Name', colon
lead-ins 'Jane Roe, on Twitter: "..."', 'Tom Reyes wrote:' ending the paragraph before).

The rules (index.quotes.clauses) found the quotation spans and a first guess at each speaker; here the
parse decides where it has an answer, in the order of SPEAKER_FINDERS, and the rules' guess stays where it
has none. The speaker is recorded as written (`_Raw.who`); index.quotes.resolve turns it into a person.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable

from ..lexicon.speech import IRREGULAR_FORMS, PARSE_SPEECH_VERBS, SPEECH_VERBS, speech_forms
from ..models import Article
from ..text.parser import Parsed, Parser
from .marks import _Raw
from .patterns import NAME_RE
from .phrases import _personish
from ..lexicon.people import NOT_SAYERS

SPEECH_LEMMAS = frozenset(SPEECH_VERBS) | frozenset(IRREGULAR_FORMS) | frozenset(PARSE_SPEECH_VERBS)
SPEECH_FORMS = frozenset(speech_forms())
SUBJECTS = ("nsubj", "nsubjpass")
SPEAKER_PRONOUN_LEMMAS = frozenset("i he she we they".split())
# A verb without a subject of its own shares its head's: "... and declared", "said, adding ...".
SHARES_SUBJECT = ("conj", "advcl", "xcomp", "relcl", "pcomp", "prep")  # "upon saying", "before adding"
# Only these parts of a quotation attach to the verb that introduces it.
QUOTE_LINKS = ("ccomp", "parataxis", "dobj", "xcomp", "advcl", "conj", "dep", "npadvmod", "oprd", "attr")
SPEAKER_ENTITIES = ("PERSON", "ORG", "NORP", "GPE", "FAC")
PLACE_ENTITIES = ("GPE", "LOC", "FAC")
NAME_PARTS = ("compound", "flat", "nmod", "poss", "case")  # the words a name is built of, left of its head
DESCRIPTION_PARTS = ("det", "amod", "compound", "poss", "case", "nummod", "nmod", "npadvmod", "advmod")
DESCRIPTION_AFTER = ("prep", "amod", "acl")  # what follows a description's noun and belongs to it
DESCRIPTION_WORDS = 10  # the longest description kept as a speaker, in words
QUOTE_MARKS = frozenset("\"“”„«»'‘’`")


def _is_mark(word: str) -> bool:
    return all(c in QUOTE_MARKS for c in word)  # '"', "''", "``"
_SIGNATURE = re.compile(r"\s*[―—–-]{1,2}\s*")  # '"..." ― Sonya Herridge'
_PARAGRAPH_LIMIT = 4000  # characters: a longer paragraph is parsed only around its quotations
PARSED_ARTICLES_UP_TO = 300_000  # characters; the longest of PolNeAR's 924 articles has 33,672
_LEAD_LOOK = 120  # characters before a quotation read for a lead-in ("- Jeffrey M. Jones:", "Roe, on Twitter:")
_ARTICLE_LIMIT = 12_000  # characters parsed per article at most (the most any of 840 PolNeAR articles needs: 10,011); past that the rules alone decide


@dataclass
class _Tree:
    """One Parsed with its children lists, made once."""

    p: Parsed
    kids: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kids = [[] for _ in self.p.heads]
        for j, h in enumerate(self.p.heads):
            if h != j:
                self.kids[h].append(j)

    def ancestors(self, i: int):
        seen = 0
        while self.p.heads[i] != i and seen < 64:
            i = self.p.heads[i]
            seen += 1
            yield i


@dataclass(frozen=True)
class Found:
    who: tuple[int, int]
    cue: str | None
    tail: bool  # the attribution follows the quotation
    speech: bool = False  # a verb of saying governs it (enough to keep a tentative quotation)


SpeakerFinder = Callable[[Article, _Raw, "_Tree | None", "_Tree | None"], "Found | None"]


def _sentence_range(t: _Tree, first: int, last: int) -> tuple[int, int]:
    """Token range of the sentences holding tokens first..last."""
    starts = t.p.sent_starts
    lo = max((s for s in starts if s <= first), default=0)
    hi = min((s for s in starts if s > last), default=len(t.p))
    return lo, hi


def _span_of(t: _Tree, i: int, depth: int = 0) -> tuple[int, int]:
    """The words that name the subject token i: its entity, its name (titles and first names before it),
    the name in apposition to a description ("a spokesman, Josh Earnest,"), or the description itself."""
    p = t.p
    if p.pos[i] == "PRON":
        return p.starts[i], p.ends[i]
    if depth < 2 and _in_parentheses(p, i) and p.heads[i] != i and not _in_parentheses(p, p.heads[i]):
        return _span_of(t, p.heads[i], depth + 1)  # "Price (D-Newport News)": the party tag names no one
    ent = p.entity_of(i)
    if ent is not None and ent[2] in SPEAKER_ENTITIES:
        lo = ent[0]
        # a title the entity leaves out: "Sen." / "Treasury Secretary" written right before the name
        while lo > 0 and p.heads[lo - 1] in range(ent[0], ent[1]) and p.deps[lo - 1] == "compound" and p.pos[lo - 1] == "PROPN":
            lo -= 1
        while ent[1] - 1 > lo and p.pos[ent[1] - 1] == "PART":  # "Trump's"
            ent = (ent[0], ent[1] - 1, ent[2])
        return p.starts[lo], p.ends[ent[1] - 1]
    if p.pos[i] == "PROPN":
        lo = i
        while lo > 0 and p.heads[lo - 1] == i and p.deps[lo - 1] in NAME_PARTS and p.pos[lo - 1] == "PROPN":
            lo -= 1
        return p.starts[lo], p.ends[i]
    for k in t.kids[i]:  # "a campaign spokesman, Josh Earnest, said"
        if p.deps[k] == "appos" and p.pos[k] == "PROPN" and depth < 2 and not _in_parentheses(p, k):
            return _span_of(t, k, depth + 1)
    lo = i
    while lo > 0 and (p.deps[lo - 1] in DESCRIPTION_PARTS or p.words[lo - 1] == "-") and lo - 1 in _subtree(t, i):
        lo -= 1  # "the bespectacled, 71-year-old diplomat", "right-hand woman"
    hi = i
    for k in sorted(t.kids[i]):  # "a person close to the Clintons", "a source involved in its creation"
        if k < i or p.deps[k] not in DESCRIPTION_AFTER:
            continue
        tail = _subtree(t, k)
        if min(tail) != hi + 1 or max(tail) - lo >= DESCRIPTION_WORDS or any(p.words[j] in ",;:()" for j in tail):
            break
        hi = max(tail)
    return p.starts[lo], p.ends[hi]


def _in_parentheses(p: Parsed, i: int) -> bool:
    depth = 0
    for k in range(i - 1, max(-1, i - 12), -1):
        if p.words[k] == ")":
            depth += 1
        elif p.words[k] == "(":
            if depth == 0:
                return True
            depth -= 1
    return False


def _subject(t: _Tree, v: int, quoted: Callable[[int], bool] = lambda i: False) -> int | None:
    """The subject of verb v, or of the verb it shares a subject with; a relative clause's noun. Never a
    word of the quotation (the parser may make the quoted clause the subject of "said")."""
    p = t.p
    for _ in range(4):
        for k in t.kids[v]:
            if quoted(k):
                continue
            if p.deps[k] in SUBJECTS:
                if p.tags[k] in ("WP", "WDT") and p.deps[v] == "relcl":
                    return p.heads[v]  # "Smith, who said ..."
                return k
            if p.deps[k] == "agent":  # "was quoted by X"
                objs = [g for g in t.kids[k] if p.deps[g] == "pobj"]
                if objs:
                    return objs[0]
        if p.deps[v] not in SHARES_SUBJECT or p.heads[v] == v:
            return None
        if p.deps[v] == "relcl":
            return p.heads[v]
        v = p.heads[v]
    return None


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


def _subtree(t: _Tree, i: int) -> set[int]:
    out, todo = set(), [i]
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(t.kids[k])
    return out


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


def _can_say(t: _Tree, i: int) -> bool:
    """A subject a verb of saying can have: a name, a personal pronoun, any noun but an abstract one (the
    parser's "the matter remarks"); never a word in quotation marks (a quoted title such as "Fox and
    Friends")."""
    p = t.p
    if i > 0 and _is_mark(p.words[i - 1]) and any(_is_mark(w) for w in p.words[i + 1:i + 5]):
        return False  # between marks: '“Fox and Friends.”', not '”' then 'he said'

    if p.pos[i] == "PRON":
        return p.lemmas[i] in SPEAKER_PRONOUN_LEMMAS
    if p.pos[i] == "NOUN":
        return p.lemmas[i] not in NOT_SAYERS
    return True


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


def _someone(t: _Tree, i: int) -> bool:
    """A subject that can speak: a name, a personal pronoun, an organisation, a person's role."""
    p = t.p
    ent = p.entity_of(i)
    if ent is not None:
        return ent[2] in SPEAKER_ENTITIES
    if p.pos[i] == "PROPN":
        return True
    if p.pos[i] == "PRON":
        return p.lemmas[i] in SPEAKER_PRONOUN_LEMMAS
    return p.pos[i] == "NOUN" and _personish(p.lemmas[i])


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
    """A line of its own before the quotation: 'Stated Stone:' / 'Stone continued:' (too short to parse)."""
    text = article.text
    if r.paragraph < 2 or text[article.paragraph(r.paragraph).start:r.start].strip(" \"“„«'‘"):
        return None
    prev = article.paragraph(r.paragraph - 1)
    if prev.end - prev.start > 80:
        return None
    m = _CUE_LINE.fullmatch(text, prev.start, prev.end)
    if not m:
        return None
    cue, who = ("cue", "name") if m.group("cue") else ("cue2", "name2")
    if m.group(cue).lower() not in SPEECH_FORMS:
        return None
    name = NAME_RE.fullmatch(m.group(who))
    if not name:
        return None
    return Found(who=(m.start(who) + name.start(2), m.start(who) + name.end(2)), cue=m.group(cue), tail=False)


# In order: the first that finds a speaker decides.
SPEAKER_FINDERS: tuple[tuple[str, SpeakerFinder], ...] = (
    ("verb of saying", _by_verb),
    ("signature line", _signature),
    ("colon lead-in", _colon_lead),
    ("dashed name", _dashed_name),
    ("cue line", _cue_line),
)


def _pieces(article: Article, raws: list[_Raw], budget: int, done: set[int]) -> dict[int, tuple[int, str]]:
    """What to parse: each paragraph with a direct quotation, and the one before it when it ends with a
    colon; a long paragraph only around its quotations. At most `budget` characters; none of `done`."""
    text = article.text
    want: dict[int, tuple[int, str]] = {}
    for r in sorted(raws, key=lambda r: r.start):
        if r.kind != "direct" or r.paragraph in want:
            continue
        for n in (r.paragraph - 1, r.paragraph):
            if n < 1 or n in want or n in done:
                continue
            para = article.paragraph(n)
            if n < r.paragraph and not text[para.start:para.end].rstrip().endswith(":"):
                continue
            start, end = para.start, para.end
            if end - start > _PARAGRAPH_LIMIT:  # the sentence-ish window around this quotation
                start = max(start, text.rfind(". ", start, max(start, r.start - 600)) + 1 if r.start - 600 > start else start)
                end = min(end, r.end + 600)
            if end - start > budget:
                return want
            budget -= end - start
            want[n] = (start, text[start:end])
    return want


def _parse(parser: Parser, pieces: dict[int, tuple[int, str]]) -> dict[int, _Tree]:
    numbers = list(pieces)
    parsed = parser([pieces[n][1] for n in numbers], [pieces[n][0] for n in numbers]) if numbers else []
    return {n: _Tree(p) for n, p in zip(numbers, parsed)}  # none at all from rules_only


def parse_speakers(article: Article, raws: list[_Raw], parser: Parser) -> None:
    """Give each direct quotation the speaker the parse finds (index.quotes.resolve makes it a person), and
    each "he said" / "she said" the people the pronoun may stand for."""
    if len(article.text) > PARSED_ARTICLES_UP_TO:
        return  # no news article is this long (a transcript dump, a hostile file): the rules alone, in linear time
    trees = _parse(parser, _pieces(article, raws, _ARTICLE_LIMIT, set()))
    if not trees:
        return
    budget = _ARTICLE_LIMIT - sum(len(t.p) and t.p.ends[-1] - t.p.starts[0] for t in trees.values())
    for r in raws:
        if r.kind != "direct":
            continue
        t, before = trees.get(r.paragraph), trees.get(r.paragraph - 1)
        if t is not None and not (t.p.starts and t.p.starts[0] <= r.start <= t.p.ends[-1]):
            t = None  # a long paragraph's window that holds another quotation
        if t is None and before is None and r.who is not None:
            continue  # past the parse budget (no news article gets here) the rules' speaker stands
        for _, finder in SPEAKER_FINDERS:
            found = finder(article, r, t, before)
            if found is not None and (found.speech or not r.tentative):
                r.who, r.cue, r.tail, r.tentative = found.who, found.cue or r.cue, found.tail, False
                break
    pronouns = [r for r in raws if r.kind == "direct" and r.who and r.paragraph in trees
                and trees[r.paragraph].p.starts and trees[r.paragraph].p.starts[0] <= r.who[0] <= trees[r.paragraph].p.ends[-1]
                and article.text[r.who[0]:r.who[1]].lower() in GENDERED]
    # The narration before a "he said" is where "he" was named: parse the paragraphs before those.
    more = {}
    for r in pronouns:
        for n in range(r.paragraph - ANTECEDENT_PARAGRAPHS, r.paragraph):
            if n >= 1 and n not in trees and n not in more:
                para = article.paragraph(n)
                if para.end - para.start <= min(budget, _PARAGRAPH_LIMIT):
                    budget -= para.end - para.start
                    more[n] = (para.start, article.text[para.start:para.end])
    trees.update(_parse(parser, more))
    cover = _QuotedSpans(raws)
    whos = {r.who for r in raws if r.who}
    for r in pronouns:
        r.antecedents = _antecedents(article, r, trees, cover, whos)


GENDERED = {"he": "m", "she": "f"}
ANTECEDENT_PARAGRAPHS = 2  # how far back "he" looks for the person it stands for
_ANTECEDENT_TOKENS = 400  # and at most this many words back in each paragraph
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


class _QuotedSpans:
    """Inside a quotation? A subject there is the speaker's word, not the narration's."""

    def __init__(self, raws: list[_Raw]):
        self.spans = sorted((r.start, r.end) for r in raws if r.kind in ("direct", "pull quote", "interview"))
        self.starts = [s for s, _ in self.spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]


def _antecedents(article: Article, r: _Raw, trees: dict[int, _Tree], quoted: _QuotedSpans,
                 whos: set[tuple[int, int]], limit: int = 4) -> tuple[tuple[int, int], ...]:
    """The people "he"/"she" may stand for, nearest first: the subjects of the narration before the pronoun
    (a name, or a description such as "the Vermont senator"), read back sentence by sentence through the
    paragraph and the ANTECEDENT_PARAGRAPHS before it. Subjects first: an object or a name inside a
    quotation is not who the narration is about. Gender is checked by the resolver, which knows the cast."""
    assert r.who is not None
    pos, pronoun = r.who[0], article.text[r.who[0]:r.who[1]].lower()
    found: list[tuple[int, int]] = []
    for n in range(r.paragraph, r.paragraph - ANTECEDENT_PARAGRAPHS - 1, -1):
        t = trees.get(n)
        if t is None:
            continue
        p = t.p
        last = bisect_left(p.starts, pos) - 1
        for i in range(last, max(-1, last - _ANTECEDENT_TOKENS), -1):
            if p.starts[i] in quoted or p.deps[i] not in _SUBJECT_DEPS:
                continue
            if not _main_clause(t, p.heads[i]):
                continue  # "in the event that Clinton faces Trump": not whom the narration is about
            if p.pos[i] == "PRON":
                if p.words[i].lower() == pronoun and (p.starts[i], p.ends[i]) in whos:
                    found.append((p.starts[i], p.ends[i]))  # an earlier "she said": whoever that one was
                    return tuple(found)
                continue  # "She declared ...": the same person again, named further back
            if not _someone(t, i) or not _may_be_a_person(t, i):
                continue
            span = _span_of(t, i)
            if span not in found:
                found.append(span)
            if len(found) >= limit:
                return tuple(found)
    return tuple(found)


def _may_be_a_person(t: _Tree, i: int) -> bool:
    """"He" stands for a person: not a name the parser calls a place ("Israel"). (Its PERSON label is too
    often missing on a politician's surname to be required.)"""
    ent = t.p.entity_of(i)
    return ent is None or ent[2] not in PLACE_ENTITIES


def _main_clause(t: _Tree, v: int) -> bool:
    """The sentence's main verb, or one joined to it by "and" ("gestured ..., then leaned in and boomed")."""
    p = t.p
    for _ in range(8):
        if p.heads[v] == v:
            return True
        if p.deps[v] != "conj":
            return False
        v = p.heads[v]
    return False
