"""Reassigning a case or a caseload, and reopening a closed case."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import User

from ..extensions import db
from ..vocabulary import CASE_MANAGER_PROFILE_LABELS
from . import bp
from .access import get_case_or_403
from .continuity import ContinuityError, can_reopen, reassign_case, reassign_caseload, reopen_case
from .forms import ReassignForm, ReopenForm
from .service import caseload_of, caseloads


def manager_choice(load) -> tuple[str, str]:
    """Return a case manager as a choice: her name, her profile and her room."""
    profile = CASE_MANAGER_PROFILE_LABELS.get(load.user.case_manager_profile or "")
    name = f"{load.user.name} ({profile})" if profile else load.user.name
    return str(load.user.id), ngettext(
        "%(name)s — %(num)s place free", "%(name)s — %(num)s places free", load.room, name=name
    )


def _reassign_form(exclude_id) -> ReassignForm:
    form = ReassignForm()
    form.case_manager_id.choices = [("", "—")] + [
        manager_choice(load) for load in caseloads() if load.user.id != exclude_id
    ]
    return form


def _apply(form, action):
    """Run a reassignment from a valid form; return an error-free result or None (errors set on the form)."""
    manager = db.session.get(User, int(form.case_manager_id.data))
    try:
        return action(manager)
    except ContinuityError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors = [str(exc)]
        return None


@bp.route("/<int:case_id>/reassign", methods=["GET", "POST"])
def reassign(case_id: int):
    """Give an active case to another case manager (leave, turnover), with a note."""
    case = get_case_or_403(case_id)
    form = _reassign_form(case.case_manager_id)
    if form.validate_on_submit():
        event = _apply(form, lambda manager: reassign_case(case, manager, form.note.data, current_user))
        if event is not None:
            db.session.commit()
            flash(_("Case given to %(name)s.", name=event.to_user.name), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/reassign.html", case=case, form=form, loads=caseloads()), status


@bp.route("/caseloads/<int:user_id>/reassign", methods=["GET", "POST"])
def reassign_caseload_view(user_id: int):
    """Give a case manager's whole caseload to another one (the coordinator)."""
    leaving = db.get_or_404(User, user_id)
    form = _reassign_form(leaving.id)
    if form.validate_on_submit():
        moved = _apply(form, lambda manager: reassign_caseload(leaving, manager, form.note.data, current_user))
        if moved is not None:
            db.session.commit()
            flash(ngettext("%(num)d case reassigned.", "%(num)d cases reassigned.", moved), "success")
            return redirect(url_for("cases.waiting"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "cases/reassign_caseload.html", leaving=leaving, load=caseload_of(leaving), form=form, loads=caseloads()
    ), status


@bp.route("/<int:case_id>/reopen", methods=["POST"])
def reopen(case_id: int):
    """Reopen a closed case within the reopening period; its closure follow-ups are cancelled."""
    case = get_case_or_403(case_id)
    if not can_reopen(case):
        abort(409)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            cancelled = reopen_case(case, form.note.data, current_user)
        except ContinuityError as exc:
            db.session.rollback()
            form.note.errors = [str(exc)]
        else:
            db.session.commit()
            flash(
                ngettext(
                    "Case reopened; %(num)d planned follow-up call was cancelled.",
                    "Case reopened; %(num)d planned follow-up calls were cancelled.",
                    cancelled,
                ),
                "success",
            )
            return redirect(url_for("cases.detail", case_id=case.id))
    flash(_("The case was not reopened: correct the fields marked below."), "error")
    return render_template("cases/reopen.html", case=case, form=form), 422
