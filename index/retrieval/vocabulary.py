"""The corpus vocabulary grouped by how terms start, for the two lookups a question's unknown words need:
variants sharing the first PREFIX letters ("invas" for "invad") and typo candidates sharing the first two.

Built with the index, in one pass over its terms (about 70 ms for 130,000 terms), so that no question pays
for it: built at the first question, it made that question over a 2 MB article take 35-50 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

# Letters two terms must share at the start to count as the same word in another part of speech. 4 did
# best on SQuAD (two-fold, held out): +0.4 points against +0.4 for 5 and +0.2 for 6.
PREFIX = 4
# Typo candidates share the first two letters (a typo there is rarer, and it keeps the search small) and
# have at least SPELL_MIN - 1 letters: a term of SPELL_MIN letters is compared with those one edit away.
SPELL_MIN = 5


@dataclass(frozen=True, slots=True)
class TermStarts:
    by_prefix: dict[str, tuple[str, ...]]  # first PREFIX letters -> terms of at least PREFIX letters
    by_two: dict[str, tuple[str, ...]]  # first two letters -> terms of at least SPELL_MIN - 1 letters

    @classmethod
    def of(cls, terms: Iterable[str]) -> "TermStarts":
        by_prefix: dict[str, list[str]] = {}
        by_two: dict[str, list[str]] = {}
        for t in terms:
            n = len(t)
            if n >= SPELL_MIN - 1:
                by_two.setdefault(t[:2], []).append(t)
                if n >= PREFIX:
                    by_prefix.setdefault(t[:PREFIX], []).append(t)
        return cls({k: tuple(v) for k, v in by_prefix.items()}, {k: tuple(v) for k, v in by_two.items()})

    def same_start(self, term: str) -> tuple[str, ...]:
        """Terms other than `term` sharing its first PREFIX letters."""
        return tuple(t for t in self.by_prefix.get(term[:PREFIX], ()) if t != term)

    def typo_candidates(self, term: str) -> tuple[str, ...]:
        return self.by_two.get(term[:2], ())
