"""Exporting structures as HSDS 3.0: valid against the compiled schemas, stable ids, exact round trip."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from fixture_paths import HSDS_EXAMPLES
from helpline.directory.hsds import (
    CATEGORIES,
    SCHEMA_DIR,
    STATUSES,
    HsdsExportError,
    HsdsValidationError,
    stable_uuid,
    validate_hsds,
)
from helpline.directory.hsds_export import export_hsds
from helpline.directory.hsds_import import parse_hsds
from support import examples

CPAS_ID = "6a1f0f4e-2d2b-4a53-9e4c-3f0e7d1c2b5a"
CPAS = {
    "external_id": "0f8e2b9c-5d4a-4e3b-8a1c-9d7e6f5a4b3c",
    "name": "Service social du CPAS",
    "organization_name": "CPAS de Valfleuri",
    "organization_id": CPAS_ID,
    "category": "social_service",
    "description": "Aide sociale et financière",
    "services": ["aide financière", "médiation de dettes"],
    "postcodes": ["4000", "4020", "4030"],
    "phone": "+3242999901",
    "email": "info@cpas-valfleuri.example",
    "address": {
        "address_1": "Rue de l'Exemple 1",
        "city": "Valfleuri",
        "postal_code": "4000",
        "region": "Liège",
        "country": "BE",
    },
    "opening_hours": "lun-ven 9:00-17:00",
    "eligibility": "Habitants de Valfleuri",
    "status": "active",
    "url": "https://cpas-valfleuri.example",
}
HOUSING = {
    **CPAS,
    "external_id": "1e9f3c0d-6e5b-4f4c-9b2d-0e8f7a6b5c4d",
    "name": "Logement d'urgence",
    "category": "housing_service",
    "services": [],
    "postcodes": ["4000"],
    "phone": None,
    "email": None,
    "address": None,
    "opening_hours": "24h/24",
    "eligibility": None,
    "url": None,
}
TAXI = {
    "external_id": None,
    "id": 7,
    "name": "Taxi social",
    "organization_name": None,
    "organization_id": None,
    "category": "transport_service",
    "description": "",
    "services": ["transport adapté"],
    "postcodes": ["4100"],
    "phone": "04 336 00 00",
    "email": None,
    "address": None,
    "opening_hours": None,
    "eligibility": None,
    "status": "temporarily_closed",
    "url": None,
}


def test_export_is_a_list_of_organizations_valid_against_the_official_compiled_schema():
    with (SCHEMA_DIR / "organization.json").open(encoding="utf-8") as handle:
        official = Draft202012Validator(json.load(handle), format_checker=FormatChecker())

    exported = export_hsds([CPAS, HOUSING, TAXI])

    assert [org["name"] for org in exported] == ["CPAS de Valfleuri", "Taxi social"]
    assert [s["name"] for s in exported[0]["services"]] == ["Logement d'urgence", "Service social du CPAS"]
    for org in exported:
        assert list(official.iter_errors(org)) == []
    validate_hsds(exported)


def test_export_writes_service_location_area_phone_schedule_and_category():
    [org] = export_hsds([CPAS])
    [service] = org["services"]

    assert org["id"] == CPAS_ID and service["organization_id"] == CPAS_ID
    assert service["id"] == CPAS["external_id"]
    assert service["phones"][0]["number"] == "+3242999901"
    assert service["service_areas"][0]["extent"] == "4000, 4020, 4030"
    schedule = service["schedules"][0]
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("MO,TU,WE,TH,FR", "09:00", "17:00")
    link = service["service_at_locations"][0]
    assert link["location"]["addresses"][0]["address_1"] == "Rue de l'Exemple 1"
    assert org["locations"] == [link["location"]]
    assert service["attributes"][0]["taxonomy_term"]["code"] == "social_service"


def test_export_is_identical_however_often_and_in_whatever_order():
    first = export_hsds([CPAS, HOUSING, TAXI])

    assert export_hsds([TAXI, HOUSING, CPAS]) == first
    assert json.dumps(export_hsds(copy.deepcopy([CPAS, HOUSING, TAXI]))) == json.dumps(first)


def test_structure_without_hsds_id_gets_a_uuid5_of_its_database_id():
    [org] = export_hsds([TAXI])

    assert org["services"][0]["id"] == stable_uuid("structure", 7)
    assert parse_hsds(export_hsds([TAXI])).structures[0]["organization_name"] is None


def test_round_trip_gives_back_the_same_structures():
    structures = [CPAS, HOUSING]

    reimported = parse_hsds(json.dumps(export_hsds(structures))).structures

    assert reimported == sorted(structures, key=lambda s: s["name"])


def test_round_trip_of_a_structure_with_a_database_id_only_is_a_fixed_point():
    once = parse_hsds(export_hsds([TAXI])).structures

    expected = {key: value for key, value in TAXI.items() if key != "id"}
    assert once == [expected | {"external_id": stable_uuid("structure", 7)}]
    assert parse_hsds(export_hsds(once)).structures == once


def test_organization_known_by_id_only_gets_a_placeholder_name_and_comes_back_without_it():
    structure = {**HOUSING, "organization_name": None}

    [org] = export_hsds([structure])

    assert org["name"] == f"Organization {CPAS_ID}"
    assert parse_hsds(export_hsds([structure])).structures == [structure]


@pytest.mark.parametrize("name", ["organization_full", "service_full", "service_list"])
def test_official_examples_survive_export_and_reimport(name):
    imported = parse_hsds((HSDS_EXAMPLES / f"{name}.json").read_bytes()).structures

    assert parse_hsds(export_hsds(imported)).structures == imported


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"category": "library"}, "$.category", "'library' is not one of"),
        ({"category": None}, "$.category", "None is not one of"),
        ({"status": "closed"}, "$.status", "'closed' is not one of"),
        ({"email": "info@"}, "$.email", "is not a valid email address"),
        ({"url": "www.cpas.be"}, "$.url", "is not an http(s) URL"),
        ({"name": " "}, "$.name", "is required"),
        ({"postcodes": ["4000", ""]}, "$.postcodes", "must be a list of non-blank texts"),
        ({"address": {"city": 4000}}, "$.address", "must be null or an object of texts"),
        ({"services": "aide"}, "$.services", "must be a list of non-blank texts"),
        ({"external_id": None}, "$.id", "an external_id or a database id is required"),
    ],
)
def test_structure_that_cannot_be_written_as_hsds_is_refused(change, path, message):
    with pytest.raises(HsdsExportError) as caught:
        export_hsds([HOUSING, {**CPAS, **change}])

    [problem] = caught.value.problems
    assert problem.record.startswith("structure[1]")
    assert problem.path == path
    assert message in problem.message


def test_two_structures_with_one_hsds_id_or_one_organization_with_two_names_are_refused():
    with pytest.raises(HsdsExportError, match="same HSDS service id"):
        export_hsds([CPAS, {**HOUSING, "external_id": CPAS["external_id"]}])
    with pytest.raises(HsdsExportError, match="is also named 'CPAS de Valfleuri'"):
        export_hsds([CPAS, {**HOUSING, "organization_name": "CPAS"}])


def test_validate_hsds_names_the_service_and_field_that_break_the_schema():
    exported = export_hsds([CPAS])
    exported[0]["services"][0]["status"] = "open"
    del exported[0]["services"][0]["phones"][0]["number"]

    with pytest.raises(HsdsValidationError) as caught:
        validate_hsds(exported)

    label = f"service[0] 'Service social du CPAS' (id {CPAS['external_id']})"
    assert [(p.record, p.path) for p in caught.value.problems] == [
        (label, "$[0].services[0].status"),
        (label, "$[0].services[0].phones[0].number"),
    ]


texts = (
    st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
maybe = st.none() | texts
organizations = st.sampled_from(
    [(None, None), (None, "ASBL Aide et Soins"), (CPAS_ID, "CPAS de Valfleuri"), (HOUSING["external_id"], None)]
)
phones = st.none() | st.from_regex(r"\+?[0-9][0-9 ]{5,14}[0-9]", fullmatch=True)
addresses = st.none() | st.fixed_dictionaries(
    {
        "address_1": texts,
        "city": maybe,
        "postal_code": maybe,
        "region": maybe,
        "country": maybe,
    }
)


@st.composite
def structures(draw) -> dict:
    """Draw a structure the helpline could hold."""
    org_id, org_name = draw(organizations)
    return {
        "external_id": str(draw(st.uuids())),
        "name": draw(texts),
        "organization_name": org_name,
        "organization_id": org_id,
        "category": draw(st.sampled_from(CATEGORIES)),
        "description": draw(st.just("") | texts),
        "services": draw(st.lists(texts, max_size=3, unique=True)),
        "postcodes": sorted(draw(st.sets(st.integers(1000, 9999).map(str), max_size=4))),
        "phone": draw(phones),
        "email": draw(st.none() | st.just("accueil@example.be")),
        "address": draw(addresses),
        "opening_hours": draw(maybe),
        "eligibility": draw(maybe),
        "status": draw(st.sampled_from(STATUSES)),
        "url": draw(st.none() | st.just("https://example.be/service")),
    }


@examples(40)
@given(st.lists(structures(), min_size=1, max_size=4, unique_by=lambda s: s["external_id"]))
def test_any_structures_survive_export_and_reimport(drawn):
    imported = {s["external_id"]: s for s in parse_hsds(json.dumps(export_hsds(drawn))).structures}

    for structure in drawn:
        expected = dict(structure)
        if not expected["postcodes"] and expected["address"] and expected["address"]["postal_code"]:
            expected["postcodes"] = [expected["address"]["postal_code"]]  # documented: location's postcode
        assert imported[structure["external_id"]] == expected
