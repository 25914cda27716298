"""A case's assessments and its individual service plan (PSI), with the printable plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import Structure
from models.vocabulary import ASSESSMENT_DIMENSIONS

from .. import audit
from ..extensions import db
from ..formatting import local_now
from . import bp
from .access import get_case_or_403
from .assessments import compare, record_assessment
from .forms import AssessmentForm, GoalsForm, ItemStatusForm, PlanItemForm
from .plans import ITEM_FIELDS, NoConsent, add_item, current_plan, referrals_by_item, set_goals, set_item_status


@bp.route("/<int:case_id>/assessments/new", methods=["GET", "POST"])
def assess(case_id: int):
    """Record a multidimensional assessment (or reassessment), prefilled from the last one."""
    case = get_case_or_403(case_id, audit_read=request.method == "GET")
    form = AssessmentForm()
    if request.method == "GET":
        form.assessed_on.data = local_now().date()
        last = case.assessments[-1] if case.assessments else None
        for dimension in ASSESSMENT_DIMENSIONS:
            answer = last.dimensions.get(dimension, {}) if last else {}
            difficulty, more_help, _notes = form.dimension_fields(dimension)
            difficulty.data = str(answer["difficulty"]) if "difficulty" in answer else ""
            person = form.person_field(dimension)
            person.data = str(answer["person_difficulty"]) if "person_difficulty" in answer else ""
            more_help.data = bool(answer.get("more_help"))
    elif form.validate_on_submit():
        record_assessment(case, form.assessed_on.data, form.dimensions_data(), current_user)
        db.session.commit()
        flash(_("Assessment saved."), "success")
        return redirect(url_for("cases.assessments", case_id=case.id))
    else:
        flash(_("The assessment was not saved: correct the fields marked below."), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("cases/assess.html", case=case, form=form, dimensions=ASSESSMENT_DIMENSIONS), status


@bp.route("/<int:case_id>/assessments")
def assessments(case_id: int):
    """Compare a case's assessments side by side."""
    case = get_case_or_403(case_id, audit_read=True)
    return render_template(
        "cases/assessments.html",
        case=case,
        assessments=sorted(case.assessments, key=lambda a: (a.assessed_on, a.id)),
        rows=compare(case.assessments),
    )


def _item_form() -> PlanItemForm:
    form = PlanItemForm()
    structures = db.session.scalars(sa.select(Structure).where(Structure.status == "active").order_by(Structure.name))
    form.structure_id.choices = [("", "—")] + [(str(s.id), s.name) for s in structures]
    return form


def _render_plan(case, goals_form=None, item_form=None, status=200):
    plan = current_plan(case)
    if goals_form is None:
        goals_form = GoalsForm()
        goals_form.goals.data = plan.goals if plan else ""
    return render_template(
        "cases/plan.html",
        case=case,
        plan=plan,
        goals_form=goals_form,
        item_form=item_form or _item_form(),
        status_form=ItemStatusForm(),
        referrals=referrals_by_item(plan),
    ), status


@bp.route("/<int:case_id>/plan")
def plan(case_id: int):
    """Show the current service plan and the forms to change it."""
    case = get_case_or_403(case_id, audit_read=True)
    return _render_plan(case)


@bp.route("/<int:case_id>/plan/goals", methods=["POST"])
def plan_goals(case_id: int):
    """Write the person's goals in a new plan version."""
    case = get_case_or_403(case_id)
    form = GoalsForm()
    if not form.validate_on_submit():
        return _render_plan(case, goals_form=form, status=422)
    plan = set_goals(case, form.goals.data, current_user)
    db.session.commit()
    flash(_("Goals saved: plan version %(n)s.", n=plan.version), "success")
    return redirect(url_for("cases.plan", case_id=case.id))


@bp.route("/<int:case_id>/plan/items", methods=["POST"])
def plan_item(case_id: int):
    """Add an item to the plan (a new version); a referral item is sent to its structure."""
    case = get_case_or_403(case_id)
    form = _item_form()
    if not form.validate_on_submit():
        return _render_plan(case, item_form=form, status=422)
    values = {name: form[name].data for name in ITEM_FIELDS}
    values["structure_id"] = int(values["structure_id"]) if values["structure_id"] else None
    for name in ("professional", "frequency", "responsible"):
        values[name] = (values[name] or "").strip() or None
    try:
        plan = add_item(case, values, current_user, as_referral=form.as_referral.data, message=form.message.data or "")
    except NoConsent:
        db.session.rollback()
        form.as_referral.errors = [_("The person has not agreed to be referred: record their consent first.")]
        return _render_plan(case, item_form=form, status=422)
    db.session.commit()
    flash(_("Item added: plan version %(n)s.", n=plan.version), "success")
    return redirect(url_for("cases.plan", case_id=case.id))


@bp.route("/<int:case_id>/plan/items/<int:item_id>/status", methods=["POST"])
def plan_item_status(case_id: int, item_id: int):
    """Change an item's status in a new plan version."""
    case = get_case_or_403(case_id)
    form = ItemStatusForm()
    if not form.validate_on_submit():
        flash(_("Choose the item's new status."), "error")
        return redirect(url_for("cases.plan", case_id=case.id))
    try:
        plan = set_item_status(case, item_id, form.status.data, current_user)
    except LookupError:
        flash(_("This item is not in the current plan any more."), "error")
        return redirect(url_for("cases.plan", case_id=case.id))
    db.session.commit()
    flash(_("Status changed: plan version %(n)s.", n=plan.version), "success")
    return redirect(url_for("cases.plan", case_id=case.id))


@bp.route("/<int:case_id>/plan/versions")
def plan_versions(case_id: int):
    """List every version of the plan."""
    case = get_case_or_403(case_id, audit_read=True)
    return render_template("cases/plan_versions.html", case=case, plans=list(reversed(case.plans)))


@bp.route("/<int:case_id>/plan/print")
def plan_print(case_id: int):
    """Show the current plan on a print-friendly page for the person and their GP."""
    case = get_case_or_403(case_id)
    plan = current_plan(case)
    audit.record(
        "export",
        "service_plan",
        plan.id if plan else None,
        person_id=case.person_id,
        detail={"case_id": case.id, "version": plan.version if plan else None},
    )
    db.session.commit()
    return render_template("cases/plan_print.html", case=case, plan=plan, printed_on=local_now().date())
