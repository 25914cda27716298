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
        case = Case(
            person=person,
            status="active",
            priority="routine",
            case_manager_id=manager_id,
            opened_at=utcnow(),
            assigned_at=utcnow(),
        )
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


def _setup_meeting_and_cases(app, staff):
    """A call waiting for the team, an active case overdue for reassessment, a closed case, a second manager."""
    from helpline.auth.passwords import hash_password
    from helpline.persons.service import set_names
    from models import Call, Case, Person, ReviewItem, User, db, utcnow

    with app.app_context():

        def person(first, last):
            p = Person(birth_date=dt.date(1937, 6, 1), postcode="4020")
            set_names(p, first, last)
            db.session.add(p)
            return p

        other = User(
            email="cm2@browser.test.invalid",
            name="Delphine Relève",
            roles="case_manager",
            password_hash=hash_password("unused-password-123"),
            case_manager_profile="social_worker",
        )
        call = Call(
            direction="incoming",
            channel="phone",
            started_at=utcnow(),
            caller_type="carer",
            person=person("Agathe", "Ordredujour"),
            nurse_id=staff["nurse"][0],
            route="case_management",
            summary="Chutes répétées, aides refusées.",
        )
        call.topics = ["home_help"]
        overdue = Case(
            person=person("Bernard", "Suivisemaine"),
            status="active",
            case_manager_id=staff["case_manager"][0],
            opened_at=utcnow() - dt.timedelta(days=220),
            assigned_at=utcnow() - dt.timedelta(days=220),
        )
        closed = Case(
            person=person("Colette", "Rouverte"),
            status="closed",
            case_manager_id=staff["case_manager"][0],
            opened_at=utcnow() - dt.timedelta(days=300),
            assigned_at=utcnow() - dt.timedelta(days=300),
            closed_at=utcnow() - dt.timedelta(days=20),
            closure_reason="goals_reached",
        )
        db.session.add_all([other, call, overdue, closed])
        db.session.flush()
        db.session.add(ReviewItem(call_id=call.id, status="pending"))
        db.session.commit()
        ids = {"call": call.id, "overdue": overdue.id, "closed": closed.id, "other": other.id}
        db.session.remove()
    return ids


def test_meeting_with_both_parts_a_reassignment_and_a_reopening(open_session, live_app, staff):
    ids = _setup_meeting_and_cases(live_app, staff)
    coordinator = open_session("coordinator")

    # The meeting: started with its attendees, an orientation validated, a decision on a followed case.
    coordinator.goto("/meeting/")
    navigate(coordinator, coordinator.locator("form.start-meeting button"))
    assert coordinator.locator(".meeting-open").count() == 1
    item = coordinator.locator(".review-item", has=coordinator.locator(f'a[href$="/calls/{ids["call"]}"]'))
    item.locator("form[action*='/validate'] input[name=agrees]").check()  # the person agrees to case management
    item.locator("form[action*='/validate'] input[name=agreement_how]").fill("Par téléphone")
    navigate(coordinator, item.locator("form[action*='/validate'] button"))
    assert "/assign" in coordinator.url  # assignment in the same step
    coordinator.goto("/meeting/")
    followed = coordinator.locator(f"#followed-{ids['overdue']}")
    assert "Réévaluation en retard" in followed.inner_text()
    followed.locator("summary").click()
    followed.locator(f"#decision-{ids['overdue']}").fill("Réévaluer à domicile cette semaine.")
    followed.locator(f"#decision_reason-{ids['overdue']}").fill("Dernière évaluation il y a plus de six mois.")
    assert unlabelled_fields(coordinator) == []
    navigate(coordinator, followed.locator("form button[type=submit]"))
    screenshot(coordinator, "31-meeting-both-parts")
    navigate(coordinator, coordinator.locator(".meeting-record form[action$='/close'] button"))
    record = coordinator.locator("main").inner_text()
    assert "Orientation validée : Gestion de cas" in record and "Dernière évaluation il y a plus de six mois." in record

    # A reassignment, with a note, to a social worker.
    coordinator.goto(f"/cases/{ids['overdue']}/reassign")
    coordinator.select_option("#case_manager_id", str(ids["other"]))
    coordinator.fill("#note", "Congé de longue durée de Cédric.")
    navigate(coordinator, coordinator.locator("form button.primary"))
    assert "Delphine Relève" in coordinator.locator(".facts").inner_text()
    assert "Congé de longue durée de Cédric." in coordinator.locator(".case-timeline").inner_text()

    # The case manager reopens her closed case; its history goes on.
    manager = open_session("case_manager")
    manager.goto(f"/cases/{ids['closed']}")
    manager.fill("#reopen-note", "Nouvelle chute, la fille rappelle.")
    navigate(manager, manager.locator("form.reopen-case button"))
    assert manager.locator(".flash.success").count() == 1
    assert "Actif" in manager.locator(".case-status").inner_text()
    assert "Nouvelle chute, la fille rappelle." in manager.locator(".case-timeline").inner_text()
