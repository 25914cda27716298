"""Cases: the caseload, the waiting list, assignment, a case's page, visits and closure."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import Call, Handoff, User, Visit
from models.vocabulary import CASE_STATUSES

from .. import audit
from ..disclosures import record_disclosure
from ..extensions import db
from ..formatting import local_now, local_zone
from . import bp, handoffs
from .access import get_case_or_403, visible_cases
from .agreement import needs_agreement, record_agreement, record_refusal
from .assessments import compare
from .course import set_expected_end
from .forms import AssignForm, CloseForm, DeclineForm, VisitForm, VisitRecordForm
from .plans import current_plan
from .service import (
    NO_FOLLOWUP_REASONS,
    CaseloadFull,
    assign_case,
    caseloads,
    close_case,
    open_case_for_call,
    propose_case_manager,
    waiting_list,
)
from .timeline import case_timeline


def _utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=local_zone()).astimezone(dt.UTC)


@bp.route("/")
def index():
    """List the cases the user may see (a case manager: their own), by status."""
    status = request.args.get("status", "active")
    status = status if status in CASE_STATUSES else "active"
    cases = visible_cases(current_user, status)
    record_disclosure(c.person_id for c in cases)
    return render_template("cases/index.html", cases=cases, status=status)


@bp.route("/waiting")
def waiting():
    """Show the waiting list and every case manager's room, for the coordinator."""
    cases = waiting_list()
    record_disclosure(c.person_id for c in cases)
    return render_template("cases/waiting.html", cases=cases, loads=caseloads(), proposed=propose_case_manager())


@bp.route("/overdue")
def overdue():
    """List every overdue reassessment and plan review of the active cases, for the coordinator."""
    from .reviews import overdue_cases

    items = overdue_cases()
    record_disclosure(d.case.person_id for d in items)
    return render_template("cases/overdue.html", items=items)


def _assign_form() -> AssignForm:
    form = AssignForm()
    from .continuity_routes import manager_choice

    form.case_manager_id.choices = [manager_choice(load) for load in caseloads()]
    if request.method == "GET" or not form.case_manager_id.data:
        proposed = propose_case_manager()
        form.case_manager_id.data = str(proposed.id) if proposed else ""
    if request.method == "GET":
        form.default_agreement_day()
    return form


@bp.route("/<int:case_id>/assign", methods=["GET", "POST"])
def assign(case_id: int):
    """Give a waiting case to a case manager (the one with most room is proposed)."""
    case = get_case_or_403(case_id)
    form = _assign_form()
    if case.status != "waiting":
        flash(_("This case is not waiting any more."), "info")
        return redirect(url_for("cases.detail", case_id=case.id))
    asks = needs_agreement(case.person)
    valid = form.validate_on_submit()
    if asks and request.method == "POST":  # every missing field named at once
        agreed = form.check_agreement()
        valid = valid and agreed
    if valid:
        manager = db.session.get(User, int(form.case_manager_id.data))
        if asks:
            record_agreement(case.person, form.agreement_on.data, form.agreement_how.data, current_user)
        set_expected_end(case, form.expected_end_on.data, form.closure_criteria.data or "", current_user)
        try:
            assign_case(case, manager, current_user)
        except CaseloadFull:
            db.session.rollback()
            form.case_manager_id.errors = [
                _("%(name)s has no room: capacity or this month's intake is reached.", name=manager.name)
            ]
        else:
            db.session.commit()
            flash(_("Case given to %(name)s.", name=manager.name), "success")
            return redirect(url_for("cases.waiting"))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST":
        flash(_("The case was not given: correct the fields marked below."), "error")
    return _render_assign(case, form, asks, status)


def _render_assign(case, form, asks: bool, status: int = 200, decline_form=None):
    if decline_form is None and asks:
        decline_form = DeclineForm(formdata=None)
        decline_form.refused_on.data = local_now().date()
    return render_template(
        "cases/assign.html",
        case=case,
        form=form,
        loads=caseloads(),
        asks_agreement=asks,
        agreement=case.person.consent_for("case_management"),
        decline_form=decline_form,
    ), status


@bp.route("/<int:case_id>/decline", methods=["POST"])
def decline(case_id: int):
    """The person declines case management before her case is assigned: record it and close the case.

    Her refusal becomes her `case_management` consent (a no); the closure's follow-up calls are scheduled.
    """
    case = get_case_or_403(case_id)
    if case.status != "waiting" or not needs_agreement(case.person):
        flash(_("This case is not waiting for the person's agreement."), "info")
        return redirect(url_for("cases.detail", case_id=case.id))
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: correct the fields marked below."), "error")
        return _render_assign(case, _assign_form(), True, 422, decline_form=form)
    how = form.refusal_how.data.strip()
    record_refusal(case.person, form.refused_on.data, how, current_user)
    close_case(case, "refused", how, form.refused_on.data, current_user)
    db.session.commit()
    flash(_("The person's refusal is recorded and the case closed; the line will call her back."), "success")
    return redirect(url_for("cases.waiting"))


@bp.route("/from-call/<int:call_id>", methods=["POST"])
def open_from_call(call_id: int):
    """Open the waiting case of a call whose case-management orientation the team validated."""
    call = db.get_or_404(Call, call_id)
    case = open_case_for_call(call, current_user)
    db.session.commit()
    flash(_("Case opened: it waits for a case manager."), "success")
    return redirect(url_for("cases.assign", case_id=case.id))


@bp.route("/<int:case_id>")
def detail(case_id: int):
    """Show a case: person, handoffs, visits, assessments, current plan, closure."""
    case = get_case_or_403(case_id, audit_read=True)
    return render_detail(case)


def render_detail(case, status: int = 200, **forms):
    """Render a case's page; `forms` holds a refused form (note_form, end_form, setting_form) to show again."""
    from .course_routes import course_forms
    from .reviews import due_dates

    notes = db.session.scalars(sa.select(Handoff).where(Handoff.case_id == case.id).order_by(Handoff.created_at)).all()
    visit_form = VisitForm(formdata=None)
    visit_form.scheduled_for.data = (local_now() + dt.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0, tzinfo=None
    )
    close_form = CloseForm(formdata=None)
    close_form.closed_on.data = local_now().date()
    return render_template(
        "cases/detail.html",
        case=case,
        handoffs=notes,
        plan=current_plan(case),
        comparison=compare(case.assessments),
        visit_form=visit_form,
        close_form=close_form,
        is_recipient=handoffs.is_recipient,
        timeline=case_timeline(case),
        due=due_dates([case]).get(case.id),
        today=local_now().date(),
        **course_forms(case, forms),
        **_reopening(case),
    ), status


def _reopening(case) -> dict:
    """Return the reopening form of a closed case still within its period (for its manager or a coordinator)."""
    from .continuity import can_reopen, reopen_deadline
    from .forms import ReopenForm

    if not can_reopen(case):
        return {"reopen_form": None}
    return {"reopen_form": ReopenForm(formdata=None), "reopen_until": reopen_deadline(case)}


@bp.route("/<int:case_id>/visits", methods=["POST"])
def schedule_visit(case_id: int):
    """Schedule a home visit."""
    case = get_case_or_403(case_id)
    form = VisitForm()
    if case.status != "active" or not form.validate_on_submit():
        flash(_("The visit was not scheduled: give its date and time."), "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    visit = Visit(case_id=case.id, scheduled_for=_utc(form.scheduled_for.data))
    db.session.add(visit)
    db.session.flush()
    audit.record("create", "visit", visit.id, person_id=case.person_id, detail={"case_id": case.id})
    db.session.commit()
    flash(_("Visit scheduled."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/visits/<int:visit_id>", methods=["GET", "POST"])
def record_visit(case_id: int, visit_id: int):
    """Record what happened at a home visit."""
    case = get_case_or_403(case_id, audit_read=request.method == "GET")
    visit = db.get_or_404(Visit, visit_id)
    if visit.case_id != case.id:
        return redirect(url_for("cases.detail", case_id=case.id))
    form = VisitRecordForm(obj=visit if request.method == "GET" else None)
    if request.method == "GET" and not form.done_at.data:
        form.done_at.data = local_now().replace(second=0, microsecond=0, tzinfo=None)
    if form.validate_on_submit():
        visit.done_at, visit.notes = _utc(form.done_at.data), (form.notes.data or "").strip()
        audit.record("update", "visit", visit.id, person_id=case.person_id, detail={"case_id": case.id, "done": True})
        db.session.commit()
        flash(_("Visit recorded."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/visit.html", case=case, visit=visit, form=form), status


@bp.route("/<int:case_id>/close", methods=["POST"])
def close(case_id: int):
    """Close a case with a reason; the follow-ups at 30 and 182 days are scheduled (none after a death)."""
    case = get_case_or_403(case_id)
    form = CloseForm()
    if case.status != "active":
        flash(_("Only an active case can be closed."), "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    if not form.validate_on_submit():
        return render_template("cases/close.html", case=case, form=form), 422
    cancelled = close_case(case, form.reason.data, form.note.data or "", form.closed_on.data, current_user)
    db.session.commit()
    if form.reason.data in NO_FOLLOWUP_REASONS:
        flash(
            ngettext(
                "Case closed. No follow-up call is planned; %(num)d open follow-up of the person was cancelled.",
                "Case closed. No follow-up call is planned; %(num)d open follow-ups of the person were cancelled.",
                cancelled,
            ),
            "success",
        )
    else:
        flash(_("Case closed. The helpline will call the person back after 30 and 182 days."), "success")
    return redirect(url_for("cases.index"))
