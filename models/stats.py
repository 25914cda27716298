"""Daily summaries of the calls, so the indicators of a long period read hundreds of rows, not millions."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class CallDayStat(Base):
    """How many calls of one local day had a caller type, a proposed route and a final route."""

    __tablename__ = "call_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    caller_type: Mapped[str] = mapped_column(sa.String(15), primary_key=True)
    proposed_route: Mapped[str] = mapped_column(sa.String(20), primary_key=True)  # "" when none
    route: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    calls: Mapped[int]


class CallDayTopic(Base):
    """How many calls of one local day carried a topic."""

    __tablename__ = "call_day_topic"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    calls: Mapped[int]


class CallDaySummarised(Base):
    """A local day whose calls are summarised in the two tables above (deleted when one changes)."""

    __tablename__ = "call_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
