"""Verbs of saying: the words that turn a clause into someone's words ("said", "told", "points out").

Plain data (no imports from the index): index.quotes.patterns builds its cue pattern from these, and the
answering core reads the words a question uses to ask for someone's words. A new verb of saying is one
word in SPEECH_VERBS (regular) or one entry in IRREGULAR_FORMS, plus its row in tests/test_lexicon.py.
"""

from __future__ import annotations

IRREGULAR_FORMS = {
    "say": "say says said saying", "tell": "tell tells told telling", "write": "write writes wrote writing",
    "think": "think thinks thought", "admit": "admit admits admitted admitting",
    "quip": "quip quips quipped quipping", "reply": "reply replies replied replying",
    "deny": "deny denies denied denying", "testify": "testify testifies testified testifying",
}


# Regular verbs: every form is made by inflect().
SPEECH_VERBS = """add state believe emphasize emphasise stress note explain argue claim insist respond answer ask
acknowledge concede warn predict suggest remind recall declare announce assert contend comment remark
conclude observe maintain confirm repeat reiterate agree complain joke tweet post urge vow promise caution
recount fear call gush interject exclaim retort boast brag muse shout yell plead chant scream""".split()


# Verbs of saying the dependency parse reads (index.quotes.parsed) but the cue pattern does not: as bare
# words after a quotation they are too often something else ("counter", "demand", "wonder").
PARSE_SPEECH_VERBS = """counter wonder demand cry quote read continue begin report put beam lecture""".split()


# Opinions rather than speech: they attribute a full quotation ('"...," believes X') but
# never turn a scare quote into a quotation ("Burton thinks that cats are "cuties"").
COGNITION_FORMS = frozenset("believe believes believed think thinks thought fear fears feared".split())


def inflect(verb: str) -> list[str]:
    """The forms of a regular verb: "note" -> note, notes, noted, noting."""
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


# Phrases of saying, as regular expressions (their words are not single cue words).
SPEECH_PHRASES = [
    r"points? out", r"pointed out", r"pointing out", r"(?:does|do|did)(?: not|n't) hide(?: the fact)?",
    r"makes? no secret(?: of the fact)?", r"made no secret(?: of the fact)?",
]



def speech_forms() -> list[str]:
    """Every form of every verb of saying, longest first."""
    return sorted({w for forms in IRREGULAR_FORMS.values() for w in forms.split()}
                  | {w for v in SPEECH_VERBS for w in inflect(v)}, key=len, reverse=True)


# Words a question uses to ask for someone's words, not to name a topic: "What does Bockowski *think*?"
ASKING_FOR_WORDS = (
    "say says said think thinks thought believe believes opinion view views feel feels comment comments tell told"
).split()
# Verbs of saying a quotation's own sentence may use ("She *emphasized* that ..."): a question with only
# these besides the name ("What does Bockowski predict?") asks for the person's first quotation.
SAYING_WORDS = (
    "predict predicts prediction claim claims argue argues suggest suggests stress stresses emphasise emphasize "
    "emphasises emphasizes point points explain explains position stance take warn warns expect expects"
).split()
