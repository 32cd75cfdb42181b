"""The people of an article: names, aliases, titles and descriptions."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from ..models import Article, Span
from ..text.tokenize import fold
from ..lexicon.function_words import AUXILIARIES, RELATIVE_WORDS
from ..lexicon.people import GENDERED_NOUNS, LEAD_ROLES, NOT_NAME, ORG_WORDS, ROLE_NOUNS
from ..lexicon.pronouns import GENDERED_PRONOUNS, SPEAKER_PRONOUNS
from ..lexicon.titles import TITLE_WORDS
from .patterns import CUE_RE, NAME_RE, _SPLIT_NAME_RE, _TITLE, _WORD, _PIECE
from .textindex import _SHORT, _index, _is_word_char, _last_before, _window
from .marks import _Raw, _sentence_bounds, _strip_span
from .phrases import _LEADING_FILL, _START, _cues_by_sentence, _finite, _matches_by_span, _np_before, _strip_aux
from .finders import _Cover

# "Burton, which ..." is no person.
_COMMA_WHICH = re.compile(r"\s*,\s*which\b")
_ONE_WORD = re.compile(_WORD)



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
        name = _POSSESSIVE_END.sub("", name)
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
        if full and full.split()[-1] == words[-1] and len(full.split()) > len(words) and _names_part_of(words[:-1], full):
            return full  # "Keith Scott" is Keith Lamont Scott; "Rakeyia Scott", his wife, is not
        return name


def _names_part_of(first: list[str], full: str) -> bool:
    """Each given name written ("Keith", "K.") is one of the full name's."""
    given = [fold(w) for w in full.split()[:-1]]
    return all(fold(w) in given or (len(w.rstrip(".")) == 1 and any(g[:1] == fold(w)[:1] for g in given)) for w in first)


@lru_cache(maxsize=100_000)
def _strip_titles(written: str) -> str:
    return _TITLES_AT_START.sub("", written.strip()).strip()


_TITLES_AT_START = re.compile(rf"^{_TITLE}+")


_POSSESSIVE_END = re.compile(r"['’]s$")


_AT_END = re.compile(r"\bat\s+$")


_SPACE = re.compile(r"\s")


_WORD_CHAR = re.compile(r"\w")


_NAME_GOES_ON = re.compile(r"[\w'’.-]")


def _join_split(text: str, m: re.Match[str]) -> str:
    return m.group(1) + m.group(2)




def _lead_words(words: list[str]) -> int:
    """How many leading words are not the name: "Senate Majority Leader | Chuck Schumer"."""
    i = 0
    while i < len(words) - 1:
        w = fold(words[i].rstrip("."))
        if w in NOT_NAME or w in ROLE_NOUNS or w in LEAD_ROLES or w in ORG_WORDS or w in TITLE_WORDS:
            i += 1
        else:
            break
    return i if fold(words[i]) not in NOT_NAME else len(words)


def _is_person_name(words: list[str], text: str) -> bool:
    return (
        2 <= len(words) <= 4
        and fold(words[0]) not in NOT_NAME
        and not any(fold(w.rstrip("'’s")) in ORG_WORDS or fold(w) in ORG_WORDS for w in words)
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


@dataclass
class _CastWork:
    """What the cast passes share while they read one article."""

    article: Article
    raws: list[_Raw]
    cast: Cast
    quoted: _Cover  # inside quotations: a name there is said, not a mention
    paras: list  # the paragraphs whose names count (body, bullets, name lines, interviews, pull quotes)
    name_matches: list  # NAME_RE's matches per paragraph (read by the full names and the mentions)
    split_matches: list  # _SPLIT_NAME_RE's ("T rump") per paragraph

    @property
    def text(self) -> str:
        return self.article.text


def _full_names(w: _CastWork) -> None:
    """Full names first, so surnames can be resolved anywhere (an earlier or a later mention)."""
    text, cast, quoted = w.text, w.cast, w.quoted
    full_names: dict[str, tuple[list[str], bool]] = {}  # as written -> its words but leading ones, a person's?
    for matches in w.name_matches:
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


def _single_word_speakers(w: _CastWork) -> None:
    """Single-word speakers that are never named in full ("Burton said") are people too."""
    text, cast = w.text, w.cast
    not_single = set(SPEAKER_PRONOUNS) | NOT_NAME
    for r in w.raws:
        if r.who:
            written = _strip_titles(text[r.who[0]:r.who[1]])
            if _SPLIT_NAME_RE.fullmatch(written):
                continue
            words = written.split()
            if len(words) == 1 and words[0][:1].isupper() and fold(words[0]) not in not_single:
                if fold(words[0]) not in cast.by_surname and not _COMMA_WHICH.match(text[r.who[1]:r.who[1] + 10]):
                    cast.people.setdefault(words[0], Person(words[0]))
                    cast.by_surname[fold(words[0])] = words[0]


def _cue_subjects(w: _CastWork) -> None:
    """A one-word subject of a verb of saying that is all of the sentence before it ("Burton believes ...")."""
    article, text, cast, quoted = w.article, w.text, w.cast, w.quoted
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
            if _ONE_WORD.fullmatch(word) and fold(word) not in NOT_NAME and fold(word) not in cast.by_surname:
                if not _COMMA_WHICH.match(text[who[1]:who[1] + 10]) and len(word) > 2:
                    cast.people.setdefault(word, Person(word))
                    cast.by_surname[fold(word)] = word


def _mentions(w: _CastWork) -> None:
    """Every place a known person is named outside quotations, with their aliases, titles and descriptions."""
    article, text, cast, quoted = w.article, w.text, w.cast, w.quoted
    aliases: dict[str, set[str]] = {}  # person -> their aliases, to look up
    described: dict[str, set[tuple[int, int]]] = {}  # person -> the spans of their descriptions
    named: dict[str, tuple[int, int, str | None]] = {}  # as written -> leading words, where the name starts, who
    skip = 0
    for p, matches, split in zip(w.paras, w.name_matches, w.split_matches):
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
                if any(fold(w) in ROLE_NOUNS or fold(w) in TITLE_WORDS for w in lead_text.split()):
                    _add_description(article, person, m.start(2), m.start(2) + len(lead_text), spans)
            sent_first.add(ss)


# In order: full names before the one-word speakers (a surname is a known person's), the mentions last.
def _genders(w: _CastWork) -> None:
    """A person's gender where the article tells it and no title did: gendered role nouns in their
    descriptions, and he/him/his or she/her after their name in sentences that name no one else, by a clear
    majority (at least two cues, three to one). "he said" can then never become Ivanka Trump."""
    text, sentences = w.text, w.article.sentences
    starts = [s.start for s in sentences]
    by_sentence: dict[int, set[str]] = {}
    first_at: dict[tuple[int, str], int] = {}
    for ns, _ne, name, _first in w.cast.mentions:
        i = bisect_right(starts, ns) - 1
        if i >= 0:
            by_sentence.setdefault(i, set()).add(name)
            first_at.setdefault((i, name), ns)
    votes: dict[str, dict[str, int]] = {}
    for m in _GENDERED_RE.finditer(text):  # one pass over the text: the pronouns, then their sentences
        i = bisect_right(starts, m.start()) - 1
        names = by_sentence.get(i)
        if names is None or len(names) != 1 or m.start() in w.quoted:  # a quotation's "his" is someone else's
            continue
        (name,) = names
        if m.start() > first_at[(i, name)]:
            votes.setdefault(name, {"m": 0, "f": 0})[GENDERED_PRONOUNS[m.group().lower()]] += 1
    for name, person in w.cast.people.items():
        if person.gender is not None:
            continue
        tally = votes.setdefault(name, {"m": 0, "f": 0})
        for d in person.descriptions:
            for word in _WORDS.findall(d.text):
                g = GENDERED_NOUNS.get(word.lower())
                if g:
                    tally[g] += 2  # "his daughter" describes her: the noun outweighs a pronoun
        m, f = tally["m"], tally["f"]
        if m + f >= 2 and max(m, f) >= 3 * min(m, f):
            person.gender = "m" if m > f else "f"


_WORDS = re.compile(r"[A-Za-z]+")
_GENDERED_RE = re.compile(r"\b(?:" + "|".join(GENDERED_PRONOUNS) + r")\b", re.I)


CAST_PASSES = (_full_names, _single_word_speakers, _cue_subjects, _mentions, _genders)


def _cast(article: Article, raws: list[_Raw]) -> Cast:
    text = article.text
    paras = [p for p in article.paragraphs if p.kind in ("body", "bullet", "name_line", "interview", "pull_quote")]
    spans = [(p.start, p.end) for p in paras]
    work = _CastWork(
        article, raws, Cast(), _Cover([r for r in raws if r.kind in ("direct", "pull quote", "interview")]), paras,
        _matches_by_span(text, "name", NAME_RE, _NAME_GOES_ON, spans),
        _matches_by_span(text, "split_name", _SPLIT_NAME_RE, _WORD_CHAR, spans),
    )
    for cast_pass in CAST_PASSES:
        cast_pass(work)
    work.cast.mentions.sort()
    return work.cast

_DESCRIPTION_BEFORE = re.compile(
    r"(?<![\w-])((?:(?:[A-Z]{2,}|[a-z][\w-]*|(?:[A-Z][\w-]*\s+)?[A-Z][\w-]*(?=\s+[a-z]))\s+){0,5}?"
    r"([a-z][\w-]*))\s+$")


_DESCRIPTION_AFTER = re.compile(
    r"\s*,\s*(?:(who|whose)\s+|(?=(?:a|an|the)\s)|(?=(?:[A-Z]{2,}\s+)?(?:[a-z]+\s+){0,2}(?:" + "|".join(ROLE_NOUNS) + r")\b))")


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
    if m and m.group(2) in ROLE_NOUNS:
        ds = at + m.start(1)
        words = text[ds:ns].split()
        while words and (fold(words[0]) in RELATIVE_WORDS | AUXILIARIES or words[0] in ("the", "a", "an", "and", "of", "as", "by", "with", "to")
                         or CUE_RE.fullmatch(words[0])):  # '," said head librarian Emma Clarke'
            ds = text.index(words[1], ds) if len(words) > 1 else ns
            words = words[1:]
        if words:
            spans.append((ds, at + m.end(2)))
    # After: "Name, a professor at ... who ..." / "Name, who works at ...".
    after = _DESCRIPTION_AFTER.match(text, ne, se)
    # "Greggson's, the family-owned bakery chain": a possessive names what is theirs, not them.
    if after and not _POSSESSIVE_END.search(text[ns:ne]):
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


_ROLE_NOUN_LEN = max(map(len, ROLE_NOUNS))


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
    return text[j:q] in ROLE_NOUNS


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
