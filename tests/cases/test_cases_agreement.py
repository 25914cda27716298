"""The person's agreement to case management is recorded where her case opens; her plan then reaches FHIR."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from cases_support import add_call, add_case, add_person
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan

from models import Case, Consent, ReviewItem, db
from support import agreement_form

ALL_CRITERIA = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


def _case_management_call(log_call, staff, switch_to):
    switch_to(staff["nurse"])
    response = log_call(route="case_management", **ALL_CRITERIA)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(ReviewItem))


def _agreements(person_id: int) -> list[Consent]:
    stmt = sa.select(Consent).where(Consent.person_id == person_id, Consent.purpose == "case_management")
    return list(db.session.scalars(stmt))


def test_normal_flow_with_the_agreement_ticked_exports_the_plan_as_a_care_plan(
    client, runner, tmp_path, staff, switch_to, log_call
):
    item = _case_management_call(log_call, staff, switch_to)
    switch_to(staff["coordinator"])
    page = client.get("/meeting/").get_data(as_text=True)
    assert f'id="agrees-{item.id}"' in page and "La personne adhère à la gestion de cas" in page

    response = client.post(f"/meeting/items/{item.id}/validate", data=agreement_form())

    case = db.session.scalar(sa.select(Case))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}/assign")
    (consent,) = _agreements(case.person_id)
    assert consent.granted and consent.given_on == dt.date.today() and consent.note == "Par téléphone, avec sa fille"
    assert consent.recorded_by_id == staff["coordinator"].id
    page = client.get(f"/cases/{case.id}/assign").get_data(as_text=True)
    assert "La personne a adhéré à la gestion de cas le" in page and 'name="agrees"' not in page
    response = client.post(f"/cases/{case.id}/assign", data={"case_manager_id": str(staff["cm1"].id)})
    assert response.status_code == 302
    switch_to(staff["cm1"])
    item_data = {"need": "Aide à la toilette", "service": "Soins infirmiers", "professional": "Infirmière Démo"}
    assert client.post(f"/cases/{case.id}/plan/items", data={**item_data, "status": "planned"}).status_code == 302
    review = {
        "reviewed_on": dt.date.today().isoformat(),
        "next_review_on": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        "with_person": "y",
        "with_carer": "y",
        "carer_name": "Fille Démo",
        "with_gp": "y",
    }
    assert client.post(f"/cases/{case.id}/plan/reviews", data=review).status_code == 302

    out = tmp_path / "bundle.json"
    result = runner.invoke(args=["export", "fhir", "--out", str(out)])
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    (plan,) = [e.resource for e in bundle.entry if isinstance(e.resource, CarePlan)]
    assert plan.activity[0].detail.code.text == "Soins infirmiers"
    # Co-produced: the person, her carer and her GP took part in the plan's latest review.
    contributors = [(c.type, c.display, c.reference) for c in plan.contributor]
    assert contributors[0] == (None, None, plan.subject.reference)  # the person herself
    assert contributors[1:] == [("RelatedPerson", "Fille Démo", None), ("Practitioner", "Dr Généraliste", None)]


def test_without_the_tick_no_case_opens_and_the_form_names_the_field_keeping_what_was_typed(
    client, staff, switch_to, log_call
):
    item = _case_management_call(log_call, staff, switch_to)
    switch_to(staff["coordinator"])

    response = client.post(
        f"/meeting/items/{item.id}/validate",
        data=agreement_form(agrees=None, agreement_how="Lors de la visite de l'infirmière", agreement_on="2026-01-05"),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La personne adhère à la gestion de cas : Cochez-la" in page
    assert "Lors de la visite de l&#39;infirmière" in page and 'value="2026-01-05"' in page
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    db.session.refresh(item)
    assert item.status == "pending" and _agreements(item.call.person_id) == []


def test_missing_how_and_a_future_day_are_each_named(client, staff, switch_to, log_call):
    item = _case_management_call(log_call, staff, switch_to)
    switch_to(staff["coordinator"])
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()

    response = client.post(
        f"/meeting/items/{item.id}/validate", data=agreement_form(agreement_how="  ", agreement_on=tomorrow)
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Comment elle a adhéré : Dites comment la personne a adhéré" in page
    assert "Date de l'adhésion : La date ne peut pas être dans le futur." in page
    bad = client.post(f"/meeting/items/{item.id}/validate", data=agreement_form(agreement_on="05/01/2026x"))
    assert bad.status_code == 422 and 'value="05/01/2026x"' in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_reorienting_to_case_management_asks_for_the_agreement(client, staff, switch_to, log_call):
    switch_to(staff["nurse"])
    assert log_call(autonomy_problem="y", medical_problem="y", support_inadequate="y").status_code == 302
    item = db.session.scalar(sa.select(ReviewItem))
    assert item.call.route != "case_management"
    switch_to(staff["coordinator"])
    data = {"new_route": "case_management", "reason": "Situation complexe."}

    refused = client.post(f"/meeting/items/{item.id}/reorient", data=data)
    assert refused.status_code == 422 and "Cochez-la" in refused.get_data(as_text=True)
    both = client.post(f"/meeting/items/{item.id}/reorient", data={**data, "reason": ""}).get_data(as_text=True)
    assert 'id="reason-error"' in both and 'id="agrees-error"' in both  # every missing field at once
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0

    response = client.post(f"/meeting/items/{item.id}/reorient", data={**data, **agreement_form()})
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.status == "waiting" and len(_agreements(case.person_id)) == 1


def test_validating_another_route_asks_nothing(client, staff, switch_to, log_call):
    switch_to(staff["nurse"])
    assert log_call(autonomy_problem="y", medical_problem="y", support_inadequate="y").status_code == 302
    item = db.session.scalar(sa.select(ReviewItem))
    switch_to(staff["coordinator"])
    page = client.get("/meeting/").get_data(as_text=True)
    assert f'id="agrees-{item.id}"' not in page
    assert client.post(f"/meeting/items/{item.id}/validate").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_a_waiting_case_without_the_agreement_is_given_a_manager_only_with_it(client, staff, switch_to):
    case = add_case(status="waiting", person=add_person(by=staff["nurse"]))
    switch_to(staff["coordinator"])
    page = client.get(f"/cases/{case.id}/assign").get_data(as_text=True)
    assert 'name="agrees"' in page

    refused = client.post(
        f"/cases/{case.id}/assign", data={"case_manager_id": str(staff["cm1"].id), "agreement_how": "Par courrier"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and re.search(r'id="agrees-error"[^>]*>La personne adhère', page)
    assert 'value="Par courrier"' in page
    db.session.refresh(case)
    assert case.status == "waiting"

    data = {"case_manager_id": str(staff["cm1"].id), **agreement_form(agreement_how="Par courrier")}
    assert client.post(f"/cases/{case.id}/assign", data=data).status_code == 302
    db.session.refresh(case)
    assert case.status == "active" and _agreements(case.person_id)[0].note == "Par courrier"


def test_a_case_opened_from_the_call_page_waits_for_the_agreement_at_assignment(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["coordinator"])
    response = client.post(f"/cases/from-call/{call.id}")
    case = db.session.scalar(sa.select(Case))
    assert response.headers["Location"].endswith(f"/cases/{case.id}/assign")
    assert client.post(f"/cases/{case.id}/assign", data={"case_manager_id": str(staff["cm1"].id)}).status_code == 422


# The person declines case management


def test_the_person_declining_is_recorded_and_her_calls_go_to_another_route_no_case_opens(
    client, staff, switch_to, log_call
):
    item = _case_management_call(log_call, staff, switch_to)
    switch_to(staff["coordinator"])
    page = client.get("/meeting/").get_data(as_text=True)
    assert f'action="/meeting/items/{item.id}/refuse"' in page and "La personne refuse la gestion de cas" in page
    day = dt.date.today().isoformat()

    response = client.post(
        f"/meeting/items/{item.id}/refuse",
        data={"refusal_how": "Par téléphone : elle préfère attendre", "refused_on": day, "refusal_route": "external"},
    )

    assert response.status_code == 302 and response.headers["Location"].endswith("/meeting/")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    (refusal,) = _agreements(item.call.person_id)
    assert (refusal.granted, refusal.note, refusal.recorded_by_id) == (
        False,
        "Par téléphone : elle préfère attendre",
        staff["coordinator"].id,
    )
    db.session.refresh(item)
    assert (item.status, item.new_route, item.call.route) == ("reoriented", "external", "external")
    assert item.reason == "La personne refuse la gestion de cas : Par téléphone : elle préfère attendre"


def test_a_refusal_without_how_or_in_the_future_is_refused_naming_the_field_and_keeping_what_was_typed(
    client, staff, switch_to, log_call
):
    item = _case_management_call(log_call, staff, switch_to)
    switch_to(staff["coordinator"])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    response = client.post(
        f"/meeting/items/{item.id}/refuse",
        data={"refusal_how": "", "refused_on": tomorrow, "refusal_route": "case_management"},
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Comment elle a refusé : Dites comment la personne a refusé" in page
    assert "Refusé le : La date ne peut pas être dans le futur." in page
    assert "Orientation à la place : N&#39;est pas un choix valide." in page  # never case management again
    assert f'value="{tomorrow}"' in page
    db.session.refresh(item)
    assert item.status == "pending" and _agreements(item.call.person_id) == []


def test_her_next_orientation_shows_that_she_declined_and_her_agreement_later_opens_the_case(
    client, staff, switch_to, log_call
):
    first = _case_management_call(log_call, staff, switch_to)
    person_id = first.call.person_id
    switch_to(staff["coordinator"])
    day = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    refusal = {"refusal_how": "À domicile", "refused_on": day, "refusal_route": "information"}
    assert client.post(f"/meeting/items/{first.id}/refuse", data=refusal).status_code == 302

    switch_to(staff["nurse"])
    response = log_call(route="case_management", person_id=str(person_id), **ALL_CRITERIA)
    assert response.status_code == 302
    second = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.status == "pending"))
    switch_to(staff["coordinator"])
    page = client.get("/meeting/").get_data(as_text=True)
    declined_on = (dt.date.today() - dt.timedelta(days=20)).strftime("%d/%m/%Y")
    assert f"La personne a refusé la gestion de cas le {declined_on} (À domicile)." in page
    assert f'id="agrees-{second.id}"' in page  # her agreement is asked again

    assert client.post(f"/meeting/items/{second.id}/validate", data=agreement_form()).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    assert [c.granted for c in _agreements(person_id)] == [False, True]


def test_declining_at_assignment_closes_the_waiting_case_and_the_line_calls_her_back(client, staff, switch_to):
    from models import FollowUp

    case = add_case(status="waiting")
    switch_to(staff["coordinator"])
    page = client.get(f"/cases/{case.id}/assign").get_data(as_text=True)
    assert f'action="/cases/{case.id}/decline"' in page

    refused = client.post(f"/cases/{case.id}/decline", data={"refusal_how": "", "refused_on": ""})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Comment elle a refusé : Dites comment" in page and "Refusé le : Indiquez la date du refus." in page
    day = dt.date.today() - dt.timedelta(days=1)
    response = client.post(
        f"/cases/{case.id}/decline", data={"refusal_how": "Au téléphone avec son fils", "refused_on": day.isoformat()}
    )

    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.status, case.closure_reason, case.closure_note) == ("closed", "refused", "Au téléphone avec son fils")
    (refusal,) = _agreements(case.person_id)
    assert (refusal.granted, refusal.given_on) == (False, day)
    followups = db.session.scalars(sa.select(FollowUp).where(FollowUp.case_id == case.id)).all()
    assert sorted((f.offset_days, f.status) for f in followups) == [(30, "pending"), (182, "pending")]
    switch_to(staff["cm1"])
    assert client.post(f"/cases/{case.id}/decline", data={}).status_code == 403
