"""Each quotation's speaker resolved to a person: names, pronouns, descriptions, inheritance."""

from __future__ import annotations

import re
from bisect import bisect_left
import numpy as np
from ..models import Article
from ..text.tokenize import fold, tokenize
from ..lexicon.people import GROUP_NOUNS
from ..lexicon.pronouns import SPEAKER_PRONOUNS
from .patterns import _SPLIT_NAME_RE, _marks_of
from .marks import _Raw, _paragraph_at
from .phrases import _personish
from .cast import Cast, Person


_DESCRIPTOR_START = re.compile(r"(?:the|a|an|one|another|his|her|their|our)\s", re.I)
_POSSESSIVE = re.compile(r"\w['’]s\b")  # "the ad's narrator" is the ad's, not the last person quoted
_INDEFINITE = re.compile(r"(?:a|an|one|another)\s", re.I)


def _kind_of(written: str) -> str:
    w = written.strip()
    if fold(w) in SPEAKER_PRONOUNS:
        return "pronoun"
    if _DESCRIPTOR_START.match(w):
        return "descriptor"
    if w.split()[-1] in GROUP_NOUNS:
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
    said_by: dict[tuple[int, int], str | None] = {}  # where a speaker is written -> whom it was resolved to
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
            speaker = _from_parse(cast, text, r, SPEAKER_PRONOUNS[fold(written)], described, spoken, said_by)
            if speaker is None:
                speaker = _pronoun(cast, article, r.who[0], fold(written), last_person, last_at, fits)
            person = cast.people.get(speaker or "")
            if person is not None and person.gender is None and SPEAKER_PRONOUNS[fold(written)] in "mf":
                person.gender = SPEAKER_PRONOUNS[fold(written)]  # "she said" of Collins: later "he" is someone else
                fits.gendered(person)
        elif kind == "descriptor" and _INDEFINITE.match(written):
            speaker = written  # "a spokesman", "one official": someone new, never the person quoted before
        elif kind == "descriptor":
            speaker = repeats.speaker_of(r)
            head = _head_of(written)
            if speaker is None:
                speaker = described.get(head) or spoken.described_as(head)
            # "the professor", "the Americanist": a bare role, said of whoever is being quoted.
            bare = (len(written.split()) == 2 or all(w.islower() for w in written.split()[1:])) and not _POSSESSIVE.search(written)
            if speaker is None and bare and last_person and _personish(head) and _same_paragraph(article, last_at, r):
                speaker = last_person  # "as Dr. X points out, ..., the Americanist believes": the expert quoted
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
        said_by[r.who] = speaker
        if speaker in cast.people and kind != "group":
            last_person, last_at = speaker, r.who[0]
            spoken.said(speaker)
    _inherit(article, raws, repeats)


def _same_paragraph(article: Article, pos: int, r: _Raw) -> bool:
    """Whether pos is in r's paragraph: a bare role ("the judge") further on may be someone else."""
    p = _paragraph_at(article, pos) if pos >= 0 else None
    return p is not None and p.number == r.paragraph


def _from_parse(cast: Cast, text: str, r: _Raw, gender: str, described: dict[str, str],
                spoken: "_Spoken", said_by: dict[tuple[int, int], str | None]) -> str | None:
    """The first of the parse's antecedents for "he"/"she" (index.quotes.parsed) that may be that gender: a
    name made the person's full name, a description the person it describes when that is known, an
    earlier "he said" the person that one was resolved to."""
    for s, e in r.antecedents:
        written = text[s:e]
        kind = _kind_of(written)
        if kind == "pronoun":
            if said_by.get((s, e)):
                return said_by[(s, e)]
            continue
        if kind == "name":
            split = _SPLIT_NAME_RE.fullmatch(written)
            name = cast.canonical(split.group(1) + split.group(2) if split else written)
        elif kind == "descriptor" and not _INDEFINITE.match(written):
            head = _head_of(written)
            name = described.get(head) or spoken.described_as(head) or written
        else:
            continue
        person = cast.people.get(name or "")  # None: a person the parse knows and the cast does not
        if person is not None and person.gender not in (None, gender):
            continue
        return name
    return None


def _pronoun(cast: Cast, article: Article, pos: int, pronoun: str, last_person: str | None, last_at: int,
             fits: "_Fits") -> str | None:
    """He/she: the subject of the paragraph's narration before the cue, else the last speaker.

    If the previous paragraph's narration names someone after the last speaker was
    attributed ("Johnson, who ..., said the House would vote."), that person is meant.
    """
    p = _paragraph_at(article, pos)
    gender = SPEAKER_PRONOUNS.get(pronoun)
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
