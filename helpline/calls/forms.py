"""The one-page call log form."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..formatting import local_now, local_zone
from ..ids import parse_id
from ..phones import PhoneError, normalise_phone
from ..vocabulary import (
    CALLER_TYPE_LABELS,
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    PRISMA7_QUESTIONS,
    PROFESSIONAL_ROLE_LABELS,
    RED_FLAG_LABELS,
    ROUTE_LABELS,
    RUPTURE_LABELS,
    TOPIC_LABELS,
    choices,
)
from ..widgets import MultiCheckboxField

YES_NO = choices({"yes": _l("Yes"), "no": _l("No")}, blank=_l("Not known"))
POSTCODE_RE = re.compile(r"^[0-9]{4}$")
OLDEST_BIRTH = dt.date(1890, 1, 1)


def yes_no(value: str) -> bool | None:
    """Turn a yes/no/unknown choice into a boolean or None."""
    return {"yes": True, "no": False}.get(value or "")


def _phone(field) -> None:
    """Normalise a phone field in place, or refuse it."""
    if field.data and field.data.strip():
        try:
            field.data = normalise_phone(field.data, current_app.config["PHONE_REGION"])
        except PhoneError as exc:
            raise ValidationError(str(exc)) from None
    else:
        field.data = None


class CallForm(FlaskForm):
    """Everything the nurse records about one call, on one page."""

    # The call
    direction = RadioField(_l("Direction"), choices=choices(DIRECTION_LABELS), default="incoming")
    started_at = DateTimeLocalField(
        _l("Start"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[DataRequired()]
    )
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[Optional(), NumberRange(0, 600)])
    channel = SelectField(_l("Channel"), choices=choices(CHANNEL_LABELS), default="phone")
    caller_phone = StringField(_l("Caller's phone"), validators=[Length(max=30)])

    # The caller
    caller_type = RadioField(_l("Caller"), choices=choices(CALLER_TYPE_LABELS), validators=[InputRequired()])
    caller_name = StringField(_l("Caller's name"), validators=[Length(max=120)])
    caller_relation = StringField(_l("Relation to the person"), validators=[Length(max=80)])
    caller_professional_role = SelectField(
        _l("Professional role"), choices=choices(PROFESSIONAL_ROLE_LABELS, blank=_l("—")), default=""
    )
    caller_organisation = StringField(_l("Organisation"), validators=[Length(max=120)])

    # The person concerned
    person_query = StringField(_l("Find a person (name, phone or date of birth)"), validators=[Length(max=120)])
    person_id = HiddenField()
    from_followup = HiddenField()  # the follow-up whose new need this call logs
    draft_id = HiddenField()  # one id per form shown: a second submit of it finds the saved call
    confirm_new_person = BooleanField(_l("This is a new person: create them anyway"))
    first_name = StringField(_l("First name"), validators=[Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[Length(max=80)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    age = IntegerField(_l("Age (when the date of birth is not known)"), validators=[Optional(), NumberRange(0, 130)])
    postcode = StringField(_l("Postcode"), validators=[DataRequired(), Length(max=10)])
    street = StringField(_l("Street"), validators=[Length(max=120)])
    house_number = StringField(_l("Number"), validators=[Length(max=10)])
    box = StringField(_l("Box"), validators=[Length(max=10)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    access_notes = TextAreaField(_l("Access (door code, key box, floor, dog…)"), validators=[Length(max=1000)])
    person_phone = StringField(_l("Person's phone"), validators=[Length(max=30)])
    lives_alone = SelectField(_l("Lives alone"), choices=YES_NO, default="")
    gp_name = StringField(_l("GP (médecin traitant)"), validators=[Length(max=120)])
    gp_phone = StringField(_l("GP's phone"), validators=[Length(max=30)])
    consent = SelectField(_l("Consent to be referred"), choices=YES_NO, default="")
    consent_date = DateField(_l("Consent given on"), validators=[Optional()])

    # The request
    topics = MultiCheckboxField(_l("Topics"), choices=choices(TOPIC_LABELS))
    summary = TextAreaField(_l("Summary"), validators=[Length(max=10000)])
    red_flags = MultiCheckboxField(_l("Red flags"), choices=choices(RED_FLAG_LABELS))
    autonomy_problem = BooleanField(_l("Functional or decisional autonomy problem"))
    medical_problem = BooleanField(_l("Problem in the medical field"))
    support_inadequate = BooleanField(_l("Help and care insufficient or unsuited"))
    no_coordinator_in_entourage = BooleanField(_l("No one close to the person can coordinate the answers"))
    coordination_centre_involved = BooleanField(_l("A home-care coordination centre already follows the person"))
    professionals_involved = IntegerField(_l("Professionals involved"), validators=[Optional(), NumberRange(0, 100)])
    rupture_events = MultiCheckboxField(_l("Rupture events"), choices=choices(RUPTURE_LABELS))

    # The outcome
    route = SelectField(_l("Route"), choices=choices(ROUTE_LABELS, blank=_l("—")), default="")
    override_reason = TextAreaField(_l("Reason for overriding the proposal"), validators=[Length(max=2000)])

    def validate_person_id(self, field):
        """Refuse a chosen person who is not (or no longer) known."""
        if (field.data or "").strip():
            from models import Person, db

            person_id = parse_id(field.data)
            if person_id is None or db.session.get(Person, person_id) is None:
                field.data = ""
                raise ValidationError(
                    _l("This person is not known (any more): find them again or fill in a new person.")
                )

    def validate_started_at(self, field):
        """Refuse a start in the future."""
        if field.data and field.data.replace(tzinfo=local_zone()) > local_now() + dt.timedelta(minutes=5):
            raise ValidationError(_l("The call cannot start in the future."))

    def validate_caller_phone(self, field):
        """Normalise the caller's number."""
        _phone(field)

    def validate_person_phone(self, field):
        """Normalise the person's number."""
        _phone(field)

    def validate_gp_phone(self, field):
        """Normalise the GP's number."""
        _phone(field)

    def validate_caller_professional_role(self, field):
        """Require the role of a professional caller."""
        if self.caller_type.data == "professional" and not field.data:
            raise ValidationError(_l("Choose the professional's role."))

    def validate_postcode(self, field):
        """Accept a Belgian postcode (four digits, 1000–9999)."""
        value = (field.data or "").strip()
        if not POSTCODE_RE.match(value) or not 1000 <= int(value) <= 9999:
            raise ValidationError(_l("A postcode has four digits, from 1000 to 9999."))
        field.data = value

    def validate_birth_date(self, field):
        """Refuse impossible dates of birth."""
        if field.data and not OLDEST_BIRTH <= field.data <= local_now().date():
            raise ValidationError(_l("This date of birth is impossible."))

    def validate_first_name(self, field):
        """Require names for a new person."""
        if not self.person_id.data and not (field.data or "").strip():
            raise ValidationError(_l("Enter the person's first name, or find an existing person."))

    def validate_last_name(self, field):
        """Require names for a new person."""
        if not self.person_id.data and not (field.data or "").strip():
            raise ValidationError(_l("Enter the person's last name, or find an existing person."))

    def validate_consent_date(self, field):
        """Refuse a consent dated in the future."""
        if field.data and field.data > local_now().date():
            raise ValidationError(_l("Consent cannot be dated in the future."))

    def validate_topics(self, field):
        """Require at least one topic."""
        if not field.data:
            raise ValidationError(_l("Tick at least one topic."))

    def validate_route(self, field):
        """Require a route (the proposal is preselected)."""
        if not field.data:
            raise ValidationError(_l("Choose the route."))

    def prisma7_answers(self) -> list[bool] | None:
        """Return the seven PRISMA-7 answers, or None when not asked."""
        answers = [yes_no(getattr(self, f"prisma7_{i}").data) for i in range(1, 8)]
        return None if all(a is None for a in answers) else answers

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then PRISMA-7 as a whole (all seven answers or none)."""
        ok = super().validate(extra_validators)
        answers = [yes_no(getattr(self, f"prisma7_{i}").data) for i in range(1, 8)]
        if any(a is not None for a in answers) and any(a is None for a in answers):
            for i, answer in enumerate(answers, start=1):
                if answer is None:
                    getattr(self, f"prisma7_{i}").errors.append(_l("Answer all seven PRISMA-7 questions, or none."))
            ok = False
        return ok


for _i, _question in enumerate(PRISMA7_QUESTIONS, start=1):
    setattr(CallForm, f"prisma7_{_i}", SelectField(_question, choices=YES_NO, default=""))
