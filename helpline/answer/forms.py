"""The structure's answer form: a plain POST whose `decision` is the referral's next status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from models.vocabulary import STRUCTURE_DECLINE_REASONS, UNSUCCESSFUL_REASONS

from ..referrals.forms import OUTCOME_LABELS, REASON_LABELS
from ..vocabulary import choices

DECISIONS = ("accepted", "declined", "contacted", "done")
DECISION_LABELS = {
    "accepted": _l("We accept this referral"),
    "declined": _l("We decline this referral"),
    "contacted": _l("We have reached the person"),
    "done": _l("The referral is done"),
}
# A decline's reasons first, then those of a referral that did not succeed.
ANSWER_REASONS = STRUCTURE_DECLINE_REASONS + tuple(
    r for r in UNSUCCESSFUL_REASONS if r not in STRUCTURE_DECLINE_REASONS
)
# What the structure may answer at each status of the referral.
NEXT_DECISIONS = {"sent": ("accepted", "declined"), "accepted": ("contacted", "done"), "contacted": ("done",)}


class AnswerForm(FlaskForm):
    """Accept or decline, then confirm the first contact and the end; optionally state capacity."""

    class Meta:
        csrf = False  # the link-derived token `csrf` below protects the form without a session

    csrf = HiddenField()
    decision = SelectField(
        _l("Your answer"),
        choices=choices(DECISION_LABELS, blank=_l("—")),
        default="",
        validators=[InputRequired(message=_l("Choose your answer."))],
    )
    reason = SelectField(
        _l("Reason"), default="", choices=choices({k: REASON_LABELS[k] for k in ANSWER_REASONS}, blank=_l("—"))
    )
    outcome = SelectField(_l("Outcome"), choices=choices(OUTCOME_LABELS, blank=_l("—")), default="")
    note = TextAreaField(_l("Comment"), validators=[Length(max=2000)])
    capacity_available = IntegerField(
        _l("Places available now"),
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Give a number of places, 0 or more."))],
    )
    wait_time = StringField(_l("Current waiting time"), validators=[Optional(), Length(max=100)])


class DetailsForm(FlaskForm):
    """Confirm the directory's details, with the current capacity and waiting time."""

    class Meta:
        csrf = False  # the link-derived token `csrf` protects the form without a session

    csrf = HiddenField()
    capacity_available = IntegerField(
        _l("Places available now"),
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Give a number of places, 0 or more."))],
    )
    wait_time = StringField(_l("Current waiting time"), validators=[Optional(), Length(max=100)])
