"""Titles before a name ("Prof.", "Senator", "Attorney General") and the abbreviations among them.

Plain data: read by sentence splitting (an abbreviated title does not end a sentence), the quotation
finders (a title opens a name) and the experts registry (a title is not part of the name).
"""

from __future__ import annotations

# As written before a name; an abbreviation may be followed by a full stop.
TITLES = (
    "Dr", "Prof", "Professor", "hab", "Mr", "Mrs", "Ms", "Miss", "Sen", "Senator", "Rep", "Representative",
    "Gov", "Governor", "Gen", "General", "President", "Vice President", "Judge", "Justice", "Secretary",
    "Speaker", "Mayor", "Minister", "Chancellor", "Sir", "Dame", "Lt", "Col", "Capt", "Adm", "Rev", "Father",
    "Ambassador", "Attorney General", "Sgt", "Det", "Chief", "Tsar", "King", "Queen", "Pope", "Del", "Delegate",
    "Assemblyman", "Assemblywoman", "Councilman", "Councilwoman", "Commissioner", "Sheriff", "Lt. Gov",
)


# Each word of the titles, folded: "Attorney General" gives "attorney" and "general" (not part of a name).
TITLE_WORDS = frozenset(w.lower() for t in TITLES for w in t.split())


# Abbreviated titles (folded, without the full stop): after one, a capitalised word is still the same
# sentence ("Prof. Boćkowski").
TITLE_ABBREVIATIONS = frozenset("dr drs prof hab mr mrs ms mx st gen sen rep gov lt col sgt capt cmdr adm maj rev hon pres del".split())
# After a name: "Martin Luther King Jr. said".
NAME_SUFFIXES = frozenset("jr sr".split())
