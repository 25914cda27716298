"""Server side of the call form's browser draft: tell the page which draft was saved.

The call page's script (static/draft.js) keeps what the nurse types in the browser's storage,
under a random draft id it sends with the form. When a save succeeds the server answers with a
redirect and a short-lived `saved_draft` cookie naming that id, so the script deletes exactly
that draft next time; a failed save sets no cookie and the draft stays.
"""
from __future__ import annotations

import re

from flask import Flask, request

DRAFT_FIELD = "draft_id"
SAVED_COOKIE = "saved_draft"
DRAFT_ENDPOINTS = {"calls.new"}
_DRAFT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def mark_saved_draft(response):
    """Set the saved-draft cookie after a successful save of a form that carried a draft id."""
    # The status first: a refused request (413: too large) must not have its form read again.
    if response.status_code not in (302, 303) or request.endpoint not in DRAFT_ENDPOINTS or request.method != "POST":
        return response
    draft_id = request.form.get(DRAFT_FIELD, "")
    if _DRAFT_ID.match(draft_id):
        # Read by the script, so not HttpOnly; it holds a random id, nothing about the call.
        response.set_cookie(SAVED_COOKIE, draft_id, max_age=7 * 24 * 3600, samesite="Strict",
                            secure=request.is_secure, httponly=False, path="/")
    return response


def init_app(app: Flask) -> None:
    """Install the saved-draft hook."""
    app.after_request(mark_saved_draft)
