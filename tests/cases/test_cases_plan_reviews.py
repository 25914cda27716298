"""The service plan co-produced over time: who took part in each review (the person, a carer, the GP),
the next review day, the version shared with the GP; the due reassessments and plan reviews on the case,
the case manager's home, the coordinator's list and the weekly meeting; erasure and the access export."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cases_support import add_case, add_person
from lxml import html

from helpline.cases.reviews import due_dates, due_items
from helpline.formatting import add_months, to_local
from helpline.meetings.record import followed_this_week
from helpline.privacy.erasure import pseudonymise
from helpline.privacy.export import person_data
from models import Assessment, AuditEvent, PersonContact, PlanReview, ServicePlan, db, utcnow

TODAY = dt.date.today()


def _doc(response):
    return html.fromstring(response.get_data(as_text=True))


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _review(case_id: int, client, **overrides):
    data = {
        "reviewed_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "next_review_on": (TODAY + dt.timedelta(days=90)).isoformat(),
        "with_person": "y",
        "with_carer": "y",
        "carer_name": "Marc Aidant",
        "with_gp": "y",
        "others": "Infirmière à domicile",
        "note": "Aide ménagère deux fois par semaine, kiné le mardi.",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/cases/{case_id}/plan/reviews", data=data)


def _with_goals(case, client):
    assert client.post(f"/cases/{case.id}/plan/goals", data={"goals": "Rester chez moi."}).status_code == 302


def test_a_review_records_who_took_part_and_the_next_review_shown_on_the_plan_case_and_print(client, staff, switch_to):
    person = add_person()
    person.contacts.append(PersonContact(kind="carer", name="Marc Aidant", relation="fils", phone="+32470000111"))
    db.session.commit()
    case = add_case(staff["cm1"], person=person)
    switch_to(staff["cm1"])
    _with_goals(case, client)
    form = _doc(client.get(f"/cases/{case.id}/plan"))
    # The form proposes today, the next review three months on (CASE_PLAN_REVIEW_MONTHS) and her carer.
    assert form.xpath("//input[@name='reviewed_on']/@value") == [TODAY.isoformat()]
    assert form.xpath("//input[@name='next_review_on']/@value") == [add_months(TODAY, 3).isoformat()]
    assert form.xpath("//input[@name='carer_name']/@value") == ["Marc Aidant"]
    assert form.xpath("//datalist[@id='carer-names']/option/@value") == ["Marc Aidant"]

    assert _review(case.id, client).status_code == 302

    review = db.session.scalar(sa.select(PlanReview))
    plan = db.session.scalar(sa.select(ServicePlan))
    assert (review.with_person, review.with_carer, review.carer_name, review.with_gp) == (
        True,
        True,
        "Marc Aidant",
        True,
    )
    assert review.plan_id == plan.id and review.by_id == staff["cm1"].id
    row = _doc(client.get(f"/cases/{case.id}/plan")).xpath(f"//tr[@id='review-{review.id}']")[0].text_content()
    assert "la personne" in row and "aidant·e : Marc Aidant" in row and "le médecin traitant (Dr Généraliste)" in row
    assert "Infirmière à domicile" in row and "kiné le mardi" in row and _day(TODAY + dt.timedelta(days=90)) in row
    case_page = _doc(client.get(f"/cases/{case.id}"))
    assert case_page.xpath("string(//dd[@class='plan-review-due'])").strip() == _day(TODAY + dt.timedelta(days=90))
    printed = client.get(f"/cases/{case.id}/plan/print").get_data(as_text=True)
    assert "Élaboré avec" in printed and "aidant·e : Marc Aidant" in printed
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "plan_review"))
    assert (event.action, event.object_id, event.person_id) == ("create", review.id, case.person_id)
    assert event.detail == {"case_id": case.id, "plan_version": 1}  # ids, never the names typed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reviewed_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "reviewed_on", "dans le futur"),
        ({"next_review_on": (TODAY - dt.timedelta(days=2)).isoformat()}, "next_review_on", "doit suivre"),
        ({"with_person": None, "with_carer": None}, "with_person", "cochez qui y a pris part"),
        ({"carer_name": ""}, "carer_name", "Nommez l'aidant·e"),
        ({"reviewed_on": ""}, "reviewed_on", "Indiquez le jour de la révision"),
    ],
)
def test_a_review_refused_names_its_field_and_keeps_what_was_typed(client, staff, switch_to, overrides, field, message):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])

    response = _review(case.id, client, **overrides)

    assert response.status_code == 422
    page = _doc(response)
    (error,) = page.xpath(f"//p[@id='{field}-error']")
    assert message in error.text_content()
    assert page.xpath("//input[@name='others']/@value") == ["Infirmière à domicile"]
    assert "kiné le mardi" in page.xpath("string(//textarea[@name='note'])")
    assert db.session.scalar(sa.select(sa.func.count(PlanReview.id))) == 0


def test_another_case_manager_may_not_review_nor_share_the_plan(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm2"])
    assert _review(case.id, client).status_code == 403
    assert client.post(f"/cases/{case.id}/plan/share", data={"shared_on": TODAY.isoformat()}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(PlanReview.id))) == 0


def test_the_version_shared_with_the_gp_is_recorded_and_a_later_version_is_not_shared_until_it_is(
    client, staff, switch_to
):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    assert "pas encore de plan" in client.post(f"/cases/{case.id}/plan/share", data={}, follow_redirects=True).get_data(
        as_text=True
    )
    _with_goals(case, client)

    refused = client.post(
        f"/cases/{case.id}/plan/share", data={"shared_on": (TODAY + dt.timedelta(days=1)).isoformat()}
    )
    assert refused.status_code == 422 and "ne peut pas être dans le futur" in refused.get_data(as_text=True)
    assert client.post(f"/cases/{case.id}/plan/share", data={"shared_on": TODAY.isoformat()}).status_code == 302

    first = db.session.scalar(sa.select(ServicePlan).where(ServicePlan.version == 1))
    assert (first.shared_with_gp_on, first.shared_with_gp_by_id) == (TODAY, staff["cm1"].id)
    shared = _doc(client.get(f"/cases/{case.id}/plan")).xpath("string(//p[@class='plan-shared'])")
    assert f"La version 1 a été partagée avec le médecin traitant le {_day(TODAY)}" in shared
    assert "Dr Généraliste" in shared

    assert client.post(f"/cases/{case.id}/plan/goals", data={"goals": "Rester chez moi, sortir."}).status_code == 302
    page = _doc(client.get(f"/cases/{case.id}/plan"))
    assert "La version actuelle (2) n'a pas encore été partagée." in page.xpath("string(//p[@class='plan-shared'])")
    assert page.xpath("//form[contains(@class, 'share-gp')]//button/text()") == ["Noter la version 2 comme partagée"]
    audit = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "service_plan", AuditEvent.action == "export")
    ).all()
    assert [e.detail.get("shared_with") for e in audit] == ["gp"]


def test_due_dates_follow_the_last_assessment_and_the_last_review_else_the_assignment(app, staff):
    assigned = utcnow() - dt.timedelta(days=10)
    case = add_case(staff["cm1"], assigned_at=assigned)
    start = to_local(assigned).date()  # the assignment day, local time
    due = due_dates([case])[case.id]
    assert (due.reassessment, due.plan_review, due.reviewed) == (add_months(start, 6), add_months(start, 3), False)

    db.session.add(Assessment(case_id=case.id, assessed_on=TODAY - dt.timedelta(days=3), by_id=staff["cm1"].id))
    for reviewed_on, next_on in (
        (TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=40)),
        (TODAY, TODAY + dt.timedelta(days=20)),
    ):
        db.session.add(
            PlanReview(case_id=case.id, reviewed_on=reviewed_on, next_review_on=next_on, by_id=staff["cm1"].id)
        )
    db.session.commit()
    due = due_dates([case])[case.id]
    # The latest review by its day sets the next one, whatever the order they were typed in.
    assert (due.reassessment, due.plan_review, due.reviewed) == (
        add_months(TODAY - dt.timedelta(days=3), 6),
        TODAY + dt.timedelta(days=20),
        True,
    )
    app.config["CASE_REASSESSMENT_MONTHS"] = 2
    assert due_dates([case])[case.id].reassessment == add_months(TODAY - dt.timedelta(days=3), 2)
    closed = add_case(staff["cm1"], status="closed")
    assert closed.id not in due_dates([case, closed])


def test_the_case_managers_home_lists_her_cases_due_within_30_days_and_the_overdue_ones(client, staff, switch_to):
    overdue = add_case(staff["cm1"], person=add_person("Olga", "Retard"), assigned_at=utcnow() - dt.timedelta(days=120))
    soon = add_case(staff["cm1"], person=add_person("Sami", "Bientot"))
    later = add_case(staff["cm1"], person=add_person("Lina", "Tard"))
    for case, next_on in ((soon, TODAY + dt.timedelta(days=12)), (later, TODAY + dt.timedelta(days=60))):
        db.session.add(PlanReview(case_id=case.id, reviewed_on=TODAY, next_review_on=next_on, by_id=staff["cm1"].id))
    other = add_case(staff["cm2"], person=add_person("Autre", "Gestion"), assigned_at=utcnow() - dt.timedelta(days=200))
    db.session.commit()
    switch_to(staff["cm1"])

    items = _doc(client.get("/")).xpath("//ul[@class='due-items']/li")

    texts = [li.text_content() for li in items]
    assert len(texts) == 2 and "Olga" in texts[0] and "Sami" in texts[1]
    assert "Révision du plan" in texts[0] and "en retard" in texts[0] and items[0].get("class") == "overdue"
    assert _day(TODAY + dt.timedelta(days=12)) in texts[1] and "en retard" not in texts[1]
    assert not any("Lina" in t or "Autre" in t for t in texts)
    assert overdue.id and other.id


def test_the_coordinator_sees_every_overdue_review_with_its_case_manager_and_a_case_manager_may_not(
    client, staff, switch_to
):
    late = add_case(staff["cm1"], person=add_person("Olga", "Retard"), assigned_at=utcnow() - dt.timedelta(days=200))
    add_case(staff["cm2"], person=add_person("Sami", "Ajour"))
    switch_to(staff["coordinator"])

    home = _doc(client.get("/")).xpath("//ul[@class='overdue-items']/li")
    page = _doc(client.get("/cases/overdue")).xpath("//table[contains(@class, 'overdue-items')]/tbody/tr")

    assert [li.text_content().count("Olga") for li in home] == [1, 1]  # reassessment and plan review
    rows = [tr.text_content() for tr in page]
    assert len(rows) == 2 and all("Olga" in r and staff["cm1"].name in r for r in rows)
    assert {"Réévaluation", "Révision du plan"} == {tr.xpath("string(td[2])") for tr in page}
    listed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "list")).all()
    assert any(e.detail["page"] == "cases.overdue" and late.person_id in e.detail["ids"] for e in listed)
    switch_to(staff["cm1"])
    assert client.get("/cases/overdue").status_code == 403


def test_an_overdue_plan_review_puts_the_case_on_the_weekly_meeting(app, staff):
    case = add_case(staff["cm1"])
    db.session.add(Assessment(case_id=case.id, assessed_on=TODAY, by_id=staff["cm1"].id))
    db.session.add(
        PlanReview(
            case_id=case.id,
            reviewed_on=TODAY - dt.timedelta(days=100),
            next_review_on=TODAY - dt.timedelta(days=8),
            by_id=staff["cm1"].id,
        )
    )
    db.session.commit()

    (followed,) = followed_this_week()

    assert followed.reasons == ["plan_review_overdue"] and followed.plan_review_due == TODAY - dt.timedelta(days=8)
    assert followed.reassessment_due is None
    assert [i.kind for i in due_items([case], within_days=None)] == ["plan_review"]


def test_erasure_blanks_what_the_reviews_say_and_the_access_export_holds_them(app, staff):
    case = add_case(staff["cm1"])
    db.session.add(
        PlanReview(
            case_id=case.id,
            reviewed_on=TODAY,
            next_review_on=TODAY + dt.timedelta(days=30),
            with_carer=True,
            carer_name="Marc Aidant",
            others="Voisine Démo",
            note="Convenu avec Marc.",
            by_id=staff["cm1"].id,
        )
    )
    db.session.commit()
    (exported,) = person_data(case.person)["cases"][0]["plan_reviews"]
    assert exported["carer_name"] == "Marc Aidant" and exported["by"] == staff["cm1"].name

    pseudonymise(case.person, "Demande de la personne", user_id=staff["coordinator"].id)
    db.session.commit()
    db.session.expire_all()

    review = db.session.scalar(sa.select(PlanReview))
    assert (review.carer_name, review.others, review.note) == (None, None, "")
    assert (review.reviewed_on, review.with_carer) == (TODAY, True)  # the figures stay
