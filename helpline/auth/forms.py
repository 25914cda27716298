"""Login and second-factor forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from .passwords import NotCommonPassword


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[
            DataRequired(),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Enter the 6 digits shown by the app.")),
        ],
    )


class PasswordChangeForm(FlaskForm):
    """The user's current password and her new one, twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=10, max=200), NotCommonPassword()]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class EnrolForm(CodeForm):
    """A code from the new key, and the password when a key exists already (replacing it)."""

    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=200)])


class PasswordResetForm(FlaskForm):
    """A new password, twice (from a reset link)."""

    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=10, max=200), NotCommonPassword()]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
