"""Intents: when a question is not a search of the article (a greeting, "what is this about?", "who wrote
it?", "who is <name>?", "where does she work?"), as a table (_INTENTS), the first that fits."""

from __future__ import annotations

import re
from typing import Callable, Literal

Intent = Literal["search", "about", "author", "published", "people", "who_is", "affiliation", "small_talk"]

# Questions about who wrote the article itself, not about a reporter in the story.
_AUTHOR_Q = re.compile(
    # "who wrote this?", "who wrote the op-ed about X?"; not "who wrote the novel?", a question about the story
    r"\bwho\s+(?:wrote|writes|authored|penned)(?:\s+(?:it|this|that|(?:the|this)\s+(?:article|story|piece|report|op-?ed|column|"
    r"editorial|post|text)\b(?:\s+(?:about|on)\b.*)?))?\s*[?!.]*\s*$"
    r"|\bwho(?:'s|\s+is|\s+was)\s+the\s+(?:author|writer|journalist|reporter)\s*(?:of\s+(?:the|this)\s+(?:article|story|piece|report|op-?ed|column)\b|\?|$)"
    r"|\b(?:author|writer|byline)\s+of\s+(?:the|this)\s+(?:article|story|piece|report)\b|^\s*(?:the\s+)?(?:author|byline)\s*\??\s*$",
    re.I,
)
# "When was it published?": the article's own date, which its page gives (not a date in the story: "when was
# the treaty published?" is a search).
# ("the report" is often one the story is about, so only "this report" is the article itself.)
_THIS = r"(?:it|this|that|the\s+(?:article|story|piece)|this\s+(?:article|story|piece|report|text))"
_PUBLISHED_Q = re.compile(
    rf"^\W*(?:when\s+(?:was|is|did)\s+{_THIS}\s+(?:published|written|posted|put\s+out|come\s+out|came\s+out|out|from|dated)"
    rf"|(?:what(?:'s|’s|s|\s+is)\s+)?(?:the\s+)?(?:date|publication\s+date|published\s+date)(?:\s+of\s+{_THIS})?"
    rf"|how\s+old\s+is\s+{_THIS})\W*$",
    re.I,
)
# "Who is quoted?", "who's in the article?", "which experts?": the people quoted, not a search for a
# sentence ("who is quoted about the ferry?" asks for one person's words, and is a search).
_IN_IT = r"(?:\s+(?:in|by)\s+" + _THIS + r"|\s+here)?"
_PEOPLE_Q = re.compile(
    r"^\W*(?:(?:so\s+)?(?:who(?:'s|’s|s|\s+is|\s+are|\s+gets?|\s+was|\s+were)\s+(?:(?:being\s+)?(?:quoted|cited|interviewed)|in\s+" + _THIS + ")"
    r"|who\s+(?:does|did)\s+" + _THIS + r"\s+(?:quote|cite|interview)"
    r"|who\s+(?:speaks|talks)"
    r"|(?:which|what)\s+(?:experts?|people|persons|sources|officials|voices)(?:\s+(?:are|were|is|does\s+it|did\s+it)\s+(?:quoted|cited|interviewed|quote|cite))?"
    r"|who\s+are\s+the\s+(?:experts?|people|sources|speakers)(?:\s+(?:quoted|cited))?"
    r"|(?:list\s+)?(?:the\s+)?(?:people|experts|sources)\s+(?:quoted|cited)"
    r"|(?:the\s+)?(?:experts|sources)))" + _IN_IT + r"\W*$",
    re.I,
)
# "What is this article about?", "summarize it", "tl;dr": a news article's lead sentence says what it is about.
_ABOUT_Q = re.compile(
    r"^\W*(?:(?:so\s+)?what(?:'s|\s+is)\s+(?:this|the|that|it)(?:\s+(?:article|story|piece|report|text))?(?:\s+all)?\s+about"
    r"|(?:(?:can|could|would)\s+you\s+|please\s+)?(?:summari[sz]e|sum\s+up|tell\s+me\s+about)(?:\s+(?:the|this|it))?"
    r"(?:\s+(?:article|story|piece|report|text))?"
    r"|what(?:'s|\s+is|\s+are)\s+the\s+(?:main\s+point|(?:main|key|big)\s+(?:takeaways?|idea|story|news))"
    r"(?:\s+(?:here|of\s+(?:the|this)\s+(?:article|story|piece|report)))?"
    r"|(?:give\s+me\s+)?(?:a\s+|the\s+)?(?:summary|tl;?\s?dr|gist|main\s+points?|key\s+points?)"
    r"(?:\s+of\s+(?:the|this)\s+(?:article|story|piece|report))?)(?:\s+(?:for\s+me|please))?\W*$",
    re.I,
)
# Greetings and thanks are not questions: they get a hint, not a search.
_GREETING = (r"(?:hi|hello|hey|yo|hiya|thanks|thank\s+you|thx|ty|ok|okay|cool|nice|great|bye"
             r"|good\s+(?:morning|afternoon|evening|night))")
_SMALL_TALK = re.compile(
    rf"^\W*{_GREETING}(?:[\s,.!]+(?:{_GREETING}|bot|there|all|everyone|so\s+much|a\s+lot))*\W*$", re.I
)
# "Who is Zelensky?": a name alone. The sentence that names the person most fully ("Volodymyr Zelensky",
# "Ukrainian President Volodymyr Zelensky") says who they are better than a passing "call Zelensky".
_WHO_IS = re.compile(r"^\s*who\s*(?:is|was|'s|’s)\s+(?!(?:the|a|an|this|that|he|she|it|they)\b)[^\W\d_][\w'’.-]*"
                     r"(?:\s+[^\W\d_][\w'’.-]*){0,3}\s*\??\s*$", re.I)


# "Zelensky?", "kaja kallas": a name alone asks who that is, like "Who is Zelensky?" (a bare word
# that no sentence capitalises, "ceasefire?", is searched as usual).
_BARE_NAME = re.compile(r"^\s*(?!(?:who|what|when|where|why|how|which|is|are|does|did|do|can|will)\b)"
                        r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2}\s*\??\s*$", re.I)
# "Where does Brunner work?", "What does she do?", "Which university is Bockowski from?": the person's
# description ("a glaciologist at ETH Zurich") answers, wherever the article gives it.
_AFFILIATION_Q = re.compile(
    r"^\s*(?:(?:where|who)\s+(?:does|did|do)\s+.+?\s+(?:work|teach|lecture|study|research)(?:\s+(?:for|at|in))?"
    r"|what\s+(?:does|did)\s+.+?\s+do(?:\s+for\s+a\s+living)?"
    r"|what\s+is\s+.+?['’]s\s+(?:job|role|position|title|profession|affiliation)"
    r"|(?:which|what)\s+(?:university|institute|institution|organi[sz]ation|company|firm|agency)\s+(?:is|does|did)\s+.+?"
    r"\s+(?:from|with|at|work\s+(?:for|at)|teach\s+at|represent))\s*\??\s*$",
    re.I,
)


# In order: the first that fits is the intent.
_INTENTS: tuple[tuple[Callable[[str], object], Intent], ...] = (
    (_SMALL_TALK.match, "small_talk"), (_ABOUT_Q.match, "about"), (_AUTHOR_Q.search, "author"),
    (_PUBLISHED_Q.match, "published"), (_PEOPLE_Q.match, "people"), (_WHO_IS.match, "who_is"),
    (_BARE_NAME.match, "who_is"),
    (_AFFILIATION_Q.match, "affiliation"),
)


def intent_of(text: str) -> Intent:
    """A greeting, a request for what the article is about or for its author, "who is <name>?", or a search."""
    return next((intent for fits, intent in _INTENTS if fits(text)), "search")
