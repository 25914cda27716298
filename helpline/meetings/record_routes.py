"""The meeting's record: starting and closing it, decisions on followed cases, past meetings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from models import Case, Meeting, MeetingDecision, User

from ..extensions import db
from . import bp
from .forms import DecisionForm, StartMeetingForm
from .record import (
    agenda_for,
    close_meeting,
    current_meeting,
    decisions_for,
    past_meetings,
    record_decision,
    start_meeting,
)
from .routes import handoffs_for_call, render_meeting, task_form
from .service import MeetingError, add_task


def staff_choices() -> list[SelectChoice]:
    """Return the active clinical staff who may attend, by name."""
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.name))
    return [SelectChoice(str(u.id), u.name) for u in users if u.has_role("nurse", "case_manager", "coordinator")]


def start_form(formdata=None) -> StartMeetingForm:
    """Return the form opening a meeting's record."""
    form = StartMeetingForm(formdata=formdata)
    form.attendees.choices = staff_choices()
    return form


@bp.route("/start", methods=["POST"])
def start():
    """Open the record of this week's meeting with its date and attendees."""
    form = start_form(request.form)
    if form.validate():
        try:
            start_meeting(form.held_on.data, [int(i) for i in form.attendees.data], current_user)
        except MeetingError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Meeting started: the decisions taken now are recorded in it."), "success")
            return redirect(url_for("meetings.index"))
    flash(_("The meeting was not started: correct the fields marked below."), "error")
    return render_meeting(422, start=form)


@bp.route("/<int:meeting_id>/close", methods=["POST"])
def close(meeting_id: int):
    """Close the record of a meeting."""
    meeting = db.get_or_404(Meeting, meeting_id)
    close_meeting(meeting, current_user)
    db.session.commit()
    flash(_("Meeting closed."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@bp.route("/cases/<int:case_id>/decision", methods=["POST"])
def case_decision(case_id: int):
    """Record the team's decision about a case followed this week (and a task for a nurse, if given)."""
    case = db.get_or_404(Case, case_id)
    meeting = current_meeting()
    form = DecisionForm()
    task = task_form(request.form, prefix=f"case{case.id}")
    wants_task = bool((task.title.data or "").strip())
    if meeting is None:
        flash(_("Start the meeting first: its decisions are recorded in it."), "error")
        return redirect(url_for("meetings.index"))
    if form.validate_on_submit() and (not wants_task or task.validate()):
        try:
            record_decision(
                meeting, case.person_id, form.decision.data, form.reason.data, current_user, case_id=case.id
            )
            if wants_task:
                assignee = db.session.get(User, int(task.assignee.data))
                created = add_task(
                    task.title.data, task.due_date.data, assignee, current_user, person_id=case.person_id
                )
                created.meeting_id = meeting.id
        except MeetingError as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) or getattr(task, exc.field)
            target.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Decision recorded."), "success")
            return redirect(url_for("meetings.index"))
    flash(_("The decision was not recorded: correct the fields marked below."), "error")
    return render_meeting(422, forms={("decision", case.id): form, ("case_task", case.id): task})


@bp.route("/past")
def past():
    """List the meetings held."""
    return render_template("meetings/past.html", meetings=past_meetings())


def _visible_decisions(meeting: Meeting) -> list:
    if current_user.has_role("coordinator"):
        return list(meeting.decisions)
    mine = {d.id for d in decisions_for(current_user, limit=1000)}
    return [d for d in meeting.decisions if d.id in mine]


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    """Show a meeting's record (staff other than coordinators see the decisions that concern them)."""
    loaded = (selectinload(Meeting.attendees), selectinload(Meeting.decisions).selectinload(MeetingDecision.person))
    meeting = db.session.scalar(sa.select(Meeting).options(*loaded).where(Meeting.id == meeting_id))
    if meeting is None:
        abort(404)
    decisions = _visible_decisions(meeting)
    if not current_user.has_role("coordinator") and not decisions:
        abort(403)
    return render_template("meetings/detail.html", meeting=meeting, decisions=decisions)


@bp.route("/mine")
def mine():
    """Show a nurse or case manager the agenda items and the team's decisions that concern them."""
    return render_template(
        "meetings/mine.html",
        decisions=decisions_for(current_user),
        handoffs_of=handoffs_for_call,
        **agenda_for(current_user),
    )
