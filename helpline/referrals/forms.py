"""Forms of referrals: sending them from a call, and recording the structure's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..vocabulary import REFERRAL_OUTCOME_LABELS as OUTCOME_LABELS
from ..vocabulary import REFERRAL_REASON_LABELS as REASON_LABELS
from ..vocabulary import REFERRAL_STATUS_LABELS as STATUS_LABELS  # noqa: F401 (routes read it from here)
from ..vocabulary import choices
from ..widgets import MultiCheckboxField


class ReferralForm(FlaskForm):
    """Refer the person of a call to one or more structures."""

    structures = MultiCheckboxField(
        _l("Structures"), coerce=str, validators=[DataRequired(message=_l("Choose at least one structure."))]
    )
    message = TextAreaField(
        _l("Message for the structure"),
        validators=[DataRequired(message=_l("Write the message for the structure.")), Length(max=4000)],
    )
    consent_checked = BooleanField(
        _l("The person agrees to be referred to these structures"),
        validators=[DataRequired(message=_l("The person's consent is required."))],
    )


class StatusForm(FlaskForm):
    """Record a structure's answer or the referral's outcome."""

    status = SelectField(_l("New status"), choices=[], validators=[DataRequired(message=_l("Choose a status."))])
    outcome = SelectField(_l("Outcome"), choices=choices(OUTCOME_LABELS, blank=_l("—")), default="")
    reason = SelectField(_l("Reason"), choices=choices(REASON_LABELS, blank=_l("—")), default="")
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
