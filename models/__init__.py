"""SQLAlchemy models of the helpline, one module per area."""
from .base import Base, UTCDateTime, db, utcnow
from .user import User
from .person import Consent, Person, PersonContact, PersonFlag
from .vocabulary import CONSENT_PURPOSES, CONTACT_KINDS, FLAG_KINDS, ROLES
from .call import Call, CallTopic
from .correction import Correction
from .directory import Structure, StructurePostcode
from .referral import Referral, ReferralEvent
from .meeting import Meeting, MeetingDecision, ReviewItem, Task
from .case import Assessment, Case, CaseEvent, Handoff, PlanItem, Relay, ServicePlan, Visit
from .followup import FollowUp, FollowUpAttempt
from .activity import AuditEvent, Notification, PhoneCall
from .callback import Callback
from .reports import NoteTheme, TopicModel, TopicSuggester, TopicTheme
from .mail import OutboxMessage
from .stats import CallDayStat, CallDaySummarised, CallDayTopic

__all__ = [
    "CallDayStat", "CallDaySummarised", "CallDayTopic",
    "Base", "UTCDateTime", "db", "utcnow", "ROLES", "User", "CONSENT_PURPOSES", "CONTACT_KINDS", "Consent", "Person",
    "PersonContact", "FLAG_KINDS", "PersonFlag",
    "Call", "CallTopic", "Correction", "Structure", "StructurePostcode", "Referral", "ReferralEvent", "ReviewItem",
    "Meeting", "MeetingDecision",
    "Task", "Assessment", "Case", "CaseEvent", "Handoff", "PlanItem", "Relay", "ServicePlan", "Visit", "FollowUp",
    "FollowUpAttempt", "AuditEvent", "Notification", "PhoneCall", "Callback",
    "OutboxMessage", "NoteTheme", "TopicModel", "TopicSuggester", "TopicTheme",
]
