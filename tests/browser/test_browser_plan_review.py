"""The plan co-produced over time, in a real browser: the overdue plan review shows on the case manager's
home and the coordinator's; she reviews the plan with the person and her carer, marks the version shared
with the GP; the next review is on the case and nothing is overdue any more."""

from __future__ import annotations

import datetime as dt

from browser_steps import navigate, unlabelled_fields

from browser_support import screenshot


def _case_due_for_review(app, manager_id: int) -> int:
    """Create a person with a carer and an active case assigned four months ago, with goals; return its id."""
    from helpline.cases.plans import set_goals
    from helpline.persons.service import set_names
    from models import Case, Person, PersonContact, User, db, utcnow

    with app.app_context():
        person = Person(birth_date=dt.date(1941, 6, 3), postcode="4020", gp_name="Dr Démo Généraliste")
        set_names(person, "Rosa", "Planeuse")
        person.contacts.append(PersonContact(kind="carer", name="Paul Planeur", relation="fils"))
        db.session.add(person)
        assigned = utcnow() - dt.timedelta(days=130)
        case = Case(
            person=person,
            status="active",
            priority="routine",
            case_manager_id=manager_id,
            opened_at=assigned,
            assigned_at=assigned,
        )
        db.session.add(case)
        db.session.flush()
        set_goals(case, "Rester chez moi, revoir mes amies.", db.session.get(User, manager_id))
        db.session.commit()
        case_id = case.id
        db.session.remove()
    return case_id


def test_the_plan_is_reviewed_with_the_person_and_shared_with_the_gp(open_session, live_app, staff):
    case_id = _case_due_for_review(live_app, staff["case_manager"][0])

    # Never reviewed with the person since her assignment four months ago: overdue for both of them.
    coordinator = open_session("coordinator")
    coordinator.goto("/")
    if coordinator.locator(".overdue-items li").count() < 10:  # the home shows the first ten
        assert "PLANEUSE Rosa" in coordinator.locator(".overdue-items").inner_text()
    coordinator.goto("/cases/overdue")
    assert "PLANEUSE Rosa" in coordinator.locator(".overdue-items").inner_text()
    manager = open_session("case_manager")
    manager.goto("/")
    due = manager.locator(".due-items li.overdue", has_text="PLANEUSE Rosa")
    assert "Révision du plan" in due.inner_text()
    navigate(manager, due.locator("a"))
    assert f"/cases/{case_id}/plan" in manager.url

    # She records the review: with the person and her carer (proposed), the GP absent, the next review in 3 months.
    form = manager.locator("form[action$='/plan/reviews']")
    assert form.locator("#carer_name").input_value() == "Paul Planeur"
    form.locator("#with_carer").check()
    form.locator("#note").fill("Accueil de jour le jeudi, aide ménagère maintenue.")
    assert unlabelled_fields(manager) == []
    navigate(manager, form.locator("button[type=submit]"))
    assert manager.locator(".flash.success").count() == 1
    row = manager.locator(".plan-reviews tbody tr").first.inner_text()
    assert "la personne" in row and "aidant·e : Paul Planeur" in row and "Accueil de jour le jeudi" in row
    assert "médecin traitant" not in row

    # Then marks this version as given to the GP.
    navigate(manager, manager.locator("form.share-gp button"))
    assert "La version 1 a été partagée avec le médecin traitant" in manager.locator(".plan-shared").inner_text()
    screenshot(manager, "32-plan-review-shared")

    # The case shows the next review; nothing of hers is overdue any more on either home.
    manager.goto(f"/cases/{case_id}")
    next_review = manager.locator(".plan-review-due").inner_text()
    assert "en retard" not in next_review and "/20" in next_review
    manager.goto("/")
    assert manager.locator(".due-items li.overdue", has_text="PLANEUSE Rosa").count() == 0
    coordinator.goto("/cases/overdue")
    assert "PLANEUSE Rosa" not in coordinator.locator(".overdue-items").inner_text()
