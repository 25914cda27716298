"""Forms of the person page: her contacts and flags."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from ..calls.forms import _phone
from ..formatting import local_now
from ..vocabulary import CONTACT_KIND_LABELS, FLAG_LABELS, choices


class ContactForm(FlaskForm):
    """A carer or professional around the person, and whether the helpline may call them about her."""

    kind = RadioField(
        _l("Contact"), choices=choices(CONTACT_KIND_LABELS), default="carer", validators=[InputRequired()]
    )
    name = StringField(
        _l("Contact's name"), validators=[InputRequired(_l("Enter the contact's name.")), Length(max=120)]
    )
    relation = StringField(_l("Relation to the person"), validators=[Length(max=80)])
    phone = StringField(_l("Contact's phone"), validators=[Length(max=30)])
    may_call = BooleanField(_l("May be called about the person"), default=True)

    def validate_phone(self, field):
        """Normalise the contact's number."""
        _phone(field)


class FlagForm(FlaskForm):
    """A flag on the person: what every nurse must know before talking about her, and why."""

    kind = SelectField(_l("Flag"), choices=choices(FLAG_LABELS), validators=[InputRequired()])
    reason = TextAreaField(_l("Why"), validators=[InputRequired(_l("Say why this flag is set.")), Length(max=2000)])
    expires_on = DateField(_l("Until (optional)"), validators=[Optional()])

    def validate_expires_on(self, field):
        """Refuse an end already past: the flag would never show."""
        if field.data and field.data < local_now().date():
            raise ValidationError(_l("This day is already past: leave it empty or choose a later day."))
