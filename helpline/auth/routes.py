"""Login, logout and the language switch."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from models import User, utcnow

from .. import audit
from ..drafts import clear_browser_storage
from ..extensions import db, login_manager
from ..outage import DatabaseUnavailable
from ..security import LAST_SEEN_KEY, LOGIN_AT_KEY, login_limits
from . import bp
from .forms import LoginForm, PasswordChangeForm
from .passwords import dummy_hash, hash_password, verify_password
from .sessions import SESSION_VERSION_KEY, end_sessions


@login_manager.user_loader
def load_user(user_id: str):
    """Load the logged-in user, refusing disabled accounts."""
    try:
        user = db.session.get(User, int(user_id))
    except SQLAlchemyError as exc:  # the database is down: the app's own 503 page, not a crash
        raise DatabaseUnavailable() from exc
    if user is None or not user.active or session.get(SESSION_VERSION_KEY, 0) != user.session_version:
        return None  # a disabled account, or a session ended by a logout or a password change
    return user


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


def finish_login(user: User, target: str | None) -> str:
    """Open a session for a user who passed every factor, record it, and return where to go."""
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing carried over from before
    if lang or user.locale:
        session["lang"] = lang or user.locale  # the pages need it even when the database is down
    login_user(user)
    session[LAST_SEEN_KEY] = session[LOGIN_AT_KEY] = time.time()
    session[SESSION_VERSION_KEY] = user.session_version
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
        # Unknown accounts cost one hash check too: the time taken does not tell whether one exists.
        password_ok = verify_password(user.password_hash if user else dummy_hash(), form.password.data)
        if user and user.active and password_ok:
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
    """Log the user out, ending every session of hers (a copied cookie stops working too)."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return clear_browser_storage(redirect(url_for("auth.login")))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next") or request.referrer and urlsplit(request.referrer).path))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Let the user change her own password with the current one; her other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            current_user.password_hash = hash_password(form.new_password.data)
            end_sessions(current_user, keep_current=True)
            db.session.commit()
            flash(_("Your password is changed; your other sessions are closed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)
