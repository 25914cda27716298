"""Daily summaries of the calls, so the indicators of a long period read hundreds of rows, not millions."""

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


class ReferralDayStat(Base):
    """How many referrals sent on one local day have a category, a status, an outcome and a reason now."""

    __tablename__ = "referral_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    outcome: Mapped[str] = mapped_column(sa.String(15), primary_key=True)  # "" when none
    reason: Mapped[str] = mapped_column(sa.String(30), primary_key=True)  # "" when none
    referrals: Mapped[int]


class ReferralDaySummarised(Base):
    """A local sending day whose referrals are summarised in referral_day_stat (deleted when one changes)."""

    __tablename__ = "referral_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpDayStat(Base):
    """How many follow-ups due on one day have an offset, a state, were done on time, reported a hospitalisation.

    state: done, unreachable, cancelled or open (pending, claimed and the other open statuses);
    hospitalisation: "yes", "no" or "" when not answered; satisfaction: the 1–5 score, 0 when not answered.
    """

    __tablename__ = "followup_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    offset_days: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    on_time: Mapped[bool] = mapped_column(primary_key=True)
    hospitalisation: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    satisfaction: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    followups: Mapped[int]


class FollowUpDaySummarised(Base):
    """A due day whose follow-ups are summarised in followup_day_stat (deleted when one changes)."""

    __tablename__ = "followup_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class HandoffDelayDayStat(Base):
    """How many calls of one local day were first handed off after exactly this delay (microseconds, 0 if before).

    Exact values, not buckets, so that the median over any period is exact.
    """

    __tablename__ = "handoff_delay_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    delay_us: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    calls: Mapped[int]


class HandoffDelayDaySummarised(Base):
    """A local call day whose delays to handoff are summarised above (deleted when a call or handoff changes)."""

    __tablename__ = "handoff_delay_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StructureDayStat(Base):
    """How many referrals sent on one local day to a structure have a status, an outcome and a reason now."""

    __tablename__ = "structure_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    outcome: Mapped[str] = mapped_column(sa.String(15), primary_key=True)  # "" when none
    reason: Mapped[str] = mapped_column(sa.String(30), primary_key=True)  # "" when none
    referrals: Mapped[int]


class StructureAnswerDayStat(Base):
    """How many referrals sent on one local day to a structure were first answered after exactly this delay (µs)."""

    __tablename__ = "structure_answer_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(primary_key=True)
    delay_us: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    referrals: Mapped[int]


class StructureDaySummarised(Base):
    """A local sending day whose referrals are summarised per structure above (deleted when one changes)."""

    __tablename__ = "structure_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CallDayTotal(Base):
    """How many calls one summarised local day had (no row: none), for the calls by day and week."""

    __tablename__ = "call_day_total"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    calls: Mapped[int]


class CallMonthStat(Base):
    """call_day_stat summed over the days of a whole local month (month: its first day)."""

    __tablename__ = "call_month_stat"

    month: Mapped[dt.date] = mapped_column(primary_key=True)
    caller_type: Mapped[str] = mapped_column(sa.String(15), primary_key=True)
    proposed_route: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    route: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    calls: Mapped[int]


class CallMonthTopic(Base):
    """call_day_topic summed over the days of a whole local month (month: its first day)."""

    __tablename__ = "call_month_topic"

    month: Mapped[dt.date] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    calls: Mapped[int]


class CallMonthSummarised(Base):
    """A month whose days' call summaries are summed above (deleted when one of its days is)."""

    __tablename__ = "call_month_summarised"

    month: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PhoneDayStat(Base):
    """The line's inbound calls of one local day: answered, missed by reason, and missed callers by status now.

    kind: "answered" (key ""), "missed" (key: the callback's reason, by the phone call's day) or "callback"
    (key: the callback's status, by its first missed call's day).
    """

    __tablename__ = "phone_day_stat"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    calls: Mapped[int]


class PhoneDaySummarised(Base):
    """A local day whose inbound calls and callbacks are summarised in phone_day_stat (deleted when one changes)."""

    __tablename__ = "phone_day_summarised"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
