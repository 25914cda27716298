"""Log a call on one page; list and read calls."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from models import Call, FollowUp, Person, PhoneCall, User

from .. import audit
from ..cases.access import can_read_call
from ..corrections import corrections_of
from ..disclosures import record_disclosure
from ..drafts import new_draft_id
from ..extensions import db
from ..formatting import local_now
from ..ids import parse_id
from ..outage import keeps_form_on_outage
from ..persons.contacts import contact_label, contacts_for_phone
from ..persons.context import person_context
from ..persons.service import persons_for_phone, search_persons
from ..phones import normalise_phone
from ..vocabulary import TOPIC_LABELS
from . import bp
from .corrections import CorrectionError, correct_call, form_for
from .forms import CallForm
from .listing import CallFilters, list_calls
from .proposal import decide, propose
from .service import ADDRESS_FIELDS, Decision, DuplicatePersonError, call_saved_from_draft, log_call

log = logging.getLogger(__name__)


def _prefill_person(form: CallForm, person: Person) -> None:
    """Show an existing person's details in the form so the nurse can check or update them."""
    form.person_id.data = str(person.id)
    form.first_name.data, form.last_name.data = person.first_name, person.last_name
    form.birth_date.data = person.birth_date
    form.age.data = person.age if not person.birth_date else None
    form.postcode.data = person.postcode
    for name in ADDRESS_FIELDS:
        getattr(form, name).data = getattr(person, name)
    form.person_phone.data = person.phone
    form.lives_alone.data = {True: "yes", False: "no"}.get(person.lives_alone, "")
    form.gp_name.data, form.gp_phone.data = person.gp_name, person.gp_phone
    consent = person.consent_for("referral")
    form.consent.data = {True: "yes", False: "no"}.get(consent.granted if consent else None, "")
    form.consent_date.data = consent.given_on if consent else None
    for name in ("birth_date", "age", "consent_date"):
        getattr(form, name).raw_data = []  # show the record's value, not the blank that was posted
    _prefill_caller(form, person)
    audit.record_read("person", person.id, person.id)


def _prefill_caller(form: CallForm, person: Person) -> None:
    """Fill in who is calling when the caller's number is one of the person's known contacts."""
    try:
        number = normalise_phone(form.caller_phone.data or "", current_app.config["PHONE_REGION"])
    except ValueError:
        return
    contact = next((c for c in person.contacts if c.phone == number), None)
    if contact is None:
        if number == person.phone and not form.caller_type.data:
            form.caller_type.data = "patient"
        return
    if not form.caller_type.data:
        form.caller_type.data = contact.kind
    if not (form.caller_name.data or "").strip():
        form.caller_name.data = contact.name
    if not (form.caller_relation.data or "").strip():
        form.caller_relation.data = contact.relation


def _prefill_from_followup(form: CallForm) -> None:
    """Open a call found by a follow-up as an outgoing call carrying the follow-up's notes."""
    followup = db.session.get(FollowUp, parse_id(form.from_followup.data) or 0)
    if followup is None:
        return
    form.direction.data = "outgoing"
    if followup.notes and not form.summary.data:
        form.summary.data = followup.notes


def _new_form() -> CallForm:
    form = CallForm()
    if request.method == "GET":
        form.started_at.data = local_now().replace(second=0, microsecond=0, tzinfo=None)
        form.consent_date.data = local_now().date()
        form.draft_id.data = new_draft_id()
        for name in ("caller_phone", "person_query", "from_followup", "direction"):
            if request.args.get(name):
                getattr(form, name).data = request.args[name]
        phone_call = db.session.get(PhoneCall, parse_id(request.args.get("phone_call")) or 0)
        if phone_call is not None and phone_call.from_number:  # the screen pop's link names the call, not the number
            form.caller_phone.data = phone_call.from_number
        person_id = parse_id(request.args.get("person_id"))
        if person_id:
            person = db.session.get(Person, person_id)
            if person:
                _prefill_person(form, person)
        _prefill_from_followup(form)
    return form


def _render(form: CallForm, status: int = 200, **context):
    region = current_app.config["PHONE_REGION"]
    person_id = parse_id(form.person_id.data)
    selected = db.session.get(Person, person_id) if person_id else None
    known = []
    if not selected and form.caller_phone.data and not context.get("matches"):
        try:
            known = persons_for_phone(normalise_phone(form.caller_phone.data, region))
        except ValueError:
            known = []
    context.setdefault("matches", known)
    context.setdefault("proposal", None)
    record_disclosure([selected.id if selected else None] + [p.id for p in context["matches"] or []])
    desk = person_context(selected, local_now().date()) if selected else None
    caller_contacts = contacts_for_phone(form.caller_phone.data or "", [p.id for p in known], region) if known else {}
    return render_template(
        "calls/new.html",
        form=form,
        selected=selected,
        desk=desk,
        caller_contacts={pid: contact_label(c) for pid, c in caller_contacts.items()},
        emergency=bool(form.red_flags.data),
        **context,
    ), status


def _render_on_outage():
    """Show the call form again with everything typed, without the database (it is down)."""
    form = CallForm(formdata=request.form)
    flash(
        _(
            "The database is not answering: the call was NOT saved. Everything you typed is "
            "still here; try saving again in a moment."
        ),
        "error",
    )
    return render_template("calls/new.html", form=form, selected=None, matches=[], proposal=None), 503


@bp.route("/new", methods=["GET", "POST"])
@keeps_form_on_outage(_render_on_outage)
def new():
    """Log a call: find or create the person, record the request, confirm the route."""
    form = _new_form()
    if request.method == "GET":
        return _render(form)
    action = request.form.get("action", "preview")
    if action == "find":
        query = (form.person_query.data or form.caller_phone.data or "").strip()
        matches = search_persons(query, current_app.config["PHONE_REGION"])
        if not matches:
            flash(_("No person found for “%(query)s”: fill in the new person below.", query=query), "info")
        return _render(form, matches=matches, searched=True)
    if action.startswith("use:") and parse_id(action[4:]):
        person = db.session.get(Person, parse_id(action[4:]))
        if person:
            _prefill_person(form, person)
        return _render(form)
    if action == "clear_person":
        form.person_id.data = ""
        return _render(form)
    valid = form.validate()
    proposal = propose(form) if valid or not _proposal_fields_invalid(form) else None
    if proposal and not form.route.data:
        form.route.data = proposal["route"]  # preselected: the nurse confirms it or overrides it
        if action != "save":
            form.route.errors = []
    if action != "save" or not valid:
        if action == "save":
            flash(_("The call was not saved: correct the fields marked below."), "error")
        return _render(form, 200 if action != "save" else 422, proposal=proposal)
    decision: Decision | None = decide(form, proposal)
    if decision is None:
        return _render(form, 422, proposal=proposal)
    already = call_saved_from_draft(form.draft_id.data)
    if already is not None:
        return _already_saved(already)
    try:
        call = log_call(form, current_user, decision)
    except IntegrityError:
        db.session.rollback()  # the same form saved at the same moment by a second submit
        already = call_saved_from_draft(form.draft_id.data)
        if already is None:
            raise
        return _already_saved(already)
    except DuplicatePersonError as exc:
        db.session.rollback()
        form.confirm_new_person.errors = [
            _("This person may already be known: choose them below, or tick the box to create a new person.")
        ]
        return _render(form, 409, matches=exc.candidates, duplicates=True, proposal=proposal)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("saving a call failed")
        flash(
            _(
                "The database is not answering: the call was NOT saved. Everything you typed is "
                "still here; try saving again in a moment."
            ),
            "error",
        )
        return _render(form, 503, proposal=proposal)
    flash(_("Call saved."), "success")
    return redirect(url_for("calls.detail", call_id=call.id))


def _already_saved(call: Call):
    flash(_("This call was already saved: it is shown below."), "info")
    return redirect(url_for("calls.detail", call_id=call.id))


def _proposal_fields_invalid(form: CallForm) -> bool:
    """Tell whether a field the triage reads is invalid (then no proposal can be made)."""
    fields = (
        "caller_type",
        "postcode",
        "topics",
        "red_flags",
        "rupture_events",
        "professionals_involved",
        "caller_professional_role",
        "age",
        "birth_date",
    )
    return any(getattr(form, name).errors for name in fields)


@bp.route("/<int:call_id>")
def detail(call_id: int):
    """Show a logged call and its decision."""
    call = db.get_or_404(Call, call_id)
    if not can_read_call(current_user, call):
        audit.record("denied", "call", call.id, person_id=call.person_id)
        db.session.commit()
        abort(403)
    audit.record_read("call", call.id, call.person_id)
    return render_template("calls/detail.html", call=call, corrections=corrections_of("call", call.id))


CORRECTION_MESSAGES = {
    "reason": _l("Give the reason: this correction changes what triage reads (topics or caller)."),
    "caller_professional_role": _l("Choose the professional's role."),
}


@bp.route("/<int:call_id>/correct", methods=["GET", "POST"])
def correct(call_id: int):
    """Correct a saved call (summary, topics, caller type); the previous values are kept."""
    call = db.get_or_404(Call, call_id)
    if not can_read_call(current_user, call):
        abort(403)
    form = form_for(call)
    if form.validate_on_submit():
        try:
            correction = correct_call(call, form, current_user)
        except CorrectionError as exc:
            db.session.rollback()
            getattr(form, str(exc)).errors.append(CORRECTION_MESSAGES[str(exc)])
        else:
            if correction is None:
                flash(_("Nothing was changed."), "info")
                return redirect(url_for("calls.detail", call_id=call.id))
            db.session.commit()
            if correction.route_changed:
                flash(_("Correction saved. Triage now proposes another route: see below."), "info")
            else:
                flash(_("Correction saved."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    status = 422 if request.method == "POST" else 200
    return render_template("calls/correct.html", call=call, form=form), status


@bp.route("/")
def index():
    """List recent calls with filters and search."""
    filters = CallFilters.from_args(request.args, current_app.config["PHONE_REGION"])
    calls, has_more = list_calls(filters)
    record_disclosure(c.person_id for c in calls)
    nurses = db.session.scalars(sa.select(User).where(User.roles.contains("nurse")).order_by(User.name))
    return render_template(
        "calls/index.html",
        calls=calls,
        filters=filters,
        has_more=has_more,
        nurses=list(nurses),
        topic_choices=[(k, str(v)) for k, v in TOPIC_LABELS.items()],
    )
