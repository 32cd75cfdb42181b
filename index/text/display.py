"""Display clean-up of verbatim article text. Only for showing text: spans and offsets stay raw.

Some articles lose spaces around quotation marks (`if he"reconciles" Russia`,
`statements."It will take place,"`, `meeting,"which suggests`); readers should not
have to see that, but the answer's offsets must still point at the text as it is.

Article text, metadata and questions are not ours: an ESC sequence in them would drive
the reader's terminal (clear the screen, retitle the window), a bidi override would show
text in another order than it is stored, and a lone surrogate (from a JSON escape or a
file name that is not UTF-8) cannot be encoded at all. `printable` replaces each such
character with one visible U+FFFD, so the text keeps its length and every offset shown
beside it stays right; `valid_text` is for input that must be stored or encoded.
"""

from __future__ import annotations

import re

_OPENING_GLUED = re.compile(r"(?<=[\w])\"(?=\w)")  # he"reconciles -> he "reconciles
_OPENING_AFTER_END = re.compile(r"(?<=[.!?])\"(?=[A-Z])")  # statements."It -> statements. "It
_CLOSING_GLUED = re.compile(r"(?<=[,.!?])\"(?=[a-z])")  # meeting,"which -> meeting," which
_QUOTES = "\"“”"


def tidy(text: str) -> str:
    """The text with spaces restored around glued quotation marks."""
    text = _OPENING_AFTER_END.sub(' "', text)
    text = _CLOSING_GLUED.sub('" ', text)
    return _OPENING_GLUED.sub(' "', text)


def as_quotation(text: str) -> str:
    """A sentence ready to be shown inside quotation marks: tidied, and without a lone
    opening or closing mark left over from a quotation that spans several sentences."""
    text = tidy(text).strip()
    if sum(text.count(q) for q in _QUOTES) % 2 == 1:
        if text[:1] in _QUOTES:
            text = text[1:]
        elif text[-1:] in _QUOTES:
            text = text[:-1]
        else:
            # A closing mark mid-sentence ('... lasted" for seven years," the source said.'): keep as is.
            pass
    return text.strip()


REPLACEMENT = "\ufffd"
# Why these: C0 controls but tab and newline (ESC starts terminal sequences, BEL, CR overwrites the
# line), DEL and the C1 controls (U+009B is a one-byte CSI for some terminals), the bidi embeddings,
# overrides and isolates ("Trojan Source"), the line/paragraph separators, and surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` safe to show in a terminal or an embed: each control character, bidi control and
    surrogate replaced by U+FFFD (same length, so offsets into the original still hold)."""
    return _UNPRINTABLE.sub(REPLACEMENT, text)


def printable_line(text: str) -> str:
    """Like printable, for a one-line place (a title, an id): tabs and newlines become spaces."""
    return _LINE_BREAKS.sub(" ", printable(text))


def valid_text(text: str) -> str:
    """`text` that UTF-8 can encode: surrogate pairs joined, each lone surrogate (a JSON "\\ud800",
    a byte that was not UTF-8 read with surrogateescape) replaced by U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
