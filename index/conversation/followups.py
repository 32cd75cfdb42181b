"""The follow-up kinds, as a table of patterns tried in order (FOLLOW_UPS): a question that is one of them
is read with the turn before it; any other is a question of its own.

    why       "why?", "how come?"                -> what gives the reason for the last answer
    more      "tell me more", "go on"            -> the sentence after the last answer
    who_said  "who said that?"                   -> the speaker of the last answer
    what_else "what else did she say?"           -> that person's other quotations
    swap      "and what about Europe?"           -> the last question with its subject replaced
    pronoun   "what did she say about Europe?"   -> the same question with the person named
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..text.tokenize import fold

Kind = Literal["why", "more", "who_said", "what_else", "swap", "pronoun"]
# The kinds that ask about the last answer, not a new question: the conversation's question stays.
ABOUT_THE_LAST_ANSWER: frozenset[Kind] = frozenset({"why", "more", "who_said", "what_else"})

_END = r"\s*[?!.…]*\s*$"
_OPEN = r"^\s*(?:(?:and|but|ok|okay|so|hm+|um+|wait|also)[\s,]+)*"

FOLLOW_UPS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("why", re.compile(_OPEN + r"(?:why(?:\s+(?:is\s+that|was\s+that|so|not|though|tho))?|how\s+come|for\s+what\s+reason"
                       r"|what(?:'s|\s+is)\s+the\s+reason|on\s+what\s+grounds|because\s+of\s+what)" + _END, re.I)),
    ("more", re.compile(_OPEN + r"(?:(?:(?:can|could)\s+you\s+)?tell\s+me\s+more(?:\s+about\s+(?:that|it|this))?|go\s+on|more|continue"
                        r"|keep\s+going|and\s+then|then\s+what|what\s+(?:happened\s+)?next|what\s+else|more\s+please"
                        r"|(?:any|some)\s+more\s+(?:details?|info)?|elaborate|details?)" + _END, re.I)),
    ("who_said", re.compile(_OPEN + r"(?:who\s+(?:said|says|wrote)\s+(?:that|this|it|so)|who(?:'s|\s+is|\s+was)\s+(?:that|this)"
                            r"\s+(?:quote\s+)?(?:from|by)|whose\s+(?:words|quote|view|opinion)\s+(?:is|are|was|were)\s+"
                            r"(?:that|this|those|these)|says\s+who|according\s+to\s+whom|who(?:'s|\s+is)\s+(?:the\s+)?"
                            r"(?:source|speaker)(?:\s+of\s+(?:that|this))?)" + _END, re.I)),
    ("what_else", re.compile(_OPEN + r"(?:what\s+else\s+(?:did|does|has)\s+(?:he|she|they|him|her)\s+(?:say|said|think|tell)"
                             r"|(?:did|does)\s+(?:he|she|they)\s+say\s+anything\s+else|anything\s+else\s+(?:from|by)\s+(?:him|her|them)"
                             r"|what\s+else\s+(?:is|was)\s+(?:he|she)\s+quoted\s+(?:saying|as\s+saying))" + _END, re.I)),
    ("swap", re.compile(_OPEN + r"(?:what|how)\s+about\s+(?P<subject>.+?)" + _END
                        + r"|^\s*(?:and|what\s+of)\s+(?P<subject2>(?!(?:why|how|what|who|when|where|which|is|are|does|did|do)\b).+?)" + _END,
                        re.I)),
    ("pronoun", re.compile(r"\b(?:he|she|him|her|his)\b", re.I)),
)


@dataclass(frozen=True)
class FollowUp:
    kind: Kind
    subject: str | None = None  # for a swap: what replaces the last question's subject


def read_follow_up(question: str) -> FollowUp | None:
    """The follow-up kind of a question, or None when it is a question of its own."""
    for kind, pattern in FOLLOW_UPS:
        m = pattern.search(question) if kind == "pronoun" else pattern.match(question)
        if m:
            subject = (m.groupdict().get("subject") or m.groupdict().get("subject2") or "").strip() or None
            return FollowUp(kind, subject)
    return None


# The last of these in a question begins its subject: "What does Boćkowski think about *Europe*?".
_TOPIC_START = re.compile(r"\b(?:about|on|of|regarding|concerning|for|with|in|to|from|at|by)\s+(?P<topic>[^?!.]+?)\s*[?!.]*\s*$",
                          re.I)
_WORD = re.compile(r"[^\W_][\w'’.-]*")


def swap_subject(question: str, subject: str, person_words: frozenset[str] = frozenset(),
                 new_names_a_person: bool = False) -> str:
    """The last question with its subject replaced: the person it names when `subject` names a person too
    ("What does Boćkowski think?" + "what about Kallas?"), else its topic, the words after its last
    preposition ("... about Europe?" + "what about Asia?"); else the subject added to it."""
    ask = question.strip().rstrip("?!. ")
    if new_names_a_person and person_words:
        words = [m for m in _WORD.finditer(ask) if fold(m.group(0).strip("'’.")) in person_words
                 or fold(re.sub(r"['’]s$", "", m.group(0))) in person_words]
        if words:
            possessive = re.search(r"['’]s$", words[-1].group(0))
            return ask[:words[0].start()] + subject + ("'s" if possessive else "") + ask[words[-1].end():] + "?"
    m = _TOPIC_START.search(ask)
    if m and not new_names_a_person:  # a person for a topic ("... meet in Alaska" + "Kallas?") reads wrong
        return ask[:m.start("topic")] + subject + "?"
    return f"{ask} — and {subject}?"


_PRONOUNS = re.compile(r"\b(?:(?P<obj>him|her)|(?P<subj>he|she)|(?P<poss>his))\b", re.I)


def name_the_pronoun(question: str, name: str) -> str:
    """"What did she say about Europe?" -> "What did Kaja Kallas say about Europe?" (the first pronoun only)."""
    def named(m: re.Match[str]) -> str:
        return f"{name}'s" if m.group("poss") else name
    return _PRONOUNS.sub(named, question, count=1)
