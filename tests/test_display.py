from index.text.display import as_quotation, tidy


def test_tidy_restores_spaces_around_glued_quotes():
    assert tidy('if he"reconciles" Russia with Ukraine') == 'if he "reconciles" Russia with Ukraine'
    assert tidy('his recent statements."It will take place," he said') == 'his recent statements. "It will take place," he said'
    assert tidy('a"get-to-know-you meeting,"which suggests') == 'a "get-to-know-you meeting," which suggests'


def test_tidy_leaves_clean_text_alone():
    text = 'He said "no" and left. "Yes," she replied.'
    assert tidy(text) == text


def test_as_quotation_drops_a_lone_mark_from_a_multi_sentence_quote():
    assert as_quotation('"Let\'s not expect anything.') == "Let's not expect anything."
    assert as_quotation('nothing will change," says Daniel.') == 'nothing will change," says Daniel.'
    assert as_quotation('We will try to get it back."') == "We will try to get it back."
    assert as_quotation('"Balanced," he said.') == '"Balanced," he said.'
