"""Translations: French is the default language, English the other one.

Message ids are English. The French catalogue is the standard Flask-Babel one,
`helpline/translations/fr/LC_MESSAGES/messages.po`, compiled to its `.mo` by the install
(`make translations` extracts, updates and compiles; see babel.cfg).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """Pick the user's chosen language, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs speak the helpline's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    try:
        if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
            return current_user.locale
    except Exception:  # noqa: BLE001 - the database is down: the user cannot be loaded, the page is still shown
        pass
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]
