"""Turn a question into an extractive Answer: a verbatim sentence, or an honest decline."""

from __future__ import annotations

import re
from typing import Protocol

from .lexicon.speech import ASKING_FOR_WORDS, SAYING_WORDS
from .models import Answer, AnswerSpan, Candidate, Expert, Span, Speaker
from .question import MAX_QUESTION_CHARS, Question, analyse, analyse_terms
from .text.tokenize import STOPWORDS, fold, term_of, tokenize
from .retrieval.search import Scored, SearchIndex
from .text.segment import ABBREVIATIONS
from .text.spelling import is_english_word

# Below this idf-weighted share of the question's terms found around the best sentence,
# the article is taken not to cover the question. Fitted with questions from other
# SQuAD articles as off-topic questions (scripts/eval.py), not on the shipped article.
MIN_COVERAGE = 0.5
# A sentence of the asked-for type (a number for "how much") may cover a little less.
MIN_COVERAGE_TYPED = 0.4
RELATED = 3
# Add the neighbouring sentence when it holds at least this much more of the question's terms.
PAIR_GAIN = 0.3
# ... or completes it: each sentence holds some of the question, the two hold all of it.
PAIR_GAIN_COMPLETE = 0.15

_EDGE_PUNCTUATION = "\"“”‘’'()[],.;:!?"
HOW_TO_ASK = "Ask who, what, when, where, why or how much, and I'll answer in the article's own words."
WHO_IS_CANDIDATES = 50  # sentences naming the person looked at: a name mentioned often is named in full once
# How much of each of those sentences is read for the name: the longest sentence in the evaluation sets has
# 1,222 characters; reading a 2 MB one took 150 ms a question.
MENTION_CHARS = 4000
# "When ...?", "how many ...?", "how much ...?": a sentence with no date, number or amount in it does not
# answer these, however many of the question's words it holds ("How old is Putin?" -> "the old method").
# On SQuAD: 48 more unanswerable questions declined for 9 fewer answered right (tagger misses such as
# "Decision Time" or "during the Second World War"). "What do his mistakes cost?" may be answered in
# words ("more than they cost him"); "how much" asks for an amount.
TYPE_REQUIRED = frozenset(("time", "clock", "duration", "number", "measure"))
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
# Words asking for someone's words ("What does Bockowski *think*?") and verbs of saying a quotation's own
# sentence may use ("She *emphasized* that ..."), as index terms (index.lexicon.speech).
_SPEECH_TERMS = frozenset(tokenize(" ".join(ASKING_FOR_WORDS)))
_SAYING_TERMS = frozenset(tokenize(" ".join(SAYING_WORDS)))
_REFERS_BACK = re.compile(r"\b(?:he|him|his|she|her|it|its|they|them|their|this|that|these|those)\b", re.I)


class SpeakerSource(Protocol):
    """What the answering core needs from attribution (index.quotes.attribution provides it)."""

    def speaker_of(self, article: str, start: int, end: int) -> Speaker | None: ...

    def person_in(self, question: str, *, opinion: bool = True) -> Expert | None: ...


def decline(question: str, reason: str, related: list[Candidate] | None = None, *, invalid: bool = False) -> Answer:
    return Answer(question=question, answered=False, confidence=0.0, reason=reason, related=related or [], invalid=invalid)


def validate(question: str, q: Question | None = None) -> str | None:
    """Why a question cannot be searched at all, or None. Pure and cheap: the bot checks it before
    it takes a question on, so that a bad one gets a private reply. `q` is the question already
    analysed, if it is."""
    if not question or not question.strip():
        return "The question is empty: ask something about the article."
    if len(question) > MAX_QUESTION_CHARS:
        return f"The question is {len(question):,} characters long; please keep it under {MAX_QUESTION_CHARS}."
    q = q or analyse(question.strip())
    if q.intent == "small_talk":
        return f"That isn't a question about the article. {HOW_TO_ASK}"
    if q.intent not in ("about", "author") and not q.terms:
        return f"The question has no words to look up in the article. {HOW_TO_ASK}"
    return None


def answer(index: SearchIndex, question: str, speakers: SpeakerSource | None = None, article: str | None = None) -> Answer:
    """The answer from the index's articles, or from the one whose id is `article`."""
    q = analyse(question.strip()) if question and len(question) <= MAX_QUESTION_CHARS else None
    problem = validate(question, q)
    scope = next((i for i, a in enumerate(index.articles) if a.id == article), None) if article is not None else None
    if article is not None and scope is None:
        problem = problem or f"There is no article {article!r} to ask about."
    if problem or q is None:
        return decline(question, problem or "", invalid=True)
    if q.intent == "about":
        lead = _lead_answer(index, q, speakers, scope)
        if lead is not None:
            return lead
    if q.intent == "author":
        byline = _byline_answer(index, q, speakers, scope)
        if byline is not None:
            return byline
        credited = [i for i, a in enumerate(index.articles) if a.meta.author]
        about = _article_asked_about(index, q, credited, scope)
        if about is not None:  # a web page names its author in its metadata, not always in the text
            author = index.articles[about].meta.author
            return decline(question, f"The article's text has no byline; its page credits {author}.")
    if not q.terms:
        return decline(question, "The article doesn't say.")
    if q.intent == "affiliation" and speakers is not None:
        described = _description_answer(index, q, speakers, scope)
        if described is not None:
            return described
    q = _without_absent_speech(index, index.spelled(q, is_english_word))
    ranked: list[Scored] = []
    person = speakers.person_in(question) if speakers is not None else None
    if person is not None:
        # "What does Bockowski think about Europe?": search his quotations for the rest of the question.
        rows = _rows_in_quotes(index, person)
        if scope is not None:
            rows = rows & set(index.rows_of(scope))
        topic = _without_names(q, person)
        if rows:
            theirs = index.rank(topic, limit=1 + RELATED, restrict=rows) if topic.terms else []
            if theirs and _covers(theirs[0]):
                ranked, q = theirs, topic
            elif set(topic.terms) <= _SAYING_TERMS:  # "What does Bockowski say / predict?": his first quotation
                return _compose(index, q, Scored(min(rows), 1.0, 1.0, 0.0), [], speakers, pair=False)
            else:
                # Reported speech lies outside their quotations: "Did Trump say he'd call Zelensky?" ->
                # "Before that, Trump argued, he would call Zelensky." It names them.
                names = _name_terms(person)
                ranked = [s for s in index.rank(q, limit=1 + RELATED, article=scope)
                          if names & index.sentences[s.row].terms]
                if theirs and not (ranked and _covers(ranked[0])):
                    # Asked about what someone said: show what they did say, closest first.
                    return decline(question, f"The article doesn't quote {person.name} on that.",
                                   [_candidate(index, s.row, s.score, speakers) for s in theirs[:RELATED]])
    if not ranked:
        ranked = index.rank(q, limit=1 + RELATED, article=scope)
        fullest = _fullest_mention(index, q, scope) if ranked and q.intent == "who_is" else None
        if fullest is not None:
            ranked = [fullest] + [s for s in ranked if s.row != fullest.row][:RELATED]
    if not ranked:
        return decline(question, "Nothing in the article matches the question.", _related(index, q, scope))
    best = ranked[0]
    type_required = q.answer_type in TYPE_REQUIRED or (q.answer_type == "money" and _HOW_MUCH.search(q.text))
    # A bare number half answers "how many metres"; it does not say how tall something is.
    least = 1.0 if q.answer_type == "measure" else 1e-9
    if type_required and best.type_match < least:
        # the next best that holds one, if it holds enough of the question
        typed = next((s for s in ranked if s.type_match >= least and s.coverage >= MIN_COVERAGE_TYPED), None)
        if typed is None:
            return decline(question, "The article doesn't say.", _related(index, q, scope))
        best, ranked = typed, [typed] + [s for s in ranked if s is not typed]
    if not _covers(best):
        return decline(question, "The article doesn't say.", _related(index, q, scope))
    section = _section_under(index, best.row)
    if section is not None:  # "What are the key points?" matches the heading; the points are below it
        return _compose(index, q, Scored(section, best.score, best.coverage, best.type_match),
                        [s for s in ranked[1:] if s.row != section], speakers, pair=False)
    return _compose(index, q, best, ranked[1:], speakers)


def _covers(best: Scored) -> bool:
    """Whether a sentence holds enough of the question to answer it (a little less will do when it holds
    something of the asked-for type)."""
    return best.coverage >= (MIN_COVERAGE_TYPED if best.type_match >= 1.0 else MIN_COVERAGE)


def _section_under(index: SearchIndex, row: int) -> int | None:
    """For a heading, the first sentence of the text under it (None for any other sentence, or a
    heading with nothing under it): a heading names a section, it answers nothing itself."""
    if index.sentences[row].kind != "heading":
        return None
    article = index.sentences[row].article
    for r in range(row + 1, len(index.sentences)):
        below = index.sentences[r]
        if below.article != article:
            return None
        if below.kind in ("body", "bullet", "interview"):
            return r
    return None


def _confidence(best: Scored) -> float:
    return round(min(1.0, 0.8 * best.coverage + 0.2 * best.type_match), 3)


def _compose(
    index: SearchIndex, q: Question, best: Scored, others: list[Scored], speakers: SpeakerSource | None, pair: bool = True
) -> Answer:
    row = index.sentences[best.row]
    article = index.articles[row.article]
    start, end = row.sentence.start, row.sentence.end
    neighbours = [n for n in (best.row - 1, best.row + 1) if 0 <= n < len(index.sentences) and index.sentences[n].passage == row.passage]
    if pair and neighbours:
        # Two sentences when the question's words are split between them: "Why could Putin be
        # arrested?" -> "Putin is wanted by the ICC ..." + "... not obligated to arrest him."
        own = index.coverage(q, [best.row])
        # On a tie, a sentence that refers back ("arrest *him*") takes the one before it.
        back = _REFERS_BACK.search(article.text[start:end]) is not None
        pairs = [(index.coverage(q, [best.row, n]), (n < best.row) == back, n) for n in neighbours]
        both, _, n = max(pairs, default=(0.0, False, -1))
        if both - own >= PAIR_GAIN or (both >= 0.99 and both - own >= PAIR_GAIN_COMPLETE):
            start = min(start, index.sentences[n].sentence.start)
            end = max(end, index.sentences[n].sentence.end)
    paragraph = article.paragraph(row.sentence.paragraph)
    return Answer(
        question=q.text,
        answered=True,
        confidence=_confidence(best),
        answer=AnswerSpan(
            text=article.text[start:end],
            start=start,
            end=end,
            article=article.id,
            paragraph=paragraph.number,
            speaker=speakers.speaker_of(article.id, start, end) if speakers else None,
        ),
        excerpt=article.span(paragraph.start, paragraph.end),
        related=[_candidate(index, s.row, s.score, speakers) for s in others],
        article_title=article.meta.title,
    )


def _description_answer(index: SearchIndex, q: Question, speakers: SpeakerSource, scope: int | None) -> Answer | None:
    """The sentence that describes the quoted person the question names ("Where does Brunner work?" ->
    "..., said Dr. Lena Brunner, a glaciologist at ETH Zurich who led the study."), or None."""
    person = speakers.person_in(q.text, opinion=False)
    if person is None or not person.descriptions:
        return None
    # "Where ... work?" wants a place of work: a description naming one ("at the University of ...") first.
    described = sorted(person.descriptions, key=lambda d: not re.search(r"\b(?:at|of|from|with|for)\s+(?:the\s+)?[A-Z]", d.text))
    for description in described:
        for a_idx, article in enumerate(index.articles):
            if (scope is not None and a_idx != scope) or article.id not in person.articles:
                continue
            if article.text[description.start:description.end] != description.text:
                continue
            row = next((r for r in index.rows_of(a_idx)
                        if index.sentences[r].sentence.start <= description.start < index.sentences[r].sentence.end), None)
            if row is not None:
                return _compose(index, q, Scored(row, 1.0, 1.0, 1.0), [], speakers, pair=False)
    return None


def _fullest_mention(index: SearchIndex, q: Question, scope: int | None) -> Scored | None:
    """The first sentence that names the person most fully ("Volodymyr Zelensky will not be at the
    table" over "he would call Zelensky"): in a news article, the introduction. None when no
    sentence other than a headline holds the whole name."""
    name = set(q.unique_terms)
    best, most = None, (0, False)
    for row in sorted(index.sentences_with(q, WHO_IS_CANDIDATES, scope)):  # in article order
        sentence = index.sentences[row]
        if sentence.kind == "heading" or not name <= sentence.terms:  # a headline capitalises every word
            continue
        mention = _mention(_text_start(index, row), name)
        if mention > most:
            best, most = row, mention
    return Scored(best, 1.0, 1.0, 1.0) if best is not None else None


def _text_start(index: SearchIndex, row: int) -> str:
    """A sentence's text, or its first MENTION_CHARS characters (a sentence that long is no news article's)."""
    s = index.sentences[row].sentence
    return index.articles[index.sentences[row].article].text[s.start:min(s.end, s.start + MENTION_CHARS)]


def _abbreviation(token: str) -> bool:
    """"Dr.", "Prof.", "F.": a title or an initial, which goes on into the name after it."""
    return token.endswith(".") and (len(token) <= 3 or fold(token[:-1]) in ABBREVIATIONS)


def _mention(text: str, name: set[str]) -> tuple[int, bool]:
    """(capitalised words in the longest run that holds the name, whether that run opens the sentence):
    "President Volodymyr Zelensky" is 3; a sentence that opens with the name is about the person. "The"
    opening a sentence does not count, and "Trump-Putin" is a compound, not a mention of Putin."""
    longest, opens = 0, False
    run, named, first = 0, False, 0
    tokens = text.split()
    for i, token in enumerate(tokens + [""]):
        word = token.strip(_EDGE_PUNCTUATION)
        if word[:1].isupper() and fold(word) not in STOPWORDS:
            if run == 0:
                first = i
            run, named = run + 1, named or term_of(word) in name
            if token[-1:] not in _EDGE_PUNCTUATION or token[-1:] in "'’" or _abbreviation(token):
                continue
        if named and (run, first == 0) > (longest, opens):
            longest, opens = run, first == 0
        run, named = 0, False
    return longest, opens


def _candidate(index: SearchIndex, row_idx: int, score: float, speakers: SpeakerSource | None) -> Candidate:
    row = index.sentences[row_idx]
    article = index.articles[row.article]
    s = row.sentence
    return Candidate(
        text=article.text[s.start:s.end],
        start=s.start,
        end=s.end,
        article=article.id,
        paragraph=s.paragraph,
        score=round(score, 4),
        speaker=speakers.speaker_of(article.id, s.start, s.end) if speakers else None,
    )


def _related(index: SearchIndex, q: Question, scope: int | None) -> list[Candidate]:
    """The closest passages, offered instead of an answer when the article doesn't say."""
    out = []
    for p_idx, score in index.top_passages(q, RELATED, scope):
        passage = index.passages[p_idx]
        article = index.articles[passage.article]
        para = article.paragraph(passage.paragraph)
        out.append(Candidate(
            text=article.text[para.start:para.end], start=para.start, end=para.end,
            article=article.id, paragraph=para.number, score=round(score, 4), speaker=None,
        ))
    return out


def _rows_in_quotes(index: SearchIndex, person: Expert) -> set[int]:
    """Sentence rows that lie inside one of the person's quotations."""
    at = {article.id: a_idx for a_idx, article in enumerate(index.articles)}
    rows: set[int] = set()
    for quote in person.quotes:
        a_idx = at.get(quote.article)
        if a_idx is not None:
            rows.update(index.rows_overlapping(a_idx, quote.start, quote.end))
    return rows


def _without_absent_speech(index: SearchIndex, q: Question) -> Question:
    """"What do analysts *think*?": a verb asking for someone's words that the articles never use is not
    searched for ("Analysts at Peel Hunt said ..."); one they do use is ("I think Putin will ...")."""
    kept = [t for t in q.terms if t not in _SPEECH_TERMS or index.knows(t)]
    return analyse_terms(q, kept) if kept and len(kept) < len(q.terms) else q


def _name_terms(person: Expert) -> set[str]:
    return set(tokenize(" ".join([person.name, *person.aliases])))


def _without_names(q: Question, person: Expert) -> Question:
    """The question without the words naming the person ("Bockowski", "Prof.") or asking for
    their words ("think", "say"): what is left is the topic to find among their quotations."""
    name_terms = _name_terms(person) | set(tokenize(" ".join(person.titles))) | _SPEECH_TERMS
    return analyse_terms(q, [t for t in q.terms if t not in name_terms])


def _byline_answer(index: SearchIndex, q: Question, speakers: SpeakerSource | None, scope: int | None) -> Answer | None:
    """The byline of the article the question is about (the best-matching one when there are several)."""
    bylines = index.rows_of_kind("byline", last=True)
    about = _article_asked_about(index, q, list(bylines), scope)
    if about is None:
        return None
    return _compose(index, q, Scored(bylines[about], 1.0, 1.0, 1.0), [], speakers)


def _lead_answer(index: SearchIndex, q: Question, speakers: SpeakerSource | None, scope: int | None) -> Answer | None:
    """The lead of the article the question is about: the first sentence of its first body paragraph,
    which in a news article says what the story is."""
    leads = index.rows_of_kind("body", last=False)
    about = _article_asked_about(index, q, list(leads), scope)
    if about is None:
        return None
    return _compose(index, q, Scored(leads[about], 1.0, 1.0, 1.0), [], speakers, pair=False)


def _article_asked_about(index: SearchIndex, q: Question, articles: list[int], scope: int | None) -> int | None:
    """Of `articles` (positions in index.articles), the one asked about: `scope` when given (None if it is not
    among them), else the one whose paragraphs best match the question, the first when nothing matches (the
    question names no article) or there is only one; None when `articles` is empty."""
    if scope is not None or not articles:
        return scope if scope in articles else None
    if len(articles) == 1 or not q.terms:
        return articles[0]
    ranked = [index.passages[p].article for p, _ in index.top_passages(q, limit=len(index.passages))]
    return next((a for a in ranked if a in articles), articles[0])


__all__ = ["answer", "decline", "validate", "SpeakerSource", "Span"]
