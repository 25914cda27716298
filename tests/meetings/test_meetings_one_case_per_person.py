"""The team meeting shows one agenda entry per person and never opens a second case for her."""

from __future__ import annotations

import re

import sqlalchemy as sa

from models import Case, Handoff, ReviewItem, db
from support import agreement_form, make_user

ALL_CRITERIA = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


def _again(logged, call, **overrides):
    """Log another call about the same person."""
    return logged(person_id=str(call.person_id), first_name="", last_name="", birth_date="", **overrides)


def _coordinator(client, login_as):
    client.post("/logout")
    return login_as("coordinator")


def test_two_calls_about_one_person_are_one_agenda_entry_and_open_one_case(
    client, login_as, logged, case_management_call, nurse
):
    second = _again(logged, case_management_call, route="case_management", summary="La fille rappelle.", **ALL_CRITERIA)
    manager = make_user("case_manager", name="Camille Gestion")
    db.session.add(
        Handoff(call_id=second.id, from_user_id=nurse.id, to_user_id=manager.id, situation="Chutes répétées.")
    )
    db.session.commit()
    _coordinator(client, login_as)

    page = client.get("/meeting/").get_data(as_text=True)

    assert len(re.findall(r'<section class="review-item"', page)) == 1
    assert f'id="agenda-call-{case_management_call.id}"' in page and f'id="agenda-call-{second.id}"' in page
    assert "Transmission envoyée à Camille Gestion" in page and "Aucune transmission envoyée." in page
    lead = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.call_id == case_management_call.id))

    response = client.post(f"/meeting/items/{lead.id}/validate", data=agreement_form())

    db.session.expire_all()
    cases = db.session.scalars(sa.select(Case)).all()
    assert len(cases) == 1 and cases[0].status == "waiting"
    assert response.headers["Location"].endswith(f"/cases/{cases[0].id}/assign")  # assignment in the same step
    assert {i.status for i in db.session.scalars(sa.select(ReviewItem))} == {"validated"}
    assert db.session.scalar(sa.select(Handoff)).case_id == cases[0].id


def test_validating_case_management_for_a_followed_person_keeps_her_one_case(
    client, login_as, logged, case_management_call
):
    _coordinator(client, login_as)
    first = db.session.scalar(sa.select(ReviewItem))
    client.post(f"/meeting/items/{first.id}/validate", data=agreement_form())
    case = db.session.scalar(sa.select(Case))
    case.status, case.case_manager_id = "active", make_user("case_manager").id
    db.session.commit()
    client.post("/logout")
    login_as("nurse")
    # The triage now proposes the relay; the nurse insists on case management.
    again = _again(
        logged, case_management_call, route="case_management", override_reason="Nouvelle demande.", **ALL_CRITERIA
    )
    assert again.overridden and again.proposal["route"] == "relay"
    _coordinator(client, login_as)

    page = client.get("/meeting/").get_data(as_text=True)
    assert "Déjà un dossier (Actif)" in page
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.call_id == again.id))
    response = client.post(f"/meeting/items/{item.id}/validate", data=agreement_form())

    assert response.status_code == 302 and response.headers["Location"].endswith("/meeting/")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
