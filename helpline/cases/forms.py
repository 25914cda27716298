"""Forms of case management: handoff, assignment, visits, assessment, service plan and closure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models.vocabulary import ASSESSMENT_DIMENSIONS

from ..formatting import local_now
from ..vocabulary import (
    CARE_SETTING_LABELS,
    CLOSURE_REASON_LABELS,
    DIFFICULTY_LABELS,
    PLAN_ITEM_STATUS_LABELS,
    choices,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class HandoffForm(FlaskForm):
    """The handoff note (SBAR) and its addressee."""

    to_user_id = SelectField(_l("Case manager"), choices=[], validate_choice=True)
    situation = TextAreaField(_l("Situation"), validators=[DataRequired(), Length(max=5000)])
    background = TextAreaField(_l("Background"), validators=[Length(max=5000)])
    assessment = TextAreaField(_l("Assessment"), validators=[Length(max=5000)])
    recommendation = TextAreaField(_l("Recommendation"), validators=[Length(max=5000)])


class AgreementFields:
    """The person's agreement to case management, asked where her case opens (mixed into a form).

    The fields are required only while the person's agreement is not recorded: the view calls
    `check_agreement()` after `validate()` then.
    """

    agrees = BooleanField(_l("The person agrees to case management"))
    agreement_how = StringField(_l("How she agreed"), validators=[Length(max=200)])
    agreement_on = DateField(_l("Agreed on"), validators=[Optional()])

    def check_agreement(self) -> bool:
        """Require the agreement, how and when it was given; put one message on each field missing."""
        if not self.agrees.data:
            self.agrees.errors = [*self.agrees.errors, _l("Tick it: a case opens only with the person's agreement.")]
        if not (self.agreement_how.data or "").strip():
            self.agreement_how.errors = [
                *self.agreement_how.errors,
                _l("Say how the person agreed (by phone, at a home visit, in writing…)."),
            ]
        if self.agreement_on.data is None and not self.agreement_on.errors:
            self.agreement_on.errors = [_l("Enter the date the person agreed.")]
        elif self.agreement_on.data and self.agreement_on.data > local_now().date():
            self.agreement_on.errors = [*self.agreement_on.errors, _l("The date cannot be in the future.")]
        return not (self.agrees.errors or self.agreement_how.errors or self.agreement_on.errors)

    def default_agreement_day(self) -> None:
        """Propose today as the day of the agreement on a new form."""
        if self.agreement_on.data is None and not self.agreement_on.raw_data:
            self.agreement_on.data = local_now().date()


class ExpectedEndFields:
    """When the case is expected to end and on which criteria, set at admission (mixed into a form)."""

    expected_end_on = DateField(_l("Expected end"), validators=[Optional()])
    closure_criteria = TextAreaField(_l("Closure criteria"), validators=[Length(max=2000)])

    def validate_expected_end_on(self, field):
        """Refuse an expected end already past."""
        if field.data and field.data < local_now().date():
            raise ValidationError(_l("The expected end cannot be in the past."))


class ExpectedEndForm(ExpectedEndFields, FlaskForm):
    """Change a case's expected end and closure criteria from its page."""


class NoteForm(FlaskForm):
    """A progress note of the case's journal."""

    at = DateTimeLocalField(_l("Date and time"), format=DATETIME_FORMATS, validators=[DataRequired()])
    text = TextAreaField(
        _l("Progress note"), validators=[DataRequired(message=_l("Write the note.")), Length(max=10000)]
    )

    def validate_at(self, field):
        """Refuse a note dated in the future."""
        if field.data and field.data > local_now().replace(tzinfo=None):
            raise ValidationError(_l("A note cannot be dated in the future."))


class SettingForm(FlaskForm):
    """Where the person is from a day (to a day): home, hospital, rehabilitation, temporary stay, institution."""

    kind = SelectField(
        _l("Care setting"),
        choices=choices(CARE_SETTING_LABELS, blank=_l("—")),
        validators=[DataRequired(message=_l("Choose where the person is."))],
    )
    started_on = DateField(_l("Since"), validators=[DataRequired(message=_l("Enter the day it started."))])
    ended_on = DateField(_l("Until"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def validate_started_on(self, field):
        """Refuse a setting starting in the future: it records where the person is."""
        if field.data and field.data > local_now().date():
            raise ValidationError(_l("The start cannot be in the future."))

    def validate_ended_on(self, field):
        """Refuse an end before the start."""
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


class AgreementForm(AgreementFields, FlaskForm):
    """The agreement alone (validating an orientation to case management at the team meeting)."""


class AssignForm(AgreementFields, ExpectedEndFields, FlaskForm):
    """The case manager the coordinator gives a waiting case to."""

    case_manager_id = SelectField(_l("Case manager"), choices=[], validators=[DataRequired()])


class VisitForm(FlaskForm):
    """A home visit to schedule."""

    scheduled_for = DateTimeLocalField(
        _l("Date and time of the visit"), format=DATETIME_FORMATS, validators=[DataRequired()]
    )


class VisitRecordForm(FlaskForm):
    """What happened at a home visit."""

    done_at = DateTimeLocalField(_l("Visit made on"), format=DATETIME_FORMATS, validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10000)])

    def validate_done_at(self, field):
        """Refuse a visit recorded in the future."""
        if field.data and field.data > local_now().replace(tzinfo=None):
            raise ValidationError(_l("A visit cannot be recorded in the future."))


class AssessmentForm(FlaskForm):
    """A multidimensional assessment: per dimension a difficulty, the person's own rating of it (when she
    gave one), whether more help is needed, notes."""

    assessed_on = DateField(_l("Assessed on"), validators=[DataRequired()])

    def dimension_fields(self, dimension: str):
        """Return the (difficulty, more help, notes) fields of one dimension."""
        return (self[f"{dimension}_difficulty"], self[f"{dimension}_more_help"], self[f"{dimension}_notes"])

    def person_field(self, dimension: str):
        """Return the field of the person's own rating of one dimension."""
        return self[f"{dimension}_person_difficulty"]

    def dimensions_data(self) -> dict:
        """Return the assessment's dimensions as stored (the person's rating only when she gave one)."""
        stored = {}
        for d in ASSESSMENT_DIMENSIONS:
            stored[d] = {
                "difficulty": int(self[f"{d}_difficulty"].data),
                "more_help": bool(self[f"{d}_more_help"].data),
                "notes": (self[f"{d}_notes"].data or "").strip(),
            }
            if self.person_field(d).data not in (None, ""):
                stored[d]["person_difficulty"] = int(self.person_field(d).data)
        return stored


for _dimension in ASSESSMENT_DIMENSIONS:
    setattr(
        AssessmentForm,
        f"{_dimension}_difficulty",
        SelectField(
            _l("Difficulty"),
            choices=choices(DIFFICULTY_LABELS, blank=_l("—")),
            validators=[InputRequired(message=_l("Choose a difficulty level."))],
        ),
    )
    setattr(
        AssessmentForm,
        f"{_dimension}_person_difficulty",
        SelectField(
            _l("The person's own rating"),
            choices=choices(DIFFICULTY_LABELS, blank=_l("Not given")),
            validators=[Optional()],
        ),
    )
    setattr(AssessmentForm, f"{_dimension}_more_help", BooleanField(_l("More help needed")))
    setattr(AssessmentForm, f"{_dimension}_notes", TextAreaField(_l("Notes"), validators=[Length(max=5000)]))


class GoalsForm(FlaskForm):
    """The person's own goals, in their words."""

    goals = TextAreaField(_l("The person's goals, in their own words"), validators=[DataRequired(), Length(max=5000)])


class PlanItemForm(FlaskForm):
    """One item of the service plan."""

    need = StringField(_l("Need"), validators=[DataRequired(), Length(max=200)])
    service = StringField(_l("Service"), validators=[DataRequired(), Length(max=200)])
    structure_id = SelectField(_l("Structure (directory)"), choices=[], default="")
    professional = StringField(_l("Or a named professional"), validators=[Length(max=120)])
    frequency = StringField(_l("Frequency"), validators=[Length(max=80)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    responsible = StringField(_l("Responsible"), validators=[Length(max=120)])
    status = SelectField(_l("Status"), choices=choices(PLAN_ITEM_STATUS_LABELS), default="planned")
    as_referral = BooleanField(_l("Send as a referral to the structure"))
    message = TextAreaField(_l("Message to the structure"), validators=[Length(max=5000)])

    def validate_professional(self, field):
        """Require a provider: a structure of the directory or a named professional."""
        if not self.structure_id.data and not (field.data or "").strip():
            raise ValidationError(_l("Choose a structure or name a professional."))

    def validate_as_referral(self, field):
        """Require a structure for a referral."""
        if field.data and not self.structure_id.data:
            raise ValidationError(_l("A referral needs a structure from the directory."))

    def validate_message(self, field):
        """Require the message a referral sends to its structure."""
        if self.as_referral.data and not (field.data or "").strip():
            raise ValidationError(_l("Write the message for the structure."))


class ItemStatusForm(FlaskForm):
    """A plan item's new status."""

    status = SelectField(_l("Status"), choices=choices(PLAN_ITEM_STATUS_LABELS), validators=[DataRequired()])


class CloseForm(FlaskForm):
    """Closing a case."""

    reason = SelectField(
        _l("Reason for closing"),
        choices=choices(CLOSURE_REASON_LABELS, blank=_l("—")),
        validators=[DataRequired(message=_l("Choose the reason for closing."))],
    )
    closed_on = DateField(_l("Closed on"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=5000)])

    def validate_closed_on(self, field):
        """Refuse a closure date in the future."""
        if field.data and field.data > local_now().date():
            raise ValidationError(_l("The closing date cannot be in the future."))


class ReassignForm(FlaskForm):
    """Give an active case (or a whole caseload) to another case manager, with a note."""

    case_manager_id = SelectField(
        _l("New case manager"), choices=[], validators=[DataRequired(message=_l("Choose the new case manager."))]
    )
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(message=_l("Say why the case changes hands (leave, turnover…).")), Length(max=2000)],
    )


class ReopenForm(FlaskForm):
    """Reopen a closed case, with the reason."""

    note = TextAreaField(
        _l("Why reopen"), validators=[DataRequired(message=_l("Say why the case is reopened.")), Length(max=2000)]
    )


class PlanReviewForm(FlaskForm):
    """The plan drawn up or reviewed with the person: the day, who took part, and the next review."""

    reviewed_on = DateField(
        _l("Reviewed on"), validators=[InputRequired(message=_l("Give the day of the review (dd/mm/yyyy)."))]
    )
    with_person = BooleanField(_l("The person"), default=True)
    with_carer = BooleanField(_l("A carer"))
    carer_name = StringField(_l("Which carer"), validators=[Length(max=120)])
    with_gp = BooleanField(_l("The GP"))
    others = StringField(_l("Others who took part"), validators=[Length(max=200)])
    note = TextAreaField(_l("What was agreed"), validators=[Length(max=5000)])
    next_review_on = DateField(
        _l("Next review on"), validators=[InputRequired(message=_l("Give the day of the next review (dd/mm/yyyy)."))]
    )


class ShareGpForm(FlaskForm):
    """The day this plan version was given to the person's GP."""

    shared_on = DateField(
        _l("Shared with the GP on"), validators=[InputRequired(message=_l("Give the day it was shared (dd/mm/yyyy)."))]
    )


class RefusalFields:
    """The person declines case management: how and when she said so (mixed into a form)."""

    refusal_how = StringField(
        _l("How she declined"),
        validators=[
            DataRequired(message=_l("Say how the person declined (by phone, at a home visit, in writing…).")),
            Length(max=200),
        ],
    )
    refused_on = DateField(
        _l("Declined on"), validators=[InputRequired(message=_l("Enter the date the person declined."))]
    )

    def validate_refused_on(self, field):
        """Refuse a day in the future."""
        if field.data and field.data > local_now().date():
            raise ValidationError(_l("The date cannot be in the future."))


class DeclineForm(RefusalFields, FlaskForm):
    """The person declines case management before her case is given to a case manager."""
