"""Pydantic models shared by the CLI, the bot and the tests.

Every span is a pair of character offsets into the article text exactly as it
was decoded from its file: ``article.text[start:end] == span.text`` always holds,
so anyone can check an answer against the source.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .text.display import valid_text

ParagraphKind = Literal["body", "heading", "bullet", "pull_quote", "name_line", "interview", "byline"]
QuoteKind = Literal["direct", "indirect", "interview", "pull quote"]


class Span(BaseModel):
    """A verbatim piece of an article: ``text == article.text[start:end]``."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int


class ArticleMeta(BaseModel):
    """What we know about an article besides its text (from its sidecar file or the web page)."""

    id: str
    title: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "en"

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str) -> str:
        return safe_id(v)

    @field_validator("title", "author", "source", "published", "language")
    @classmethod
    def _encodable(cls, v: str | None) -> str | None:
        # A sidecar's JSON may hold "\\ud800": such a title could not be stored, printed or sent.
        return None if v is None else valid_text(v)

    @field_validator("url")
    @classmethod
    def _web_url(cls, v: str | None) -> str | None:
        # The url is shown as the link of every answer: Discord refuses an embed whose url is not
        # http(s), so a "file:" or "javascript:" url would make every answer from the article fail.
        if v is not None and not _WEB_URL.match(v):
            raise ValueError("not an http(s):// address")
        return v


_WEB_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
# Why categories, not a list: an id is shown in lines, logs and commands, where a newline, a control
# or format character (bidi override, zero-width space) or a surrogate would break or disguise it.
_ID_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def safe_id(raw: str) -> str:
    """An article id fit for one line: each run of control/format/unassigned characters becomes "-"."""
    marked = ["\0" if unicodedata.category(c) in _ID_UNSAFE else c for c in raw]
    if "\0" not in marked:
        return raw
    return re.sub("\0+", "-", "".join(marked)).strip("-") or "article"


class Paragraph(BaseModel):
    """One line-delimited block of the article, with the role it plays in a news layout."""

    model_config = ConfigDict(frozen=True)

    number: int  # 1-based, as a reader would count
    start: int
    end: int
    kind: ParagraphKind = "body"


class Sentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int  # 0-based position in Article.sentences
    paragraph: int  # Paragraph.number
    start: int
    end: int


class Article(BaseModel):
    """An article's text as read, plus the structure found in it."""

    meta: ArticleMeta
    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]

    @property
    def id(self) -> str:
        return self.meta.id

    def span(self, start: int, end: int) -> Span:
        return Span(text=self.text[start:end], start=start, end=end)

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]

    def sentences_of(self, paragraph: int) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == paragraph]


class Speaker(BaseModel):
    """Who said a quotation. ``name`` is the canonical full name when it could be resolved."""

    name: str
    description: str | None = None  # e.g. "professor at the University of Białystok", verbatim
    kind: QuoteKind = "direct"

    def line(self) -> str:
        """The attribution line shown under a quoted answer: "— Name, description"."""
        return f"— {self.name}, {self.description}" if self.description else f"— {self.name}"


class Quote(BaseModel):
    """A quotation found in an article: its exact span, who said it, the cue and its kind."""

    article: str
    text: str
    start: int
    end: int
    speaker: str | None  # canonical name; None when no speaker could be found
    cue: str | None = None
    kind: QuoteKind = "direct"
    speaker_start: int | None = None  # where the speaker is named for this quote, if it is
    speaker_end: int | None = None


class Expert(BaseModel):
    """One person quoted in an article."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    descriptions: list[Span] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


class ExpertLookup(BaseModel):
    """The result of looking a person up by name: the match, or suggestions."""

    query: str
    expert: Expert | None = None
    suggestions: list[str] = Field(default_factory=list)
    topic: str | None = None


class AnswerSpan(BaseModel):
    """The answer sentence(s): verbatim text and where it stands in the article."""

    text: str
    start: int
    end: int
    article: str
    paragraph: int
    speaker: Speaker | None = None


class Candidate(BaseModel):
    """A ranked sentence or passage that was not chosen as the answer (or that is related)."""

    text: str
    start: int
    end: int
    article: str
    paragraph: int
    score: float
    speaker: Speaker | None = None


class PersonQuoted(BaseModel):
    """One line of "who is quoted?": a person, how the article describes them, how often they are quoted."""

    name: str
    description: Span | None = None  # verbatim, in the first article that describes them
    articles: list[str] = Field(default_factory=list)
    quotes: int = 0

    def line(self) -> str:
        """"Daniel Boćkowski (6 quotes) — professor at the University of Białystok"."""
        head = f"{self.name} ({self.quotes} quote{'' if self.quotes == 1 else 's'})"
        return f"{head} — {self.description.text}" if self.description else head


class PageFact(BaseModel):
    """What the article's page says about it, not its text (the author it credits, its date): said as such."""

    article: str
    field: Literal["author", "published"]
    value: str

    def line(self) -> str:
        """The fact, said as the page's and not the text's."""
        if self.field == "author":
            return f"The article's text has no byline; its page credits {self.value}."
        return f"The article's page dates it {self.value} (the page's metadata, not the article's text)."


class Answer(BaseModel):
    question: str
    answered: bool
    confidence: float = Field(ge=0.0, le=1.0)
    answer: AnswerSpan | None = None
    excerpt: Span | None = None
    related: list[Candidate] = Field(default_factory=list)
    reason: str | None = None  # why the question was declined, in one line
    # True when the question itself could not be searched (empty, too long, no words, a greeting):
    # `reason` says why and how to ask; the article was not consulted.
    invalid: bool = False
    article_title: str | None = None
    # "Who is quoted?": the people quoted (answered, with no sentence); "when was it published?": the page's date.
    people: list[PersonQuoted] = Field(default_factory=list)
    page_fact: PageFact | None = None
    # A follow-up ("why?", "what about Kallas?") read with the conversation's last turn: the question it was read as.
    read_as: str | None = None
    # "The article may answer it in one of these sentences": the best two when they are too close to choose
    # between, or hold only part of the question. `answered` is then False: no one sentence is the answer.
    alternatives: list[AnswerSpan] = Field(default_factory=list)
    note: str | None = None  # a line said with an answer: "No one is quoted saying it: these are the article's own words."
