"""Webhook signature checks, public webhook URLs and the telephony settings."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, request, url_for

from ..config import SettingError
from .hours import OpeningHoursError, parse_opening_hours
from .signature import InvalidSignatureError, verify_request

log = logging.getLogger(__name__)


def configure(app: Flask) -> None:
    """Check the telephony settings a caller would only meet as "an application error has occurred"."""
    try:
        parse_opening_hours(app.config["HELPLINE_OPENING_HOURS"], app.config.get("TIMEZONE", "Europe/Brussels"))
    except OpeningHoursError as exc:
        raise SettingError(f"HELPLINE_OPENING_HOURS: {exc}, got {app.config['HELPLINE_OPENING_HOURS']!r}") from None


def is_console(config: Any = None) -> bool:
    """Tell whether telephony runs in console mode (no Twilio credentials)."""
    config = config if config is not None else current_app.config
    return not (config.get("TWILIO_ACCOUNT_SID") or config.get("TWILIO_AUTH_TOKEN"))


def auth_token(config: Any = None) -> str:
    """Return the token webhooks are signed with: Twilio's, or a local one in console mode."""
    config = config if config is not None else current_app.config
    if not is_console(config):
        return str(config.get("TWILIO_AUTH_TOKEN") or "")
    # Console mode signs its own simulated webhooks; the key never leaves the server.
    secret = str(config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"telephony-console-webhooks", hashlib.sha256).hexdigest()


def signed_url() -> str:
    """Return the URL Twilio signed: on TELEPHONY_PUBLIC_URL when set, else the one ProxyFix rebuilt."""
    configured = current_app.config.get("TELEPHONY_PUBLIC_URL")
    if not configured:
        return request.url
    query = request.query_string.decode("latin-1")
    path = request.script_root + request.path
    return str(configured).rstrip("/") + path + (f"?{query}" if query else "")


def check_signature() -> str:
    """Verify the current request's X-Twilio-Signature; answer 403 when it is wrong."""
    try:
        return verify_request(auth_token(), signed_url(), request.form, request.headers)
    except (InvalidSignatureError, ValueError) as exc:
        log.warning("refused a Twilio webhook: %s", exc)
        abort(403)


def twilio_webhook(view: Callable) -> Callable:
    """Serve a view only to requests signed by Twilio, answering TwiML as XML."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        check_signature()
        body = view(*args, **kwargs)
        if isinstance(body, str):
            return current_app.response_class(body, mimetype="text/xml")
        return body

    return wrapper


def public_base_url() -> str:
    """Return the helpline's public base URL, as Twilio must call it back."""
    configured = current_app.config.get("TELEPHONY_PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    return request.host_url.rstrip("/")  # the public scheme and host once ProxyFix has run


def webhook_url(endpoint: str, **values: Any) -> str:
    """Return the public URL of a webhook endpoint, for TwiML and REST callbacks."""
    if values:
        return public_base_url() + url_for(endpoint, **values)
    # Without parameters the URL only depends on where the app is served: built once per base URL
    # (the voice webhook asks for two of them on every call).
    cache = current_app.extensions.setdefault("telephony_webhook_urls", {})
    key = (public_base_url(), request.script_root, endpoint)
    url = cache.get(key)
    if url is None:
        if len(cache) > 256:  # bases come from (trusted) request headers: keep the cache bounded
            cache.clear()
        url = cache[key] = key[0] + url_for(endpoint)
    return url
