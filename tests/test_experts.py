"""The experts registry, lookups, and the attribution contract the answering core uses."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from index.text.article import load_article, parse_article
from index.quotes.attribution import attribute
from index.quotes.experts import message
from index.models import ArticleMeta

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHIPPED = ROOT / "articles" / "trump-putin-alaska.txt"

TEXT = (
    "Talks in Geneva ended without a deal on Tuesday.\n"
    '"Europe is not losing this war. Europe is paying for it," says Daniel Boćkowski, a professor at the '
    "University of Białystok who specializes in international security.\n"
    '"Sanctions on oil will bite next winter," he adds.\n'
    "NATO chief Mark Rutte, however, is more optimistic. The alliance will hold, Rutte said.\n"
    '"The gas price is what matters for the economy," emphasizes Prof. Boćkowski.\n'
    "Anna Nowak\n"
)


def corpus():
    article = parse_article(TEXT, ArticleMeta(id="geneva"))
    return article, attribute([article])


def test_registry_entries_with_aliases_titles_descriptions_and_ordered_quotes():
    _, att = corpus()
    names = [e.name for e in att.experts]
    assert "Daniel Boćkowski" in names and "Mark Rutte" in names
    bockowski = next(e for e in att.experts if e.name == "Daniel Boćkowski")
    assert "Prof. Boćkowski" in bockowski.aliases and "Boćkowski" in bockowski.aliases
    assert bockowski.titles == ["Prof."]
    assert any("University of Białystok who specializes in international security" in d.text for d in bockowski.descriptions)
    starts = [q.start for q in bockowski.quotes]
    assert len(starts) == 3 and starts == sorted(starts)
    rutte = next(e for e in att.experts if e.name == "Mark Rutte")
    assert [d.text for d in rutte.descriptions] == ["NATO chief"]
    assert bockowski.articles == ["geneva"]


def test_the_byline_author_is_not_an_expert():
    _, att = corpus()
    assert att.authors == {"geneva": "Anna Nowak"}
    assert all(e.name != "Anna Nowak" for e in att.experts)


@pytest.mark.parametrize("query", ["bockowski", "BOĆKOWSKI", "prof. bockowski", "Daniel Bockowski", "Bockowsky", "Dr. Bokowski"])
def test_lookup_any_alias_case_diacritics_and_typos(query):
    _, att = corpus()
    found = att.lookup(query)
    assert found.expert is not None and found.expert.name == "Daniel Boćkowski"


def test_lookup_unknown_name_suggests_or_says_no_one():
    _, att = corpus()
    near = att.lookup("Ruttke Marcus")
    assert near.expert is None or near.expert.name == "Mark Rutte"
    nobody = att.lookup("Zzyzx")
    assert nobody.expert is None
    assert "No one by the name" in message(nobody)
    maybe = att.lookup("Rute")
    assert (maybe.expert and maybe.expert.name == "Mark Rutte") or "Mark Rutte" in maybe.suggestions


def test_lookup_with_topic_ranks_that_persons_quotes():
    _, att = corpus()
    ranked = att.lookup("Boćkowski", topic="gas price economy").expert
    assert ranked is not None and "gas price" in ranked.quotes[0].text
    ranked = att.lookup("Boćkowski", topic="oil sanctions").expert
    assert ranked is not None and "Sanctions on oil" in ranked.quotes[0].text


def test_speaker_of_inside_a_quote_and_null_for_narration():
    article, att = corpus()
    text = article.text
    s = text.index("Sanctions on oil")
    speaker = att.speaker_of("geneva", s, s + len("Sanctions on oil will bite next winter"))
    assert speaker is not None and speaker.name == "Daniel Boćkowski" and speaker.kind == "direct"
    assert speaker.description and "professor" in speaker.description
    s = text.index("Talks in Geneva")
    assert att.speaker_of("geneva", s, s + 40) is None
    assert att.speaker_of("other-article", s, s + 40) is None


def test_person_in_questions_aimed_at_a_person():
    _, att = corpus()
    assert att.person_in("What does Bockowski think about Europe?").name == "Daniel Boćkowski"
    assert att.person_in("what did rutte say?").name == "Mark Rutte"
    assert att.person_in("whats bockowski expecting from the talks").name == "Daniel Boćkowski"
    assert att.person_in("What are Bockowski's expectations?").name == "Daniel Boćkowski"
    assert att.person_in("rutte's thoughts on the talks").name == "Mark Rutte"
    assert att.person_in("When did the talks in Geneva end?") is None
    assert att.person_in("Where is Boćkowski's university?") is None  # not about what he says


def test_speaker_of_is_fast_with_thousands_of_quotes():
    paragraphs = []
    for i in range(1500):
        paragraphs.append(f'"Point number {i} is about the budget," said Jan Kowalski{chr(97 + i % 26)}son, a senior analyst.')
    article = parse_article("\n".join(paragraphs) + "\n", ArticleMeta(id="big"))
    att = attribute([article])
    assert len(att.quotes) >= 1500
    q = att.quotes[700]
    t0 = time.perf_counter()
    for _ in range(2000):
        speaker = att.speaker_of("big", q.start, q.end)
    per_call = (time.perf_counter() - t0) / 2000
    assert speaker is not None and speaker.name == q.speaker
    assert per_call < 0.0005


def test_seed_experts_resolve():
    path = SHARED / "eval" / "seed_experts.json"
    if not path.exists():
        pytest.skip(f"shared eval data not found at {path}")
    gold = json.loads(path.read_text(encoding="utf-8"))
    att = attribute([load_article(SHIPPED)])
    for query, name in gold["lookups_must_resolve"].items():
        found = att.lookup(query).expert
        assert found is not None and found.name == name, query
    for g in gold["experts"]:
        expert = att.lookup(g["name"]).expert
        assert expert is not None and expert.name == g["name"]
        texts = " | ".join(d.text for d in expert.descriptions)
        for piece in g.get("described_as_contains", []):
            assert piece in texts, (g["name"], piece)
        for title in g.get("titles", []):
            assert title in expert.titles, (g["name"], title)
        assert len(expert.quotes) >= g.get("quotes_at_least", 0)
    assert all(e.name != gold["author"] for e in att.experts)
    assert att.authors[load_article(SHIPPED).id] == gold["author"]


def test_a_short_quotation_with_a_long_attribution_gives_the_sentence_its_speaker():
    text = ('Residents worried about traffic.\n"It\'s going to be a nightmare for two years," said Karen Liu, '
            "who owns a bakery on Front Street near the bridge.\n")
    article = parse_article(text, ArticleMeta(id="bridge"))
    att = attribute([article])
    s = next(s for s in article.sentences if "nightmare" in text[s.start:s.end])
    speaker = att.speaker_of("bridge", s.start, s.end)
    assert speaker is not None and speaker.name == "Karen Liu"
    # a sentence with a short scare quote in a long narration is not the quoted person's
    first = article.sentences[0]
    assert att.speaker_of("bridge", first.start, first.end) is None


def test_a_firm_named_after_someone_or_where_people_work_is_not_described_as_a_person():
    text = (
        "Bakery chain grows\n"
        "Greggson's, the family-owned bakery chain, will open 12 new shops, the company said on Monday.\n"
        '"People still want a good pasty," said chief executive Claire Greggson, whose grandfather founded '
        "the business in 1951.\n"
        'Analysts at Peel Hunt said the expansion was "ambitious but well funded".\n'
    )
    att = attribute([parse_article(text, ArticleMeta(id="bakery"))])
    assert [e.name for e in att.experts] == ["Claire Greggson"]
    descriptions = [d.text for d in att.experts[0].descriptions]
    assert "the family-owned bakery chain" not in descriptions  # that is Greggson's, the firm
    assert "chief executive" in descriptions
    assert "whose grandfather founded the business in 1951" in descriptions
