"""Tests for topic suggestions learnt from past calls."""

import json

import pytest
from topics_synth import KNOWN_NAMES, PLANTED, make_calls

from helpline.reports.suggester import (
    MIN_CALLS,
    MIN_EXAMPLES,
    NotEnoughHistory,
    Suggester,
    SuggesterError,
    train_suggester,
)


@pytest.fixture(scope="module")
def suggester():
    return train_suggester(make_calls(300, seed=3), names=KNOWN_NAMES)


def test_top_suggestion_is_the_ticked_topic_on_held_out_calls(suggester):
    held_out = make_calls(200, seed=99)
    hits = sum(suggester.suggest(text)[0][0] in topics for text, topics in held_out if suggester.suggest(text))
    assert hits / len(held_out) >= 0.95


def test_two_topic_calls_get_both_topics_first(suggester):
    doubles = [(text, topics) for text, topics in make_calls(400, seed=98) if len(topics) == 2]
    both = sum({t for t, _ in suggester.suggest(text, k=2)} == set(topics) for text, topics in doubles)
    assert len(doubles) > 50 and both / len(doubles) >= 0.85


def test_suggestions_are_sorted_bounded_and_above_threshold(suggester):
    text = "Logement insalubre, humidité, et pas de taxi pour aller à l'hôpital"
    suggestions = suggester.suggest(text, k=3, threshold=0.2)
    assert [t for t, _ in suggestions[:2]] == ["housing", "transport"]
    assert len(suggestions) <= 3 and all(s >= 0.2 for _, s in suggestions)
    assert [s for _, s in suggestions] == sorted((s for _, s in suggestions), reverse=True)
    assert len(suggester.suggest(text, k=1)) == 1
    assert suggester.suggest(text, threshold=1.0) == []


def test_text_without_known_words_gets_no_suggestion(suggester):
    assert suggester.suggest("") == []
    assert suggester.suggest("Bonjour, merci, au revoir 06 12 34 56 78") == []
    assert set(suggester.scores("")) == set(PLANTED)


def test_bad_arguments_are_refused(suggester):
    with pytest.raises(SuggesterError):
        suggester.suggest("logement", k=0)
    with pytest.raises(SuggesterError):
        suggester.suggest("logement", threshold=1.5)
    with pytest.raises(SuggesterError):
        train_suggester(make_calls(100), min_examples=1)


def test_metadata_and_names_are_not_learnt(suggester):
    info = json.loads(json.dumps(suggester.info()))
    assert info["topics"] == sorted(PLANTED) and info["n_calls"] == 300 and info["dropped_topics"] == {}
    vocabulary = " ".join(suggester.vectorizer.vocabulary_)
    assert "dupont" not in vocabulary and "marie" not in vocabulary


def test_round_trip_through_bytes(suggester):
    loaded = Suggester.from_bytes(suggester.to_bytes())
    text = "Dossier MDPH et formulaire CAF en retard"
    assert loaded.scores(text) == suggester.scores(text) and loaded.info() == suggester.info()
    with pytest.raises(SuggesterError):
        Suggester.from_bytes(b"not a model")


def test_training_is_deterministic(suggester):
    again = train_suggester(make_calls(300, seed=3), names=KNOWN_NAMES)
    text = "aidante épuisée, besoin de répit"
    assert again.scores(text) == suggester.scores(text)


def test_too_few_calls_is_not_enough_history():
    with pytest.raises(NotEnoughHistory, match=f"{MIN_CALLS} needed") as caught:
        train_suggester(make_calls(MIN_CALLS - 1, seed=1))
    assert caught.value.n_calls == MIN_CALLS - 1 and sum(caught.value.topic_counts.values()) >= MIN_CALLS - 1


def test_calls_without_text_or_topics_do_not_count():
    calls = make_calls(MIN_CALLS - 5, seed=1) + [("", ["housing"])] * 5 + [("logement insalubre", [])] * 5
    with pytest.raises(NotEnoughHistory) as caught:
        train_suggester(calls)
    assert caught.value.n_calls == MIN_CALLS - 5


def test_rare_and_universal_topics_are_dropped():
    calls = [(text, topics + ["information"]) for text, topics in make_calls(100, seed=2)]
    calls += [("Soins palliatifs, fin de vie à domicile", ["palliative"])] * (MIN_EXAMPLES - 1)
    suggester = train_suggester(calls)
    assert set(suggester.topics) == set(PLANTED)
    assert suggester.dropped_topics == {"information": 100, "palliative": MIN_EXAMPLES - 1}


def test_a_single_learnable_topic_is_not_enough_history():
    texts = [text for text, _ in make_calls(45, seed=4)]
    calls = [(text, ["isolation"]) for text in texts[:35]] + [(text, ["transport"]) for text in texts[35:40]]
    calls += [(text, ["palliative"]) for text in texts[40:]]
    with pytest.raises(NotEnoughHistory, match="1 topics with at least 8") as caught:
        train_suggester(calls)
    assert caught.value.topic_counts == {"isolation": 35, "palliative": 5, "transport": 5}
