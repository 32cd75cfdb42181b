"""The table of words close in meaning (index/data/related.tsv, made by scripts/build_related.py)."""

from index.text.related import related_terms
from index.text.tokenize import term_of


def test_the_table_pairs_words_of_like_meaning_both_ways_as_index_terms():
    table = related_terms()
    assert len(table) > 1000
    fear, afraid = term_of("fear"), term_of("afraid")
    assert fear in table[afraid] and afraid in table[fear]
    for term, others in list(table.items())[:500]:
        assert term not in others
        assert all(term in table[o] for o in others)  # symmetric
        assert term.isalpha() and term == term.lower()


def test_a_missing_table_is_logged_and_answers_go_on_without_it(tmp_path, caplog):
    assert related_terms(tmp_path / "gone.tsv") == {}
    assert "no table of related words" in caplog.text
