"""Control characters out of everything typed: forms and searches, before any view reads them.

A NUL byte cannot be stored in PostgreSQL text (every save failed with "the database is not
answering"), and other control characters corrupt exports and logs. They are stripped from the
form and the query string (tab, line feed and carriage return stay), and the user is told which
fields were changed so she can check them.
"""

from __future__ import annotations

import re

from flask import Flask, flash, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HIDDEN_FIELDS = {"csrf_token", "draft_id", "action"}


def _cleaned(values: ImmutableMultiDict) -> tuple[ImmutableMultiDict, list[str]]:
    changed: list[str] = []
    items = []
    for name, value in values.items(multi=True):
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            value = CONTROL_CHARACTERS.sub("", value)
            if name not in changed:
                changed.append(name)
        items.append((CONTROL_CHARACTERS.sub("", name), value))
    return ImmutableMultiDict(items), changed


def strip_control_characters():
    """Strip control characters from the request's form and query string (before_request hook)."""
    changed: list[str] = []
    if request.args:
        request.args, found = _cleaned(request.args)
        changed += found
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        request.form, found = _cleaned(request.form)
        changed += found
    if changed:
        request.__dict__.pop("values", None)  # recomputed from the cleaned form and query string
        g.stripped_fields = changed
    return None


def stripped_notice() -> str | None:
    """The message telling the user which fields lost control characters in this request, if any."""
    shown = [name.replace("_", " ") for name in g.get("stripped_fields", ()) if name not in HIDDEN_FIELDS]
    if not shown:
        return None
    return _(
        "Invisible control characters were removed from these fields; check them: %(fields)s.",
        fields=", ".join(shown),
    )


def carry_notice_over_redirect(response):
    """A page rendered now shows the notice itself (base.html); a redirect carries it as a flash.

    Never a flash for a fragment or JSON answer (the call page's live preview runs at every change):
    nothing would show it, and flashes kept in the session cookie grew it past what browsers keep,
    which logged the nurse out.
    """
    if response.status_code in (301, 302, 303, 307, 308):
        notice = stripped_notice()
        if notice:
            flash(notice, "error")
    return response


def init_app(app: Flask) -> None:
    """Install the hook (first, so no view or form sees the characters)."""
    app.before_request_funcs.setdefault(None, []).insert(0, strip_control_characters)
    app.after_request(carry_notice_over_redirect)
    app.jinja_env.globals["stripped_notice"] = stripped_notice
