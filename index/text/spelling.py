"""Tells a typo from a real word, so that only typos are put right towards the article's words.

"develp" or "bokowski" one letter away from an article's "develop" or "Boćkowski" are typos;
"defend" or "reason" one letter away from its "depend" or "reson" are words the article just
doesn't use, and the question is about them. pyspellchecker's English word list (160,000
words with their frequencies, shipped in the package) knows the difference.
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    # ~0.3 s to read the list: done at the first question that needs it, not at start-up.
    return SpellChecker(language="en", distance=1)


def is_english_word(word: str) -> bool:
    """Whether a lower-case word is in the English word list."""
    return word in _english()
