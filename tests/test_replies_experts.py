"""bot/replies/experts.py: /expert pages, /experts and the name autocomplete."""

from __future__ import annotations

import pytest

from bot.replies import experts
from bot.text import CHOICE_NAME_LIMIT, CHOICES_LIMIT
from index.models import Expert
from index.service import QAService


def test_autocomplete_choices_within_limits():
    long_name = "Professor " + "Verylongname " * 20
    people = [Expert(name=f"Person {i:02d}", titles=["t" * 150]) for i in range(40)] + [Expert(name=long_name.strip())]

    class Svc:
        def experts(self):
            return people

    choices = experts.expert_choices(Svc(), "")  # type: ignore[arg-type]
    assert len(choices) == CHOICES_LIMIT
    assert all(len(n) <= CHOICE_NAME_LIMIT and len(v) <= 100 for n, v in choices)
    assert experts.expert_choices(Svc(), "person 07")[0][1] == "Person 07"  # type: ignore[arg-type]


@pytest.mark.parametrize("per_page", [1, 5])
def test_expert_pages(toy_service: QAService, per_page: int):
    pages = experts.expert(toy_service, "Kowalska", per_page=per_page)
    assert len(pages) == (2 if per_page == 1 else 1)
    assert pages[0].title == "Anna Kowalska"
    assert "an engineer at the Coastal Institute" in pages[0].description
    assert "Quoted **2 times**" in pages[0].description


def test_expert_topic_ranks_quotes(toy_service: QAService):
    pages = experts.expert(toy_service, "Kowalska", "summer season")
    assert "summer season" in pages[0].fields[0].value


def test_unknown_expert_suggests(toy_service: QAService):
    [page] = experts.expert(toy_service, "Kowalsky")
    assert page.kind == "decline" and "Did you mean **Anna Kowalska**" in page.description


def test_experts_lists_everyone_quoted(toy_service: QAService):
    assert "Anna Kowalska" in experts.experts(toy_service).description
