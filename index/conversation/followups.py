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
# Words that begin a question or a clause, not a subject: "and *will* Zelensky attend?"
_NOT_A_SUBJECT = (r"(?:why|how|what|who|whom|whose|when|where|which|is|are|was|were|am|be|does|did|do|has|have|had|will"
                  r"|would|can|could|should|shall|may|might|must|if|then|so|not|he|she|they|it|i|you|we)")
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
    # "and what about Kallas?", "and Europe?": a short noun phrase ("and will Zelensky attend?" is a question)
    ("swap", re.compile(_OPEN + r"(?:what|how)\s+about\s+(?P<subject>(?:[^\s?!.]+\s*){1,5}?)" + _END
                        + r"|^\s*(?:and|what\s+of)\s+(?P<subject2>(?!" + _NOT_A_SUBJECT + r"\b)(?:[^\s?!.]+\s*){1,5}?)" + _END,
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


# The last of these in a question begins its subject: "What did Putin say to Trump about *Europe*?".
_PREPOSITION = re.compile(r"\b(?:about|on|of|regarding|concerning|for|with|in|to|from|at|by)\s+(?=[^\s?!.])", re.I)
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_ADDED = " — and "


def swap_subject(question: str, subject: str, person_words: frozenset[str] = frozenset(),
                 new_names_a_person: bool = False) -> str | None:
    """The last question with its subject replaced: the person it names when `subject` names a person too
    ("What does Boćkowski think?" + "what about Kallas?"), else its topic, the words after its last
    preposition ("... about Europe?" + "what about Asia?"); else the subject added to it ("— and Kallas?",
    replacing one added before). None when the last question already holds the subject: nothing to swap."""
    ask = question.strip().rstrip("?!. ")
    if _ADDED in ask:
        ask = ask[:ask.index(_ADDED)]
    folded = {fold(w.group(0)) for w in _WORD.finditer(ask)}
    if all(fold(w.group(0)) in folded for w in _WORD.finditer(subject)):
        return None
    if new_names_a_person and person_words:
        words = [m for m in _WORD.finditer(ask) if fold(m.group(0).strip("'’.")) in person_words
                 or fold(re.sub(r"['’]s$", "", m.group(0))) in person_words]
        if words:
            possessive = re.search(r"['’]s$", words[-1].group(0))
            return ask[:words[0].start()] + subject + ("'s" if possessive else "") + ask[words[-1].end():] + "?"
    starts = list(_PREPOSITION.finditer(ask))
    if starts and not new_names_a_person:  # a person for a topic ("... meet in Alaska" + "Kallas?") reads wrong
        return ask[:starts[-1].end()] + subject + "?"
    return f"{ask}{_ADDED}{subject}?"


_PRONOUNS = re.compile(r"\b(?:(?P<her>her)(?P<next>\s+[^\W\d_][\w'’-]*)?|(?P<subj>he|she|him)|(?P<poss>his))\b", re.I)
# After "her", these mean it is the object ("say about her to ..."), not a possessive ("her job").
_AFTER_OBJECT_HER = frozenset("""about on to for with at in from of by and or but say said says think thinks tell told
ask asked when where why if that than""".split())


def name_the_pronoun(question: str, name: str) -> str:
    """"What did she say about Europe?" -> "What did Kaja Kallas say about Europe?" (the first pronoun only);
    "his" and a possessive "her" ("what is her job?") become "Kaja Kallas's"."""
    def named(m: re.Match[str]) -> str:
        if m.group("her") is not None:
            after = m.group("next") or ""
            possessive = bool(after) and after.strip().lower() not in _AFTER_OBJECT_HER
            return (f"{name}'s" if possessive else name) + after
        return f"{name}'s" if m.group("poss") else name
    return _PRONOUNS.sub(named, question, count=1)
