"""The nurse's desk in a real browser on a laptop screen (1366x768): the caller's number finds the
person, her context beside the form, the emergency kept in sight, her numbers and flags on her page."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_steps import fill_new_person_call, navigate, save_call

from browser_support import screenshot
from helpline.persons.service import set_names
from models import Call, Person, PersonContact, PersonFlag, db

LAPTOP = {"width": 1366, "height": 768}
CARER = "+32470000702"


@pytest.fixture(scope="module")
def odette(live_app, staff):
    """A known person with her son as a contact, a flag and a call already logged."""
    with live_app.app_context():
        person = Person(
            postcode="4020",
            birth_date=dt.date(1936, 6, 7),
            lives_alone=True,
            gp_name="Dr Démo",
            phone="+32470000701",
            street="Rue du Bureau",
            house_number="7",
            city="Liège",
            access_notes="Clé chez la voisine du 9",
        )
        set_names(person, "Odette", "Bureau")
        person.contacts.append(PersonContact(kind="carer", name="Marc Bureau", relation="fils", phone=CARER))
        db.session.add(person)
        db.session.flush()
        db.session.add(
            PersonFlag(
                person_id=person.id,
                kind="legal_guardian",
                reason="Tutelle : appeler Me Démo",
                set_by_id=staff["nurse"][0],
            )
        )
        started = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
        db.session.add(
            Call(
                direction="incoming",
                channel="phone",
                started_at=started,
                caller_type="carer",
                caller_phone=CARER,
                person_id=person.id,
                nurse_id=staff["nurse"][0],
                summary="Premier appel",
                route="information",
            )
        )
        db.session.commit()
        person_id = person.id
        db.session.remove()
    return person_id


@pytest.fixture
def laptop(open_session):
    """A nurse logged in on a 1366x768 laptop screen."""
    return open_session("nurse", viewport=LAPTOP)


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= LAPTOP["height"]


def test_the_callers_number_brings_her_context_beside_the_form(laptop, odette):
    page = laptop
    navigate(page, page.get_by_role("navigation").get_by_role("link", name="Encoder un appel"))
    page.fill("#caller_phone", "0470 00 07 02")  # typed: no search button pressed
    choose = page.locator(f"#caller-matches button[value='use:{odette}']")
    choose.wait_for()
    assert "Marc Bureau (fils)" in page.locator("#caller-matches").inner_text()
    navigate(page, choose)

    assert page.input_value("#birth_date") == "1936-06-07" and page.input_value("#gp_name") == "Dr Démo"
    assert page.input_value("#street") == "Rue du Bureau" and page.input_value("#lives_alone") == "yes"
    assert page.input_value("#caller_name") == "Marc Bureau" and page.input_value("#caller_relation") == "fils"
    assert page.is_checked("input[name=caller_type][value=carer]")
    # Beside the form and without scrolling: who she is, her flag, her numbers, her last call.
    for selector in ("#context-panel h2", "#person-flags", "#context-numbers", ".context-calls", "#proposal"):
        assert _in_view(page, selector), selector
    assert "Tutelle : appeler Me Démo" in page.locator("#person-flags").inner_text()
    assert page.locator("#context-numbers a[href='tel:+32470000702']").count() == 1
    screenshot(page, "20-desk-context-panel")


def test_a_red_flag_shows_the_emergency_at_once_and_keeps_it_in_sight(laptop, odette):
    page = laptop
    page.goto(f"/calls/new?person_id={odette}")
    assert page.locator("#emergency").is_hidden()
    page.check("input[name=caller_type][value=carer]")
    page.check("input[name=topics][value=care]")
    page.locator("input[name=red_flags][value=chest_pain]").check()
    banner = page.locator("#emergency")
    assert banner.is_visible()  # at once: no request to wait for
    assert "112" in banner.inner_text() and "Rue du Bureau 7, 4020 Liège" in banner.inner_text()
    assert "Clé chez la voisine du 9" in banner.inner_text()
    colour = page.evaluate("() => getComputedStyle(document.getElementById('emergency')).backgroundColor")
    assert colour == "rgb(179, 38, 30)"
    page.locator("button[name=action][value=save]").scroll_into_view_if_needed()
    assert _in_view(page, "#emergency")  # sticky while she scrolls down the form
    page.wait_for_selector('#proposal .proposal[data-route="emergency"]')
    assert _in_view(page, "#proposal")
    screenshot(page, "21-desk-emergency")
    page.locator("input[name=red_flags][value=chest_pain]").uncheck()
    assert banner.is_hidden()


def test_her_page_lists_her_numbers_and_a_flag_is_added_through_the_buttons(laptop, odette):
    page = laptop
    page.goto(f"/persons/{odette}")
    assert page.locator(".contacts-table a[href='tel:+32470000702']").count() == 1
    navigate(page, page.get_by_role("link", name="Ajouter un signalement"))
    page.select_option("#kind", "aggressive_caller")
    navigate(page, page.get_by_role("button", name="Enregistrer le signalement"))
    assert page.locator("#reason-error").is_visible()  # the reason is required, the choice kept
    assert page.input_value("#kind") == "aggressive_caller"
    page.fill("#reason", "Propos menaçants au dernier appel")
    navigate(page, page.get_by_role("button", name="Enregistrer le signalement"))
    assert "Propos menaçants au dernier appel" in page.locator("#person-flags").inner_text()
    screenshot(page, "22-desk-person-page")


def test_a_saved_call_is_corrected_and_the_new_route_shown_beside_the_old(laptop):
    page = laptop
    page.goto("/calls/new")
    fill_new_person_call(page, first_name="Irène", last_name="Correction", phone="0470 00 07 09", topic="information")
    page.check("input[name=caller_type][value=patient]")
    page.wait_for_selector('#proposal .proposal[data-route="information"]')
    call_id = save_call(page)
    navigate(page, page.get_by_role("link", name="Corriger cet appel"))
    page.check("input[name=topics][value=carer_support]")
    navigate(page, page.get_by_role("button", name="Enregistrer la correction"))
    assert page.locator("#reason-error").is_visible()  # a field triage reads: the reason is asked
    assert page.is_checked("input[name=topics][value=carer_support]")  # what she ticked is kept
    page.fill("#reason", "Thème oublié à l'encodage")
    navigate(page, page.get_by_role("button", name="Enregistrer la correction"))
    assert page.url.endswith(f"/calls/{call_id}")
    assert page.locator(".route-changed").is_visible()
    assert "Réponse en ligne" in page.locator(".final-route").inner_text()  # the route decided at the time stays
    screenshot(page, "23-desk-call-corrected")
