"""The follow-up call form (reached or not, the questionnaire, notes) and the cancellation form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from .outcome import Answers

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
SATISFACTION = [SelectChoice(str(n), str(n)) for n in range(1, 6)] + [SelectChoice("", _l("Not asked"))]
SATISFACTION_VALUES = {c.value for c in SATISFACTION}
BOOL = {"yes": True, "no": False}


def _choice(field, allowed) -> None:
    if field.data not in allowed:
        raise ValidationError(_l("Choose an answer."))


class FollowUpForm(FlaskForm):
    """What the nurse records at the end of a follow-up call (or of an attempt)."""

    reached = RadioField(_l("Did you reach the person?"), choices=YES_NO, validate_choice=False)
    services_in_place = RadioField(
        _l("Are the planned services in place?"),
        validate_choice=False,
        choices=YES_NO + [SelectChoice("na", _l("None were planned"))],
    )
    services_working = RadioField(_l("Do they work well?"), choices=YES_NO, validate_choice=False)
    new_needs = RadioField(_l("Any new needs?"), choices=YES_NO, validate_choice=False)
    unplanned_hospitalisation = RadioField(
        _l("Any unplanned hospitalisation since the last contact?"), choices=YES_NO, validate_choice=False
    )
    satisfaction = RadioField(
        _l("Satisfaction (1 = not at all, 5 = very satisfied)"), choices=SATISFACTION, validate_choice=False, default=""
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])

    def is_reached(self) -> bool:
        """Tell whether the nurse reached the person."""
        return self.reached.data == "yes"

    def validate_reached(self, field) -> None:
        if field.data not in BOOL:
            raise ValidationError(_l("Say whether you reached the person."))

    def validate_services_in_place(self, field) -> None:
        if self.is_reached():
            _choice(field, ("yes", "no", "na"))

    def validate_services_working(self, field) -> None:
        if self.is_reached() and self.services_in_place.data == "yes":
            _choice(field, BOOL)

    def validate_new_needs(self, field) -> None:
        if self.is_reached():
            _choice(field, BOOL)

    def validate_unplanned_hospitalisation(self, field) -> None:
        if self.is_reached():
            _choice(field, BOOL)

    def validate_satisfaction(self, field) -> None:
        if field.data not in SATISFACTION_VALUES:
            raise ValidationError(_l("Choose a number from 1 to 5, or “Not asked”."))

    def answers(self) -> Answers:
        """Return the questionnaire as data."""
        return Answers(
            services_in_place=BOOL.get(self.services_in_place.data),
            services_working=BOOL.get(self.services_working.data),
            new_needs=BOOL[self.new_needs.data],
            unplanned_hospitalisation=BOOL[self.unplanned_hospitalisation.data],
            satisfaction=int(self.satisfaction.data) if self.satisfaction.data else None,
            notes=self.notes.data or "",
        )


class CancelForm(FlaskForm):
    """Why a follow-up is cancelled (it leaves the worklist)."""

    reason = TextAreaField(
        _l("Reason for cancelling"),
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(message=_l("Give the reason for cancelling this follow-up.")), Length(max=1000)],
    )
