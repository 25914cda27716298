"""Forms of the administration pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from models import ROLES, User

from ..auth.passwords import NotCommonPassword
from ..extensions import db
from ..vocabulary import CASE_MANAGER_PROFILE_LABELS, choices

ROLE_LABELS = {
    "nurse": _l("Nurse"),
    "case_manager": _l("Case manager"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


class CheckboxesField(SelectMultipleField):
    """Several choices shown as check boxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    """A staff account's details and roles."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    roles = CheckboxesField(
        _l("Roles"),
        choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    case_manager_profile = SelectField(
        _l("Case manager's profession"),
        choices=choices(CASE_MANAGER_PROFILE_LABELS, blank=_l("—")),
        validators=[Optional()],
    )
    capacity = IntegerField(_l("Case capacity"), default=40, validators=[Optional(), NumberRange(0, 200)])
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200), NotCommonPassword()])

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field) -> None:
        """Refuse an e-mail address already used by another account."""
        email = (field.data or "").strip().lower()
        other = db.session.scalar(sa.select(User).where(User.email == email))
        if other and (self.user is None or other.id != self.user.id):
            raise ValidationError(_l("Another account already uses this e-mail address."))

    def validate_password(self, field) -> None:
        """Require a password for a new account."""
        if self.user is None and not field.data:
            raise ValidationError(_l("Give the new account a password (at least 10 characters)."))


class AuditSearchForm(FlaskForm):
    """Filters of the audit trail search (a GET form)."""

    class Meta:
        csrf = False

    user_id = SelectField(_l("User"), coerce=str, validators=[Optional()])
    person_id = IntegerField(_l("Person number"), validators=[Optional(), NumberRange(min=1)])
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(lazy_pgettext("date range", "From"), validators=[Optional()])
    date_to = DateField(lazy_pgettext("date range", "To"), validators=[Optional()])

    def validate_date_to(self, field) -> None:
        """Refuse a period that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
