"""Gather referrals and service plans into one FHIR R4B Bundle (every referral and plan, or one person's)."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy.orm import selectinload

from helpline.audit import record
from models import Case, FollowUp, PlanItem, Referral, ServicePlan, db, utcnow

from . import resources


def _referrals(person_id: Optional[int]) -> list[Referral]:
    # Only referrals the person consented to are disclosed.
    query = (
        sa.select(Referral)
        .where(Referral.consent_checked.is_(True))
        .options(selectinload(Referral.person), selectinload(Referral.structure))
        .order_by(Referral.id)
    )
    if person_id is not None:
        query = query.where(Referral.person_id == person_id)
    return list(db.session.scalars(query))


def _latest_plans(person_id: Optional[int]) -> list[ServicePlan]:
    latest = sa.select(ServicePlan.case_id, sa.func.max(ServicePlan.version).label("v")).group_by(ServicePlan.case_id)
    latest = latest.subquery()
    query = (
        sa.select(ServicePlan)
        .join(latest, sa.and_(latest.c.case_id == ServicePlan.case_id, latest.c.v == ServicePlan.version))
        .join(Case, Case.id == ServicePlan.case_id)
        .options(
            selectinload(ServicePlan.items).selectinload(PlanItem.structure),
            selectinload(ServicePlan.case).selectinload(Case.person),
        )
        .order_by(ServicePlan.case_id)
    )
    if person_id is not None:
        query = query.where(Case.person_id == person_id)
    return [plan for plan in db.session.scalars(query) if plan.case.person.has_consent("case_management")]


def _in_place(referral_ids: list[int]) -> set[int]:
    """Return the referrals whose follow-up found the services in place, or whose plan item runs."""
    if not referral_ids:
        return set()
    found = set(
        db.session.scalars(
            sa.select(FollowUp.referral_id).where(
                FollowUp.referral_id.in_(referral_ids), FollowUp.status == "done", FollowUp.services_in_place.is_(True)
            )
        )
    )
    running = db.session.scalars(
        sa.select(Referral.id)
        .join(PlanItem, PlanItem.id == Referral.plan_item_id)
        .where(Referral.id.in_(referral_ids), PlanItem.status.in_(("in_progress", "in_place")))
    )
    return found | set(running)


def build_bundle(person_id: Optional[int] = None) -> Bundle:
    """Return a collection Bundle of the referrals and service plans (of one person when given)."""
    referrals, plans = _referrals(person_id), _latest_plans(person_id)
    in_place = _in_place([r.id for r in referrals])
    entries: dict[str, object] = {}

    def add(kind: str, key, resource) -> None:
        entries.setdefault(resources.full_url(kind, key), resource)

    for referral in referrals:
        add("Patient", referral.person_id, resources.patient(referral.person))
        add("Organization", referral.structure_id, resources.organization(referral.structure))
        add("ServiceRequest", referral.id, resources.service_request(referral))
        add("Task", referral.id, resources.task(referral, referral.id in in_place))
    exported = {r.id for r in referrals}
    item_referrals = (
        dict(
            db.session.execute(
                sa.select(Referral.plan_item_id, Referral.id).where(
                    Referral.plan_item_id.is_not(None), Referral.id.in_(exported)
                )
            ).all()
        )
        if exported
        else {}
    )
    from ..cases.reviews import latest_reviews  # the case-management area

    reviews = latest_reviews(sorted({plan.case_id for plan in plans}))
    for plan in plans:
        add("Patient", plan.case.person_id, resources.patient(plan.case.person))
        for item in plan.items:
            if item.structure is not None:
                add("Organization", item.structure_id, resources.organization(item.structure))
        add("CarePlan", plan.case_id, resources.care_plan(plan, item_referrals, reviews.get(plan.case_id)))
    for person in sorted({r.person_id for r in referrals} | {p.case.person_id for p in plans}):
        record("export", "person", person, person_id=person, detail={"format": "fhir"})
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": utcnow().isoformat(),
            "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries.items()],
        }
    )
