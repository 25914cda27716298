"""Login, logout and the language switch."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from models import User, utcnow

from .. import audit
from ..extensions import db, login_manager
from ..security import LAST_SEEN_KEY, login_limits
from . import bp
from .forms import LoginForm
from .passwords import verify_password


@login_manager.user_loader
def load_user(user_id: str):
    """Load the logged-in user, refusing disabled accounts."""
    user = db.session.get(User, int(user_id))
    return user if user and user.active else None


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


def finish_login(user: User, target: str | None) -> str:
    """Open a session for a user who passed every factor, record it, and return where to go."""
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing carried over from before
    if lang:
        session["lang"] = lang
    login_user(user)
    session[LAST_SEEN_KEY] = time.time()
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, user_id=user.id)
    db.session.commit()
    return _safe_next(target)


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    """Log a member of staff in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user and user.active and verify_password(user.password_hash, form.password.data):
            if user.totp_secret:
                session["pending_2fa"] = {"user_id": user.id, "at": time.time(), "next": request.args.get("next")}
                return redirect(url_for("auth.second_factor"))
            return redirect(finish_login(user, request.args.get("next")))
        if user:
            audit.record("login_failed", "user", user.id, user_id=user.id)
            db.session.commit()
        flash(_("Unknown e-mail or wrong password."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log the user out."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next") or request.referrer and urlsplit(request.referrer).path))
