"""The person concerned by a request, and the consents they gave."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Person(Base):
    """A person with chronic disease about whom the helpline is called."""

    __tablename__ = "person"
    __table_args__ = (
        sa.Index("ix_person_name", "last_name_key", "first_name_key"),
        sa.Index("ix_person_first_name", "first_name_key", "last_name_key"),  # search matches either name
        sa.Index("ix_person_phone", "phone"),
        sa.Index("ix_person_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    # Lower-cased, accent-folded copies used for search.
    first_name_key: Mapped[str] = mapped_column(sa.String(80))
    last_name_key: Mapped[str] = mapped_column(sa.String(80))
    birth_date: Mapped[Optional[dt.date]]
    # When the birth date is unknown the nurse records an age; kept with the date it was said.
    age: Mapped[Optional[int]]
    age_recorded_on: Mapped[Optional[dt.date]]
    postcode: Mapped[Optional[str]] = mapped_column(sa.String(10))
    phone: Mapped[Optional[str]] = mapped_column(sa.String(20))
    lives_alone: Mapped[Optional[bool]]
    gp_name: Mapped[Optional[str]] = mapped_column(sa.String(120))
    gp_phone: Mapped[Optional[str]] = mapped_column(sa.String(20))
    # Where she lives, for an emergency crew or a home visit.
    street: Mapped[Optional[str]] = mapped_column(sa.String(120))
    house_number: Mapped[Optional[str]] = mapped_column(sa.String(10))
    box: Mapped[Optional[str]] = mapped_column(sa.String(10))
    city: Mapped[Optional[str]] = mapped_column(sa.String(80))
    access_notes: Mapped[Optional[str]] = mapped_column(sa.Text)
    pseudonymised_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    last_contact_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A duplicate merged into another record: hidden from search and lists, its page leads to that one.
    merged_into_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("person.id"))

    consents: Mapped[list["Consent"]] = relationship(
        back_populates="person", order_by="Consent.recorded_at", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["PersonContact"]] = relationship(
        back_populates="person", order_by="PersonContact.id", cascade="all, delete-orphan"
    )

    @property
    def address_lines(self) -> list[str]:
        """Return the address as it is written on an envelope (empty when nothing is known)."""
        street = " ".join(part for part in (self.street, self.house_number) if part)
        if street and self.box:
            street = f"{street} / {self.box}"
        town = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (street, town if (street or self.city) else "") if line]

    @property
    def display_name(self) -> str:
        """Return the name as staff read it."""
        return f"{self.last_name.upper()} {self.first_name}"

    def age_on(self, day: dt.date) -> Optional[int]:
        """Return the person's age on a given day, from the birth date or the recorded age."""
        if self.birth_date:
            years = day.year - self.birth_date.year
            if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
                years -= 1
            return years
        if self.age is not None and self.age_recorded_on:
            return self.age + (day - self.age_recorded_on).days // 365
        return self.age

    def consent_for(self, purpose: str) -> Optional["Consent"]:
        """Return the latest consent recorded for a purpose, if any."""
        latest = [c for c in self.consents if c.purpose == purpose]
        return latest[-1] if latest else None

    def has_consent(self, purpose: str) -> bool:
        """Tell whether the latest consent for a purpose is a yes."""
        consent = self.consent_for(purpose)
        return bool(consent and consent.granted)


class Consent(Base):
    """A consent (or its refusal) given by a person, with when, by whom and for what."""

    __tablename__ = "consent"
    __table_args__ = (sa.Index("ix_consent_person_purpose", "person_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    purpose: Mapped[str] = mapped_column(sa.String(30))
    granted: Mapped[bool]
    given_on: Mapped[dt.date]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    person: Mapped[Person] = relationship(back_populates="consents")
    recorded_by: Mapped["User"] = relationship()  # noqa: F821


class PersonContact(Base):
    """Someone around the person (a carer or a professional) the helpline may call back about her."""

    __tablename__ = "person_contact"
    __table_args__ = (
        sa.Index("ix_person_contact_person", "person_id"),
        sa.Index("ix_person_contact_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(sa.String(15), default="carer")
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    relation: Mapped[Optional[str]] = mapped_column(sa.String(80))
    phone: Mapped[Optional[str]] = mapped_column(sa.String(20))
    # Whether the person agreed that this contact is called about her.
    may_call: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(back_populates="contacts")


class PersonFlag(Base):
    """Something every nurse must know before talking about the person, with who set it and why."""

    __tablename__ = "person_flag"
    __table_args__ = (sa.Index("ix_person_flag_person", "person_id", "lifted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    reason: Mapped[str] = mapped_column(sa.Text)
    set_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The flag stops showing after this day (a temporary situation), or once lifted.
    expires_on: Mapped[Optional[dt.date]]
    lifted_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))

    person: Mapped[Person] = relationship()
    set_by: Mapped["User"] = relationship(foreign_keys=[set_by_id])  # noqa: F821
    lifted_by: Mapped[Optional["User"]] = relationship(foreign_keys=[lifted_by_id])  # noqa: F821

    def active_on(self, day: dt.date) -> bool:
        """Tell whether the flag still shows on a day."""
        return self.lifted_at is None and (self.expires_on is None or self.expires_on >= day)
