"""The helpline triage and referral app.

The package itself imports nothing heavy: `helpline triage FILE` (helpline/cli.py) answers without
Flask, SQLAlchemy or the models. The application factory lives in helpline/app.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import MIGRATIONS_DIR, create_app

__all__ = ["MIGRATIONS_DIR", "create_app"]


def __getattr__(name: str):
    """Return create_app or MIGRATIONS_DIR from helpline.app, imported on first use."""
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
