"""Who said what: quotations, speakers and the experts registry for a set of articles.

This is the contract the rest of the core uses (see index.answer.SpeakerSource);
index.quotes finds quotations and index.experts builds the registry.
"""

from __future__ import annotations

from .models import Article, Expert, ExpertLookup, Quote, Speaker


class Attribution:
    """Quotations and experts of a set of articles. Immutable once built."""

    def __init__(self, quotes: list[Quote], experts: list[Expert], authors: dict[str, str]):
        self.quotes = quotes
        self.experts = experts
        self.authors = authors  # article id -> byline name: authors are not experts

    def speaker_of(self, article: str, start: int, end: int) -> Speaker | None:
        """The speaker of the quotation that contains most of article[start:end], if any."""
        best: Quote | None = None
        best_overlap = 0
        for quote in self.quotes:
            if quote.article != article or quote.speaker is None:
                continue
            overlap = min(end, quote.end) - max(start, quote.start)
            if overlap > best_overlap:
                best, best_overlap = quote, overlap
        if best is None or best_overlap * 2 < (end - start):
            return None
        return Speaker(name=best.speaker, description=self._description(best.speaker), kind=best.kind)

    def _description(self, name: str) -> str | None:
        for expert in self.experts:
            if expert.name == name and expert.descriptions:
                return expert.descriptions[0].text
        return None

    def person_in(self, question: str) -> Expert | None:
        """The quoted person a question is aimed at ("What does Bockowski think ..."), if any."""
        return None

    def lookup(self, name: str, topic: str | None = None) -> ExpertLookup:
        return ExpertLookup(query=name, topic=topic)


def attribute(articles: list[Article]) -> Attribution:
    authors = {a.id: a.meta.author for a in articles if a.meta.author}
    return Attribution(quotes=[], experts=[], authors=authors)
