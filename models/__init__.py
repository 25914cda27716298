"""SQLAlchemy models of the helpline, one module per area.

The models' annotations are evaluated when their classes are (no `from __future__ import annotations`):
SQLAlchemy would otherwise evaluate each string annotation again as it maps the ~500 attributes, about
12 ms of every start. A class defined further down or in another module is named in quotes
(`Mapped["Person"]`).
"""

from .activity import AuditEvent, Notification, PhoneCall
from .base import Base, UTCDateTime, db, utcnow
from .call import Call, CallTopic
from .callback import Callback
from .case import (
    Assessment,
    CareSetting,
    Case,
    CaseEvent,
    CaseNote,
    Handoff,
    PlanItem,
    PlanReview,
    Relay,
    ServicePlan,
    Visit,
)
from .correction import Correction
from .directory import Structure, StructurePostcode
from .followup import FollowUp, FollowUpAttempt
from .mail import OutboxMessage
from .meeting import Meeting, MeetingDecision, ReviewItem, Task
from .merge import MERGE_STATUSES, PersonDistinct, PersonMerge
from .person import Consent, Person, PersonContact, PersonFlag
from .referral import Referral, ReferralEvent
from .reports import NoteTheme, TopicModel, TopicSuggester, TopicTheme
from .stats import (
    CallDayStat,
    CallDaySummarised,
    CallDayTopic,
    CallDayTotal,
    CallMonthStat,
    CallMonthSummarised,
    CallMonthTopic,
    FollowUpDayStat,
    FollowUpDaySummarised,
    HandoffDelayDayStat,
    HandoffDelayDaySummarised,
    PhoneDayStat,
    PhoneDaySummarised,
    ReferralDayStat,
    ReferralDaySummarised,
    StructureAnswerDayStat,
    StructureDayStat,
    StructureDaySummarised,
)
from .user import User
from .vocabulary import CONSENT_PURPOSES, CONTACT_KINDS, FLAG_KINDS, ROLES

__all__ = [
    "CallDayStat",
    "CallDaySummarised",
    "CallDayTopic",
    "CallDayTotal",
    "CallMonthStat",
    "CallMonthSummarised",
    "CallMonthTopic",
    "FollowUpDayStat",
    "FollowUpDaySummarised",
    "PhoneDayStat",
    "PhoneDaySummarised",
    "ReferralDayStat",
    "ReferralDaySummarised",
    "HandoffDelayDayStat",
    "HandoffDelayDaySummarised",
    "StructureAnswerDayStat",
    "StructureDayStat",
    "StructureDaySummarised",
    "Base",
    "UTCDateTime",
    "db",
    "utcnow",
    "ROLES",
    "User",
    "CONSENT_PURPOSES",
    "CONTACT_KINDS",
    "Consent",
    "Person",
    "PersonContact",
    "FLAG_KINDS",
    "PersonFlag",
    "PersonMerge",
    "PersonDistinct",
    "MERGE_STATUSES",
    "Call",
    "CallTopic",
    "Correction",
    "Structure",
    "StructurePostcode",
    "Referral",
    "ReferralEvent",
    "ReviewItem",
    "Meeting",
    "MeetingDecision",
    "Task",
    "Assessment",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CareSetting",
    "Handoff",
    "PlanItem",
    "PlanReview",
    "Relay",
    "ServicePlan",
    "Visit",
    "FollowUp",
    "FollowUpAttempt",
    "AuditEvent",
    "Notification",
    "PhoneCall",
    "Callback",
    "OutboxMessage",
    "NoteTheme",
    "TopicModel",
    "TopicSuggester",
    "TopicTheme",
]
