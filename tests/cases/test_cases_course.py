"""A case's course over time: its progress-notes journal, its expected end and closure criteria, and where
the person is (care settings, with their history)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from cases_support import add_case, add_person, make_user
from lxml import html

from models import AuditEvent, CareSetting, CaseNote, db
from support import agreement_form

TODAY = dt.date.today()


def _doc(response):
    return html.fromstring(response.get_data(as_text=True))


def _now_local() -> str:
    return (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def _events(object_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == object_type)))


# Progress notes


def test_the_case_manager_writes_a_dated_note_shown_in_the_timeline_and_audited(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="journal"' in page and f'action="/cases/{case.id}/notes"' in page

    response = client.post(
        f"/cases/{case.id}/notes", data={"at": "2026-11-30T09:15", "text": "Appel de la fille : chute sans gravité."}
    )

    assert response.status_code == 302
    note = db.session.scalar(sa.select(CaseNote))
    assert note.author_id == staff["cm1"].id and note.text == "Appel de la fille : chute sans gravité."
    timeline = _doc(client.get(f"/cases/{case.id}")).xpath("//ol[@class='case-timeline']")[0]
    (entry,) = timeline.xpath(f".//li[@id='note-{note.id}']")
    assert "Camille Test" in entry.text_content() and "30/11/2026" in entry.text_content()
    assert "chute sans gravité" in entry.text_content()
    (event,) = _events("case_note")
    assert (event.action, event.object_id, event.person_id, event.user_id) == (
        "create",
        note.id,
        case.person_id,
        staff["cm1"].id,
    )


def test_a_coordinator_may_write_a_note_another_case_manager_may_not(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm2"])
    assert client.post(f"/cases/{case.id}/notes", data={"at": _now_local(), "text": "Pas le mien."}).status_code == 403
    switch_to(staff["nurse"])
    assert client.post(f"/cases/{case.id}/notes", data={"at": _now_local(), "text": "Infirmière."}).status_code == 403
    switch_to(staff["coordinator"])
    assert (
        client.post(f"/cases/{case.id}/notes", data={"at": _now_local(), "text": "Vu en réunion."}).status_code == 302
    )
    assert [n.author_id for n in db.session.scalars(sa.select(CaseNote))] == [staff["coordinator"].id]


def test_a_note_without_text_or_in_the_future_is_refused_keeping_what_was_typed(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])

    empty = client.post(f"/cases/{case.id}/notes", data={"at": "2026-11-30T09:15", "text": "  "})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "Note de suivi : Écrivez la note." in page
    assert 'value="2026-11-30T09:15"' in page

    later = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    future = client.post(f"/cases/{case.id}/notes", data={"at": later, "text": "Note à garder."})
    page = future.get_data(as_text=True)
    assert future.status_code == 422 and "Une note ne peut pas être datée dans le futur." in page
    assert "Note à garder." in page
    bad = client.post(f"/cases/{case.id}/notes", data={"at": "hier", "text": "Note à garder."})
    assert bad.status_code == 422 and 'value="hier"' in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CaseNote.id))) == 0


def test_no_note_on_a_closed_case(client, staff, switch_to):
    case = add_case(staff["cm1"], status="closed")
    switch_to(staff["cm1"])
    assert 'id="journal"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/notes", data={"at": _now_local(), "text": "Trop tard."})
    assert response.status_code == 302 and db.session.scalar(sa.select(sa.func.count(CaseNote.id))) == 0


# Expected end and closure criteria


def test_expected_end_and_criteria_set_at_admission_show_on_the_case_page_and_closure_form(client, staff, switch_to):
    case = add_case(status="waiting", person=add_person(by=staff["nurse"]))
    switch_to(staff["coordinator"])
    end = (TODAY + dt.timedelta(days=180)).isoformat()
    data = {
        "case_manager_id": str(staff["cm1"].id),
        "expected_end_on": end,
        "closure_criteria": "Aides en place depuis trois mois.",
        **agreement_form(),
    }
    assert client.post(f"/cases/{case.id}/assign", data=data).status_code == 302
    db.session.refresh(case)
    assert case.expected_end_on.isoformat() == end and case.closure_criteria == "Aides en place depuis trois mois."

    switch_to(staff["cm1"])
    doc = _doc(client.get(f"/cases/{case.id}"))
    shown = (TODAY + dt.timedelta(days=180)).strftime("%d/%m/%Y")
    assert shown in doc.xpath("string(//dl[@class='facts']//dd[@class='expected-end'])")
    assert "Aides en place" in doc.xpath(
        "string(//dl[@class='closure-plan']//dd[contains(@class, 'closure-criteria')])"
    )
    refused = client.post(f"/cases/{case.id}/close", data={"reason": "", "closed_on": TODAY.isoformat()})
    assert refused.status_code == 422 and "Aides en place depuis trois mois." in refused.get_data(as_text=True)


def test_the_expected_end_is_changed_on_the_case_page_a_past_day_is_refused(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    past = client.post(
        f"/cases/{case.id}/expected-end",
        data={"expected_end_on": (TODAY - dt.timedelta(days=3)).isoformat(), "closure_criteria": "Retour à domicile."},
    )
    page = past.get_data(as_text=True)
    assert past.status_code == 422 and "Fin prévue : La fin prévue ne peut pas être dans le passé." in page
    assert "Retour à domicile." in page
    db.session.refresh(case)
    assert case.expected_end_on is None

    later = (TODAY + dt.timedelta(days=90)).isoformat()
    ok = client.post(
        f"/cases/{case.id}/expected-end", data={"expected_end_on": later, "closure_criteria": "Retour à domicile."}
    )
    assert ok.status_code == 302
    db.session.refresh(case)
    assert case.expected_end_on.isoformat() == later and case.closure_criteria == "Retour à domicile."
    assert any(e.action == "update" and e.object_id == case.id for e in _events("case"))


# Care settings


def test_care_settings_keep_their_history_and_the_current_one_shows(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    started = (TODAY - dt.timedelta(days=10)).isoformat()
    back = (TODAY - dt.timedelta(days=2)).isoformat()
    assert (
        client.post(
            f"/cases/{case.id}/settings", data={"kind": "hospital", "started_on": started, "note": "CHU, gériatrie"}
        ).status_code
        == 302
    )
    assert (
        client.post(f"/cases/{case.id}/settings", data={"kind": "rehabilitation", "started_on": back}).status_code
        == 302
    )

    hospital, rehab = db.session.scalars(sa.select(CareSetting).order_by(CareSetting.started_on)).all()
    assert hospital.ended_on.isoformat() == back and rehab.ended_on is None
    assert (hospital.person_id, hospital.case_id, hospital.recorded_by_id) == (case.person_id, case.id, staff["cm1"].id)
    doc = _doc(client.get(f"/cases/{case.id}"))
    assert "Revalidation" in doc.xpath("string(//dd[@class='current-setting'])")
    rows = doc.xpath("//table[contains(@class, 'care-settings')]/tbody/tr")
    assert [r.get("id") for r in rows] == [f"setting-{rehab.id}", f"setting-{hospital.id}"]
    assert rows[0].get("class") == "current" and "CHU, gériatrie" in rows[1].text_content()
    assert len(_events("care_setting")) == 2


def test_a_bad_care_setting_is_refused_naming_the_field_and_keeping_the_note(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    data = {"kind": "hospital", "started_on": TODAY.isoformat(), "ended_on": "2020-01-01", "note": "Note gardée"}
    response = client.post(f"/cases/{case.id}/settings", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Jusqu'au : La fin ne peut pas précéder le début." in page
    assert "Note gardée" in page and '<option selected value="hospital">' in page
    unknown = client.post(f"/cases/{case.id}/settings", data={"kind": "moon", "started_on": TODAY.isoformat()})
    assert unknown.status_code == 422 and "Lieu de séjour" in unknown.get_data(as_text=True)
    tomorrow = (TODAY + dt.timedelta(days=2)).isoformat()
    future = client.post(f"/cases/{case.id}/settings", data={"kind": "home", "started_on": tomorrow})
    assert future.status_code == 422 and "Le début ne peut pas être dans le futur." in future.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CareSetting.id))) == 0


def test_a_setting_that_ended_is_no_longer_current(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])
    data = {
        "kind": "temporary_stay",
        "started_on": (TODAY - dt.timedelta(days=20)).isoformat(),
        "ended_on": (TODAY - dt.timedelta(days=5)).isoformat(),
    }
    assert client.post(f"/cases/{case.id}/settings", data=data).status_code == 302
    doc = _doc(client.get(f"/cases/{case.id}"))
    assert "Non renseigné" in doc.xpath("string(//dd[@class='current-setting'])")
    assert "Court séjour" in doc.xpath("string(//table[contains(@class, 'care-settings')])")


def test_only_the_cases_writers_record_a_setting(client, staff, switch_to):
    case = add_case(staff["cm1"])
    other = make_user("case_manager", name="Autre Test")
    switch_to(other)
    data = {"kind": "home", "started_on": TODAY.isoformat()}
    assert client.post(f"/cases/{case.id}/settings", data=data).status_code == 403
    switch_to(staff["coordinator"])
    assert client.post(f"/cases/{case.id}/settings", data=data).status_code == 302


# The person's rights: the new records are in her export and blanked by her erasure


def test_notes_settings_and_criteria_are_exported_and_erased(app, staff):
    from helpline.cases.course import add_note, record_setting, set_expected_end
    from helpline.privacy.erasure import pseudonymise
    from helpline.privacy.export import person_data
    from models import utcnow

    case = add_case(staff["cm1"])
    add_note(case, utcnow(), "La voisine passe chaque soir.", staff["cm1"])
    record_setting(case, "hospital", TODAY, None, "Chambre 12", staff["cm1"])
    set_expected_end(case, TODAY + dt.timedelta(days=30), "Retour à domicile sécurisé.", staff["cm1"])
    db.session.commit()

    data = person_data(case.person)
    assert data["cases"][0]["progress_notes"][0]["text"] == "La voisine passe chaque soir."
    assert data["care_settings"][0]["kind"] == "hospital" and data["care_settings"][0]["recorded_by"] == "Camille Test"

    pseudonymise(case.person, "demande de la personne", user_id=staff["coordinator"].id)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(sa.select(CaseNote.text)) == ""
    assert db.session.scalar(sa.select(CareSetting.note)) == ""
    db.session.refresh(case)
    assert case.closure_criteria is None
