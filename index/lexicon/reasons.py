"""Words that give a reason: the sentence after an answer that holds one answers "why?" (index.answer.followups)."""

REASON_PHRASES = (
    "because", "because of", "due to", "owing to", "thanks to", "as a result", "so that", "in order to",
    "that is why", "that's why", "this is why", "which is why", "the reason", "reason", "reasons",
    "aims to", "aimed at", "in an effort to", "to avoid", "to prevent", "motivated", "driven by", "given that",
    "for fear", "explains", "explained",
)
# Not "so" ("so far"), "as", "since" or "after": more often about time than a reason; not "therefore", "thus",
# "hence": they state a consequence of what came before, not why it is so.
