"""The directory of external structures the helpline refers people to."""

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Structure(Base):
    """An external structure: home-care coordination centre, social service, transport…"""

    __tablename__ = "structure"
    __table_args__ = (sa.Index("ix_structure_category_status", "category", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.String(64))
    organization_name: Mapped[Optional[str]] = mapped_column(sa.String(200))
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    services: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    phone: Mapped[Optional[str]] = mapped_column(sa.String(30))
    email: Mapped[Optional[str]] = mapped_column(sa.String(254))
    address_1: Mapped[Optional[str]] = mapped_column(sa.String(200))
    city: Mapped[Optional[str]] = mapped_column(sa.String(100))
    postal_code: Mapped[Optional[str]] = mapped_column(sa.String(10))
    country: Mapped[Optional[str]] = mapped_column(sa.String(2))
    opening_hours: Mapped[Optional[str]] = mapped_column(sa.String(200))
    eligibility: Mapped[Optional[str]] = mapped_column(sa.Text)
    url: Mapped[Optional[str]] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    # What the structure itself last said (HSDS service_capacity, wait_time, assured_date).
    capacity_available: Mapped[Optional[int]]
    capacity_updated_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    wait_time: Mapped[Optional[str]] = mapped_column(sa.String(100))
    wait_time_updated_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    assured_date: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[list["StructurePostcode"]] = relationship(
        back_populates="structure", cascade="all, delete-orphan", order_by="StructurePostcode.postcode"
    )

    @property
    def postcodes(self) -> list[str]:
        """Return the postcodes the structure covers."""
        return [row.postcode for row in self.area]

    @postcodes.setter
    def postcodes(self, values: list[str]) -> None:
        self.area = [StructurePostcode(postcode=p) for p in sorted(set(values))]


class StructurePostcode(Base):
    """One postcode of a structure's territory."""

    __tablename__ = "structure_postcode"
    __table_args__ = (sa.Index("ix_structure_postcode_postcode", "postcode", "structure_id"),)

    structure_id: Mapped[int] = mapped_column(sa.ForeignKey("structure.id", ondelete="CASCADE"), primary_key=True)
    postcode: Mapped[str] = mapped_column(sa.String(10), primary_key=True)

    structure: Mapped[Structure] = relationship(back_populates="area")
