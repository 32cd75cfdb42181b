"""The features a candidate sentence is ranked by, declared by name, and their weights.

A feature is one named number in [0, 1] per candidate; `SearchIndex.features` computes them by name and
the matrix takes its columns in FEATURES order, so a feature is added in one place (here, with its
meaning) plus its computation, and its weight is read by name from index/data/weights.json, which
scripts/fit_weights.py writes. Nothing is kept aligned by position by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    meaning: str


FEATURES: tuple[Feature, ...] = (
    Feature("sentence_bm25", "sentence BM25+, relative to the best candidate"),
    Feature("passage_bm25", "BM25+ of the paragraph it is in, relative to the best"),
    Feature("coverage", "idf-weighted share of the question's terms in the sentence"),
    Feature("context", "the same over the sentence and its neighbours"),
    Feature("type_match", "holds something of the asked-for type the question lacks"),
    Feature("bigrams", "share of the question's adjacent term pairs found adjacent"),
    Feature("exact_words", "unstemmed word overlap ('functions' vs 'function')"),
    Feature("novelty", "share of its terms the question does not contain: an answer adds something"),
    Feature("top_passage", "it is in the best paragraph"),
    Feature("first_in_para", "first sentence of its paragraph"),
    Feature("short", "fewer than 8 terms (a heading, a name line)"),
    Feature("is_structure", "heading, name line or byline"),
    Feature("is_pull_quote", "repeats a quote from the body: prefer the body"),
    Feature("focus", "holds the asked-for noun: 'What *diagrams* are used ...' -> 'Feynman diagrams'"),
    Feature("typed_coverage", "type match times coverage: the right kind of answer where the question's words are"),
    Feature("type_near", "the asked-for type within four words of a question term: 'meet in Anchorage'"),
    Feature("precise_type", "type_match for a time, duration, number or amount: surer than a capitalised word"),
    Feature("precise_near", "type_near for those"),
    Feature("pronoun_coverage", "coverage with the previous sentence's terms when a pronoun opens it: 'sold *it*'"),
    Feature("unambiguous", "an amount of money ('$7.2 million') or a time of day ('9:30 PM') where one is asked for"),
    Feature("prefix_coverage", "coverage by missing terms' first letters: 'invaded' ~ 'invasion'"),
    Feature("prefix_context", "the same over the sentence and its neighbours"),
)
NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
COLUMN: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "weights.json"


class WeightsError(ValueError):
    """A weights file that does not give every declared feature one number; str() says which."""


@dataclass(frozen=True)
class Weights:
    fitted: dict[str, float]
    hand: dict[str, float]  # set by hand for what the fitting data lacks; these win over fitted ones
    why: dict[str, str]  # the reason for each hand-set weight

    def vector(self) -> np.ndarray:
        """The weights in FEATURES order."""
        return np.array([self.hand.get(n, self.fitted[n]) for n in NAMES], dtype=np.float64)


def read_weights(path: Path = WEIGHTS_FILE) -> Weights:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        fitted = {str(k): float(v) for k, v in raw["fitted"].items()}
        hand = {str(k): float(v["weight"]) for k, v in raw.get("hand", {}).items()}
        why = {str(k): str(v["why"]) for k, v in raw.get("hand", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WeightsError(f"{path}: not a weights file ({type(exc).__name__}: {exc})") from None
    missing = [n for n in NAMES if n not in fitted and n not in hand]
    unknown = sorted((set(fitted) | set(hand)) - set(NAMES))
    if missing or unknown:
        raise WeightsError(f"{path}: features without a weight {missing}, weights of no feature {unknown}")
    return Weights(fitted, hand, why)


def write_weights(fitted: dict[str, float], path: Path = WEIGHTS_FILE) -> None:
    """Replace the fitted weights in the file, keeping its hand-set ones (scripts/fit_weights.py)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["fitted"] = {n: round(float(fitted[n]), 3) for n in NAMES}
    path.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
