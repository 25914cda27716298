"""Case continuity in a real browser: a call about a followed person is relayed to her case manager,
who sees it on her home and her case and takes it into account; the nurse sees the acknowledgement."""
from __future__ import annotations

import datetime as dt

from browser_steps import navigate, save_call, unlabelled_fields

from browser_support import screenshot


def _followed_person(app, manager_id: int, nurse_id: int, first: str, last: str) -> tuple[int, int]:
    """Create a person with a referral consent and an active case of this case manager; return their ids."""
    from helpline.persons.service import record_consent, set_names
    from models import Case, Person, db, utcnow

    with app.app_context():
        person = Person(birth_date=dt.date(1938, 2, 11), postcode="4020", lives_alone=True)
        set_names(person, first, last)
        db.session.add(person)
        record_consent(person, "referral", True, dt.date.today(), nurse_id)
        case = Case(person=person, status="active", priority="routine", case_manager_id=manager_id,
                    opened_at=utcnow(), assigned_at=utcnow())
        db.session.add(case)
        db.session.commit()
        ids = (person.id, case.id)
        db.session.remove()
    return ids


def test_call_about_a_followed_person_is_relayed_and_taken_into_account(open_session, live_app, staff):
    person_id, case_id = _followed_person(live_app, staff["case_manager"][0], staff["nurse"][0], "Odile", "Relaisine")

    # The nurse takes a call about her: the triage proposes the relay to her case manager.
    nurse = open_session("nurse")
    nurse.goto(f"/calls/new?person_id={person_id}")
    nurse.fill("#caller_phone", "0470 99 55 41")
    nurse.check("input[name=caller_type][value=carer]")
    nurse.check("input[name=topics][value=hospital_discharge]")
    nurse.check("input[name=rupture_events][value=unplanned_hospitalisation]")
    nurse.fill("#summary", "Sa fille appelle : hospitalisée cette nuit après une chute.")
    nurse.wait_for_selector('#proposal [data-route="relay"]')
    call_id = save_call(nurse)
    assert "Relais vers la gestionnaire de cas" in nurse.locator(".final-route").inner_text()
    assert "pas encore pris en compte" in nurse.locator(".relay-status").inner_text()

    # Her case manager sees it on her home, then on the case's timeline, and takes it into account.
    manager = open_session("case_manager")
    manager.goto("/")
    relayed = manager.locator(".relays li", has_text="RELAISINE Odile")
    assert "Hospitalisation non programmée" in relayed.inner_text()
    screenshot(manager, "30-relay-on-case-manager-home")
    navigate(manager, relayed.locator(f'a[href$="/cases/{case_id}"]'))
    entry = manager.locator(".case-timeline li.relay")
    assert "hospitalisée cette nuit" in entry.inner_text()
    assert unlabelled_fields(manager) == []
    navigate(manager, entry.locator("form.relay-ack button"))
    assert manager.locator(".flash.success").count() == 1
    assert "pris en compte par Cédric Gestionnaire" in manager.locator(".case-timeline li.relay").inner_text()
    manager.goto("/")
    assert manager.locator(".relays li", has_text="RELAISINE Odile").count() == 0
    assert manager.goto(f"/calls/{call_id}").status == 200

    # The nurse sees the acknowledgement on the call page and on her home.
    nurse.goto(f"/calls/{call_id}")
    assert "pris en compte par Cédric Gestionnaire" in nurse.locator(".relay-status").inner_text()
    nurse.goto("/")
    assert "pris en compte par Cédric Gestionnaire" in nurse.locator(".cases-home .relays").inner_text()
