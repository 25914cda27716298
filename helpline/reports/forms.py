"""Forms of the reports: the period of the indicators and the name of a theme."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from helpline.formatting import local_now

MAX_SPAN_DAYS = 3 * 366


def default_period() -> tuple[dt.date, dt.date]:
    """Return the default period: the last three full months and the current one."""
    today = local_now().date()  # the helpline's day, not the machine's
    start = today.replace(day=1)
    for _month in range(3):  # not `_`: that is gettext in this module
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


class PeriodForm(FlaskForm):
    """Choose the period of the indicators (read from the query string)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    start = DateField(lazy_pgettext("date range", "From"), validators=[Optional()])
    end = DateField(lazy_pgettext("date range", "To"), validators=[Optional()])

    def validate_end(self, field) -> None:
        """Refuse a period that ends before it starts or spans more than three years."""
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_("The end of the period must come after its start."))
            if (field.data - self.start.data).days > MAX_SPAN_DAYS:
                raise ValidationError(_("Choose a period of three years at most."))

    def dates(self) -> tuple[dt.date, dt.date]:
        """Return the chosen period, defaults filling what was left blank."""
        start, end = default_period()
        return self.start.data or start, self.end.data or end


class ThemeNameForm(FlaskForm):
    """Give a theme a name the team understands."""

    name = StringField(_l("Name of the theme"), validators=[DataRequired(), Length(max=80)])
