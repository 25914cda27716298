"""Consent and erasure forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import CONSENT_PURPOSES, utcnow

from ..vocabulary import CONSENT_PURPOSE_LABELS as PURPOSE_LABELS


class ConsentForm(FlaskForm):
    """A consent (or its refusal): for what, yes or no, and on which day it was given."""

    purpose = SelectField(
        _l("For"), choices=[SelectChoice(p, PURPOSE_LABELS[p]) for p in CONSENT_PURPOSES], validators=[InputRequired()]
    )
    granted = RadioField(
        _l("Answer"),
        choices=[SelectChoice("yes", _l("Yes, agrees")), SelectChoice("no", _l("No, refuses"))],
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    given_on = DateField(_l("Given on"), validators=[DataRequired(message=_l("Enter the date it was given."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])

    def validate_given_on(self, field) -> None:
        """Refuse a consent dated in the future."""
        if field.data and field.data > utcnow().date():
            raise ValidationError(_l("The date cannot be in the future."))


class ErasureForm(FlaskForm):
    """The reason for erasing a person's identity, asked before doing it."""

    reason = TextAreaField(
        _l("Reason for the erasure"),
        validators=[
            DataRequired(message=_l("Give the reason (e.g. the person's request of that day).")),
            Length(max=500),
        ],
    )
