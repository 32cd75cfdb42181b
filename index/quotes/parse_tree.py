"""Reading spaCy's parse of a paragraph (index.text.parser.Parsed): children, sentences, the subject of a
verb, and the words that name it ('campaign manager Dana Ortiz' -> "Dana Ortiz", 'Price (D-Newport News)' ->
"Price", 'a person close to the Clintons'). Shared by the speaker finders and the pronoun antecedents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..lexicon.people import NOT_SAYERS
from ..text.parser import Parsed
from .phrases import _personish

SUBJECTS = ("nsubj", "nsubjpass")
SPEAKER_PRONOUN_LEMMAS = frozenset("i he she we they".split())
# A verb without a subject of its own shares its head's: "... and declared", "said, adding ...".
SHARES_SUBJECT = ("conj", "advcl", "xcomp", "relcl", "pcomp", "prep")  # "upon saying", "before adding"
# Only these parts of a quotation attach to the verb that introduces it.
QUOTE_LINKS = ("ccomp", "parataxis", "dobj", "xcomp", "advcl", "conj", "dep", "npadvmod", "oprd", "attr")
SPEAKER_ENTITIES = ("PERSON", "ORG", "NORP", "GPE", "FAC")
PLACE_ENTITIES = ("GPE", "LOC", "FAC")
# The label the small model gives names it knows as brands ("Ivanka Trump" PRODUCT): a
# proper noun labelled so may still be a person.
MISREAD_NAMES = ("PRODUCT",)
NAME_PARTS = ("compound", "flat", "nmod", "poss", "case")  # the words a name is built of, left of its head
DESCRIPTION_PARTS = ("det", "amod", "compound", "poss", "case", "nummod", "nmod", "npadvmod", "advmod")
DESCRIPTION_AFTER = ("prep", "amod", "acl")  # what follows a description's noun and belongs to it
DESCRIPTION_WORDS = 10  # the longest description kept as a speaker, in words
QUOTE_MARKS = frozenset("\"“”„«»'‘’`")


def _is_mark(word: str) -> bool:
    return all(c in QUOTE_MARKS for c in word)  # '"', "''", "``"


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


def _subtree(t: _Tree, i: int) -> set[int]:
    out, todo = set(), [i]
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(t.kids[k])
    return out


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


def _someone(t: _Tree, i: int) -> bool:
    """A subject that can speak: a name, a personal pronoun, an organisation, a person's role."""
    p = t.p
    ent = p.entity_of(i)
    if ent is not None and not (p.pos[i] == "PROPN" and ent[2] in MISREAD_NAMES):
        return ent[2] in SPEAKER_ENTITIES
    if p.pos[i] == "PROPN":
        return True
    if p.pos[i] == "PRON":
        return p.lemmas[i] in SPEAKER_PRONOUN_LEMMAS
    return p.pos[i] == "NOUN" and _personish(p.lemmas[i])


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


