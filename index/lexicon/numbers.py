"""Words of time, number, money, units and order: what makes a word an answer to when, how many, how much.

Plain data, folded to lower case: read by the sentence facts (index.retrieval.facts) and the question's
answer types (index.question).
"""

from __future__ import annotations

MONTHS = "january february march april may june july august september october november december"
DAYS = "monday tuesday wednesday thursday friday saturday sunday"
TIME_WORDS = frozenset(
    (MONTHS + " " + DAYS + " century centuries decade decades ago yesterday today tomorrow tonight "
     "morning evening week weeks month months year years bc ad bce ce era period dynasty").split()
)
CARDINALS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion "
    "billions trillion dozen dozens half quarter twice percent cent".split()
)
# Currencies only: "price" or "cost" names an amount without being one.
MONEY_WORDS = frozenset("dollar dollars euro euros pound pounds yen cents rouble roubles ruble rubles zloty".split())
# Units that make a number a stretch of time: "four years", "two minutes".
TIME_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "century centuries".split()
)
UNIT_GAP = frozenset("more full long whole".split())  # "four more years", "two whole days"
# Units that make a number a measure: "160 metres", "40 km", "3 tonnes" answer "how far / tall / heavy".
# Not "m": "$5m" is five million.
MEASURE_UNITS = frozenset(
    "metre metres meter meters km kilometre kilometres kilometer kilometers cm centimetres centimeters mm "
    "mile miles foot feet ft inch inches yard yards kg kilogram kilograms kilo kilos gram grams tonne tonnes "
    "ton tons lb lbs mph kph knot knots hectare hectares acre acres degree degrees storey storeys "
    # how far behind, how far did shares fall: "four points behind", "down 5 percent"
    "point points percent per place places".split()
)
# "The 11th century", "the nineteenth century": the ordinal says when, even where the question
# already holds the word "century" ("In what century ...").
ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first".split()
)
ORDINAL_SUFFIXES = frozenset("st nd rd th".split())  # WORD_RE splits "11th" into "11" and "th"
CENTURY_WORDS = frozenset("century centuries millennium".split())
# Prepositions after which a capitalised name is a place: "in New York".
PLACE_PREPOSITIONS = frozenset("in at from near into across outside inside to".split())
