"""Security settings applied to every response and session: headers, cookies, idle timeout, rate limits."""
from __future__ import annotations

import os
import time

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

# Scripts, styles and images only from our own origin: no inline code, no CDN.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

LAST_SEEN_KEY = "last_seen"

limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")


def settings_from_environment() -> dict:
    """Return the security settings, read from the environment with safe defaults."""
    redis_url = os.environ.get("REDIS_URL")
    return {
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RETENTION_MONTHS": int(os.environ.get("RETENTION_MONTHS", "60")),
        "BACKUP_DIR": os.environ.get("BACKUP_DIR", ""),
    }


def init_app(app: Flask) -> None:
    """Apply the security settings and hooks to the app."""
    for key, value in settings_from_environment().items():
        app.config.setdefault(key, value)
    # The suite logs in many times from one address: tests that check the limit switch it on.
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = app.config["SESSION_COOKIE_SAMESITE"]
    app.config["REMEMBER_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE", False)
    limiter.init_app(app)
    app.before_request(enforce_idle_timeout)
    app.after_request(add_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _too_many_requests)


def enforce_idle_timeout():
    """Log the user out after a configured time without any request (before_request hook)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    limit = 60 * int(current_app.config["IDLE_TIMEOUT_MINUTES"])
    last_seen = session.get(LAST_SEEN_KEY)
    if isinstance(last_seen, (int, float)) and now - last_seen > limit:
        logout_user()
        session.clear()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error="session expired"), 401
        flash(_("Your session expired after a period without activity: please log in again."), "info")
        return redirect(url_for("auth.login"))
    session[LAST_SEEN_KEY] = now
    return None


def add_security_headers(response):
    """Add the security headers, and forbid caching of pages that hold health data (after_request hook)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_error(error):
    message = _("The form expired or did not come from this site: reload the page and try again.")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error="csrf", message=message), 400
    return render_template("errors/error.html", code=400, message=message), 400


def _too_many_requests(error):
    message = _("Too many attempts: wait a minute before trying again.")
    return render_template("errors/error.html", code=429, message=message), 429
