"""Staff accounts: nurses, case managers, coordinators and admins."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class User(UserMixin, Base):
    """A member of staff who logs in to the app."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Comma-separated roles: an admin may also be a coordinator.
    roles: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[Optional[str]] = mapped_column(sa.String(5))
    phone: Mapped[Optional[str]] = mapped_column(sa.String(20))
    capacity: Mapped[int] = mapped_column(default=40)
    monthly_intake: Mapped[int] = mapped_column(default=5)
    # A case manager's profession (CASE_MANAGER_PROFILES), shown when the coordinator assigns a case.
    case_manager_profile: Mapped[Optional[str]] = mapped_column(sa.String(20))
    totp_secret: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # The authenticator's last time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[Optional[int]] = mapped_column(sa.BigInteger)
    # Raised at logout and password change: every session opened before it ends (checked per request).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    last_login_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def role_list(self) -> list[str]:
        """Return the user's roles as a list."""
        return [r for r in self.roles.split(",") if r]

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of the given roles."""
        return any(r in self.role_list for r in roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.active
