"""FHIR R4B export: referrals as ServiceRequest + Task, service plans as CarePlan, in one Bundle
fhir.resources parses."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from reports_support import add_call, add_case, add_followup, add_person, add_referral, add_structure, add_user, local

from models import AuditEvent, PlanItem, ServicePlan, db

STATES = {  # (status, outcome) -> expected Task status
    ("sent", None): "requested",
    ("accepted", None): "accepted",
    ("declined", None): "rejected",
    ("done", "successful"): "completed",
    ("done", "unsuccessful"): "failed",
}


@pytest.fixture
def data(app):
    """Two persons: one with a referral in each state and a service plan, one with a single referral."""
    nurse = add_user()
    person = add_person(
        "Yvonne",
        "Testeuse",
        birth_date=dt.date(1940, 5, 17),
        phone="+32470999901",
        postcode="4020",
        gp_name="Dr Secret",
    )
    other = add_person("Odile", "Autre")
    structure = add_structure("Logement Démo", "housing_service")
    call = add_call(person, nurse, local(2024, 3, 4), summary="Résumé confidentiel de l'appel")
    referrals = {}
    for status, outcome in STATES:
        reason = "no_capacity" if status == "declined" else ("other" if outcome == "unsuccessful" else None)
        referrals[(status, outcome)] = add_referral(
            person,
            structure,
            nurse,
            local(2024, 3, 5),
            status=status,
            outcome=outcome,
            reason=reason,
            call_id=call.id,
            reason_text="Texte libre interne" if reason else None,
        )
    running = add_referral(person, structure, nurse, local(2024, 3, 6), status="accepted")
    add_followup(
        person, 30, dt.date(2024, 4, 5), "done", local(2024, 4, 5), referral_id=running.id, services_in_place=True
    )
    add_referral(other, structure, nurse, local(2024, 3, 7))
    case = add_case(person, "active", add_user("case_manager"))
    plan = ServicePlan(case_id=case.id, version=1, goals="Rester à domicile.", by_id=nurse.id)
    plan.items = [
        PlanItem(
            need="Aide au ménage",
            service="Aide familiale",
            structure_id=structure.id,
            frequency="2 fois par semaine",
            status="in_progress",
        ),
        PlanItem(need="Logement adapté", service="Relogement", status="planned"),
    ]
    db.session.add(plan)
    db.session.flush()
    referrals[("sent", None)].plan_item_id = plan.items[1].id
    db.session.add(ServicePlan(case_id=case.id, version=0, goals="Ancienne version", by_id=nurse.id))
    db.session.commit()
    return {"person": person, "other": other, "referrals": referrals, "running": running, "case": case}


def _export(runner, tmp_path, *args) -> tuple[Bundle, str]:
    out = tmp_path / "bundle.json"
    result = runner.invoke(args=["export", "fhir", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return Bundle.model_validate_json(text), text


def _resources(bundle: Bundle, kind) -> list:
    return [entry.resource for entry in bundle.entry if isinstance(entry.resource, kind)]


def test_export_writes_one_bundle_that_fhir_resources_parses_back(runner, tmp_path, data):
    bundle, text = _export(runner, tmp_path)
    assert bundle.type == "collection"
    assert len(_resources(bundle, Patient)) == 2 and len(_resources(bundle, Organization)) == 1
    assert len(_resources(bundle, ServiceRequest)) == 7 and len(_resources(bundle, Task)) == 7
    assert len(_resources(bundle, CarePlan)) == 1
    urls = {entry.fullUrl for entry in bundle.entry}
    for task in _resources(bundle, Task):
        assert {task.focus.reference, task.for_fhir.reference, task.owner.reference} <= urls
    assert json.loads(text)["entry"][0]["resource"]["resourceType"]


def test_tasks_track_each_referral_status(runner, tmp_path, data):
    bundle, _ = _export(runner, tmp_path)
    tasks = {task.id: task for task in _resources(bundle, Task)}
    for state, expected in STATES.items():
        assert tasks[f"referral-task-{data['referrals'][state].id}"].status == expected
    assert tasks[f"referral-task-{data['running'].id}"].status == "in-progress"
    declined = tasks[f"referral-task-{data['referrals'][('declined', None)].id}"]
    assert declined.statusReason.coding[0].code == "no_capacity"


def test_service_plan_exports_as_its_latest_care_plan(runner, tmp_path, data):
    bundle, _ = _export(runner, tmp_path)
    (plan,) = _resources(bundle, CarePlan)
    assert plan.status == "active" and plan.intent == "plan" and plan.description == "Rester à domicile."
    first, second = plan.activity
    assert first.detail.status == "in-progress" and first.detail.code.text == "Aide familiale"
    assert first.detail.scheduledString == "2 fois par semaine"
    sent = data["referrals"][("sent", None)]
    assert second.detail is None and second.reference.reference.endswith(
        next(e.fullUrl for e in bundle.entry if e.resource.id == f"referral-{sent.id}")[-36:]
    )


def test_export_discloses_only_what_the_structure_needs(runner, tmp_path, data):
    bundle, text = _export(runner, tmp_path)
    for secret in ("Résumé confidentiel", "Dr Secret", "Texte libre interne", "Ancienne version"):
        assert secret not in text
    patient = next(p for p in _resources(bundle, Patient) if p.name[0].family == "Testeuse")
    assert patient.birthDate == dt.date(1940, 5, 17) and patient.address[0].postalCode == "4020"
    assert patient.telecom[0].value == "+32470999901"


def test_export_of_one_person_holds_only_their_resources_and_is_audited(runner, tmp_path, data):
    other = data["other"]
    bundle, _ = _export(runner, tmp_path, "--person", str(other.id))
    assert [p.id for p in _resources(bundle, Patient)] == [f"person-{other.id}"]
    assert len(_resources(bundle, ServiceRequest)) == 1 and not _resources(bundle, CarePlan)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.object_type, e.person_id) for e in events] == [("person", other.id)]


def test_export_of_an_unknown_person_is_refused(runner, tmp_path, app):
    result = runner.invoke(args=["export", "fhir", "--out", str(tmp_path / "x.json"), "--person", "999"])
    assert result.exit_code == 2 and "--person" in result.output
    assert not (tmp_path / "x.json").exists()


def test_referrals_without_consent_are_not_exported(runner, tmp_path, data):
    data["other"].consents.clear()
    referral = db.session.scalar(
        sa.select(type(data["running"])).where(type(data["running"]).person_id == data["other"].id)
    )
    referral.consent_checked = False
    db.session.commit()
    bundle, _ = _export(runner, tmp_path, "--person", str(data["other"].id))
    assert bundle.entry is None or not _resources(bundle, ServiceRequest)
