"""Build FHIR R4B resources from the helpline's models, disclosing only what a receiving structure needs.

Disclosed: the person's name, birth date, phone and postcode (to be contacted), the structure,
the referral's category, message and status (with the coded reason of a decline or failure),
and the service plan's goals and items. Never: the call summary, the triage, red flags, the GP,
free-text reasons or staff names.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task as FhirTask
from flask import current_app

from helpline.formatting import labels
from models import Person, PlanItem, PlanReview, Referral, ServicePlan, Structure

_NAMESPACE = uuid.UUID("6f1c1e0a-2b8e-4c55-9a5e-8d5b3f0c7a11")
SERVICE_REQUEST_STATUS = {"sent": "active", "accepted": "active", "declined": "revoked", "done": "completed"}
CARE_PLAN_STATUS = {"waiting": "draft", "active": "active", "closed": "completed"}
ACTIVITY_STATUS = {
    "planned": "not-started",
    "in_progress": "in-progress",
    "in_place": "in-progress",
    "stopped": "stopped",
}


def full_url(kind: str, key: Any) -> str:
    """Return the stable urn:uuid naming one resource inside exported bundles."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def _ref(kind: str, key: Any) -> dict:
    return {"reference": full_url(kind, key)}


def _system(name: str) -> str:
    return f"{current_app.config.get('FHIR_BASE_URL', 'https://helpline.invalid/fhir')}/{name}"


def _coded(system: str, kind: str, code: str) -> dict:
    return {
        "coding": [{"system": _system(f"CodeSystem/{system}"), "code": code, "display": labels(kind, code)}],
        "text": labels(kind, code),
    }


def _iso(value) -> Optional[str]:
    return value.isoformat() if value else None


def patient(person: Person) -> Patient:
    """Return the person as a Patient: name, birth date, phone and postcode only."""
    data: dict[str, Any] = {
        "id": f"person-{person.id}",
        "identifier": [{"system": _system("person"), "value": str(person.id)}],
        "name": [{"family": person.last_name, "given": [person.first_name]}],
    }
    if person.birth_date:
        data["birthDate"] = person.birth_date.isoformat()
    if person.phone:
        data["telecom"] = [{"system": "phone", "value": person.phone}]
    if person.postcode:
        data["address"] = [{"postalCode": person.postcode, "country": "BE"}]
    return Patient.model_validate(data)


def organization(structure: Structure) -> Organization:
    """Return a structure of the directory as an Organization with its contact points."""
    data: dict[str, Any] = {
        "id": f"structure-{structure.id}",
        "name": structure.name,
        "active": structure.status == "active",
    }
    if structure.external_id:
        data["identifier"] = [{"system": _system("structure"), "value": structure.external_id}]
    telecom = [{"system": "phone", "value": structure.phone}] if structure.phone else []
    telecom += [{"system": "email", "value": structure.email}] if structure.email else []
    if telecom:
        data["telecom"] = telecom
    address = {
        k: v
        for k, v in (
            ("line", [structure.address_1] if structure.address_1 else None),
            ("city", structure.city),
            ("postalCode", structure.postal_code),
            ("country", structure.country),
        )
        if v
    }
    if address:
        data["address"] = [address]
    return Organization.model_validate(data)


def service_request(referral: Referral) -> ServiceRequest:
    """Return a referral as the ServiceRequest addressed to its structure."""
    data: dict[str, Any] = {
        "id": f"referral-{referral.id}",
        "identifier": [{"system": _system("referral"), "value": str(referral.id)}],
        "status": SERVICE_REQUEST_STATUS[referral.status],
        "intent": "order",
        "category": [_coded("referral-category", "category", referral.category)],
        "code": {"text": labels("category", referral.category)},
        "subject": _ref("Patient", referral.person_id),
        "performer": [_ref("Organization", referral.structure_id)],
        "authoredOn": _iso(referral.sent_at),
    }
    if referral.message:
        data["note"] = [{"text": referral.message}]
    return ServiceRequest.model_validate(data)


# The referral's business status as the closed loop sees it (Gravity SDOH / BSeR feedback):
# what the structure answered, through its link or to the nurse.
BUSINESS_STATUS = {
    "awaiting-answer": "Sent, awaiting the structure's answer",
    "accepted": "Accepted by the structure",
    "declined": "Declined by the structure",
    "first-contact": "The structure reached the person",
    "completed-successful": "Done: successful",
    "completed-unsuccessful": "Done: not successful",
}


def task_status(referral: Referral, services_in_place: bool = False) -> str:
    """Return the FHIR Task status tracking a referral."""
    if referral.status == "done":
        return "completed" if referral.outcome == "successful" else "failed"
    if referral.status == "declined":
        return "rejected"
    if referral.status == "accepted":
        return "in-progress" if services_in_place or referral.first_contact_at else "accepted"
    return "requested"


def business_status(referral: Referral) -> str:
    """Return the code of where the referral stands with its structure."""
    if referral.status == "done":
        return "completed-successful" if referral.outcome == "successful" else "completed-unsuccessful"
    if referral.status == "accepted":
        return "first-contact" if referral.first_contact_at else "accepted"
    return {"declined": "declined"}.get(referral.status, "awaiting-answer")


def task(referral: Referral, services_in_place: bool = False) -> FhirTask:
    """Return the Task tracking a referral's status at its structure."""
    data: dict[str, Any] = {
        "id": f"referral-task-{referral.id}",
        "status": task_status(referral, services_in_place),
        "intent": "order",
        "focus": _ref("ServiceRequest", referral.id),
        "for": _ref("Patient", referral.person_id),
        "owner": _ref("Organization", referral.structure_id),
        "authoredOn": _iso(referral.sent_at),
        "lastModified": _iso(referral.status_changed_at),
    }
    code = business_status(referral)
    data["businessStatus"] = {
        "coding": [
            {"system": _system("CodeSystem/referral-business-status"), "code": code, "display": BUSINESS_STATUS[code]}
        ],
        "text": BUSINESS_STATUS[code],
    }
    if referral.reason and data["status"] in ("rejected", "failed"):
        data["statusReason"] = _coded("referral-reason", "referral_reason", referral.reason)
    return FhirTask.model_validate(data)


def _activity(item: PlanItem, referral_id: Optional[int]) -> dict:
    if referral_id is not None:  # the item was answered by a referral: point at its ServiceRequest
        return {"reference": _ref("ServiceRequest", referral_id)}
    detail: dict[str, Any] = {
        "kind": "ServiceRequest",
        "code": {"text": item.service},
        "description": item.need,
        "status": ACTIVITY_STATUS.get(item.status, "unknown"),
    }
    if item.structure_id:
        detail["performer"] = [_ref("Organization", item.structure_id)]
    if item.frequency:
        detail["scheduledString"] = item.frequency
    return {"detail": detail}


def _contributors(case, review: PlanReview) -> list[dict]:
    """Return who drew up the plan at its latest review: the person, a carer, the GP (carer and GP by name)."""
    found: list[dict] = []
    if review.with_person:
        found.append(_ref("Patient", case.person_id))
    if review.with_carer and review.carer_name:
        found.append({"type": "RelatedPerson", "display": review.carer_name})
    if review.with_gp:
        found.append({"type": "Practitioner", "display": case.person.gp_name or "GP"})
    return found


def care_plan(plan: ServicePlan, referral_of_item: dict[int, int], review: Optional[PlanReview] = None) -> CarePlan:
    """Return a case's service plan (one version) as a CarePlan, one activity per item; its contributors are
    those who took part in its latest review with the person."""
    case = plan.case
    data: dict[str, Any] = {
        "id": f"case-plan-{case.id}",
        "identifier": [{"system": _system("service-plan"), "value": f"{case.id}-{plan.version}"}],
        "status": CARE_PLAN_STATUS.get(case.status, "unknown"),
        "intent": "plan",
        "title": f"PSI v{plan.version}",
        "subject": _ref("Patient", case.person_id),
        "created": _iso(plan.created_at),
    }
    if plan.goals:
        data["description"] = plan.goals
    if plan.items:
        data["activity"] = [_activity(item, referral_of_item.get(item.id)) for item in plan.items]
    contributors = _contributors(case, review) if review is not None else []
    if contributors:
        data["contributor"] = contributors
    return CarePlan.model_validate(data)
