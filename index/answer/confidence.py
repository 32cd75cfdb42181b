"""The confidence of a sentence answer: the fitted probability that it is right (issue 14).

A logistic model over named features of the answer, each meaning the same in a five-sentence article and a
hundred-paragraph one (shares of the question, differences of them, yes/no facts; never raw BM25 strength or
the article's size). The weights are index/data/confidence.json, which scripts/fit_confidence.py writes
(two-fold by article on SQuAD and our news training questions); they are read once.

Only the confidence is fitted: whether to answer is still the coverage rule of index.answer.strategies.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..question import PRECISE_TYPES

CONFIDENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "confidence.json"
# A ranker-score lead over the second sentence of this much or more counts as a clear lead (ranking scores are
# sums of weighted features in [0, 1] each, relative to the question's best candidate, so a margin means the
# same whatever the article's size).
SCORE_MARGIN_CAP = 2.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about an answer when it is given (index.answer.compose gathers it)."""

    coverage: float  # the answer sentence's coverage with its neighbours (Scored.coverage): what the decision used
    own: float  # idf-weighted share of the question's terms in the answer's own sentence(s)
    type_match: float  # holds a word of the asked-for type (1, 0.5 for half a match, 0)
    second_coverage: float  # the next-ranked sentence's coverage (0 when there is none)
    score_margin: float  # ranker score of the answer minus the next one's (SCORE_MARGIN_CAP when there is none)
    terms: int  # the question's distinct search terms
    unknown: float  # share of them that no article uses
    pair: bool  # the answer is two sentences
    answer_type: str  # the type asked for ("other": none)
    of_person: bool  # chosen among a quoted person's words
    bigrams: float  # share of the question's adjacent term pairs found adjacent in the answer's sentence
    words: float  # share of the question's words (unstemmed, not stopwords) in it
    length: int  # its terms
    missing_max: float  # the largest idf share of one question term missing around the answer (it and its neighbours)
    missing_known: float  # idf share of the question's terms missing around the answer that the articles do use
    negated: bool  # the question says "not", "never", "n't"


def features(e: Evidence) -> dict[str, float]:
    """The model's inputs, by name (the names of index/data/confidence.json)."""
    asks = e.answer_type != "other"
    type_match = float(e.type_match)
    return {
        "bias": 1.0,
        "coverage": e.coverage,
        "own_coverage": e.own,
        "full_coverage": 1.0 if e.coverage >= 0.999 else 0.0,
        "type_match": type_match if asks else 0.0,
        "typed_coverage": type_match * e.coverage if asks else 0.0,
        "type_missing": 1.0 if asks and type_match <= 0.0 else 0.0,
        "coverage_margin": e.coverage - e.second_coverage,
        "score_margin": min(max(e.score_margin, 0.0), SCORE_MARGIN_CAP) / SCORE_MARGIN_CAP,
        "one_term": 1.0 if e.terms <= 1 else 0.0,
        "two_terms": 1.0 if e.terms == 2 else 0.0,
        "many_terms": 1.0 if e.terms >= 5 else 0.0,
        "unknown_share": e.unknown,
        "pair": 1.0 if e.pair else 0.0,
        "asks_precise": 1.0 if e.answer_type in PRECISE_TYPES else 0.0,
        "asks_person": 1.0 if e.answer_type == "person" else 0.0,
        "asks_place": 1.0 if e.answer_type == "place" else 0.0,
        "asks_reason": 1.0 if e.answer_type == "reason" else 0.0,
        "of_person": 1.0 if e.of_person else 0.0,
        "bigrams": e.bigrams,
        "exact_words": e.words,
        "short_sentence": 1.0 if e.length < 8 else 0.0,
        "long_sentence": 1.0 if e.length >= 20 else 0.0,
        "missing_max": e.missing_max,
        "missing_known": e.missing_known,
        "negated": 1.0 if e.negated else 0.0,
    }


NAMES: tuple[str, ...] = tuple(features(Evidence(0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, False, "other", False, 0.0, 0.0, 0, 0.0, 0.0, False)))


class ConfidenceError(ValueError):
    """A confidence file that does not give every feature one number; str() says which."""


def read_model(path: Path = CONFIDENCE_FILE) -> dict[str, float]:
    """The fitted weights by feature name; ConfidenceError unless there is exactly one per feature."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfidenceError(f"{path}: not a confidence file ({type(exc).__name__}: {exc})") from None
    missing = [n for n in NAMES if n not in weights]
    unknown = sorted(set(weights) - set(NAMES))
    if missing or unknown:
        raise ConfidenceError(f"{path}: features without a weight {missing}, weights of no feature {unknown}")
    return weights


@lru_cache(maxsize=1)
def _model() -> dict[str, float]:
    return read_model()


def probability_with(weights: dict[str, float], e: Evidence) -> float:
    """The probability the answer is right under `weights`, rounded to 3 places."""
    z = sum(weights[name] * value for name, value in features(e).items())
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


def probability(e: Evidence) -> float:
    """The probability the answer is right, under the shipped weights."""
    return probability_with(_model(), e)
