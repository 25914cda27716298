"""Bounds on what one request may carry: its size (MAX_CONTENT_LENGTH and the form limits in
the settings) and how deeply its JSON nests. Past them the sender gets a clear 413 or 400, never a 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from triage_rules.validation import MAX_DEPTH as MAX_JSON_DEPTH  # no document the app reads nests deeper
from triage_rules.validation import json_depth


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing documents nested too deeply as invalid JSON (a 400), not a RecursionError (a 500)."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if json_depth(value) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
        return value


def init_app(app: Flask) -> None:
    """Bound the JSON the app reads and answer an oversized request with the app's own page."""
    app.json = BoundedJSONProvider(app)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        message = _("This request is too large: nothing was saved.")
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return jsonify(error=message), 413
        return render_template("errors/error.html", code=413, message=message), 413
