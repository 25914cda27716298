"""Searching the directory by category and postcode, and admins editing structures."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from helpline.directory.service import format_postcodes, parse_postcodes, search_structures
from models import Structure, db


def add(name, category, postcodes, status="active"):
    structure = Structure(name=name, category=category, status=status, description="", services=[])
    structure.postcodes = postcodes
    db.session.add(structure)
    db.session.commit()
    return structure


@pytest.fixture
def structures(app):
    return [
        add("Large", "social_service", [str(n) for n in range(4000, 4700)]),
        add("Local", "social_service", ["4020", "4030"]),
        add("Voisin", "social_service", ["4040"]),
        add("Loin", "social_service", ["4600"]),
        add("Fermé", "social_service", ["4020"], status="inactive"),
        add("Transport", "transport_service", ["4020"]),
    ]


def names(matches):
    return [m.structure.name for m in matches]


def test_search_by_category_and_postcode_lists_covering_structures_first_then_nearby(structures):
    matches = search_structures(["social_service"], "4020")

    assert names(matches) == ["Local", "Large", "Voisin"]
    assert [m.covers for m in matches] == [True, True, False]


def test_search_without_nearby_keeps_only_structures_covering_the_postcode(structures):
    assert names(search_structures(["social_service"], "4020", nearby=False)) == ["Local", "Large"]


def test_search_can_include_inactive_structures_and_every_category(structures):
    found = names(search_structures([], "4020", statuses=("active", "inactive"), nearby=False))

    assert set(found) == {"Local", "Large", "Fermé", "Transport"}


def test_directory_page_searches_for_a_nurse(client, login_as, structures):
    login_as("nurse")

    page = client.get("/directory/?category=social_service&postcode=4020").get_data(as_text=True)

    assert page.index("Local") < page.index("Large") and "Transport" not in page and "Loin" not in page
    assert "/directory/new" not in page  # nurses do not edit the directory


def test_bad_postcode_in_search_names_the_field(client, login_as, structures):
    login_as("case_manager")

    response = client.get("/directory/?postcode=40")

    assert response.status_code == 200 and "code postal à quatre chiffres" in response.get_data(as_text=True)


def test_postcode_ranges_are_read_and_written_back():
    assert parse_postcodes("4000, 4020-4022;4100") == ["4000", "4020", "4021", "4022", "4100"]
    assert format_postcodes(["4000", "4020", "4021", "4022", "4100"]) == "4000, 4020-4022, 4100"
    with pytest.raises(ValueError):
        parse_postcodes("4000-39")


STRUCTURE = {
    "name": "Maison des aidants Test",
    "category": "carer_support",
    "status": "active",
    "postcodes": "4000-4005, 4020",
    "services": "Répit\nGroupe de parole",
    "phone": "0470 99 99 20",
    "email": "accueil@demo.invalid",
    "opening_hours": "lun-ven 09:00-17:00",
}


def test_admin_creates_and_edits_a_structure(client, login_as):
    login_as("admin")

    response = client.post("/directory/new", data=STRUCTURE)

    assert response.status_code == 302
    structure = db.session.scalar(sa.select(Structure))
    assert structure.postcodes == ["4000", "4001", "4002", "4003", "4004", "4005", "4020"]
    assert structure.services == ["Répit", "Groupe de parole"] and structure.phone.startswith("+32")
    edit = client.get(f"/directory/{structure.id}/edit").get_data(as_text=True)
    assert "4000-4005, 4020" in edit
    client.post(f"/directory/{structure.id}/edit", data={**STRUCTURE, "status": "temporarily_closed"})
    db.session.refresh(structure)
    assert structure.status == "temporarily_closed"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcodes", "40a0", "n’est ni un code postal"),
        ("category", "", "Choisissez une catégorie"),
        ("email", "pas-une-adresse", "adresse e-mail valide"),
    ],
)
def test_bad_structure_is_refused_naming_the_field_and_keeping_what_was_typed(client, login_as, field, value, message):
    login_as("admin")

    response = client.post("/directory/new", data={**STRUCTURE, field: value})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Maison des aidants Test" in page
    assert db.session.scalar(sa.select(sa.func.count(Structure.id))) == 0


@pytest.mark.parametrize("role", ["nurse", "case_manager"])
def test_only_admins_and_coordinators_edit_the_directory(client, login_as, role):
    login_as(role)

    assert client.get("/directory/").status_code == 200
    assert client.post("/directory/new", data=STRUCTURE).status_code == 403
