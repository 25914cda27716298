"""Server side of the call form's browser draft: tell the page which draft was saved.

The call page's script (static/draft.js) keeps what the nurse types in the browser's storage,
under the draft id the server put in the form (`draft_id`, saved with the call so a second submit
of the same form finds it) and under a key of the user's own (`draft_owner`): another user of the
same browser is never offered it, and logging out clears the site's storage. When a save
succeeds the server answers with a redirect and a short-lived `saved_draft` cookie naming that id,
so the script deletes exactly that draft next time; a failed save sets no cookie and the draft stays.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import Flask, current_app, request
from flask_login import current_user

DRAFT_FIELD = "draft_id"
SAVED_COOKIE = "saved_draft"
DRAFT_ENDPOINTS = {"calls.new"}
_DRAFT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def new_draft_id() -> str:
    """Return a fresh draft id for a form shown to the nurse."""
    return "d-" + secrets.token_hex(12)


def valid_draft_id(value: str | None) -> str | None:
    """Return the draft id if it has the expected shape, else None."""
    return value if value and _DRAFT_ID.match(value) else None


def mark_saved_draft(response):
    """Set the saved-draft cookie after a successful save of a form that carried a draft id."""
    # The status first: a refused request (413: too large) must not have its form read again.
    if response.status_code not in (302, 303) or request.endpoint not in DRAFT_ENDPOINTS or request.method != "POST":
        return response
    draft_id = request.form.get(DRAFT_FIELD, "")
    if _DRAFT_ID.match(draft_id):
        # Read by the script, so not HttpOnly; it holds a random id, nothing about the call.
        response.set_cookie(
            SAVED_COOKIE,
            draft_id,
            max_age=7 * 24 * 3600,
            samesite="Strict",
            secure=request.is_secure,
            httponly=False,
            path="/",
        )
    return response


def draft_owner() -> str:
    """Return the opaque key the browser keeps the current user's drafts under."""
    if not current_user.is_authenticated:
        return ""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"draft-owner:{current_user.id}".encode(), hashlib.sha256).hexdigest()[:24]


def clear_browser_storage(response):
    """Ask the browser to delete what this site stored (the drafts) when the user logs out."""
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


def init_app(app: Flask) -> None:
    """Install the saved-draft hook and the drafts' owner key for the call page."""
    app.after_request(mark_saved_draft)
    app.jinja_env.globals["draft_owner"] = draft_owner
