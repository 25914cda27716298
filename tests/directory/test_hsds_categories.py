"""Mapping HSDS services to the helpline's structure categories: mapped, defaulted or unresolved."""

from __future__ import annotations

import pytest

from helpline.directory.hsds import CATEGORIES, STATUSES, HsdsImportError
from helpline.directory.hsds_import import parse_hsds

IDS = ("1b0c7a52-3f1e-4d5a-9b8c-7d6e5f4a3b21", "2c1d8b63-4a2f-4e6b-8c9d-8e7f6a5b4c32")


def service(name: str, description: str = "", terms: tuple = (), index: int = 0) -> dict:
    """Return an HSDS service with the given texts and taxonomy terms."""
    attributes = [
        {
            "id": f"9{i}0c7a52-3f1e-4d5a-9b8c-7d6e5f4a3b21",
            "taxonomy_term": {"id": f"8{i}0c7a52-3f1e-4d5a-9b8c-7d6e5f4a3b21", "description": "term", **term},
        }
        for i, term in enumerate(terms)
    ]
    return {"id": IDS[index], "name": name, "description": description, "status": "active", "attributes": attributes}


@pytest.mark.parametrize(
    ("name", "description", "category"),
    [
        ("Centre de coordination de soins et d'aide à domicile", "", "home_care_coordination"),
        ("Home care coordination centre", "Nursing at home after hospital discharge", "home_care_coordination"),
        ("CPAS de Valfleuri", "Service social, aide financière et médiation de dettes", "social_service"),
        ("Legal aid desk", "Help with welfare benefits and debt", "social_service"),
        ("Agence immobilière sociale", "Logements à loyer modéré", "housing_service"),
        ("Taxi social", "Transport des personnes à mobilité réduite", "transport_service"),
        ("Respite for carers", "Support groups for family caregivers", "carer_support"),
        ("Aidants proches ASBL", "Soutien aux aidants et répit", "carer_support"),
        ("Service de santé mentale", "Consultations psychologiques et psychiatriques", "mental_health_service"),
        ("Plate-forme de soins palliatifs", "Accompagnement en fin de vie", "palliative_care"),
        ("Hospice at home", "End of life care and bereavement support", "palliative_care"),
        ("Visites de convivialité", "Rompre l'isolement des personnes âgées", "social_link"),
        ("Befriending scheme", "Tackling loneliness", "social_link"),
        ("Maison médicale du Laveu", "Médecins généralistes", "general_practitioner"),
        ("Out-of-hours GP service", "", "general_practitioner"),
    ],
)
def test_service_texts_in_english_or_french_map_to_a_category(name, description, category):
    [item] = parse_hsds(service(name, description)).items

    assert (item.structure["category"], item.category_source) == (category, "mapped")
    assert item.candidates[0] == category
    assert item.evidence


def test_taxonomy_term_naming_a_category_wins_over_keywords():
    terms = ({"code": "carer_support", "name": "Carer support", "taxonomy": "helpline-structure-category"},)
    [item] = parse_hsds(service("Service de santé mentale", terms=terms)).items

    assert (item.structure["category"], item.category_source) == ("carer_support", "mapped")
    assert item.evidence == ("taxonomy term carer_support",)
    assert item.structure["services"] == []  # the category term is not a service offered


def test_foreign_taxonomy_term_names_count_as_keywords_and_as_services_offered():
    terms = ({"name": "Housing Counseling", "taxonomy": "Open Eligibility"}, {"name": "Shelter", "taxonomy": "AIRS"})
    [item] = parse_hsds(service("Community desk", terms=terms)).items

    assert item.structure["category"] == "housing_service"
    assert item.candidates == ("housing_service", "mental_health_service")
    assert item.structure["services"] == ["Housing Counseling", "Shelter"]


def test_service_without_clue_is_unresolved_and_needs_a_category():
    result = parse_hsds(service("Maison Saint-Paul", "Accueil du lundi au vendredi"))

    [item] = result.unresolved
    assert (item.structure["category"], item.category_source, item.candidates) == (None, "unresolved", ())


def test_service_without_clue_gets_the_default_category_when_given():
    [item] = parse_hsds(service("Maison Saint-Paul"), default_category="social_link").items

    assert (item.structure["category"], item.category_source) == ("social_link", "defaulted")


def test_tie_between_categories_is_not_guessed_but_offers_the_candidates():
    [item] = parse_hsds(service("Taxi et logement")).items

    assert (item.structure["category"], item.category_source) == (None, "unresolved")
    assert item.candidates == ("housing_service", "transport_service")


def test_keyword_hits_whole_words_only():
    [item] = parse_hsds(service("Pride parade", "Bride shop in Liège")).items  # neither "ride" nor "gp"

    assert item.category_source == "unresolved"


def test_admin_choices_resolve_the_unresolved_structures():
    result = parse_hsds([service("Maison Saint-Paul"), service("Taxi social", index=1)])

    structures = result.with_categories({IDS[0]: "social_link"})

    assert [s["category"] for s in structures] == ["social_link", "transport_service"]
    assert result.structures[0]["category"] is None  # the result itself is left unchanged


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({}, "needs a category"),
        ({IDS[0]: "library"}, "'library' is not a category"),
        ({IDS[0]: "social_link", "f" * 8: "social_link"}, "no imported structure has this external_id"),
    ],
)
def test_incomplete_or_wrong_admin_choices_are_refused(choices, message):
    result = parse_hsds([service("Maison Saint-Paul"), service("Taxi social", index=1)])

    with pytest.raises(HsdsImportError, match=message):
        result.with_categories(choices)


def test_unknown_default_category_is_a_programming_error():
    with pytest.raises(ValueError, match="default_category must be one of"):
        parse_hsds(service("Taxi social"), default_category="taxi")


def test_categories_and_statuses_are_the_apps_own():
    from helpline.vocabulary import CATEGORY_LABELS
    from models.vocabulary import STRUCTURE_STATUSES

    assert CATEGORIES == tuple(CATEGORY_LABELS)
    assert STATUSES == STRUCTURE_STATUSES
