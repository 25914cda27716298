"""Warm handoff: a prefilled SBAR note delivered to an inbox with an unread count, and read receipts."""

import sqlalchemy as sa
from cases_support import add_call, add_case

from helpline.cases.handoffs import unread_count
from helpline.cases.service import open_case_for_call
from models import AuditEvent, Case, Handoff, db


def _send(client, call, to="", **parts):
    data = {
        "to_user_id": to,
        "situation": "Chutes répétées.",
        "background": "Vit seule.",
        "assessment": "3 critères.",
        "recommendation": "Gestion de cas.",
    }
    data.update(parts)
    return client.post(f"/cases/handoffs/new/{call.id}", data=data)


def test_handoff_page_is_prefilled_from_the_call_and_proposes_the_manager_with_most_room(client, staff, switch_to):
    add_case(staff["cm1"])  # cm1 has less room than cm2
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    page = client.get(f"/cases/handoffs/new/{call.id}").get_data(as_text=True)
    assert "Chutes répétées, aides refusées." in page  # the call's summary, in the situation
    assert "Dr Généraliste" in page  # background: the person's GP
    assert f'<option selected value="{staff["cm2"].id}">' in page


def test_handoff_is_delivered_to_the_inbox_with_an_unread_count_and_read_receipt(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    response = _send(client, call, to=str(staff["cm1"].id), situation="Situation modifiée par l'infirmière.")
    assert response.status_code == 302
    handoff = db.session.scalar(sa.select(Handoff))
    assert (handoff.to_user_id, handoff.from_user_id, handoff.read_at) == (staff["cm1"].id, staff["nurse"].id, None)
    assert handoff.situation == "Situation modifiée par l'infirmière."
    assert 'class="receipt unread"' in client.get(f"/calls/{call.id}").get_data(as_text=True)

    switch_to(staff["cm1"])
    assert unread_count(staff["cm1"]) == 1
    home = client.get("/").get_data(as_text=True)
    assert "(1 " in home  # menu badge and home panel carry the unread count
    client.get(f"/cases/handoffs/{handoff.id}")
    db.session.expire_all()
    assert handoff.read_at is not None and handoff.read_by_id == staff["cm1"].id
    assert unread_count(staff["cm1"]) == 0

    switch_to(staff["nurse"])
    assert 'class="receipt read"' in client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'class="receipt read"' in client.get("/cases/handoffs/").get_data(as_text=True)
    actions = set(db.session.execute(sa.select(AuditEvent.action, AuditEvent.object_type)).all())
    assert {("create", "handoff"), ("update", "handoff"), ("read", "handoff")} <= actions


def test_sender_opening_her_handoff_does_not_mark_it_read(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    _send(client, call, to=str(staff["cm1"].id))
    handoff = db.session.scalar(sa.select(Handoff))
    assert client.get(f"/cases/handoffs/{handoff.id}").status_code == 200
    db.session.expire_all()
    assert handoff.read_at is None


def test_handoff_goes_to_the_team_inbox_when_nobody_is_named(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    _send(client, call, to="team")
    handoff = db.session.scalar(sa.select(Handoff))
    assert handoff.to_user_id is None
    assert unread_count(staff["coordinator"]) == 1 and unread_count(staff["cm1"]) == 0


def test_handoff_without_situation_is_refused_and_keeps_what_was_typed(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    response = _send(client, call, to=str(staff["cm1"].id), situation="", background="Texte tapé à garder.")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Texte tapé à garder." in page and 'id="situation-error"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handoff)) == 0


def test_another_case_manager_cannot_open_a_handoff_not_addressed_to_them(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["nurse"])
    _send(client, call, to=str(staff["cm1"].id))
    handoff = db.session.scalar(sa.select(Handoff))
    switch_to(staff["cm2"])
    assert client.get(f"/cases/handoffs/{handoff.id}").status_code == 403


def test_opening_the_case_for_a_call_is_idempotent_and_links_its_handoffs(client, staff, switch_to):
    call = add_call(staff["nurse"], priority="immediate")
    switch_to(staff["nurse"])
    _send(client, call, to=str(staff["cm1"].id))
    first = open_case_for_call(call, staff["coordinator"])
    second = open_case_for_call(call, staff["coordinator"])
    db.session.commit()
    assert first.id == second.id
    assert (first.status, first.priority, first.person_id) == ("waiting", "immediate", call.person_id)
    assert db.session.scalar(sa.select(Handoff)).case_id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_coordinator_opens_the_case_from_the_call_page(client, staff, switch_to):
    call = add_call(staff["nurse"])
    switch_to(staff["coordinator"])
    assert f"/cases/from-call/{call.id}" in client.get(f"/calls/{call.id}").get_data(as_text=True)
    response = client.post(f"/cases/from-call/{call.id}")
    case = db.session.scalar(sa.select(Case))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}/assign")
    assert case.origin_call_id == call.id and case.status == "waiting"
