"""Consents, the right of access (export) and erasure, for one person."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import Consent, Person

from .. import audit
from ..extensions import db
from ..persons.routes import get_person_or_403
from . import bp
from .erasure import pseudonymise
from .export import person_data
from .forms import PURPOSE_LABELS, ConsentForm, ErasureForm


@bp.route("/persons/<int:person_id>/consents", methods=["GET", "POST"])
def consents(person_id: int):
    """Show a person's consents and record a new one (for what, yes or no, when, by whom)."""
    person = get_person_or_403(person_id)
    form = ConsentForm()
    if form.validate_on_submit():
        person.consents.append(
            Consent(
                purpose=form.purpose.data,
                granted=form.granted.data == "yes",
                given_on=form.given_on.data,
                recorded_by_id=current_user.id,
                note=form.note.data or None,
            )
        )
        db.session.commit()
        flash(_("Consent recorded."), "success")
        return redirect(url_for("privacy.consents", person_id=person.id))
    audit.record_read("consent", person.id, person.id)
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/consents.html", person=person, form=form, purposes=PURPOSE_LABELS), status


def _exportable(person_id: int) -> Person:
    person = db.get_or_404(Person, person_id)
    audit.record("export", "person", person.id, person_id=person.id)
    db.session.commit()
    return person


@bp.route("/persons/<int:person_id>/export")
def export(person_id: int):
    """Show a person's complete data as a printable page (right of access)."""
    person = _exportable(person_id)
    return render_template("privacy/export.html", person=person, data=person_data(person))


@bp.route("/persons/<int:person_id>/export.json")
def export_json(person_id: int):
    """Download a person's complete data as JSON (right of access)."""
    person = _exportable(person_id)
    body = json.dumps(person_data(person), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=person-{person.id}.json"},
    )


@bp.route("/persons/<int:person_id>/erase", methods=["GET", "POST"])
def erase(person_id: int):
    """Erase a person's identity on request, with the reason, keeping the figures right."""
    person = db.get_or_404(Person, person_id)
    form = ErasureForm()
    if person.pseudonymised_at:
        flash(_("This person's identity was already erased."), "info")
        return redirect(url_for("persons.detail", person_id=person.id))
    if form.validate_on_submit():
        pseudonymise(person, form.reason.data.strip(), user_id=current_user.id)
        db.session.commit()
        flash(_("The person's identity and notes were erased; the anonymous figures are kept."), "success")
        return redirect(url_for("persons.detail", person_id=person.id))
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/erase.html", person=person, form=form), status
