"""The optional second factor: a time-based code (TOTP) from an authenticator app."""

from __future__ import annotations

import hmac
import time

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import User

from .. import audit
from ..extensions import db
from ..security import login_limits
from . import bp
from .forms import CodeForm, EnrolForm
from .passwords import verify_password
from .routes import finish_login

PENDING_SECONDS = 300
ISSUER = "Helpline"


def matching_step(secret: str, code: str, after: int | None = None) -> int | None:
    """Return the time step a code is valid for now (one step of clock drift allowed), else None.

    Steps up to `after` (the last one used) are refused: a code is accepted once.
    """
    import pyotp  # at the first code, not at every start

    totp = pyotp.TOTP(secret)
    code = code.replace(" ", "").strip()
    now = time.time()
    for offset in (-1, 0, 1):
        step = totp.timecode(now) + offset
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str) -> bool:
    """Tell whether a code is valid for a secret now."""
    return matching_step(secret, code) is not None


def _pending_user() -> User | None:
    pending = session.get("pending_2fa")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user_id"))
    return user if user and user.active and user.totp_secret else None


@bp.route("/login/code", methods=["GET", "POST"])
@login_limits
def second_factor():
    """Ask for the authenticator code of a user whose password was right."""
    user = _pending_user()
    if user is None:
        session.pop("pending_2fa", None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        step = matching_step(user.totp_secret, form.code.data, after=user.totp_last_step)
        if step is not None:
            user.totp_last_step = step
            target = session["pending_2fa"].get("next")
            return redirect(finish_login(user, target))
        audit.record("login_failed", "user", user.id, user_id=user.id, detail={"factor": "totp"})
        db.session.commit()
        form.code.errors.append(_("This code is not right, or has expired."))
    return render_template("auth/code.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
def enrol_totp():
    """Turn on the second factor: show a new secret, and keep it once a code from it is entered."""
    import pyotp  # at the first enrolment, not at every start

    form = EnrolForm()
    secret = session.get("totp_enrol")
    if not secret or not form.is_submitted():
        secret = pyotp.random_base32()
        session["totp_enrol"] = secret
    replacing = bool(current_user.totp_secret)
    if form.validate_on_submit():
        # Replacing a key needs the password: a session left open must not move the second factor.
        if replacing and not verify_password(current_user.password_hash, form.password.data or ""):
            form.password.errors.append(_("Enter your password to replace your authenticator key."))
        elif step := matching_step(secret, form.code.data):
            current_user.totp_secret = secret
            current_user.totp_last_step = step
            session.pop("totp_enrol", None)
            db.session.commit()
            flash(_("Two-factor login is on: you will be asked for a code at each login."), "success")
            return redirect(url_for("main.home"))
        else:
            form.code.errors.append(_("This code is not right, or has expired."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email, issuer_name=ISSUER)
    return render_template("auth/enrol_totp.html", form=form, secret=secret, uri=uri, enabled=replacing)
