"""Staff accounts and the settings page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models import User

from ..extensions import db
from ..security import limiter_storage_name
from . import bp
from .forms import UserForm
from .service import reset_totp, save_user, send_password_reset


@bp.route("/users")
def users():
    """List the staff accounts."""
    accounts = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name))
    return render_template("admin/users.html", users=list(accounts))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a staff account."""
    form = UserForm()
    if form.validate_on_submit():
        user = save_user(form)
        db.session.commit()
        flash(_("Account created for %(name)s.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.is_submitted() else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change a staff account's details, roles or password, or disable it."""
    user = db.get_or_404(User, user_id)
    form = UserForm(user=user, obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = user.role_list
    if form.validate_on_submit():
        if user.id == current_user.id and ("admin" not in form.roles.data or not form.active.data):
            form.roles.errors = list(form.roles.errors) + [_("You cannot remove your own administrator access.")]
        elif form.password.data and user.id != current_user.id:
            # Knowing a colleague's password would let the admin act as her: she chooses it herself.
            flash(_("You cannot set another person's password: send them a reset link instead."), "error")
        else:
            save_user(form, user)
            db.session.commit()
            flash(_("Account of %(name)s saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def send_reset_link(user_id: int):
    """E-mail a user a signed, time-limited link to choose a new password herself."""
    user = db.get_or_404(User, user_id)
    send_password_reset(user)
    db.session.commit()
    flash(_("A link to choose a new password was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
def reset_two_factor(user_id: int):
    """Turn off a user's second factor so they can enrol a new phone."""
    user = db.get_or_404(User, user_id)
    reset_totp(user)
    db.session.commit()
    flash(_("Two-factor login turned off for %(name)s.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/settings")
def settings():
    """Show the security, retention and backup settings in force (set in the environment)."""
    config = current_app.config
    rows = [
        (_("Idle session timeout (minutes)"), config["IDLE_TIMEOUT_MINUTES"], "IDLE_TIMEOUT_MINUTES"),
        (_("Login attempts allowed"), config["LOGIN_RATE_LIMIT"], "LOGIN_RATE_LIMIT"),
        (
            _("Secure cookies (HTTPS only)"),
            _("yes") if config.get("SESSION_COOKIE_SECURE") else _("no"),
            "SESSION_COOKIE_SECURE",
        ),
        (_("Retention after the last contact (months)"), config["RETENTION_MONTHS"], "RETENTION_MONTHS"),
        # Never a server path on a page: whether the folder is set, and where the environment says so.
        (
            _("Backup folder"),
            _("configured on the server") if config.get("BACKUP_DIR") else _("the app's instance folder (default)"),
            "BACKUP_DIR",
        ),
        (_("Rate-limit storage"), limiter_storage_name(), "REDIS_URL"),
    ]
    return render_template("admin/settings.html", rows=rows)
