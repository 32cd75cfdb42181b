"""Function words the quotation rules step over or stop at.

Plain data: auxiliaries and adverbs between a subject and its verb, prepositions, relative words.
"""

from __future__ import annotations

# Words stripped from the end of a subject before a cue: "Putin, however, said", "has been repeating".
AUXILIARIES = frozenset("""
has have had been was were is are will would could may might shall should can also then later previously
repeatedly already once again far so however too still often recently not never just even further
subsequently first finally yes
""".split())


# Prepositions and conjunctions that end a name's phrase.
PREPOSITIONS = frozenset("of to and that on in at for from with by about after before during into over under".split())


# Words that open a relative clause or point elsewhere: "Ortiz, *who* ..." is not a new subject.
RELATIVE_WORDS = frozenset("which who whom whose that this it what where when there here".split())
