"""Importing HSDS 3.0 documents: the official examples as they are, and how fields are mapped."""

from __future__ import annotations

import json

import pytest

from fixture_paths import HSDS_EXAMPLES
from helpline.directory.hsds_import import parse_hsds

EXAMPLES = HSDS_EXAMPLES
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
ORG_ID_2 = "0b0e3f9e-5c55-4a4e-9d7b-2b1f8f0c6a01"
LOCATION_ID = "3f6c2a7e-1d8b-4c59-b0a4-7e9d5c3b2a10"


def example(name: str) -> bytes:
    """Return the bytes of an official HSDS example."""
    return (EXAMPLES / f"{name}.json").read_bytes()


@pytest.mark.parametrize(
    ("name", "shape"),
    [("organization_full", "organization"), ("service_full", "service"), ("service_list", "service_list")],
)
def test_official_example_with_a_service_imports_as_it_is(name, shape):
    result = parse_hsds(example(name))

    assert result.shape == shape
    [structure] = result.structures
    assert structure["external_id"] == SERVICE_ID
    assert structure["name"] == "Community Counselling"
    assert structure["organization_name"] == "Example Organization Inc."
    assert structure["organization_id"] == ORG_ID
    assert structure["category"] == "mental_health_service"
    assert structure["status"] == "active"
    assert structure["email"] == "email@example.com"
    assert structure["url"] == "http://example.com/counselling"
    assert structure["eligibility"].startswith("This service is intended for all people aged 12")
    assert result.items[0].category_source == "mapped"


@pytest.mark.parametrize("name", ["organization_full", "service_full"])
def test_full_example_maps_phone_address_area_and_hours(name):
    [structure] = parse_hsds(example(name)).structures

    assert structure["phone"] == "+44 1234 234567"  # the example writes the number inside quotes
    assert structure["address"] == {
        "address_1": "1-30 Main Street",
        "city": "MyCity",
        "postal_code": "ABC 1234",
        "region": "MyRegion",
        "country": "US",
    }
    assert structure["postcodes"] == ["AB1", "AB2", "AB3"]  # "all postcodes starting with AB1, AB2, and AB3"
    assert structure["opening_hours"].startswith("The service is available from 10 am to 6pm weekdays.")
    assert structure["services"] == ["name"]  # the example's only taxonomy term is called "name"


def test_organization_list_example_imports_its_organization_without_structures():
    result = parse_hsds(example("organization_list"))

    assert result.shape == "organization_list"
    assert result.structures == []
    assert result.organizations == ({"id": ORG_ID, "name": "Example Organization Inc."},)
    assert result.warnings == (
        f"organization[0] 'Example Organization Inc.' (id {ORG_ID}): no services, nothing to import",
    )


def test_text_bytes_and_parsed_json_give_the_same_structures():
    raw = example("organization_full")

    expected = parse_hsds(raw).structures

    assert parse_hsds(raw.decode()).structures == parse_hsds(json.loads(raw)).structures == expected


def organization(**service_fields) -> dict:
    """Return an HSDS organization with one location and one service made of the given fields."""
    service = {"id": SERVICE_ID, "name": "Aide à domicile", "status": "active", **service_fields}
    return {
        "id": ORG_ID,
        "name": "ASBL Aide et Soins",
        "description": "ASBL",
        "phones": [{"id": "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "number": "04 222 33 44"}],
        "locations": [
            {
                "id": LOCATION_ID,
                "location_type": "physical",
                "addresses": [
                    {
                        "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                        "address_1": "BP 12",
                        "city": "Liège",
                        "state_province": "Liège",
                        "postal_code": "4000",
                        "country": "BE",
                        "address_type": "postal",
                    },
                    {
                        "id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                        "address_1": "Rue Saint-Gilles 1",
                        "city": "Liège",
                        "state_province": "Liège",
                        "postal_code": "4000",
                        "country": "BE",
                        "address_type": "physical",
                    },
                ],
            }
        ],
        "services": [service],
    }


def test_location_linked_by_id_gives_its_physical_address_and_its_postcode_as_territory():
    link = {"id": "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f", "location_id": LOCATION_ID}
    [structure] = parse_hsds(organization(service_at_locations=[link])).structures

    assert structure["address"] == {
        "address_1": "Rue Saint-Gilles 1",
        "city": "Liège",
        "postal_code": "4000",
        "region": "Liège",
        "country": "BE",
    }
    assert structure["postcodes"] == ["4000"]  # no service area: the location's postcode


def test_phone_falls_back_to_the_organization_and_weekly_schedule_becomes_text():
    schedule = {
        "id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR",
        "opens_at": "09:00",
        "closes_at": "17:00",
    }
    [structure] = parse_hsds(organization(schedules=[schedule])).structures

    assert structure["phone"] == "04 222 33 44"
    assert structure["opening_hours"] == "lun-ven 9:00-17:00"


@pytest.mark.parametrize(
    ("area", "postcodes"),
    [
        ({"extent": "4000, 4020, 4030", "extent_type": "text"}, ["4000", "4020", "4030"]),
        ({"name": "Liège et Herstal (4000 à 4003), pas 4040"}, ["4000", "4001", "4002", "4003", "4040"]),
        (
            {
                "extent": json.dumps(
                    {
                        "type": "Feature",
                        "properties": {"postcode": "4100"},
                        "geometry": {"type": "Point", "coordinates": [5.5797, 50.6326]},
                    }
                ),
                "extent_type": "geojson",
                "description": "Seraing",
            },
            ["4100"],
        ),
        ({"extent": "POLYGON", "extent_type": "kml", "description": "Code postal 4020"}, ["4020"]),
    ],
)
def test_service_area_postcodes_come_from_extent_else_name_and_description(area, postcodes):
    area = {"id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", **area}
    [structure] = parse_hsds(organization(service_areas=[area])).structures

    assert structure["postcodes"] == postcodes


@pytest.mark.parametrize(
    ("status", "ours"),
    [
        ("active", "active"),
        ("inactive", "inactive"),
        ("defunct", "inactive"),
        ("temporarily closed", "temporarily_closed"),
    ],
)
def test_hsds_status_maps_to_the_helpline_status(status, ours):
    result = parse_hsds(organization(status=status))

    assert result.structures[0]["status"] == ours
    assert any("defunct" in warning for warning in result.warnings) == (status == "defunct")


def test_service_with_only_an_organization_id_keeps_that_id():
    service = {"id": SERVICE_ID, "name": "Taxi social", "status": "active", "organization_id": ORG_ID_2}
    [structure] = parse_hsds(service).structures

    assert (structure["organization_id"], structure["organization_name"]) == (ORG_ID_2, None)
    assert structure["address"] is None and structure["postcodes"] == []


def test_array_of_services_is_read_in_document_order():
    services = [
        {"id": SERVICE_ID, "name": "Taxi social", "status": "active"},
        {"id": ORG_ID_2, "name": "Logement d'urgence", "status": "active"},
    ]
    result = parse_hsds(json.dumps(services))

    assert result.shape == "service_array"
    assert [s["name"] for s in result.structures] == ["Taxi social", "Logement d'urgence"]
    assert [item.path for item in result.items] == ["$[0]", "$[1]"]
