"""Correcting a person's record: every change kept with its previous value, who and when."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length
from wtforms.validators import Optional as Blank

from models import Correction, Person, User

from .. import audit
from ..calls.forms import OLDEST_BIRTH, POSTCODE_RE, _phone
from ..extensions import db
from ..formatting import local_now
from .service import set_names

# What triage reads of the record (age and postcode): changing it needs a reason.
TRIAGE_FIELDS = frozenset({"birth_date", "postcode"})
FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "phone",
    "street",
    "house_number",
    "box",
    "postcode",
    "city",
    "access_notes",
    "gp_name",
    "gp_phone",
)


class PersonCorrectionForm(FlaskForm):
    """What a nurse may correct on a person's record."""

    first_name = StringField(_l("First name"), validators=[InputRequired(_l("Enter the first name.")), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(_l("Enter the last name.")), Length(max=80)])
    birth_date = DateField(_l("Date of birth"), validators=[Blank()])
    phone = StringField(_l("Person's phone"), validators=[Length(max=30)])
    street = StringField(_l("Street"), validators=[Length(max=120)])
    house_number = StringField(_l("Number"), validators=[Length(max=10)])
    box = StringField(_l("Box"), validators=[Length(max=10)])
    postcode = StringField(
        _l("Postcode"), validators=[InputRequired(_l("A postcode has four digits, from 1000 to 9999.")), Length(max=10)]
    )
    city = StringField(_l("City"), validators=[Length(max=80)])
    access_notes = TextAreaField(_l("Access (door code, key box, floor, dog…)"), validators=[Length(max=1000)])
    gp_name = StringField(_l("GP (médecin traitant)"), validators=[Length(max=120)])
    gp_phone = StringField(_l("GP's phone"), validators=[Length(max=30)])
    reason = TextAreaField(_l("Reason for the correction"), validators=[Length(max=2000)])

    def validate_phone(self, field):
        """Normalise the person's number."""
        _phone(field)

    def validate_gp_phone(self, field):
        """Normalise the GP's number."""
        _phone(field)

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


class CorrectionReasonMissing(ValueError):
    """A field triage reads changed without a reason."""


def form_for(person: Person) -> PersonCorrectionForm:
    """Return the form filled with the record as it is (or as posted)."""
    return PersonCorrectionForm(obj=person)


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def correct_person(person: Person, form: PersonCorrectionForm, user: User) -> Optional[Correction]:
    """Apply a correction to a person's record and keep it (None when nothing changed); the caller commits."""
    after: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(form, name).data
        after[name] = value.strip() or None if isinstance(value, str) else value
    changes = {
        name: [_text(getattr(person, name)), _text(after[name])]
        for name in FIELDS
        if getattr(person, name) != after[name]
    }
    if not changes:
        return None
    reason = (form.reason.data or "").strip() or None
    if TRIAGE_FIELDS & changes.keys() and not reason:
        raise CorrectionReasonMissing("reason")
    set_names(person, after["first_name"], after["last_name"])
    for name in FIELDS[2:]:
        setattr(person, name, after[name])
    correction = Correction(
        object_type="person", object_id=person.id, person_id=person.id, user_id=user.id, changes=changes, reason=reason
    )
    db.session.add(correction)
    db.session.flush()
    audit.record(
        "update",
        "person",
        person.id,
        person_id=person.id,
        detail={"fields": sorted(changes), "correction_id": correction.id},
    )
    return correction
