"""index.conversation and index.answer.followups: follow-ups read with the last turn ("why?", "tell me more",
"who said that?", "what else did she say?", "what about Kos?"), and what must not inherit a context."""

from __future__ import annotations

import pytest

from bot.conversations import reply_key, thread_key
from bot.terminal import respond
from index.answer import validate_in_context
from index.answer.followups import OWN_WORDS
from index.conversation import ConversationMemory, Turn, read_follow_up
from index.conversation.followups import name_the_pronoun, swap_subject
from index.corpus import Corpus
from index.models import Answer
from tests.test_answer import one_article

FERRY = (
    "Ferry to Hel suspended for the winter\n"
    "The ferry between Gdynia and Hel will stop running on 1 December. It stops because the harbour in Hel "
    "will be dredged.\n"
    "\"We expect to reopen in April,\" said Ewa Nowak, a spokeswoman for the operator. \"Tickets bought for "
    "December will be refunded,\" Nowak added.\n"
    "Mayor Jan Kos said the town would lose tourists. He asked the ministry for a replacement bus.\n"
    "\"This is a blow to our shops,\" said Kos.\n"
)


@pytest.fixture(scope="module")
def ferry() -> Corpus:
    return one_article(FERRY, "ferry")


def talk(corpus: Corpus, *questions: str) -> list[Answer]:
    """Ask each question with the turn the one before it left, as a thread would."""
    turn, out = None, []
    for q in questions:
        a = corpus.ask(q, context=turn)
        out.append(a)
        turn = Turn.after(a, turn)
    return out


# -- reading: which kind a follow-up is ------------------------------------------------------------

@pytest.mark.parametrize(("question", "kind"), [
    ("why?", "why"), ("how come?", "why"), ("and why is that?", "why"), ("Why not?", "why"),
    ("tell me more", "more"), ("go on", "more"), ("what happened next?", "more"), ("more please", "more"),
    ("who said that?", "who_said"), ("whose words are those?", "who_said"), ("says who?", "who_said"),
    ("what else did she say?", "what_else"), ("did he say anything else?", "what_else"),
    ("and what about Europe?", "swap"), ("what about Kallas?", "swap"), ("how about the EU", "swap"),
    ("and Europe?", "swap"),
    ("and will Zelensky attend?", "pronoun_or_none"), ("and can Trump win the Nobel prize?", "pronoun_or_none"),
    ("what did she say about Europe?", "pronoun"), ("Does he agree?", "pronoun"),
    # questions of their own
    ("Who sold Alaska?", None), ("Why did the ferry stop?", None), ("who said the ferry would run?", None),
    ("and who bought it?", None), ("What is the population of Hel?", None), ("Where will they meet?", None),
])
def test_the_kind_of_a_follow_up(question, kind):
    found = read_follow_up(question)
    if kind == "pronoun_or_none":  # a clause after "and" is a question, not a subject to swap in
        assert found is None or found.kind == "pronoun"
    else:
        assert (found.kind if found else None) == kind


@pytest.mark.parametrize(("last", "subject", "person_words", "is_person", "read_as"), [
    ("What does Bockowski think about Europe?", "Asia", frozenset({"bockowski"}), False,
     "What does Bockowski think about Asia?"),
    ("What does Bockowski think about Europe?", "Kallas", frozenset({"bockowski", "daniel"}), True,
     "What does Kallas think about Europe?"),
    ("What is Rutte's job?", "Kallas", frozenset({"rutte"}), True, "What is Kallas's job?"),
    ("When will the ferry stop running in Hel?", "Jastarnia", frozenset(), False,
     "When will the ferry stop running in Jastarnia?"),
    # a person where the last question has none to replace: added, not put in place of a place
    ("Where will they meet in Alaska?", "Kallas", frozenset(), True, "Where will they meet in Alaska — and Kallas?"),
    ("Who sold Alaska?", "Hawaii", frozenset(), False, "Who sold Alaska — and Hawaii?"),
    ("What did Putin say to Trump about Europe?", "Asia", frozenset(), False, "What did Putin say to Trump about Asia?"),
    # a subject added before is replaced, not piled up; one the question already holds is nothing to swap
    ("What did Rutte say — and Zelensky?", "Biden", frozenset(), True, "What did Rutte say — and Biden?"),
    ("Who sold Alaska?", "Alaska", frozenset(), False, None),
])
def test_swap_subject(last, subject, person_words, is_person, read_as):
    assert swap_subject(last, subject, person_words, is_person) == read_as


@pytest.mark.parametrize(("question", "read_as"), [
    ("what did she say about Europe?", "what did Ewa Nowak say about Europe?"),
    ("Does he agree with her?", "Does Ewa Nowak agree with her?"),
    ("What is his view?", "What is Ewa Nowak's view?"),
    ("what is her job?", "what is Ewa Nowak's job?"),
    ("what did they say about her?", "what did they say about Ewa Nowak?"),
])
def test_name_the_pronoun(question, read_as):
    assert name_the_pronoun(question, "Ewa Nowak") == read_as


# -- answering ------------------------------------------------------------------------------------

def test_why_is_the_next_sentence_when_it_gives_the_reason(ferry):
    first, why = talk(ferry, "When will the ferry stop running?", "why?")
    assert first.answered and "1 December" in first.answer.text and first.read_as is None
    assert why.answered and "because the harbour in Hel will be dredged" in why.answer.text
    assert why.read_as == "When will the ferry stop running — why?" and why.question == "why?"
    assert FERRY[why.answer.start:why.answer.end] == why.answer.text


def test_tell_me_more_is_the_next_sentence_and_goes_on(ferry):
    first, more, further = talk(ferry, "When will the ferry stop running?", "tell me more", "go on")
    assert more.answered and more.answer.start >= first.answer.end
    assert further.answered and further.answer.start >= more.answer.end
    assert "reopen in April" in further.answer.text or "reopen in April" in more.answer.text


def test_who_said_that_names_the_speaker_of_the_last_answer(ferry):
    quote, who = talk(ferry, "What did Ewa Nowak say?", "who said that?")
    assert quote.answer.speaker.name == "Ewa Nowak"
    assert (who.answer.start, who.answer.end) == (quote.answer.start, quote.answer.end)
    assert who.answer.speaker.name == "Ewa Nowak" and who.read_as.startswith("Who said “")


def test_who_said_that_of_the_articles_own_words_says_so(ferry):
    _, who = talk(ferry, "When will the ferry stop running?", "who said that?")
    assert who.answered and who.answer.speaker is None and who.note == OWN_WORDS


def test_what_else_did_she_say_gives_her_other_quotations_then_says_that_is_all(ferry):
    first, other, none_left = talk(ferry, "What did Ewa Nowak say?", "what else did she say?", "what else did she say?")
    assert other.answered and other.answer.speaker.name == "Ewa Nowak"
    assert other.answer.start != first.answer.start and "refunded" in other.answer.text + first.answer.text
    assert other.read_as == "What else did Ewa Nowak say?"
    assert not none_left.answered and "all the article quotes Ewa Nowak" in none_left.reason


def test_what_about_someone_else_asks_the_last_question_of_them(ferry):
    _, kos = talk(ferry, "What did Ewa Nowak say?", "what about Kos?")
    assert kos.read_as == "What did Kos say?"
    assert kos.answered and kos.answer.speaker.name == "Jan Kos"


def test_a_pronoun_stands_for_the_person_of_the_conversation(ferry):
    _, shops = talk(ferry, "What did Kos say?", "what did he say about the shops?")
    assert shops.read_as == "what did Jan Kos say about the shops?"
    assert shops.answered and "blow to our shops" in shops.answer.text


def test_a_full_question_does_not_inherit_the_context(ferry):
    _, alone = talk(ferry, "What did Ewa Nowak say?", "Who asked the ministry for a replacement bus?")
    fresh = ferry.ask("Who asked the ministry for a replacement bus?")
    assert alone.read_as is None and alone == fresh


def test_without_a_context_a_follow_up_is_a_question_of_its_own(ferry):
    assert ferry.ask("why?").invalid and validate_in_context("why?", None) is not None
    turn = Turn(question="When will the ferry stop running?", article="ferry", start=0, end=10)
    assert validate_in_context("why?", turn) is None


def test_a_follow_up_after_a_decline_says_there_is_nothing_to_follow(ferry):
    declined, why = talk(ferry, "What is the population of Gdynia?", "why?")
    assert not declined.answered
    assert not why.answered and "no answer to follow up" in why.reason and why.read_as


def test_follow_ups_on_the_shipped_article(shipped_service):
    corpus = shipped_service.corpus
    first, more, who = talk(corpus, "Who sold Alaska?", "tell me more", "who said that?")
    assert first.answered and more.answered and more.answer.article == first.answer.article
    assert more.answer.start >= first.answer.end
    assert (who.answer.start, who.answer.end) == (more.answer.start, more.answer.end)
    # the conversation's question stays the one asked in full
    assert who.read_as.startswith("Who said") and Turn.after(who, Turn.after(more, Turn.after(first))).question == "Who sold Alaska?"


# -- memory: bounded in number and age, per conversation -------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _turn(q: str = "Who sold Alaska?") -> Turn:
    return Turn(question=q, article="a", start=0, end=5)


def test_memory_forgets_an_expired_conversation():
    clock = Clock()
    memory = ConversationMemory(max_age=600, clock=clock)
    memory.put("t", _turn())
    clock.now = 599
    assert memory.get("t") is not None
    clock.now = 599 + 601
    assert memory.get("t") is None


def test_memory_keeps_the_last_few_answers_of_a_conversation():
    memory = ConversationMemory(max_turns=2, clock=Clock())
    turn = Turn(question="q", seen=(("a", 0, 1), ("a", 2, 3), ("a", 4, 5)))
    memory.put("t", turn)
    assert memory.get("t").seen == (("a", 2, 3), ("a", 4, 5))
    for _ in range(10):  # however many follow-ups: the context stays
        memory.put("t", memory.get("t"))
    assert memory.get("t") is not None


def test_memory_with_no_age_keeps_nothing():
    memory = ConversationMemory(max_age=0, clock=Clock())
    memory.put("t", _turn())
    assert memory.get("t") is None


def test_memory_is_bounded_in_conversations():
    memory = ConversationMemory(max_conversations=3, clock=Clock())
    for i in range(5):
        memory.put(i, _turn(str(i)))
    assert len(memory) == 3 and memory.get(0) is None and memory.get(4).question == "4"


def test_conversation_keys_never_cross_users_in_a_reply_chain_or_servers():
    assert reply_key(1, 10, 99) != reply_key(1, 11, 99)  # another user replying to the same answer
    assert thread_key(1, 5) != thread_key(2, 5) and thread_key(1, 5) == thread_key(1, 5)


def test_the_terminal_chat_keeps_the_context_between_lines(shipped_service):
    memory = ConversationMemory()
    [first] = respond(shipped_service, "Who sold Alaska?", memory)
    [more] = respond(shipped_service, "tell me more", memory)
    assert more.answer.read_as and more.answer.answer.start >= first.answer.answer.end
    assert "Reading that as" in more.description
    [alone] = respond(shipped_service, "tell me more")  # no memory: no context
    assert alone.answer.read_as is None


def test_why_after_a_quotation_is_not_answered_with_another_speakers_reason(ferry):
    quote, why = talk(ferry, "What did Kos say?", "why?")
    assert quote.answer.speaker.name == "Jan Kos"
    # the only sentence with a reason ("because the harbour ...") is the article's, not his
    assert not why.answered and why.reason == "The article doesn't say why."


@pytest.mark.parametrize("question", [
    "Why did the Mayor say he would leave?",  # a capitalised word before "he": the question names him itself
    "Is Kos sure he will win?",
    "Where will Nowak go after she meets Kos?",
])
def test_a_pronoun_the_question_names_itself_is_left_alone(ferry, question):
    _, a = talk(ferry, "What did Ewa Nowak say?", question)
    assert a.read_as is None or "Ewa Nowak" not in a.read_as


def test_what_else_with_no_one_in_the_conversation_asks_whose_words(ferry):
    _, a = talk(ferry, "When will the ferry stop running?", "what else did he say?")
    assert not a.answered and a.reason.startswith("Whose words")


def test_the_person_asked_about_is_the_conversations_even_when_declined(ferry):
    declined, more = talk(ferry, "What does Kos think about the ferry to Gdynia?", "what else did he say?")
    assert more.read_as == "What else did Jan Kos say?" and more.answer.speaker.name == "Jan Kos"


def test_a_follow_up_after_the_article_changed_says_so_and_does_not_crash(ferry):
    first = ferry.ask("When will the ferry stop running?")
    turn = Turn.after(first)
    changed = one_article("Ferry news\nThe ferry runs.\n", "ferry")  # refreshed: shorter, the answer gone
    for follow in ("who said that?", "tell me more", "why?"):
        a = changed.ask(follow, context=turn)
        assert not a.answered and "changed since that answer" in a.reason
    moved = one_article("Ferry news\nA new first line.\n" + FERRY, "ferry")  # text inserted before it
    a = moved.ask("who said that?", context=turn)
    assert not a.answered and "changed" in a.reason
    gone = one_article("Other news\nNothing here.\n", "other")  # the article removed
    assert "changed since" in gone.ask("why?", context=turn).reason


def test_why_does_not_repeat_a_sentence_the_conversation_showed(ferry):
    _, why, again = talk(ferry, "When will the ferry stop running?", "why?", "why?")
    assert why.answered
    assert not again.answered or (again.answer.start, again.answer.end) != (why.answer.start, why.answer.end)
