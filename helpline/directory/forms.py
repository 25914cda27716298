"""Forms of the directory: search, a structure, and an HSDS import."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..phones import PhoneError, normalise_phone
from ..vocabulary import CATEGORY_LABELS, choices
from ..vocabulary import STRUCTURE_STATUS_LABELS as STATUS_LABELS
from .service import parse_postcodes

POSTCODE = Regexp(r"^[0-9]{4}$", message=_l("Type a four-digit postcode."))
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class SearchForm(FlaskForm):
    """Search the directory by category and postcode."""

    class Meta:
        csrf = False

    category = SelectField(_l("Category"), choices=choices(CATEGORY_LABELS, blank=_l("All categories")), default="")
    postcode = StringField(_l("Postcode"), validators=[Optional(), POSTCODE])
    q = StringField(_l("Name"), validators=[Length(max=100)])
    status = SelectField(
        _l("Status"), default="active", choices=choices(STATUS_LABELS) + [SelectChoice("all", _l("All statuses"))]
    )


class StructureForm(FlaskForm):
    """A structure of the directory, as an admin edits it."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    organization_name = StringField(_l("Organisation"), validators=[Length(max=200)])
    category = SelectField(
        _l("Category"),
        choices=choices(CATEGORY_LABELS, blank=_l("—")),
        validators=[DataRequired(message=_l("Choose a category."))],
    )
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS), default="active")
    services = TextAreaField(_l("Services offered (one per line)"), validators=[Length(max=4000)])
    postcodes = TextAreaField(
        _l("Territory (postcodes and ranges, e.g. 4000, 4020-4030)"),
        validators=[DataRequired(message=_l("Give the postcodes the structure covers."))],
    )
    phone = StringField(_l("Phone"), validators=[Length(max=30)])
    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    address_1 = StringField(_l("Address"), validators=[Length(max=200)])
    postal_code = StringField(_l("Postcode of the address"), validators=[Optional(), POSTCODE])
    city = StringField(_l("City"), validators=[Length(max=100)])
    opening_hours = StringField(_l("Opening hours"), validators=[Length(max=200)])
    eligibility = TextAreaField(_l("Eligibility"), validators=[Length(max=4000)])
    url = StringField(
        _l("Web site"),
        validators=[
            Optional(),
            Length(max=300),
            Regexp(r"^https?://\S+$", message=_l("Type an address starting with http:// or https://.")),
        ],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])

    def validate_postcodes(self, field) -> None:
        """Refuse postcodes that are not four digits or ranges of them."""
        try:
            field.parsed = parse_postcodes(field.data)
        except ValueError as exc:
            raise ValidationError(
                _l("“%(part)s” is not a postcode or a range like 4000-4100.", part=str(exc))
            ) from None
        if not field.parsed:
            raise ValidationError(_l("Give the postcodes the structure covers."))

    def validate_phone(self, field) -> None:
        """Normalise the phone number, or refuse it."""
        if field.data and field.data.strip():
            try:
                field.data = normalise_phone(field.data, current_app.config["PHONE_REGION"])
            except PhoneError as exc:
                raise ValidationError(str(exc)) from None

    def validate_email(self, field) -> None:
        """Refuse an e-mail address nobody could write to."""
        if field.data and field.data.strip() and not EMAIL_RE.match(field.data.strip()):
            raise ValidationError(_l("Type a valid e-mail address."))

    def values(self) -> dict:
        """Return the typed values as `save_structure` takes them."""
        values = {
            name: getattr(self, name).data or ""
            for name in (
                "name",
                "organization_name",
                "category",
                "status",
                "phone",
                "email",
                "address_1",
                "postal_code",
                "city",
                "opening_hours",
                "eligibility",
                "url",
                "description",
            )
        }
        values["services"] = (self.services.data or "").splitlines()
        values["postcodes"] = self.postcodes.parsed
        return values


class ImportForm(FlaskForm):
    """Upload an HSDS 3.0 JSON file."""

    document = FileField(_l("HSDS 3.0 JSON file"), validators=[FileRequired(message=_l("Choose a file."))])
    default_category = SelectField(
        _l("Category when the file does not tell"),
        default="",
        choices=choices(CATEGORY_LABELS, blank=_l("Ask me for each one")),
    )


class ConfirmImportForm(FlaskForm):
    """The second step of an import: the document again, and the categories the admin chose."""

    payload = TextAreaField(validators=[DataRequired()])
    default_category = StringField()
