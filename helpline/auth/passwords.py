"""Password hashing with argon2."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _hasher():
    """argon2's hasher with its default parameters, imported at the first hash or check, not at start-up."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """The hash checked against when the account is unknown, so a wrong e-mail takes as long as a wrong
    password. Made at the first login attempt, not at import: argon2 takes 64 MiB and ~0.1 s."""
    return _hasher().hash("no account has this password")


def hash_password(password: str) -> str:
    """Return the argon2 hash of a password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether a password matches its hash."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """Tell whether a password is on the shipped list of common (breached) passwords."""
    return password.strip().lower() in _common_passwords()


class NotCommonPassword:
    """WTForms validator refusing a password from the list of common passwords."""

    def __call__(self, form, field) -> None:
        from flask_babel import lazy_gettext as _l
        from wtforms.validators import ValidationError

        if field.data and is_common_password(field.data):
            raise ValidationError(_l("This password is on the list of common passwords: choose another."))
