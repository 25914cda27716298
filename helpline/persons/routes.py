"""A person's page and the person search."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import Case, Person, PersonContact, PersonFlag, PersonMerge, utcnow

from .. import audit
from ..corrections import corrections_of
from ..disclosures import record_disclosure
from ..extensions import db
from ..formatting import format_local, local_now
from ..permissions import can_current_user as can
from ..phones import display_phone
from ..security import limiter
from . import bp
from .contacts import contact_label, contacts_for_phone
from .context import active_flags
from .corrections import CorrectionReasonMissing, correct_person, form_for
from .forms import ContactForm, FlagForm
from .merging import (
    FIELD_LABELS,
    MergeRefused,
    confirm_merge,
    duplicates_of,
    kind_label,
    mark_distinct,
    merge_persons,
    merges_of,
    preview,
    undo_merge,
)
from .service import search_persons
from .timeline import timeline


def can_view_person(user, person: Person) -> bool:
    """Tell whether a user may read a person's record (case managers: only their cases' persons)."""
    if user.has_role("nurse", "coordinator"):
        return True
    if user.has_role("case_manager"):
        stmt = sa.select(Case.id).where(Case.person_id == person.id, Case.case_manager_id == user.id)
        return db.session.scalar(stmt.limit(1)) is not None
    return False


def get_person_or_403(person_id: int, *, merged: bool = False) -> Person:
    """Return a person the current user may read, or stop with 404/403 (404 for a record merged into
    another one, unless `merged`: nothing is added to a merged record)."""
    person = db.get_or_404(Person, person_id)
    if person.merged_into_id and not merged:
        abort(404)
    if not can_view_person(current_user, person):
        abort(403)
    return person


@bp.route("/<int:person_id>")
def detail(person_id: int):
    """Show a person's details and everything over time (a merged record leads to the person it was merged into)."""
    person = db.get_or_404(Person, person_id)
    if person.merged_into_id:
        flash(_("This record was merged into another one: here is the person it was merged into."), "info")
        return redirect(url_for("persons.detail", person_id=person.merged_into_id))
    person = get_person_or_403(person_id)
    audit.record_read("person", person.id, person.id)
    duplicates = duplicates_of(person) if can("persons.merge") else []
    if duplicates:
        record_disclosure(p.id for p in duplicates)
    return render_template(
        "persons/detail.html",
        person=person,
        entries=timeline(person),
        flags=active_flags(person.id, local_now().date()),
        corrections=corrections_of("person", person.id),
        duplicates=duplicates,
        merges=merges_of(person.id),
    )


def _visible(persons: list[Person]) -> list[Person]:
    """Keep the persons the current user may read (`can_view_person` of each, in at most one SELECT)."""
    if current_user.has_role("nurse", "coordinator"):
        return persons
    if not current_user.has_role("case_manager") or not persons:
        return []
    stmt = sa.select(Case.person_id).where(
        Case.person_id.in_([p.id for p in persons]), Case.case_manager_id == current_user.id
    )
    managed = set(db.session.scalars(stmt))
    return [p for p in persons if p.id in managed]


def _search_rate() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]


def _per_user() -> str:
    return f"user:{current_user.get_id()}"


# Searches are POSTed: a name or a phone number in a URL would stay in the access logs.
@bp.route("/search", methods=["GET", "POST"])
@limiter.limit(_search_rate, key_func=_per_user, scope="person-search", methods=["POST"])
def search():
    """Find persons by name, phone or date of birth."""
    query = request.form.get("q", "") if request.method == "POST" else ""
    persons = _visible(search_persons(query, current_app.config["PHONE_REGION"]))
    record_disclosure(p.id for p in persons)
    return render_template("persons/search.html", query=query, persons=persons)


@bp.route("/search.json", methods=["POST"])
@limiter.limit(_search_rate, key_func=_per_user, scope="person-search")
def search_json():
    """Find persons by name, phone or date of birth, as JSON for the call page's script."""
    query = request.form.get("q", "")
    persons = _visible(search_persons(query, current_app.config["PHONE_REGION"]))
    record_disclosure(p.id for p in persons)
    contacts = contacts_for_phone(query, [p.id for p in persons], current_app.config["PHONE_REGION"])
    return jsonify(
        persons=[
            {
                "id": p.id,
                "name": p.display_name,
                "birth_date": format_local(p.birth_date) if p.birth_date else None,
                "postcode": p.postcode,
                "phone": display_phone(p.phone),
                "contact": contact_label(contacts.get(p.id)),
            }
            for p in persons
        ]
    )


def _save_contact(person: Person, contact: PersonContact | None):
    """Show the contact form; on a valid post, keep the contact and go back to the person."""
    form = ContactForm(obj=contact)
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("persons/contact_form.html", person=person, form=form, contact=contact), status
    if contact is None:
        contact = PersonContact(person_id=person.id)
        db.session.add(contact)
    contact.kind, contact.name = form.kind.data, form.name.data.strip()
    contact.relation = (form.relation.data or "").strip() or None
    contact.phone, contact.may_call = form.phone.data, bool(form.may_call.data)
    db.session.commit()
    flash(_("Contact saved."), "success")
    return redirect(url_for("persons.detail", person_id=person.id))


@bp.route("/<int:person_id>/contacts/new", methods=["GET", "POST"])
def contact_new(person_id: int):
    """Add a carer or professional to the person's contacts."""
    return _save_contact(get_person_or_403(person_id), None)


@bp.route("/<int:person_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
def contact_edit(person_id: int, contact_id: int):
    """Correct one of the person's contacts (name, relation, number, whether she may be called)."""
    person = get_person_or_403(person_id)
    contact = db.get_or_404(PersonContact, contact_id)
    if contact.person_id != person.id:
        abort(404)
    return _save_contact(person, contact)


@bp.route("/<int:person_id>/flags/new", methods=["GET", "POST"])
def flag_new(person_id: int):
    """Flag the person (legal guardian to call, safeguarding concern...) with why and until when."""
    person = get_person_or_403(person_id)
    form = FlagForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("persons/flag_form.html", person=person, form=form), status
    db.session.add(
        PersonFlag(
            person_id=person.id,
            kind=form.kind.data,
            reason=form.reason.data.strip(),
            expires_on=form.expires_on.data,
            set_by_id=current_user.id,
        )
    )
    db.session.commit()
    flash(_("Flag saved: every nurse sees it with the person."), "success")
    return redirect(url_for("persons.detail", person_id=person.id))


@bp.post("/<int:person_id>/flags/<int:flag_id>/lift")
def flag_lift(person_id: int, flag_id: int):
    """Lift a flag that no longer holds (kept, with who lifted it and when)."""
    person = get_person_or_403(person_id)
    flag = db.get_or_404(PersonFlag, flag_id)
    if flag.person_id != person.id:
        abort(404)
    if flag.lifted_at is None:
        flag.lifted_at, flag.lifted_by_id = utcnow(), current_user.id
        db.session.commit()
        flash(_("Flag lifted."), "success")
    return redirect(url_for("persons.detail", person_id=person.id))


@bp.route("/<int:person_id>/correct", methods=["GET", "POST"])
def correct(person_id: int):
    """Correct a person's record (name, date of birth, phones, address, GP); the previous values are kept."""
    person = get_person_or_403(person_id)
    form = form_for(person)
    if form.validate_on_submit():
        try:
            correction = correct_person(person, form, current_user)
        except CorrectionReasonMissing:
            db.session.rollback()
            form.reason.errors.append(_("Give the reason: the date of birth and the postcode are read by triage."))
        else:
            if correction is None:
                flash(_("Nothing was changed."), "info")
            else:
                db.session.commit()
                flash(_("Correction saved."), "success")
            return redirect(url_for("persons.detail", person_id=person.id))
    status = 422 if request.method == "POST" else 200
    return render_template("persons/correct.html", person=person, form=form), status


@bp.route("/<int:person_id>/merge/<int:other_id>", methods=["GET", "POST"])
def merge(person_id: int, other_id: int):
    """Show what merging the other record into this person moves; on a post, merge them (undoable until confirmed)."""
    kept, merged = get_person_or_403(person_id), get_person_or_403(other_id)
    record_disclosure([kept.id, merged.id])
    plan = preview(kept, merged)
    if request.method == "POST":
        try:
            done = merge_persons(kept, merged, current_user)
        except MergeRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
            plan = preview(kept, merged)
        else:
            db.session.commit()
            flash(
                _("Merged: the rows moved to this person. Check her record, then confirm or undo the merge."),
                "success",
            )
            return redirect(url_for("persons.merge_detail", merge_id=done.id))
    status = 409 if request.method == "POST" else 200
    return render_template(
        "persons/merge.html",
        kept=kept,
        merged=merged,
        plan=plan,
        kind_label=kind_label,
        field_labels=FIELD_LABELS,
    ), status


def _merge_or_404(merge_id: int) -> PersonMerge:
    merge_record = db.get_or_404(PersonMerge, merge_id)
    get_person_or_403(merge_record.kept_person_id, merged=True)
    return merge_record


@bp.get("/merges/<int:merge_id>")
def merge_detail(merge_id: int):
    """Show a merge: who merged which records when, what moved, and (until confirmed) undo or confirm."""
    merge_record = _merge_or_404(merge_id)
    record_disclosure([merge_record.kept_person_id, merge_record.merged_person_id])
    return render_template(
        "persons/merge_detail.html", merge=merge_record, kind_label=kind_label, field_labels=FIELD_LABELS
    )


def _decide_merge(merge_id: int, decide, done_message: str, shown_person):
    """Undo or confirm a merge; on a refusal, back to the merge with the reason; else to the person shown."""
    merge_record = _merge_or_404(merge_id)
    try:
        decide(merge_record, current_user)
    except MergeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("persons.merge_detail", merge_id=merge_id))
    db.session.commit()
    flash(done_message, "success")
    return redirect(url_for("persons.detail", person_id=shown_person(merge_record)))


@bp.post("/merges/<int:merge_id>/undo")
def merge_undo(merge_id: int):
    """Undo a merge not yet confirmed: every moved row goes back to the merged person, shown again."""
    message = _("Merge undone: every moved row is back on its person.")
    return _decide_merge(merge_id, undo_merge, message, lambda merge: merge.merged_person_id)


@bp.post("/merges/<int:merge_id>/confirm")
def merge_confirm(merge_id: int):
    """Make a merge final."""
    message = _("Merge confirmed: it can no longer be undone.")
    return _decide_merge(merge_id, confirm_merge, message, lambda merge: merge.kept_person_id)


@bp.post("/<int:person_id>/not-same/<int:other_id>")
def not_same(person_id: int, other_id: int):
    """Record that two persons proposed as duplicates are not the same person (no longer proposed)."""
    person, other = get_person_or_403(person_id), get_person_or_403(other_id)
    try:
        mark_distinct(person, other, current_user)
    except MergeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("Recorded: these two persons are no longer proposed as duplicates."), "success")
    return redirect(url_for("persons.detail", person_id=person.id))
