"""Tests for French note normalisation and pseudonymised excerpts."""

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpline.reports.textprep import (
    NotePreprocessor,
    fold_accents,
    load_stopwords,
    name_tokens,
    normalise,
    pseudonymise_excerpt,
    strip_titled_names,
)
from support import examples

NAMES = ["Marie Dupont", "Rose Martin", "Jean-Pierre Le Gall"]


def test_accents_and_ligatures_are_folded():
    assert fold_accents("Éléonore à l’hôpital, cœur ŒDÈME, naïve") == "eleonore a l'hopital, coeur oedeme, naive"
    assert normalise("Humidité, fenêtre, épuisée, œdème") == "humidite fenetre epuisee oedeme"


def test_numbers_and_mixed_tokens_are_removed():
    tokens = NotePreprocessor().tokens("RDV le 12/03 à 14h30, 3ème étage, 06 12 34 56 78, covid-19, 2x par jour")
    assert tokens == ["rdv", "etage", "covid"]


def test_stop_words_and_helpline_filler_are_removed():
    text = "Appel de la patiente qui signale que le logement est insalubre, rappel prévu demain"
    assert normalise(text) == "logement insalubre"


def test_known_person_names_are_removed_whatever_the_case():
    text = "Appel de Marie, sa fille rose passe; M. LE GALL et jean-pierre aussi; logement humide"
    assert normalise(text, NAMES) == "fille passe logement humide"


def test_titled_names_are_removed_without_known_names():
    text = (
        "Mme Dupont signale une fuite. Vue par le Dr Marie Curie et M. Durand. Madame Lefèvre Anne, "
        "mme martin, dr house, Docteur Who, Mlle N. et Pr Moreau: chauffage en panne"
    )
    assert normalise(text) == "fuite chauffage panne"


def test_titles_do_not_swallow_ordinary_words():
    assert normalise("Madame est fatiguée. Le docteur traitant passe") == "fatiguee traitant passe"
    assert strip_titled_names("Mme Dupont. Logement insalubre").split() == [".", "Logement", "insalubre"]


def test_emails_are_removed_from_tokens():
    assert normalise("écrire à marie.dupont@free.fr pour le dossier CAF") == "ecrire dossier caf"


def test_stopword_file_is_folded_and_contains_filler():
    words = load_stopwords()
    assert {"le", "appel", "patiente", "mme", "aujourd", "hui"} <= words
    assert all(w.isascii() and w.isalpha() and w == w.lower() for w in words)


def test_name_tokens_skip_particles_and_reject_a_single_string():
    assert name_tokens(NAMES) == {"marie", "dupont", "rose", "martin", "jean", "pierre", "gall"}
    with pytest.raises(TypeError):
        name_tokens("Marie Dupont")


def test_preprocessor_refuses_to_be_pickled():
    with pytest.raises(TypeError, match="person names"):
        pickle.dumps(NotePreprocessor(NAMES))


@examples(200)
@given(st.text())
def test_tokens_are_short_ascii_words_never_stop_words(text):
    stop = load_stopwords()
    for token in NotePreprocessor(NAMES).tokens(text):
        assert token.isascii() and token.isalpha() and token == token.lower()
        assert len(token) >= 3 and token not in stop and token not in {"marie", "dupont", "gall"}


def test_excerpt_masks_names_with_initials():
    text = "Mme Dupont et sa fille Rose-Marie; vue par le Dr Anne Curie; appel de m. durand et Jean-Pierre Le Gall."
    assert pseudonymise_excerpt(text, NAMES) == (
        "Mme D. et sa fille R.-M.; vue par le Dr A. C.; appel de m. D. et J.-P. Le G."
    )


def test_excerpt_placeholder_style():
    assert pseudonymise_excerpt("Mme Dupont appelle pour Rose", NAMES, style="placeholder") == (
        "Mme [nom] appelle pour [nom]"
    )


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 1 23 45 67 89",
    ],
)
def test_excerpt_masks_phone_numbers(phone):
    assert pseudonymise_excerpt(f"joindre au {phone} demain") == "joindre au [tél] demain"


def test_excerpt_masks_emails_and_long_numbers_but_keeps_short_dates():
    text = "Écrire à j.dupont+caf@mairie-lyon.fr, NIR 1 85 05 78 006 084 36, RDV le 12/03 à 14h30"
    assert pseudonymise_excerpt(text) == "Écrire à [email], NIR [numéro], RDV le 12/03 à 14h30"


def test_excerpt_is_truncated_on_a_word_boundary():
    text = "Logement insalubre avec moisissures dans la chambre, factures impayées et chauffage en panne"
    excerpt = pseudonymise_excerpt(text, max_len=40)
    assert excerpt == "Logement insalubre avec moisissures…"
    assert len(excerpt) <= 40
    assert pseudonymise_excerpt(text, max_len=None) == text


def test_excerpt_rejects_unknown_style():
    with pytest.raises(ValueError):
        pseudonymise_excerpt("texte", style="hash")


def test_excerpt_masks_surnames_given_without_a_title():
    text = "Voisine Lambert passe chaque jour. Lambert aide aussi, le CPAS suit."
    assert pseudonymise_excerpt(text) == "Voisine L. passe chaque jour. L. aide aussi, le CPAS suit."
