"""The follow-up worklist, starting (claiming) a follow-up, the follow-up call form, cancelling, the calendar."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import FollowUp

from ..audit import record, record_read
from ..disclosures import record_disclosure
from ..extensions import db
from ..formatting import format_local, local_now
from . import bp
from .cancellation import cancel_followup, reason_label
from .claims import claim, claim_next, holds, release, secure
from .forms import CancelForm, FollowUpForm
from .ical import schedule_calendar, schedule_for
from .outcome import record_not_reached, record_reached
from .planned import latest_carer_call, what_it_checks
from .worklist import OPEN_STATUSES, STATUS_LABELS, WorklistFilters, list_followups

WORKERS = ("nurse", "coordinator")


def can_view(user, followup: FollowUp) -> bool:
    """Tell whether a user may read a follow-up (case managers and referrers: only their own)."""
    if user.has_role(*WORKERS):
        return True
    if followup.case is not None and followup.case.case_manager_id == user.id:
        return True
    return followup.referral is not None and followup.referral.created_by_id == user.id


def can_dial() -> bool:
    """Tell whether the app can ring the nurse then the person (Twilio and its endpoint present)."""
    return "telephony.call_followup" in current_app.view_functions and bool(
        current_app.config.get("TWILIO_ACCOUNT_SID")
    )


@bp.route("/")
def index():
    """List follow-ups with filters, oldest due first."""
    filters = WorklistFilters.from_args(request.args)
    today = local_now().date()
    followups, has_more = list_followups(filters, current_user, today)
    record_disclosure(f.person_id for f in followups)
    return render_template(
        "followups/index.html",
        followups=followups,
        filters=filters,
        has_more=has_more,
        today_date=today,
        status_labels=STATUS_LABELS,
        cancel_reason=reason_label,
    )


@bp.route("/<int:followup_id>/start", methods=["POST"])
def start(followup_id: int):
    """Claim a follow-up and open its call form."""
    db.get_or_404(FollowUp, followup_id)
    if not claim(followup_id, current_user):
        flash(_("Another nurse is already working on this follow-up."), "error")
        return redirect(request.referrer or url_for("followups.index"))
    return redirect(url_for("followups.detail", followup_id=followup_id))


@bp.route("/next", methods=["POST"])
def start_next():
    """Claim the oldest due follow-up nobody is working on."""
    followup_id = claim_next(current_user, local_now().date())
    if followup_id is None:
        flash(_("No follow-up is waiting."), "info")
        return redirect(url_for("followups.index"))
    return redirect(url_for("followups.detail", followup_id=followup_id))


def _render(followup: FollowUp, form: FollowUpForm, status: int = 200, cancel_form: CancelForm | None = None):
    # After a refused POST the call form is shown again, even without the claim, so nothing typed is lost.
    show_form = holds(followup, current_user) or (request.method == "POST" and cancel_form is None)
    return render_template(
        "followups/detail.html",
        followup=followup,
        form=form,
        show_form=show_form,
        checked=what_it_checks(followup),
        carer_call=latest_carer_call(followup.person_id),
        cancel_form=cancel_form or CancelForm(formdata=None),
        cancel_reason=reason_label,
        can_dial=can_dial(),
        can_work=current_user.has_role(*WORKERS),
        can_cancel=followup.status in OPEN_STATUSES and current_user.has_role(*WORKERS),
        status_labels=STATUS_LABELS,
        today_date=local_now().date(),
    ), status


@bp.route("/<int:followup_id>", methods=["GET", "POST"])
def detail(followup_id: int):
    """Show a follow-up; its holder records the call (reached and the answers, or an attempt)."""
    followup = db.get_or_404(FollowUp, followup_id)
    if not can_view(current_user, followup):
        abort(403)
    form = FollowUpForm()
    if request.method == "GET":
        record_read("followup", followup.id, followup.person_id)
        return _render(followup, form)
    if not current_user.has_role(*WORKERS):
        abort(403)
    if followup.status not in ("pending", "claimed"):
        flash(_("This follow-up is already closed."), "error")
        return _render(followup, form, 409)
    if not form.validate():
        flash(_("The follow-up was not saved: correct the fields marked below."), "error")
        return _render(followup, form, 422)
    if not secure(followup.id, current_user):  # her claim, kept (or retaken if it was given back)
        db.session.rollback()
        flash(_("Another nurse is working on this follow-up: your answers were not saved."), "error")
        return _render(followup, form, 409)
    db.session.refresh(followup)
    if form.is_reached():
        answers = form.answers()
        record_reached(followup, current_user, answers)
        db.session.commit()
        if answers.new_needs:
            flash(_("Follow-up saved. Log the new need: triage runs again."), "success")
            return redirect(
                url_for("calls.new", person_id=followup.person_id, from_followup=followup.id, direction="outgoing")
            )
        flash(_("Follow-up saved."), "success")
        return redirect(url_for("main.home"))
    status = record_not_reached(followup, current_user, form.notes.data or "")
    db.session.commit()
    if status == "unreachable":
        flash(_("Last attempt logged: the person is marked unreachable and the referrer is notified."), "success")
    else:
        flash(
            _("Attempt logged: the follow-up comes back on %(when)s.", when=format_local(followup.next_attempt_at)),
            "success",
        )
    return redirect(url_for("main.home"))


@bp.route("/<int:followup_id>/release", methods=["POST"])
def give_back(followup_id: int):
    """Give a follow-up back to the worklist without recording anything."""
    followup = db.get_or_404(FollowUp, followup_id)
    if release(followup, current_user):
        db.session.commit()
        flash(_("The follow-up is back on the worklist."), "info")
    return redirect(url_for("followups.index"))


@bp.route("/<int:followup_id>/cancel", methods=["POST"])
def cancel(followup_id: int):
    """Take a follow-up that became pointless out of the worklist, saying why."""
    followup = db.get_or_404(FollowUp, followup_id)
    form = CancelForm()
    if followup.status not in OPEN_STATUSES:
        flash(_("This follow-up is already closed: it cannot be cancelled."), "error")
        return _render(followup, FollowUpForm(formdata=None), 409, cancel_form=form)
    if not form.validate():
        flash(_("The follow-up was not cancelled: give the reason."), "error")
        return _render(followup, FollowUpForm(formdata=None), 422, cancel_form=form)
    if not cancel_followup(followup, form.reason.data, current_user.id):  # closed by someone meanwhile
        db.session.rollback()
        db.session.refresh(followup)
        flash(_("This follow-up is already closed: it cannot be cancelled."), "error")
        return _render(followup, FollowUpForm(formdata=None), 409, cancel_form=form)
    db.session.commit()
    flash(_("Follow-up cancelled: it has left the worklist."), "success")
    return redirect(url_for("followups.detail", followup_id=followup.id))


@bp.route("/schedule.ics")
def calendar():
    """Download the nurse's follow-up schedule (or the team's) as an iCalendar file."""
    team = request.args.get("scope") == "team"
    followups = schedule_for(current_user, team=team)
    record(
        "export",
        "followup",
        None,
        detail={"format": "ics", "scope": "team" if team else "mine", "count": len(followups)},
    )
    db.session.commit()
    return Response(
        schedule_calendar(followups),
        mimetype="text/calendar",
        headers={"Content-Disposition": "attachment; filename=follow-ups.ics"},
    )
