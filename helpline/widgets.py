"""Form fields shared by several areas."""

from __future__ import annotations

from wtforms import SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Refuse values that are not among the choices, naming them."""
        values = {str(choice.value) for choice in self.choices}
        unknown = [v for v in (self.data or []) if str(v) not in values]
        if unknown:
            raise ValidationError(self.gettext("Unknown choice(s): %(values)s") % {"values": ", ".join(unknown)})
