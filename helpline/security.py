"""Security settings applied to every response and session: headers, cookies, idle timeout, rate limits."""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

# Scripts, styles and images only from our own origin: no inline code, no CDN.
CONTENT_SECURITY_POLICY = "; ".join(
    [
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
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

LAST_SEEN_KEY = "last_seen"
LOGIN_AT_KEY = "login_at"
# Requests a page makes by itself (the screen pop polls every 3 s): not the user's activity.
BACKGROUND_ENDPOINTS = frozenset({"telephony.incoming"})

# The storage comes from RATELIMIT_STORAGE_URI (Redis when REDIS_URL is set, see config.py), so the
# counts are shared by every process and node; get_remote_address is the client's address once
# ProxyFix has read the trusted proxies' X-Forwarded-For.
limiter = Limiter(key_func=get_remote_address)


def login_account_key() -> str:
    """Key the login limit by the account tried (a keyed hash: no e-mail address in Redis)."""
    email = (request.form.get("email") or "").strip().lower()
    pending = session.get("pending_2fa")
    if not email and isinstance(pending, dict):  # the second factor counts against the same account
        email = f"user:{pending.get('user_id')}"
    digest = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), email.encode(), hashlib.sha256)
    return "login-account:" + digest.hexdigest()[:32]


def login_failed(response) -> bool:
    """Tell whether a login attempt was refused by its form (a success redirects, a limit answers 429)."""
    return response.status_code == 200


def login_limits(view):
    """Limit the attempts on a login view per account (strict) and per client address (loose).

    The per-account limit stops guessing one password from many addresses and many processes;
    the per-address limit stops spraying many accounts, and is loose enough for a team behind one
    proxy. Once an account's limit is met even the right password waits for the window to pass
    (otherwise the limit would tell a guesser when she is right); successes are not counted.
    """
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT"],
        key_func=login_account_key,
        methods=["POST"],
        deduct_when=login_failed,
        scope="login-account",
    )
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], methods=["POST"], scope="login-address"
    )
    return per_address(per_account(view))


def limiter_storage_name() -> str:
    """Name the storage the rate limits really live in, for the admin's settings page."""
    from limits.storage import MemoryStorage

    if not current_app.config.get("RATELIMIT_ENABLED"):
        return _("rate limits switched off")
    if isinstance(limiter.storage, MemoryStorage):
        return _("memory of each process (not shared between processes)")
    return _("%(storage)s, shared by every process", storage=type(limiter.storage).__name__.replace("Storage", ""))


def init_app(app: Flask) -> None:
    """Apply the security settings and hooks to the app."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # Flask-Limiter keeps the first app's key prefix and strategy on the extension (`x = x or
    # config`): give each app its own, or a second app in one process counts under the first's keys.
    limiter._key_prefix = app.config["RATELIMIT_KEY_PREFIX"]
    limiter._strategy = app.config["RATELIMIT_STRATEGY"]
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
    login_at = session.get(LOGIN_AT_KEY)
    too_old = isinstance(login_at, (int, float)) and now - login_at > 3600 * float(
        current_app.config["SESSION_MAX_HOURS"]
    )
    if too_old or isinstance(last_seen, (int, float)) and now - last_seen > limit:
        logout_user()
        session.clear()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error="session expired"), 401
        flash(_("Your session expired after a period without activity: please log in again."), "info")
        return redirect(url_for("auth.login"))
    if request.endpoint not in BACKGROUND_ENDPOINTS:
        session[LAST_SEEN_KEY] = now
    if not isinstance(login_at, (int, float)):
        session[LOGIN_AT_KEY] = now  # sessions opened before the absolute lifetime existed
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
