"""Assessment and reassessment compared side by side; the versioned service plan and its referral items."""

import sqlalchemy as sa
from cases_support import add_case, add_person, add_structure

from helpline.cases.assessments import compare
from helpline.cases.plans import current_plan
from models import Assessment, FollowUp, PlanItem, Referral, ReferralEvent, ServicePlan, db
from models.vocabulary import ASSESSMENT_DIMENSIONS


def _assessment_form(day: str, level: int, **overrides) -> dict:
    data = {"assessed_on": day}
    for dimension in ASSESSMENT_DIMENSIONS:
        data[f"{dimension}_difficulty"] = str(level)
        data[f"{dimension}_notes"] = f"note {dimension} {level}"
        if level >= 2:
            data[f"{dimension}_more_help"] = "y"
    data.update(overrides)
    return data


def test_reassessment_keeps_the_first_and_compares_them_side_by_side(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    assert client.post(f"/cases/{case.id}/assessments/new", data=_assessment_form("2026-01-10", 3)).status_code == 302
    second = _assessment_form("2026-03-10", 1, mobility_difficulty="3")
    assert client.post(f"/cases/{case.id}/assessments/new", data=second).status_code == 302
    assessments = db.session.scalars(sa.select(Assessment).order_by(Assessment.assessed_on)).all()
    assert len(assessments) == 2
    assert assessments[0].dimensions["cognition"] == {"difficulty": 3, "more_help": True, "notes": "note cognition 3"}
    assert assessments[1].dimensions["cognition"]["more_help"] is False
    rows = {row.dimension: row for row in compare(assessments)}
    assert (rows["cognition"].change, rows["cognition"].trend) == (-2, "better")
    assert (rows["mobility"].change, rows["mobility"].trend) == (0, "same")
    page = client.get(f"/cases/{case.id}/assessments").get_data(as_text=True)
    assert "note cognition 3" in page and "note cognition 1" in page and 'class="trend better"' in page


def test_reassessment_form_is_prefilled_from_the_last_assessment(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    client.post(f"/cases/{case.id}/assessments/new", data=_assessment_form("2026-01-10", 2))
    page = client.get(f"/cases/{case.id}/assessments/new").get_data(as_text=True)
    assert '<option selected value="2">' in page


def test_assessment_missing_a_difficulty_is_refused_and_keeps_the_notes(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    data = _assessment_form("2026-01-10", 1, cognition_difficulty="", cognition_notes="Oublis fréquents.")
    response = client.post(f"/cases/{case.id}/assessments/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="cognition_difficulty-error"' in page and "Oublis fréquents." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def _item(**overrides) -> dict:
    data = {
        "need": "Aide à la toilette",
        "service": "Soins à domicile",
        "structure_id": "",
        "professional": "Infirmière (fictive)",
        "frequency": "3x/semaine",
        "start_date": "2026-02-01",
        "responsible": "Gestionnaire",
        "status": "planned",
    }
    data.update(overrides)
    return data


def test_every_plan_change_is_a_new_version_with_items_copied(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    client.post(f"/cases/{case.id}/plan/goals", data={"goals": "Rester chez moi."})
    client.post(f"/cases/{case.id}/plan/items", data=_item())
    page = client.get(f"/cases/{case.id}/plan").get_data(as_text=True)
    assert "Aide à la toilette" in page and '<option value="in_place">' in page
    item_id = current_plan(case).items[0].id
    client.post(f"/cases/{case.id}/plan/items/{item_id}/status", data={"status": "in_place"})
    plans = db.session.scalars(sa.select(ServicePlan).order_by(ServicePlan.version)).all()
    assert [p.version for p in plans] == [1, 2, 3]
    assert [p.goals for p in plans] == ["Rester chez moi."] * 3
    assert [[i.status for i in p.items] for p in plans] == [[], ["planned"], ["in_place"]]
    assert plans[1].items[0].id != plans[2].items[0].id  # copied, never shared
    page = client.get(f"/cases/{case.id}/plan/versions").get_data(as_text=True)
    assert page.count('class="plan-version"') == 3


def test_plan_item_needs_a_structure_or_a_named_professional(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    response = client.post(f"/cases/{case.id}/plan/items", data=_item(**{"professional": ""}))
    assert response.status_code == 422
    assert 'id="professional-error"' in response.get_data(as_text=True)
    assert current_plan(case) is None


def _send_plan_referral(client, staff, switch_to):
    """As the first case manager, add a plan item sent as a referral; return the structure, case and referral."""
    structure = add_structure()
    case = add_case(staff["cm1"], person=add_person(by=staff["nurse"]))
    switch_to(staff["cm1"])
    data = _item(
        **{
            "structure_id": str(structure.id),
            "professional": "",
            "as_referral": "y",
            "message": "Merci de prendre contact.",
        }
    )
    assert client.post(f"/cases/{case.id}/plan/items", data=data).status_code == 302
    return structure, case, db.session.scalar(sa.select(Referral))


def test_referral_item_starts_the_referral_lifecycle_and_follows_the_current_version(client, staff, switch_to):
    structure, case, referral = _send_plan_referral(client, staff, switch_to)
    assert (referral.person_id, referral.structure_id, referral.status) == (case.person_id, structure.id, "sent")
    assert [e.to_status for e in db.session.scalars(sa.select(ReferralEvent))] == ["sent"]
    assert sorted(f.offset_days for f in db.session.scalars(sa.select(FollowUp))) == [30, 182]
    client.post(f"/cases/{case.id}/plan/goals", data={"goals": "Nouveaux objectifs."})
    db.session.expire_all()
    assert referral.plan_item_id == current_plan(case).items[0].id
    assert "Orientation : Envoyée" in client.get(f"/cases/{case.id}/plan").get_data(as_text=True)


def test_referral_item_without_consent_is_refused(client, staff, switch_to):
    structure = add_structure()
    case = add_case(staff["cm1"])  # the person gave no referral consent
    switch_to(staff["cm1"])
    data = _item(**{"structure_id": str(structure.id), "as_referral": "y", "message": "Bonjour."})
    response = client.post(f"/cases/{case.id}/plan/items", data=data)
    assert response.status_code == 422 and 'id="as_referral-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem)) == 0


def test_referral_item_needs_a_message_for_the_structure(client, staff, switch_to):
    structure = add_structure()
    case = add_case(staff["cm1"], person=add_person(by=staff["nurse"]))
    switch_to(staff["cm1"])
    response = client.post(
        f"/cases/{case.id}/plan/items", data=_item(**{"structure_id": str(structure.id), "as_referral": "y"})
    )
    assert response.status_code == 422 and 'id="message-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0


def test_current_plan_prints_on_a_print_friendly_page(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    client.post(f"/cases/{case.id}/plan/goals", data={"goals": "Revoir mes petits-enfants."})
    page = client.get(f"/cases/{case.id}/plan/print").get_data(as_text=True)
    assert "cases_print.css" in page and "Revoir mes petits-enfants." in page
    assert "Dr Généraliste" in page  # for the person and their GP


def test_case_manager_follows_her_plan_referral_through_its_lifecycle_and_others_cannot(client, staff, switch_to):
    _structure, _case, referral = _send_plan_referral(client, staff, switch_to)
    assert client.get(f"/referrals/{referral.id}").status_code == 200
    response = client.post(f"/referrals/{referral.id}/status", data={"status": "accepted"})
    assert response.status_code == 302
    db.session.expire_all()
    assert referral.status == "accepted" and referral.events[-1].by_id == staff["cm1"].id
    switch_to(staff["cm2"])
    assert client.get(f"/referrals/{referral.id}").status_code == 403
    assert client.post(f"/referrals/{referral.id}/status", data={"status": "declined"}).status_code == 403
    assert client.get("/referrals/").status_code == 403  # the nurses' list stays theirs


def test_the_persons_own_rating_is_kept_beside_the_case_managers_and_compared(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    first = _assessment_form("2026-01-10", 2, cognition_person_difficulty="1", mobility_person_difficulty="3")
    assert client.post(f"/cases/{case.id}/assessments/new", data=first).status_code == 302
    page = client.get(f"/cases/{case.id}/assessments/new").get_data(as_text=True)  # prefilled, hers too
    assert 'id="mobility_person_difficulty"' in page and page.count('<option selected value="3">') == 1
    second = _assessment_form("2026-03-10", 2, mobility_person_difficulty="1")
    assert client.post(f"/cases/{case.id}/assessments/new", data=second).status_code == 302
    assessments = db.session.scalars(sa.select(Assessment).order_by(Assessment.assessed_on)).all()
    assert assessments[0].dimensions["cognition"]["person_difficulty"] == 1
    assert "person_difficulty" not in assessments[1].dimensions["cognition"]  # not asked this time
    rows = {row.dimension: row for row in compare(assessments)}
    assert (rows["mobility"].change, rows["mobility"].person_change) == (0, -2)  # she feels better
    assert rows["cognition"].person_rated and rows["cognition"].person_change == 0
    assert not rows["daily_living"].person_rated
    page = client.get(f"/cases/{case.id}/assessments").get_data(as_text=True)
    assert "la personne : 3" in page and "pour la personne : -2" in page


def test_a_rating_outside_the_scale_is_refused_and_named(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    data = _assessment_form("2026-01-10", 1, cognition_person_difficulty="7", cognition_notes="Oublis.")
    response = client.post(f"/cases/{case.id}/assessments/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="cognition_person_difficulty-error"' in page and "Oublis." in page
