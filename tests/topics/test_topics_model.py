"""Tests for topic modelling of notes: planted themes recovered, deterministic, serialisable."""

import json
from collections import Counter
from datetime import UTC

import pytest
from topics_synth import KNOWN_NAMES, PLANTED, make_notes

from helpline.reports.textprep import NotePreprocessor, name_tokens
from helpline.reports.topicmodel import STEPS, TopicModelError, TopicModelResult, fit_topics


def fit(notes, n_topics=5, **kwargs):
    """Fit quietly with the known names."""
    return fit_topics(notes, n_topics=n_topics, seed=0, names=KNOWN_NAMES, progress=False, **kwargs)


PLANTED_WORDS = {label: set(NotePreprocessor().tokens(" ".join(words))) for label, words in PLANTED.items()}


def planted_mapping(result):
    """Map each planted theme to the fitted theme whose top 10 words are mostly its own words."""
    mapping = {}
    for label, vocabulary in PLANTED_WORDS.items():
        overlap = {t.index: len({w for w, _ in t.words} & vocabulary) for t in result.themes}
        best = max(overlap, key=overlap.get)
        assert overlap[best] >= 8, f"{label}: best theme {best} only holds {overlap[best]} planted words"
        mapping[label] = best
    assert len(set(mapping.values())) == len(PLANTED), f"planted themes share fitted themes: {mapping}"
    return mapping


def agreement(assignments, labels, mapping):
    """Return the share of notes whose dominant theme is their planted theme."""
    return sum(a.theme == mapping[label] for a, label in zip(assignments, labels, strict=True)) / len(labels)


@pytest.fixture(scope="module")
def corpus():
    return make_notes(600, seed=7)


@pytest.fixture(scope="module")
def result(corpus):
    return fit(corpus[0])


def test_planted_themes_are_recovered(result, corpus):
    mapping = planted_mapping(result)
    assert agreement(result.assignments, corpus[1], mapping) >= 0.9


def test_planted_themes_dominate_with_extra_topics(corpus):
    result = fit(corpus[0], n_topics=8)
    assert agreement(result.assignments, corpus[1], planted_mapping(result)) >= 0.75


def test_new_notes_are_assigned_to_their_planted_theme(result):
    notes, labels = make_notes(200, seed=8)
    assert agreement(result.assign(notes, KNOWN_NAMES), labels, planted_mapping(result)) >= 0.9


def test_fit_is_deterministic(corpus, result):
    again = fit(corpus[0])
    assert again.to_dict()["themes"] == result.to_dict()["themes"]
    assert again.assignments == result.assignments


def test_result_metadata(result, corpus):
    assert result.n_documents == len(corpus[0]) and result.n_empty == 0
    assert sum(t.size for t in result.themes) + result.n_unassigned == result.n_documents
    assert result.fitted_at.tzinfo == UTC
    assert result.params["n_topics"] == 5 and result.params["converged"]
    assert all(len(t.words) == 10 and t.words == tuple(sorted(t.words, key=lambda w: -w[1])) for t in result.themes)


def test_vocabulary_has_no_names_digits_or_stop_words(result):
    vocabulary = set(result.vectorizer.vocabulary_)
    assert not vocabulary & (name_tokens(KNOWN_NAMES) | {"dupont", "moreau", "appel", "patiente", "mme"})
    assert all(term.isalpha() and term.isascii() for term in vocabulary)


def test_notes_without_known_words_get_no_theme(result):
    assigned = result.assign(["", "Bonjour, merci, au revoir", "06 12 34 56 78 à 14h30", "logement insalubre"])
    assert [a.theme for a in assigned[:3]] == [None, None, None]
    assert assigned[3].theme == planted_mapping(result)["housing"]


def test_round_trip_through_json_and_bytes(result):
    data = json.loads(json.dumps(result.to_dict()))
    loaded = TopicModelResult.load(data, result.model_bytes())
    notes, _ = make_notes(50, seed=9)
    assert loaded.assign(notes) == result.assign(notes)
    assert loaded.themes == result.themes and loaded.params == result.params
    assert loaded.to_dict() == data


def test_load_rejects_other_formats(result):
    with pytest.raises(TopicModelError, match="format"):
        TopicModelResult.load({**result.to_dict(), "format": "other/1"}, result.model_bytes())


def test_empty_notes_are_counted(corpus):
    result = fit(list(corpus[0][:300]) + ["", "14h30", "Appel de Mme Dupont"])
    assert result.n_empty == 3 and result.n_documents == 303
    assert all(a.theme is None for a in result.assignments[-3:])


@pytest.mark.parametrize("n_notes, n_topics", [(10, 2), (30, 8), (0, 5)])
def test_too_few_notes_are_refused(corpus, n_notes, n_topics):
    with pytest.raises(TopicModelError, match="not enough notes"):
        fit(corpus[0][:n_notes], n_topics=n_topics)


def test_bad_arguments_are_refused(corpus):
    with pytest.raises(TopicModelError):
        fit(corpus[0], n_topics=1)
    with pytest.raises(TopicModelError, match="vocabulary"):
        fit(["logement insalubre"] * 100, n_topics=5)


def test_progress_callback_sees_every_step(corpus):
    calls = []
    fit_topics(corpus[0][:200], n_topics=5, progress=lambda step, done, total: calls.append((step, done, total)))
    finished = [step for step, done, total in calls if done == total]
    assert finished == list(STEPS)
    assert ("preprocess", 0, 200) in calls


def test_progress_bars_can_be_disabled(corpus, capsys):
    fit_topics(corpus[0][:200], n_topics=5, progress=False)
    assert capsys.readouterr().err == ""
    fit_topics(corpus[0][:200], n_topics=5, progress=True)
    assert "topics" in capsys.readouterr().err


def test_theme_labels_use_top_words(result):
    counts = Counter(a.theme for a in result.assignments)
    for theme in result.themes:
        assert theme.label() == " / ".join(w for w, _ in theme.words[:3])
        assert counts[theme.index] == theme.size
