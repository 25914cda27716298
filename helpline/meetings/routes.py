"""The meeting page: the agenda in two parts, the team's decisions and the tasks it gives."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from models import ReviewItem, Task, User

from ..cases.agreement import refusal_of
from ..disclosures import record_disclosure
from ..extensions import db
from ..formatting import labels, local_now
from . import bp
from .forms import DecisionForm, RefusalForm, ReorientForm, TaskForm
from .record import current_meeting, followed_this_week, record_decision
from .service import (
    Agreement,
    MeetingError,
    add_task,
    agenda_by_person,
    agreement_asked,
    complete_task,
    person_needs_agreement,
    recent_decisions,
    refuse,
    reorient,
    validate,
    validation_needs_agreement,
)


def _agreement_form(formdata=None):
    """Return the form of the person's agreement to case management, today proposed as its day."""
    from ..cases.forms import AgreementForm

    form = AgreementForm(formdata=formdata)
    if formdata is None:
        form.default_agreement_day()
    return form


def _agreement(form) -> Agreement:
    return Agreement(form.agreement_on.data, form.agreement_how.data or "")


def handoffs_for_call(call_id: int):
    """Return the handoffs already sent about a call (the case-management area's)."""
    from ..cases.handoffs import for_call

    return for_call(call_id)


def _nurses() -> list[User]:
    stmt = sa.select(User).where(User.roles.contains("nurse"), User.active.is_(True)).order_by(User.name)
    return list(db.session.scalars(stmt))


def task_form(formdata=None, prefix: str = "", nurses: list[User] | None = None) -> TaskForm:
    """Return the form giving a nurse a task (prefixed when a page holds several; pass the nurses then)."""
    form = TaskForm(formdata=formdata, prefix=prefix)
    nurses = _nurses() if nurses is None else nurses
    form.assignee.choices = [SelectChoice("", "—")] + [SelectChoice(str(u.id), u.name) for u in nurses]
    return form


def _refusal_form() -> RefusalForm:
    """Return an empty refusal form, today proposed as its day and the line's own answer as the route."""
    form = RefusalForm(formdata=None)
    form.refused_on.data, form.refusal_route.data = local_now().date(), "information"
    return form


def render_meeting(status: int = 200, forms: dict | None = None, start=None):
    """Render the agenda; `forms` holds the failed form of one entry, keyed (kind, item or case id)."""
    from ..cases.handoffs import for_calls
    from .record_routes import start_form

    forms = forms or {}
    entries = agenda_by_person()
    items = [e.lead for e in entries]
    asks_agreement, lacks_agreement = agreement_asked(entries)
    sent = for_calls([i.call_id for e in entries for i in e.items])
    nurses = _nurses()
    reorient_forms = {i.id: forms.get(("reorient", i.id)) or ReorientForm(formdata=None) for i in items}
    for form in reorient_forms.values():
        form.default_agreement_day()
    validate_forms = {i.id: forms.get(("validate", i.id)) or _agreement_form() for i in items}
    task_forms = {i.id: forms.get(("task", i.id)) or task_form(formdata=None, nurses=nurses) for i in items}
    refusal_forms = {i.id: forms.get(("refuse", i.id)) or _refusal_form() for i in items if asks_agreement[i.id]}
    refusals = {e.lead.id: refusal_of(e.person) for e in entries if e.person is not None}
    followed = followed_this_week()
    record_disclosure([i.call.person_id for i in items if i.call] + [f.case.person_id for f in followed])
    decision_forms = {f.case.id: forms.get(("decision", f.case.id)) or DecisionForm(formdata=None) for f in followed}
    case_task_forms = {
        f.case.id: forms.get(("case_task", f.case.id)) or task_form(prefix=f"case{f.case.id}", nurses=nurses)
        for f in followed
    }
    meeting = current_meeting()
    if start is None and meeting is None:
        start = start_form()
        start.held_on.data = local_now().date()
        start.attendees.data = [str(current_user.id)]
    open_tasks = db.session.scalars(
        sa.select(Task)
        .options(selectinload(Task.assignee), selectinload(Task.person))
        .where(Task.done_at.is_(None))
        .order_by(Task.due_date)
    ).all()
    return render_template(
        "meetings/index.html",
        entries=entries,
        handoffs_of=lambda call_id: sent.get(call_id, []),
        decisions=recent_decisions(),
        reorient_forms=reorient_forms,
        validate_forms=validate_forms,
        asks_agreement=asks_agreement,
        lacks_agreement=lacks_agreement,
        task_forms=task_forms,
        refusal_forms=refusal_forms,
        refusals=refusals,
        followed=followed,
        decision_forms=decision_forms,
        case_task_forms=case_task_forms,
        meeting=meeting,
        start=start,
        open_tasks=open_tasks,
    ), status


@bp.route("/")
def index():
    """Show the meeting's agenda (orientations to validate, cases followed this week) and its record."""
    return render_meeting()


def _pending_item(item_id: int) -> ReviewItem:
    return db.get_or_404(ReviewItem, item_id)


def _record(item: ReviewItem, decision: str, reason: str, case) -> None:
    """Write the decision into the meeting being held, if one is."""
    meeting = current_meeting()
    if meeting is not None:
        record_decision(
            meeting,
            item.call.person_id,
            decision,
            reason,
            current_user,
            case_id=case.id if case is not None else None,
            review_item_id=item.id,
        )


def _after_decision(case, message: str):
    """Go on to assigning the case the decision opened, or back to the agenda."""
    flash(message, "success")
    if case is not None and case.status == "waiting":
        return redirect(url_for("cases.assign", case_id=case.id))
    return redirect(url_for("meetings.index"))


@bp.route("/items/<int:item_id>/validate", methods=["POST"])
def validate_item(item_id: int):
    """Validate the orientation of a person's calls on the agenda.

    A case-management orientation opens the person's case: her agreement (ticked, how, when) is
    required then, unless it is already recorded.
    """
    item = _pending_item(item_id)
    if item.status != "pending":
        flash(_("The team has already decided on this call."), "error")
        return redirect(url_for("meetings.index"))
    form = _agreement_form(request.form)
    needs = validation_needs_agreement(item)
    valid = form.validate()
    if needs:  # every missing field named at once
        agreed = form.check_agreement()
        valid = valid and agreed
    if not valid:
        flash(_("The case was not opened: correct the fields marked below."), "error")
        return render_meeting(422, {("validate", item.id): form})
    try:
        case = validate(item, current_user, _agreement(form) if needs else None)
        _record(item, _("Orientation validated: %(route)s", route=labels("route", item.call.route)), "", case)
    except MeetingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("meetings.index"))
    db.session.commit()
    return _after_decision(case, _("Orientation validated."))


@bp.route("/items/<int:item_id>/reorient", methods=["POST"])
def reorient_item(item_id: int):
    """Send a person's calls on the agenda to another route, with the team's reason."""
    item = _pending_item(item_id)
    form = ReorientForm()
    valid = form.validate_on_submit()
    to_case = form.new_route.data == "case_management" and person_needs_agreement(item)
    if to_case:  # every missing field named at once
        agreed = form.check_agreement()
        valid = valid and agreed
    if valid:
        try:
            case = reorient(
                item, form.new_route.data, form.reason.data, current_user, _agreement(form) if to_case else None
            )
            _record(
                item, _("Re-oriented to %(route)s", route=labels("route", form.new_route.data)), form.reason.data, case
            )
        except MeetingError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.new_route).errors = [str(exc)]
        else:
            db.session.commit()
            return _after_decision(case, _("Call re-oriented."))
    flash(_("Nothing was changed: correct the fields marked below."), "error")
    return render_meeting(422, {("reorient", item.id): form})


@bp.route("/items/<int:item_id>/refuse", methods=["POST"])
def refuse_item(item_id: int):
    """The person declines case management: record her refusal and send her calls to another route."""
    item = _pending_item(item_id)
    form = RefusalForm()
    if form.validate_on_submit():
        try:
            refuse(item, form.refusal_route.data, form.refusal_how.data, form.refused_on.data, current_user)
            _record(
                item,
                _("Declines case management: %(route)s", route=labels("route", form.refusal_route.data)),
                form.refusal_how.data.strip(),
                None,
            )
        except MeetingError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.refusal_route).errors = [str(exc)]
        else:
            db.session.commit()
            return _after_decision(None, _("The person's refusal is recorded; her calls were re-oriented."))
    flash(_("Nothing was changed: correct the fields marked below."), "error")
    return render_meeting(422, {("refuse", item.id): form})


@bp.route("/items/<int:item_id>/tasks", methods=["POST"])
def add_item_task(item_id: int):
    """Give a helpline nurse a task about a call on the agenda."""
    item = _pending_item(item_id)
    form = task_form(request.form)
    if form.validate():
        assignee = db.session.get(User, int(form.assignee.data))
        try:
            task = add_task(
                form.title.data,
                form.due_date.data,
                assignee,
                current_user,
                person_id=item.call.person_id,
                review_item=item,
            )
        except MeetingError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [str(exc)]
        else:
            meeting = current_meeting()
            task.meeting_id = meeting.id if meeting else None
            db.session.commit()
            flash(_("Task given to %(name)s.", name=assignee.name), "success")
            return redirect(url_for("meetings.index"))
    flash(_("The task was not created: correct the fields marked below."), "error")
    return render_meeting(422, {("task", item.id): form})


@bp.route("/tasks/<int:task_id>/done", methods=["POST"])
def task_done(task_id: int):
    """Mark a task done."""
    task = db.get_or_404(Task, task_id)
    try:
        complete_task(task, current_user)
    except MeetingError:
        abort(403)
    db.session.commit()
    flash(_("Task done."), "success")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("main.home"))
