"""Duplicates found later, in a real browser: the nurse sees the possible duplicate on the person's
page, merges it through the confirmation page, finds the other record's call on the kept person,
undoes the merge, and then records that the two are not the same person."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_steps import navigate

from browser_support import screenshot
from helpline.persons.service import set_names
from models import Call, Person, db


@pytest.fixture(scope="module")
def twins(live_app, staff):
    """The same woman recorded twice (a typo in her first name), each record with one call."""
    ids = []
    with live_app.app_context():
        for first, phone, summary in (("Gisèle", "+32470000801", "Appel du mardi"), ("Gisele", None, "Appel du jeudi")):
            person = Person(postcode="4100", birth_date=dt.date(1939, 4, 21), phone=phone)
            set_names(person, first, "Doublon")
            db.session.add(person)
            db.session.flush()
            db.session.add(
                Call(
                    direction="incoming",
                    channel="phone",
                    started_at=dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC),
                    caller_type="patient",
                    person_id=person.id,
                    nurse_id=staff["nurse"][0],
                    summary=summary,
                    route="information",
                )
            )
            ids.append(person.id)
        db.session.commit()
        db.session.remove()
    return ids


def test_a_duplicate_is_merged_undone_then_marked_not_the_same(open_session, twins):
    kept, other = twins
    page = open_session("nurse")
    page.goto(f"/persons/{kept}")
    duplicate = page.locator(f"#person-duplicates li[data-person='{other}']")
    assert "DOUBLON" in duplicate.inner_text().upper()
    navigate(page, duplicate.locator("a.button"))

    # The confirmation page says what moves before anything moves.
    assert "Appel" in page.locator("main").inner_text()
    navigate(page, page.locator("form.merge-form button[type=submit]"))
    assert page.locator("#merge-status.merge-pending").count() == 1
    navigate(page, page.get_by_role("link", name="Retour à la personne"))
    assert page.locator(".merge-pending").count() == 1
    assert "Appel du jeudi" in page.locator("main").inner_text()  # the other record's call is hers now
    screenshot(page, "24-desk-merge-pending")

    navigate(page, page.locator(".merge-pending a"))
    navigate(page, page.get_by_role("button", name="Annuler la fusion"))
    assert page.url.endswith(f"/persons/{other}")  # the undo leads to the record shown again
    assert "Appel du jeudi" in page.locator("main").inner_text()  # back on its own record
    page.goto(f"/persons/{kept}")
    assert "Appel du jeudi" not in page.locator("main").inner_text()

    duplicate = page.locator(f"#person-duplicates li[data-person='{other}']")
    navigate(page, duplicate.get_by_role("button"))
    assert page.locator(f"#person-duplicates li[data-person='{other}']").count() == 0
