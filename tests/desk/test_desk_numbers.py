"""Numbers to call back: the caller's, the person's and her contacts', shown wherever someone calls back."""

import re

import sqlalchemy as sa
from desk_support import CARER_PHONE, OTHER_PHONE, PERSON_PHONE, add_contact, add_followup, add_person, add_referral
from lxml import html

from models import AuditEvent, Call, Person, PersonContact, db


def _tel_links(page: str) -> list[str]:
    return [a.get("href") for a in html.fromstring(page).xpath("//a[starts-with(@href, 'tel:')]")]


def _contacts(person_id: int) -> list[PersonContact]:
    return list(
        db.session.scalars(
            sa.select(PersonContact).where(PersonContact.person_id == person_id).order_by(PersonContact.id)
        )
    )


def test_a_carers_call_adds_her_contact_and_a_later_call_updates_it(client, login_as, log_call):
    login_as("nurse")
    response = log_call(caller_phone="0470 00 06 02", caller_name="Marc Aidant", caller_relation="fils")
    assert response.status_code == 302
    call = db.session.scalar(sa.select(Call))
    (contact,) = _contacts(call.person_id)
    assert (contact.kind, contact.name, contact.relation, contact.phone, contact.may_call) == (
        "carer",
        "Marc Aidant",
        "fils",
        CARER_PHONE,
        True,
    )

    again = log_call(
        caller_phone="0470 00 06 02", caller_name="Marc Aidant-Deux", caller_relation="", person_id=str(call.person_id)
    )
    assert again.status_code == 302
    (contact,) = _contacts(call.person_id)
    db.session.refresh(contact)
    assert (contact.name, contact.relation) == ("Marc Aidant-Deux", "fils")  # a blank relation keeps the known one
    audited = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "person_contact"))
    assert sorted(audited) == ["create", "update"]


def test_a_patient_calling_herself_is_not_her_own_contact(client, login_as, log_call):
    login_as("nurse")
    assert log_call(caller_type="patient", caller_name="", caller_relation="").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonContact)) == 0


def test_the_call_page_lists_the_callers_and_the_persons_numbers_as_tel_links(client, login_as, log_call):
    login_as("nurse")
    log_call(caller_phone="0470 00 06 02", person_phone="0470 00 06 01")
    call = db.session.scalar(sa.select(Call))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert _tel_links(page) == [f"tel:{PERSON_PHONE}", f"tel:{CARER_PHONE}"]
    numbers = html.fromstring(page).get_element_by_id("numbers")
    assert "Marc" not in numbers.text_content() or "fils" in numbers.text_content()
    assert "fils" in numbers.text_content()


def test_the_person_page_lists_her_contacts_and_only_callable_numbers_are_links(client, login_as):
    login_as("nurse")
    person = add_person(gp_name="Dr Démo", gp_phone="+3242000604")
    add_contact(person)
    add_contact(person, phone=OTHER_PHONE, may_call=False, name="Voisine Démo", relation="voisine")
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    assert _tel_links(page) == [f"tel:{PERSON_PHONE}", "tel:+3242000604", f"tel:{CARER_PHONE}"]
    rows = html.fromstring(page).xpath("//table[@class='contacts-table']/tbody/tr")
    assert [r.xpath("string(td[1])").split()[0:2] for r in rows] == [["Marc", "Aidant"], ["Voisine", "Démo"]]
    assert "0470 00 06 03" in rows[1].text_content()


def test_contact_form_keeps_what_was_typed_and_names_the_field(client, login_as):
    login_as("nurse")
    person = add_person()
    response = client.post(
        f"/persons/{person.id}/contacts/new",
        data={
            "kind": "professional",
            "name": "Infirmière Démo",
            "relation": "infirmière à domicile",
            "phone": "12",
            "may_call": "y",
        },
    )
    assert response.status_code == 422
    doc = html.fromstring(response.get_data(as_text=True))
    assert doc.get_element_by_id("phone-error").text_content().strip()
    assert doc.get_element_by_id("name").get("value") == "Infirmière Démo"
    assert doc.get_element_by_id("relation").get("value") == "infirmière à domicile"
    assert _contacts(person.id) == []

    saved = client.post(
        f"/persons/{person.id}/contacts/new",
        data={
            "kind": "professional",
            "name": "Infirmière Démo",
            "relation": "infirmière à domicile",
            "phone": "0470 00 06 03",
        },
    )
    assert saved.status_code == 302
    (contact,) = _contacts(person.id)
    assert (contact.kind, contact.phone, contact.may_call) == ("professional", OTHER_PHONE, False)

    edited = client.post(
        f"/persons/{person.id}/contacts/{contact.id}",
        data={
            "kind": "professional",
            "name": "Infirmière Démo",
            "phone": "0470 00 06 03",
            "relation": "",
            "may_call": "y",
        },
    )
    assert edited.status_code == 302
    db.session.refresh(contact)
    assert contact.may_call is True and contact.relation is None


def test_a_contact_of_another_person_cannot_be_edited_through_this_one(client, login_as):
    login_as("nurse")
    contact = add_contact(add_person())
    other = add_person(phone=None)
    assert client.get(f"/persons/{other.id}/contacts/{contact.id}").status_code == 404


def test_a_case_manager_may_not_edit_contacts(client, login_as):
    login_as("case_manager")
    person = add_person()
    assert client.post(f"/persons/{person.id}/contacts/new", data={"name": "X", "kind": "carer"}).status_code == 403


def test_searching_a_contacts_number_finds_the_person(client, login_as):
    login_as("nurse")
    person = add_person(phone=None)
    add_contact(person)
    found = client.post("/persons/search.json", data={"q": "0470000602"}).get_json()["persons"]
    assert [p["id"] for p in found] == [person.id]


def test_the_follow_up_page_shows_the_numbers_instead_of_asking_to_dial_by_hand(client, login_as):
    login_as("nurse")
    person = add_person()
    add_contact(person)
    followup = add_followup(person)
    page = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert _tel_links(page) == [f"tel:{PERSON_PHONE}", f"tel:{CARER_PHONE}"]
    assert "Composez le numéro vous-même" not in page and "Téléphone</dt><dd>—" not in page


def test_the_referral_sheet_gives_the_numbers_she_agreed_to_be_called_on(client, login_as):
    nurse = login_as("nurse")
    person = add_person()
    add_contact(person)
    add_contact(person, phone=OTHER_PHONE, may_call=False)
    referral = add_referral(person, nurse)
    page = client.get(f"/referrals/{referral.id}/sheet").get_data(as_text=True)
    assert _tel_links(page) == [f"tel:{PERSON_PHONE}", f"tel:{CARER_PHONE}"]
    text = client.get(f"/referrals/{referral.id}/sheet.txt").get_data(as_text=True)
    assert "0470 00 06 02" in text and "0470 00 06 03" not in text
    assert re.search(r"- .+: 0470 00 06 01", text)


def test_the_person_found_by_number_is_shown_in_the_address_order(app):
    person = Person(
        first_name="A",
        last_name="B",
        first_name_key="a",
        last_name_key="b",
        street="Rue Démo",
        house_number="12",
        box="3",
        postcode="4020",
        city="Liège",
    )
    assert person.address_lines == ["Rue Démo 12 / 3", "4020 Liège"]
    assert Person(postcode="4020").address_lines == []
