"""Send referrals from a call, follow them, and print their sheet."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from models import Call, Referral, Structure, User
from models.vocabulary import NEXT_STATUSES

from .. import audit
from ..directory.service import search_structures
from ..disclosures import record_disclosure
from ..extensions import db
from ..ids import parse_id
from ..persons.routes import can_view_person
from ..vocabulary import CATEGORY_LABELS
from . import bp
from .forms import STATUS_LABELS, ReferralForm, StatusForm
from .listing import ReferralFilters, list_referrals
from .service import ReferralError, change_status, create_referrals, default_message, is_overdue


@bp.route("/")
def index():
    """List referrals (a nurse's own, or everyone's for coordinators), overdue ones flagged."""
    filters = ReferralFilters.from_args(request.args, current_user)
    referrals, has_more = list_referrals(filters)
    record_disclosure(r.person_id for r in referrals)
    structures = db.session.scalars(sa.select(Structure).order_by(Structure.name)).all()
    nurses = db.session.scalars(sa.select(User).where(User.roles.contains("nurse")).order_by(User.name)).all()
    return render_template(
        "referrals/index.html",
        referrals=referrals,
        filters=filters,
        has_more=has_more,
        structures=structures,
        nurses=nurses,
        is_overdue=is_overdue,
        categories=CATEGORY_LABELS,
        statuses=STATUS_LABELS,
    )


def _structure_choices(call: Call, chosen: list[str]) -> list:
    """Return the structures to offer: the call's categories (or the one searched) near the person."""
    category = request.args.get("category") or ""
    categories = [category] if category in CATEGORY_LABELS else call.categories
    postcode = request.args.get("postcode", call.person.postcode or "")
    matches = search_structures(categories, postcode)
    known = {str(m.structure.id) for m in matches}
    extra = [db.session.get(Structure, parse_id(i)) for i in chosen if parse_id(i) and i not in known]
    return matches, [s for s in extra if s is not None and s.status == "active"]


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Refer the person of a call to the structures the nurse chooses."""
    call = db.get_or_404(Call, parse_id(request.args.get("call_id")) or 0)
    form = ReferralForm()
    matches, extra = _structure_choices(call, form.structures.data or [])
    form.structures.choices = [SelectChoice(str(m.structure.id), m.structure.name) for m in matches]
    form.structures.choices += [SelectChoice(str(s.id), s.name) for s in extra]
    if request.method == "GET":
        form.message.data = default_message(call)
        form.consent_checked.data = call.person.has_consent("referral")
        audit.record_read("call", call.id, call.person_id)
    if form.validate_on_submit():
        structures = [db.session.get(Structure, int(i)) for i in form.structures.data]
        try:
            referrals = create_referrals(call, structures, form.message.data, form.consent_checked.data, current_user)
        except ReferralError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [str(exc)]
        else:
            db.session.commit()
            flash(ngettext("%(num)s referral sent.", "%(num)s referrals sent.", len(referrals)), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    if request.method == "POST":
        flash(_("No referral was sent: correct the fields marked below."), "error")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "referrals/new.html", call=call, form=form, matches=matches, extra=extra, categories=CATEGORY_LABELS
    ), status


def _status_form(referral: Referral) -> StatusForm:
    form = StatusForm()
    form.status.choices = [SelectChoice("", "—")] + [
        SelectChoice(s, STATUS_LABELS[s]) for s in NEXT_STATUSES[referral.status]
    ]
    return form


def _render_detail(referral: Referral, form: StatusForm, status: int = 200):
    return render_template("referrals/detail.html", referral=referral, form=form, overdue=is_overdue(referral)), status


def _get_referral(referral_id: int) -> Referral:
    """Return a referral the current user may follow (case managers: those of their cases' persons)."""
    referral = db.get_or_404(Referral, referral_id)
    if not can_view_person(current_user, referral.person):
        abort(403)
    return referral


@bp.route("/<int:referral_id>")
def detail(referral_id: int):
    """Show a referral, its history, and the form to record what happened."""
    referral = _get_referral(referral_id)
    audit.record_read("referral", referral.id, referral.person_id)
    return _render_detail(referral, _status_form(referral))


@bp.route("/<int:referral_id>/status", methods=["POST"])
def update_status(referral_id: int):
    """Record the structure's answer or the referral's outcome."""
    referral = _get_referral(referral_id)
    form = _status_form(referral)
    if form.validate_on_submit():
        try:
            change_status(
                referral,
                form.status.data,
                current_user,
                outcome=form.outcome.data or None,
                reason=form.reason.data or None,
                note=form.note.data,
            )
        except ReferralError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Referral updated."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    flash(_("The referral was not updated: correct the fields marked below."), "error")
    return _render_detail(referral, form, 422)


@bp.route("/<int:referral_id>/sheet")
def sheet(referral_id: int):
    """Show the referral sheet, ready to print."""
    referral = _get_referral(referral_id)
    audit.record("print", "referral", referral.id, person_id=referral.person_id)
    db.session.commit()
    return render_template("referrals/sheet.html", referral=referral)


@bp.route("/<int:referral_id>/sheet.txt")
def sheet_text(referral_id: int):
    """Download the referral sheet as a text file."""
    referral = _get_referral(referral_id)
    if not referral.consent_checked:
        abort(403)
    audit.record("export", "referral", referral.id, person_id=referral.person_id)
    db.session.commit()
    body = render_template("referrals/sheet.txt", referral=referral)
    return Response(
        body,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="referral-{referral.id}.txt"'},
    )
