"""The one tokenizer: used for passages, sentences, questions and name lookups alike.

Case-folding, diacritic folding (including letters NFKD leaves alone: ł, ø, ß, đ),
stopwords and Snowball stemming. Both folding and stemming are cached per word,
because the same few thousand words make up every article and every question.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer  # PyStemmer: the Snowball stemmers in C, ~50x faster than pure-Python Snowball
from anyascii import anyascii  # maps every Unicode letter to ASCII, ł→l and ß→ss included

# Characters that are invisible inside a word and do not change it: soft hyphen, zero-width space,
# non-joiner and joiner, word joiner, zero-width no-break space. Web text carries them ("Bo\u200dćkowski",
# "inter\u00adnational"); a word holds them and fold() drops them, so "Bo\u200dćkowski" is "Boćkowski".
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_DROP = {ord(c): None for c in INVISIBLE}
_LETTERS = rf"[^\W_]+(?:[{INVISIBLE}]+[^\W_]+)*"
# A word is a run of letters/digits, keeping inner apostrophes ("don't") and
# decimal/time separators inside numbers ("7.2", "9:30", "1,000").
WORD_RE = re.compile(rf"(?:[^\W\d_]\.){{2,}}|\d+(?:[.,:]\d+)*|{_LETTERS}(?:['’]{_LETTERS})*", re.UNICODE)

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up very was
    wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves s t d ll m re ve also just many much since
    """.split()
)

_stemmer = Stemmer.Stemmer("english")

# Irregular English forms the stemmer cannot join to their base ("sold" / "sell", "met" / "meet").
# Words that are also common nouns or adjectives in other senses (left, found, saw, rose, felt) are left out.
_IRREGULAR_PAIRS = """
sell:sold buy:bought pay:paid win:won meet:met begin:began,begun build:built say:said tell:told
think:thought go:went,gone come:came take:took,taken make:made give:gave,given hold:held lead:led lose:lost
keep:kept bring:brought fight:fought seek:sought teach:taught catch:caught write:wrote,written
speak:spoke,spoken choose:chose,chosen drive:drove,driven grow:grew,grown know:knew,known see:seen run:ran
sit:sat stand:stood understand:understood strike:struck spend:spent send:sent lend:lent mean:meant
deal:dealt hear:heard hide:hid,hidden break:broke,broken freeze:froze,frozen steal:stole,stolen
shake:shook,shaken throw:threw,thrown fly:flew,flown draw:drew,drawn wear:wore,worn swear:swore,sworn
forget:forgot,forgotten get:got,gotten shoot:shot sleep:slept feed:fed flee:fled sing:sang,sung
sink:sank,sunk drink:drank,drunk swim:swam,swum eat:ate,eaten fall:fell,fallen forgive:forgave,forgiven
ride:rode,ridden rise:risen shine:shone bite:bit,bitten hang:hung stick:stuck swing:swung dig:dug
child:children man:men woman:women foot:feet tooth:teeth mouse:mice
"""
_BASE_FORM = {
    form: base
    for pair in _IRREGULAR_PAIRS.split()
    for base, forms in [pair.split(":")]
    for form in forms.split(",")
}

# Demonyms and short forms mean the country in news text: "the Americans" answers "the US".
# General world knowledge, applied to articles and questions alike.
_SAME_AS = {
    "america": "us", "american": "us", "americans": "us", "usa": "us",
    "russian": "russia", "russians": "russia", "ukrainian": "ukraine", "ukrainians": "ukraine",
    "european": "europe", "europeans": "europe", "chinese": "china", "british": "uk", "britain": "uk",
    "french": "france", "german": "germany", "germans": "germany", "polish": "poland", "poles": "poland",
    "japanese": "japan", "indian": "india", "indians": "india", "israeli": "israel", "israelis": "israel",
    "iranian": "iran", "iranians": "iran", "canadian": "canada", "canadians": "canada", "mexican": "mexico",
    "mexicans": "mexico", "italian": "italy", "italians": "italy", "spanish": "spain", "korean": "korea",
    "koreans": "korea", "syrian": "syria", "syrians": "syria", "turkish": "turkey", "brazilian": "brazil",
    "australian": "australia", "australians": "australia", "palestinian": "palestine", "palestinians": "palestine",
    "norman": "normandy", "normans": "normandy", "egyptian": "egypt", "egyptians": "egypt", "greek": "greece",
    "greeks": "greece", "dutch": "netherlands", "swiss": "switzerland", "swedish": "sweden", "irish": "ireland",
    "scottish": "scotland", "scots": "scotland", "welsh": "wales", "english": "england",
}


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case ASCII form of a word: "Pawłuszko" → "pawluszko", "Straße" → "strasse"."""
    word = word.translate(_INVISIBLE_DROP)
    if word.isascii():
        return word.lower()
    return anyascii(word).lower()


@lru_cache(maxsize=200_000)
def _term(word: str) -> str | None:
    """The index term for one raw word, or None for a stopword."""
    folded = fold(word).replace("’", "'")
    if folded.endswith("'s"):  # possessive: "Putin's" is about Putin
        folded = folded[:-2]
    if folded.endswith(".") and not folded[0].isdigit():  # "U.S." -> "us", "e.g." -> "eg"
        folded = folded.replace(".", "")
    if not folded or folded in STOPWORDS:
        return None
    folded = _SAME_AS.get(folded, folded)
    folded = _BASE_FORM.get(folded, folded)
    if folded[0].isdigit():
        return folded
    return _stemmer.stemWord(folded.replace("'", ""))


def term_of(word: str) -> str | None:
    """The index term of one word, None for a stopword."""
    return _term(word)


def words(text: str) -> list[str]:
    """The raw words of a text, unfolded (for display-side matching)."""
    return WORD_RE.findall(text)


def tokenize(text: str) -> list[str]:
    """Index terms of a text, in order: folded, stemmed, stopwords removed."""
    terms = []
    for word in WORD_RE.findall(text):
        term = _term(word)
        if term is not None:
            terms.append(term)
    return terms


def fold_text(text: str) -> str:
    """A whole string folded for loose comparison of names: "Prof. Boćkowski" → "prof. bockowski"."""
    return anyascii(text.translate(_INVISIBLE_DROP)).lower()
