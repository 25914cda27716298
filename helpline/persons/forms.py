"""Forms of the person page: her contacts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import InputRequired, Length

from ..calls.forms import _phone
from ..vocabulary import CONTACT_KIND_LABELS, choices


class ContactForm(FlaskForm):
    """A carer or professional around the person, and whether the helpline may call them about her."""

    kind = RadioField(_l("Contact"), choices=choices(CONTACT_KIND_LABELS), default="carer",
                      validators=[InputRequired()])
    name = StringField(_l("Contact's name"), validators=[InputRequired(_l("Enter the contact's name.")),
                                                         Length(max=120)])
    relation = StringField(_l("Relation to the person"), validators=[Length(max=80)])
    phone = StringField(_l("Contact's phone"), validators=[Length(max=30)])
    may_call = BooleanField(_l("May be called about the person"), default=True)

    def validate_phone(self, field):
        """Normalise the contact's number."""
        _phone(field)
