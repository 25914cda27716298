"""The person's context as soon as she is known, her flags, and the emergency where the nurse looks."""

import datetime as dt

import pytest
import sqlalchemy as sa
from desk_support import add_contact, add_followup, add_person, add_referral
from lxml import html
from query_counting import counted_statements

from models import Call, Case, PersonFlag, db
from support import call_form, make_user

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def today(monkeypatch):
    """Fix the day flags expire against."""
    moment = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("helpline.persons.routes.local_now", lambda: moment)
    monkeypatch.setattr("helpline.calls.routes.local_now", lambda: moment)
    monkeypatch.setattr("helpline.persons.forms.local_now", lambda: moment)
    return TODAY


def _doc(response):
    return html.fromstring(response.get_data(as_text=True))


def _choose(client, person, **overrides):
    """Choose a person on the call page as the 'Choose' button does (no JavaScript needed)."""
    data = call_form(
        action=f"use:{person.id}",
        first_name="",
        last_name="",
        birth_date="",
        postcode="",
        gp_name="",
        lives_alone="",
        consent="",
        caller_name="",
        caller_relation="",
        caller_type="",
        **overrides,
    )
    return client.post("/calls/new", data=data)


def test_the_callers_number_offers_the_known_persons_without_a_second_search(client, login_as):
    login_as("nurse")
    person = add_person(phone=None)
    add_contact(person)
    page = _doc(
        client.post(
            "/calls/new", data=call_form(action="preview", caller_phone="0470 00 06 02", first_name="", last_name="")
        )
    )
    (button,) = page.xpath("//div[@id='caller-matches']//button")
    assert button.get("value") == f"use:{person.id}"
    assert "Marc Aidant (fils)" in page.get_element_by_id("caller-matches").text_content()
    found = client.post("/persons/search.json", data={"q": "0470 00 06 02"}).get_json()["persons"]
    assert [(p["id"], bool(p["contact"])) for p in found] == [(person.id, True)]


def test_choosing_her_fills_every_field_and_the_carer_who_calls(client, login_as, today):
    nurse = login_as("nurse")
    person = add_person(
        birth_date=dt.date(1938, 3, 4),
        postcode="4020",
        gp_name="Dr Démo",
        lives_alone=True,
        street="Rue Démo",
        house_number="12",
        city="Liège",
        access_notes="Clé chez la voisine",
    )
    add_contact(person)
    from helpline.persons.service import record_consent

    record_consent(person, "referral", True, dt.date(2026, 11, 2), nurse.id)
    db.session.commit()
    doc = _doc(_choose(client, person, caller_phone="0470 00 06 02"))
    value = lambda name: doc.get_element_by_id(name).get("value")  # noqa: E731
    assert (value("birth_date"), value("postcode"), value("gp_name"), value("street"), value("city")) == (
        "1938-03-04",
        "4020",
        "Dr Démo",
        "Rue Démo",
        "Liège",
    )
    assert doc.xpath("string(//select[@id='lives_alone']/option[@selected]/@value)") == "yes"
    assert doc.xpath("string(//select[@id='consent']/option[@selected]/@value)") == "yes"
    assert (value("caller_name"), value("caller_relation")) == ("Marc Aidant", "fils")
    assert doc.xpath("//input[@name='caller_type'][@checked]/@value") == ["carer"]
    assert "Clé chez la voisine" in doc.get_element_by_id("access_notes").text_content()


def test_the_context_panel_shows_her_thread_in_a_fixed_number_of_queries(app, client, login_as, log_call, today):
    nurse = login_as("nurse")
    manager = make_user("case_manager", name="Gestionnaire Démo", phone="+32470000609")
    person = add_person()
    for i in range(7):
        log_call(person_id=str(person.id), summary=f"appel {i}", started_at=f"2026-11-{10 + i}T10:00")
    db.session.add(Case(person_id=person.id, status="active", case_manager_id=manager.id))
    add_referral(person, nurse)
    add_followup(person)
    db.session.add(
        PersonFlag(person_id=person.id, kind="legal_guardian", reason="Tutelle : appeler Me Démo", set_by_id=nurse.id)
    )
    db.session.commit()

    def panel_and_queries():
        with counted_statements(db.engine) as statements:
            response = _choose(client, person)
        return _doc(response).get_element_by_id("context-panel"), len(statements)

    panel, queries = panel_and_queries()
    assert len(panel.xpath(".//ul[@class='context-calls']/li")) == 5
    assert "16/11/2026" in panel.xpath("string(.//ul[@class='context-calls']/li[1])")
    assert "Gestionnaire Démo" in panel.xpath("string(.//p[@class='active-case'])")
    assert panel.xpath(".//p[@class='active-case']//a/@href") == ["tel:+32470000609"]
    assert "Répit Démo" in panel.xpath("string(.//ul[@class='context-referrals'])")
    assert len(panel.xpath(".//ul[@class='context-followups']/li")) == 1
    assert "Tutelle : appeler Me Démo" in panel.xpath("string(.//ul[@id='person-flags'])")

    for i in range(5):  # more history, more referrals and follow-ups: the same number of queries
        add_referral(person, nurse)
        add_followup(person, due=dt.date(2026, 12, 2 + i))
    _panel, more_queries = panel_and_queries()
    assert more_queries == queries


def test_the_context_panel_needs_no_javascript_after_a_reload(client, login_as):
    login_as("nurse")
    person = add_person()
    doc = _doc(client.get(f"/calls/new?person_id={person.id}"))
    assert doc.get_element_by_id("context-panel") is not None
    assert not doc.xpath("//*[@style]") and not doc.xpath("//script[not(@src)]")


def test_flags_are_set_with_why_shown_and_lifted(client, login_as, today):
    nurse = login_as("nurse")
    person = add_person()
    refused = client.post(
        f"/persons/{person.id}/flags/new", data={"kind": "safeguarding", "reason": "", "expires_on": "2026-11-30"}
    )
    assert refused.status_code == 422
    doc = _doc(refused)
    assert doc.get_element_by_id("reason-error") is not None and doc.get_element_by_id("expires_on-error") is not None
    assert doc.xpath("string(//select[@id='kind']/option[@selected]/@value)") == "safeguarding"

    assert (
        client.post(
            f"/persons/{person.id}/flags/new",
            data={"kind": "safeguarding", "reason": "Suspicion de négligence", "expires_on": ""},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/persons/{person.id}/flags/new",
            data={"kind": "aggressive_caller", "reason": "Insultes", "expires_on": "2026-12-01"},
        ).status_code
        == 302
    )
    flags = _doc(client.get(f"/persons/{person.id}")).get_element_by_id("person-flags")
    assert "Suspicion de négligence" in flags.text_content() and nurse.name in flags.text_content()
    assert "01/12/2026" in flags.text_content()

    flag = db.session.scalar(sa.select(PersonFlag).where(PersonFlag.kind == "safeguarding"))
    assert client.post(f"/persons/{person.id}/flags/{flag.id}/lift").status_code == 302
    db.session.refresh(flag)
    assert flag.lifted_by_id == nurse.id and flag.lifted_at is not None
    flags = _doc(client.get(f"/persons/{person.id}")).get_element_by_id("person-flags")
    assert "Suspicion" not in flags.text_content() and "Insultes" in flags.text_content()


def test_an_expired_flag_no_longer_shows(client, login_as, today):
    nurse = login_as("nurse")
    person = add_person()
    db.session.add(
        PersonFlag(
            person_id=person.id,
            kind="other",
            reason="Hospitalisée",
            set_by_id=nurse.id,
            expires_on=dt.date(2026, 11, 30),
        )
    )
    db.session.commit()
    assert "Hospitalisée" not in client.get(f"/persons/{person.id}").get_data(as_text=True)


def test_a_red_flag_shows_the_emergency_with_her_address_at_the_top(client, login_as):
    login_as("nurse")
    doc = _doc(
        client.post(
            "/calls/new",
            data=call_form(
                action="preview",
                red_flags=["chest_pain"],
                street="Rue Démo",
                house_number="12",
                box="B",
                postcode="4020",
                city="Liège",
                access_notes="Code porte 1234",
            ),
        )
    )
    banner = doc.get_element_by_id("emergency")
    assert banner.get("hidden") is None and banner.get("role") == "alert"
    assert "112" in banner.text_content()
    assert "Rue Démo 12 / B, 4020 Liège" in banner.text_content() and "Code porte 1234" in banner.text_content()
    main = doc.xpath("//div[@class='desk-main']")[0]
    assert main.index(banner) < main.index(doc.get_element_by_id("call-form"))  # above the form
    assert doc.xpath("//aside[@class='desk-side']//div[@id='proposal']/div/@data-route") == ["emergency"]


def test_without_a_red_flag_the_emergency_stays_hidden(client, login_as):
    login_as("nurse")
    doc = _doc(client.post("/calls/new", data=call_form(action="preview")))
    assert doc.get_element_by_id("emergency").get("hidden") is not None


def test_the_address_typed_during_the_call_is_kept_on_her_record(client, login_as, log_call):
    login_as("nurse")
    assert (
        log_call(
            street="Rue Démo", house_number="12", box="", city="Liège", access_notes="Clé chez la voisine"
        ).status_code
        == 302
    )
    person = db.session.scalar(sa.select(Call)).person
    assert person.address_lines == ["Rue Démo 12", "4020 Liège"] and person.access_notes == "Clé chez la voisine"
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Rue Démo 12" in page and "Clé chez la voisine" in page
