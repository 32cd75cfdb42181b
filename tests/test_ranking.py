"""index.retrieval.ranking: features declared once by name, weights read by name from a data file."""

import json

import numpy as np
import pytest

from index.corpus import Corpus, load_articles, DEFAULT_ARTICLES_DIR
from index.question import analyse
from index.retrieval.ranking import FEATURES, NAMES, WEIGHTS_FILE, WeightsError, read_weights, write_weights
from index.retrieval.search import WEIGHTS


def test_every_declared_feature_has_one_weight_and_the_hand_set_ones_say_why():
    weights = read_weights()
    assert len(set(NAMES)) == len(NAMES) == len(FEATURES)
    assert np.array_equal(weights.vector(), WEIGHTS)
    assert set(weights.hand) == set(weights.why) and all(len(w) > 20 for w in weights.why.values())


def test_the_feature_matrix_has_a_column_per_declared_feature():
    corpus = Corpus.build(load_articles([DEFAULT_ARTICLES_DIR]))
    index = corpus.search
    q = analyse("Where will Trump and Putin meet?")
    p_scores, s_scores = index.passage_bm25.scores(q.terms), index.sentence_bm25.scores(q.terms)
    feats = index.features(q, [0, 1, 2], p_scores, s_scores, p_scores.base, s_scores.base)
    assert feats.shape == (3, len(NAMES)) and ((feats >= -1e-9) & (feats <= 1 + 1e-9)).all()


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["fitted"].pop("coverage"), "without a weight ['coverage']"),
    (lambda raw: raw["fitted"].update(made_up=1.0), "weights of no feature ['made_up']"),
    (lambda raw: raw.pop("fitted"), "not a weights file"),
])
def test_a_weights_file_that_does_not_fit_the_features_is_refused_with_a_reason(tmp_path, change, message):
    raw = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(WeightsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_weights(path)


def test_writing_fitted_weights_keeps_the_hand_set_ones(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(WEIGHTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    write_weights({n: 0.5 for n in NAMES}, path)
    weights = read_weights(path)
    assert all(weights.fitted[n] == 0.5 for n in NAMES) and weights.hand == read_weights().hand
    assert all(v == (weights.hand.get(n, 0.5)) for n, v in zip(NAMES, weights.vector()))
