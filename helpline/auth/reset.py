"""Password reset by a signed, time-limited link sent to the user herself (admins never set
another user's password: they would then know it and could act as her).

The token names the user, her session version and a digest of her password hash: once the
password is set (or her sessions are ended) the link stops working, so it serves once.
"""

from __future__ import annotations

import hashlib
from typing import Optional

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from models import User

from .. import audit
from ..extensions import db
from . import bp
from .forms import PasswordResetForm
from .passwords import hash_password
from .sessions import end_sessions

SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """Return a signed token that lets this user choose a new password once."""
    return _serializer().dumps({"u": user.id, "v": user.session_version, "h": _fingerprint(user)})


def reset_url(user: User) -> str:
    """Return the reset link, on the configured public address (never the request's Host)."""
    base = current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/")
    return base + url_for("auth.reset_password", token=reset_token(user))


def user_for_token(token: str) -> Optional[User]:
    """Return the user a valid, unexpired, unused token names, else None."""
    max_age = 3600 * int(current_app.config["PASSWORD_RESET_HOURS"])
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("v") != user.session_version or data.get("h") != _fingerprint(user):
        return None
    return user


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Let a user choose a new password with the link she was sent."""
    user = user_for_token(token)
    if user is None:
        flash(_("This reset link is not valid any more: ask an administrator for a new one."), "error")
        return redirect(url_for("auth.login"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        user.password_hash = hash_password(form.new_password.data)
        end_sessions(user)
        audit.record("password_reset", "user", user.id, user_id=user.id)
        db.session.commit()
        flash(_("Your password is set: log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.is_submitted() else 200
