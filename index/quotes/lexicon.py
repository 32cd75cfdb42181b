"""Words and patterns the quotation finders read: verbs of saying, titles, marks."""

from __future__ import annotations

import re

from ..text.patterns import alternation, first_letters
from ..text.tokenize import fold



_IRREGULAR = {
    "say": "say says said saying", "tell": "tell tells told telling", "write": "write writes wrote writing",
    "think": "think thinks thought", "admit": "admit admits admitted admitting",
    "quip": "quip quips quipped quipping", "reply": "reply replies replied replying",
    "deny": "deny denies denied denying", "testify": "testify testifies testified testifying",
}


_REGULAR = """add state believe emphasize emphasise stress note explain argue claim insist respond answer ask
acknowledge concede warn predict suggest remind recall declare announce assert contend comment remark
conclude observe maintain confirm repeat reiterate agree complain joke tweet post urge vow promise caution
recount fear call""".split()


# Opinions rather than speech: they attribute a full quotation ('"...," believes X') but
# never turn a scare quote into a quotation ("Burton thinks that cats are "cuties"").
_COGNITION = frozenset("believe believes believed think thinks thought fear fears feared".split())


def _inflect(verb: str) -> list[str]:
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


_CUE_WORDS = sorted(
    {w for forms in _IRREGULAR.values() for w in forms.split()} | {w for v in _REGULAR for w in _inflect(v)},
    key=len, reverse=True,
)


_CUE_PHRASES = [
    r"points? out", r"pointed out", r"pointing out", r"(?:does|do|did)(?: not|n't) hide(?: the fact)?",
    r"makes? no secret(?: of the fact)?", r"made no secret(?: of the fact)?",
]


# The phrases first, so that "points out" is taken over "points". The lookahead lets the engine skip the
# positions where no cue starts (first_letters: "(?:does|do|did)" starts with a d).
CUE_RE = re.compile(rf"(?={first_letters(_CUE_WORDS + ['d'])})(?<![\w-])"
                    rf"(?:{'|'.join(_CUE_PHRASES)}|{alternation(_CUE_WORDS)})(?![\w-])")  # not "so-called"


# Cues that never introduce what the subject says: "by explaining that ...".
_NONFINITE_BEFORE = re.compile(r"\b(?:by|after|before|while|without|when|of|for)\s+$")


TITLES = (
    "Dr", "Prof", "Professor", "hab", "Mr", "Mrs", "Ms", "Miss", "Sen", "Senator", "Rep", "Representative",
    "Gov", "Governor", "Gen", "General", "President", "Vice President", "Judge", "Justice", "Secretary",
    "Speaker", "Mayor", "Minister", "Chancellor", "Sir", "Dame", "Lt", "Col", "Capt", "Adm", "Rev", "Father",
    "Ambassador", "Attorney General", "Sgt", "Det", "Chief", "Tsar", "King", "Queen", "Pope",
)


# (Every title starts with a capital but "hab": NAME_RE's lookahead lets the engine skip other positions.)
_TITLE = r"(?:(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r")\.?\s+)"


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"


# A name word: capitalised, not an all-caps acronym ("EU", "NATO" are not people).
_WORD = rf"(?:[{_UPPER}](?:[a-zß-öø-ÿā-ž'’-]|[{_UPPER}](?=[a-zß-öø-ÿā-ž]))[\w'’-]*|[{_UPPER}]\.)"


NAME_RE = re.compile(rf"(?=[{_UPPER}h])(?<![\w.])({_TITLE}*)({_WORD}(?:\s+{_WORD}){{0,5}})(?!\w)")


# A one-letter word split off a known name by a stray space ("T rump").
_SPLIT_NAME_RE = re.compile(rf"\b([{_UPPER}]) ([a-z]{{2,}})\b")


_PRONOUNS = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "s"}


# Capitalised words that start sentences or name things, never people.
_NOT_NAME = frozenset(fold(w) for w in """
The A An In On At For But And Or Nor So Yet However Meanwhile Since After Before Both This That These Those It
He She They We I You His Her Their Our Its My Your Elsewhere Besides Unfortunately First Second Third Some There
What Did Does Do Is Are Was Were Will Would When Where Why How Who Whom Whose Which If While Although Though
Also Still Even Then Now Today Yesterday Tomorrow Once Yes No Not Only Many Most More Every Each All Any
Let Here As Because Despite During Under Over Among Between Against Without Within Through Isolated According
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Mother Father Son Daughter Sir Madam Hey Oh Please Thank Thanks Congress
""".split())


# Words that make a capitalised sequence an organisation, a place or an event.
_ORG_WORDS = frozenset(fold(w) for w in """
University Institute Network Court Assembly Council House Senate Congress Party Department Ministry Office
Agency Union Nations States Republic Kingdom Street Avenue Prize War Peace Criminal International National
Federal Supreme Committee Commission Bank Fund Group Company Corporation News Times Post Press Research Center
Centre Foundation Association Organization Organisation Alliance Forces Army Navy Police Security Service North
South East West Middle New Key Issues Talks Summit Conference Street Square City County Island Islands Sea Ocean
River Mountains Airport Hall School College Academy Church Times Journal Review Daily Weekly Club Team Board
Administration Government Parliament Cabinet Pentagon Kremlin Gulf Coast Valley Empire Treaty Act Bill Plan
Program Programme Project Initiative Campaign Fort Park Hotel Tower Station Museum Library Hospital Prison
Federation Labor Labour Workers Fed Reserve Guard Corps Act Authority Trust Council Coalition Caucus
""".split())


# Lower-case nouns after which a capitalised name is a description's head: "NATO chief Mark Rutte".
_ROLE_NOUNS = frozenset("""
chief head leader minister secretary spokesman spokeswoman spokesperson president director official adviser
advisor analyst expert professor senator governor representative congressman congresswoman lawmaker ambassador
envoy commissioner chairman chairwoman chair candidate nominee founder ceo attorney lawyer judge economist
strategist aide negotiator mayor general commander manager researcher scientist historian correspondent
reporter editor member speaker whip counsel chancellor premier diplomat spokesperson pollster consultant
executive officer detective prosecutor sheriff activist author columnist commentator political scientist
americanist sovietologist lecturer doctor dean rector librarian teacher principal nurse surgeon physician engineer
architect planner inspector curator coach captain pilot farmer owner organiser organizer campaigner volunteer
""".split())


# People spoken of as a group: "Richmond police said".
_GROUP_NOUNS = frozenset("""
police officials prosecutors authorities investigators officers lawmakers aides sources spokesman spokeswoman
spokesperson witnesses residents analysts experts critics officials democrats republicans
""".split())


# Words stripped from the end of a subject before a cue: "Putin, however, said", "has been repeating".
_AUX = frozenset("""
has have had been was were is are will would could may might shall should can also then later previously
repeatedly already once again far so however too still often recently not never just even further
subsequently first finally yes
""".split())


# Capitalised words before a name that say what someone is: "Senate Majority Leader Chuck Schumer".
_LEAD_ROLE = frozenset("former majority minority deputy vice acting first lady senate house state white"
                       " foreign defense defence interior prime supreme chief".split())


_PREPOSITIONS = frozenset("of to and that on in at for from with by about after before during into over under".split())


_RELATIVE = frozenset("which who whom whose that this it what where when there here".split())


_MARK_RE = re.compile(r"''|``|[\"“”„«»]")


# British and many online styles quote with single marks: 'We moved what we could,' he told the BBC.
# They are read as quotation marks only in an article with no double ones, and a mark between two
# letters is still an apostrophe there ("don't", "Patel's").
_SINGLE_MARK_RE = re.compile(r"''|``|[\"“”„«»‘’']")


_DOUBLE_RE = re.compile(r"``|[\"“”„«»]")


_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=[\s(\[—–:-]))[‘'](?=[A-Z0-9])", re.M)


_SINGLE_CLOSE_RE = re.compile(r"[,.!?…][’'](?=\s|$)", re.M)


def _marks_of(text: str) -> re.Pattern[str]:
    """The quotation marks of an article's house style: double, or single where no double ones are used."""
    return _by_text(_MARKS, text, _house_marks, 16)


_MARKS: dict[int, tuple[str, re.Pattern[str]]] = {}


def _house_marks(text: str) -> re.Pattern[str]:
    if _DOUBLE_RE.search(text) is None and _SINGLE_OPEN_RE.search(text) and _SINGLE_CLOSE_RE.search(text):
        return _SINGLE_MARK_RE
    return _MARK_RE


_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")


def _by_text(cache: dict[int, tuple[str, object]], text: str, make, size: int = 8):
    """What make(text) gives, kept for the last `size` texts by identity: an equal but distinct string would
    be compared in full on every look-up of a cache keyed by the text, as often as once per sentence."""
    hit = cache.get(id(text))
    if hit is None or hit[0] is not text:
        while len(cache) >= size:
            cache.pop(next(iter(cache)))
        hit = cache[id(text)] = (text, make(text))  # holding the text keeps its id from being reused
    return hit[1]
