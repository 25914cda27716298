"""A case's course from its page: progress notes, the expected end, the person's care setting."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..formatting import local_now, local_zone
from . import bp
from .access import get_case_or_403
from .course import WRITABLE_STATUSES, add_note, current_setting, record_setting, set_expected_end, settings_of
from .forms import ExpectedEndForm, NoteForm, SettingForm


def course_forms(case, refused: dict) -> dict:
    """Return what the case page shows of the case's course, with its forms (a refused one as it was typed)."""
    note_form = refused.get("note_form") or NoteForm(formdata=None)
    if note_form.at.data is None and not note_form.at.errors:
        note_form.at.data = local_now().replace(second=0, microsecond=0, tzinfo=None)
    end_form = refused.get("end_form") or ExpectedEndForm(formdata=None, obj=case)
    setting_form = refused.get("setting_form") or SettingForm(formdata=None)
    if setting_form.started_on.data is None and not setting_form.started_on.errors:
        setting_form.started_on.data = local_now().date()
    return {
        "writable": case.status in WRITABLE_STATUSES,
        "note_form": note_form,
        "end_form": end_form,
        "settings": settings_of(case.person_id),
        "current_setting": current_setting(case.person_id, local_now().date()),
        "setting_form": setting_form,
    }


def _refused(case, message: str, **form):
    from .routes import render_detail

    flash(message, "error")
    return render_detail(case, 422, **form)


def _closed(case):
    flash(_("The case is closed: reopen it to write on it."), "error")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/notes", methods=["POST"])
def add_progress_note(case_id: int):
    """Add a dated progress note to the case's journal."""
    case = get_case_or_403(case_id)
    if case.status not in WRITABLE_STATUSES:
        return _closed(case)
    form = NoteForm()
    if not form.validate_on_submit():
        return _refused(case, _("The note was not saved: correct the fields marked below."), note_form=form)
    at = form.at.data.replace(tzinfo=local_zone()).astimezone(dt.UTC)
    add_note(case, at, form.text.data, current_user)
    db.session.commit()
    flash(_("Note added to the journal."), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="journal"))


@bp.route("/<int:case_id>/expected-end", methods=["POST"])
def expected_end(case_id: int):
    """Change when the case is expected to end and on which criteria."""
    case = get_case_or_403(case_id)
    if case.status not in WRITABLE_STATUSES:
        return _closed(case)
    form = ExpectedEndForm()
    if not form.validate_on_submit():
        return _refused(case, _("The expected end was not saved: correct the fields marked below."), end_form=form)
    set_expected_end(case, form.expected_end_on.data, form.closure_criteria.data or "", current_user)
    db.session.commit()
    flash(_("Expected end and closure criteria saved."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/settings", methods=["POST"])
def add_setting(case_id: int):
    """Record where the person is from a day (home, hospital, rehabilitation…); the history is kept."""
    case = get_case_or_403(case_id)
    if case.status not in WRITABLE_STATUSES:
        return _closed(case)
    form = SettingForm()
    if not form.validate_on_submit():
        return _refused(case, _("The care setting was not saved: correct the fields marked below."), setting_form=form)
    record_setting(case, form.kind.data, form.started_on.data, form.ended_on.data, form.note.data or "", current_user)
    db.session.commit()
    flash(_("Care setting recorded."), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="care-setting"))
