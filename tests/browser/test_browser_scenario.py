"""The helpline's work end to end in a real browser: a case from the nurse's call to the follow-ups,
and an external referral through its lifecycle. Each step uses the real pages, as staff would."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from browser_steps import CRITERIA, fill_new_person_call, followups_of, navigate, save_call, unlabelled_fields

from browser_support import screenshot


def _case_id(app, call_id: int) -> int:
    import sqlalchemy as sa

    from models import Case, db

    with app.app_context():
        case_id = db.session.scalar(sa.select(Case.id).where(Case.origin_call_id == call_id))
        db.session.remove()
    return case_id


def _on_worklist(page, followup_id: int, name: str) -> bool:
    """Tell whether the nurse's home page lists a follow-up (its row, with the person's name)."""
    page.goto("/")
    row = page.locator(".followups-panel tr", has=page.locator(f'form[action$="/followups/{followup_id}/start"]'))
    return row.count() == 1 and name in row.inner_text()


def _check_due_on_the_right_day(nurse, clock, followup: tuple, name: str) -> None:
    """The follow-up is not on the worklist the day before it is due, and is there on the day."""
    followup_id, due, _status = followup
    today = clock.real_today()  # Brussels' day: at 23:30 UTC it is already tomorrow there
    try:
        clock.offset = dt.timedelta(days=(due - today).days - 1)
        assert not _on_worklist(nurse, followup_id, name)
        clock.offset = dt.timedelta(days=(due - today).days)
        assert _on_worklist(nurse, followup_id, name)
    finally:
        clock.offset = dt.timedelta()


def test_case_goes_from_the_nurse_to_the_team_to_the_case_manager_and_back_to_follow_ups(
    open_session, live_app, staff, clock
):
    # The nurse logs the call, ticks the four criteria and confirms case management.
    nurse = open_session("nurse")
    nurse.goto("/calls/new")
    fill_new_person_call(nurse, first_name="Berthe", last_name="Parcoursine", phone="0470 99 55 01")
    for criterion in CRITERIA:
        nurse.check(f"#{criterion}")
    nurse.wait_for_selector('#proposal [data-route="case_management"]')
    call_id = save_call(nurse)
    assert "Gestion de cas" in nurse.locator(".final-route").inner_text()

    # She hands over to a case manager with an SBAR note prefilled from the call.
    navigate(nurse, nurse.locator(f'a[href$="/cases/handoffs/new/{call_id}"]'))
    assert nurse.locator("#situation").input_value().strip()
    nurse.select_option("#to_user_id", str(staff["case_manager"][0]))
    nurse.fill("#recommendation", "Visite à domicile rapide ; le fils est joignable le soir.")
    screenshot(nurse, "04-handoff-note")
    assert unlabelled_fields(nurse) == []
    navigate(nurse, nurse.locator("form button[type=submit].primary"))
    assert re.search(r"/cases/handoffs/\d+$", nurse.url)
    handoff_path = urlsplit(nurse.url).path
    assert nurse.locator(".receipt.unread").count() == 1

    # The coordinator validates the orientation at the team meeting, then assigns the case.
    coordinator = open_session("coordinator")
    coordinator.goto("/meeting/")
    item = coordinator.locator(".review-item", has=coordinator.locator(f'a[href$="/calls/{call_id}"]'))
    assert "PARCOURSINE Berthe" in item.inner_text()
    screenshot(coordinator, "05-team-meeting")
    assert unlabelled_fields(coordinator) == []
    item.locator("form[action*='/validate'] input[name=agrees]").check()  # the person agrees to case management
    item.locator("form[action*='/validate'] input[name=agreement_how]").fill("Par téléphone, avec son fils")
    navigate(coordinator, item.locator("form[action*='/validate'] button"))
    assert coordinator.locator(".flash.success").count() == 1
    case_id = _case_id(live_app, call_id)
    assert case_id, "validating a case-management orientation opens a waiting case"
    coordinator.goto("/cases/waiting")
    navigate(coordinator, coordinator.locator(f'a[href$="/cases/{case_id}/assign"]'))
    coordinator.select_option("#case_manager_id", str(staff["case_manager"][0]))
    screenshot(coordinator, "06-assign-case")
    assert unlabelled_fields(coordinator) == []
    navigate(coordinator, coordinator.locator("form button[type=submit].primary"))
    coordinator.goto(f"/cases/{case_id}")
    assert "Cédric Gestionnaire" in coordinator.locator("dl.facts").first.inner_text()

    # The case manager reads the handoff (the nurse sees the read receipt) and opens the case.
    manager = open_session("case_manager")
    manager.goto("/cases/handoffs/")
    navigate(manager, manager.locator(f'a[href="{handoff_path}"]').first)
    assert "Visite à domicile rapide" in manager.content()
    nurse.goto(handoff_path)
    assert nurse.locator(".receipt.read").count() == 1

    # She records an assessment of the nine dimensions.
    manager.goto(f"/cases/{case_id}/assessments/new")
    assert unlabelled_fields(manager) == []
    for select in manager.locator("select[id$='_difficulty']").all():
        select.select_option(index=2)
    manager.locator("textarea[id$='_notes']").first.fill("Se déplace avec un déambulateur.")
    navigate(manager, manager.locator("form button[type=submit].primary"))
    manager.goto(f"/cases/{case_id}")
    assert "1 évaluation" in manager.content()

    # Then the service plan: the person's goals and one item.
    manager.goto(f"/cases/{case_id}/plan")
    manager.fill("#goals", "Rester chez elle en sécurité ; que son fils puisse souffler.")
    navigate(manager, manager.locator("form[action$='/plan/goals'] button[type=submit]"))
    manager.fill("#need", "Toilette du matin")
    manager.fill("#service", "Soins infirmiers à domicile")
    manager.fill("#professional", "Infirmière du quartier (synthétique)")
    manager.fill("#frequency", "Tous les jours")
    navigate(manager, manager.locator("form[action$='/plan/items'] button[type=submit]"))
    assert "Toilette du matin" in manager.content()
    screenshot(manager, "07-service-plan")
    assert unlabelled_fields(manager) == []

    # She closes the case; the helpline's follow-ups are scheduled 30 and 182 days later.
    manager.goto(f"/cases/{case_id}")
    manager.select_option("#reason", "goals_reached")
    manager.fill("#closed_on", clock.real_today().isoformat())
    navigate(manager, manager.locator("form[action$='/close'] button[type=submit]"))
    manager.goto(f"/cases/{case_id}")
    assert "Clôtur" in manager.locator(".case-status").inner_text()
    followups = followups_of(live_app, case_id=case_id)
    assert len(followups) == 2 and all(status == "pending" for _, _, status in followups)
    first_due, last_due = followups[0][1], followups[1][1]
    today = clock.real_today()  # Brussels' day: at 23:30 UTC it is already tomorrow there
    # 30 and 182 days after closure, moved to the next working day (weekends, Belgian holidays).
    assert 30 <= (first_due - today).days <= 34 and 182 <= (last_due - today).days <= 186
    assert first_due.weekday() < 5 and last_due.weekday() < 5

    # Time moves forward: each follow-up appears on the nurse's worklist on its due date.
    for followup in followups:
        _check_due_on_the_right_day(nurse, clock, followup, "PARCOURSINE Berthe")
    clock.offset = dt.timedelta(days=(first_due - today).days)
    try:
        nurse.goto("/")
        screenshot(nurse, "08-worklist-follow-up-due")
    finally:
        clock.offset = dt.timedelta()


def test_external_referral_goes_through_its_lifecycle(open_session, live_app, clock):
    # The coordinator adds a structure to the directory for the person's area.
    coordinator = open_session("coordinator")
    coordinator.goto("/directory/new")
    assert unlabelled_fields(coordinator) == []
    coordinator.fill("#name", "Répit des Aidants Synthétique")
    coordinator.select_option("#category", "carer_support")
    coordinator.fill("#postcodes", "4000-4099")
    navigate(coordinator, coordinator.locator("form button[type=submit]").last)
    assert re.search(r"/directory/\d+$", coordinator.url), coordinator.locator("main").inner_text()[:800]

    # The nurse logs a call answered by an external structure and refers the person.
    nurse = open_session("nurse")
    nurse.goto("/calls/new")
    fill_new_person_call(nurse, first_name="Armand", last_name="Orientin", phone="0470 99 55 02")
    nurse.wait_for_selector('#proposal [data-route="external"]')
    call_id = save_call(nurse)
    navigate(nurse, nurse.locator(f'a[href*="/referrals/new?call_id={call_id}"]'))
    nurse.get_by_label("Répit des Aidants Synthétique").check()
    assert nurse.locator("#consent_checked").is_checked()  # the consent given on the call
    screenshot(nurse, "09-referral-new")
    assert unlabelled_fields(nurse) == []
    navigate(nurse, nurse.locator("form[method=post] button[type=submit].primary"))
    assert re.search(rf"/calls/{call_id}$", nurse.url)
    navigate(nurse, nurse.locator(".referrals-panel a[href*='/referrals/']").first)
    referral_id = int(nurse.url.rsplit("/", 1)[1])
    assert "Envoy" in nurse.locator(".referral-status").inner_text()

    # The structure accepts, then the referral is done and successful.
    nurse.select_option("#status", "accepted")
    navigate(nurse, nurse.locator("form[action$='/status'] button[type=submit]"))
    assert "Accept" in nurse.locator(".referral-status").inner_text()
    nurse.select_option("#status", "done")
    nurse.select_option("#outcome", "successful")
    nurse.fill("#note", "Première séance de répit la semaine prochaine.")
    navigate(nurse, nurse.locator("form[action$='/status'] button[type=submit]"))
    assert nurse.locator(".history li").count() == 3
    assert nurse.locator("form[action$='/status']").count() == 0  # nothing follows "done"
    screenshot(nurse, "10-referral-done")
    assert unlabelled_fields(nurse) == []

    # Its follow-ups come due on the worklist on their dates.
    followups = followups_of(live_app, referral_id=referral_id)
    assert len(followups) == 2
    _check_due_on_the_right_day(nurse, clock, followups[0], "ORIENTIN Armand")
