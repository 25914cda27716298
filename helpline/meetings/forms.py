"""Forms of the team meeting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..cases.forms import AgreementFields, RefusalFields
from ..vocabulary import ROUTE_LABELS, choices
from ..widgets import MultiCheckboxField


class ReorientForm(AgreementFields, FlaskForm):
    """Send a call to another route, with the team's reason (and the person's agreement to case management)."""

    new_route = SelectField(
        _l("New route"),
        choices=choices(ROUTE_LABELS, blank=_l("—")),
        validators=[DataRequired(message=_l("Choose the new route."))],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(message=_l("Give the team's reason.")), Length(max=2000)]
    )


class RefusalForm(RefusalFields, FlaskForm):
    """The person declines case management at the meeting: how and when, and where her calls go instead."""

    refusal_route = SelectField(
        _l("Route instead"),
        choices=choices({k: v for k, v in ROUTE_LABELS.items() if k in ("information", "external")}, blank=_l("—")),
        validators=[DataRequired(message=_l("Choose where her calls go instead."))],
    )


class TaskForm(FlaskForm):
    """A task for a helpline nurse."""

    title = StringField(_l("Task"), validators=[DataRequired(message=_l("Give the task a title.")), Length(max=200)])
    due_date = DateField(_l("Due date"), validators=[DataRequired(message=_l("Give a valid due date."))])
    assignee = SelectField(_l("Nurse"), choices=[], validators=[DataRequired(message=_l("Choose a nurse."))])


class StartMeetingForm(FlaskForm):
    """Open the record of a meeting: its date and who attends."""

    held_on = DateField(_l("Meeting date"), validators=[DataRequired(message=_l("Give the meeting's date."))])
    attendees = MultiCheckboxField(
        _l("Attendees"), choices=[], validators=[DataRequired(message=_l("Tick who attends the meeting."))]
    )


class DecisionForm(FlaskForm):
    """A decision of the team about a followed case, with its reason."""

    decision = TextAreaField(
        _l("Decision"), validators=[DataRequired(message=_l("Write the team's decision.")), Length(max=2000)]
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
