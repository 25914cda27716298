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
from .course import CaseClosed
from .forms import AssessmentForm, GoalsForm, ItemStatusForm, PlanItemForm, PlanReviewForm, ShareGpForm
from .plans import ITEM_FIELDS, NoConsent, add_item, current_plan, referrals_by_item, set_goals, set_item_status
from .reviews import ReviewError, due_dates, last_shared, proposed_next_review, record_review, reviews_of, share_with_gp


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


def _review_form() -> PlanReviewForm:
    """Return an empty review form: today, the next review proposed, the person's first carer named."""
    form = PlanReviewForm(formdata=None)
    today = local_now().date()
    form.reviewed_on.data, form.next_review_on.data = today, proposed_next_review(today)
    return form


def _carer_names(case) -> list[str]:
    return [c.name for c in case.person.contacts if c.kind == "carer" and c.name]


def _render_plan(case, goals_form=None, item_form=None, review_form=None, share_form=None, status=200):
    plan = current_plan(case)
    if goals_form is None:
        goals_form = GoalsForm()
        goals_form.goals.data = plan.goals if plan else ""
    if review_form is None:
        review_form = _review_form()
        carers = _carer_names(case)
        review_form.carer_name.data = carers[0] if carers else ""
    if share_form is None:
        share_form = ShareGpForm(formdata=None)
        share_form.shared_on.data = local_now().date()
    return render_template(
        "cases/plan.html",
        case=case,
        plan=plan,
        goals_form=goals_form,
        item_form=item_form or _item_form(),
        status_form=ItemStatusForm(),
        referrals=referrals_by_item(plan),
        reviews=reviews_of(case),
        review_form=review_form,
        carers=_carer_names(case),
        share_form=share_form,
        shared=last_shared(case),
        due=due_dates([case]).get(case.id),
        today=local_now().date(),
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


@bp.route("/<int:case_id>/plan/reviews", methods=["POST"])
def plan_review(case_id: int):
    """Record that the plan was drawn up or reviewed with the person, who took part, and the next review."""
    case = get_case_or_403(case_id)
    form = PlanReviewForm()
    if form.validate_on_submit():
        try:
            record_review(
                case,
                current_user,
                reviewed_on=form.reviewed_on.data,
                next_review_on=form.next_review_on.data,
                with_person=form.with_person.data,
                with_carer=form.with_carer.data,
                carer_name=form.carer_name.data or "",
                with_gp=form.with_gp.data,
                others=form.others.data or "",
                note=form.note.data or "",
            )
        except CaseClosed:
            flash(_("The case is closed: reopen it to write on it."), "error")
            return redirect(url_for("cases.plan", case_id=case.id))
        except ReviewError as error:
            form[error.field].errors = [error.message]
        else:
            db.session.commit()
            flash(_("Plan review recorded."), "success")
            return redirect(url_for("cases.plan", case_id=case.id, _anchor="reviews"))
    flash(_("The review was not recorded: correct the fields marked below."), "error")
    return _render_plan(case, review_form=form, status=422)


@bp.route("/<int:case_id>/plan/share", methods=["POST"])
def plan_share(case_id: int):
    """Record the day the current plan version was given to the person's GP."""
    case = get_case_or_403(case_id)
    plan = current_plan(case)
    if plan is None:
        flash(_("There is no plan to share yet."), "error")
        return redirect(url_for("cases.plan", case_id=case.id))
    form = ShareGpForm()
    if form.validate_on_submit():
        try:
            share_with_gp(case, plan, form.shared_on.data, current_user)
        except ReviewError as error:
            form[error.field].errors = [error.message]
        else:
            db.session.commit()
            flash(_("Version %(n)s recorded as shared with the GP.", n=plan.version), "success")
            return redirect(url_for("cases.plan", case_id=case.id, _anchor="shared"))
    flash(_("The sharing was not recorded: correct the fields marked below."), "error")
    return _render_plan(case, share_form=form, status=422)


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
    reviews = reviews_of(case)
    return render_template(
        "cases/plan_print.html",
        case=case,
        plan=plan,
        printed_on=local_now().date(),
        review=reviews[0] if reviews else None,
        due=due_dates([case]).get(case.id),
    )
