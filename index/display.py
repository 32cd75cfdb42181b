"""Display clean-up of verbatim article text. Only for showing text: spans and offsets stay raw.

Some articles lose spaces around quotation marks (`if he"reconciles" Russia`,
`statements."It will take place,"`, `meeting,"which suggests`); readers should not
have to see that, but the answer's offsets must still point at the text as it is.
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
