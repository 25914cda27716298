"""Home page and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template
from flask_login import current_user

from ..extensions import db
from ..navigation import home_panels
from . import bp


@bp.route("/")
def home():
    """Show the user's home page: the panels of every area they work in."""
    return render_template("main/home.html", panels=home_panels(current_user))


@bp.route("/healthz")
def healthz():
    """Answer 200 when the database is reachable, 503 when it is not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any failure of the database means "not healthy"
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
