"""Word lists, in one place: plain data that the rules read, with no imports from the rest of the index.

    speech.py          verbs of saying and their forms, phrases of saying, words asking for someone's words
    titles.py          titles before a name, the abbreviated ones, name suffixes
    pronouns.py        speaker pronouns and their gender or number, words that refer back
    people.py          role nouns, group nouns, organisation words, capitalised words that are never names
    function_words.py  auxiliaries, prepositions, relative words
    numbers.py         time, number, money, unit and ordinal words

A word added here reaches every rule that reads the list; tests/test_lexicon.py holds a table per list.
"""
