"""Answer-type tags: which words of a sentence could answer a when / how long / how much question."""

from index.retrieval.facts import sentence_facts, type_match


def tagged(text: str, kind: str) -> list[str]:
    f = sentence_facts(text)
    return [w for w, tags in zip(f.words, f.tags) if kind in tags]


def test_currency_amounts_are_money_and_money_words_alone_are_not():
    assert tagged("Tsar Alexander II sold it in 1867 for $7.2 million.", "money") == ["7.2", "million"]
    assert tagged("The bridge cost 300 euros.", "money") == ["300", "euros"]
    assert tagged("His mistakes cost us more than the price of peace.", "money") == []


def test_a_number_with_a_time_unit_is_a_duration():
    assert tagged("The ceasefire lasted for seven years.", "duration") == ["seven", "years"]
    assert tagged("It took two more weeks.", "duration") == ["two", "weeks"]
    assert tagged("It was signed in 2015 by two leaders.", "duration") == []


def test_a_bare_number_half_answers_how_much_and_how_long():
    words = frozenset({"how", "much", "did", "it", "cost"})
    assert type_match(sentence_facts("It cost $7.2 million."), "money", words, {"cost"}) == (1.0, 1.0)
    assert type_match(sentence_facts("It cost 7 million."), "money", words, {"cost"})[0] == 0.5
    assert type_match(sentence_facts("It cost a lot."), "money", words, {"cost"}) == (0.0, 0.0)
    assert type_match(sentence_facts("The truce held for seven years."), "duration", frozenset(), {"truce"}) == (1.0, 1.0)


def test_times_of_day_are_clock_times_and_durations_half_answer_when():
    assert tagged("They meet on Friday at 9:30 PM Polish time.", "clock") == ["9:30", "pm"]
    assert tagged("They met in 2015.", "clock") == []
    when = frozenset({"when", "did", "they", "meet"})
    assert type_match(sentence_facts("They met in 2015."), "time", when, {"meet"})[0] == 1.0
    assert type_match(sentence_facts("They first met four years ago."), "time", when, {"meet"})[0] == 1.0
    assert type_match(sentence_facts("They have not met in four years."), "time", when, {"meet"})[0] == 0.5
    # A date half answers "what time".
    assert type_match(sentence_facts("They meet on Friday."), "clock", when, {"meet"})[0] == 0.5


def test_prefix_coverage_matches_a_word_in_another_part_of_speech():
    from index.text.article import parse_article
    from index.models import ArticleMeta
    from index.retrieval.search import SearchIndex, _prefix_coverage
    from index.text.tokenize import tokenize

    text = "Since the Russian invasion of Ukraine, trade has collapsed.\nTrade fell.\n"
    index = SearchIndex([parse_article(text, ArticleMeta(id="t"))])
    assert index.variants("invad") == ("invas",) and index.variants("trade") == () and index.variants("in") == ()
    idf = {t: 1.0 for t in tokenize("Who invaded Ukraine?")}  # "invad" is not a stem of the article
    assert set(idf) == {"invad", "ukrain"}
    variants = {t: index.variants(t) for t in idf}
    first, second = (index.sentences[r].terms for r in (0, 1))
    assert _prefix_coverage(first, idf, variants, 2.0) == 0.5  # "invad" ~ "invas"; "ukrain" is matched already
    assert _prefix_coverage(second, idf, variants, 2.0) == 0.0


def test_the_ordinal_before_century_is_a_time():
    # WORD_RE splits "11th" into "11" and "th"; "In what century ..." holds "century" itself.
    assert "11" in tagged("It flourished in the 11th century.", "time")
    assert "nineteenth" in tagged("Their names survived into the nineteenth century.", "time")
    century_q = frozenset({"in", "what", "century", "did", "it", "flourish"})
    assert type_match(sentence_facts("It flourished in the 11th century."), "time", century_q, {"flourish"})[0] == 1.0
    assert type_match(sentence_facts("It flourished for a century."), "time", century_q, {"flourish"})[0] == 0.0


def test_a_possessive_day_is_a_time():
    assert tagged("Friday's meeting was short.", "time") == ["friday's"]


def test_a_number_with_a_unit_of_length_or_weight_is_a_measure():
    assert tagged("It pulled back by 160 metres and lost 3 tonnes of ice.", "measure") == ["160", "metres", "3", "tonnes"]
    assert tagged("It cost $5m over two years.", "measure") == []  # "m" is millions here
    far = frozenset({"how", "far", "did", "it", "move"})
    assert type_match(sentence_facts("It moved 40 km."), "measure", far, {"move"})[0] == 1.0
    assert type_match(sentence_facts("It moved twice."), "measure", far, {"move"})[0] == 0.5  # a bare number, half


def test_points_and_percentages_measure_how_far():
    assert tagged("Wisla are four points behind the leaders.", "measure") == ["four", "points"]
    assert "5" in tagged("Shares fell 5% on Monday.", "measure")
