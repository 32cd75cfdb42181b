"""Speakers of quotations from a dependency parse: the subject of the verb of saying that governs or
adjoins the quotation ('"...," said campaign manager Dana Ortiz', 'Hale, 54, said', 'The mayor returned to the
podium and declared, "..."'), and the layouts a parse cannot see (signature lines '"..." ― Name', colon
lead-ins 'Jane Roe, on Twitter: "..."', 'Tom Reyes wrote:' ending the paragraph before).

The rules (index.quotes.clauses) found the quotation spans and a first guess at each speaker; here the
paragraphs that hold quotations are parsed (within a budget), the speaker finders
(index.quotes.speaker_finders, in the order of SPEAKER_FINDERS) decide where they have an answer, the rules'
guess stays where they have none, and each "he said" gets the people "he" may stand for. The speaker is recorded as written (`_Raw.who`); index.quotes.resolve turns it into a person.
"""


from __future__ import annotations

from bisect import bisect_left

from ..models import Article
from ..text.parser import Parser
from .finders import _Cover
from .marks import _Raw
from .parse_tree import SUBJECTS, _Tree, _main_clause, _may_be_a_person, _someone, _span_of
from .speaker_finders import SPEAKER_FINDERS

_PARAGRAPH_LIMIT = 4000  # characters: a longer paragraph is parsed only around its quotations
PARSED_ARTICLES_UP_TO = 300_000  # characters; the longest of PolNeAR's 924 articles has 33,672
# Characters parsed per article at most (the most any of PolNeAR's 840 training articles needs: 10,011); past
# that the rules alone decide.
_ARTICLE_LIMIT = 12_000


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
    cover = _Cover([r for r in raws if r.kind in ("direct", "pull quote", "interview")])
    whos = {r.who for r in raws if r.who}
    for r in pronouns:
        r.antecedents = _antecedents(article, r, trees, cover, whos)


GENDERED = {"he": "m", "she": "f"}
PLURAL_TAGS = ("NNS", "NNPS")
ANTECEDENT_PARAGRAPHS = 2  # how far back "he" looks for the person it stands for
_ANTECEDENT_TOKENS = 400  # and at most this many words back in each paragraph


def _antecedents(article: Article, r: _Raw, trees: dict[int, _Tree], quoted: _Cover,
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
            if p.starts[i] in quoted or p.deps[i] not in SUBJECTS:
                continue
            if not _main_clause(t, p.heads[i]):
                continue  # "in the event that Clinton faces Trump": not whom the narration is about
            if p.pos[i] == "PRON":
                if p.words[i].lower() == pronoun and (p.starts[i], p.ends[i]) in whos:
                    found.append((p.starts[i], p.ends[i]))  # an earlier "she said": whoever that one was
                    return tuple(found)
                continue  # "She declared ...": the same person again, named further back
            if not _someone(t, i) or not _may_be_a_person(t, i) or p.tags[i] in PLURAL_TAGS:
                continue  # "attorneys for the family" are no "she"
            span = _span_of(t, i)
            if span not in found:
                found.append(span)
            if len(found) >= limit:
                return tuple(found)
    return tuple(found)


