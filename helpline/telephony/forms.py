"""Forms of the telephony area: warm transfer and the console simulations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ..phones import PhoneError, normalise_phone


class TransferForm(FlaskForm):
    """Choose the case manager the caller is transferred to."""

    case_manager_id = SelectField(
        _l("Case manager"), coerce=int, validators=[DataRequired(_l("Choose a case manager."))]
    )


class SimulateInboundForm(FlaskForm):
    """The caller's number for a simulated inbound call."""

    from_number = StringField(
        _l("Caller's number"),
        default="+32470000101",
        validators=[DataRequired(_l("Enter a phone number.")), Length(max=20)],
    )
    submit = SubmitField(_l("Simulate an inbound call"))

    def validate_from_number(self, field) -> None:
        """Keep only numbers that exist (E.164, as Twilio sends them)."""
        try:
            field.data = normalise_phone(field.data)
        except PhoneError as exc:
            raise ValidationError(str(exc)) from None


class SimulateTransferForm(FlaskForm):
    """A live phone call, the case manager to dial and how they answer."""

    phone_call_id = SelectField(_l("Phone call"), coerce=int, validators=[DataRequired(_l("Choose a phone call."))])
    case_manager_id = SelectField(
        _l("Case manager"), coerce=int, validators=[DataRequired(_l("Choose a case manager."))]
    )
    outcome = SelectField(
        _l("The case manager"),
        choices=[
            SelectChoice("in-progress", _l("answers")),
            SelectChoice("no-answer", _l("does not answer")),
            SelectChoice("busy", _l("is busy")),
        ],
    )
    submit = SubmitField(_l("Simulate a warm transfer"))


class SimulateOutboundForm(FlaskForm):
    """A follow-up to call and how the person answers."""

    followup_id = SelectField(_l("Follow-up"), coerce=int, validators=[DataRequired(_l("Choose a follow-up."))])
    nurse_id = SelectField(_l("Nurse"), coerce=int, validators=[DataRequired(_l("Choose a nurse."))])
    outcome = SelectField(
        _l("The person"),
        choices=[
            SelectChoice("completed", _l("answers")),
            SelectChoice("no-answer", _l("does not answer")),
            SelectChoice("busy", _l("is busy")),
        ],
    )
    submit = SubmitField(_l("Simulate a follow-up call"))
