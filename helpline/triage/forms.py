"""The impact replay form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, Optional


class ReplayForm(FlaskForm):
    """A candidate rule set and the calls to replay."""

    candidate = SelectField(_l("Candidate rule set"), validators=[DataRequired()])
    since = DateField(_l("Calls since"), validators=[Optional()])
