"""Sessions that can be ended: each session carries its user's session version, checked on every
request by the user loader; raising the version ends every session opened before."""

from __future__ import annotations

from flask import session

from models import User

SESSION_VERSION_KEY = "session_version"


def end_sessions(user: User, keep_current: bool = False) -> None:
    """End every session of a user (logout, password change); keep this one if asked."""
    user.session_version = (user.session_version or 0) + 1
    if keep_current:
        session[SESSION_VERSION_KEY] = user.session_version
