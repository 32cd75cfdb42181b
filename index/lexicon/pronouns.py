"""Pronouns: who a pronoun can stand for, and the words that point back to the sentence before.

Plain data: read by speaker resolution (a pronoun's gender or number) and by ranking (a sentence opening
with "it" or "he" is about what the previous one names).
"""

from __future__ import annotations

# Subject pronouns that can say something, and whom they stand for: m(ale), f(emale), p(lural), s(elf).
SPEAKER_PRONOUNS = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "s"}
# Words that most often point into the sentence before: "Tsar Alexander II sold *it* ..." is about Alaska.
REFERRING_WORDS = frozenset("it he she they him her them its his their this these those there".split())

# Pronouns that tell a person's gender when they follow the person's name in a sentence naming no one else
# ("Ivanka Trump said her father ..."): index.quotes.cast learns genders from them.
GENDERED_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                     "she": "f", "her": "f", "hers": "f", "herself": "f"}
